/*
 * xapian_shim.h — the C face of the only C++ in nidx.
 *
 * Exposes what nidx needs from Xapian and nothing more: building and
 * replacing documents in a writable database, composing queries, matching,
 * reading stored data back, stemming; and, the one other C++ library nidx
 * uses, CLD2's language identification. Every exception is caught at this
 * boundary and becomes an nidx_status_t with a message.
 *
 * Ownership: each *_new/_open returns a handle its caller frees with the
 * matching _free/_close. Query constructors that take sub-queries take
 * ownership of them, even when they fail.
 */
#ifndef NIDX_LIB_XAPIAN_SHIM_H
#define NIDX_LIB_XAPIAN_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nidx.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- language identification (CLD2) ---- */

/*
 * Identifies the language of UTF-8 text. Writes its ISO 639 code ("en",
 * "zh", "sr") to out and returns true when CLD2 is confident; else returns
 * false with out empty.
 */
bool xshim_identify_language(const char *text, size_t len, char out[8]);

/* ---- stemming ---- */

typedef struct xshim_stem xshim_stem_t;

/* Xapian's Snowball stemmer for `language` (a name such as "english"), or
   NULL when Xapian has none or memory ran out. */
xshim_stem_t *xshim_stem_new(const char *language);
void xshim_stem_free(xshim_stem_t *stem);
/* Stems word[0..len) into out (cap bytes). Returns the stem's length, or
   -1 when it does not fit or stemming failed. */
long xshim_stem_apply(xshim_stem_t *stem, const char *word, size_t len,
                      char *out, size_t cap);

/* ---- documents ---- */

typedef struct xshim_doc xshim_doc_t;

/* A new empty document, or NULL when out of memory. */
xshim_doc_t *xshim_doc_new(void);
void xshim_doc_free(xshim_doc_t *doc);
/* Empties the document for reuse. */
void xshim_doc_clear(xshim_doc_t *doc);
/* Adds `term` at `position`, raising its within-document frequency by
   `wdf`. */
void xshim_doc_add_posting(xshim_doc_t *doc, const char *term, size_t len,
                           uint32_t position, unsigned wdf);
/* Adds a term without position, raising its frequency by `wdf`. */
void xshim_doc_add_term(xshim_doc_t *doc, const char *term, size_t len,
                        unsigned wdf);
/* Adds a term without position or weight (ids, filters). */
void xshim_doc_add_boolean_term(xshim_doc_t *doc, const char *term, size_t len);
void xshim_doc_set_value(xshim_doc_t *doc, unsigned slot, const char *value,
                         size_t len);
void xshim_doc_set_data(xshim_doc_t *doc, const char *data, size_t len);

/* Calls fn for each distinct term of the document. */
void xshim_doc_each_term(const xshim_doc_t *doc,
                         void (*fn)(void *context, const char *term,
                                    size_t len),
                         void *context);

/* ---- writing ---- */

typedef struct xshim_writer xshim_writer_t;

/* Milliseconds a remote shard being written has to connect and to answer
   each message (a commit of a large batch among them). */
#define XSHIM_WRITE_TIMEOUT_MS 60000
/* Opens or creates the database directory `path` (its parent must exist),
   or opens the shard a "remote ..." stub line names, served writable
   (layout.h). NIDX_ERROR_LOCKED when another writer has it. */
nidx_status_t xshim_writer_open(const char *path, xshim_writer_t **writer,
                                nidx_error_t *err);
/* Stores `doc` as the one document holding `id_term`, replacing any other;
 *existed tells whether one did, *docid (when not NULL) gets its number.
 The document stays the caller's. */
nidx_status_t xshim_writer_replace(xshim_writer_t *writer, const char *id_term,
                                   size_t id_len, const xshim_doc_t *doc,
                                   bool *existed, uint32_t *docid,
                                   nidx_error_t *err);
/* The first documents (at most `cap`) holding `term`, committed or not,
   in docids[], their number in *n. */
nidx_status_t xshim_writer_postings(xshim_writer_t *writer, const char *term,
                                    size_t len, uint32_t *docids, size_t cap,
                                    size_t *n, nidx_error_t *err);
/* The value of a document, committed or not, in slot `slot` into
   out[0..cap) with its length in *len (0: none, or the document is gone;
   cut at cap). */
nidx_status_t xshim_writer_value(xshim_writer_t *writer, uint32_t docid,
                                 unsigned slot, char *out, size_t cap,
                                 size_t *len, nidx_error_t *err);
/* The values of document `docid` in slots[0..n), committed or not, into
   outs[i] (caps[i] bytes, cut) with their lengths in lens[i] (0: none, or
   the document is gone): one read of the document. */
nidx_status_t xshim_writer_values(xshim_writer_t *writer, uint32_t docid,
                                  size_t n, const unsigned *slots,
                                  char *const *outs, const size_t *caps,
                                  size_t *lens, nidx_error_t *err);
/* Sets the value in `slot` of document `docid` (which must exist), with
   the next commit. */
nidx_status_t xshim_writer_set_doc_value(xshim_writer_t *writer, uint32_t docid,
                                         unsigned slot, const char *value,
                                         size_t len, nidx_error_t *err);
/* Calls fn(context, docid, value, len) for each committed document whose
   value in `slot` is within [lo, hi] (bytes), in the order of the values,
   until fn returns non-zero. The range is matched whole first: keep it to
   what memory holds (some 100 bytes a document). */
nidx_status_t xshim_writer_each_value(xshim_writer_t *writer, unsigned slot,
                                      const char *lo, size_t lo_len,
                                      const char *hi, size_t hi_len,
                                      int (*fn)(void *context, uint32_t docid,
                                                const char *value, size_t len),
                                      void *context, nidx_error_t *err);
/* Deletes the document holding `id_term`; *existed tells whether one did. */
nidx_status_t xshim_writer_delete(xshim_writer_t *writer, const char *id_term,
                                  size_t id_len, bool *existed,
                                  nidx_error_t *err);
/* Deletes one document by its docid. */
nidx_status_t xshim_writer_delete_docid(xshim_writer_t *writer, uint32_t docid,
                                        nidx_error_t *err);
/* Calls fn(context, docid) for each document holding `term`, committed or
   not, until fn returns non-zero. */
nidx_status_t
xshim_writer_each_posting(xshim_writer_t *writer, const char *term, size_t len,
                          int (*fn)(void *context, uint32_t docid),
                          void *context, nidx_error_t *err);
/* The metadata under `key`, bytes and all: a new buffer (caller frees,
   NUL-terminated) of *len bytes, empty when none. */
nidx_status_t xshim_writer_metadata_bytes(xshim_writer_t *writer,
                                          const char *key, char **data,
                                          size_t *len, nidx_error_t *err);
/* Stores data[0..len) under `key`, with the next commit. */
nidx_status_t xshim_writer_set_metadata_bytes(xshim_writer_t *writer,
                                              const char *key, const char *data,
                                              size_t len, nidx_error_t *err);
/* Number of documents, pending ones included. */
uint64_t xshim_writer_doc_count(xshim_writer_t *writer);
/* The metadata value stored under `key` into out (cap bytes, NUL-
   terminated, cut); "" when none. */
nidx_status_t xshim_writer_get_metadata(xshim_writer_t *writer, const char *key,
                                        char *out, size_t cap,
                                        nidx_error_t *err);
/* Stores `value` under `key` ("" deletes it), with the next commit. */
nidx_status_t xshim_writer_set_metadata(xshim_writer_t *writer, const char *key,
                                        const char *value, nidx_error_t *err);
/* Calls fn(context, key) for each metadata key starting with `prefix`,
   until fn returns non-zero. */
nidx_status_t
xshim_writer_each_metadata(xshim_writer_t *writer, const char *prefix,
                           int (*fn)(void *context, const char *key),
                           void *context, nidx_error_t *err);
/* Writes a compacted copy of the index to `out` (a new directory). */
nidx_status_t xshim_writer_compact(xshim_writer_t *writer, const char *out,
                                   nidx_error_t *err);
nidx_status_t xshim_writer_commit(xshim_writer_t *writer, nidx_error_t *err);
/* Commits, closes and frees; the handle is gone even on error. */
nidx_status_t xshim_writer_close(xshim_writer_t *writer, nidx_error_t *err);
/* Closes without committing: what was changed since the last commit is
   dropped, the shard's lock released (a commit refused for want of room). */
void xshim_writer_discard(xshim_writer_t *writer);

/* ---- queries ---- */

typedef struct xshim_query xshim_query_t;

typedef enum xshim_op {
    XSHIM_AND,
    XSHIM_OR,
    XSHIM_AND_NOT,   /* the first sub-query without the others */
    XSHIM_PHRASE,    /* sub-queries must be terms, in order, adjacent */
    XSHIM_SYNONYM,   /* any sub-query, weighted as one term */
    XSHIM_AND_MAYBE, /* the first sub-query; the others add weight */
    XSHIM_FILTER,    /* all sub-queries; only the first adds weight */
    /* No OP_MAX: Xapian 1.4.22 reads freed memory when the last two
       sub-queries of a MAX end on one document in a shard of several
       (MaxPostList::erase_sublist() leaves plist[0] dangling, and the
       merge of shards recomputes every shard's bound); OR it is. */
} xshim_op_t;

/* A query matching no document; NULL when out of memory. */
xshim_query_t *xshim_query_nothing(void);

/* Another handle on q (Xapian shares the query: cheap); NULL when out of
   memory. Both are freed apart. */
xshim_query_t *xshim_query_copy(const xshim_query_t *q);

/* A query for one term; NULL when out of memory. */
xshim_query_t *xshim_query_term(const char *term, size_t len);
/* One term, its weight times `factor`; NULL when out of memory. */
xshim_query_t *xshim_query_scaled_term(const char *term, size_t len,
                                       double factor);
/* q, its weight times `factor`; q is consumed. NULL when out of memory. */
xshim_query_t *xshim_query_scaled(xshim_query_t *q, double factor);
/* Combines n sub-queries (consumed); NULL when out of memory. */
xshim_query_t *xshim_query_combine(xshim_op_t op, xshim_query_t **subs,
                                   size_t n);
/* Every sub-query (terms, or ORs of terms; consumed) within `window`
   positions, in any order; NULL when out of memory. */
xshim_query_t *xshim_query_near(xshim_query_t **subs, size_t n,
                                unsigned window);

/* Documents whose value in `slot` is within [lo, hi] (as bytes); either
   may be NULL for an open end. Adds no weight. */
xshim_query_t *xshim_query_value_range(unsigned slot, const char *lo,
                                       const char *hi);
void xshim_query_free(xshim_query_t *q);

/* ---- searching ---- */

typedef struct xshim_reader xshim_reader_t;

/* Opens the database (or stub) at `path` as one. */
nidx_status_t xshim_reader_open(const char *path, xshim_reader_t **reader,
                                nidx_error_t *err);
/* Milliseconds a remote shard has, by default, to connect and to answer
   each message. */
#define XSHIM_REMOTE_TIMEOUT_MS 5000
/*
 * Opens the index at `path` whose shards are shard_paths[] (database
 * directories, or "remote ..." stub lines: layout.h), each kept known, so
 * that revisions and changes can be told. A remote shard may have other
 * servers: replicas[k] (a "remote ..." line) serves shard replica_of[k].
 * A server that does not answer within timeout_ms (0:
 * XSHIM_REMOTE_TIMEOUT_MS) makes way for the shard's next; a shard none
 * of whose servers answers is left out, the others opened:
 * xshim_reader_left_out() says how many.
 */
nidx_status_t xshim_reader_open_shards(
    const char *path, const char *const *shard_paths, size_t n,
    const char *const *replicas, const unsigned *replica_of, size_t n_replicas,
    unsigned timeout_ms, xshim_reader_t **reader, nidx_error_t *err);
/* Whether a remote shard failed the reader's last call (and forgets it). */
bool xshim_reader_unreachable(xshim_reader_t *reader);
/* Connects to every shard anew, leaving out the remote ones that do not
   answer now (each has the timeout); *dropped tells whether the reader
   was renewed so. Documents' numbers may change with it: a search is to
   be run again. */
nidx_status_t xshim_reader_drop_unreachable(xshim_reader_t *reader,
                                            bool *dropped, nidx_error_t *err);
/* One shard, as xshim_reader_each_shard() tells it. */
typedef struct xshim_shard {
    unsigned number;   /* in the stub's order, from 0 */
    const char *where; /* a directory, or HOST:PORT or :PROGRAM ARGS of the
                          server read from */
    bool remote;
    bool answered;
    uint64_t documents;
    const char *const *servers; /* every server listed, the stub's first */
    size_t n_servers;
} xshim_shard_t;
/* Calls fn for each shard of the reader, in the stub's order (the strings
   valid during the call). */
void xshim_reader_each_shard(const xshim_reader_t *reader,
                             void (*fn)(void *context,
                                        const xshim_shard_t *shard),
                             void *context);
/* Shards left out, and why the first of them was; they are tried again by
   xshim_reader_begin() some seconds later. */
unsigned xshim_reader_left_out(const xshim_reader_t *reader);
const char *xshim_reader_left_out_why(const xshim_reader_t *reader);
/* Metadata a writer counts its commits under: a shard's revision where
   Xapian's is not to be had (remote shards: its protocol lacks it). */
#define XSHIM_COMMITS_KEY "nidx-commits"
/* The sum of the shards' revisions (0 when opened by xshim_reader_open()):
   Xapian's, or XSHIM_COMMITS_KEY's for a remote shard. */
uint64_t xshim_reader_revision(const xshim_reader_t *reader);
/* Whether any shard has a newer commit than the reader sees. */
nidx_status_t xshim_reader_changed(xshim_reader_t *reader, bool *changed,
                                   nidx_error_t *err);
/* Moves to the newest committed revision. */
nidx_status_t xshim_reader_reopen(xshim_reader_t *reader, nidx_error_t *err);
uint64_t xshim_reader_doc_count(const xshim_reader_t *reader);
/* Calls fn(context, term without the prefix, length, the number of
   documents holding it) for each term that starts with `prefix`, in
   order, until fn returns non-zero. The term is NUL-terminated. */
nidx_status_t xshim_reader_terms(xshim_reader_t *reader, const char *prefix,
                                 int (*fn)(void *context, const char *term,
                                           size_t len, uint64_t freq),
                                 void *context, nidx_error_t *err);
/* Number of distinct terms that do not start with an ASCII capital (the
   words; prefixed terms do). Reads the whole term list: seconds on large
   indexes. */
uint64_t xshim_reader_word_count(xshim_reader_t *reader);
/* The sum of all documents' lengths (term occurrences). */
uint64_t xshim_reader_total_length(xshim_reader_t *reader);
/* The smallest and largest value in `slot` (empty when none), into lo and
   hi (cap bytes each, NUL-terminated, cut). */
void xshim_reader_value_bounds(xshim_reader_t *reader, unsigned slot, char *lo,
                               char *hi, size_t cap);

/*
 * Checks every table of the index at `path` (Xapian's consistency check);
 * *errors receives the number of problems, and a description of the
 * first goes to err.
 */
nidx_status_t xshim_check(const char *path, uint64_t *errors,
                          nidx_error_t *err);

/* As xshim_writer_postings() and xshim_writer_value(), on the last
   committed revision. */
nidx_status_t xshim_reader_postings(xshim_reader_t *reader, const char *term,
                                    size_t len, uint32_t *docids, size_t cap,
                                    size_t *n, nidx_error_t *err);
nidx_status_t xshim_reader_value(xshim_reader_t *reader, uint32_t docid,
                                 unsigned slot, char *out, size_t cap,
                                 size_t *len, nidx_error_t *err);
/* As xshim_writer_metadata_bytes(), on the last committed revision. */
nidx_status_t xshim_reader_metadata_bytes(xshim_reader_t *reader,
                                          const char *key, char **data,
                                          size_t *len, nidx_error_t *err);
/* As xshim_writer_get_metadata(), on the last committed revision. */
nidx_status_t xshim_reader_get_metadata(xshim_reader_t *reader, const char *key,
                                        char *out, size_t cap,
                                        nidx_error_t *err);

/* Any term of the index starting with prefix[0..len): the `max_terms`
   most frequent of them, as synonyms; NULL on failure. */
xshim_query_t *xshim_reader_prefix_query(xshim_reader_t *reader,
                                         const char *prefix, size_t len,
                                         size_t max_terms);

/* Number of documents holding `term` (0 on any error). */
uint64_t xshim_reader_termfreq(xshim_reader_t *reader, const char *term,
                               size_t len);
void xshim_reader_close(xshim_reader_t *reader);

typedef struct xshim_match {
    uint32_t docid;
    double weight;
    unsigned collapsed; /* documents of its collapse key not shown */
} xshim_match_t;

/* Counts of the values in some slots over the documents examined (all of
   them when check_at_least covers the index): facets. */
typedef struct xshim_facets {
    const unsigned *slots;
    size_t n_slots;
    /* Receives each value of slots[i] and how many documents have it. */
    void (*fn)(void *context, size_t i, const char *value, size_t len,
               uint64_t count);
    void *context;
} xshim_facets_t;

/* Match counts: exact when lower == upper. */
typedef struct xshim_counts {
    uint64_t estimated;
    uint64_t lower;
    uint64_t upper;
} xshim_counts_t;

/* BM25's parameters. */
typedef struct xshim_bm25 {
    double k1, b;
} xshim_bm25_t;

/* How matches are ordered. */
typedef enum xshim_order {
    XSHIM_BY_RELEVANCE,
    XSHIM_BY_VALUE_ASCENDING,  /* of a value slot; documents without it last */
    XSHIM_BY_VALUE_DESCENDING, /* likewise; ties by relevance */
} xshim_order_t;

/*
 * Ranks the documents matching `q` (by BM25 with `bm25`'s parameters, or
 * Xapian's defaults when NULL; or by the value in `slot` then BM25, as
 * `order` says) and stores those at ranks [offset, offset + limit) in
 * out[] (room for `limit`), their number in *n_out. With collapse_slot
 * >= 0, only the best document of each value in that slot is ranked
 * (those without the value all are), with the number of others. At least
 * `check_at_least` documents are examined; the counts (of ranked
 * documents) are exact whenever fewer than that match.
 */
nidx_status_t xshim_reader_match(xshim_reader_t *reader, const xshim_query_t *q,
                                 const xshim_bm25_t *bm25, xshim_order_t order,
                                 unsigned slot, int collapse_slot,
                                 unsigned offset, unsigned limit,
                                 unsigned check_at_least, xshim_match_t *out,
                                 size_t *n_out, xshim_counts_t *counts,
                                 nidx_error_t *err);

/*
 * Counts every document matching `q` into *count, with a flat weight (a
 * pass of its own: cheaper than ranking them all): one per value of
 * collapse_slot when >= 0; and the values of the facets' slots over all of
 * them, when `facets` is not NULL.
 */
nidx_status_t xshim_reader_count(xshim_reader_t *reader, const xshim_query_t *q,
                                 int collapse_slot,
                                 const xshim_facets_t *facets, uint64_t *count,
                                 nidx_error_t *err);

/* Why the matching of a search stopped early. */
typedef enum xshim_cut {
    XSHIM_CUT_NONE,
    XSHIM_CUT_TIME,
    XSHIM_CUT_CANCELLED,
} xshim_cut_t;

/*
 * Begins a search: the matching that xshim_reader_match() and
 * xshim_reader_count() do until xshim_reader_end() stops `seconds` from
 * now (0: no limit) or at xshim_reader_cancel(). Stopped, they still
 * succeed, with the best matches seen and counts of what was seen; every
 * later call of the search returns at once, empty.
 */
void xshim_reader_begin(xshim_reader_t *reader, double seconds);
/* Ends the search begun; returns whether and why it was cut. */
xshim_cut_t xshim_reader_end(xshim_reader_t *reader);
/* Cuts the search running, if any. Any thread; async-signal-safe. */
void xshim_reader_cancel(xshim_reader_t *reader);

/* Counts the documents per value of each facet slot over the whole index. */
nidx_status_t xshim_reader_value_counts(xshim_reader_t *reader,
                                        const xshim_facets_t *facets,
                                        nidx_error_t *err);

/* Which shard (0-based) holds document `docid` (0 when the shards are
   not known). */
unsigned xshim_reader_shard_of(const xshim_reader_t *reader, uint32_t docid);
/* The metadata under `key` of the shard holding `docid`, bytes and all:
   a new buffer (caller frees) of *len bytes, empty when none. */
nidx_status_t xshim_reader_shard_metadata(xshim_reader_t *reader,
                                          uint32_t docid, const char *key,
                                          char **data, size_t *len,
                                          nidx_error_t *err);
/* The value in `slot` of a document, whole: a new buffer (caller frees)
   of *len bytes, NUL-terminated ("" when it has none). */
nidx_status_t xshim_reader_value_copy(xshim_reader_t *reader, uint32_t docid,
                                      unsigned slot, char **data, size_t *len,
                                      nidx_error_t *err);

/* Whether some shard of the reader is on another machine. */
bool xshim_reader_remote(const xshim_reader_t *reader);

/*
 * For each of the n matches of `q`, the number of documents matching q
 * that share its value in `slot` (its collapse key), less itself, into
 * matches[i].collapsed; left alone where it has no value. One counting
 * pass: what collapsing counts over remote shards, where Xapian adds up
 * each shard's count and misses copies the shards did not send.
 */
nidx_status_t xshim_reader_group_sizes(xshim_reader_t *reader,
                                       const xshim_query_t *q, unsigned slot,
                                       xshim_match_t *matches, size_t n,
                                       nidx_error_t *err);

/* The stored data of a document: a new buffer (caller frees) of *len
   bytes. */
nidx_status_t xshim_reader_data(xshim_reader_t *reader, uint32_t docid,
                                char **data, size_t *len, nidx_error_t *err);

/*
 * For groups of terms (NUL-terminated): group g is terms[ends[g - 1] ..
 * ends[g]) (from 0 for g = 0). For each of documents docids[0..n_docs)
 * and each group, the index in terms[] of the group's first term the
 * document holds, into first[d * n_groups + g]; ends[g] when none.
 * Locally each term's posting list is opened once and skipped through the
 * documents in order (a few blocks each, however long the articles), a
 * term only looked at for the documents no earlier term of its group
 * settled; over remote shards each document's term list is read once, for
 * every group (a round trip, where a posting list would come whole).
 */
nidx_status_t xshim_reader_first_held(xshim_reader_t *reader,
                                      const uint32_t *docids, size_t n_docs,
                                      const char *const *terms,
                                      const size_t *ends, size_t n_groups,
                                      size_t *first, nidx_error_t *err);

#ifdef __cplusplus
}
#endif

#endif
