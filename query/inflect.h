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

/* Whether language `lang` (ISO 639-1) has endings this module knows. */
bool inflect_known(const char *lang);

/* Whether rest[0..n) (UTF-8, case-folded) is a sequence of endings a
   noun of `lang` takes (one at least): plural, possessive, case, each at
   most once, in that order. False for languages inflect_known() is not. */
bool inflect_is_ending(const char *lang, const char *rest, size_t n);

#endif
