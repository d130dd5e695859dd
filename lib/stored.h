/*
 * stored.h — how an article's body is kept in the index: apart from the
 * fields a hit shows (the document data, document.h), in its own value
 * slot, compressed on its own. A page of hits then reads a few hundred
 * bytes an article whatever its length; only snippets and whole-article
 * reads touch the body.
 *
 * Bodies are zstd frames (level 9). Each shard trains a dictionary on the
 * first STORED_SAMPLE_BYTES of bodies it stores (zstd's ZDICT): short
 * texts in many languages share little with their neighbours, much with
 * a dictionary of their collection (bench/bench_stored.c: 772 bytes an
 * article against 952 with deflate on all the news, read back in 7.4 us
 * against 15.8). The dictionary goes into the shard's metadata
 * (STORED_DICT_KEY), committed with the first bodies that use it; the
 * bodies before it are kept without one. Glass keeps values in its
 * postlist table, which it never compresses: a body is compressed once.
 *
 * The index records its format (STORED_FORMAT_KEY in each shard's
 * metadata), the newest it was written in:
 *   1  (no key) bodies inside the document data;
 *   2  bodies kept apart, as above;
 *   3  title terms without positions (a title phrase is placed by its
 *      words' own terms, query/match.c), and the near-duplicate bands in
 *      metadata instead of terms (indexer/bands.h);
 *   4  name terms that hold the spelling they were made from (document.h),
 *      which queries compare with the word they look for, vowel by vowel.
 * Readers read every earlier format document by document, and a writer
 * adds to an older shard in this format, marking it so at its first
 * change: an older nidx then refuses the shard rather than misread it.
 */
#ifndef NIDX_LIB_STORED_H
#define NIDX_LIB_STORED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STORED_FORMAT_KEY "nidx-format"
#define STORED_FORMAT 4

/* The value slot holding the body (document.h lists the others). */
#define STORED_SLOT_BODY 7

/*
 * Metadata: the current dictionary's number, and each dictionary under
 * STORED_DICT_KEY ":" number, its checksum (stored_dict_sum(), 16 hex
 * digits) under that key ":sum". A dictionary's number is zstd's own id
 * of it (stored_dict_number(), derived from its content), so that shards
 * merged into one database by xapian-compact keep their dictionaries
 * apart. Indexes written before numbered them 1, 2... in each shard: such
 * shards merged share numbers, and their bodies read as
 * STORED_READ_OTHER_DICT. The checksum came with the content-derived
 * numbers; a dictionary without one is taken as it is.
 */
#define STORED_DICT_KEY "nidx-dict"
#define STORED_DICT_SUM ":sum"
/* Bodies a dictionary is trained on, and its size. */
#define STORED_SAMPLE_BYTES (1u << 20)
#define STORED_DICT_BYTES (64u << 10)

/* A dictionary, ready to compress and decompress with. */
typedef struct stored_dict stored_dict_t;

/* A dictionary from its bytes (copied); NULL when they are not one or
   memory ran out. */
stored_dict_t *stored_dict_new(const char *data, size_t len);
void stored_dict_free(stored_dict_t *dict);
/* The number a dictionary is kept under (zstd's id of it; 0 if none). */
unsigned stored_dict_number(const char *data, size_t len);
/* The checksum a dictionary is kept with, and as it is kept (16 hex
   digits and a NUL into out). */
uint64_t stored_dict_sum(const char *data, size_t len);
void stored_dict_sum_text(const char *data, size_t len, char out[17]);
/* Whether a dictionary fits the checksum kept with it (kept[0..kept_len));
   one kept without a checksum (kept_len 0, older indexes) fits. */
bool stored_dict_fits(const char *data, size_t len, const char *kept,
                      size_t kept_len);

/* Gathers bodies to train a dictionary on. */
typedef struct stored_trainer stored_trainer_t;
stored_trainer_t *stored_trainer_new(void);
/* Adds a body (its start, for long ones); true once there are enough. */
bool stored_trainer_add(stored_trainer_t *trainer, const char *body, size_t n);
/* The dictionary trained on what was added: a new buffer (caller frees)
   of *len bytes; NULL when the sample does not make one. */
char *stored_trainer_train(stored_trainer_t *trainer, size_t *len);
void stored_trainer_free(stored_trainer_t *trainer);

/* zstd's working memory for one thread: a writer's shard or a
   searcher keeps one (NULL from _new() when out of memory). */
typedef struct stored_codec stored_codec_t;
stored_codec_t *stored_codec_new(void);
void stored_codec_free(stored_codec_t *codec);

/*
 * The body body[0..n) as stored: a new buffer (caller frees) of *len
 * bytes; NULL when out of memory. With `dict` (number `dict_id` in the
 * shard), compressed with it.
 */
char *stored_body_encode(stored_codec_t *codec, const char *body, size_t n,
                         const stored_dict_t *dict, unsigned dict_id,
                         size_t *len);

/* Finds dictionary number `id` of the shard a body came from, or NULL
   (missing, or failing its checksum). */
typedef const stored_dict_t *(*stored_dict_fn)(void *context, unsigned id);

/* What stored_body_decode() found. */
typedef enum stored_read {
    STORED_READ_OK = 0,
    STORED_READ_NOMEM,
    STORED_READ_DAMAGED,    /* not of the form, or failing its checksum */
    STORED_READ_NO_DICT,    /* its dictionary cannot be had */
    STORED_READ_OTHER_DICT, /* the dictionary of its number is another one:
                               shards merged into one database */
} stored_read_t;

/*
 * The body from what stored_body_encode() wrote: a new NUL-terminated buffer
 * (caller frees) into *body, its length into *n; at most its first `max` bytes,
 * cut at a character's start (SIZE_MAX: all of it). The rest is inflated
 * too, into the codec's own buffer, for the frame's checksum (bodies
 * written since frames carry one).
 */
stored_read_t stored_body_decode(stored_codec_t *codec, const char *data,
                                 size_t len, size_t max, stored_dict_fn dicts,
                                 void *context, char **body, size_t *n);

#endif
