/* layout.c — the index directory: shards and the stub that lists them. */
#include "layout.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "paths.h"

#define STUB "XAPIANDB"
#define SHARD_NAME "shard%u"
/* The comment line of a cluster's stub that records its identity. */
#define CLUSTER_LINE "# nidx-cluster "

layout_signature_t layout_signature(const char *index)
{
    layout_signature_t sig = {0};
    struct stat sb;
    char *p = paths_join(index, STUB);
    bool got = p && stat(p, &sb) == 0;
    free(p);
    if (!got) {
        p = paths_join(index, "iamglass");
        got = p && stat(p, &sb) == 0;
        free(p);
    }
    if (got)
        sig =
            (layout_signature_t){sb.st_dev, sb.st_ino, sb.st_size, sb.st_mtim};
    return sig;
}

bool layout_same_signature(const layout_signature_t *a,
                           const layout_signature_t *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime.tv_sec == b->mtime.tv_sec &&
           a->mtime.tv_nsec == b->mtime.tv_nsec;
}

char *layout_shard_path(const char *index, unsigned i)
{
    char name[32];
    snprintf(name, sizeof name, SHARD_NAME, i);
    return paths_join(index, name);
}

static bool exists(const char *dir, const char *name)
{
    char *p = paths_join(dir, name);
    bool yes = p && access(p, F_OK) == 0;
    free(p);
    return yes;
}

bool layout_is_remote(const char *path)
{
    return strncmp(path, "remote ", 7) == 0;
}

/* Whether spec is HOST:PORT (a port from 1 to 65535) or ":PROGRAM ...". */
static bool valid_remote(const char *spec)
{
    if (spec[0] == ':')
        return spec[1] != '\0' && spec[1] != ' ' && !strchr(spec, '\n');
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec || strpbrk(spec, " \t\n"))
        return false;
    char *end;
    unsigned long port = strtoul(colon + 1, &end, 10);
    return colon[1] && !*end && port >= 1 && port <= 65535;
}

/* A "remote ..." line, its line break cut; NULL when it is not one. */
static char *remote_line(char *line)
{
    size_t n = strlen(line);
    while (n > 0 &&
           (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
        line[--n] = '\0';
    if (!layout_is_remote(line) || !valid_remote(line + 7))
        return NULL;
    return strdup(line);
}

/* The stub's lines are "auto shardN", as nidx writes them, or "remote
   ..." for a shard another machine serves (layout_is_remote()). */
static nidx_status_t read_stub(const char *index, FILE *f, layout_t *out,
                               nidx_error_t *err)
{
    char line[1024], name[200];
    unsigned lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (strncmp(line, CLUSTER_LINE, strlen(CLUSTER_LINE)) == 0 &&
            strspn(line + strlen(CLUSTER_LINE), "0123456789abcdef") ==
                PLACE_CLUSTER_LEN)
            memcpy(out->cluster, line + strlen(CLUSTER_LINE),
                   PLACE_CLUSTER_LEN);
        if (line[0] == '\n' || line[0] == '#')
            continue;
        if (layout_is_remote(line) && out->shards < LAYOUT_MAX_SHARDS) {
            if (!(out->paths[out->shards] = remote_line(line)))
                return error_set(err, NIDX_ERROR_CORRUPT,
                                 "%s/" STUB ":%u: a remote line names no "
                                 "server (HOST:PORT or :PROGRAM ARGS)",
                                 index, lineno);
            out->shards++;
            out->remote = true;
            continue;
        }
        if (sscanf(line, "auto %199s", name) != 1 || strchr(name, '/') ||
            out->shards == LAYOUT_MAX_SHARDS)
            return error_set(err, NIDX_ERROR_CORRUPT,
                             "%s/" STUB ":%u: not a shard line nidx reads "
                             "('auto shardN' or 'remote HOST:PORT')",
                             index, lineno);
        if (!exists(index, name))
            return error_set(err, NIDX_ERROR_CORRUPT,
                             "%s/" STUB ":%u: shard %s is missing", index,
                             lineno, name);
        if (!(out->paths[out->shards] = paths_join(index, name)))
            return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
        out->shards++;
    }
    if (out->shards == 0)
        return error_set(err, NIDX_ERROR_CORRUPT, "%s/" STUB " lists no shard",
                         index);
    return NIDX_OK;
}

/* A "replica N SPEC" line of LAYOUT_CONF into out. */
static nidx_status_t read_replica(const char *index, unsigned lineno,
                                  const char *line, layout_t *out,
                                  nidx_error_t *err)
{
    unsigned shard;
    int at = 0;
    char spec[512 + 8] = "remote ";
    if (sscanf(line, " %*s %u %n", &shard, &at) != 1 || !at ||
        sscanf(line + at, "%511[^\r\n]", spec + 7) != 1)
        return error_set(err, NIDX_ERROR_ARGUMENT,
                         "%s/" LAYOUT_CONF ":%u: a replica line is "
                         "'replica SHARD HOST:PORT' (or ':PROGRAM ARGS')",
                         index, lineno);
    size_t n = strlen(spec);
    while (n > 7 && spec[n - 1] == ' ')
        spec[--n] = '\0';
    if (!valid_remote(spec + 7))
        return error_set(err, NIDX_ERROR_ARGUMENT,
                         "%s/" LAYOUT_CONF ":%u: '%s' is not a server "
                         "(HOST:PORT or :PROGRAM ARGS)",
                         index, lineno, spec + 7);
    if (shard >= out->shards || !layout_is_remote(out->paths[shard]))
        return error_set(err, NIDX_ERROR_ARGUMENT,
                         "%s/" LAYOUT_CONF ":%u: shard %u is not a shard on "
                         "another machine of this index (it has %u shards)",
                         index, lineno, shard, out->shards);
    if (out->n_replicas == LAYOUT_MAX_REPLICAS)
        return error_set(err, NIDX_ERROR_ARGUMENT,
                         "%s/" LAYOUT_CONF ":%u: more than %d replicas", index,
                         lineno, LAYOUT_MAX_REPLICAS);
    if (!(out->replicas[out->n_replicas] = strdup(spec)))
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    out->replica_of[out->n_replicas++] = shard;
    return NIDX_OK;
}

/* The settings of LAYOUT_CONF, when there is one. */
static nidx_status_t read_conf(const char *index, layout_t *out,
                               nidx_error_t *err)
{
    char *path = paths_join(index, LAYOUT_CONF), line[600], name[64];
    FILE *f = path ? fopen(path, "r") : NULL;
    unsigned lineno = 0;
    double seconds;
    nidx_status_t st = NIDX_OK;
    free(path);
    while (f && st == NIDX_OK && fgets(line, sizeof line, f)) {
        lineno++;
        if (sscanf(line, " %63s", name) != 1 || name[0] == '#')
            continue;
        if (strcmp(name, "shard-timeout") == 0 &&
            sscanf(line, " %*s %lf", &seconds) == 1 && seconds > 0 &&
            seconds <= 3600)
            out->timeout_ms = (unsigned)(seconds * 1000 + 0.5);
        else if (strcmp(name, "replica") == 0)
            st = read_replica(index, lineno, line, out, err);
        else
            st = error_set(err, NIDX_ERROR_ARGUMENT,
                           "%s/" LAYOUT_CONF ":%u: not a setting nidx knows "
                           "(shard-timeout SECONDS, up to 3600; replica "
                           "SHARD HOST:PORT)",
                           index, lineno);
    }
    if (f)
        fclose(f);
    return st;
}

nidx_status_t layout_read(const char *index, layout_t *out, nidx_error_t *err)
{
    memset(out, 0, sizeof *out);
    char *stub = paths_join(index, STUB);
    if (!stub)
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    FILE *f = fopen(stub, "r");
    free(stub);
    if (f) {
        nidx_status_t st = read_stub(index, f, out, err);
        fclose(f);
        if (st == NIDX_OK)
            st = read_conf(index, out, err);
        if (st != NIDX_OK)
            layout_free(out);
        return st;
    }
    if (errno != ENOENT)
        return error_set(err, NIDX_ERROR_IO, "%s/" STUB ": %s", index,
                         strerror(errno));
    /* One database in the directory itself: an index from before shards. */
    if (exists(index, "iamglass") || exists(index, "iamchert")) {
        if (!(out->paths[0] = strdup(index)))
            return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
        out->shards = 1;
    }
    return NIDX_OK;
}

/* Writes the stub's lines, the cluster's identity (when not "") then
   line(context, i, f) for i < n, atomically. */
static nidx_status_t
write_stub(const char *index, const char *cluster, unsigned n,
           void (*line)(const void *context, unsigned i, FILE *f),
           const void *context, nidx_error_t *err)
{
    char *stub = paths_join(index, STUB), *tmp = paths_join(index, STUB ".new");
    nidx_status_t st = NIDX_OK;
    FILE *f = tmp ? fopen(tmp, "w") : NULL;
    if (!stub || !tmp) {
        st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    } else if (!f) {
        st = error_set(err, NIDX_ERROR_IO, "%s: %s", tmp, strerror(errno));
    } else {
        if (*cluster)
            fprintf(f, CLUSTER_LINE "%s\n", cluster);
        for (unsigned i = 0; i < n; i++)
            line(context, i, f);
        bool ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
        ok = fclose(f) == 0 && ok;
        if (!ok || rename(tmp, stub) != 0)
            st = error_set(err, NIDX_ERROR_IO, "%s: %s", stub, strerror(errno));
    }
    free(stub);
    free(tmp);
    return st;
}

static void auto_line(const void *context, unsigned i, FILE *f)
{
    (void)context;
    fprintf(f, "auto " SHARD_NAME "\n", i);
}

nidx_status_t layout_write_stub(const char *index, unsigned shards,
                                nidx_error_t *err)
{
    return write_stub(index, "", shards, auto_line, NULL, err);
}

static void remote_line_of(const void *context, unsigned i, FILE *f)
{
    fprintf(f, "remote %s\n", ((const char *const *)context)[i]);
}

nidx_status_t layout_write_remote_stub(const char *index,
                                       const char *const *specs, unsigned n,
                                       const char *cluster, nidx_error_t *err)
{
    if (n == 0 || n > LAYOUT_MAX_SHARDS)
        return error_set(err, NIDX_ERROR_ARGUMENT,
                         "a cluster has 1 to %d shards", LAYOUT_MAX_SHARDS);
    for (unsigned i = 0; i < n; i++)
        if (!valid_remote(specs[i]))
            return error_set(err, NIDX_ERROR_ARGUMENT,
                             "'%s' is not a shard: HOST:PORT (xapian-tcpsrv) "
                             "or ':PROGRAM ARGS' (xapian-progsrv, through ssh "
                             "for one)",
                             specs[i]);
    if (mkdir(index, 0777) != 0 && errno != EEXIST)
        return error_set(err, NIDX_ERROR_IO, "%s: %s", index, strerror(errno));
    return write_stub(index, cluster, n, remote_line_of, specs, err);
}

bool layout_is_database(const char *path)
{
    return exists(path, "iamglass");
}

nidx_status_t layout_clear_unfinished(const char *shard_path, nidx_error_t *err)
{
    static const char *const debris[] = {
        "flintlock",      "iamglass.tmp",  "postlist.glass",
        "termlist.glass", "docdata.glass", "position.glass",
        "spelling.glass", "synonym.glass", "record.glass"};
    if (access(shard_path, F_OK) != 0 || layout_is_database(shard_path))
        return NIDX_OK;
    for (size_t i = 0; i < sizeof debris / sizeof debris[0]; i++) {
        char *p = paths_join(shard_path, debris[i]);
        if (!p)
            return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
        int gone = unlink(p) == 0 || errno == ENOENT;
        free(p);
        if (!gone)
            return error_set(err, NIDX_ERROR_IO, "%s: %s", shard_path,
                             strerror(errno));
    }
    return NIDX_OK;
}

void layout_free(layout_t *layout)
{
    for (unsigned i = 0; i < layout->shards; i++)
        free(layout->paths[i]);
    layout->shards = 0;
    for (unsigned i = 0; i < layout->n_replicas; i++)
        free(layout->replicas[i]);
    layout->n_replicas = 0;
}
