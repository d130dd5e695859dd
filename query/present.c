/* present.c — text and JSON renderings of a result page. */
#include "present.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOLD "\033[1m"
#define PLAIN "\033[0m"

/* Appends s[0..n) to buf, HTML-escaped. buf has room for 6 bytes each. */
static size_t html_escape(char *buf, const char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        const char *e = NULL;
        switch (s[i]) {
        case '&': e = "&amp;"; break;
        case '<': e = "&lt;"; break;
        case '>': e = "&gt;"; break;
        case '"': e = "&quot;"; break;
        case '\'': e = "&#39;"; break;
        }
        if (e) {
            memcpy(buf + o, e, strlen(e));
            o += strlen(e);
        } else {
            buf[o++] = s[i];
        }
    }
    return o;
}

/* Calls part() for each piece of a hit's snippet in order, saying
   whether it is a highlighted match. */
static void each_snippet_part(const nidx_hit_t *h,
                              void (*part)(void *context, const char *s,
                                           size_t n, bool matched),
                              void *context)
{
    const char *s = h->snippet;
    size_t at = 0;
    for (size_t i = 0; i < h->n_highlights; i++) {
        size_t start = h->highlights[i].start, end = h->highlights[i].end;
        part(context, s + at, start - at, false);
        part(context, s + start, end - start, true);
        at = end;
    }
    part(context, s + at, strlen(s + at), false);
}

typedef struct marked {
    char *buf;
    size_t n;
} marked_t;

static void mark_part(void *context, const char *s, size_t n, bool matched)
{
    marked_t *m = context;
    if (matched)
        memcpy(m->buf + m->n, "<b>", 3), m->n += 3;
    m->n += html_escape(m->buf + m->n, s, n);
    if (matched)
        memcpy(m->buf + m->n, "</b>", 4), m->n += 4;
}

/* The snippet HTML-escaped, with highlights between <b> and </b>.
   Caller frees. */
static char *mark_snippet(const nidx_hit_t *h)
{
    marked_t m = {malloc(strlen(h->snippet) * 6 + h->n_highlights * 7 + 1), 0};
    if (!m.buf)
        return NULL;
    each_snippet_part(h, mark_part, &m);
    m.buf[m.n] = '\0';
    return m.buf;
}

/*
 * Writes s with its control characters (C0, DEL, C1: escape sequences
 * that could retitle, clear or recolour the reader's terminal) and line
 * breaks each shown as a space. Articles come from anywhere.
 */
static void put_clean(FILE *out, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n; i++) {
        if (u[i] < 0x20 || u[i] == 0x7F)
            fputc(' ', out);
        else if (u[i] == 0xC2 && i + 1 < n && u[i + 1] >= 0x80 &&
                 u[i + 1] <= 0x9F)
            fputc(' ', out), i++;
        else
            fputc(u[i], out);
    }
}

static void puts_clean(FILE *out, const char *s)
{
    put_clean(out, s, strlen(s));
}

static const char *const facet_names[] = {"source", "lang", "month"};

/* One line a facet: "source: Politika 12, RTS 7, ...", the first ten. */
static void text_facets(FILE *out, const nidx_results_t *r)
{
    for (int f = NIDX_FACET_SOURCE; f <= NIDX_FACET_MONTH; f++) {
        size_t n = nidx_results_facet_size(r, (nidx_facet_t)f);
        fprintf(out, "%s:", facet_names[f]);
        for (size_t i = 0; i < n && i < 10; i++) {
            uint64_t count;
            const char *v =
                nidx_results_facet_value(r, (nidx_facet_t)f, i, &count);
            fprintf(out, "%s ", i ? "," : "");
            puts_clean(out, v);
            fprintf(out, " %llu", (unsigned long long)count);
        }
        fprintf(out, n > 10 ? ", ... (%zu values)\n" : "\n", n);
    }
}

typedef struct shown {
    FILE *out;
    bool bold;
} shown_t;

static void show_part(void *context, const char *s, size_t n, bool matched)
{
    const shown_t *sh = context;
    fputs(matched && sh->bold ? BOLD : "", sh->out);
    put_clean(sh->out, s, n);
    fputs(matched && sh->bold ? PLAIN : "", sh->out);
}

void present_text(FILE *out, const char *query, const nidx_results_t *r,
                  unsigned offset, bool bold, bool facets)
{
    size_t n = nidx_results_count(r);
    uint64_t total = nidx_results_total(r);
    const char *suggestion = nidx_results_suggestion(r);
    if (suggestion) {
        fprintf(out, "Did you mean: %s", bold ? BOLD : "");
        puts_clean(out, suggestion);
        fprintf(out, "%s\n\n", bold ? PLAIN : "");
    }
    if (n == 0 && total == 0) {
        fputs("No articles match \"", out);
        puts_clean(out, query);
        fputs("\".\n", out);
        return;
    }
    if (facets) {
        text_facets(out, r);
        fputc('\n', out);
    }
    fprintf(out, "%llu match%s for \"", (unsigned long long)total,
            total == 1 ? "" : "es");
    puts_clean(out, query);
    if (n > 0)
        fprintf(out, "\"; showing %u-%zu\n\n", offset + 1, offset + n);
    else if (offset > 0)
        fprintf(out, "\"; none from %u on\n", offset + 1);
    else
        fputs("\"\n", out);
    for (size_t i = 0; i < n; i++) {
        const nidx_hit_t *h = nidx_results_hit(r, i);
        const nidx_article_t *a = &h->article;
        fprintf(out, "%u. %s", h->rank, bold ? BOLD : "");
        puts_clean(out, a->title && *a->title ? a->title : "(untitled)");
        fprintf(out, "%s\n   ", bold ? PLAIN : "");
        puts_clean(out, a->date ? a->date : "no date");
        if (a->source) {
            fputs(" · ", out);
            puts_clean(out, a->source);
        }
        fputs(" · ", out);
        puts_clean(out, a->id);
        if (h->duplicates)
            fprintf(out, " · %u similar article%s not shown", h->duplicates,
                    h->duplicates == 1 ? "" : "s");
        fputc('\n', out);
        if (h->snippet && *h->snippet) {
            fputs("   ", out);
            each_snippet_part(h, show_part, &(shown_t){out, bold});
            fputc('\n', out);
        }
        fputc('\n', out);
    }
}

static json_object *string_or_null(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

/* {"source": {NAME: N}, "lang": {...}, "month": {...}}, or NULL. */
static json_object *json_facets(const nidx_results_t *r)
{
    json_object *all = json_object_new_object();
    for (int f = NIDX_FACET_SOURCE; all && f <= NIDX_FACET_MONTH; f++) {
        json_object *counts = json_object_new_object();
        if (!counts) {
            json_object_put(all);
            return NULL;
        }
        size_t n = nidx_results_facet_size(r, (nidx_facet_t)f);
        for (size_t i = 0; i < n; i++) {
            uint64_t count;
            const char *v =
                nidx_results_facet_value(r, (nidx_facet_t)f, i, &count);
            json_object_object_add(counts, v,
                                   json_object_new_int64((int64_t)count));
        }
        json_object_object_add(all, facet_names[f], counts);
    }
    return all;
}

static bool json_results(FILE *out, const batch_query_t *b, const char *query,
                         const nidx_results_t *r, bool facets)
{
    json_object *root = json_object_new_object();
    json_object *hits = json_object_new_array();
    bool ok = root && hits;
    if (ok && b) {
        json_object_object_add(root, "qid", json_object_new_string(b->qid));
        char ms[32];
        snprintf(ms, sizeof ms, "%.3f", b->took_ms);
        json_object_object_add(root, "took_ms",
                               json_object_new_double_s(b->took_ms, ms));
    }
    if (ok) {
        json_object_object_add(root, "query", json_object_new_string(query));
        json_object_object_add(
            root, "total",
            json_object_new_int64((int64_t)nidx_results_total(r)));
        json_object_object_add(root, "hits", hits);
        if (facets) {
            json_object *f = json_facets(r);
            ok = f != NULL;
            json_object_object_add(root, "facets", f);
        }
        json_object_object_add(root, "suggestion",
                               string_or_null(nidx_results_suggestion(r)));
    }
    for (size_t i = 0; ok && i < nidx_results_count(r); i++) {
        const nidx_hit_t *h = nidx_results_hit(r, i);
        const nidx_article_t *a = &h->article;
        json_object *o = json_object_new_object();
        char *snippet = h->snippet ? mark_snippet(h) : NULL;
        if (!o || (h->snippet && !snippet)) {
            json_object_put(o);
            free(snippet);
            ok = false;
            break;
        }
        json_object_object_add(o, "rank", json_object_new_int((int)h->rank));
        json_object_object_add(o, "id", string_or_null(a->id));
        char score[32];
        snprintf(score, sizeof score, "%.4f", h->score);
        json_object_object_add(o, "score",
                               json_object_new_double_s(h->score, score));
        json_object_object_add(o, "title", string_or_null(a->title));
        json_object_object_add(o, "date", string_or_null(a->date));
        json_object_object_add(o, "source", string_or_null(a->source));
        json_object_object_add(o, "lang", string_or_null(a->lang));
        json_object_object_add(o, "url", string_or_null(a->url));
        json_object_object_add(o, "snippet", string_or_null(snippet));
        json_object_object_add(o, "duplicates",
                               json_object_new_int64(h->duplicates));
        free(snippet);
        json_object_array_add(hits, o);
    }
    if (ok)
        fprintf(
            out, "%s\n",
            json_object_to_json_string_ext(
                root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(root);
    if (!root || !hits) {
        json_object_put(hits);
        return false;
    }
    return ok;
}

bool present_json(FILE *out, const char *query, const nidx_results_t *r,
                  bool facets)
{
    return json_results(out, NULL, query, r, facets);
}

bool present_batch(FILE *out, const batch_query_t *b, const char *query,
                   const nidx_results_t *r, bool facets)
{
    return json_results(out, b, query, r, facets);
}

bool present_batch_error(FILE *out, const char *qid, const char *query,
                         const char *message)
{
    json_object *o = json_object_new_object();
    if (!o)
        return false;
    json_object_object_add(o, "qid", json_object_new_string(qid));
    json_object_object_add(o, "query", json_object_new_string(query));
    json_object_object_add(o, "error", json_object_new_string(message));
    fprintf(out, "%s\n",
            json_object_to_json_string_ext(
                o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
    return true;
}
