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

/*
 * Reads every article's stored fields and its whole body (each body's
 * checksum, each dictionary's), for nidx_index_check_each(): `report` is
 * called for each one that cannot be read, naming the article. Fails only
 * when reading the index itself does.
 */
nidx_status_t searcher_check_bodies(nidx_searcher_t *searcher,
                                    nidx_diagnostic_fn report, void *context,
                                    nidx_error_t *err);

#endif
