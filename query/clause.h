/*
 * clause.h — pieces of query text analyzed into clauses (parse.h).
 *
 * The grammar (parse.c) finds the pieces; this turns each into the terms
 * its twin in an article became, with the analyzer of the articles.
 */
#ifndef NIDX_QUERY_CLAUSE_H
#define NIDX_QUERY_CLAUSE_H

#include "parse.h"

/*
 * Analyzes s[0..n), a quoted phrase or a piece of unquoted text without
 * spaces, and appends its clauses to q: a phrase when quoted (one word
 * clause when it holds one word), else one clause per word; kanji text
 * that reads differently as Japanese gives one CLAUSE_EITHER.
 */
nidx_status_t clause_add_piece(parsed_query_t *q, analyzer_t *analyzer,
                               const char *s, size_t n, bool quoted,
                               nidx_error_t *err);

/*
 * Appends a CLAUSE_PREFIX for the word s[0..n) (the text before '*').
 * Returns false with *words set to the number of words the analyzer found
 * when that is not exactly one; NIDX_ERROR_NOMEM through err.
 */
nidx_status_t clause_add_prefix(parsed_query_t *q, analyzer_t *analyzer,
                                const char *s, size_t n, size_t *words,
                                nidx_error_t *err);

/* Frees n words and the array holding them. */
void clause_free_words(word_t *words, size_t n);

#endif
