/*
 * recut.h — query words of kana and ideographs cut again by the index's
 * own words, where ICU's dictionary cut them otherwise than the articles.
 *
 * ICU cuts a run of text without spaces by its dictionary, and where a
 * reader runs words together the cut can fall elsewhere than in the
 * articles that wrote the words apart: サービスツイッター ("service" and
 * "Twitter" typed as one run) is サービス|ツイ|ッ|ター to it, while
 * articles hold ツイッター. Two cases are cut again, into the fewest words
 * of two characters or more that the index holds:
 *   - a stretch of katakana words of a run (parse.h: query_run_t), when
 *     that takes fewer words than ICU's cut (katakana words have no
 *     dictionary ICU can trust: it guesses at their ends);
 *   - a word of kana or ideographs that the index does not hold at all,
 *     when two or more words it holds make it up.
 * Only whether the index holds a word is asked, never how often: the
 * answer does not depend on the size of the archive beyond the words it
 * has.
 */
#ifndef NIDX_QUERY_RECUT_H
#define NIDX_QUERY_RECUT_H

#include <stdbool.h>
#include <stddef.h>

#include "parse.h"
#include "xapian_shim.h"

/* Longest stretch cut again, in characters. */
#define RECUT_MAX_CHARS 32

/* What became of one clause of a query. */
typedef struct recut {
    size_t n;      /* the words it is now, all required; 0: as typed */
    char **terms;  /* n matching forms (owned) */
    bool absorbed; /* a later word of a stretch cut again: the first
                      clause of the stretch stands for it */
} recut_t;

/*
 * The clauses of q cut again (one recut_t per clause, in order; free with
 * recut_free()); NULL when none is, or out of memory (the query is then
 * matched as ICU cut it).
 */
recut_t *recut_clauses(xshim_reader_t *reader, const parsed_query_t *q);

/* Frees what recut_clauses() returned for a query of n clauses. */
void recut_free(recut_t *r, size_t n);

#endif
