/*
 * xshim_shards.cc — the shards of an index: where each is (a directory,
 * or a remote one through xapian-tcpsrv or a program such as
 * xapian-progsrv), remote shards that do not answer (left out, tried
 * again later, known to the whole process), and which shard holds a
 * document.
 */
#include "xshim_impl.h"

using namespace xshim;

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
Xapian::Database xshim::open_shard(const std::string &spec, unsigned timeout)
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
Xapian::WritableDatabase xshim::open_shard_writable(const std::string &spec,
                                                    unsigned timeout)
{
    shard_place p = place_of(spec);
    if (!p.remote)
        return Xapian::WritableDatabase(p.path, Xapian::DB_CREATE_OR_OPEN);
    if (p.program)
        return Xapian::Remote::open_writable(p.path, p.args, timeout);
    return Xapian::Remote::open_writable(p.path, p.port, timeout, timeout);
}

bool xshim::is_remote(const std::string &spec)
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

/*
 * Opens remote shard i of r on the first of its servers that answers,
 * starting with the one in use (a shard's stub line, then its replicas),
 * into r->shards; false, the shard left out, when none does. A server
 * that does not answer is known down to the whole process, and skipped
 * while it is.
 */
static bool open_remote(xshim_reader_t *r, size_t i)
{
    const std::vector<std::string> &servers = r->servers[i];
    std::string why;
    for (size_t k = 0; k < servers.size(); k++) {
        size_t s = (r->serving[i] + k) % servers.size();
        const std::string &spec = servers[s];
        std::string out;
        if (!may_try(spec, r->timeout_ms / 1000.0, &out)) {
            if (why.empty())
                why = out;
            continue;
        }
        try {
            r->shards.push_back(open_shard(spec, r->timeout_ms));
            answered(spec);
            r->serving[i] = s;
            return true;
        } catch (const Xapian::NetworkError &e) {
            why = failure_of(spec, e);
        } catch (const Xapian::DatabaseOpeningError &e) {
            why = failure_of(spec, e);
        }
        did_not_answer(spec, why);
    }
    left_out(r, why);
    return false;
}

/* Opens r's databases anew: every shard when the shards are known (a
   remote one none of whose servers answers left out), else the path as
   one. */
void xshim::reader_reset(xshim_reader_t *r)
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
        r->remote = r->remote || remote;
        if (!remote) { /* a local one that cannot be opened is an error */
            r->shards.push_back(open_shard(path, r->timeout_ms));
        } else if (!open_remote(r, i)) {
            continue;
        }
        r->live.push_back(i);
        r->db.add_database(r->shards.back());
    }
    if (r->shards.empty())
        throw Xapian::NetworkError("no shard answered (" + r->failure + ")");
}

/* The server shard i of r is read from. */
static const std::string &server_of(const xshim_reader_t *r, size_t i)
{
    return r->servers.empty() ? r->shard_paths[i]
                              : r->servers[i][r->serving[i]];
}

/* Probes for newer commits, one a shard, made when first asked for. */
void xshim::ensure_probes(xshim_reader_t *r)
{
    while (r->probes.size() < r->shards.size())
        r->probes.push_back(
            open_shard(server_of(r, r->live[r->probes.size()]), r->timeout_ms));
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
                             void (*fn)(void *context,
                                        const xshim_shard_t *shard),
                             void *context)
{
    size_t k = 0;
    for (size_t i = 0; i < r->shard_paths.size(); i++) {
        const std::string &spec = server_of(r, i);
        std::vector<const char *> servers;
        for (const std::string &s : r->servers[i])
            servers.push_back(s.c_str() + (is_remote(s) ? 7 : 0));
        xshim_shard_t shard = {static_cast<unsigned>(i),
                               spec.c_str() + (is_remote(spec) ? 7 : 0),
                               is_remote(spec),
                               false,
                               0,
                               servers.data(),
                               servers.size()};
        if (k < r->live.size() && r->live[k] == i) {
            shard.answered = true;
            try {
                shard.documents = r->shards[k].get_doccount();
            } catch (...) {
            }
            k++;
        }
        fn(context, &shard);
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
