/*
 * stored.h — how an article's body is kept in the index: apart from the
 * fields a hit shows (the document data, document.h), in its own value
 * slot, compressed on its own. A page of hits then reads a few hundred
 * bytes an article whatever its length; only snippets and whole-article
 * reads touch the body.
 *
 * The index records its format (STORED_FORMAT_KEY in each shard's
 * metadata): 2 since bodies are kept apart; an index without the key is
 * format 1, bodies inside the document data, which readers still read
 * document by document (a format-1 index takes new articles in format 2).
 */
#ifndef NIDX_LIB_STORED_H
#define NIDX_LIB_STORED_H

#include <stdbool.h>
#include <stddef.h>

#define STORED_FORMAT_KEY "nidx-format"
#define STORED_FORMAT 2

/* The value slot holding the body (document.h lists the others). */
#define STORED_SLOT_BODY 7

/*
 * The body body[0..n) as stored: a new buffer (caller frees) of *len
 * bytes; NULL when out of memory. Short bodies are kept as they are,
 * longer ones deflated (zlib, level 6).
 */
char *stored_body_encode(const char *body, size_t n, size_t *len);

/*
 * The body from what stored_body_encode() wrote: a new NUL-terminated
 * buffer (caller frees) into *body, its length into *n. False when the
 * data is not of that form or memory ran out.
 */
bool stored_body_decode(const char *data, size_t len, char **body, size_t *n);

#endif
