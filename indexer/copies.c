/*
 * copies.c — recent fingerprints: a ring of the last articles, found by
 * their bands through a direct-mapped table (a slot taken by a newer
 * band simply forgets the older one: a lost candidate, never a wrong
 * match, since every candidate's fingerprint is compared).
 */
#include "copies.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct recent {
    unsigned char fp[FINGERPRINT_BYTES];
    char key[DOCUMENT_COPIES_KEY];
} recent_t;

struct copies {
    pthread_mutex_t lock;
    recent_t *ring;
    size_t capacity;
    uint64_t added;  /* articles remembered so far; the next one's number */
    uint64_t *slots; /* band slot -> article number + 1 (0: empty) */
    size_t mask;
};

copies_t *copies_new(size_t capacity)
{
    copies_t *c = calloc(1, sizeof *c);
    size_t slots = 1;
    /* Four slots a band of each article keeps collisions rare. */
    while (slots < capacity * FINGERPRINT_BANDS * 4)
        slots <<= 1;
    if (c) {
        c->capacity = capacity ? capacity : 1;
        c->ring = calloc(c->capacity, sizeof *c->ring);
        c->slots = calloc(slots, sizeof *c->slots);
        c->mask = slots - 1;
    }
    if (!c || !c->ring || !c->slots) {
        copies_free(c);
        return NULL;
    }
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

void copies_free(copies_t *c)
{
    if (!c)
        return;
    if (c->ring && c->slots)
        pthread_mutex_destroy(&c->lock);
    free(c->ring);
    free(c->slots);
    free(c);
}

static size_t slot_of(const copies_t *c, int band, uint64_t hash)
{
    uint64_t h =
        (hash ^ (uint64_t)band * 0x9E3779B97F4A7C15ull) * 0xBF58476D1CE4E5B9ull;
    return (size_t)(h >> 17) & c->mask;
}

/* The recent article in `slot`, if it is still in the ring. Lock held. */
static const recent_t *recent_in(const copies_t *c, size_t slot)
{
    uint64_t n = c->slots[slot];
    if (n == 0 || c->added - (n - 1) > c->capacity)
        return NULL;
    return &c->ring[(n - 1) % c->capacity];
}

void copies_settle(copies_t *c, const unsigned char fp[FINGERPRINT_BYTES],
                   char key[DOCUMENT_COPIES_KEY], bool found)
{
    uint64_t bands[FINGERPRINT_BANDS];
    for (int b = 0; b < FINGERPRINT_BANDS; b++)
        bands[b] = fingerprint_band(fp, b);
    pthread_mutex_lock(&c->lock);
    for (int b = 0; b < FINGERPRINT_BANDS && !found; b++) {
        const recent_t *r = recent_in(c, slot_of(c, b, bands[b]));
        if (r && fingerprint_near(fp, r->fp)) {
            memcpy(key, r->key, DOCUMENT_COPIES_KEY);
            found = true;
        }
    }
    recent_t *mine = &c->ring[c->added % c->capacity];
    memcpy(mine->fp, fp, FINGERPRINT_BYTES);
    memcpy(mine->key, key, DOCUMENT_COPIES_KEY);
    c->added++;
    for (int b = 0; b < FINGERPRINT_BANDS; b++)
        c->slots[slot_of(c, b, bands[b])] = c->added;
    pthread_mutex_unlock(&c->lock);
}
