/*
 * analyzer.c — ICU word segmentation and NFKC case folding, with an ASCII
 * fast path.
 *
 * Text is cut at ASCII white space into chunks. Runs of pure-ASCII chunks
 * are segmented here by the ASCII subset of UAX #29; a chunk holding any
 * other byte starts an ICU run, which also takes the short ASCII chunks
 * between non-ASCII ones (numbers and punctuation inside Cyrillic or Arabic
 * text) so that ICU is set up once per stretch of such text, not per word.
 * UAX #29 never joins words across white space, so the cut changes nothing
 * in the result, only the speed.
 *
 * An ICU run is decoded to UTF-16 once (ICU segments UTF-16 about 1.4x
 * faster than UTF-8 through UText) with a map back to byte offsets. Words
 * already in NFKC_Casefold form, most of them, are emitted as their
 * original bytes; only the others are normalized and re-encoded.
 */
#include "analyzer.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "document.h"
#include "error.h"
#include "fold.h"
#include "hash.h"
#include "language.h"
#include "namekey.h"
#include "split.h"
#include "utf8.h"

/* ASCII gap (bytes) up to which an ICU run swallows ASCII chunks. */
#define ICU_RUN_ASCII_GAP 64

/* Languages met at once (each with its stemmer, or none). */
#define MAX_STEMMERS 64

typedef struct language_stemmer {
    char code[LANGUAGE_CODE_MAX];
    stemmer_t *stemmer; /* NULL: the language has none */
} language_stemmer_t;

struct analyzer {
    UBreakIterator *words;
    const UNormalizer2 *nfkc_cf;
    bool force_icu;
    /* An ICU run in UTF-16 (ICU segments it faster than UTF-8) and, for
       each of its units, the byte offset of its character in the run. */
    UChar *run16;
    int32_t *run_offsets;
    size_t run_cap;
    bool run_rewritten; /* run16 is no longer the text as written */
    /* Scratch buffers for folding, grown on demand. */
    UChar *folded;
    int32_t folded_cap;
    char *term;
    size_t term_cap;
    char *exact;
    size_t exact_cap;
    char *stem; /* a folded stem */
    size_t stem_cap;
    /* Matching forms and stems. */
    folder_t *folder;
    namekey_t *namekey;             /* made on first use */
    struct known_name *known_names; /* ANALYZER_NAME_CACHE, on first use */
    struct known_spelling *known_spellings; /* ANALYZER_SPELLING_CACHE */
    bool serbian;
    bool keep_han;      /* Japanese: kanji stay as written (see set_language) */
    stemmer_t *stemmer; /* of the current language; NULL for none */
    language_stemmer_t stemmers[MAX_STEMMERS];
    int n_stemmers;
};

/* Words whose name key was made, by the hash of their spelling: an
   article, and an archive, name the same people again and again, and a
   key is an ICU transliteration (every word of Arabic or Hebrew text is
   keyed). Direct-mapped; a word that lands on another's slot replaces
   it. */
#define ANALYZER_NAME_CACHE 16384
typedef struct known_name {
    uint64_t hash; /* of the word; 0: empty */
    size_t len;    /* of the key */
    char key[NAMEKEY_MAX + 1];
    namekey_shape_t shape;
} known_name_t;

/* The same for the vowels' qualities queries compare (namekey_spell()):
   the spellings of a name key an index holds, hundreds for a short key,
   asked again by every search of the name. */
#define ANALYZER_SPELLING_CACHE 4096
typedef struct known_spelling {
    uint64_t hash; /* of the word; 0: empty */
    size_t len;    /* of the key */
    namekey_spelling_t spelling;
} known_spelling_t;

/* The state of one analyzer_run() call. */
typedef struct run {
    analyzer_t *an;
    const char *text;
    uint32_t position;
    token_fn fn;
    void *context;
    int stopped;
    nidx_status_t status;
    nidx_error_t *err;
} run_t;

analyzer_t *analyzer_new(nidx_error_t *err)
{
    UErrorCode st = U_ZERO_ERROR;
    analyzer_t *an = calloc(1, sizeof *an);
    if (!an) {
        error_set(err, NIDX_ERROR_NOMEM, "out of memory");
        return NULL;
    }
    an->words = ubrk_open(UBRK_WORD, "", NULL, 0, &st);
    if (U_SUCCESS(st))
        an->nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
    if (U_SUCCESS(st) && !(an->folder = folder_new(err))) {
        analyzer_free(an);
        return NULL;
    }
    if (U_FAILURE(st)) {
        error_set(err, NIDX_ERROR_INTERNAL,
                  "ICU could not start the analyzer: %s", u_errorName(st));
        analyzer_free(an);
        return NULL;
    }
    return an;
}

void analyzer_free(analyzer_t *an)
{
    if (!an)
        return;
    if (an->words)
        ubrk_close(an->words);
    free(an->run16);
    free(an->run_offsets);
    free(an->folded);
    free(an->term);
    free(an->exact);
    free(an->stem);
    folder_free(an->folder);
    namekey_free(an->namekey);
    free(an->known_names);
    free(an->known_spellings);
    for (int i = 0; i < an->n_stemmers; i++)
        stemmer_free(an->stemmers[i].stemmer);
    free(an);
}

typedef size_t (*key_maker_t)(namekey_t *k, const char *w, size_t n, char *out,
                              namekey_shape_t *shape);

/* The key make() gives w[0..n), remembered under its hash from `seed`
   (one seed a maker, all in one cache). */
static size_t remembered_key(analyzer_t *an, const char *w, size_t n,
                             uint64_t seed, key_maker_t make, char *out,
                             namekey_shape_t *shape)
{
    out[0] = '\0';
    if (!an->namekey && !(an->namekey = namekey_new(NULL)))
        return 0;
    if (!an->known_names)
        an->known_names = calloc(ANALYZER_NAME_CACHE, sizeof *an->known_names);
    if (!an->known_names) /* made each time, then */
        return make(an->namekey, w, n, out, shape);
    uint64_t h = hash_fnv1a(w, n, seed) | 1;
    known_name_t *k = &an->known_names[h % ANALYZER_NAME_CACHE];
    if (k->hash != h) {
        k->len = make(an->namekey, w, n, k->key, &k->shape);
        k->hash = h;
    }
    memcpy(out, k->key, k->len + 1);
    *shape = k->shape;
    return k->len;
}

size_t analyzer_name_key(analyzer_t *an, const char *w, size_t n, char *out,
                         namekey_shape_t *shape)
{
    return remembered_key(an, w, n, HASH_FNV_SEED, namekey_of, out, shape);
}

/* Seed of the hashes by which keys with ج read as g are remembered. */
#define JIM_G_SEED (HASH_FNV_SEED ^ 0x6a696d67u)

size_t analyzer_name_key_jim_g(analyzer_t *an, const char *w, size_t n,
                               char *out, namekey_shape_t *shape)
{
    out[0] = '\0';
    /* Most words write no ج (UTF-8 D8 AC): they leave the cache alone. */
    if (!namekey_arabic(w) || !memmem(w, n, "\xd8\xac", 2))
        return 0;
    return remembered_key(an, w, n, JIM_G_SEED, namekey_of_jim_g, out, shape);
}

size_t analyzer_name_spelling_jim_g(analyzer_t *an, const char *w, size_t n,
                                    namekey_spelling_t *sp)
{
    sp->key[0] = '\0';
    sp->shape.len = 0;
    if (!namekey_arabic(w) ||
        (!an->namekey && !(an->namekey = namekey_new(NULL))))
        return 0;
    return namekey_spell_jim_g(an->namekey, w, n, sp);
}

size_t analyzer_name_spelling(analyzer_t *an, const char *w, size_t n,
                              namekey_spelling_t *sp)
{
    sp->key[0] = '\0';
    sp->shape.len = 0;
    if (!an->namekey && !(an->namekey = namekey_new(NULL)))
        return 0;
    if (!an->known_spellings)
        an->known_spellings =
            calloc(ANALYZER_SPELLING_CACHE, sizeof *an->known_spellings);
    if (!an->known_spellings) /* made each time, then */
        return namekey_spell(an->namekey, w, n, sp);
    uint64_t h = hash_fnv1a(w, n, HASH_FNV_SEED) | 1;
    known_spelling_t *k = &an->known_spellings[h % ANALYZER_SPELLING_CACHE];
    if (k->hash != h) {
        k->len = namekey_spell(an->namekey, w, n, &k->spelling);
        k->hash = h;
    }
    *sp = k->spelling;
    return k->len;
}

size_t analyzer_name_spelling_arabic(analyzer_t *an, const char *w, size_t n,
                                     bool ayin, namekey_spelling_t *sp)
{
    sp->key[0] = '\0';
    sp->shape.len = 0;
    if (!an->namekey && !(an->namekey = namekey_new(NULL)))
        return 0;
    return namekey_spell_arabic(an->namekey, w, n, ayin, sp);
}

size_t analyzer_token_name_key(analyzer_t *an, const token_t *t, char *out,
                               namekey_shape_t *shape)
{
    return t->exact ? analyzer_name_key(an, t->exact, t->exact_len, out, shape)
                    : analyzer_name_key(an, t->term, t->term_len, out, shape);
}

size_t analyzer_token_name_key_jim_g(analyzer_t *an, const token_t *t,
                                     char *out, namekey_shape_t *shape)
{
    return t->exact
               ? analyzer_name_key_jim_g(an, t->exact, t->exact_len, out, shape)
               : analyzer_name_key_jim_g(an, t->term, t->term_len, out, shape);
}

/*
 * Whether the word at text[start] begins a sentence: nothing but spaces,
 * quotes and brackets before it since the text's start or a full stop,
 * question or exclamation mark, colon or line break. Such a capital says
 * nothing of a name. (Measured on the qrels collections: leaving these
 * out changed little, cacm 0.3351 -> 0.3363 MAP; leaving out the title,
 * where every word may be capitalized, is what brought cacm back: shard.c.)
 */
static bool sentence_start(const char *text, size_t start)
{
    while (start > 0) {
        unsigned char b = (unsigned char)text[--start];
        if (b == '.' || b == '!' || b == '?' || b == ':' || b == '\n')
            return true;
        if (b != ' ' && b != '\t' && b != '\r' && b != '"' && b != '\'' &&
            b != '(')
            return false; /* a word, or any other character: mid-text */
    }
    return true;
}

/*
 * Whether the word at text[start], n bytes, looks like a name: its first
 * letter a capital, not at the start of a sentence; or a word of at least
 * 6 bytes (three letters of Arabic or Hebrew, two of the others) in a
 * script without case, where names are written like other words.
 */
static bool looks_like_name(const char *text, size_t start, size_t n,
                            bool *capitalized)
{
    UChar32 c;
    size_t i = 0;
    U8_NEXT(text + start, i, n, c);
    *capitalized = false;
    if (c < 0x80 ? c >= 'A' && c <= 'Z' : u_isupper(c) || u_istitle(c)) {
        *capitalized = !sentence_start(text, start);
        return *capitalized;
    }
    if (c < 0x80) /* most words: ASCII, lower case */
        return false;
    UErrorCode st = U_ZERO_ERROR;
    switch (uscript_getScript(c, &st)) {
    case USCRIPT_ARABIC:
    case USCRIPT_HEBREW:
    case USCRIPT_GEORGIAN:
    case USCRIPT_DEVANAGARI:
    case USCRIPT_BENGALI:
    case USCRIPT_TAMIL:
    case USCRIPT_KATAKANA:
    case USCRIPT_HANGUL: return n >= 6;
    default: return false;
    }
}

bool analyzer_cased(const char *w, size_t n)
{
    UChar32 c;
    size_t i = 0;
    if (n == 0)
        return false;
    U8_NEXT(w, i, n, c);
    return c >= 0 && u_hasBinaryProperty(c, UCHAR_CASED);
}

void analyzer_force_icu(analyzer_t *an, int on)
{
    an->force_icu = on != 0;
}

/* The stemmer for a language tag, made on first use; NULL for none. */
static stemmer_t *stemmer_for(analyzer_t *an, const char *language)
{
    char code[LANGUAGE_CODE_MAX];
    if (!language_normalize(language, code))
        return NULL;
    for (int i = 0; i < an->n_stemmers; i++)
        if (strcmp(an->stemmers[i].code, code) == 0)
            return an->stemmers[i].stemmer;
    if (an->n_stemmers == MAX_STEMMERS)
        return NULL; /* more languages than any index holds */
    stemmer_t *s = stemmer_new(code);
    strcpy(an->stemmers[an->n_stemmers].code, code);
    an->stemmers[an->n_stemmers++].stemmer = s;
    return s;
}

void analyzer_set_language(analyzer_t *an, const char *language)
{
    char code[LANGUAGE_CODE_MAX];
    bool known = language_normalize(language, code);
    an->serbian = known && strcmp(code, "sr") == 0;
    an->keep_han = known && strcmp(code, "ja") == 0;
    an->stemmer = stemmer_for(an, language);
}

static long to_utf8(char **buf, size_t *cap, const UChar *u, int32_t n);
static bool reserve_folded(analyzer_t *an, int32_t need);

/*
 * The stem of a word, in its matching form; NULL when it is the word's
 * matching form itself. Stemmers know their language's spelling, so they
 * get the word as spelled (its case-folded form, diacritics and hamza
 * kept), and their stem is folded afterwards; a word with a split-off
 * suffix is stemmed without it.
 */
static const char *stem_word(analyzer_t *an, stemmer_t *s, const char *term,
                             size_t term_len, const char *exact,
                             size_t exact_len, const char *split,
                             size_t split_len, size_t *stem_len)
{
    const char *word = term;
    size_t len = term_len;
    bool spelled = false; /* stemming the spelled form: fold the stem */
    if (split) {
        word = split;
        len = split_len;
    } else if (exact && !stemmer_wants_folded(s)) {
        word = exact;
        len = exact_len;
        spelled = true;
    }
    const char *stem = stemmer_stem(s, word, len, stem_len);
    if (!stem) {
        if (!spelled)
            return NULL;
        stem = word; /* its own stem, still to be folded */
        *stem_len = len;
    }
    if (spelled) {
        UErrorCode st = U_ZERO_ERROR;
        int32_t n16 = 0, n_match;
        const UChar *match;
        if (!reserve_folded(an, (int32_t)*stem_len + 16))
            return NULL;
        u_strFromUTF8(an->folded, an->folded_cap, &n16, stem,
                      (int32_t)*stem_len, &st);
        if (U_FAILURE(st))
            return NULL;
        if (folder_fold(an->folder, an->folded, n16, an->serbian, &match,
                        &n_match)) {
            long n8 = to_utf8(&an->stem, &an->stem_cap, match, n_match);
            if (n8 < 0)
                return NULL;
            stem = an->stem;
            *stem_len = (size_t)n8;
        }
    }
    if (*stem_len == term_len && memcmp(stem, term, term_len) == 0)
        return NULL;
    return stem;
}

const char *analyzer_stem(analyzer_t *an, const char *language,
                          const char *term, const char *exact,
                          const char *split, size_t *stem_len)
{
    stemmer_t *s = stemmer_for(an, language);
    if (!s)
        return NULL;
    return stem_word(an, s, term, strlen(term), exact,
                     exact ? strlen(exact) : 0, split,
                     split ? strlen(split) : 0, stem_len);
}

static bool reserve_bytes(char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return true;
    size_t n = need < 256 ? 256 : need * 2;
    char *p = realloc(*buf, n);
    if (!p)
        return false;
    *buf = p;
    *cap = n;
    return true;
}

static bool reserve_term(analyzer_t *an, size_t need)
{
    return reserve_bytes(&an->term, &an->term_cap, need);
}

/* UTF-16 to UTF-8 into *buf; returns the length, or -1 on failure. */
static long to_utf8(char **buf, size_t *cap, const UChar *u, int32_t n)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t n8 = 0;
    if (!reserve_bytes(buf, cap, (size_t)n * 3 + 1))
        return -1;
    u_strToUTF8(*buf, (int32_t)*cap, &n8, u, n, &st);
    return U_SUCCESS(st) ? n8 : -1;
}

static bool reserve_folded(analyzer_t *an, int32_t need)
{
    if (need <= an->folded_cap)
        return true;
    int32_t cap = need < 256 ? 256 : need * 2;
    UChar *p = realloc(an->folded, (size_t)cap * sizeof(UChar));
    if (!p)
        return false;
    an->folded = p;
    an->folded_cap = cap;
    return true;
}

/* Room for a run of `bytes` UTF-8 bytes: never more UTF-16 units. */
static bool reserve_run(analyzer_t *an, size_t bytes)
{
    if (bytes + 1 <= an->run_cap)
        return true;
    size_t cap = bytes < 4096 ? 4096 : bytes * 2;
    UChar *u = realloc(an->run16, cap * sizeof(UChar));
    if (!u)
        return false;
    an->run16 = u;
    int32_t *o = realloc(an->run_offsets, cap * sizeof(int32_t));
    if (!o)
        return false;
    an->run_offsets = o;
    an->run_cap = cap;
    return true;
}

static void fail(run_t *r, nidx_status_t status, const char *what)
{
    r->status = error_set(r->err, status, "analyzer: %s", what);
    r->stopped = 1;
}

/*
 * Hands one word to the caller: its matching form `term`, and `exact` when
 * that differs. The position advances whether or not the word is kept.
 */
static void emit(run_t *r, const char *term, size_t term_len, const char *exact,
                 size_t exact_len, size_t start, size_t end)
{
    uint32_t position = r->position++;
    if (term_len == 0 || term_len > ANALYZER_MAX_TERM)
        return;
    token_t t = {.term = term,
                 .term_len = term_len,
                 .exact = exact,
                 .exact_len = exact_len,
                 .position = position,
                 .start = start,
                 .end = end};
    t.split = split_second_term(t.term, t.term_len, &t.split_len);
    t.spaceless = document_spaceless(term);
    t.name = looks_like_name(r->text, start, end - start, &t.capitalized);
    if (r->an->stemmer) {
        t.stem = stem_word(r->an, r->an->stemmer, t.term, t.term_len, t.exact,
                           t.exact_len, t.split, t.split_len, &t.stem_len);
        if (!t.stem)
            t.stem_len = 0;
    }
    if (r->fn(r->context, &t))
        r->stopped = 1;
}

static void emit_ascii(run_t *r, size_t start, size_t end)
{
    size_t n = end - start;
    if (n > ANALYZER_MAX_TERM) {
        r->position++;
        return;
    }
    if (!reserve_term(r->an, n)) {
        fail(r, NIDX_ERROR_NOMEM, "out of memory");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char c = r->text[start + i];
        r->an->term[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    emit(r, r->an->term, n, NULL, 0, start, end);
}

/*
 * Folds the non-ASCII word at run16[s16..e16) to NFKC_Casefold, then to
 * its matching form. Most words are already in both: those are emitted as
 * their original bytes without any conversion.
 */
static void emit_folded(run_t *r, size_t run_start, int32_t s16, int32_t e16)
{
    analyzer_t *an = r->an;
    const UChar *cf = an->run16 + s16, *match;
    int32_t n_cf = e16 - s16, n_match;
    size_t start = run_start + (size_t)an->run_offsets[s16];
    size_t end = run_start + (size_t)an->run_offsets[e16];
    const char *exact = r->text + start; /* the case-folded form in UTF-8 */
    long exact_len = (long)(end - start);
    UErrorCode st = U_ZERO_ERROR;

    /* A word this long is no word; don't spend effort folding it. */
    if (end - start > 4 * ANALYZER_MAX_TERM) {
        r->position++;
        return;
    }
    if (an->run_rewritten ||
        unorm2_spanQuickCheckYes(an->nfkc_cf, cf, n_cf, &st) != n_cf ||
        U_FAILURE(st)) {
        /* NFKC_CF expands a UTF-16 unit to at most 18 units (U+FDFA). */
        if (!reserve_folded(an, n_cf * 18 + 16))
            goto nomem;
        st = U_ZERO_ERROR;
        n_cf = unorm2_normalize(an->nfkc_cf, cf, n_cf, an->folded,
                                an->folded_cap, &st);
        if (U_FAILURE(st)) {
            fail(r, NIDX_ERROR_INTERNAL, u_errorName(st));
            return;
        }
        cf = an->folded;
        exact_len = to_utf8(&an->exact, &an->exact_cap, cf, n_cf);
        if (exact_len < 0)
            goto nomem;
        exact = an->exact;
    }
    if (!folder_fold(an->folder, cf, n_cf, an->serbian, &match, &n_match)) {
        emit(r, exact, (size_t)exact_len, NULL, 0, start, end);
        return;
    }
    long n8 = to_utf8(&an->term, &an->term_cap, match, n_match);
    if (n8 < 0)
        goto nomem;
    emit(r, an->term, (size_t)n8, exact, (size_t)exact_len, start, end);
    return;
nomem:
    fail(r, NIDX_ERROR_NOMEM, "out of memory");
}

/* ------------------------------------------------------------------ */
/* ASCII fast path: UAX #29 restricted to ASCII                       */
/* ------------------------------------------------------------------ */

enum ascii_class {
    C_OTHER,
    C_LETTER,      /* ALetter */
    C_DIGIT,       /* Numeric */
    C_EXTEND_NUM,  /* ExtendNumLet: '_' */
    C_MID_NUM_LET, /* MidNumLet and Single_Quote: '.' '\'' */
    C_MID_NUM,     /* MidNum: ',' ';' */
};

static enum ascii_class ascii_class(unsigned char c)
{
    /* ICU's rules count '@' as a letter, keeping "name@host" one word. */
    if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '@')
        return C_LETTER;
    if (c >= '0' && c <= '9')
        return C_DIGIT;
    switch (c) {
    case '_': return C_EXTEND_NUM;
    case '.':
    case '\'': return C_MID_NUM_LET;
    case ',':
    case ';': return C_MID_NUM;
    default: return C_OTHER;
    }
}

static bool is_word_class(enum ascii_class c)
{
    return c == C_LETTER || c == C_DIGIT || c == C_EXTEND_NUM;
}

/*
 * Segments text[from..to), all ASCII. A word is a run of letters (and '@'),
 * digits and underscores, also joined across one '.' or '\'' between two
 * letters (WB6/WB7: "u.s", "don't") or across one of ". , ; '" between two
 * digits (WB11/WB12: "3.14", "1,000"). ICU's root rules leave ':' out of
 * MidLetter, so "a:b" is two words here as there.
 */
static void segment_ascii(run_t *r, size_t from, size_t to)
{
    const unsigned char *s = (const unsigned char *)r->text;
    size_t i = from;
    while (i < to && !r->stopped) {
        enum ascii_class c = ascii_class(s[i]);
        if (!is_word_class(c)) {
            i++;
            continue;
        }
        size_t start = i++;
        enum ascii_class last = c;
        while (i < to) {
            enum ascii_class k = ascii_class(s[i]);
            if (is_word_class(k)) {
                last = k;
                i++;
                continue;
            }
            if (i + 1 < to) {
                enum ascii_class next = ascii_class(s[i + 1]);
                if (last == C_LETTER && next == C_LETTER &&
                    k == C_MID_NUM_LET) {
                    i += 2;
                    continue;
                }
                if (last == C_DIGIT && next == C_DIGIT &&
                    (k == C_MID_NUM || k == C_MID_NUM_LET)) {
                    i += 2;
                    continue;
                }
            }
            break;
        }
        /* ICU's quirk, followed for agreement: a lone '_' is no word,
           though "__" is. */
        if (i - start == 1 && s[start] == '_')
            continue;
        emit_ascii(r, start, i);
    }
}

/* ------------------------------------------------------------------ */
/* ICU path                                                           */
/* ------------------------------------------------------------------ */

static bool all_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/*
 * Decodes valid UTF-8 s[0..n) into an->run16, recording for each UTF-16
 * unit the byte offset of its character; returns the number of units.
 */
static int32_t decode_run(analyzer_t *an, const unsigned char *s, size_t n)
{
    int32_t j = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        uint32_t cp;
        size_t len;
        if (c < 0x80) {
            cp = c;
            len = 1;
        } else if (c < 0xE0) {
            cp = (uint32_t)(c & 0x1F) << 6 | (s[i + 1] & 0x3F);
            len = 2;
        } else if (c < 0xF0) {
            cp = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6 |
                 (s[i + 2] & 0x3F);
            len = 3;
        } else {
            cp = (uint32_t)(c & 0x07) << 18 |
                 (uint32_t)(s[i + 1] & 0x3F) << 12 |
                 (uint32_t)(s[i + 2] & 0x3F) << 6 | (s[i + 3] & 0x3F);
            len = 4;
        }
        if (cp < 0x10000) {
            an->run_offsets[j] = (int32_t)i;
            an->run16[j++] = (UChar)cp;
        } else {
            an->run_offsets[j] = (int32_t)i;
            an->run16[j++] = (UChar)(0xD7C0 + (cp >> 10));
            an->run_offsets[j] = (int32_t)i;
            an->run16[j++] = (UChar)(0xDC00 | (cp & 0x3FF));
        }
        i += len;
    }
    an->run_offsets[j] = (int32_t)n;
    return j;
}

/* Hiragana, katakana (full and half width). */
static bool has_kana(const UChar *s, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        if ((s[i] >= 0x3040 && s[i] <= 0x30FF) ||
            (s[i] >= 0xFF66 && s[i] <= 0xFF9F))
            return true;
    return false;
}

static void segment_icu(run_t *r, size_t from, size_t to)
{
    analyzer_t *an = r->an;
    UErrorCode st = U_ZERO_ERROR;

    if (to - from > INT32_MAX / 2) { /* ICU counts in int32_t */
        fail(r, NIDX_ERROR_INPUT, "text too long");
        return;
    }
    if (!reserve_run(an, to - from)) {
        fail(r, NIDX_ERROR_NOMEM, "out of memory");
        return;
    }
    int32_t n16 =
        decode_run(an, (const unsigned char *)r->text + from, to - from);
    /* Traditional Chinese is written simplified, but Japanese kanji are
       not Chinese: simplifying them mangles words (大阪 is not 大坂) and
       the dictionary's cuts. A run with kana is Japanese, whatever the
       article's language says. */
    an->run_rewritten = !an->keep_han && !has_kana(an->run16, n16) &&
                        folder_simplify(an->run16, n16);
    ubrk_setText(an->words, an->run16, n16, &st);
    if (U_FAILURE(st)) {
        fail(r, NIDX_ERROR_INTERNAL, u_errorName(st));
        return;
    }
    int32_t start = ubrk_first(an->words);
    for (int32_t end = ubrk_next(an->words); end != UBRK_DONE && !r->stopped;
         start = end, end = ubrk_next(an->words)) {
        /* Statuses below 100 are spaces and punctuation. */
        if (ubrk_getRuleStatus(an->words) < UBRK_WORD_NONE_LIMIT)
            continue;
        size_t s = from + (size_t)an->run_offsets[start];
        size_t e = from + (size_t)an->run_offsets[end];
        if (all_ascii(r->text + s, e - s))
            emit_ascii(r, s, e);
        else
            emit_folded(r, from, start, end);
    }
}

/* ------------------------------------------------------------------ */
/* Splitting text into ASCII and ICU runs                             */
/* ------------------------------------------------------------------ */

static bool is_ascii_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static size_t chunk_end(const char *s, size_t i, size_t to)
{
    while (i < to && !is_ascii_space((unsigned char)s[i]))
        i++;
    return i;
}

nidx_status_t analyzer_run(analyzer_t *an, const char *text, size_t len,
                           uint32_t first_position, token_fn fn, void *context,
                           uint32_t *next_position, nidx_error_t *err)
{
    run_t r = {an, text, first_position, fn, context, 0, NIDX_OK, err};
    size_t pos = 0;

    if (an->force_icu) {
        segment_icu(&r, 0, len);
        pos = len;
    }
    while (pos < len && !r.stopped) {
        size_t k = utf8_find_non_ascii(text, pos, len);
        if (k == len) {
            segment_ascii(&r, pos, len);
            break;
        }
        size_t run_start = k;
        while (run_start > pos &&
               !is_ascii_space((unsigned char)text[run_start - 1]))
            run_start--;
        segment_ascii(&r, pos, run_start);
        size_t run_end = chunk_end(text, k, len);
        for (;;) {
            size_t window = run_end + ICU_RUN_ASCII_GAP;
            size_t next =
                utf8_find_non_ascii(text, run_end, window < len ? window : len);
            if (next >= len || next >= window)
                break;
            run_end = chunk_end(text, next, len);
        }
        if (!r.stopped)
            segment_icu(&r, run_start, run_end);
        pos = run_end;
    }
    if (next_position)
        *next_position = r.position;
    return r.status;
}
