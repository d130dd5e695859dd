/*
 * maintain.c — whole-index operations: compaction in place, and the
 * consistency check (Xapian's check of every table, then every article
 * read as a search would, its body whole against its checksum).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "layout.h"
#include "nidx.h"
#include "results.h"
#include "xapian_shim.h"

/* Removes a directory of plain files (a Xapian database); quiet when it
   is not there. */
static void remove_flat_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096];
    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

/* Compacts one shard's database in place, under the shard's writer lock,
   which keeps other writers out while the copy is made. */
static nidx_status_t compact_shard(const char *path, nidx_error_t *err)
{
    char tmp[4096], old[4096];
    xshim_writer_t *w;
    if (snprintf(tmp, sizeof tmp, "%s.compacting", path) >= (int)sizeof tmp ||
        snprintf(old, sizeof old, "%s.old", path) >= (int)sizeof old)
        return error_set(err, NIDX_ERROR_ARGUMENT, "index path too long");
    nidx_status_t st = xshim_writer_open(path, &w, err);
    if (st != NIDX_OK)
        return st;
    remove_flat_dir(tmp); /* left by an earlier run that stopped */
    remove_flat_dir(old);
    st = xshim_writer_compact(w, tmp, err);
    if (st == NIDX_OK && rename(path, old) != 0)
        st = error_set(err, NIDX_ERROR_IO, "%s: %s", path, strerror(errno));
    if (st == NIDX_OK && rename(tmp, path) != 0) {
        st = error_set(err, NIDX_ERROR_IO, "%s: %s", tmp, strerror(errno));
        rename(old, path); /* put the original back */
    }
    nidx_error_t ignored;
    xshim_writer_close(w, &ignored);
    if (st == NIDX_OK)
        remove_flat_dir(old);
    else
        remove_flat_dir(tmp);
    return st;
}

/* The shards of the index at `path`; NIDX_ERROR_NO_INDEX when none. */
static nidx_status_t read_layout(const char *path, layout_t *layout,
                                 nidx_error_t *err)
{
    if (!path || !*path)
        return error_set(err, NIDX_ERROR_ARGUMENT, "no index path given");
    nidx_status_t st = layout_read(path, layout, err);
    if (st == NIDX_OK && layout->shards == 0)
        st = error_set(err, NIDX_ERROR_NO_INDEX, "no index at %s", path);
    if (st == NIDX_OK && layout->remote)
        st = error_set(err, NIDX_ERROR_ARGUMENT,
                       "%s: its shards are served by other machines: compact "
                       "and check each on its own machine",
                       path);
    if (st != NIDX_OK)
        layout_free(layout);
    return st;
}

nidx_status_t nidx_index_compact(const char *path, nidx_error_t *err)
{
    layout_t layout;
    nidx_status_t st = read_layout(path, &layout, err);
    for (unsigned i = 0; i < layout.shards && st == NIDX_OK; i++)
        st = compact_shard(layout.paths[i], err);
    layout_free(&layout);
    return st;
}

/* What a check found so far: each problem counted, the first kept, all
   passed on to the caller's report. */
typedef struct found {
    nidx_diagnostic_fn report;
    void *context;
    uint64_t problems;
    nidx_error_t first;
} found_t;

/* `count` problems described by d (a shard's tables may hold many). */
static void problem(found_t *f, const nidx_diagnostic_t *d, uint64_t count)
{
    if (f->problems == 0)
        error_set(&f->first, d->status, "%s", d->message);
    f->problems += count;
    if (f->report)
        f->report(f->context, d);
}

/* One article's problem (searcher_check_bodies()'s report). */
static void article_problem(void *context, const nidx_diagnostic_t *d)
{
    problem(context, d, 1);
}

nidx_status_t nidx_index_check_each(const char *path, nidx_diagnostic_fn report,
                                    void *context, uint64_t *problems,
                                    nidx_error_t *err)
{
    layout_t layout;
    found_t f = {report, context, 0, {0}};
    nidx_error_t e;
    *problems = 0;
    nidx_status_t st = read_layout(path, &layout, err);
    if (st != NIDX_OK)
        return st;
    /* Every shard's tables, each on its own: one damaged shard does not
       hide another. */
    for (unsigned i = 0; i < layout.shards && st == NIDX_OK; i++) {
        uint64_t count = 0;
        memset(&e, 0, sizeof e);
        st = xshim_check(layout.paths[i], &count, &e);
        nidx_diagnostic_t d = {layout.paths[i], 0, e.status, NIDX_SKIP_NONE,
                               e.message};
        if (count)
            problem(&f, &d, count);
        else if (st != NIDX_OK && err)
            *err = e;
    }
    layout_free(&layout);
    /* Then every article, as a search reads it; with damaged tables the
       index may not even open, which is said as one more problem. */
    nidx_searcher_t *s = NULL;
    if (st == NIDX_OK) {
        memset(&e, 0, sizeof e);
        if (nidx_searcher_open(path, &s, &e) != NIDX_OK) {
            nidx_diagnostic_t d = {path, 0, e.status, NIDX_SKIP_NONE,
                                   e.message};
            problem(&f, &d, 1);
        } else {
            st = searcher_check_bodies(s, article_problem, &f, err);
        }
        nidx_searcher_close(s);
    }
    *problems = f.problems;
    if (st == NIDX_OK && f.problems && err)
        *err = f.first;
    return st;
}

nidx_status_t nidx_index_check(const char *path, uint64_t *problems,
                               nidx_error_t *err)
{
    return nidx_index_check_each(path, NULL, NULL, problems, err);
}

nidx_status_t nidx_index_set_remote_shards(const char *path,
                                           const char *const *shards,
                                           unsigned n, bool replace,
                                           nidx_error_t *err)
{
    layout_t old;
    if (!path || !*path)
        return error_set(err, NIDX_ERROR_ARGUMENT, "no index path given");
    nidx_status_t st = layout_read(path, &old, err);
    if (st != NIDX_OK)
        return st;
    const char *refusal =
        old.shards == 0 ? NULL
        : !old.remote   ? "holds an index of its own shards: a cluster goes "
                          "into a directory of its own"
        : old.shards != n
            ? "is a cluster of another number of shards: articles go to a "
              "shard by a hash of their id over the number of shards, so a "
              "cluster keeps its number (move shards between machines "
              "instead, listing the same number anew)"
        : !replace ? "is a cluster already: listing its shards anew (moved "
                     "to other machines, the same number) needs --force"
                   : NULL;
    /* A cluster keeps its identity when listed anew; a new one gets its
       own here, for shards built apart (nidx_writer_open_part()). One
       listed by an older nidx has none in its stub: its shards have it,
       and the next write records it there (not a new one, which shards
       built apart would take instead of theirs). */
    char cluster[PLACE_CLUSTER_LEN + 1];
    memcpy(cluster, old.cluster, sizeof cluster);
    if (!*cluster && old.shards == 0)
        place_new_cluster(cluster);
    layout_free(&old);
    if (refusal)
        return error_set(err, NIDX_ERROR_ARGUMENT, "%s %s", path, refusal);
    return layout_write_remote_stub(path, shards, n, cluster, err);
}
