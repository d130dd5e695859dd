/*
 * namekey.h — the name key: what the spellings of one name share across
 * scripts and romanizations (Зеленский, Zelenskyy, Selenskyj, Ζελένσκι).
 *
 * A word is written in Latin letters (ICU's Any-Latin, after a few
 * Greek, Hebrew, Arabic and Cyrillic spellings ICU reads letter by
 * letter), its letters with diacritics spelled as the traditions spell
 * them (š = sh, č = ch, ż = zh), and then reduced to a skeleton of sound
 * classes, in which the traditions' spellings of one sound meet: s, z,
 * ts, tz, c before e/i/y, sh, sch, sz, ch, cz, tsch, zh one class (Greek
 * writes sh and ch with σ and τσ); k, g, q, hard c; f, v, w, ph; h, kh;
 * b; p; d, dh; t, th; l; r; m; n. Vowels go (the traditions differ most
 * there, and Arabic and Hebrew do not write them); a word starting with
 * one keeps a mark of it; a class repeated without a vowel between
 * counts once; m and n before a stop go, but at the start (Τραμπ is
 * "Trab"). The rules were chosen by measuring them on tests/names/
 * (tests/test_names prints the figures): merging b with p and d with t
 * found 1 % more pairs and made Putin Biden; merging s with sh, 6 % more
 * at 0.02 % more false merges.
 *
 * Indexed with the word's shape (namekey_shape_t) for words that look like
 * names (document.h: DOCUMENT_NAME_PREFIX), looked up by queries at a
 * lower weight than the word's own forms, for the spellings whose shapes
 * fit (namekey_shapes_fit()).
 */
#ifndef NIDX_LIB_NAMEKEY_H
#define NIDX_LIB_NAMEKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nidx.h"

/* Longest key, in bytes (longer words get none). */
#define NAMEKEY_MAX 48

typedef struct namekey namekey_t;

/* A new key maker (one per thread), or NULL with `err` set. */
namekey_t *namekey_new(nidx_error_t *err);

/* Frees it; NULL is a no-op. */
void namekey_free(namekey_t *k);

/* How a script writes vowels: every one (Latin, Cyrillic, Greek,
   Armenian, Georgian); long ones only (Arabic, Hebrew); or with every
   consonant, heard or not (kana, Hangul, Indic scripts: トランプ is
   torampu). */
typedef enum namekey_family {
    NAMEKEY_ALPHABET,
    NAMEKEY_ABJAD,
    NAMEKEY_SYLLABARY,
} namekey_family_t;

/* What a word's spelling says of its vowels, beside its key. */
typedef struct namekey_shape {
    uint64_t vowels; /* bit j: a vowel follows the key's letter j */
    size_t classes;  /* namekey_classes() of the key */
    size_t len;      /* the key's length */
    namekey_family_t family;
} namekey_shape_t;

/*
 * The name key of the word w[0..n) (UTF-8, any case), written to out
 * (NAMEKEY_MAX + 1 bytes, NUL-terminated), and its shape into *shape.
 * Returns the key's length, or 0 when the word gets no key: fewer than
 * two consonant classes, digits, a script without letters to
 * transliterate (Chinese, kana-less Japanese), or too long.
 */
size_t namekey_of(namekey_t *k, const char *w, size_t n, char *out,
                  namekey_shape_t *shape);

/*
 * Whether two words with one key may be one name, by their vowels: two
 * alphabets' spellings of a key of NAMEKEY_SHAPED_CLASSES classes or
 * fewer have vowels after the same letters, the last aside (Paris and
 * Παρίσι do; Press, Price and Poor's do not; longer keys are not checked,
 * as a language's own form of a name may place its vowels apart: Moscow,
 * Moskau, Москва), and a syllabary's at least the alphabet's; an abjad's
 * spelling writes vowels only where the other has one (صربيا, srbyā, is
 * Serbia; تسريب, tsryb, a leak, is not), whatever its length. Two
 * spellings of abjads, or of syllabaries, write vowels after the same
 * letters, the last aside.
 */
#define NAMEKEY_SHAPED_CLASSES 3
bool namekey_shapes_fit(const namekey_shape_t *a, const namekey_shape_t *b);

/* Vowel qualities, as bits: what a spelling writes after a letter. */
#define NAMEKEY_Q_A 1
#define NAMEKEY_Q_E 2
#define NAMEKEY_Q_I 4 /* i, y, j */
#define NAMEKEY_Q_O 8
#define NAMEKEY_Q_U 16
#define NAMEKEY_Q_VOWELS 31
#define NAMEKEY_Q_NASAL 32 /* an m or n before a stop, which keys drop */
#define NAMEKEY_Q_M 64     /* with NAMEKEY_Q_NASAL: that one an m */
#define NAMEKEY_Q_NASALS (NAMEKEY_Q_NASAL | NAMEKEY_Q_M)

/* A word's key, shape, and the qualities of its vowels. */
typedef struct namekey_spelling {
    char key[NAMEKEY_MAX + 1];
    namekey_shape_t shape;
    uint8_t after[NAMEKEY_MAX + 1]; /* after the key's letter j; 0: none */
    uint8_t final; /* the quality of the last letter, when a vowel */
    int script;    /* of its first letter (ICU's UScriptCode) */
    /* The letters behind the key's classes, where the class joins sounds
       Arabic tells apart: 'x' for sh, kh or th (ش, خ, ث), 'g' for g or gh (غ),
       'q' for q, 'c' for a hard c, 'k' for k; else the class. Behind a leading
       vowel's mark, the word's first letter (a vowel, y or j: ي, ج). */
    char sound[NAMEKEY_MAX + 1];
    uint64_t long_vowel; /* bit j: two vowel letters or more after letter j */
    uint64_t ayin;       /* bit j: an ayin (ع) after the key's letter j */
    bool ayin_first;     /* the word starts with an ayin */
    uint64_t jay;        /* bit j: a j among the vowels after letter j (ج) */
    bool jay_first;      /* a j among the vowels before the first consonant */
    uint8_t lead;        /* the qualities of those vowels (an abjad's last) */
} namekey_spelling_t;

/*
 * namekey_of() with the qualities of the vowels the word writes (an
 * abjad's final h, teh marbuta and he, counted as a or e), into *sp.
 * Returns the key's length, 0 when the word has none.
 */
size_t namekey_spell(namekey_t *k, const char *w, size_t n,
                     namekey_spelling_t *sp);

/*
 * Whether the spelling `spelled` an article holds may be the name `query`
 * asks for, by what each writes after each letter of their key: finer
 * than namekey_shapes_fit(), which it applies to two syllabaries. Spellings
 * in one script that does not write every vowel (Arabic, kana) are other
 * words; two abjads' spellings (Arabic, Hebrew) write the same vowels,
 * the last aside; a syllabary's (kana, Hangul) writes a vowel of the
 * other's quality wherever the other has one. Two alphabets' spellings write
 * vowels after the same letters, of one quality (e with i, o with u, a lone u
 * with a taken as one), but for one in a key of four classes or more (Teheran,
 * Gorbachov) and the last, which inflections change (Путин, Путина) unless the
 * query ends in a vowel and the spelling in none (Hadi is not had). An abjad
 * writes vowels only where the alphabet has one, of that quality (alif a or e,
 * waw o or u, ya i or e: روحاني is Rouhani, الراهن is not), and a final one
 * exactly where the alphabet ends in a vowel, a silent e aside (هادي is
 * Hadi, هذا is not), and has a nasal before a stop where the alphabet
 * has. Returns -1 when they cannot be one name, else how far apart they
 * are: 2 for each vowel that differs, 1 for each the abjad leaves
 * unwritten (0: the closest).
 */
int namekey_spellings_fit(const namekey_spelling_t *query,
                          const namekey_spelling_t *spelled);

/*
 * namekey_spell() of a word of an alphabet as Arabic writes it, whose
 * key its Arabic spellings have: Arabic has no p and writes b (بوتين is
 * Putin, أوبك OPEC); it writes the ng of English before a consonant as n
 * (واشنطن, Washington); and with `ayin`, a first vowel may be an ayin
 * (ع), which the keys leave out (عباس is Abbas, عمر Omar), and then must
 * be (sp->ayin_first). Returns the key's length; 0 when the word has
 * none, is not in an alphabet, or (with ayin) starts with no vowel.
 */
size_t namekey_spell_arabic(namekey_t *k, const char *w, size_t n, bool ayin,
                            namekey_spelling_t *sp);

/*
 * namekey_of() and namekey_spell() of an Arabic word with its ج (jim)
 * read as a g: the keys read ج as the Latin j, a glide (جمال is Jamal),
 * but Arabic writes a foreign g with it too (جوجل Google, سامسونج
 * Samsung, ريجان Reagan, جورج George), as Egypt says it. The indexer
 * stores both keys of such a word. Return 0 when the word is not Arabic,
 * writes no ج, or has no key so read.
 */
size_t namekey_of_jim_g(namekey_t *k, const char *w, size_t n, char *out,
                        namekey_shape_t *shape);
size_t namekey_spell_jim_g(namekey_t *k, const char *w, size_t n,
                           namekey_spelling_t *sp);

/* Whether the word w (UTF-8) starts with an Arabic letter. */
bool namekey_arabic(const char *w);

/* Whether namekey_spellings_fit() compares spellings of these families
   past their shapes: all but two syllabaries'. */
bool namekey_spellings_compared(namekey_family_t a, namekey_family_t b);

/* The consonant classes of a key namekey_of() made (its letters but the
   mark of a leading vowel): the fewer, the more names share it. */
size_t namekey_classes(const char *key);

#endif
