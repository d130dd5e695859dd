/*
 * endpoints.c — what nidx serve answers on each path. Every answer is
 * JSON made by libnidx or json-c (escaped there), or a built-in file.
 *
 *   GET  /search?q=...      nsearch --json's bytes for the same options
 *   GET  /articles/{id}     the stored article
 *   POST /articles          JSON Lines added (Authorization: Bearer)
 *   GET  /health, /stats    the article count; nidx stats --json
 *   GET  /?q=...            the search page, rendered by page.c
 *   GET  /app.js, /app.css  its script and style
 */
#include <json-c/json.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "params.h"
#include "server_impl.h"

#define JSON_TYPE "application/json; charset=utf-8"

/* As answer(), with an Allow header when `allow` is not NULL. */
static enum MHD_Result respond(struct MHD_Connection *c, unsigned status,
                               const char *type, char *body, size_t len,
                               const char *allow)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    if (strncmp(type, "text/html", 9) == 0)
        /* The page's own script and style only, nothing inline, nothing
           from elsewhere: markup smuggled into an article cannot run. */
        MHD_add_response_header(
            r, "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; "
            "connect-src 'self'; img-src 'self'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'");
    else
        MHD_add_response_header(r, "Cache-Control", "no-store");
    if (status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(r, "WWW-Authenticate", "Bearer");
    if (allow)
        MHD_add_response_header(r, "Allow", allow);
    if (status == MHD_HTTP_SERVICE_UNAVAILABLE) /* busy, a shard down */
        MHD_add_response_header(r, "Retry-After", "1");
    if (answering) { /* for the access log, and the client's to quote */
        answering->status = status;
        answering->bytes = len;
        if (answering->id[0])
            MHD_add_response_header(r, "X-Request-Id", answering->id);
    }
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

enum MHD_Result answer(struct MHD_Connection *c, unsigned status,
                       const char *type, char *body, size_t len)
{
    return respond(c, status, type, body, len, NULL);
}

/* Answers the text of a JSON object with a line break, as nsearch prints
   it; takes `json` (malloc'd). */
static enum MHD_Result answer_json(struct MHD_Connection *c, unsigned status,
                                   char *json, size_t len)
{
    char *body = realloc(json, len + 2);
    if (!body) {
        free(json);
        return MHD_NO;
    }
    body[len] = '\n';
    body[len + 1] = '\0';
    return answer(c, status, JSON_TYPE, body, len + 1);
}

/* Answers an object built here; takes it. */
static enum MHD_Result answer_object(struct MHD_Connection *c, unsigned status,
                                     json_object *o)
{
    size_t len;
    const char *text = json_object_to_json_string_length(
        o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    char *copy = text ? strdup(text) : NULL;
    json_object_put(o);
    return copy ? answer_json(c, status, copy, len) : MHD_NO;
}

enum MHD_Result answer_error(struct MHD_Connection *c, unsigned status,
                             const char *message, unsigned position)
{
    json_object *o = json_object_new_object();
    if (!o)
        return MHD_NO;
    json_object_object_add(o, "error", json_object_new_string(message));
    if (position)
        json_object_object_add(o, "position", json_object_new_int64(position));
    return answer_object(c, status, o);
}

/* The HTTP status for a library error. */
unsigned server_http_status(nidx_status_t st)
{
    switch (st) {
    case NIDX_ERROR_QUERY:
    case NIDX_ERROR_ARGUMENT:
    case NIDX_ERROR_INPUT: return MHD_HTTP_BAD_REQUEST;
    case NIDX_ERROR_NOT_FOUND: return MHD_HTTP_NOT_FOUND;
    case NIDX_ERROR_UNAVAILABLE: return MHD_HTTP_SERVICE_UNAVAILABLE;
    case NIDX_ERROR_NO_INDEX: return MHD_HTTP_SERVICE_UNAVAILABLE;
    case NIDX_ERROR_LOCKED: return MHD_HTTP_CONFLICT;
    default: return MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
}

static enum MHD_Result answer_status(struct MHD_Connection *c,
                                     const nidx_error_t *err)
{
    return answer_error(c, server_http_status(err->status), err->message,
                        err->status == NIDX_ERROR_QUERY ? err->position : 0);
}

/* ---- GET /search ---- */

/* For tests only: with NIDX_TEST_HOLD_COSTLY naming a file, a costly
   search, once let in, waits while the file is there (20 s at most), so
   that a test can hold one running and see what others get. */
static void test_hold_costly(void)
{
    const char *file = getenv("NIDX_TEST_HOLD_COSTLY");
    if (file && access(file, F_OK) == 0) {
        fprintf(stderr, "nidx serve: holding a costly search (test)\n");
        fflush(stderr);
    }
    for (int i = 0; file && i < 2000 && access(file, F_OK) == 0; i++)
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
}

nidx_status_t server_search(server_t *s, const char *q,
                            const nidx_search_options_t *options,
                            nidx_results_t **r, nidx_error_t *err)
{
    nidx_search_options_t o = *options;
    o.time_limit = s->config.time_limit;
    *r = NULL;
    /* Costly searches (many hits, facets, wildcards: what a client can
       make expensive) take at most all threads but one: ordinary searches
       always find one free. Over that, 503 and Retry-After. */
    bool costly =
        o.limit > SERVE_CHEAP_LIMIT || o.facets || (!o.plain && strchr(q, '*'));
    unsigned most = s->config.threads > 1 ? s->config.threads - 1 : 1;
    if (costly && atomic_fetch_add(&s->costly, 1) >= most) {
        atomic_fetch_sub(&s->costly, 1);
        err->status = NIDX_ERROR_UNAVAILABLE;
        err->position = 0;
        snprintf(err->message, sizeof err->message,
                 "busy: %u costly searches (over %d hits, facets or "
                 "wildcards) run at once at most; try again in a moment",
                 most, SERVE_CHEAP_LIMIT);
        return err->status;
    }
    if (costly)
        test_hold_costly();
    nidx_searcher_t *searcher = server_searcher(s, false, err);
    nidx_status_t st =
        searcher ? nidx_search(searcher, q, &o, r, err) : err->status;
    if (costly)
        atomic_fetch_sub(&s->costly, 1);
    return st;
}

static enum MHD_Result search(server_t *s, struct MHD_Connection *c)
{
    nidx_error_t err;
    params_t p;
    char why[600];
    unsigned refused = params_read(c, PARAMS_API, &p, why, sizeof why);
    if (refused)
        return answer_error(c, refused, why, 0);
    nidx_results_t *r;
    char *json;
    size_t len;
    if (server_search(s, p.query, &p.options, &r, &err) != NIDX_OK)
        return answer_status(c, &err);
    nidx_status_t st = nidx_results_json(r, &json, &len, &err);
    nidx_results_free(r);
    return st == NIDX_OK ? answer_json(c, MHD_HTTP_OK, json, len)
                         : answer_status(c, &err);
}

/* ---- /articles ---- */

static enum MHD_Result article(server_t *s, struct MHD_Connection *c,
                               const char *id)
{
    nidx_error_t err;
    nidx_article_t *a;
    char *json;
    size_t len;
    nidx_searcher_t *searcher = server_searcher(s, false, &err);
    if (!searcher ||
        nidx_searcher_find_article(searcher, id, &a, &err) != NIDX_OK)
        return answer_status(c, &err);
    nidx_status_t st = nidx_article_json(a, &json, &len, &err);
    nidx_article_free(a);
    return st == NIDX_OK ? answer_json(c, MHD_HTTP_OK, json, len)
                         : answer_status(c, &err);
}

/* Whether `given` is the token, in time independent of where they
   differ (and of the token's length, beyond the length given). */
static bool token_matches(const char *token, const char *given)
{
    size_t n = strlen(token), m = strlen(given);
    unsigned char diff = n != m;
    for (size_t i = 0; i < m; i++)
        diff |= (unsigned char)(given[i] ^ token[i % n]);
    return diff == 0;
}

/* Why a POST may not write, as a status (0: it may). */
static unsigned refusal(const server_t *s, struct MHD_Connection *c,
                        const char **why)
{
    if (!s->token) {
        *why = "this server is read-only (start it with --token-file to "
               "take articles)";
        return MHD_HTTP_FORBIDDEN;
    }
    const char *auth =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!auth || strncmp(auth, "Bearer ", 7) != 0 ||
        !token_matches(s->token, auth + 7)) {
        *why = "a valid 'Authorization: Bearer TOKEN' header is needed";
        return MHD_HTTP_UNAUTHORIZED;
    }
    return 0;
}

typedef struct post_report {
    json_object *errors;
    unsigned listed;
} post_report_t;

/* Most per-line problems listed in a reply; the count is always there. */
#define MAX_LISTED 1000

static void on_diagnostic(void *context, const nidx_diagnostic_t *d)
{
    post_report_t *pr = context;
    if (pr->listed++ >= MAX_LISTED)
        return;
    json_object *e = json_object_new_object();
    if (!e)
        return;
    json_object_object_add(e, "line", json_object_new_int64((int64_t)d->line));
    json_object_object_add(
        e, "skipped", json_object_new_boolean(d->skipped != NIDX_SKIP_NONE));
    json_object_object_add(e, "message", json_object_new_string(d->message));
    json_object_array_add(pr->errors, e);
}

/*
 * Lines of a POST body holding a NUL byte (no JSON text may): each is
 * reported and blanked, the others are read; the number refused is
 * returned. (Read as a whole, the body would be taken for a binary file.)
 */
static uint64_t refuse_nul_lines(char *body, size_t len, post_report_t *report)
{
    uint64_t refused = 0, line = 1;
    for (size_t start = 0; start < len; line++) {
        char *nl = memchr(body + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - body) : len;
        if (memchr(body + start, '\0', end - start)) {
            char message[96];
            snprintf(message, sizeof message,
                     "body:%llu: the line holds a NUL byte",
                     (unsigned long long)line);
            nidx_diagnostic_t d = {"body", line, NIDX_ERROR_INPUT,
                                   NIDX_SKIP_RECORD, message};
            on_diagnostic(report, &d);
            memset(body + start, ' ', end - start);
            refused++;
        }
        start = end + 1;
    }
    return refused;
}

static enum MHD_Result add_articles(server_t *s, struct MHD_Connection *c,
                                    request_t *r)
{
    const char *why;
    unsigned refused = refusal(s, c, &why);
    char message[160];
    if (refused)
        return answer_error(c, refused, why, 0);
    if (r->too_large) {
        snprintf(message, sizeof message,
                 "the body is larger than %u MB: send fewer articles at once",
                 SERVE_MAX_BODY >> 20);
        return answer_error(c, MHD_HTTP_CONTENT_TOO_LARGE, message, 0);
    }
    if (r->len == 0)
        return answer_error(c, MHD_HTTP_BAD_REQUEST,
                            "the body is empty: send JSON Lines, one article "
                            "a line",
                            0);
    nidx_writer_t *w;
    nidx_error_t err, closing;
    nidx_add_stats_t stats = {0};
    post_report_t report = {json_object_new_array(), 0};
    if (!report.errors)
        return MHD_NO;
    uint64_t nul_lines = refuse_nul_lines(r->body, r->len, &report);
    pthread_mutex_lock(&s->writing);
    fprintf(stderr,
            "nidx serve: adding the articles of a request (%zu bytes)\n",
            r->len);
    /* Another writer (nidx add, nidx remove) may hold the index a moment:
       tried again for a few seconds before answering 409. */
    nidx_status_t st = NIDX_ERROR_LOCKED;
    for (int tries = 0; st == NIDX_ERROR_LOCKED && tries < 50; tries++) {
        if (tries)
            nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
        st = nidx_writer_open(s->config.index, &w, &err);
    }
    if (st == NIDX_OK) {
        st = nidx_writer_add_jsonl(w, "body", r->body, r->len, &stats,
                                   on_diagnostic, &report, &err);
        /* Closing commits: once the reply is sent, the articles are
           on disk, and searchable at the next look for changes. */
        nidx_status_t closed = nidx_writer_close(w, &closing);
        if (st == NIDX_OK && closed != NIDX_OK) {
            st = closed;
            err = closing;
        }
    }
    pthread_mutex_unlock(&s->writing);
    if (st != NIDX_OK) {
        json_object_put(report.errors);
        return answer_status(c, &err);
    }
    nidx_error_t ignored;
    server_searcher(s, true, &ignored); /* this thread sees them at once */
    json_object *o = json_object_new_object();
    if (!o) {
        json_object_put(report.errors);
        return MHD_NO;
    }
    json_object_object_add(o, "added", json_object_new_int64(stats.added));
    json_object_object_add(o, "replaced",
                           json_object_new_int64(stats.replaced));
    json_object_object_add(
        o, "skipped",
        json_object_new_int64((int64_t)(stats.skipped_records + nul_lines +
                                        stats.skipped_files)));
    json_object_object_add(o, "problems", json_object_new_int64(report.listed));
    json_object_object_add(o, "errors", report.errors);
    return answer_object(c, MHD_HTTP_OK, o);
}

/* ---- /health, /stats ---- */

static enum MHD_Result health(server_t *s, struct MHD_Connection *c)
{
    nidx_error_t err;
    nidx_searcher_t *searcher = server_searcher(s, false, &err);
    if (!searcher)
        return answer_status(c, &err);
    /* A search that matches nothing asks every shard: one that does not
       answer is left out, and said (part of the archive is missing). */
    nidx_search_options_t so;
    nidx_search_options_init(&so);
    so.limit = 0;
    so.snippets = false;
    nidx_results_t *r = NULL;
    if (nidx_search(searcher, "id:nidx-health-probe", &so, &r, &err) != NIDX_OK)
        return answer_status(c, &err);
    unsigned failed = nidx_results_shards_failed(r);
    json_object *o = json_object_new_object();
    if (!o) {
        nidx_results_free(r);
        return MHD_NO;
    }
    json_object_object_add(o, "status",
                           json_object_new_string(failed ? "degraded" : "ok"));
    if (failed) {
        json_object_object_add(o, "shards_failed",
                               json_object_new_int64(failed));
        json_object_object_add(
            o, "shards_failure",
            json_object_new_string(nidx_results_shards_failure(r)));
    }
    nidx_results_free(r);
    json_object_object_add(
        o, "articles",
        json_object_new_int64((int64_t)nidx_searcher_article_count(searcher)));
    json_object_object_add(
        o, "revision",
        json_object_new_int64((int64_t)nidx_searcher_revision(searcher)));
    json_object_object_add(o, "version",
                           json_object_new_string(nidx_version_string()));
    json_object_object_add(o, "writable",
                           json_object_new_boolean(s->token != NULL));
    return answer_object(c, MHD_HTTP_OK, o);
}

static enum MHD_Result stats(server_t *s, struct MHD_Connection *c)
{
    nidx_error_t err;
    char *json;
    size_t len;
    nidx_searcher_t *searcher = server_searcher(s, false, &err);
    if (!searcher || nidx_stats_json(searcher, &json, &len, &err) != NIDX_OK)
        return answer_status(c, &err);
    return answer_json(c, MHD_HTTP_OK, json, len);
}

/* ---- dispatch ---- */

static enum MHD_Result method_not_allowed(struct MHD_Connection *c,
                                          const char *allow)
{
    char message[80];
    snprintf(message, sizeof message, "this path takes %s", allow);
    json_object *o = json_object_new_object();
    if (!o)
        return MHD_NO;
    json_object_object_add(o, "error", json_object_new_string(message));
    size_t len;
    const char *text = json_object_to_json_string_length(
        o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    char *body = malloc(len + 2);
    if (body) {
        memcpy(body, text, len);
        body[len] = '\n';
    }
    json_object_put(o);
    return body ? respond(c, MHD_HTTP_METHOD_NOT_ALLOWED, JSON_TYPE, body,
                          len + 1, allow)
                : MHD_NO;
}

static enum MHD_Result asset(struct MHD_Connection *c, const asset_t *a)
{
    char *copy = malloc(a->len ? a->len : 1);
    if (!copy)
        return MHD_NO;
    memcpy(copy, a->data, a->len);
    return answer(c, MHD_HTTP_OK, a->type, copy, a->len);
}

enum MHD_Result endpoint_dispatch(server_t *s, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  request_t *r)
{
    bool get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
    bool post = !strcmp(method, "POST");
    if (!strcmp(url, "/articles"))
        return post ? add_articles(s, c, r) : method_not_allowed(c, "POST");
    if (!strncmp(url, "/articles/", 10) && url[10])
        return get ? article(s, c, url + 10)
                   : method_not_allowed(c, "GET, HEAD");
    static const struct {
        const char *path;
        enum MHD_Result (*fn)(server_t *, struct MHD_Connection *);
    } routes[] = {{"/search", search}, {"/health", health}, {"/stats", stats}};
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        if (!strcmp(url, routes[i].path))
            return get ? routes[i].fn(s, c)
                       : method_not_allowed(c, "GET, HEAD");
    if (!strcmp(url, "/"))
        return get ? page_answer(s, c) : method_not_allowed(c, "GET, HEAD");
    for (size_t i = 0; i < server_n_assets; i++)
        if (!strcmp(url, server_assets[i].path))
            return get ? asset(c, &server_assets[i])
                       : method_not_allowed(c, "GET, HEAD");
    return answer_error(c, MHD_HTTP_NOT_FOUND, "no such path", 0);
}

/* Adds up the bytes of a request's parameters or headers. */
static enum MHD_Result add_size(void *cls, enum MHD_ValueKind kind,
                                const char *key, size_t key_size,
                                const char *value, size_t value_size)
{
    (void)kind, (void)key, (void)value;
    *(size_t *)cls += key_size + value_size + 4; /* ": ", CRLF or "=&" */
    return MHD_YES;
}

bool endpoint_refuse_early(server_t *s, struct MHD_Connection *c,
                           const char *url, const request_t *r,
                           const char *method)
{
    const char *why;
    /* Unescaped, %00 would end the path or a parameter unseen: an id
       looked up cut short, a query searched cut short. */
    if (r->nul_in_uri) {
        answer_error(c, MHD_HTTP_BAD_REQUEST,
                     "the address holds a NUL byte (%00), which no path or "
                     "parameter may hold",
                     0);
        return true;
    }
    size_t line = strlen(url) + strlen(method) + 16, headers = 0;
    MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, add_size, &line);
    MHD_get_connection_values_n(c, MHD_HEADER_KIND, add_size, &headers);
    if (line > SERVE_MAX_REQUEST || line + headers > SERVE_MAX_REQUEST) {
        char message[160];
        snprintf(message, sizeof message, "the request %s over %u KiB",
                 line > SERVE_MAX_REQUEST ? "line is" : "line and headers are",
                 SERVE_MAX_REQUEST >> 10);
        answer_error(c,
                     line > SERVE_MAX_REQUEST
                         ? MHD_HTTP_URI_TOO_LONG
                         : MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE,
                     message, 0);
        return true;
    }
    if (strcmp(method, "POST") != 0 || strcmp(url, "/articles") != 0)
        return false;
    unsigned refused = refusal(s, c, &why);
    if (refused) {
        answer_error(c, refused, why, 0);
        return true;
    }
    const char *length =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (length && strtoull(length, NULL, 10) > SERVE_MAX_BODY) {
        char message[160];
        snprintf(message, sizeof message,
                 "the body is larger than %u MB: send fewer articles at once",
                 SERVE_MAX_BODY >> 20);
        answer_error(c, MHD_HTTP_CONTENT_TOO_LARGE, message, 0);
        return true;
    }
    return false;
}
