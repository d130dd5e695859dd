/*
 * reader_impl.h — what each format module provides to reader.c. Private to
 * the readers.
 */
#ifndef NIDX_INDEXER_READER_IMPL_H
#define NIDX_INDEXER_READER_IMPL_H

#include "charset.h"
#include "instream.h"
#include "reader.h"

/* The parts of a reader every format shares. */
typedef struct reader_base {
    instream_t *in;
    charset_t *charset;  /* the input's legacy encoding, or NULL for UTF-8 */
    const char *path;    /* as given */
    const char *id_base; /* absolute path, "stdin", or NULL: ids required */
    const char *record_warning; /* about the record just read, or NULL */
} reader_base_t;

typedef struct reader_ops {
    /* Creates the format's state; NULL when out of memory. */
    void *(*open)(reader_base_t *base);
    int (*next)(void *state, reader_base_t *base, nidx_article_t *article,
                nidx_error_t *err);
    uint64_t (*line)(void *state, reader_base_t *base);
    void (*close)(void *state);
} reader_ops_t;

extern const reader_ops_t reader_text_ops;
extern const reader_ops_t reader_jsonl_ops;
extern const reader_ops_t reader_html_ops;
extern const reader_ops_t reader_warc_ops;

#endif
