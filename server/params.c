/*
 * params.c — a search's HTTP parameters read into nidx_search_options_t,
 * by one table: each name, its aliases, what it takes.
 */
#include "params.h"

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uloc.h>

#include "serve.h"

const char *const params_filter_names[N_FILTERS] = {"lang", "source", "site",
                                                    "id"};

typedef enum {
    P_QUERY,
    P_FILTER,    /* which: FILTER_* */
    P_DATE_FROM, /* date_from, from */
    P_DATE_TO,
    P_SORT,
    P_OFFSET,
    P_LIMIT,
    P_FLAG,     /* which: the bool's offset in the options */
    P_NOT_FLAG, /* all=1 is collapse=0 */
    P_COUNT,
    P_ARTICLE, /* the page's */
    P_MORE
} kind_t;

typedef struct param {
    const char *name;
    const char *alias_of; /* NULL: a canonical name */
    kind_t kind;
    size_t which;
    bool page_only;
} param_t;

#define FLAG(field) P_FLAG, offsetof(nidx_search_options_t, field)

/* Canonical names first, in the order the refusal lists them. */
static const param_t known[] = {
    {"q", NULL, P_QUERY, 0, false},
    {"lang", NULL, P_FILTER, FILTER_LANG, false},
    {"source", NULL, P_FILTER, FILTER_SOURCE, false},
    {"site", NULL, P_FILTER, FILTER_SITE, false},
    {"id", NULL, P_FILTER, FILTER_ID, false},
    {"date_from", NULL, P_DATE_FROM, 0, false},
    {"date_to", NULL, P_DATE_TO, 0, false},
    {"sort", NULL, P_SORT, 0, false},
    {"offset", NULL, P_OFFSET, 0, false},
    {"limit", NULL, P_LIMIT, 0, false},
    {"facets", NULL, FLAG(facets), false},
    {"snippets", NULL, FLAG(snippets), false},
    {"stemming", NULL, FLAG(stemming), false},
    {"exact_script", NULL, FLAG(exact_script), false},
    {"exact_total", NULL, FLAG(exact_total), false},
    {"collapse", NULL, FLAG(collapse), false},
    {"plain", NULL, FLAG(plain), false},
    {"count", NULL, P_COUNT, 0, false},
    {"article", NULL, P_ARTICLE, 0, true},
    {"more", NULL, P_MORE, 0, true},
    /* Older names, kept working. */
    {"langs", "lang", P_FILTER, FILTER_LANG, false},
    {"sources", "source", P_FILTER, FILTER_SOURCE, false},
    {"sites", "site", P_FILTER, FILTER_SITE, false},
    {"ids", "id", P_FILTER, FILTER_ID, false},
    {"from", "date_from", P_DATE_FROM, 0, false},
    {"to", "date_to", P_DATE_TO, 0, false},
    {"all", "collapse", P_NOT_FLAG, offsetof(nidx_search_options_t, collapse),
     false},
};
#define N_KNOWN (sizeof known / sizeof known[0])

typedef struct reading {
    params_t *p;
    params_for_t who;
    bool seen[N_KNOWN]; /* by canonical entry */
    unsigned status;
    char *why;
    size_t why_size;
} reading_t;

static const param_t *find(const char *name, params_for_t who)
{
    for (size_t i = 0; i < N_KNOWN; i++)
        if (!strcmp(known[i].name, name) &&
            (!known[i].page_only || who == PARAMS_PAGE))
            return &known[i];
    return NULL;
}

static size_t canonical_index(const param_t *d)
{
    const char *name = d->alias_of ? d->alias_of : d->name;
    for (size_t i = 0; i < N_KNOWN; i++)
        if (!strcmp(known[i].name, name))
            return i;
    return 0;
}

static bool refuse(reading_t *r, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool refuse(reading_t *r, unsigned status, const char *fmt, ...)
{
    va_list ap;
    if (r->status)
        return false; /* the first problem is the one said */
    va_start(ap, fmt);
    vsnprintf(r->why, r->why_size, fmt, ap);
    va_end(ap);
    r->status = status;
    return false;
}

/* "q, lang, source, ..." into buf: the names `who` takes. */
static void list_accepted(params_for_t who, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < N_KNOWN && at < size; i++)
        if (!known[i].alias_of && (!known[i].page_only || who == PARAMS_PAGE))
            at += (size_t)snprintf(buf + at, size - at, "%s%s", at ? ", " : "",
                                   known[i].name);
}

/* A yes/no value: "", 1, true, yes or 0, false, no. */
static bool yes_no(const char *v, bool *out)
{
    if (!*v || !strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes"))
        return *out = true, true;
    if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no"))
        return *out = false, true;
    return false;
}

static bool count_value(const char *v, unsigned max, unsigned *out)
{
    char *end;
    if (!*v || !isdigit((unsigned char)*v))
        return false;
    unsigned long n = strtoul(v, &end, 10);
    if (*end || n > max)
        return false;
    *out = (unsigned)n;
    return true;
}

bool params_date(const char *d)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t len = strlen(d);
    if (len != 4 && len != 7 && len != 10)
        return false;
    for (size_t i = 0; i < len; i++)
        if (i == 4 || i == 7 ? d[i] != '-' : !isdigit((unsigned char)d[i]))
            return false;
    if (len == 4)
        return true;
    int year = atoi(d), month = atoi(d + 5);
    if (month < 1 || month > 12)
        return false;
    if (len == 7)
        return true;
    int day = atoi(d + 8);
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day >= 1 && day <= days[month - 1] &&
           !(month == 2 && day == 29 && !leap);
}

bool params_language_code(const char *code)
{
    size_t n = strspn(code, "abcdefghijklmnopqrstuvwxyz");
    if (n < 2 || n > 3 || strlen(code) > 16)
        return false;
    for (const char *s = code + n; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-')
            return false;
    if (code[n] && code[n] != '-')
        return false;
    char primary[4];
    memcpy(primary, code, n);
    primary[n] = '\0';
    /* ICU knows the ISO 639 codes: an unknown one has no three-letter
       form. */
    return *uloc_getISO3Language(primary) != '\0';
}

static bool take(reading_t *r, const param_t *d, const char *v)
{
    params_t *p = r->p;
    nidx_search_options_t *o = &p->options;
    const char *name = d->name;
    bool b;
    switch (d->kind) {
    case P_QUERY:
        if (strlen(v) > NIDX_QUERY_MAX_BYTES)
            return refuse(r, MHD_HTTP_URI_TOO_LONG,
                          "the query is longer than %d bytes",
                          NIDX_QUERY_MAX_BYTES);
        p->query = v;
        return true;
    case P_FILTER:
        if (!*v) /* a form's empty field */
            return true;
        if (p->n[d->which] == PARAMS_MAX_VALUES)
            return refuse(r, MHD_HTTP_BAD_REQUEST,
                          "%s: at most %d values of one filter", name,
                          PARAMS_MAX_VALUES);
        if (d->which == FILTER_LANG && !params_language_code(v))
            return refuse(r, MHD_HTTP_BAD_REQUEST,
                          "%s: '%.40s' is not an ISO 639 language code (such "
                          "as en, sr or zh)",
                          name, v);
        p->values[d->which][p->n[d->which]++] = v;
        return true;
    case P_DATE_FROM:
    case P_DATE_TO:
        if (!*v)
            return true;
        if (!params_date(v))
            return refuse(r, MHD_HTTP_BAD_REQUEST,
                          "%s: '%.40s' is not a date (YYYY, YYYY-MM or "
                          "YYYY-MM-DD)",
                          name, v);
        *(d->kind == P_DATE_FROM ? &o->date_from : &o->date_to) = v;
        return true;
    case P_SORT:
        if (!*v || !strcmp(v, "relevance"))
            o->sort = NIDX_SORT_RELEVANCE;
        else if (!strcmp(v, "date"))
            o->sort = NIDX_SORT_DATE_ASCENDING;
        else if (!strcmp(v, "-date"))
            o->sort = NIDX_SORT_DATE_DESCENDING;
        else
            return refuse(r, MHD_HTTP_BAD_REQUEST,
                          "sort: '%.40s' is not an order; sort takes "
                          "relevance, date (oldest first) or -date (newest "
                          "first)",
                          v);
        return true;
    case P_OFFSET:
        if (!count_value(v, SERVE_MAX_OFFSET, &o->offset))
            return refuse(r, MHD_HTTP_BAD_REQUEST,
                          "offset: '%.40s' is not a number of hits from 0 to "
                          "%d",
                          v, SERVE_MAX_OFFSET);
        return true;
    case P_LIMIT:
        if (!count_value(v, SERVE_MAX_LIMIT, &o->limit))
            return refuse(r, MHD_HTTP_BAD_REQUEST,
                          "limit: '%.40s' is not a number of hits from 0 to "
                          "%d",
                          v, SERVE_MAX_LIMIT);
        p->limit_given = true;
        return true;
    case P_FLAG:
    case P_NOT_FLAG:
    case P_COUNT:
        if (!yes_no(v, &b))
            return refuse(r, MHD_HTTP_BAD_REQUEST,
                          "%s: '%.40s' is not yes or no; it takes 1 or 0", name,
                          v);
        if (d->kind == P_COUNT)
            p->count_only = b;
        else
            *(bool *)((char *)o + d->which) = d->kind == P_FLAG ? b : !b;
        return true;
    case P_ARTICLE: p->article = v; return true;
    case P_MORE:
        if (strcmp(v, "source") && strcmp(v, "lang") && strcmp(v, "month"))
            return refuse(r, MHD_HTTP_BAD_REQUEST,
                          "more: '%.40s' is not a facet; it takes source, "
                          "lang or month",
                          v);
        p->more = v;
        return true;
    }
    return true;
}

static enum MHD_Result each(void *cls, enum MHD_ValueKind kind, const char *key,
                            const char *value)
{
    reading_t *r = cls;
    (void)kind;
    if (r->status)
        return MHD_NO;
    const param_t *d = find(key, r->who);
    if (!d) {
        char accepted[400];
        list_accepted(r->who, accepted, sizeof accepted);
        refuse(r, MHD_HTTP_BAD_REQUEST,
               "unknown parameter '%.40s': %s takes %s", key,
               r->who == PARAMS_PAGE ? "the page" : "/search", accepted);
        return MHD_NO;
    }
    size_t c = canonical_index(d);
    if (d->kind != P_FILTER && r->seen[c]) {
        refuse(r, MHD_HTTP_BAD_REQUEST, "%s is given twice%s%s", key,
               d->alias_of ? " (as " : "", d->alias_of ? "an alias)" : "");
        return MHD_NO;
    }
    r->seen[c] = true;
    take(r, d, value ? value : "");
    return r->status ? MHD_NO : MHD_YES;
}

unsigned params_read(struct MHD_Connection *c, params_for_t who, params_t *p,
                     char *why, size_t why_size)
{
    memset(p, 0, sizeof *p);
    nidx_search_options_init(&p->options);
    p->query = "";
    reading_t r = {.p = p, .who = who, .why = why, .why_size = why_size};
    why[0] = '\0';
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, each, &r);
    if (r.status)
        return r.status;
    nidx_search_options_t *o = &p->options;
    o->langs = p->values[FILTER_LANG], o->n_langs = p->n[FILTER_LANG];
    o->sources = p->values[FILTER_SOURCE], o->n_sources = p->n[FILTER_SOURCE];
    o->sites = p->values[FILTER_SITE], o->n_sites = p->n[FILTER_SITE];
    o->ids = p->values[FILTER_ID], o->n_ids = p->n[FILTER_ID];
    if (p->count_only) { /* as nsearch --count */
        o->exact_total = true;
        o->limit = 0;
        o->offset = 0;
    }
    return 0;
}
