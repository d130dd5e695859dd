/* writer.h — what the rest of the indexer may ask of a writer. */
#ifndef NIDX_INDEXER_WRITER_H
#define NIDX_INDEXER_WRITER_H

#include "layout.h"
#include "nidx.h"

/*
 * Checks the shards `layout` lists against their places (place.h) before
 * any is opened to write: a shard listed twice would otherwise be
 * "locked" by the very writer, and one out of order would take other
 * shards' articles. With `built_only`, shards not built yet pass (a part
 * of a cluster being built). cluster gets the index's identity.
 */
nidx_status_t writer_check_listing(const layout_t *layout,
                                   place_listing_t listing, bool built_only,
                                   char *cluster, nidx_error_t *err);

/* The index directory the writer was opened on. */
const char *writer_index_path(const nidx_writer_t *writer);

/* Calls the progress callback, if any. */
/* Notes how many articles the file being read has handed in so far
   (nidx_writer_file_articles()). */
void writer_file_articles(nidx_writer_t *writer, uint64_t articles);
void writer_progress(const nidx_writer_t *writer, const nidx_add_stats_t *stats,
                     const char *file, bool file_done);

/* The body length of the article added last when it was cut for the
   memory budget, else 0; and the length bodies are cut to. */
uint64_t writer_last_cut(const nidx_writer_t *writer);
uint64_t writer_max_article(const nidx_writer_t *writer);

/* Whether nidx_writer_interrupt() was called. */
bool writer_interrupted(const nidx_writer_t *writer);

/*
 * Starts reading the file at absolute path `path`, whose size and
 * modification time make `stamp`. *unchanged is set (and nothing else
 * done) when the index recorded the same stamp for it and re-reading is
 * not forced; else the articles added until writer_file_end() carry the
 * file's term and stamp.
 */
nidx_status_t writer_file_begin(nidx_writer_t *writer, const char *path,
                                const char *stamp, bool *unchanged,
                                nidx_error_t *err);

/*
 * Ends the file begun last. When `complete` (read to its end), articles an
 * earlier version of the file gave and this one did not are removed
 * (counted in writer_totals()) and the stamp recorded, with the next
 * commit of each shard.
 */
nidx_status_t writer_file_end(nidx_writer_t *writer, bool complete,
                              nidx_error_t *err);

/*
 * What the shards have done so far: articles added, articles that replaced
 * one with their id, and articles removed as gone from their file.
 * Articles handed over are counted once a shard has stored them.
 */
void writer_totals(nidx_writer_t *writer, uint64_t *added, uint64_t *replaced,
                   uint64_t *removed);

/* Waits until the shards have stored every article handed over (not
   committed: they commit by batch); the first failure, if any. */
nidx_status_t writer_drain(nidx_writer_t *writer, nidx_error_t *err);

/*
 * Removes the articles of every recorded file at or under absolute path
 * `path` that no longer exists; counts files and articles.
 */
nidx_status_t writer_prune(nidx_writer_t *writer, const char *path,
                           uint64_t *files, uint64_t *articles,
                           nidx_error_t *err);

#endif
