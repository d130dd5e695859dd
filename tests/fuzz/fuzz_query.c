/* fuzz_query.c — libFuzzer harness: the query parser, both modes, over
   any valid UTF-8 of the sizes nidx_search() takes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "parse.h"
#include "utf8.h"

static analyzer_t *analyzer;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nidx_error_t err;
    if (!analyzer && !(analyzer = analyzer_new(&err)))
        abort();
    if (size > NIDX_QUERY_MAX_BYTES)
        return 0;
    size_t invalid;
    char *text = utf8_repair((const char *)data, size, &invalid);
    if (!text)
        return 0;
    parsed_query_t q;
    if (query_parse(analyzer, text, &q, &err) == NIDX_OK) {
        if (q.n_clauses == 0 && q.root.n_kids == 0)
            abort();
        query_free(&q);
    } else if (err.status != NIDX_ERROR_QUERY) {
        abort(); /* a refusal is a malformed query, never anything else */
    }
    if (query_parse_plain(analyzer, text, &q, &err) == NIDX_OK)
        query_free(&q);
    free(text);
    return 0;
}
