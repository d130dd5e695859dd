/*
 * bench_titles.c — a query set sampled from the titles of news files, for
 * comparing engines on the same queries: about N queries (default 200),
 * spread evenly over the files (so over their languages and scripts), of
 * five shapes in turn: one word, two words, three words, a two-word
 * phrase, and the title's longest word (often a rare one). Titles written
 * without spaces (Chinese, Japanese, Thai) give runs of 2 to 4 characters;
 * a file without titles gives the openings of its bodies instead.
 * Deterministic: the same files give the same queries. Written at bench
 * time, never stored: the text is the corpora's.
 *   bench_titles [-n N] FILE.jsonl[.gz]... > queries.tsv   (qid<TAB>query)
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peer_input.h"

typedef struct titles {
    char **v;
    size_t n, cap;
} titles_t;

static void keep_title(void *context, const peer_article_t *a)
{
    titles_t *t = context;
    const char *title = a->title;
    char opening[121];
    if (!*title) { /* the body's first words */
        snprintf(opening, sizeof opening, "%s", a->body);
        char *end = strrchr(opening, ' ');
        if (end && strlen(a->body) >= sizeof opening)
            *end = '\0';
        title = opening;
    }
    if (!*title)
        return;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->v = realloc(t->v, t->cap * sizeof *t->v);
    }
    t->v[t->n++] = strdup(title);
}

/* Query syntax and quotes taken out; words kept. */
static void clean(char *s)
{
    static const char *const drop[] = {
        "«",  "»",  "“",  "”",  "„",  "‘",  "’",  "—",  "–",  "…",  "、", "。",
        "「", "」", "『", "』", "：", "，", "！", "？", "　", "（", "）"};
    char *o = s;
    for (char *p = s; *p;) {
        size_t skip = 0;
        for (size_t i = 0; i < sizeof drop / sizeof *drop && !skip; i++)
            if (strncmp(p, drop[i], strlen(drop[i])) == 0)
                skip = strlen(drop[i]);
        if (skip) {
            *o++ = ' ';
            p += skip;
        } else if (strchr("\"():;!?,.[]{}*^~+\\/|<>=&@#$%`_\t\r\n", *p)) {
            *o++ = ' ';
            p++;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
}

static int is_operator(const char *w)
{
    return strcmp(w, "AND") == 0 || strcmp(w, "OR") == 0 ||
           strcmp(w, "NOT") == 0 || strncmp(w, "NEAR", 4) == 0 || *w == '-';
}

/* The first `chars` UTF-8 characters from character `from` of s. */
static void utf8_run(const char *s, size_t from, size_t chars, char *out,
                     size_t cap)
{
    size_t i = 0, n = 0, k = 0;
    while (s[i] && n < from)
        if (((unsigned char)s[++i] & 0xC0) != 0x80)
            n++;
    for (n = 0; s[i] && k + 4 < cap; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == chars)
            break;
        out[k++] = s[i];
    }
    out[k] = '\0';
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* A long word of a script written without spaces (3-byte UTF-8 and
   beyond: CJK, Thai...) is a whole phrase: a run of 2 to 4 of its
   characters stands for a word. In place. */
static void cut_spaceless(char *w, unsigned pick)
{
    size_t len = utf8_chars(w), run = 2 + pick % 3;
    char out[64];
    bool spaceless = false;
    for (const char *p = w; *p && !spaceless; p++)
        spaceless = (unsigned char)*p >= 0xE0;
    if (!spaceless || len <= 6)
        return;
    utf8_run(w, (pick >> 2) % (len - run + 1), run, out, sizeof out);
    strcpy(w, out);
}

/* One query of shape `shape` from title t into out; 0 when none fits. */
static int make_query(char *t, unsigned shape, unsigned pick, char *out,
                      size_t cap)
{
    char *words[64];
    size_t n = 0;
    clean(t);
    for (char *w = strtok(t, " "); w && n < 64; w = strtok(NULL, " "))
        if (!is_operator(w) && utf8_chars(w) >= 2)
            words[n++] = w;
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        cut_spaceless(words[i], pick + (unsigned)i);
    size_t first = pick % n;
    switch (shape) {
    case 0: snprintf(out, cap, "%s", words[first]); break;
    case 1:
    case 2: {
        size_t want = shape + 1, k = 0;
        out[0] = '\0';
        for (size_t i = 0; i < want && i < n; i++) {
            k += (size_t)snprintf(out + k, cap - k, "%s%s", i ? " " : "",
                                  words[(first + i) % n]);
            if (k >= cap)
                return 0;
        }
        break;
    }
    case 3:
        if (n < 2)
            return 0;
        first = pick % (n - 1);
        snprintf(out, cap, "\"%s %s\"", words[first], words[first + 1]);
        break;
    default: {
        size_t best = 0;
        for (size_t i = 1; i < n; i++)
            if (utf8_chars(words[i]) > utf8_chars(words[best]))
                best = i;
        snprintf(out, cap, "%s", words[best]);
    }
    }
    return 1;
}

int main(int argc, char **argv)
{
    int first = 1;
    unsigned want = 200, made = 0;
    uint64_t seed = 42;
    if (argc > 2 && strcmp(argv[1], "-n") == 0) {
        want = (unsigned)atoi(argv[2]);
        first = 3;
    }
    int files = argc - first;
    if (files <= 0) {
        fprintf(stderr, "usage: bench_titles [-n N] FILE...\n");
        return 2;
    }
    for (int f = first; f < argc; f++) {
        titles_t t = {0};
        if (peer_read_articles(argv[f], keep_title, &t) < 0 || t.n == 0) {
            fprintf(stderr, "bench_titles: %s: no titles\n", argv[f]);
            continue;
        }
        unsigned share = (want * (unsigned)(f - first + 1)) / (unsigned)files -
                         (want * (unsigned)(f - first)) / (unsigned)files;
        for (unsigned tries = 0, got = 0; got < share && tries < share * 20;
             tries++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            char q[256], *title = strdup(t.v[(seed >> 33) % t.n]);
            if (make_query(title, made % 5, (unsigned)(seed >> 13), q,
                           sizeof q) &&
                *q) {
                printf("t%03u\t%s\n", ++made, q);
                got++;
            }
            free(title);
        }
        for (size_t i = 0; i < t.n; i++)
            free(t.v[i]);
        free(t.v);
    }
    return 0;
}
