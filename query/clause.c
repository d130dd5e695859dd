/* clause.c — from a piece of query text to clauses of analyzed words. */
#include "clause.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document.h"
#include "error.h"
#include "utf8.h"

/* The words of one stretch of query text. */
typedef struct word_list {
    word_t *words;
    size_t n, cap;
    bool nomem;
    size_t run_end;   /* where the last word's run ended; 0 when no run */
    size_t base;      /* byte offset of the piece in the query */
    const char *text; /* the piece */
    /* Touching Thai, Lao, Khmer or Burmese words make one word, whose run
       is matched whole (a phrase, a word*); else each is a word. */
    bool whole_runs;
} word_list_t;

static char *copy(const char *s, size_t n, bool *nomem)
{
    if (!s)
        return NULL;
    char *c = malloc(n + 1);
    if (!c) {
        *nomem = true;
        return NULL;
    }
    memcpy(c, s, n);
    c[n] = '\0';
    return c;
}

/* Appends a spaceless word to the run of the word before it, when they
   touch and runs are taken whole: ICU's cut inside a quoted run is not the
   reader's. */
static bool extend_run(word_list_t *l, const token_t *t)
{
    word_t *w = l->n ? &l->words[l->n - 1] : NULL;
    if (!l->whole_runs || !t->spaceless || !w || !w->run ||
        l->run_end != t->start)
        return false;
    size_t k = strlen(w->run);
    char *run = realloc(w->run, k + t->term_len + 1);
    if (!run) {
        l->nomem = true;
        return true;
    }
    memcpy(run + k, t->term, t->term_len);
    run[k + t->term_len] = '\0';
    w->run = run;
    w->end = l->base + t->end;
    l->run_end = t->end;
    return true;
}

/* A new word at the end of the list, zeroed; NULL when out of memory. */
static word_t *new_word(word_list_t *l)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        word_t *p = realloc(l->words, cap * sizeof *p);
        if (!p) {
            l->nomem = true;
            return NULL;
        }
        l->words = p;
        l->cap = cap;
    }
    word_t *w = &l->words[l->n++];
    memset(w, 0, sizeof *w);
    return w;
}

/* Stretches of a word of Thai, Lao, Khmer or Burmese: ASCII letters and
   digits apart from the other letters; punctuation between two of a kind
   stays ("1.45"), between two kinds goes. */
#define MAX_STRETCHES 16
typedef struct stretch {
    size_t start, end;
} stretch_t;

static int byte_kind(unsigned char c)
{
    if (c >= 0x80)
        return 1;
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
               ? 2
               : 0; /* punctuation */
}

static size_t stretches(const char *s, size_t n, stretch_t *out)
{
    size_t k = 0;
    int kind = 0;
    for (size_t i = 0; i < n; i++) {
        int b = byte_kind((unsigned char)s[i]);
        if (b == 0) { /* inside a stretch when one of its kind follows */
            int next = i + 1 < n ? byte_kind((unsigned char)s[i + 1]) : 0;
            if (next != kind)
                kind = 0;
            continue;
        }
        if (b == kind) { /* the stretch goes on, over any punctuation */
            out[k - 1].end = i + 1;
            continue;
        }
        if (k == MAX_STRETCHES)
            return 0;
        kind = b;
        out[k++] = (stretch_t){i, i + 1};
    }
    return k;
}

/*
 * A word of Thai, Lao, Khmer or Burmese letters that holds digits or
 * Latin letters ("ที่31พ.ค60", as ICU joins them) becomes one word per
 * stretch (ที่, 31, พ.ค, 60), as an article that spaces them writes them;
 * each stretch keeps its letters as a run, for articles that join them.
 * False when the word is all of one kind.
 */
static bool split_mixed(word_list_t *l, const token_t *t)
{
    stretch_t typed[MAX_STRETCHES], folded[MAX_STRETCHES];
    size_t n = stretches(l->text + t->start, t->end - t->start, typed);
    if (n < 2 || stretches(t->term, t->term_len, folded) != n)
        return false;
    for (size_t i = 0; i < n && !l->nomem; i++) {
        word_t *w = new_word(l);
        if (!w)
            break;
        const char *term = t->term + folded[i].start;
        size_t len = folded[i].end - folded[i].start;
        w->term = copy(term, len, &l->nomem);
        w->run = copy(term, len, &l->nomem);
        w->start = l->base + t->start + typed[i].start;
        w->end = l->base + t->start + typed[i].end;
    }
    return true;
}

/* Letters of the last dot-separated part of s. */
static size_t last_part_letters(const char *s)
{
    const char *dot = strrchr(s, '.');
    const char *part = dot ? dot + 1 : s;
    return utf8_count(part, strlen(part));
}

/* Appends a spaceless word to the word before it when a dot the query
   wrote joins them and that word (or its part after its last dot) is one
   letter, or one with its vowel: the abbreviations จ.ร้อยเอ็ด, พ.ร.บ,
   มิ.ย, as articles write them (unglued() took the dot out). */
static bool glue_abbreviation(word_list_t *l, const token_t *t)
{
    word_t *w = l->n ? &l->words[l->n - 1] : NULL;
    size_t at = t->start - 1;
    if (l->whole_runs || !t->spaceless || !w || !w->run ||
        !document_spaceless(w->term) || !t->start || l->base + at != w->end ||
        l->text[at] != '.' || last_part_letters(w->term) > 2)
        return false;
    size_t k = strlen(w->term), r = strlen(w->run);
    char *term = realloc(w->term, k + t->term_len + 2);
    if (term)
        w->term = term;
    char *run = term ? realloc(w->run, r + t->term_len + 2) : NULL;
    if (run)
        w->run = run;
    if (!term || !run) {
        l->nomem = true;
        return true;
    }
    snprintf(term + k, t->term_len + 2, ".%.*s", (int)t->term_len, t->term);
    snprintf(run + r, t->term_len + 2, ".%.*s", (int)t->term_len, t->term);
    w->end = l->base + t->end;
    return true;
}

static int collect(void *context, const token_t *t)
{
    word_list_t *l = context;
    if (extend_run(l, t) || glue_abbreviation(l, t))
        return l->nomem;
    if (t->spaceless && !l->whole_runs && split_mixed(l, t))
        return l->nomem;
    word_t *w = new_word(l);
    if (!w)
        return 1;
    w->term = copy(t->term, t->term_len, &l->nomem);
    w->exact = copy(t->exact, t->exact_len, &l->nomem);
    w->split = copy(t->split, t->split_len, &l->nomem);
    w->start = l->base + t->start;
    w->end = l->base + t->end;
    if (t->spaceless) {
        w->run = copy(t->term, t->term_len, &l->nomem);
        l->run_end = t->end;
    }
    return l->nomem;
}

/* The Serbian Latin spelling of each Cyrillic word of the stretch: the
   same text analyzed as Serbian gives the same words, position by
   position. */
typedef struct latin_pass {
    word_list_t *list;
    size_t i;
} latin_pass_t;

static int collect_latin(void *context, const token_t *t)
{
    latin_pass_t *p = context;
    word_list_t *l = p->list;
    while (p->i < l->n && l->words[p->i].run)
        p->i++; /* runs (Thai...) merged several tokens; none is Cyrillic */
    if (p->i >= l->n)
        return 1;
    if (t->spaceless)
        return 0;
    word_t *w = &l->words[p->i++];
    if (strlen(w->term) != t->term_len ||
        memcmp(w->term, t->term, t->term_len) != 0)
        w->latin = copy(t->term, t->term_len, &l->nomem);
    return l->nomem;
}

void clause_free_words(word_t *words, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(words[i].term);
        free(words[i].exact);
        free(words[i].split);
        free(words[i].latin);
        free(words[i].run);
    }
    free(words);
}

static bool add_clause(parsed_query_t *q, clause_t clause)
{
    clause_t *c = realloc(q->clauses, (q->n_clauses + 1) * sizeof *c);
    if (!c)
        return false;
    q->clauses = c;
    c[q->n_clauses++] = clause;
    return true;
}

/* Turns the words of one stretch into clauses: a phrase when quoted,
   else one clause per word. Takes the list's words. */
static bool add_stretch(parsed_query_t *q, word_list_t *l, bool quoted)
{
    if (l->n == 0) {
        free(l->words);
        return true;
    }
    if (quoted && l->n > 1)
        return add_clause(q, (clause_t){.kind = CLAUSE_PHRASE,
                                        .words = l->words,
                                        .n_words = l->n});
    for (size_t i = 0; i < l->n; i++) {
        word_t *one = malloc(sizeof *one);
        if (!one || !add_clause(q, (clause_t){.kind = CLAUSE_WORD,
                                              .words = one,
                                              .n_words = 1})) {
            free(one);
            clause_free_words(l->words + i, l->n - i);
            return false;
        }
        *one = l->words[i];
    }
    free(l->words);
    return true;
}

/* Whether s[0..n) holds Cyrillic letters (U+0400..U+04FF). */
static bool has_cyrillic(const char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        if ((unsigned char)s[i] == 0xD0 || (unsigned char)s[i] == 0xD1 ||
            (unsigned char)s[i] == 0xD2 || (unsigned char)s[i] == 0xD3)
            return true;
    return false;
}

/* Whether the UTF-8 character ending at s[i - 1] (before) or starting at
   s[i] (after) is a letter of Thai, Lao, Khmer or Burmese. */
static bool spaceless_before(const char *s, size_t i)
{
    size_t k = i;
    while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
        k--;
    return k > 0 && i - k == 2 && document_spaceless(s + k - 1);
}

/*
 * A copy of s[0..n) whose dots touching a letter of Thai, Lao, Khmer or
 * Burmese are spaces, or NULL when it has none (or out of memory: *nomem).
 * ICU joins letters around a dot into one word ("กรณ์จ.ร้อยเอ็ด"), past
 * its dictionary; with the dot a space, the dictionary cuts each side, and
 * glue_abbreviation() puts the dot back where it makes an abbreviation.
 */
static char *unglued(const char *s, size_t n, bool *nomem)
{
    char *c = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '.' && (spaceless_before(s, i) ||
                            (i + 1 < n && document_spaceless(s + i + 1)))) {
            if (!c && !(c = copy(s, n, nomem)))
                return NULL;
            c[i] = ' ';
        }
    return c;
}

/* Analyzes one stretch: as no particular language, and for Cyrillic text
   once more as Serbian, whose spelling in Latin letters is also tried. */
static nidx_status_t analyze_stretch(analyzer_t *an, const char *s, size_t n,
                                     const char *lang, word_list_t *l,
                                     nidx_error_t *err)
{
    char *spaced = l->whole_runs ? NULL : unglued(s, n, &l->nomem);
    if (spaced)
        s = spaced;
    analyzer_set_language(an, lang);
    nidx_status_t st = analyzer_run(an, s, n, 0, collect, l, NULL, err);
    if (st == NIDX_OK && !l->nomem && has_cyrillic(s, n)) {
        latin_pass_t pass = {l, 0};
        analyzer_set_language(an, "sr");
        st = analyzer_run(an, s, n, 0, collect_latin, &pass, NULL, err);
        analyzer_set_language(an, NULL);
    }
    if (st == NIDX_OK && l->nomem)
        st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    free(spaced);
    return st;
}

/* Whether s[0..n) holds CJK ideographs (U+3400..U+9FFF). */
static bool has_han(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c == 0xE3 && i + 1 < n && (unsigned char)s[i + 1] >= 0x90) ||
            (c >= 0xE4 && c <= 0xE9))
            return true;
    }
    return false;
}

static bool same_words(const word_list_t *a, const word_list_t *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->words[i].term, b->words[i].term) != 0)
            return false;
    return true;
}

/* Both readings of text with kanji, as one clause, when they differ. */
static bool add_either(parsed_query_t *q, word_list_t *a, word_list_t *b,
                       bool quoted)
{
    word_t *words = realloc(a->words, (a->n + b->n) * sizeof *words);
    if (!words) {
        clause_free_words(a->words, a->n);
        clause_free_words(b->words, b->n);
        return false;
    }
    memcpy(words + a->n, b->words, b->n * sizeof *words);
    free(b->words);
    return add_clause(q, (clause_t){.kind = CLAUSE_EITHER,
                                    .words = words,
                                    .n_words = a->n + b->n,
                                    .n_first = a->n,
                                    .either_phrases = quoted});
}

nidx_status_t clause_add_piece(parsed_query_t *q, analyzer_t *an, const char *s,
                               size_t n, bool quoted, nidx_error_t *err)
{
    word_list_t a = {.base = (size_t)(s - q->text),
                     .text = s,
                     .whole_runs = quoted},
                b = a;
    nidx_status_t st = analyze_stretch(an, s, n, NULL, &a, err);
    if (st == NIDX_OK && has_han(s, n))
        st = analyze_stretch(an, s, n, "ja", &b, err);
    if (st != NIDX_OK) {
        clause_free_words(a.words, a.n);
        clause_free_words(b.words, b.n);
        return st;
    }
    bool ok;
    if (b.n > 0 && !same_words(&a, &b)) {
        ok = add_either(q, &a, &b, quoted);
    } else {
        clause_free_words(b.words, b.n);
        ok = add_stretch(q, &a, quoted);
    }
    return ok ? NIDX_OK : error_set(err, NIDX_ERROR_NOMEM, "out of memory");
}

nidx_status_t clause_add_prefix(parsed_query_t *q, analyzer_t *an,
                                const char *s, size_t n, size_t *words,
                                nidx_error_t *err)
{
    word_list_t l = {
        .base = (size_t)(s - q->text), .text = s, .whole_runs = true};
    nidx_status_t st = analyze_stretch(an, s, n, NULL, &l, err);
    *words = l.n;
    if (st == NIDX_OK && l.n == 1) {
        clause_t c = {.kind = CLAUSE_PREFIX, .words = l.words, .n_words = 1};
        if (add_clause(q, c))
            return NIDX_OK; /* the clause holds the words now */
        st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    }
    clause_free_words(l.words, l.n);
    return st;
}
