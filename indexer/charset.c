/* charset.c — legacy encodings to UTF-8 with ICU. */
#include "charset.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include "utf8.h"

struct charset {
    UConverter *from, *utf8;
    char name[64];
    int confidence;
    char *buf;
    size_t cap;
};

/* UTF-8, allowing the sample's end to cut the last sequence. */
static bool looks_utf8(const char *s, size_t n)
{
    size_t valid = utf8_valid_prefix(s, n);
    return valid == n ||
           (n - valid < 4 && n - valid > 0 && (unsigned char)s[valid] >= 0xC2);
}

/* Among ICU's guesses, the one to trust: its best, unless a Western
   encoding (by far the most common legacy one) comes within 15 points,
   which on short samples is the likelier truth ("Café crème" is not
   ISO-8859-2's "Café črme"). UTF-8 first means UTF-8 with a stray byte. */
static const UCharsetMatch *choose(const UCharsetMatch **all, int32_t n)
{
    UErrorCode st = U_ZERO_ERROR;
    int best = ucsdet_getConfidence(all[0], &st);
    if (strcmp(ucsdet_getName(all[0], &st), "UTF-8") == 0)
        return all[0];
    for (int32_t i = 0; i < n; i++) {
        const char *name = ucsdet_getName(all[i], &st);
        int confidence = ucsdet_getConfidence(all[i], &st);
        if (U_FAILURE(st) || confidence + 15 < best)
            break;
        if (strcmp(name, "ISO-8859-1") == 0 ||
            strcmp(name, "windows-1252") == 0)
            return all[i];
    }
    return all[0];
}

/* A converter from `name` to UTF-8, with its name; NULL when ICU lacks
   the encoding or out of memory. */
static charset_t *charset_open(const char *name, int confidence)
{
    UErrorCode st = U_ZERO_ERROR;
    charset_t *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    snprintf(c->name, sizeof c->name, "%s", name);
    c->confidence = confidence;
    c->from = ucnv_open(name, &st);
    c->utf8 = ucnv_open("UTF-8", &st);
    if (U_FAILURE(st)) {
        charset_free(c);
        return NULL;
    }
    return c;
}

charset_t *charset_detect(const char *sample, size_t n)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t found = 0;
    if (looks_utf8(sample, n))
        return NULL;
    UCharsetDetector *d = ucsdet_open(&st);
    ucsdet_setText(d, sample, (int32_t)(n > INT32_MAX ? INT32_MAX : n), &st);
    const UCharsetMatch **all = ucsdet_detectAll(d, &found, &st);
    const UCharsetMatch *m =
        U_SUCCESS(st) && found > 0 ? choose(all, found) : NULL;
    const char *name = m ? ucsdet_getName(m, &st) : NULL;
    int confidence = m ? ucsdet_getConfidence(m, &st) : 0;
    charset_t *c = NULL;
    /* Text the detector calls UTF-8 has a few bad bytes: repair them. */
    if (U_SUCCESS(st) && name && strcmp(name, "UTF-8") != 0)
        c = charset_open(name, confidence);
    ucsdet_close(d);
    return c;
}

charset_t *charset_named(const char *label)
{
    static const struct {
        const char *label, *encoding;
    } supersets[] = {
        {"gb2312", "GBK"},
        {"gb_2312-80", "GBK"},
        {"x-gbk", "GBK"},
        {"iso-8859-1", "windows-1252"},
        {"latin1", "windows-1252"},
        {"iso8859-1", "windows-1252"},
        {"us-ascii", "windows-1252"},
        {"ascii", "windows-1252"},
        {"euc-kr", "windows-949"},
        {"ks_c_5601-1987", "windows-949"},
        {"tis-620", "windows-874"},
        {"iso-8859-11", "windows-874"},
        {"iso-8859-9", "windows-1254"},
    };
    const char *name = label;
    for (size_t i = 0; i < sizeof supersets / sizeof supersets[0]; i++)
        if (strcasecmp(label, supersets[i].label) == 0)
            name = supersets[i].encoding;
    if (strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0)
        return NULL;
    return charset_open(name, 100);
}

const char *charset_name(const charset_t *c)
{
    return c->name;
}

int charset_confidence(const charset_t *c)
{
    return c->confidence;
}

bool charset_to_utf8(charset_t *c, const char *in, size_t n, char **out,
                     size_t *out_n)
{
    /* A byte of a legacy encoding becomes at most 3 bytes of UTF-8 (CJK
       double-byte codes: 2 bytes to 3), plus the NUL. */
    size_t need = n * 3 + 1;
    if (need > c->cap) {
        char *p = realloc(c->buf, need);
        if (!p)
            return false;
        c->buf = p;
        c->cap = need;
    }
    UErrorCode st = U_ZERO_ERROR;
    char *target = c->buf;
    const char *source = in;
    ucnv_convertEx(c->utf8, c->from, &target, c->buf + c->cap - 1, &source,
                   in + n, NULL, NULL, NULL, NULL, true, true, &st);
    if (U_FAILURE(st))
        return false;
    *target = '\0';
    *out = c->buf;
    *out_n = (size_t)(target - c->buf);
    return true;
}

void charset_free(charset_t *c)
{
    if (!c)
        return;
    if (c->from)
        ucnv_close(c->from);
    if (c->utf8)
        ucnv_close(c->utf8);
    free(c->buf);
    free(c);
}
