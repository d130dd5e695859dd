/*
 * writer.c — the public writer: an index is a set of shards written in
 * parallel, one thread each. The caller's thread reads and routes: each
 * article goes to the shard its id hashes to, so that the article with an
 * id is always in the same shard and replacing it stays a one-shard
 * operation. Analysis and Xapian's writing, which are nearly all of the
 * cost, run in the shards' threads.
 */
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bandset.h"
#include "copies.h"
#include "document.h"
#include "error.h"
#include "layout.h"
#include "budget.h"
#include "hash.h"
#include "paths.h"
#include "place.h"
#include "shard.h"
#include "utf8.h"
#include "worker.h"
#include "writer.h"
#include "xapian_shim.h"

/* Articles per commit, all shards together. Smaller batches were
   faster, not slower: on the Arabic news (108 MB), 2,000 took 46 CPU s and 148
   MB, 5,000 55 s and 275 MB, 40,000 64 s and 472 MB. */
#define DEFAULT_BATCH 2000
/* Memory: some 120 MB of dictionaries and caches in all, then what each
   shard holds uncommitted, as budget.h estimates it. */
#define BASE_MB 120
#define MIN_PENDING (8u << 20)
/* Bytes of articles queued for one shard: enough to keep it busy while
   the reader parses the next ones. */
#define QUEUE_ROOM (4u << 20)
/* Shards of a new index when not asked: one per core, up to this. */
#define DEFAULT_MAX_SHARDS 8

struct nidx_writer {
    char *path;
    layout_t layout;
    shard_t *shards[LAYOUT_MAX_SHARDS];
    worker_t *workers[LAYOUT_MAX_SHARDS]; /* started with the first job */
    /* Each shard's file records as last committed, read in the caller's
       thread (a shard's writer belongs to its worker); opened when first
       needed. */
    xshim_reader_t *records[LAYOUT_MAX_SHARDS];
    copies_t *copies;     /* recent fingerprints, with several shards */
    bandsets_t *bandsets; /* the shards' band keys, with remote shards */
    unsigned batch_size;
    unsigned title_weight;
    uint64_t max_pending;   /* memory held uncommitted, all shards (bytes) */
    uint64_t max_article;   /* longer bodies are cut to this for indexing */
    uint64_t last_cut;      /* how long the body of the article added last
                               was when it was cut, or 0 */
    atomic_int interrupted; /* set from a signal handler; read by workers */
    bool force;             /* re-read unchanged files */
    nidx_progress_fn progress;
    void *progress_context;
    char file_term[DOCUMENT_ID_TERM_MAX + 1]; /* of the file being read */
    char file_stamp[64];
    worker_totals_t reported; /* writer_totals() last returned */
    uint64_t file_articles;   /* handed in from the file being read */
    /* A part of a cluster (nidx_writer_open_part()): the shards are the
       cluster's part_first .. part_first + layout.shards - 1 of part_of,
       and articles routed to the others are passed over (counted). 0: the
       whole index. */
    unsigned part_first, part_of;
    uint64_t passed_over;
};

static unsigned default_shards(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1)
        return 1;
    return cores > DEFAULT_MAX_SHARDS ? DEFAULT_MAX_SHARDS : (unsigned)cores;
}

/*
 * A new index: its shards' databases first, then the stub naming them, so
 * that a reader never finds a stub naming a missing shard. A run killed
 * while creating them leaves no stub: this one clears what it left.
 */
static nidx_status_t create_index(nidx_writer_t *w, unsigned shards,
                                  nidx_error_t *err)
{
    nidx_status_t st = NIDX_OK;
    for (unsigned i = 0; i < shards && st == NIDX_OK; i++) {
        char *path = layout_shard_path(w->path, i);
        st = path ? layout_clear_unfinished(path, err)
                  : error_set(err, NIDX_ERROR_NOMEM, "out of memory");
        if (st == NIDX_OK)
            st = shard_open(path, &w->shards[i], err);
        free(path);
    }
    char cluster[PLACE_CLUSTER_LEN + 1];
    place_new_cluster(cluster);
    for (unsigned i = 0; i < shards && st == NIDX_OK; i++)
        st = shard_set_place(w->shards[i], i, shards, cluster, err);
    if (st == NIDX_OK)
        st = layout_write_stub(w->path, shards, err);
    if (st == NIDX_OK)
        st = layout_read(w->path, &w->layout, err);
    return st;
}

/* Metadata of shard k, for place_check(): context is the readers. A
   shard without articles has no place to keep: it takes the one listed
   (an empty database made to be served as a shard, say). */
static nidx_status_t reader_metadata(void *context, unsigned k, const char *key,
                                     char *out, size_t cap, nidx_error_t *err)
{
    xshim_reader_t **readers = context;
    out[0] = '\0';
    if (!readers[k] || xshim_reader_doc_count(readers[k]) == 0)
        return NIDX_OK;
    return xshim_reader_get_metadata(readers[k], key, out, cap, err);
}

/* Through readers opened for it alone (writer.h). */
nidx_status_t writer_check_listing(const layout_t *layout,
                                   place_listing_t listing, bool built_only,
                                   char *cluster, nidx_error_t *err)
{
    xshim_reader_t *readers[LAYOUT_MAX_SHARDS] = {0};
    const char *names[LAYOUT_MAX_SHARDS];
    unsigned n = layout->shards;
    nidx_status_t st = NIDX_OK;
    for (unsigned i = 0; i < n && st == NIDX_OK; i++) {
        const char *p = layout->paths[i];
        names[i] = layout_is_remote(p) ? p + 7 : p;
        if (!built_only || layout_is_database(p))
            st = xshim_reader_open(p, &readers[i], err);
    }
    if (st == NIDX_OK)
        st = place_check(reader_metadata, readers, names, n, listing, cluster,
                         err);
    for (unsigned i = 0; i < n; i++)
        if (readers[i])
            xshim_reader_close(readers[i]);
    return st;
}

static nidx_status_t check_places(nidx_writer_t *w, char *cluster,
                                  nidx_error_t *err)
{
    /* A part's shard not built yet has no place. */
    place_listing_t listing = {
        w->part_first, w->part_of ? w->part_of : w->layout.shards, true};
    return writer_check_listing(&w->layout, listing, w->part_of != 0, cluster,
                                err);
}

/* A cluster's stub records the identity its shards have, for shards
   built apart (nidx_writer_open_part()): one listed by an older nidx, or
   anew before its shards had one, is written again with theirs. */
static nidx_status_t record_cluster(nidx_writer_t *w, const char *cluster,
                                    nidx_error_t *err)
{
    const char *specs[LAYOUT_MAX_SHARDS];
    if (!w->layout.remote || !strcmp(w->layout.cluster, cluster))
        return NIDX_OK;
    for (unsigned i = 0; i < w->layout.shards; i++) {
        if (!layout_is_remote(w->layout.paths[i]))
            return NIDX_OK; /* not a stub nidx cluster writes */
        specs[i] = w->layout.paths[i] + 7;
    }
    memcpy(w->layout.cluster, cluster, sizeof w->layout.cluster);
    return layout_write_remote_stub(w->path, specs, w->layout.shards, cluster,
                                    err);
}

/*
 * Opens the listed shards to write. The index's identity is its shards'
 * (checked against the listing); shards that have none yet take the one
 * the stub records, else a new one. Shards of an index made before
 * places get theirs, as listed.
 */
static nidx_status_t open_shards(nidx_writer_t *w, const char *cluster_wanted,
                                 nidx_error_t *err)
{
    char cluster[PLACE_CLUSTER_LEN + 1];
    nidx_status_t st = check_places(w, cluster, err);
    if (st == NIDX_OK && w->part_of && *cluster &&
        strcmp(cluster, cluster_wanted) != 0)
        return error_set(err, NIDX_ERROR_CORRUPT,
                         "%s holds shards of another index than the cluster "
                         "it is being built for: build them in an empty "
                         "directory",
                         w->path);
    if (st == NIDX_OK && !*cluster)
        snprintf(cluster, sizeof cluster, "%s", cluster_wanted);
    for (unsigned i = 0; i < w->layout.shards && st == NIDX_OK; i++) {
        if (w->part_of)
            st = layout_clear_unfinished(w->layout.paths[i], err);
        if (st == NIDX_OK)
            st = shard_open(w->layout.paths[i], &w->shards[i], err);
    }
    if (st == NIDX_OK && !*cluster)
        place_new_cluster(cluster);
    for (unsigned i = 0; i < w->layout.shards && st == NIDX_OK; i++)
        st = shard_set_place(w->shards[i], w->part_first + i,
                             w->part_of ? w->part_of : w->layout.shards,
                             cluster, err);
    if (st == NIDX_OK)
        st = record_cluster(w, cluster, err);
    return st;
}

static void free_writer(nidx_writer_t *w)
{
    nidx_error_t ignored;
    for (unsigned i = 0; i < LAYOUT_MAX_SHARDS; i++) {
        shard_close(w->shards[i], &ignored);
        if (w->records[i])
            xshim_reader_close(w->records[i]);
    }
    copies_free(w->copies);
    bandsets_free(w->bandsets);
    layout_free(&w->layout);
    free(w->path);
    free(w);
}

/* The shards open: near copies are looked for in every shard (of the
   part), and the writer is ready; freed on failure. */
static nidx_status_t finish_open(nidx_writer_t *w, nidx_writer_t **writer,
                                 nidx_status_t st, nidx_error_t *err)
{
    for (unsigned i = 0; i < w->layout.shards && st == NIDX_OK; i++)
        if (w->layout.shards > 1)
            st = shard_open_peers(w->shards[i], &w->layout, i, err);
    if (st != NIDX_OK) {
        free_writer(w);
        return st;
    }
    nidx_writer_set_memory(w, NIDX_MEMORY_MB);
    *writer = w;
    return NIDX_OK;
}

/* A writer of the index at `path`, with the default settings and no
   shard yet; NULL when out of memory. */
static nidx_writer_t *new_writer(const char *path)
{
    nidx_writer_t *w = calloc(1, sizeof *w);
    if (w && !(w->path = strdup(path))) {
        free(w);
        return NULL;
    }
    if (w) {
        w->batch_size = DEFAULT_BATCH;
        w->title_weight = NIDX_TITLE_WEIGHT;
    }
    return w;
}

nidx_status_t nidx_writer_open_shards(const char *path, unsigned shards,
                                      nidx_writer_t **writer, nidx_error_t *err)
{
    nidx_writer_t *w;
    nidx_status_t st;
    *writer = NULL;
    if (!path || !*path)
        return error_set(err, NIDX_ERROR_ARGUMENT, "no index path given");
    if (shards > LAYOUT_MAX_SHARDS)
        return error_set(err, NIDX_ERROR_ARGUMENT, "at most %d shards",
                         LAYOUT_MAX_SHARDS);
    st = paths_make_dirs(path, err);
    if (st != NIDX_OK)
        return st;
    if (!(w = new_writer(path)))
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    st = layout_read(path, &w->layout, err);
    if (st == NIDX_OK)
        st = w->layout.shards
                 ? open_shards(w, w->layout.cluster, err)
                 : create_index(w, shards ? shards : default_shards(), err);
    return finish_open(w, writer, st, err);
}

/* The identity of the index described at `cluster` (its layout read into
   *l): the one its stub records, else its shards' (the first that has
   one). NIDX_ERROR_ARGUMENT when there is none to take. */
static nidx_status_t cluster_identity(const char *cluster, const layout_t *l,
                                      char id[PLACE_CLUSTER_LEN + 1],
                                      nidx_error_t *err)
{
    nidx_status_t st = NIDX_OK;
    snprintf(id, PLACE_CLUSTER_LEN + 1, "%s", l->cluster);
    for (unsigned i = 0; i < l->shards && !*id && st == NIDX_OK; i++) {
        xshim_reader_t *r;
        st = xshim_reader_open(l->paths[i], &r, err);
        if (st == NIDX_OK) {
            st = xshim_reader_get_metadata(r, PLACE_CLUSTER_KEY, id,
                                           PLACE_CLUSTER_LEN + 1, err);
            xshim_reader_close(r);
        }
    }
    if (st == NIDX_OK && !*id)
        st = error_set(err, NIDX_ERROR_ARGUMENT,
                       "%s has no identity for its shards to take yet: list "
                       "it with nidx cluster (or add to it once)",
                       cluster);
    return st;
}

nidx_status_t nidx_writer_open_part(const char *cluster, unsigned first,
                                    unsigned last, const char *into,
                                    nidx_writer_t **writer, nidx_error_t *err)
{
    layout_t l;
    char id[PLACE_CLUSTER_LEN + 1];
    nidx_writer_t *w;
    *writer = NULL;
    if (!cluster || !*cluster || !into || !*into)
        return error_set(err, NIDX_ERROR_ARGUMENT,
                         "a part of a cluster needs the cluster's index and "
                         "a directory to build its shards in");
    nidx_status_t st = layout_read(cluster, &l, err);
    if (st == NIDX_OK && l.shards == 0)
        st = error_set(err, NIDX_ERROR_ARGUMENT,
                       "%s: no index there (list the cluster first: nidx "
                       "cluster)",
                       cluster);
    if (st == NIDX_OK && (first > last || last >= l.shards))
        st = error_set(err, NIDX_ERROR_ARGUMENT,
                       "shards %u-%u: %s has %u shard%s (0 to %u)", first, last,
                       cluster, l.shards, l.shards == 1 ? "" : "s",
                       l.shards - 1);
    if (st == NIDX_OK)
        st = cluster_identity(cluster, &l, id, err);
    unsigned of = l.shards;
    layout_free(&l);
    if (st == NIDX_OK)
        st = paths_make_dirs(into, err);
    if (st != NIDX_OK)
        return st;
    if (!(w = new_writer(into)))
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    w->part_first = first;
    w->part_of = of;
    w->layout.shards = last - first + 1;
    for (unsigned i = 0; i < w->layout.shards && st == NIDX_OK; i++)
        if (!(w->layout.paths[i] = layout_shard_path(into, first + i)))
            st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    if (st == NIDX_OK)
        st = open_shards(w, id, err);
    return finish_open(w, writer, st, err);
}

uint64_t nidx_writer_passed_over(const nidx_writer_t *w)
{
    return w ? w->passed_over : 0;
}

nidx_status_t nidx_writer_open(const char *path, nidx_writer_t **writer,
                               nidx_error_t *err)
{
    return nidx_writer_open_shards(path, 0, writer, err);
}

unsigned nidx_writer_shards(const nidx_writer_t *w)
{
    return w->layout.shards;
}

/* ---- settings, handed to the shards while no job runs ---- */

static nidx_status_t drain(nidx_writer_t *w, nidx_error_t *err)
{
    nidx_status_t st = NIDX_OK;
    for (unsigned i = 0; i < w->layout.shards; i++)
        if (w->workers[i]) {
            nidx_status_t s = worker_wait(w->workers[i], NULL, err);
            if (st == NIDX_OK)
                st = s;
        }
    return st;
}

static void configure(nidx_writer_t *w)
{
    nidx_error_t ignored;
    drain(w, &ignored); /* a failure shows at the next job */
    /* The batch and the memory are shared: what all the shards hold
       uncommitted together stays what one writer would hold. */
    unsigned n = w->layout.shards;
    for (unsigned i = 0; i < n; i++)
        shard_configure(w->shards[i], (w->batch_size + n - 1) / n,
                        w->max_pending / n, w->title_weight);
}

void nidx_writer_set_memory(nidx_writer_t *w, unsigned mb)
{
    uint64_t usable = mb > BASE_MB + 10 ? (uint64_t)(mb - BASE_MB) : 10;
    w->max_pending = usable << 20;
    if (w->max_pending < MIN_PENDING * w->layout.shards)
        w->max_pending = MIN_PENDING * w->layout.shards;
    /* One article may fill a shard's share on its own (every shard may
       hold one at once), even when each of its words is new. */
    w->max_article =
        w->max_pending / w->layout.shards / BUDGET_WORST_PER_TEXT_BYTE;
    configure(w);
}

void nidx_writer_set_batch_size(nidx_writer_t *w, unsigned articles)
{
    w->batch_size = articles ? articles : 1;
    configure(w);
}

void nidx_writer_set_title_weight(nidx_writer_t *w, unsigned weight)
{
    w->title_weight = weight < 1 ? 1 : weight > 100 ? 100 : weight;
    configure(w);
}

void nidx_writer_set_force(nidx_writer_t *w, bool force)
{
    w->force = force;
}

void nidx_writer_set_progress(nidx_writer_t *w, nidx_progress_fn fn,
                              void *context)
{
    w->progress = fn;
    w->progress_context = context;
}

/* ---- jobs ---- */

/* The shard article `id` goes to, into *i; false when it goes to a shard
   of the cluster that this part does not build. FNV-1a over the number of
   the index's shards: the routing of ids to shards is part of the index
   format, and must never change. */
static bool shard_of(const nidx_writer_t *w, const char *id, unsigned *i)
{
    uint64_t h = hash_fnv1a(id, strlen(id), HASH_FNV_SEED);
    if (!w->part_of) {
        *i = (unsigned)(h % w->layout.shards);
        return true;
    }
    unsigned k = (unsigned)(h % w->part_of);
    *i = k - w->part_first;
    return k >= w->part_first && *i < w->layout.shards;
}

/* Recent fingerprints cover what the shards may hold uncommitted (a
   batch in all), and what they committed but the others have not seen yet
   (each sees the others' commits at its own), twice over. */
static nidx_status_t share_copies(nidx_writer_t *w, nidx_error_t *err)
{
    /* Band sets spare round trips to shards on other machines (one
       shard's own entries too). */
    if (w->layout.remote && !w->bandsets) {
        if (!(w->bandsets = bandsets_new(w->layout.shards)))
            return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
        for (unsigned i = 0; i < w->layout.shards; i++)
            shard_share_bandsets(w->shards[i], w->bandsets, i);
    }
    if (w->layout.shards < 2 || w->copies)
        return NIDX_OK;
    w->copies = copies_new((size_t)w->batch_size * 4);
    if (!w->copies)
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    for (unsigned i = 0; i < w->layout.shards; i++)
        shard_share_copies(w->shards[i], w->copies);
    return NIDX_OK;
}

static nidx_status_t start_workers(nidx_writer_t *w, nidx_error_t *err)
{
    nidx_status_t st = share_copies(w, err);
    if (st != NIDX_OK)
        return st;
    for (unsigned i = 0; i < w->layout.shards && st == NIDX_OK; i++)
        if (!w->workers[i])
            st = worker_start(w->shards[i], QUEUE_ROOM, &w->interrupted,
                              &w->workers[i], err);
    return st;
}

/* A job with room for `text` bytes of strings. */
static job_t *new_job(job_kind_t kind, size_t text)
{
    job_t *job = calloc(1, sizeof *job + text);
    if (job) {
        job->kind = kind;
        job->bytes = sizeof *job + text;
    }
    return job;
}

/* Copies s (n bytes) into the job's text at *at; the copy. */
static const char *keep(job_t *job, size_t *at, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *copy = job->text + *at;
    memcpy(copy, s, n);
    copy[n] = '\0';
    *at += n + 1;
    return copy;
}

/* Posts to shard i; a waited job is waited for (and stays the caller's
   to free), another is the worker's from now on. */
static nidx_status_t post(nidx_writer_t *w, unsigned i, job_t *job,
                          nidx_error_t *err)
{
    bool waited = job->waited; /* the job may be gone once posted */
    nidx_status_t st = start_workers(w, err);
    if (st != NIDX_OK) {
        if (!waited)
            free(job);
        return st;
    }
    st = worker_post(w->workers[i], job, err);
    if (st == NIDX_OK && waited)
        st = worker_wait(w->workers[i], job, err);
    return st;
}

/* Posts a waited job of this kind to every shard, and waits for them all;
   their results summed into *sum (NULL: not wanted). */
static nidx_status_t post_all(nidx_writer_t *w, job_kind_t kind,
                              const char *term, const char *stamp, bool waited,
                              job_t *sum, nidx_error_t *err)
{
    job_t *jobs[LAYOUT_MAX_SHARDS] = {0};
    size_t lt = term ? strlen(term) : 0, ls = stamp ? strlen(stamp) : 0;
    nidx_status_t st = start_workers(w, err);
    for (unsigned i = 0; i < w->layout.shards && st == NIDX_OK; i++) {
        size_t at = 0;
        job_t *job = new_job(kind, lt + ls + 2);
        if (!job) {
            st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
            break;
        }
        job->file_term = job->arg = keep(job, &at, term, lt);
        job->file_stamp = keep(job, &at, stamp, ls);
        job->waited = waited;
        jobs[i] = waited ? job : NULL;
        st = worker_post(w->workers[i], job, err);
        if (st != NIDX_OK && waited) {
            free(job);
            jobs[i] = NULL;
        }
    }
    for (unsigned i = 0; i < w->layout.shards; i++) {
        if (!jobs[i])
            continue;
        nidx_status_t s = worker_wait(w->workers[i], jobs[i], err);
        if (st == NIDX_OK)
            st = s;
        if (sum) {
            sum->articles += jobs[i]->articles;
            if (jobs[i]->files > sum->files) /* every shard has the file */
                sum->files = jobs[i]->files;
        }
        free(jobs[i]);
    }
    return st;
}

/*
 * The field as valid UTF-8: *n is its length, *owned a repaired copy when
 * it was not (caller frees), *bad counts the bytes repaired.
 */
static bool repaired_field(const char **field, size_t *n, char **owned,
                           uint64_t *bad)
{
    *owned = NULL;
    *n = *field ? strlen(*field) : 0;
    if (!*field || utf8_valid_prefix(*field, *n) == *n)
        return true;
    size_t invalid = 0;
    if (!(*owned = utf8_repair(*field, *n, &invalid)))
        return false;
    *field = *owned;
    *n = strlen(*owned);
    *bad += invalid;
    return true;
}

/*
 * The job adding `article`: its fields repaired into valid UTF-8 and copied
 * with it, the body cut to the memory budget (w->last_cut).
 */
static nidx_status_t article_job(nidx_writer_t *w, const nidx_article_t *art,
                                 job_t **out, uint64_t *bad, nidx_error_t *err)
{
    nidx_article_t a = *art;
    const char **fields[] = {&a.id,     &a.title, &a.body, &a.date,
                             &a.source, &a.lang,  &a.url};
    enum { N = sizeof fields / sizeof fields[0], BODY = 2 };
    char *owned[N] = {0};
    size_t len[N], text = strlen(w->file_term) + strlen(w->file_stamp) + 2;
    nidx_status_t st = NIDX_OK;
    *out = NULL;
    for (int i = 0; i < N && st == NIDX_OK; i++)
        if (!repaired_field(fields[i], &len[i], &owned[i], bad))
            st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    /* A body longer than the memory allows is indexed on its start. */
    w->last_cut = 0;
    if (st == NIDX_OK && len[BODY] > w->max_article) {
        w->last_cut = len[BODY];
        len[BODY] = utf8_valid_prefix(a.body, (size_t)w->max_article);
    }
    for (int i = 0; i < N && st == NIDX_OK; i++)
        text += len[i] + 1;
    job_t *job = st == NIDX_OK ? new_job(JOB_ADD, text) : NULL;
    if (st == NIDX_OK && !job)
        st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    if (job) {
        size_t at = 0;
        const char **copies[] = {&job->article.id,     &job->article.title,
                                 &job->article.body,   &job->article.date,
                                 &job->article.source, &job->article.lang,
                                 &job->article.url};
        for (int i = 0; i < N; i++)
            *copies[i] = keep(job, &at, *fields[i], len[i]);
        if (*w->file_term) {
            job->file_term = keep(job, &at, w->file_term, strlen(w->file_term));
            job->file_stamp =
                keep(job, &at, w->file_stamp, strlen(w->file_stamp));
        }
    }
    for (int i = 0; i < N; i++)
        free(owned[i]);
    *out = job;
    return st;
}

/* The shard of an article with id `id` as the job will carry it (valid
   UTF-8, repaired), into *shard; *ours false when the shard is another
   machine's (a part, nidx_writer_open_part()). Decided before the article
   is copied: a part passes over most of what it reads. */
static nidx_status_t route(const nidx_writer_t *w, const char *id,
                           unsigned *shard, bool *ours, nidx_error_t *err)
{
    char *owned;
    size_t n;
    uint64_t ignored = 0;
    if (!repaired_field(&id, &n, &owned, &ignored))
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    *ours = shard_of(w, id, shard);
    free(owned);
    return NIDX_OK;
}

nidx_status_t nidx_writer_add(nidx_writer_t *w, const nidx_article_t *article,
                              bool *replaced, uint64_t *repaired,
                              nidx_error_t *err)
{
    job_t *job;
    uint64_t bad = 0;
    if (!article->id || !*article->id)
        return error_set(err, NIDX_ERROR_ARGUMENT, "an article needs an id");
    if (writer_interrupted(w))
        return error_set(err, NIDX_ERROR_INTERRUPTED, "interrupted");
    unsigned shard;
    bool ours = true;
    nidx_status_t st = route(w, article->id, &shard, &ours, err);
    if (st == NIDX_OK && !ours) {
        w->passed_over++;
        if (repaired)
            *repaired = 0;
        if (replaced)
            *replaced = false;
        return NIDX_OK;
    }
    if (st == NIDX_OK)
        st = article_job(w, article, &job, &bad, err);
    if (st != NIDX_OK)
        return st;
    if (repaired)
        *repaired = bad;
    /* Wanting to know whether it replaced one means waiting for it. */
    job->waited = replaced != NULL;
    st = post(w, shard, job, err);
    if (replaced) {
        *replaced = job->replaced;
        free(job);
    }
    return st;
}

nidx_status_t nidx_writer_remove(nidx_writer_t *w, const char *id,
                                 bool *existed, nidx_error_t *err)
{
    if (!w || !id || !*id)
        return error_set(err, NIDX_ERROR_ARGUMENT, "removing needs an id");
    unsigned shard;
    if (!shard_of(w, id, &shard)) { /* another machine's */
        if (existed)
            *existed = false;
        return NIDX_OK;
    }
    size_t at = 0;
    job_t *job = new_job(JOB_REMOVE, strlen(id) + 1);
    if (!job)
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    job->arg = keep(job, &at, id, strlen(id));
    job->waited = true;
    nidx_status_t st = post(w, shard, job, err);
    if (existed)
        *existed = st == NIDX_OK && job->existed;
    free(job);
    return st;
}

nidx_status_t nidx_writer_commit(nidx_writer_t *w, nidx_error_t *err)
{
    return post_all(w, JOB_COMMIT, NULL, NULL, true, NULL, err);
}

nidx_status_t nidx_writer_close_counted(nidx_writer_t *w,
                                        nidx_add_stats_t *stats,
                                        nidx_error_t *err)
{
    if (!w)
        return NIDX_OK;
    nidx_status_t st = NIDX_OK;
    uint64_t added = 0, replaced = 0, removed = 0;
    /* What is queued is stored, then each shard commits as it closes:
       all its jobs are then in the index, else those up to its last
       commit. */
    for (unsigned i = 0; i < w->layout.shards; i++) {
        worker_totals_t done = {0}, committed = {0};
        nidx_status_t s = worker_stop(w->workers[i], &done, &committed, err);
        if (st == NIDX_OK)
            st = s;
        nidx_status_t closed =
            shard_close(w->shards[i], st == NIDX_OK ? err : NULL);
        w->shards[i] = NULL;
        if (st == NIDX_OK)
            st = closed;
        if (s == NIDX_OK && closed == NIDX_OK)
            committed = done;
        added += committed.added;
        replaced += committed.replaced;
        removed += committed.removed;
    }
    /* The stats last saw writer_totals(): they move from that to what
       was committed. */
    if (stats) {
        stats->added += added - w->reported.added;
        stats->replaced += replaced - w->reported.replaced;
        stats->removed += removed - w->reported.removed;
    }
    free_writer(w);
    return st;
}

nidx_status_t nidx_writer_close(nidx_writer_t *w, nidx_error_t *err)
{
    return nidx_writer_close_counted(w, NULL, err);
}

void nidx_writer_interrupt(nidx_writer_t *w)
{
    if (w)
        atomic_store_explicit(&w->interrupted, 1, memory_order_relaxed);
}

/* ---- for the ingest loop (writer.h) ---- */

bool writer_interrupted(const nidx_writer_t *w)
{
    return atomic_load_explicit(&w->interrupted, memory_order_relaxed) != 0;
}

const char *writer_index_path(const nidx_writer_t *w)
{
    return w->path;
}

uint64_t writer_last_cut(const nidx_writer_t *w)
{
    return w->last_cut;
}

uint64_t writer_max_article(const nidx_writer_t *w)
{
    return w->max_article;
}

void writer_file_articles(nidx_writer_t *w, uint64_t articles)
{
    w->file_articles = articles;
}

uint64_t nidx_writer_file_articles(const nidx_writer_t *w)
{
    return w ? w->file_articles : 0;
}

void writer_progress(const nidx_writer_t *w, const nidx_add_stats_t *stats,
                     const char *file, bool file_done)
{
    if (w->progress)
        w->progress(w->progress_context, stats, file, file_done);
}

void writer_totals(nidx_writer_t *w, uint64_t *added, uint64_t *replaced,
                   uint64_t *removed)
{
    *added = *replaced = *removed = 0;
    for (unsigned i = 0; i < w->layout.shards; i++) {
        worker_totals_t t = {0};
        if (w->workers[i])
            worker_totals(w->workers[i], &t);
        *added += t.added;
        *replaced += t.replaced;
        *removed += t.removed;
    }
    w->reported = (worker_totals_t){*added, *replaced, *removed};
}

nidx_status_t writer_drain(nidx_writer_t *w, nidx_error_t *err)
{
    return drain(w, err);
}

/* The stamp shard i recorded for the current file ("" when none). */
static nidx_status_t recorded_stamp(nidx_writer_t *w, unsigned i, char *out,
                                    size_t cap, nidx_error_t *err)
{
    nidx_status_t st =
        w->records[i] ? xshim_reader_reopen(w->records[i], err) : NIDX_ERROR_IO;
    if (st != NIDX_OK) {
        /* First use, or a remote shard's server closed the connection
           while a long file was read (its idle timeout): anew. */
        xshim_reader_close(w->records[i]);
        w->records[i] = NULL;
        st = xshim_reader_open(w->layout.paths[i], &w->records[i], err);
    }
    if (st == NIDX_OK)
        st = xshim_reader_get_metadata(w->records[i], w->file_term, out, cap,
                                       err);
    return st;
}

nidx_status_t writer_file_begin(nidx_writer_t *w, const char *path,
                                const char *stamp, bool *unchanged,
                                nidx_error_t *err)
{
    char recorded[64];
    nidx_status_t st = NIDX_OK;
    document_file_term(path, w->file_term);
    snprintf(w->file_stamp, sizeof w->file_stamp, "%s", stamp);
    /* Unchanged when every shard recorded it read to its end: each shard
       records a file with its own articles of it, in the same commit. */
    *unchanged = !w->force;
    for (unsigned i = 0; i < w->layout.shards && *unchanged; i++) {
        st = recorded_stamp(w, i, recorded, sizeof recorded, err);
        *unchanged = st == NIDX_OK && strcmp(recorded, stamp) == 0;
    }
    if (st != NIDX_OK || *unchanged)
        w->file_term[0] = '\0';
    return st;
}

nidx_status_t writer_file_end(nidx_writer_t *w, bool complete,
                              nidx_error_t *err)
{
    nidx_status_t st = NIDX_OK;
    if (*w->file_term && complete)
        st = post_all(w, JOB_FILE_END, w->file_term, w->file_stamp, false, NULL,
                      err);
    w->file_term[0] = '\0';
    return st;
}

nidx_status_t writer_prune(nidx_writer_t *w, const char *path, uint64_t *files,
                           uint64_t *articles, nidx_error_t *err)
{
    job_t sum = {0};
    nidx_status_t st = post_all(w, JOB_PRUNE, path, NULL, true, &sum, err);
    *files += sum.files;
    *articles += sum.articles;
    return st;
}
