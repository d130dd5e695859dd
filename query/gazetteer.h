/*
 * gazetteer.h — the names of countries and cities in every language, from
 * ICU's own copy of CLDR: one place, many names (Serbia, Serbien, Sırbistan,
 * Сербия, صربيا, 塞尔维亚; Damascus, دمشق, Дамаск), which no sound key can
 * join.
 *
 * The places are the ISO 3166 regions (uloc_getDisplayCountry()) and the
 * exemplar cities of the time zones (the "ec" names of ICU's zone data;
 * in English the zone's own name: Asia/Damascus is Damascus), Antarctic
 * stations left out. Each name is folded by the analyzer as an article's
 * words are: a name of one word can be looked up from a query word; names
 * of several words (哈萨克|斯坦 as ICU cuts it, Saudi Arabia) are only
 * matched, as phrases. Built for the languages of an index and those
 * queries are most often typed in (GAZETTEER_QUERY_LANGUAGES), in a few
 * milliseconds; read-only after.
 */
#ifndef NIDX_QUERY_GAZETTEER_H
#define NIDX_QUERY_GAZETTEER_H

#include <stddef.h>

#include "analyzer.h"
#include "nidx.h"

/* Languages whose names a query word is always looked up in, beside the
   index's own. */
#define GAZETTEER_QUERY_LANGUAGES "en", "fr", "de", "es", "ru", "ar", "zh"

typedef struct gazetteer gazetteer_t;

/*
 * The names of places in languages[0..n) and GAZETTEER_QUERY_LANGUAGES,
 * folded by `analyzer` (whose language it leaves unset); NULL with `err`
 * set when out of memory.
 */
gazetteer_t *gazetteer_new(analyzer_t *analyzer, const char *const *languages,
                           size_t n, nidx_error_t *err);

/* Frees it; NULL is a no-op. */
void gazetteer_free(gazetteer_t *g);

/* Receives one name: its words' matching forms separated by single
   spaces, the same case-folded with their diacritics when they differ
   (else NULL), and the language that writes it so (once per language). */
typedef void (*gazetteer_name_fn)(void *context, const char *name,
                                  const char *exact, const char *lang);

/*
 * Calls fn for each other name of every place that a query word names:
 * `exact`, the word case-folded with its diacritics (token_t.exact, else
 * its term), is looked up as names are written, so that "sam" is not Şam
 * (Damascus in Turkish) nor "male" Malé; failing that, a word of
 * GAZETTEER_FORM_LETTERS letters or more by its matching form `term`
 * (Turkiye typed without its diacritic is Türkiye). Returns how many
 * places it names (0: it is no place's name).
 */
#define GAZETTEER_FORM_LETTERS 6
size_t gazetteer_other_names(const gazetteer_t *g, const char *exact,
                             const char *term, gazetteer_name_fn fn,
                             void *context);

#endif
