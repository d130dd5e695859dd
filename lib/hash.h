/*
 * hash.h — the one non-cryptographic hash nidx uses: FNV-1a over bytes,
 * and murmur3's finalizer where every output bit must depend on every
 * input bit. Shard routing and id terms are part of the index format:
 * what these compute must never change.
 */
#ifndef NIDX_LIB_HASH_H
#define NIDX_LIB_HASH_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a's standard offset basis: the seed unless another is chosen. */
#define HASH_FNV_SEED 0xcbf29ce484222325ULL

/* FNV-1a, 64 bits, of s[0..n) from `seed`. */
static inline uint64_t hash_fnv1a(const char *s, size_t n, uint64_t seed)
{
    uint64_t h = seed;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* murmur3's 64-bit finalizer. */
static inline uint64_t hash_mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

#endif
