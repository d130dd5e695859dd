/*
 * xshim_query.cc — queries built from the C side's terms and operators.
 */
#include "xshim_impl.h"

using namespace xshim;

xshim_query_t *xshim_query_nothing(void)
{
    try {
        return new xshim_query{Xapian::Query::MatchNothing};
    } catch (...) {
        return nullptr;
    }
}

xshim_query_t *xshim_query_scaled_term(const char *term, size_t len,
                                       double factor)
{
    try {
        return new xshim_query{
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                          Xapian::Query(std::string(term, len)), factor)};
    } catch (...) {
        return nullptr;
    }
}

xshim_query_t *xshim_query_scaled(xshim_query_t *q, double factor)
{
    try {
        q->query =
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->query, factor);
        return q;
    } catch (...) {
        xshim_query_free(q);
        return nullptr;
    }
}

xshim_query_t *xshim_query_copy(const xshim_query_t *q)
{
    try {
        return new xshim_query{q->query};
    } catch (...) {
        return nullptr;
    }
}

xshim_query_t *xshim_query_term(const char *term, size_t len)
{
    try {
        return new xshim_query{Xapian::Query(std::string(term, len))};
    } catch (...) {
        return nullptr;
    }
}

xshim_query_t *xshim_query_combine(xshim_op_t op, xshim_query_t **subs,
                                   size_t n)
{
    xshim_query_t *q = nullptr;
    try {
        std::vector<Xapian::Query> parts;
        parts.reserve(n);
        for (size_t i = 0; i < n; i++)
            parts.push_back(subs[i]->query);
        Xapian::Query::op xop = Xapian::Query::OP_AND;
        switch (op) {
        case XSHIM_AND: xop = Xapian::Query::OP_AND; break;
        case XSHIM_OR: xop = Xapian::Query::OP_OR; break;
        case XSHIM_AND_NOT: xop = Xapian::Query::OP_AND_NOT; break;
        case XSHIM_PHRASE: xop = Xapian::Query::OP_PHRASE; break;
        case XSHIM_SYNONYM: xop = Xapian::Query::OP_SYNONYM; break;
        case XSHIM_AND_MAYBE: xop = Xapian::Query::OP_AND_MAYBE; break;
        case XSHIM_FILTER: xop = Xapian::Query::OP_FILTER; break;
        }
        q = new xshim_query{Xapian::Query(xop, parts.begin(), parts.end(), 0)};
    } catch (...) {
        q = nullptr;
    }
    for (size_t i = 0; i < n; i++)
        delete subs[i];
    return q;
}

xshim_query_t *xshim_query_near(xshim_query_t **subs, size_t n, unsigned window)
{
    xshim_query_t *q = nullptr;
    try {
        std::vector<Xapian::Query> parts;
        for (size_t i = 0; i < n; i++)
            parts.push_back(subs[i]->query);
        q = new xshim_query{Xapian::Query(Xapian::Query::OP_NEAR, parts.begin(),
                                          parts.end(), window)};
    } catch (...) {
        q = nullptr;
    }
    for (size_t i = 0; i < n; i++)
        delete subs[i];
    return q;
}

xshim_query_t *xshim_reader_prefix_query(xshim_reader_t *r, const char *prefix,
                                         size_t len, size_t max_terms)
{
    /* Expanded here over the whole index rather than by OP_WILDCARD,
       which Xapian 1.4 expands shard by shard: the chosen terms and their
       statistics would then differ between shards, and so would scores. */
    try {
        std::vector<std::pair<Xapian::doccount, std::string>> terms;
        std::string p(prefix, len);
        reader_retry(r, [&]() {
            terms.clear();
            for (auto t = r->db.allterms_begin(p); t != r->db.allterms_end(p);
                 ++t)
                terms.emplace_back(t.get_termfreq(), *t);
        });
        if (terms.size() > max_terms) {
            std::nth_element(
                terms.begin(), terms.begin() + max_terms, terms.end(),
                [](const std::pair<Xapian::doccount, std::string> &a,
                   const std::pair<Xapian::doccount, std::string> &b) {
                    return a.first > b.first ||
                           (a.first == b.first && a.second < b.second);
                });
            terms.resize(max_terms);
        }
        std::vector<Xapian::Query> subs;
        for (const auto &t : terms)
            subs.emplace_back(t.second);
        return new xshim_query{
            Xapian::Query(Xapian::Query::OP_SYNONYM, subs.begin(), subs.end())};
    } catch (...) {
        return nullptr;
    }
}

xshim_query_t *xshim_query_value_range(unsigned slot, const char *lo,
                                       const char *hi)
{
    try {
        Xapian::Query q;
        if (lo && hi)
            q = Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi);
        else if (lo)
            q = Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo);
        else
            q = Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi ? hi : "");
        return new xshim_query{q};
    } catch (...) {
        return nullptr;
    }
}

void xshim_query_free(xshim_query_t *q)
{
    delete q;
}
