/*
 * bands.h — where a shard keeps the bands of its articles' fingerprints
 * (fingerprint.h), which only the writer looks up: in the shard's
 * metadata, one entry a band value, not as terms of the searchable index
 * (format 3; formats 1 and 2 held them as DOCUMENT_DUP_PREFIX terms).
 * Terms cost each article eight posting lists of one and eight termlist
 * entries (7 % of an index of news); an entry costs one small item.
 *
 * An entry lists the documents that had the band when they were added,
 * the latest BANDS_KEPT of them, as varints in the order added. It is
 * only a list of candidates: the writer compares each one's stored
 * fingerprint before calling it a copy, so an entry left naming a
 * document since removed or replaced misleads nothing; the latest
 * BANDS_KEPT push such names out.
 */
#ifndef NIDX_INDEXER_BANDS_H
#define NIDX_INDEXER_BANDS_H

#include <stddef.h>
#include <stdint.h>

/* The index format (stored.h) from which bands are entries, not terms. */
#define BANDS_FORMAT 3

/* Documents an entry names at most: a band shared by more says little. */
#define BANDS_KEPT 32
/* Longest key, with its NUL. */
#define BANDS_KEY_MAX 16
/* Longest entry. */
#define BANDS_ENTRY_MAX (BANDS_KEPT * 5)

/* The metadata key of band `band` (0..FINGERPRINT_BANDS-1) of value
   `hash`: DOCUMENT_DUP_PREFIX, the band's digit and 48 bits of the hash
   in hex (a chance clash only adds a candidate). Returns its length. */
size_t bands_key(int band, uint64_t hash, char out[BANDS_KEY_MAX]);

/* The documents an entry names, latest first, into docids[] (cap);
   returns how many. What does not decode is ignored. */
size_t bands_decode(const char *entry, size_t len, uint32_t *docids,
                    size_t cap);

/* The entry with `docid` added as the latest (and not named twice), the
   oldest dropped past BANDS_KEPT, into out; returns its length. */
size_t bands_add(const char *entry, size_t len, uint32_t docid,
                 char out[BANDS_ENTRY_MAX]);

#endif
