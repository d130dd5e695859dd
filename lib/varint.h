/*
 * varint.h — unsigned integers in 7-bit groups, low first, the high bit
 * saying another group follows: the stored fields (document.c), the
 * stored bodies (stored.c) and the band entries (indexer/bands.c) write
 * their lengths and numbers so.
 */
#ifndef NIDX_LIB_VARINT_H
#define NIDX_LIB_VARINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Writes v at p (room for 10 bytes); returns the bytes written. */
static inline size_t varint_put(unsigned char *p, uint64_t v)
{
    size_t n = 0;
    for (; v >= 0x80; v >>= 7)
        p[n++] = (unsigned char)((v & 0x7F) | 0x80);
    p[n++] = (unsigned char)v;
    return n;
}

/* Reads one from *p (advanced past it), not past end; false when the
   bytes end first or it does not fit 64 bits. */
static inline bool varint_get(const unsigned char **p, const unsigned char *end,
                              uint64_t *v)
{
    uint64_t r = 0;
    for (int shift = 0; shift < 64 && *p < end; shift += 7) {
        unsigned char b = *(*p)++;
        r |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80)) {
            *v = r;
            return true;
        }
    }
    return false;
}

#endif
