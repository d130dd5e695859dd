/*
 * bench_unspaced.c — a known-item benchmark for languages written without
 * spaces: queries typed as readers of Thai, Chinese and Japanese type them,
 * as one run of letters, each with the one article it was taken from.
 * For about N articles of a file, spread evenly over it, three queries:
 *   title     the title's words, run together (spaces and punctuation out);
 *   sentence  a stretch of the body (its words from the 9th, 30 to 40
 *             characters' worth), run together;
 *   words     the title's three longest words, last first, run together: a
 *             question that names the article's words in another order.
 * Each is written twice, run together (but for a space between two words of
 * Latin letters or digits) and with a space between its words (cut where
 * nidx's analyzer cuts them), so that a run typed without
 * spaces can be compared with the same words spaced. Deterministic; written
 * at bench time, never stored: the text is the corpora's.
 *   bench_unspaced [-n N] OUTDIR LANG FILE.jsonl[.gz]
 * writes OUTDIR/LANG-KIND-unspaced.tsv and -spaced.tsv (qid<TAB>query,
 * KIND title, sentence, words) and OUTDIR/LANG.qrels ("qid 0 id 1": the
 * article, and any other with the same title, a copy).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "peer_input.h"

#define TITLE_MAX 512
#define OPENING_MAX 2048

typedef struct sample {
    char *id, *title, *opening;
} sample_t;

typedef struct samples {
    sample_t *v;
    size_t n, cap;
} samples_t;

static char *copy_prefix(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max) { /* cut at a character's start */
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    char *c = malloc(n + 1);
    memcpy(c, s, n);
    c[n] = '\0';
    return c;
}

static void keep(void *context, const peer_article_t *a)
{
    samples_t *s = context;
    if (!*a->title || !*a->body)
        return;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = (sample_t){strdup(a->id), copy_prefix(a->title, TITLE_MAX),
                              copy_prefix(a->body, OPENING_MAX)};
}

/* The words of a text as the analyzer cuts them: offsets into it. */
typedef struct cut {
    size_t start[256], end[256], chars[256];
    size_t n;
    const char *text;
} cut_t;

static size_t utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static int add_word(void *context, const token_t *t)
{
    cut_t *c = context;
    if (c->n > 0 && t->start < c->end[c->n - 1])
        return 0; /* a second term of one word */
    c->start[c->n] = t->start;
    c->end[c->n] = t->end;
    c->chars[c->n] = utf8_chars(c->text + t->start, t->end - t->start);
    return ++c->n == 256;
}

static void cut_words(analyzer_t *an, const char *text, cut_t *c)
{
    nidx_error_t err;
    c->n = 0;
    c->text = text;
    analyzer_run(an, text, strlen(text), 0, add_word, c, NULL, &err);
}

static bool ascii_alnum(char ch)
{
    return (ch >= '0' && ch <= '9') ||
           ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z');
}

/* Words picked[0..n) of c, joined by `sep` (empty or a space); two words
   of Latin letters or digits keep a space between them however they are
   joined, as readers type them ("iPhone 5", not "iPhone5"). */
static void join(const cut_t *c, const size_t *picked, size_t n,
                 const char *sep, char *out, size_t cap)
{
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && k < cap; i++) {
        const char *w = c->text + c->start[picked[i]];
        bool latin = i && ascii_alnum(*w) && ascii_alnum(out[k - 1]);
        k += (size_t)snprintf(
            out + k, cap - k, "%s%.*s", i ? (latin ? " " : sep) : "",
            (int)(c->end[picked[i]] - c->start[picked[i]]), w);
    }
}

typedef struct outputs {
    FILE *unspaced[3], *spaced[3], *qrels;
} outputs_t;

static const char *const kinds[3] = {"title", "sentence", "words"};

/* Writes query `kind` of sample i from the words picked, both ways; the
   articles with its title (copies, which nidx folds) are all right. */
static void write_query(outputs_t *o, int kind, size_t i, const samples_t *all,
                        const cut_t *c, const size_t *picked, size_t n)
{
    char q[4096];
    if (n < 2)
        return;
    for (size_t j = 0; j < all->n; j++)
        if (strcmp(all->v[j].title, all->v[i].title) == 0)
            fprintf(o->qrels, "%c%zu 0 %s 1\n", kinds[kind][0], i,
                    all->v[j].id);
    join(c, picked, n, "", q, sizeof q);
    fprintf(o->unspaced[kind], "%c%zu\t%s\n", kinds[kind][0], i, q);
    join(c, picked, n, " ", q, sizeof q);
    fprintf(o->spaced[kind], "%c%zu\t%s\n", kinds[kind][0], i, q);
}

static void queries_of(analyzer_t *an, outputs_t *o, size_t i,
                       const samples_t *all)
{
    const sample_t *s = &all->v[i];
    static cut_t c;
    size_t picked[256], n = 0;
    cut_words(an, s->title, &c);
    for (size_t w = 0; w < c.n; w++)
        picked[n++] = w;
    write_query(o, 0, i, all, &c, picked, n);
    /* The three longest words of two characters or more, last first. */
    size_t longest[3], k = 0;
    for (size_t pass = 0; pass < 3; pass++) {
        size_t best = SIZE_MAX;
        for (size_t w = 0; w < c.n; w++) {
            int taken = 0;
            for (size_t j = 0; j < k; j++)
                taken |= longest[j] == w;
            if (!taken && c.chars[w] >= 2 &&
                (best == SIZE_MAX || c.chars[w] > c.chars[best]))
                best = w;
        }
        if (best != SIZE_MAX)
            longest[k++] = best;
    }
    for (size_t a = 0; a < k; a++) /* text order, then reversed */
        for (size_t b = a + 1; b < k; b++)
            if (longest[b] < longest[a]) {
                size_t t = longest[a];
                longest[a] = longest[b];
                longest[b] = t;
            }
    for (size_t a = 0; a < k; a++)
        picked[a] = longest[k - 1 - a];
    write_query(o, 2, i, all, &c, picked, k);
    cut_words(an, s->opening, &c);
    n = 0;
    for (size_t w = 8, chars = 0; w < c.n && chars < 30; w++) {
        chars += c.chars[w];
        if (chars > 40)
            break;
        picked[n++] = w;
    }
    write_query(o, 1, i, all, &c, picked, n);
}

static FILE *open_out(const char *dir, const char *lang, const char *kind,
                      const char *way)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%s%s%s%s", dir, lang, kind ? "-" : "",
             kind ? kind : "", way ? "-" : "", way ? way : ".qrels");
    if (way)
        strcat(path, ".tsv");
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(2);
    }
    return f;
}

int main(int argc, char **argv)
{
    size_t want = 200;
    int a = 1;
    if (argc > 2 && strcmp(argv[1], "-n") == 0) {
        want = (size_t)atoi(argv[2]);
        a = 3;
    }
    if (argc - a != 3) {
        fprintf(stderr, "usage: bench_unspaced [-n N] OUTDIR LANG FILE\n");
        return 2;
    }
    const char *dir = argv[a], *lang = argv[a + 1];
    samples_t s = {0};
    if (peer_read_articles(argv[a + 2], keep, &s) < 0) {
        fprintf(stderr, "bench_unspaced: cannot read %s\n", argv[a + 2]);
        return 2;
    }
    nidx_error_t err;
    analyzer_t *an = analyzer_new(&err);
    if (!an) {
        fprintf(stderr, "bench_unspaced: %s\n", err.message);
        return 2;
    }
    analyzer_set_language(an, lang);
    outputs_t o;
    for (int k = 0; k < 3; k++) {
        o.unspaced[k] = open_out(dir, lang, kinds[k], "unspaced");
        o.spaced[k] = open_out(dir, lang, kinds[k], "spaced");
    }
    o.qrels = open_out(dir, lang, NULL, NULL);
    size_t step = s.n > want ? s.n / want : 1;
    for (size_t i = 0; i < s.n; i += step)
        queries_of(an, &o, i, &s);
    for (int k = 0; k < 3; k++) {
        fclose(o.unspaced[k]);
        fclose(o.spaced[k]);
    }
    fclose(o.qrels);
    for (size_t i = 0; i < s.n; i++) {
        free(s.v[i].id);
        free(s.v[i].title);
        free(s.v[i].opening);
    }
    free(s.v);
    analyzer_free(an);
    return 0;
}
