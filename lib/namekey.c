/*
 * namekey.c — name keys: a word to Latin letters, then to a skeleton of
 * sound classes (namekey.h says which and why).
 */
#include "namekey.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "error.h"

/* Longest word keyed, in UTF-16 units (names are far shorter). */
#define WORD_MAX 64
/* Room for the Latin spelling: a letter can become four. */
#define LATIN_MAX (WORD_MAX * 4)

struct namekey {
    UTransliterator *to_latin; /* ICU's Any-Latin */
    const UNormalizer2 *nfd;
};

namekey_t *namekey_new(nidx_error_t *err)
{
    UErrorCode st = U_ZERO_ERROR;
    UChar id[16];
    namekey_t *k = calloc(1, sizeof *k);
    if (!k) {
        error_set(err, NIDX_ERROR_NOMEM, "out of memory");
        return NULL;
    }
    u_uastrcpy(id, "Any-Latin");
    k->to_latin = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    if (U_SUCCESS(st))
        k->nfd = unorm2_getNFDInstance(&st);
    if (U_FAILURE(st)) {
        error_set(err, NIDX_ERROR_INTERNAL,
                  "ICU could not start transliteration: %s", u_errorName(st));
        namekey_free(k);
        return NULL;
    }
    return k;
}

void namekey_free(namekey_t *k)
{
    if (!k)
        return;
    if (k->to_latin)
        utrans_close(k->to_latin);
    free(k);
}

/* ------------------------------------------------------------------ */
/* Before transliteration: spellings ICU reads letter by letter        */
/* ------------------------------------------------------------------ */

/* Replaces u[i..i+2) by the one unit `by`. */
static void join_pair(UChar *u, int32_t *n, int32_t i, UChar by)
{
    u[i] = by;
    memmove(u + i + 1, u + i + 2, (size_t)(*n - i - 2) * sizeof(UChar));
    (*n)--;
}

/*
 * Greek writes b, d and g as μπ, ντ and γκ, and foreign ch, ts and j as
 * τσ and τζ: those go in Latin before ICU spells them letter by letter
 * (Μπάιντεν would be "Mpainten"). Accents are gone already.
 */
static void greek_digraphs(UChar *u, int32_t *n)
{
    for (int32_t i = 0; i + 1 < *n; i++) {
        UChar a = u[i], b = u[i + 1];
        if (a == 0x03BC && b == 0x03C0) /* μπ */
            join_pair(u, n, i, 'b');
        else if (a == 0x03BD && b == 0x03C4) /* ντ */
            join_pair(u, n, i, 'd');
        else if (a == 0x03B3 && (b == 0x03BA || b == 0x03B3)) /* γκ γγ */
            join_pair(u, n, i, 'g');
        else if (a == 0x03C4 && b == 0x03B6) /* τζ */
            join_pair(u, n, i, 'j');
    }
    /* β is v, χ is kh, γ before e and i is y (Γιανουκόβιτς). */
    for (int32_t i = 0; i < *n; i++) {
        UChar next = i + 1 < *n ? u[i + 1] : 0;
        if (u[i] == 0x03B2)
            u[i] = 'v';
        else if (u[i] == 0x03C7)
            u[i] = 'h';
        else if (u[i] == 0x03B3 && (next == 0x03B5 || next == 0x03B9 ||
                                    next == 0x03B7 || next == 0x03C5))
            u[i] = 'y';
    }
}

/* Cyrillic ц is ts, which ISO 9 (ICU's Cyrillic-Latin) writes c. */
static void cyrillic_ts(UChar *u, int32_t *n)
{
    for (int32_t i = 0; i < *n && *n + 1 < WORD_MAX; i++)
        if (u[i] == 0x0446) {
            memmove(u + i + 2, u + i + 1, (size_t)(*n - i - 1) * sizeof(UChar));
            u[i] = 't';
            u[++i] = 's';
            (*n)++;
        }
}

/*
 * Hebrew and Arabic write few vowels, and those with the letters of w, y
 * and h: inside a word, vav and waw are u, a final he or teh marbuta is
 * nothing; a leading Arabic article goes.
 */
static void abjad_vowels(UChar *u, int32_t *n)
{
    if (*n > 4 && u[0] == 0x0627 && u[1] == 0x0644) { /* ال */
        memmove(u, u + 2, (size_t)(*n - 2) * sizeof(UChar));
        *n -= 2;
    }
    for (int32_t i = 1; i < *n; i++) {
        if ((u[i] == 0x05D5 || u[i] == 0x0648) && u[i - 1] != u[i] &&
            (i + 1 >= *n || u[i + 1] != u[i]))
            u[i] = 'u';
        else if (u[i] == 0x05D0) /* alef inside a word: a long vowel */
            u[i] = 'a';
        else if (u[i] == 0x05D1) /* bet inside a word is v */
            u[i] = 'v';
        else if (u[i] == 0x05E4 || u[i] == 0x05E3) /* pe inside: f */
            u[i] = 'f';
    }
    if (*n > 2 &&
        (u[*n - 1] == 0x05D4 || u[*n - 1] == 0x0629 || u[*n - 1] == 0x0647))
        (*n)--;
}

/* ------------------------------------------------------------------ */
/* Latin letters with diacritics, as the traditions spell them         */
/* ------------------------------------------------------------------ */

typedef struct spelled {
    UChar32 c;
    const char *as;
} spelled_t;

static const spelled_t SPELLED[] = {
    {0x0161, "sh"},   /* š */
    {0x015D, "shch"}, /* ŝ: ISO 9 щ */
    {0x017E, "zh"},   /* ž */
    {0x010D, "ch"},   /* č */
    {0x0107, "ch"},   /* ć */
    {0x015F, "sh"},   /* ş */
    {0x00E7, "ch"},   /* ç */
    {0x017C, "zh"},   /* ż */
    {0x017A, "z"},    /* ź */
    {0x015B, "s"},    /* ś */
    {0x0142, "l"},    /* ł */
    {0x1E96, "h"},    /* ẖ: kh, dh in ICU's Arabic */
    {0x1E25, "h"},    /* ḥ */
    {0x0163, "t"},    /* ţ: ICU's Hebrew tav */
    {0x011F, "g"},    /* ğ */
    {0x0111, "dj"},   /* đ */
    {0x0131, "i"},    /* ı */
    {0x00DF, "ss"},   /* ß */
    {0x0259, "a"},    /* ə */
    {0x01F0, "j"},    /* ǰ */
    {0x0121, "g"},    /* ġ */
    {0x00E6, "e"},    /* æ */
    {0x00F8, "o"},    /* ø */
};

/* Appends s to out[*m..), within LATIN_MAX. */
static void append(char *out, size_t *m, const char *s)
{
    for (; *s && *m < LATIN_MAX; s++)
        out[(*m)++] = *s;
}

/* How the letter c (lower case) is written in ASCII letters: as itself,
   as SPELLED says, or as the base letter of its decomposition; "" when
   it is no Latin letter. `one` holds a single letter. */
static const char *ascii_of(const namekey_t *k, UChar32 c, char one[2])
{
    for (size_t j = 0; j < sizeof SPELLED / sizeof *SPELLED; j++)
        if (SPELLED[j].c == c)
            return SPELLED[j].as;
    one[0] = one[1] = '\0';
    if (c >= 0x80) {
        UChar d[8];
        UErrorCode st = U_ZERO_ERROR;
        if (unorm2_getDecomposition(k->nfd, c, d, 8, &st) > 0 && U_SUCCESS(st))
            c = d[0];
    }
    if (c >= 'a' && c <= 'z')
        one[0] = (char)c;
    return one;
}

/* The Latin text u[0..n) as lower-case ASCII letters, the diacritics
   spelled out (SPELLED) or dropped; other characters go. */
static size_t to_ascii(const namekey_t *k, const UChar *u, int32_t n, char *out)
{
    size_t m = 0;
    char one[2];
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(u, i, n, c);
        append(out, &m, ascii_of(k, u_tolower(c), one));
    }
    return m;
}

/* ------------------------------------------------------------------ */
/* Latin spelling to sound classes                                     */
/* ------------------------------------------------------------------ */

/* The classes: P b p; F f v w; T d t; K k g q; H h kh; S s z ts;
   X sh ch zh; L; R; M; N. '.' a vowel. */
typedef struct spelling {
    const char *letters;
    char cls;
} spelling_t;

/* Longest first: the first that matches at a place is taken. */
static const spelling_t SPELLINGS[] = {
    {"shch", 'X'}, {"szcz", 'X'}, {"tsch", 'X'}, {"dzh", 'X'}, {"sch", 'X'},
    {"tsj", 'X'},  {"tch", 'X'},  {"sh", 'X'},   {"sz", 'X'},  {"sj", 'X'},
    {"cz", 'X'},   {"zh", 'X'},   {"dj", 'X'},   {"ch", 'X'},  {"dz", 'S'},
    {"ts", 'S'},   {"tz", 'S'},   {"kh", 'H'},   {"gh", 'K'},  {"ph", 'F'},
    {"th", 'T'},   {"dh", 'D'},   {"ck", 'K'},   {"ou", '.'},  {"oe", '.'},
};

static char letter_class(const char *s, size_t i, size_t n)
{
    switch (s[i]) {
    case 'b': return 'B';
    case 'p': return 'P';
    case 'f':
    case 'v':
    case 'w': return 'F';
    case 'd': return 'D';
    case 't': return 'T';
    case 'k':
    case 'g':
    case 'q': return 'K';
    case 'c':
        if (i + 1 == n && i > 0 && s[i - 1] == 'i')
            return 'S'; /* Vucic, Milosevic: the press's -ić */
        return i + 1 < n &&
                       (s[i + 1] == 'e' || s[i + 1] == 'i' || s[i + 1] == 'y')
                   ? 'S'
                   : 'K';
    case 'x': return 'x'; /* k and s */
    case 'h': return 'H';
    case 's':
    case 'z': return 'S';
    case 'l': return 'L';
    case 'r': return 'R';
    case 'm': return 'M';
    case 'n': return 'N';
    default: return '.'; /* a e i o u y j */
    }
}

/* The class of the spelling at s[i], and its length in *len. */
static char class_at(const char *s, size_t i, size_t n, size_t *len)
{
    for (size_t j = 0; j < sizeof SPELLINGS / sizeof *SPELLINGS; j++) {
        if (SPELLINGS[j].letters[0] != s[i])
            continue;
        size_t l = strlen(SPELLINGS[j].letters);
        if (i + l <= n && memcmp(s + i, SPELLINGS[j].letters, l) == 0) {
            /* German ch before a consonant is kh: Chruschtschow. */
            if (SPELLINGS[j].cls == 'X' && l == 2 && s[i] == 'c' && i == 0 &&
                i + 2 < n && (s[i + 2] == 'r' || s[i + 2] == 'l'))
                return *len = 2, 'H';
            *len = l;
            return SPELLINGS[j].cls;
        }
    }
    *len = 1;
    return letter_class(s, i, n);
}

static bool is_stop(char c)
{
    return c == 'P' || c == 'T' || c == 'K' || c == 'B' || c == 'D';
}

/* The skeleton of the ASCII spelling s[0..n) into out; its length. Bit j
   of *vowels: a vowel follows the skeleton's letter j. */
static size_t skeleton(const char *s, size_t n, char *out, uint64_t *vowels)
{
    size_t m = 0, consonants = 0, len, next_len;
    char last = 0;
    bool vowel_before = true;
    *vowels = 0;
    for (size_t i = 0; i < n; i += len) {
        char c = class_at(s, i, n, &len);
        if (c == '.') {
            if (i == 0)
                out[m++] = 'A';
            else if (consonants > 0)
                *vowels |= 1ULL << (m - 1);
            vowel_before = true;
            continue;
        }
        /* m and n before a stop are the stop's: Trump is Τραμπ. */
        if ((c == 'M' || c == 'N') && i > 0 && i + len < n &&
            is_stop(class_at(s, i + len, n, &next_len)))
            continue;
        for (int part = 0; part < (c == 'x' ? 2 : 1); part++) {
            char k = c == 'x' ? (part ? 'S' : 'K') : c;
            if (k == 'X')
                k = 'S';
            if (k == last && !vowel_before)
                continue;
            if (m >= NAMEKEY_MAX)
                return 0;
            out[m++] = k;
            last = k;
            consonants++;
            vowel_before = false;
        }
    }
    out[m] = '\0';
    return consonants >= 2 ? m : 0;
}

size_t namekey_classes(const char *key)
{
    size_t n = strlen(key);
    return n - (n > 0 && key[0] == 'A');
}

/* How a script writes vowels. */
static namekey_family_t family_of(UScriptCode script)
{
    switch (script) {
    case USCRIPT_ARABIC:
    case USCRIPT_HEBREW: return NAMEKEY_ABJAD;
    case USCRIPT_KATAKANA:
    case USCRIPT_HIRAGANA:
    case USCRIPT_HANGUL:
    case USCRIPT_DEVANAGARI:
    case USCRIPT_BENGALI:
    case USCRIPT_GURMUKHI:
    case USCRIPT_GUJARATI:
    case USCRIPT_ORIYA:
    case USCRIPT_TAMIL:
    case USCRIPT_TELUGU:
    case USCRIPT_KANNADA:
    case USCRIPT_MALAYALAM:
    case USCRIPT_SINHALA:
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
    case USCRIPT_ETHIOPIC: return NAMEKEY_SYLLABARY;
    default: return NAMEKEY_ALPHABET;
    }
}

/* ------------------------------------------------------------------ */

/* Whether the word can be keyed: letters only, not Han or Hangul-less
   CJK, and the script of its first letter in *script. */
static bool keyable(const UChar *u, int32_t n, UScriptCode *script)
{
    *script = USCRIPT_INVALID_CODE;
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(u, i, n, c);
        if (u_isdigit(c))
            return false;
        UErrorCode st = U_ZERO_ERROR;
        UScriptCode s = uscript_getScript(c, &st);
        if (s == USCRIPT_HAN)
            return false;
        if (*script == USCRIPT_INVALID_CODE && u_isalpha(c))
            *script = s;
    }
    return *script != USCRIPT_INVALID_CODE;
}

/* Removes the combining marks of u[0..n) (Greek accents, niqqud). */
static void drop_marks(const namekey_t *k, UChar *u, int32_t *n)
{
    UChar d[LATIN_MAX];
    UErrorCode st = U_ZERO_ERROR;
    int32_t dn = unorm2_normalize(k->nfd, u, *n, d, LATIN_MAX, &st);
    if (U_FAILURE(st))
        return;
    int32_t m = 0;
    for (int32_t i = 0; i < dn; i++)
        if (u_getCombiningClass(d[i]) == 0 &&
            u_charType(d[i]) != U_NON_SPACING_MARK)
            u[m++] = d[i];
    *n = m;
}

/* The vowels of a shape but the one after its key's last letter, which
   spellings add and drop at will (Poutine, Zelenskyy). */
static uint64_t inner_vowels(const namekey_shape_t *s)
{
    return s->len ? s->vowels & ~(1ULL << (s->len - 1)) : s->vowels;
}

bool namekey_shapes_fit(const namekey_shape_t *a, const namekey_shape_t *b)
{
    if (a->family > b->family) {
        const namekey_shape_t *t = a;
        a = b;
        b = t;
    }
    /* a's family <= b's: alphabet, abjad, syllabary. An abjad's written
       vowels are some of the heard ones, a syllabary's all of them and
       more. Alphabets' longer keys are rare enough unchecked, and the
       languages' own forms of a name place vowels apart (Moscow, Moskau,
       Москва). */
    bool short_key = a->classes <= NAMEKEY_SHAPED_CLASSES;
    if (a->family == NAMEKEY_ALPHABET && b->family == NAMEKEY_ALPHABET)
        return !short_key || inner_vowels(a) == inner_vowels(b);
    if (a->family == NAMEKEY_ALPHABET && b->family == NAMEKEY_ABJAD)
        return (b->vowels & ~a->vowels) == 0;
    if (a->family == NAMEKEY_ALPHABET && b->family == NAMEKEY_SYLLABARY)
        return !short_key || (inner_vowels(a) & ~b->vowels) == 0;
    if (a->family == NAMEKEY_ABJAD && b->family == NAMEKEY_SYLLABARY)
        return (a->vowels & ~b->vowels) == 0;
    return true; /* two abjads' spellings, or two syllabaries' */
}

size_t namekey_of(namekey_t *k, const char *w, size_t n, char *out,
                  namekey_shape_t *shape)
{
    UChar u[LATIN_MAX];
    char latin[LATIN_MAX + 1];
    int32_t un = 0;
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode script;
    out[0] = '\0';
    shape->vowels = 0;
    shape->family = NAMEKEY_ALPHABET;
    shape->len = shape->classes = 0;
    if (n == 0 || n > WORD_MAX * 3)
        return 0;
    u_strFromUTF8(u, WORD_MAX * 2, &un, w, (int32_t)n, &st);
    if (U_FAILURE(st) || un > WORD_MAX)
        return 0;
    un = u_strFoldCase(u, LATIN_MAX, u, un, U_FOLD_CASE_DEFAULT, &st);
    if (U_FAILURE(st) || !keyable(u, un, &script))
        return 0;
    if (script == USCRIPT_GREEK) {
        drop_marks(k, u, &un);
        greek_digraphs(u, &un);
    } else if (script == USCRIPT_CYRILLIC) {
        cyrillic_ts(u, &un);
    } else if (script == USCRIPT_HEBREW || script == USCRIPT_ARABIC) {
        drop_marks(k, u, &un);
        abjad_vowels(u, &un);
    }
    shape->family = family_of(script);
    if (script != USCRIPT_LATIN) {
        int32_t limit = un;
        utrans_transUChars(k->to_latin, u, &un, LATIN_MAX, 0, &limit, &st);
        if (U_FAILURE(st))
            return 0;
    }
    size_t m = to_ascii(k, u, un, latin);
    size_t len = skeleton(latin, m, out, &shape->vowels);
    shape->classes = len ? namekey_classes(out) : 0;
    shape->len = len;
    return len;
}
