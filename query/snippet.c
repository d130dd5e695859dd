/* snippet.c — choosing, cutting and highlighting a passage. */
#include "snippet.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "document.h"
#include "error.h"
#include "inflect.h"
#include "namekey.h"
#include "utf8.h"

/* Only this much of an article is searched for a passage. */
/* Matches remembered; the best window is among the first ones anyway. */
#define SNIPPET_MAX_MATCHES 512

/* Token starts remembered behind the current one, to open a window on. */
#define SNIPPET_LOOKBACK 16

typedef struct hit_word {
    size_t start, end;
    size_t context; /* a token start a little before, where a window may
                       begin: a word boundary in any script */
    unsigned term;  /* index in q->terms, < 64 */
} hit_word_t;

/* The forms a query word may take in the article: a token showing any of
   them is highlighted. `word` numbers the query's words (< 64). */
#define SNIPPET_MAX_FORMS 256
typedef struct form {
    char *text;
    size_t len;
    unsigned word;
    bool whole; /* an article word's stem is not it (a place's name) */
} form_t;

typedef struct finder {
    analyzer_t *analyzer;
    form_t forms[SNIPPET_MAX_FORMS];
    size_t n_forms;
    /* The names of query words that have name terms (match.h) */
    const match_name_t *keys[64];
    unsigned key_words[64];
    size_t n_keys;
    form_t runs[64]; /* the query's Thai, Lao, Khmer, Burmese runs */
    size_t n_runs;
    form_t prefixes[64]; /* the query's word* */
    size_t n_prefixes;
    const char *inflecting; /* the article's language, when inflect.h
                               knows its endings; else NULL */
    size_t lead;            /* bytes of context wanted before a match */
    size_t target;          /* bytes of the passage */
    uint64_t all;           /* a bit for each query word that has forms */
    size_t recent[SNIPPET_LOOKBACK];
    size_t n_seen;
    hit_word_t words[SNIPPET_MAX_MATCHES];
    size_t n;
} finder_t;

/* The earliest remembered token start at most f->lead bytes before `at`. */
static size_t context_start(const finder_t *f, size_t at)
{
    size_t kept = f->n_seen < SNIPPET_LOOKBACK ? f->n_seen : SNIPPET_LOOKBACK;
    for (size_t k = kept; k > 0; k--) {
        size_t start = f->recent[(f->n_seen - k) % SNIPPET_LOOKBACK];
        if (start + f->lead >= at)
            return start;
    }
    return at;
}

/* The query word whose forms include s[0..n) (with `stem`, an article
   word's stem: a place's Arabic names are not matched so), or -1. */
static int form_word(const finder_t *f, const char *s, size_t n, bool stem)
{
    if (!s)
        return -1;
    for (size_t i = 0; i < f->n_forms; i++)
        if (f->forms[i].len == n && memcmp(f->forms[i].text, s, n) == 0 &&
            !(stem && f->forms[i].whole))
            return (int)f->forms[i].word;
    return -1;
}

/* A word of a spaceless run matches a query run that holds it or that it
   holds: both were cut by a dictionary, maybe differently. */
static int run_word(const finder_t *f, const token_t *t)
{
    for (size_t i = 0; i < f->n_runs; i++) {
        const form_t *r = &f->runs[i];
        if (memmem(r->text, r->len, t->term, t->term_len) ||
            memmem(t->term, t->term_len, r->text, r->len))
            return (int)r->word;
    }
    return -1;
}

/* A word starting with a word* of the query. */
static int prefix_word(const finder_t *f, const token_t *t)
{
    for (size_t i = 0; i < f->n_prefixes; i++) {
        const form_t *p = &f->prefixes[i];
        if (t->term_len >= p->len && memcmp(t->term, p->text, p->len) == 0)
            return (int)p->word;
    }
    return -1;
}

/* In a language whose endings inflect.h knows, a word that is a query
   word's form with endings (Қазақстанның for Қазақстан), as match.c
   finds it. */
static int inflected_word(const finder_t *f, const token_t *t)
{
    for (size_t i = 0; i < f->n_forms; i++) {
        const form_t *w = &f->forms[i];
        if (t->term_len > w->len && !memcmp(t->term, w->text, w->len) &&
            utf8_count(w->text, w->len) >= INFLECT_WORD_LETTERS &&
            inflect_is_ending(f->inflecting, t->term + w->len,
                              t->term_len - w->len))
            return (int)w->word;
    }
    return -1;
}

/* Whether the name term `matched` stands for the word whose name term is
   term[0..n): the same, or one of an older format that holds no spelling
   (N + key + ":" + shape, before that N + key) and is term's start. */
static bool same_name_term(const char *matched, const char *term, size_t n,
                           size_t key_len)
{
    size_t m = strlen(matched);
    if (m == n)
        return memcmp(matched, term, n) == 0;
    bool older = m == 1 + key_len || (m < n && term[m] == ':');
    return older && memcmp(matched, term, m) == 0;
}

/* A word that looks like a name, matched by its name term as the query
   matched it (names.c): its key, and its spelling when the index holds
   spellings. The analyzer remembers the keys of the words it has seen:
   names come back. */
static int name_word(finder_t *f, const token_t *t)
{
    char key[NAMEKEY_MAX + 1], term[DOCUMENT_NAME_TERM_MAX];
    namekey_shape_t shape;
    /* Its key, then an Arabic word's with ج read as g (جوجل, Google). */
    for (int jim_g = 0; jim_g < 2; jim_g++) {
        size_t len =
            jim_g ? analyzer_token_name_key_jim_g(f->analyzer, t, key, &shape)
                  : analyzer_token_name_key(f->analyzer, t, key, &shape);
        size_t n = len ? document_name_term(term, sizeof term, key, len, &shape,
                                            t->term, t->term_len)
                       : 0;
        /* The terms hold the key: a spelling found under another key than
           the word's (names.c: Arabic b for p) is compared all the same. */
        for (size_t i = 0; n && i < f->n_keys; i++) {
            const match_name_t *name = f->keys[i];
            for (size_t j = 0; j < name->n_key_terms; j++)
                if (same_name_term(name->key_terms[j], term, n, len))
                    return (int)f->key_words[i];
        }
    }
    return -1;
}

/* Whether the passage ending at the last match holds every query word: no
   later passage can show more of them, so reading further (re-segmenting
   long CJK bodies above all) is wasted. */
static bool complete_window(const finder_t *f)
{
    uint64_t seen = 0;
    size_t last = f->n - 1;
    for (size_t j = f->n;
         j-- > 0 && f->words[last].end - f->words[j].start <= f->target;)
        seen |= 1ULL << f->words[j].term;
    return f->all && seen == f->all;
}

static int find_matches(void *context, const token_t *t)
{
    finder_t *f = context;
    int word = t->spaceless ? run_word(f, t) : -1;
    if (word < 0 && f->n_prefixes)
        word = prefix_word(f, t);
    if (word < 0)
        word = form_word(f, t->term, t->term_len, false);
    if (word < 0)
        word = form_word(f, t->split, t->split_len, false);
    if (word < 0)
        word = form_word(f, t->stem, t->stem_len, true);
    if (word < 0 && t->name && f->n_keys)
        word = name_word(f, t);
    if (word < 0 && f->inflecting)
        word = inflected_word(f, t);
    if (word >= 0)
        f->words[f->n++] = (hit_word_t){
            t->start, t->end, context_start(f, t->start), (unsigned)word};
    f->recent[f->n_seen++ % SNIPPET_LOOKBACK] = t->start;
    return f->n == SNIPPET_MAX_MATCHES || (word >= 0 && complete_window(f));
}

/* Adds s[0..n) to the forms of query word `word`; `whole`: matched by an
   article word itself, not by its stem (form_word()). A form added twice
   is matched by stems if either says so. */
static void add_form(finder_t *f, const char *s, size_t n, unsigned word,
                     bool whole)
{
    for (size_t i = 0; s && i < f->n_forms; i++)
        if (f->forms[i].len == n && memcmp(f->forms[i].text, s, n) == 0) {
            f->forms[i].whole &= whole;
            return;
        }
    if (s && f->n_forms < SNIPPET_MAX_FORMS)
        f->forms[f->n_forms++] = (form_t){(char *)s, n, word, whole};
}

/* The terms the other names of a place a query word names matched
   (match.h: the one-word names' forms, the longer names' words): as
   words, and the stems of the article's language; an Arabic name by the
   article's words themselves, not their stems, as names.c matches it
   (the stem of البغدادي, al-Baghdadi, is بغداد). */
static void add_place_forms(finder_t *f, const match_name_t *name,
                            const char *lang, unsigned word)
{
    size_t z = strlen(DOCUMENT_STEM_PREFIX), l = lang ? strlen(lang) : 0;
    for (size_t i = 0; i < name->n_place_words; i++)
        add_form(f, name->place_words[i], strlen(name->place_words[i]), word,
                 false);
    for (size_t i = 0; i < name->n_place_terms; i++) {
        const char *t = name->place_terms[i];
        if (lang && strncmp(t, DOCUMENT_STEM_PREFIX, z) == 0 &&
            strncmp(t + z, lang, l) == 0 && t[z + l] == ':')
            add_form(f, t + z + l + 1, strlen(t + z + l + 1), word, false);
        else if (*t >= 'a' || (unsigned char)*t >= 0x80) /* no prefix */
            add_form(f, t, strlen(t), word, namekey_arabic(t));
    }
}

/*
 * The forms of every query word: matching form, split-off form, Serbian
 * Latin spelling, and the stem in the article's language; and its name
 * key when `names` gave it one. Stems are copied into `stems` (the
 * analyzer reuses its buffer).
 */
static void collect_forms(finder_t *f, analyzer_t *an, const parsed_query_t *q,
                          const match_names_t *names, const char *lang,
                          char (*stems)[ANALYZER_MAX_TERM + 1])
{
    unsigned word = 0;
    for (size_t c = 0; c < q->n_clauses; c++)
        for (size_t i = 0; i < q->clauses[c].n_words && word < 64; i++) {
            const word_t *w = &q->clauses[c].words[i];
            if (q->clauses[c].excluded)
                break;
            if (q->clauses[c].kind == CLAUSE_PREFIX) {
                if (f->n_prefixes < 64)
                    f->prefixes[f->n_prefixes++] =
                        (form_t){w->term, strlen(w->term), word++, false};
                break;
            }
            add_form(f, w->term, strlen(w->term), word, false);
            if (w->run && f->n_runs < 64)
                f->runs[f->n_runs++] =
                    (form_t){w->run, strlen(w->run), word, false};
            if (w->split)
                add_form(f, w->split, strlen(w->split), word, false);
            if (w->latin)
                add_form(f, w->latin, strlen(w->latin), word, false);
            const match_name_t *name = match_names_find(names, w);
            if (name && name->n_key_terms) {
                f->keys[f->n_keys] = name;
                f->key_words[f->n_keys++] = word;
            }
            if (name && name->n_places)
                add_place_forms(f, name, lang, word);
            size_t len = 0;
            const char *stem = lang ? analyzer_stem(an, lang, w->term, w->exact,
                                                    w->split, &len)
                                    : NULL;
            if (stem && len <= ANALYZER_MAX_TERM) {
                memcpy(stems[word], stem, len);
                add_form(f, stems[word], len, word, false);
            }
            word++;
        }
}

/* Index of the first match of the window with the best score. */
static size_t best_window(const finder_t *f, size_t target)
{
    size_t best = 0;
    unsigned best_score = 0;
    for (size_t i = 0; i < f->n; i++) {
        uint64_t seen = 0;
        unsigned distinct = 0, count = 0;
        for (size_t j = i;
             j < f->n && f->words[j].end - f->words[i].start <= target; j++) {
            uint64_t bit = 1ULL << f->words[j].term;
            if (!(seen & bit))
                distinct++;
            seen |= bit;
            count++;
        }
        unsigned score = distinct * 1000 + count;
        if (score > best_score) {
            best_score = score;
            best = i;
        }
    }
    return best;
}

static bool is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool is_continuation(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

/* The window [*from, *to) around the chosen match, at word edges. */
static void place_window(const char *text, size_t len, const finder_t *f,
                         size_t target, size_t *from, size_t *to)
{
    /* A text that fits is shown whole. */
    size_t s =
        f->n && len > target ? f->words[best_window(f, target)].context : 0;
    size_t e = s + target < len ? s + target : len;
    if (e < len) { /* end before a space, if one is in the second half */
        size_t k = e;
        while (k > s + target / 2 && !is_space(text[k]))
            k--;
        if (k > s + target / 2)
            e = k;
        while (e > s && is_continuation(text[e]))
            e--;
    }
    *from = s;
    *to = e;
}

/* Closes the span opened at out->spans[n_spans].start, merging it into the
   previous one when they touch (ideographs matched term by term). */
static void add_span(snippet_t *out, size_t end)
{
    size_t n = out->n_spans;
    if (n > 0 && out->spans[n - 1].end == out->spans[n].start)
        out->spans[n - 1].end = (uint32_t)end;
    else
        out->spans[out->n_spans++].end = (uint32_t)end;
}

void snippet_free(snippet_t *s)
{
    free(s->text);
    free(s->spans);
    memset(s, 0, sizeof *s);
}

nidx_status_t snippet_make(analyzer_t *an, const char *text, size_t len,
                           const parsed_query_t *q, const match_names_t *names,
                           const char *lang, size_t target, snippet_t *out,
                           nidx_error_t *err)
{
    finder_t *f = malloc(sizeof *f);
    char(*stems)[ANALYZER_MAX_TERM + 1] = malloc(64 * sizeof *stems);
    size_t from, to;
    memset(out, 0, sizeof *out);
    if (!f || !stems) {
        free(f);
        free(stems);
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    }
    f->analyzer = an;
    f->n_forms = f->n_runs = f->n_prefixes = f->n_keys = 0;
    f->inflecting = lang && inflect_known(lang) ? lang : NULL;
    collect_forms(f, an, q, names, lang, stems);
    analyzer_set_language(an, lang);
    f->lead = target / 4;
    f->target = target;
    f->all = 0;
    for (size_t i = 0; i < f->n_forms; i++)
        f->all |= 1ULL << f->forms[i].word;
    for (size_t i = 0; i < f->n_runs; i++)
        f->all |= 1ULL << f->runs[i].word;
    for (size_t i = 0; i < f->n_prefixes; i++)
        f->all |= 1ULL << f->prefixes[i].word;
    for (size_t i = 0; i < f->n_keys; i++)
        f->all |= 1ULL << f->key_words[i];
    f->n = f->n_seen = 0;
    size_t scan = len < SNIPPET_SCAN_BYTES ? len : SNIPPET_SCAN_BYTES;
    while (scan < len && is_continuation(text[scan]))
        scan--;
    nidx_status_t st =
        analyzer_run(an, text, scan, 0, find_matches, f, NULL, err);
    analyzer_set_language(an, NULL);
    if (st != NIDX_OK) {
        free(f);
        free(stems);
        return st;
    }
    place_window(text, len, f, target, &from, &to);

    /* "…" (3 bytes) at each end, and every byte of the window at most. */
    out->text = malloc(to - from + 7);
    out->spans = malloc((f->n ? f->n : 1) * sizeof *out->spans);
    if (!out->text || !out->spans) {
        free(f);
        free(stems);
        snippet_free(out);
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    }
    size_t o = 0, w = 0;
    while (w < f->n && f->words[w].start < from)
        w++;
    while (from < to && is_space(text[from]))
        from++;
    if (from > 0) {
        memcpy(out->text, "\xE2\x80\xA6", 3);
        o = 3;
    }
    for (size_t i = from; i < to; i++) {
        if (w < f->n && f->words[w].start == i && f->words[w].end <= to)
            out->spans[out->n_spans].start = (uint32_t)o;
        if (is_space(text[i])) {
            if (o > 0 && out->text[o - 1] != ' ')
                out->text[o++] = ' ';
        } else {
            out->text[o++] = text[i];
        }
        if (w < f->n && f->words[w].end == i + 1) {
            if (f->words[w].end <= to && f->words[w].start >= from)
                add_span(out, o);
            w++;
        }
    }
    while (o > 0 && out->text[o - 1] == ' ')
        o--;
    if (to < len) {
        memcpy(out->text + o, "\xE2\x80\xA6", 3);
        o += 3;
    }
    out->text[o] = '\0';
    free(f);
    free(stems);
    return NIDX_OK;
}
