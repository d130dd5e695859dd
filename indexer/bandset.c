/*
 * bandset.c — a Bloom filter of band keys a shard, as bandset.h says.
 */
#include "bandset.h"

#include <stdlib.h>
#include <string.h>

#include "document.h"
#include "error.h"
#include "fingerprint.h"
#include "hash.h"

/* Bits a key, and probes a lookup: about 1 % false "maybe". */
#define BITS_PER_KEY 10
#define PROBES 7
/* Keys a set is made for: 8 a document, for 4 times the shard's
   documents when built (a bulk load grows it), at least this many
   documents' worth, at most that many. */
#define MIN_DOCUMENTS 250000u
#define MAX_DOCUMENTS 4000000u

typedef struct bandset {
    unsigned char *bits;
    uint64_t nbits;
    uint64_t capacity; /* keys */
    uint64_t added;    /* keys added; past capacity: always "maybe" */
} bandset_t;

struct bandsets {
    unsigned n;
    bandset_t *set[]; /* NULL until built; read and written atomically */
};

bandsets_t *bandsets_new(unsigned shards)
{
    bandsets_t *s = calloc(1, sizeof *s + shards * sizeof s->set[0]);
    if (s)
        s->n = shards;
    return s;
}

void bandsets_free(bandsets_t *sets)
{
    for (unsigned i = 0; sets && i < sets->n; i++)
        if (sets->set[i]) {
            free(sets->set[i]->bits);
            free(sets->set[i]);
        }
    free(sets);
}

static bandset_t *get(const bandsets_t *sets, unsigned i)
{
    return sets && i < sets->n
               ? __atomic_load_n(&sets->set[i], __ATOMIC_ACQUIRE)
               : NULL;
}

/* The probes of a key: double hashing from one 64-bit hash. */
static void probes(const bandset_t *b, const char *key, uint64_t at[PROBES])
{
    uint64_t h = hash_fnv1a(key, strlen(key), HASH_FNV_SEED);
    uint64_t h2 = hash_mix(h) | 1;
    for (int p = 0; p < PROBES; p++)
        at[p] = (h + (uint64_t)p * h2) % b->nbits;
}

static void set_bits(bandset_t *b, const char *key)
{
    uint64_t at[PROBES];
    probes(b, key, at);
    for (int p = 0; p < PROBES; p++)
        __atomic_fetch_or(&b->bits[at[p] >> 3],
                          (unsigned char)(1u << (at[p] & 7)), __ATOMIC_RELAXED);
    __atomic_fetch_add(&b->added, 1, __ATOMIC_RELAXED);
}

static int list_key(void *context, const char *key)
{
    set_bits(context, key);
    return 0;
}

nidx_status_t bandsets_build(bandsets_t *sets, unsigned i,
                             xshim_writer_t *writer, nidx_error_t *err)
{
    if (!sets || i >= sets->n || get(sets, i))
        return NIDX_OK;
    uint64_t docs = 4 * xshim_writer_doc_count(writer);
    if (docs < MIN_DOCUMENTS)
        docs = MIN_DOCUMENTS;
    if (docs > MAX_DOCUMENTS)
        docs = MAX_DOCUMENTS;
    bandset_t *b = calloc(1, sizeof *b);
    if (b) {
        b->capacity = docs * FINGERPRINT_BANDS;
        b->nbits = b->capacity * BITS_PER_KEY;
        b->bits = calloc((size_t)(b->nbits / 8 + 1), 1);
    }
    if (!b || !b->bits) {
        free(b);
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    }
    nidx_status_t st = xshim_writer_each_metadata(writer, DOCUMENT_DUP_PREFIX,
                                                  list_key, b, err);
    if (st != NIDX_OK) {
        free(b->bits);
        free(b);
        return st;
    }
    __atomic_store_n(&sets->set[i], b, __ATOMIC_RELEASE);
    return NIDX_OK;
}

bool bandsets_built(const bandsets_t *sets, unsigned i)
{
    return get(sets, i) != NULL;
}

void bandsets_add(bandsets_t *sets, unsigned i, const char *key)
{
    bandset_t *b = get(sets, i);
    if (b)
        set_bits(b, key);
}

bool bandsets_may_hold(const bandsets_t *sets, unsigned i, const char *key)
{
    bandset_t *b = get(sets, i);
    if (!b || __atomic_load_n(&b->added, __ATOMIC_RELAXED) > b->capacity)
        return true;
    uint64_t at[PROBES];
    probes(b, key, at);
    for (int p = 0; p < PROBES; p++)
        if (!(__atomic_load_n(&b->bits[at[p] >> 3], __ATOMIC_RELAXED) &
              (1u << (at[p] & 7))))
            return false;
    return true;
}
