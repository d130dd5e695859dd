/*
 * split.h — second matching terms, language by language, without a
 * dictionary.
 */
#ifndef NIDX_LIB_SPLIT_H
#define NIDX_LIB_SPLIT_H

#include <stddef.h>

/*
 * The second matching term of the matching form w[0..n), if any: the word
 * before a short suffix set off by an apostrophe (Turkish "ankara'nın",
 * English "serbia's"), the word after an elided French, Italian or
 * Catalan article ("l'europe"), or a Korean noun without its particle
 * ("서울에서"). Returns a pointer into w, its length in *len; NULL when
 * there is none.
 */
const char *split_second_term(const char *w, size_t n, size_t *len);

#endif
