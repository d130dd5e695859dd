/* html.c — metadata and main text of an HTML page, with libxml2. */
#include "html.h"

#include <ctype.h>
#include <json-c/json.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "charset.h"
#include "document.h"
#include "error.h"
#include "utf8.h"

/* ---- small helpers ---- */

static bool named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE &&
           strcasecmp((const char *)n->name, name) == 0;
}

/* An attribute's value (owned by libxml2: free with xmlFree), or NULL. */
static char *attr(const xmlNode *n, const char *name)
{
    return (char *)xmlGetProp(n, (const xmlChar *)name);
}

/* Copies s into *field unless it is set already or s is empty. */
static void first(char **field, const char *s)
{
    while (s && isspace((unsigned char)*s))
        s++;
    if (!*field && s && *s)
        *field = strdup(s);
}

/*
 * The node after n in document order, below root (NULL past it). When n
 * was `entered`, its children come next; leave(ctx, m) is called for each
 * element left: n itself when entered without children, and each parent
 * climbed out of.
 */
static xmlNode *next_node(xmlNode *n, xmlNode *root, bool entered,
                          void (*leave)(void *ctx, xmlNode *m), void *ctx)
{
    if (entered && n->children)
        return n->children;
    if (entered && leave && n->type == XML_ELEMENT_NODE)
        leave(ctx, n);
    while (n != root) {
        if (n->next)
            return n->next;
        n = n->parent;
        if (leave && n->type == XML_ELEMENT_NODE)
            leave(ctx, n);
    }
    return NULL;
}

/* ---- metadata ---- */

/* JSON-LD: headline, datePublished, publisher.name, in objects, arrays
   and @graph, a few levels deep. */
static void json_ld(json_object *o, html_article_t *a, int depth)
{
    if (!o || depth > 8)
        return;
    if (json_object_is_type(o, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(o); i++)
            json_ld(json_object_array_get_idx(o, i), a, depth + 1);
        return;
    }
    if (!json_object_is_type(o, json_type_object))
        return;
    json_object *v, *name;
    if (json_object_object_get_ex(o, "headline", &v) &&
        json_object_is_type(v, json_type_string))
        first(&a->title, json_object_get_string(v));
    if (json_object_object_get_ex(o, "datePublished", &v) &&
        json_object_is_type(v, json_type_string))
        first(&a->date, json_object_get_string(v));
    if (json_object_object_get_ex(o, "publisher", &v) &&
        json_object_object_get_ex(v, "name", &name) &&
        json_object_is_type(name, json_type_string))
        first(&a->source, json_object_get_string(name));
    if (json_object_object_get_ex(o, "@graph", &v))
        json_ld(v, a, depth + 1);
}

/* Metadata found on the way, in order of preference per field. */
typedef struct meta {
    char *og_title, *ld_title, *html_title;
    char *og_date, *ld_date, *meta_date, *time_date;
    char *og_site, *ld_site;
    char *canonical, *og_url;
    char *lang, *og_locale;
} meta_t;

static void meta_free(meta_t *m)
{
    char **all[] = {&m->og_title, &m->ld_title,  &m->html_title, &m->og_date,
                    &m->ld_date,  &m->meta_date, &m->time_date,  &m->og_site,
                    &m->ld_site,  &m->canonical, &m->og_url,     &m->lang,
                    &m->og_locale};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(*all[i]);
}

static void read_meta_tag(const xmlNode *n, meta_t *m)
{
    static const char *const date_names[] = {
        "date",    "pubdate",        "publishdate",       "publish-date",
        "dc.date", "dc.date.issued", "article.published", "sailthru.date"};
    char *prop = attr(n, "property"), *name = attr(n, "name"),
         *itemprop = attr(n, "itemprop"), *content = attr(n, "content");
    const char *key = prop ? prop : name;
    if (content && key) {
        if (strcasecmp(key, "og:title") == 0)
            first(&m->og_title, content);
        else if (strcasecmp(key, "og:site_name") == 0)
            first(&m->og_site, content);
        else if (strcasecmp(key, "og:url") == 0)
            first(&m->og_url, content);
        else if (strcasecmp(key, "og:locale") == 0)
            first(&m->og_locale, content);
        else if (strcasecmp(key, "article:published_time") == 0)
            first(&m->og_date, content);
        for (size_t i = 0; i < sizeof date_names / sizeof date_names[0]; i++)
            if (strcasecmp(key, date_names[i]) == 0)
                first(&m->meta_date, content);
    }
    if (content && itemprop && strcasecmp(itemprop, "datePublished") == 0)
        first(&m->meta_date, content);
    xmlFree(prop);
    xmlFree(name);
    xmlFree(itemprop);
    xmlFree(content);
}

static void read_element_meta(xmlNode *n, meta_t *m)
{
    if (named(n, "meta")) {
        read_meta_tag(n, m);
    } else if (named(n, "html")) {
        char *lang = attr(n, "lang");
        first(&m->lang, lang);
        xmlFree(lang);
    } else if (named(n, "title")) {
        xmlChar *t = xmlNodeGetContent(n);
        first(&m->html_title, (const char *)t);
        xmlFree(t);
    } else if (named(n, "link")) {
        char *rel = attr(n, "rel"), *href = attr(n, "href");
        if (rel && href && strcasecmp(rel, "canonical") == 0)
            first(&m->canonical, href);
        xmlFree(rel);
        xmlFree(href);
    } else if (named(n, "time")) {
        char *dt = attr(n, "datetime");
        first(&m->time_date, dt);
        xmlFree(dt);
    } else if (named(n, "script")) {
        char *type = attr(n, "type");
        if (type && strcasecmp(type, "application/ld+json") == 0) {
            xmlChar *t = xmlNodeGetContent(n);
            json_object *o = t ? json_tokener_parse((const char *)t) : NULL;
            html_article_t ld = {0};
            json_ld(o, &ld, 0);
            first(&m->ld_title, ld.title);
            first(&m->ld_date, ld.date);
            first(&m->ld_site, ld.source);
            html_free(&ld);
            json_object_put(o);
            xmlFree(t);
        }
        xmlFree(type);
    }
}

/* ---- main text ---- */

/* Elements whose whole subtree is not article text. */
static bool skipped_element(const xmlNode *n, bool in_article)
{
    static const char *const names[] = {
        "script", "style",  "noscript", "template", "nav",    "aside",
        "footer", "form",   "button",   "select",   "iframe", "svg",
        "figure", "object", "embed",    "canvas",   "head",   "menu",
        "dialog", "input",  "textarea", "video",    "audio",  "map"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (named(n, names[i]))
            return true;
    if (named(n, "header") && !in_article)
        return true;
    return false;
}

/* Whether a class or id names boilerplate. */
static bool boilerplate_name(const char *s)
{
    static const char *const words[] = {
        "nav",          "menu",    "breadcrumb", "share",     "social",
        "related",      "comment", "cookie",     "banner",    "advert",
        "sponsor",      "promo",   "newsletter", "subscribe", "sidebar",
        "footer",       "popup",   "modal",      "widget",    "masthead",
        "byline-share", "paywall", "teaser-list"};
    char low[256];
    size_t n = 0;
    for (; s[n] && n + 1 < sizeof low; n++)
        low[n] = (char)tolower((unsigned char)s[n]);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strstr(low, words[i]))
            return true;
    return false;
}

static bool boilerplate(const xmlNode *n)
{
    bool yes = false;
    const char *names[] = {"class", "id", "role"};
    for (int i = 0; i < 3 && !yes; i++) {
        char *v = attr(n, names[i]);
        if (v)
            yes = i == 2 ? (strcasecmp(v, "navigation") == 0 ||
                            strcasecmp(v, "banner") == 0 ||
                            strcasecmp(v, "complementary") == 0 ||
                            strcasecmp(v, "contentinfo") == 0)
                         : boilerplate_name(v);
        xmlFree(v);
    }
    return yes;
}

/* Elements that end a paragraph of text. */
static bool block_element(const xmlNode *n)
{
    static const char *const names[] = {
        "p",       "div",     "h1",     "h2",      "h3",  "h4",         "h5",
        "h6",      "li",      "ul",     "ol",      "br",  "blockquote", "pre",
        "section", "article", "main",   "td",      "tr",  "table",      "dd",
        "dt",      "hr",      "header", "address", "body"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (named(n, names[i]))
            return true;
    return false;
}

/* The text being gathered: kept paragraphs, and the one in progress. */
typedef struct text {
    char *out;
    size_t len, cap;
    char *block;
    size_t block_len, block_cap;
    size_t link_chars, chars; /* of the block in progress */
    int in_link;
    bool nomem;
} text_t;

static bool grow(char **buf, size_t *cap, size_t need, bool *nomem)
{
    if (need <= *cap)
        return true;
    size_t cap2 = *cap ? *cap : 256;
    while (cap2 < need)
        cap2 *= 2;
    char *p = realloc(*buf, cap2);
    if (!p) {
        *nomem = true;
        return false;
    }
    *buf = p;
    *cap = cap2;
    return true;
}

/* Ends the paragraph in progress: kept unless it is mostly links. */
static void end_block(text_t *t)
{
    size_t n = t->block_len;
    while (n > 0 && t->block[n - 1] == ' ')
        n--;
    bool links = t->chars > 0 && t->link_chars * 2 > t->chars;
    if (n > 0 && !links && grow(&t->out, &t->cap, t->len + n + 3, &t->nomem)) {
        if (t->len > 0) {
            memcpy(t->out + t->len, "\n\n", 2);
            t->len += 2;
        }
        memcpy(t->out + t->len, t->block, n);
        t->len += n;
        t->out[t->len] = '\0';
    }
    t->block_len = t->chars = t->link_chars = 0;
}

/* Adds text, white space runs folded to one space. */
static void add_text(text_t *t, const char *s)
{
    size_t n = strlen(s);
    if (!grow(&t->block, &t->block_cap, t->block_len + n + 2, &t->nomem))
        return;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool space = c == ' ' || (c >= '\t' && c <= '\r');
        /* U+00A0 no-break space */
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
            space = true;
            i++;
        }
        if (space) {
            if (t->block_len > 0 && t->block[t->block_len - 1] != ' ')
                t->block[t->block_len++] = ' ';
            continue;
        }
        t->block[t->block_len++] = (char)c;
        t->chars++;
        if (t->in_link)
            t->link_chars++;
    }
}

static void leave_element(void *ctx, xmlNode *n)
{
    text_t *t = ctx;
    if (named(n, "a"))
        t->in_link--;
    if (block_element(n))
        end_block(t);
}

static void enter_element(text_t *t, xmlNode *n)
{
    if (block_element(n))
        end_block(t);
    if (named(n, "a"))
        t->in_link++;
}

/* Gathers the main text under root. */
static void gather(xmlNode *root, bool in_article, text_t *t)
{
    xmlNode *n = root;
    while (n && !t->nomem) {
        bool entered = false;
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                add_text(t, (const char *)n->content);
        } else if (n->type == XML_ELEMENT_NODE &&
                   (n == root ||
                    (!skipped_element(n, in_article) && !boilerplate(n)))) {
            enter_element(t, n);
            entered = true;
        }
        n = next_node(n, root, entered, leave_element, t);
    }
    end_block(t);
}

/* Characters of text under n (a quick measure to pick among articles). */
static size_t text_size(xmlNode *root)
{
    size_t size = 0;
    for (xmlNode *n = root; n; n = next_node(n, root, true, NULL, NULL))
        if (n->type == XML_TEXT_NODE && n->content)
            size += strlen((const char *)n->content);
    return size;
}

/* The element holding the article: the largest <article>, else <main>
   or role=main, else <body>, else the root. An article inside another
   is not measured: it cannot hold more text than the one around it, and
   measuring each of 250 nested ones made a page quadratic (12 s). */
static xmlNode *content_root(xmlNode *top, bool *in_article)
{
    xmlNode *best = NULL, *main = NULL, *body = NULL;
    size_t best_size = 0;
    bool enter = true;
    for (xmlNode *n = top; n; n = next_node(n, top, enter, NULL, NULL)) {
        enter = true;
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (named(n, "article")) {
            size_t s = text_size(n);
            if (s > best_size) {
                best = n;
                best_size = s;
            }
            enter = false;
        } else if (!main && named(n, "main")) {
            main = n;
        } else if (!body && named(n, "body")) {
            body = n;
        }
        if (!main && n->type == XML_ELEMENT_NODE) {
            char *role = attr(n, "role");
            if (role && strcasecmp(role, "main") == 0)
                main = n;
            xmlFree(role);
        }
    }
    *in_article = best != NULL;
    return best ? best : main ? main : body ? body : top;
}

/* ---- the page ---- */

/* The charset a page declares in its first bytes (<meta charset=...> or
   http-equiv's content), into out; false when none. */
static bool declared_charset(const char *data, size_t len, char out[40])
{
    size_t n = len < 4096 ? len : 4096;
    for (size_t i = 0; i + 8 < n; i++) {
        if (strncasecmp(data + i, "charset", 7) != 0)
            continue;
        size_t j = i + 7;
        while (j < n && (data[j] == ' ' || data[j] == '='))
            j++;
        while (j < n && (data[j] == '"' || data[j] == '\''))
            j++;
        size_t k = 0;
        while (j < n && k < 39 &&
               (isalnum((unsigned char)data[j]) || data[j] == '-' ||
                data[j] == '_' || data[j] == '.' || data[j] == ':'))
            out[k++] = data[j++];
        out[k] = '\0';
        if (k > 0)
            return true;
    }
    return false;
}

/* Sequences that became U+FFFD in s[0..n). */
static size_t replacements(const char *s, size_t n)
{
    size_t k = 0;
    for (const char *p = s;
         (p = memmem(p, n - (size_t)(p - s), "\xEF\xBF\xBD", 3)) != NULL;
         p += 3)
        k++;
    return k;
}

/*
 * The converter to read the page with, and its encoding's name in enc:
 * the one given or declared when ICU knows it (NULL for UTF-8); else
 * none when the bytes are UTF-8; else the detector's guess (NULL when it
 * calls them UTF-8 with a few bad bytes).
 */
static charset_t *page_charset(const char *data, size_t len, const char *given,
                               char enc[40])
{
    char declared[40];
    const char *label = given && *given                         ? given
                        : declared_charset(data, len, declared) ? declared
                                                                : NULL;
    if (label) {
        snprintf(enc, 40, "%s", label);
        charset_t *c = charset_named(label);
        if (c || strcasecmp(label, "utf-8") == 0 ||
            strcasecmp(label, "utf8") == 0)
            return c;
    }
    charset_t *c = utf8_valid_prefix(data, len) == len
                       ? NULL
                       : charset_detect(data, len < 65536 ? len : 65536);
    snprintf(enc, 40, "%s", c ? charset_name(c) : "UTF-8");
    return c;
}

/*
 * The page as UTF-8 (caller frees; NULL when out of memory), converted
 * here by ICU rather than by libxml2, which drops all the text after the
 * first byte its converter rejects (one GBK character in a page labelled
 * gb2312). Bytes the encoding does not define, or invalid UTF-8, become
 * U+FFFD; *replaced counts them, *enc names the encoding read.
 */
static char *page_to_utf8(const char *data, size_t len, const char *given,
                          char enc[40], size_t *out_len, size_t *replaced)
{
    charset_t *c = page_charset(data, len, given, enc);
    char *utf8 = NULL, *converted;
    if (!c) {
        utf8 = utf8_repair(data, len, replaced);
        *out_len = utf8 ? strlen(utf8) : 0;
    } else if (charset_to_utf8(c, data, len, &converted, out_len)) {
        *replaced = replacements(converted, *out_len);
        if ((utf8 = malloc(*out_len + 1)))
            memcpy(utf8, converted, *out_len + 1);
    }
    charset_free(c);
    return utf8;
}

/* libxml2 reports to stderr by default; a page's faults are ours to say,
   with its name, or not at all. */
static void quiet(void *context, const char *fmt, ...)
{
    (void)context;
    (void)fmt;
}

static void quiet_structured(void *context, xmlErrorPtr e)
{
    (void)context;
    (void)e;
}

nidx_status_t html_extract(const char *data, size_t len, const char *charset,
                           const char *base_url, html_article_t *a,
                           nidx_error_t *err)
{
    char enc[40];
    size_t utf8_len = 0, replaced = 0;
    memset(a, 0, sizeof *a);
    xmlSetGenericErrorFunc(NULL, quiet);
    xmlSetStructuredErrorFunc(NULL, quiet_structured);
    char *utf8 = page_to_utf8(data, len, charset, enc, &utf8_len, &replaced);
    htmlParserCtxtPtr ctxt = utf8 ? htmlNewParserCtxt() : NULL;
    if (!ctxt) {
        free(utf8);
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    }
    htmlDocPtr doc = htmlCtxtReadMemory(
        ctxt, utf8, (int)(utf8_len > 0x7fffffff ? 0x7fffffff : utf8_len),
        base_url, "UTF-8",
        HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
            HTML_PARSE_NONET | HTML_PARSE_COMPACT);
    xmlNode *top = doc ? xmlDocGetRootElement(doc) : NULL;
    const xmlError *e = xmlCtxtGetLastError(ctxt);
    bool too_deep = e && e->message && strstr(e->message, "Excessive depth");
    htmlFreeParserCtxt(ctxt);
    free(utf8);
    if (!top) {
        xmlFreeDoc(doc);
        return error_set(err, NIDX_ERROR_INPUT, "no HTML content");
    }
    meta_t m = {0};
    for (xmlNode *n = top; n; n = next_node(n, top, true, NULL, NULL))
        if (n->type == XML_ELEMENT_NODE)
            read_element_meta(n, &m);
    bool in_article = false;
    text_t t = {0};
    gather(content_root(top, &in_article), in_article, &t);
    a->body = t.out;
    free(t.block);
    first(&a->title, m.og_title);
    first(&a->title, m.ld_title);
    first(&a->title, m.html_title);
    first(&a->date, m.og_date);
    first(&a->date, m.ld_date);
    first(&a->date, m.meta_date);
    first(&a->date, m.time_date);
    first(&a->source, m.og_site);
    first(&a->source, m.ld_site);
    first(&a->url, m.canonical);
    first(&a->url, m.og_url);
    first(&a->lang, m.lang);
    first(&a->lang, m.og_locale);
    char host[DOCUMENT_HOST_MAX + 1];
    const char *u = a->url ? a->url : base_url;
    if (!a->source && u && document_url_host(u, strlen(u), host))
        a->source = strdup(host);
    char why[160];
    if (too_deep)
        a->warning = strdup("HTML nested deeper than 256 elements: what lies "
                            "deeper is left out");
    else if (replaced) {
        snprintf(why, sizeof why,
                 "%zu byte sequence%s not valid in %s, each read as U+FFFD",
                 replaced, replaced == 1 ? "" : "s", enc);
        a->warning = strdup(why);
    }
    meta_free(&m);
    xmlFreeDoc(doc);
    if (t.nomem) {
        html_free(a);
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    }
    return NIDX_OK;
}

void html_free(html_article_t *a)
{
    free(a->title);
    free(a->body);
    free(a->date);
    free(a->source);
    free(a->lang);
    free(a->url);
    free(a->warning);
    memset(a, 0, sizeof *a);
}

int html_sniff(const char *s, size_t len)
{
    static const char *const starts[] = {"<!doctype html", "<html", "<head",
                                         "<body",          "<meta", "<title"};
    size_t i = 0;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    for (; i < len && i < 4096; i++) {
        if (isspace((unsigned char)s[i]))
            continue;
        if (s[i] != '<')
            return 0;
        if (len - i >= 4 && strncmp(s + i, "<!--", 4) == 0) {
            const char *end = memmem(s + i, len - i, "-->", 3);
            if (!end)
                return 0;
            i = (size_t)(end - s) + 2;
            continue;
        }
        for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) {
            size_t n = strlen(starts[k]);
            if (len - i >= n && strncasecmp(s + i, starts[k], n) == 0)
                return 1;
        }
        return 0;
    }
    return 0;
}
