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
 *      is "ab1").
 * Text that is pure ASCII takes a fast path that gives the same tokens as
 * ICU would (tests/test_analyzer.c checks the two against each other).
 */
#ifndef NIDX_LIB_ANALYZER_H
#define NIDX_LIB_ANALYZER_H

#include <stddef.h>
#include <stdint.h>

#include "nidx.h"

/* Words longer than this (in bytes, after folding) are not indexed. */
#define ANALYZER_MAX_TERM 100

typedef struct analyzer analyzer_t;

/*
 * One token. `term` is the folded form, `term_len` bytes, not NUL-terminated,
 * valid only during the callback. `start` and `end` are byte offsets of the
 * original word in the analyzed text; `position` counts words from the
 * caller's first position.
 */
typedef struct token {
    const char *term;
    size_t term_len;
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
 * Analyzes text[0..len), which must be valid UTF-8 (see utf8_repair()).
 * Positions start at `first_position`; *next_position (may be NULL)
 * receives the position after the last word.
 */
nidx_status_t analyzer_run(analyzer_t *analyzer, const char *text, size_t len,
                           uint32_t first_position, token_fn fn, void *context,
                           uint32_t *next_position, nidx_error_t *err);

/*
 * For tests: when `on`, ASCII text goes through ICU too, so the fast path
 * can be compared with it.
 */
void analyzer_force_icu(analyzer_t *analyzer, int on);

#endif
