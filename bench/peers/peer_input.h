/*
 * peer_input.h — what the peer programs share: reading articles from JSON
 * Lines (plain or gzip) and queries from "qid<TAB>text" files, and a clock.
 * Peers are benchmark harnesses for other engines, not part of nidx.
 */
#ifndef NIDX_BENCH_PEER_INPUT_H
#define NIDX_BENCH_PEER_INPUT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct peer_article {
    const char *id, *title, *body; /* valid during the callback */
} peer_article_t;

/* Calls fn for every record of the file; returns the bytes of title and
   body read, or -1 when the file cannot be opened. */
double peer_read_articles(const char *path,
                          void (*fn)(void *context, const peer_article_t *a),
                          void *context);

/* Calls fn(context, qid, text) for each line of a queries file; returns
   the number of queries, or -1 when the file cannot be opened. */
int peer_read_queries(const char *path,
                      void (*fn)(void *context, const char *qid,
                                 const char *text),
                      void *context);

/* Seconds on a monotonic clock. */
double peer_now(void);

#ifdef __cplusplus
}
#endif

#endif
