/*
 * layout.h — how an index lies on disk: a directory holding one Xapian
 * database per shard (shard0, shard1, ...) and a Xapian stub file,
 * XAPIANDB, that lists them, so that Xapian opens the directory as one
 * database searching every shard. An index written before shards existed
 * is a single Xapian database in the directory itself: one shard.
 */
#ifndef NIDX_LIB_LAYOUT_H
#define NIDX_LIB_LAYOUT_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "nidx.h"
#include "place.h"

/* Most shards an index may have. */
#define LAYOUT_MAX_SHARDS 64
/* Most replicas of an index, all its shards together (nidx.conf). */
#define LAYOUT_MAX_REPLICAS 256

typedef struct layout {
    unsigned shards;                /* 0: no index there yet */
    char *paths[LAYOUT_MAX_SHARDS]; /* each shard's database directory */
    bool remote;                    /* some shard is on another machine */
    unsigned timeout_ms; /* a remote shard's, from LAYOUT_CONF; 0: default */
    /* Other servers of the same shards, read-only copies kept by
       xapian-replicate (LAYOUT_CONF's "replica N HOST:PORT" lines):
       replicas[k] ("remote HOST:PORT", as a stub line) serves shard
       replica_of[k]. Searches move to one when a shard's server fails;
       writes go to the stub's. */
    char *replicas[LAYOUT_MAX_REPLICAS];
    unsigned replica_of[LAYOUT_MAX_REPLICAS];
    unsigned n_replicas;
    /* A cluster's identity (place.h) as its stub records it, a comment
       line "# nidx-cluster HEX" that Xapian skips: what shards built apart
       from it (nidx_writer_open_part()) take. "" when none. */
    char cluster[PLACE_CLUSTER_LEN + 1];
} layout_t;

/* The index's settings beside its stub, a "name value" a line ('#'
   comments): "shard-timeout SECONDS", how long a remote shard has to
   connect and to answer each message before it is left out (or another
   of its servers asked); "replica N HOST:PORT" (or ":PROGRAM ARGS"),
   another server of remote shard N (from 0), any number a shard. */
#define LAYOUT_CONF "nidx.conf"

/* A shard on another machine is named by its stub line, "remote
   HOST:PORT" (xapian-tcpsrv) or "remote :PROGRAM ARGS" (xapian-progsrv,
   through ssh for one): whether `path` is one. */
bool layout_is_remote(const char *path);

/*
 * Reads the layout of the index at `index` into *out (release with
 * layout_free()). An absent or empty directory gives 0 shards; a stub
 * naming shards that are missing is NIDX_ERROR_CORRUPT.
 */
nidx_status_t layout_read(const char *index, layout_t *out, nidx_error_t *err);

/* The database directory of shard `i` of `index` (caller frees). */
char *layout_shard_path(const char *index, unsigned i);

/*
 * Writes the stub listing shards 0..shards-1 of `index`, atomically (a
 * reader sees the old stub or the new one). The shards' databases should
 * exist first, so that the stub never names a missing one.
 */
nidx_status_t layout_write_stub(const char *index, unsigned shards,
                                nidx_error_t *err);

/*
 * Writes the stub of an index whose n shards are on other machines, each
 * "HOST:PORT" or ":PROGRAM ARGS" (layout_is_remote() without "remote "),
 * with the cluster's identity `cluster` (PLACE_CLUSTER_LEN hex digits; ""
 * for none), atomically, creating the directory when needed. The specs
 * are checked first: NIDX_ERROR_ARGUMENT names one that is not of either
 * form.
 */
nidx_status_t layout_write_remote_stub(const char *index,
                                       const char *const *specs, unsigned n,
                                       const char *cluster, nidx_error_t *err);

/* Whether the directory `path` is a finished database (it holds the
   version file, "iamglass", which Xapian writes last). */
bool layout_is_database(const char *path);

/*
 * Clears what a killed run left of a shard it was creating: a shard
 * directory of a new index (no stub yet) that holds Xapian's tables but
 * no version file ("iamglass", written last) was never a database, and
 * Xapian refuses to create one over it. Only Xapian's own files are
 * removed; a directory with a version file is left alone.
 */
nidx_status_t layout_clear_unfinished(const char *shard_path,
                                      nidx_error_t *err);

/* What identifies the index at a path beyond its commits: its stub (or,
   for an index of one database, that database's version file). Making
   the index anew in the directory, or listing its shards anew, changes
   it; commits do not. */
typedef struct layout_signature {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
} layout_signature_t;

/* The signature of the index at `index`; all zero when there is none. */
layout_signature_t layout_signature(const char *index);
bool layout_same_signature(const layout_signature_t *a,
                           const layout_signature_t *b);

void layout_free(layout_t *layout);

#endif
