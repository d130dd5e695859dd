/*
 * html.h — an article out of an HTML page: its metadata and its main text,
 * without navigation, menus, scripts, styles and boilerplate.
 *
 * Parsed by libxml2's HTML parser, chosen over gumbo (both in Debian;
 * lexbor is not in Debian 12) for hostile input: gumbo's tree building
 * took 0.06 s on 10,000 nested <div>s, 1.7 s on 30,000 and did not finish
 * 100,000 in minutes, while libxml2 stays linear and stops nesting at 256
 * levels (what lies deeper is dropped, and said). Neither recursion nor
 * any other cost here grows with depth.
 *
 * Metadata, first found wins: title from og:title, JSON-LD headline, then
 * <title>; date from article:published_time, JSON-LD datePublished,
 * <meta name=date|pubdate|...>, then the first <time datetime>; source from
 * og:site_name, JSON-LD publisher.name, then the url's host; language from
 * <html lang> (or og:locale); url from <link rel=canonical>, then og:url.
 *
 * Main text: the <article> with the most text, else <main> or
 * role=main, else <body>; without script, style, nav, header, footer,
 * aside, form, figure, iframe, svg and the like, nor elements whose class
 * or id says navigation, menu, share, related, comments, cookie, ad...;
 * blocks (paragraphs, headings, list items...) mostly made of links are
 * dropped. Blocks are separated by blank lines.
 */
#ifndef NIDX_INDEXER_HTML_H
#define NIDX_INDEXER_HTML_H

#include <stddef.h>

#include "nidx.h"

/* Deepest nesting libxml2 builds; deeper content is dropped. */
#define HTML_MAX_DEPTH 256

/* What a page gives. Every string is owned (free with html_free) and may
   be NULL. */
typedef struct html_article {
    char *title, *body, *date, *source, *lang, *url;
    char *warning; /* about the page as a whole (nesting cut), or NULL */
} html_article_t;

/*
 * Extracts the article from the page data[0..len). `charset` is the
 * page's encoding when known from outside (HTTP headers), or NULL: then a
 * <meta charset> decides, else UTF-8. `base_url` (may be NULL) gives the
 * host for the source when the page names none. NIDX_ERROR_INPUT when
 * there is no HTML to read, NIDX_ERROR_NOMEM.
 */
nidx_status_t html_extract(const char *data, size_t len, const char *charset,
                           const char *base_url, html_article_t *out,
                           nidx_error_t *err);

void html_free(html_article_t *a);

/* Whether the start of a file looks like HTML (a doctype, <html>, <head>
   or <body> among its first tags). */
int html_sniff(const char *sample, size_t len);

#endif
