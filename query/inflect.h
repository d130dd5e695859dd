/*
 * inflect.h — the endings a noun takes in a language Xapian has no
 * stemmer for, so that a place's name in that language is found however
 * its articles inflect it: Kazakh writes Kazakhstan Қазақстан, and "of
 * Kazakhstan" Қазақстанның, "in" Қазақстанда, "our" Қазақстанымыз.
 * Endings only: a word derived from the name (қазақстандық, Kazakhstani)
 * is another word, as adjectives are in the languages with stemmers.
 */
#ifndef NIDX_QUERY_INFLECT_H
#define NIDX_QUERY_INFLECT_H

#include <stdbool.h>
#include <stddef.h>

#include "xapian_shim.h"

/* Words shorter than this (in letters) are not looked up with endings:
   ал (take) and алда (ahead) are two words. */
#define INFLECT_WORD_LETTERS 4

/* Whether language `lang` (ISO 639-1) has endings this module knows. */
bool inflect_known(const char *lang);

/* Whether rest[0..n) (UTF-8, case-folded) is a sequence of endings a
   noun of `lang` takes (one at least): plural, possessive, case, each at
   most once, in that order. False for languages inflect_known() is not. */
bool inflect_is_ending(const char *lang, const char *rest, size_t n);

/* Terms of the index read at most by inflect_forms(): a short word
   starts many others. */
#define INFLECT_SCAN_MAX 5000

/*
 * Calls fn(context, form, length) for each term the index (reader) holds
 * that is prefix + word followed by endings of `lang`
 * (inflect_is_ending()), in the index's order, at most `max` of them,
 * among the first INFLECT_SCAN_MAX terms that start with prefix + word.
 * Returns how many. form is NUL-terminated, valid during the call.
 */
size_t inflect_forms(xshim_reader_t *reader, const char *lang,
                     const char *prefix, const char *word, size_t max,
                     void (*fn)(void *context, const char *form, size_t len),
                     void *context);

#endif
