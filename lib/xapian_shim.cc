/*
 * xapian_shim.cc — the only C++ in nidx: a thin layer over Xapian 1.4.
 *
 * Every entry point catches every exception and hands back a status; no
 * exception ever crosses into C. translate() is the one place that decides
 * which Xapian error means which nidx status.
 */
#include "xapian_shim.h"

#include <cstdlib>
#include <algorithm>
#include <atomic>
#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>
#include <new>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>
#include <cstdio> /* before CLD2, which uses FILE without including it */
#include <cld2/public/compact_lang_det.h>
#include <xapian.h>

#include "error.h"

struct xshim_stem {
    Xapian::Stem stem;
};

struct xshim_doc {
    Xapian::Document doc;
    bool failed = false; /* a setter ran out of memory */
};

struct xshim_writer {
    Xapian::WritableDatabase db;
    std::string named; /* "HOST:PORT: " of a remote shard, for messages */
};

struct xshim_query {
    Xapian::Query query;
};

struct xshim_reader {
    Xapian::Database db; /* every shard: what searches read */
    std::string path;
    /* Each shard alone, sharing db's state (its revision moves with db),
       and a second handle on it that only ever looks for newer commits;
       empty when the shards are not known (xshim_reader_open()). */
    std::vector<Xapian::Database> shards, probes;
    std::vector<std::string> shard_paths;
    bool remote = false; /* some shard is on another machine */
    unsigned timeout_ms = XSHIM_REMOTE_TIMEOUT_MS; /* of a remote shard */
    /* The shard (in shard_paths) each of shards[] is: the shards that
       answered. The others are left out until retry_at, why in failure. */
    std::vector<size_t> live;
    std::string failure;
    double retry_at = 0;
    bool unreachable = false; /* a remote shard failed the last call */
    /* Over remote shards each frequency is a round trip a shard, and a
       query asks for the same terms again (each tier, the suggestion):
       remembered until the reader moves (reset, reopen). */
    std::unordered_map<std::string, Xapian::doccount> termfreqs;
    double deadline = 0;       /* monotonic seconds; 0: no time limit */
    uint64_t cut_after = 0;    /* tests: candidates before a time cut */
    uint64_t cancel_after = 0; /* tests: candidates before a cancel */
    std::atomic<bool> running{false}, cancel{false};
    xshim_cut_t cut = XSHIM_CUT_NONE;
};

/* Thrown by a search past its time limit or cancelled; never leaves the
   shim. */
struct xshim_timeout {
};

static double monotonic_now()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

/* Turns the exception being handled into a status; call inside catch.
   Subclasses come before their bases (Lock and Version errors are
   DatabaseOpeningErrors). */
static nidx_status_t translate(nidx_error_t *err, const char *what)
{
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        /* The lock file that cannot even be opened: not another writer,
           an index this user may not write (or a full or read-only
           disk). Xapian says why only in the message. */
        const std::string &m = e.get_msg();
        if (m.find("Couldn't open lockfile") != std::string::npos) {
            size_t colon = m.rfind(": ");
            return error_set(
                err, NIDX_ERROR_IO, "%s: cannot write the index: %s", what,
                colon == std::string::npos ? m.c_str() : m.c_str() + colon + 2);
        }
        return error_set(err, NIDX_ERROR_LOCKED,
                         "index is locked: another nidx is writing to it");
    } catch (const Xapian::DatabaseVersionError &e) {
        return error_set(err, NIDX_ERROR_CORRUPT,
                         "%s: index format not supported: %s", what,
                         e.get_msg().c_str());
    } catch (const Xapian::DatabaseOpeningError &e) {
        return error_set(err, NIDX_ERROR_NO_INDEX, "%s: %s", what,
                         e.get_msg().c_str());
    } catch (const Xapian::DatabaseCorruptError &e) {
        return error_set(err, NIDX_ERROR_CORRUPT, "%s: index is damaged: %s",
                         what, e.get_msg().c_str());
    } catch (const Xapian::NetworkError &e) {
        return error_set(err, NIDX_ERROR_IO, "%s: %s: %s", what, e.get_type(),
                         e.get_msg().c_str());
    } catch (const Xapian::Error &e) {
        /* A failed system call (a full disk, a lost mount) names its
           errno: an I/O error, not nidx's. */
        if (e.get_error_string())
            return error_set(err, NIDX_ERROR_IO, "%s: %s (%s)", what,
                             e.get_msg().c_str(), e.get_error_string());
        return error_set(err, NIDX_ERROR_INTERNAL, "%s: %s: %s", what,
                         e.get_type(), e.get_msg().c_str());
    } catch (const std::bad_alloc &) {
        return error_set(err, NIDX_ERROR_NOMEM, "%s: out of memory", what);
    } catch (const std::exception &e) {
        return error_set(err, NIDX_ERROR_INTERNAL, "%s: %s", what, e.what());
    } catch (...) {
        return error_set(err, NIDX_ERROR_INTERNAL, "%s: unknown exception",
                         what);
    }
}

/* A new buffer (caller frees) holding s, NUL-terminated. */
static char *copy_out(const std::string &s)
{
    char *buf = static_cast<char *>(std::malloc(s.size() + 1));
    if (!buf)
        throw std::bad_alloc();
    std::memcpy(buf, s.data(), s.size());
    buf[s.size()] = '\0';
    return buf;
}

/*
 * A reader racing a writer may find that the revision it opened has been
 * overwritten (DatabaseModifiedError); moving to the newest revision and
 * trying again is the documented remedy. Glass may notice the overwrite
 * only in a reused block's header and call it damage instead
 * ("Expected block 635 to be level 2, not 0", seen while a shard committed
 * every few hundred milliseconds), or read past the end of a table at a
 * block number taken from a freed block: those too are tried again, and a
 * database truly damaged still fails once the tries are spent.
 *
 * With many shards each committing often, a reopened reader can lose the
 * race again and again (8 shards committing every 200 articles: a third
 * of searches failed with five immediate tries). So the tries back off
 * (0, 1, 2, 4 ... 64 ms) and go on for up to RETRY_SECONDS: a writer
 * commits a shard at most every few hundred milliseconds, so a reader
 * that waits a little gets a whole revision to itself.
 */
#define RETRY_SECONDS 10.0
/* Damage that is truly there shows on every try: it is given less. */
#define RETRY_DAMAGE_SECONDS 2.0

static bool retry_after(int tries, double started, double seconds)
{
    if (monotonic_now() - started > seconds)
        return false;
    if (tries > 1) {
        long ms = 1L << (tries - 2 < 6 ? tries - 2 : 6);
        struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
        nanosleep(&pause, nullptr);
    }
    return true;
}

/*
 * Runs f(), trying again as above; refresh(hard) moves the reader on
 * between tries: hard after an error other than DatabaseModifiedError,
 * when the handle's cached state is not to be trusted either.
 */
template <typename F, typename R> static void retrying(F f, R refresh)
{
    double started = monotonic_now();
    for (int tries = 1;; tries++) {
        bool hard = false;
        try {
            f();
            return;
        } catch (const Xapian::DatabaseModifiedError &) {
            if (!retry_after(tries, started, RETRY_SECONDS))
                throw;
        } catch (const Xapian::DatabaseOpeningError &) {
            throw; /* no index there, locked, another version: not a race */
        } catch (const Xapian::DatabaseError &) {
            /* Corrupt, or "EOF reading block N" with a block number from
               a freed block (seen with three searchers racing 8 shards):
               both what an overwritten revision looks like. */
            if (!retry_after(tries, started, RETRY_DAMAGE_SECONDS))
                throw;
            hard = true;
        }
        try {
            refresh(hard);
        } catch (const Xapian::DatabaseOpeningError &) {
            throw;
        } catch (const Xapian::DatabaseError &) {
        }
    }
}

/* Seconds before shards left out are tried again. */
#define RETRY_LEFT_OUT_SECONDS 5.0

/*
 * A shard: a database directory, or "remote HOST:PORT" (xapian-tcpsrv) or
 * "remote :PROGRAM ARGS..." (a program speaking the remote protocol on its
 * standard input and output, such as ssh running xapian-progsrv), as the
 * lines of a Xapian stub write them.
 */
/* Where a shard is: a spec of open_shard() taken apart. */
struct shard_place {
    bool remote = false, program = false;
    std::string path;  /* a local shard's, or the program */
    std::string args;  /* the program's arguments */
    unsigned port = 0; /* with path the host */
};

static shard_place place_of(const std::string &spec)
{
    static const std::string remote = "remote ";
    shard_place p;
    if (spec.compare(0, remote.size(), remote) != 0) {
        p.path = spec;
        return p;
    }
    p.remote = true;
    std::string where = spec.substr(remote.size());
    if (!where.empty() && where[0] == ':') {
        size_t space = where.find(' ');
        p.program = true;
        p.path = where.substr(1, space == std::string::npos ? std::string::npos
                                                            : space - 1);
        if (space != std::string::npos)
            p.args = where.substr(space + 1);
        return p;
    }
    size_t colon = where.rfind(':');
    if (colon == std::string::npos || colon + 1 == where.size())
        throw Xapian::DatabaseOpeningError("no port in '" + spec + "'");
    p.path = where.substr(0, colon);
    p.port = static_cast<unsigned>(
        std::strtoul(where.c_str() + colon + 1, nullptr, 10));
    return p;
}

/*
 * A shard to read: a database directory, or "remote HOST:PORT"
 * (xapian-tcpsrv) or "remote :PROGRAM ARGS..." (a program speaking the
 * remote protocol on its standard input and output, such as ssh running
 * xapian-progsrv), as the lines of a Xapian stub write them; `timeout`
 * milliseconds to connect and for each answer.
 */
static Xapian::Database open_shard(const std::string &spec, unsigned timeout)
{
    shard_place p = place_of(spec);
    if (!p.remote)
        return Xapian::Database(p.path);
    if (p.program)
        return Xapian::Remote::open(p.path, p.args, timeout);
    return Xapian::Remote::open(p.path, p.port, timeout, timeout);
}

/* The same shard to write (xapian-tcpsrv --writable, xapian-progsrv
   --writable), created when it is a new local directory. */
static Xapian::WritableDatabase open_shard_writable(const std::string &spec,
                                                    unsigned timeout)
{
    shard_place p = place_of(spec);
    if (!p.remote)
        return Xapian::WritableDatabase(p.path, Xapian::DB_CREATE_OR_OPEN);
    if (p.program)
        return Xapian::Remote::open_writable(p.path, p.args, timeout);
    return Xapian::Remote::open_writable(p.path, p.port, timeout, timeout);
}

static bool is_remote(const std::string &spec)
{
    return spec.compare(0, 7, "remote ") == 0;
}

/*
 * Remote shards that did not answer, known to the whole process: every
 * reader (one a server thread) leaves such a shard out at once until it is
 * due to be tried again, and one reader at a time tries it, after 5 s,
 * then 10, 20, 40 and 60 s at most while it stays down. Each try can cost
 * a search the shard timeout (a stopped server accepts connections and
 * never answers): without this every thread paid it every 5 s.
 */
#define RETRY_LEFT_OUT_MAX 60.0
struct down_shard {
    double until;   /* not tried before this */
    double backoff; /* the wait after the next failure */
    std::string failure;
};
static std::mutex down_lock;
static std::unordered_map<std::string, down_shard> down_shards;

/* Whether shard `spec` may be tried now; if so the try is claimed (others
   leave it out meanwhile). Else *failure gets why it is out. */
static bool may_try(const std::string &spec, double timeout_s,
                    std::string *failure)
{
    std::lock_guard<std::mutex> hold(down_lock);
    auto d = down_shards.find(spec);
    if (d == down_shards.end())
        return true;
    double now = monotonic_now();
    if (now < d->second.until) {
        *failure = d->second.failure;
        return false;
    }
    d->second.until = now + timeout_s + 1; /* being tried */
    return true;
}

static void answered(const std::string &spec)
{
    std::lock_guard<std::mutex> hold(down_lock);
    down_shards.erase(spec);
}

static void did_not_answer(const std::string &spec, const std::string &why)
{
    std::lock_guard<std::mutex> hold(down_lock);
    auto d = down_shards.find(spec);
    double backoff =
        d == down_shards.end() ? RETRY_LEFT_OUT_SECONDS : d->second.backoff;
    down_shards[spec] = {monotonic_now() + backoff,
                         std::min(backoff * 2, RETRY_LEFT_OUT_MAX), why};
}

/* Notes that shard i of r is left out, and why. */
static void left_out(xshim_reader_t *r, const std::string &why)
{
    if (r->failure.empty())
        r->failure = why;
    r->retry_at = monotonic_now() + RETRY_LEFT_OUT_SECONDS;
}

static std::string failure_of(const std::string &spec, const Xapian::Error &e)
{
    return spec.substr(7) + ": " + e.get_type() + ": " + e.get_msg();
}

/* Opens r's databases anew: every shard when the shards are known (a
   remote one that does not answer left out), else the path as one. */
static void reader_reset(xshim_reader_t *r)
{
    if (r->shard_paths.empty()) {
        r->db = Xapian::Database(r->path);
        return;
    }
    r->db = Xapian::Database();
    r->termfreqs.clear();
    r->shards.clear();
    r->probes.clear();
    r->live.clear();
    r->remote = false;
    r->failure.clear();
    for (size_t i = 0; i < r->shard_paths.size(); i++) {
        const std::string &path = r->shard_paths[i];
        bool remote = is_remote(path);
        std::string why;
        r->remote = r->remote || remote;
        if (remote && !may_try(path, r->timeout_ms / 1000.0, &why)) {
            left_out(r, why);
            continue;
        }
        try {
            r->shards.push_back(open_shard(path, r->timeout_ms));
        } catch (const Xapian::NetworkError &e) {
            /* A remote shard that does not answer is left out; a local
               one that cannot be opened is an error. */
            if (!remote)
                throw;
            did_not_answer(path, failure_of(path, e));
            left_out(r, failure_of(path, e));
            continue;
        } catch (const Xapian::DatabaseOpeningError &e) {
            if (!remote)
                throw;
            did_not_answer(path, failure_of(path, e));
            left_out(r, failure_of(path, e));
            continue;
        }
        if (remote)
            answered(path);
        r->live.push_back(i);
        r->db.add_database(r->shards.back());
    }
    if (r->shards.empty())
        throw Xapian::NetworkError("no shard answered (" + r->failure + ")");
}

/* Probes for newer commits, one a shard, made when first asked for. */
static void ensure_probes(xshim_reader_t *r)
{
    while (r->probes.size() < r->shards.size())
        r->probes.push_back(open_shard(
            r->shard_paths[r->live[r->probes.size()]], r->timeout_ms));
}

/* Runs f() on the reader, retried as retrying() says; a remote shard
   failing is noted (xshim_reader_unreachable()), not retried. */
template <typename F> static void reader_retry(xshim_reader_t *r, F f)
{
    try {
        retrying(f, [&](bool hard) {
            r->termfreqs.clear();
            if (hard)
                reader_reset(r);
            else
                r->db.reopen();
        });
    } catch (const Xapian::NetworkError &) {
        r->unreachable = r->remote;
        throw;
    }
}

/* ---- language identification (CLD2) ---- */

/*
 * libcld2_full holds only data: tables for 160+ languages that replace
 * libcld2's smaller ones when loaded first. Nothing calls into it, so a
 * linker dropping unneeded libraries would drop it; naming one of its
 * tables here (the name, not the type, makes the symbol) keeps it, since
 * it comes before libcld2 on the link line.
 */
namespace CLD2
{
extern const char kQuad_obj2[];
}
extern const void *const xshim_cld2_full_tables;
const void *const xshim_cld2_full_tables = CLD2::kQuad_obj2;

bool xshim_identify_language(const char *text, size_t len, char out[8])
{
    out[0] = '\0';
    try {
        bool reliable = false;
        CLD2::Language lang = CLD2::DetectLanguage(
            text, static_cast<int>(len), true /* plain text */, &reliable);
        const char *code = CLD2::LanguageCode(lang);
        if (!reliable || lang == CLD2::UNKNOWN_LANGUAGE || !code)
            return false;
        /* "zh-Hant" and the like: the primary subtag is the language. */
        size_t n = std::strcspn(code, "-_");
        if (n == 0 || n > 7)
            return false;
        std::memcpy(out, code, n);
        out[n] = '\0';
        return true;
    } catch (...) {
        return false;
    }
}

/* ---- stemming ---- */

xshim_stem_t *xshim_stem_new(const char *language)
{
    try {
        return new xshim_stem{Xapian::Stem(language)};
    } catch (...) {
        return nullptr;
    }
}

void xshim_stem_free(xshim_stem_t *stem)
{
    delete stem;
}

long xshim_stem_apply(xshim_stem_t *stem, const char *word, size_t len,
                      char *out, size_t cap)
{
    try {
        std::string s = stem->stem(std::string(word, len));
        if (s.size() > cap)
            return -1;
        std::memcpy(out, s.data(), s.size());
        return static_cast<long>(s.size());
    } catch (...) {
        return -1;
    }
}

/* ---- documents ---- */

xshim_doc_t *xshim_doc_new(void)
{
    return new (std::nothrow) xshim_doc;
}

void xshim_doc_free(xshim_doc_t *doc)
{
    delete doc;
}

void xshim_doc_clear(xshim_doc_t *doc)
{
    try {
        doc->doc = Xapian::Document();
        doc->failed = false;
    } catch (...) {
        doc->failed = true;
    }
}

void xshim_doc_add_posting(xshim_doc_t *doc, const char *term, size_t len,
                           uint32_t position, unsigned wdf)
{
    try {
        doc->doc.add_posting(std::string(term, len), position, wdf);
    } catch (...) {
        doc->failed = true;
    }
}

void xshim_doc_add_term(xshim_doc_t *doc, const char *term, size_t len,
                        unsigned wdf)
{
    try {
        doc->doc.add_term(std::string(term, len), wdf);
    } catch (...) {
        doc->failed = true;
    }
}

void xshim_doc_add_boolean_term(xshim_doc_t *doc, const char *term, size_t len)
{
    try {
        doc->doc.add_boolean_term(std::string(term, len));
    } catch (...) {
        doc->failed = true;
    }
}

void xshim_doc_set_value(xshim_doc_t *doc, unsigned slot, const char *value,
                         size_t len)
{
    try {
        doc->doc.add_value(slot, std::string(value, len));
    } catch (...) {
        doc->failed = true;
    }
}

void xshim_doc_set_data(xshim_doc_t *doc, const char *data, size_t len)
{
    try {
        doc->doc.set_data(std::string(data, len));
    } catch (...) {
        doc->failed = true;
    }
}

void xshim_doc_each_term(const xshim_doc_t *doc,
                         void (*fn)(void *context, const char *term,
                                    size_t len),
                         void *context)
{
    try {
        for (auto t = doc->doc.termlist_begin(); t != doc->doc.termlist_end();
             ++t) {
            const std::string &term = *t;
            fn(context, term.data(), term.size());
        }
    } catch (...) {
    }
}

/* ---- writing ---- */

nidx_status_t xshim_writer_open(const char *path, xshim_writer_t **writer,
                                nidx_error_t *err)
{
    *writer = nullptr;
    try {
        xshim_writer_t *w = new xshim_writer;
        try {
            w->db = open_shard_writable(path, XSHIM_WRITE_TIMEOUT_MS);
            if (is_remote(path))
                w->named = std::string(path + 7) + ": ";
            /* Changes are made inside a transaction, committed at each
               commit: one that cannot be committed (a full disk) can then
               be dropped, and the shard's lock released, without the
               commit a plain close would attempt (xshim_writer_discard). */
            w->db.begin_transaction(true);
        } catch (...) {
            delete w;
            throw;
        }
        *writer = w;
        return NIDX_OK;
    } catch (...) {
        return translate(err, path);
    }
}

nidx_status_t xshim_writer_replace(xshim_writer_t *w, const char *id_term,
                                   size_t id_len, const xshim_doc_t *doc,
                                   bool *existed, uint32_t *docid,
                                   nidx_error_t *err)
{
    if (doc->failed)
        return error_set(err, NIDX_ERROR_NOMEM,
                         "out of memory while building a document");
    try {
        std::string id(id_term, id_len);
        /* A writable database sees its own uncommitted changes, so this
           also catches an id repeated within one batch. */
        *existed = w->db.term_exists(id);
        Xapian::docid did = w->db.replace_document(id, doc->doc);
        if (docid)
            *docid = did;
        return NIDX_OK;
    } catch (...) {
        return translate(err, (w->named + "adding a document").c_str());
    }
}

/* The first documents holding `term`, and one value: shared by writers
   (which see their own uncommitted changes) and readers. */
static void first_postings(Xapian::Database &db, const char *term, size_t len,
                           uint32_t *docids, size_t cap, size_t *n)
{
    std::string t(term, len);
    *n = 0;
    for (auto p = db.postlist_begin(t); p != db.postlist_end(t) && *n < cap;
         ++p)
        docids[(*n)++] = *p;
}

static void one_value(Xapian::Database &db, uint32_t docid, unsigned slot,
                      char *out, size_t cap, size_t *len)
{
    *len = 0;
    try {
        std::string v = db.get_document(docid).get_value(slot);
        *len = v.size() < cap ? v.size() : cap;
        std::memcpy(out, v.data(), *len);
    } catch (const Xapian::DocNotFoundError &) {
    }
}

nidx_status_t xshim_writer_postings(xshim_writer_t *w, const char *term,
                                    size_t len, uint32_t *docids, size_t cap,
                                    size_t *n, nidx_error_t *err)
{
    try {
        first_postings(w->db, term, len, docids, cap, n);
        return NIDX_OK;
    } catch (...) {
        *n = 0;
        return translate(err, (w->named + "reading postings").c_str());
    }
}

nidx_status_t xshim_writer_value(xshim_writer_t *w, uint32_t docid,
                                 unsigned slot, char *out, size_t cap,
                                 size_t *len, nidx_error_t *err)
{
    try {
        one_value(w->db, docid, slot, out, cap, len);
        return NIDX_OK;
    } catch (...) {
        *len = 0;
        return translate(err, (w->named + "reading a value").c_str());
    }
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

nidx_status_t xshim_writer_delete(xshim_writer_t *w, const char *id_term,
                                  size_t id_len, bool *existed,
                                  nidx_error_t *err)
{
    try {
        std::string id(id_term, id_len);
        *existed = w->db.term_exists(id);
        if (*existed)
            w->db.delete_document(id);
        return NIDX_OK;
    } catch (...) {
        return translate(err, (w->named + "deleting a document").c_str());
    }
}

nidx_status_t xshim_writer_delete_docid(xshim_writer_t *w, uint32_t docid,
                                        nidx_error_t *err)
{
    try {
        w->db.delete_document(docid);
        return NIDX_OK;
    } catch (const Xapian::DocNotFoundError &) {
        return NIDX_OK;
    } catch (...) {
        return translate(err, (w->named + "deleting a document").c_str());
    }
}

nidx_status_t
xshim_writer_each_posting(xshim_writer_t *w, const char *term, size_t len,
                          int (*fn)(void *context, uint32_t docid),
                          void *context, nidx_error_t *err)
{
    try {
        std::string t(term, len);
        for (auto p = w->db.postlist_begin(t); p != w->db.postlist_end(t); ++p)
            if (fn(context, *p))
                break;
        return NIDX_OK;
    } catch (...) {
        return translate(err, (w->named + "reading postings").c_str());
    }
}

nidx_status_t xshim_writer_metadata_bytes(xshim_writer_t *w, const char *key,
                                          char **data, size_t *len,
                                          nidx_error_t *err)
{
    *data = nullptr;
    try {
        std::string v = w->db.get_metadata(key);
        *data = copy_out(v);
        *len = v.size();
        return NIDX_OK;
    } catch (...) {
        return translate(err, (w->named + "reading metadata").c_str());
    }
}

nidx_status_t xshim_writer_set_metadata_bytes(xshim_writer_t *w,
                                              const char *key, const char *data,
                                              size_t len, nidx_error_t *err)
{
    try {
        w->db.set_metadata(key, std::string(data, len));
        return NIDX_OK;
    } catch (...) {
        return translate(err, (w->named + "writing metadata").c_str());
    }
}

uint64_t xshim_writer_doc_count(xshim_writer_t *w)
{
    try {
        return w->db.get_doccount();
    } catch (...) {
        return 0;
    }
}

nidx_status_t xshim_writer_get_metadata(xshim_writer_t *w, const char *key,
                                        char *out, size_t cap,
                                        nidx_error_t *err)
{
    out[0] = '\0';
    try {
        std::string v = w->db.get_metadata(key);
        std::snprintf(out, cap, "%s", v.c_str());
        return NIDX_OK;
    } catch (...) {
        return translate(err, (w->named + "reading metadata").c_str());
    }
}

nidx_status_t xshim_writer_set_metadata(xshim_writer_t *w, const char *key,
                                        const char *value, nidx_error_t *err)
{
    try {
        w->db.set_metadata(key, value);
        return NIDX_OK;
    } catch (...) {
        return translate(err, (w->named + "writing metadata").c_str());
    }
}

nidx_status_t xshim_writer_each_metadata(xshim_writer_t *w, const char *prefix,
                                         int (*fn)(void *context,
                                                   const char *key),
                                         void *context, nidx_error_t *err)
{
    try {
        /* Keys first: fn may change metadata. */
        std::vector<std::string> keys;
        for (auto k = w->db.metadata_keys_begin(prefix);
             k != w->db.metadata_keys_end(prefix); ++k)
            keys.push_back(*k);
        for (const std::string &k : keys)
            if (fn(context, k.c_str()))
                break;
        return NIDX_OK;
    } catch (...) {
        return translate(err, (w->named + "listing metadata").c_str());
    }
}

nidx_status_t xshim_writer_compact(xshim_writer_t *w, const char *out,
                                   nidx_error_t *err)
{
    try {
        w->db.commit_transaction();
        w->db.begin_transaction(true);
        w->db.compact(out);
        return NIDX_OK;
    } catch (...) {
        return translate(err, out);
    }
}

nidx_status_t xshim_writer_commit(xshim_writer_t *w, nidx_error_t *err)
{
    try {
        w->db.commit_transaction();
        w->db.begin_transaction(true);
        return NIDX_OK;
    } catch (...) {
        return translate(err, (w->named + "committing").c_str());
    }
}

nidx_status_t xshim_writer_close(xshim_writer_t *w, nidx_error_t *err)
{
    nidx_status_t st = NIDX_OK;
    if (!w)
        return NIDX_OK;
    try {
        w->db.commit_transaction();
        w->db.close();
    } catch (...) {
        st = translate(err, "closing the index");
    }
    delete w;
    return st;
}

void xshim_writer_discard(xshim_writer_t *w)
{
    if (!w)
        return;
    try {
        w->db.cancel_transaction();
    } catch (...) {
    }
    try {
        w->db.close();
    } catch (...) {
    }
    delete w;
}

/* ---- queries ---- */

xshim_query_t *xshim_query_nothing(void)
{
    try {
        return new xshim_query{Xapian::Query::MatchNothing};
    } catch (...) {
        return nullptr;
    }
}

xshim_query_t *xshim_query_scaled_term(const char *term, size_t len,
                                       double factor)
{
    try {
        return new xshim_query{
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                          Xapian::Query(std::string(term, len)), factor)};
    } catch (...) {
        return nullptr;
    }
}

xshim_query_t *xshim_query_scaled(xshim_query_t *q, double factor)
{
    try {
        q->query =
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->query, factor);
        return q;
    } catch (...) {
        xshim_query_free(q);
        return nullptr;
    }
}

xshim_query_t *xshim_query_copy(const xshim_query_t *q)
{
    try {
        return new xshim_query{q->query};
    } catch (...) {
        return nullptr;
    }
}

xshim_query_t *xshim_query_term(const char *term, size_t len)
{
    try {
        return new xshim_query{Xapian::Query(std::string(term, len))};
    } catch (...) {
        return nullptr;
    }
}

xshim_query_t *xshim_query_combine(xshim_op_t op, xshim_query_t **subs,
                                   size_t n)
{
    xshim_query_t *q = nullptr;
    try {
        std::vector<Xapian::Query> parts;
        parts.reserve(n);
        for (size_t i = 0; i < n; i++)
            parts.push_back(subs[i]->query);
        Xapian::Query::op xop = Xapian::Query::OP_AND;
        switch (op) {
        case XSHIM_AND: xop = Xapian::Query::OP_AND; break;
        case XSHIM_OR: xop = Xapian::Query::OP_OR; break;
        case XSHIM_AND_NOT: xop = Xapian::Query::OP_AND_NOT; break;
        case XSHIM_PHRASE: xop = Xapian::Query::OP_PHRASE; break;
        case XSHIM_SYNONYM: xop = Xapian::Query::OP_SYNONYM; break;
        case XSHIM_AND_MAYBE: xop = Xapian::Query::OP_AND_MAYBE; break;
        case XSHIM_FILTER: xop = Xapian::Query::OP_FILTER; break;
        case XSHIM_MAX: xop = Xapian::Query::OP_MAX; break;
        }
        q = new xshim_query{Xapian::Query(xop, parts.begin(), parts.end(), 0)};
    } catch (...) {
        q = nullptr;
    }
    for (size_t i = 0; i < n; i++)
        delete subs[i];
    return q;
}

xshim_query_t *xshim_query_near(xshim_query_t **subs, size_t n, unsigned window)
{
    xshim_query_t *q = nullptr;
    try {
        std::vector<Xapian::Query> parts;
        for (size_t i = 0; i < n; i++)
            parts.push_back(subs[i]->query);
        q = new xshim_query{Xapian::Query(Xapian::Query::OP_NEAR, parts.begin(),
                                          parts.end(), window)};
    } catch (...) {
        q = nullptr;
    }
    for (size_t i = 0; i < n; i++)
        delete subs[i];
    return q;
}

xshim_query_t *xshim_reader_prefix_query(xshim_reader_t *r, const char *prefix,
                                         size_t len, size_t max_terms)
{
    /* Expanded here over the whole index rather than by OP_WILDCARD,
       which Xapian 1.4 expands shard by shard: the chosen terms and their
       statistics would then differ between shards, and so would scores. */
    try {
        std::vector<std::pair<Xapian::doccount, std::string>> terms;
        std::string p(prefix, len);
        reader_retry(r, [&]() {
            terms.clear();
            for (auto t = r->db.allterms_begin(p); t != r->db.allterms_end(p);
                 ++t)
                terms.emplace_back(t.get_termfreq(), *t);
        });
        if (terms.size() > max_terms) {
            std::nth_element(
                terms.begin(), terms.begin() + max_terms, terms.end(),
                [](const std::pair<Xapian::doccount, std::string> &a,
                   const std::pair<Xapian::doccount, std::string> &b) {
                    return a.first > b.first ||
                           (a.first == b.first && a.second < b.second);
                });
            terms.resize(max_terms);
        }
        std::vector<Xapian::Query> subs;
        for (const auto &t : terms)
            subs.emplace_back(t.second);
        return new xshim_query{
            Xapian::Query(Xapian::Query::OP_SYNONYM, subs.begin(), subs.end())};
    } catch (...) {
        return nullptr;
    }
}

xshim_query_t *xshim_query_value_range(unsigned slot, const char *lo,
                                       const char *hi)
{
    try {
        Xapian::Query q;
        if (lo && hi)
            q = Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi);
        else if (lo)
            q = Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo);
        else
            q = Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi ? hi : "");
        return new xshim_query{q};
    } catch (...) {
        return nullptr;
    }
}

void xshim_query_free(xshim_query_t *q)
{
    delete q;
}

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

nidx_status_t xshim_reader_open_shards(const char *path,
                                       const char *const *shard_paths, size_t n,
                                       unsigned timeout_ms,
                                       xshim_reader_t **reader,
                                       nidx_error_t *err)
{
    *reader = nullptr;
    try {
        std::unique_ptr<xshim_reader_t> r(new xshim_reader);
        r->path = path;
        if (timeout_ms)
            r->timeout_ms = timeout_ms;
        r->shard_paths.assign(shard_paths, shard_paths + n);
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

/*
 * Stops a match past the reader's deadline or when cancelled. Xapian's own
 * time limit (Enquire::set_time_limit) only cuts the counting beyond the
 * page; the ranking itself runs to the end of the posting lists, so a
 * decider that looks at the cancel flag on every candidate and at the
 * clock every 64 throws instead. The matcher holds its state in RAII
 * objects, so the exception unwinds it cleanly; what it had found is in
 * the keeper below.
 */
class deadline_decider : public Xapian::MatchDecider
{
    xshim_reader_t *r;
    mutable unsigned calls = 0;

  public:
    mutable uint64_t accepted = 0; /* candidates let through */

    explicit deadline_decider(xshim_reader_t *reader) : r(reader) {}
    bool operator()(const Xapian::Document &) const override
    {
        if (r->cancel_after && accepted >= r->cancel_after)
            xshim_reader_cancel(r);
        if (r->cancel.load(std::memory_order_relaxed)) {
            r->cut = XSHIM_CUT_CANCELLED;
            throw xshim_timeout();
        }
        if (r->deadline > 0 &&
            (((++calls & 63) == 0 && monotonic_now() > r->deadline) ||
             (r->cut_after && accepted >= r->cut_after))) {
            r->cut = XSHIM_CUT_TIME;
            throw xshim_timeout();
        }
        accepted++;
        return true;
    }
};

/* The decider bounding a search; throws when the search is already cut
   (a later tier of a search whose first tier used the time up). */
static const Xapian::MatchDecider *
deadline_for(xshim_reader_t *r, Xapian::Enquire &enquire,
             std::unique_ptr<deadline_decider> &holder)
{
    if (!r->running.load())
        return nullptr;
    if (r->cut != XSHIM_CUT_NONE)
        throw xshim_timeout();
    if (r->cancel.load()) {
        r->cut = XSHIM_CUT_CANCELLED;
        throw xshim_timeout();
    }
    if (r->deadline > 0) {
        double left = r->deadline - monotonic_now();
        if (left <= 0) {
            r->cut = XSHIM_CUT_TIME;
            throw xshim_timeout();
        }
        enquire.set_time_limit(left);
    }
    /* Xapian's remote protocol carries no decider: there, only the
       counting is cut, and each shard's answer is bounded by
       REMOTE_TIMEOUT_MS. */
    if (r->remote)
        return nullptr;
    holder.reset(new deadline_decider(r));
    return holder.get();
}

/*
 * Keeps the best `want` candidates the matcher has accepted so far, in the
 * order of the search, so that a search cut short still answers with the
 * best of what it saw. The matcher hands every candidate that could enter
 * its page to the spy, with its weight (after the decider, so a candidate
 * the decider stopped on is not kept).
 */
class keeper_spy : public Xapian::MatchSpy
{
  public:
    struct item {
        Xapian::docid did;
        double weight;
        std::string key, collapse;
        unsigned collapsed;
    };

    keeper_spy(size_t want, xshim_order_t order, unsigned slot,
               int collapse_slot)
        : want(want), order(order), slot(slot), collapse_slot(collapse_slot)
    {
    }

    void operator()(const Xapian::Document &doc, double weight) override
    {
        seen++;
        item it{doc.get_docid(), weight, std::string(), std::string(), 0};
        /* Ascending, the match holds only documents with the value
           (xshim_reader_match() asks for the others apart). */
        if (order != XSHIM_BY_RELEVANCE)
            it.key = doc.get_value(slot);
        if (collapse_slot >= 0)
            it.collapse = doc.get_value(static_cast<unsigned>(collapse_slot));
        items.push_back(std::move(it));
        if (items.size() >= 4 * want + 64)
            settle();
    }

    /* Sorts, folds near-duplicates into their best copy, keeps `want`. */
    void settle()
    {
        std::stable_sort(
            items.begin(), items.end(), [this](const item &a, const item &b) {
                if (order != XSHIM_BY_RELEVANCE && a.key != b.key)
                    return order == XSHIM_BY_VALUE_ASCENDING ? a.key < b.key
                                                             : a.key > b.key;
                if (a.weight != b.weight)
                    return a.weight > b.weight;
                return a.did < b.did;
            });
        std::vector<item> kept;
        /* collapse key -> its best copy's place in kept (or past it) */
        std::unordered_map<std::string, size_t> best;
        for (auto &it : items) {
            if (!it.collapse.empty()) {
                auto b = best.emplace(it.collapse, kept.size());
                if (!b.second) {
                    if (b.first->second < kept.size())
                        kept[b.first->second].collapsed += 1 + it.collapsed;
                    continue;
                }
            }
            if (kept.size() < want)
                kept.push_back(std::move(it));
            else if (!it.collapse.empty())
                best[it.collapse] = SIZE_MAX;
        }
        items.swap(kept);
    }

    std::vector<item> items;
    uint64_t seen = 0;

  private:
    size_t want;
    xshim_order_t order;
    unsigned slot;
    int collapse_slot;
};

/* An enquire for `q` ranked as asked: by value, documents without one
   sort lowest (first ascending: xshim_reader_match() asks for them apart).
   A sort by value, not by a KeyMaker, which the remote protocol lacks. */
static void prepare(Xapian::Enquire &enquire, const Xapian::Query &q,
                    const xshim_bm25_t *bm25, xshim_order_t order,
                    unsigned slot, int collapse_slot)
{
    enquire.set_query(q);
    /* k2 = 0, k3 = 1, min_normlen = 0.5: Xapian's defaults. */
    enquire.set_weighting_scheme(
        bm25 ? Xapian::BM25Weight(bm25->k1, 0, 1, bm25->b, 0.5)
             : Xapian::BM25Weight());
    if (collapse_slot >= 0)
        enquire.set_collapse_key(static_cast<Xapian::valueno>(collapse_slot));
    if (order != XSHIM_BY_RELEVANCE)
        enquire.set_sort_by_value_then_relevance(
            slot, order == XSHIM_BY_VALUE_DESCENDING);
}

nidx_status_t xshim_reader_count(xshim_reader_t *r, const xshim_query_t *q,
                                 int collapse_slot,
                                 const xshim_facets_t *facets, uint64_t *count,
                                 nidx_error_t *err)
{
    *count = 0;
    try {
        reader_retry(r, [&]() {
            Xapian::Enquire enquire(r->db);
            enquire.set_query(q->query);
            /* Any flat weight counts, but not BoolWeight: Xapian 1.4.22
               then fails ("Unexpected end of posting list") on a single
               term in 2,000+ documents once some were deleted, while
               reading its posting list is fine. TF-IDF "bnn" (1 for each
               matching term) takes the weighted path, which does not. */
            enquire.set_weighting_scheme(Xapian::TfIdfWeight("bnn"));
            if (collapse_slot >= 0)
                enquire.set_collapse_key(
                    static_cast<Xapian::valueno>(collapse_slot));
            /* The spies belong to the enquire once released to it. */
            std::vector<Xapian::ValueCountMatchSpy *> spies;
            for (size_t i = 0; facets && i < facets->n_slots; i++) {
                spies.push_back(
                    new Xapian::ValueCountMatchSpy(facets->slots[i]));
                enquire.add_matchspy(spies.back()->release());
            }
            /* Cut short, the count is of the documents seen (a lower
               bound), and so are the facets. */
            std::unique_ptr<deadline_decider> decider;
            try {
                const Xapian::MatchDecider *stop =
                    deadline_for(r, enquire, decider);
                Xapian::MSet mset =
                    enquire.get_mset(0, 0, r->db.get_doccount(), nullptr, stop);
                *count = mset.get_matches_lower_bound();
            } catch (const xshim_timeout &) {
                *count = decider ? decider->accepted : 0;
            }
            for (size_t i = 0; i < spies.size(); i++)
                for (auto v = spies[i]->values_begin();
                     v != spies[i]->values_end(); ++v) {
                    const std::string &value = *v;
                    facets->fn(facets->context, i, value.data(), value.size(),
                               v.get_termfreq());
                }
        });
        return NIDX_OK;
    } catch (...) {
        return translate(err, "counting");
    }
}

/* One match of `q` into out[], as xshim_reader_match() says. */
static void match_part(xshim_reader_t *r, const Xapian::Query &q,
                       const xshim_bm25_t *bm25, xshim_order_t order,
                       unsigned slot, int collapse_slot, unsigned offset,
                       unsigned limit, unsigned check_at_least,
                       xshim_match_t *out, size_t *n_out,
                       xshim_counts_t *counts)
{
    Xapian::Enquire enquire(r->db);
    prepare(enquire, q, bm25, order, slot, collapse_slot);
    keeper_spy keeper(offset + limit, order, slot, collapse_slot);
    size_t n = 0;
    try {
        std::unique_ptr<deadline_decider> decider;
        const Xapian::MatchDecider *stop = deadline_for(r, enquire, decider);
        if (stop)
            enquire.add_matchspy(&keeper);
        Xapian::MSet mset =
            enquire.get_mset(offset, limit, check_at_least, nullptr, stop);
        for (auto it = mset.begin(); it != mset.end() && n < limit; ++it, ++n) {
            out[n].docid = *it;
            out[n].weight = it.get_weight();
            out[n].collapsed = it.get_collapse_count();
        }
        counts->estimated = mset.get_matches_estimated();
        counts->lower = mset.get_matches_lower_bound();
        counts->upper = mset.get_matches_upper_bound();
        if (counts->lower == counts->upper)
            counts->estimated = counts->lower;
    } catch (const xshim_timeout &) {
        /* Cut short: the best of what the matcher saw. */
        keeper.settle();
        for (size_t i = offset; i < keeper.items.size() && n < limit;
             i++, n++) {
            out[n].docid = keeper.items[i].did;
            out[n].weight = keeper.items[i].weight;
            out[n].collapsed = keeper.items[i].collapsed;
        }
        counts->estimated = counts->lower = keeper.seen;
        counts->upper = keeper.seen;
    }
    *n_out = n;
}

nidx_status_t xshim_reader_match(xshim_reader_t *r, const xshim_query_t *q,
                                 const xshim_bm25_t *bm25, xshim_order_t order,
                                 unsigned slot, int collapse_slot,
                                 unsigned offset, unsigned limit,
                                 unsigned check_at_least, xshim_match_t *out,
                                 size_t *n_out, xshim_counts_t *counts,
                                 nidx_error_t *err)
{
    *n_out = 0;
    try {
        reader_retry(r, [&]() {
            if (order != XSHIM_BY_VALUE_ASCENDING) {
                match_part(r, q->query, bm25, order, slot, collapse_slot,
                           offset, limit, check_at_least, out, n_out, counts);
                return;
            }
            /* Ascending, the documents with a value first, then those
               without, which a sort by value would put first. (Any value
               is at least "\0"; at least "" Xapian takes as every
               document.) */
            Xapian::Query valued(Xapian::Query::OP_VALUE_GE, slot,
                                 std::string(1, '\0'));
            size_t more = 0;
            xshim_counts_t rest = {0, 0, 0};
            match_part(
                r, Xapian::Query(Xapian::Query::OP_FILTER, q->query, valued),
                bm25, order, slot, collapse_slot, offset, limit, check_at_least,
                out, n_out, counts);
            if (*n_out < limit && r->cut == XSHIM_CUT_NONE) {
                /* The page is short: the first part was seen whole. */
                unsigned skip = offset > counts->lower
                                    ? offset - (unsigned)counts->lower
                                    : 0;
                unsigned want = limit - (unsigned)*n_out;
                match_part(
                    r,
                    Xapian::Query(Xapian::Query::OP_AND_NOT, q->query, valued),
                    bm25, XSHIM_BY_RELEVANCE, slot, collapse_slot, skip, want,
                    skip + want, out + *n_out, &more, &rest);
            } else {
                /* The rest is only counted when it is asked for. */
                Xapian::Enquire enquire(r->db);
                prepare(
                    enquire,
                    Xapian::Query(Xapian::Query::OP_AND_NOT, q->query, valued),
                    bm25, XSHIM_BY_RELEVANCE, slot, collapse_slot);
                Xapian::MSet mset = enquire.get_mset(0, 0, Xapian::doccount(0),
                                                     nullptr, nullptr);
                rest.estimated = mset.get_matches_estimated();
                rest.upper = mset.get_matches_upper_bound();
            }
            *n_out += more;
            counts->estimated += rest.estimated;
            counts->lower += rest.lower;
            counts->upper += rest.upper;
        });
        return NIDX_OK;
    } catch (...) {
        return translate(err, "searching");
    }
}

bool xshim_reader_remote(const xshim_reader_t *r)
{
    return r->remote;
}

nidx_status_t xshim_reader_group_sizes(xshim_reader_t *r,
                                       const xshim_query_t *q, unsigned slot,
                                       xshim_match_t *matches, size_t n,
                                       nidx_error_t *err)
{
    try {
        reader_retry(r, [&]() {
            std::vector<std::string> keys(n);
            bool any = false;
            for (size_t i = 0; i < n; i++) {
                keys[i] = r->db.get_document(matches[i].docid).get_value(slot);
                any = any || !keys[i].empty();
            }
            if (!any)
                return;
            Xapian::Enquire enquire(r->db);
            enquire.set_query(q->query);
            enquire.set_weighting_scheme(Xapian::TfIdfWeight("bnn")); /* as
                                                     xshim_reader_count() */
            Xapian::ValueCountMatchSpy spy(slot);
            enquire.add_matchspy(&spy);
            enquire.get_mset(0, 0, r->db.get_doccount());
            std::unordered_map<std::string, Xapian::doccount> sizes;
            for (auto v = spy.values_begin(); v != spy.values_end(); ++v)
                sizes[*v] = v.get_termfreq();
            for (size_t i = 0; i < n; i++) {
                auto it = keys[i].empty() ? sizes.end() : sizes.find(keys[i]);
                if (it != sizes.end() && it->second > 0)
                    matches[i].collapsed = it->second - 1;
            }
        });
        return NIDX_OK;
    } catch (...) {
        return translate(err, "counting copies");
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

nidx_status_t xshim_reader_first_held(xshim_reader_t *r, const uint32_t *docids,
                                      size_t n_docs, const char *const *terms,
                                      const size_t *ends, size_t n_groups,
                                      size_t *first, nidx_error_t *err)
{
    try {
        reader_retry(r, [&]() {
            if (!r->remote) {
                first_in_postings(r->db, docids, n_docs, terms, ends, n_groups,
                                  first);
                return;
            }
            size_t n = n_groups ? ends[n_groups - 1] : 0;
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

/* Which of r->shards holds `docid`. */
static size_t live_shard_of(const xshim_reader_t *r, uint32_t docid)
{
    size_t n = r->shards.empty() ? 1 : r->shards.size();
    return docid ? (docid - 1) % n : 0;
}

unsigned xshim_reader_shard_of(const xshim_reader_t *r, uint32_t docid)
{
    return r->live.empty()
               ? 0
               : static_cast<unsigned>(r->live[live_shard_of(r, docid)]);
}

bool xshim_reader_unreachable(xshim_reader_t *r)
{
    bool was = r->unreachable;
    r->unreachable = false;
    return was;
}

nidx_status_t xshim_reader_drop_unreachable(xshim_reader_t *r, bool *dropped,
                                            nidx_error_t *err)
{
    /* Connected anew, all of them: a failure in the middle of a call to
       every shard (a match) leaves the others' connections with answers
       unread, out of step with their next question. */
    *dropped = false;
    try {
        reader_reset(r);
        *dropped = true;
        return NIDX_OK;
    } catch (...) {
        return translate(err, r->path.c_str());
    }
}

void xshim_reader_each_shard(const xshim_reader_t *r,
                             void (*fn)(void *context, unsigned shard,
                                        const char *where, bool remote,
                                        bool answered, uint64_t documents),
                             void *context)
{
    size_t k = 0;
    for (size_t i = 0; i < r->shard_paths.size(); i++) {
        const std::string &spec = r->shard_paths[i];
        const char *where = spec.c_str() + (is_remote(spec) ? 7 : 0);
        bool answered = k < r->live.size() && r->live[k] == i;
        uint64_t docs = 0;
        if (answered) {
            try {
                docs = r->shards[k].get_doccount();
            } catch (...) {
            }
            k++;
        }
        fn(context, static_cast<unsigned>(i), where, is_remote(spec), answered,
           docs);
    }
}

unsigned xshim_reader_left_out(const xshim_reader_t *r)
{
    return r->shard_paths.empty()
               ? 0
               : static_cast<unsigned>(r->shard_paths.size() - r->live.size());
}

const char *xshim_reader_left_out_why(const xshim_reader_t *r)
{
    return r->failure.c_str();
}

nidx_status_t xshim_reader_shard_metadata(xshim_reader_t *r, uint32_t docid,
                                          const char *key, char **data,
                                          size_t *len, nidx_error_t *err)
{
    *data = nullptr;
    try {
        std::string v;
        reader_retry(r, [&]() {
            v = r->shards.empty()
                    ? r->db.get_metadata(key)
                    : r->shards[live_shard_of(r, docid)].get_metadata(key);
        });
        *data = copy_out(v);
        *len = v.size();
        return NIDX_OK;
    } catch (...) {
        return translate(err, "reading metadata");
    }
}

nidx_status_t xshim_reader_value_copy(xshim_reader_t *r, uint32_t docid,
                                      unsigned slot, char **data, size_t *len,
                                      nidx_error_t *err)
{
    *data = nullptr;
    try {
        std::string s;
        reader_retry(r,
                     [&]() { s = r->db.get_document(docid).get_value(slot); });
        *data = copy_out(s);
        *len = s.size();
        return NIDX_OK;
    } catch (...) {
        return translate(err, "reading a document");
    }
}
