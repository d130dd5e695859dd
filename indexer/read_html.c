/*
 * read_html.c — an .html file is one article (html.h says how it is
 * found). Its id is the page's canonical url when it names one, else the
 * file's absolute path.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "html.h"
#include "reader_impl.h"

/* Largest HTML file read; a larger one is reported and skipped. */
#define HTML_MAX_BYTES (32u << 20)

typedef struct html_state {
    bool done;
    html_article_t page;
} html_state_t;

static void *html_open(reader_base_t *base)
{
    (void)base;
    return calloc(1, sizeof(html_state_t));
}

static int html_next(void *state, reader_base_t *base, nidx_article_t *article,
                     nidx_error_t *err)
{
    html_state_t *h = state;
    char *data;
    size_t len;
    if (h->done)
        return READ_END;
    h->done = true;
    if (instream_all(base->in, HTML_MAX_BYTES, &data, &len, err) < 0)
        return READ_FAIL;
    if (html_extract(data, len, NULL, NULL, &h->page, err) != NIDX_OK)
        return READ_FAIL;
    if (!h->page.title && !h->page.body)
        return error_set(err, NIDX_ERROR_INPUT, "%s: no text in the page",
                         base->path),
               READ_FAIL;
    base->record_warning = h->page.warning;
    article->id = h->page.url ? h->page.url : base->id_base;
    article->title = h->page.title;
    article->body = h->page.body;
    article->date = h->page.date;
    article->source = h->page.source;
    article->lang = h->page.lang;
    article->url = h->page.url;
    return READ_ARTICLE;
}

static uint64_t html_line(void *state, reader_base_t *base)
{
    (void)state;
    (void)base;
    return 0;
}

static void html_close(void *state)
{
    html_state_t *h = state;
    html_free(&h->page);
    free(h);
}

const reader_ops_t reader_html_ops = {html_open, html_next, html_line,
                                      html_close};
