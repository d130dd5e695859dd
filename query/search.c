/*
 * search.c — the searching half of the public API: parse, match, then
 * fetch each hit's fields and cut its snippet.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyzer.h"
#include "document.h"
#include "error.h"
#include "gazetteer.h"
#include "layout.h"
#include "match.h"
#include "parse.h"
#include "place.h"
#include "results.h"
#include "snippet.h"
#include "stored.h"
#include "suggest.h"
#include "utf8.h"
#include "xapian_shim.h"

/* More hits than this on one page is a mistake, not a need. */
#define MAX_LIMIT 10000

/* Body dictionaries read so far, by shard and number (stored.h). */
#define MAX_DICTS 64
typedef struct dict_entry {
    unsigned shard, id;
    stored_dict_t *dict; /* NULL: it failed its checksum */
} dict_entry_t;

struct nidx_searcher {
    char *path;
    layout_signature_t signature; /* as opened */
    xshim_reader_t *db;
    analyzer_t *analyzer;
    match_languages_t langs; /* of the index, as last opened */
    stored_codec_t *codec;
    dict_entry_t dicts[MAX_DICTS];
    size_t n_dicts;
    gazetteer_t *places;            /* built at the first search needing it */
    match_languages_t places_langs; /* the languages it was built for */
};

typedef struct held_hit {
    nidx_hit_t hit;
    document_t doc;
    snippet_t snippet;
    const char **transliterated; /* into name_words; NULL when none */
    bool body_unreadable;        /* no snippet: the body cannot be read */
} held_hit_t;

typedef struct dict_request {
    nidx_searcher_t *s;
    uint32_t docid;
    bool damaged; /* the dictionary asked for fails its checksum */
} dict_request_t;

/* Whether a dictionary is the one its checksum (kept under key ":sum",
   stored.h) says; one kept without a checksum is taken as it is. */
static bool dict_sum_fits(nidx_searcher_t *s, uint32_t docid, const char *key,
                          const char *data, size_t len)
{
    char sum_key[80], *sum;
    size_t sum_len;
    snprintf(sum_key, sizeof sum_key, "%s%s", key, STORED_DICT_SUM);
    if (xshim_reader_shard_metadata(s->db, docid, sum_key, &sum, &sum_len,
                                    NULL) != NIDX_OK)
        return false;
    bool fits = stored_dict_fits(data, len, sum, sum_len);
    free(sum);
    return fits;
}

/* Dictionary `id` of the shard holding the document asked for, read from
   the shard's metadata the first time (stored_dict_fn). */
static const stored_dict_t *find_dict(void *context, unsigned id)
{
    dict_request_t *want = context;
    nidx_searcher_t *s = want->s;
    unsigned shard = xshim_reader_shard_of(s->db, want->docid);
    for (size_t i = 0; i < s->n_dicts; i++)
        if (s->dicts[i].shard == shard && s->dicts[i].id == id) {
            want->damaged = !s->dicts[i].dict;
            return s->dicts[i].dict;
        }
    char key[64], *data;
    size_t len;
    snprintf(key, sizeof key, "%s:%u", STORED_DICT_KEY, id);
    if (xshim_reader_shard_metadata(s->db, want->docid, key, &data, &len,
                                    NULL) != NIDX_OK)
        return NULL;
    /* A damaged dictionary is remembered as such: it is not read again
       for each of its bodies. */
    want->damaged = len && !dict_sum_fits(s, want->docid, key, data, len);
    stored_dict_t *d =
        len && !want->damaged ? stored_dict_new(data, len) : NULL;
    free(data);
    if (!d && !want->damaged)
        return NULL;
    if (s->n_dicts == MAX_DICTS) { /* a bounded cache: the oldest goes */
        stored_dict_free(s->dicts[0].dict);
        memmove(s->dicts, s->dicts + 1, (MAX_DICTS - 1) * sizeof *s->dicts);
        s->n_dicts--;
    }
    s->dicts[s->n_dicts++] = (dict_entry_t){shard, id, d};
    return d;
}

/*
 * The body of document `docid` into *body (caller frees): from its own
 * slot (format 2, stored.h), else from the document data decoded in
 * `doc` (format 1), else "".
 */
static nidx_status_t read_body(nidx_searcher_t *s, uint32_t docid,
                               const document_t *doc, size_t max, char **body,
                               nidx_error_t *err)
{
    char *data;
    size_t len, n;
    *body = NULL;
    if (doc->article.body) {
        *body = strdup(doc->article.body);
        return *body ? NIDX_OK
                     : error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    }
    nidx_status_t st = xshim_reader_value_copy(s->db, docid, STORED_SLOT_BODY,
                                               &data, &len, err);
    if (st != NIDX_OK)
        return st;
    dict_request_t want = {s, docid, false};
    stored_read_t got = STORED_READ_OK;
    if (len == 0)
        got = (*body = strdup("")) ? STORED_READ_OK : STORED_READ_NOMEM;
    else
        got = stored_body_decode(s->codec, data, len, max, find_dict, &want,
                                 body, &n);
    free(data);
    const char *id = doc->article.id ? doc->article.id : "(no id)";
    switch (got) {
    case STORED_READ_OK: return NIDX_OK;
    case STORED_READ_NOMEM:
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    case STORED_READ_DAMAGED:
        return error_set(err, NIDX_ERROR_CORRUPT,
                         "article %s has a damaged body (it fails its "
                         "checksum or is not a stored body)",
                         id);
    case STORED_READ_NO_DICT:
        return error_set(err, NIDX_ERROR_CORRUPT,
                         want.damaged
                             ? "article %s: its shard's body dictionary is "
                               "damaged (it fails its checksum)"
                             : "article %s: its body's dictionary is missing",
                         id);
    case STORED_READ_OTHER_DICT:
        return error_set(err, NIDX_ERROR_CORRUPT,
                         "article %s: its body was compressed with another "
                         "dictionary than the one this database keeps under "
                         "its number: shards of an older index merged into "
                         "one database (xapian-compact)? Search the index "
                         "the shards are in, or build this one anew",
                         id);
    }
    return error_set(err, NIDX_ERROR_CORRUPT, "article %s: unreadable body",
                     id);
}

#define N_FACETS 3

typedef struct facet_value {
    char *value;
    uint64_t count;
} facet_value_t;

typedef struct facet {
    facet_value_t *values;
    size_t n, cap;
} facet_t;

struct nidx_results {
    uint64_t total;
    bool total_exact;
    uint64_t articles; /* with facets: matching articles, copies included */
    nidx_cut_t cut;
    uint64_t revision;
    unsigned offset;
    bool facets_asked;
    char *query; /* as given */
    char *suggestion;
    unsigned shards_failed; /* remote shards left out of the answer */
    char *shards_why;       /* why the first of them was */
    unsigned unreadable;    /* hits whose body could not be read */
    char *unreadable_why;   /* why the first one's could not */
    size_t n;
    held_hit_t *hits;
    /* The query words given name keys, as typed: what hits matched only
       through another spelling of (held_hit_t.transliterated). */
    char *name_words[MATCH_MAX_NAMES];
    size_t n_name_words;
    facet_t facets[N_FACETS];
    bool nomem;
};

static void facet_add(void *context, size_t i, const char *value, size_t len,
                      uint64_t count)
{
    nidx_results_t *r = context;
    facet_t *f = &r->facets[i];
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        facet_value_t *p = realloc(f->values, cap * sizeof *p);
        if (!p) {
            r->nomem = true;
            return;
        }
        f->values = p;
        f->cap = cap;
    }
    char *v = strndup(value, len);
    if (!v) {
        r->nomem = true;
        return;
    }
    f->values[f->n++] = (facet_value_t){v, count};
}

static int by_value(const void *a, const void *b)
{
    return strcmp(((const facet_value_t *)a)->value,
                  ((const facet_value_t *)b)->value);
}

static int by_count(const void *a, const void *b)
{
    const facet_value_t *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->value, y->value);
}

/* Merges the counts the two tiers gave for the same value, and orders
   the values: months by date, the others most frequent first. */
static void facet_finish(facet_t *f, bool by_date)
{
    size_t o = 0;
    if (f->n == 0) /* qsort's array may not be NULL, even empty */
        return;
    qsort(f->values, f->n, sizeof *f->values, by_value);
    for (size_t i = 0; i < f->n; i++) {
        if (o > 0 && strcmp(f->values[o - 1].value, f->values[i].value) == 0) {
            f->values[o - 1].count += f->values[i].count;
            free(f->values[i].value);
        } else {
            f->values[o++] = f->values[i];
        }
    }
    f->n = o;
    if (!by_date)
        qsort(f->values, f->n, sizeof *f->values, by_count);
}

/* The index's shards opened one by one when its layout is nidx's own (so
   that revisions can be told), else whatever Xapian makes of the path. */
static nidx_status_t open_reader(const char *path, xshim_reader_t **db,
                                 nidx_error_t *err)
{
    layout_t layout;
    nidx_status_t read = layout_read(path, &layout, err);
    if (read != NIDX_OK)
        return read;
    if (layout.shards == 0)
        return xshim_reader_open(path, db, err);
    nidx_status_t st = xshim_reader_open_shards(
        path, (const char *const *)layout.paths, layout.shards,
        (const char *const *)layout.replicas, layout.replica_of,
        layout.n_replicas, layout.timeout_ms, db, err);
    layout_free(&layout);
    return st;
}

/* The shards as the searcher opened them (check_shards()). */
typedef struct listed {
    nidx_searcher_t *s;
    unsigned n, answered;
    char *names[LAYOUT_MAX_SHARDS];
    uint64_t documents[LAYOUT_MAX_SHARDS];
} listed_t;

static void list_shard(void *context, const xshim_shard_t *shard)
{
    listed_t *l = context;
    if (shard->number < LAYOUT_MAX_SHARDS && l->n == shard->number) {
        l->names[l->n] = strdup(shard->where);
        l->documents[l->n++] = shard->documents;
        l->answered += shard->answered;
    }
}

/* Refuses an index any shard of which is of a newer format than this nidx
   reads (stored.h); older ones are read document by document. Document
   k + 1 is in the k-th shard answering (docids interleave). */
static nidx_status_t check_format(const listed_t *l, nidx_error_t *err)
{
    nidx_searcher_t *s = l->s;
    for (unsigned k = 0; k < (l->answered ? l->answered : 1); k++) {
        char *format;
        size_t len;
        nidx_status_t st = xshim_reader_shard_metadata(
            s->db, k + 1, STORED_FORMAT_KEY, &format, &len, err);
        if (st != NIDX_OK)
            return st;
        if (len && strtoul(format, NULL, 10) > STORED_FORMAT)
            st = error_set(err, NIDX_ERROR_CORRUPT,
                           "%s: %s is of index format %s, newer than this "
                           "nidx (%s, format %d) reads: use a newer nidx, or "
                           "rebuild the index into a new directory with "
                           "'nidx add'",
                           s->path,
                           l->answered == l->n && k < l->n ? l->names[k]
                                                           : "a shard",
                           format, nidx_version_string(), STORED_FORMAT);
        free(format);
        if (st != NIDX_OK)
            return st;
    }
    return NIDX_OK;
}

static nidx_status_t shard_place_metadata(void *context, unsigned k,
                                          const char *key, char *out,
                                          size_t cap, nidx_error_t *err)
{
    listed_t *l = context;
    char *data;
    size_t len;
    out[0] = '\0';
    if (l->documents[k] == 0) /* no article: no place to keep (writer.c) */
        return NIDX_OK;
    nidx_status_t st =
        xshim_reader_shard_metadata(l->s->db, k + 1, key, &data, &len, err);
    if (st == NIDX_OK)
        snprintf(out, cap, "%.*s", (int)len, data);
    free(data);
    return st;
}

/*
 * What the searcher checks of its shards before answering: every shard's
 * format, and that the stub lists no shard twice nor shards of two
 * indexes (place.h: the answers would count articles twice), the latter
 * when every shard answers (document k + 1 is then in shard k).
 */
static nidx_status_t check_shards(nidx_searcher_t *s, nidx_error_t *err)
{
    listed_t l = {.s = s};
    char cluster[PLACE_CLUSTER_LEN + 1];
    xshim_reader_each_shard(s->db, list_shard, &l);
    nidx_status_t st = check_format(&l, err);
    if (st == NIDX_OK && l.n > 1 && l.answered == l.n)
        st = place_check(shard_place_metadata, &l, (const char *const *)l.names,
                         l.n, (place_listing_t){0, l.n, false}, cluster, err);
    for (unsigned i = 0; i < l.n; i++)
        free(l.names[i]);
    return st;
}

nidx_status_t nidx_searcher_open(const char *path, nidx_searcher_t **out,
                                 nidx_error_t *err)
{
    nidx_searcher_t *s;
    nidx_status_t st;
    *out = NULL;
    if (!path || !*path)
        return error_set(err, NIDX_ERROR_ARGUMENT, "no index path given");
    if (!(s = calloc(1, sizeof *s)))
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    if (!(s->path = strdup(path))) {
        free(s);
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    }
    s->signature = layout_signature(path);
    st = open_reader(path, &s->db, err);
    if (st == NIDX_ERROR_NO_INDEX)
        error_set(err, st, "no index at %s (create one with 'nidx add')", path);
    if (st == NIDX_OK && !(s->analyzer = analyzer_new(err)))
        st = err ? err->status : NIDX_ERROR_INTERNAL;
    if (st == NIDX_OK && !(s->codec = stored_codec_new()))
        st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    if (st == NIDX_OK)
        st = check_shards(s, err);
    if (st == NIDX_OK)
        st = match_read_languages(s->db, &s->langs, err);
    if (st != NIDX_OK) {
        nidx_searcher_close(s);
        return st;
    }
    *out = s;
    return NIDX_OK;
}

/* Bytes of the files in a directory and the shard directories in it. */
static uint64_t dir_bytes(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    struct stat sb;
    char path[4096];
    uint64_t n = 0;
    while (d && (e = readdir(d)) != NULL) {
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (e->d_name[0] == '.' || stat(path, &sb) != 0)
            continue;
        if (S_ISREG(sb.st_mode))
            n += (uint64_t)sb.st_size;
        else if (S_ISDIR(sb.st_mode) && depth == 0)
            n += dir_bytes(path, 1);
    }
    if (d)
        closedir(d);
    return n;
}

/* Near-duplicate groups from the count of each collapse key. */
static void count_copies(void *context, size_t i, const char *value, size_t len,
                         uint64_t count)
{
    nidx_index_stats_t *out = context;
    if (count > 1) {
        out->copy_groups++;
        out->copies += count - 1;
    }
}

nidx_status_t nidx_searcher_stats(nidx_searcher_t *s, nidx_index_stats_t *out,
                                  nidx_count_fn fn, void *context,
                                  nidx_error_t *err)
{
    static const unsigned slots[2] = {DOCUMENT_SLOT_LANG, DOCUMENT_SLOT_SOURCE};
    static const nidx_facet_t kinds[2] = {NIDX_FACET_LANG, NIDX_FACET_SOURCE};
    nidx_results_t *r = calloc(1, sizeof *r);
    if (!r)
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    memset(out, 0, sizeof *out);
    out->articles = xshim_reader_doc_count(s->db);
    out->words = xshim_reader_word_count(s->db);
    out->occurrences = xshim_reader_total_length(s->db);
    out->bytes = dir_bytes(s->path, 0);
    layout_t layout;
    if (layout_read(s->path, &layout, NULL) == NIDX_OK) {
        out->shards = layout.shards;
        layout_free(&layout);
    }
    xshim_reader_value_bounds(s->db, DOCUMENT_SLOT_DATE, out->first_date,
                              out->last_date, sizeof out->first_date);
    char format[32];
    out->format = 1; /* an index from before formats were recorded */
    if (xshim_reader_get_metadata(s->db, STORED_FORMAT_KEY, format,
                                  sizeof format, NULL) == NIDX_OK &&
        *format)
        out->format = (unsigned)strtoul(format, NULL, 10);
    xshim_facets_t facets = {slots, 2, facet_add, r};
    nidx_status_t st =
        fn ? xshim_reader_value_counts(s->db, &facets, err) : NIDX_OK;
    static const unsigned copies_slot = DOCUMENT_SLOT_COPIES;
    xshim_facets_t groups = {&copies_slot, 1, count_copies, out};
    if (st == NIDX_OK)
        st = xshim_reader_value_counts(s->db, &groups, err);
    if (st == NIDX_OK && r->nomem)
        st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    for (int f = 0; f < 2 && st == NIDX_OK; f++) {
        facet_finish(&r->facets[f], false);
        for (size_t i = 0; i < r->facets[f].n; i++)
            fn(context, kinds[f], r->facets[f].values[i].value,
               r->facets[f].values[i].count);
    }
    nidx_results_free(r);
    return st;
}

/*
 * The index at the searcher's path made anew (rebuilt into the directory,
 * or its shards listed anew): everything is opened again, as by
 * nidx_searcher_open(), and swapped in only when that succeeds. Shard
 * numbers may mean other shards now: the dictionaries read go.
 */
static nidx_status_t open_again(nidx_searcher_t *s, nidx_error_t *err)
{
    nidx_searcher_t *fresh;
    nidx_status_t st = nidx_searcher_open(s->path, &fresh, err);
    if (st != NIDX_OK)
        return st;
    xshim_reader_t *old = s->db;
    s->db = fresh->db;
    fresh->db = old;
    s->langs = fresh->langs;
    s->signature = fresh->signature;
    for (size_t i = 0; i < s->n_dicts; i++)
        stored_dict_free(s->dicts[i].dict);
    s->n_dicts = 0;
    nidx_searcher_close(fresh);
    return NIDX_OK;
}

nidx_status_t nidx_searcher_reopen(nidx_searcher_t *s, nidx_error_t *err)
{
    layout_signature_t now = layout_signature(s->path);
    if (!layout_same_signature(&now, &s->signature))
        return open_again(s, err);
    nidx_status_t st = xshim_reader_reopen(s->db, err);
    return st == NIDX_OK ? match_read_languages(s->db, &s->langs, err) : st;
}

uint64_t nidx_searcher_article_count(const nidx_searcher_t *s)
{
    return xshim_reader_doc_count(s->db);
}

uint64_t nidx_searcher_revision(const nidx_searcher_t *s)
{
    return xshim_reader_revision(s->db);
}

nidx_status_t nidx_searcher_changed(nidx_searcher_t *s, bool *changed,
                                    nidx_error_t *err)
{
    /* A stat: an index made anew is a change the commits do not show. */
    layout_signature_t now = layout_signature(s->path);
    if (!layout_same_signature(&now, &s->signature)) {
        *changed = true;
        return NIDX_OK;
    }
    return xshim_reader_changed(s->db, changed, err);
}

void nidx_searcher_cancel(nidx_searcher_t *s)
{
    if (s)
        xshim_reader_cancel(s->db);
}

/* An article handed out whole: the fields point into the document. */
typedef struct found_article {
    nidx_article_t article; /* first: the handle is its address */
    document_t doc;
    char *body;
} found_article_t;

static nidx_status_t find_article_once(nidx_searcher_t *s, const char *id,
                                       nidx_article_t **out, nidx_error_t *err);

/* As searches do: shards left out are tried again when due, and a shard
   that stops answering is left out and the lookup made again. An id found
   in none of the shards that answer, some not answering, may be in one of
   those: NIDX_ERROR_UNAVAILABLE, not "no article has the id". */
nidx_status_t nidx_searcher_find_article(nidx_searcher_t *s, const char *id,
                                         nidx_article_t **out,
                                         nidx_error_t *err)
{
    nidx_status_t st;
    *out = NULL;
    if (!s || !id)
        return error_set(err, NIDX_ERROR_ARGUMENT, "no searcher or id");
    xshim_reader_begin(s->db, 0);
    for (unsigned tries = 0;; tries++) {
        st = find_article_once(s, id, out, err);
        bool dropped = false;
        if (!xshim_reader_unreachable(s->db) || tries == LAYOUT_MAX_SHARDS)
            break;
        nidx_article_free(*out);
        *out = NULL;
        st = xshim_reader_drop_unreachable(s->db, &dropped, err);
        if (st != NIDX_OK || !dropped)
            break;
    }
    xshim_reader_end(s->db);
    if (st == NIDX_ERROR_NOT_FOUND && xshim_reader_left_out(s->db))
        st = error_set(err, NIDX_ERROR_UNAVAILABLE,
                       "no shard that answers has the article %s, and %u "
                       "did not answer (%s): it may be there",
                       id, xshim_reader_left_out(s->db),
                       xshim_reader_left_out_why(s->db));
    return st;
}

static nidx_status_t find_article_once(nidx_searcher_t *s, const char *id,
                                       nidx_article_t **out, nidx_error_t *err)
{
    char term[DOCUMENT_ID_TERM_MAX + 1];
    uint32_t docid;
    size_t n = 0, len;
    char *data;
    *out = NULL;
    nidx_status_t st = xshim_reader_postings(
        s->db, term, document_id_term(id, term), &docid, 1, &n, err);
    if (st != NIDX_OK)
        return st;
    if (n == 0)
        return error_set(err, NIDX_ERROR_NOT_FOUND, "no article has the id %s",
                         id);
    if ((st = xshim_reader_data(s->db, docid, &data, &len, err)) != NIDX_OK)
        return st;
    found_article_t *f = calloc(1, sizeof *f);
    bool ok = f && document_decode(data, len, &f->doc);
    free(data);
    if (!ok) {
        free(f);
        return f ? error_set(err, NIDX_ERROR_CORRUPT,
                             "article %s has unreadable stored fields", id)
                 : error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    }
    if ((st = read_body(s, docid, &f->doc, SIZE_MAX, &f->body, err)) !=
        NIDX_OK) {
        nidx_article_free(&f->article);
        return st;
    }
    f->article = f->doc.article;
    f->article.body = f->body;
    *out = &f->article;
    return NIDX_OK;
}

void nidx_article_free(nidx_article_t *article)
{
    found_article_t *f = (found_article_t *)article;
    if (!f)
        return;
    document_free(&f->doc);
    free(f->body);
    free(f);
}

void nidx_searcher_close(nidx_searcher_t *s)
{
    if (!s)
        return;
    gazetteer_free(s->places);
    xshim_reader_close(s->db);
    analyzer_free(s->analyzer);
    stored_codec_free(s->codec);
    for (size_t i = 0; i < s->n_dicts; i++)
        stored_dict_free(s->dicts[i].dict);
    free(s->path);
    free(s);
}

void nidx_search_options_init(nidx_search_options_t *o)
{
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    o->offset = 0;
    o->limit = 10;
    o->snippets = true;
    o->stemming = true;
    o->sort = NIDX_SORT_RELEVANCE;
    o->exact_total = false;
    o->facets = false;
    o->snippet_bytes = 200;
    o->collapse = true;
    o->suggest = true;
    o->plain = false;
    o->bm25_k1 = NIDX_BM25_K1;
    o->bm25_b = NIDX_BM25_B;
    o->time_limit = NIDX_TIME_LIMIT;
}

/* The words of `names` the hit matched only through their keys: those
   of the bits of `only`. */
static nidx_status_t flag_names(const match_names_t *names, char *const *words,
                                uint64_t only, held_hit_t *h, nidx_error_t *err)
{
    if (!only)
        return NIDX_OK;
    if (!(h->transliterated = malloc(names->n * sizeof *h->transliterated)))
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    for (size_t i = 0; i < names->n; i++)
        if (only & (1ULL << i))
            h->transliterated[h->hit.n_transliterated++] = words[i];
    h->hit.transliterated = h->transliterated;
    return NIDX_OK;
}

static nidx_status_t fill_hit(nidx_searcher_t *s, const parsed_query_t *q,
                              const nidx_search_options_t *o,
                              const match_names_t *names, char *const *words,
                              uint64_t only, const xshim_match_t *m,
                              unsigned rank, held_hit_t *h, nidx_error_t *err)
{
    char *data;
    size_t len;
    nidx_status_t st = xshim_reader_data(s->db, m->docid, &data, &len, err);
    if (st != NIDX_OK)
        return st;
    bool ok = document_decode(data, len, &h->doc);
    free(data);
    if (!ok)
        return error_set(err, NIDX_ERROR_CORRUPT,
                         "document %u has unreadable stored fields", m->docid);
    h->hit.rank = rank;
    h->hit.score = m->weight;
    h->hit.duplicates = m->collapsed;
    h->hit.article = h->doc.article;
    h->hit.article.body = NULL;
    if ((st = flag_names(names, words, only, h, err)) != NIDX_OK)
        return st;
    if (!o->snippets)
        return NIDX_OK;
    char *body;
    /* The snippet keeps the body's start only. A body that cannot be read
       costs the hit its snippet, not the search (said in the results). */
    if ((st = read_body(s, m->docid, &h->doc, SNIPPET_SCAN_BYTES, &body,
                        err)) == NIDX_ERROR_CORRUPT) {
        h->body_unreadable = true;
        return NIDX_OK;
    }
    if (st != NIDX_OK)
        return st;
    /* Without stemming, inflected forms are not highlighted either. */
    st = snippet_make(s->analyzer, body, strlen(body), q, names,
                      o->stemming ? h->doc.article.lang : NULL,
                      o->snippet_bytes, &h->snippet, err);
    free(body);
    if (st != NIDX_OK)
        return st;
    h->hit.snippet = h->snippet.text;
    h->hit.highlights = h->snippet.spans;
    h->hit.n_highlights = h->snippet.n_spans;
    return NIDX_OK;
}

/* Which name words each of the n matches matched only through its key:
   a new array in *only. */
static nidx_status_t flag_hits(nidx_searcher_t *s, const match_names_t *names,
                               const xshim_match_t *matches, size_t n,
                               uint64_t **only, nidx_error_t *err)
{
    uint32_t *docids = malloc(n * sizeof *docids);
    if (!docids || !(*only = malloc(n * sizeof **only))) {
        free(docids);
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        docids[i] = matches[i].docid;
    nidx_status_t st = match_names_only(s->db, names, docids, n, *only, err);
    free(docids);
    return st;
}

static bool same_languages(const match_languages_t *a,
                           const match_languages_t *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->codes[i], b->codes[i]) != 0)
            return false;
    return true;
}

/* The places' names for the index's languages as they are now, built
   when first needed or when they changed; NULL when out of memory (the
   search goes on without them). */
static const gazetteer_t *searcher_places(nidx_searcher_t *s)
{
    if (s->places && same_languages(&s->places_langs, &s->langs))
        return s->places;
    gazetteer_free(s->places);
    const char *langs[MATCH_MAX_LANGUAGES];
    for (size_t i = 0; i < s->langs.n; i++)
        langs[i] = s->langs.codes[i];
    nidx_error_t ignored;
    s->places = gazetteer_new(s->analyzer, langs, s->langs.n, &ignored);
    s->places_langs = s->langs;
    return s->places;
}

/* One run of a parsed query: a new result set in *out. */
static nidx_status_t search_once(nidx_searcher_t *s, parsed_query_t *qp,
                                 const nidx_search_options_t *op,
                                 nidx_results_t **out, nidx_error_t *err)
{
    nidx_search_options_t o = *op;
    xshim_match_t *matches = NULL;
    match_names_t *names = NULL;
    uint64_t *only = NULL; /* match_names_only() of each hit */
    nidx_results_t *r = NULL;
    size_t n = 0;
    nidx_status_t st = NIDX_OK;
    const char *query = qp->text;
    *out = NULL;
    matches = malloc((o.limit ? o.limit : 1) * sizeof *matches);
    names = malloc(sizeof *names);
    if (names)
        names->n = 0;
    r = calloc(1, sizeof *r);
    if (r) {
        r->offset = o.offset;
        r->facets_asked = o.facets;
        r->query = strdup(query);
    }
    if (!matches || !names || !r || !r->query) {
        st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
        goto done;
    }
    match_languages_t none = {.n = 0};
    match_request_t req = {
        .offset = o.offset,
        .limit = o.limit,
        .order = o.sort == NIDX_SORT_DATE_ASCENDING ? XSHIM_BY_VALUE_ASCENDING
                 : o.sort == NIDX_SORT_DATE_DESCENDING
                     ? XSHIM_BY_VALUE_DESCENDING
                     : XSHIM_BY_RELEVANCE,
        .sort_slot = DOCUMENT_SLOT_DATE,
        .exact_total = o.exact_total,
        .collapse = o.collapse,
        .bm25 = {o.bm25_k1, o.bm25_b},
        .exact_script = o.exact_script,
        .gazetteer = o.exact_script ? NULL : searcher_places(s),
        .names = names};
    static const unsigned facet_slots[N_FACETS] = {
        DOCUMENT_SLOT_SOURCE, DOCUMENT_SLOT_LANG, DOCUMENT_SLOT_MONTH};
    xshim_facets_t facets = {facet_slots, N_FACETS, facet_add, r};
    if (o.facets)
        req.facets = &facets;
    xshim_reader_begin(s->db, o.time_limit);
    match_total_t total;
    st = match_run(s->db, s->analyzer, o.stemming ? &s->langs : &none, qp, &req,
                   matches, &n, &total, err);
    r->total = total.count;
    r->articles = total.articles;
    r->cut = (nidx_cut_t)xshim_reader_end(s->db);
    r->revision = xshim_reader_revision(s->db);
    if (st != NIDX_OK)
        goto done;
    /* A page not filled saw every match (match.h); a cut search saw only
       some. An estimate below what this page shows is raised to it; an
       empty page past the end leaves the total as counted (exact then). */
    r->total_exact =
        r->cut == NIDX_CUT_NONE && (total.exact || o.limit == 0 || n < o.limit);
    if (n > 0 && r->total < o.offset + n)
        r->total = o.offset + n;
    if (o.suggest)
        r->suggestion = suggest_query(s->db, qp, names, r->total);
    if (r->nomem) {
        st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
        goto done;
    }
    for (int f = 0; f < N_FACETS; f++)
        facet_finish(&r->facets[f], f == NIDX_FACET_MONTH);
    for (; r->n_name_words < names->n; r->n_name_words++) {
        const word_t *w = names->names[r->n_name_words].word;
        if (!(r->name_words[r->n_name_words] =
                  strndup(query + w->start, w->end - w->start)))
            break;
    }
    r->hits = calloc(n ? n : 1, sizeof *r->hits);
    if (r->n_name_words < names->n || !r->hits) {
        st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
        goto done;
    }
    if (names->n && n && (st = flag_hits(s, names, matches, n, &only, err)))
        goto done;
    for (size_t i = 0; i < n && st == NIDX_OK; i++, r->n++) {
        nidx_error_t why = {0};
        st = fill_hit(s, qp, &o, names, r->name_words, only ? only[i] : 0,
                      &matches[i], o.offset + (unsigned)i + 1, &r->hits[i],
                      &why);
        if (st != NIDX_OK && err)
            *err = why;
        if (st == NIDX_OK && r->hits[i].body_unreadable &&
            r->unreadable++ == 0 && !(r->unreadable_why = strdup(why.message)))
            st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    }
    r->shards_failed = xshim_reader_left_out(s->db);
    if (r->shards_failed &&
        !(r->shards_why = strdup(xshim_reader_left_out_why(s->db))))
        st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
done:
    free(matches);
    free(only);
    if (names)
        match_names_clear(names);
    free(names);
    if (st != NIDX_OK) {
        nidx_results_free(r);
        return st;
    }
    *out = r;
    return NIDX_OK;
}

nidx_status_t nidx_search(nidx_searcher_t *s, const char *query,
                          const nidx_search_options_t *options,
                          nidx_results_t **out, nidx_error_t *err)
{
    nidx_search_options_t o;
    parsed_query_t q;
    nidx_results_t *r = NULL;
    nidx_status_t st;

    *out = NULL;
    nidx_search_options_init(&o);
    if (options && options->size == 0)
        return error_set(err, NIDX_ERROR_ARGUMENT,
                         "search options not made by "
                         "nidx_search_options_init()");
    /* An older program's options are shorter: the rest keep defaults. */
    if (options)
        memcpy(&o, options,
               options->size < sizeof o ? options->size : sizeof o);
    o.size = sizeof o;
    if (!s || !query)
        return error_set(err, NIDX_ERROR_ARGUMENT, "no searcher or query");
    if (!(o.bm25_k1 >= 0 && o.bm25_k1 <= 100 && o.bm25_b >= 0 && o.bm25_b <= 1))
        return error_set(err, NIDX_ERROR_ARGUMENT,
                         "BM25 needs k1 in [0, 100] and b in [0, 1]");
    if (o.limit == 0) /* nothing to rank: the count is all there is */
        o.exact_total = true;
    if (o.limit > MAX_LIMIT)
        return error_set(err, NIDX_ERROR_ARGUMENT,
                         "a page holds at most %d hits", MAX_LIMIT);
    if (!(o.time_limit >= 0))
        return error_set(err, NIDX_ERROR_ARGUMENT,
                         "a time limit is 0 (none) or more seconds");
    size_t qlen = strlen(query);
    if (qlen > NIDX_QUERY_MAX_BYTES)
        return error_set(err, NIDX_ERROR_QUERY,
                         "the query is %zu bytes long; at most %d are taken",
                         qlen, NIDX_QUERY_MAX_BYTES);
    if (utf8_valid_prefix(query, qlen) != qlen)
        return error_set(err, NIDX_ERROR_QUERY,
                         "the query is not valid UTF-8 (at byte %zu)",
                         utf8_valid_prefix(query, qlen) + 1);
    if (query_has_filters(&o) && query[strspn(query, " \t\r\n")] == '\0') {
        /* Filters alone: every article they let through. */
        memset(&q, 0, sizeof q);
        q.text = query;
        q.root.kind = NODE_GROUP;
        st = NIDX_OK;
    } else {
        st = o.plain ? query_parse_plain(s->analyzer, query, &q, err)
                     : query_parse(s->analyzer, query, &q, err);
    }
    if (st == NIDX_OK)
        st = query_add_filters(&q, s->analyzer, &o, err);
    if (st != NIDX_OK) {
        query_free(&q);
        return st;
    }
    /* A remote shard that stops answering is left out and the search run
       again on the others (a partial answer, nidx_results_shards_failed());
       documents' numbers move with it, so nothing of the first run is
       kept. */
    for (unsigned tries = 0;; tries++) {
        st = search_once(s, &q, &o, &r, err);
        /* Some lookups (a word's frequency) take a failure for absence:
           the shard's failure is asked for even when the search went. */
        bool dropped = false;
        if (!xshim_reader_unreachable(s->db) || tries == LAYOUT_MAX_SHARDS)
            break;
        nidx_status_t again =
            xshim_reader_drop_unreachable(s->db, &dropped, err);
        if (again != NIDX_OK) {
            /* No shard answers any more: no answer to trust either. */
            nidx_results_free(r);
            r = NULL;
            st = again;
            break;
        }
        if (!dropped)
            break;
        nidx_results_free(r);
        r = NULL;
    }
    query_free(&q);
    if (st != NIDX_OK)
        return st;
    *out = r;
    return NIDX_OK;
}

uint64_t nidx_results_total(const nidx_results_t *r)
{
    return r->total;
}

bool nidx_results_total_exact(const nidx_results_t *r)
{
    return r->total_exact;
}

uint64_t nidx_results_articles(const nidx_results_t *r)
{
    return r->facets_asked ? r->articles : 0;
}

nidx_cut_t nidx_results_cut(const nidx_results_t *r)
{
    return r->cut;
}

typedef struct shard_walk {
    void (*fn)(void *context, const nidx_shard_info_t *info);
    void *context;
} shard_walk_t;

static void tell_shard(void *context, const xshim_shard_t *shard)
{
    shard_walk_t *w = context;
    nidx_shard_info_t info = {shard->number,   shard->where,     shard->remote,
                              shard->answered, shard->documents, shard->servers,
                              shard->n_servers};
    w->fn(w->context, &info);
}

void nidx_searcher_each_shard(nidx_searcher_t *s,
                              void (*fn)(void *context,
                                         const nidx_shard_info_t *info),
                              void *context)
{
    shard_walk_t w = {fn, context};
    xshim_reader_each_shard(s->db, tell_shard, &w);
}

uint64_t nidx_results_revision(const nidx_results_t *r)
{
    return r->revision;
}

unsigned nidx_results_unreadable(const nidx_results_t *r)
{
    return r ? r->unreadable : 0;
}

const char *nidx_results_unreadable_why(const nidx_results_t *r)
{
    return r ? r->unreadable_why : NULL;
}

bool nidx_results_hit_unreadable(const nidx_results_t *r, size_t i)
{
    return r && i < r->n && r->hits[i].body_unreadable;
}

nidx_status_t searcher_check_bodies(nidx_searcher_t *s,
                                    nidx_diagnostic_fn report, void *context,
                                    nidx_error_t *err)
{
    uint64_t count = xshim_reader_doc_count(s->db);
    size_t n = 0;
    uint32_t *docids = malloc((count ? count : 1) * sizeof *docids);
    if (!docids)
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    /* Every document: the posting list of the empty term. */
    nidx_status_t st =
        xshim_reader_postings(s->db, "", 0, docids, (size_t)count, &n, err);
    for (size_t i = 0; i < n && st == NIDX_OK; i++) {
        char *data, *body = NULL;
        size_t len;
        document_t doc;
        nidx_error_t e = {0};
        if ((st = xshim_reader_data(s->db, docids[i], &data, &len, err)))
            break;
        bool ok = document_decode(data, len, &doc);
        free(data);
        nidx_status_t got =
            ok ? read_body(s, docids[i], &doc, SIZE_MAX, &body, &e)
               : error_set(&e, NIDX_ERROR_CORRUPT,
                           "document %u has unreadable stored fields",
                           docids[i]);
        if (got == NIDX_ERROR_CORRUPT) {
            nidx_diagnostic_t d = {s->path, 0, got, NIDX_SKIP_NONE, e.message};
            report(context, &d);
        } else if (got != NIDX_OK)
            st = error_set(err, got, "%s", e.message);
        free(body);
        if (ok)
            document_free(&doc);
    }
    free(docids);
    return st;
}

unsigned nidx_results_shards_failed(const nidx_results_t *r)
{
    return r->shards_failed;
}

const char *nidx_results_shards_failure(const nidx_results_t *r)
{
    return r->shards_why;
}

/* For query/json.c: what the results were asked for. */
const char *results_query(const nidx_results_t *r)
{
    return r->query;
}

unsigned results_offset(const nidx_results_t *r)
{
    return r->offset;
}

bool results_facets_asked(const nidx_results_t *r)
{
    return r->facets_asked;
}

const char *searcher_path(const nidx_searcher_t *s)
{
    return s->path;
}

size_t nidx_results_count(const nidx_results_t *r)
{
    return r->n;
}

const char *nidx_results_suggestion(const nidx_results_t *r)
{
    return r->suggestion;
}

const nidx_hit_t *nidx_results_hit(const nidx_results_t *r, size_t i)
{
    return i < r->n ? &r->hits[i].hit : NULL;
}

size_t nidx_results_facet_size(const nidx_results_t *r, nidx_facet_t facet)
{
    return (unsigned)facet < N_FACETS ? r->facets[facet].n : 0;
}

const char *nidx_results_facet_value(const nidx_results_t *r,
                                     nidx_facet_t facet, size_t i,
                                     uint64_t *count)
{
    if ((unsigned)facet >= N_FACETS || i >= r->facets[facet].n)
        return NULL;
    if (count)
        *count = r->facets[facet].values[i].count;
    return r->facets[facet].values[i].value;
}

void nidx_results_free(nidx_results_t *r)
{
    if (!r)
        return;
    for (int f = 0; f < N_FACETS; f++) {
        for (size_t i = 0; i < r->facets[f].n; i++)
            free(r->facets[f].values[i].value);
        free(r->facets[f].values);
    }
    for (size_t i = 0; i < r->n; i++) {
        document_free(&r->hits[i].doc);
        snippet_free(&r->hits[i].snippet);
        free(r->hits[i].transliterated);
    }
    free(r->hits);
    for (size_t i = 0; i < r->n_name_words; i++)
        free(r->name_words[i]);
    free(r->suggestion);
    free(r->shards_why);
    free(r->unreadable_why);
    free(r->query);
    free(r);
}
