/* paths.h — file-system helpers shared by both commands' library code. */
#ifndef NIDX_LIB_PATHS_H
#define NIDX_LIB_PATHS_H

#include "nidx.h"

/* dir/name, malloc'ed (NULL when out of memory). */
char *paths_join(const char *dir, const char *name);

/* Creates `dir` and its missing parents, like mkdir -p. */
nidx_status_t paths_make_dirs(const char *dir, nidx_error_t *err);

#endif
