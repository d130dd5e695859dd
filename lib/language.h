/*
 * language.h — language codes, and the stemmer that goes with each.
 */
#ifndef NIDX_LIB_LANGUAGE_H
#define NIDX_LIB_LANGUAGE_H

#include <stdbool.h>
#include <stddef.h>

/* Longest normalized code, with its NUL. */
#define LANGUAGE_CODE_MAX 8

/*
 * Normalizes a language tag ("en-US", "EN", "pt_BR", "zh-Hant") to its
 * lower-case primary subtag ("en", "pt", "zh") in out. Returns false when
 * `tag` is not a language tag (empty, too long, not letters).
 */
bool language_normalize(const char *tag, char out[LANGUAGE_CODE_MAX]);

/* Xapian's stemmer name for a normalized code ("english" for "en"), or
   NULL when there is none. */
const char *language_stemmer_name(const char *code);

/*
 * Whether `word` (UTF-8, a matching form) is written in the script of the
 * language `code`, so that its stemmer (or its endings, query/inflect.h)
 * can apply: queries skip the stemmers of other scripts.
 */
bool language_writes(const char *code, const char *word);

typedef struct stemmer stemmer_t;

/*
 * A stemmer for the normalized code `code`, with a cache of recent words
 * (news text repeats its words); NULL when the language has no stemmer or
 * memory ran out.
 */
stemmer_t *stemmer_new(const char *code);
void stemmer_free(stemmer_t *s);

/*
 * Whether the stemmer expects words in their matching form rather than as
 * spelled: Russian's Snowball stemmer knows е but not ё.
 */
bool stemmer_wants_folded(const stemmer_t *s);

/*
 * The stem of word[0..len), or NULL when it is the word itself. The stem
 * is valid until the next call; *stem_len receives its length.
 */
const char *stemmer_stem(stemmer_t *s, const char *word, size_t len,
                         size_t *stem_len);

#endif
