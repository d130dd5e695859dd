/*
 * server_impl.h — what serve.c and endpoints.c share: the server's state,
 * one request being answered, and the helpers to answer it.
 */
#ifndef NIDX_SERVER_IMPL_H
#define NIDX_SERVER_IMPL_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "nidx.h"
#include "serve.h"

typedef struct server {
    serve_config_t config;
    char *token;                /* the bearer token; NULL: read-only */
    pthread_mutex_t writing;    /* one POST writes at a time */
    pthread_key_t searcher;     /* each thread's nidx_searcher_t */
    _Atomic unsigned in_flight; /* requests begun and not yet answered */
    _Atomic unsigned costly;    /* costly searches running (endpoints.c) */
} server_t;

/* A request in progress: its body as it arrives (POST). */
typedef struct request {
    char *body;
    size_t len, cap;
    bool too_large;  /* the body passed SERVE_MAX_BODY: answered 413 */
    bool answered;   /* a response is queued (refused early, or done) */
    bool begun;      /* its headers are in: counted in flight */
    bool nul_in_uri; /* the address, as sent, holds %00 */
} request_t;

/*
 * The calling thread's searcher, opened on first use and moved to the
 * newest commit when one appeared (looked for every SERVE_FRESH_SECONDS);
 * NULL with *err set when there is no index (yet).
 */
nidx_searcher_t *server_searcher(server_t *s, bool fresh, nidx_error_t *err);

/* Queues a response of `len` bytes of `body` (taken: freed by MHD). */
enum MHD_Result answer(struct MHD_Connection *c, unsigned status,
                       const char *type, char *body, size_t len);

/* {"error": MESSAGE[, "position": N]} with the status. */
enum MHD_Result answer_error(struct MHD_Connection *c, unsigned status,
                             const char *message, unsigned position);

/* Answers a complete request (the body, if any, in r). */
enum MHD_Result endpoint_dispatch(server_t *s, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  request_t *r);

/* On a request's first call (headers read, body not yet): whether it is
   refused before its body is read (an address holding %00, a request line
   or headers too long, a POST without the token, or too large), the
   refusal queued. */
bool endpoint_refuse_early(server_t *s, struct MHD_Connection *c,
                           const char *url, const request_t *r,
                           const char *method);

/* The page's files, built in (assets.c, made by embed.sh). */
typedef struct asset {
    const char *path; /* "/", "/app.js", ... */
    const char *type; /* its Content-Type */
    const char *data;
    size_t len;
} asset_t;
extern const asset_t server_assets[];
extern const size_t server_n_assets;

#endif
