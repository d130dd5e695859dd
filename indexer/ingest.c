/*
 * ingest.c — nidx_writer_add_path(): walking paths, reading each file with
 * its reader and handing articles to the writer, reporting what is wrong
 * with the input without stopping.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "document.h"
#include "error.h"
#include "hash.h"
#include "reader.h"
#include "writer.h"

/* Deeper directory trees than this are taken for a link loop. */
#define MAX_DEPTH 64

/*
 * The directories walked, by device and inode: a link back to a parent
 * (or two, which doubled the paths at every level) or a second link to a
 * directory already read is not walked again. Open addressing, doubled
 * at half full.
 */
typedef struct visited {
    struct dir_id {
        dev_t dev;
        ino_t ino;
    } * slots;
    size_t cap, n;
} visited_t;

static size_t dir_hash(dev_t dev, ino_t ino, size_t cap)
{
    return (size_t)hash_mix((uint64_t)dev * 0x9E3779B97F4A7C15u ^
                            (uint64_t)ino) &
           (cap - 1);
}

/* Inserts (dev, ino): 1 when new, 0 when already there, -1 out of memory.
   Inode 0 marks an empty slot (no directory has it). */
static int visit(visited_t *v, dev_t dev, ino_t ino)
{
    if (2 * (v->n + 1) > v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 256;
        struct dir_id *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return -1;
        for (size_t i = 0; i < v->cap; i++) {
            if (!v->slots[i].ino)
                continue;
            size_t j = dir_hash(v->slots[i].dev, v->slots[i].ino, cap);
            while (slots[j].ino)
                j = (j + 1) & (cap - 1);
            slots[j] = v->slots[i];
        }
        free(v->slots);
        v->slots = slots;
        v->cap = cap;
    }
    size_t j = dir_hash(dev, ino, v->cap);
    for (; v->slots[j].ino; j = (j + 1) & (v->cap - 1))
        if (v->slots[j].ino == ino && v->slots[j].dev == dev)
            return 0;
    v->slots[j] = (struct dir_id){dev, ino};
    v->n++;
    return 1;
}

typedef struct ingest {
    nidx_writer_t *writer;
    struct stat index_dir; /* never walked into: it is not input */
    nidx_add_stats_t *stats;
    nidx_diagnostic_fn report;
    void *context;
    uint64_t input_done; /* bytes on disk of the files read to the end */
    bool sizing;         /* only add up the sizes of the files to read */
    unsigned since_progress;
    /* The shards count articles as they store them: their totals when
       the walk began, and the stats' counts then. */
    uint64_t start_added, start_replaced, start_removed;
    uint64_t base_added, base_replaced, base_removed;
    visited_t walked; /* directories read in this walk */
    int stream_fd;    /* >= 0: add_file() reads JSON Lines from it */
} ingest_t;

/* Articles between two progress calls. */
#define PROGRESS_EVERY 256

/* The stats' article counts from the shards' totals. */
static void update_counts(ingest_t *in)
{
    uint64_t added, replaced, removed;
    writer_totals(in->writer, &added, &replaced, &removed);
    in->stats->added = in->base_added + added - in->start_added;
    in->stats->replaced = in->base_replaced + replaced - in->start_replaced;
    in->stats->removed = in->base_removed + removed - in->start_removed;
}

static void diagnose(ingest_t *in, const char *path, uint64_t line,
                     const nidx_error_t *e, nidx_skip_t skipped)
{
    if (!in->report)
        return;
    nidx_diagnostic_t d = {path, line, e->status, skipped, e->message};
    in->report(in->context, &d);
}

static void warn_bad_date(ingest_t *in, reader_t *r, const char *path,
                          const nidx_article_t *a)
{
    char date[11];
    if (!a->date || !*a->date || document_normalize_date(a->date, date))
        return;
    nidx_error_t e;
    uint64_t line = reader_line(r);
    if (line)
        error_set(&e, NIDX_ERROR_INPUT,
                  "%s:%llu: date '%.40s' is not ISO 8601; stored, not sortable",
                  path, (unsigned long long)line, a->date);
    else
        error_set(&e, NIDX_ERROR_INPUT,
                  "%s: date '%.40s' is not ISO 8601; stored, not sortable",
                  path, a->date);
    diagnose(in, path, line, &e, NIDX_SKIP_NONE);
}

/*
 * The absolute form of `path` into out (PATH_MAX bytes): symbolic links
 * resolved when it exists, else joined to the working directory.
 */
static bool absolute_path(const char *path, char *out)
{
    if (realpath(path, out))
        return true;
    if (path[0] == '/')
        return snprintf(out, PATH_MAX, "%s", path) < PATH_MAX;
    char cwd[PATH_MAX];
    return getcwd(cwd, sizeof cwd) &&
           snprintf(out, PATH_MAX, "%s/%s", cwd, path) < PATH_MAX;
}

/*
 * Whether a file on disk (sb not NULL) is unchanged since the index last
 * read it; else starts tracking it (*tracked).
 */
static nidx_status_t begin_file(ingest_t *in, const char *path,
                                const struct stat *sb, bool *tracked,
                                bool *unchanged, nidx_error_t *err)
{
    char abs[PATH_MAX], stamp[64];
    *tracked = *unchanged = false;
    if (!sb || !S_ISREG(sb->st_mode) || !absolute_path(path, abs))
        return NIDX_OK;
    snprintf(stamp, sizeof stamp, "%lld %lld.%09ld", (long long)sb->st_size,
             (long long)sb->st_mtim.tv_sec, (long)sb->st_mtim.tv_nsec);
    nidx_status_t st =
        writer_file_begin(in->writer, abs, stamp, unchanged, err);
    *tracked = st == NIDX_OK && !*unchanged;
    return st;
}

/* Reads one file; fails only when the index cannot be written. `sb` is
   the file's status, NULL for standard input. */
static nidx_status_t add_file(ingest_t *in, const char *path,
                              const struct stat *sb, reader_format_t format,
                              nidx_error_t *err)
{
    reader_t *r;
    nidx_error_t e;
    nidx_article_t a;
    int got = READ_FAIL;
    bool tracked, unchanged;
    nidx_status_t st = begin_file(in, path, sb, &tracked, &unchanged, err);
    if (st != NIDX_OK)
        return st;
    if (unchanged) {
        in->stats->unchanged_files++;
        in->input_done += (uint64_t)sb->st_size;
        in->stats->input_bytes = in->input_done;
        return NIDX_OK;
    }
    if (in->stream_fd >= 0) {
        st = reader_open_jsonl_fd(in->stream_fd, path, &r, &e);
        in->stream_fd = -1; /* taken */
    } else {
        st = reader_open(path, format, &r, &e);
    }
    if (st != NIDX_OK && writer_interrupted(in->writer)) {
        /* A read cut by the signal: the run stops, the file is not at
           fault (and not recorded, so the next run reads it). */
        if (tracked)
            writer_file_end(in->writer, false, err);
        return error_set(err, NIDX_ERROR_INTERRUPTED, "interrupted");
    }
    if (st != NIDX_OK) {
        in->stats->skipped_files++;
        diagnose(in, path, 0, &e, NIDX_SKIP_FILE);
        if (tracked)
            writer_file_end(in->writer, false, err);
        return st == NIDX_ERROR_NOMEM ? error_set(err, st, "out of memory")
                                      : NIDX_OK;
    }
    in->stats->files++;
    if (reader_warning(r)) {
        error_set(&e, NIDX_ERROR_INPUT, "%s", reader_warning(r));
        diagnose(in, path, 0, &e, NIDX_SKIP_NONE);
    }
    uint64_t articles = 0; /* handed in from this file */
    writer_file_articles(in->writer, 0);
    for (uint64_t records = 0; (got = reader_next(r, &a, &e)) != READ_END;
         records++) {
        if (got == READ_NOTE) {
            diagnose(in, path, 0, &e, NIDX_SKIP_NONE);
            continue;
        }
        if (got == READ_SKIP) {
            in->stats->skipped_records++;
            diagnose(in, path, reader_line(r), &e, NIDX_SKIP_RECORD);
            continue;
        }
        if (got == READ_FAIL && writer_interrupted(in->writer)) {
            st = error_set(err, NIDX_ERROR_INTERRUPTED, "interrupted");
            break;
        }
        if (got == READ_FAIL) {
            in->stats->skipped_files++;
            diagnose(in, path, reader_line(r), &e,
                     records > 0 ? NIDX_SKIP_REST : NIDX_SKIP_FILE);
            break;
        }
        if (writer_interrupted(in->writer)) {
            st = error_set(err, NIDX_ERROR_INTERRUPTED, "interrupted");
            break;
        }
        warn_bad_date(in, r, path, &a);
        if (reader_record_warning(r)) {
            error_set(&e, NIDX_ERROR_INPUT, "%s: %s", path,
                      reader_record_warning(r));
            diagnose(in, path, reader_line(r), &e, NIDX_SKIP_NONE);
        }
        uint64_t repaired = 0;
        st = nidx_writer_add(in->writer, &a, NULL, &repaired, err);
        if (st != NIDX_OK)
            break;
        writer_file_articles(in->writer, ++articles);
        in->stats->repaired_bytes += repaired;
        if (writer_last_cut(in->writer)) {
            char where[PATH_MAX + 32];
            if (reader_line(r))
                snprintf(where, sizeof where, "%s:%llu", path,
                         (unsigned long long)reader_line(r));
            else
                snprintf(where, sizeof where, "%s", path);
            error_set(&e, NIDX_ERROR_INPUT,
                      "%s: a body of %.1f MB, kept and indexed on its first "
                      "%.1f MB (the memory budget; --memory raises it)",
                      where, (double)writer_last_cut(in->writer) / 1e6,
                      (double)writer_max_article(in->writer) / 1e6);
            diagnose(in, path, reader_line(r), &e, NIDX_SKIP_NONE);
        }
        if (++in->since_progress == PROGRESS_EVERY) {
            in->since_progress = 0;
            update_counts(in);
            /* The totals so far, this file's bytes included. */
            nidx_add_stats_t so_far = *in->stats;
            so_far.bytes_read += reader_bytes(r);
            so_far.input_bytes = in->input_done + reader_position(r);
            writer_progress(in->writer, &so_far, path, false);
        }
    }
    in->stats->bytes_read += reader_bytes(r);
    in->input_done += sb ? (uint64_t)sb->st_size : reader_position(r);
    in->stats->input_bytes = in->input_done;
    reader_close(r);
    update_counts(in);
    writer_progress(in->writer, in->stats, path, true);
    /* Read to its end: what an earlier version gave and this one did not
       goes, and the file is recorded as read. */
    if (tracked) {
        nidx_status_t end =
            writer_file_end(in->writer, st == NIDX_OK && got == READ_END, err);
        if (st == NIDX_OK)
            st = end;
    }
    return st;
}

static nidx_status_t add_any(ingest_t *in, const char *path, bool named,
                             int depth, nidx_error_t *err);

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_hidden(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

static nidx_status_t add_directory(ingest_t *in, const char *path, int depth,
                                   nidx_error_t *err)
{
    struct dirent **names;
    nidx_status_t st = NIDX_OK;
    int n = scandir(path, &names, not_hidden, by_name);
    if (n < 0) {
        nidx_error_t e;
        error_set(&e, NIDX_ERROR_IO, "%s: %s", path, strerror(errno));
        in->stats->skipped_files++;
        diagnose(in, path, 0, &e, NIDX_SKIP_FILE);
        return NIDX_OK;
    }
    for (int i = 0; i < n; i++) {
        if (st == NIDX_OK) {
            size_t len = strlen(path) + strlen(names[i]->d_name) + 2;
            char *child = malloc(len);
            if (!child) {
                st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
            } else {
                bool slash = path[strlen(path) - 1] == '/';
                snprintf(child, len, "%s%s%s", path, slash ? "" : "/",
                         names[i]->d_name);
                st = add_any(in, child, false, depth + 1, err);
                free(child);
            }
        }
        free(names[i]);
    }
    free(names);
    return st;
}

/*
 * A path named by the caller is read whatever its name or kind (a pipe
 * works); inside a directory only regular files whose names say they are
 * articles are read, others counted as ignored.
 */
static nidx_status_t add_any(ingest_t *in, const char *path, bool named,
                             int depth, nidx_error_t *err)
{
    struct stat sb;
    nidx_error_t e;
    if (in->writer && writer_interrupted(in->writer))
        return error_set(err, NIDX_ERROR_INTERRUPTED, "interrupted");
    if (strcmp(path, "-") == 0)
        return add_file(in, path, NULL, FORMAT_JSONL, err);
    if (stat(path, &sb) != 0) {
        error_set(&e, NIDX_ERROR_IO, "%s: %s", path, strerror(errno));
        in->stats->skipped_files++;
        diagnose(in, path, 0, &e, NIDX_SKIP_FILE);
        return NIDX_OK;
    }
    if (S_ISDIR(sb.st_mode)) {
        if (depth > MAX_DEPTH) {
            error_set(&e, NIDX_ERROR_IO,
                      "%s: more than %d directories deep (a link loop?)", path,
                      MAX_DEPTH);
            in->stats->skipped_files++;
            diagnose(in, path, 0, &e, NIDX_SKIP_FILE);
            return NIDX_OK;
        }
        if (sb.st_dev == in->index_dir.st_dev &&
            sb.st_ino == in->index_dir.st_ino)
            return NIDX_OK;
        int fresh = visit(&in->walked, sb.st_dev, sb.st_ino);
        if (fresh < 0)
            return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
        if (!fresh) {
            if (!in->sizing) {
                error_set(&e, NIDX_ERROR_IO,
                          "%s: a directory already read through another "
                          "path (a link); not read again",
                          path);
                diagnose(in, path, 0, &e, NIDX_SKIP_NONE);
            }
            return NIDX_OK;
        }
        return add_directory(in, path, depth, err);
    }
    reader_format_t format = reader_format_from_name(path);
    /* Crawls save pages under names without a suffix: their content
       tells. */
    if (!named && S_ISREG(sb.st_mode) && format == FORMAT_UNKNOWN)
        format = reader_format_from_content(path);
    if (!named && (!S_ISREG(sb.st_mode) || format == FORMAT_UNKNOWN)) {
        in->stats->ignored_files++;
        return NIDX_OK;
    }
    if (in->sizing) {
        in->input_done += (uint64_t)sb.st_size;
        return NIDX_OK;
    }
    return add_file(in, path, &sb, format, err);
}

/* Sets up a run of nidx_writer_add_path() or _add_jsonl(). */
static void ingest_begin(ingest_t *in, nidx_writer_t *writer,
                         nidx_add_stats_t *stats, nidx_diagnostic_fn report,
                         void *context)
{
    *in = (ingest_t){.writer = writer,
                     .stats = stats,
                     .report = report,
                     .context = context,
                     .input_done = stats->input_bytes,
                     .stream_fd = -1};
    writer_totals(writer, &in->start_added, &in->start_replaced,
                  &in->start_removed);
    in->base_added = stats->added;
    in->base_replaced = stats->replaced;
    in->base_removed = stats->removed;
}

/* Ends a run: every article handed over is stored before the counts are
   final. Returns st, or the writer's failure. */
static nidx_status_t ingest_end(ingest_t *in, nidx_status_t st,
                                nidx_error_t *err)
{
    nidx_error_t e;
    free(in->walked.slots);
    nidx_status_t drained = writer_drain(in->writer, st == NIDX_OK ? err : &e);
    update_counts(in);
    return st != NIDX_OK ? st : drained;
}

nidx_status_t nidx_writer_add_jsonl(nidx_writer_t *writer, const char *name,
                                    const char *data, size_t len,
                                    nidx_add_stats_t *stats,
                                    nidx_diagnostic_fn report, void *context,
                                    nidx_error_t *err)
{
    ingest_t in;
    if (!writer || !name || (!data && len) || !stats)
        return error_set(err, NIDX_ERROR_ARGUMENT,
                         "nidx_writer_add_jsonl needs a writer, a name, data "
                         "and stats");
    /* The readers read streams: an anonymous file in memory is one. */
    int fd = memfd_create("nidx-jsonl", MFD_CLOEXEC);
    if (fd < 0)
        return error_set(err, NIDX_ERROR_IO, "%s: %s", name, strerror(errno));
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno != EINTR) {
            int e = errno;
            close(fd);
            return error_set(err,
                             e == ENOMEM ? NIDX_ERROR_NOMEM : NIDX_ERROR_IO,
                             "%s: %s", name, strerror(e));
        }
        done += n > 0 ? (size_t)n : 0;
    }
    lseek(fd, 0, SEEK_SET);
    ingest_begin(&in, writer, stats, report, context);
    in.stream_fd = fd;
    nidx_status_t st = add_file(&in, name, NULL, FORMAT_JSONL, err);
    if (in.stream_fd >= 0)
        close(in.stream_fd);
    return ingest_end(&in, st, err);
}

nidx_status_t nidx_writer_add_path(nidx_writer_t *writer, const char *path,
                                   nidx_add_stats_t *stats,
                                   nidx_diagnostic_fn report, void *context,
                                   nidx_error_t *err)
{
    ingest_t in;
    if (!writer || !path || !stats)
        return error_set(err, NIDX_ERROR_ARGUMENT,
                         "nidx_writer_add_path needs a writer, a path and "
                         "stats");
    ingest_begin(&in, writer, stats, report, context);
    if (stat(writer_index_path(writer), &in.index_dir) != 0)
        memset(&in.index_dir, 0, sizeof in.index_dir);
    return ingest_end(&in, add_any(&in, path, true, 0, err), err);
}

nidx_status_t nidx_writer_prune(nidx_writer_t *writer, const char *path,
                                nidx_add_stats_t *stats, nidx_error_t *err)
{
    char abs[PATH_MAX];
    if (!writer || !path || !stats)
        return error_set(err, NIDX_ERROR_ARGUMENT,
                         "nidx_writer_prune needs a writer, a path and stats");
    if (strcmp(path, "-") == 0)
        return NIDX_OK;
    if (!absolute_path(path, abs))
        return error_set(err, NIDX_ERROR_ARGUMENT, "%s: path too long", path);
    size_t n = strlen(abs);
    while (n > 1 && abs[n - 1] == '/')
        abs[--n] = '\0';
    return writer_prune(writer, abs, &stats->pruned_files, &stats->removed,
                        err);
}

uint64_t nidx_input_bytes(const char *path)
{
    /* The walk of nidx_writer_add_path(), reading nothing. */
    nidx_add_stats_t stats = {0};
    ingest_t in = {.stats = &stats, .sizing = true, .stream_fd = -1};
    nidx_error_t err;
    if (!path || strcmp(path, "-") == 0)
        return 0;
    add_any(&in, path, true, 0, &err);
    free(in.walked.slots);
    return in.input_done;
}
