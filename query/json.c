/*
 * json.c — the JSON documents of nidx.h: results, an article, an index's
 * statistics. One writer for the CLI, the server and any embedder, so that
 * they print the same bytes.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "results.h"

static const char *const facet_names[] = {"source", "lang", "month"};

/* Takes the object: its text into *json (caller frees). */
static nidx_status_t finish(json_object *o, bool ok, char **json, size_t *len,
                            nidx_error_t *err)
{
    *json = NULL;
    if (ok && o) {
        size_t n;
        const char *text = json_object_to_json_string_length(
            o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
        if (text && (*json = malloc(n + 1))) {
            memcpy(*json, text, n + 1);
            if (len)
                *len = n;
        }
    }
    json_object_put(o);
    return *json ? NIDX_OK : error_set(err, NIDX_ERROR_NOMEM, "out of memory");
}

static json_object *string_or_null(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

/* Appends s[0..n) HTML-escaped to the buffer at *o. */
static void put_escaped(char **o, const char *s, size_t n)
{
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
            size_t k = strlen(e);
            memcpy(*o, e, k);
            *o += k;
        } else {
            *(*o)++ = s[i];
        }
    }
}

/* The snippet HTML-escaped, its highlights between <b> and </b>: the
   only markup. Caller frees; NULL when out of memory. */
static char *marked_snippet(const nidx_hit_t *h)
{
    const char *s = h->snippet;
    char *buf = malloc(strlen(s) * 6 + h->n_highlights * 7 + 1), *o = buf;
    size_t at = 0;
    if (!buf)
        return NULL;
    for (size_t i = 0; i < h->n_highlights; i++) {
        size_t start = h->highlights[i].start, end = h->highlights[i].end;
        put_escaped(&o, s + at, start - at);
        memcpy(o, "<b>", 3), o += 3;
        put_escaped(&o, s + start, end - start);
        memcpy(o, "</b>", 4), o += 4;
        at = end;
    }
    put_escaped(&o, s + at, strlen(s + at));
    *o = '\0';
    return buf;
}

/* {"source": {NAME: N}, "lang": {...}, "month": {...}}, or NULL. */
static json_object *facets_object(const nidx_results_t *r)
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

static json_object *hit_object(const nidx_hit_t *h, bool unreadable)
{
    const nidx_article_t *a = &h->article;
    json_object *o = json_object_new_object();
    char *snippet = h->snippet ? marked_snippet(h) : NULL;
    if (!o || (h->snippet && !snippet)) {
        json_object_put(o);
        free(snippet);
        return NULL;
    }
    char score[32];
    snprintf(score, sizeof score, "%.4f", h->score);
    json_object_object_add(o, "rank", json_object_new_int((int)h->rank));
    json_object_object_add(o, "id", string_or_null(a->id));
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
    json_object *words = json_object_new_array();
    for (size_t i = 0; words && i < h->n_transliterated; i++)
        json_object_array_add(words,
                              json_object_new_string(h->transliterated[i]));
    json_object_object_add(o, "transliterated", words);
    if (unreadable)
        json_object_object_add(o, "body_unreadable",
                               json_object_new_boolean(1));
    free(snippet);
    return o;
}

nidx_status_t nidx_results_json(const nidx_results_t *r, char **json,
                                size_t *len, nidx_error_t *err)
{
    static const char *const cuts[] = {NULL, "time", "cancelled"};
    json_object *root = json_object_new_object();
    json_object *hits = json_object_new_array();
    bool ok = root && hits;
    if (!ok) {
        json_object_put(hits);
        return finish(root, false, json, len, err);
    }
    json_object_object_add(root, "query",
                           json_object_new_string(results_query(r)));
    json_object_object_add(
        root, "total", json_object_new_int64((int64_t)nidx_results_total(r)));
    json_object_object_add(root, "hits", hits);
    for (size_t i = 0; ok && i < nidx_results_count(r); i++) {
        json_object *h = hit_object(nidx_results_hit(r, i),
                                    nidx_results_hit_unreadable(r, i));
        ok = h != NULL;
        json_object_array_add(hits, h);
    }
    if (ok && results_facets_asked(r)) {
        json_object *f = facets_object(r);
        ok = f != NULL;
        json_object_object_add(root, "facets", f);
    }
    json_object_object_add(root, "suggestion",
                           string_or_null(nidx_results_suggestion(r)));
    /* Keys new in 0.2 come last: older readers' patterns still match. */
    json_object_object_add(
        root, "total_exact",
        json_object_new_boolean(nidx_results_total_exact(r)));
    json_object_object_add(root, "offset",
                           json_object_new_int64(results_offset(r)));
    nidx_cut_t cut = nidx_results_cut(r);
    if (cut != NIDX_CUT_NONE && (unsigned)cut < 3)
        json_object_object_add(root, "cut", json_object_new_string(cuts[cut]));
    json_object_object_add(
        root, "revision",
        json_object_new_int64((int64_t)nidx_results_revision(r)));
    if (nidx_results_shards_failed(r))
        json_object_object_add(
            root, "shards_failed",
            json_object_new_int64(nidx_results_shards_failed(r)));
    if (nidx_results_unreadable(r)) {
        json_object_object_add(
            root, "unreadable",
            json_object_new_int64(nidx_results_unreadable(r)));
        json_object_object_add(root, "unreadable_why",
                               string_or_null(nidx_results_unreadable_why(r)));
    }
    if (results_facets_asked(r)) /* what the facets count: articles */
        json_object_object_add(
            root, "articles",
            json_object_new_int64((int64_t)nidx_results_articles(r)));
    return finish(root, ok, json, len, err);
}

nidx_status_t nidx_article_json(const nidx_article_t *a, char **json,
                                size_t *len, nidx_error_t *err)
{
    json_object *o = json_object_new_object();
    if (o) {
        json_object_object_add(o, "id", string_or_null(a->id));
        json_object_object_add(o, "title", string_or_null(a->title));
        json_object_object_add(o, "date", string_or_null(a->date));
        json_object_object_add(o, "source", string_or_null(a->source));
        json_object_object_add(o, "lang", string_or_null(a->lang));
        json_object_object_add(o, "url", string_or_null(a->url));
        json_object_object_add(o, "body", string_or_null(a->body));
    }
    return finish(o, o != NULL, json, len, err);
}

/* Receives the languages and sources from nidx_searcher_stats(). */
typedef struct counts {
    json_object *lang, *source;
} counts_t;

static void collect(void *context, nidx_facet_t facet, const char *value,
                    uint64_t articles)
{
    counts_t *c = context;
    json_object_object_add(facet == NIDX_FACET_LANG ? c->lang : c->source,
                           value, json_object_new_int64((int64_t)articles));
}

static void add_count(json_object *o, const char *key, uint64_t n)
{
    json_object_object_add(o, key, json_object_new_int64((int64_t)n));
}

static void add_shard(void *context, const nidx_shard_info_t *info)
{
    json_object *shard = json_object_new_object();
    if (!shard)
        return;
    add_count(shard, "shard", info->number);
    json_object_object_add(shard, "where", json_object_new_string(info->where));
    json_object_object_add(shard, "remote",
                           json_object_new_boolean(info->remote));
    json_object_object_add(shard, "answered",
                           json_object_new_boolean(info->answered));
    add_count(shard, "articles", info->articles);
    /* Added later, last: every server of the shard, when it has several
       (replicas), "where" being the one read from. */
    if (info->n_servers > 1) {
        json_object *servers = json_object_new_array();
        for (size_t i = 0; servers && i < info->n_servers; i++)
            json_object_array_add(servers,
                                  json_object_new_string(info->servers[i]));
        json_object_object_add(shard, "servers", servers);
    }
    json_object_array_add(context, shard);
}

nidx_status_t nidx_stats_json(nidx_searcher_t *s, char **json, size_t *len,
                              nidx_error_t *err)
{
    nidx_index_stats_t st;
    counts_t c = {json_object_new_object(), json_object_new_object()};
    json_object *o = json_object_new_object();
    *json = NULL;
    if (!c.lang || !c.source || !o) {
        json_object_put(c.lang);
        json_object_put(c.source);
        return finish(o, false, json, len, err);
    }
    nidx_status_t status = nidx_searcher_stats(s, &st, collect, &c, err);
    if (status != NIDX_OK) {
        json_object_put(c.lang);
        json_object_put(c.source);
        json_object_put(o);
        return status;
    }
    json_object_object_add(o, "index",
                           json_object_new_string(searcher_path(s)));
    add_count(o, "articles", st.articles);
    add_count(o, "words", st.words);
    add_count(o, "occurrences", st.occurrences);
    json_object_object_add(
        o, "first_date",
        *st.first_date ? json_object_new_string(st.first_date) : NULL);
    json_object_object_add(o, "last_date",
                           *st.last_date ? json_object_new_string(st.last_date)
                                         : NULL);
    add_count(o, "bytes", st.bytes);
    add_count(o, "shards", st.shards);
    add_count(o, "copy_groups", st.copy_groups);
    add_count(o, "copies", st.copies);
    add_count(o, "revision", nidx_searcher_revision(s));
    add_count(o, "format", st.format);
    json_object_object_add(o, "languages", c.lang);
    json_object_object_add(o, "sources", c.source);
    /* New in 0.3, last: each shard, where it is and what it holds. */
    json_object *list = json_object_new_array();
    if (list) {
        nidx_searcher_each_shard(s, add_shard, list);
        json_object_object_add(o, "shard_list", list);
    }
    return finish(o, list != NULL, json, len, err);
}
