/*
 * instream.h — reading input files line by line, plain or gzip-compressed
 * (multi-member included), from a path or standard input. The only user of
 * zlib in nidx.
 */
#ifndef NIDX_INDEXER_INSTREAM_H
#define NIDX_INDEXER_INSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nidx.h"

/* Longest line (record) read; a longer one is reported and skipped. */
#define INSTREAM_MAX_LINE (64u << 20)

typedef struct instream instream_t;

/*
 * Opens `path`, or standard input for "-". Compression is recognized from
 * the content, whatever the name. Fails with NIDX_ERROR_IO naming the path.
 */
nidx_status_t instream_open(const char *path, instream_t **stream,
                            nidx_error_t *err);

/* As instream_open(), on `fd` (taken: closed with the stream, or on
   failure), named `name` in messages. */
nidx_status_t instream_open_fd(int fd, const char *name, instream_t **stream,
                               nidx_error_t *err);

/*
 * Reads the next line, without its "\n" or "\r\n", into *line (owned by the
 * stream, NUL-terminated, valid until the next call). Returns 1 for a line,
 * 0 at the end, -1 for a line over INSTREAM_MAX_LINE (skipped; reading may
 * go on), -2 for a damaged or truncated file (reading must stop); `err`
 * says which.
 */
int instream_line(instream_t *s, char **line, size_t *len, nidx_error_t *err);

/*
 * Reads everything left (at most `max` bytes) into *data (owned by the
 * stream, NUL-terminated). Returns 1, or a negative number with `err` set
 * when the input is damaged or larger than `max`.
 */
int instream_all(instream_t *s, size_t max, char **data, size_t *len,
                 nidx_error_t *err);

/*
 * Reads exactly n bytes into *data (owned by the stream, valid until the
 * next call). Returns 1, 0 when the input ends first (what there was is
 * consumed), or -2 for damaged input with `err` set.
 */
int instream_read(instream_t *s, size_t n, char **data, nidx_error_t *err);

/* Discards n bytes; returns as instream_read() does. */
int instream_skip(instream_t *s, uint64_t n, nidx_error_t *err);

/*
 * Inflates in[0..n) (gzip, zlib or raw deflate, told apart by their
 * headers; HTTP's Content-Encoding) into a new buffer (caller frees) of at most
 * `max` bytes, NUL-terminated. Returns 1, 0 when the result would exceed `max`
 * (a bomb), -1 when the data is not valid compressed data.
 */
int instream_inflate(const char *in, size_t n, size_t max, char **out,
                     size_t *out_n);

/* What the first 64 KiB say: the first non-space byte (-1 if none) and
   whether a NUL byte appears (a binary file). */
int instream_first_byte(instream_t *s);
bool instream_has_nul(instream_t *s);
/* The start of the input, as sniffed (at most 64 KiB), not consumed. */
void instream_sample(instream_t *s, const char **data, size_t *len);

/* Number of the line last returned (1-based). */
uint64_t instream_line_number(const instream_t *s);

/* Uncompressed bytes read so far. */
uint64_t instream_bytes(const instream_t *s);

/* Uncompressed bytes consumed so far (read and returned, or skipped): where
   the next read starts, for a later instream_skip() on the file opened again.
 */
uint64_t instream_offset(const instream_t *s);

/* Bytes of the file itself (compressed, if it is) read so far. */
uint64_t instream_position(instream_t *s);

void instream_close(instream_t *s);

#endif
