/*
 * worker.h — a thread per shard: jobs queue up in order, and the shard's
 * thread runs them one by one. Queues are bounded in bytes, so a fast
 * reader waits for slow shards instead of filling the memory.
 */
#ifndef NIDX_INDEXER_WORKER_H
#define NIDX_INDEXER_WORKER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nidx.h"
#include "shard.h"

typedef enum job_kind {
    JOB_ADD,      /* article, file_term, file_stamp -> replaced */
    JOB_REMOVE,   /* arg: the id -> existed */
    JOB_FILE_END, /* file_term, file_stamp -> articles (removed) */
    JOB_PRUNE,    /* arg: the path -> files, articles */
    JOB_COMMIT,
} job_kind_t;

typedef struct job {
    struct job *next;
    job_kind_t kind;
    bool waited; /* the poster waits for it with worker_wait() and frees it;
                    else the worker frees it when done */
    bool done;
    size_t bytes; /* counted against the queue's room */
    nidx_article_t article;
    const char *file_term, *file_stamp, *arg;
    /* results */
    bool replaced, existed;
    uint64_t files, articles;
    char text[]; /* where the strings above may live, with the job */
} job_t;

/* Running totals of a worker's finished jobs. */
typedef struct worker_totals {
    uint64_t added, replaced, removed;
} worker_totals_t;

typedef struct worker worker_t;

/*
 * Starts a thread running jobs on `shard` (still the caller's to close,
 * after worker_stop()); its queue holds about `room` bytes. Once *stop is
 * set (an interrupt), the articles and file ends still queued are dropped:
 * their files were not all stored, and are read again next time.
 */
nidx_status_t worker_start(shard_t *shard, size_t room, const atomic_int *stop,
                           worker_t **worker, nidx_error_t *err);

/*
 * Queues `job` (malloc'ed), waiting while the queue is full. Fails with the
 * worker's error once a job has failed: from then on jobs are refused (and
 * freed unless waited).
 */
nidx_status_t worker_post(worker_t *worker, job_t *job, nidx_error_t *err);

/* Waits until `job` (a waited job posted to `worker`) is done, or with
   job NULL until every job posted so far is; the worker's status. */
nidx_status_t worker_wait(worker_t *worker, job_t *job, nidx_error_t *err);

void worker_totals(worker_t *worker, worker_totals_t *totals);

/* Runs what is queued, ends the thread and frees the worker; the status
   of the first job that failed, if any. *done gets the totals of every
   job done, *committed those of the jobs the shard has committed: done up
   to its last successful commit (closing the shard commits the rest). */
nidx_status_t worker_stop(worker_t *worker, worker_totals_t *done,
                          worker_totals_t *committed, nidx_error_t *err);

#endif
