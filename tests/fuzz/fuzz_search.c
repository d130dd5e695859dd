/*
 * fuzz_search.c — libFuzzer harness: a whole search (parse, match,
 * snippets, facets, suggestions) on a small index built at the first
 * run from a few articles in several languages.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nidx.h"

static nidx_searcher_t *searcher;

static const char *const articles[] = {
    "{\"id\": \"a1\", \"title\": \"Drones over the river\", \"body\": "
    "\"Farmers saw drones inspect the wheat harvest near the river.\", "
    "\"date\": \"2024-03-01\", \"source\": \"Wire\", \"lang\": \"en\"}",
    "{\"id\": \"a2\", \"title\": \"Србија купује дронове\", \"body\": "
    "\"Влада Србије разматра куповину беспилотних летелица.\", "
    "\"date\": \"2024-04\", \"source\": \"Politika\", \"lang\": \"sr\"}",
    "{\"id\": \"a3\", \"title\": \"東京の天気\", \"body\": "
    "\"明日の東京は晴れるでしょう。\", \"lang\": \"ja\"}",
    "{\"id\": \"a4\", \"title\": \"ข่าวเศรษฐกิจ\", \"body\": "
    "\"ตลาดหุ้นปรับตัวขึ้นในวันนี้\", \"lang\": \"th\"}",
    "{\"id\": \"a5\", \"title\": \"Drohnen über dem Fluss\", \"body\": "
    "\"Die Bauern sahen Drohnen über dem Weizen.\", \"lang\": \"de\", "
    "\"url\": \"https://www.example.de/news/1\"}",
};

static void build(void)
{
    char dir[] = "/tmp/nidx-fuzz-index-XXXXXX", input[80];
    nidx_writer_t *w;
    nidx_error_t err;
    nidx_add_stats_t stats = {0};
    if (!mkdtemp(dir))
        abort();
    snprintf(input, sizeof input, "%s.jsonl", dir);
    FILE *f = fopen(input, "w");
    for (size_t i = 0; i < sizeof articles / sizeof articles[0]; i++)
        fprintf(f, "%s\n", articles[i]);
    fclose(f);
    if (nidx_writer_open(dir, &w, &err) != NIDX_OK ||
        nidx_writer_add_path(w, input, &stats, NULL, NULL, &err) != NIDX_OK ||
        nidx_writer_close(w, &err) != NIDX_OK ||
        nidx_searcher_open(dir, &searcher, &err) != NIDX_OK) {
        fprintf(stderr, "fuzz_search: %s\n", err.message);
        abort();
    }
    unlink(input);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!searcher)
        build();
    if (size == 0 || size > NIDX_QUERY_MAX_BYTES + 1)
        return 0;
    char *query = malloc(size);
    memcpy(query, data + 1, size - 1);
    query[size - 1] = '\0';
    nidx_search_options_t o;
    nidx_search_options_init(&o);
    o.facets = data[0] & 1;
    o.plain = data[0] & 2;
    o.exact_total = data[0] & 4;
    o.sort = (data[0] >> 3) % 3;
    o.offset = (data[0] >> 5) & 1;
    o.limit = (data[0] >> 6) & 1 ? 0 : 10;
    o.time_limit = 5;
    nidx_results_t *r;
    nidx_error_t err;
    if (nidx_search(searcher, query, &o, &r, &err) == NIDX_OK) {
        for (size_t i = 0; i < nidx_results_count(r); i++) {
            const nidx_hit_t *h = nidx_results_hit(r, i);
            for (size_t k = 0; k < h->n_highlights; k++)
                if (h->highlights[k].end > strlen(h->snippet))
                    abort();
        }
        nidx_results_free(r);
    }
    free(query);
    return 0;
}
