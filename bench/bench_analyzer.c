/*
 * bench_analyzer.c — analyzer throughput on the title and body of every
 * record of JSON Lines files (plain or gzip), one core:
 *   bench_analyzer FILE.jsonl[.gz]...
 * Prints MB/s and tokens/s per file and in total.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "analyzer.h"
#include "utf8.h"

static int count(void *context, const token_t *t)
{
    (void)t;
    ++*(unsigned long long *)context;
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Analyzes one text, repaired first as the writer does. */
static void analyze(analyzer_t *an, const char *s, unsigned long long *tokens,
                    double *bytes)
{
    size_t n = strlen(s);
    *bytes += (double)n;
    if (utf8_valid_prefix(s, n) == n) {
        analyzer_run(an, s, n, 0, count, tokens, NULL, NULL);
        return;
    }
    char *fixed = utf8_repair(s, n, NULL);
    analyzer_run(an, fixed, strlen(fixed), 0, count, tokens, NULL, NULL);
    free(fixed);
}

int main(int argc, char **argv)
{
    analyzer_t *an = analyzer_new(NULL);
    double all_bytes = 0, all_time = 0;
    unsigned long long all_tokens = 0;
    static char line[64 << 20];
    for (int f = 1; f < argc; f++) {
        gzFile gz = gzopen(argv[f], "rb");
        if (!gz) {
            perror(argv[f]);
            continue;
        }
        /* Load the texts first so only analysis is timed. */
        size_t n = 0, cap = 1024;
        char **texts = malloc(cap * sizeof *texts);
        while (gzgets(gz, line, sizeof line)) {
            json_object *o = json_tokener_parse(line), *v;
            const char *keys[] = {"title", "body"};
            for (int k = 0; k < 2 && o; k++)
                if (json_object_object_get_ex(o, keys[k], &v) &&
                    json_object_is_type(v, json_type_string)) {
                    if (n == cap)
                        texts = realloc(texts, (cap *= 2) * sizeof *texts);
                    texts[n++] = strdup(json_object_get_string(v));
                }
            json_object_put(o);
        }
        gzclose(gz);
        double bytes = 0, t0 = now();
        unsigned long long tokens = 0;
        for (size_t i = 0; i < n; i++)
            analyze(an, texts[i], &tokens, &bytes);
        double t = now() - t0;
        printf("%-40s %8.1f MB %8.1f MB/s %10.0f tokens/s\n",
               strrchr(argv[f], '/') ? strrchr(argv[f], '/') + 1 : argv[f],
               bytes / 1e6, bytes / 1e6 / t, (double)tokens / t);
        all_bytes += bytes;
        all_time += t;
        all_tokens += tokens;
        for (size_t i = 0; i < n; i++)
            free(texts[i]);
        free(texts);
    }
    printf("%-40s %8.1f MB %8.1f MB/s %10.0f tokens/s\n", "total",
           all_bytes / 1e6, all_bytes / 1e6 / all_time,
           (double)all_tokens / all_time);
    analyzer_free(an);
    return 0;
}
