/*
 * analyzer.h — turns UTF-8 text into terms, for articles and queries alike.
 *
 * The same word always yields the same term, whether it comes from an
 * article or a query: that is the whole contract. Steps:
 *   1. segmentation into words by Unicode's rules (UAX #29, with ICU's
 *      dictionaries for Chinese, Japanese, Thai, Lao, Khmer and Burmese);
 *      letters, numbers, kana and ideographs are kept, spaces and
 *      punctuation dropped;
 *   2. each word folded to its NFKC case-folded form (so full-width "ＡＢ１"
 *      is "ab1");
 *   3. then to its matching form (fold.h: diacritics, letter variants,
 *      scripts), with a split-off second term for suffixes and elisions,
 *      and its stem in the text's language.
 * Text that is pure ASCII takes a fast path that gives the same tokens as
 * ICU would (tests/test_analyzer.c checks the two against each other).
 */
#ifndef NIDX_LIB_ANALYZER_H
#define NIDX_LIB_ANALYZER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "namekey.h"
#include "nidx.h"

/* Words longer than this (in bytes, after folding) are not indexed. */
#define ANALYZER_MAX_TERM 100

typedef struct analyzer analyzer_t;

/*
 * One word. The strings are not NUL-terminated and are valid only during
 * the callback:
 *   term    the matching form (fold.h): what queries and articles meet on
 *   exact   the case-folded form, when it differs from `term` (a word with
 *           diacritics: "málaga" beside "malaga"); else NULL
 *   split   a second matching term for a word with a suffix or an elided
 *           article ("ankara" for "ankara'nın", "europe" for "l'europe",
 *           "서울" for "서울에서"); else NULL
 *   stem    the stem of `term` in the analyzer's language, when it differs
 *           from `term`; else NULL
 * `start` and `end` are byte offsets of the original word in the analyzed
 * text; `position` counts words from the caller's first position.
 */
typedef struct token {
    const char *term;
    size_t term_len;
    const char *exact;
    size_t exact_len;
    const char *split;
    size_t split_len;
    const char *stem;
    size_t stem_len;
    bool spaceless;   /* Thai, Lao, Khmer or Burmese: a script written
                         without spaces, where ICU's dictionary may cut a
                         query word otherwise than the same letters in an
                         article; such words are also indexed as pairs of
                         letters (document.h) */
    bool name;        /* looks like a name: written with a capital, or in a
                         script without case that names are written in
                         (Arabic, Hebrew, Georgian, Indic, kana, Hangul); such
                         words also get a name key (namekey.h) */
    bool capitalized; /* a name by its capital, in a script with case */
    uint32_t position;
    size_t start;
    size_t end;
} token_t;

/* Receives each token in text order; returning non-zero stops the run. */
typedef int (*token_fn)(void *context, const token_t *token);

/* A new analyzer (not thread-safe; one per thread), or NULL with `err` set. */
analyzer_t *analyzer_new(nidx_error_t *err);

/* Frees the analyzer; NULL is a no-op. */
void analyzer_free(analyzer_t *analyzer);

/*
 * Sets the language of the text analyzed next (a tag such as "en" or
 * "sr-Latn"; NULL or unknown: none). It chooses the stemmer; for Serbian
 * it writes Cyrillic words in Latin letters; for Japanese it keeps kanji
 * as written, where other text has traditional Chinese simplified.
 */
void analyzer_set_language(analyzer_t *analyzer, const char *language);

/*
 * The stem in `language` of a word analyzed as `term`, `exact` and `split`
 * (a token's fields, NUL-terminated; exact and split may be NULL), exactly
 * as an article in that language would have it; NULL when the language
 * has no stemmer or the stem is the term. Valid until the next call;
 * *stem_len receives its length. For queries, which try the stemmers of
 * every language in the index.
 */
const char *analyzer_stem(analyzer_t *analyzer, const char *language,
                          const char *term, const char *exact,
                          const char *split, size_t *stem_len);

/*
 * Analyzes text[0..len), which must be valid UTF-8 (see utf8_repair()).
 * Positions start at `first_position`; *next_position (may be NULL)
 * receives the position after the last word.
 */
nidx_status_t analyzer_run(analyzer_t *analyzer, const char *text, size_t len,
                           uint32_t first_position, token_fn fn, void *context,
                           uint32_t *next_position, nidx_error_t *err);

/*
 * The name key (namekey.h) of the word w[0..n) (UTF-8), into out
 * (NAMEKEY_MAX + 1 bytes), and what its spelling says of its vowels into
 * *shape; its length, or 0 when the word has none.
 */
size_t analyzer_name_key(analyzer_t *analyzer, const char *w, size_t n,
                         char *out, namekey_shape_t *shape);

/* The name key of w[0..n) with the qualities of its vowels
   (namekey_spell()) into *sp; the key's length, or 0 when it has none. */
size_t analyzer_name_spelling(analyzer_t *analyzer, const char *w, size_t n,
                              namekey_spelling_t *sp);

/* The same as Arabic writes the word (namekey_spell_arabic()), not
   remembered: asked once a query word. */
size_t analyzer_name_spelling_arabic(analyzer_t *analyzer, const char *w,
                                     size_t n, bool ayin,
                                     namekey_spelling_t *sp);

/* analyzer_name_key() and analyzer_name_spelling() of an Arabic word
   with its ج read as g (namekey_of_jim_g()); 0 when it has no such key.
   The key is remembered, the spelling not. */
size_t analyzer_name_key_jim_g(analyzer_t *analyzer, const char *w, size_t n,
                               char *out, namekey_shape_t *shape);
size_t analyzer_name_spelling_jim_g(analyzer_t *analyzer, const char *w,
                                    size_t n, namekey_spelling_t *sp);

/* Whether the word w[0..n) (UTF-8) starts with a letter of a script with
   case (Latin, Cyrillic, Greek, Armenian...), where a name is told by its
   capital. */
bool analyzer_cased(const char *w, size_t n);

/* The name key of a token, from its spelling with diacritics when it has
   one: what the indexer stores for it and snippets compare. */
size_t analyzer_token_name_key(analyzer_t *analyzer, const token_t *t,
                               char *out, namekey_shape_t *shape);
/* The same with ج read as g (analyzer_name_key_jim_g()): the second name
   term the indexer stores for an Arabic word writing ج; 0 when none. */
size_t analyzer_token_name_key_jim_g(analyzer_t *analyzer, const token_t *t,
                                     char *out, namekey_shape_t *shape);

/*
 * For tests: when `on`, ASCII text goes through ICU too, so the fast path
 * can be compared with it.
 */
void analyzer_force_icu(analyzer_t *analyzer, int on);

#endif
