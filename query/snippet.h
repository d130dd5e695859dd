/*
 * snippet.h — the passage of an article that best shows why it matched.
 *
 * The text is cut with the analyzer's own byte offsets, so highlights fall
 * exactly on the words that matched and cuts never split a UTF-8 sequence,
 * in any script.
 */
#ifndef NIDX_QUERY_SNIPPET_H
#define NIDX_QUERY_SNIPPET_H

#include <stddef.h>

#include "analyzer.h"
#include "match.h"
#include "nidx.h"
#include "parse.h"

/* How much of an article a snippet reads at most: its first bytes. */
#define SNIPPET_SCAN_BYTES (256u << 10)

typedef struct snippet {
    char *text;         /* one line of UTF-8; "…" marks a cut */
    nidx_span_t *spans; /* matched words in text, in order */
    size_t n_spans;
} snippet_t;

/*
 * Cuts a snippet of about `target` bytes from text[0..len), an article in
 * language `lang` (may be NULL): the window with the most distinct query
 * words, in any of their forms (then the most matches), white space runs
 * folded to one space. Without any match, the start of the text. The
 * words of `names` (may be NULL) also match words that look like names
 * and share their key: Зеленский for Zelensky. Free with snippet_free().
 */
nidx_status_t snippet_make(analyzer_t *analyzer, const char *text, size_t len,
                           const parsed_query_t *q, const match_names_t *names,
                           const char *lang, size_t target, snippet_t *out,
                           nidx_error_t *err);

void snippet_free(snippet_t *s);

#endif
