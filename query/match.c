/* match.c — words in all their forms, then tiered matching. */
#include "match.h"

#include <stdlib.h>
#include <string.h>

#include "document.h"
#include "error.h"

static int add_language(void *context, const char *code, size_t len)
{
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

typedef xshim_query_t *(*build_fn)(const void *context, size_t i);

/*
 * build(context, i) for i < n, combined with `op` (the one query itself
 * when n == 1); NULL when out of memory. Every query built is consumed.
 */
static xshim_query_t *combine_built(xshim_op_t op, size_t n, build_fn build,
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

/* A small set of term queries under construction. */
#define MAX_FORMS (4 + 2 * MATCH_MAX_LANGUAGES)
typedef struct forms {
    char terms[MAX_FORMS][ANALYZER_MAX_TERM + 16];
    size_t n;
} forms_t;

static void add_form(forms_t *f, const char *prefix, const char *a,
                     size_t a_len, const char *b, size_t b_len)
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

static void add_plain(forms_t *f, const char *s)
{
    if (s)
        add_form(f, "", s, strlen(s), NULL, 0);
}

static xshim_query_t *form_query(const void *forms, size_t i)
{
    const char *t = ((const forms_t *)forms)->terms[i];
    return xshim_query_term(t, strlen(t));
}

/* The forms combined with `op`; NULL when out of memory. */
static xshim_query_t *forms_query(const forms_t *f, xshim_op_t op)
{
    return combine_built(op, f->n, form_query, f);
}

typedef struct expansion {
    analyzer_t *analyzer;
    const match_languages_t *langs;
    /* false: the query only selects articles; its weights are unused */
    bool weighted;
} expansion_t;

typedef struct pairs {
    char terms[ANALYZER_MAX_TERM][12];
    size_t n;
} pairs_t;

static void add_pair(void *context, const char *term, size_t len, size_t i)
{
    pairs_t *p = context;
    (void)i;
    if (p->n < ANALYZER_MAX_TERM && len < sizeof p->terms[0]) {
        memcpy(p->terms[p->n], term, len);
        p->terms[p->n++][len] = '\0';
    }
}

static xshim_query_t *pair_query(const void *pairs, size_t i)
{
    const char *t = ((const pairs_t *)pairs)->terms[i];
    return xshim_query_term(t, strlen(t));
}

/* A run of Thai, Lao, Khmer or Burmese letters: its letter pairs, adjacent
   and in order, wherever in an article's run they stand. NULL when the
   run is a single letter or out of memory. */
static xshim_query_t *run_query(const char *run)
{
    pairs_t *p = malloc(sizeof *p);
    xshim_query_t *q = NULL;
    if (!p)
        return NULL;
    p->n = 0;
    document_bigrams(run, strlen(run), add_pair, p);
    if (p->n > 0)
        q = combine_built(XSHIM_PHRASE, p->n, pair_query, p);
    free(p);
    return q;
}

/* A word in all its forms, the form as typed adding weight. */
static xshim_query_t *word_query(const expansion_t *x, const word_t *w)
{
    if (w->run) {
        xshim_query_t *q = run_query(w->run);
        if (q)
            return q;
    }
    forms_t *any = malloc(sizeof *any), *typed = malloc(sizeof *typed);
    xshim_query_t *q = NULL;
    if (!any || !typed)
        goto done;
    any->n = typed->n = 0;
    add_plain(any, w->term);
    add_plain(any, w->split);
    add_plain(any, w->latin);
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
        /* Inflected forms in articles carry the stem term; an article
           word that is its own stem has none, so the stem is also tried
           as a word. */
        add_form(any, DOCUMENT_STEM_PREFIX, lang, strlen(lang), stem, len);
        add_form(any, "", stem, len, NULL, 0);
    }
    if (!x->weighted) {
        q = forms_query(any, XSHIM_SYNONYM);
        goto done;
    }
    add_plain(typed, w->term);
    if (w->exact)
        add_form(typed, DOCUMENT_EXACT_PREFIX, w->exact, strlen(w->exact), NULL,
                 0);
    xshim_query_t *pair[2] = {forms_query(any, XSHIM_SYNONYM),
                              forms_query(typed, XSHIM_OR)};
    if (!pair[0] || !pair[1]) {
        xshim_query_free(pair[0]);
        xshim_query_free(pair[1]);
        goto done;
    }
    q = xshim_query_combine(XSHIM_AND_MAYBE, pair, 2);
done:
    free(any);
    free(typed);
    return q;
}

static xshim_query_t *phrase_word_query(const void *clause, size_t i)
{
    const char *t = ((const clause_t *)clause)->words[i].term;
    return xshim_query_term(t, strlen(t));
}

/* The clauses of a query, with how to expand their words. */
typedef struct clauses {
    const expansion_t *x;
    const parsed_query_t *pq;
} clauses_t;

/* Some words of a clause, as a phrase or as words all required. */
typedef struct reading {
    const expansion_t *x;
    const word_t *words;
    size_t n;
    bool phrase;
} reading_t;

static xshim_query_t *reading_word_query(const void *context, size_t i)
{
    const reading_t *r = context;
    if (r->phrase) {
        const char *t = r->words[i].term;
        return xshim_query_term(t, strlen(t));
    }
    return word_query(r->x, &r->words[i]);
}

static xshim_query_t *reading_query(const reading_t *r)
{
    return combine_built(r->phrase ? XSHIM_PHRASE : XSHIM_AND, r->n,
                         reading_word_query, r);
}

static xshim_query_t *either_query(const void *context, size_t i)
{
    return reading_query(&((const reading_t *)context)[i]);
}

/* A word in all its forms; a phrase as its words' matching forms,
   adjacent and in order; either of two readings. */
static xshim_query_t *clause_query(const void *context, size_t i)
{
    const clauses_t *cs = context;
    const clause_t *c = &cs->pq->clauses[i];
    if (c->kind == CLAUSE_WORD)
        return word_query(cs->x, &c->words[0]);
    if (c->kind == CLAUSE_PHRASE)
        return combine_built(XSHIM_PHRASE, c->n_words, phrase_word_query, c);
    bool phrase = c->either_phrases;
    reading_t readings[2] = {
        {cs->x, c->words, c->n_first, phrase && c->n_first > 1},
        {cs->x, c->words + c->n_first, c->n_words - c->n_first,
         phrase && c->n_words - c->n_first > 1}};
    return combine_built(XSHIM_OR, 2, either_query, readings);
}

/* The clauses combined with `op`; NULL when out of memory. */
static xshim_query_t *combine_clauses(const expansion_t *x,
                                      const parsed_query_t *pq, xshim_op_t op)
{
    clauses_t cs = {x, pq};
    return combine_built(op, pq->n_clauses, clause_query, &cs);
}

/*
 * Tier two: any clause, but not all of them. The clauses excluded only
 * select: without the weighting parts, the query is smaller, and Xapian
 * 1.4.22 reads uninitialised memory (valgrind) on AND_MAYBE under the
 * right side of AND_NOT.
 */
static xshim_query_t *some_not_all(const expansion_t *x,
                                   const parsed_query_t *pq)
{
    expansion_t selecting = *x;
    selecting.weighted = false;
    xshim_query_t *pair[2] = {combine_clauses(x, pq, XSHIM_OR),
                              combine_clauses(&selecting, pq, XSHIM_AND)};
    if (!pair[0] || !pair[1]) {
        xshim_query_free(pair[0]);
        xshim_query_free(pair[1]);
        return NULL;
    }
    return xshim_query_combine(XSHIM_AND_NOT, pair, 2);
}

nidx_status_t match_run(xshim_reader_t *reader, analyzer_t *analyzer,
                        const match_languages_t *langs,
                        const parsed_query_t *pq, const match_request_t *req,
                        xshim_match_t *out, size_t *n, uint64_t *total,
                        nidx_error_t *err)
{
    expansion_t x = {analyzer, langs, true};
    xshim_counts_t all_counts, some_counts;
    xshim_query_t *all = NULL, *some = NULL;
    nidx_status_t st;
    size_t got = 0, more = 0;
    unsigned offset = req->offset, limit = req->limit;
    /* Examining every document makes the counts exact. */
    unsigned every = req->exact_total || req->facets
                         ? (unsigned)xshim_reader_doc_count(reader)
                         : 0;

    *n = 0;
    *total = 0;
    all = combine_clauses(&x, pq, XSHIM_AND);
    if (!all)
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    /* Checking offset + limit documents makes the count exact whenever
       tier one ends on this page, which tier two's offset depends on. */
    unsigned check = offset + limit > every ? offset + limit : every;
    st =
        xshim_reader_match(reader, all, req->order, req->sort_slot, req->facets,
                           offset, limit, check, out, &got, &all_counts, err);
    xshim_query_free(all);
    if (st != NIDX_OK || pq->n_clauses == 1) {
        *n = got;
        *total = req->exact_total ? all_counts.lower : all_counts.estimated;
        return st;
    }
    some = some_not_all(&x, pq);
    if (!some)
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    unsigned tier_two_offset = 0, want = 0;
    if (got < limit) {
        uint64_t tier_one = all_counts.lower; /* exact here */
        tier_two_offset = offset > tier_one ? (unsigned)(offset - tier_one) : 0;
        want = limit - (unsigned)got;
    }
    check = tier_two_offset + want > every ? tier_two_offset + want : every;
    st = xshim_reader_match(reader, some, req->order, req->sort_slot,
                            req->facets, tier_two_offset, want, check,
                            out + got, &more, &some_counts, err);
    xshim_query_free(some);
    if (st != NIDX_OK)
        return st;
    *n = got + more;
    *total = req->exact_total ? all_counts.lower + some_counts.lower
                              : all_counts.estimated + some_counts.estimated;
    return NIDX_OK;
}
