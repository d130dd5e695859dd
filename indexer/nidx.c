/*
 * nidx.c — the indexing command: argument parsing, messages and the
 * summary, over the public API.
 *
 *   nidx [--index DIR] [--quiet] [--batch N] [--shards N] ... add PATH...
 *   nidx [--index DIR] remove ID...
 *   nidx [--index DIR] [--json] stats
 *   nidx [--index DIR] compact | check
 *   nidx [--index DIR] [--force] cluster SHARD...
 *   nidx --index CLUSTER --only-shards K-L --into DIR add PATH...
 *   nidx [--index DIR] regroup
 *   nidx [--index DIR] serve [--listen ADDR:PORT] [--threads N]
 *        [--token-file FILE] [--time-limit S] [--access-log FILE]
 *
 * Exit status: 0 when everything was indexed, 1 when some input was
 * skipped (each case reported on standard error), 2 when the index could
 * not be opened or written, or the command line is wrong.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "nidx.h"
#include "serve.h"

static void usage(FILE *out)
{
    fputs(
        "usage: nidx [--index DIR] [--quiet] [--batch N] [--title-weight N]\n"
        "            [--memory MB] [--shards N] [--verbose] [--force]\n"
        "            [--prune]\n"
        "            add PATH...\n"
        "       nidx [--index DIR] remove ID...\n"
        "       nidx [--index DIR] [--json] stats\n"
        "       nidx [--index DIR] compact | check\n"
        "       nidx [--index DIR] [--force] cluster SHARD...\n"
        "       nidx --index CLUSTER --only-shards K-L --into DIR add PATH...\n"
        "       nidx [--index DIR] regroup\n"
        "       nidx [--index DIR] serve [--listen ADDR:PORT] [--threads N]\n"
        "            [--token-file FILE] [--time-limit S]\n"
        "            [--access-log FILE]\n"
        "\n"
        "add: adds articles to a search index. PATH is a file, a directory\n"
        "(walked recursively) or - for JSON Lines on standard input.\n"
        "Formats: .txt, .jsonl, .ndjson, .html, .warc, each optionally\n"
        ".gz; files without a known name are recognized by content.\n"
        "remove: deletes the articles with these ids. stats: articles,\n"
        "words, dates, languages, sources, size. compact: rewrites the\n"
        "index smaller, in place. check: checks every table. serve: the\n"
        "search page and JSON API over HTTP (man nidx tells the paths).\n"
        "cluster: makes DIR an index of shards on other machines, each\n"
        "SHARD HOST:PORT (xapian-tcpsrv) or ':PROGRAM ARGS' (xapian-progsrv\n"
        "through ssh), and says what each holds. add --only-shards: builds\n"
        "shards K to L of the cluster in DIR (DIR/shardK...), to be served\n"
        "from there: a bulk load where the shards live. regroup: joins the\n"
        "near-duplicates that shards built apart hold.\n"
        "\n"
        "  -i, --index DIR  the index (default: $NIDX_INDEX, else\n"
        "                   $XDG_DATA_HOME/nidx/index, else\n"
        "                   ~/.local/share/nidx/index)\n"
        "  -b, --batch N    commit every N articles, shards together\n"
        "                   (default 2000)\n"
        "  -m, --memory MB  keep memory near MB megabytes (default 1024)\n"
        "  -s, --shards N   a new index: N shards, written in parallel\n"
        "                   (default one per core, at most 8)\n"
        "  -t, --title-weight N\n"
        "                   a title word counts as N body words (default 3)\n"
        "  -q, --quiet      print problems only: no summary, no progress\n"
        "  -v, --verbose    add: a line per file read\n"
        "  -f, --force      add: read files again even when unchanged;\n"
        "                   cluster: list an existing cluster's shards anew\n"
        "  -p, --prune      add: remove the articles of files gone from\n"
        "                   under PATH\n"
        "      --only-shards K-L\n"
        "                   add: build only shards K to L (from 0) of the\n"
        "                   cluster --index, routed as it routes, in the\n"
        "                   directory --into names\n"
        "      --into DIR   add --only-shards: where to build them\n"
        "  -j, --json       stats as one JSON object\n"
        "  -l, --listen ADDR:PORT\n"
        "                   serve: where to listen (default 127.0.0.1:8077;\n"
        "                   port 0 picks a free one)\n"
        "  -T, --threads N  serve: threads answering (default one per core)\n"
        "  -k, --token-file FILE\n"
        "                   serve: take POST /articles from clients that\n"
        "                   send this file's token (default: read-only)\n"
        "      --time-limit S\n"
        "                   serve: seconds a search may take (default 10)\n"
        "      --access-log FILE\n"
        "                   serve: append a line a request (Combined Log\n"
        "                   Format, then its id and milliseconds); - for\n"
        "                   standard error (default: none)\n"
        "  -h, --help       show this help\n"
        "  -V, --version    show the version\n"
        "\n"
        "Exit status: 0 all indexed, 1 some input skipped, 2 error;\n"
        "130 or 143 stopped by SIGINT or SIGTERM, after committing what\n"
        "was added (a second signal stops at once).\n",
        out);
}

static void progress_clear(void);

static void report(void *context, const nidx_diagnostic_t *d)
{
    static const char *const what[] = {
        [NIDX_SKIP_NONE] = "",
        [NIDX_SKIP_RECORD] = " (record skipped)",
        [NIDX_SKIP_FILE] = " (file skipped)",
        [NIDX_SKIP_REST] = " (rest of file skipped)",
    };
    (void)context;
    progress_clear();
    fprintf(stderr, "nidx: %s%s%s\n",
            d->skipped == NIDX_SKIP_NONE ? "warning: " : "", d->message,
            what[d->skipped]);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void summarize(const nidx_add_stats_t *s, uint64_t passed_over,
                      double seconds, const char *index)
{
    double mb = (double)s->bytes_read / 1e6;
    uint64_t skipped = s->skipped_records + s->skipped_files;
    printf("%llu added, %llu replaced, %llu skipped",
           (unsigned long long)s->added, (unsigned long long)s->replaced,
           (unsigned long long)skipped);
    if (skipped)
        printf(" (%llu records, %llu files)",
               (unsigned long long)s->skipped_records,
               (unsigned long long)s->skipped_files);
    printf(" from %llu files; %.2f MB read in %.2f s (%.2f MB/s, %.0f "
           "articles/s)\n",
           (unsigned long long)s->files, mb, seconds,
           seconds > 0 ? mb / seconds : 0.0,
           seconds > 0 ? (double)(s->added + s->replaced) / seconds : 0.0);
    /* The lines that only appear when their count is not zero. */
    const struct {
        uint64_t count;
        const char *what;
    } notes[] = {
        {s->unchanged_files, "files unchanged since they were read (skipped; "
                             "--force reads them again)"},
        {s->pruned_files, "files gone since they were read"},
        {s->removed, "articles removed: gone from changed or deleted files"},
        {s->ignored_files, "files of other types ignored"},
        {s->repaired_bytes, "bytes of invalid UTF-8 replaced by U+FFFD"},
        {passed_over, "articles passed over: other shards of the cluster"},
    };
    for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++)
        if (notes[i].count)
            printf("%llu %s\n", (unsigned long long)notes[i].count,
                   notes[i].what);
    printf("index: %s\n", index);
}

/* The writer a SIGINT or SIGTERM asks to stop, and the signal. */
static nidx_writer_t *volatile running;
static volatile sig_atomic_t stopped_by;

static void stop(int sig)
{
    stopped_by = sig;
    nidx_writer_interrupt(running);
}

/* SIGINT and SIGTERM stop the run after the article in progress, and what
   was added is committed; a second signal kills at once. Without
   SA_RESTART, a read waiting on a pipe or FIFO returns (EINTR) instead of
   waiting on. */
static void catch_stops(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = stop;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* What nidx add was asked to do beyond adding. */
typedef struct add_options {
    unsigned batch, title_weight, memory, shards;
    bool quiet, verbose, force, prune;
    /* --only-shards FIRST-LAST --into DIR: build that part of the
       cluster `index` in DIR. */
    bool part;
    unsigned first, last;
    const char *into;
} add_options_t;

/* The live progress line (on a terminal only) and --verbose's lines. */
typedef struct progress {
    bool live, verbose;
    bool shown;            /* a live line is on the screen */
    double start, drawn;   /* when the run started, the line was drawn */
    uint64_t total;        /* bytes on disk to read, 0 when unknown */
    uint64_t bytes_before; /* at the start of this file */
    double file_start;
} progress_t;

static progress_t progress;

/* Clears the live line, so that a message can be printed. */
static void progress_clear(void)
{
    if (progress.shown) {
        fputs("\r\033[K", stderr);
        progress.shown = false;
    }
}

static void progress_draw(const nidx_add_stats_t *s, double t)
{
    double elapsed = t - progress.start;
    double read = (double)s->bytes_read / 1e6;
    fprintf(stderr, "\r%llu files, %llu articles, %.1f MB read, %.2f MB/s",
            (unsigned long long)(s->files + s->unchanged_files),
            (unsigned long long)(s->added + s->replaced), read,
            elapsed > 0 ? read / elapsed : 0.0);
    /* The ETA goes by the files on disk (compressed or not). */
    if (progress.total > s->input_bytes && s->input_bytes > 0) {
        double left = elapsed * (double)(progress.total - s->input_bytes) /
                      (double)s->input_bytes;
        fprintf(stderr, ", %.0f%% of the files, ETA %d:%02d",
                100.0 * (double)s->input_bytes / (double)progress.total,
                (int)left / 60, (int)left % 60);
    }
    fputs("\033[K", stderr);
    progress.shown = true;
    progress.drawn = t;
}

static void on_progress(void *context, const nidx_add_stats_t *s,
                        const char *file, bool file_done)
{
    double t = now();
    /* The file's own count: the totals move as the shards store what was
       handed to them, files later. */
    if (file_done && progress.verbose) {
        progress_clear();
        fprintf(stderr, "nidx: %s: %llu articles, %.2f MB in %.2f s\n", file,
                (unsigned long long)nidx_writer_file_articles(context),
                (double)(s->bytes_read - progress.bytes_before) / 1e6,
                t - progress.file_start);
    }
    if (file_done) {
        progress.bytes_before = s->bytes_read;
        progress.file_start = t;
    }
    if (progress.live && t - progress.drawn >= 0.2)
        progress_draw(s, t);
}

static int run_add(const char *index, const add_options_t *o, int n,
                   char **paths)
{
    nidx_error_t err;
    nidx_writer_t *w;
    nidx_add_stats_t stats = {0};
    double start = now();
    nidx_status_t opened =
        o->part
            ? nidx_writer_open_part(index, o->first, o->last, o->into, &w, &err)
            : nidx_writer_open_shards(index, o->shards, &w, &err);
    if (opened != NIDX_OK) {
        fprintf(stderr, "nidx: %s\n", err.message);
        return 2;
    }
    if (o->shards && !o->part && o->shards != nidx_writer_shards(w))
        fprintf(stderr,
                "nidx: %s has %u shards; --shards applies to a new index\n",
                index, nidx_writer_shards(w));
    if (o->batch)
        nidx_writer_set_batch_size(w, o->batch);
    if (o->title_weight)
        nidx_writer_set_title_weight(w, o->title_weight);
    nidx_writer_set_force(w, o->force);
    if (o->memory)
        nidx_writer_set_memory(w, o->memory);
    progress.live = !o->quiet && isatty(STDERR_FILENO);
    progress.verbose = o->verbose;
    progress.start = progress.file_start = now();
    for (int i = 0; progress.live && i < n; i++)
        progress.total += nidx_input_bytes(paths[i]);
    if (progress.live || progress.verbose)
        nidx_writer_set_progress(w, on_progress, w);
    running = w;
    catch_stops();
    int status = 0;
    for (int i = 0; i < n && status == 0; i++) {
        nidx_status_t st =
            nidx_writer_add_path(w, paths[i], &stats, report, NULL, &err);
        if (st == NIDX_OK && o->prune)
            st = nidx_writer_prune(w, paths[i], &stats, &err);
        progress_clear();
        if (st == NIDX_ERROR_INTERRUPTED) {
            fprintf(stderr,
                    "nidx: %s: stopping; what was added is being committed\n",
                    stopped_by == SIGTERM ? "terminated" : "interrupted");
            status = 128 + stopped_by;
        } else if (st != NIDX_OK) {
            fprintf(stderr, "nidx: %s\n", err.message);
            status = 2;
        }
    }
    running = NULL;
    /* A shard's failure comes back from close too: said once. */
    char failed[sizeof err.message];
    snprintf(failed, sizeof failed, "%s", status == 2 ? err.message : "");
    uint64_t passed_over = nidx_writer_passed_over(w);
    /* The counts said are what the index holds: after a failure, what
       the shards committed, not what was read. */
    if (nidx_writer_close_counted(w, &stats, &err) != NIDX_OK) {
        if (strcmp(err.message, failed) != 0)
            fprintf(stderr, "nidx: %s\n", err.message);
        status = 2;
    }
    if (!o->quiet)
        summarize(&stats, passed_over, now() - start,
                  o->part ? o->into : index);
    if (status == 2)
        fprintf(stderr, "nidx: the index keeps what was committed before the "
                        "error; the same command, run again, adds the rest\n");
    if (status == 0 && stats.skipped_records + stats.skipped_files > 0) {
        fprintf(stderr,
                "nidx: %llu records and %llu files were skipped; see the "
                "messages above\n",
                (unsigned long long)stats.skipped_records,
                (unsigned long long)stats.skipped_files);
        status = 1;
    }
    return status;
}

/* An option's number within [min, max] into *out; false, said, if not. */
static bool parse_number(const char *name, const char *s, unsigned long min,
                         unsigned long max, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || *s == '-' || v < min || v > max) {
        fprintf(stderr, "nidx: %s needs a number from %lu to %lu\n", name, min,
                max);
        return false;
    }
    *out = (unsigned)v;
    return true;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"index", required_argument, NULL, 'i'},
        {"batch", required_argument, NULL, 'b'},
        {"title-weight", required_argument, NULL, 't'},
        {"quiet", no_argument, NULL, 'q'},
        {"json", no_argument, NULL, 'j'},
        {"force", no_argument, NULL, 'f'},
        {"verbose", no_argument, NULL, 'v'},
        {"memory", required_argument, NULL, 'm'},
        {"prune", no_argument, NULL, 'p'},
        {"shards", required_argument, NULL, 's'},
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 'T'},
        {"token-file", required_argument, NULL, 'k'},
        {"time-limit", required_argument, NULL, 'L'},
        {"access-log", required_argument, NULL, 'A'},
        {"only-shards", required_argument, NULL, 'O'},
        {"into", required_argument, NULL, 'N'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *index = NULL;
    add_options_t add = {0};
    serve_config_t serve = {.time_limit = NIDX_TIME_LIMIT};
    bool json = false, serving_options = false;
    int c;
    while ((c = getopt_long(argc, argv, "i:b:t:m:s:l:T:k:qvjfphV", options,
                            NULL)) != -1) {
        switch (c) {
        case 'i': index = optarg; break;
        case 'b':
            if (!parse_number("--batch", optarg, 1, 10000000, &add.batch))
                return 2;
            break;
        case 't':
            if (!parse_number("--title-weight", optarg, 1, 100,
                              &add.title_weight))
                return 2;
            break;
        case 'q': add.quiet = true; break;
        case 'j': json = true; break;
        case 'f': add.force = true; break;
        case 'v': add.verbose = true; break;
        case 'm':
            if (!parse_number("--memory", optarg, 200, 1000000, &add.memory))
                return 2;
            break;
        case 'p': add.prune = true; break;
        case 'O': {
            int used = 0;
            if (sscanf(optarg, "%u-%u%n", &add.first, &add.last, &used) != 2 ||
                optarg[used] || optarg[0] == '-') {
                used = 0;
                if (sscanf(optarg, "%u%n", &add.first, &used) != 1 ||
                    optarg[used] || optarg[0] == '-') {
                    fprintf(stderr, "nidx: --only-shards takes FIRST-LAST "
                                    "(shards counted from 0) or one shard\n");
                    return 2;
                }
                add.last = add.first;
            }
            add.part = true;
            break;
        }
        case 'N': add.into = optarg; break;
        case 's':
            if (!parse_number("--shards", optarg, 1, 64, &add.shards))
                return 2;
            break;
        case 'l': serve.listen = optarg, serving_options = true; break;
        case 'T':
            if (!parse_number("--threads", optarg, 1, 256, &serve.threads))
                return 2;
            serving_options = true;
            break;
        case 'k': serve.token_file = optarg, serving_options = true; break;
        case 'A': serve.access_log = optarg, serving_options = true; break;
        case 'L': {
            char *end;
            serve.time_limit = strtod(optarg, &end);
            if (*end || end == optarg || !(serve.time_limit >= 0) ||
                serve.time_limit > 86400) {
                fprintf(stderr, "nidx: --time-limit takes seconds, from 0 "
                                "(no limit) to 86400\n");
                return 2;
            }
            serving_options = true;
            break;
        }
        case 'h': usage(stdout); return 0;
        case 'V': printf("nidx %s\n", nidx_version_string()); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    const char *command = argv[optind++];
    static const char *const commands[] = {"add",   "remove",  "cluster",
                                           "stats", "compact", "check",
                                           "serve", "regroup"};
    bool known = false, takes_args = false;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(command, commands[i]) == 0) {
            known = true;
            takes_args = i < 3;
        }
    if (!known) {
        fprintf(stderr, "nidx: unknown command '%s'\n", command);
        usage(stderr);
        return 2;
    }
    if (takes_args && optind >= argc) {
        fprintf(stderr, "nidx: %s\n",
                strcmp(command, "add") == 0
                    ? "add needs at least one PATH (or - for standard input)"
                : strcmp(command, "cluster") == 0
                    ? "cluster needs at least one SHARD (HOST:PORT)"
                    : "remove needs at least one ID");
        return 2;
    }
    if (serving_options && strcmp(command, "serve") != 0) {
        fprintf(stderr, "nidx: --listen, --threads, --token-file, "
                        "--time-limit and --access-log are options of "
                        "serve\n");
        return 2;
    }
    if ((add.part || add.into) && strcmp(command, "add") != 0) {
        fprintf(stderr, "nidx: --only-shards and --into are options of add\n");
        return 2;
    }
    if (add.part != (add.into != NULL)) {
        fprintf(stderr, "nidx: --only-shards and --into go together: the "
                        "shards of the cluster to build, and where\n");
        return 2;
    }
    if (add.part && add.shards) {
        fprintf(stderr, "nidx: --shards makes a new index; a part of a "
                        "cluster has the cluster's number\n");
        return 2;
    }
    if (!takes_args && optind < argc) {
        fprintf(stderr, "nidx: %s takes no arguments\n", command);
        return 2;
    }
    char *default_index = NULL;
    if (!index) {
        index = default_index = nidx_default_index_path();
        if (!index) {
            fprintf(stderr, "nidx: no index given and no home directory; "
                            "use --index DIR\n");
            return 2;
        }
    }
    int status;
    if (strcmp(command, "add") == 0)
        status = run_add(index, &add, argc - optind, argv + optind);
    else if (strcmp(command, "remove") == 0)
        status = command_remove(index, argc - optind, argv + optind);
    else if (strcmp(command, "cluster") == 0)
        status =
            command_cluster(index, argc - optind, argv + optind, add.force);
    else if (strcmp(command, "stats") == 0)
        status = command_stats(index, json);
    else if (strcmp(command, "compact") == 0)
        status = command_compact(index);
    else if (strcmp(command, "regroup") == 0)
        status = command_regroup(index);
    else if (strcmp(command, "serve") == 0) {
        serve.index = index;
        status = serve_run(&serve);
    } else
        status = command_check(index);
    free(default_index);
    return status;
}
