/*
 * xshim_write.cc — documents being built, and writing them: adding,
 * replacing and deleting, metadata, commits, compaction.
 */
#include "xshim_impl.h"

using namespace xshim;

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
void xshim::first_postings(Xapian::Database &db, const char *term, size_t len,
                           uint32_t *docids, size_t cap, size_t *n)
{
    std::string t(term, len);
    *n = 0;
    for (auto p = db.postlist_begin(t); p != db.postlist_end(t) && *n < cap;
         ++p)
        docids[(*n)++] = *p;
}

void xshim::one_value(Xapian::Database &db, uint32_t docid, unsigned slot,
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

nidx_status_t xshim_writer_values(xshim_writer_t *w, uint32_t docid, size_t n,
                                  const unsigned *slots, char *const *outs,
                                  const size_t *caps, size_t *lens,
                                  nidx_error_t *err)
{
    for (size_t i = 0; i < n; i++)
        lens[i] = 0;
    try {
        /* One read of the document: a round trip over the remote
           backend, whatever the number of values. */
        Xapian::Document doc = w->db.get_document(docid);
        for (size_t i = 0; i < n; i++) {
            std::string v = doc.get_value(slots[i]);
            lens[i] = v.size() < caps[i] ? v.size() : caps[i];
            std::memcpy(outs[i], v.data(), lens[i]);
        }
        return NIDX_OK;
    } catch (const Xapian::DocNotFoundError &) {
        return NIDX_OK;
    } catch (...) {
        return translate(err, (w->named + "reading values").c_str());
    }
}

nidx_status_t xshim_writer_set_doc_value(xshim_writer_t *w, uint32_t docid,
                                         unsigned slot, const char *value,
                                         size_t len, nidx_error_t *err)
{
    try {
        /* Locally only the values are rewritten: a document read from the
           database and changed in its values alone keeps its terms. */
        Xapian::Document doc = w->db.get_document(docid);
        doc.add_value(slot, std::string(value, len));
        w->db.replace_document(docid, doc);
        return NIDX_OK;
    } catch (...) {
        return translate(err, (w->named + "rewriting a value").c_str());
    }
}

nidx_status_t xshim_writer_each_value(xshim_writer_t *w, unsigned slot,
                                      const char *lo, size_t lo_len,
                                      const char *hi, size_t hi_len,
                                      int (*fn)(void *context, uint32_t docid,
                                                const char *value, size_t len),
                                      void *context, nidx_error_t *err)
{
    try {
        /* A match sorted by the value brings each document's value with
           it: over the remote backend, which streams no values, one round
           trip for the whole range. */
        Xapian::Enquire enquire(w->db);
        enquire.set_query(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot,
                                        std::string(lo, lo_len),
                                        std::string(hi, hi_len)));
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        enquire.set_sort_by_value(slot, false);
        Xapian::doccount all = w->db.get_doccount();
        Xapian::MSet mset = enquire.get_mset(0, all ? all : 1);
        for (auto m = mset.begin(); m != mset.end(); ++m) {
            std::string v = m.get_sort_key();
            if (fn(context, *m, v.data(), v.size()))
                break;
        }
        return NIDX_OK;
    } catch (...) {
        return translate(err, (w->named + "reading values").c_str());
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
