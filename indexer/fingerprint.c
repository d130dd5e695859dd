/* fingerprint.c — MinHash over word shingles. */
#include "fingerprint.h"

#include <string.h>

#include "hash.h"

void fingerprint_reset(fingerprint_t *f)
{
    memset(f, 0, sizeof *f);
    for (int i = 0; i < FINGERPRINT_HASHES; i++)
        f->min[i] = UINT64_MAX;
}

void fingerprint_add(fingerprint_t *f, const char *word, size_t len)
{
    uint64_t h = hash_fnv1a(word, len, HASH_FNV_SEED);
    if (f->words++ >= 2) {
        uint64_t shingle = hash_mix(f->last[0] * 961 + f->last[1] * 31 + h);
        /* The i-th hash function: a multiply of the (well mixed) shingle
           hash xored with seed i; the shingle that gives the minimum is
           what the fingerprint keeps. */
        for (uint64_t i = 0; i < FINGERPRINT_HASHES; i++) {
            uint64_t v =
                (shingle ^ (i * 0x9e3779b97f4a7c15ULL)) * 0xd6e8feb86659fd93ULL;
            if (v < f->min[i]) {
                f->min[i] = v;
                f->arg[i] = shingle;
            }
        }
        f->shingles++;
    }
    f->last[0] = f->last[1];
    f->last[1] = h;
}

bool fingerprint_get(const fingerprint_t *f,
                     unsigned char out[FINGERPRINT_BYTES])
{
    if (f->shingles < FINGERPRINT_MIN_SHINGLES)
        return false;
    /* 16 bits of each minimum's shingle (the high bits of a minimum
       itself are mostly zeros). */
    for (int i = 0; i < FINGERPRINT_HASHES; i++) {
        out[2 * i] = (unsigned char)(f->arg[i] >> 8);
        out[2 * i + 1] = (unsigned char)f->arg[i];
    }
    return true;
}

uint64_t fingerprint_band(const unsigned char fp[FINGERPRINT_BYTES], int band)
{
    enum { PER_BAND = FINGERPRINT_BYTES / FINGERPRINT_BANDS };
    uint64_t v = 0;
    for (int i = 0; i < PER_BAND; i++)
        v = v << 8 | fp[band * PER_BAND + i];
    return v;
}

bool fingerprint_near(const unsigned char a[FINGERPRINT_BYTES],
                      const unsigned char b[FINGERPRINT_BYTES])
{
    int equal = 0;
    for (int i = 0; i < FINGERPRINT_HASHES; i++)
        equal += a[2 * i] == b[2 * i] && a[2 * i + 1] == b[2 * i + 1];
    return equal >= FINGERPRINT_NEAR;
}
