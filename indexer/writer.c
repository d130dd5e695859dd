/*
 * writer.c — analyzing articles into Xapian documents, in batches.
 *
 * Knows the schema (lib/document.h) and nothing of file formats.
 */
#include <signal.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "document.h"
#include "error.h"
#include "fingerprint.h"
#include "language.h"
#include "paths.h"
#include "utf8.h"
#include "writer.h"
#include "xapian_shim.h"

/* Articles per commit. Smaller batches were faster, not slower: on the
   Arabic news (108 MB), 2,000 took 46 CPU s and 148 MB, 5,000 55 s and
   275 MB, 40,000 64 s and 472 MB. */
#define DEFAULT_BATCH 2000
/* Memory: the writer's resident size grows by about ten times the text
   held uncommitted, over some 120 MB of dictionaries and caches. */
#define BASE_MB 120
#define TEXT_FACTOR 10
#define MIN_PENDING (1u << 20)

/* Text CLD2 sees: the title and the start of the body are plenty. */
#define IDENTIFY_BYTES 4096

struct nidx_writer {
    char *path;
    xshim_writer_t *db;
    analyzer_t *analyzer;
    xshim_doc_t *doc;
    unsigned batch_size;
    unsigned title_weight;
    volatile sig_atomic_t interrupted;
    bool force; /* re-read unchanged files */
    nidx_progress_fn progress;
    void *progress_context;
    char file_term[DOCUMENT_ID_TERM_MAX + 1]; /* of the file being read */
    char file_stamp[64];
    unsigned pending;
    uint64_t pending_bytes; /* of text added since the last commit */
    uint64_t max_pending;   /* commit past this much text */
    uint64_t max_article;   /* longer bodies are cut to this for indexing */
    uint64_t last_cut;      /* how long the body of the article added last
                               was when it was cut, or 0 */
    char sample[IDENTIFY_BYTES]; /* text for language identification */
    fingerprint_t fingerprint;   /* of the body being added */
};

nidx_status_t nidx_writer_open(const char *path, nidx_writer_t **writer,
                               nidx_error_t *err)
{
    nidx_writer_t *w;
    nidx_status_t st;
    *writer = NULL;
    if (!path || !*path)
        return error_set(err, NIDX_ERROR_ARGUMENT, "no index path given");
    st = paths_make_dirs(path, err);
    if (st != NIDX_OK)
        return st;
    w = calloc(1, sizeof *w);
    if (!w)
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    w->batch_size = DEFAULT_BATCH;
    nidx_writer_set_memory(w, NIDX_MEMORY_MB);
    w->title_weight = NIDX_TITLE_WEIGHT;
    if (!(w->path = strdup(path))) {
        st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
        goto fail;
    }
    w->analyzer = analyzer_new(err);
    w->doc = xshim_doc_new();
    if (!w->analyzer || !w->doc) {
        st = !w->analyzer && err
                 ? err->status
                 : error_set(err, NIDX_ERROR_NOMEM, "out of memory");
        goto fail;
    }
    st = xshim_writer_open(path, &w->db, err);
    if (st != NIDX_OK)
        goto fail;
    *writer = w;
    return NIDX_OK;
fail:
    free(w->path);
    analyzer_free(w->analyzer);
    xshim_doc_free(w->doc);
    free(w);
    return st;
}

void nidx_writer_set_memory(nidx_writer_t *w, unsigned mb)
{
    uint64_t usable = mb > BASE_MB + 10 ? (uint64_t)(mb - BASE_MB) : 10;
    w->max_pending = (usable << 20) / TEXT_FACTOR;
    if (w->max_pending < MIN_PENDING)
        w->max_pending = MIN_PENDING;
    /* One article may fill the budget on its own. */
    w->max_article = w->max_pending;
}

uint64_t writer_last_cut(const nidx_writer_t *w)
{
    return w->last_cut;
}

uint64_t writer_max_article(const nidx_writer_t *w)
{
    return w->max_article;
}

void nidx_writer_set_batch_size(nidx_writer_t *w, unsigned articles)
{
    w->batch_size = articles ? articles : 1;
}

void nidx_writer_set_title_weight(nidx_writer_t *w, unsigned weight)
{
    w->title_weight = weight < 1 ? 1 : weight > 100 ? 100 : weight;
}

/* Where the analyzer's tokens go: terms with a field's weight. */
typedef struct posting_sink {
    xshim_doc_t *doc;
    unsigned wdf;
    const char *lang;           /* normalized, or NULL */
    uint32_t pair_base;         /* DOCUMENT_BIGRAM_*_BASE of the field */
    uint32_t pair_first;        /* position of the pair being added first */
    bool title;                 /* also add the title-prefixed terms */
    fingerprint_t *fingerprint; /* the body's words go here, or NULL */
    /* The last spaceless word: where it ended, and its last letter, which
       pairs with the first of a word that follows it directly. */
    size_t spaceless_end;
    char last_letter[5];
} posting_sink_t;

/* Adds a term at a position, and its title twin in the title. */
static void add_positioned(posting_sink_t *sink, const char *term, size_t len,
                           uint32_t position)
{
    char t[ANALYZER_MAX_TERM + 32];
    size_t n;
    xshim_doc_add_posting(sink->doc, term, len, position, sink->wdf);
    if (sink->title &&
        (n = document_prefixed_term(t, sizeof t, DOCUMENT_TITLE_PREFIX, term,
                                    len, NULL, 0)))
        xshim_doc_add_posting(sink->doc, t, n, position, 1);
}

static void add_pair(void *context, const char *term, size_t len, size_t i)
{
    posting_sink_t *sink = context;
    add_positioned(sink, term, len, sink->pair_first + (uint32_t)i);
}

/* The letter pairs of a spaceless word, and the pair it forms with the
   word before it when nothing stands between them. */
static void add_pairs(posting_sink_t *sink, const token_t *t)
{
    char joined[ANALYZER_MAX_TERM + 8];
    size_t k = strlen(sink->last_letter), n = t->term_len;
    uint32_t first = sink->pair_base + (uint32_t)(t->start / 3);
    if (k && sink->spaceless_end == t->start && k + n < sizeof joined) {
        memcpy(joined, sink->last_letter, k);
        memcpy(joined + k, t->term, n);
        sink->pair_first = first - 1;
        document_bigrams(joined, k + n, add_pair, sink);
    } else {
        sink->pair_first = first;
        document_bigrams(t->term, n, add_pair, sink);
    }
    /* Remember the last letter: back up over continuation bytes. */
    size_t last = n;
    while (last > 0 && ((unsigned char)t->term[--last] & 0xC0) == 0x80)
        ;
    memcpy(sink->last_letter, t->term + last, n - last);
    sink->last_letter[n - last] = '\0';
    sink->spaceless_end = t->end;
}

static int add_posting(void *context, const token_t *t)
{
    posting_sink_t *sink = context;
    char term[DOCUMENT_ID_TERM_MAX + 16];
    size_t n;
    add_positioned(sink, t->term, t->term_len, t->position);
    if (sink->fingerprint)
        fingerprint_add(sink->fingerprint, t->term, t->term_len);
    if (t->split)
        add_positioned(sink, t->split, t->split_len, t->position);
    if (t->exact &&
        (n = document_prefixed_term(term, sizeof term, DOCUMENT_EXACT_PREFIX,
                                    t->exact, t->exact_len, NULL, 0)))
        xshim_doc_add_term(sink->doc, term, n, sink->wdf);
    if (t->stem && sink->lang &&
        (n = document_prefixed_term(term, sizeof term, DOCUMENT_STEM_PREFIX,
                                    sink->lang, strlen(sink->lang), t->stem,
                                    t->stem_len))) {
        xshim_doc_add_term(sink->doc, term, n, sink->wdf);
        char title[sizeof term + 1];
        if (sink->title &&
            (n = document_prefixed_term(
                 title, sizeof title, DOCUMENT_TITLE_PREFIX, term, n, NULL, 0)))
            xshim_doc_add_term(sink->doc, title, n, 1);
    }
    if (t->spaceless)
        add_pairs(sink, t);
    return 0;
}

/*
 * Makes *field valid UTF-8: left alone when it is, else pointed at a
 * repaired copy stored in *owned (caller frees).
 */
static bool repair_field(const char **field, char **owned, uint64_t *bad)
{
    *owned = NULL;
    if (!*field)
        return true;
    size_t n = strlen(*field);
    if (utf8_valid_prefix(*field, n) == n)
        return true;
    size_t invalid = 0;
    *owned = utf8_repair(*field, n, &invalid);
    if (!*owned)
        return false;
    *field = *owned;
    *bad += invalid;
    return true;
}

static int add_source_word(void *context, const token_t *t)
{
    char term[ANALYZER_MAX_TERM + 8];
    size_t n = document_prefixed_term(term, sizeof term, DOCUMENT_SOURCE_PREFIX,
                                      t->term, t->term_len, NULL, 0);
    if (n)
        xshim_doc_add_boolean_term(context, term, n);
    return 0;
}

static void add_domain(void *context, const char *domain, size_t len)
{
    char term[DOCUMENT_HOST_MAX + 8];
    size_t n = document_prefixed_term(term, sizeof term, DOCUMENT_HOST_PREFIX,
                                      domain, len, NULL, 0);
    if (n)
        xshim_doc_add_boolean_term(context, term, n);
}

/* The terms of source: and site: filters. */
static nidx_status_t add_filters(nidx_writer_t *w, const nidx_article_t *a,
                                 nidx_error_t *err)
{
    char host[DOCUMENT_HOST_MAX + 1];
    if (a->url && document_url_host(a->url, strlen(a->url), host))
        document_host_domains(host, add_domain, w->doc);
    if (!a->source || !*a->source)
        return NIDX_OK;
    size_t n = strlen(a->source);
    if (n > DOCUMENT_SOURCE_MAX)
        n = utf8_valid_prefix(a->source, DOCUMENT_SOURCE_MAX);
    analyzer_set_language(w->analyzer, NULL); /* as source: queries are */
    return analyzer_run(w->analyzer, a->source, n, 1, add_source_word, w->doc,
                        NULL, err);
}

/* Most documents of one band examined for a near-duplicate: a band
   shared by many documents says little. */
#define COPY_CANDIDATES 32

/*
 * The collapse key of a near-duplicate of fingerprint `fp` among the
 * documents sharing its band `term`, into key[8]; *found tells.
 */
static nidx_status_t find_copy(nidx_writer_t *w, const char *term, size_t len,
                               const unsigned char *fp, char *key, bool *found,
                               nidx_error_t *err)
{
    uint32_t docids[COPY_CANDIDATES];
    size_t n, vlen;
    unsigned char other[FINGERPRINT_BYTES];
    nidx_status_t st = xshim_writer_postings(w->db, term, len, docids,
                                             COPY_CANDIDATES, &n, err);
    for (size_t i = 0; i < n && st == NIDX_OK && !*found; i++) {
        st = xshim_writer_value(w->db, docids[i], DOCUMENT_SLOT_FINGERPRINT,
                                (char *)other, sizeof other, &vlen, err);
        if (st != NIDX_OK || vlen != sizeof other ||
            !fingerprint_near(fp, other))
            continue;
        st = xshim_writer_value(w->db, docids[i], DOCUMENT_SLOT_COPIES, key,
                                DOCUMENT_COPIES_KEY, &vlen, err);
        *found = st == NIDX_OK && vlen == DOCUMENT_COPIES_KEY;
    }
    return st;
}

/*
 * The body's fingerprint, its band terms, and its collapse key: that of a
 * near-duplicate already in the index (committed or not), else its own.
 */
static nidx_status_t add_fingerprint(nidx_writer_t *w, nidx_error_t *err)
{
    unsigned char fp[FINGERPRINT_BYTES];
    char terms[FINGERPRINT_BANDS][24], key[DOCUMENT_COPIES_KEY];
    size_t lens[FINGERPRINT_BANDS];
    bool found = false;
    nidx_status_t st = NIDX_OK;
    if (!fingerprint_get(&w->fingerprint, fp))
        return NIDX_OK;
    /* Its own key: its first band, which only a near copy shares. */
    memcpy(key, fp, DOCUMENT_COPIES_KEY);
    for (int b = 0; b < FINGERPRINT_BANDS; b++) {
        lens[b] = (size_t)snprintf(terms[b], sizeof terms[b], "%s%d%016llx",
                                   DOCUMENT_DUP_PREFIX, b,
                                   (unsigned long long)fingerprint_band(fp, b));
        if (st == NIDX_OK && !found)
            st = find_copy(w, terms[b], lens[b], fp, key, &found, err);
    }
    if (st != NIDX_OK)
        return st;
    for (int b = 0; b < FINGERPRINT_BANDS; b++)
        xshim_doc_add_boolean_term(w->doc, terms[b], lens[b]);
    xshim_doc_set_value(w->doc, DOCUMENT_SLOT_FINGERPRINT, (const char *)fp,
                        sizeof fp);
    xshim_doc_set_value(w->doc, DOCUMENT_SLOT_COPIES, key, sizeof key);
    return NIDX_OK;
}

static nidx_status_t build_document(nidx_writer_t *w, const nidx_article_t *a,
                                    nidx_error_t *err)
{
    uint32_t next = 1;
    nidx_status_t st;
    char lang[LANGUAGE_CODE_MAX], term[32];
    bool has_lang = language_normalize(a->lang, lang);
    posting_sink_t sink = {.doc = w->doc,
                           .wdf = w->title_weight,
                           .lang = has_lang ? lang : NULL,
                           .pair_base = DOCUMENT_BIGRAM_TITLE_BASE,
                           .title = true};
    xshim_doc_clear(w->doc);
    analyzer_set_language(w->analyzer, sink.lang);
    if (has_lang) {
        size_t n =
            document_prefixed_term(term, sizeof term, DOCUMENT_LANG_PREFIX,
                                   lang, strlen(lang), NULL, 0);
        xshim_doc_add_boolean_term(w->doc, term, n);
    }
    if (a->title) {
        st = analyzer_run(w->analyzer, a->title, strlen(a->title), 1,
                          add_posting, &sink, &next, err);
        if (st != NIDX_OK)
            return st;
    }
    sink.wdf = 1;
    sink.title = false;
    sink.fingerprint = &w->fingerprint;
    fingerprint_reset(&w->fingerprint);
    sink.pair_base = DOCUMENT_BIGRAM_BODY_BASE;
    sink.last_letter[0] = '\0';
    if (a->body) {
        st = analyzer_run(w->analyzer, a->body, strlen(a->body),
                          next + DOCUMENT_BODY_GAP, add_posting, &sink, NULL,
                          err);
        if (st != NIDX_OK)
            return st;
    }
    char date[11];
    if (a->date && document_normalize_date(a->date, date))
        xshim_doc_set_value(w->doc, DOCUMENT_SLOT_DATE, date, strlen(date));
    if (a->date && document_normalize_date(a->date, date) && strlen(date) >= 7)
        xshim_doc_set_value(w->doc, DOCUMENT_SLOT_MONTH, date, 7);
    if (a->source && *a->source) {
        size_t n = strlen(a->source);
        if (n > DOCUMENT_SOURCE_MAX)
            n = utf8_valid_prefix(a->source, DOCUMENT_SOURCE_MAX);
        xshim_doc_set_value(w->doc, DOCUMENT_SLOT_SOURCE, a->source, n);
    }
    st = add_filters(w, a, err);
    if (st == NIDX_OK)
        st = add_fingerprint(w, err);
    if (st != NIDX_OK)
        return st;
    if (*w->file_term) {
        xshim_doc_add_boolean_term(w->doc, w->file_term, strlen(w->file_term));
        xshim_doc_set_value(w->doc, DOCUMENT_SLOT_FILE_STAMP, w->file_stamp,
                            strlen(w->file_stamp));
    }
    if (sink.lang)
        xshim_doc_set_value(w->doc, DOCUMENT_SLOT_LANG, sink.lang,
                            strlen(sink.lang));
    size_t len;
    char *data = document_encode(a, &len);
    if (!data)
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    xshim_doc_set_data(w->doc, data, len);
    free(data);
    return NIDX_OK;
}

/*
 * The article's language when it has none: identified from its title and
 * the start of its body into code[]; NULL when not confidently known.
 */
static const char *identify_language(nidx_writer_t *w, const nidx_article_t *a,
                                     char code[LANGUAGE_CODE_MAX])
{
    char *sample = w->sample;
    size_t n = 0, room = IDENTIFY_BYTES;
    const char *parts[] = {a->title, a->body};
    for (int i = 0; i < 2 && room > 1; i++) {
        if (!parts[i])
            continue;
        size_t k = strlen(parts[i]);
        if (k > room - 1)
            k = utf8_valid_prefix(parts[i], room - 1);
        memcpy(sample + n, parts[i], k);
        n += k;
        sample[n++] = '\n';
        room -= k + 1;
    }
    return n > 0 && xshim_identify_language(sample, n, code) ? code : NULL;
}

nidx_status_t nidx_writer_add(nidx_writer_t *w, const nidx_article_t *article,
                              bool *replaced, uint64_t *repaired,
                              nidx_error_t *err)
{
    nidx_article_t a = *article;
    const char **fields[] = {&a.id,     &a.title, &a.body, &a.date,
                             &a.source, &a.lang,  &a.url};
    enum { N = sizeof fields / sizeof fields[0] };
    char *owned[N] = {0};
    uint64_t bad = 0;
    bool existed = false;
    nidx_status_t st = NIDX_OK;

    if (!a.id || !*a.id)
        return error_set(err, NIDX_ERROR_ARGUMENT, "an article needs an id");
    for (int i = 0; i < N && st == NIDX_OK; i++)
        if (!repair_field(fields[i], &owned[i], &bad))
            st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    /* A body longer than the memory allows is indexed on its start. */
    w->last_cut = 0;
    char *cut = NULL;
    size_t body_len = a.body ? strlen(a.body) : 0;
    if (st == NIDX_OK && body_len > w->max_article) {
        size_t keep = utf8_valid_prefix(a.body, (size_t)w->max_article);
        if (!(cut = strndup(a.body, keep)))
            st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
        a.body = cut;
        w->last_cut = body_len;
        body_len = keep;
    }
    char code[LANGUAGE_CODE_MAX];
    if (st == NIDX_OK && !language_normalize(a.lang, code))
        a.lang = identify_language(w, &a, code);
    if (st == NIDX_OK)
        st = build_document(w, &a, err);
    if (st == NIDX_OK) {
        char id_term[DOCUMENT_ID_TERM_MAX + 1];
        size_t id_len = document_id_term(a.id, id_term);
        xshim_doc_add_boolean_term(w->doc, id_term, id_len);
        st =
            xshim_writer_replace(w->db, id_term, id_len, w->doc, &existed, err);
    }
    /* Measured before the repaired copies go. */
    uint64_t text_bytes = body_len + (a.title ? strlen(a.title) : 0);
    for (int i = 0; i < N; i++)
        free(owned[i]);
    free(cut);
    if (st != NIDX_OK)
        return st;
    if (replaced)
        *replaced = existed;
    if (repaired)
        *repaired = bad;
    w->pending_bytes += text_bytes;
    if (++w->pending >= w->batch_size || w->pending_bytes >= w->max_pending)
        return nidx_writer_commit(w, err);
    return NIDX_OK;
}

nidx_status_t nidx_writer_remove(nidx_writer_t *w, const char *id,
                                 bool *existed, nidx_error_t *err)
{
    char id_term[DOCUMENT_ID_TERM_MAX + 1];
    bool found = false;
    if (!w || !id || !*id)
        return error_set(err, NIDX_ERROR_ARGUMENT, "removing needs an id");
    size_t len = document_id_term(id, id_term);
    nidx_status_t st = xshim_writer_delete(w->db, id_term, len, &found, err);
    if (existed)
        *existed = found;
    if (st == NIDX_OK && found && ++w->pending >= w->batch_size)
        return nidx_writer_commit(w, err);
    return st;
}

nidx_status_t nidx_writer_commit(nidx_writer_t *w, nidx_error_t *err)
{
    w->pending = 0;
    w->pending_bytes = 0;
    return xshim_writer_commit(w->db, err);
}

nidx_status_t nidx_writer_close(nidx_writer_t *w, nidx_error_t *err)
{
    if (!w)
        return NIDX_OK;
    nidx_status_t st = xshim_writer_close(w->db, err);
    analyzer_free(w->analyzer);
    xshim_doc_free(w->doc);
    free(w->path);
    free(w);
    return st;
}

void nidx_writer_set_progress(nidx_writer_t *w, nidx_progress_fn fn,
                              void *context)
{
    w->progress = fn;
    w->progress_context = context;
}

void writer_progress(const nidx_writer_t *w, const nidx_add_stats_t *stats,
                     const char *file, bool file_done)
{
    if (w->progress)
        w->progress(w->progress_context, stats, file, file_done);
}

void nidx_writer_set_force(nidx_writer_t *w, bool force)
{
    w->force = force;
}

nidx_status_t writer_file_begin(nidx_writer_t *w, const char *path,
                                const char *stamp, bool *unchanged,
                                nidx_error_t *err)
{
    char recorded[64];
    document_file_term(path, w->file_term);
    nidx_status_t st = xshim_writer_get_metadata(w->db, w->file_term, recorded,
                                                 sizeof recorded, err);
    *unchanged = st == NIDX_OK && !w->force && strcmp(recorded, stamp) == 0;
    if (st != NIDX_OK || *unchanged)
        w->file_term[0] = '\0';
    snprintf(w->file_stamp, sizeof w->file_stamp, "%s", stamp);
    return st;
}

/* Documents of the file whose stamp is not the current one. */
typedef struct stale {
    nidx_writer_t *w;
    uint32_t *docids;
    size_t n, cap;
    nidx_status_t st;
    nidx_error_t *err;
} stale_t;

static int collect_stale(void *context, uint32_t docid)
{
    stale_t *s = context;
    char stamp[64];
    size_t len;
    s->st = xshim_writer_value(s->w->db, docid, DOCUMENT_SLOT_FILE_STAMP, stamp,
                               sizeof stamp - 1, &len, s->err);
    if (s->st != NIDX_OK)
        return 1;
    stamp[len] = '\0';
    if (strcmp(stamp, s->w->file_stamp) == 0)
        return 0;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        uint32_t *p = realloc(s->docids, cap * sizeof *p);
        if (!p) {
            s->st = error_set(s->err, NIDX_ERROR_NOMEM, "out of memory");
            return 1;
        }
        s->docids = p;
        s->cap = cap;
    }
    s->docids[s->n++] = docid;
    return 0;
}

/* Deletes the documents holding `term` whose stamp is not `stamp` (all of
   them when stamp is ""). */
static nidx_status_t remove_stale(nidx_writer_t *w, const char *term,
                                  uint64_t *removed, nidx_error_t *err)
{
    stale_t s = {w, NULL, 0, 0, NIDX_OK, err};
    nidx_status_t st = xshim_writer_each_posting(w->db, term, strlen(term),
                                                 collect_stale, &s, err);
    if (st == NIDX_OK)
        st = s.st;
    for (size_t i = 0; i < s.n && st == NIDX_OK; i++)
        st = xshim_writer_delete_docid(w->db, s.docids[i], err);
    if (st == NIDX_OK)
        *removed += s.n;
    free(s.docids);
    return st;
}

nidx_status_t writer_file_end(nidx_writer_t *w, bool complete,
                              uint64_t *removed, nidx_error_t *err)
{
    nidx_status_t st = NIDX_OK;
    if (*w->file_term && complete) {
        st = remove_stale(w, w->file_term, removed, err);
        if (st == NIDX_OK)
            st = xshim_writer_set_metadata(w->db, w->file_term, w->file_stamp,
                                           err);
    }
    w->file_term[0] = '\0';
    return st;
}

typedef struct prune {
    nidx_writer_t *w;
    const char *path;
    size_t path_len;
    uint64_t *files, *articles;
    nidx_status_t st;
    nidx_error_t *err;
} prune_t;

static int prune_key(void *context, const char *key)
{
    prune_t *p = context;
    const char *file = key + strlen(DOCUMENT_FILE_PREFIX);
    struct stat sb;
    /* Only files at or under the path, whose term is their whole path (a
       hashed long path cannot be checked, and is kept). */
    if (strncmp(file, p->path, p->path_len) != 0 ||
        (file[p->path_len] != '\0' && file[p->path_len] != '/' &&
         p->path[p->path_len - 1] != '/') ||
        strlen(key) >= DOCUMENT_ID_TERM_MAX - 33 || stat(file, &sb) == 0)
        return 0;
    p->w->file_stamp[0] = '\0'; /* every article of the file is stale */
    p->st = remove_stale(p->w, key, p->articles, p->err);
    if (p->st == NIDX_OK)
        p->st = xshim_writer_set_metadata(p->w->db, key, "", p->err);
    (*p->files)++;
    return p->st != NIDX_OK;
}

nidx_status_t writer_prune(nidx_writer_t *w, const char *path, uint64_t *files,
                           uint64_t *articles, nidx_error_t *err)
{
    char prefix[DOCUMENT_ID_TERM_MAX + 1];
    prune_t p = {w, path, strlen(path), files, articles, NIDX_OK, err};
    snprintf(prefix, sizeof prefix, "%s%s", DOCUMENT_FILE_PREFIX, path);
    nidx_status_t st =
        xshim_writer_each_metadata(w->db, prefix, prune_key, &p, err);
    return st != NIDX_OK ? st : p.st;
}

void nidx_writer_interrupt(nidx_writer_t *w)
{
    if (w)
        w->interrupted = 1;
}

bool writer_interrupted(const nidx_writer_t *w)
{
    return w->interrupted != 0;
}

const char *writer_index_path(const nidx_writer_t *w)
{
    return w->path;
}
