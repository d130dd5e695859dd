/*
 * bench_duplicates.c — what near-duplicate detection finds in a corpus,
 * and how fast, with the writer's own fingerprints and rule (the first 32
 * earlier articles sharing a band are compared):
 *   bench_duplicates [--pairs N] FILE.jsonl[.gz]...
 * Prints, per file and in all, the articles fingerprinted, the groups of
 * copies and the articles a search would collapse; then N pairs judged
 * near-duplicates, spread over the corpus, for reading by hand.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "analyzer.h"
#include "fingerprint.h"
#include "language.h"
#include "utf8.h"

#define CANDIDATES 32 /* as the writer's COPY_CANDIDATES */

typedef struct article {
    char *id, *title, *body;
    int file;
    bool has_fp;
    unsigned char fp[FINGERPRINT_BYTES];
    size_t group; /* index of the first article of its copies */
} article_t;

typedef struct band_entry {
    uint64_t key; /* band number in the top bits, mixed with its value */
    size_t doc;
} band_entry_t;

static int add_word(void *context, const token_t *t)
{
    fingerprint_add(context, t->term, t->term_len);
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_key(const void *a, const void *b)
{
    const band_entry_t *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->doc < y->doc ? -1 : x->doc > y->doc;
}

static char *field(json_object *o, const char *name)
{
    json_object *v;
    if (!json_object_object_get_ex(o, name, &v) ||
        !json_object_is_type(v, json_type_string))
        return strdup("");
    const char *s = json_object_get_string(v);
    size_t n = strlen(s);
    return utf8_valid_prefix(s, n) == n ? strdup(s) : utf8_repair(s, n, NULL);
}

int main(int argc, char **argv)
{
    int pairs = 0, first = 1;
    if (argc > 2 && strcmp(argv[1], "--pairs") == 0) {
        pairs = atoi(argv[2]);
        first = 3;
    }
    analyzer_t *an = analyzer_new(NULL);
    size_t n = 0, cap = 1 << 16;
    article_t *docs = malloc(cap * sizeof *docs);
    static char line[64 << 20];
    double fp_time = 0, bytes = 0;
    fingerprint_t f;
    for (int i = first; i < argc; i++) {
        gzFile gz = gzopen(argv[i], "rb");
        if (!gz) {
            perror(argv[i]);
            continue;
        }
        while (gzgets(gz, line, sizeof line)) {
            json_object *o = json_tokener_parse(line);
            if (!o)
                continue;
            if (n == cap)
                docs = realloc(docs, (cap *= 2) * sizeof *docs);
            article_t *a = &docs[n];
            memset(a, 0, sizeof *a);
            a->id = field(o, "id");
            a->title = field(o, "title");
            a->body = field(o, "body");
            a->file = i;
            char *lang = field(o, "lang"), code[LANGUAGE_CODE_MAX];
            json_object_put(o);
            double t0 = now();
            analyzer_set_language(an,
                                  language_normalize(lang, code) ? code : NULL);
            fingerprint_reset(&f);
            analyzer_run(an, a->body, strlen(a->body), 0, add_word, &f, NULL,
                         NULL);
            a->has_fp = fingerprint_get(&f, a->fp);
            fp_time += now() - t0;
            bytes += (double)strlen(a->body);
            free(lang);
            a->group = n++;
        }
        gzclose(gz);
    }
    /* The bands, sorted: an article's candidates are the earlier ones of
       its band's run. */
    band_entry_t *bands =
        malloc((n ? n : 1) * FINGERPRINT_BANDS * sizeof *bands);
    size_t nb = 0;
    for (size_t d = 0; d < n; d++)
        for (int b = 0; docs[d].has_fp && b < FINGERPRINT_BANDS; b++)
            bands[nb++] = (band_entry_t){fingerprint_band(docs[d].fp, b) *
                                                 0x9e3779b97f4a7c15ULL +
                                             (uint64_t)b,
                                         d};
    qsort(bands, nb, sizeof *bands, by_key);
    double t0 = now();
    for (size_t d = 0; d < n; d++) {
        bool found = false;
        for (int b = 0; docs[d].has_fp && b < FINGERPRINT_BANDS && !found;
             b++) {
            band_entry_t k = {fingerprint_band(docs[d].fp, b) *
                                      0x9e3779b97f4a7c15ULL +
                                  (uint64_t)b,
                              0};
            size_t lo = 0, hi = nb;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (by_key(&bands[mid], &k) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (size_t j = lo, seen = 0; j < nb && bands[j].key == k.key &&
                                          bands[j].doc < d && seen < CANDIDATES;
                 j++, seen++)
                if (fingerprint_near(docs[d].fp, docs[bands[j].doc].fp)) {
                    docs[d].group = docs[docs[bands[j].doc].group].group;
                    found = true;
                    break;
                }
        }
    }
    double group_time = now() - t0;
    printf("%-32s %9s %9s %9s %9s\n", "file", "articles", "fingerpr", "groups",
           "collapsed");
    size_t all_fp = 0, all_groups = 0, all_collapsed = 0;
    for (int i = first; i < argc; i++) {
        size_t arts = 0, fps = 0, groups = 0, collapsed = 0;
        for (size_t d = 0; d < n; d++) {
            if (docs[d].file != i)
                continue;
            arts++;
            fps += docs[d].has_fp;
            if (docs[d].group != d)
                collapsed++;
            else {
                for (size_t e = d + 1; e < n; e++)
                    if (docs[e].group == d) {
                        groups++;
                        break;
                    }
            }
        }
        const char *name = strrchr(argv[i], '/');
        printf("%-32s %9zu %9zu %9zu %9zu\n", name ? name + 1 : argv[i], arts,
               fps, groups, collapsed);
        all_fp += fps;
        all_groups += groups;
        all_collapsed += collapsed;
    }
    printf("%-32s %9zu %9zu %9zu %9zu\n", "all", n, all_fp, all_groups,
           all_collapsed);
    printf("fingerprinting: %.1f MB/s of bodies (analysis included), %.0f "
           "articles/s; grouping %.2f s\n",
           bytes / 1e6 / fp_time, (double)n / fp_time, group_time);
    /* Pairs spread over the corpus: every k-th collapsed article with
       the first of its group. */
    size_t step = pairs > 0 && all_collapsed > (size_t)pairs
                      ? all_collapsed / (size_t)pairs
                      : 1,
           k = 0;
    for (size_t d = 0; d < n && pairs > 0; d++) {
        if (docs[d].group == d || k++ % step != 0)
            continue;
        const article_t *a = &docs[docs[d].group], *b = &docs[d];
        printf("\n[%s] %s\n  %.160s\n[%s] %s\n  %.160s\n", a->id, a->title,
               a->body, b->id, b->title, b->body);
        pairs--;
    }
    analyzer_free(an);
    return 0;
}
