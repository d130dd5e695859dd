/* paths.c — where the index lives, and making directories for it. */
#include "paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"

char *paths_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", dir, name);
    return s;
}

char *nidx_default_index_path(void)
{
    const char *env = getenv("NIDX_INDEX");
    if (env && *env)
        return strdup(env);
    env = getenv("XDG_DATA_HOME");
    if (env && *env == '/') /* the spec says relative values are ignored */
        return paths_join(env, "nidx/index");
    env = getenv("HOME");
    if (env && *env)
        return paths_join(env, ".local/share/nidx/index");
    return NULL;
}

nidx_status_t paths_make_dirs(const char *dir, nidx_error_t *err)
{
    char *path = strdup(dir);
    if (!path)
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            int e = errno;
            error_set(err, NIDX_ERROR_IO, "cannot create directory %s: %s",
                      path, strerror(e));
            free(path);
            return NIDX_ERROR_IO;
        }
        *p = c;
        if (c == '\0')
            break;
    }
    free(path);
    return NIDX_OK;
}
