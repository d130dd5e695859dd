/*
 * xapian_peer.cc — Xapian out of the box, as its own indexing tools use it:
 * TermGenerator and QueryParser with the English stemmer (STEM_SOME) and
 * CJK n-grams, BM25 with Xapian's defaults. A benchmark peer, not nidx.
 *   xapian_peer index DIR FILE.jsonl[.gz]...
 *   xapian_peer search DIR QUERIES.tsv [DEPTH [plain]]
 * index prints MB/s and articles/s; search writes "qid docid" lines, best
 * first, to standard output and the latency per query (ms, one line each,
 * "# ms N") to standard error. With "plain" the text is words only: no
 * boolean operators, phrases or +/- (test collections write whole queries
 * in capitals, AND and NOT among them).
 */
#include <xapian.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "peer_input.h"

struct indexer {
    explicit indexer(const char *path) : db(path, Xapian::DB_CREATE_OR_OPEN) {}
    Xapian::WritableDatabase db;
    Xapian::TermGenerator tg;
    unsigned long n = 0;
};

static void add(void *context, const peer_article_t *a)
{
    indexer *x = static_cast<indexer *>(context);
    Xapian::Document doc;
    x->tg.set_document(doc);
    x->tg.index_text(a->title);
    x->tg.increase_termpos();
    x->tg.index_text(a->body);
    doc.set_data(a->id);
    std::string id = std::string("Q") + a->id;
    doc.add_boolean_term(id);
    x->db.replace_document(id, doc);
    x->n++;
}

struct searcher {
    Xapian::Database db;
    Xapian::QueryParser qp;
    unsigned depth;
    bool plain;
};

static void search(void *context, const char *qid, const char *text)
{
    searcher *s = static_cast<searcher *>(context);
    double t0 = peer_now();
    Xapian::Query q;
    unsigned flags = Xapian::QueryParser::FLAG_CJK_NGRAM;
    if (!s->plain)
        flags |= Xapian::QueryParser::FLAG_DEFAULT;
    try {
        q = s->qp.parse_query(text, flags);
    } catch (const Xapian::QueryParserError &) {
        try {
            q = s->qp.parse_query(text, Xapian::QueryParser::FLAG_CJK_NGRAM);
        } catch (const Xapian::QueryParserError &) {
            q = Xapian::Query::MatchNothing; /* a query it cannot read */
        }
    }
    Xapian::Enquire enquire(s->db);
    enquire.set_query(q);
    Xapian::MSet mset = enquire.get_mset(0, s->depth);
    double ms = (peer_now() - t0) * 1000;
    for (auto it = mset.begin(); it != mset.end(); ++it)
        std::printf("%s %s\n", qid, it.get_document().get_data().c_str());
    std::fprintf(stderr, "# ms %.4f\n", ms);
}

int main(int argc, char **argv)
{
    if (argc >= 4 && std::strcmp(argv[1], "index") == 0) {
        indexer x(argv[2]);
        x.tg.set_stemmer(Xapian::Stem("english"));
        x.tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
        double t0 = peer_now(), bytes = 0;
        for (int i = 3; i < argc; i++)
            bytes += peer_read_articles(argv[i], add, &x);
        x.db.commit();
        double s = peer_now() - t0;
        std::printf("xapian: %lu articles, %.1f MB in %.1f s: %.2f MB/s, "
                    "%.0f articles/s\n",
                    x.n, bytes / 1e6, s, bytes / 1e6 / s, x.n / s);
        return 0;
    }
    if (argc >= 4 && std::strcmp(argv[1], "search") == 0) {
        searcher s{Xapian::Database(argv[2]), Xapian::QueryParser(),
                   argc > 4 ? (unsigned)std::atoi(argv[4]) : 1000,
                   argc > 5 && std::strcmp(argv[5], "plain") == 0};
        s.qp.set_database(s.db);
        s.qp.set_stemmer(Xapian::Stem("english"));
        s.qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        return peer_read_queries(argv[3], search, &s) < 0;
    }
    std::fprintf(stderr,
                 "usage: xapian_peer index DIR FILE...\n"
                 "       xapian_peer search DIR QUERIES [DEPTH [plain]]\n");
    return 2;
}
