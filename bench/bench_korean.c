/*
 * bench_korean.c — how the analyzer's Korean particle splitting behaves
 * on real text (the "lang":"ko" records of JSON Lines files):
 *   bench_korean FILE.jsonl[.gz]...
 * Counts Hangul words, those split into noun + particle, and, as a check
 * on the split, how many of the nouns left are confirmed by the text: they
 * stand alone somewhere, or two different words split to them (a noun with
 * neither may be a wrong cut, such as a word that merely ends in a
 * particle's syllable, or just a rare noun).
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "analyzer.h"

#define SLOTS (1u << 20)

typedef struct set {
    char **keys;
    int *hits; /* per key: distinct words that led to it */
} set_t;

static unsigned long hash(const char *s, size_t n)
{
    unsigned long h = 5381;
    for (size_t i = 0; i < n; i++)
        h = h * 33 + (unsigned char)s[i];
    return h;
}

/* Adds s[0..n) to the set; returns its slot. */
static unsigned long set_add(set_t *set, const char *s, size_t n)
{
    for (unsigned long i = hash(s, n) % SLOTS;; i = (i + 1) % SLOTS) {
        char *k = set->keys[i];
        if (!k) {
            set->keys[i] = strndup(s, n);
            return i;
        }
        if (strlen(k) == n && memcmp(k, s, n) == 0)
            return i;
    }
}

static bool set_has(const set_t *set, const char *s)
{
    size_t n = strlen(s);
    for (unsigned long i = hash(s, n) % SLOTS; set->keys[i];
         i = (i + 1) % SLOTS)
        if (strcmp(set->keys[i], s) == 0)
            return true;
    return false;
}

typedef struct counts {
    set_t words, nouns;
    long hangul, split;
} counts_t;

static bool is_hangul(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    return c >= 0xEA && c <= 0xED;
}

static int count(void *context, const token_t *t)
{
    counts_t *c = context;
    if (!is_hangul(t->term))
        return 0;
    c->hangul++;
    unsigned long w = set_add(&c->words, t->term, t->term_len);
    if (t->split) {
        c->split++;
        unsigned long n = set_add(&c->nouns, t->split, t->split_len);
        if (c->words.hits[w]++ == 0) /* a word seen for the first time */
            c->nouns.hits[n]++;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static char line[64 << 20];
    counts_t c = {{calloc(SLOTS, sizeof(char *)), calloc(SLOTS, sizeof(int))},
                  {calloc(SLOTS, sizeof(char *)), calloc(SLOTS, sizeof(int))},
                  0,
                  0};
    analyzer_t *an = analyzer_new(NULL);
    analyzer_set_language(an, "ko");
    for (int f = 1; f < argc; f++) {
        gzFile gz = gzopen(argv[f], "rb");
        while (gz && gzgets(gz, line, sizeof line)) {
            json_object *o = json_tokener_parse(line), *v;
            if (o && json_object_object_get_ex(o, "lang", &v) &&
                strcmp(json_object_get_string(v), "ko") == 0) {
                const char *keys[] = {"title", "body"};
                for (int k = 0; k < 2; k++)
                    if (json_object_object_get_ex(o, keys[k], &v)) {
                        const char *s = json_object_get_string(v);
                        analyzer_run(an, s, strlen(s), 0, count, &c, NULL,
                                     NULL);
                    }
            }
            json_object_put(o);
        }
        if (gz)
            gzclose(gz);
    }
    long nouns = 0, standing = 0;
    for (unsigned long i = 0; i < SLOTS; i++)
        if (c.nouns.keys[i]) {
            nouns++;
            standing +=
                set_has(&c.words, c.nouns.keys[i]) || c.nouns.hits[i] >= 2;
        }
    printf("Hangul words %ld, split noun + particle %ld (%.1f%%); distinct "
           "nouns left %ld, confirmed by the text %ld (%.1f%%)\n",
           c.hangul, c.split, 100.0 * c.split / (c.hangul ? c.hangul : 1),
           nouns, standing, 100.0 * standing / (nouns ? nouns : 1));
    analyzer_free(an);
    return 0;
}
