/* document.c — stored fields, id terms and dates. */
#include "document.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hash.h"
#include "varint.h"

#define FIELD_COUNT 7

/* The fields in their stored order. */
static void field_slots(nidx_article_t *a, const char **slots[])
{
    slots[0] = &a->id;
    slots[1] = &a->title;
    slots[2] = &a->body;
    slots[3] = &a->date;
    slots[4] = &a->source;
    slots[5] = &a->lang;
    slots[6] = &a->url;
}

/* prefix + key as a term, long keys cut and hashed. */
static size_t key_term(const char *prefix, const char *id, char *out)
{
    size_t n = strlen(id), p = strlen(prefix);
    memcpy(out, prefix, p);
    if (p + n <= DOCUMENT_ID_TERM_MAX) {
        memcpy(out + p, id, n + 1);
        return p + n;
    }
    /* Two independent 64-bit hashes make an accidental clash between two
       long ids (URLs, mostly) practically impossible. */
    size_t keep = DOCUMENT_ID_TERM_MAX - p - 33;
    while (keep > 0 && ((unsigned char)id[keep] & 0xC0) == 0x80)
        keep--; /* don't cut a UTF-8 sequence */
    memcpy(out + p, id, keep);
    snprintf(
        out + p + keep, 34, "#%016llx%016llx",
        (unsigned long long)hash_fnv1a(id, strlen(id), HASH_FNV_SEED),
        (unsigned long long)hash_fnv1a(id, strlen(id), 0x84222325cbf29ce4ULL));
    return strlen(out);
}

size_t document_id_term(const char *id, char *out)
{
    return key_term(DOCUMENT_ID_PREFIX, id, out);
}

size_t document_file_term(const char *path, char *out)
{
    return key_term(DOCUMENT_FILE_PREFIX, path, out);
}

/* Layout: for each field, a varint of (length + 1), 0 for NULL, then the
   bytes. The +1 keeps "" and NULL apart. */
char *document_encode(const nidx_article_t *article, size_t *len)
{
    nidx_article_t a = *article;
    const char **slots[FIELD_COUNT];
    size_t total = 0;
    field_slots(&a, slots);
    for (int i = 0; i < FIELD_COUNT; i++)
        total += 10 + (*slots[i] ? strlen(*slots[i]) : 0);
    unsigned char *buf = malloc(total ? total : 1), *p = buf;
    if (!buf)
        return NULL;
    for (int i = 0; i < FIELD_COUNT; i++) {
        const char *s = *slots[i];
        size_t n = s ? strlen(s) : 0;
        p += varint_put(p, s ? n + 1 : 0);
        memcpy(p, s ? s : "", n);
        p += n;
    }
    *len = (size_t)(p - buf);
    return (char *)buf;
}

bool document_decode(const char *data, size_t len, document_t *out)
{
    const unsigned char *p = (const unsigned char *)data, *end = p + len;
    const char **slots[FIELD_COUNT];
    char *q;
    memset(out, 0, sizeof *out);
    field_slots(&out->article, slots);
    out->block = q = malloc(len + FIELD_COUNT);
    if (!q)
        return false;
    for (int i = 0; i < FIELD_COUNT; i++) {
        uint64_t n;
        if (!varint_get(&p, end, &n) || (n && n - 1 > (uint64_t)(end - p)))
            goto bad;
        if (n == 0)
            continue;
        memcpy(q, p, n - 1);
        q[n - 1] = '\0';
        *slots[i] = q;
        q += n;
        p += n - 1;
    }
    return true;
bad:
    document_free(out);
    return false;
}

void document_free(document_t *doc)
{
    free(doc->block);
    memset(doc, 0, sizeof *doc);
}

static bool digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* The number written in s[0..n), all digits. */
static int number(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static bool valid_day(int y, int m, int d)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

/* After the date: nothing, or 'T'/' ' and a time of digits : . , Z + -. */
static bool valid_time_tail(const char *s)
{
    if (*s == '\0')
        return true;
    if (*s != 'T' && *s != ' ' && *s != 't')
        return false;
    if (!isdigit((unsigned char)s[1]))
        return false;
    for (s++; *s; s++)
        if (!isdigit((unsigned char)*s) && !strchr(":.,Z+-z", *s))
            return false;
    return true;
}

bool document_normalize_date(const char *date, char out[11])
{
    while (isspace((unsigned char)*date))
        date++;
    size_t n = strlen(date);
    while (n > 0 && isspace((unsigned char)date[n - 1]))
        n--;
    char s[64];
    if (n < 4 || n >= sizeof s || !digits(date, 4))
        return false;
    memcpy(s, date, n);
    s[n] = '\0';

    int y = number(s, 4), m = 0, d = 0;
    const char *tail;
    if (n == 4) {
        tail = s + 4;
    } else if (n >= 8 && digits(s, 8)) { /* YYYYMMDD[...] */
        m = number(s + 4, 2);
        d = number(s + 6, 2);
        tail = s + 8;
    } else if (s[4] == '-' && n >= 7 && digits(s + 5, 2)) {
        m = number(s + 5, 2);
        tail = s + 7;
        if (*tail == '-') {
            if (!digits(tail + 1, 2))
                return false;
            d = number(tail + 1, 2);
            tail += 3;
        }
    } else {
        return false;
    }
    if (y < 1 || (m && (m > 12)) || (d && !valid_day(y, m, d)) ||
        (m == 0 && n > 4))
        return false;
    if (!valid_time_tail(tail) || (*tail && !d))
        return false;
    char full[32];
    snprintf(full, sizeof full, "%04d-%02d-%02d", y, m, d);
    full[d ? 10 : m ? 7 : 4] = '\0';
    memcpy(out, full, 11);
    return true;
}

size_t document_prefixed_term(char *out, size_t cap, const char *prefix,
                              const char *a, size_t a_len, const char *b,
                              size_t b_len)
{
    size_t p = strlen(prefix), n = p + a_len + (b ? 1 + b_len : 0);
    if (n + 1 > cap)
        return 0;
    memcpy(out, prefix, p);
    memcpy(out + p, a, a_len);
    if (b) {
        out[p + a_len] = ':';
        memcpy(out + p + a_len + 1, b, b_len);
    }
    out[n] = '\0';
    return n;
}

size_t document_name_term(char *out, size_t cap, const char *key, size_t n,
                          const namekey_shape_t *shape, const char *spelling,
                          size_t spelling_len)
{
    static const char families[] = {[NAMEKEY_ALPHABET] = 'a',
                                    [NAMEKEY_ABJAD] = 'b',
                                    [NAMEKEY_SYLLABARY] = 's'};
    char shape_text[24];
    int v =
        snprintf(shape_text, sizeof shape_text, "%c%llx",
                 families[shape->family], (unsigned long long)shape->vowels);
    size_t len = document_prefixed_term(out, cap, DOCUMENT_NAME_PREFIX, key, n,
                                        shape_text, (size_t)v);
    if (!len || !spelling)
        return len;
    if (len + 1 + spelling_len + 1 > cap)
        return 0;
    out[len] = ':';
    memcpy(out + len + 1, spelling, spelling_len);
    out[len + 1 + spelling_len] = '\0';
    return len + 1 + spelling_len;
}

bool document_name_shape(const char *text, size_t len, const char *key,
                         namekey_shape_t *shape, const char **spelling)
{
    char hex[20];
    const char *colon = memchr(text, ':', len);
    *spelling = colon ? colon + 1 : NULL;
    if (colon)
        len = (size_t)(colon - text);
    if (len < 2 || len - 1 >= sizeof hex)
        return false;
    shape->family = text[0] == 'a'   ? NAMEKEY_ALPHABET
                    : text[0] == 'b' ? NAMEKEY_ABJAD
                                     : NAMEKEY_SYLLABARY;
    if (text[0] != 'a' && text[0] != 'b' && text[0] != 's')
        return false;
    memcpy(hex, text + 1, len - 1);
    hex[len - 1] = '\0';
    char *end;
    shape->vowels = strtoull(hex, &end, 16);
    shape->len = strlen(key);
    shape->classes = namekey_classes(key);
    return *end == '\0';
}

bool document_spaceless(const char *term)
{
    const unsigned char *t = (const unsigned char *)term;
    if (t[0] == 0xE0) /* U+0E00..U+0EFF: Thai, Lao */
        return t[1] >= 0xB8 && t[1] <= 0xBB;
    if (t[0] == 0xE1) /* U+1000..U+109F Myanmar, U+1780..U+17FF Khmer */
        return (t[1] >= 0x80 && t[1] <= 0x82) || t[1] == 0x9E || t[1] == 0x9F;
    return false;
}

static size_t char_length(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

void document_bigrams(const char *text, size_t n, bigram_fn fn, void *context)
{
    char term[16];
    size_t p = strlen(DOCUMENT_BIGRAM_PREFIX);
    memcpy(term, DOCUMENT_BIGRAM_PREFIX, p);
    size_t i = 0, index = 0;
    while (i < n) {
        size_t a = char_length((unsigned char)text[i]);
        if (i + a >= n)
            break;
        size_t b = char_length((unsigned char)text[i + a]);
        if (i + a + b > n)
            break;
        memcpy(term + p, text + i, a + b);
        fn(context, term, p + a + b, index++);
        i += a;
    }
}

bool document_url_host(const char *url, size_t n,
                       char out[DOCUMENT_HOST_MAX + 1])
{
    const char *end = url + n, *s = url, *e;
    for (const char *c = url; c + 2 < end; c++) /* scheme:// */
        if (c[0] == ':' && c[1] == '/' && c[2] == '/') {
            s = c + 3;
            break;
        } else if (c[0] == '/' || c[0] == '.') {
            break;
        }
    for (e = s; e < end && *e != '/' && *e != '?' && *e != '#'; e++)
        if (*e == '@') /* user@host */
            s = e + 1;
    for (const char *c = s; c < e; c++)
        if (*c == ':') /* port */
            e = c;
    while (e > s && e[-1] == '.')
        e--;
    if (e - s > 4 && strncasecmp(s, "www.", 4) == 0)
        s += 4;
    if (e == s || e - s > DOCUMENT_HOST_MAX)
        return false;
    size_t k = 0;
    for (; s < e; s++) {
        unsigned char c = (unsigned char)*s;
        if (!(c >= 0x80 || isalnum(c) || c == '-' || c == '.' || c == '_'))
            return false;
        out[k++] = (char)tolower(c);
    }
    out[k] = '\0';
    return true;
}

void document_host_domains(const char *host,
                           void (*fn)(void *context, const char *domain,
                                      size_t len),
                           void *context)
{
    size_t n = strlen(host);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || host[i - 1] == '.')
            fn(context, host + i, n - i);
}
