/*
 * reader.h — turning input files into articles.
 *
 * A reader knows file formats and nothing of indexing: it yields articles
 * (see nidx_article_t) one at a time, each with an id (given, or derived
 * from the file's absolute path and the record's line).
 */
#ifndef NIDX_INDEXER_READER_H
#define NIDX_INDEXER_READER_H

#include <stdint.h>

#include "nidx.h"

typedef enum reader_format {
    FORMAT_UNKNOWN, /* decide from the content */
    FORMAT_TEXT,    /* .txt: title line, then body */
    FORMAT_JSONL,   /* .jsonl .ndjson: one JSON object per line */
    FORMAT_HTML,    /* .html .htm .xhtml: one page, one article */
    FORMAT_WARC,    /* .warc: web archive records */
} reader_format_t;

/* The format a file name says, looking through a final ".gz". */
reader_format_t reader_format_from_name(const char *path);

/* The format the first bytes of an uncompressed file show, for files
   whose name says nothing: a web archive or an HTML page; else
   FORMAT_UNKNOWN. */
reader_format_t reader_format_from_content(const char *path);

typedef struct reader reader_t;

/*
 * Opens `path` ("-" for standard input, read as JSON Lines). Fails with
 * NIDX_ERROR_IO when the file cannot be read, NIDX_ERROR_INPUT when it is
 * empty, binary or damaged before its first record.
 */
nidx_status_t reader_open(const char *path, reader_format_t format,
                          reader_t **reader, nidx_error_t *err);

/*
 * Opens JSON Lines already open as `fd` (taken), named `name` in messages.
 * Records without an id are skipped: there is no file to name them after.
 */
nidx_status_t reader_open_jsonl_fd(int fd, const char *name, reader_t **reader,
                                   nidx_error_t *err);

/* Results of reader_next(). */
enum {
    READ_ARTICLE = 1, /* *article holds the next article */
    READ_END = 0,     /* no more articles */
    READ_SKIP = -1,   /* a malformed record was skipped; `err` says why */
    READ_FAIL = -2,   /* the rest of the file cannot be read; `err` says why */
    READ_NOTE = -3,   /* `err` says something about the file; nothing was
                         skipped, reading goes on */
};

/*
 * Reads the next article. Its strings belong to the reader and stay valid
 * until the next call.
 */
int reader_next(reader_t *reader, nidx_article_t *article, nidx_error_t *err);

/* A warning about the whole file (read from a legacy encoding), or NULL.
   Owned by the reader. */
const char *reader_warning(const reader_t *reader);

/* A warning about the record last read (it was read anyway), or NULL.
   Owned by the reader. */
const char *reader_record_warning(const reader_t *reader);

/* Line of the record last read (1-based; 0 for a whole-file format). */
uint64_t reader_line(const reader_t *reader);

/* Uncompressed bytes read so far. */
uint64_t reader_bytes(const reader_t *reader);

/* Bytes of the file on disk read so far. */
uint64_t reader_position(reader_t *reader);

void reader_close(reader_t *reader);

#endif
