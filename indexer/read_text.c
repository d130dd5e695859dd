/*
 * read_text.c — a .txt file is one article: its first non-empty line is the
 * title, the rest (blank lines at its start dropped) the body.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "reader_impl.h"

/* Largest text file read; a larger one is reported and skipped. */
#define TEXT_MAX_BYTES (256u << 20)

typedef struct text_state {
    bool done;
} text_state_t;

static void *text_open(reader_base_t *base)
{
    (void)base;
    return calloc(1, sizeof(text_state_t));
}

static bool is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Trims white space at both ends of s[0..*n) in place; returns the start. */
static char *trim(char *s, size_t *n)
{
    while (*n > 0 && is_space(*s)) {
        s++;
        (*n)--;
    }
    while (*n > 0 && is_space(s[*n - 1]))
        (*n)--;
    s[*n] = '\0';
    return s;
}

static int text_next(void *state, reader_base_t *base, nidx_article_t *article,
                     nidx_error_t *err)
{
    text_state_t *t = state;
    char *data;
    size_t len;
    if (t->done)
        return READ_END;
    t->done = true;
    if (instream_all(base->in, TEXT_MAX_BYTES, &data, &len, err) < 0)
        return READ_FAIL;
    if (base->charset &&
        !charset_to_utf8(base->charset, data, len, &data, &len))
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory"), READ_FAIL;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    data = trim(data, &len);
    char *nl = memchr(data, '\n', len);
    size_t title_len = nl ? (size_t)(nl - data) : len;
    size_t body_len = nl ? len - title_len - 1 : 0;
    char *body = nl ? nl + 1 : data + len;
    body = trim(body, &body_len); /* before the title's NUL is written */
    article->title = trim(data, &title_len);
    article->body = body;
    article->id = base->id_base;
    return READ_ARTICLE;
}

static uint64_t text_line(void *state, reader_base_t *base)
{
    (void)state;
    (void)base;
    return 0;
}

const reader_ops_t reader_text_ops = {text_open, text_next, text_line, free};
