/*
 * load_http.c — a load generator for nidx serve: CLIENTS threads, each on
 * its own keep-alive connection, send GET /search (or PATH: / for the
 * page) for the queries of a file in turn until REQUESTS have been
 * answered in all; prints one line:
 *
 *   clients=N requests=N failed=N seconds=S qps=Q p50_ms=A p95_ms=B p99_ms=C
 *
 *   load_http PORT QUERIES CLIENTS REQUESTS [EXTRA_PARAMS [PATH]]
 *
 * Every answer is read whole (Content-Length); a status other than 200,
 * or a broken connection, counts as failed.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int port;
static char **queries;
static size_t n_queries;
static const char *extra = "";
static const char *path = "/search"; /* or "/": the page */
static atomic_long next_request;
static long total_requests;
static double *latencies;
static atomic_long failed;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dial(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((unsigned short)port)};
    int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* Percent-encodes s into out (room for 3 * strlen + 1). */
static void encode(const char *s, char *out)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || strchr("-_.~", c)) {
            *out++ = (char)c;
        } else {
            *out++ = '%';
            *out++ = hex[c >> 4];
            *out++ = hex[c & 15];
        }
    }
    *out = '\0';
}

/* Sends one request and reads its answer; the status, or -1. */
static int exchange(int fd, const char *query, char *buf, size_t cap)
{
    char q[4096 * 3 + 1], req[16384];
    encode(query, q);
    int n = snprintf(req, sizeof req,
                     "GET %s?q=%s%s HTTP/1.1\r\nHost: bench\r\n\r\n", path, q,
                     extra);
    if (write(fd, req, (size_t)n) != n)
        return -1;
    size_t got = 0;
    char *end = NULL;
    while (!end) { /* the headers */
        ssize_t k = read(fd, buf + got, cap - 1 - got);
        if (k <= 0)
            return -1;
        got += (size_t)k;
        buf[got] = '\0';
        end = strstr(buf, "\r\n\r\n");
        if (!end && got >= cap - 1)
            return -1;
    }
    int status = atoi(buf + 9);
    const char *cl = strstr(buf, "Content-Length: ");
    size_t length = cl ? strtoul(cl + 16, NULL, 10) : 0;
    size_t have = got - (size_t)(end + 4 - buf);
    while (have < length) { /* the body, read and dropped */
        ssize_t k = read(fd, buf, cap < length - have ? cap : length - have);
        if (k <= 0)
            return -1;
        have += (size_t)k;
    }
    return status;
}

static void *client(void *arg)
{
    size_t cap = 1 << 20;
    char *buf = malloc(cap);
    int fd = dial();
    (void)arg;
    long i;
    while ((i = atomic_fetch_add(&next_request, 1)) < total_requests) {
        double t = now();
        int status =
            fd >= 0 ? exchange(fd, queries[i % n_queries], buf, cap) : -1;
        latencies[i] = (now() - t) * 1e3;
        if (status != 200) {
            atomic_fetch_add(&failed, 1);
            if (fd >= 0)
                close(fd);
            fd = dial();
        }
    }
    if (fd >= 0)
        close(fd);
    free(buf);
    return NULL;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr,
                "usage: load_http PORT QUERIES CLIENTS REQUESTS [PARAMS "
                "[PATH]]\n");
        return 2;
    }
    port = atoi(argv[1]);
    int clients = atoi(argv[3]);
    total_requests = atol(argv[4]);
    if (argc > 5)
        extra = argv[5];
    if (argc > 6)
        path = argv[6];
    FILE *f = fopen(argv[2], "r");
    char line[4096];
    size_t cap = 0;
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!*line || *line == '#') /* comments, as bench_query skips */
            continue;
        if (n_queries == cap)
            queries =
                realloc(queries, (cap = cap ? cap * 2 : 64) * sizeof *queries);
        queries[n_queries++] = strdup(line);
    }
    if (f)
        fclose(f);
    if (!n_queries || clients < 1 || total_requests < 1) {
        fprintf(stderr, "load_http: no queries, clients or requests\n");
        return 2;
    }
    latencies = calloc((size_t)total_requests, sizeof *latencies);
    pthread_t *t = calloc((size_t)clients, sizeof *t);
    double start = now();
    for (int i = 0; i < clients; i++)
        pthread_create(&t[i], NULL, client, NULL);
    for (int i = 0; i < clients; i++)
        pthread_join(t[i], NULL);
    double seconds = now() - start;
    qsort(latencies, (size_t)total_requests, sizeof *latencies, by_value);
#define AT(p) latencies[(size_t)((double)(total_requests - 1) * (p))]
    printf("clients=%d requests=%ld failed=%ld seconds=%.2f qps=%.0f "
           "p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f\n",
           clients, total_requests, (long)failed, seconds,
           (double)total_requests / seconds, AT(0.50), AT(0.95), AT(0.99));
    return failed ? 1 : 0;
}
