/* match.c — tiered matching: all clauses first, then any of them. */
#include "match.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

typedef xshim_query_t *(*build_fn)(const void *items, size_t i);

/* build(items, i) for i < n, combined with `op`; NULL when out of memory. */
static xshim_query_t *combine_built(xshim_op_t op, size_t n, build_fn build,
                                    const void *items)
{
    xshim_query_t **subs = calloc(n, sizeof *subs);
    if (!subs)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!(subs[i] = build(items, i))) {
            while (i-- > 0)
                xshim_query_free(subs[i]);
            free(subs);
            return NULL;
        }
    xshim_query_t *q = xshim_query_combine(op, subs, n);
    free(subs);
    return q;
}

static xshim_query_t *term_query(const void *terms, size_t i)
{
    const char *term = ((char *const *)terms)[i];
    return xshim_query_term(term, strlen(term));
}

static xshim_query_t *clause_query(const void *clauses, size_t i)
{
    const clause_t *c = (const clause_t *)clauses + i;
    if (c->kind == CLAUSE_TERM)
        return term_query(c->terms, 0);
    return combine_built(XSHIM_PHRASE, c->n_terms, term_query, c->terms);
}

/* The clauses combined with `op`; NULL when out of memory. */
static xshim_query_t *combine_clauses(const parsed_query_t *pq, xshim_op_t op)
{
    return combine_built(op, pq->n_clauses, clause_query, pq->clauses);
}

/* Tier two: any clause, but not all of them. */
static xshim_query_t *some_not_all(const parsed_query_t *pq)
{
    xshim_query_t *pair[2] = {combine_clauses(pq, XSHIM_OR),
                              combine_clauses(pq, XSHIM_AND)};
    if (!pair[0] || !pair[1]) {
        xshim_query_free(pair[0]);
        xshim_query_free(pair[1]);
        return NULL;
    }
    return xshim_query_combine(XSHIM_AND_NOT, pair, 2);
}

nidx_status_t match_run(xshim_reader_t *reader, const parsed_query_t *pq,
                        unsigned offset, unsigned limit, xshim_match_t *out,
                        size_t *n, uint64_t *total, nidx_error_t *err)
{
    xshim_counts_t all_counts, some_counts;
    xshim_query_t *all = NULL, *some = NULL;
    nidx_status_t st;
    size_t got = 0, more = 0;

    *n = 0;
    *total = 0;
    all = combine_clauses(pq, XSHIM_AND);
    if (!all)
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    /* Checking offset + limit documents makes the count exact whenever
       tier one ends on this page, which tier two's offset depends on. */
    st = xshim_reader_match(reader, all, offset, limit, offset + limit, out,
                            &got, &all_counts, err);
    xshim_query_free(all);
    if (st != NIDX_OK || pq->n_clauses == 1) {
        *n = got;
        *total = all_counts.estimated;
        return st;
    }
    some = some_not_all(pq);
    if (!some)
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    unsigned tier_two_offset = 0, want = 0;
    if (got < limit) {
        uint64_t tier_one = all_counts.lower; /* exact here */
        tier_two_offset = offset > tier_one ? (unsigned)(offset - tier_one) : 0;
        want = limit - (unsigned)got;
    }
    st = xshim_reader_match(reader, some, tier_two_offset, want,
                            tier_two_offset + want, out + got, &more,
                            &some_counts, err);
    xshim_query_free(some);
    if (st != NIDX_OK)
        return st;
    *n = got + more;
    *total = all_counts.estimated + some_counts.estimated;
    return NIDX_OK;
}
