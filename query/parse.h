/*
 * parse.h — the query language, parsed into a tree of our own.
 *
 *   bayraktar serbia          words: articles with all of them first, then
 *                             those with some (tiered, see match.h)
 *   "wire story"              a phrase: adjacent words in order
 *   a AND b, a OR b, NOT a    operators, in capitals; NOT binds tightest,
 *   (a OR b) c                then AND, then OR, then juxtaposition
 *   +must -exclude            a required item; an excluded one
 *   elect*                    words starting with "elect"
 *   drone NEAR/5 strike       words at most 5 words apart, either order
 *                             (NEAR alone: 10)
 *   title:word  title:"a b"   in the title only (also title:word*)
 *   source:bbc  lang:sr  id:ID  site:bbc.co.uk
 *                             filters: the source's words, the language,
 *                             the article id, the url's host or a parent
 *                             domain of it
 *   date:2024-03..2024-06     a date range; YYYY, YYYY-MM or YYYY-MM-DD,
 *   date:2024..  date:..2024  either side open; date:2024 is one year
 *
 * Every word and phrase goes through the same analyzer as the articles,
 * so a query word becomes exactly the term its twin in an article became.
 * A word that the analyzer splits gives one clause per term: "U.S.-made"
 * counts its words as typed apart, and so does a chunk whose words touch,
 * nothing between them (Chinese, Japanese, Thai ... written without
 * spaces: a reader types a question as one run), as ICU's dictionaries
 * cut it: articles holding every word rank first, those holding the run as
 * written first among them (query_run_t), then those holding some of the
 * words, one letter alone (a particle) never enough. Inside parentheses
 * such a chunk stays one item, all its words required. Kanji without kana may
 * be Chinese (written simplified in the index) or Japanese (kept as written):
 * such text gets both readings.
 *
 * Parentheses group; juxtaposed items inside them are all required.
 * Malformed queries are refused with the 1-based character position of
 * the fault: nothing is silently reinterpreted.
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
    char *run;   /* for Thai, Lao, Khmer, Burmese: the word's letters,
                    or in a phrase or word* the whole unbroken run of
                    letters it starts, matched as a substring of articles
                    (document.h's pairs); else NULL */
    size_t start, end; /* where the word stands in the query, in bytes */
} word_t;

typedef enum clause_kind {
    CLAUSE_WORD,   /* one word, matched in all its forms */
    CLAUSE_PHRASE, /* words in order, adjacent, matched as typed */
    CLAUSE_EITHER, /* two readings of the same text, either may match:
                      words[0..n_first) and words[n_first..n_words) */
    CLAUSE_PREFIX, /* the words whose matching form starts with words[0] */
} clause_kind_t;

/* Something to find in the text of articles. */
typedef struct clause {
    clause_kind_t kind;
    word_t *words;
    size_t n_words;
    size_t n_first;      /* CLAUSE_EITHER: words of the first reading */
    bool either_phrases; /* CLAUSE_EITHER: each reading is a phrase, else
                            all of its words */
    bool title;          /* in the title only */
    bool excluded;       /* under NOT or '-': not highlighted */
    bool weak;           /* a one-letter word of a run typed without
                            spaces (the particle の): counts with the
                            run's other words, never alone */
} clause_t;

typedef enum node_kind {
    NODE_CLAUSE, /* clauses[clause] */
    NODE_TERM,   /* a filter: articles holding the index term `text` */
    NODE_DATE,   /* a filter: date within [text, to]; either may be NULL */
    NODE_AND,    /* every kid */
    NODE_OR,     /* any kid */
    NODE_NEAR,   /* every kid (words), within `window` positions */
    NODE_GROUP,  /* juxtaposed kids: at the root, tiered; else as AND */
} node_kind_t;

/* How an item of a group or AND counts. */
typedef enum node_sign {
    SIGN_NONE,
    SIGN_MUST, /* +item: required even where others are optional */
    SIGN_NOT,  /* -item, NOT item: excluded */
} node_sign_t;

typedef struct node {
    node_kind_t kind;
    node_sign_t sign;
    size_t clause;     /* NODE_CLAUSE */
    char *text, *to;   /* NODE_TERM, NODE_DATE (owned) */
    unsigned window;   /* NODE_NEAR */
    struct node *kids; /* operators, groups (owned) */
    size_t n_kids;
    bool piece; /* NODE_GROUP: the clauses of one word */
} node_t;

/*
 * Words typed without spaces between them, at the root (ドローンの購入,
 * ผลิตน้ำหมัก): clauses [first, first + n) of the query, each a word item
 * of its own, which articles holding the run as written (in order,
 * adjacent) rank above.
 */
typedef struct query_run {
    size_t first, n;
} query_run_t;

/* A query: its tree, and every clause it names, in the order typed. */
typedef struct parsed_query {
    const char *text; /* the query parsed (not owned) */
    node_t root;      /* a NODE_GROUP */
    clause_t *clauses;
    size_t n_clauses;
    query_run_t *runs; /* root runs of two words or more */
    size_t n_runs;
} parsed_query_t;

/*
 * Parses `text` (valid UTF-8). NIDX_ERROR_QUERY, with the 1-based character
 * position in the message, for a malformed query (unbalanced quote or
 * parenthesis, operator without operand, unknown field, bad date) or one
 * without anything to search for. On success free `out` with query_free().
 */
nidx_status_t query_parse(analyzer_t *analyzer, const char *text,
                          parsed_query_t *out, nidx_error_t *err);

/*
 * Parses `text` as plain words: no operators, signs, fields, quotes or
 * wildcards, which are all text (research queries, pasted sentences).
 * NIDX_ERROR_QUERY only when there is no word.
 */
nidx_status_t query_parse_plain(analyzer_t *analyzer, const char *text,
                                parsed_query_t *out, nidx_error_t *err);

/*
 * Adds the filters of `options` (langs, sources, sites, ids, dates) to the
 * root of `q`, as the fields lang: source: site: id: date: would; an
 * invalid value is NIDX_ERROR_ARGUMENT naming it.
 */
nidx_status_t query_add_filters(parsed_query_t *q, analyzer_t *analyzer,
                                const nidx_search_options_t *options,
                                nidx_error_t *err);

/* Whether `options` sets any filter. */
bool query_has_filters(const nidx_search_options_t *options);

void query_free(parsed_query_t *q);

#endif
