/*
 * access_log.c — each request's id, and its line in the access log: the
 * Combined Log Format that web servers write and log tools read, then the
 * request id and the milliseconds it took, so that an operator can match
 * a complaint (the X-Request-Id a client saw) to a line:
 *
 *   127.0.0.1 - - [07/Dec/2026:22:33:48 +0000] "GET /search?q=x HTTP/1.1"
 *   200 1234 "-" "curl/7.88.1" 5f3a09c1-00000002 2.417
 *
 * (one line). Quoted fields are written with their bytes below 0x20 or
 * from 0x7F, quotes and backslashes as \xHH: nothing a client sends can
 * start a line of its own or break a field.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "access_log.h"

/* Bytes of a Referer or User-Agent kept. */
#define LOG_HEADER_MAX 512

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Whether a client's X-Request-Id may be echoed. */
static bool sane_id(const char *id)
{
    size_t n = strlen(id);
    return n >= 1 && n <= SERVE_MAX_REQUEST_ID &&
           strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      "0123456789._:-") == n;
}

static char *header_copy(struct MHD_Connection *c, const char *name)
{
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
    return v ? strndup(v, LOG_HEADER_MAX) : NULL;
}

void access_log_begin(server_t *s, struct MHD_Connection *c, request_t *r,
                      const char *method, const char *version)
{
    r->started = now_seconds();
    snprintf(r->method, sizeof r->method, "%s", method);
    snprintf(r->version, sizeof r->version, "%s", version);
    const char *given =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Request-Id");
    if (given && sane_id(given))
        snprintf(r->id, sizeof r->id, "%s", given);
    else
        snprintf(r->id, sizeof r->id, "%08x-%08lx", s->id_prefix,
                 (unsigned long)++s->requests & 0xFFFFFFFFul);
    if (!s->access_log)
        return;
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *a = info ? info->client_addr : NULL;
    snprintf(r->client, sizeof r->client, "-");
    if (a && a->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)a)->sin_addr,
                  r->client, sizeof r->client);
    else if (a && a->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)a)->sin6_addr,
                  r->client, sizeof r->client);
    r->referer = header_copy(c, "Referer");
    r->agent = header_copy(c, "User-Agent");
}

/* A quoted field: "-" when absent. */
static void quoted(FILE *out, const char *s)
{
    if (!s) {
        fputs("\"-\"", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *u = (const unsigned char *)s; *u; u++)
        if (*u < 0x20 || *u >= 0x7F || *u == '"' || *u == '\\')
            fprintf(out, "\\x%02X", *u);
        else
            fputc(*u, out);
    fputc('"', out);
}

void access_log_write(server_t *s, const request_t *r)
{
    if (!s->access_log || !r->begun)
        return;
    char when[40];
    struct tm tm;
    time_t t = time(NULL);
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%d/%b/%Y:%H:%M:%S +0000", &tm);
    /* The request line, rebuilt: "METHOD URI VERSION", quoted whole. */
    size_t n = strlen(r->method) + (r->uri ? strlen(r->uri) : 1) +
               strlen(r->version) + 3;
    char *line = malloc(n);
    if (line)
        snprintf(line, n, "%s %s %s", r->method, r->uri ? r->uri : "-",
                 r->version);
    pthread_mutex_lock(&s->logging);
    fprintf(s->access_log, "%s - - [%s] ", r->client, when);
    quoted(s->access_log, line ? line : "-");
    if (r->status)
        fprintf(s->access_log, " %u %zu ", r->status, r->bytes);
    else /* the client went away before an answer */
        fputs(" 499 0 ", s->access_log);
    quoted(s->access_log, r->referer);
    fputc(' ', s->access_log);
    quoted(s->access_log, r->agent);
    fprintf(s->access_log, " %s %.3f\n", r->id,
            (now_seconds() - r->started) * 1000);
    fflush(s->access_log);
    pthread_mutex_unlock(&s->logging);
    free(line);
}
