/* recut.c — query words cut again by the index's own words (recut.h). */
#include "recut.h"

#include <stdlib.h>
#include <string.h>

/* Whether the UTF-8 character at s is kana or a CJK ideograph
   (U+3040..U+30FF, U+3400..U+9FFF, U+F900..U+FAFF). */
static bool dictionary_char(const unsigned char *t)
{
    return (t[0] == 0xE3 && t[1] >= 0x81 && t[1] <= 0x83) ||
           (t[0] == 0xE3 && t[1] >= 0x90) || (t[0] >= 0xE4 && t[0] <= 0xE9) ||
           (t[0] == 0xEF && t[1] >= 0xA4 && t[1] <= 0xAB);
}

/* Whether every character of s is katakana (U+30A0..U+30FF). */
static bool katakana(const char *s)
{
    const unsigned char *t = (const unsigned char *)s;
    if (!*t)
        return false;
    for (; *t; t += 3)
        if (!(t[0] == 0xE3 && ((t[1] == 0x82 && t[2] >= 0xA0) || t[1] == 0x83)))
            return false;
    return true;
}

/* Frees the words of one cut. */
static void cut_clear(recut_t *r)
{
    for (size_t i = 0; r->terms && i < r->n; i++)
        free(r->terms[i]);
    free(r->terms);
    r->terms = NULL;
    r->n = 0;
}

static bool held(xshim_reader_t *reader, const char *term, size_t len)
{
    return xshim_reader_termfreq(reader, term, len) > 0;
}

/*
 * The fewest words of two characters or more that the index holds and
 * that make up text (at most RECUT_MAX_CHARS characters), into r (NULL
 * terms when out of memory); r->n stays 0 when there is no such cut.
 */
static void cut_held(xshim_reader_t *reader, const char *text, recut_t *r)
{
    size_t at[RECUT_MAX_CHARS + 1], n = 0, len = strlen(text);
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80) {
            if (n == RECUT_MAX_CHARS)
                return;
            at[n++] = i;
        }
    at[n] = len;
    /* fewest[i]: fewest held words covering characters [0, i); from[i]
       where the last of them starts (the longest last word on a tie). */
    size_t fewest[RECUT_MAX_CHARS + 1], from[RECUT_MAX_CHARS + 1];
    fewest[0] = 0;
    for (size_t i = 1; i <= n; i++) {
        fewest[i] = SIZE_MAX;
        for (size_t j = 0; j + 2 <= i; j++)
            if (fewest[j] != SIZE_MAX && fewest[j] + 1 < fewest[i] &&
                held(reader, text + at[j], at[i] - at[j])) {
                fewest[i] = fewest[j] + 1;
                from[i] = j;
            }
    }
    if (n == 0 || fewest[n] == SIZE_MAX)
        return;
    char **terms = calloc(fewest[n], sizeof *terms);
    if (!terms)
        return;
    for (size_t i = n, k = fewest[n]; i > 0; i = from[i]) {
        size_t bytes = at[i] - at[from[i]];
        if (!(terms[--k] = malloc(bytes + 1))) {
            r->terms = terms;
            r->n = fewest[n];
            cut_clear(r);
            return;
        }
        memcpy(terms[k], text + at[from[i]], bytes);
        terms[k][bytes] = '\0';
    }
    r->terms = terms;
    r->n = fewest[n];
}

/* Whether clause c is one word of the body that a stretch may take. */
static const char *plain_word(const parsed_query_t *q, size_t c)
{
    const clause_t *cl = &q->clauses[c];
    if (cl->kind != CLAUSE_WORD || cl->title || cl->excluded ||
        cl->words[0].run)
        return NULL;
    return cl->words[0].term;
}

/* Cuts clauses [first, end) again, as one text, when the index's words
   make it up in fewer words than ICU's cut. False when out of memory. */
static bool recut_stretch(xshim_reader_t *reader, const parsed_query_t *q,
                          size_t first, size_t end, recut_t *r)
{
    size_t bytes = 1;
    for (size_t c = first; c < end; c++)
        bytes += strlen(q->clauses[c].words[0].term);
    char *text = malloc(bytes);
    if (!text)
        return false;
    text[0] = '\0';
    for (size_t c = first; c < end; c++)
        strcat(text, q->clauses[c].words[0].term);
    recut_t cut = {0, NULL, false};
    cut_held(reader, text, &cut);
    free(text);
    /* One word comes here only when the index lacks it. */
    bool fewer = cut.n && cut.n < end - first;
    bool unheld = end - first == 1 && cut.n >= 2;
    if (!fewer && !unheld) {
        cut_clear(&cut);
        return true;
    }
    r[first] = cut;
    for (size_t c = first + 1; c < end; c++)
        r[c].absorbed = true;
    return true;
}

/* The katakana stretches of root run `run`. */
static bool recut_run(xshim_reader_t *reader, const parsed_query_t *q,
                      const query_run_t *run, recut_t *r)
{
    size_t end = run->first + run->n;
    for (size_t c = run->first; c < end;) {
        size_t e = c;
        while (e < end && plain_word(q, e) && katakana(plain_word(q, e)))
            e++;
        if (e - c >= 2 && !recut_stretch(reader, q, c, e, r))
            return false;
        c = e > c ? e : c + 1;
    }
    return true;
}

recut_t *recut_clauses(xshim_reader_t *reader, const parsed_query_t *q)
{
    recut_t *r = calloc(q->n_clauses ? q->n_clauses : 1, sizeof *r);
    bool ok = r != NULL, any = false;
    for (size_t i = 0; ok && i < q->n_runs; i++)
        ok = recut_run(reader, q, &q->runs[i], r);
    for (size_t c = 0; ok && c < q->n_clauses; c++) {
        const char *w = plain_word(q, c);
        if (w && !r[c].n && !r[c].absorbed &&
            dictionary_char((const unsigned char *)w) &&
            !held(reader, w, strlen(w)))
            ok = recut_stretch(reader, q, c, c + 1, r);
    }
    for (size_t c = 0; ok && c < q->n_clauses; c++)
        any |= r[c].n || r[c].absorbed;
    if (!ok || !any) {
        recut_free(r, q->n_clauses);
        return NULL;
    }
    return r;
}

void recut_free(recut_t *r, size_t n)
{
    for (size_t c = 0; r && c < n; c++)
        cut_clear(&r[c]);
    free(r);
}
