/*
 * copies.h — the fingerprints of the articles added lately, shared by
 * the shards' threads. A shard finds near copies in its own database
 * (committed or not) and in the other shards as last committed; a copy
 * that another shard holds but has not committed yet is found here.
 * Bounded: the oldest fingerprints make room for new ones.
 */
#ifndef NIDX_INDEXER_COPIES_H
#define NIDX_INDEXER_COPIES_H

#include <stdbool.h>
#include <stddef.h>

#include "document.h"
#include "fingerprint.h"

typedef struct copies copies_t;

/* Room for the last `capacity` articles; NULL when out of memory. */
copies_t *copies_new(size_t capacity);
void copies_free(copies_t *copies);

/*
 * Settles the collapse key of an article with fingerprint `fp`: unless
 * `found` (key[] already that of a copy found elsewhere), a recent near
 * copy's key replaces key[] when there is one. The article is then
 * remembered with its key. Thread-safe; atomic, so that two copies added
 * at once by two shards still join one group.
 */
void copies_settle(copies_t *copies, const unsigned char fp[FINGERPRINT_BYTES],
                   char key[DOCUMENT_COPIES_KEY], bool found);

#endif
