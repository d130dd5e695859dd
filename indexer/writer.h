/* writer.h — what the rest of the indexer may ask of a writer. */
#ifndef NIDX_INDEXER_WRITER_H
#define NIDX_INDEXER_WRITER_H

#include "nidx.h"

/* The index directory the writer was opened on. */
const char *writer_index_path(const nidx_writer_t *writer);

/* Whether nidx_writer_interrupt() was called. */
bool writer_interrupted(const nidx_writer_t *writer);

#endif
