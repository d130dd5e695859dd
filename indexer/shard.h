/*
 * shard.h — one shard's writer: turns articles into Xapian documents of
 * one shard database, in batches, and keeps that shard's file records.
 *
 * A shard is used by one thread at a time (its worker); the writer
 * (writer.c) decides which shard an article goes to.
 */
#ifndef NIDX_INDEXER_SHARD_H
#define NIDX_INDEXER_SHARD_H

#include <stdint.h>

#include "layout.h"
#include "nidx.h"

typedef struct shard shard_t;

/* Opens or creates the shard database at `path` (NIDX_ERROR_LOCKED when
   another writer has it). */
nidx_status_t shard_open(const char *path, shard_t **shard, nidx_error_t *err);

/*
 * Opens the other shards of `layout` (all but number `self`) for reading:
 * a near-duplicate may have been stored in any of them. Their committed
 * state is read, refreshed at each of this shard's commits.
 */
nidx_status_t shard_open_peers(shard_t *shard, const layout_t *layout,
                               unsigned self, nidx_error_t *err);

/* The fingerprints of recent articles, shared with the other shards'
   threads (NULL: none); the caller frees it after the shards. */
struct copies;
void shard_share_copies(shard_t *shard, struct copies *copies);

/* The writer's band sets (bandset.h), shared with the other shards'
   threads, and this shard's number among them; the caller frees them
   after the shards. Only a shard on another machine builds its set. */
struct bandsets;
void shard_share_bandsets(shard_t *shard, struct bandsets *sets, unsigned self);

/* Articles per commit, text held before a commit, and the title weight. */
void shard_configure(shard_t *shard, unsigned batch_size, uint64_t max_pending,
                     unsigned title_weight);

/*
 * Analyzes and stores one article (valid UTF-8 in every field, body already
 * cut to the memory budget), replacing the one with its id (*replaced).
 * `file_term` (may be NULL) and `file_stamp` name the file it came from.
 * Commits when the batch is full.
 */
nidx_status_t shard_add(shard_t *shard, const nidx_article_t *article,
                        const char *file_term, const char *file_stamp,
                        bool *replaced, nidx_error_t *err);

/* Deletes the article with id `id`; *existed tells whether there was one. */
nidx_status_t shard_remove(shard_t *shard, const char *id, bool *existed,
                           nidx_error_t *err);

/*
 * The file `file_term` was read to its end with stamp `stamp`: this shard's
 * articles of it carrying another stamp go (counted in *removed), and the
 * stamp is recorded, with the next commit.
 */
nidx_status_t shard_file_end(shard_t *shard, const char *file_term,
                             const char *stamp, uint64_t *removed,
                             nidx_error_t *err);

/*
 * Drops this shard's articles and records of every recorded file at or
 * under absolute path `path` that no longer exists; counts both.
 */
nidx_status_t shard_prune(shard_t *shard, const char *path, uint64_t *files,
                          uint64_t *articles, nidx_error_t *err);

nidx_status_t shard_commit(shard_t *shard, nidx_error_t *err);

/* How many commits of this handle succeeded (whether a commit happened in
   a call, for counting what is committed). */
uint64_t shard_commits_made(const shard_t *shard);

/* Gives the shard its place, shard k of n of the index `cluster`
   (place.h), when it has none yet or holds no article; committed with
   its next commit. */
nidx_status_t shard_set_place(shard_t *shard, unsigned k, unsigned n,
                              const char *cluster, nidx_error_t *err);

/* Commits, closes and frees; the handle is gone even on error. */
nidx_status_t shard_close(shard_t *shard, nidx_error_t *err);

#endif
