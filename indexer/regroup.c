/*
 * regroup.c — joins the near-duplicate groups that shards built apart
 * hold (nidx_index_regroup()).
 *
 * An article takes the collapse key of a near copy the writer finds in
 * any shard (shard.c), else its own. Shards built apart, each machine
 * loading its part of a cluster (nidx_writer_open_part()), never saw each
 * other: a story and its near copy in two parts keep two keys, and
 * searches show both. This pass finds them as the writer would, by the
 * band entries the shards share (bands.h), compares the candidates'
 * fingerprints, and gives every group so joined one key: the smallest of
 * its keys. Copies whose first band is the same already share their key.
 *
 * Work and memory: each shard's band keys are listed twice, the shards in
 * parallel: into a Bloom filter a shard (bandset.h), then each looked up
 * in the filters of the shards before it; only keys that another shard
 * may hold are read again, with their candidates' fingerprints (each
 * document read once); then each shard's collapse
 * keys are read once, a slice of the key space at a time, and the
 * articles whose group was joined rewritten.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "bands.h"
#include "bandset.h"
#include "document.h"
#include "error.h"
#include "fingerprint.h"
#include "layout.h"
#include "nidx.h"
#include "place.h"
#include "writer.h"
#include "xapian_shim.h"

/* Documents whose collapse keys are read in one match (a slice of the key
   space, by its leading byte). */
#define SLICE_DOCUMENTS 250000

/* ---- groups: a union-find over collapse keys ---- */

typedef struct groups {
    char (*keys)[DOCUMENT_COPIES_KEY];
    size_t *parent;
    size_t n, cap;
    size_t *slots; /* open addressing: index + 1, 0 empty */
    size_t nslots;
} groups_t;

static size_t key_hash(const char *key)
{
    uint64_t h;
    memcpy(&h, key, sizeof h); /* a fingerprint's bytes: spread already */
    return (size_t)(h ^ (h >> 29));
}

/* The slot of `key` in the table: where it is, or the empty one where it
   would go. */
static size_t *find_slot(const groups_t *g, const char *key)
{
    size_t i = key_hash(key) & (g->nslots - 1);
    while (g->slots[i] &&
           memcmp(g->keys[g->slots[i] - 1], key, DOCUMENT_COPIES_KEY) != 0)
        i = (i + 1) & (g->nslots - 1);
    return &g->slots[i];
}

static bool grow(groups_t *g)
{
    size_t cap = g->cap ? 2 * g->cap : 1024;
    void *k = realloc(g->keys, cap * sizeof g->keys[0]);
    if (k)
        g->keys = k;
    void *p = realloc(g->parent, cap * sizeof g->parent[0]);
    if (p)
        g->parent = p;
    size_t *slots = calloc(2 * cap, sizeof *slots);
    if (!k || !p || !slots) {
        free(slots);
        return false;
    }
    free(g->slots);
    g->slots = slots;
    g->nslots = 2 * cap;
    g->cap = cap;
    for (size_t i = 0; i < g->n; i++)
        *find_slot(g, g->keys[i]) = i + 1;
    return true;
}

/* The index of `key`, added when new; SIZE_MAX when out of memory. */
static size_t group_of(groups_t *g, const char *key)
{
    if (g->nslots) {
        size_t *slot = find_slot(g, key);
        if (*slot)
            return *slot - 1;
    }
    if (g->n == g->cap && !grow(g))
        return SIZE_MAX;
    memcpy(g->keys[g->n], key, DOCUMENT_COPIES_KEY);
    g->parent[g->n] = g->n;
    *find_slot(g, key) = g->n + 1;
    return g->n++;
}

static size_t root(groups_t *g, size_t i)
{
    while (g->parent[i] != i) {
        g->parent[i] = g->parent[g->parent[i]];
        i = g->parent[i];
    }
    return i;
}

/* Joins the groups of keys a and b; the smaller key is the root, so that
   a group's key is the same whatever order the pairs came in. */
static bool join(groups_t *g, const char *a, const char *b)
{
    size_t i = group_of(g, a), j = group_of(g, b);
    if (i == SIZE_MAX || j == SIZE_MAX)
        return false;
    i = root(g, i);
    j = root(g, j);
    if (i != j) {
        if (memcmp(g->keys[j], g->keys[i], DOCUMENT_COPIES_KEY) < 0)
            g->parent[i] = j;
        else
            g->parent[j] = i;
    }
    return true;
}

static void groups_free(groups_t *g)
{
    free(g->keys);
    free(g->parent);
    free(g->slots);
}

/* ---- the pass ---- */

/* A band key of shard `shard` that an earlier shard may hold too. */
typedef struct candidate {
    unsigned shard;
    char key[BANDS_KEY_MAX];
} candidate_t;

/* The documents of one band entry with their fingerprints and keys. */
typedef struct member {
    unsigned char fp[FINGERPRINT_BYTES];
    char key[DOCUMENT_COPIES_KEY];
} member_t;

/* A document read: shard << 32 | docid, plus one (0: an empty slot). */
typedef struct read {
    uint64_t id;
    member_t m;
    bool whole; /* it has a fingerprint and a key */
} read_t;

typedef struct regroup {
    layout_t layout;
    xshim_writer_t *db[LAYOUT_MAX_SHARDS];
    bandsets_t *sets;
    candidate_t *cand; /* from every shard's lister, in shard order */
    size_t ncand;
    groups_t groups;
    read_t *reads; /* the documents read, open addressing */
    size_t nread, nreadslots;
    uint64_t joined; /* articles given another key */
    nidx_error_t *err;
} regroup_t;

/* A thread listing one shard's band keys: into its Bloom filter, or
   looked up in the filters of the shards before it, keeping candidates. */
typedef struct lister {
    regroup_t *r;
    unsigned shard;
    bool lookup; /* the second listing */
    candidate_t *cand;
    size_t ncand, cap;
    nidx_status_t st;
    nidx_error_t err;
} lister_t;

/* each_metadata(): keeps a key of the lister's shard that an earlier
   shard may hold. */
static int note_candidate(void *context, const char *key)
{
    lister_t *l = context;
    bool shared = false;
    for (unsigned t = 0; t < l->shard && !shared; t++)
        shared = bandsets_may_hold(l->r->sets, t, key);
    if (!shared || strlen(key) >= BANDS_KEY_MAX)
        return 0;
    if (l->ncand == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 256;
        candidate_t *c = realloc(l->cand, cap * sizeof *c);
        if (!c) {
            l->st = error_set(&l->err, NIDX_ERROR_NOMEM, "out of memory");
            return 1;
        }
        l->cand = c;
        l->cap = cap;
    }
    l->cand[l->ncand].shard = l->shard;
    strcpy(l->cand[l->ncand++].key, key);
    return 0;
}

static void *list_shard(void *context)
{
    lister_t *l = context;
    xshim_writer_t *db = l->r->db[l->shard];
    nidx_status_t st =
        l->lookup ? xshim_writer_each_metadata(db, DOCUMENT_DUP_PREFIX,
                                               note_candidate, l, &l->err)
                  : bandsets_build(l->r->sets, l->shard, db, &l->err);
    if (l->st == NIDX_OK)
        l->st = st;
    return NULL;
}

/*
 * Lists every shard's band keys, each shard in a thread of its own (a
 * message a key over the remote backend: the shards' servers answer in
 * parallel), twice: into each shard's Bloom filter, then looked up in the
 * filters of the shards before it. The candidates go to r->cand.
 */
static nidx_status_t list_all(regroup_t *r, bool lookup, nidx_error_t *err)
{
    unsigned n = r->layout.shards;
    lister_t l[LAYOUT_MAX_SHARDS];
    pthread_t threads[LAYOUT_MAX_SHARDS];
    bool started[LAYOUT_MAX_SHARDS] = {false};
    nidx_status_t st = NIDX_OK;
    for (unsigned s = 0; s < n; s++) {
        l[s] = (lister_t){.r = r, .shard = s, .lookup = lookup};
        started[s] = pthread_create(&threads[s], NULL, list_shard, &l[s]) == 0;
        if (!started[s])
            list_shard(&l[s]); /* no thread: in this one */
    }
    for (unsigned s = 0; s < n; s++) {
        if (started[s])
            pthread_join(threads[s], NULL);
        if (st == NIDX_OK && l[s].st != NIDX_OK) {
            st = l[s].st;
            if (err)
                *err = l[s].err;
        }
        if (st == NIDX_OK && l[s].ncand) {
            candidate_t *c =
                realloc(r->cand, (r->ncand + l[s].ncand) * sizeof *c);
            if (!c) {
                st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
            } else {
                memcpy(c + r->ncand, l[s].cand, l[s].ncand * sizeof *c);
                r->cand = c;
                r->ncand += l[s].ncand;
            }
        }
        free(l[s].cand);
    }
    return st;
}

/* The slot of document `id` among those read: where it is, or the empty
   one where it would go. */
static read_t *find_read(const regroup_t *r, uint64_t id)
{
    size_t i = (size_t)(id * 0x9e3779b97f4a7c15u >> 20) & (r->nreadslots - 1);
    while (r->reads[i].id && r->reads[i].id != id + 1)
        i = (i + 1) & (r->nreadslots - 1);
    return &r->reads[i];
}

static nidx_status_t remember_read(regroup_t *r, uint64_t id, const member_t *m,
                                   bool whole, nidx_error_t *err)
{
    if (2 * (r->nread + 1) > r->nreadslots) {
        size_t n = r->nreadslots ? 2 * r->nreadslots : 4096;
        read_t *old = r->reads, *grown = calloc(n, sizeof *grown);
        if (!grown)
            return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
        size_t oldn = r->nreadslots;
        r->reads = grown;
        r->nreadslots = n;
        for (size_t i = 0; i < oldn; i++)
            if (old[i].id)
                *find_read(r, old[i].id - 1) = old[i];
        free(old);
    }
    read_t *slot = find_read(r, id);
    *slot = (read_t){id + 1, *m, whole};
    r->nread++;
    return NIDX_OK;
}

/* A document's fingerprint and key as read before, or read now (one read
   of the document) and kept: a document is named by up to 8 entries.
   *got moves on when the document has both. */
static nidx_status_t member_of(regroup_t *r, unsigned s, uint32_t docid,
                               member_t *m, size_t *got, nidx_error_t *err)
{
    uint64_t id = ((uint64_t)s << 32) | docid;
    read_t *seen = NULL;
    if (r->nread && (seen = find_read(r, id))->id == id + 1) {
        if (seen->whole) {
            *m = seen->m;
            ++*got;
        }
        return NIDX_OK;
    }
    static const unsigned slots[2] = {DOCUMENT_SLOT_FINGERPRINT,
                                      DOCUMENT_SLOT_COPIES};
    char *outs[2] = {(char *)m->fp, m->key};
    static const size_t caps[2] = {FINGERPRINT_BYTES, DOCUMENT_COPIES_KEY};
    size_t lens[2];
    nidx_status_t st =
        xshim_writer_values(r->db[s], docid, 2, slots, outs, caps, lens, err);
    if (st != NIDX_OK)
        return st;
    bool whole = lens[0] == FINGERPRINT_BYTES && lens[1] == DOCUMENT_COPIES_KEY;
    if (whole)
        ++*got;
    return remember_read(r, id, m, whole, err);
}

/* The members of shard s's entry under `key`, into m[] (BANDS_KEPT room):
   those whose fingerprint and key read whole. */
static nidx_status_t entry_members(regroup_t *r, unsigned s, const char *key,
                                   member_t *m, size_t *n, nidx_error_t *err)
{
    uint32_t docids[BANDS_KEPT];
    char *entry;
    size_t len, got = 0;
    nidx_status_t st =
        xshim_writer_metadata_bytes(r->db[s], key, &entry, &len, err);
    if (st != NIDX_OK)
        return st;
    size_t k = bands_decode(entry, len, docids, BANDS_KEPT);
    free(entry);
    for (size_t i = 0; i < k && st == NIDX_OK; i++)
        st = member_of(r, s, docids[i], &m[got], &got, err);
    *n = got;
    return st;
}

/* Joins the groups of the near copies that candidate c's shard and the
   earlier shards holding its key have under it. */
static nidx_status_t join_candidate(regroup_t *r, const candidate_t *c,
                                    nidx_error_t *err)
{
    member_t mine[BANDS_KEPT], theirs[BANDS_KEPT];
    size_t nmine = 0, ntheirs;
    bool read = false;
    nidx_status_t st = NIDX_OK;
    for (unsigned t = 0; t < c->shard && st == NIDX_OK; t++) {
        if (!bandsets_may_hold(r->sets, t, c->key))
            continue;
        st = entry_members(r, t, c->key, theirs, &ntheirs, err);
        if (st != NIDX_OK || ntheirs == 0)
            continue;
        if (!read) {
            st = entry_members(r, c->shard, c->key, mine, &nmine, err);
            read = true;
        }
        for (size_t i = 0; i < nmine && st == NIDX_OK; i++)
            for (size_t j = 0; j < ntheirs && st == NIDX_OK; j++)
                if (memcmp(mine[i].key, theirs[j].key, DOCUMENT_COPIES_KEY) &&
                    fingerprint_near(mine[i].fp, theirs[j].fp) &&
                    !join(&r->groups, mine[i].key, theirs[j].key))
                    st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    }
    return st;
}

/* each_value(): gives a document of a joined group its group's key. */
typedef struct rekey {
    regroup_t *r;
    xshim_writer_t *db;
    nidx_status_t st;
} rekey_t;

static int rekey(void *context, uint32_t docid, const char *value, size_t len)
{
    rekey_t *k = context;
    groups_t *g = &k->r->groups;
    if (len != DOCUMENT_COPIES_KEY)
        return 0;
    size_t *slot = find_slot(g, value);
    if (!*slot)
        return 0;
    size_t top = root(g, *slot - 1);
    if (top == *slot - 1)
        return 0;
    k->st = xshim_writer_set_doc_value(k->db, docid, DOCUMENT_SLOT_COPIES,
                                       g->keys[top], DOCUMENT_COPIES_KEY,
                                       k->r->err);
    k->r->joined++;
    return k->st != NIDX_OK;
}

/* Rewrites the keys of shard s's articles of joined groups, a slice of
   the key space (by its leading bytes) at a time, and commits. */
static nidx_status_t rekey_shard(regroup_t *r, unsigned s, nidx_error_t *err)
{
    uint64_t docs = xshim_writer_doc_count(r->db[s]);
    unsigned slices = 1;
    while (slices < 256 && docs / slices > SLICE_DOCUMENTS)
        slices *= 2;
    rekey_t k = {r, r->db[s], NIDX_OK};
    nidx_status_t st = NIDX_OK;
    for (unsigned i = 0; i < slices && st == NIDX_OK; i++) {
        char lo[DOCUMENT_COPIES_KEY], hi[DOCUMENT_COPIES_KEY];
        memset(lo, 0, sizeof lo);
        memset(hi, 0xff, sizeof hi);
        lo[0] = (char)(i * (256 / slices));
        hi[0] = (char)((i + 1) * (256 / slices) - 1);
        st = xshim_writer_each_value(r->db[s], DOCUMENT_SLOT_COPIES, lo,
                                     sizeof lo, hi, sizeof hi, rekey, &k, err);
        if (st == NIDX_OK)
            st = k.st;
    }
    if (st == NIDX_OK)
        st = xshim_writer_commit(r->db[s], err);
    return st;
}

/* Every shard open to write, as listed in its place. */
static nidx_status_t open_all(regroup_t *r, const char *path, nidx_error_t *err)
{
    char cluster[PLACE_CLUSTER_LEN + 1];
    nidx_status_t st = layout_read(path, &r->layout, err);
    unsigned n = r->layout.shards;
    if (st == NIDX_OK && n == 0)
        st = error_set(err, NIDX_ERROR_NO_INDEX, "%s: no index there", path);
    if (st == NIDX_OK)
        st = writer_check_listing(&r->layout, (place_listing_t){0, n, true},
                                  false, cluster, err);
    for (unsigned i = 0; i < n && st == NIDX_OK; i++)
        st = xshim_writer_open(r->layout.paths[i], &r->db[i], err);
    return st;
}

static nidx_status_t find_groups(regroup_t *r, nidx_error_t *err)
{
    nidx_status_t st = NIDX_OK;
    unsigned n = r->layout.shards;
    if (!(r->sets = bandsets_new(n)))
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    st = list_all(r, false, err);
    if (st == NIDX_OK)
        st = list_all(r, true, err);
    for (size_t i = 0; i < r->ncand && st == NIDX_OK; i++)
        st = join_candidate(r, &r->cand[i], err);
    return st;
}

nidx_status_t nidx_index_regroup(const char *path, uint64_t *joined,
                                 nidx_error_t *err)
{
    regroup_t r = {.err = err};
    *joined = 0;
    if (!path || !*path)
        return error_set(err, NIDX_ERROR_ARGUMENT, "no index path given");
    nidx_status_t st = open_all(&r, path, err);
    if (st == NIDX_OK && r.layout.shards > 1)
        st = find_groups(&r, err);
    for (unsigned s = 0; s < r.layout.shards && st == NIDX_OK && r.groups.n;
         s++)
        st = rekey_shard(&r, s, err);
    *joined = r.joined;
    for (unsigned s = 0; s < r.layout.shards; s++)
        if (r.db[s]) {
            nidx_error_t ignored;
            nidx_status_t c =
                xshim_writer_close(r.db[s], st == NIDX_OK ? err : &ignored);
            if (st == NIDX_OK)
                st = c;
        }
    bandsets_free(r.sets);
    free(r.cand);
    free(r.reads);
    groups_free(&r.groups);
    layout_free(&r.layout);
    return st;
}
