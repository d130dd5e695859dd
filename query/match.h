/*
 * match.h — from parsed clauses to ranked matches, through the Xapian shim.
 *
 * Ranking is in two tiers: articles holding every clause first, then those
 * holding only some; BM25 orders each tier. A page of results may span the
 * two, and paging through them is seamless.
 */
#ifndef NIDX_QUERY_MATCH_H
#define NIDX_QUERY_MATCH_H

#include "parse.h"
#include "xapian_shim.h"

/*
 * Stores the matches at ranks [offset, offset + limit) in out[] (room for
 * `limit`), their number in *n, and the estimated number of all matches
 * in *total.
 */
nidx_status_t match_run(xshim_reader_t *reader, const parsed_query_t *q,
                        unsigned offset, unsigned limit, xshim_match_t *out,
                        size_t *n, uint64_t *total, nidx_error_t *err);

#endif
