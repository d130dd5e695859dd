/*
 * bandset.h — which band entries (bands.h) each shard may hold, for a
 * writer of shards on other machines. Looking for an article's near
 * copies reads its 8 band entries in every shard: over the remote backend
 * a round trip each, most of them for entries no shard holds (a new
 * article's bands are mostly new). A Bloom filter of a shard's band keys
 * answers "certainly not there" without one.
 *
 * Each shard's thread builds its own set, once it has added
 * BANDSET_AFTER articles in the session (so that a small add never pays
 * for listing the keys), from the keys its writer sees (its own
 * uncommitted ones included), and adds every key it writes after; the
 * other shards' threads only ask. One writer at a time holds every shard,
 * so a set holds every key its shard holds, committed or not: "not there"
 * is always true, "maybe" costs the round trip it cost before. A set that
 * fills past its capacity answers "maybe" from then on.
 */
#ifndef NIDX_INDEXER_BANDSET_H
#define NIDX_INDEXER_BANDSET_H

#include <stdbool.h>
#include <stdint.h>

#include "nidx.h"
#include "xapian_shim.h"

/* Articles a shard adds in a session before its set is built. */
#define BANDSET_AFTER 256

typedef struct bandsets bandsets_t;

/* Room for the sets of `shards` shards, none built; NULL when out of
   memory. Free with bandsets_free() once no thread uses them. */
bandsets_t *bandsets_new(unsigned shards);
void bandsets_free(bandsets_t *sets);

/* Builds shard i's set from the band keys `writer` (shard i's) sees, then
   makes it visible to the other threads. Shard i's thread only. */
nidx_status_t bandsets_build(bandsets_t *sets, unsigned i,
                             xshim_writer_t *writer, nidx_error_t *err);

/* Whether shard i's set is built. */
bool bandsets_built(const bandsets_t *sets, unsigned i);

/* Notes that shard i now holds `key` (once built; before, the build
   lists it). Shard i's thread only. */
void bandsets_add(bandsets_t *sets, unsigned i, const char *key);

/* False only when shard i certainly holds no entry under `key`. */
bool bandsets_may_hold(const bandsets_t *sets, unsigned i, const char *key);

#endif
