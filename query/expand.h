/*
 * expand.h — what match.c and names.c share (internal to the query side):
 * the state of one query's expansion into Xapian queries, and the helpers
 * both use to build them.
 */
#ifndef NIDX_QUERY_EXPAND_H
#define NIDX_QUERY_EXPAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gazetteer.h"
#include "match.h"
#include "recut.h"

/* Builds the i-th of a set of queries from `context`. */
typedef xshim_query_t *(*build_fn)(const void *context, size_t i);

/* A small set of term queries under construction. */
#define MAX_FORMS (4 + 2 * MATCH_MAX_LANGUAGES)
typedef struct forms {
    char terms[MAX_FORMS][MATCH_TERM_MAX];
    size_t n;
} forms_t;

/* What written_as_name() found for the words of one search. */
typedef struct name_memo {
    const word_t *word[MATCH_MAX_NAMES];
    bool name[MATCH_MAX_NAMES];
    size_t n;
} name_memo_t;

typedef struct expansion {
    xshim_reader_t *reader; /* word* expands over its terms */
    analyzer_t *analyzer;
    const match_languages_t *langs;
    const parsed_query_t *pq;
    /* false: the query only selects articles; its weights are unused */
    bool weighted;
    /* Title clauses as their words' own terms, which have positions
       (title terms have none since format 3): see clause_query(). */
    bool titles_as_words;
    /* Phrases and runs as their words all required, for terms without
       positions. */
    bool unordered;
    /* Words also match the other spellings of a name by its key. */
    bool names;
    /* Where the words given keys are recorded, or NULL. */
    match_names_t *recorded;
    /* The clauses cut again by the index's words (recut.h), or NULL. */
    const recut_t *recut;
    /* Places' names in every language, or NULL. */
    const gazetteer_t *gazetteer;
    /* Answers of written_as_name() (mutable: a cache), or NULL. */
    name_memo_t *memo;
    /* Places named by several words (match_place_spans()), or NULL. */
    const uint8_t *spans;
} expansion_t;

/*
 * build(context, i) for i < n, combined with `op` (the one query itself
 * when n == 1); NULL when out of memory. Every query built is consumed.
 */
xshim_query_t *combine_built(xshim_op_t op, size_t n, build_fn build,
                             const void *context);

/* a op b, both consumed; NULL when either is NULL (out of memory). */
xshim_query_t *combine_two(xshim_op_t op, xshim_query_t *a, xshim_query_t *b);

/* The i-th of an array of strings, as a term. */
xshim_query_t *string_query(const void *strings, size_t i);

/* Adds prefix + a (+ b) to f, once; nothing when f is full or a NULL. */
void add_form(forms_t *f, const char *prefix, const char *a, size_t a_len,
              const char *b, size_t b_len);

/* The forms of f the index holds, combined with `op` (f keeps only
   those); a query matching nothing when none; NULL when out of memory. */
xshim_query_t *forms_query(const expansion_t *x, forms_t *f, xshim_op_t op);

/* A run of Thai, Lao, Khmer or Burmese letters as its letter pairs,
   adjacent and in order; NULL when a single letter or out of memory. */
xshim_query_t *run_query(const char *run, const char *prefix, bool unordered);

struct stem_words;
/* The forms a word may take in articles into `any` (match.c); a name's
   stems as words into `stem_words` when given. */
void word_forms(const expansion_t *x, const word_t *w, const char *prefix,
                forms_t *any, struct stem_words *stem_words);

/* Whether the index writes word w with a capital mid-sentence in at
   least NAME_EVIDENCE of the articles holding it; asked once a search
   (x->memo), however often the word's query is built. */
#define NAME_EVIDENCE 0.65

/* Stems shorter than this (in letters) are not tried for a name, nor for
   a place's other names: a language's stemmer cuts a foreign name to
   another word (Spanish stems Hamas to "ham", the stem of Hamed and West
   Ham; French stems Damas and dame alike). */
#define NAME_STEM_LETTERS 4
bool written_as_name(const expansion_t *x, const word_t *w);

/* A word's query q, and the other spellings of it as a name and the other
   names of the place it names (names.c); q consumed. */
xshim_query_t *with_name(const expansion_t *x, const word_t *w,
                         const char *prefix, bool near, xshim_query_t *q);

/* Whether with_name() finds the word other spellings or names the index
   holds (names.c). */
bool has_other_names(const expansion_t *x, const word_t *w);

/*
 * Places whose names of several words the query types, words typed
 * together (Saudi Arabia, New York, Hong Kong): for each clause, how many
 * words from it name one (0: none), PLACE_SPAN_LATER for a later word of
 * such a name. NULL when none (or out of memory); the caller frees it.
 */
#define PLACE_SPAN_LATER 255
uint8_t *match_place_spans(const expansion_t *x);

/* The words of a place's name of several words, clauses [first, first +
   n), as q (all of them, consumed), or the place's other names (below
   them, like a name's other spellings): an article writing السعودية
   holds "saudi arabia". */
xshim_query_t *with_place_span(const expansion_t *x, size_t first, size_t n,
                               xshim_query_t *q);

#endif
