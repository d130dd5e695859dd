/*
 * results.h — what a result set remembers of the search that made it,
 * and a searcher of its index, for the modules that render them (json.c);
 * defined in search.c.
 */
#ifndef NIDX_QUERY_RESULTS_H
#define NIDX_QUERY_RESULTS_H

#include <stdbool.h>

#include "nidx.h"

/* The query text as given to nidx_search(). */
const char *results_query(const nidx_results_t *results);
/* The hits skipped (options.offset). */
unsigned results_offset(const nidx_results_t *results);
/* Whether facets were asked for (options.facets). */
bool results_facets_asked(const nidx_results_t *results);

/* The path the searcher was opened on. */
const char *searcher_path(const nidx_searcher_t *searcher);

#endif
