/*
 * nidx.h — the public interface of libnidx, a full-text search engine for
 * news archives.
 *
 * Two flows share one analyzer:
 *
 *   indexing:  files --read--> articles --analyze--> terms --write--> index
 *   searching: query --parse--> tree --analyze--> match --> hits (+ snippets)
 *
 * Conventions, for every function below:
 *   - Functions that can fail return an nidx_status_t and, when `err` is not
 *     NULL, fill it with the status and a one-line message naming the file,
 *     line or query position involved.
 *   - Handles are opaque. Whoever opens or creates a handle frees it with the
 *     matching close/free function; strings passed in are copied unless the
 *     declaration says otherwise, and strings handed out stay owned by the
 *     handle they came from.
 *   - A handle is used by one thread at a time (nidx_searcher_cancel() is
 *     the one call made from another thread). Separate handles on the same
 *     index may be used from separate threads or processes: one writer and
 *     any number of searchers.
 *
 * Nothing from Xapian, ICU or zlib appears here.
 *
 * Versions and compatibility. NIDX_VERSION_* name the header a program was
 * compiled with; nidx_version_number() the library it runs with. The
 * library's soname follows libtool's rule: it changes (libnidx.so.N+1)
 * whenever a release breaks a program built against an older header, and
 * only then. Within one soname:
 *   - functions, enum values and status codes are only ever added, at the
 *     end; a program meets NIDX_ERROR_* values newer than it knows and
 *     should treat them as NIDX_ERROR_INTERNAL;
 *   - structs the caller fills (nidx_search_options_t) start with a size
 *     field that nidx_search_options_init() sets: the library reads only
 *     the fields an older program knew of and gives the newer ones their
 *     defaults (and ignores fields newer than itself: a program that
 *     relies on one checks nidx_version_number() first);
 *   - structs the library fills for the caller keep their size
 *     (nidx_error_t, nidx_article_t, nidx_hit_t, nidx_add_stats_t,
 *     nidx_index_stats_t, nidx_diagnostic_t); what is new comes through
 *     new functions;
 *   - JSON output gains keys, never loses or renames one.
 */
#ifndef NIDX_H
#define NIDX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NIDX_VERSION_MAJOR 0
#define NIDX_VERSION_MINOR 2
#define NIDX_VERSION_PATCH 0
#define NIDX_VERSION "0.2.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH: comparable with < and >. */
#define NIDX_VERSION_NUMBER                                                    \
    (NIDX_VERSION_MAJOR * 10000 + NIDX_VERSION_MINOR * 100 + NIDX_VERSION_PATCH)

/* The version of the library running, as NIDX_VERSION_NUMBER and as a
   constant string ("0.2.0"). A program may refuse a library older than
   the header it was built with. */
unsigned nidx_version_number(void);
const char *nidx_version_string(void);

/* ------------------------------------------------------------------ */
/* Status and errors                                                  */
/* ------------------------------------------------------------------ */

typedef enum nidx_status {
    NIDX_OK = 0,
    NIDX_ERROR_NOMEM,       /* out of memory */
    NIDX_ERROR_IO,          /* a file or directory could not be read */
    NIDX_ERROR_INPUT,       /* an input record is malformed */
    NIDX_ERROR_LOCKED,      /* another writer holds the index */
    NIDX_ERROR_NO_INDEX,    /* no index exists at the path */
    NIDX_ERROR_CORRUPT,     /* the index is damaged or of another version */
    NIDX_ERROR_QUERY,       /* the query is malformed */
    NIDX_ERROR_ARGUMENT,    /* the caller passed an invalid argument */
    NIDX_ERROR_INTERNAL,    /* anything else; the message says what */
    NIDX_ERROR_INTERRUPTED, /* stopped by nidx_writer_interrupt() */
    NIDX_ERROR_TIMEOUT,     /* unused since 0.2: a search past its time
                               limit returns what it found (results_cut) */
    NIDX_ERROR_NOT_FOUND,   /* no article has the id asked for */
    NIDX_ERROR_UNAVAILABLE, /* what was asked for may be in a shard on
                               another machine that does not answer */
} nidx_status_t;

/* The message buffer is large enough for a path, a line and a reason. */
#define NIDX_ERROR_MESSAGE_MAX 1024

/*
 * Filled by failing functions; owned by the caller, usually on the stack.
 * `position` is set for NIDX_ERROR_QUERY: the 1-based character (code
 * point) of the query where the fault is, which the message repeats as
 * "(at position N)"; 0 when the error has no position.
 */
typedef struct nidx_error {
    nidx_status_t status;
    char message[NIDX_ERROR_MESSAGE_MAX];
    unsigned position;
} nidx_error_t;

/* A short constant English name for a status ("index is locked", ...). */
const char *nidx_status_string(nidx_status_t status);

/* ------------------------------------------------------------------ */
/* Articles                                                           */
/* ------------------------------------------------------------------ */

/*
 * One news article. Every field is UTF-8 text or NULL. When an article is
 * passed in, the caller keeps ownership of the strings; when one is handed
 * out (in a hit), the strings belong to the handle that produced it.
 *
 *   id      unique key; adding an article with an id already indexed
 *           replaces the old one
 *   date    ISO 8601, whole or partial: YYYY, YYYY-MM, YYYY-MM-DD, or a full
 *           timestamp with optional offset
 *   lang    ISO 639 code, as given by the input
 */
typedef struct nidx_article {
    const char *id;
    const char *title;
    const char *body;
    const char *date;
    const char *source;
    const char *lang;
    const char *url;
} nidx_article_t;

/* ------------------------------------------------------------------ */
/* Index location                                                     */
/* ------------------------------------------------------------------ */

/*
 * The default index directory: $NIDX_INDEX if set, else
 * $XDG_DATA_HOME/nidx/index, else ~/.local/share/nidx/index.
 * Returns a string the caller frees with free(), or NULL when no home
 * directory is known.
 */
char *nidx_default_index_path(void);

/* ------------------------------------------------------------------ */
/* Writing                                                            */
/* ------------------------------------------------------------------ */

typedef struct nidx_writer nidx_writer_t;

/*
 * Opens the index at `path` for writing, creating it (and missing parent
 * directories) when absent. Only one writer may hold an index:
 * a second gets NIDX_ERROR_LOCKED and changes nothing.
 * On success *writer is a handle to release with nidx_writer_close().
 *
 * An index is a set of shards, each a Xapian database written by its own
 * thread: articles are analyzed and stored on as many cores as there are
 * shards. A new index gets one shard per core (at most 8); an existing
 * one keeps the number it was made with.
 */
nidx_status_t nidx_writer_open(const char *path, nidx_writer_t **writer,
                               nidx_error_t *err);

/*
 * As nidx_writer_open(), giving a new index `shards` shards (1 to 64; 0:
 * one per core, at most 8). An existing index keeps its own number, which
 * nidx_writer_shards() tells.
 */
nidx_status_t nidx_writer_open_shards(const char *path, unsigned shards,
                                      nidx_writer_t **writer,
                                      nidx_error_t *err);

/*
 * Opens a writer of part of a cluster, for a bulk load where the shards
 * live: shards first..last (from 0) of the index at `cluster` (its stub
 * says how many shards it has and its identity; nothing is contacted when
 * the stub records the identity, as nidx cluster writes it), built as
 * local databases into/shardK, routed as the cluster routes. Articles
 * that go to the cluster's other shards are passed over
 * (nidx_writer_passed_over()). Serve each shard from there and list it in
 * the cluster at its place; then nidx_index_regroup() joins near copies
 * that parts built apart hold. NIDX_ERROR_ARGUMENT for shards the cluster
 * does not have, NIDX_ERROR_CORRUPT when `into` holds shards of another
 * index or at other places.
 */
nidx_status_t nidx_writer_open_part(const char *cluster, unsigned first,
                                    unsigned last, const char *into,
                                    nidx_writer_t **writer, nidx_error_t *err);

/* Articles a writer of part of a cluster passed over, as other shards'. */
uint64_t nidx_writer_passed_over(const nidx_writer_t *writer);

/* How many shards the index has, and so how many threads write it (a
   part: how many it builds). */
unsigned nidx_writer_shards(const nidx_writer_t *writer);

/*
 * Articles are committed in batches of this many (default 2000), shared
 * by the shards (each commits its part, batch / shards articles), or
 * sooner when their text reaches the memory budget's share. A commit is
 * atomic: after a crash the index holds every batch each shard committed
 * before it, and nidx_writer_add_path() records a file as read in each
 * shard's commit that holds the file's last articles there, so running
 * the interrupted command again finishes the job.
 */
void nidx_writer_set_batch_size(nidx_writer_t *writer, unsigned articles);

/*
 * Keeps the writer's memory near `mb` megabytes (default NIDX_MEMORY_MB):
 * commits come sooner, and a body longer than the budget allows is kept
 * (indexed and stored) on its start, with a warning.
 */
#define NIDX_MEMORY_MB 1024
void nidx_writer_set_memory(nidx_writer_t *writer, unsigned mb);

/*
 * Removes the article with id `id`; *existed (may be NULL) tells whether
 * there was one. Committed with the batch, as additions are.
 */
nidx_status_t nidx_writer_remove(nidx_writer_t *writer, const char *id,
                                 bool *existed, nidx_error_t *err);

/*
 * Whether nidx_writer_add_path() re-reads files it has read before and
 * that have not changed since (same size and modification time). Default
 * false: they are skipped, which makes adding a folder again cheap.
 */
void nidx_writer_set_force(nidx_writer_t *writer, bool force);

/*
 * Asks a writer busy in nidx_writer_add_path() to stop: reading stops
 * after the article in progress and the call returns NIDX_ERROR_INTERRUPTED;
 * the articles the shards are analyzing are stored, those still queued are
 * dropped (their files are not recorded as read, so adding them again
 * finishes the job), and nidx_writer_close() commits what was stored.
 * nidx_writer_add() then refuses with NIDX_ERROR_INTERRUPTED.
 * Async-signal-safe: made for SIGINT and SIGTERM handlers.
 */
void nidx_writer_interrupt(nidx_writer_t *writer);

/*
 * A title word counts as this many body words in ranking (default
 * NIDX_TITLE_WEIGHT, 1 to 100). Applies to the articles added after the
 * call; an index normally keeps one weight.
 */
#define NIDX_TITLE_WEIGHT 3
void nidx_writer_set_title_weight(nidx_writer_t *writer, unsigned weight);

/*
 * Adds one article. An article without an id, or with an id already in
 * the index, is rejected or replaces the old one respectively. Invalid
 * UTF-8 is repaired with U+FFFD; *repaired (may be NULL) receives the
 * number of bytes replaced. The article is copied: the caller's strings
 * may go when the call returns.
 *
 * With `replaced` NULL the article is analyzed and stored by its shard's
 * thread while the caller goes on, which is how several cores are used;
 * an error then shows in a later call (add, commit or close). With
 * `replaced` given, the call waits for the shard and *replaced tells
 * which of add/replace happened.
 */
nidx_status_t nidx_writer_add(nidx_writer_t *writer,
                              const nidx_article_t *article, bool *replaced,
                              uint64_t *repaired, nidx_error_t *err);

/* Commits every pending article now, in every shard; waits for it. */
nidx_status_t nidx_writer_commit(nidx_writer_t *writer, nidx_error_t *err);

/*
 * Commits what is pending, releases the lock and frees the handle, which is
 * invalid afterwards even when an error is returned. NULL is a no-op.
 */
nidx_status_t nidx_writer_close(nidx_writer_t *writer, nidx_error_t *err);

/* ------------------------------------------------------------------ */
/* Reading inputs into a writer                                       */
/* ------------------------------------------------------------------ */

/* What an input problem cost. */
typedef enum nidx_skip {
    NIDX_SKIP_NONE,   /* a warning: the article was indexed anyway */
    NIDX_SKIP_RECORD, /* one record was left out */
    NIDX_SKIP_FILE,   /* the whole file was left out */
    NIDX_SKIP_REST,   /* the file broke off; what came before is indexed */
} nidx_skip_t;

/*
 * A problem with one input, reported while adding a path. Input problems
 * never stop the run.
 *   path      the file ("-" for standard input)
 *   line      1-based line or record number, 0 when it is about the file
 *   message   starts with the path (and line), as printed to a user
 */
typedef struct nidx_diagnostic {
    const char *path;
    uint64_t line;
    nidx_status_t status;
    nidx_skip_t skipped;
    const char *message;
} nidx_diagnostic_t;

/* Called for each diagnostic; the strings are valid during the call only. */
typedef void (*nidx_diagnostic_fn)(void *context, const nidx_diagnostic_t *d);

/* Running totals of nidx_writer_add_path(); zero it before the first call. */
typedef struct nidx_add_stats {
    uint64_t files;           /* input files opened */
    uint64_t added;           /* articles new to the index */
    uint64_t replaced;        /* articles that replaced one with their id */
    uint64_t skipped_records; /* malformed records left out */
    uint64_t skipped_files;   /* files left out whole or in part
                                 (unreadable, empty, binary, truncated) */
    uint64_t ignored_files;   /* files in walked directories whose name
                                 says they are not articles */
    uint64_t bytes_read;      /* uncompressed input bytes */
    uint64_t repaired_bytes;  /* invalid UTF-8 bytes replaced by U+FFFD */
    uint64_t unchanged_files; /* files skipped: the same size and time as
                                 when last read */
    uint64_t removed;         /* articles removed: records gone from a
                                 changed file, or files gone (prune) */
    uint64_t pruned_files;    /* files gone whose articles were removed */
    uint64_t input_bytes;     /* bytes of the input files as stored on
                                 disk (compressed or not) read so far */
} nidx_add_stats_t;

/*
 * Called while nidx_writer_add_path() works: after every few hundred
 * articles (file_done false) and after each file (file_done true), with
 * the running totals and the file being read.
 */
typedef void (*nidx_progress_fn)(void *context, const nidx_add_stats_t *stats,
                                 const char *file, bool file_done);

/* Sets the progress callback (NULL for none). */
void nidx_writer_set_progress(nidx_writer_t *writer, nidx_progress_fn fn,
                              void *context);

/*
 * Articles read from the file the progress callback names, so far (its
 * records that became articles, handed to the shards): the per-file count,
 * exact at file_done, whatever the shards have stored yet.
 */
uint64_t nidx_writer_file_articles(const nidx_writer_t *writer);

/*
 * As nidx_writer_close(), and brings the counts of `stats` (filled by this
 * writer's nidx_writer_add_path() calls) to what the index holds: added,
 * replaced and removed count what the shards committed. After a failure
 * (a full disk, a remote shard gone) they are what the index keeps, not
 * what was read.
 */
nidx_status_t nidx_writer_close_counted(nidx_writer_t *writer,
                                        nidx_add_stats_t *stats,
                                        nidx_error_t *err);

/*
 * Bytes on disk of the files nidx_writer_add_path() would read under
 * `path` (0 for standard input): the total a progress display needs.
 */
uint64_t nidx_input_bytes(const char *path);

/*
 * Reads every article under `path` into the writer. `path` is a file, a
 * directory (walked recursively, in name order) or "-" for JSON Lines on
 * standard input. Formats, recognized by name (an optional .gz looked
 * through) and by content:
 *   .txt              first non-empty line is the title, the rest the body
 *   .jsonl .ndjson    one JSON object per line: id, title, body (or text),
 *                     date, source, lang, url; other fields are ignored
 *   .html .htm        one page: its metadata and main text
 *   .warc             web archive: each HTML or text response is an article
 * Content decides too: a page, a web archive, JSON Lines ('{') or text,
 * for files named on their own and, inside directories, for files whose
 * name has no known suffix (HTML and WARC only).
 * Articles without an id get "<absolute path>" (text, HTML), the page's
 * canonical url (HTML), the target URI (WARC), or "<absolute path>#<line>"
 * (JSON Lines).
 *
 * Files are recorded with their size and modification time: a file read
 * before and unchanged is skipped (nidx_writer_set_force() reads it
 * again); a changed one is read again, and its articles that are gone
 * from it removed.
 *
 * Input problems go to `report` (may be NULL) and into `stats`; they do not
 * make this function fail. It fails only when the index cannot be written,
 * or with NIDX_ERROR_INTERRUPTED after nidx_writer_interrupt().
 */
nidx_status_t nidx_writer_add_path(nidx_writer_t *writer, const char *path,
                                   nidx_add_stats_t *stats,
                                   nidx_diagnostic_fn report, void *context,
                                   nidx_error_t *err);

/*
 * Reads JSON Lines held in memory, data[0..len), into the writer, as
 * nidx_writer_add_path() reads a .jsonl file: the same fields, checks,
 * replacements, diagnostics (`name` stands for the file in them, with the
 * line) and stats. Every record must carry an id (there is no file to
 * name it after): one without is skipped and reported. Made for servers
 * that take articles over the network.
 */
nidx_status_t nidx_writer_add_jsonl(nidx_writer_t *writer, const char *name,
                                    const char *data, size_t len,
                                    nidx_add_stats_t *stats,
                                    nidx_diagnostic_fn report, void *context,
                                    nidx_error_t *err);

/*
 * Removes the articles read from files at or under `path` (as given to
 * nidx_writer_add_path()) that no longer exist; counts them in stats.
 */
nidx_status_t nidx_writer_prune(nidx_writer_t *writer, const char *path,
                                nidx_add_stats_t *stats, nidx_error_t *err);

/* ------------------------------------------------------------------ */
/* Searching                                                          */
/* ------------------------------------------------------------------ */

typedef struct nidx_searcher nidx_searcher_t;

/*
 * Opens the index at `path` for searching. NIDX_ERROR_NO_INDEX when there
 * is no index at `path`.
 *
 * What a searcher sees: the index as committed when it was opened or last
 * reopened, one revision (nidx_searcher_revision()), so that page 2 of a
 * search comes from the same articles as page 1. The searcher moves to a
 * newer revision only in nidx_searcher_reopen(), or on its own when a
 * writer has committed twice since it last moved (Xapian then no longer
 * keeps the revision it read): a search then runs on the newest revision,
 * and nidx_results_revision() tells which one a result came from.
 */
nidx_status_t nidx_searcher_open(const char *path, nidx_searcher_t **searcher,
                                 nidx_error_t *err);

/* Moves the searcher to the latest committed state of the index; to the
   index made anew when the directory now holds another (rebuilt there, or
   its shards listed anew: everything opened again, swapped in only when
   that succeeds). */
nidx_status_t nidx_searcher_reopen(nidx_searcher_t *searcher,
                                   nidx_error_t *err);

/*
 * The revision the searcher sees: a number that grows with every commit
 * of any shard, so equal numbers mean the same articles.
 */
uint64_t nidx_searcher_revision(const nidx_searcher_t *searcher);

/*
 * Whether the index has been committed since the searcher's revision, or
 * made anew in its directory, in *changed; cheap (a stat, then each
 * shard's version record, not its data): made for a server that reopens
 * only when needed.
 */
nidx_status_t nidx_searcher_changed(nidx_searcher_t *searcher, bool *changed,
                                    nidx_error_t *err);

/* Number of articles in the index as the searcher sees it. */
uint64_t nidx_searcher_article_count(const nidx_searcher_t *searcher);

/*
 * Stops the search running in `searcher`, from any thread (also from a
 * signal handler): it returns at once with the hits found so far and
 * nidx_results_cut() saying NIDX_CUT_CANCELLED. Without a search running,
 * nothing happens: the next search is not affected.
 */
void nidx_searcher_cancel(nidx_searcher_t *searcher);

/* Frees the searcher. Results obtained from it must be freed first. */
void nidx_searcher_close(nidx_searcher_t *searcher);

/*
 * The stored article with id `id`, every field as it was indexed (the
 * body whole, line breaks kept), into *article: a handle freed with
 * nidx_article_free(). NIDX_ERROR_NOT_FOUND when no article has the id;
 * NIDX_ERROR_UNAVAILABLE, naming the shard, when none of the shards that
 * answer has it and some do not answer (shards left out are tried again,
 * as by searches).
 */
nidx_status_t nidx_searcher_find_article(nidx_searcher_t *searcher,
                                         const char *id,
                                         nidx_article_t **article,
                                         nidx_error_t *err);

/* Frees an article from nidx_searcher_find_article(); NULL is a no-op. */
void nidx_article_free(nidx_article_t *article);

/* The order of hits. In each case, articles holding every query word
   still come before those holding only some. */
typedef enum nidx_sort {
    NIDX_SORT_RELEVANCE,      /* BM25, best first (the default) */
    NIDX_SORT_DATE_ASCENDING, /* oldest first; undated articles last */
    NIDX_SORT_DATE_DESCENDING /* newest first; undated articles last */
} nidx_sort_t;

/* BM25's parameters, as tuned on the test collections (README). */
#define NIDX_BM25_K1 2.0
#define NIDX_BM25_B 0.75

/*
 * How to search. Fill it with nidx_search_options_init() before setting
 * fields: that sets `size`, by which the library knows which fields the
 * program was built with (see "Versions and compatibility" above).
 *
 * The filters (langs ... date_to) narrow the search to articles with any
 * of the values given for each field set, and all the fields set; they
 * are combined with the query by the library, as the fields lang:,
 * source:, site:, id: and date: of the query language are, so that no
 * value needs quoting. Arrays and strings stay the caller's and are read
 * during nidx_search() only.
 */
typedef struct nidx_search_options {
    size_t size;              /* sizeof(nidx_search_options_t), set by init */
    unsigned offset;          /* hits to skip (paging); default 0 */
    unsigned limit;           /* hits to return; default 10 */
    bool snippets;            /* cut a snippet for each hit; default true */
    bool stemming;            /* also match other inflections of the query
                                 words, in each language of the index;
                                 default true */
    nidx_sort_t sort;         /* default NIDX_SORT_RELEVANCE */
    bool exact_total;         /* count every match exactly (slower on large
                                 result sets); default false: an estimate */
    bool facets;              /* count matching articles per source,
                                 language and month, over all matches and
                                 near-duplicates included (each copy has
                                 its own source); default false */
    unsigned snippet_bytes;   /* approximate snippet length; default 200 */
    bool collapse;            /* near-duplicates (the same text republished
                                 with small edits) show as their best copy,
                                 with the number of others in
                                 nidx_hit_t.duplicates; default true */
    double bm25_k1;           /* BM25's term frequency saturation; default
                                 NIDX_BM25_K1 */
    double bm25_b;            /* BM25's length normalization, 0..1; default
                                 NIDX_BM25_B */
    bool plain;               /* the query is plain words: operators, signs,
                                 fields, quotes and wildcards are text
                                 (research queries, pasted sentences);
                                 default false */
    bool suggest;             /* look for a spelling correction when a word
                                 is not in the index, or is rare and the
                                 query finds little; default true */
    double time_limit;        /* seconds the matching may take: past it the
                                 search stops with the hits found so far
                                 (nidx_results_cut()); 0: no limit; default
                                 NIDX_TIME_LIMIT */
    const char *const *langs; /* ISO 639 codes ("en", "sr"), n_langs */
    size_t n_langs;
    const char *const *sources; /* source names: a source matches when it */
    size_t n_sources;           /* has every word of one of them */
    const char *const *sites;   /* hosts ("bbc.co.uk": also its subdomains) */
    size_t n_sites;
    const char *const *ids; /* article ids */
    size_t n_ids;
    const char *date_from; /* YYYY, YYYY-MM or YYYY-MM-DD; the first day */
    const char *date_to;   /* ... the last (all of its month or year);
                              either may be NULL: open */
    bool exact_script;     /* match names only as written: without it a
                              query word also finds the other scripts' and
                              romanizations' spellings of a name
                              (Зеленский for Zelensky), ranked below those
                              written as typed; default false */
} nidx_search_options_t;

/* The default time limit of a search, in seconds. */
#define NIDX_TIME_LIMIT 10.0

/* The largest query nidx_search() takes, in bytes, and the most words
   and word* in one query; a larger one is refused with NIDX_ERROR_QUERY. */
#define NIDX_QUERY_MAX_BYTES 16384
#define NIDX_QUERY_MAX_WORDS 1024
#define NIDX_QUERY_MAX_PREFIXES 64

/* Fills `options` with the defaults above, `size` included. */
void nidx_search_options_init(nidx_search_options_t *options);

typedef struct nidx_results nidx_results_t;

/* A highlighted range of a snippet, in bytes: [start, end). */
typedef struct nidx_span {
    uint32_t start;
    uint32_t end;
} nidx_span_t;

/*
 * One hit. Owned by the results it came from. article.body is NULL (the
 * text is used for the snippet, not returned); the snippet is UTF-8 with
 * `n_highlights` matched words marked by byte spans, in order.
 */
typedef struct nidx_hit {
    unsigned rank; /* 1-based, counting from the first hit of page 1 */
    double score;  /* BM25 weight; comparable within one result set */
    nidx_article_t article;
    const char *snippet;
    const nidx_span_t *highlights;
    size_t n_highlights;
    unsigned duplicates; /* near-duplicates of it left out (collapse) */
    /* The query words, as typed, that this hit matched only through
       another spelling of a name (Зеленский for Zelensky; see
       exact_script): n_transliterated of them, none when 0. */
    const char *const *transliterated;
    size_t n_transliterated;
} nidx_hit_t;

/*
 * Runs `query` (UTF-8) in the query language of nsearch(1): words,
 * "phrases", AND OR NOT and parentheses, +required -excluded, word*,
 * a NEAR/n b, and the fields title: lang: source: site: id: and
 * date:FROM..TO. Articles holding every item rank above those holding only
 * some; within each group, BM25 decides.
 * `options` may be NULL for the defaults; options whose `size` is 0 (not
 * made by nidx_search_options_init()) get NIDX_ERROR_ARGUMENT. On success
 * *results is a handle to free with nidx_results_free(). A malformed
 * query gets NIDX_ERROR_QUERY with err->position and the position in the
 * message; an invalid filter value NIDX_ERROR_ARGUMENT naming it.
 */
nidx_status_t nidx_search(nidx_searcher_t *searcher, const char *query,
                          const nidx_search_options_t *options,
                          nidx_results_t **results, nidx_error_t *err);

/*
 * Number of matching articles (near-duplicates folded when collapsing).
 * Exact when nidx_results_total_exact() says so: when the search asked
 * for exact_total, or its limit was 0, or the page was not filled (the
 * matcher then saw every match), or the matches were few enough to count
 * at little cost (an upper bound of at most 1,000), or facets counted them
 * (without collapse). Otherwise an estimate from the posting lists' statistics,
 * which is never below offset + the hits returned, and may be above or below
 * the truth by a factor that grows with how much the query's words are
 * correlated. A page past the last hit returns no hits and the exact total.
 */
uint64_t nidx_results_total(const nidx_results_t *results);

/* Whether nidx_results_total() is exact. */
bool nidx_results_total_exact(const nidx_results_t *results);

/*
 * With facets asked: the number of matching articles, near-duplicates
 * included, exactly (what each facet's counts add up to, when every
 * article has a value); it is above nidx_results_total() when copies were
 * folded. Without facets, 0.
 */
uint64_t nidx_results_articles(const nidx_results_t *results);

/* Why a search returned before looking at every candidate. */
typedef enum nidx_cut {
    NIDX_CUT_NONE,      /* it did not: the results are complete */
    NIDX_CUT_TIME,      /* its time limit passed */
    NIDX_CUT_CANCELLED, /* nidx_searcher_cancel() was called */
} nidx_cut_t;

/*
 * Whether the search was cut short. A cut search still returns the best
 * hits among the candidates it looked at, ranked as usual, with the total
 * and facets counted over them (a lower bound, not exact); articles
 * holding only some of the words may be missing altogether.
 */
nidx_cut_t nidx_results_cut(const nidx_results_t *results);

/* The revision of the index the results come from. */
uint64_t nidx_results_revision(const nidx_results_t *results);

/*
 * How many shards on other machines (an index whose XAPIANDB lists
 * "remote" lines) were left out of the results because they refused, went
 * away or did not answer within the index's shard timeout (nidx.conf's
 * "shard-timeout", default 5 s): the hits, totals and facets are those of
 * the others. 0 when every shard answered. Left-out shards are tried again
 * by later searches some seconds on.
 */
unsigned nidx_results_shards_failed(const nidx_results_t *results);

/* Why the first shard left out was ("HOST:PORT: NetworkError: ..."),
   owned by the results; NULL when none was. */
const char *nidx_results_shards_failure(const nidx_results_t *results);

/*
 * How many hits of the page have a body that could not be read (damage
 * in the index, found by each body's checksum): they are shown without a
 * snippet, and the search succeeds. 0 when none.
 */
unsigned nidx_results_unreadable(const nidx_results_t *results);

/* Why the first such hit's body could not be read ("article ID has a
   damaged body ..."), owned by the results; NULL when none. */
const char *nidx_results_unreadable_why(const nidx_results_t *results);

/* Whether the i-th hit held is one of them (no snippet for want of its
   text); false out of range. */
bool nidx_results_hit_unreadable(const nidx_results_t *results, size_t i);

/* Number of hits held (at most options.limit). */
size_t nidx_results_count(const nidx_results_t *results);

/* The i-th hit held, 0 <= i < count; NULL out of range. */
const nidx_hit_t *nidx_results_hit(const nidx_results_t *results, size_t i);

/*
 * The query with its misspelled words corrected from the index's own
 * vocabulary ("did you mean"), owned by the results; NULL when there is
 * none (or options.suggest was off).
 */
const char *nidx_results_suggestion(const nidx_results_t *results);

/* The facets a search counts when options.facets is set. */
typedef enum nidx_facet {
    NIDX_FACET_SOURCE, /* the source field */
    NIDX_FACET_LANG,   /* the language, given or identified */
    NIDX_FACET_MONTH,  /* YYYY-MM of the date */
} nidx_facet_t;

/* Number of distinct values counted for `facet` (0 without facets). */
size_t nidx_results_facet_size(const nidx_results_t *results,
                               nidx_facet_t facet);

/*
 * The i-th value of `facet` (owned by the results), with its number of
 * matching articles in *count; NULL out of range. Values come most
 * frequent first; months in calendar order.
 */
const char *nidx_results_facet_value(const nidx_results_t *results,
                                     nidx_facet_t facet, size_t i,
                                     uint64_t *count);

/* Frees the results and every hit and string in them. NULL is a no-op. */
void nidx_results_free(nidx_results_t *results);

/*
 * Quotes `text` as a phrase of the query language, so that a program that
 * builds query text can put any user's words in it ("CD:UK" becomes
 * "\"CD:UK\"", matched as the words cd uk in order); with `field` (such
 * as "title", "source"), as field:"...". Quotes inside the text, which
 * the phrase could not hold, become spaces: they are not searchable.
 * Returns a string the caller frees with free(); NULL when out of memory.
 */
char *nidx_query_quote(const char *field, const char *text);

/* ------------------------------------------------------------------ */
/* JSON                                                               */
/* ------------------------------------------------------------------ */

/*
 * The JSON documents nsearch --json, nidx stats --json and nidx serve
 * print, made here so that every program prints the same bytes. Each
 * function writes one JSON object on one line, without a line break, into
 * a new string *json (caller frees with free()) of *len bytes (len may be
 * NULL). Keys are added over time, never renamed or removed.
 *
 * Results, keys in this order:
 *   {"query": Q, "total": N,
 *    "hits": [{"rank", "id", "score", "title", "date", "source",
 *              "lang", "url", "snippet", "duplicates"}],
 *    "facets": {"source": {NAME: N}, "lang": {CODE: N},
 *               "month": {"YYYY-MM": N}}          (when asked for)
 *    "suggestion": Q or null, "total_exact": BOOL, "offset": N,
 *    "cut": "time" or "cancelled"                 (when cut short)
 *    "revision": N}
 * Absent fields are null; a snippet is HTML-escaped with the matched
 * words in <b>...</b> (the only markup), so a web page may insert it as
 * HTML; every other string is plain text, to be escaped by who shows it.
 */
nidx_status_t nidx_results_json(const nidx_results_t *results, char **json,
                                size_t *len, nidx_error_t *err);

/* An article: {"id", "title", "date", "source", "lang", "url", "body"},
   the body whole, all plain text. */
nidx_status_t nidx_article_json(const nidx_article_t *article, char **json,
                                size_t *len, nidx_error_t *err);

/*
 * What nidx_searcher_stats() tells, with the index's path:
 *   {"index": PATH, "articles", "words", "occurrences", "bytes",
 *    "first_date", "last_date", "shards", "copy_groups", "copies",
 *    "revision", "format", "languages": {CODE: N}, "sources": {NAME: N}}
 */
nidx_status_t nidx_stats_json(nidx_searcher_t *searcher, char **json,
                              size_t *len, nidx_error_t *err);

/* ------------------------------------------------------------------ */
/* Maintenance                                                        */
/* ------------------------------------------------------------------ */

/* What an index holds. */
typedef struct nidx_index_stats {
    uint64_t articles;
    uint64_t words;       /* distinct words (matching forms) */
    uint64_t occurrences; /* words indexed, repeats counted */
    uint64_t bytes;       /* size on disk */
    char first_date[11];  /* earliest and latest dates, YYYY[-MM[-DD]]; */
    char last_date[11];   /* "" when no article has one */
    unsigned shards;      /* Xapian databases searched together */
    uint64_t copy_groups; /* groups of near-duplicates (2 articles or more) */
    uint64_t copies;      /* articles a search folds into their group's best */
    unsigned format;      /* the index's format: 2 (bodies stored apart
                             from the fields a hit shows), or 1 */
} nidx_index_stats_t;

/* One shard of an index, as nidx_searcher_each_shard() tells it. */
typedef struct nidx_shard_info {
    unsigned number;   /* its place in the index's XAPIANDB, from 0 */
    const char *where; /* its directory, or HOST:PORT or :PROGRAM ARGS of
                          the server of a shard on another machine that it
                          is read from (the strings here are owned by the
                          searcher, valid during the call) */
    bool remote;       /* on another machine */
    bool answered;     /* false: a remote shard left out (not answering) */
    uint64_t articles; /* 0 when it did not answer */
    /* Every server of the shard: the XAPIANDB's, then the replicas that
       nidx.conf lists ("replica N HOST:PORT"); a search moves to the next
       when one fails. n_servers of them (1 for a local shard). */
    const char *const *servers;
    size_t n_servers;
} nidx_shard_info_t;

/* Calls fn(context, info) for each shard of the index the searcher has
   open, in order. */
void nidx_searcher_each_shard(nidx_searcher_t *searcher,
                              void (*fn)(void *context,
                                         const nidx_shard_info_t *info),
                              void *context);

/* Receives each language and source with its number of articles. */
typedef void (*nidx_count_fn)(void *context, nidx_facet_t facet,
                              const char *value, uint64_t articles);

/*
 * Fills *stats for the index as the searcher sees it, and calls `fn` (may
 * be NULL) for each language and each source, most frequent first.
 * Counting words reads the whole term list: about a second per few
 * million terms.
 */
nidx_status_t nidx_searcher_stats(nidx_searcher_t *searcher,
                                  nidx_index_stats_t *stats, nidx_count_fn fn,
                                  void *context, nidx_error_t *err);

/*
 * Rewrites the index at `path` compacted (Xapian's compaction: smaller and
 * faster to search), in place. Holds the writer lock meanwhile
 * (NIDX_ERROR_LOCKED when a writer is busy); searchers opened before keep
 * reading the old files until they reopen.
 */
nidx_status_t nidx_index_compact(const char *path, nidx_error_t *err);

/*
 * Makes `path` an index of n shards on other machines (a "cluster"),
 * writing its XAPIANDB: each shard "HOST:PORT" (xapian-tcpsrv, served
 * --writable to take articles) or ":PROGRAM ARGS" (a program speaking the
 * remote protocol, such as "ssh host xapian-progsrv /srv/nidx/shard0").
 * Articles go to a shard by a hash of their id over the number of shards,
 * so a cluster keeps its number: listing an existing cluster anew (shards
 * moved to other machines) needs `replace` and the same n. Refused
 * (NIDX_ERROR_ARGUMENT) for a directory holding local shards, a spec of
 * neither form, or n outside 1..64. Nothing is contacted: open a searcher
 * to see what each shard holds (nidx_searcher_each_shard()).
 */
nidx_status_t nidx_index_set_remote_shards(const char *path,
                                           const char *const *shards,
                                           unsigned n, bool replace,
                                           nidx_error_t *err);

/*
 * Joins the near-duplicates that shards built apart hold
 * (nidx_writer_open_part()): articles in different shards whose bodies are
 * near copies, found as the writer finds them, get one collapse key, so
 * that searches fold them as if the index had been written in one run.
 * Every shard is written (NIDX_ERROR_LOCKED while another writer works);
 * *joined receives how many articles took another group's key. Run it on
 * the cluster once its parts are served; again after more parts are
 * loaded apart. Articles added through the cluster need none.
 */
nidx_status_t nidx_index_regroup(const char *path, uint64_t *joined,
                                 nidx_error_t *err);

/*
 * Checks every table of the index at `path`; *problems receives how many
 * were found (0: sound), the first described in err. The same checks as
 * nidx_index_check_each(), the problems not listed one by one.
 */
nidx_status_t nidx_index_check(const char *path, uint64_t *problems,
                               nidx_error_t *err);

/*
 * Checks the index at `path` whole: every table of every shard (Xapian's
 * own check), every shard's format, and every article's stored fields and
 * body, read whole against its checksum and its shard's dictionary. Calls
 * `report` (may be NULL) for each problem found, naming the shard or the
 * article; *problems receives how many (0: sound), the first described
 * in err. Reads every body: minutes for millions of articles.
 */
nidx_status_t nidx_index_check_each(const char *path, nidx_diagnostic_fn report,
                                    void *context, uint64_t *problems,
                                    nidx_error_t *err);

#ifdef __cplusplus
}
#endif

#endif /* NIDX_H */
