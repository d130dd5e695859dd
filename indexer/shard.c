/*
 * shard.c — one shard's writer: analyzing articles into Xapian documents,
 * in batches, with the shard's file records and near-duplicate groups.
 *
 * Knows the schema (lib/document.h) and nothing of file formats or
 * threads.
 */
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "bands.h"
#include "bandset.h"
#include "budget.h"
#include "copies.h"
#include "document.h"
#include "hash.h"
#include "error.h"
#include "fingerprint.h"
#include "language.h"
#include "namekey.h"
#include "place.h"
#include "shard.h"
#include "stored.h"
#include "utf8.h"
#include "xapian_shim.h"

/* Text CLD2 sees: the title and the start of the body are plenty. */
#define IDENTIFY_BYTES 4096

struct shard {
    char *path; /* of the shard's database */
    xshim_writer_t *db;
    xshim_reader_t *peers[LAYOUT_MAX_SHARDS]; /* the other shards */
    unsigned npeers;
    /* Whether the shard, and each peer, may hold band terms (format 2
       and older, bands.h): looked up there too. */
    bool band_terms;
    bool peer_band_terms[LAYOUT_MAX_SHARDS];
    bool upgrade; /* an older format: marked as this one's at first change */
    uint64_t commits; /* XSHIM_COMMITS_KEY: the commits made to the shard */
    uint64_t made;    /* commits of this handle that succeeded */
    bool changed;     /* metadata changed since the last commit */
    /* The bands of the article being added, recorded once it has its
       document number. */
    char band_keys[FINGERPRINT_BANDS][BANDS_KEY_MAX];
    bool has_bands;
    /* The entries of this shard's bands as add_fingerprint() read them,
       kept for record_bands(), which adds the document to them: read once,
       not twice (a round trip each on a remote shard). */
    char band_entries[FINGERPRINT_BANDS][BANDS_ENTRY_MAX];
    size_t band_entry_len[FINGERPRINT_BANDS];
    bool band_entry_read[FINGERPRINT_BANDS];
    copies_t *copies; /* recent fingerprints of every shard, or NULL */
    /* Which band entries each shard may hold (bandset.h), or NULL; this
       shard's number there, and each peer's. */
    bandsets_t *bandsets;
    unsigned self;
    unsigned peer_number[LAYOUT_MAX_SHARDS];
    uint64_t added_here; /* articles this handle added */
    analyzer_t *analyzer;
    xshim_doc_t *doc;
    unsigned batch_size;
    unsigned title_weight;
    unsigned pending;
    budget_t budget;             /* memory of what is uncommitted */
    uint64_t max_pending;        /* commit past this much of it, bytes */
    char sample[IDENTIFY_BYTES]; /* text for language identification */
    fingerprint_t fingerprint;   /* of the body being added */
    stored_codec_t *codec;       /* compresses bodies (stored.h) */
    stored_dict_t *dict;         /* the shard's dictionary, once trained */
    unsigned dict_id;            /* its number; 0: none yet */
    stored_trainer_t *trainer;   /* gathers bodies until there is one */
};

/* Metadata marking a shard that held band terms before it took this
   format: its older articles' bands are still terms. */
#define BAND_TERMS_KEY "nidx-band-terms"

/* A shard's format from its STORED_FORMAT_KEY: without the key, 1 when it
   holds documents (from before formats were recorded), else new. */
static unsigned format_number(const char *format, uint64_t documents)
{
    return *format     ? (unsigned)strtoul(format, NULL, 10)
           : documents ? 1
                       : STORED_FORMAT;
}

/* Whether a shard of this format and BAND_TERMS_KEY may hold band terms. */
static bool holds_band_terms(unsigned format, const char *marked)
{
    return format < BANDS_FORMAT || *marked;
}

/*
 * The shard's format (stored.h): a new shard is marked with this nidx's; a
 * shard of a newer format than this nidx knows is refused, unchanged; an
 * older one is marked with this format at its first change (mark_format()).
 */
static nidx_status_t check_format(shard_t *sh, nidx_error_t *err)
{
    char format[32], band_terms[8];
    nidx_status_t st = xshim_writer_get_metadata(sh->db, STORED_FORMAT_KEY,
                                                 format, sizeof format, err);
    if (st == NIDX_OK)
        st = xshim_writer_get_metadata(sh->db, BAND_TERMS_KEY, band_terms,
                                       sizeof band_terms, err);
    if (st != NIDX_OK)
        return st;
    unsigned number = format_number(format, xshim_writer_doc_count(sh->db));
    sh->upgrade = number < STORED_FORMAT;
    sh->band_terms = holds_band_terms(number, band_terms);
    if (number > STORED_FORMAT)
        return error_set(err, NIDX_ERROR_CORRUPT,
                         "%s: index format %s is newer than this nidx "
                         "(%s, format %d) reads: use a newer nidx, or rebuild "
                         "the index into a new directory with 'nidx add'",
                         sh->path, format, nidx_version_string(),
                         STORED_FORMAT);
    if (!*format && xshim_writer_doc_count(sh->db) == 0) {
        char mine[16];
        snprintf(mine, sizeof mine, "%d", STORED_FORMAT);
        return xshim_writer_set_metadata(sh->db, STORED_FORMAT_KEY, mine, err);
    }
    return NIDX_OK;
}

/* Marks an older shard with this format, before its first change: from
   then on, an older nidx refuses it rather than misread what this one
   adds. */
static nidx_status_t mark_format(shard_t *sh, nidx_error_t *err)
{
    char mine[16];
    if (!sh->upgrade)
        return NIDX_OK;
    snprintf(mine, sizeof mine, "%d", STORED_FORMAT);
    nidx_status_t st =
        sh->band_terms
            ? xshim_writer_set_metadata(sh->db, BAND_TERMS_KEY, "1", err)
            : NIDX_OK;
    if (st == NIDX_OK)
        st = xshim_writer_set_metadata(sh->db, STORED_FORMAT_KEY, mine, err);
    if (st == NIDX_OK)
        sh->upgrade = false;
    return st;
}

/* The shard's body dictionary, if it has one; else a trainer for it. */
static nidx_status_t load_dict(shard_t *sh, nidx_error_t *err)
{
    char number[32], key[64], *data;
    size_t len;
    if (!(sh->codec = stored_codec_new()))
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    nidx_status_t st = xshim_writer_get_metadata(sh->db, STORED_DICT_KEY,
                                                 number, sizeof number, err);
    if (st != NIDX_OK)
        return st;
    if (!*number) {
        sh->trainer = stored_trainer_new();
        return sh->trainer ? NIDX_OK
                           : error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    }
    sh->dict_id = (unsigned)strtoul(number, NULL, 10);
    snprintf(key, sizeof key, "%s:%u", STORED_DICT_KEY, sh->dict_id);
    if ((st = xshim_writer_metadata_bytes(sh->db, key, &data, &len, err)) !=
        NIDX_OK)
        return st;
    char sum_key[80], sum[32];
    snprintf(sum_key, sizeof sum_key, "%s%s", key, STORED_DICT_SUM);
    st = xshim_writer_get_metadata(sh->db, sum_key, sum, sizeof sum, err);
    bool fits = st == NIDX_OK && stored_dict_fits(data, len, sum, strlen(sum));
    sh->dict = len && fits ? stored_dict_new(data, len) : NULL;
    free(data);
    if (st != NIDX_OK)
        return st;
    if (!sh->dict)
        return error_set(
            err, NIDX_ERROR_CORRUPT, "%s: the body dictionary %u is %s",
            sh->path, sh->dict_id,
            !fits ? "damaged (it fails its checksum)" : "missing or damaged");
    return NIDX_OK;
}

/*
 * Feeds a body to the trainer; once it has enough, trains the shard's
 * dictionary and records it, to be committed with the first bodies that
 * use it. A sample that makes no dictionary leaves the bodies without
 * one, which is only bigger.
 */
static nidx_status_t train_dict(shard_t *sh, const char *body, size_t n,
                                nidx_error_t *err)
{
    char key[64], sum_key[80], sum[17], number[16];
    size_t len;
    if (!sh->trainer || !stored_trainer_add(sh->trainer, body, n))
        return NIDX_OK;
    char *dict = stored_trainer_train(sh->trainer, &len);
    stored_trainer_free(sh->trainer);
    sh->trainer = NULL;
    if (!dict)
        return NIDX_OK;
    /* Numbered by zstd's id of it, derived from its content: shards merged
       into one database keep their dictionaries apart (stored.h). */
    unsigned id = stored_dict_number(dict, len);
    if (!id)
        id = sh->dict_id + 1;
    snprintf(key, sizeof key, "%s:%u", STORED_DICT_KEY, id);
    snprintf(sum_key, sizeof sum_key, "%s%s", key, STORED_DICT_SUM);
    stored_dict_sum_text(dict, len, sum);
    snprintf(number, sizeof number, "%u", id);
    nidx_status_t st =
        xshim_writer_set_metadata_bytes(sh->db, key, dict, len, err);
    if (st == NIDX_OK)
        st = xshim_writer_set_metadata(sh->db, sum_key, sum, err);
    if (st == NIDX_OK)
        st = xshim_writer_set_metadata(sh->db, STORED_DICT_KEY, number, err);
    if (st == NIDX_OK && (sh->dict = stored_dict_new(dict, len)))
        sh->dict_id = id;
    free(dict);
    return st;
}

nidx_status_t shard_open(const char *path, shard_t **shard, nidx_error_t *err)
{
    nidx_status_t st;
    shard_t *sh = calloc(1, sizeof *sh);
    *shard = NULL;
    if (!sh)
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    sh->batch_size = 1;
    sh->title_weight = NIDX_TITLE_WEIGHT;
    sh->max_pending = UINT64_MAX;
    sh->analyzer = analyzer_new(err);
    sh->doc = xshim_doc_new();
    if (!sh->analyzer || !sh->doc) {
        st = !sh->analyzer && err
                 ? err->status
                 : error_set(err, NIDX_ERROR_NOMEM, "out of memory");
        goto fail;
    }
    if (!(sh->path = strdup(path))) {
        st = error_set(err, NIDX_ERROR_NOMEM, "out of memory");
        goto fail;
    }
    st = xshim_writer_open(path, &sh->db, err);
    if (st == NIDX_OK)
        st = check_format(sh, err);
    if (st == NIDX_OK)
        st = load_dict(sh, err);
    if (st == NIDX_OK) {
        char commits[32];
        st = xshim_writer_get_metadata(sh->db, XSHIM_COMMITS_KEY, commits,
                                       sizeof commits, err);
        sh->commits = strtoull(commits, NULL, 10);
    }
    if (st != NIDX_OK) {
        xshim_writer_close(sh->db, NULL);
        goto fail;
    }
    *shard = sh;
    return NIDX_OK;
fail:
    analyzer_free(sh->analyzer);
    xshim_doc_free(sh->doc);
    stored_codec_free(sh->codec);
    stored_dict_free(sh->dict);
    stored_trainer_free(sh->trainer);
    free(sh->path);
    free(sh);
    return st;
}

nidx_status_t shard_open_peers(shard_t *sh, const layout_t *layout,
                               unsigned self, nidx_error_t *err)
{
    for (unsigned i = 0; i < layout->shards; i++) {
        if (i == self)
            continue;
        char format[32], band_terms[8];
        nidx_status_t st =
            xshim_reader_open(layout->paths[i], &sh->peers[sh->npeers], err);
        if (st != NIDX_OK)
            return st;
        xshim_reader_t *peer = sh->peers[sh->npeers++];
        st = xshim_reader_get_metadata(peer, STORED_FORMAT_KEY, format,
                                       sizeof format, err);
        if (st == NIDX_OK)
            st = xshim_reader_get_metadata(peer, BAND_TERMS_KEY, band_terms,
                                           sizeof band_terms, err);
        if (st != NIDX_OK)
            return st;
        sh->peer_band_terms[sh->npeers - 1] = holds_band_terms(
            format_number(format, xshim_reader_doc_count(peer)), band_terms);
    }
    return NIDX_OK;
}

void shard_share_copies(shard_t *sh, copies_t *copies)
{
    sh->copies = copies;
}

void shard_share_bandsets(shard_t *sh, bandsets_t *sets, unsigned self)
{
    sh->bandsets = sets;
    sh->self = self;
    for (unsigned k = 0; k < LAYOUT_MAX_SHARDS; k++)
        sh->peer_number[k] = k < self ? k : k + 1; /* as shard_open_peers() */
}

/* Whether `store` of shard `number` may hold an entry under `key`: always
   when it keeps bands as terms too (older formats), or no set says. */
static bool may_hold(const shard_t *sh, unsigned number, bool band_terms,
                     const char *key)
{
    return band_terms || bandsets_may_hold(sh->bandsets, number, key);
}

void shard_configure(shard_t *sh, unsigned batch_size, uint64_t max_pending,
                     unsigned title_weight)
{
    sh->batch_size = batch_size ? batch_size : 1;
    sh->max_pending = max_pending;
    sh->title_weight = title_weight;
}

/* Where the analyzer's tokens go: terms with a field's weight. */
#define SINK_NAMES 1024
typedef struct posting_sink {
    xshim_doc_t *doc;
    analyzer_t *analyzer; /* for name keys */
    unsigned wdf;
    const char *lang;           /* normalized, or NULL */
    uint32_t pair_base;         /* DOCUMENT_BIGRAM_*_BASE of the field */
    uint32_t pair_first;        /* position of the pair being added first */
    bool title;                 /* also add the title-prefixed terms */
    fingerprint_t *fingerprint; /* the body's words go here, or NULL */
    /* The last spaceless word: where it ended, and its last letter, which
       pairs with the first of a word that follows it directly. */
    size_t spaceless_end;
    char last_letter[5];
    /* Where the letter after that word's last stands: a word touching it
       continues there. Not at its byte offset: folding drops marks
       (tone marks, vowel signs), so a run's letters are fewer than its
       bytes say. */
    uint32_t next_letter;
    /* The name terms added to this article, by hash: each counts once in
       its length (name_seen()). */
    uint64_t names_seen[SINK_NAMES];
    size_t n_names_seen;
} posting_sink_t;

/* Whether the article already holds the name term t[0..n), remembering
   it. An article names many people many times: once each in its length,
   which BM25 weighs, keeps the names from lengthening it (lisa's MAP
   lost 0.004 when every mention counted). Past SINK_NAMES / 2 distinct
   names, later ones count each time. */
static bool name_seen(posting_sink_t *sink, const char *t, size_t n)
{
    uint64_t h = hash_fnv1a(t, n, HASH_FNV_SEED) | 1;
    size_t i = h % SINK_NAMES;
    if (sink->n_names_seen >= SINK_NAMES / 2)
        return false;
    for (; sink->names_seen[i]; i = (i + 1) % SINK_NAMES)
        if (sink->names_seen[i] == h)
            return true;
    sink->names_seen[i] = h;
    sink->n_names_seen++;
    return false;
}

/* Adds a term at a position, and in the title its title twin, which
   keeps no position: the term has the same one (document.h). */
static void add_positioned(posting_sink_t *sink, const char *term, size_t len,
                           uint32_t position)
{
    char t[ANALYZER_MAX_TERM + 32];
    size_t n;
    xshim_doc_add_posting(sink->doc, term, len, position, sink->wdf);
    if (sink->title &&
        (n = document_prefixed_term(t, sizeof t, DOCUMENT_TITLE_PREFIX, term,
                                    len, NULL, 0)))
        xshim_doc_add_term(sink->doc, t, n, 1);
}

static void add_pair(void *context, const char *term, size_t len, size_t i)
{
    posting_sink_t *sink = context;
    add_positioned(sink, term, len, sink->pair_first + (uint32_t)i);
}

/* The letter pairs of a spaceless word, and the pair it forms with the
   word before it when nothing stands between them. */
static void add_pairs(posting_sink_t *sink, const token_t *t)
{
    char joined[ANALYZER_MAX_TERM + 8];
    size_t k = strlen(sink->last_letter), n = t->term_len;
    uint32_t first = sink->pair_base + (uint32_t)(t->start / 3);
    bool touching = k && sink->spaceless_end == t->start;
    if (touching)
        first = sink->next_letter;
    else if (k && first <= sink->next_letter)
        first = sink->next_letter + 1; /* never continue a word apart */
    sink->next_letter = first + (uint32_t)utf8_count(t->term, n);
    if (touching && k + n < sizeof joined) {
        memcpy(joined, sink->last_letter, k);
        memcpy(joined + k, t->term, n);
        sink->pair_first = first - 1;
        document_bigrams(joined, k + n, add_pair, sink);
    } else {
        sink->pair_first = first;
        document_bigrams(t->term, n, add_pair, sink);
    }
    /* Remember the last letter: back up over continuation bytes. */
    size_t last = n;
    while (last > 0 && ((unsigned char)t->term[--last] & 0xC0) == 0x80)
        ;
    memcpy(sink->last_letter, t->term + last, n - last);
    sink->last_letter[n - last] = '\0';
    sink->spaceless_end = t->end;
}

/* The name term of a word that looks like a name: the key from its
   spelling with diacritics (š is sh there, s once folded), with its
   matching form; and, written with a capital, the word as a capital
   (document.h). */
static void add_name_key(posting_sink_t *sink, const token_t *t)
{
    char key[NAMEKEY_MAX + 1], term[DOCUMENT_NAME_TERM_MAX];
    namekey_shape_t shape;
    size_t n;
    /* Its key; an Arabic word writing ج its key read as g too (جوجل,
       Google). */
    for (int jim_g = 0; jim_g < 2; jim_g++)
        if ((n = jim_g ? analyzer_token_name_key_jim_g(sink->analyzer, t, key,
                                                       &shape)
                       : analyzer_token_name_key(sink->analyzer, t, key,
                                                 &shape)) &&
            (n = document_name_term(term, sizeof term, key, n, &shape, t->term,
                                    t->term_len)) &&
            !name_seen(sink, term, n))
            xshim_doc_add_term(sink->doc, term, n, 1);
    if (t->capitalized &&
        (n = document_prefixed_term(term, sizeof term, DOCUMENT_CAPITAL_PREFIX,
                                    t->term, t->term_len, NULL, 0)))
        xshim_doc_add_boolean_term(sink->doc, term, n);
}

static int add_posting(void *context, const token_t *t)
{
    posting_sink_t *sink = context;
    char term[DOCUMENT_ID_TERM_MAX + 16];
    size_t n;
    add_positioned(sink, t->term, t->term_len, t->position);
    if (sink->fingerprint)
        fingerprint_add(sink->fingerprint, t->term, t->term_len);
    if (t->split)
        add_positioned(sink, t->split, t->split_len, t->position);
    if (t->exact &&
        (n = document_prefixed_term(term, sizeof term, DOCUMENT_EXACT_PREFIX,
                                    t->exact, t->exact_len, NULL, 0)))
        xshim_doc_add_term(sink->doc, term, n, sink->wdf);
    if (t->stem && sink->lang &&
        (n = document_prefixed_term(term, sizeof term, DOCUMENT_STEM_PREFIX,
                                    sink->lang, strlen(sink->lang), t->stem,
                                    t->stem_len))) {
        xshim_doc_add_term(sink->doc, term, n, sink->wdf);
        char title[sizeof term + 1];
        if (sink->title &&
            (n = document_prefixed_term(
                 title, sizeof title, DOCUMENT_TITLE_PREFIX, term, n, NULL, 0)))
            xshim_doc_add_term(sink->doc, title, n, 1);
    }
    if (t->spaceless)
        add_pairs(sink, t);
    if (t->name && !sink->title)
        add_name_key(sink, t);
    return 0;
}

static int add_source_word(void *context, const token_t *t)
{
    char term[ANALYZER_MAX_TERM + 8];
    size_t n = document_prefixed_term(term, sizeof term, DOCUMENT_SOURCE_PREFIX,
                                      t->term, t->term_len, NULL, 0);
    if (n)
        xshim_doc_add_boolean_term(context, term, n);
    return 0;
}

static void add_domain(void *context, const char *domain, size_t len)
{
    char term[DOCUMENT_HOST_MAX + 8];
    size_t n = document_prefixed_term(term, sizeof term, DOCUMENT_HOST_PREFIX,
                                      domain, len, NULL, 0);
    if (n)
        xshim_doc_add_boolean_term(context, term, n);
}

/* The terms of source: and site: filters. */
static nidx_status_t add_filters(shard_t *sh, const nidx_article_t *a,
                                 nidx_error_t *err)
{
    char host[DOCUMENT_HOST_MAX + 1];
    if (a->url && document_url_host(a->url, strlen(a->url), host))
        document_host_domains(host, add_domain, sh->doc);
    if (!a->source || !*a->source)
        return NIDX_OK;
    size_t n = strlen(a->source);
    if (n > DOCUMENT_SOURCE_MAX)
        n = utf8_valid_prefix(a->source, DOCUMENT_SOURCE_MAX);
    analyzer_set_language(sh->analyzer, NULL); /* as source: queries are */
    return analyzer_run(sh->analyzer, a->source, n, 1, add_source_word, sh->doc,
                        NULL, err);
}

/* Most documents of one band term examined for a near-duplicate (band
   terms of older formats; entries keep as many, bands.h). */
#define COPY_CANDIDATES BANDS_KEPT

/* Where a near copy may be: this shard, committed or not, or another
   shard as last committed. */
typedef struct copy_store {
    xshim_writer_t *writer; /* or */
    xshim_reader_t *reader;
    bool band_terms; /* older articles' bands are terms */
} copy_store_t;

/* The documents of the store that had a band: its entry's, and those
   holding its term in an older format. The entry's bytes are also copied
   to kept[] (*kept_len) when kept is not NULL and they fit. */
static nidx_status_t store_band(copy_store_t c, const char *key,
                                const char *term, size_t len, uint32_t *docids,
                                size_t *n, char *kept, size_t *kept_len,
                                nidx_error_t *err)
{
    char *entry;
    size_t entry_len, terms = 0;
    nidx_status_t st = c.writer
                           ? xshim_writer_metadata_bytes(c.writer, key, &entry,
                                                         &entry_len, err)
                           : xshim_reader_metadata_bytes(c.reader, key, &entry,
                                                         &entry_len, err);
    if (st != NIDX_OK)
        return st;
    *n = bands_decode(entry, entry_len, docids, COPY_CANDIDATES);
    if (kept && entry_len <= BANDS_ENTRY_MAX) {
        memcpy(kept, entry, entry_len);
        *kept_len = entry_len;
    } else if (kept_len) {
        *kept_len = SIZE_MAX; /* not kept: read again */
    }
    free(entry);
    if (!c.band_terms)
        return NIDX_OK;
    st = c.writer ? xshim_writer_postings(c.writer, term, len, docids + *n,
                                          COPY_CANDIDATES, &terms, err)
                  : xshim_reader_postings(c.reader, term, len, docids + *n,
                                          COPY_CANDIDATES, &terms, err);
    *n += terms;
    return st;
}

static nidx_status_t store_value(copy_store_t c, uint32_t docid, unsigned slot,
                                 char *out, size_t cap, size_t *len,
                                 nidx_error_t *err)
{
    return c.writer
               ? xshim_writer_value(c.writer, docid, slot, out, cap, len, err)
               : xshim_reader_value(c.reader, docid, slot, out, cap, len, err);
}

/*
 * The collapse key of a near-duplicate of fingerprint `fp` among the
 * documents of store `c` that had one of its bands, into key[8]; *found
 * tells.
 */
static nidx_status_t find_copy(copy_store_t c, const char *key_of_band,
                               const char *term, size_t len,
                               const unsigned char *fp, char *key, bool *found,
                               char *kept, size_t *kept_len, nidx_error_t *err)
{
    uint32_t docids[2 * COPY_CANDIDATES];
    size_t n, vlen;
    unsigned char other[FINGERPRINT_BYTES];
    nidx_status_t st =
        store_band(c, key_of_band, term, len, docids, &n, kept, kept_len, err);
    for (size_t i = 0; i < n && st == NIDX_OK && !*found; i++) {
        st = store_value(c, docids[i], DOCUMENT_SLOT_FINGERPRINT, (char *)other,
                         sizeof other, &vlen, err);
        if (st != NIDX_OK || vlen != sizeof other ||
            !fingerprint_near(fp, other))
            continue;
        st = store_value(c, docids[i], DOCUMENT_SLOT_COPIES, key,
                         DOCUMENT_COPIES_KEY, &vlen, err);
        *found = st == NIDX_OK && vlen == DOCUMENT_COPIES_KEY;
    }
    return st;
}

/*
 * The body's fingerprint, its bands, and its collapse key: that of a
 * near-duplicate already in the index (in this shard committed or not, in
 * another as last committed or among its recent copies), else its own.
 * The bands are recorded by record_bands() once the document has its
 * number.
 */
static nidx_status_t add_fingerprint(shard_t *sh, nidx_error_t *err)
{
    unsigned char fp[FINGERPRINT_BYTES];
    char terms[FINGERPRINT_BANDS][24], key[DOCUMENT_COPIES_KEY];
    size_t lens[FINGERPRINT_BANDS];
    bool found = false;
    nidx_status_t st = NIDX_OK;
    sh->has_bands = false;
    if (!fingerprint_get(&sh->fingerprint, fp))
        return NIDX_OK;
    /* Its own key: its first band, which only a near copy shares. */
    memcpy(key, fp, DOCUMENT_COPIES_KEY);
    /* A shard on another machine lists its band keys once it is being
       loaded in bulk (bandset.h). */
    if (sh->bandsets && ++sh->added_here == BANDSET_AFTER &&
        layout_is_remote(sh->path) &&
        (st = bandsets_build(sh->bandsets, sh->self, sh->db, err)) != NIDX_OK)
        return st;
    copy_store_t own = {sh->db, NULL, sh->band_terms};
    for (int b = 0; b < FINGERPRINT_BANDS; b++) {
        uint64_t hash = fingerprint_band(fp, b);
        lens[b] =
            (size_t)snprintf(terms[b], sizeof terms[b], "%s%d%016llx",
                             DOCUMENT_DUP_PREFIX, b, (unsigned long long)hash);
        bands_key(b, hash, sh->band_keys[b]);
        sh->band_entry_read[b] = false;
        if (st == NIDX_OK && !found &&
            !may_hold(sh, sh->self, sh->band_terms, sh->band_keys[b])) {
            sh->band_entry_len[b] = 0; /* certainly none: nothing to read */
            sh->band_entry_read[b] = true;
        } else if (st == NIDX_OK && !found) {
            st = find_copy(own, sh->band_keys[b], terms[b], lens[b], fp, key,
                           &found, sh->band_entries[b], &sh->band_entry_len[b],
                           err);
            sh->band_entry_read[b] =
                st == NIDX_OK && sh->band_entry_len[b] != SIZE_MAX;
        }
    }
    for (unsigned i = 0; i < sh->npeers && st == NIDX_OK && !found; i++)
        for (int b = 0; b < FINGERPRINT_BANDS && st == NIDX_OK && !found; b++) {
            copy_store_t peer = {NULL, sh->peers[i], sh->peer_band_terms[i]};
            if (!may_hold(sh, sh->peer_number[i], peer.band_terms,
                          sh->band_keys[b]))
                continue;
            st = find_copy(peer, sh->band_keys[b], terms[b], lens[b], fp, key,
                           &found, NULL, NULL, err);
        }
    if (st != NIDX_OK)
        return st;
    /* Copies other shards hold uncommitted. */
    if (sh->copies)
        copies_settle(sh->copies, fp, key, found);
    sh->has_bands = true;
    xshim_doc_set_value(sh->doc, DOCUMENT_SLOT_FINGERPRINT, (const char *)fp,
                        sizeof fp);
    xshim_doc_set_value(sh->doc, DOCUMENT_SLOT_COPIES, key, sizeof key);
    return NIDX_OK;
}

/* Adds document `docid` to the entries of the bands add_fingerprint()
   found, committed with it. */
static nidx_status_t record_bands(shard_t *sh, uint32_t docid,
                                  nidx_error_t *err)
{
    char updated[BANDS_ENTRY_MAX];
    nidx_status_t st = NIDX_OK;
    for (int b = 0; b < FINGERPRINT_BANDS && sh->has_bands && st == NIDX_OK;
         b++) {
        char *entry = NULL;
        size_t len;
        if (sh->band_entry_read[b]) { /* as add_fingerprint() read it */
            len = bands_add(sh->band_entries[b], sh->band_entry_len[b], docid,
                            updated);
        } else {
            st = xshim_writer_metadata_bytes(sh->db, sh->band_keys[b], &entry,
                                             &len, err);
            if (st != NIDX_OK)
                break;
            len = bands_add(entry, len, docid, updated);
            free(entry);
        }
        st = xshim_writer_set_metadata_bytes(sh->db, sh->band_keys[b], updated,
                                             len, err);
        if (st == NIDX_OK)
            bandsets_add(sh->bandsets, sh->self, sh->band_keys[b]);
    }
    return st;
}

static nidx_status_t build_document(shard_t *sh, const nidx_article_t *a,
                                    const char *file_term,
                                    const char *file_stamp, nidx_error_t *err)
{
    uint32_t next = 1;
    nidx_status_t st;
    char lang[LANGUAGE_CODE_MAX], term[32];
    bool has_lang = language_normalize(a->lang, lang);
    posting_sink_t sink = {.doc = sh->doc,
                           .analyzer = sh->analyzer,
                           .wdf = sh->title_weight,
                           .lang = has_lang ? lang : NULL,
                           .pair_base = DOCUMENT_BIGRAM_TITLE_BASE,
                           .title = true};
    xshim_doc_clear(sh->doc);
    analyzer_set_language(sh->analyzer, sink.lang);
    if (has_lang) {
        size_t n =
            document_prefixed_term(term, sizeof term, DOCUMENT_LANG_PREFIX,
                                   lang, strlen(lang), NULL, 0);
        xshim_doc_add_boolean_term(sh->doc, term, n);
    }
    if (a->title) {
        st = analyzer_run(sh->analyzer, a->title, strlen(a->title), 1,
                          add_posting, &sink, &next, err);
        if (st != NIDX_OK)
            return st;
    }
    sink.wdf = 1;
    sink.title = false;
    sink.fingerprint = &sh->fingerprint;
    fingerprint_reset(&sh->fingerprint);
    sink.pair_base = DOCUMENT_BIGRAM_BODY_BASE;
    sink.last_letter[0] = '\0';
    if (a->body) {
        st = analyzer_run(sh->analyzer, a->body, strlen(a->body),
                          next + DOCUMENT_BODY_GAP, add_posting, &sink, NULL,
                          err);
        if (st != NIDX_OK)
            return st;
    }
    char date[11];
    if (a->date && document_normalize_date(a->date, date))
        xshim_doc_set_value(sh->doc, DOCUMENT_SLOT_DATE, date, strlen(date));
    if (a->date && document_normalize_date(a->date, date) && strlen(date) >= 7)
        xshim_doc_set_value(sh->doc, DOCUMENT_SLOT_MONTH, date, 7);
    if (a->source && *a->source) {
        size_t n = strlen(a->source);
        if (n > DOCUMENT_SOURCE_MAX)
            n = utf8_valid_prefix(a->source, DOCUMENT_SOURCE_MAX);
        xshim_doc_set_value(sh->doc, DOCUMENT_SLOT_SOURCE, a->source, n);
    }
    st = add_filters(sh, a, err);
    if (st == NIDX_OK)
        st = add_fingerprint(sh, err);
    if (st != NIDX_OK)
        return st;
    if (file_term && *file_term) {
        xshim_doc_add_boolean_term(sh->doc, file_term, strlen(file_term));
        xshim_doc_set_value(sh->doc, DOCUMENT_SLOT_FILE_STAMP, file_stamp,
                            strlen(file_stamp));
    }
    if (sink.lang)
        xshim_doc_set_value(sh->doc, DOCUMENT_SLOT_LANG, sink.lang,
                            strlen(sink.lang));
    /* What a hit shows in the document data; the body apart (stored.h). */
    nidx_article_t shown = *a;
    shown.body = NULL;
    size_t len, body_len;
    char *data = document_encode(&shown, &len);
    char *body = NULL;
    if (a->body && *a->body) {
        st = train_dict(sh, a->body, strlen(a->body), err);
        if (st != NIDX_OK) {
            free(data);
            return st;
        }
        body = stored_body_encode(sh->codec, a->body, strlen(a->body), sh->dict,
                                  sh->dict_id, &body_len);
    }
    if (!data || (a->body && *a->body && !body)) {
        free(data);
        free(body);
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    }
    xshim_doc_set_data(sh->doc, data, len);
    if (body)
        xshim_doc_set_value(sh->doc, STORED_SLOT_BODY, body, body_len);
    free(data);
    free(body);
    return NIDX_OK;
}

/*
 * The article's language when it has none: identified from its title and
 * the start of its body into code[]; NULL when not confidently known.
 */
static const char *identify_language(shard_t *sh, const nidx_article_t *a,
                                     char code[LANGUAGE_CODE_MAX])
{
    char *sample = sh->sample;
    size_t n = 0, room = IDENTIFY_BYTES;
    const char *parts[] = {a->title, a->body};
    for (int i = 0; i < 2 && room > 1; i++) {
        if (!parts[i])
            continue;
        size_t k = strlen(parts[i]);
        if (k > room - 1)
            k = utf8_valid_prefix(parts[i], room - 1);
        memcpy(sample + n, parts[i], k);
        n += k;
        sample[n++] = '\n';
        room -= k + 1;
    }
    return n > 0 && xshim_identify_language(sample, n, code) ? code : NULL;
}

static void count_term(void *budget, const char *term, size_t len)
{
    budget_add_term(budget, term, len);
}

nidx_status_t shard_add(shard_t *sh, const nidx_article_t *article,
                        const char *file_term, const char *file_stamp,
                        bool *replaced, nidx_error_t *err)
{
    nidx_article_t a = *article;
    char code[LANGUAGE_CODE_MAX], id_term[DOCUMENT_ID_TERM_MAX + 1];
    if (!language_normalize(a.lang, code))
        a.lang = identify_language(sh, &a, code);
    nidx_status_t st = build_document(sh, &a, file_term, file_stamp, err);
    if (st != NIDX_OK)
        return st;
    size_t id_len = document_id_term(a.id, id_term);
    uint32_t docid;
    xshim_doc_add_boolean_term(sh->doc, id_term, id_len);
    st = mark_format(sh, err);
    if (st == NIDX_OK)
        st = xshim_writer_replace(sh->db, id_term, id_len, sh->doc, replaced,
                                  &docid, err);
    if (st == NIDX_OK)
        st = record_bands(sh, docid, err);
    if (st != NIDX_OK)
        return st;
    xshim_doc_each_term(sh->doc, count_term, &sh->budget);
    if (++sh->pending >= sh->batch_size ||
        budget_bytes(&sh->budget) >= sh->max_pending)
        return shard_commit(sh, err);
    return NIDX_OK;
}

nidx_status_t shard_remove(shard_t *sh, const char *id, bool *existed,
                           nidx_error_t *err)
{
    char id_term[DOCUMENT_ID_TERM_MAX + 1];
    size_t len = document_id_term(id, id_term);
    nidx_status_t st = mark_format(sh, err);
    if (st == NIDX_OK)
        st = xshim_writer_delete(sh->db, id_term, len, existed, err);
    if (st == NIDX_OK && *existed && ++sh->pending >= sh->batch_size)
        return shard_commit(sh, err);
    return st;
}

/*
 * Whether the disk has room for a commit of what is held: 16 MB and half
 * the memory it takes. Xapian 1.4.22 sometimes aborts the whole process
 * (std::terminate, an exception thrown while unwinding another) when a
 * commit runs out of space midway; one refused here fails cleanly, and
 * the index keeps its last commit.
 */
static nidx_status_t room_to_commit(const shard_t *sh, nidx_error_t *err)
{
    struct statvfs fs;
    uint64_t need = (16u << 20) + budget_bytes(&sh->budget) / 2;
    if (statvfs(sh->path, &fs) != 0)
        return NIDX_OK; /* unknown: let the commit say */
    uint64_t free_bytes = (uint64_t)fs.f_bavail * fs.f_frsize;
    if (free_bytes >= need)
        return NIDX_OK;
    return error_set(err, NIDX_ERROR_IO,
                     "committing: %s: No space left on device (%.1f MB free, "
                     "a commit may need %.1f MB)",
                     sh->path, free_bytes / 1e6, need / 1e6);
}

/* Counts the commit about to be made, where readers of a remote shard
   see it (XSHIM_COMMITS_KEY). */
static nidx_status_t count_commit(shard_t *sh, nidx_error_t *err)
{
    char commits[32];
    snprintf(commits, sizeof commits, "%llu",
             (unsigned long long)++sh->commits);
    sh->changed = false;
    return xshim_writer_set_metadata(sh->db, XSHIM_COMMITS_KEY, commits, err);
}

nidx_status_t shard_commit(shard_t *sh, nidx_error_t *err)
{
    nidx_status_t st = room_to_commit(sh, err);
    if (st != NIDX_OK)
        return st;
    sh->pending = 0;
    budget_reset(&sh->budget);
    st = count_commit(sh, err);
    if (st == NIDX_OK)
        st = xshim_writer_commit(sh->db, err);
    if (st == NIDX_OK)
        sh->made++;
    /* The other shards' newest copies become visible. */
    for (unsigned i = 0; i < sh->npeers && st == NIDX_OK; i++)
        st = xshim_reader_reopen(sh->peers[i], err);
    return st;
}

nidx_status_t shard_set_place(shard_t *sh, unsigned k, unsigned n,
                              const char *cluster, nidx_error_t *err)
{
    char place[32];
    char want[32];
    nidx_status_t st =
        xshim_writer_get_metadata(sh->db, PLACE_KEY, place, sizeof place, err);
    snprintf(want, sizeof want, "%u/%u", k, n);
    /* A shard without articles takes the place listed (writer.c). */
    if (st != NIDX_OK || !strcmp(place, want) ||
        (*place && xshim_writer_doc_count(sh->db) > 0))
        return st;
    snprintf(place, sizeof place, "%s", want);
    st = xshim_writer_set_metadata(sh->db, PLACE_KEY, place, err);
    if (st == NIDX_OK)
        st = xshim_writer_set_metadata(sh->db, PLACE_CLUSTER_KEY, cluster, err);
    sh->changed = true;
    return st;
}

uint64_t shard_commits_made(const shard_t *sh)
{
    return sh->made;
}

nidx_status_t shard_close(shard_t *sh, nidx_error_t *err)
{
    if (!sh)
        return NIDX_OK;
    /* Closing commits what is held. Without room for that, what is held
       is dropped (the shim writes inside a transaction) and the lock
       released: the index keeps its last commit, and a long-running
       process (nidx serve) can write again once there is room. */
    nidx_status_t st = sh->pending ? room_to_commit(sh, err) : NIDX_OK;
    if (st == NIDX_OK && (sh->pending || sh->changed))
        st = count_commit(sh, err);
    if (st == NIDX_OK)
        st = xshim_writer_close(sh->db, err);
    else
        xshim_writer_discard(sh->db);
    for (unsigned i = 0; i < sh->npeers; i++)
        xshim_reader_close(sh->peers[i]);
    analyzer_free(sh->analyzer);
    xshim_doc_free(sh->doc);
    stored_codec_free(sh->codec);
    stored_dict_free(sh->dict);
    stored_trainer_free(sh->trainer);
    free(sh->path);
    free(sh);
    return st;
}

/* Documents of the file whose stamp is not the current one. */
typedef struct stale {
    shard_t *sh;
    const char *stamp; /* the current one */
    uint32_t *docids;
    size_t n, cap;
    nidx_status_t st;
    nidx_error_t *err;
} stale_t;

static int collect_stale(void *context, uint32_t docid)
{
    stale_t *s = context;
    char stamp[64];
    size_t len;
    s->st = xshim_writer_value(s->sh->db, docid, DOCUMENT_SLOT_FILE_STAMP,
                               stamp, sizeof stamp - 1, &len, s->err);
    if (s->st != NIDX_OK)
        return 1;
    stamp[len] = '\0';
    if (strcmp(stamp, s->stamp) == 0)
        return 0;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        uint32_t *p = realloc(s->docids, cap * sizeof *p);
        if (!p) {
            s->st = error_set(s->err, NIDX_ERROR_NOMEM, "out of memory");
            return 1;
        }
        s->docids = p;
        s->cap = cap;
    }
    s->docids[s->n++] = docid;
    return 0;
}

/* Deletes the documents holding `term` whose stamp is not `stamp` (all of
   them when stamp is ""). */
static nidx_status_t remove_stale(shard_t *sh, const char *term,
                                  const char *stamp, uint64_t *removed,
                                  nidx_error_t *err)
{
    stale_t s = {sh, stamp, NULL, 0, 0, NIDX_OK, err};
    nidx_status_t st = xshim_writer_each_posting(sh->db, term, strlen(term),
                                                 collect_stale, &s, err);
    if (st == NIDX_OK)
        st = s.st;
    for (size_t i = 0; i < s.n && st == NIDX_OK; i++)
        st = xshim_writer_delete_docid(sh->db, s.docids[i], err);
    if (st == NIDX_OK)
        *removed += s.n;
    free(s.docids);
    return st;
}

nidx_status_t shard_file_end(shard_t *sh, const char *file_term,
                             const char *stamp, uint64_t *removed,
                             nidx_error_t *err)
{
    nidx_status_t st = remove_stale(sh, file_term, stamp, removed, err);
    if (st == NIDX_OK)
        st = xshim_writer_set_metadata(sh->db, file_term, stamp, err);
    sh->changed = true;
    return st;
}

typedef struct prune {
    shard_t *sh;
    const char *path;
    size_t path_len;
    uint64_t *files, *articles;
    nidx_status_t st;
    nidx_error_t *err;
} prune_t;

static int prune_key(void *context, const char *key)
{
    prune_t *p = context;
    const char *file = key + strlen(DOCUMENT_FILE_PREFIX);
    struct stat sb;
    /* Only files at or under the path, whose term is their whole path (a
       hashed long path cannot be checked, and is kept). */
    if (strncmp(file, p->path, p->path_len) != 0 ||
        (file[p->path_len] != '\0' && file[p->path_len] != '/' &&
         p->path[p->path_len - 1] != '/') ||
        strlen(key) >= DOCUMENT_ID_TERM_MAX - 33 || stat(file, &sb) == 0)
        return 0;
    /* Every article of the file is stale. */
    p->sh->changed = true;
    p->st = remove_stale(p->sh, key, "", p->articles, p->err);
    if (p->st == NIDX_OK)
        p->st = xshim_writer_set_metadata(p->sh->db, key, "", p->err);
    (*p->files)++;
    return p->st != NIDX_OK;
}

nidx_status_t shard_prune(shard_t *sh, const char *path, uint64_t *files,
                          uint64_t *articles, nidx_error_t *err)
{
    char prefix[DOCUMENT_ID_TERM_MAX + 1];
    prune_t p = {sh, path, strlen(path), files, articles, NIDX_OK, err};
    snprintf(prefix, sizeof prefix, "%s%s", DOCUMENT_FILE_PREFIX, path);
    nidx_status_t st =
        xshim_writer_each_metadata(sh->db, prefix, prune_key, &p, err);
    return st != NIDX_OK ? st : p.st;
}
