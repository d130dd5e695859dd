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
#include <stdio.h>

#include "nidx.h"
#include "serve.h"

typedef struct server {
    serve_config_t config;
    FILE *access_log;        /* NULL: off (--access-log) */
    pthread_mutex_t logging; /* one line at a time */
    unsigned id_prefix;      /* request ids: this, then a counter */
    _Atomic unsigned long requests;
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
    /* For the access log and the X-Request-Id header: */
    char *uri;        /* the address as sent (cut at SERVE_LOG_URI) */
    char method[12];  /* GET, POST... */
    char version[12]; /* HTTP/1.1 */
    char id[SERVE_MAX_REQUEST_ID + 1]; /* the client's, or made here */
    char client[48];                   /* its address, for the log */
    char *referer, *agent; /* its headers, for the log (cut), or NULL */
    double started;        /* when its headers were in */
    unsigned status;       /* the status answered; 0: none yet */
    size_t bytes;          /* the body answered */
} request_t;

/* The request the calling thread is answering (set around each call of
   the endpoints), so that every response carries its id and the access
   log its status; NULL outside. */
extern _Thread_local request_t *answering;

/*
 * The calling thread's searcher, opened on first use and moved to the
 * newest commit when one appeared (looked for every SERVE_FRESH_SECONDS);
 * NULL with *err set when there is no index (yet).
 */
nidx_searcher_t *server_searcher(server_t *s, bool fresh, nidx_error_t *err);

/*
 * Runs a search with the server's time limit, a costly one (many hits,
 * facets, wildcards) only while all threads but one are not already
 * running one: otherwise NIDX_ERROR_UNAVAILABLE ("busy"). *r as
 * nidx_search() gives it.
 */
nidx_status_t server_search(server_t *s, const char *q,
                            const nidx_search_options_t *options,
                            nidx_results_t **r, nidx_error_t *err);

/* The HTTP status that answers a library error. */
unsigned server_http_status(nidx_status_t st);

/* The search page and the article page, rendered here (page.c): GET /. */
enum MHD_Result page_answer(server_t *s, struct MHD_Connection *c);

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
