/*
 * fold.h — from a word's case-folded form to its matching form: the form
 * in which a reader's spelling and the article's spelling meet.
 *
 * After NFKC case folding (analyzer.c), the matching form also
 *   - drops diacritics from Latin, Greek, Cyrillic, Hebrew and Arabic
 *     letters (Málaga = malaga, Köln = koln, harakat and niqqud go),
 *     keeping the Cyrillic letters that are letters of their own (й ї ў);
 *   - folds letters that have no decomposition (ø đ ł ı æ œ þ ...);
 *   - unifies Arabic alef, yeh and teh marbuta variants and drops tatweel;
 *   - writes every apostrophe (’ ʼ ‘ ′ `) as ';
 *   - writes the digits of every script as 0-9 (Arabic ٢٠٢٢ = 2022);
 *   - for Serbian, writes Cyrillic in Latin letters (Шабац = šabac = sabac).
 * Before segmentation, folder_simplify() writes traditional Chinese in
 * simplified form, so that both are cut into the same words.
 * Devanagari, Hangul, kana and other scripts keep their marks: there they
 * are part of the letter, not an accent.
 */
#ifndef NIDX_LIB_FOLD_H
#define NIDX_LIB_FOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <unicode/utypes.h>

#include "nidx.h"

typedef struct folder folder_t;

/* A new folder (one per thread), or NULL with `err` set. */
folder_t *folder_new(nidx_error_t *err);
void folder_free(folder_t *f);

/*
 * Folds the case-folded word w[0..n) (UTF-16). Returns false when the
 * matching form is the word itself; else true with the matching form in
 * *out (UTF-16, owned by the folder, valid until the next call) of *out_n
 * units. `serbian` transliterates Cyrillic to Latin first.
 */
bool folder_fold(folder_t *f, const UChar *w, int32_t n, bool serbian,
                 const UChar **out, int32_t *out_n);

/* True when w[0..n) holds Cyrillic letters that Serbian would write in
   Latin: the query side tries that spelling too. */
bool folder_has_cyrillic(const UChar *w, int32_t n);

/*
 * Writes traditional Chinese characters of text[0..n) in simplified form,
 * in place: those that ICU's Traditional-Simplified maps to one character
 * (offsets stay valid). Done before segmentation, so that both forms of a
 * text are cut into the same words. Returns true when anything changed.
 */
bool folder_simplify(UChar *text, int32_t n);

#endif
