/*
 * document.h — how an article is laid out in the index.
 *
 * The schema, in one place:
 *   terms      matching forms of the words of the title and body (and the
 *              split-off words, analyzer.h), with positions; title words
 *              count nidx_writer_set_title_weight() times, and body positions
 * start DOCUMENT_BODY_GAP after the title's, so that a phrase never spans the
 * two; exact      DOCUMENT_EXACT_PREFIX + the case-folded form of a word whose
 *              matching form differs (diacritics): ranks exact spellings
 *              first;
 *   stems      DOCUMENT_STEM_PREFIX + language + ":" + stem, for words whose
 *              stem differs from the word, in the article's language;
 *   language   DOCUMENT_LANG_PREFIX + ISO 639-1 code (a filter, and the list
 *              of languages whose stemmers queries try);
 *   pairs      DOCUMENT_BIGRAM_PREFIX + two adjacent letters of Thai, Lao,
 *              Khmer and Burmese text, with positions, so that a query word
 *              is found inside a run however ICU's dictionary cut it;
 *   names      DOCUMENT_NAME_PREFIX + the name key (namekey.h) of each
 *              word that looks like a name (analyzer.h: token.name), in
 *              the body, without positions: queries find the other
 *              scripts' and romanizations' spellings of a name by it,
 *              + ":" + its shape: a letter for how its script writes vowels
 *              (a: alphabet, b: abjad, s: syllabary) and the vowels it
 *              writes (namekey_shape_t.vowels, hex), + ":" + the word's
 *              matching form, whose vowels queries compare with the word
 *              they look for (namekey_spellings_fit()) and whose capitals
 *              say whether the index writes it as a name ("NPRS:a3:paris";
 *              before format 4, no spelling);
 *              within-document frequency 1, however often the name comes
 *              back, so that names do not lengthen an article;
 *   capitals   DOCUMENT_CAPITAL_PREFIX + the matching form of each body
 *              word written with a capital mid-sentence (token.capitalized),
 *              without positions or weight: how often the index writes a
 *              word as a name, which decides whether a query word is one;
 *   title      DOCUMENT_TITLE_PREFIX + each of the terms above for title
 *              words (matching forms and pairs with their positions, stems
 *              without): title: queries;
 *   source     DOCUMENT_SOURCE_PREFIX + each matching form of the source's
 *              words (a filter);
 *   host       DOCUMENT_HOST_PREFIX + the url's host without "www.", and
 *              each parent domain of it (a filter: site:);
 *   id term    DOCUMENT_ID_PREFIX + id, unique per article (replacement key);
 *   file       DOCUMENT_FILE_PREFIX + the absolute path of the file the
 *              article was read from, and DOCUMENT_SLOT_FILE_STAMP: the
 *              file's size and modification time then; the same term is
 *              the key of the file's metadata entry, "size mtime", which
 *              lets a later run skip the file while it is unchanged;
 *   values     DOCUMENT_SLOT_SOURCE, _LANG and _MONTH (YYYY-MM): facets;
 *   copies     DOCUMENT_SLOT_FINGERPRINT: the body's MinHash fingerprint
 *              (indexer/fingerprint.h), DOCUMENT_DUP_PREFIX + band number
 *              + 16 hex digits for each band of it, and
 *              DOCUMENT_SLOT_COPIES: the collapse key shared by
 *              near-duplicates (DOCUMENT_COPIES_KEY bytes, from the first
 *              copy indexed); articles too short have none;
 *   value      DOCUMENT_SLOT_DATE: the date as YYYY, YYYY-MM or YYYY-MM-DD,
 *              which sorts as text;
 *   data       the fields a hit shows, the body left out (document_encode()
 *              of the article without it); the body is in STORED_SLOT_BODY
 *              (stored.h). Format-1 indexes hold the body here too.
 */
#ifndef NIDX_LIB_DOCUMENT_H
#define NIDX_LIB_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer.h"
#include "namekey.h"
#include "nidx.h"

#define DOCUMENT_ID_PREFIX "Q"
#define DOCUMENT_EXACT_PREFIX "E"
#define DOCUMENT_STEM_PREFIX "Z"
#define DOCUMENT_LANG_PREFIX "L"
#define DOCUMENT_BIGRAM_PREFIX "B"
#define DOCUMENT_TITLE_PREFIX "T"
#define DOCUMENT_SOURCE_PREFIX "S"
#define DOCUMENT_HOST_PREFIX "H"
/* Longest host name kept (DNS allows 253). */
#define DOCUMENT_HOST_MAX 253
/* Letter pairs take positions of their own, far above words': the pair
   starting at byte b of a field's text is at BASE + b / 3 (these scripts
   take 3 bytes a letter), so adjacent pairs are adjacent positions. */
#define DOCUMENT_BIGRAM_TITLE_BASE 0x40000000u
#define DOCUMENT_BIGRAM_BODY_BASE 0x60000000u
#define DOCUMENT_SLOT_DATE 0
#define DOCUMENT_SLOT_SOURCE 1
#define DOCUMENT_SLOT_LANG 2
#define DOCUMENT_SLOT_MONTH 3
#define DOCUMENT_SLOT_FINGERPRINT 4
#define DOCUMENT_SLOT_COPIES 5
#define DOCUMENT_DUP_PREFIX "D"
#define DOCUMENT_FILE_PREFIX "P"
#define DOCUMENT_NAME_PREFIX "N"
#define DOCUMENT_CAPITAL_PREFIX "C"
#define DOCUMENT_SLOT_FILE_STAMP 6
#define DOCUMENT_COPIES_KEY 8
/* Longest source name kept for its facet. */
#define DOCUMENT_SOURCE_MAX 200
#define DOCUMENT_BODY_GAP 100

/* Longest id term Xapian accepts with room to spare (its limit is 245). */
#define DOCUMENT_ID_TERM_MAX 240

/*
 * Writes the id term for `id` into out (at least DOCUMENT_ID_TERM_MAX + 1
 * bytes) and returns its length. Ids too long for a term are cut and given
 * a hash of the whole id, so distinct ids keep distinct terms.
 */
size_t document_id_term(const char *id, char *out);

/* The file term for an absolute path, as document_id_term() does ids. */
size_t document_file_term(const char *path, char *out);

/*
 * Serializes the article's fields into a new buffer (caller frees) of
 * *len bytes; NULL when out of memory.
 */
char *document_encode(const nidx_article_t *article, size_t *len);

/*
 * A decoded article: the fields point into `block`, which this owns.
 */
typedef struct document {
    nidx_article_t article;
    char *block;
} document_t;

/*
 * Decodes data[0..len) written by document_encode(). Returns false when the
 * data is not of that form or memory ran out.
 */
bool document_decode(const char *data, size_t len, document_t *out);

/* Frees what document_decode() allocated. */
void document_free(document_t *doc);

/*
 * Normalizes an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD, YYYYMMDD, or any
 * of the full forms with a time and offset after 'T' or a space) to
 * YYYY[-MM[-DD]] in out (11 bytes). Returns false when it is not a date.
 * The calendar date is kept as written: an offset does not move it.
 */
bool document_normalize_date(const char *date, char out[11]);

/*
 * The host of a url (or of a bare host name) in out: lower case, without
 * scheme, user, port, path, trailing dot or leading "www.". Returns false
 * when there is none or it holds characters no host has.
 */
bool document_url_host(const char *url, size_t n,
                       char out[DOCUMENT_HOST_MAX + 1]);

/*
 * Calls fn(context, domain, length) for the host and each parent domain
 * of it: "news.bbc.co.uk", "bbc.co.uk", "co.uk", "uk".
 */
void document_host_domains(const char *host,
                           void (*fn)(void *context, const char *domain,
                                      size_t len),
                           void *context);

/* Whether a matching form starts with a letter of Thai, Lao, Khmer or
   Burmese (Myanmar), scripts written without spaces between words. */
bool document_spaceless(const char *term);

/* Receives the i-th letter pair of a text, as a prefixed term. */
typedef void (*bigram_fn)(void *context, const char *term, size_t len,
                          size_t i);

/* Calls fn for each pair of adjacent characters of text[0..n) (UTF-8). */
void document_bigrams(const char *text, size_t n, bigram_fn fn, void *context);

/* The longest name term: N, key, ":", shape, ":", spelling. */
#define DOCUMENT_NAME_TERM_MAX (NAMEKEY_MAX + ANALYZER_MAX_TERM + 32)

/* The name term of a word with key[0..n), `shape`, and the spelling it
   was made from, spelling[0..spelling_len) (the schema above; NULL: none,
   as before format 4) into out (cap bytes); its length, or 0 when it does
   not fit. */
size_t document_name_term(char *out, size_t cap, const char *key, size_t n,
                          const namekey_shape_t *shape, const char *spelling,
                          size_t spelling_len);

/* The shape of a name term of `key` from the text after its ":"
   (text[0..len)), and in *spelling the spelling it holds (the rest of
   text, NUL-terminated as the term is), or NULL when it holds none (a
   shard of format 3 or older); false when it is not a name term. */
bool document_name_shape(const char *text, size_t len, const char *key,
                         namekey_shape_t *shape, const char **spelling);

/*
 * Writes prefix + a (+ ":" + b when b is not NULL) into out (cap bytes),
 * for the prefixed terms above. Returns the length, or 0 when it does not
 * fit.
 */
size_t document_prefixed_term(char *out, size_t cap, const char *prefix,
                              const char *a, size_t a_len, const char *b,
                              size_t b_len);

#endif
