/*
 * serve.h — nidx serve: the archive's search service over HTTP.
 *
 *   serve.c      the daemon: listening, threads, a searcher per thread kept
 *                fresh, the writer for POST, signals
 *   endpoints.c  what each path answers: /search, /articles, /health,
 *                /stats, the page's assets
 *   params.c     a search's parameters: one vocabulary with the library
 *                and nsearch, anything else refused
 *   page.c       the search and article pages, rendered as HTML
 *   page/        the page's style and script (which only enhances it),
 *                built into the binary by embed.sh: nothing is read from
 *                disk
 *
 * The JSON comes from libnidx (nidx.h), so that /search answers the same
 * bytes as nsearch --json.
 */
#ifndef NIDX_SERVER_SERVE_H
#define NIDX_SERVER_SERVE_H

#include <stdbool.h>
#include <stddef.h>

/* The port nidx serve listens on unless told otherwise. */
#define SERVE_DEFAULT_PORT 8077

/* Limits on what a client may ask (documented in nidx(1)). */
#define SERVE_MAX_LIMIT 1000          /* hits on one page */
#define SERVE_MAX_OFFSET 100000       /* hits skipped */
#define SERVE_MAX_BODY (32u << 20)    /* bytes of a POST body */
#define SERVE_MAX_CONNECTIONS 256     /* open at once */
#define SERVE_MAX_REQUEST (64u << 10) /* bytes of a request's line+headers */
/* Memory libmicrohttpd gives a connection: room to read a request over
   SERVE_MAX_REQUEST and refuse it in JSON (414, 431); past this, the HTTP
   layer answers itself. */
#define SERVE_CONNECTION_MEMORY (3 * SERVE_MAX_REQUEST)
#define SERVE_CONNECTION_TIMEOUT 30 /* seconds a connection may idle */
#define SERVE_MAX_TOKEN 1024        /* characters of the write token */
/* A search is costly when it asks for more hits than this, facets, or
   words with wildcards; costly searches run on all threads but one at
   once (one when there is one thread), so that ordinary ones always find
   a thread free. */
#define SERVE_CHEAP_LIMIT 50
/* An X-Request-Id a client sends is echoed when it is at most this long
   and made of letters, digits and . _ : - (else one is made). */
#define SERVE_MAX_REQUEST_ID 64
/* The access log keeps this much of a request's address. */
#define SERVE_LOG_URI 4096
/* A thread's searcher looks for newer commits at most this often. */
#define SERVE_FRESH_SECONDS 0.5

typedef struct serve_config {
    const char *index;      /* the index directory */
    const char *listen;     /* "ADDR:PORT", "[ADDR6]:PORT" or NULL */
    unsigned threads;       /* 0: one per core */
    const char *token_file; /* NULL: read-only */
    double time_limit;      /* seconds a search may take */
    const char *access_log; /* a file to append a line a request to, "-"
                               for standard error, NULL: none */
} serve_config_t;

/*
 * Runs the server until SIGTERM or SIGINT, then stops taking connections,
 * lets the requests in flight finish (a POST commits its articles) and
 * returns 0; 2 when it cannot start (the message on standard error).
 */
int serve_run(const serve_config_t *config);

#endif
