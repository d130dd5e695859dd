/* fuzz_analyzer.c — libFuzzer harness: the analyzer over any valid UTF-8
   (invalid bytes repaired first, as the writer does), in a language named
   by the first byte; tokens must lie inside the text, in order. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "utf8.h"

static analyzer_t *analyzer;

typedef struct seen {
    size_t len, last_start;
} seen_t;

static int check_token(void *context, const token_t *t)
{
    seen_t *s = context;
    if (t->end > s->len || t->start > t->end || t->term_len == 0)
        abort();
    s->last_start = t->start;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const langs[] = {NULL, "en", "sr", "ja", "zh", "th",
                                        "tr", "de", "ru", "ar", "ko", "kk"};
    nidx_error_t err;
    if (!analyzer && !(analyzer = analyzer_new(&err)))
        abort();
    if (size == 0)
        return 0;
    analyzer_set_language(analyzer,
                          langs[data[0] % (sizeof langs / sizeof langs[0])]);
    size_t invalid;
    char *text = utf8_repair((const char *)data + 1, size - 1, &invalid);
    if (!text)
        return 0;
    seen_t s = {strlen(text), 0};
    analyzer_run(analyzer, text, s.len, 0, check_token, &s, NULL, &err);
    free(text);
    return 0;
}
