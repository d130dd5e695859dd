/*
 * present.h — how nsearch shows results: text for people, JSON for
 * programs. The only place that knows about terminals and JSON output.
 */
#ifndef NIDX_QUERY_PRESENT_H
#define NIDX_QUERY_PRESENT_H

#include <stdbool.h>
#include <stdio.h>

#include "nidx.h"

/* Ranked hits for a person; `bold` marks titles and matched words with
   terminal bold. */
void present_text(FILE *out, const char *query, const nidx_results_t *r,
                  unsigned offset, bool bold, bool facets);

/* The results as nidx_results_json() writes them (nidx.h), on a line.
   Returns false when out of memory. */
bool present_json(FILE *out, const nidx_results_t *r);

/* A query of a batch (nsearch --batch): its id and how long it took. */
typedef struct batch_query {
    const char *qid;
    double took_ms;
} batch_query_t;

/* One line: {"qid": ID, "took_ms": MS, then the keys of present_json}. */
bool present_batch(FILE *out, const batch_query_t *b, const nidx_results_t *r);

/* One line for a query that failed: {"qid": ID, "query": Q, "error": MSG}. */
bool present_batch_error(FILE *out, const char *qid, const char *query,
                         const char *message);

#endif
