/*
 * bench_qrels.c — ranking quality on a test collection with relevance
 * judgments:
 *   bench_qrels INDEX QUERIES.tsv QRELS [--no-stemming] [--syntax]
 *               [--k1 K1] [--b B]
 * QUERIES holds "qid<TAB>text" lines, QRELS TREC lines "qid 0 docid rel".
 * Each query runs through the public API (top 1000), as plain words unless
 * --syntax; prints MAP, nDCG@10 and P@10 over the queries that have
 * judgments.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nidx.h"

#define DEPTH 1000
#define MAX_JUDGED 4096

typedef struct judgment {
    char qid[32];
    char docid[64];
    int rel;
} judgment_t;

static judgment_t *judged;
static size_t n_judged;

static int relevance(const char *qid, const char *docid)
{
    for (size_t i = 0; i < n_judged; i++)
        if (strcmp(judged[i].qid, qid) == 0 &&
            strcmp(judged[i].docid, docid) == 0)
            return judged[i].rel;
    return 0;
}

/* Relevance grades of a query's judged documents, best first. */
static size_t ideal(const char *qid, int *grades, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < n_judged && n < max; i++)
        if (strcmp(judged[i].qid, qid) == 0 && judged[i].rel > 0)
            grades[n++] = judged[i].rel;
    for (size_t i = 1; i < n; i++) /* insertion sort, descending */
        for (size_t j = i; j > 0 && grades[j] > grades[j - 1]; j--) {
            int t = grades[j];
            grades[j] = grades[j - 1];
            grades[j - 1] = t;
        }
    return n;
}

static void load_qrels(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[256];
    size_t cap = 1024;
    judged = malloc(cap * sizeof *judged);
    while (f && fgets(line, sizeof line, f)) {
        judgment_t j;
        if (sscanf(line, "%31s %*s %63s %d", j.qid, j.docid, &j.rel) != 3)
            continue;
        if (n_judged == cap)
            judged = realloc(judged, (cap *= 2) * sizeof *judged);
        judged[n_judged++] = j;
    }
    if (f)
        fclose(f);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_qrels INDEX QUERIES QRELS [--no-stemming] "
                        "[--syntax] [--k1 K1] [--b B]\n");
        return 2;
    }
    nidx_search_options_t o;
    nidx_search_options_init(&o);
    o.limit = DEPTH;
    o.snippets = false;
    o.suggest = false;
    o.collapse = false; /* judged documents may be copies of each other */
    o.plain = true;
    for (int i = 4; i < argc; i++) {
        if (strcmp(argv[i], "--no-stemming") == 0)
            o.stemming = false;
        else if (strcmp(argv[i], "--syntax") == 0)
            o.plain = false;
        else if (strcmp(argv[i], "--k1") == 0 && i + 1 < argc)
            o.bm25_k1 = atof(argv[++i]);
        else if (strcmp(argv[i], "--b") == 0 && i + 1 < argc)
            o.bm25_b = atof(argv[++i]);
    }
    load_qrels(argv[3]);
    nidx_error_t err;
    nidx_searcher_t *s;
    if (nidx_searcher_open(argv[1], &s, &err) != NIDX_OK) {
        fprintf(stderr, "bench_qrels: %s\n", err.message);
        return 2;
    }
    FILE *f = fopen(argv[2], "r");
    char line[8192];
    double sum_ap = 0, sum_ndcg = 0, sum_p10 = 0;
    int queries = 0;
    static int grades[MAX_JUDGED];
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        const char *qid = line, *text = tab + 1;
        size_t n_rel = ideal(qid, grades, MAX_JUDGED);
        if (n_rel == 0)
            continue;
        nidx_results_t *r;
        if (nidx_search(s, text, &o, &r, &err) != NIDX_OK) {
            fprintf(stderr, "bench_qrels: query %s: %s\n", qid, err.message);
            continue;
        }
        double ap = 0, dcg = 0, idcg = 0;
        int found = 0, top10 = 0;
        for (size_t i = 0; i < nidx_results_count(r); i++) {
            int rel = relevance(qid, nidx_results_hit(r, i)->article.id);
            if (rel > 0) {
                found++;
                ap += (double)found / (double)(i + 1);
                if (i < 10)
                    top10++;
            }
            if (i < 10)
                dcg += (pow(2, rel) - 1) / log2((double)i + 2);
        }
        for (size_t i = 0; i < n_rel && i < 10; i++)
            idcg += (pow(2, grades[i]) - 1) / log2((double)i + 2);
        sum_ap += ap / (double)n_rel;
        sum_ndcg += idcg > 0 ? dcg / idcg : 0;
        sum_p10 += top10 / 10.0;
        queries++;
        nidx_results_free(r);
    }
    if (f)
        fclose(f);
    printf("%d queries, stemming %s, k1 %.2f b %.2f: MAP %.4f  nDCG@10 %.4f  "
           "P@10 %.4f\n",
           queries, o.stemming ? "on" : "off", o.bm25_k1, o.bm25_b,
           sum_ap / queries, sum_ndcg / queries, sum_p10 / queries);
    nidx_searcher_close(s);
    return 0;
}
