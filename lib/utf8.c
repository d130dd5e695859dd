/* utf8.c — UTF-8 validation and repair. */
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid sequence starting at s (at most n bytes), 0 if none. */
static size_t sequence_length(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return (n >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && s[1] < 0xA0) /* overlong */
            return 0;
        if (c == 0xED && s[1] > 0x9F) /* surrogate */
            return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
            (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90) /* overlong */
            return 0;
        if (c == 0xF4 && s[1] > 0x8F) /* above U+10FFFF */
            return 0;
        return 4;
    }
    return 0;
}

size_t utf8_find_non_ascii(const char *s, size_t from, size_t to)
{
    size_t i = from;
    /* Eight bytes at a time: most text is mostly ASCII. */
    while (i + 8 <= to) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ULL)
            break;
        i += 8;
    }
    while (i < to && (unsigned char)s[i] < 0x80)
        i++;
    return i;
}

size_t utf8_valid_prefix(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        i = utf8_find_non_ascii(s, i, len);
        if (i >= len)
            break;
        size_t n = sequence_length(p + i, len - i);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

char *utf8_repair(const char *s, size_t len, size_t *invalid)
{
    /* Each bad byte becomes 3 bytes of U+FFFD at worst. */
    char *out = malloc(len * 3 + 1);
    size_t o = 0, bad = 0, i = 0;
    if (!out)
        return NULL;
    while (i < len) {
        size_t good = utf8_valid_prefix(s + i, len - i);
        memcpy(out + o, s + i, good);
        o += good;
        i += good;
        if (i < len) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            bad++;
            i++;
        }
    }
    out[o] = '\0';
    if (invalid)
        *invalid = bad;
    return out;
}

size_t utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}
