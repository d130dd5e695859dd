/*
 * page.c — the search page and the article page, rendered here as
 * complete HTML: every result page has an address that can be shared,
 * reloaded and fetched by curl, and works with scripts off (app.js only
 * enhances it). Everything an article holds is escaped as text on its way
 * out; the only markup is this file's.
 *
 *   GET /?q=...&lang=...&sort=...&offset=...   hits, facets, pages
 *   GET /?article=ID                           one article
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uloc.h>

#include "params.h"
#include "server_impl.h"

#define HTML_TYPE "text/html; charset=utf-8"
#define PAGE_HITS 10         /* hits on a page */
#define PAGE_MAX_HITS 100    /* ... at most, with limit= */
#define FACET_SHOWN 10       /* values of a facet before "more" */
#define FACET_MORE_SHOWN 200 /* ... and with more=FACET */
#define UNTITLED_WORDS 12    /* an untitled article's words shown */

/* ---- an HTML text being written ---- */

typedef struct html {
    char *s;
    size_t len, cap;
    bool failed; /* out of memory: the answer is an error */
} html_t;

static void put_n(html_t *h, const char *s, size_t n)
{
    if (h->failed)
        return;
    if (h->len + n + 1 > h->cap) {
        size_t cap = h->cap ? h->cap : 8192;
        while (cap < h->len + n + 1)
            cap *= 2;
        char *grown = realloc(h->s, cap);
        if (!grown) {
            h->failed = true;
            return;
        }
        h->s = grown, h->cap = cap;
    }
    memcpy(h->s + h->len, s, n);
    h->len += n;
    h->s[h->len] = '\0';
}

static void put(html_t *h, const char *s)
{
    put_n(h, s, strlen(s));
}

static void putf(html_t *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void putf(html_t *h, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0)
        put_n(h, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/*
 * Text, escaped for an element or a quoted attribute: & < > " ' as
 * references, control characters (never text in HTML) as spaces.
 */
static void text_n(html_t *h, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *e = NULL;
        switch (c) {
        case '&': e = "&amp;"; break;
        case '<': e = "&lt;"; break;
        case '>': e = "&gt;"; break;
        case '"': e = "&quot;"; break;
        case '\'': e = "&#39;"; break;
        default:
            if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
                e = " ";
        }
        if (e) {
            put_n(h, s + from, i - from);
            put(h, e);
            from = i + 1;
        }
    }
    put_n(h, s + from, n - from);
}

static void text(html_t *h, const char *s)
{
    text_n(h, s, strlen(s));
}

/* "1,234,567" */
static void number(html_t *h, uint64_t n)
{
    char digits[24], out[32];
    int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
    size_t o = 0;
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    put(h, out);
}

/* Answers the page written (taken), or MHD_NO when writing it failed. */
static enum MHD_Result send_page(struct MHD_Connection *c, unsigned status,
                                 html_t *h)
{
    if (h->failed) {
        free(h->s);
        return MHD_NO;
    }
    return answer(c, status, HTML_TYPE, h->s, h->len);
}

/* ---- addresses: the page's state as parameters ---- */

#define MAX_PAIRS (N_FILTERS * PARAMS_MAX_VALUES + 16)

typedef struct address {
    const char *key[MAX_PAIRS];
    const char *value[MAX_PAIRS];
    size_t n;
} address_t;

static void addr_add(address_t *a, const char *key, const char *value)
{
    if (a->n < MAX_PAIRS && value)
        a->key[a->n] = key, a->value[a->n++] = value;
}

/* Takes out `key` with `value`, or every value when value is NULL. */
static void addr_remove(address_t *a, const char *key, const char *value)
{
    size_t o = 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->key[i], key) || (value && strcmp(a->value[i], value)))
            a->key[o] = a->key[i], a->value[o++] = a->value[i];
    a->n = o;
}

static void addr_set(address_t *a, const char *key, const char *value)
{
    addr_remove(a, key, NULL);
    addr_add(a, key, value);
}

static const char *sort_name(nidx_sort_t s)
{
    return s == NIDX_SORT_DATE_ASCENDING    ? "date"
           : s == NIDX_SORT_DATE_DESCENDING ? "-date"
                                            : NULL;
}

/* The address of the page as asked, in canonical names, without paging. */
static void addr_of(address_t *a, const params_t *p)
{
    a->n = 0;
    addr_add(a, "q", p->query);
    for (int f = 0; f < N_FILTERS; f++)
        for (size_t i = 0; i < p->n[f]; i++)
            addr_add(a, params_filter_names[f], p->values[f][i]);
    addr_add(a, "date_from", p->options.date_from);
    addr_add(a, "date_to", p->options.date_to);
    addr_add(a, "sort", sort_name(p->options.sort));
    if (!p->options.collapse)
        addr_add(a, "collapse", "0");
    if (p->options.exact_script)
        addr_add(a, "exact_script", "1");
    if (p->options.plain)
        addr_add(a, "plain", "1");
    if (!p->options.stemming)
        addr_add(a, "stemming", "0");
}

static void url_encode(html_t *h, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
        if ((*u >= 'a' && *u <= 'z') || (*u >= 'A' && *u <= 'Z') ||
            (*u >= '0' && *u <= '9') || strchr("-_.~", *u)) {
            put_n(h, (const char *)u, 1);
        } else {
            char e[3] = {'%', hex[*u >> 4], hex[*u & 15]};
            put_n(h, e, 3);
        }
    }
}

/* href="/?k=v&amp;..." */
static void href(html_t *h, const address_t *a)
{
    put(h, "href=\"/?");
    for (size_t i = 0; i < a->n; i++) {
        if (i)
            put(h, "&amp;");
        url_encode(h, a->key[i]);
        put(h, "=");
        url_encode(h, a->value[i]);
    }
    put(h, "\"");
}

/* ---- pieces ---- */

static const char *const months[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

/* "3 May 2024" for 2024-05-03, "May 2024" for 2024-05; else as it is. */
static void human_date(html_t *h, const char *d)
{
    size_t n = strlen(d);
    if ((n == 10 || n == 7) && params_date(d)) {
        int month = atoi(d + 5);
        if (n == 10)
            putf(h, "%d ", atoi(d + 8));
        putf(h, "%s %.4s", months[month - 1], d);
    } else {
        text(h, d);
    }
}

static void time_element(html_t *h, const char *date)
{
    put(h, "<time datetime=\"");
    text(h, date);
    put(h, "\">");
    human_date(h, date);
    put(h, "</time>");
}

/* A language's English name ("Serbian"), or the code itself. */
static void language_name(html_t *h, const char *code)
{
    char name[96];
    UErrorCode e = U_ZERO_ERROR;
    int32_t n = params_language_code(code)
                    ? uloc_getDisplayLanguage(code, "en", NULL, 0, &e)
                    : 0;
    if (n > 0 && n < 96) {
        UChar wide[96];
        e = U_ZERO_ERROR;
        uloc_getDisplayLanguage(code, "en", wide, 96, &e);
        int32_t o = 0;
        for (int32_t i = 0; i < n && U_SUCCESS(e); i++)
            if (wide[i] < 0x80) /* English names are ASCII */
                name[o++] = (char)wide[i];
        name[o] = '\0';
        if (U_SUCCESS(e) && o && strcmp(name, code)) {
            text(h, name);
            return;
        }
    }
    text(h, code);
}

/*
 * The lang and dir attributes of an article's text: its language, and
 * the direction that language writes in (Arabic, Persian, Hebrew right
 * to left); without a known language the browser finds the direction
 * from the text itself (dir="auto").
 */
static void lang_dir(html_t *h, const char *lang)
{
    if (!lang || !params_language_code(lang)) {
        put(h, " dir=\"auto\"");
        return;
    }
    put(h, " lang=\"");
    text(h, lang);
    put(h, uloc_isRightToLeft(lang) ? "\" dir=\"rtl\"" : "\" dir=\"ltr\"");
}

static void head(html_t *h, const char *title)
{
    put(h, "<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">\n<head>\n"
           "<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, "
           "initial-scale=1\">\n<title>");
    if (title && *title) {
        text(h, title);
        put(h, " — ");
    }
    put(h, "nidx — news archive search</title>\n"
           "<link rel=\"stylesheet\" href=\"/app.css\">\n"
           "<script src=\"/app.js\" defer></script>\n</head>\n<body>\n");
}

static void hidden_input(html_t *h, const char *name, const char *value)
{
    put(h, "<input type=\"hidden\" name=\"");
    text(h, name);
    put(h, "\" value=\"");
    text(h, value);
    put(h, "\">");
}

/* The search form; filters in use ride along as hidden fields, so that a
   new query keeps them. */
static void header(html_t *h, const params_t *p)
{
    static const struct {
        const char *value, *label;
    } orders[] = {{"", "Best first"},
                  {"-date", "Newest first"},
                  {"date", "Oldest first"}};
    const char *sort = sort_name(p->options.sort);
    put(h, "<header>\n<a class=\"home\" href=\"/\">nidx</a>\n"
           "<form id=\"search\" action=\"/\" method=\"get\" role=\"search\">\n"
           "<label for=\"q\" class=\"hidden\">Search the archive</label>\n"
           "<input id=\"q\" name=\"q\" type=\"search\" dir=\"auto\" "
           "autocomplete=\"off\" placeholder=\"Search the archive (press / "
           "to come here)\" value=\"");
    text(h, p->query);
    put(h, "\">\n<select id=\"sort\" name=\"sort\" aria-label=\"Order of "
           "hits\">");
    for (size_t i = 0; i < 3; i++) {
        bool chosen = sort ? !strcmp(sort, orders[i].value) : !i;
        putf(h, "<option value=\"%s\"%s>%s</option>", orders[i].value,
             chosen ? " selected" : "", orders[i].label);
    }
    put(h, "</select>\n");
    for (int f = 0; f < N_FILTERS; f++)
        for (size_t i = 0; i < p->n[f]; i++)
            hidden_input(h, params_filter_names[f], p->values[f][i]);
    if (p->options.date_from)
        hidden_input(h, "date_from", p->options.date_from);
    if (p->options.date_to)
        hidden_input(h, "date_to", p->options.date_to);
    put(h, "<button type=\"submit\">Search</button>\n</form>\n</header>\n"
           "<main id=\"main\">\n");
}

static void footer(html_t *h)
{
    put(h, "</main>\n</body>\n</html>\n");
}

/* The filters in use, each a link that takes it away. */
static void filter_chips(html_t *h, const params_t *p)
{
    address_t a;
    put(h, "<div id=\"filters\" aria-label=\"Filters in use\">");
    for (int f = 0; f < N_FILTERS; f++)
        for (size_t i = 0; i < p->n[f]; i++) {
            addr_of(&a, p);
            addr_remove(&a, params_filter_names[f], p->values[f][i]);
            put(h, "<a class=\"chip\" ");
            href(h, &a);
            putf(h, " aria-label=\"Remove filter %s ", params_filter_names[f]);
            text(h, p->values[f][i]);
            putf(h, "\">%s: ", params_filter_names[f]);
            text(h, p->values[f][i]);
            put(h, " ✕</a>");
        }
    const char *dates[2] = {p->options.date_from, p->options.date_to};
    static const char *const date_keys[2] = {"date_from", "date_to"};
    for (int d = 0; d < 2; d++)
        if (dates[d]) {
            addr_of(&a, p);
            addr_remove(&a, date_keys[d], NULL);
            put(h, "<a class=\"chip\" ");
            href(h, &a);
            putf(h, " aria-label=\"Remove filter %s ", date_keys[d]);
            text(h, dates[d]);
            put(h, d ? "\">until " : "\">from ");
            human_date(h, dates[d]);
            put(h, " ✕</a>");
        }
    put(h, "</div>\n");
}

/* ---- the results page ---- */

/* An untitled article's first words, from its stored body. */
static void first_words(html_t *h, server_t *s, const char *id)
{
    nidx_error_t err;
    nidx_article_t *a = NULL;
    nidx_searcher_t *searcher = server_searcher(s, false, &err);
    if (!searcher || !id ||
        nidx_searcher_find_article(searcher, id, &a, &err) != NIDX_OK ||
        !a->body || !*a->body) {
        put(h, "(untitled)");
        if (a)
            nidx_article_free(a);
        return;
    }
    const char *b = a->body, *end = b;
    int words = 0;
    while (*end && words < UNTITLED_WORDS) {
        while (*end == ' ' || *end == '\n' || *end == '\t' || *end == '\r')
            end++;
        if (!*end)
            break;
        while (*end && *end != ' ' && *end != '\n' && *end != '\t' &&
               *end != '\r')
            end++;
        words++;
    }
    while (*b == ' ' || *b == '\n' || *b == '\t' || *b == '\r')
        b++;
    /* A run without spaces (Chinese, Thai) is cut at a character. */
    size_t n = (size_t)(end - b);
    if (n > 120) {
        n = 120;
        while (n && ((unsigned char)b[n] & 0xC0) == 0x80)
            n--;
    }
    text_n(h, b, n);
    if (b[n])
        put(h, "…");
    nidx_article_free(a);
}

static void snippet(html_t *h, const nidx_hit_t *hit)
{
    const char *s = hit->snippet;
    size_t at = 0;
    put(h, "<p class=\"snippet\"");
    lang_dir(h, hit->article.lang);
    put(h, ">");
    for (size_t i = 0; i < hit->n_highlights; i++) {
        size_t start = hit->highlights[i].start, end = hit->highlights[i].end;
        text_n(h, s + at, start - at);
        put(h, "<b>");
        text_n(h, s + start, end - start);
        put(h, "</b>");
        at = end;
    }
    text(h, s + at);
    put(h, "</p>\n");
}

static void one_hit(html_t *h, server_t *s, const nidx_hit_t *hit)
{
    const nidx_article_t *a = &hit->article;
    address_t to = {.n = 0};
    addr_add(&to, "article", a->id ? a->id : "");
    put(h, "<div class=\"hit\">\n<h3");
    lang_dir(h, a->lang);
    put(h, "><a ");
    href(h, &to);
    put(h, ">");
    if (a->title && *a->title)
        text(h, a->title);
    else
        first_words(h, s, a->id);
    put(h, "</a></h3>\n<div class=\"meta\">");
    if (a->date)
        time_element(h, a->date);
    else
        put(h, "no date");
    if (a->source) {
        put(h, " · <span class=\"source\" dir=\"auto\">");
        text(h, a->source);
        put(h, "</span>");
    }
    if (a->lang) {
        put(h, " · <span class=\"lang\">");
        text(h, a->lang);
        put(h, "</span>");
    }
    if (hit->duplicates)
        putf(h, " · %u similar article%s not shown", hit->duplicates,
             hit->duplicates == 1 ? "" : "s");
    if (hit->n_transliterated) {
        put(h, " · another spelling of ");
        for (size_t i = 0; i < hit->n_transliterated; i++) {
            if (i)
                put(h, ", ");
            text(h, hit->transliterated[i]);
        }
    }
    put(h, "</div>\n");
    if (hit->snippet && *hit->snippet)
        snippet(h, hit);
    put(h, "</div>\n");
}

static const char *const facet_keys[] = {"source", "lang", "month"};
static const char *const facet_titles[] = {"Source", "Language", "Month"};

static void facet_list(html_t *h, const params_t *p, const nidx_results_t *r,
                       nidx_facet_t f)
{
    size_t n = nidx_results_facet_size(r, f);
    bool whole = p->more && !strcmp(p->more, facet_keys[f]);
    size_t shown = whole ? FACET_MORE_SHOWN : FACET_SHOWN;
    address_t a;
    if (!n)
        return;
    putf(h, "<h2>%s</h2>\n<ul>", facet_titles[f]);
    for (size_t k = 0; k < n && k < shown; k++) {
        /* Months come oldest first: shown newest first. */
        size_t i = f == NIDX_FACET_MONTH ? n - 1 - k : k;
        uint64_t count;
        const char *v = nidx_results_facet_value(r, f, i, &count);
        addr_of(&a, p);
        if (f == NIDX_FACET_MONTH) {
            addr_set(&a, "date_from", v);
            addr_set(&a, "date_to", v);
        } else {
            addr_add(&a, facet_keys[f], v);
        }
        put(h, "<li><a ");
        href(h, &a);
        putf(h, " data-facet=\"%s\" data-value=\"", facet_keys[f]);
        text(h, v);
        put(h, "\"><span class=\"value\" dir=\"auto\">");
        if (f == NIDX_FACET_LANG)
            language_name(h, v);
        else if (f == NIDX_FACET_MONTH)
            human_date(h, v);
        else
            text(h, v);
        put(h, "</span> <span class=\"count\">");
        number(h, count);
        put(h, "</span></a></li>");
    }
    put(h, "</ul>\n");
    if (n > shown || whole) {
        addr_of(&a, p);
        if (p->options.offset)
            addr_add(&a, "offset", NULL);
        if (!whole)
            addr_add(&a, "more", facet_keys[f]);
        put(h, "<p class=\"more\"><a ");
        href(h, &a);
        if (whole)
            put(h, ">Fewer</a>");
        else
            putf(h, ">More (%zu)</a>", n);
        if (whole && n > shown)
            putf(h, " · the first %zu of %zu shown", shown, n);
        put(h, "</p>\n");
    }
}

/* The facets, behind one control on a phone (a checkbox and its label:
   it folds without scripts). */
static void facets(html_t *h, const params_t *p, const nidx_results_t *r)
{
    put(h, "<nav id=\"facets\" aria-label=\"Narrow the hits\">\n"
           "<input type=\"checkbox\" id=\"fold\" class=\"fold\">"
           "<label for=\"fold\" class=\"fold-label\">Narrow by source, "
           "language, month</label>\n<div class=\"lists\">\n");
    uint64_t articles = nidx_results_articles(r);
    if (p->options.collapse && articles > nidx_results_total(r)) {
        put(h, "<p class=\"basis\">Counts of articles: ");
        number(h, articles);
        put(h, " match, republished copies included.</p>\n");
    }
    for (int f = 0; f < 3; f++)
        facet_list(h, p, r, (nidx_facet_t)f);
    put(h, "</div>\n</nav>\n");
}

static void pages(html_t *h, const params_t *p, const nidx_results_t *r)
{
    unsigned offset = p->options.offset, limit = p->options.limit;
    size_t shown = nidx_results_count(r);
    uint64_t total = nidx_results_total(r);
    char at[16];
    address_t a;
    put(h, "<nav id=\"pages\" aria-label=\"Pages\">");
    if (offset > 0) {
        addr_of(&a, p);
        if (offset > limit) {
            snprintf(at, sizeof at, "%u", offset - limit);
            addr_add(&a, "offset", at);
        }
        put(h, "<a rel=\"prev\" ");
        href(h, &a);
        put(h, ">← Previous</a>");
    }
    if (offset + shown < total && offset + limit <= SERVE_MAX_OFFSET) {
        addr_of(&a, p);
        snprintf(at, sizeof at, "%u", offset + limit);
        addr_add(&a, "offset", at);
        put(h, "<a rel=\"next\" ");
        href(h, &a);
        put(h, ">Next →</a>");
    }
    put(h, "</nav>\n");
}

/* The line above the hits: how many, which, and what was left out. */
static void status_line(html_t *h, const params_t *p, const nidx_results_t *r)
{
    size_t shown = nidx_results_count(r);
    uint64_t total = nidx_results_total(r);
    unsigned failed = nidx_results_shards_failed(r);
    unsigned unreadable = nidx_results_unreadable(r);
    put(h, "<p id=\"status\" role=\"status\">");
    if (shown) {
        if (!nidx_results_total_exact(r))
            put(h, "About ");
        number(h, total);
        put(h, total == 1 ? " match" : " matches");
        putf(h, "; showing %u–%zu", p->options.offset + 1,
             p->options.offset + shown);
    } else if (total) {
        put(h, "No more hits past ");
        number(h, total);
    } else {
        put(h, "No articles match.");
    }
    if (nidx_results_cut(r) != NIDX_CUT_NONE)
        put(h, " (the search was cut short: these are the best found)");
    if (failed)
        putf(h,
             ". Part of the archive did not answer: %u shard%s left out, "
             "and these counts are of the rest",
             failed, failed == 1 ? " is" : "s are");
    if (unreadable)
        putf(h,
             ". %u hit%s shown without text: the index is damaged (nidx "
             "check)",
             unreadable, unreadable == 1 ? "" : "s");
    put(h, "</p>\n");
}

static void suggestion(html_t *h, const params_t *p, const nidx_results_t *r)
{
    const char *s = nidx_results_suggestion(r);
    address_t a;
    if (!s)
        return;
    addr_of(&a, p);
    addr_set(&a, "q", s);
    put(h, "<p class=\"suggestion\">Did you mean <a ");
    href(h, &a);
    put(h, " dir=\"auto\">");
    text(h, s);
    put(h, "</a>?</p>\n");
}

/* The page for a problem: the form, and the message once. */
static enum MHD_Result problem(struct MHD_Connection *c, const params_t *p,
                               unsigned status, const char *message)
{
    html_t h = {0};
    head(&h, p ? p->query : NULL);
    if (p) {
        header(&h, p);
    } else {
        params_t none = {.query = ""};
        nidx_search_options_init(&none.options);
        header(&h, &none);
    }
    put(&h, "<p id=\"status\" class=\"error\" role=\"alert\">");
    text(&h, message);
    put(&h, "</p>\n");
    footer(&h);
    return send_page(c, status, &h);
}

static enum MHD_Result welcome(server_t *s, struct MHD_Connection *c,
                               const params_t *p)
{
    nidx_error_t err;
    html_t h = {0};
    nidx_searcher_t *searcher = server_searcher(s, false, &err);
    head(&h, NULL);
    header(&h, p);
    put(&h, "<p id=\"status\" role=\"status\">");
    if (searcher) {
        number(&h, nidx_searcher_article_count(searcher));
        put(&h, " articles in the archive. Type words to search; "
                "\"quotes\" for a phrase, -word to leave out.");
    } else {
        text(&h, err.message);
    }
    put(&h, "</p>\n");
    footer(&h);
    return send_page(c, searcher ? MHD_HTTP_OK : server_http_status(err.status),
                     &h);
}

static enum MHD_Result results_page(server_t *s, struct MHD_Connection *c,
                                    params_t *p)
{
    nidx_error_t err;
    nidx_results_t *r;
    bool filtered = p->options.n_langs || p->options.n_sources ||
                    p->options.n_sites || p->options.n_ids ||
                    p->options.date_from || p->options.date_to;
    if (!p->query[strspn(p->query, " \t\r\n")] && !filtered)
        return welcome(s, c, p); /* nothing asked yet (or only spaces) */
    if (p->options.limit > PAGE_MAX_HITS) {
        char why[80];
        snprintf(why, sizeof why, "limit: the page shows at most %d hits",
                 PAGE_MAX_HITS);
        return problem(c, p, MHD_HTTP_BAD_REQUEST, why);
    }
    p->options.facets = true;
    if (!p->limit_given)
        p->options.limit = PAGE_HITS;
    if (p->options.limit == 0)
        p->options.limit = 1;
    if (server_search(s, p->query, &p->options, &r, &err) != NIDX_OK)
        return problem(c, p, server_http_status(err.status), err.message);
    html_t h = {0};
    head(&h, p->query);
    header(&h, p);
    status_line(&h, p, r);
    filter_chips(&h, p);
    suggestion(&h, p, r);
    put(&h, "<div id=\"layout\">\n<section id=\"results\" "
            "aria-label=\"Hits\">\n");
    for (size_t i = 0; i < nidx_results_count(r); i++)
        one_hit(&h, s, nidx_results_hit(r, i));
    put(&h, "</section>\n");
    facets(&h, p, r);
    put(&h, "</div>\n");
    pages(&h, p, r);
    footer(&h);
    nidx_results_free(r);
    return send_page(c, MHD_HTTP_OK, &h);
}

/* An article's address, when it is one a reader may follow. */
static bool followable(const char *url)
{
    return url && (!strncmp(url, "http://", 7) || !strncmp(url, "https://", 8));
}

static enum MHD_Result article_page(server_t *s, struct MHD_Connection *c,
                                    const params_t *p)
{
    nidx_error_t err;
    nidx_article_t *a = NULL;
    nidx_searcher_t *searcher = server_searcher(s, false, &err);
    if (!searcher ||
        nidx_searcher_find_article(searcher, p->article, &a, &err) != NIDX_OK)
        return problem(c, NULL, server_http_status(err.status), err.message);
    html_t h = {0};
    params_t none = {.query = ""};
    nidx_search_options_init(&none.options);
    head(&h, a->title);
    header(&h, &none);
    put(&h, "<article id=\"article\"");
    lang_dir(&h, a->lang);
    put(&h, ">\n<h1>");
    text(&h, a->title && *a->title ? a->title : "(untitled)");
    put(&h, "</h1>\n<p class=\"meta\" dir=\"ltr\">");
    if (a->date)
        time_element(&h, a->date);
    else
        put(&h, "no date");
    if (a->source) {
        put(&h, " · <span class=\"source\" dir=\"auto\">");
        text(&h, a->source);
        put(&h, "</span>");
    }
    if (a->lang) {
        put(&h, " · ");
        language_name(&h, a->lang);
    }
    put(&h, "</p>\n");
    if (followable(a->url)) {
        put(&h, "<p class=\"url\" dir=\"ltr\"><a rel=\"noopener noreferrer\" "
                "href=\"");
        text(&h, a->url);
        put(&h, "\">");
        text(&h, a->url);
        put(&h, "</a></p>\n");
    }
    put(&h, "<div class=\"body\">");
    text(&h, a->body ? a->body : "");
    put(&h, "</div>\n</article>\n<p dir=\"ltr\"><a class=\"back\" "
            "href=\"/\">← Back to the search</a></p>\n");
    footer(&h);
    nidx_article_free(a);
    return send_page(c, MHD_HTTP_OK, &h);
}

enum MHD_Result page_answer(server_t *s, struct MHD_Connection *c)
{
    params_t p;
    char why[600];
    unsigned refused = params_read(c, PARAMS_PAGE, &p, why, sizeof why);
    if (refused)
        return problem(c, NULL, refused, why);
    if (p.article)
        return article_page(s, c, &p);
    return results_page(s, c, &p);
}
