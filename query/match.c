/* match.c — words in all their forms, then tiered matching. */
#include "match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document.h"
#include "error.h"
#include "expand.h"
#include "gazetteer.h"
#include "inflect.h"
#include "namekey.h"
#include "recut.h"
#include "utf8.h"

static int add_language(void *context, const char *code, size_t len,
                        uint64_t freq)
{
    (void)freq;
    match_languages_t *langs = context;
    if (len == 0 || len >= LANGUAGE_CODE_MAX)
        return 0;
    memcpy(langs->codes[langs->n], code, len);
    langs->codes[langs->n][len] = '\0';
    return ++langs->n == MATCH_MAX_LANGUAGES;
}

nidx_status_t match_read_languages(xshim_reader_t *reader,
                                   match_languages_t *langs, nidx_error_t *err)
{
    langs->n = 0;
    return xshim_reader_terms(reader, DOCUMENT_LANG_PREFIX, add_language, langs,
                              err);
}

/*
 * build(context, i) for i < n, combined with `op` (the one query itself
 * when n == 1); NULL when out of memory. Every query built is consumed.
 */
xshim_query_t *combine_built(xshim_op_t op, size_t n, build_fn build,
                             const void *context)
{
    xshim_query_t **subs = calloc(n, sizeof *subs);
    if (!subs)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!(subs[i] = build(context, i))) {
            while (i-- > 0)
                xshim_query_free(subs[i]);
            free(subs);
            return NULL;
        }
    xshim_query_t *q = n == 1 ? subs[0] : xshim_query_combine(op, subs, n);
    free(subs);
    return q;
}

/* a op b, both consumed; NULL when either is NULL (out of memory). */
xshim_query_t *combine_two(xshim_op_t op, xshim_query_t *a, xshim_query_t *b)
{
    if (!a || !b) {
        xshim_query_free(a);
        xshim_query_free(b);
        return NULL;
    }
    xshim_query_t *pair[2] = {a, b};
    return xshim_query_combine(op, pair, 2);
}

/* The i-th of an array of strings, as a term. */
xshim_query_t *string_query(const void *strings, size_t i)
{
    const char *t = ((const char *const *)strings)[i];
    return xshim_query_term(t, strlen(t));
}

void add_form(forms_t *f, const char *prefix, const char *a, size_t a_len,
              const char *b, size_t b_len)
{
    char t[sizeof f->terms[0]];
    if (!a || f->n == MAX_FORMS ||
        !document_prefixed_term(t, sizeof t, prefix, a, a_len, b, b_len))
        return;
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->terms[i], t) == 0)
            return;
    strcpy(f->terms[f->n++], t);
}

static xshim_query_t *form_query(const void *forms, size_t i)
{
    const char *t = ((const forms_t *)forms)->terms[i];
    return xshim_query_term(t, strlen(t));
}

/*
 * The forms the index holds, combined with `op`; a query matching
 * nothing when it holds none; NULL when out of memory. Absent forms are
 * left out rather than matched: Xapian 1.4 pairs an OR's empty posting
 * lists into a chain as deep as their number, which a long query of
 * unknown words made quadratic (1,000 words: 2 s on 52 articles).
 */
xshim_query_t *forms_query(const expansion_t *x, forms_t *f, xshim_op_t op)
{
    size_t held = 0;
    for (size_t i = 0; i < f->n; i++)
        if (xshim_reader_termfreq(x->reader, f->terms[i], strlen(f->terms[i])) >
            0)
            memmove(f->terms[held++], f->terms[i], sizeof f->terms[i]);
    f->n = held;
    return held ? combine_built(op, f->n, form_query, f)
                : xshim_query_nothing();
}

/* Most terms a word* stands for: the most frequent ones. */
#define PREFIX_TERMS 256

typedef struct pairs {
    const char *prefix; /* "" or DOCUMENT_TITLE_PREFIX */
    char terms[ANALYZER_MAX_TERM][16];
    size_t n;
} pairs_t;

static void add_pair(void *context, const char *term, size_t len, size_t i)
{
    pairs_t *p = context;
    (void)i;
    if (p->n < ANALYZER_MAX_TERM &&
        document_prefixed_term(p->terms[p->n], sizeof p->terms[0], p->prefix,
                               term, len, NULL, 0))
        p->n++;
}

static xshim_query_t *pair_query(const void *pairs, size_t i)
{
    const char *t = ((const pairs_t *)pairs)->terms[i];
    return xshim_query_term(t, strlen(t));
}

/* A run of Thai, Lao, Khmer or Burmese letters: its letter pairs, adjacent
   and in order, wherever in an article's run they stand. NULL when the
   run is a single letter or out of memory. */
xshim_query_t *run_query(const char *run, const char *prefix, bool unordered)
{
    pairs_t *p = malloc(sizeof *p);
    xshim_query_t *q = NULL;
    if (!p)
        return NULL;
    p->prefix = prefix;
    p->n = 0;
    document_bigrams(run, strlen(run), add_pair, p);
    if (p->n > 0)
        q = combine_built(unordered ? XSHIM_AND : XSHIM_PHRASE, p->n,
                          pair_query, p);
    free(p);
    return q;
}

/* Stems of a word tried as words in their own language's articles only
   (see word_forms()). */
typedef struct stem_words {
    char terms[MATCH_MAX_LANGUAGES][MATCH_TERM_MAX];
    char langs[MATCH_MAX_LANGUAGES][LANGUAGE_CODE_MAX];
    size_t n;
} stem_words_t;

static void add_stem_word(stem_words_t *s, const char *prefix, const char *stem,
                          size_t len, const char *lang)
{
    char t[MATCH_TERM_MAX];
    if (s->n == MATCH_MAX_LANGUAGES ||
        !document_prefixed_term(t, sizeof t, prefix, stem, len, NULL, 0))
        return;
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->terms[i], t) && !strcmp(s->langs[i], lang))
            return;
    strcpy(s->terms[s->n], t);
    snprintf(s->langs[s->n++], sizeof s->langs[0], "%s", lang);
}

bool written_as_name(const expansion_t *x, const word_t *w)
{
    name_memo_t *memo = x->memo;
    for (size_t i = 0; memo && i < memo->n; i++)
        if (memo->word[i] == w)
            return memo->name[i];
    char term[ANALYZER_MAX_TERM + 8];
    size_t len = strlen(w->term);
    uint64_t all = xshim_reader_termfreq(x->reader, w->term, len);
    size_t n = document_prefixed_term(
        term, sizeof term, DOCUMENT_CAPITAL_PREFIX, w->term, len, NULL, 0);
    bool name = all && n &&
                (double)xshim_reader_termfreq(x->reader, term, n) >=
                    NAME_EVIDENCE * (double)all;
    if (memo && memo->n < MATCH_MAX_NAMES) {
        memo->word[memo->n] = w;
        memo->name[memo->n++] = name;
    }
    return name;
}

static void add_inflected_form(void *context, const char *form, size_t len)
{
    add_form(context, "", form, len, NULL, 0);
}

/*
 * The forms a word may take in articles (as `prefix` + term) into `any`:
 * its matching form, split-off form, Serbian Latin spelling, and its stem
 * in each language of the index written in its script. An article word
 * that is its own stem carries no stem term, so a stem is also tried as a
 * word, in every language: a cognate ("drones" finds Serbian and Turkish
 * "dron" through the Spanish stem). A name's stems (a word the index
 * writes with a capital, asked when `stem_words` is given) are tried as
 * words in their own language's articles only, into `stem_words` (French
 * stems Damas to "dam", an English word), and not at all when shorter
 * than NAME_STEM_LETTERS.
 */
void word_forms(const expansion_t *x, const word_t *w, const char *prefix,
                forms_t *any, stem_words_t *stem_words)
{
    bool name = stem_words && analyzer_cased(w->term, strlen(w->term)) &&
                written_as_name(x, w);
    char stem_prefix[8];
    snprintf(stem_prefix, sizeof stem_prefix, "%s%s", prefix,
             DOCUMENT_STEM_PREFIX);
    add_form(any, prefix, w->term, strlen(w->term), NULL, 0);
    if (w->split)
        add_form(any, prefix, w->split, strlen(w->split), NULL, 0);
    if (w->latin)
        add_form(any, prefix, w->latin, strlen(w->latin), NULL, 0);
    /* Articles store the stem of the word without its suffix. */
    const char *base = w->split ? w->split : w->term;
    for (size_t i = 0; i < x->langs->n; i++) {
        const char *lang = x->langs->codes[i];
        size_t len;
        if (!language_stemmer_name(lang) || !language_writes(lang, w->term))
            continue;
        const char *stem =
            analyzer_stem(x->analyzer, lang, w->term, w->exact, w->split, &len);
        if (!stem) { /* the word is its own stem */
            stem = base;
            len = strlen(base);
        }
        bool own = len == strlen(w->term) && !memcmp(stem, w->term, len);
        if (name && !own && stem != base &&
            utf8_count(stem, len) < NAME_STEM_LETTERS)
            continue;
        add_form(any, stem_prefix, lang, strlen(lang), stem, len);
        if (name && !own && stem != base)
            add_stem_word(stem_words, prefix, stem, len, lang);
        else
            add_form(any, prefix, stem, len, NULL, 0);
    }
    /* A language without a stemmer whose endings are known (Kazakh): the
       word's forms with them that the index holds, as the word itself
       (Қазақстан finds Қазақстанның, of Kazakhstan), not of short words. */
    for (size_t i = 0; i < x->langs->n; i++) {
        const char *lang = x->langs->codes[i];
        if (inflect_known(lang) && language_writes(lang, w->term) &&
            utf8_count(w->term, strlen(w->term)) >= INFLECT_WORD_LETTERS &&
            any->n < MAX_FORMS)
            inflect_forms(x->reader, lang, prefix, w->term, MAX_FORMS - any->n,
                          add_inflected_form, any);
    }
}

static xshim_query_t *stem_word_query(const void *context, size_t i)
{
    const stem_words_t *s = context;
    char lang[LANGUAGE_CODE_MAX + 8];
    size_t n =
        document_prefixed_term(lang, sizeof lang, DOCUMENT_LANG_PREFIX,
                               s->langs[i], strlen(s->langs[i]), NULL, 0);
    return combine_two(XSHIM_FILTER,
                       xshim_query_term(s->terms[i], strlen(s->terms[i])),
                       xshim_query_term(lang, n));
}

/* The stems tried as words that the index holds, each in its language's
   articles; NULL when none (or out of memory). */
static xshim_query_t *stem_words_query(const expansion_t *x, stem_words_t *s)
{
    size_t held = 0;
    for (size_t i = 0; i < s->n; i++)
        if (xshim_reader_termfreq(x->reader, s->terms[i], strlen(s->terms[i])) >
            0) {
            memmove(s->terms[held], s->terms[i], sizeof s->terms[i]);
            memmove(s->langs[held++], s->langs[i], sizeof s->langs[i]);
        }
    s->n = held;
    return held ? combine_built(XSHIM_OR, held, stem_word_query, s) : NULL;
}

/*
 * A word the index does not hold finds articles only through its forms
 * in other words: its stems in the index's languages, and those stems
 * tried as words, which find cognates ("drone" finds Serbian "dron") but
 * also other words ("Astana", which no article writes in Latin letters,
 * found the ticker ASTA through the Turkish stem "asta", above the
 * Cyrillic Астана its name key finds). Where the word has other
 * spellings as a name (has_other_names()), such words weigh
 * COGNATE_WEIGHT, below those spellings (names.c: NAME_WEIGHT, 0.5).
 * Where it has none, they weigh as before: in one language's archive the
 * stem tried as a word is the word's own family (qrels: a lower weight
 * lost cacm 0.0007 of MAP).
 */
#define COGNATE_WEIGHT 0.1

/* Moves from any into cognates the forms that are neither the word
   (as typed, split or in Latin letters) nor a stem term. */
static void split_cognates(const word_t *w, forms_t *any, forms_t *cognates)
{
    size_t kept = 0, stem = strlen(DOCUMENT_STEM_PREFIX);
    cognates->n = 0;
    for (size_t i = 0; i < any->n; i++) {
        const char *t = any->terms[i];
        bool own = !strcmp(t, w->term) || (w->split && !strcmp(t, w->split)) ||
                   (w->latin && !strcmp(t, w->latin)) ||
                   !strncmp(t, DOCUMENT_STEM_PREFIX, stem);
        if (own)
            memmove(any->terms[kept++], t, sizeof any->terms[0]);
        else
            strcpy(cognates->terms[cognates->n++], t);
    }
    any->n = kept;
}

/* A word in all its forms, the form as typed adding weight. `near`: as
   an OR of its forms, which NEAR can place. */
static xshim_query_t *forms_spelled(const expansion_t *x, const word_t *w,
                                    const char *prefix, bool near)
{
    xshim_query_t *q = NULL, *stems = NULL;
    forms_t *any = malloc(sizeof *any), *typed = malloc(sizeof *typed);
    stem_words_t *stem_words = malloc(sizeof *stem_words);
    if (!any || !typed || !stem_words)
        goto done;
    any->n = typed->n = stem_words->n = 0;
    /* NEAR places terms only: its stems stay words of every language. */
    word_forms(x, w, prefix, any, near ? NULL : stem_words);
    stems = stem_words_query(x, stem_words);
    if (near || !x->weighted) {
        q = forms_query(x, any, near ? XSHIM_OR : XSHIM_SYNONYM);
        if (stems)
            q = combine_two(XSHIM_OR, q, stems);
        goto done;
    }
    add_form(typed, prefix, w->term, strlen(w->term), NULL, 0);
    /* As typed: with its diacritics; and a Cyrillic word that Serbian
       articles hold in Latin letters (w->latin) in its own script, which
       they keep as its exact form, so that Вучић puts the Cyrillic
       article first and Vučić the Latin one. */
    const char *exact = w->exact ? w->exact : w->latin ? w->term : NULL;
    if (exact && !*prefix)
        add_form(typed, DOCUMENT_EXACT_PREFIX, exact, strlen(exact), NULL, 0);
    xshim_query_t *cognates = NULL;
    if (!*prefix &&
        !xshim_reader_termfreq(x->reader, w->term, strlen(w->term)) &&
        has_other_names(x, w)) {
        forms_t *c = malloc(sizeof *c);
        if (c) {
            split_cognates(w, any, c);
            if (c->n)
                cognates = xshim_query_scaled(forms_query(x, c, XSHIM_SYNONYM),
                                              COGNATE_WEIGHT);
            free(c);
        }
    }
    xshim_query_t *all = forms_query(x, any, XSHIM_SYNONYM);
    if (cognates)
        all = combine_two(XSHIM_OR, all, cognates);
    xshim_query_t *as_typed = forms_query(x, typed, XSHIM_OR);
    if (stems) /* the word's forms, and its stems as words below them */
        all = combine_two(XSHIM_OR, all, stems);
    if (!stems && any->n == 1 && typed->n == 1 &&
        !strcmp(any->terms[0], typed->terms[0])) {
        /* The index holds the word in its typed form only: the two parts
           would walk one posting list twice, each leaf weighing the term
           once. Twice the term, from one list, is the same score. */
        xshim_query_free(all);
        xshim_query_free(as_typed);
        q = xshim_query_scaled_term(any->terms[0], strlen(any->terms[0]), 2.0);
    } else {
        q = combine_two(XSHIM_AND_MAYBE, all, as_typed);
    }
done:
    free(any);
    free(typed);
    free(stem_words);
    return q;
}

/* A word as forms_spelled() has it; a word of Thai, Lao, Khmer or Burmese
   as its letter pairs, adjacent and in order. */
static xshim_query_t *spelled_query(const expansion_t *x, const word_t *w,
                                    const char *prefix, bool near)
{
    xshim_query_t *pairs =
        w->run && !near ? run_query(w->run, prefix, x->unordered) : NULL;
    if (!pairs)
        return forms_spelled(x, w, prefix, near);
    if (document_spaceless(w->run))
        return pairs;
    /* Digits or Latin letters split from such a word (clause.c): a word
       where articles space them, pairs where they join them. */
    return combine_two(XSHIM_OR, pairs, forms_spelled(x, w, prefix, near));
}

/* A word as spelled_query() has it, and its other spellings as a name. */
static xshim_query_t *word_query(const expansion_t *x, const word_t *w,
                                 const char *prefix, bool near)
{
    return with_name(x, w, prefix, near, spelled_query(x, w, prefix, near));
}

typedef struct prefixed {
    xshim_reader_t *reader;
    const char **spellings;
    const char *prefix;
} prefixed_t;

/* Every term starting with the i-th spelling of a word*. */
static xshim_query_t *prefix_query(const void *context, size_t i)
{
    const prefixed_t *p = context;
    char t[ANALYZER_MAX_TERM + 8];
    size_t n = document_prefixed_term(t, sizeof t, p->prefix, p->spellings[i],
                                      strlen(p->spellings[i]), NULL, 0);
    return n ? xshim_reader_prefix_query(p->reader, t, n, PREFIX_TERMS) : NULL;
}

/* Some words of a clause, as a phrase or as words all required. */
typedef struct reading {
    const expansion_t *x;
    const word_t *words;
    size_t n;
    bool phrase;   /* the words' matching forms only */
    bool in_order; /* and those adjacent and in order */
    const char *prefix;
} reading_t;

static xshim_query_t *reading_word_query(const void *context, size_t i)
{
    const reading_t *r = context;
    if (r->phrase) {
        char t[ANALYZER_MAX_TERM + 8];
        const char *w = r->words[i].term;
        size_t n = document_prefixed_term(t, sizeof t, r->prefix, w, strlen(w),
                                          NULL, 0);
        return xshim_query_term(t, n);
    }
    return word_query(r->x, &r->words[i], r->prefix, false);
}

static xshim_query_t *reading_query(const reading_t *r)
{
    return combine_built(r->phrase && r->in_order ? XSHIM_PHRASE : XSHIM_AND,
                         r->n, reading_word_query, r);
}

static xshim_query_t *either_query(const void *context, size_t i)
{
    return reading_query(&((const reading_t *)context)[i]);
}

/* A word in all its forms; a phrase as its words' matching forms,
   adjacent and in order; either of two readings; the words starting with
   a prefix. */
static xshim_query_t *clause_terms(const expansion_t *x, const clause_t *c,
                                   bool near)
{
    const char *prefix =
        c->title && !x->titles_as_words ? DOCUMENT_TITLE_PREFIX : "";
    bool ordered = !x->unordered;
    if (c->kind == CLAUSE_WORD)
        return word_query(x, &c->words[0], prefix, near);
    if (c->kind == CLAUSE_PREFIX) {
        /* A Serbian Cyrillic prefix is also tried in Latin letters. */
        const char *spellings[2] = {c->words[0].term, c->words[0].latin};
        return combine_built(XSHIM_OR, spellings[1] ? 2 : 1, prefix_query,
                             (prefixed_t[]){{x->reader, spellings, prefix}});
    }
    if (c->kind == CLAUSE_PHRASE) {
        reading_t r = {x, c->words, c->n_words, true, ordered, prefix};
        return reading_query(&r);
    }
    bool phrase = c->either_phrases;
    reading_t readings[2] = {
        {x, c->words, c->n_first, phrase && c->n_first > 1, ordered, prefix},
        {x, c->words + c->n_first, c->n_words - c->n_first,
         phrase && c->n_words - c->n_first > 1, ordered, prefix}};
    return combine_built(XSHIM_OR, 2, either_query, readings);
}

/* Whether a clause needs its words' positions: a phrase, a reading as
   one, a run of letter pairs. */
static bool clause_placed(const clause_t *c)
{
    return (c->kind == CLAUSE_PHRASE && c->n_words > 1) ||
           (c->kind == CLAUSE_EITHER && c->either_phrases) ||
           (c->kind == CLAUSE_WORD && c->words[0].run);
}

/*
 * Placed within a title, a query's positions come from the words' own
 * terms, and the title terms, which keep no positions (an article's
 * title words are at the same positions in both), keep it to the title
 * and weigh it: title_terms FILTER placed. The title terms alone may
 * all be in the title while the phrase is in the body: a title phrase
 * can then match an article whose title holds its words apart.
 */
static xshim_query_t *title_placed(xshim_query_t *terms, xshim_query_t *placed)
{
    return combine_two(XSHIM_FILTER, terms, placed);
}

/* What clause c became when cut again (recut.h), or NULL. */
static const recut_t *recut_of(const expansion_t *x, const clause_t *c)
{
    return x->recut ? &x->recut[c - x->pq->clauses] : NULL;
}

/* The words of clauses [first, first + n) all required, each in all its
   forms. */
typedef struct span_words {
    const expansion_t *x;
    const clause_t *first;
} span_words_t;

static xshim_query_t *span_word_query(const void *context, size_t i)
{
    const span_words_t *s = context;
    return word_query(s->x, &s->first[i].words[0], "", false);
}

static xshim_query_t *clause_query(const expansion_t *x, const clause_t *c,
                                   bool near)
{
    size_t at = (size_t)(c - x->pq->clauses);
    if (x->spans && x->spans[at] >= 2 && x->spans[at] != PLACE_SPAN_LATER &&
        !near) { /* a place's name of several words */
        span_words_t s = {x, c};
        return with_place_span(
            x, at, x->spans[at],
            combine_built(XSHIM_AND, x->spans[at], span_word_query, &s));
    }
    const recut_t *r = recut_of(x, c);
    if (r && r->n && !near) /* the words the index holds, all required */
        return combine_built(XSHIM_AND, r->n, string_query, r->terms);
    if (!c->title || x->titles_as_words || near || !clause_placed(c))
        return clause_terms(x, c, near);
    expansion_t title = *x, words = *x;
    title.unordered = true;
    words.titles_as_words = true;
    words.weighted = false;
    return title_placed(clause_terms(&title, c, false),
                        clause_terms(&words, c, false));
}

/* ---- the tree ---- */

/* Nodes picked from a parent's kids. */
typedef struct picked {
    const expansion_t *x;
    const node_t **nodes;
    size_t n;
} picked_t;

static xshim_query_t *node_query(const expansion_t *x, const node_t *n);

static xshim_query_t *picked_query(const void *context, size_t i)
{
    const picked_t *p = context;
    return node_query(p->x, p->nodes[i]);
}

/* The picked nodes combined with op; NULL when none or out of memory. */
static xshim_query_t *combine_picked(const picked_t *p, xshim_op_t op)
{
    return p->n ? combine_built(op, p->n, picked_query, p) : NULL;
}

static bool is_filter(const node_t *n)
{
    if (n->kind == NODE_TERM || n->kind == NODE_DATE)
        return true;
    if (n->kind == NODE_CLAUSE || n->kind == NODE_NEAR || n->n_kids == 0)
        return false;
    for (size_t i = 0; i < n->n_kids; i++)
        if (!is_filter(&n->kids[i]))
            return false;
    return true;
}

/* The kids of a group or AND, sorted by what they do. */
typedef struct sorted_kids {
    const node_t **all; /* one array for the lists below */
    picked_t required, optional, filters, excluded;
    picked_t searched; /* required then optional: every weighted kid */
    /* The optional kids that may match alone, and those that may not (a
       one-letter word of a run: clause_t.weak). */
    picked_t strong, weak;
} sorted_kids_t;

static bool is_weak(const expansion_t *x, const node_t *n)
{
    if (n->kind != NODE_CLAUSE)
        return false;
    const recut_t *r = recut_of(x, &x->pq->clauses[n->clause]);
    return x->pq->clauses[n->clause].weak && !(r && r->n);
}

/* Whether a kid is a word another one stands for (recut.h; a later word
   of a place's name, match_place_spans()). */
static bool is_absorbed(const expansion_t *x, const node_t *n)
{
    const recut_t *r =
        n->kind == NODE_CLAUSE ? recut_of(x, &x->pq->clauses[n->clause]) : NULL;
    return (r && r->absorbed) || (n->kind == NODE_CLAUSE && x->spans &&
                                  x->spans[n->clause] == PLACE_SPAN_LATER);
}

/* Sorts the kids; `all_required`: no kid is optional (AND, nested
   groups). False when out of memory. */
static bool sort_kids(const expansion_t *x, const node_t *n, bool all_required,
                      sorted_kids_t *s)
{
    enum { LISTS = 7 };
    memset(s, 0, sizeof *s);
    s->all = calloc(n->n_kids ? n->n_kids * LISTS : 1, sizeof *s->all);
    if (!s->all)
        return false;
    picked_t *lists[LISTS] = {&s->required, &s->optional, &s->filters,
                              &s->excluded, &s->searched, &s->strong,
                              &s->weak};
    for (int l = 0; l < LISTS; l++) {
        lists[l]->x = x;
        lists[l]->nodes = s->all + (size_t)l * n->n_kids;
    }
    for (size_t i = 0; i < n->n_kids; i++) {
        const node_t *k = &n->kids[i];
        if (is_absorbed(x, k))
            continue;
        picked_t *to = k->sign == SIGN_NOT                    ? &s->excluded
                       : is_filter(k)                         ? &s->filters
                       : k->sign == SIGN_MUST || all_required ? &s->required
                                                              : &s->optional;
        to->nodes[to->n++] = k;
        if (to == &s->optional) {
            picked_t *kind = is_weak(x, k) ? &s->weak : &s->strong;
            kind->nodes[kind->n++] = k;
        }
    }
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < lists[l]->n; i++)
            s->searched.nodes[s->searched.n++] = lists[l]->nodes[i];
    return true;
}

/* The picked nodes combined with op, for selecting only: no weighting
   parts (see tiers() for why that matters under AND_NOT). */
static xshim_query_t *combine_selecting(const picked_t *p, xshim_op_t op)
{
    expansion_t selecting = *p->x;
    picked_t q = *p;
    selecting.weighted = false;
    q.x = &selecting;
    return combine_picked(&q, op);
}

/* q (which may be NULL: nothing weighted) within the filters and without
   the excluded; consumes q. NULL when out of memory or nothing at all. */
static xshim_query_t *restrict_query(xshim_query_t *q, const sorted_kids_t *s)
{
    if (s->filters.n) {
        xshim_query_t *filter = combine_selecting(&s->filters, XSHIM_AND);
        q = q ? combine_two(XSHIM_FILTER, q, filter) : filter;
    }
    if (q && s->excluded.n)
        q = combine_two(XSHIM_AND_NOT, q,
                        combine_selecting(&s->excluded, XSHIM_OR));
    return q;
}

/* Every kid that is not excluded, without those that are. */
static xshim_query_t *conjunction(const expansion_t *x, const node_t *n)
{
    sorted_kids_t s;
    if (!sort_kids(x, n, true, &s))
        return NULL;
    xshim_query_t *q =
        restrict_query(combine_picked(&s.required, XSHIM_AND), &s);
    free(s.all);
    return q;
}

typedef struct near_kids {
    const expansion_t *x;
    const node_t *near;
} near_kids_t;

static xshim_query_t *near_kid_query(const void *context, size_t i)
{
    const near_kids_t *k = context;
    return clause_terms(k->x, &k->x->pq->clauses[k->near->kids[i].clause],
                        true);
}

/* The clauses within NEAR/n: at most n words between; Xapian's window
   spans them all. */
static xshim_query_t *placed_near(const expansion_t *x, const node_t *n)
{
    near_kids_t k = {x, n};
    xshim_query_t **subs = calloc(n->n_kids, sizeof *subs);
    if (!subs)
        return NULL;
    for (size_t i = 0; i < n->n_kids; i++)
        if (!(subs[i] = near_kid_query(&k, i))) {
            while (i-- > 0)
                xshim_query_free(subs[i]);
            free(subs);
            return NULL;
        }
    xshim_query_t *q =
        xshim_query_near(subs, n->n_kids, n->window + (unsigned)n->n_kids);
    free(subs);
    return q;
}

/* NEAR of clauses; with title clauses, placed by the words' own terms
   (title_placed()). */
static xshim_query_t *near_query(const expansion_t *x, const node_t *n)
{
    bool titled = false;
    for (size_t i = 0; i < n->n_kids; i++)
        titled |= x->pq->clauses[n->kids[i].clause].title;
    if (!titled || x->titles_as_words)
        return placed_near(x, n);
    expansion_t title = *x, words = *x;
    title.unordered = true;
    words.titles_as_words = true;
    words.weighted = false;
    near_kids_t k = {&title, n};
    return title_placed(combine_built(XSHIM_AND, n->n_kids, near_kid_query, &k),
                        placed_near(&words, n));
}

static xshim_query_t *date_query(const node_t *n)
{
    char hi[16];
    /* "2024-03" ends after every day of March: "2024-03-31" < "2024-03\xff" */
    if (n->to)
        snprintf(hi, sizeof hi, "%s\xff", n->to);
    return xshim_query_value_range(DOCUMENT_SLOT_DATE, n->text,
                                   n->to ? hi : NULL);
}

static xshim_query_t *node_query(const expansion_t *x, const node_t *n)
{
    switch (n->kind) {
    case NODE_CLAUSE: return clause_query(x, &x->pq->clauses[n->clause], false);
    case NODE_TERM: return xshim_query_term(n->text, strlen(n->text));
    case NODE_DATE: return date_query(n);
    case NODE_OR: {
        picked_t p = {x, NULL, n->n_kids};
        const node_t **nodes = calloc(n->n_kids, sizeof *nodes);
        if (!nodes)
            return NULL;
        for (size_t i = 0; i < n->n_kids; i++)
            nodes[i] = &n->kids[i];
        p.nodes = nodes;
        xshim_query_t *q = combine_picked(&p, XSHIM_OR);
        free(nodes);
        return q;
    }
    case NODE_NEAR: return near_query(x, n);
    case NODE_AND:
    case NODE_GROUP: return conjunction(x, n);
    }
    return NULL;
}

/* ---- runs typed without spaces, as written ---- */

/*
 * Run r as written into *q: its words adjacent and in order; for Thai,
 * Lao, Khmer and Burmese, its letters' pairs (document.h), however ICU cut
 * it. *q stays NULL when the run cannot be placed: a title's words (title
 * terms keep no positions), or a run mixing those scripts with others.
 * False when out of memory.
 */
static bool run_written(const expansion_t *x, const query_run_t *r,
                        xshim_query_t **q)
{
    const clause_t *c = &x->pq->clauses[r->first];
    size_t spaceless = 0, bytes = 1;
    *q = NULL;
    for (size_t i = 0; i < r->n; i++) {
        if (c[i].kind != CLAUSE_WORD || c[i].title)
            return true;
        spaceless += c[i].words[0].run != NULL;
        bytes += strlen(c[i].words[0].term);
    }
    if (spaceless == 0) {
        size_t n = 0, room = 0;
        for (size_t i = 0; i < r->n; i++) {
            const recut_t *cut = recut_of(x, &c[i]);
            room += cut && cut->n ? cut->n : 1;
        }
        const char **terms = malloc(room * sizeof *terms);
        if (!terms)
            return false;
        for (size_t i = 0; i < r->n; i++) {
            const recut_t *cut = recut_of(x, &c[i]);
            if (cut && cut->n)
                for (size_t k = 0; k < cut->n; k++)
                    terms[n++] = cut->terms[k];
            else if (!cut || !cut->absorbed)
                terms[n++] = c[i].words[0].term;
        }
        *q = combine_built(n > 1 ? XSHIM_PHRASE : XSHIM_AND, n, string_query,
                           terms);
        free(terms);
        return *q != NULL;
    }
    if (spaceless < r->n)
        return true;
    char *letters = malloc(bytes);
    if (!letters)
        return false;
    letters[0] = '\0';
    for (size_t i = 0; i < r->n; i++)
        strcat(letters, c[i].words[0].run);
    *q = run_query(letters, "", false);
    free(letters);
    return *q != NULL;
}

/* Every run of the query as written, for selecting: *q NULL when the
   query has none that can be placed. False when out of memory. */
static bool runs_written(const expansion_t *x, xshim_query_t **q)
{
    *q = NULL;
    for (size_t i = 0; i < x->pq->n_runs; i++) {
        xshim_query_t *one;
        if (!run_written(x, &x->pq->runs[i], &one)) {
            xshim_query_free(*q);
            *q = NULL;
            return false;
        }
        if (one)
            *q = *q ? combine_two(XSHIM_AND, *q, one) : one;
        if (one && !*q)
            return false;
    }
    return true;
}

/* ---- tiers ---- */

/* Up to three tiers: every item with its runs as written, every item,
   some items. */
#define MAX_TIERS 3
typedef struct tiers {
    xshim_query_t *q[MAX_TIERS];
    size_t n;
} tiers_t;

static void tiers_free(tiers_t *t)
{
    for (size_t i = 0; i < t->n; i++)
        xshim_query_free(t->q[i]);
    t->n = 0;
}

/*
 * Every item (required and optional) when the query has runs typed
 * without spaces: split in two tiers, those holding every run as written
 * (in order, adjacent), then the others. False when out of memory.
 */
static bool every_item(const expansion_t *x, const sorted_kids_t *s, tiers_t *t)
{
    xshim_query_t *written = NULL, *q;
    if (s->searched.n && !runs_written(x, &written))
        return false;
    if (!written) {
        q = restrict_query(combine_picked(&s->searched, XSHIM_AND), s);
        return q && (t->q[t->n++] = q);
    }
    xshim_query_t *every = combine_picked(&s->searched, XSHIM_AND);
    xshim_query_t *every_again = every ? xshim_query_copy(every) : NULL;
    xshim_query_t *unwritten = xshim_query_copy(written);
    /* The runs only select: their pairs would count the words twice. */
    q = restrict_query(combine_two(XSHIM_FILTER, every, written), s);
    if (q)
        t->q[t->n++] = q;
    xshim_query_t *rest =
        restrict_query(combine_two(XSHIM_AND_NOT, every_again, unwritten), s);
    if (rest)
        t->q[t->n++] = rest;
    return q && rest;
}

/*
 * Some optional items but not all, and the required ones. The "not all"
 * only selects: without the weighting parts, the query is smaller, and
 * Xapian 1.4.22 reads uninitialised memory (valgrind) on AND_MAYBE under
 * the right side of AND_NOT. A weak item (a particle of a run) only adds
 * weight to an article the others matched. NULL when out of memory.
 */
static xshim_query_t *some_items(const sorted_kids_t *s)
{
    xshim_query_t *some = NULL;
    if (s->strong.n)
        some = combine_picked(&s->strong, XSHIM_OR);
    if (s->required.n)
        some = some ? combine_two(XSHIM_AND_MAYBE,
                                  combine_picked(&s->required, XSHIM_AND), some)
                    : combine_picked(&s->required, XSHIM_AND);
    if (some && s->weak.n)
        some = combine_two(XSHIM_AND_MAYBE, some,
                           combine_picked(&s->weak, XSHIM_OR));
    xshim_query_t *not_all = combine_two(
        XSHIM_AND_NOT, some, combine_selecting(&s->optional, XSHIM_AND));
    return not_all ? restrict_query(not_all, s) : NULL;
}

/*
 * The root's tiers (match.h), each within the filters and without the
 * excluded. The last, when some optional item can be missing and the
 * others can match without it: the required items and some optional ones,
 * but not all. False when out of memory.
 */
static bool tiers(const expansion_t *x, tiers_t *t)
{
    sorted_kids_t s;
    t->n = 0;
    if (!sort_kids(x, &x->pq->root, false, &s))
        return false;
    bool ok = every_item(x, &s, t);
    bool tier_some = (s.required.n || s.strong.n) &&
                     (s.optional.n >= 2 || (s.optional.n && s.required.n));
    if (ok && tier_some) {
        xshim_query_t *q = some_items(&s);
        ok = q && (t->q[t->n++] = q);
    }
    free(s.all);
    if (!ok)
        tiers_free(t);
    return ok;
}

/*
 * Counts one tier after its match gave `seen`: with facets, every
 * matching article, copies included (each copy has its own source), into
 * *articles; the tier's matches (stories, when collapsing) into *count,
 * exactly when asked, when the facets' pass counted them already, or when
 * there are few (MATCH_CHEAP_COUNT), *exact saying which.
 */
static nidx_status_t count_tier(xshim_reader_t *reader, const xshim_query_t *q,
                                const match_request_t *req, int collapse,
                                const xshim_counts_t *seen, uint64_t *count,
                                bool *exact, uint64_t *articles,
                                nidx_error_t *err)
{
    nidx_status_t st = NIDX_OK;
    *articles = 0;
    *count = seen->estimated;
    *exact = seen->lower == seen->upper;
    if (req->facets)
        st = xshim_reader_count(reader, q, -1, req->facets, articles, err);
    if (st != NIDX_OK || *exact)
        return st;
    if (req->facets && collapse < 0) {
        *count = *articles, *exact = true;
        return NIDX_OK;
    }
    if (!req->exact_total && seen->upper > MATCH_CHEAP_COUNT)
        return NIDX_OK;
    *exact = true;
    return xshim_reader_count(reader, q, collapse, NULL, count, err);
}

nidx_status_t match_run(xshim_reader_t *reader, analyzer_t *analyzer,
                        const match_languages_t *langs,
                        const parsed_query_t *pq, const match_request_t *req,
                        xshim_match_t *out, size_t *n, match_total_t *total,
                        nidx_error_t *err)
{
    recut_t *recut = recut_clauses(reader, pq);
    expansion_t x = {.reader = reader,
                     .analyzer = analyzer,
                     .langs = langs,
                     .pq = pq,
                     .weighted = true,
                     .names = !req->exact_script,
                     .recorded = req->names,
                     .recut = recut,
                     .gazetteer = req->gazetteer};
    name_memo_t memo = {.n = 0};
    x.memo = &memo;
    uint8_t *spans = match_place_spans(&x);
    x.spans = spans;
    tiers_t t;
    nidx_status_t st = NIDX_OK;
    unsigned skip = req->offset, limit = req->limit;
    uint64_t lower = 0;
    bool all_exact = true;
    int collapse = req->collapse ? DOCUMENT_SLOT_COPIES : -1;
    /* Over remote shards, Xapian's count of a hit's copies is each
       shard's, added up: counted again over the whole tier. */
    bool recount = collapse >= 0 && xshim_reader_remote(reader);

    *n = 0;
    *total = (match_total_t){0, false, 0};
    bool built = tiers(&x, &t);
    recut_free(recut, pq->n_clauses);
    free(spans);
    if (!built)
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    for (size_t i = 0; i < t.n && st == NIDX_OK; i++) {
        /* Every tier is counted; a full page takes no more hits. Checking
           skip + want documents makes a tier's count exact whenever the
           page ends in it, which the next tier's skip depends on. */
        unsigned want = *n < limit ? limit - (unsigned)*n : 0;
        size_t got = 0;
        xshim_counts_t counts = {0, 0, 0};
        uint64_t tier_count = 0, tier_articles = 0;
        bool tier_exact = false;
        st = xshim_reader_match(reader, t.q[i], &req->bm25, req->order,
                                req->sort_slot, collapse, want ? skip : 0, want,
                                want ? skip + want : 0, out + *n, &got, &counts,
                                err);
        if (st == NIDX_OK && recount && got)
            st = xshim_reader_group_sizes(reader, t.q[i], DOCUMENT_SLOT_COPIES,
                                          out + *n, got, err);
        if (st == NIDX_OK)
            st = count_tier(reader, t.q[i], req, collapse, &counts, &tier_count,
                            &tier_exact, &tier_articles, err);
        if (want && got < want) /* the tier ended on this page: exact */
            skip = skip > counts.lower ? skip - (unsigned)counts.lower : 0;
        *n += got;
        lower += counts.lower;
        total->count += tier_count;
        total->articles += tier_articles;
        all_exact = all_exact && tier_exact;
    }
    tiers_free(&t);
    /* A page left short saw every match of every tier: counts exact. */
    if (all_exact) {
        total->exact = true;
    } else if (*n < limit) {
        total->count = lower;
        total->exact = true;
    }
    return st;
}
