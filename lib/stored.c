/* stored.c — an article's body, compressed apart from its other fields. */
#include "stored.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Bodies shorter than this gain nothing from deflate's headers. */
#define RAW_BELOW 96

/* The first byte says how the rest is kept. */
#define KEPT_RAW 'r'
#define KEPT_DEFLATED 'z' /* then the length as a varint, then zlib data */

char *stored_body_encode(const char *body, size_t n, size_t *len)
{
    if (n < RAW_BELOW) {
        char *out = malloc(n + 1);
        if (!out)
            return NULL;
        out[0] = KEPT_RAW;
        memcpy(out + 1, body, n);
        *len = n + 1;
        return out;
    }
    uLongf room = compressBound((uLong)n);
    unsigned char *out = malloc(1 + 10 + room), *p = out + 1;
    if (!out)
        return NULL;
    out[0] = KEPT_DEFLATED;
    for (uint64_t v = n;; v >>= 7) {
        *p++ = (unsigned char)(v >= 0x80 ? (v & 0x7F) | 0x80 : v);
        if (v < 0x80)
            break;
    }
    if (compress2(p, &room, (const Bytef *)body, (uLong)n, 6) != Z_OK) {
        free(out);
        return NULL;
    }
    *len = (size_t)(p - out) + room;
    return (char *)out;
}

bool stored_body_decode(const char *data, size_t len, char **body, size_t *n)
{
    const unsigned char *p = (const unsigned char *)data, *end = p + len;
    *body = NULL;
    if (len == 0)
        return false;
    if (p[0] == KEPT_RAW) {
        if (!(*body = malloc(len)))
            return false;
        memcpy(*body, p + 1, len - 1);
        (*body)[len - 1] = '\0';
        *n = len - 1;
        return true;
    }
    if (p[0] != KEPT_DEFLATED)
        return false;
    uint64_t size = 0;
    int shift = 0;
    for (p++;; p++, shift += 7) {
        if (p == end || shift > 56)
            return false;
        size |= (uint64_t)(*p & 0x7F) << shift;
        if (!(*p & 0x80))
            break;
    }
    p++;
    /* A length beyond what deflate can reach from this input is damage,
       not a reason to allocate. */
    if (size > (uint64_t)(end - p) * 1032 + 64 || size > SIZE_MAX - 1)
        return false;
    uLongf got = (uLongf)size;
    if (!(*body = malloc((size_t)size + 1)))
        return false;
    if (uncompress((Bytef *)*body, &got, p, (uLong)(end - p)) != Z_OK ||
        got != size) {
        free(*body);
        *body = NULL;
        return false;
    }
    (*body)[size] = '\0';
    *n = (size_t)size;
    return true;
}
