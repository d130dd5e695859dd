/*
 * xshim_read.cc — reading an index: opening it (its shards), revisions
 * and looking for newer ones, statistics, terms and their frequencies,
 * documents' data and values, and the time limit and cancelling of a
 * search.
 */
#include "xshim_impl.h"

using namespace xshim;

/* ---- searching ---- */

nidx_status_t xshim_reader_open(const char *path, xshim_reader_t **reader,
                                nidx_error_t *err)
{
    *reader = nullptr;
    try {
        xshim_reader_t *r = new xshim_reader;
        try {
            /* Opening races a committing writer as reading does (the
               reopen between tries is of the empty handle: harmless). */
            retrying(
                [&]() { r->db = open_shard(path, XSHIM_REMOTE_TIMEOUT_MS); },
                [](bool) {});
            r->path = path;
            r->remote = is_remote(path);
        } catch (...) {
            delete r;
            throw;
        }
        *reader = r;
        return NIDX_OK;
    } catch (...) {
        return translate(err, path);
    }
}

nidx_status_t xshim_reader_open_shards(
    const char *path, const char *const *shard_paths, size_t n,
    const char *const *replicas, const unsigned *replica_of, size_t n_replicas,
    unsigned timeout_ms, xshim_reader_t **reader, nidx_error_t *err)
{
    *reader = nullptr;
    try {
        std::unique_ptr<xshim_reader_t> r(new xshim_reader);
        r->path = path;
        if (timeout_ms)
            r->timeout_ms = timeout_ms;
        r->shard_paths.assign(shard_paths, shard_paths + n);
        r->servers.resize(n);
        r->serving.assign(n, 0);
        for (size_t i = 0; i < n; i++)
            r->servers[i].push_back(shard_paths[i]);
        for (size_t k = 0; k < n_replicas; k++)
            if (replica_of[k] < n)
                r->servers[replica_of[k]].push_back(replicas[k]);
        retrying([&]() { reader_reset(r.get()); }, [](bool) {});
        *reader = r.release();
        return NIDX_OK;
    } catch (...) {
        return translate(err, path);
    }
}

/* Shard i's (in shard_paths) revision as the handle `db` on it sees it. */
static uint64_t shard_revision(const xshim_reader_t *r, size_t i,
                               const Xapian::Database &db)
{
    if (!is_remote(r->shard_paths[i]))
        return db.get_revision();
    return std::strtoull(db.get_metadata(XSHIM_COMMITS_KEY).c_str(), nullptr,
                         10);
}

uint64_t xshim_reader_revision(const xshim_reader_t *r)
{
    uint64_t sum = 0;
    try {
        for (size_t i = 0; i < r->shards.size(); i++)
            sum += shard_revision(r, r->live[i], r->shards[i]);
    } catch (...) {
    }
    return sum;
}

nidx_status_t xshim_reader_changed(xshim_reader_t *r, bool *changed,
                                   nidx_error_t *err)
{
    *changed = false;
    try {
        if (r->shards.empty()) { /* shards unknown: ask a fresh handle */
            Xapian::Database fresh(r->path);
            *changed = fresh.get_doccount() != r->db.get_doccount() ||
                       fresh.get_lastdocid() != r->db.get_lastdocid();
            return NIDX_OK;
        }
        /* Shards left out coming back is a change too. */
        *changed = r->live.size() < r->shard_paths.size() &&
                   monotonic_now() >= r->retry_at;
        ensure_probes(r);
        for (size_t i = 0; i < r->shards.size() && !*changed; i++) {
            try {
                r->probes[i].reopen();
            } catch (const Xapian::DatabaseModifiedError &) {
                *changed = true; /* a writer is past it already */
            }
            size_t k = r->live[i];
            *changed = *changed || shard_revision(r, k, r->probes[i]) !=
                                       shard_revision(r, k, r->shards[i]);
        }
        return NIDX_OK;
    } catch (...) {
        return translate(err, r->path.c_str());
    }
}

nidx_status_t xshim_reader_reopen(xshim_reader_t *r, nidx_error_t *err)
{
    try {
        r->termfreqs.clear();
        reader_retry(r, [&]() { r->db.reopen(); });
        return NIDX_OK;
    } catch (...) {
        return translate(err, r->path.c_str());
    }
}

uint64_t xshim_reader_doc_count(const xshim_reader_t *r)
{
    try {
        return r->db.get_doccount();
    } catch (...) {
        return 0;
    }
}

uint64_t xshim_reader_word_count(xshim_reader_t *r)
{
    uint64_t n = 0;
    try {
        for (auto t = r->db.allterms_begin(); t != r->db.allterms_end(); ++t) {
            const std::string &term = *t;
            n += !(term[0] >= 'A' && term[0] <= 'Z');
        }
    } catch (...) {
    }
    return n;
}

uint64_t xshim_reader_total_length(xshim_reader_t *r)
{
    try {
        return r->db.get_total_length();
    } catch (...) {
        return 0;
    }
}

void xshim_reader_value_bounds(xshim_reader_t *r, unsigned slot, char *lo,
                               char *hi, size_t cap)
{
    lo[0] = hi[0] = '\0';
    try {
        std::string a = r->db.get_value_lower_bound(slot);
        std::string b = r->db.get_value_upper_bound(slot);
        std::snprintf(lo, cap, "%s", a.c_str());
        std::snprintf(hi, cap, "%s", b.c_str());
    } catch (...) {
    }
}

nidx_status_t xshim_reader_value_counts(xshim_reader_t *r,
                                        const xshim_facets_t *facets,
                                        nidx_error_t *err)
{
    xshim_query_t all{Xapian::Query::MatchAll};
    uint64_t n;
    return xshim_reader_count(r, &all, -1, facets, &n, err);
}

nidx_status_t xshim_check(const char *path, uint64_t *errors, nidx_error_t *err)
{
    *errors = 0;
    try {
        std::ostringstream out;
        *errors =
            Xapian::Database::check(path, Xapian::DBCHECK_FULL_TREE, &out);
        if (*errors)
            error_set(err, NIDX_ERROR_CORRUPT, "%s: %s", path,
                      out.str().substr(0, 600).c_str());
        return NIDX_OK;
    } catch (...) {
        return translate(err, path);
    }
}

void xshim_reader_close(xshim_reader_t *r)
{
    delete r;
}

nidx_status_t xshim_reader_terms(xshim_reader_t *r, const char *prefix,
                                 int (*fn)(void *, const char *, size_t,
                                           uint64_t),
                                 void *context, nidx_error_t *err)
{
    try {
        size_t skip = std::strlen(prefix);
        /* Retried after a writer's commit from just after the last term
           given: the list is sorted, and fn sees each term once. */
        std::string last;
        bool begun = false;
        reader_retry(r, [&]() {
            auto t = r->db.allterms_begin(prefix);
            auto end = r->db.allterms_end(prefix);
            if (begun) {
                t.skip_to(last);
                if (t != end && *t == last)
                    ++t;
            }
            for (; t != end; ++t) {
                last = *t;
                begun = true;
                if (fn(context, last.data() + skip, last.size() - skip,
                       t.get_termfreq()))
                    return;
            }
        });
        return NIDX_OK;
    } catch (...) {
        return translate(err, "listing terms");
    }
}

/* Most frequencies remembered by a reader of remote shards. */
#define TERMFREQS_KEPT 65536

uint64_t xshim_reader_termfreq(xshim_reader_t *r, const char *term, size_t len)
{
    try {
        std::string t(term, len);
        if (r->remote) {
            auto known = r->termfreqs.find(t);
            if (known != r->termfreqs.end())
                return known->second;
        }
        Xapian::doccount n = 0;
        reader_retry(r, [&]() { n = r->db.get_termfreq(t); });
        if (r->remote) {
            if (r->termfreqs.size() >= TERMFREQS_KEPT)
                r->termfreqs.clear();
            r->termfreqs.emplace(std::move(t), n);
        }
        return n;
    } catch (...) {
        return 0;
    }
}

void xshim_reader_begin(xshim_reader_t *r, double seconds)
{
    /* Shards left out are tried again now and then: all anew, so that
       the documents' numbers follow the shards that answer. */
    if (r->live.size() < r->shard_paths.size() &&
        monotonic_now() >= r->retry_at) {
        try {
            reader_reset(r);
        } catch (...) {
            r->retry_at = monotonic_now() + RETRY_LEFT_OUT_SECONDS;
        }
    }
    r->unreachable = false;
    r->deadline = seconds > 0 ? monotonic_now() + seconds : 0;
    /* A time limit that a test can reach deterministically: the search is
       cut as if its time ran out after this many candidates of a tier. */
    const char *after = seconds > 0 ? std::getenv("NIDX_TEST_CUT_AFTER") : NULL;
    r->cut_after = after ? std::strtoull(after, nullptr, 10) : 0;
    /* Likewise a cancel, made by xshim_reader_cancel() as another thread's
       would be, after this many candidates. */
    const char *cancel = std::getenv("NIDX_TEST_CANCEL_AFTER");
    r->cancel_after = cancel ? std::strtoull(cancel, nullptr, 10) : 0;
    r->cut = XSHIM_CUT_NONE;
    r->cancel.store(false);
    r->running.store(true);
}

xshim_cut_t xshim_reader_end(xshim_reader_t *r)
{
    r->running.store(false);
    r->deadline = 0;
    return r->cut;
}

void xshim_reader_cancel(xshim_reader_t *r)
{
    if (r->running.load())
        r->cancel.store(true);
}

nidx_status_t xshim_reader_postings(xshim_reader_t *r, const char *term,
                                    size_t len, uint32_t *docids, size_t cap,
                                    size_t *n, nidx_error_t *err)
{
    try {
        reader_retry(
            r, [&]() { first_postings(r->db, term, len, docids, cap, n); });
        return NIDX_OK;
    } catch (...) {
        *n = 0;
        return translate(err, "reading postings");
    }
}

nidx_status_t xshim_reader_value(xshim_reader_t *r, uint32_t docid,
                                 unsigned slot, char *out, size_t cap,
                                 size_t *len, nidx_error_t *err)
{
    try {
        reader_retry(r,
                     [&]() { one_value(r->db, docid, slot, out, cap, len); });
        return NIDX_OK;
    } catch (...) {
        *len = 0;
        return translate(err, "reading a value");
    }
}

nidx_status_t xshim_reader_metadata_bytes(xshim_reader_t *r, const char *key,
                                          char **data, size_t *len,
                                          nidx_error_t *err)
{
    *data = nullptr;
    try {
        std::string v;
        reader_retry(r, [&]() { v = r->db.get_metadata(key); });
        *data = copy_out(v);
        *len = v.size();
        return NIDX_OK;
    } catch (...) {
        return translate(err, "reading metadata");
    }
}

nidx_status_t xshim_reader_get_metadata(xshim_reader_t *r, const char *key,
                                        char *out, size_t cap,
                                        nidx_error_t *err)
{
    try {
        std::string v;
        reader_retry(r, [&]() { v = r->db.get_metadata(key); });
        std::snprintf(out, cap, "%s", v.c_str());
        return NIDX_OK;
    } catch (...) {
        if (cap)
            *out = '\0';
        return translate(err, "reading metadata");
    }
}

nidx_status_t xshim_reader_data(xshim_reader_t *r, uint32_t docid, char **data,
                                size_t *len, nidx_error_t *err)
{
    *data = nullptr;
    try {
        std::string s;
        reader_retry(r, [&]() { s = r->db.get_document(docid).get_data(); });
        *data = copy_out(s);
        *len = s.size();
        return NIDX_OK;
    } catch (...) {
        return translate(err, "reading a document");
    }
}

/* The groups' first terms (xshim_reader_first_held()) in the document's
   term list, read once in term order: `order` sorts terms[0..n). */
static void first_in_termlist(Xapian::Database &db, uint32_t docid,
                              const char *const *terms,
                              const std::vector<size_t> &order,
                              const size_t *ends, size_t n_groups,
                              size_t *first)
{
    for (size_t g = 0; g < n_groups; g++)
        first[g] = ends[g];
    Xapian::TermIterator t = db.termlist_begin(docid);
    for (size_t i : order) {
        t.skip_to(terms[i]);
        if (t == db.termlist_end(docid))
            break;
        if (*t != terms[i])
            continue;
        size_t g = std::upper_bound(ends, ends + n_groups, i) - ends;
        if (i < first[g])
            first[g] = i;
    }
}

/* The groups' first terms (xshim_reader_first_held()) by posting lists:
   group g of every document into first[d * n_groups + g]. */
static void first_in_postings(Xapian::Database &db, const uint32_t *docids,
                              size_t n_docs, const char *const *terms,
                              const size_t *ends, size_t n_groups,
                              size_t *first)
{
    std::vector<size_t> order(n_docs);
    for (size_t d = 0; d < n_docs; d++)
        order[d] = d;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return docids[a] < docids[b]; });
    for (size_t g = 0, start = 0; g < n_groups; start = ends[g++]) {
        size_t open = n_docs; /* documents no term of the group settled */
        for (size_t d = 0; d < n_docs; d++)
            first[d * n_groups + g] = ends[g];
        for (size_t i = start; i < ends[g] && open; i++) {
            Xapian::PostingIterator p = db.postlist_begin(terms[i]);
            Xapian::PostingIterator end = db.postlist_end(terms[i]);
            for (size_t d : order) {
                size_t *at = &first[d * n_groups + g];
                if (*at < ends[g])
                    continue;
                p.skip_to(docids[d]);
                if (p == end)
                    break;
                if (*p == docids[d]) {
                    *at = i;
                    open--;
                }
            }
        }
    }
}

/* Postings that over remote shards are read as posting lists rather than
   each hit's term list: a term list holds a name key a word (thousands for
   a long article) and costs a round trip a hit; a posting list costs one a
   term, and its size. On 400 title queries over a remote shard (three runs
   each, alternated): p90 34 -> 11 ms, p99 71-81 -> 35 ms, mean 13.1 -> 7.6
   ms; lists of any size made p99 worse (74 -> 124 ms). */
#define FIRST_HELD_POSTINGS 5000

/* Whether the terms' posting lists hold FIRST_HELD_POSTINGS at most (their
   frequencies are mostly known: the query asked them). */
static bool few_postings(xshim_reader_t *r, const char *const *terms, size_t n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n && total <= FIRST_HELD_POSTINGS; i++)
        total += xshim_reader_termfreq(r, terms[i], std::strlen(terms[i]));
    return total <= FIRST_HELD_POSTINGS;
}

nidx_status_t xshim_reader_first_held(xshim_reader_t *r, const uint32_t *docids,
                                      size_t n_docs, const char *const *terms,
                                      const size_t *ends, size_t n_groups,
                                      size_t *first, nidx_error_t *err)
{
    try {
        reader_retry(r, [&]() {
            size_t n = n_groups ? ends[n_groups - 1] : 0;
            if (!r->remote || few_postings(r, terms, n)) {
                first_in_postings(r->db, docids, n_docs, terms, ends, n_groups,
                                  first);
                return;
            }
            std::vector<size_t> order(n);
            for (size_t i = 0; i < n; i++)
                order[i] = i;
            std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
                return std::strcmp(terms[a], terms[b]) < 0;
            });
            for (size_t d = 0; d < n_docs; d++)
                first_in_termlist(r->db, docids[d], terms, order, ends,
                                  n_groups, first + d * n_groups);
        });
        return NIDX_OK;
    } catch (...) {
        for (size_t d = 0; d < n_docs; d++)
            for (size_t g = 0; g < n_groups; g++)
                first[d * n_groups + g] = ends[g];
        return translate(err, "reading documents' terms");
    }
}
