/*
 * xapian_shim.cc — the only C++ in nidx: a thin layer over Xapian 1.4
 * (xapian_shim.h), in the files xshim_impl.h lists. This one holds what
 * they all lean on: translate(), the one place that decides which Xapian
 * error means which nidx status (every entry point catches every
 * exception and hands back a status; no exception ever crosses into C),
 * the retries of reads racing a writer, and the text helpers Xapian and
 * CLD2 give the analyzer (language identification, stemmers).
 */
#include "xshim_impl.h"

#include <cstdio> /* before CLD2, which uses FILE without including it */
#include <cld2/public/compact_lang_det.h>

using namespace xshim;

double xshim::monotonic_now()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

/* Turns the exception being handled into a status; call inside catch.
   Subclasses come before their bases (Lock and Version errors are
   DatabaseOpeningErrors). */
nidx_status_t xshim::translate(nidx_error_t *err, const char *what)
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
char *xshim::copy_out(const std::string &s)
{
    char *buf = static_cast<char *>(std::malloc(s.size() + 1));
    if (!buf)
        throw std::bad_alloc();
    std::memcpy(buf, s.data(), s.size());
    buf[s.size()] = '\0';
    return buf;
}

bool xshim::retry_after(int tries, double started, double seconds)
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
