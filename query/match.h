/*
 * match.h — from parsed clauses to ranked matches, through the Xapian shim.
 *
 * A word matches in all its forms: its matching form, its split-off form,
 * its Serbian Latin spelling, and its stem in each language of the index
 * (the query's language is not known, so every stemmer the index needs is
 * tried; a stem only meets articles of its own language). The word as
 * typed, and its exact spelling with diacritics, add weight.
 *
 * Ranking is in tiers: articles holding every clause first, then those
 * holding only some (a one-letter word of a run typed without spaces
 * never counts alone); when the query has runs typed without spaces
 * (parse.h: query_run_t), the first tier is split, the articles holding
 * every run as written before the others. BM25 orders each tier. A page of
 * results may span tiers, and paging through them is seamless.
 */
#ifndef NIDX_QUERY_MATCH_H
#define NIDX_QUERY_MATCH_H

#include "analyzer.h"
#include "document.h"
#include "language.h"
#include "namekey.h"
#include "parse.h"
#include "xapian_shim.h"

/* The languages of an index, whose stemmers queries try. */
#define MATCH_MAX_LANGUAGES 64
typedef struct match_languages {
    char codes[MATCH_MAX_LANGUAGES][LANGUAGE_CODE_MAX];
    size_t n;
} match_languages_t;

/* Reads the languages present in the index. */
nidx_status_t match_read_languages(xshim_reader_t *reader,
                                   match_languages_t *langs, nidx_error_t *err);

/*
 * The query words that also match other spellings of a name by its key
 * (namekey.h), as match_run() built them: to tell which hits matched a
 * word only that way, and for snippets to highlight those spellings.
 */
#define MATCH_MAX_NAMES 64
#define MATCH_TERM_MAX (ANALYZER_MAX_TERM + 16)
#define MATCH_MAX_NAME_TERMS 64
#define MATCH_MAX_PLACE_NAMES 48
typedef struct match_name {
    const word_t *word;          /* in the parsed query */
    namekey_spelling_t spelling; /* its key, shape and vowels */
    /* The name terms it matches (document.h), none when it is no name */
    char (*key_terms)[DOCUMENT_NAME_TERM_MAX];
    size_t n_key_terms;
    /* How far each is from the word (namekey_spellings_fit()), ascending */
    uint8_t key_distance[MATCH_MAX_NAME_TERMS];
    char (*forms)[MATCH_TERM_MAX]; /* the word's own forms the index holds
                                      (owned), when it has name terms */
    size_t n_forms;
    /* The other names of the place it names (gazetteer.h): matching forms,
       space-separated, each matched as a word in all its forms or as a
       phrase (owned) */
    char (*places)[MATCH_TERM_MAX];
    size_t n_places;
    /* The terms the one-word names match that the index holds, weighed as
       one term; and the words of the longer names, which are phrases:
       both for telling hits that matched only by them */
    char (*place_terms)[MATCH_TERM_MAX];
    size_t n_place_terms;
    char (*place_words)[MATCH_TERM_MAX];
    size_t n_place_words;
} match_name_t;

typedef struct match_names {
    match_name_t names[MATCH_MAX_NAMES];
    size_t n;
} match_names_t;

/* The entry of `word`, or NULL. */
const match_name_t *match_names_find(const match_names_t *names,
                                     const word_t *word);

/*
 * Which names matched each of documents docids[0..n) through their key
 * alone, holding none of the word's own forms: bit i of only[d] for
 * names->names[i].
 */
nidx_status_t match_names_only(xshim_reader_t *reader,
                               const match_names_t *names,
                               const uint32_t *docids, size_t n, uint64_t *only,
                               nidx_error_t *err);

/* Frees what the entries own; the set is empty after. */
void match_names_clear(match_names_t *names);

/* What a search asks beyond its query. */
typedef struct match_request {
    unsigned offset, limit;
    xshim_order_t order; /* within each tier */
    unsigned sort_slot;
    bool exact_total; /* count every match, not an estimate */
    bool collapse;    /* near-duplicates: the best copy only */
    xshim_bm25_t bm25;
    const xshim_facets_t *facets; /* counted over every match, or NULL */
    bool exact_script; /* words only in their own script and spelling:
                          no name keys, no other names of places */
    const struct gazetteer *gazetteer; /* places' names, or NULL */
    match_names_t *names; /* out: the words given name keys, or NULL;
                             clear with match_names_clear() */
} match_request_t;

/* The count of a search's matches. */
typedef struct match_total {
    uint64_t count;    /* matches (stories, when collapsing) */
    bool exact;        /* count is exact, not an estimate */
    uint64_t articles; /* with facets: every matching article, copies
                          included (what the facets add up to); else 0 */
} match_total_t;

/* An estimate whose upper bound is at most this many matches is made
   exact: counting them costs little, and a reader sees "15 matches", not
   "about 19". (A second pass of the query: on bench/queries.txt over
   89,412 articles, 1,000 is within noise of none; 5,000 took 80 % more
   time a query.) */
#define MATCH_CHEAP_COUNT 1000

/*
 * Stores the matches at ranks [offset, offset + limit) in out[] (room for
 * `limit`), their number in *n, and the number of all matches in *total:
 * exact with exact_total, when the page was left short, or when cheap to
 * count (MATCH_CHEAP_COUNT); else estimated.
 */
nidx_status_t match_run(xshim_reader_t *reader, analyzer_t *analyzer,
                        const match_languages_t *langs,
                        const parsed_query_t *pq, const match_request_t *req,
                        xshim_match_t *out, size_t *n, match_total_t *total,
                        nidx_error_t *err);

#endif
