/*
 * bench_qrels.c — ranking quality on a test collection with relevance
 * judgments:
 *   bench_qrels INDEX QUERIES.tsv QRELS [--no-stemming] [--exact-script]
 *               [--syntax]
 *               [--k1 K1] [--b B]
 *   bench_qrels --run RUN QUERIES.tsv QRELS
 * RUN holds another engine's ranking, "qid docid" lines best first.
 * QUERIES holds "qid<TAB>text" lines, QRELS TREC lines "qid 0 docid rel".
 * Each query runs through the public API (top 1000), as plain words unless
 * --syntax; prints MAP, nDCG@10, P@10 and MRR@10 (the reciprocal rank of
 * the first relevant document in the top ten) over the queries that have
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

/* The ranked document ids of one query. */
typedef struct ranking {
    char (*ids)[64];
    size_t n;
} ranking_t;

static double sum_ap, sum_ndcg, sum_p10, sum_rr;
static int queries;

/* Adds one query's figures to the sums. */
static void evaluate(const char *qid, const ranking_t *r)
{
    static int grades[MAX_JUDGED];
    size_t n_rel = ideal(qid, grades, MAX_JUDGED);
    double ap = 0, dcg = 0, idcg = 0;
    int found = 0, top10 = 0;
    double rr = 0;
    if (n_rel == 0)
        return;
    for (size_t i = 0; i < r->n; i++) {
        int rel = relevance(qid, r->ids[i]);
        if (rel > 0) {
            found++;
            ap += (double)found / (double)(i + 1);
            if (i < 10)
                top10++;
            if (i < 10 && rr == 0)
                rr = 1.0 / (double)(i + 1);
        }
        if (i < 10)
            dcg += (pow(2, rel) - 1) / log2((double)i + 2);
    }
    for (size_t i = 0; i < n_rel && i < 10; i++)
        idcg += (pow(2, grades[i]) - 1) / log2((double)i + 2);
    sum_ap += ap / (double)n_rel;
    sum_ndcg += idcg > 0 ? dcg / idcg : 0;
    sum_p10 += top10 / 10.0;
    sum_rr += rr;
    queries++;
}

/* Evaluates a run file against the queries that have judgments; a query
   absent from the run counts with no documents. */
static void evaluate_run(const char *run_path, const char *queries_path)
{
    FILE *q = fopen(queries_path, "r"), *run = fopen(run_path, "r");
    char line[8192];
    size_t n = 0, cap = 4096;
    judgment_t *lines = malloc(cap * sizeof *lines); /* qid, docid */
    while (run && fgets(line, sizeof line, run)) {
        if (n == cap)
            lines = realloc(lines, (cap *= 2) * sizeof *lines);
        if (sscanf(line, "%31s %63s", lines[n].qid, lines[n].docid) == 2)
            n++;
    }
    ranking_t r = {malloc(DEPTH * sizeof *r.ids), 0};
    while (q && fgets(line, sizeof line, q)) {
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        r.n = 0;
        for (size_t i = 0; i < n && r.n < DEPTH; i++)
            if (strcmp(lines[i].qid, line) == 0)
                strcpy(r.ids[r.n++], lines[i].docid);
        evaluate(line, &r);
    }
    free(r.ids);
    free(lines);
    if (q)
        fclose(q);
    if (run)
        fclose(run);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr,
                "usage: bench_qrels INDEX QUERIES QRELS [--no-stemming] "
                "[--exact-script] "
                "[--syntax] [--k1 K1] [--b B]\n"
                "       bench_qrels --run RUN QUERIES QRELS\n");
        return 2;
    }
    if (strcmp(argv[1], "--run") == 0 && argc >= 5) {
        load_qrels(argv[4]);
        evaluate_run(argv[2], argv[3]);
        printf("%d queries, %s: MAP %.4f  nDCG@10 %.4f  P@10 %.4f  MRR@10 "
               "%.4f\n",
               queries, argv[2], sum_ap / queries, sum_ndcg / queries,
               sum_p10 / queries, sum_rr / queries);
        return 0;
    }
    load_qrels(argv[3]);
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
        else if (strcmp(argv[i], "--exact-script") == 0)
            o.exact_script = true;
        else if (strcmp(argv[i], "--syntax") == 0)
            o.plain = false;
        else if (strcmp(argv[i], "--k1") == 0 && i + 1 < argc)
            o.bm25_k1 = atof(argv[++i]);
        else if (strcmp(argv[i], "--b") == 0 && i + 1 < argc)
            o.bm25_b = atof(argv[++i]);
    }
    nidx_error_t err;
    nidx_searcher_t *s;
    if (nidx_searcher_open(argv[1], &s, &err) != NIDX_OK) {
        fprintf(stderr, "bench_qrels: %s\n", err.message);
        return 2;
    }
    FILE *f = fopen(argv[2], "r");
    char line[8192];
    ranking_t r = {malloc(DEPTH * sizeof *r.ids), 0};
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        nidx_results_t *res;
        if (nidx_search(s, tab + 1, &o, &res, &err) != NIDX_OK) {
            fprintf(stderr, "bench_qrels: query %s: %s\n", line, err.message);
            r.n = 0;
            evaluate(line, &r);
            continue;
        }
        r.n = 0;
        for (size_t i = 0; i < nidx_results_count(res) && r.n < DEPTH; i++)
            snprintf(r.ids[r.n++], sizeof r.ids[0], "%s",
                     nidx_results_hit(res, i)->article.id);
        evaluate(line, &r);
        nidx_results_free(res);
    }
    free(r.ids);
    if (f)
        fclose(f);
    printf("%d queries, stemming %s, k1 %.2f b %.2f: MAP %.4f  nDCG@10 %.4f  "
           "P@10 %.4f  MRR@10 %.4f\n",
           queries, o.stemming ? "on" : "off", o.bm25_k1, o.bm25_b,
           sum_ap / queries, sum_ndcg / queries, sum_p10 / queries,
           sum_rr / queries);
    nidx_searcher_close(s);
    return 0;
}
