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
static void abjad_vowels(UChar *u, int32_t *n, bool *final_vowel)
{
    if (*n > 4 && u[0] == 0x0627 && u[1] == 0x0644) { /* ال */
        memmove(u, u + 2, (size_t)(*n - 2) * sizeof(UChar));
        *n -= 2;
    }
    if (*n > 0 && u[0] == 0x0625) /* إ is i (ICU writes a) */
        u[0] = 'i';
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
    *final_vowel = *n > 2 && (u[*n - 1] == 0x05D4 || u[*n - 1] == 0x0629 ||
                              u[*n - 1] == 0x0647);
    if (*final_vowel)
        (*n)--;
    else if (*n > 2 && u[*n - 1] == 0x0649) /* alef maksura: a, not y */
        u[*n - 1] = 0x0627;
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

/* ICU's Latin for the Arabic ayin (ع) and the Hebrew one (ע). */
static bool is_ayin(UChar32 c)
{
    return c == 0x02BF || c == 0x02BB;
}

/* The Latin text u[0..n) as lower-case ASCII letters, the diacritics
   spelled out (SPELLED) or dropped; other characters go. An ayin goes
   too, as the keys were made without it, but ayin_before[i] (room for
   LATIN_MAX + 1, when not NULL) says one stood before out[i]. */
static size_t to_ascii(const namekey_t *k, const UChar *u, int32_t n, char *out,
                       bool *ayin_before)
{
    size_t m = 0;
    char one[2];
    if (ayin_before)
        memset(ayin_before, 0, LATIN_MAX + 1);
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(u, i, n, c);
        if (ayin_before && is_ayin(c))
            ayin_before[m] = true;
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

/* The qualities of the vowel letters s[i..i+len), as NAMEKEY_Q_* bits:
   y and j are i. */
static uint8_t vowel_quality(const char *s, size_t i, size_t len)
{
    uint8_t q = 0;
    for (size_t j = i; j < i + len; j++)
        switch (s[j]) {
        case 'a': q |= NAMEKEY_Q_A; break;
        case 'e': q |= NAMEKEY_Q_E; break;
        case 'o': q |= NAMEKEY_Q_O; break;
        case 'u': q |= NAMEKEY_Q_U; break;
        default: q |= NAMEKEY_Q_I; break; /* i y j */
        }
    return q;
}

/* The letter behind a consonant of class cls spelled s[i..i+len), as
   namekey_spelling_t.sound says. */
static char sound_of(const char *s, size_t i, size_t len, char cls)
{
    switch (cls) {
    case 'X': return 'x';
    case 'H': return len == 2 ? 'x' : 'h'; /* kh, German ch: not h */
    case 'T': return len == 2 ? 'x' : 'T'; /* th */
    case 'K': return s[i] == 'g' || s[i] == 'q' || s[i] == 'c' ? s[i] : 'k';
    default: return cls;
    }
}

/* Notes an ayin standing before s[i..i+len) (ayin_before) into sp,
   after the key's last letter so far (m of them). */
static void note_ayin(namekey_spelling_t *sp, const bool *ayin_before, size_t i,
                      size_t len, size_t m)
{
    bool ayin = false;
    for (size_t j = i; sp && ayin_before && j < i + len; j++)
        ayin |= ayin_before[j];
    if (!ayin)
        return;
    if (m == 0)
        sp->ayin_first = true;
    else
        sp->ayin |= 1ULL << (m - 1);
}

/* The skeleton of the ASCII spelling s[0..n) into out; its length. Bit j
   of *vowels: a vowel follows the skeleton's letter j. When sp is not
   NULL, sp->after[j] the qualities of those vowels (with last_vowel, of
   the last of them), sp->sound, sp->long_vowel and, from ayin_before
   (to_ascii()), sp->ayin and sp->ayin_first; the caller zeroes them. */
static size_t skeleton(const char *s, size_t n, char *out, uint64_t *vowels,
                       namekey_spelling_t *sp, const bool *ayin_before,
                       bool last_vowel)
{
    size_t m = 0, consonants = 0, len, next_len, run = 0;
    uint8_t *after = sp ? sp->after : NULL, glide = 0;
    char last = 0;
    bool vowel_before = true;
    *vowels = 0;
    for (size_t i = 0; i < n; i += len) {
        char c = class_at(s, i, n, &len);
        note_ayin(sp, ayin_before, i, len, m);
        if (c == '.') {
            bool jay = sp && memchr(s + i, 'j', len);
            if (i == 0) {
                if (sp) /* the first letter: a vowel, y or j */
                    sp->sound[m] = s[0];
                out[m++] = 'A';
            }
            if (jay && consonants == 0)
                sp->jay_first = true;
            else if (jay)
                sp->jay |= 1ULL << (m - 1);
            if (sp && consonants == 0) {
                /* An abjad's last letter; Latin's vowels but a glide
                   before them (Yemen, Juncker: e, u). */
                uint8_t q = vowel_quality(s, i, len);
                if (last_vowel)
                    sp->lead = q;
                else if (len == 1 && (s[i] == 'j' || s[i] == 'y'))
                    glide = q;
                else
                    sp->lead |= q;
            } else if (consonants > 0) {
                *vowels |= 1ULL << (m - 1);
                if (after && last_vowel) /* the glide before it is none */
                    after[m - 1] = (uint8_t)((after[m - 1] & NAMEKEY_Q_NASALS) |
                                             vowel_quality(s, i, len));
                else if (after)
                    after[m - 1] |= vowel_quality(s, i, len);
                run += len;
                if (sp && run >= 2)
                    sp->long_vowel |= 1ULL << (m - 1);
            }
            vowel_before = true;
            continue;
        }
        run = 0;
        /* m and n before a stop are the stop's: Trump is Τραμπ. */
        if ((c == 'M' || c == 'N') && i > 0 && i + len < n &&
            is_stop(class_at(s, i + len, n, &next_len))) {
            if (after && m > 0)
                after[m - 1] |= c == 'M' ? NAMEKEY_Q_NASALS : NAMEKEY_Q_NASAL;
            continue;
        }
        for (int part = 0; part < (c == 'x' ? 2 : 1); part++) {
            char k = c == 'x' ? (part ? 'S' : 'K') : c;
            if (k == 'X')
                k = 'S';
            char sound = c == 'x' ? (part ? 's' : 'k') : sound_of(s, i, len, c);
            if (k == last && !vowel_before) {
                if (sp && sound == 'x') /* ت ث: a th all the same */
                    sp->sound[m - 1] = sound;
                continue;
            }
            if (m >= NAMEKEY_MAX)
                return 0;
            if (sp)
                sp->sound[m] = sound;
            out[m++] = k;
            last = k;
            consonants++;
            vowel_before = false;
        }
    }
    note_ayin(sp, ayin_before, n, 1, m);
    if (sp && !sp->lead)
        sp->lead = glide;
    out[m] = '\0';
    return consonants >= 2 ? m : 0;
}

size_t namekey_classes(const char *key)
{
    size_t n = strlen(key);
    return n - (n > 0 && key[0] == 'A');
}

/* Whether letters of the script carry a vowel unless marked otherwise
   (Brahmic scripts: ICU writes it a). */
static bool inherent_vowel(int script)
{
    switch (script) {
    case USCRIPT_DEVANAGARI:
    case USCRIPT_BENGALI:
    case USCRIPT_GURMUKHI:
    case USCRIPT_GUJARATI:
    case USCRIPT_ORIYA:
    case USCRIPT_TAMIL:
    case USCRIPT_TELUGU:
    case USCRIPT_KANNADA:
    case USCRIPT_MALAYALAM:
    case USCRIPT_SINHALA: return true;
    default: return false;
    }
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
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
    case USCRIPT_ETHIOPIC: return NAMEKEY_SYLLABARY;
    default:
        return inherent_vowel(script) ? NAMEKEY_SYLLABARY : NAMEKEY_ALPHABET;
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
    /* Two abjads' spellings, or two syllabaries', of one name write the
       same vowels, but for the last (a skeleton alone joins السيد, Mr., to
       السعودية). */
    return inner_vowels(a) == inner_vowels(b);
}

/* How a word of an alphabet is spelled: as written, or as Arabic writes
   it (namekey_spell_arabic()), with its first vowel an ayin or not. */
typedef enum spelled_as {
    AS_WRITTEN,
    AS_ARABIC,
    AS_ARABIC_AYIN,
    AS_JIM_G, /* an Arabic word, its ج read as g (namekey_of_jim_g()) */
} spelled_as_t;

/* The Arabic letters jim (ج) and ghain (غ), which keys read as g. */
#define ARABIC_JIM 0x062C
#define ARABIC_GHAIN 0x063A

/* Writes each ج of u[0..n) as غ; whether there was one. */
static bool jim_as_ghain(UChar *u, int32_t n)
{
    bool any = false;
    for (int32_t i = 0; i < n; i++)
        if (u[i] == ARABIC_JIM) {
            u[i] = ARABIC_GHAIN;
            any = true;
        }
    return any;
}

/* Removes latin[i] (and its ayin_before mark) from latin[0..*m). */
static void drop_letter(char *latin, bool *ayin_before, size_t *m, size_t i)
{
    memmove(latin + i, latin + i + 1, *m - i - 1);
    memmove(ayin_before + i, ayin_before + i + 1, *m - i);
    (*m)--;
}

/* The ASCII spelling latin[0..*m) of an alphabet's word as Arabic writes
   it: p as b but in ph, ng before a consonant as n (واشنطن); with
   AS_ARABIC_AYIN, the first vowels as an ayin (ع, which ICU's Arabic
   drops: عباس). Returns false when there is no such spelling (no first
   vowel for an ayin: a y or j is ي or ج, Yasser no عصر). */
static bool as_arabic(char *latin, bool *ayin_before, size_t *m,
                      spelled_as_t as)
{
    size_t len;
    for (size_t i = 0; i < *m; i++) {
        if (latin[i] == 'p' && (i + 1 == *m || latin[i + 1] != 'h'))
            latin[i] = 'b';
        else if (latin[i] == 'n' && i + 2 < *m && latin[i + 1] == 'g' &&
                 class_at(latin, i + 2, *m, &len) != '.')
            drop_letter(latin, ayin_before, m, i + 1);
    }
    if (as != AS_ARABIC_AYIN)
        return true;
    if (*m == 0 || !strchr("aeiou", latin[0])) /* a vowel, not y or j */
        return false;
    while (*m > 0 && class_at(latin, 0, *m, &len) == '.')
        drop_letter(latin, ayin_before, m, 0);
    ayin_before[0] = true;
    return true;
}

/* namekey_of() and namekey_spell(): the key of w[0..n) into out, its
   shape, and when sp is not NULL (out being sp->key) what else
   namekey_spelling_t holds, sp zeroed here; whether an abjad's spelling
   ends with a vowel it writes as h (*final_h). An alphabet's word is
   spelled `as` says. */
static size_t spell(namekey_t *k, const char *w, size_t n, char *out,
                    namekey_shape_t *shape, namekey_spelling_t *sp,
                    bool *final_h, spelled_as_t as)
{
    UChar u[LATIN_MAX];
    char latin[LATIN_MAX + 1];
    bool ayin_before[LATIN_MAX + 1];
    int32_t un = 0;
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode script;
    bool final_vowel = false;
    if (sp)
        memset(sp, 0, sizeof *sp);
    out[0] = '\0';
    *final_h = false;
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
    if (as == AS_JIM_G && (script != USCRIPT_ARABIC || !jim_as_ghain(u, un)))
        return 0;
    if (script == USCRIPT_GREEK) {
        drop_marks(k, u, &un);
        greek_digraphs(u, &un);
    } else if (script == USCRIPT_CYRILLIC) {
        cyrillic_ts(u, &un);
    } else if (script == USCRIPT_HEBREW || script == USCRIPT_ARABIC) {
        drop_marks(k, u, &un);
        abjad_vowels(u, &un, &final_vowel);
    }
    shape->family = family_of(script);
    if (sp)
        sp->script = (int)script;
    if (script != USCRIPT_LATIN) {
        int32_t limit = un;
        utrans_transUChars(k->to_latin, u, &un, LATIN_MAX, 0, &limit, &st);
        if (U_FAILURE(st))
            return 0;
    }
    size_t m = to_ascii(k, u, un, latin, sp ? ayin_before : NULL);
    if ((as == AS_ARABIC || as == AS_ARABIC_AYIN) &&
        (!sp || shape->family != NAMEKEY_ALPHABET ||
         !as_arabic(latin, ayin_before, &m, as)))
        return 0;
    /* An abjad writes a long vowel with one letter, and y or w before
       another (سياق, siyāq) is a consonant: its last letter is the vowel.
       Latin letters spell one vowel with several (Seoul, Rouhani). */
    size_t len = skeleton(latin, m, out, &shape->vowels, sp, ayin_before,
                          shape->family == NAMEKEY_ABJAD);
    shape->classes = len ? namekey_classes(out) : 0;
    shape->len = len;
    *final_h = len && final_vowel;
    if (sp)
        sp->final = len && m > 0 && strchr("aeiouyj", latin[m - 1])
                        ? vowel_quality(latin, m - 1, 1)
                        : 0;
    return len;
}

size_t namekey_of(namekey_t *k, const char *w, size_t n, char *out,
                  namekey_shape_t *shape)
{
    bool final_h;
    return spell(k, w, n, out, shape, NULL, &final_h, AS_WRITTEN);
}

/* namekey_spell() and namekey_spell_arabic(). */
static size_t spell_as(namekey_t *k, const char *w, size_t n,
                       namekey_spelling_t *sp, spelled_as_t as)
{
    bool final_h;
    namekey_shape_t shape;
    size_t len = spell(k, w, n, sp->key, &shape, sp, &final_h, as);
    sp->shape = shape;
    if (final_h) { /* ة, ה: a final a (or e: abjad_qualities()) */
        sp->after[len - 1] |= NAMEKEY_Q_A;
        sp->final = NAMEKEY_Q_A;
    }
    return len;
}

size_t namekey_spell(namekey_t *k, const char *w, size_t n,
                     namekey_spelling_t *sp)
{
    return spell_as(k, w, n, sp, AS_WRITTEN);
}

size_t namekey_spell_arabic(namekey_t *k, const char *w, size_t n, bool ayin,
                            namekey_spelling_t *sp)
{
    return spell_as(k, w, n, sp, ayin ? AS_ARABIC_AYIN : AS_ARABIC);
}

size_t namekey_of_jim_g(namekey_t *k, const char *w, size_t n, char *out,
                        namekey_shape_t *shape)
{
    bool final_h;
    return spell(k, w, n, out, shape, NULL, &final_h, AS_JIM_G);
}

size_t namekey_spell_jim_g(namekey_t *k, const char *w, size_t n,
                           namekey_spelling_t *sp)
{
    return spell_as(k, w, n, sp, AS_JIM_G);
}

/* ------------------------------------------------------------------ */
/* Spellings compared vowel by vowel                                   */
/* ------------------------------------------------------------------ */

/* Whether the vowels written after a letter (`after`, NAMEKEY_Q_* bits)
   are a lone u before a nasal and a stop, the English u that other
   languages write a (Trump is Трамп, ترامب; Putin's u is none). */
static bool short_u(uint8_t after)
{
    return (after & NAMEKEY_Q_VOWELS) == NAMEKEY_Q_U &&
           (after & NAMEKEY_Q_NASAL);
}

/* The qualities the vowels written after a letter (`after`) are also
   written with: e and i, o and u (Kiev, Kyiv; Putin, Poutine), a short u
   a (short_u()). */
static uint8_t near_qualities(uint8_t after)
{
    uint8_t q = after & NAMEKEY_Q_VOWELS;
    uint8_t near = q | (short_u(after) ? NAMEKEY_Q_A : 0);
    if (q & (NAMEKEY_Q_E | NAMEKEY_Q_I))
        near |= NAMEKEY_Q_E | NAMEKEY_Q_I;
    if (q & (NAMEKEY_Q_O | NAMEKEY_Q_U))
        near |= NAMEKEY_Q_O | NAMEKEY_Q_U;
    return near;
}

/* The Latin vowels an abjad's written vowel stands for: alif a or e, waw
   o or u, ya i or e. */
static uint8_t abjad_qualities(uint8_t q)
{
    uint8_t near = q;
    if (q & (NAMEKEY_Q_E | NAMEKEY_Q_I))
        near |= NAMEKEY_Q_E | NAMEKEY_Q_I;
    if (q & (NAMEKEY_Q_O | NAMEKEY_Q_U))
        near |= NAMEKEY_Q_O | NAMEKEY_Q_U;
    if (q & NAMEKEY_Q_A)
        near |= NAMEKEY_Q_E;
    return near;
}

/* What the Latin vowels written after a letter (`after`) may be written
   with in an abjad: themselves, a short u also a (short_u()). */
static uint8_t latin_as(uint8_t after)
{
    return (after & NAMEKEY_Q_VOWELS) | (short_u(after) ? NAMEKEY_Q_A : 0);
}

/* How two spellings of one key differ before their last letter's vowel
   (the caller's): in *differ, vowels of alphabets where one writes one
   and the other none or another (e with i and o with u taken as one), or
   a nasal before a stop one has and the other not (Jucker is no Juncker),
   an abjad's written vowel the alphabet has not there, or a nasal before
   a stop one has and the abjad not (Hadi is no الهندي); in *unwritten,
   the alphabet's vowels an abjad leaves unwritten. */
static void inner_mismatches(const namekey_spelling_t *a,
                             const namekey_spelling_t *b, bool abjad,
                             size_t *differ, size_t *unwritten)
{
    *differ = *unwritten = 0;
    /* A leading vowel's mark (key letter 0 'A') has a nasal, no vowels. */
    for (size_t j = 0; j + 1 < a->shape.len; j++) {
        bool mark = j == 0 && a->key[0] == 'A';
        uint8_t ax = mark ? 0 : a->after[j], by = mark ? 0 : b->after[j];
        uint8_t x = ax & NAMEKEY_Q_VOWELS, y = by & NAMEKEY_Q_VOWELS;
        if (abjad) {
            *differ += (y && !(abjad_qualities(y) & latin_as(ax))) ||
                       ((a->after[j] ^ b->after[j]) & NAMEKEY_Q_NASALS);
            *unwritten += x && !y;
        } else {
            /* Greek writes b, d, g with a nasal (μπ, ντ, γκ: Τραμπ) and has
               none to compare. */
            bool nasal = a->script != USCRIPT_GREEK &&
                         b->script != USCRIPT_GREEK &&
                         ((a->after[j] ^ b->after[j]) & NAMEKEY_Q_NASALS);
            *differ +=
                nasal || !x != !y ||
                (x && !(near_qualities(ax) & y) && !(near_qualities(by) & x));
        }
    }
}

bool namekey_arabic(const char *w)
{
    const unsigned char *u = (const unsigned char *)w;
    return u[0] >= 0xD8 && u[0] <= 0xDB; /* U+0600..U+06FF */
}

bool namekey_spellings_compared(namekey_family_t a, namekey_family_t b)
{
    return a != NAMEKEY_SYLLABARY || b != NAMEKEY_SYLLABARY;
}

/* The vowels a syllabary writes for the Latin vowels written after a
   letter: e with i, o with u, a short u also a (トランプ is Trump), an a
   also e. */
static uint8_t latin_as_spoken(uint8_t after)
{
    uint8_t near = near_qualities(after);
    return near | (after & NAMEKEY_Q_A ? NAMEKEY_Q_E : 0);
}

/* Whether a syllabary's spelling s writes, after each letter, a vowel of
   the quality a's has there (alphabet or abjad; an a also as e: पेरिस,
   pērisa, is Paris): syllabaries add vowels where a has none (サッカー is
   sakkā), never where it has one another (not السوق, sūq). Returns the
   distance, -1 when they cannot be one. */
static int syllabary_fit(const namekey_spelling_t *a,
                         const namekey_spelling_t *s)
{
    bool abjad = a->shape.family == NAMEKEY_ABJAD;
    /* A short skeleton an abjad writes is a word of its own language far
       more often than a name a syllabary spells: of two classes always
       (سياق, context, for サッカー, sakkā; تزال for 서울), of three when it
       writes no vowel (سمكة, a fish). */
    if (abjad &&
        (a->shape.classes <= 2 || (a->shape.classes <= NAMEKEY_SHAPED_CLASSES &&
                                   !a->shape.vowels && !a->final)))
        return -1;
    bool schwa = inherent_vowel(s->script);
    size_t differ = 0, last = a->shape.len - 1;
    for (size_t j = a->key[0] == 'A'; j <= last; j++) {
        uint8_t ax = a->after[j], x = ax & NAMEKEY_Q_VOWELS;
        uint8_t y = s->after[j] & NAMEKEY_Q_VOWELS;
        if (j == last && x) /* the last letter says which */
            ax = x = a->final ? a->final : x;
        /* An Indic script's a is also the vowel its letters carry unless
           marked otherwise, heard or not (लंदन, landana, is London). */
        if (!x || (schwa && y == NAMEKEY_Q_A))
            continue;
        differ += !((abjad ? abjad_qualities(x) : latin_as_spoken(ax)) & y);
    }
    return differ <= (a->shape.classes >= 4 ? 1u : 0u) ? (int)(2 * differ) : -1;
}

/* Whether two abjads' spellings write the same vowels after each letter
   but the last: their other spellings of one name (السعودي, السعودية),
   not the words of one skeleton (سعيد). */
static bool same_abjad_vowels(const namekey_spelling_t *a,
                              const namekey_spelling_t *b)
{
    for (size_t j = 0; j + 1 < a->shape.len; j++)
        if ((a->after[j] & NAMEKEY_Q_VOWELS) !=
            (b->after[j] & NAMEKEY_Q_VOWELS))
            return false;
    return true;
}

/*
 * Whether an Arabic spelling b writes the consonants the Latin spelling a
 * has where their key's classes join letters Arabic tells apart: sh is
 * ش, never a Latin s (هامش is no Hamas); kh is خ, never a Latin h (خمس);
 * th is ث (or ته), never a Latin t (استثناء, an exception, is no Astana);
 * gh is غ for a g only, ك a k, c or q, never a g (البنك is no Beijing).
 * An ayin (ع), which the keys leave out, is a vowel the Latin spelling
 * writes with two letters or more there (Saad, سعد; Ismail), or a final
 * one where it ends in a vowel; never the start of a Latin word keyed
 * without a leading vowel (عريقان is no Reagan; Abbas and عباس have other
 * keys already).
 */
static bool consonants_fit(const namekey_spelling_t *a,
                           const namekey_spelling_t *b)
{
    if (a->script != USCRIPT_LATIN || b->script != USCRIPT_ARABIC)
        return true;
    /* ج is a consonant Arabic names and words have, which keys read as
       the Latin j, a vowel (الأجساد is no Assad). */
    if (b->ayin_first != a->ayin_first || (b->jay_first && !a->jay_first) ||
        (b->jay & ~a->jay))
        return false;
    /* A leading ج is a Latin j; ي a j, y, i or e; an alif no glide; and
       a first vowel written with waw or ya (or إ) is of the Latin one's
       quality: أوبك is OPEC, ايباك is not. An alif alone carries any
       (أسامة, Osama). */
    if (a->key[0] == 'A') {
        char x = a->sound[0], y = b->sound[0];
        if ((y == 'j' && x != 'j') || (y == 'y' && !strchr("jyie", x)) ||
            (y != 'j' && y != 'y' && (x == 'j' || x == 'y')))
            return false;
        uint8_t lead = (uint8_t)(a->lead | (a->after[0] & NAMEKEY_Q_NASAL));
        uint8_t written = b->lead == NAMEKEY_Q_A ? NAMEKEY_Q_VOWELS
                                                 : abjad_qualities(b->lead);
        if (a->lead && b->lead && !(written & latin_as(lead)))
            return false;
    }
    size_t last = a->shape.len - 1;
    for (size_t j = a->key[0] == 'A'; j <= last; j++) {
        char x = a->sound[j], y = b->sound[j];
        if ((y == 'x' && x != 'x') || (y == 'g' && x != 'g') ||
            (y == 'k' && x == 'g') || (y == 'q' && x == 'c'))
            return false;
        if ((b->ayin >> j) & 1) {
            bool vowel = j == last ? a->final || a->after[last]
                                   : ((a->long_vowel >> j) & 1);
            if (!vowel)
                return false;
        }
    }
    return true;
}

int namekey_spellings_fit(const namekey_spelling_t *query,
                          const namekey_spelling_t *spelled)
{
    const namekey_spelling_t *a = query, *b = spelled;
    if (strcmp(a->key, b->key) != 0 || !a->shape.len)
        return -1;
    if (a->shape.family > b->shape.family) {
        a = spelled;
        b = query;
    }
    /* Words of one script without all its vowels that share a skeleton
       are other words (سعيد, سعود, صعود for السعودية): the word's own
       forms come from its stems, not its key. */
    if (a->shape.family != NAMEKEY_ALPHABET && a->script == b->script)
        return -1;
    if (!namekey_shapes_fit(&a->shape, &b->shape))
        return -1;
    if (!namekey_spellings_compared(a->shape.family, b->shape.family))
        return 0; /* two syllabaries: the shapes say it */
    if (b->shape.family == NAMEKEY_SYLLABARY)
        return syllabary_fit(a, b);
    if (a->shape.family == NAMEKEY_ABJAD)
        return same_abjad_vowels(a, b) ? 0 : -1;
    bool abjad = b->shape.family == NAMEKEY_ABJAD;
    if (abjad && !consonants_fit(a, b))
        return -1;
    /* A key of four classes or more may differ in one vowel (Teheran,
       Gorbachov); a shorter one, where names crowd, in none. */
    size_t allowed = a->shape.classes >= 4 ? 1 : 0;
    size_t last = a->shape.len - 1;
    uint8_t x = a->after[last], y = b->after[last];
    x &= NAMEKEY_Q_VOWELS;
    y &= NAMEKEY_Q_VOWELS;
    if (abjad) {
        /* A name ends in a vowel in Arabic and Hebrew when it does in
           Latin letters, the same as the last letter says (Hadi is هادي,
           not هذا nor الهدايا), a silent e aside, and not otherwise
           (Tokayev is no ثقافة). */
        if (x && a->final != NAMEKEY_Q_E &&
            !(abjad_qualities(b->final) & latin_as(a->final)))
            return -1;
        if (!x && y)
            return -1;
    } else {
        uint8_t asked = query->after[last], found = spelled->after[last];
        /* Endings inflect (Путин, Путина), but a name asked with a final
           vowel other than a silent e keeps one (Hadi is not had). */
        if (asked && asked != NAMEKEY_Q_E && !found)
            return -1;
        if (x && y && !(near_qualities(x) & y) && !(near_qualities(y) & x))
            allowed = 0; /* Both end in a vowel: the same one. */
    }
    size_t differ, unwritten;
    inner_mismatches(a, b, abjad, &differ, &unwritten);
    return differ <= allowed ? (int)(2 * differ + unwritten) : -1;
}
