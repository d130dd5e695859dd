/*
 * fingerprint.h — MinHash fingerprints of article text, for finding
 * near-duplicates (wire stories republished with small edits).
 *
 * Each run of three consecutive words (a shingle) is hashed; the
 * fingerprint keeps, for each of FINGERPRINT_HASHES hash functions, the
 * smallest value over the text's shingles. The share of equal positions
 * in two fingerprints estimates the Jaccard similarity of their shingle
 * sets (Broder 1997). SimHash, tried first, was too coarse for articles
 * of a few hundred words: two copies differing in two sentences came out
 * 4 to 7 bits of 64 apart, as far as unrelated articles on one topic.
 *
 * Candidates are found by bands (locality-sensitive hashing): the hashes
 * are cut into FINGERPRINT_BANDS groups, and articles sharing a whole
 * group are compared. With 8 bands of 4, a pair with similarity 0.8 is a
 * candidate 98.5 % of the time, one of 0.7 89 %, one of 0.3 6 %.
 */
#ifndef NIDX_INDEXER_FINGERPRINT_H
#define NIDX_INDEXER_FINGERPRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FINGERPRINT_HASHES 32
#define FINGERPRINT_BANDS 8
/* Bytes of a stored fingerprint: 16 bits a hash (a chance collision of
   1 in 65,536 per position barely moves the estimate). */
#define FINGERPRINT_BYTES (2 * FINGERPRINT_HASHES)
/* At least this many equal positions of FINGERPRINT_HASHES make two
   articles near-duplicates: an estimated similarity of 0.75. */
#define FINGERPRINT_NEAR 24
/* Texts with fewer shingles than this get no fingerprint: a headline or
   a sentence is too short to call a copy. */
#define FINGERPRINT_MIN_SHINGLES 12

typedef struct fingerprint {
    uint64_t min[FINGERPRINT_HASHES]; /* smallest value of each function */
    uint64_t arg[FINGERPRINT_HASHES]; /* the shingle that gave it */
    uint64_t last[2];                 /* hashes of the two words before */
    unsigned words, shingles;
} fingerprint_t;

void fingerprint_reset(fingerprint_t *f);

/* Adds the next word (a matching form) of the text. */
void fingerprint_add(fingerprint_t *f, const char *word, size_t len);

/* The fingerprint, stored form, in out; false when the text was too
   short. */
bool fingerprint_get(const fingerprint_t *f,
                     unsigned char out[FINGERPRINT_BYTES]);

/* The hash of band `band` of a stored fingerprint. */
uint64_t fingerprint_band(const unsigned char fp[FINGERPRINT_BYTES], int band);

/* Whether two stored fingerprints are of near-duplicates. */
bool fingerprint_near(const unsigned char a[FINGERPRINT_BYTES],
                      const unsigned char b[FINGERPRINT_BYTES]);

#endif
