/*
 * bench_query.c — query latency through the public API, warm, in one
 * process:
 *   bench_query INDEX QUERIES [ROUNDS] [--no-snippets] [--no-stemming]
 *               [--facets] [--exact] [--all]
 * QUERIES holds one query per line. Each query runs once to warm the
 * caches, then ROUNDS times (default 5), top 10. Prints p50, p95, p99 and
 * the mean in milliseconds, and queries per second.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nidx.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile(const double *sorted, size_t n, double p)
{
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return sorted[i < n ? i : n - 1];
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_query INDEX QUERIES [ROUNDS] "
                        "[--no-snippets]\n");
        return 2;
    }
    int rounds = argc > 3 && argv[3][0] != '-' ? atoi(argv[3]) : 5;
    nidx_search_options_t o;
    nidx_search_options_init(&o);
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--no-snippets") == 0)
            o.snippets = false;
        if (strcmp(argv[i], "--no-stemming") == 0)
            o.stemming = false;
        if (strcmp(argv[i], "--facets") == 0)
            o.facets = true;
        if (strcmp(argv[i], "--exact") == 0)
            o.exact_total = true;
        if (strcmp(argv[i], "--all") == 0)
            o.collapse = false;
    }

    nidx_error_t err;
    nidx_searcher_t *s;
    if (nidx_searcher_open(argv[1], &s, &err) != NIDX_OK) {
        fprintf(stderr, "bench_query: %s\n", err.message);
        return 2;
    }
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        return 2;
    }
    char *queries[4096], line[1024];
    size_t nq = 0;
    while (nq < 4096 && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] && line[0] != '#')
            queries[nq++] = strdup(line);
    }
    fclose(f);

    double *ms = malloc(sizeof(double) * nq * (size_t)rounds);
    size_t n = 0, hits = 0;
    double t0 = 0, total = 0;
    for (int round = -1; round < rounds; round++) {
        for (size_t q = 0; q < nq; q++) {
            nidx_results_t *r;
            t0 = now_ms();
            if (nidx_search(s, queries[q], &o, &r, &err) != NIDX_OK) {
                fprintf(stderr, "bench_query: %s: %s\n", queries[q],
                        err.message);
                continue;
            }
            double t = now_ms() - t0;
            if (round >= 0) { /* round -1 warms up */
                ms[n++] = t;
                total += t;
                hits += nidx_results_count(r);
            }
            nidx_results_free(r);
        }
    }
    qsort(ms, n, sizeof *ms, by_value);
    printf("queries %zu x %d rounds, snippets %s, stemming %s, facets %s: p50 "
           "%.3f ms, p95 %.3f ms, "
           "p99 %.3f ms, mean %.3f ms, %.0f queries/s, %.1f hits/query\n",
           nq, rounds, o.snippets ? "on" : "off", o.stemming ? "on" : "off",
           o.facets ? "on" : "off", percentile(ms, n, 0.50),
           percentile(ms, n, 0.95), percentile(ms, n, 0.99), total / (double)n,
           1000.0 * (double)n / total, (double)hits / (double)n);
    for (size_t q = 0; q < nq; q++)
        free(queries[q]);
    free(ms);
    nidx_searcher_close(s);
    return 0;
}
