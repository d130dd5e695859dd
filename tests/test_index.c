/*
 * test_index.c — the public API end to end: writing, replacing, locking,
 * searching, ranking tiers, phrases, paging, snippets.
 */
#include <stdlib.h>
#include <string.h>

#include "nidx.h"
#include "tap.h"

static char dir[] = "/tmp/nidx-test-index-XXXXXX";

static nidx_writer_t *open_writer(void)
{
    nidx_writer_t *w = NULL;
    nidx_error_t err;
    if (nidx_writer_open(dir, &w, &err) != NIDX_OK)
        printf("# writer: %s\n", err.message);
    return w;
}

static bool add(nidx_writer_t *w, const char *id, const char *title,
                const char *body, bool *replaced)
{
    nidx_article_t a = {id, title, body, "2022-03-01", "Test", "en", NULL};
    nidx_error_t err;
    if (nidx_writer_add(w, &a, replaced, NULL, &err) != NIDX_OK) {
        printf("# add %s: %s\n", id, err.message);
        return false;
    }
    return true;
}

/* Runs a query; returns the ids of the hits joined by ' '. */
static const char *search(const char *query, unsigned offset, unsigned limit,
                          nidx_status_t *status)
{
    static char ids[2048];
    nidx_searcher_t *s;
    nidx_results_t *r;
    nidx_error_t err;
    nidx_search_options_t o;
    nidx_search_options_init(&o);
    o.offset = offset;
    o.limit = limit;
    ids[0] = '\0';
    nidx_status_t st = nidx_searcher_open(dir, &s, &err);
    if (st == NIDX_OK)
        st = nidx_search(s, query, &o, &r, &err);
    if (status)
        *status = st;
    if (st != NIDX_OK) {
        snprintf(ids, sizeof ids, "error: %s", err.message);
        nidx_searcher_close(s);
        return ids;
    }
    for (size_t i = 0; i < nidx_results_count(r); i++) {
        if (i)
            strcat(ids, " ");
        strcat(ids, nidx_results_hit(r, i)->article.id);
    }
    nidx_results_free(r);
    nidx_searcher_close(s);
    return ids;
}

static void build(void)
{
    nidx_writer_t *w = open_writer();
    bool replaced = true;
    CHECK(w != NULL, "writer opens and creates the index");
    if (!w)
        exit(tap_done());
    /* "one" says bayraktar often but never serbia; "both" says each once
       in a long text: BM25 alone could put "one" first. */
    add(w, "one", "Bayraktar Bayraktar",
        "Bayraktar bayraktar BAYRAKTAR drones fly over the steppe.", &replaced);
    CHECK(!replaced, "a new id is added, not replaced");
    add(w, "both", "Procurement news",
        "A long report on defence budgets, parliaments, tenders and other "
        "matters, which at its very end mentions that Serbia may buy the "
        "Bayraktar after all, among many other possible purchases.",
        NULL);
    add(w, "serbia", "Serbia elections", "Voters in Serbia went to the polls.",
        NULL);
    add(w, "phrase", "Turkish drone makers",
        "The Turkish drone industry grows.", NULL);
    add(w, "split", "Something Turkish", "drone sales body text", NULL);
    /* No place named: "Serbia" would find 塞尔维亚 (gazetteer.h). */
    add(w, "cjk", "国防部考虑购买无人机", "国防部正在考虑购买新型的无人机。",
        NULL);
    add(w, "plain", "Harbour news", "The port of Malaga grows.", NULL);
    add(w, "accented", "Harbour news", "The port of Málaga grows.", NULL);
    add(w, "gone", "Old title", "zebra", NULL);
    add(w, "gone", "New title", "giraffe", &replaced);
    CHECK(replaced, "adding an id again replaces the article");
    nidx_article_t bad = {
        "bad-utf8", "Caf\xC3 au lait", "na\xEFve text", NULL, NULL, NULL, NULL};
    uint64_t repaired = 0;
    nidx_error_t err;
    CHECK(nidx_writer_add(w, &bad, NULL, &repaired, &err) == NIDX_OK &&
              repaired == 2,
          "invalid UTF-8 is repaired and counted (%llu)",
          (unsigned long long)repaired);
    nidx_article_t noid = {NULL, "t", "b", NULL, NULL, NULL, NULL};
    CHECK(nidx_writer_add(w, &noid, NULL, NULL, &err) == NIDX_ERROR_ARGUMENT,
          "an article without id is refused");

    nidx_writer_t *second = NULL;
    CHECK(nidx_writer_open(dir, &second, &err) == NIDX_ERROR_LOCKED &&
              second == NULL && strstr(err.message, "locked"),
          "a second writer gets 'index is locked': %s", err.message);
    CHECK(nidx_writer_close(w, &err) == NIDX_OK, "writer closes");
}

static void test_search(void)
{
    nidx_status_t st;
    CHECK_STR(search("Bayraktar Serbia", 0, 10, NULL), "both one serbia",
              "articles with every word rank above those with some");
    CHECK_STR(search("bayraktar serbia", 0, 2, NULL), "both one",
              "page 1 of 2");
    CHECK_STR(search("bayraktar serbia", 1, 1, NULL), "one",
              "paging inside tier two");
    CHECK_STR(search("bayraktar serbia", 2, 5, NULL), "serbia",
              "paging past tier one");
    CHECK_STR(search("bayraktar serbia", 3, 5, NULL), "", "past the end");
    CHECK_STR(search("\"turkish drone\"", 0, 10, NULL), "phrase",
              "a phrase needs adjacent words, not across title and body");
    CHECK_STR(search("“turkish drone”", 0, 10, NULL), "phrase",
              "curly quotes make a phrase too");
    CHECK_STR(search("zebra", 0, 10, NULL), "",
              "a replaced article's old "
              "words are gone");
    CHECK_STR(search("giraffe", 0, 10, NULL), "gone",
              "the replacement is found");
    CHECK_STR(search("无人机", 0, 10, NULL), "cjk", "Chinese word found");
    CHECK_STR(
        search("Málaga", 0, 10, NULL), "accented plain",
        "typed with diacritics: the exact spelling first, then the other");
    CHECK_STR(search("malaga", 0, 1, NULL), "plain",
              "typed without diacritics: the plain spelling "
              "first");
    CHECK_STR(search("MALAGA", 1, 1, NULL), "accented",
              "typed without diacritics, the accented article matches too");
    CHECK_STR(search("ＢＡＹＲＡＫＴＡＲ serbia", 0, 1, NULL), "both",
              "full-width query letters equal ASCII");
    CHECK_STR(search("naïve", 0, 10, NULL), "",
              "repaired text does not invent words");
    search("\"unclosed phrase", 0, 10, &st);
    CHECK(st == NIDX_ERROR_QUERY, "an unbalanced quote is a query error");
    search("?!", 0, 10, &st);
    CHECK(st == NIDX_ERROR_QUERY, "a query without words is an error");
    search("bad \xFF utf8", 0, 10, &st);
    CHECK(st == NIDX_ERROR_QUERY, "a query of invalid UTF-8 is an error");

    /* The query language through the API (tests/test_query.sh has more). */
    CHECK_STR(search("bayraktar -serbia", 0, 10, NULL), "one", "-exclude");
    CHECK_STR(search("(harbour OR phrase) AND malaga", 0, 10, NULL),
              "plain accented", "OR, AND, parentheses");
    CHECK_STR(search("title:turkish", 0, 10, NULL), "split phrase",
              "title: in titles");
    CHECK_STR(search("title:turkish -title:\"turkish drone\"", 0, 10, NULL),
              "split", "title:\"phrase\" excluded");
    CHECK_STR(search("bayrak*", 0, 10, NULL), "one both", "word*");
    CHECK_STR(search("id:serbia", 0, 10, NULL), "serbia", "id:");
    search("title:(a b)", 0, 10, &st);
    CHECK(st == NIDX_OK, "title:( is a word after all: %d", st);
    search("bayraktar AND", 0, 10, &st);
    CHECK(st == NIDX_ERROR_QUERY, "an operator without operand is an error");
}

static void test_hits(void)
{
    nidx_searcher_t *s;
    nidx_results_t *r;
    nidx_error_t err;
    CHECK(nidx_searcher_open(dir, &s, &err) == NIDX_OK, "searcher opens");
    CHECK(nidx_searcher_article_count(s) == 10, "10 articles in the index");
    CHECK(nidx_search(s, "serbia bayraktar", NULL, &r, &err) == NIDX_OK,
          "search with default options");
    const nidx_hit_t *h = nidx_results_hit(r, 0);
    CHECK(nidx_results_total(r) == 3, "total counts all tiers");
    CHECK(h && h->rank == 1 && h->score > 0, "rank and score");
    CHECK_STR(h->article.date, "2022-03-01", "stored date comes back");
    CHECK_STR(h->article.source, "Test", "stored source comes back");
    CHECK(h->article.body == NULL, "the body is not handed out");
    CHECK(h->n_highlights == 2, "two words highlighted (%zu)", h->n_highlights);
    if (h->n_highlights == 2) {
        char a[32], b[32];
        snprintf(a, sizeof a, "%.*s",
                 (int)(h->highlights[0].end - h->highlights[0].start),
                 h->snippet + h->highlights[0].start);
        snprintf(b, sizeof b, "%.*s",
                 (int)(h->highlights[1].end - h->highlights[1].start),
                 h->snippet + h->highlights[1].start);
        CHECK(strcmp(a, "Serbia") == 0 && strcmp(b, "Bayraktar") == 0,
              "highlights fall on the matched words: %s, %s", a, b);
    }
    CHECK(nidx_results_hit(r, 99) == NULL, "out-of-range hit is NULL");
    nidx_results_free(r);

    nidx_search_options_t o;
    nidx_search_options_init(&o);
    o.exact_total = true;
    o.limit = 1;
    CHECK(nidx_search(s, "serbia bayraktar", &o, &r, &err) == NIDX_OK &&
              nidx_results_total(r) == 3 && nidx_results_count(r) == 1,
          "exact_total counts every match across both tiers");
    nidx_results_free(r);

    o.exact_total = false;
    o.facets = true;
    uint64_t count = 0;
    CHECK(nidx_search(s, "serbia bayraktar", &o, &r, &err) == NIDX_OK &&
              nidx_results_facet_size(r, NIDX_FACET_SOURCE) == 1 &&
              strcmp(nidx_results_facet_value(r, NIDX_FACET_SOURCE, 0, &count),
                     "Test") == 0 &&
              count == 3,
          "facets count every match, over both tiers");
    CHECK(nidx_results_facet_value(r, NIDX_FACET_MONTH, 0, &count) &&
              strcmp(nidx_results_facet_value(r, NIDX_FACET_MONTH, 0, NULL),
                     "2022-03") == 0 &&
              nidx_results_facet_value(r, NIDX_FACET_MONTH, 1, NULL) == NULL,
          "the month facet, from the date");
    CHECK(nidx_results_facet_value(r, (nidx_facet_t)7, 0, NULL) == NULL,
          "an unknown facet has no values");
    nidx_results_free(r);

    CHECK(nidx_search(s, "无人机", NULL, &r, &err) == NIDX_OK &&
              nidx_results_count(r) == 1,
          "CJK search");
    h = nidx_results_hit(r, 0);
    CHECK(h && h->n_highlights == 1 &&
              h->highlights[0].end - h->highlights[0].start == 9 &&
              strncmp(h->snippet + h->highlights[0].start, "无人机", 9) == 0,
          "CJK highlight on the word, touching terms merged: %s",
          h ? h->snippet : "");
    nidx_results_free(r);

    /* A searcher sees new commits after reopening. */
    nidx_writer_t *w = open_writer();
    add(w, "late", "Late news", "okapi", NULL);
    nidx_writer_commit(w, &err);
    CHECK(nidx_searcher_reopen(s, &err) == NIDX_OK &&
              nidx_searcher_article_count(s) == 11,
          "reopen sees a new commit while the writer is open");
    nidx_writer_close(w, &err);
    nidx_searcher_close(s);

    CHECK(nidx_searcher_open("/nonexistent/nidx", &s, &err) ==
                  NIDX_ERROR_NO_INDEX &&
              strstr(err.message, "/nonexistent/nidx"),
          "no index: a clear error naming the path: %s", err.message);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    build();
    test_search();
    test_hits();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
    return tap_done();
}
