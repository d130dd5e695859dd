/* present.c — text and JSON renderings of a result page. */
#include "present.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOLD "\033[1m"
#define PLAIN "\033[0m"

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
    /* With filters alone (--lang ar), no query to quote. */
    const char *quote = *query ? "\"" : "";
    if (n == 0 && total == 0) {
        fprintf(out, "No articles match%s%s", *query ? " " : "", quote);
        puts_clean(out, query);
        fprintf(out, "%s.\n", quote);
        return;
    }
    if (facets) {
        text_facets(out, r);
        fputc('\n', out);
    }
    /* An estimate says so, as the page and the JSON (total_exact) do. */
    fprintf(out, "%s%llu match%s%s%s",
            nidx_results_total_exact(r) ? "" : "About ",
            (unsigned long long)total, total == 1 ? "" : "es",
            *query ? " for " : "", quote);
    puts_clean(out, query);
    if (n > 0)
        fprintf(out, "%s; showing %u-%zu\n\n", quote, offset + 1, offset + n);
    else if (offset > 0)
        fprintf(out, "%s; none from %u on\n", quote, offset + 1);
    else
        fprintf(out, "%s\n", quote);
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
        for (size_t k = 0; k < h->n_transliterated; k++) {
            fputs(k ? ", " : " · another spelling of ", out);
            puts_clean(out, h->transliterated[k]);
        }
        fputc('\n', out);
        if (h->snippet && *h->snippet) {
            fputs("   ", out);
            each_snippet_part(h, show_part, &(shown_t){out, bold});
            fputc('\n', out);
        } else if (nidx_results_hit_unreadable(r, i)) {
            fputs("   (its text cannot be read: the index is damaged)\n", out);
        }
        fputc('\n', out);
    }
}

bool present_json(FILE *out, const nidx_results_t *r)
{
    char *json;
    nidx_error_t err;
    if (nidx_results_json(r, &json, NULL, &err) != NIDX_OK)
        return false;
    fprintf(out, "%s\n", json);
    free(json);
    return true;
}

bool present_batch(FILE *out, const batch_query_t *b, const nidx_results_t *r)
{
    char *json, ms[32];
    nidx_error_t err;
    if (nidx_results_json(r, &json, NULL, &err) != NIDX_OK)
        return false;
    json_object *qid = json_object_new_string(b->qid);
    if (!qid) {
        free(json);
        return false;
    }
    /* The library's object, with the batch's keys first. */
    snprintf(ms, sizeof ms, "%.3f", b->took_ms);
    fprintf(out, "{\"qid\":%s,\"took_ms\":%s,%s\n",
            json_object_to_json_string_ext(
                qid, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
            ms, json + 1);
    json_object_put(qid);
    free(json);
    return true;
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
