/* parse.c — from query text to clauses of analyzed terms. */
#include "parse.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

/* Collects the terms of one stretch of query text. */
typedef struct term_list {
    char **terms;
    size_t n, cap;
    bool nomem;
} term_list_t;

static int collect(void *context, const token_t *t)
{
    term_list_t *l = context;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **p = realloc(l->terms, cap * sizeof *p);
        if (!p) {
            l->nomem = true;
            return 1;
        }
        l->terms = p;
        l->cap = cap;
    }
    char *s = malloc(t->term_len + 1);
    if (!s) {
        l->nomem = true;
        return 1;
    }
    memcpy(s, t->term, t->term_len);
    s[t->term_len] = '\0';
    l->terms[l->n++] = s;
    return 0;
}

static void free_terms(char **terms, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(terms[i]);
    free(terms);
}

void query_free(parsed_query_t *q)
{
    for (size_t i = 0; i < q->n_clauses; i++)
        free_terms(q->clauses[i].terms, q->clauses[i].n_terms);
    free(q->clauses);
    free(q->terms); /* the strings belong to the clauses */
    memset(q, 0, sizeof *q);
}

static bool add_clause(parsed_query_t *q, clause_kind_t kind, char **terms,
                       size_t n)
{
    clause_t *c = realloc(q->clauses, (q->n_clauses + 1) * sizeof *c);
    if (!c)
        return false;
    q->clauses = c;
    c[q->n_clauses++] = (clause_t){kind, terms, n};
    return true;
}

/* Turns the terms of one stretch into clauses: a phrase when quoted,
   else one clause per term. Takes the list's strings. */
static bool add_stretch(parsed_query_t *q, term_list_t *l, bool quoted)
{
    if (l->n == 0) {
        free(l->terms);
        return true;
    }
    if (quoted && l->n > 1)
        return add_clause(q, CLAUSE_PHRASE, l->terms, l->n);
    for (size_t i = 0; i < l->n; i++) {
        char **one = malloc(sizeof *one);
        if (!one || !add_clause(q, CLAUSE_TERM, one, 1)) {
            free(one);
            free_terms(l->terms + i, l->n - i);
            free(l->terms);
            return false;
        }
        one[0] = l->terms[i];
    }
    free(l->terms);
    return true;
}

/* The distinct terms of all clauses, for highlighting. */
static bool list_terms(parsed_query_t *q)
{
    size_t total = 0;
    for (size_t i = 0; i < q->n_clauses; i++)
        total += q->clauses[i].n_terms;
    q->terms = malloc((total ? total : 1) * sizeof *q->terms);
    if (!q->terms)
        return false;
    for (size_t i = 0; i < q->n_clauses; i++)
        for (size_t j = 0; j < q->clauses[i].n_terms; j++) {
            char *t = q->clauses[i].terms[j];
            size_t k = 0;
            while (k < q->n_terms && strcmp(q->terms[k], t) != 0)
                k++;
            if (k == q->n_terms)
                q->terms[q->n_terms++] = t;
        }
    return true;
}

/* Quote characters: ASCII '"' and the curly pair U+201C U+201D. */
static size_t quote_at(const char *s)
{
    if (*s == '"')
        return 1;
    if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
        ((unsigned char)s[2] == 0x9C || (unsigned char)s[2] == 0x9D))
        return 3;
    return 0;
}

/* 1-based character (code point) position of byte offset `at`. */
static size_t char_position(const char *text, size_t at)
{
    size_t pos = 1;
    for (size_t i = 0; i < at; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            pos++;
    return pos;
}

nidx_status_t query_parse(analyzer_t *an, const char *text, parsed_query_t *out,
                          nidx_error_t *err)
{
    size_t i = 0, len = strlen(text);
    nidx_status_t st = NIDX_OK;
    memset(out, 0, sizeof *out);
    while (i < len && st == NIDX_OK) {
        size_t q = quote_at(text + i), from, to;
        if (q) {
            from = i + q;
            to = from;
            while (to < len && !quote_at(text + to))
                to++;
            if (to == len) {
                st = error_set(err, NIDX_ERROR_QUERY,
                               "unbalanced quote: the phrase opened at "
                               "position %zu is never closed",
                               char_position(text, i));
                break;
            }
            i = to + quote_at(text + to);
        } else {
            from = i;
            to = i;
            while (to < len && !quote_at(text + to))
                to++;
            i = to;
        }
        term_list_t l = {0};
        st =
            analyzer_run(an, text + from, to - from, 0, collect, &l, NULL, err);
        if (st == NIDX_OK && l.nomem)
            st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
        if (st != NIDX_OK) {
            free_terms(l.terms, l.n);
            break;
        }
        if (!add_stretch(out, &l, q != 0))
            st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    }
    if (st == NIDX_OK && !list_terms(out))
        st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    if (st == NIDX_OK && out->n_clauses == 0)
        st = error_set(err, NIDX_ERROR_QUERY,
                       "the query has no words to search for");
    if (st != NIDX_OK)
        query_free(out);
    return st;
}
