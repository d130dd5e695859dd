/*
 * place.h — each shard knows its place in its index: its number and the
 * number of shards ("2/4", metadata PLACE_KEY) and the index's identity
 * (PLACE_CLUSTER_KEY, the same in every shard of one index). Articles go
 * to a shard by a hash of their id over the number of shards, so a stub
 * that lists the shards in another order, or one shard twice (nidx
 * --force cluster with the lines mixed up), would send every article to
 * another shard than the one holding it: copies, and a count that lies.
 * A listing is checked against the places before anything is written or
 * searched; shards of an index made before places get theirs, in the
 * order listed, at their next write.
 */
#ifndef NIDX_LIB_PLACE_H
#define NIDX_LIB_PLACE_H

#include <stdbool.h>
#include <stddef.h>

#include "nidx.h"

#define PLACE_KEY "nidx-shard"
#define PLACE_CLUSTER_KEY "nidx-cluster"
/* An index's identity: 32 hex digits. */
#define PLACE_CLUSTER_LEN 32

/* Reads metadata `key` of shard k into out[0..cap) ("" when none). */
typedef nidx_status_t (*place_get_fn)(void *context, unsigned k,
                                      const char *key, char *out, size_t cap,
                                      nidx_error_t *err);

/* What a listing of shards is to be: shards first .. first+n-1 of an
   index of `of` (all of them: 0 and n), to write; or any of its shards,
   to search. */
typedef struct place_listing {
    unsigned first, of;
    bool to_write;
} place_listing_t;

/*
 * Checks a listing of n shards (named names[k] in messages) against their
 * places: all of one index, none twice, and, to write, shard k of the n
 * listed saying it is shard listing.first + k of listing.of (searching may
 * read some of an index's shards, in any order). Shards without a place
 * pass. cluster (PLACE_CLUSTER_LEN + 1 bytes) gets the index's identity,
 * "" when no shard has one yet. NIDX_ERROR_CORRUPT saying what is wrong
 * and what to do when the listing disagrees.
 */
nidx_status_t place_check(place_get_fn get, void *context,
                          const char *const *names, unsigned n,
                          place_listing_t listing, char *cluster,
                          nidx_error_t *err);

/* A new identity for an index (random, from /dev/urandom). */
void place_new_cluster(char cluster[PLACE_CLUSTER_LEN + 1]);

#endif
