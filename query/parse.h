/*
 * parse.h — the query language, parsed into a tree of our own.
 *
 * Today the language is words and "quoted phrases" (straight or curly
 * quotes). Every word goes through the same analyzer as the articles, so a
 * query word becomes exactly the term its twin in an article became. A
 * word that the analyzer splits ("U.S.-made") gives one clause per term.
 * Kanji without kana may be Chinese (written simplified in the index) or
 * Japanese (kept as written): such text gets both readings.
 */
#ifndef NIDX_QUERY_PARSE_H
#define NIDX_QUERY_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer.h"
#include "nidx.h"

/* One analyzed query word (strings NUL-terminated, owned by the query). */
typedef struct word {
    char *term;  /* matching form */
    char *exact; /* case-folded form when it differs (diacritics), or NULL */
    char *split; /* the word without suffix or elided article, or NULL */
    char *latin; /* Serbian Latin spelling of a Cyrillic word, or NULL */
    char *run;   /* for Thai, Lao, Khmer, Burmese: the whole unbroken run
                    of letters the word starts, matched as a substring of
                    articles (document.h's pairs); else NULL */
} word_t;

typedef enum clause_kind {
    CLAUSE_WORD,   /* one word, matched in all its forms */
    CLAUSE_PHRASE, /* words in order, adjacent, matched as typed */
    CLAUSE_EITHER, /* two readings of the same text, either may match:
                      words[0..n_first) and words[n_first..n_words) */
} clause_kind_t;

typedef struct clause {
    clause_kind_t kind;
    word_t *words;
    size_t n_words;
    size_t n_first;      /* CLAUSE_EITHER: words of the first reading */
    bool either_phrases; /* CLAUSE_EITHER: each reading is a phrase, else
                            all of its words */
} clause_t;

/* A query: clauses that should all match, in the order typed. */
typedef struct parsed_query {
    clause_t *clauses;
    size_t n_clauses;
} parsed_query_t;

/*
 * Parses `text` (valid UTF-8). NIDX_ERROR_QUERY, with the 1-based character
 * position in the message, for an unclosed quote or a query without any
 * word to search for. On success free `out` with query_free().
 */
nidx_status_t query_parse(analyzer_t *analyzer, const char *text,
                          parsed_query_t *out, nidx_error_t *err);

void query_free(parsed_query_t *q);

#endif
