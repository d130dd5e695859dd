/*
 * maintain.c — whole-index operations: compaction in place, and the
 * consistency check.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "nidx.h"
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

nidx_status_t nidx_index_compact(const char *path, nidx_error_t *err)
{
    char tmp[4096], old[4096];
    xshim_writer_t *w;
    nidx_status_t st;
    if (!path || !*path)
        return error_set(err, NIDX_ERROR_ARGUMENT, "no index path given");
    if (snprintf(tmp, sizeof tmp, "%s.compacting", path) >= (int)sizeof tmp ||
        snprintf(old, sizeof old, "%s.old", path) >= (int)sizeof old)
        return error_set(err, NIDX_ERROR_ARGUMENT, "index path too long");
    if (access(path, F_OK) != 0)
        return error_set(err, NIDX_ERROR_NO_INDEX, "no index at %s", path);
    /* The writer lock keeps other writers out while the copy is made. */
    st = xshim_writer_open(path, &w, err);
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

nidx_status_t nidx_index_check(const char *path, uint64_t *problems,
                               nidx_error_t *err)
{
    *problems = 0;
    if (!path || !*path)
        return error_set(err, NIDX_ERROR_ARGUMENT, "no index path given");
    if (access(path, F_OK) != 0)
        return error_set(err, NIDX_ERROR_NO_INDEX, "no index at %s", path);
    return xshim_check(path, problems, err);
}
