/*
 * serve.c — nidx serve's daemon: libmicrohttpd with a pool of threads,
 * each answering with a searcher of its own, kept on the newest commit.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "access_log.h"
#include "server_impl.h"

_Thread_local request_t *answering;

/* ---- each thread's searcher ---- */

typedef struct held {
    nidx_searcher_t *searcher;
    double checked; /* when it last looked for a newer commit */
} held_t;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void release_held(void *p)
{
    held_t *h = p;
    nidx_searcher_close(h->searcher);
    free(h);
}

nidx_searcher_t *server_searcher(server_t *s, bool fresh, nidx_error_t *err)
{
    held_t *h = pthread_getspecific(s->searcher);
    if (!h) {
        if (!(h = calloc(1, sizeof *h))) {
            snprintf(err->message, sizeof err->message, "out of memory");
            err->status = NIDX_ERROR_NOMEM;
            return NULL;
        }
        pthread_setspecific(s->searcher, h);
    }
    double now = now_seconds();
    if (!h->searcher) {
        if (nidx_searcher_open(s->config.index, &h->searcher, err) != NIDX_OK)
            return NULL;
        h->checked = now;
        return h->searcher;
    }
    bool changed = false;
    if (fresh || now - h->checked >= SERVE_FRESH_SECONDS) {
        h->checked = now;
        /* A failed look is not a failed request: the searcher still
           answers from the revision it has. */
        nidx_error_t e;
        if (nidx_searcher_changed(h->searcher, &changed, &e) == NIDX_OK &&
            changed)
            nidx_searcher_reopen(h->searcher, &e);
    }
    return h->searcher;
}

/* ---- requests ---- */

static enum MHD_Result take_request(void *cls, struct MHD_Connection *c,
                                    const char *url, const char *method,
                                    const char *version, const char *upload,
                                    size_t *upload_size, void **con_cls)
{
    server_t *s = cls;
    request_t *r = *con_cls;
    if (!r) /* on_uri made it; only out of memory leaves none */
        return MHD_NO;
    if (!r->begun) { /* the headers are in: the body, if any, comes next */
        r->begun = true;
        s->in_flight++;
        access_log_begin(s, c, r, method, version);
        r->answered = endpoint_refuse_early(s, c, url, r, method);
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (r->answered || r->too_large || r->len + n > SERVE_MAX_BODY) {
            r->too_large = true; /* read and dropped; answered at the end */
            return MHD_YES;
        }
        if (r->len + n + 1 > r->cap) {
            size_t cap = r->cap ? r->cap : 64 << 10;
            while (cap < r->len + n + 1)
                cap *= 2;
            char *p = realloc(r->body, cap);
            if (!p)
                return MHD_NO;
            r->body = p;
            r->cap = cap;
        }
        memcpy(r->body + r->len, upload, n);
        r->len += n;
        r->body[r->len] = '\0';
        return MHD_YES;
    }
    if (r->answered)
        return MHD_YES;
    r->answered = true;
    return endpoint_dispatch(s, c, url, method, r);
}

/* As take_request(), with `answering` set: every response made while
   it runs is this request's. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    answering = *con_cls;
    enum MHD_Result ok = take_request(cls, c, url, method, version, upload,
                                      upload_size, con_cls);
    answering = NULL;
    return ok;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
    server_t *s = cls;
    request_t *r = *con_cls;
    (void)c, (void)why;
    if (r) {
        access_log_write(s, r);
        if (r->begun)
            s->in_flight--;
        free(r->uri);
        free(r->referer);
        free(r->agent);
        free(r->body);
        free(r);
        *con_cls = NULL;
    }
}

/* A request's start, its address as sent (before unescaping, which would
   cut a %00 out of sight): the request's state begins here. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls, (void)c;
    request_t *r = calloc(1, sizeof *r);
    if (r) {
        r->nul_in_uri = strcasestr(uri, "%00") != NULL;
        r->uri = strndup(uri, SERVE_LOG_URI); /* NULL: logged as - */
    }
    return r;
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("nidx serve: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/* ---- setting up ---- */

/* The token from its file: the first line, without surrounding space.
   NULL with a message when the file cannot serve as one: not a regular
   file (a FIFO would hold startup until someone wrote to it), or a token
   shorter than 16 or longer than SERVE_MAX_TOKEN characters (never cut:
   a cut token would refuse the one its owner sends). */
static char *read_token(const char *path)
{
    struct stat sb;
    char line[SERVE_MAX_TOKEN + 3];
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &sb) != 0) {
        fprintf(stderr, "nidx serve: %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (!S_ISREG(sb.st_mode)) {
        fprintf(stderr,
                "nidx serve: %s: not a regular file: the token must be in "
                "a file of its own\n",
                path);
        close(fd);
        return NULL;
    }
    if (sb.st_mode & (S_IRWXG | S_IRWXO))
        fprintf(stderr,
                "nidx serve: warning: %s can be read by others than its "
                "owner (chmod 600 it)\n",
                path);
    size_t got = 0;
    ssize_t n_read;
    while (got < sizeof line - 1 &&
           (n_read = read(fd, line + got, sizeof line - 1 - got)) > 0)
        got += (size_t)n_read;
    close(fd);
    line[got] = '\0';
    char *start = line;
    while (*start == ' ' || *start == '\t')
        start++;
    size_t n = strcspn(start, "\r\n");
    bool whole = start[n] != '\0' || got < sizeof line - 1;
    while (n > 0 && (start[n - 1] == ' ' || start[n - 1] == '\t'))
        n--;
    if (n > SERVE_MAX_TOKEN || !whole) {
        fprintf(stderr,
                "nidx serve: %s: the token is longer than %d characters\n",
                path, SERVE_MAX_TOKEN);
        return NULL;
    }
    if (n < 16) {
        fprintf(stderr,
                "nidx serve: %s: the token must be at least 16 characters "
                "on the first line\n",
                path);
        return NULL;
    }
    return strndup(start, n);
}

/* ADDR:PORT or [ADDR6]:PORT, numeric, into *addr. */
static bool parse_listen(const char *listen, struct sockaddr_storage *addr,
                         bool *ipv6)
{
    char host[128];
    const char *port;
    if (listen[0] == '[') {
        const char *close = strchr(listen, ']');
        if (!close || close[1] != ':' || (size_t)(close - listen) > 100)
            return false;
        snprintf(host, sizeof host, "%.*s", (int)(close - listen - 1),
                 listen + 1);
        port = close + 2;
    } else {
        const char *colon = strrchr(listen, ':');
        if (!colon || (size_t)(colon - listen) >= sizeof host)
            return false;
        snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
        port = colon + 1;
    }
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
                             .ai_socktype = SOCK_STREAM};
    struct addrinfo *found;
    char *end;
    long p = strtol(port, &end, 10);
    if (!*port || *end || p < 0 || p > 65535 ||
        getaddrinfo(host, port, &hints, &found) != 0)
        return false;
    memcpy(addr, found->ai_addr, found->ai_addrlen);
    *ipv6 = found->ai_family == AF_INET6;
    freeaddrinfo(found);
    return true;
}

/* Request ids made here start with a number that differs from run to
   run, so that two runs' logs never share an id. */
static void request_ids(server_t *s)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    s->id_prefix =
        (unsigned)ts.tv_nsec ^ (unsigned)(ts.tv_sec << 8) ^ (unsigned)getpid();
}

/* The access log, appended to (standard error for "-"). */
static bool open_access_log(server_t *s)
{
    if (!strcmp(s->config.access_log, "-")) {
        s->access_log = stderr;
        return true;
    }
    s->access_log = fopen(s->config.access_log, "ae");
    if (!s->access_log)
        fprintf(stderr, "nidx serve: --access-log %s: %s\n",
                s->config.access_log, strerror(errno));
    return s->access_log != NULL;
}

static unsigned default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 16 ? 16 : (unsigned)n;
}

int serve_run(const serve_config_t *config)
{
    server_t s = {.config = *config};
    struct sockaddr_storage addr;
    bool ipv6 = false;
    char fallback[32];
    int status = 2;
    if (!s.config.listen) {
        snprintf(fallback, sizeof fallback, "127.0.0.1:%d", SERVE_DEFAULT_PORT);
        s.config.listen = fallback;
    }
    if (!parse_listen(s.config.listen, &addr, &ipv6)) {
        fprintf(stderr,
                "nidx serve: --listen takes ADDRESS:PORT with a numeric "
                "address, such as 127.0.0.1:%d or [::1]:%d, not '%s'\n",
                SERVE_DEFAULT_PORT, SERVE_DEFAULT_PORT, s.config.listen);
        return 2;
    }
    if (!s.config.threads)
        s.config.threads = default_threads();
    if (s.config.token_file && !(s.token = read_token(s.config.token_file)))
        return 2;
    request_ids(&s);
    if (s.config.access_log && !open_access_log(&s)) {
        free(s.token);
        return 2;
    }
    pthread_mutex_init(&s.writing, NULL);
    pthread_mutex_init(&s.logging, NULL);
    pthread_key_create(&s.searcher, release_held);

    /* SIGTERM and SIGINT go to this thread alone, which waits for them;
       the pool's threads inherit the mask. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* poll, not epoll: with epoll, libmicrohttpd 0.9.75 kept the slot of a
       client that went away in the middle of its request until the idle
       timeout, and a burst of them left /health unanswered (the test of
       600 abandoned requests in test_serve.sh). */
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG |
            MHD_USE_ITC | (ipv6 ? MHD_USE_IPv6 : 0),
        0, NULL, NULL, on_request, &s, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error,
        &s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s.config.threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVE_MAX_CONNECTIONS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVE_CONNECTION_TIMEOUT,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SERVE_CONNECTION_MEMORY,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, &s,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, &s, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "nidx serve: cannot listen on %s: %s\n",
                s.config.listen, strerror(errno ? errno : EADDRINUSE));
        goto done;
    }
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char host[INET6_ADDRSTRLEN] = "?";
    const void *ip =
        ipv6 ? (const void *)&((struct sockaddr_in6 *)&addr)->sin6_addr
             : (const void *)&((struct sockaddr_in *)&addr)->sin_addr;
    inet_ntop(ipv6 ? AF_INET6 : AF_INET, ip, host, sizeof host);
    fprintf(stderr,
            "nidx serve: listening on http://%s%s%s:%u/ (index %s, %u "
            "threads, %s)\n",
            ipv6 ? "[" : "", host, ipv6 ? "]" : "",
            info ? (unsigned)info->port : 0, s.config.index, s.config.threads,
            s.token ? "writes with the token" : "read-only");
    fflush(stderr);

    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    fprintf(stderr, "nidx serve: %s: finishing the requests in flight\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT");
    /* No new connections; the requests begun are answered (a POST's
       articles committed and its reply sent) before the daemon stops,
       for at most the time a connection may idle. */
    MHD_quiesce_daemon(d);
    for (double until = now_seconds() + SERVE_CONNECTION_TIMEOUT;
         s.in_flight > 0 && now_seconds() < until;)
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    MHD_stop_daemon(d);
    fprintf(stderr, "nidx serve: stopped\n");
    status = 0;
done:
    if (s.token) {
        memset(s.token, 0, strlen(s.token));
        free(s.token);
    }
    /* The pool's threads have ended (their searchers with them); the
       searcher of this thread, if any, goes now. */
    held_t *h = pthread_getspecific(s.searcher);
    if (h)
        release_held(h);
    pthread_key_delete(s.searcher);
    pthread_mutex_destroy(&s.writing);
    pthread_mutex_destroy(&s.logging);
    if (s.access_log && s.access_log != stderr)
        fclose(s.access_log);
    return status;
}
