/*
 * fold.c — matching forms: diacritics, letter variants, apostrophes,
 * Chinese and Serbian scripts. See fold.h for what is folded and why.
 *
 * Most words need none of it. Tables over the Basic Multilingual Plane,
 * built once per process from ICU's properties and transliterators, say
 * what each character becomes, so folding costs a lookup per character.
 */
#include "fold.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/uset.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>

#include "error.h"

/* What a character of the Basic Multilingual Plane does when folded. */
enum {
    K_CHANGES = 1,    /* something below applies */
    K_MARK = 2,       /* a non-spacing mark: dropped after such letters */
    K_STRIPPABLE = 4, /* a letter of a script whose marks are accents */
    K_EXPANDS = 8,    /* becomes two letters (æ -> ae) */
    K_DROPPED = 16,   /* dropped (tatweel) */
};

/* Built once per process from ICU's data by build_tables(). */
static struct {
    uint8_t kind[0x10000];
    UChar replacement[0x10000]; /* 0: the character itself */
    UChar simplified[0x10000];  /* traditional -> simplified; 0: none */
    UErrorCode status;
} tables;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

struct folder {
    UTransliterator *serbian_latin;
    UChar *buf, *out;
    int32_t cap;
};

static bool is_apostrophe(UChar32 c)
{
    return c == 0x2019 || c == 0x02BC || c == 0x2018 || c == 0x2032 ||
           c == 0x0060 || c == 0xFF07;
}

/* Cyrillic letters that are letters of their own, not accented ones. */
static bool keeps_marks(UChar32 c)
{
    return c == 0x0439 /* й */ || c == 0x0457 /* ї */ || c == 0x045E /* ў */;
}

static bool strippable_script(UChar32 c)
{
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode s = uscript_getScript(c, &st);
    return s == USCRIPT_LATIN || s == USCRIPT_GREEK || s == USCRIPT_CYRILLIC ||
           s == USCRIPT_HEBREW || s == USCRIPT_ARABIC;
}

/* Letters without a canonical decomposition that still fold; returns the
   replacement (1 or 2 code points in r[]) count, 0 when none. */
static int letter_variant(UChar32 c, UChar32 r[2])
{
    static const struct {
        UChar32 from, to1, to2;
    } map[] = {
        {0x00F8, 'o', 0},    {0x0111, 'd', 0},    {0x0142, 'l', 0},
        {0x0127, 'h', 0},    {0x0167, 't', 0},    {0x0131, 'i', 0},
        {0x0140, 'l', 0},    {0x00F0, 'd', 0},    {0x00E6, 'a', 'e'},
        {0x0153, 'o', 'e'},  {0x00FE, 't', 'h'},  {0x0671, 0x0627, 0},
        {0x0649, 0x064A, 0}, {0x0629, 0x0647, 0}, {0x06CC, 0x064A, 0},
        {0x06A9, 0x0643, 0},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].from == c) {
            r[0] = map[i].to1;
            r[1] = map[i].to2;
            return map[i].to2 ? 2 : 1;
        }
    return 0;
}

static UTransliterator *open_transliterator(const char *id, UErrorCode *st)
{
    UChar uid[64];
    u_uastrncpy(uid, id, 63);
    uid[63] = 0;
    return utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, st);
}

/* The simplified form of each traditional character that ICU's
   Traditional-Simplified maps to one character of the same length. */
static void build_simplified(UErrorCode *st)
{
    UTransliterator *t = open_transliterator("Traditional-Simplified", st);
    USet *source = uset_openEmpty();
    if (U_SUCCESS(*st))
        utrans_getSourceSet(t, false, source, st);
    int32_t n = U_SUCCESS(*st) ? uset_size(source) : 0;
    for (int32_t i = 0; i < n; i++) {
        UChar32 c = uset_charAt(source, i);
        UChar buf[8] = {(UChar)c};
        int32_t len = 1, limit = 1;
        UErrorCode one = U_ZERO_ERROR;
        if (c > 0xFFFF)
            continue;
        utrans_transUChars(t, buf, &len, 8, 0, &limit, &one);
        if (U_SUCCESS(one) && len == 1 && buf[0] != c &&
            !U16_IS_SURROGATE(buf[0]))
            tables.simplified[c] = buf[0];
    }
    uset_close(source);
    if (t)
        utrans_close(t);
}

static void build_tables(void)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&st);
    UChar dec[8];
    for (UChar32 c = 0x60; c < 0x10000 && U_SUCCESS(st); c++) {
        UChar32 base = c, r[2];
        uint8_t kind = 0;
        if (c < 0x80 && c != '`')
            continue;
        if (strippable_script(c))
            kind |= K_STRIPPABLE;
        if (u_charType(c) == U_NON_SPACING_MARK)
            kind |= K_MARK | K_CHANGES;
        if (is_apostrophe(c))
            base = '\'';
        if (c == 0x0640)
            kind |= K_DROPPED | K_CHANGES;
        if ((kind & K_STRIPPABLE) && !keeps_marks(c)) {
            UErrorCode one = U_ZERO_ERROR;
            int32_t first = 0;
            if (unorm2_getDecomposition(nfd, c, dec, 8, &one) > 0 &&
                U_SUCCESS(one))
                U16_NEXT_UNSAFE(dec, first, base); /* the base letter */
        }
        /* Digits of every script are the digits 0-9: ٢٠٢٢ and ๒๐๒๒ are
           2022 (NFKC only does this for full-width ones). */
        if (u_charType(c) == U_DECIMAL_DIGIT_NUMBER)
            base = '0' + u_charDigitValue(c);
        int k = letter_variant(base, r);
        if (k == 2)
            kind |= K_EXPANDS | K_CHANGES;
        else if (k == 1)
            base = r[0];
        if (base != c && base <= 0xFFFF) {
            tables.replacement[c] = (UChar)base;
            kind |= K_CHANGES;
        }
        tables.kind[c] = kind;
    }
    /* ASCII letters are strippable-script bases: "e\u0301" -> "e". */
    for (int c = 'a'; c <= 'z'; c++)
        tables.kind[c] |= K_STRIPPABLE;
    if (U_SUCCESS(st))
        build_simplified(&st);
    tables.status = st;
}

folder_t *folder_new(nidx_error_t *err)
{
    UErrorCode st = U_ZERO_ERROR;
    folder_t *f;
    pthread_once(&tables_once, build_tables);
    if (U_FAILURE(tables.status)) {
        error_set(err, NIDX_ERROR_INTERNAL, "ICU could not start folding: %s",
                  u_errorName(tables.status));
        return NULL;
    }
    if (!(f = calloc(1, sizeof *f))) {
        error_set(err, NIDX_ERROR_NOMEM, "out of memory");
        return NULL;
    }
    f->serbian_latin = open_transliterator("Serbian-Latin/BGN", &st);
    if (U_FAILURE(st)) {
        error_set(err, NIDX_ERROR_INTERNAL, "ICU could not start folding: %s",
                  u_errorName(st));
        folder_free(f);
        return NULL;
    }
    return f;
}

void folder_free(folder_t *f)
{
    if (!f)
        return;
    if (f->serbian_latin)
        utrans_close(f->serbian_latin);
    free(f->buf);
    free(f->out);
    free(f);
}

static bool reserve(folder_t *f, int32_t need)
{
    if (need <= f->cap)
        return true;
    int32_t cap = need < 128 ? 128 : need * 2;
    UChar *b = realloc(f->buf, (size_t)cap * sizeof(UChar));
    if (!b)
        return false;
    f->buf = b;
    UChar *o = realloc(f->out, (size_t)cap * sizeof(UChar));
    if (!o)
        return false;
    f->out = o;
    f->cap = cap;
    return true;
}

bool folder_has_cyrillic(const UChar *w, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        if (w[i] >= 0x0400 && w[i] <= 0x04FF)
            return true;
    return false;
}

bool folder_simplify(UChar *text, int32_t n)
{
    bool changed = false;
    for (int32_t i = 0; i < n; i++)
        if (tables.simplified[text[i]]) {
            text[i] = tables.simplified[text[i]];
            changed = true;
        }
    return changed;
}

/* Drops diacritics and folds letter variants from in[0..n) into f->out. */
static int32_t strip(folder_t *f, const UChar *in, int32_t n)
{
    int32_t o = 0;
    bool after_strippable = false;
    for (int32_t i = 0; i < n; i++) {
        UChar c = in[i];
        uint8_t kind = tables.kind[c];
        if (U16_IS_SURROGATE(c) || !(kind & K_CHANGES)) {
            f->out[o++] = c;
            after_strippable = kind & K_STRIPPABLE;
            continue;
        }
        if (kind & K_MARK) {
            if (!after_strippable)
                f->out[o++] = c;
            continue;
        }
        after_strippable = kind & K_STRIPPABLE;
        if (kind & K_DROPPED)
            continue;
        UChar32 base = tables.replacement[c] ? tables.replacement[c] : c, r[2];
        if (kind & K_EXPANDS && letter_variant(base, r) == 2) {
            f->out[o++] = (UChar)r[0];
            f->out[o++] = (UChar)r[1];
        } else {
            f->out[o++] = (UChar)base;
        }
    }
    return o;
}

bool folder_fold(folder_t *f, const UChar *w, int32_t n, bool serbian,
                 const UChar **out, int32_t *out_n)
{
    bool changes = false;
    serbian = serbian && folder_has_cyrillic(w, n);
    for (int32_t i = 0; i < n && !changes; i++)
        changes = tables.kind[w[i]] & K_CHANGES;
    if (!changes && !serbian)
        return false;
    /* Transliteration can lengthen a word (љ -> lj); so can folding
       (æ -> ae): four units per unit is ample. */
    if (!reserve(f, n * 4 + 16))
        return false;
    const UChar *in = w;
    if (serbian) {
        UErrorCode st = U_ZERO_ERROR;
        int32_t limit = n;
        memcpy(f->buf, w, (size_t)n * sizeof(UChar));
        int32_t len = n;
        utrans_transUChars(f->serbian_latin, f->buf, &len, f->cap, 0, &limit,
                           &st);
        if (U_SUCCESS(st)) {
            in = f->buf;
            n = len;
        }
    }
    int32_t o = strip(f, in, n);
    if (!serbian && o == n && memcmp(f->out, w, (size_t)n * sizeof(UChar)) == 0)
        return false;
    *out = f->out;
    *out_n = o;
    return true;
}
