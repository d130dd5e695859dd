/*
 * suggest.h — "did you mean": corrections from the index's own vocabulary.
 *
 * A query word is suspect when the index does not hold it, or holds it in
 * very few articles while the query finds little. Its correction is the
 * term of the index most frequent among those one edit away (a letter
 * deleted, inserted, replaced, or two neighbours swapped), else, for words
 * of five letters or more, two edits away among the terms sharing its
 * first letter. Only alphabetic scripts are corrected: an edit to a
 * Chinese or Thai word makes another word, not a typo.
 */
#ifndef NIDX_QUERY_SUGGEST_H
#define NIDX_QUERY_SUGGEST_H

#include <stdint.h>

#include "match.h"
#include "parse.h"
#include "xapian_shim.h"

/*
 * The query text with its suspect words corrected, as a new string
 * (caller frees); NULL when no word needs or finds a correction, or
 * memory ran out. `total` is the number of matches the query found.
 * A word that `names` (may be NULL) says matched other names of a place,
 * or other spellings of a name, that the index holds is never corrected:
 * the search found it written otherwise (a name in other scripts is not a
 * typo; a typo that keeps a name's consonants finds the name by its key).
 */
char *suggest_query(xshim_reader_t *reader, const parsed_query_t *q,
                    const match_names_t *names, uint64_t total);

#endif
