/* bands.c — fingerprint bands kept in a shard's metadata. */
#include "bands.h"

#include <stdio.h>

#include "document.h"
#include "varint.h"

size_t bands_key(int band, uint64_t hash, char out[BANDS_KEY_MAX])
{
    return (size_t)snprintf(out, BANDS_KEY_MAX, "%s%d%012llx",
                            DOCUMENT_DUP_PREFIX, band,
                            (unsigned long long)(hash >> 16));
}

/* The entry's documents in the order added, into all[] (BANDS_KEPT). */
static size_t decode_in_order(const char *entry, size_t len, uint32_t *all)
{
    const unsigned char *p = (const unsigned char *)entry, *end = p + len;
    size_t n = 0;
    uint64_t v;
    while (n < BANDS_KEPT && varint_get(&p, end, &v))
        if (v > 0 && v <= UINT32_MAX)
            all[n++] = (uint32_t)v;
    return n;
}

size_t bands_decode(const char *entry, size_t len, uint32_t *docids, size_t cap)
{
    uint32_t all[BANDS_KEPT];
    size_t n = decode_in_order(entry, len, all), k = 0;
    while (n > 0 && k < cap)
        docids[k++] = all[--n];
    return k;
}

size_t bands_add(const char *entry, size_t len, uint32_t docid,
                 char out[BANDS_ENTRY_MAX])
{
    uint32_t all[BANDS_KEPT];
    size_t n = decode_in_order(entry, len, all), kept = 0;
    for (size_t i = 0; i < n; i++)
        if (all[i] != docid)
            all[kept++] = all[i];
    size_t from = kept == BANDS_KEPT ? 1 : 0;
    unsigned char *p = (unsigned char *)out;
    for (size_t i = from; i < kept; i++)
        p += varint_put(p, all[i]);
    p += varint_put(p, docid);
    return (size_t)(p - (unsigned char *)out);
}
