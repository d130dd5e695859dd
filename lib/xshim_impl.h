/*
 * xshim_impl.h — what the files of the Xapian shim share, and nothing
 * outside them sees: the handles behind xapian_shim.h's opaque types, the
 * one translation of exceptions into statuses, and the retrying of reads
 * racing a writer. C++; never included by C.
 *
 *   xapian_shim.cc   exceptions to statuses, retries, CLD2, stemmers
 *   xshim_write.cc   documents and writing
 *   xshim_query.cc   queries
 *   xshim_read.cc    reading: opening, revisions, statistics, documents
 *   xshim_match.cc   matching: deadlines, ranking, counting, facets
 *   xshim_shards.cc  shards: where each is, remote ones that do not
 *                    answer, which shard holds a document
 */
#ifndef NIDX_XSHIM_IMPL_H
#define NIDX_XSHIM_IMPL_H

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
#include <xapian.h>

#include "error.h"
#include "xapian_shim.h"

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
    /* Each shard's servers: its stub line, then its replicas (nidx.conf),
       and the one in use, kept while it answers. */
    std::vector<std::vector<std::string>> servers;
    std::vector<size_t> serving;
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

namespace xshim
{

double monotonic_now();

/* Turns the exception being handled into a status; call inside catch. */
nidx_status_t translate(nidx_error_t *err, const char *what);

/* A new buffer (caller frees) holding s, NUL-terminated. */
char *copy_out(const std::string &s);

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

/* Whether to try again after `tries` failed tries since `started`,
   waiting first as above; false past `seconds`. */
bool retry_after(int tries, double started, double seconds);

/*
 * Runs f(), trying again as above; refresh(hard) moves the reader on
 * between tries: hard after an error other than DatabaseModifiedError,
 * when the handle's cached state is not to be trusted either.
 */
template <typename F, typename R> void retrying(F f, R refresh)
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

/* Opens r's databases anew (xshim_shards.cc). */
void reader_reset(xshim_reader_t *r);

/* A shard to read or to write, by its line in a stub (xshim_shards.cc). */
Xapian::Database open_shard(const std::string &spec, unsigned timeout);
Xapian::WritableDatabase open_shard_writable(const std::string &spec,
                                             unsigned timeout);
bool is_remote(const std::string &spec);

/* Probes for newer commits, one a shard, made when first asked for. */
void ensure_probes(xshim_reader_t *r);

/* Runs f() on the reader, retried as retrying() says; a remote shard
   failing is noted (xshim_reader_unreachable()), not retried. */
template <typename F> void reader_retry(xshim_reader_t *r, F f)
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

/* The first documents holding `term`, and one value: shared by writers
   (which see their own uncommitted changes) and readers. */
void first_postings(Xapian::Database &db, const char *term, size_t len,
                    uint32_t *docids, size_t cap, size_t *n);
void one_value(Xapian::Database &db, uint32_t docid, unsigned slot, char *out,
               size_t cap, size_t *len);

} // namespace xshim

#endif
