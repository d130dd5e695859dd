/* reader.c — picking a format and checking that a file holds text. */
#include "reader.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "error.h"
#include "html.h"
#include "reader_impl.h"

struct reader {
    reader_base_t base;
    const reader_ops_t *ops;
    void *state;
    char *path;
    char *id_base;
    char warning[256];
};

static bool ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && strncasecmp(s + n - k, suffix, k) == 0;
}

reader_format_t reader_format_from_name(const char *path)
{
    size_t n = strlen(path);
    if (ends_with(path, n, ".gz"))
        n -= 3;
    if (ends_with(path, n, ".txt"))
        return FORMAT_TEXT;
    if (ends_with(path, n, ".jsonl") || ends_with(path, n, ".ndjson"))
        return FORMAT_JSONL;
    if (ends_with(path, n, ".warc"))
        return FORMAT_WARC;
    if (ends_with(path, n, ".html") || ends_with(path, n, ".htm") ||
        ends_with(path, n, ".xhtml"))
        return FORMAT_HTML;
    return FORMAT_UNKNOWN;
}

reader_format_t reader_format_from_content(const char *path)
{
    char head[4096];
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(head, 1, sizeof head, f) : 0;
    if (f)
        fclose(f);
    if (n >= 7 && memcmp(head, "WARC/1.", 7) == 0)
        return FORMAT_WARC;
    if (memchr(head, '\0', n) == NULL && html_sniff(head, n))
        return FORMAT_HTML;
    return FORMAT_UNKNOWN;
}

void reader_close(reader_t *r)
{
    if (!r)
        return;
    if (r->state)
        r->ops->close(r->state);
    instream_close(r->base.in);
    charset_free(r->base.charset);
    free(r->path);
    free(r->id_base);
    free(r);
}

static nidx_status_t fail(reader_t *r, nidx_status_t st, nidx_error_t *err,
                          const char *what)
{
    error_set(err, st, "%s: %s", r->path, what);
    reader_close(r);
    return st;
}

static nidx_status_t finish_open(reader_t *r, reader_format_t format,
                                 bool is_stdin, reader_t **reader,
                                 nidx_error_t *err);

nidx_status_t reader_open(const char *path, reader_format_t format,
                          reader_t **reader, nidx_error_t *err)
{
    reader_t *r = calloc(1, sizeof *r);
    nidx_status_t st;
    *reader = NULL;
    if (!r || !(r->path = strdup(path))) {
        free(r);
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    }
    st = instream_open(path, &r->base.in, err);
    if (st != NIDX_OK) {
        reader_close(r);
        return st;
    }
    bool is_stdin = strcmp(path, "-") == 0;
    r->id_base = is_stdin ? strdup("stdin") : realpath(path, NULL);
    if (!r->id_base)
        return fail(r, NIDX_ERROR_IO, err, "cannot resolve the path");
    return finish_open(r, format, is_stdin, reader, err);
}

nidx_status_t reader_open_jsonl_fd(int fd, const char *name, reader_t **reader,
                                   nidx_error_t *err)
{
    reader_t *r = calloc(1, sizeof *r);
    nidx_status_t st;
    *reader = NULL;
    if (!r || !(r->path = strdup(name))) {
        free(r);
        close(fd);
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    }
    if ((st = instream_open_fd(fd, name, &r->base.in, err)) != NIDX_OK) {
        reader_close(r);
        return st;
    }
    return finish_open(r, FORMAT_JSONL, true, reader, err);
}

/* Checks the start of the input, settles the format and opens its reader;
   standard input and streams (is_stdin) are JSON Lines whatever the
   content. */
static nidx_status_t finish_open(reader_t *r, reader_format_t format,
                                 bool is_stdin, reader_t **reader,
                                 nidx_error_t *err)
{
    const char *path = r->path;
    r->base.path = r->path;
    r->base.id_base = r->id_base;

    int first = instream_first_byte(r->base.in);
    const char *sample;
    size_t sample_len;
    instream_sample(r->base.in, &sample, &sample_len);
    /* A web archive holds binary records (images) among its pages. */
    if (!is_stdin && sample_len >= 7 && memcmp(sample, "WARC/1.", 7) == 0)
        format = FORMAT_WARC;
    if (format != FORMAT_WARC && instream_has_nul(r->base.in))
        return fail(r, NIDX_ERROR_INPUT, err,
                    "binary file (it holds NUL bytes)");
    if (first < 0) {
        /* Damage shows on the first read: say so rather than "empty". */
        char *line;
        size_t len;
        nidx_error_t why;
        if (instream_line(r->base.in, &line, &len, &why) < 0) {
            if (err)
                *err = why;
            reader_close(r);
            return why.status;
        }
        return fail(r, NIDX_ERROR_INPUT, err, "empty file");
    }
    /* The content decides when the name does not, or says otherwise:
       HTML saved as .txt is still HTML. */
    if (!is_stdin && format != FORMAT_WARC && html_sniff(sample, sample_len))
        format = FORMAT_HTML;
    /* HTML declares its encoding; html.c reads it. */
    if (format != FORMAT_HTML && format != FORMAT_WARC &&
        (r->base.charset = charset_detect(sample, sample_len)))
        snprintf(r->warning, sizeof r->warning,
                 "%s: not UTF-8; read as %s (ICU's confidence %d%%)", path,
                 charset_name(r->base.charset),
                 charset_confidence(r->base.charset));
    if (is_stdin)
        format = FORMAT_JSONL;
    if (format == FORMAT_UNKNOWN)
        format = first == '{' ? FORMAT_JSONL : FORMAT_TEXT;
    r->ops = format == FORMAT_JSONL  ? &reader_jsonl_ops
             : format == FORMAT_HTML ? &reader_html_ops
             : format == FORMAT_WARC ? &reader_warc_ops
                                     : &reader_text_ops;
    r->state = r->ops->open(&r->base);
    if (!r->state)
        return fail(r, NIDX_ERROR_NOMEM, err, "out of memory");
    *reader = r;
    return NIDX_OK;
}

int reader_next(reader_t *r, nidx_article_t *article, nidx_error_t *err)
{
    memset(article, 0, sizeof *article);
    r->base.record_warning = NULL;
    return r->ops->next(r->state, &r->base, article, err);
}

const char *reader_record_warning(const reader_t *r)
{
    return r->base.record_warning;
}

const char *reader_warning(const reader_t *r)
{
    return r->warning[0] ? r->warning : NULL;
}

uint64_t reader_line(const reader_t *r)
{
    return r->ops->line(r->state, (reader_base_t *)&r->base);
}

uint64_t reader_position(reader_t *r)
{
    return instream_position(r->base.in);
}

uint64_t reader_bytes(const reader_t *r)
{
    return instream_bytes(r->base.in);
}
