/* worker.c — one thread per shard, fed through a bounded queue. */
#include "worker.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

struct worker {
    shard_t *shard;
    const atomic_int *stop; /* an interrupt: drop what is queued */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t queued;  /* a job arrived, or stopping */
    pthread_cond_t settled; /* a job is done: room, results */
    job_t *head, *tail;
    size_t bytes, room;
    unsigned running; /* jobs taken but not done: 0 or 1 */
    bool stopping;
    nidx_status_t status; /* of the first job that failed */
    nidx_error_t error;
    worker_totals_t totals;
    worker_totals_t committed; /* totals as of the shard's last commit */
    uint64_t commits;          /* shard_commits_made() when last looked */
};

static nidx_status_t run(shard_t *shard, job_t *job, nidx_error_t *err)
{
    switch (job->kind) {
    case JOB_ADD:
        return shard_add(shard, &job->article, job->file_term, job->file_stamp,
                         &job->replaced, err);
    case JOB_REMOVE: return shard_remove(shard, job->arg, &job->existed, err);
    case JOB_FILE_END:
        return shard_file_end(shard, job->file_term, job->file_stamp,
                              &job->articles, err);
    case JOB_PRUNE:
        return shard_prune(shard, job->arg, &job->files, &job->articles, err);
    case JOB_COMMIT: return shard_commit(shard, err);
    }
    return NIDX_OK;
}

static void count(worker_totals_t *t, const job_t *job)
{
    if (job->kind == JOB_ADD && job->replaced)
        t->replaced++;
    else if (job->kind == JOB_ADD)
        t->added++;
    else if (job->kind == JOB_FILE_END)
        t->removed += job->articles;
}

/* Whether an interrupt drops this job: articles not yet stored, and the
   records of files whose articles may have been among them. */
static bool dropped(const worker_t *w, const job_t *job)
{
    return (job->kind == JOB_ADD || job->kind == JOB_FILE_END) && w->stop &&
           atomic_load_explicit(w->stop, memory_order_relaxed);
}

static void *work(void *arg)
{
    worker_t *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->head && !w->stopping)
            pthread_cond_wait(&w->queued, &w->lock);
        job_t *job = w->head;
        if (!job)
            break;
        w->head = job->next;
        if (!w->head)
            w->tail = NULL;
        w->running = 1;
        bool failed = w->status != NIDX_OK;
        pthread_mutex_unlock(&w->lock);

        nidx_error_t e;
        bool skip = failed || dropped(w, job);
        nidx_status_t st = skip ? NIDX_OK : run(w->shard, job, &e);

        pthread_mutex_lock(&w->lock);
        w->running = 0;
        w->bytes -= job->bytes;
        if (st != NIDX_OK && w->status == NIDX_OK) {
            w->status = st;
            w->error = e;
        }
        if (st == NIDX_OK && !skip)
            count(&w->totals, job);
        /* A commit during the job (a batch filled, or a commit job)
           took every job done so far. */
        if (shard_commits_made(w->shard) != w->commits) {
            w->commits = shard_commits_made(w->shard);
            w->committed = w->totals;
        }
        if (job->waited)
            job->done = true;
        else
            free(job);
        pthread_cond_broadcast(&w->settled);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

nidx_status_t worker_start(shard_t *shard, size_t room, const atomic_int *stop,
                           worker_t **worker, nidx_error_t *err)
{
    worker_t *w = calloc(1, sizeof *w);
    *worker = NULL;
    if (!w)
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    w->shard = shard;
    w->stop = stop;
    w->room = room;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->queued, NULL);
    pthread_cond_init(&w->settled, NULL);
    if (pthread_create(&w->thread, NULL, work, w) != 0) {
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->queued);
        pthread_cond_destroy(&w->settled);
        free(w);
        return error_set(err, NIDX_ERROR_NOMEM, "cannot start a thread");
    }
    *worker = w;
    return NIDX_OK;
}

/* The worker's status, with its error copied to err. Lock held. */
static nidx_status_t failure(worker_t *w, nidx_error_t *err)
{
    if (w->status != NIDX_OK && err)
        *err = w->error;
    return w->status;
}

nidx_status_t worker_post(worker_t *w, job_t *job, nidx_error_t *err)
{
    pthread_mutex_lock(&w->lock);
    /* One job larger than the room goes in alone. */
    while (w->status == NIDX_OK && w->bytes > 0 &&
           w->bytes + job->bytes > w->room)
        pthread_cond_wait(&w->settled, &w->lock);
    nidx_status_t st = failure(w, err);
    if (st == NIDX_OK) {
        job->next = NULL;
        job->done = false;
        if (w->tail)
            w->tail->next = job;
        else
            w->head = job;
        w->tail = job;
        w->bytes += job->bytes;
        pthread_cond_signal(&w->queued);
    } else if (!job->waited) {
        free(job);
    }
    pthread_mutex_unlock(&w->lock);
    return st;
}

/* Whether what the poster waits for is done. Lock held. */
static bool settled(const worker_t *w, const job_t *job)
{
    return job ? job->done : !w->head && !w->running;
}

nidx_status_t worker_wait(worker_t *w, job_t *job, nidx_error_t *err)
{
    pthread_mutex_lock(&w->lock);
    while (!settled(w, job))
        pthread_cond_wait(&w->settled, &w->lock);
    nidx_status_t st = failure(w, err);
    pthread_mutex_unlock(&w->lock);
    return st;
}

void worker_totals(worker_t *w, worker_totals_t *totals)
{
    pthread_mutex_lock(&w->lock);
    *totals = w->totals;
    pthread_mutex_unlock(&w->lock);
}

nidx_status_t worker_stop(worker_t *w, worker_totals_t *done,
                          worker_totals_t *committed, nidx_error_t *err)
{
    if (!w)
        return NIDX_OK;
    pthread_mutex_lock(&w->lock);
    w->stopping = true;
    pthread_cond_signal(&w->queued);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    nidx_status_t st = failure(w, err);
    *done = w->totals;
    *committed = w->committed;
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->queued);
    pthread_cond_destroy(&w->settled);
    free(w);
    return st;
}
