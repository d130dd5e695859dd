/* suggest.c — corrections one or two edits away, by frequency. */
#include "suggest.h"

#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unicode/uchar.h>

/* A word is suspect below this many articles when the query finds fewer
   than SUGGEST_BELOW matches; absent words always are. */
#define SUSPECT_FREQ 3
#define SUGGEST_BELOW 10
/* A correction must be this many times more frequent than the word. */
#define BETTER_BY 20
/* Longest word corrected, in letters; terms scanned for two edits. */
#define MAX_LETTERS 40
#define MAX_SCANNED 300000
/* Words looked at for a correction, from the last: a long query of
   unknown words would otherwise scan the vocabulary once each. */
#define MAX_CORRECTED 8

typedef struct letters {
    uint32_t c[MAX_LETTERS + 2];
    size_t n;
} letters_t;

static bool decode(const char *s, letters_t *out)
{
    const unsigned char *p = (const unsigned char *)s;
    out->n = 0;
    while (*p) {
        uint32_t cp = *p++;
        int more = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
        if (more)
            cp &= 0x3F >> more;
        while (more-- > 0 && (*p & 0xC0) == 0x80)
            cp = cp << 6 | (*p++ & 0x3F);
        if (out->n == MAX_LETTERS)
            return false;
        out->c[out->n++] = cp;
    }
    return true;
}

/* UTF-8 of c[0..n) into out (4 bytes a letter, plus NUL); its length. */
static size_t encode(const uint32_t *c, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = c[i];
        if (cp < 0x80) {
            out[k++] = (char)cp;
        } else if (cp < 0x800) {
            out[k++] = (char)(0xC0 | cp >> 6);
            out[k++] = (char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out[k++] = (char)(0xE0 | cp >> 12);
            out[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            out[k++] = (char)(0x80 | (cp & 0x3F));
        } else {
            out[k++] = (char)(0xF0 | cp >> 18);
            out[k++] = (char)(0x80 | ((cp >> 12) & 0x3F));
            out[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            out[k++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    out[k] = '\0';
    return k;
}

/* The letters an edit may bring in: the alphabet of the word's script
   (as matching forms write it: lower case, most diacritics folded). */
typedef struct range {
    uint32_t from, to;
} range_t;

static size_t alphabet(uint32_t first, const range_t **out)
{
    static const range_t latin[] = {{'a', 'z'}};
    static const range_t cyrillic[] = {
        {0x430, 0x45F}, {0x491, 0x491}, {0x493, 0x493},
        {0x49B, 0x49B}, {0x4A3, 0x4A3}, {0x4AF, 0x4B1},
        {0x4BB, 0x4BB}, {0x4D9, 0x4D9}, {0x4E9, 0x4E9}};
    static const range_t greek[] = {{0x3B1, 0x3C9}};
    static const range_t armenian[] = {{0x561, 0x586}};
    static const range_t hebrew[] = {{0x5D0, 0x5EA}};
    static const range_t arabic[] = {{0x621, 0x64A}};
    static const range_t georgian[] = {{0x10D0, 0x10F0}};
    static const struct {
        uint32_t from, to;
        const range_t *ranges;
        size_t n;
    } scripts[] = {
        {'a', 'z', latin, 1},
        {0xDF, 0x24F, latin, 1},
        {0x3B1, 0x3C9, greek, 1},
        {0x400, 0x4FF, cyrillic, sizeof cyrillic / sizeof cyrillic[0]},
        {0x531, 0x58F, armenian, 1},
        {0x5D0, 0x5EA, hebrew, 1},
        {0x620, 0x64A, arabic, 1},
        {0x10A0, 0x10FF, georgian, 1},
    };
    for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++)
        if (first >= scripts[i].from && first <= scripts[i].to) {
            *out = scripts[i].ranges;
            return scripts[i].n;
        }
    return 0;
}

/* The best correction found so far. */
typedef struct best {
    xshim_reader_t *reader;
    char term[4 * MAX_LETTERS + 8];
    uint64_t freq;
} best_t;

/* Spellings to look up, kept in one block. */
typedef struct spellings {
    char (*terms)[4 * MAX_LETTERS + 8];
    size_t n, cap;
} spellings_t;

static void add_spelling(spellings_t *s, const uint32_t *c, size_t n)
{
    if (s->n < s->cap)
        encode(c, n, s->terms[s->n++]);
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(a, b); /* UTF-8 in strcmp's order is the index's */
}

/*
 * The most frequent of the spellings: looked up in the index's order,
 * so that neighbours share the B-tree blocks the last lookup read (in
 * the order made, the letters' loop sent each lookup to another leaf:
 * 800 block reads for a two-word query, most of its time).
 */
static void consider_all(best_t *b, spellings_t *s)
{
    qsort(s->terms, s->n, sizeof s->terms[0], by_bytes);
    for (size_t i = 0; i < s->n; i++) {
        if (i > 0 && strcmp(s->terms[i], s->terms[i - 1]) == 0)
            continue;
        uint64_t f =
            xshim_reader_termfreq(b->reader, s->terms[i], strlen(s->terms[i]));
        if (f > b->freq) { /* the first in that order on a tie */
            b->freq = f;
            strcpy(b->term, s->terms[i]);
        }
    }
}

/* Every spelling one edit away from w. */
static void one_edit(best_t *b, const letters_t *w, const range_t *abc,
                     size_t n_ranges)
{
    uint32_t v[MAX_LETTERS + 2];
    size_t n = w->n, letters = 0;
    for (size_t r = 0; r < n_ranges; r++)
        letters += abc[r].to - abc[r].from + 1;
    spellings_t s = {NULL, 0, 2 * n + letters * (2 * n + 1)};
    if (!(s.terms = malloc(s.cap * sizeof *s.terms)))
        return;
    for (size_t i = 0; i < n; i++) { /* deletions */
        memcpy(v, w->c, i * sizeof *v);
        memcpy(v + i, w->c + i + 1, (n - i - 1) * sizeof *v);
        add_spelling(&s, v, n - 1);
    }
    for (size_t i = 0; i + 1 < n; i++) { /* swaps */
        if (w->c[i] == w->c[i + 1])
            continue;
        memcpy(v, w->c, n * sizeof *v);
        v[i] = w->c[i + 1];
        v[i + 1] = w->c[i];
        add_spelling(&s, v, n);
    }
    for (size_t r = 0; r < n_ranges; r++)
        for (uint32_t x = abc[r].from; x <= abc[r].to; x++) {
            for (size_t i = 0; i < n; i++) { /* replacements */
                if (w->c[i] == x)
                    continue;
                memcpy(v, w->c, n * sizeof *v);
                v[i] = x;
                add_spelling(&s, v, n);
            }
            for (size_t i = 0; i <= n; i++) { /* insertions */
                memcpy(v, w->c, i * sizeof *v);
                v[i] = x;
                memcpy(v + i + 1, w->c + i, (n - i) * sizeof *v);
                add_spelling(&s, v, n + 1);
            }
        }
    consider_all(b, &s);
    free(s.terms);
}

/* Edit distance with swaps (optimal string alignment), or more than
   `max` when it exceeds it. */
static size_t distance(const letters_t *a, const letters_t *b, size_t max)
{
    size_t rows[3][MAX_LETTERS + 2];
    size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    if ((a->n > b->n ? a->n - b->n : b->n - a->n) > max)
        return max + 1;
    for (size_t j = 0; j <= b->n; j++)
        prev[j] = j;
    for (size_t i = 1; i <= a->n; i++) {
        size_t row_min = cur[0] = i;
        for (size_t j = 1; j <= b->n; j++) {
            size_t cost = a->c[i - 1] != b->c[j - 1];
            size_t d = prev[j - 1] + cost;
            if (prev[j] + 1 < d)
                d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a->c[i - 1] == b->c[j - 2] &&
                a->c[i - 2] == b->c[j - 1] && prev2[j - 2] + 1 < d)
                d = prev2[j - 2] + 1;
            cur[j] = d;
            if (d < row_min)
                row_min = d;
        }
        if (row_min > max)
            return max + 1;
        size_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[b->n];
}

typedef struct scan {
    best_t *best;
    const letters_t *word;
    size_t prefix_len; /* bytes of the first letter */
    char first[8];
    unsigned long seen;
} scan_t;

static int scan_term(void *context, const char *rest, size_t len, uint64_t f)
{
    scan_t *s = context;
    char term[4 * MAX_LETTERS + 8];
    letters_t t;
    if (++s->seen > MAX_SCANNED)
        return 1;
    if (s->prefix_len + len >= sizeof term)
        return 0;
    memcpy(term, s->first, s->prefix_len);
    memcpy(term + s->prefix_len, rest, len);
    term[s->prefix_len + len] = '\0';
    if (!decode(term, &t) || distance(s->word, &t, 2) > 2)
        return 0;
    if (f > s->best->freq) {
        s->best->freq = f;
        memcpy(s->best->term, term, s->prefix_len + len + 1);
    }
    return 0;
}

/* Terms two edits away from w that start with its first letter. */
static void two_edits(best_t *b, const letters_t *w)
{
    scan_t s = {b, w, 0, "", 0};
    s.prefix_len = encode(w->c, 1, s.first);
    xshim_reader_terms(b->reader, s.first, scan_term, &s, NULL);
}

/* The correction of one word in b->term, or false. */
static bool correct(best_t *b, const char *word, uint64_t freq)
{
    letters_t w;
    const range_t *abc;
    size_t n_ranges;
    if (!decode(word, &w) || w.n < 3 || !(n_ranges = alphabet(w.c[0], &abc)))
        return false;
    for (size_t i = 0; i < w.n; i++)
        if (!u_isalpha((UChar32)w.c[i]))
            return false; /* numbers, codes, "a:b": not typos */
    b->freq = 0;
    one_edit(b, &w, abc, n_ranges);
    /* Two edits only for a word the index lacks: scanning the terms costs
       milliseconds, and a rare word that exists is seldom two typos. */
    if (b->freq == 0 && w.n >= 5 && freq == 0)
        two_edits(b, &w);
    return b->freq > 0 && (freq == 0 || b->freq >= BETTER_BY * freq);
}

/* text with [start, end) replaced by `by`; a capital first letter stays
   one. */
static char *replace(const char *text, size_t start, size_t end, const char *by)
{
    letters_t was, now;
    char first[8], rest[4 * MAX_LETTERS + 8];
    size_t n = strlen(text), k;
    char word[4 * MAX_LETTERS + 8];
    snprintf(word, sizeof word, "%.*s", (int)(end - start), text + start);
    if (decode(word, &was) && decode(by, &now) && was.n && now.n &&
        (uint32_t)u_tolower((UChar32)was.c[0]) == now.c[0])
        now.c[0] = was.c[0];
    else if (!decode(by, &now))
        return NULL;
    encode(now.c, 1, first);
    encode(now.c + 1, now.n - 1, rest);
    k = strlen(first) + strlen(rest);
    char *out = malloc(n - (end - start) + k + 1);
    if (!out)
        return NULL;
    memcpy(out, text, start);
    memcpy(out + start, first, strlen(first));
    memcpy(out + start + strlen(first), rest, strlen(rest));
    memcpy(out + start + k, text + end, n - end + 1);
    return out;
}

/* Whether word w matched other names of a place or other spellings of a
   name that the index holds: a name written otherwise, not a typo
   (Scholz, which articles write Шольц, is not "school"). */
static bool named_otherwise(const match_names_t *names, const word_t *w)
{
    const match_name_t *m = match_names_find(names, w);
    return m && (m->n_key_terms || m->n_place_terms || m->n_place_words);
}

char *suggest_query(xshim_reader_t *reader, const parsed_query_t *q,
                    const match_names_t *names, uint64_t total)
{
    best_t *b = malloc(sizeof *b);
    char *text = NULL;
    if (!b)
        return NULL;
    b->reader = reader;
    size_t tried = 0;
    /* From the last word back, so that earlier offsets stay right. */
    for (size_t c = q->n_clauses; c-- > 0 && tried < MAX_CORRECTED;) {
        const clause_t *cl = &q->clauses[c];
        const word_t *w = &cl->words[0];
        if (cl->kind != CLAUSE_WORD || cl->excluded || w->run || w->split ||
            named_otherwise(names, w))
            continue;
        uint64_t freq = xshim_reader_termfreq(reader, w->term, strlen(w->term));
        bool suspect =
            freq == 0 || (freq < SUSPECT_FREQ && total < SUGGEST_BELOW);
        if (!suspect)
            continue;
        tried++;
        if (!correct(b, w->term, freq))
            continue;
        char *next = replace(text ? text : q->text, w->start, w->end, b->term);
        free(text);
        if (!(text = next))
            break;
    }
    free(b);
    return text;
}
