/*
 * test_format.c — the index's format (lib/stored.h): bodies kept apart
 * from the fields a hit shows and compressed on their own; title terms
 * without positions and near-duplicate bands in metadata (format 3);
 * indexes of formats 1 and 2 still read, and written in format 3; an
 * index of a newer format refused, untouched.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bands.h"
#include "document.h"
#include "fingerprint.h"
#include "namekey.h"
#include "nidx.h"
#include "stored.h"
#include "tap.h"
#include "xapian_shim.h"

static const stored_dict_t *the_dict;

static const stored_dict_t *give_dict(void *context, unsigned id)
{
    return id == *(unsigned *)context ? the_dict : NULL;
}

static void test_codec(void)
{
    static const char *const bodies[] = {
        "", "short", "Кратко и ясно: «быстро».",
        "The harbour cranes came back to Koper after a long strike; the port "
        "said on Monday that ships would berth again by the end of the week, "
        "and the unions agreed. The harbour cranes came back to Koper.\n\n"
        "A second paragraph, after a blank line."};
    stored_codec_t *codec = stored_codec_new();
    stored_trainer_t *trainer = stored_trainer_new();
    /* A dictionary from a sample of harbour news, as a shard trains one. */
    char text[512];
    bool enough = false;
    for (unsigned i = 0; !enough && i < 100000; i++) {
        snprintf(text, sizeof text,
                 "Report %u: the harbour of Koper handled %u containers and "
                 "%u cranes were busy; the port authority said ships berth "
                 "on time, and the unions met on day %u of the month.",
                 i, i * 7 % 1000, i % 13, i % 28);
        enough = stored_trainer_add(trainer, text, strlen(text));
    }
    size_t dict_len;
    char *dict_bytes = enough ? stored_trainer_train(trainer, &dict_len) : NULL;
    CHECK(dict_bytes != NULL,
          "a dictionary is trained once the sample is "
          "full (%zu bytes)",
          dict_bytes ? dict_len : 0);
    stored_trainer_free(trainer);
    the_dict = dict_bytes ? stored_dict_new(dict_bytes, dict_len) : NULL;
    unsigned id = 3, other = 4;
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        for (int with = 0; with < 2; with++) {
            size_t len, n;
            char *body;
            const stored_dict_t *d = with ? the_dict : NULL;
            char *kept = stored_body_encode(codec, bodies[i], strlen(bodies[i]),
                                            d, id, &len);
            CHECK(kept &&
                      stored_body_decode(codec, kept, len, SIZE_MAX, give_dict,
                                         &id, &body, &n) == STORED_READ_OK &&
                      n == strlen(bodies[i]) && strcmp(body, bodies[i]) == 0,
                  "a body of %zu bytes comes back whole (%s a dictionary)",
                  strlen(bodies[i]), with ? "with" : "without");
            free(body);
            /* Only a start: cut at a character's start, never inside. */
            size_t max = strlen(bodies[i]) / 2 + 1;
            bool start = stored_body_decode(codec, kept, len, max, give_dict,
                                            &id, &body, &n) == STORED_READ_OK;
            CHECK(start && n <= max && strlen(body) == n &&
                      strncmp(body, bodies[i], n) == 0 &&
                      (n == strlen(bodies[i]) ||
                       ((unsigned char)bodies[i][n] & 0xC0) != 0x80),
                  "its first %zu bytes only, cut between characters (%s a "
                  "dictionary)",
                  max, with ? "with" : "without");
            if (start)
                free(body);
            if (strlen(bodies[i]) > 200)
                CHECK(len < strlen(bodies[i]),
                      "a long body is kept smaller "
                      "(%zu of %zu bytes)",
                      len, strlen(bodies[i]));
            if (len > 4 && kept[0] != 'r') {
                CHECK(stored_body_decode(codec, kept, len - 3, SIZE_MAX,
                                         give_dict, &id, &body,
                                         &n) == STORED_READ_DAMAGED,
                      "cut short: refused, not misread");
                /* A byte changed in the frame's middle: its checksum finds
                   it, even when only the start is asked for. */
                kept[len / 2 + 1] ^= 0x21;
                CHECK(
                    stored_body_decode(codec, kept, len, SIZE_MAX, give_dict,
                                       &id, &body, &n) == STORED_READ_DAMAGED &&
                        stored_body_decode(codec, kept, len, 8, give_dict, &id,
                                           &body, &n) == STORED_READ_DAMAGED,
                    "a changed byte: refused, whole or its start (%s a "
                    "dictionary)",
                    with ? "with" : "without");
                kept[len / 2 + 1] ^= 0x21;
            }
            if (with && kept[0] == 'd')
                CHECK(stored_body_decode(codec, kept, len, SIZE_MAX, give_dict,
                                         &other, &body,
                                         &n) == STORED_READ_NO_DICT,
                      "its dictionary missing: refused");
            free(kept);
        }
    }
    char *body;
    size_t n;
    /* A dictionary is kept under zstd's id of it (merged shards keep theirs
       apart) with a checksum; damaged or another, it reads nothing. */
    const char *long_body = bodies[3];
    size_t len;
    char *kept = stored_body_encode(codec, long_body, strlen(long_body),
                                    the_dict, id, &len);
    CHECK(dict_bytes && stored_dict_number(dict_bytes, dict_len) != 0,
          "a trained dictionary has a number of its own (%u)",
          dict_bytes ? stored_dict_number(dict_bytes, dict_len) : 0);
    if (dict_bytes && kept) {
        uint64_t sum = stored_dict_sum(dict_bytes, dict_len);
        dict_bytes[dict_len - 100] ^= 0x10; /* in its content */
        CHECK(stored_dict_sum(dict_bytes, dict_len) != sum,
              "a changed byte changes the dictionary's checksum");
        const stored_dict_t *good = the_dict;
        the_dict = stored_dict_new(dict_bytes, dict_len);
        stored_read_t got = stored_body_decode(codec, kept, len, SIZE_MAX,
                                               give_dict, &id, &body, &n);
        CHECK(got == STORED_READ_DAMAGED,
              "a body read with a damaged dictionary: refused (%d), never "
              "shown",
              got);
        stored_dict_free((stored_dict_t *)the_dict);
        the_dict = stored_dict_new("other words entirely", 20);
        got = stored_body_decode(codec, kept, len, SIZE_MAX, give_dict, &id,
                                 &body, &n);
        CHECK(got == STORED_READ_OTHER_DICT,
              "a body read with another dictionary of its number: said so "
              "(%d)",
              got);
        stored_dict_free((stored_dict_t *)the_dict);
        the_dict = good;
    }
    free(kept);
    free(dict_bytes);
    CHECK(stored_body_decode(codec, "snot a zstd frame at all", 24, SIZE_MAX,
                             NULL, NULL, &body, &n) == STORED_READ_DAMAGED,
          "a damaged frame: refused");
    CHECK(stored_body_decode(codec, "q", 1, SIZE_MAX, NULL, NULL, &body, &n) ==
              STORED_READ_DAMAGED,
          "an unknown kind: refused");
    stored_dict_free((stored_dict_t *)the_dict);
    stored_codec_free(codec);
}

/* A document as nidx before 0.2 wrote it: every field, the body too, in
   the document data, nothing in the body's slot. */
static void write_format_1(const char *dir)
{
    xshim_writer_t *w;
    nidx_error_t err;
    bool existed;
    nidx_article_t a = {"old-1",
                        "An old lighthouse",
                        "The old lighthouse keeper wrote.\nA second line.",
                        "2001-02-03",
                        "Old Paper",
                        "en",
                        NULL};
    xshim_doc_t *doc = xshim_doc_new();
    char id[DOCUMENT_ID_TERM_MAX + 1];
    size_t id_len = document_id_term(a.id, id), len;
    static const char *const words[] = {"the", "old", "lighthouse", "keeper",
                                        "wrote"};
    for (unsigned i = 0; i < 5; i++)
        xshim_doc_add_posting(doc, words[i], strlen(words[i]), 100 + i, 1);
    xshim_doc_add_boolean_term(doc, id, id_len);
    xshim_doc_add_boolean_term(doc, "Len", 3);
    char *data = document_encode(&a, &len);
    xshim_doc_set_data(doc, data, len);
    free(data);
    if (xshim_writer_open(dir, &w, &err) != NIDX_OK ||
        xshim_writer_replace(w, id, id_len, doc, &existed, NULL, &err) !=
            NIDX_OK ||
        xshim_writer_close(w, &err) != NIDX_OK)
        printf("# format 1: %s\n", err.message);
    xshim_doc_free(doc);
}

/* The first hit's snippet for `query`, or "" */
static const char *snippet(nidx_searcher_t *s, const char *query)
{
    static char out[512];
    nidx_results_t *r;
    nidx_error_t err;
    out[0] = '\0';
    if (nidx_search(s, query, NULL, &r, &err) != NIDX_OK)
        return out;
    if (nidx_results_count(r))
        snprintf(out, sizeof out, "%s", nidx_results_hit(r, 0)->snippet);
    nidx_results_free(r);
    return out;
}

static void test_format_1(const char *dir)
{
    nidx_searcher_t *s;
    nidx_error_t err;
    nidx_index_stats_t st;
    nidx_article_t *a;
    write_format_1(dir);
    CHECK(nidx_searcher_open(dir, &s, &err) == NIDX_OK,
          "a format-1 index opens (%s)", err.message);
    CHECK(strstr(snippet(s, "lighthouse"), "old lighthouse keeper") != NULL,
          "its snippets come from the body in the document data");
    CHECK(nidx_searcher_find_article(s, "old-1", &a, &err) == NIDX_OK &&
              strcmp(a->body, "The old lighthouse keeper wrote.\nA second "
                              "line.") == 0,
          "its articles are read whole");
    nidx_article_free(a);
    CHECK(nidx_searcher_stats(s, &st, NULL, NULL, &err) == NIDX_OK &&
              st.format == 1,
          "stats say format 1 (%u)", st.format);
    nidx_searcher_close(s);

    nidx_writer_t *w;
    nidx_article_t fresh = {"new-1",
                            "A new lighthouse",
                            "The new lighthouse shines.",
                            NULL,
                            NULL,
                            "en",
                            NULL};
    CHECK(nidx_writer_open(dir, &w, &err) == NIDX_OK &&
              nidx_writer_add(w, &fresh, NULL, NULL, &err) == NIDX_OK &&
              nidx_writer_close(w, &err) == NIDX_OK,
          "a format-1 index takes new articles (%s)", err.message);
    nidx_searcher_open(dir, &s, &err);
    CHECK(strstr(snippet(s, "shines"), "new lighthouse shines") != NULL &&
              strstr(snippet(s, "keeper"), "old lighthouse keeper") != NULL,
          "old and new articles both give snippets");
    nidx_searcher_close(s);
}

static void test_format_2(const char *dir)
{
    nidx_writer_t *w;
    nidx_error_t err;
    nidx_index_stats_t st;
    nidx_searcher_t *s;
    nidx_article_t a = {"long",
                        "A long report",
                        "Harbour cranes, harbour cranes, harbour cranes. The "
                        "long body goes on and on about the harbour.",
                        NULL,
                        NULL,
                        "en",
                        NULL};
    nidx_writer_open_shards(dir, 1, &w, &err);
    nidx_writer_add(w, &a, NULL, NULL, &err);
    nidx_writer_close(w, &err);
    CHECK(nidx_searcher_open(dir, &s, &err) == NIDX_OK &&
              nidx_searcher_stats(s, &st, NULL, NULL, &err) == NIDX_OK &&
              st.format == STORED_FORMAT,
          "a new index is format %d", STORED_FORMAT);
    CHECK(strstr(snippet(s, "harbour"), "<") == NULL &&
              strstr(snippet(s, "harbour"), "Harbour cranes") != NULL,
          "snippets from the body's own slot");
    nidx_searcher_close(s);

    /* The document data holds what a hit shows, not the body. */
    char shard[4096], *data;
    size_t len;
    snprintf(shard, sizeof shard, "%s/shard0", dir);
    xshim_reader_t *r;
    document_t doc;
    CHECK(xshim_reader_open(shard, &r, &err) == NIDX_OK &&
              xshim_reader_data(r, 1, &data, &len, &err) == NIDX_OK &&
              document_decode(data, len, &doc),
          "the document data decodes");
    CHECK(doc.article.body == NULL && strcmp(doc.article.title, "A long "
                                                                "report") == 0,
          "it holds the title but no body (%zu bytes)", len);
    document_free(&doc);
    free(data);
    xshim_reader_close(r);

    /* A newer format than this nidx knows: refused, untouched. */
    xshim_writer_t *raw;
    xshim_writer_open(shard, &raw, &err);
    xshim_writer_set_metadata(raw, STORED_FORMAT_KEY, "9", &err);
    xshim_writer_close(raw, &err);
    CHECK(nidx_searcher_open(dir, &s, &err) == NIDX_ERROR_CORRUPT &&
              strstr(err.message, "index format 9, newer than this nidx") &&
              strstr(err.message, "rebuild"),
          "a newer format: the searcher refuses and says what to do (%s)",
          err.message);
    CHECK(nidx_writer_open(dir, &w, &err) == NIDX_ERROR_CORRUPT &&
              strstr(err.message, "index format 9 is newer"),
          "a newer format: the writer refuses too (%s)", err.message);
    xshim_writer_open(shard, &raw, &err);
    char format[16];
    xshim_writer_get_metadata(raw, STORED_FORMAT_KEY, format, sizeof format,
                              &err);
    CHECK(strcmp(format, "9") == 0 && xshim_writer_doc_count(raw) == 1,
          "and leaves the index as it was");
    xshim_writer_close(raw, &err);
}

/* The words of the articles test_format_2_kept() writes. */
static const char *const dispatch[] = {
    "cranes",  "stood", "idle",       "at",      "the",     "harbour",
    "of",      "koper", "while",      "dockers", "marched", "through",
    "the",     "old",   "town",       "and",     "ships",   "waited",
    "outside", "the",   "breakwater", "for",     "three",   "days"};
#define DISPATCH_WORDS (sizeof dispatch / sizeof dispatch[0])

static uint64_t count_of(xshim_reader_t *r, xshim_op_t op, const char *a,
                         const char *b)
{
    xshim_query_t *pair[2] = {xshim_query_term(a, strlen(a)),
                              xshim_query_term(b, strlen(b))};
    xshim_query_t *q = xshim_query_combine(op, pair, 2);
    uint64_t n = 0;
    nidx_error_t err;
    if (xshim_reader_count(r, q, -1, NULL, &n, &err) != NIDX_OK)
        n = UINT64_MAX;
    xshim_query_free(q);
    return n;
}

static int count_term(void *context, const char *term, size_t len,
                      uint64_t freq)
{
    (void)freq;
    (void)term;
    (void)len;
    ++*(size_t *)context;
    return 0;
}

/* Writes article a, its terms in doc (freed here) and body kept apart,
   into a shard at dir marked with an older `format`, as that nidx did. */
static void write_old_article(const char *dir, const char *format,
                              xshim_doc_t *doc, const nidx_article_t *a,
                              const char *body)
{
    char id[DOCUMENT_ID_TERM_MAX + 1];
    xshim_writer_t *w;
    nidx_error_t err;
    bool existed;
    size_t id_len = document_id_term(a->id, id), len;
    xshim_doc_add_boolean_term(doc, id, id_len);
    char *data = document_encode(a, &len);
    xshim_doc_set_data(doc, data, len);
    free(data);
    stored_codec_t *codec = stored_codec_new();
    char *kept = stored_body_encode(codec, body, strlen(body), NULL, 0, &len);
    xshim_doc_set_value(doc, STORED_SLOT_BODY, kept, len);
    free(kept);
    stored_codec_free(codec);
    if (xshim_writer_open(dir, &w, &err) != NIDX_OK ||
        xshim_writer_set_metadata(w, STORED_FORMAT_KEY, format, &err) !=
            NIDX_OK ||
        xshim_writer_replace(w, id, id_len, doc, &existed, NULL, &err) !=
            NIDX_OK ||
        xshim_writer_close(w, &err) != NIDX_OK)
        printf("# format %s: %s\n", format, err.message);
    xshim_doc_free(doc);
}

/*
 * A shard of format 2, as nidx 0.2 wrote it: title terms with positions,
 * the bands of the body's fingerprint as terms. This nidx adds to it in
 * its format, finding its copies through the old band terms, and marks it.
 */
static void test_format_2_kept(const char *dir)
{
    nidx_error_t err;
    char body[512] = "", term[64];
    fingerprint_t f;
    unsigned char fp[FINGERPRINT_BYTES];
    fingerprint_reset(&f);
    for (size_t i = 0; i < DISPATCH_WORDS; i++) {
        fingerprint_add(&f, dispatch[i], strlen(dispatch[i]));
        strcat(strcat(body, i ? " " : ""), dispatch[i]);
    }
    CHECK(fingerprint_get(&f, fp), "the dispatch has a fingerprint");
    xshim_doc_t *doc = xshim_doc_new();
    for (size_t i = 0; i < DISPATCH_WORDS; i++)
        xshim_doc_add_posting(doc, dispatch[i], strlen(dispatch[i]),
                              (uint32_t)(103 + i), 1);
    static const char *const title[] = {"harbour", "strike"};
    for (unsigned i = 0; i < 2; i++) {
        xshim_doc_add_posting(doc, title[i], strlen(title[i]), 1 + i, 1);
        snprintf(term, sizeof term, "%s%s", DOCUMENT_TITLE_PREFIX, title[i]);
        xshim_doc_add_posting(doc, term, strlen(term), 1 + i, 1);
    }
    for (int b = 0; b < FINGERPRINT_BANDS; b++) {
        snprintf(term, sizeof term, "%s%d%016llx", DOCUMENT_DUP_PREFIX, b,
                 (unsigned long long)fingerprint_band(fp, b));
        xshim_doc_add_boolean_term(doc, term, strlen(term));
    }
    xshim_doc_set_value(doc, DOCUMENT_SLOT_FINGERPRINT, (const char *)fp,
                        sizeof fp);
    /* A collapse key no fingerprint gives: a copy found takes it. */
    xshim_doc_set_value(doc, DOCUMENT_SLOT_COPIES, "LEGACY!!", 8);
    nidx_article_t a = {"old-2", "Harbour strike", NULL, NULL, NULL, "en",
                        NULL};
    write_old_article(dir, "2", doc, &a, body);

    nidx_searcher_t *s;
    nidx_searcher_open(dir, &s, &err);
    CHECK(strstr(snippet(s, "title:\"harbour strike\""), "harbour") != NULL,
          "format 2: a title phrase still finds its article");
    nidx_searcher_close(s);

    /* The same dispatch again, under another id and title. */
    nidx_writer_t *nw;
    nidx_article_t copy = {
        "new-2", "Dockers march in Koper", body, NULL, NULL, "en", NULL};
    CHECK(nidx_writer_open(dir, &nw, &err) == NIDX_OK &&
              nidx_writer_add(nw, &copy, NULL, NULL, &err) == NIDX_OK &&
              nidx_writer_close(nw, &err) == NIDX_OK,
          "a format-2 index takes new articles (%s)", err.message);
    xshim_reader_t *r;
    char key[16] = "", format[16] = "", marked[16] = "";
    size_t klen = 0, n_bands = 0;
    CHECK(xshim_reader_open(dir, &r, &err) == NIDX_OK, "the shard opens (%s)",
          err.message);
    xshim_reader_value(r, 2, DOCUMENT_SLOT_COPIES, key, sizeof key - 1, &klen,
                       &err);
    key[klen] = '\0';
    CHECK(strcmp(key, "LEGACY!!") == 0,
          "a copy of a format-2 article is found by its band terms");
    xshim_reader_get_metadata(r, STORED_FORMAT_KEY, format, sizeof format,
                              &err);
    xshim_reader_get_metadata(r, "nidx-band-terms", marked, sizeof marked,
                              &err);
    CHECK(atoi(format) == STORED_FORMAT && strcmp(marked, "1") == 0,
          "the shard is marked format %d, its older bands terms (%s, %s)",
          STORED_FORMAT, format, marked);
    xshim_reader_terms(r, DOCUMENT_DUP_PREFIX, count_term, &n_bands, &err);
    CHECK(n_bands == FINGERPRINT_BANDS,
          "the new article adds no band terms (%zu)", n_bands);
    char *entry;
    size_t entry_len;
    uint32_t docids[BANDS_KEPT];
    bool recorded = true;
    for (int b = 0; b < FINGERPRINT_BANDS; b++) {
        bands_key(b, fingerprint_band(fp, b), term);
        recorded = recorded &&
                   xshim_reader_metadata_bytes(r, term, &entry, &entry_len,
                                               &err) == NIDX_OK &&
                   bands_decode(entry, entry_len, docids, BANDS_KEPT) == 1 &&
                   docids[0] == 2;
        free(entry);
    }
    CHECK(recorded, "its bands are entries of the shard's metadata");
    CHECK(count_of(r, XSHIM_PHRASE, "Tdockers", "Tmarch") == 0 &&
              count_of(r, XSHIM_AND, "Tdockers", "Tmarch") == 1 &&
              count_of(r, XSHIM_PHRASE, "dockers", "march") == 1,
          "its title terms keep no positions; its words do");
    xshim_reader_close(r);
    nidx_searcher_open(dir, &s, &err);
    CHECK(strstr(snippet(s, "title:\"dockers march\""), "dockers") != NULL &&
              strstr(snippet(s, "title:\"harbour strike\""), "harbour") != NULL,
          "title phrases find old and new articles");
    nidx_searcher_close(s);
}

/* The band entries keep the latest BANDS_KEPT documents, latest first. */
static void test_band_entries(void)
{
    char entry[BANDS_ENTRY_MAX], next[BANDS_ENTRY_MAX], key[BANDS_KEY_MAX];
    uint32_t docids[BANDS_KEPT];
    size_t len = 0;
    for (uint32_t d = 1; d <= 40; d++) {
        len = bands_add(entry, len, d * 1000, next);
        memcpy(entry, next, len);
    }
    len = bands_add(entry, len, 39000, next); /* again: moves up */
    size_t n = bands_decode(next, len, docids, BANDS_KEPT);
    CHECK(n == BANDS_KEPT && docids[0] == 39000 && docids[1] == 40000 &&
              docids[BANDS_KEPT - 1] == 9000,
          "an entry keeps the latest %d, latest first, none twice (%zu: %u "
          "%u .. %u)",
          BANDS_KEPT, n, docids[0], docids[1], docids[n - 1]);
    CHECK(bands_decode("\xff\xff", 2, docids, BANDS_KEPT) == 0,
          "a damaged entry names nothing");
    CHECK(bands_key(7, 0xFEDCBA9876543210ull, key) == 14 &&
              strcmp(key, "D7fedcba987654") == 0,
          "a band's key (%s)", key);
}

/* Enough bodies that each shard trains a dictionary: the articles after
   it are kept with it, and read back whole, also after compaction. */
static void test_dictionaries(const char *dir)
{
    nidx_writer_t *w;
    nidx_error_t err = {0};
    char body[1400], id[32];
    nidx_writer_open_shards(dir, 2, &w, &err);
    for (unsigned i = 0; i < 3000; i++) {
        snprintf(id, sizeof id, "d%u", i);
        int n = snprintf(body, sizeof body,
                         "Dispatch %u from the harbour desk. The port of "
                         "Koper handled %u containers on day %u; cranes %u "
                         "and %u were under repair.\n",
                         i, i * 37 % 5000, i % 31, i % 17, i % 23);
        while (n < 1200)
            n += snprintf(body + n, sizeof body - (size_t)n,
                          "Shipping line %u reported %u tonnes of cargo "
                          "bound for Vienna and Budapest. ",
                          (i + (unsigned)n) % 97, (i * 13 + (unsigned)n) % 900);
        nidx_article_t a = {id,  "Harbour dispatch", body, NULL, "Desk", "en",
                            NULL};
        nidx_writer_add(w, &a, NULL, NULL, &err);
    }
    nidx_writer_close(w, &err);
    char shard[4096], number[2][16], key[64], sum[32];
    xshim_writer_t *raw;
    bool both = true;
    for (int k = 0; k < 2; k++) {
        snprintf(shard, sizeof shard, "%s/shard%d", dir, k);
        xshim_writer_open(shard, &raw, &err);
        xshim_writer_get_metadata(raw, STORED_DICT_KEY, number[k],
                                  sizeof number[k], &err);
        snprintf(key, sizeof key, "%s:%s%s", STORED_DICT_KEY, number[k],
                 STORED_DICT_SUM);
        xshim_writer_get_metadata(raw, key, sum, sizeof sum, &err);
        both = both && strtoul(number[k], NULL, 10) > 1 && strlen(sum) == 16;
        xshim_writer_close(raw, &err);
    }
    CHECK(both, "each shard trained and recorded its dictionary, with its "
                "checksum");
    CHECK(strcmp(number[0], number[1]) != 0,
          "the two shards' dictionaries have numbers of their own (%s, %s): "
          "merged into one database, they stay apart",
          number[0], number[1]);
    for (int round = 0; round < 2; round++) {
        nidx_searcher_t *s;
        nidx_article_t *a;
        nidx_searcher_open(dir, &s, &err);
        bool whole = true;
        /* The last articles of each shard were kept with the dictionary. */
        for (unsigned i = 2990; i < 3000; i++) {
            snprintf(id, sizeof id, "d%u", i);
            snprintf(body, sizeof body, "Dispatch %u from the harbour desk.",
                     i);
            whole = whole &&
                    nidx_searcher_find_article(s, id, &a, &err) == NIDX_OK &&
                    strncmp(a->body, body, strlen(body)) == 0 &&
                    strlen(a->body) >= 1200;
            nidx_article_free(a);
        }
        CHECK(whole, "articles kept with the dictionary are read back whole%s",
              round ? ", after compaction" : "");
        CHECK(strstr(snippet(s, "\"Dispatch 2999\""), "Dispatch 2999") !=
                      NULL &&
                  strstr(snippet(s, "\"Dispatch 2998\""), "Dispatch 2998") !=
                      NULL,
              "and give snippets, in both shards%s",
              round ? ", after compaction" : "");
        nidx_searcher_close(s);
        if (round == 0)
            CHECK(nidx_index_compact(dir, &err) == NIDX_OK,
                  "the index compacts (%s)", err.message);
    }
}

/* Counts nidx_index_check_each()'s reports; remembers whether one named
   the article whose body was damaged. */
typedef struct reports {
    unsigned n;
    bool named;
} reports_t;

static void count_report(void *context, const nidx_diagnostic_t *d)
{
    reports_t *r = context;
    r->n++;
    r->named = r->named || strstr(d->message, "article d7 ") != NULL;
}

/* The shard (0 or 1) of dir holding article `id`, and its docid there. */
static int shard_of(const char *dir, const char *id, uint32_t *docid)
{
    char path[4096], term[512];
    size_t len = document_id_term(id, term), n = 0;
    nidx_error_t err;
    for (int k = 0; k < 2; k++) {
        xshim_reader_t *r;
        snprintf(path, sizeof path, "%s/shard%d", dir, k);
        if (xshim_reader_open(path, &r, &err) != NIDX_OK)
            continue;
        xshim_reader_postings(r, term, len, docid, 1, &n, &err);
        xshim_reader_close(r);
        if (n)
            return k;
    }
    return -1;
}

/*
 * Damage as disks and careless hands make it: one article's body, and
 * 2,000 bytes of a shard's dictionary. Checksums find both: the hits lose
 * their snippet, not the search, their text is never shown garbled, and
 * nidx check names every article it cannot read.
 */
static void test_damage(const char *dir)
{
    nidx_error_t err = {0};
    char path[4096], term[512], number[32], key[64], *data = NULL;
    size_t len = 0;
    uint32_t docid = 0;
    int k = shard_of(dir, "d7", &docid);
    xshim_reader_t *r;
    xshim_writer_t *w;
    snprintf(path, sizeof path, "%s/shard%d", dir, k);
    /* The body of d7, a byte changed in its middle. */
    if (k >= 0 && xshim_reader_open(path, &r, &err) == NIDX_OK) {
        char *body;
        size_t body_len;
        xshim_reader_data(r, docid, &data, &len, &err);
        xshim_reader_value_copy(r, docid, STORED_SLOT_BODY, &body, &body_len,
                                &err);
        xshim_reader_close(r);
        xshim_doc_t *doc = xshim_doc_new();
        size_t tlen = document_id_term("d7", term);
        xshim_doc_add_boolean_term(doc, term, tlen);
        xshim_doc_set_data(doc, data, len);
        body[body_len / 2] ^= 0x40;
        xshim_doc_set_value(doc, STORED_SLOT_BODY, body, body_len);
        if (xshim_writer_open(path, &w, &err) == NIDX_OK) {
            bool existed;
            xshim_writer_replace(w, term, tlen, doc, &existed, NULL, &err);
            xshim_writer_close(w, &err);
        }
        xshim_doc_free(doc);
        free(body);
        free(data);
    }
    nidx_searcher_t *s;
    nidx_results_t *res = NULL;
    nidx_article_t *a = NULL;
    nidx_searcher_open(dir, &s, &err);
    nidx_status_t st = nidx_search(s, "id:d7", NULL, &res, &err);
    CHECK(st == NIDX_OK && nidx_results_count(res) == 1 &&
              nidx_results_hit_unreadable(res, 0) &&
              !nidx_results_hit(res, 0)->snippet &&
              nidx_results_unreadable(res) == 1 &&
              strstr(nidx_results_unreadable_why(res), "article d7 has a "
                                                       "damaged body"),
          "a damaged body: the search answers, the hit without its snippet, "
          "the article named (%s)",
          res ? nidx_results_unreadable_why(res) : err.message);
    char *json = NULL;
    size_t json_len;
    if (res && nidx_results_json(res, &json, &json_len, &err) == NIDX_OK)
        CHECK(strstr(json, "\"body_unreadable\":true") &&
                  strstr(json, "\"unreadable\":1"),
              "the JSON says which hit and why");
    free(json);
    nidx_results_free(res);
    st = nidx_searcher_find_article(s, "d7", &a, &err);
    CHECK(st == NIDX_ERROR_CORRUPT && strstr(err.message, "article d7"),
          "reading the article: an error naming it (%s)", err.message);
    nidx_article_free(a);
    nidx_searcher_close(s);

    /* 2,000 bytes of the other shard's dictionary. */
    snprintf(path, sizeof path, "%s/shard%d", dir, 1 - k);
    if (xshim_writer_open(path, &w, &err) == NIDX_OK) {
        xshim_writer_get_metadata(w, STORED_DICT_KEY, number, sizeof number,
                                  &err);
        snprintf(key, sizeof key, "%s:%s", STORED_DICT_KEY, number);
        xshim_writer_metadata_bytes(w, key, &data, &len, &err);
        for (size_t i = len / 3; i < len / 3 + 2000 && i < len; i++)
            data[i] = (char)(data[i] * 7 + 13);
        xshim_writer_set_metadata_bytes(w, key, data, len, &err);
        xshim_writer_commit(w, &err);
        xshim_writer_close(w, &err);
        free(data);
    }
    /* Its last article, kept with the dictionary. */
    const char *last = shard_of(dir, "d2999", &docid) == 1 - k
                           ? "\"Dispatch 2999\""
                           : "\"Dispatch 2998\"";
    nidx_searcher_open(dir, &s, &err);
    res = NULL;
    st = nidx_search(s, last, NULL, &res, &err);
    CHECK(st == NIDX_OK && nidx_results_count(res) >= 1 &&
              nidx_results_hit_unreadable(res, 0) &&
              strstr(nidx_results_unreadable_why(res),
                     "body dictionary is damaged"),
          "a damaged dictionary: found by its checksum, the hit without "
          "snippet (%s)",
          res ? nidx_results_unreadable_why(res) : err.message);
    nidx_results_free(res);
    nidx_searcher_close(s);

    /* A newer format in the second shard is seen too, and named. */
    snprintf(path, sizeof path, "%s/shard1", dir);
    char kept[16] = "";
    if (xshim_writer_open(path, &w, &err) == NIDX_OK) {
        xshim_writer_get_metadata(w, STORED_FORMAT_KEY, kept, sizeof kept,
                                  &err);
        xshim_writer_set_metadata(w, STORED_FORMAT_KEY, "9", &err);
        xshim_writer_close(w, &err);
    }
    st = nidx_searcher_open(dir, &s, &err);
    CHECK(st == NIDX_ERROR_CORRUPT && strstr(err.message, "shard1 is of index "
                                                          "format 9"),
          "a newer format in the second shard: refused, the shard named (%s)",
          err.message);
    if (st == NIDX_OK)
        nidx_searcher_close(s);
    if (xshim_writer_open(path, &w, &err) == NIDX_OK) {
        xshim_writer_set_metadata(w, STORED_FORMAT_KEY, kept, &err);
        xshim_writer_close(w, &err);
    }

    reports_t seen = {0, false};
    uint64_t problems = 0;
    st = nidx_index_check_each(dir, count_report, &seen, &problems, &err);
    CHECK(st == NIDX_OK && problems > 500 && seen.n == problems && seen.named,
          "nidx check reads every body: each damaged one named (%llu "
          "problems, %u reported; the first: %s)",
          (unsigned long long)problems, seen.n, err.message);
}

/*
 * A shard of format 3 holds name terms without their spellings (N + key +
 * ":" + shape): a query word still finds the other spellings through
 * them, by shape, and highlights them; articles this nidx adds beside them
 * hold spellings, and both are found.
 */
static void test_format_3_names(const char *dir)
{
    static const char *const words[] = {"вчера", "путин", "выступил"};
    char term[DOCUMENT_NAME_TERM_MAX], key[NAMEKEY_MAX + 1];
    const char *body = "Вчера Путин выступил";
    namekey_shape_t shape;
    nidx_error_t err = {0};
    namekey_t *k = namekey_new(&err);
    xshim_doc_t *doc = xshim_doc_new();
    for (unsigned i = 0; i < 3; i++)
        xshim_doc_add_posting(doc, words[i], strlen(words[i]), 103 + i, 1);
    size_t n = k ? namekey_of(k, "путин", strlen("путин"), key, &shape) : 0;
    n = n ? document_name_term(term, sizeof term, key, n, &shape, NULL, 0) : 0;
    CHECK(n && strchr(term, ':') == strrchr(term, ':'),
          "a format-3 name term holds key and shape only (%s)", n ? term : "");
    xshim_doc_add_term(doc, term, n, 1);
    xshim_doc_add_boolean_term(doc, "Lru", 3);
    nidx_article_t a = {"old-3", "Заявление", NULL, NULL, NULL, "ru", NULL};
    write_old_article(dir, "3", doc, &a, body);
    namekey_free(k);

    nidx_writer_t *nw;
    nidx_article_t added = {
        "new-4", "Talks", "Yesterday Putin spoke, and then Putin left.",
        NULL,    NULL,    "en",
        NULL};
    CHECK(nidx_writer_open(dir, &nw, &err) == NIDX_OK &&
              nidx_writer_add(nw, &added, NULL, NULL, &err) == NIDX_OK &&
              nidx_writer_close(nw, &err) == NIDX_OK,
          "a format-3 index takes new articles (%s)", err.message);
    nidx_searcher_t *s;
    nidx_results_t *r;
    size_t found = 0, flagged = 0;
    bool marked = false;
    nidx_searcher_open(dir, &s, &err);
    if (nidx_search(s, "putin", NULL, &r, &err) == NIDX_OK) {
        for (size_t i = 0; i < nidx_results_count(r); i++) {
            const nidx_hit_t *h = nidx_results_hit(r, i);
            found++;
            if (strcmp(h->article.id, "old-3") == 0) {
                flagged += h->n_transliterated > 0;
                marked = h->n_highlights == 1 &&
                         strncmp(h->snippet + h->highlights[0].start, "Путин",
                                 strlen("Путин")) == 0;
            }
        }
        nidx_results_free(r);
    }
    nidx_searcher_close(s);
    CHECK(found == 2 && flagged == 1,
          "putin finds the new article and, by its format-3 name term, the "
          "old one, flagged (%zu hits, %zu flagged)",
          found, flagged);
    CHECK(marked, "the old article's snippet marks Путин");
}

int main(void)
{
    char one[] = "/tmp/nidx-test-format1-XXXXXX";
    char two[] = "/tmp/nidx-test-format2-XXXXXX";
    char three[] = "/tmp/nidx-test-format3-XXXXXX";
    char kept[] = "/tmp/nidx-test-format2k-XXXXXX";
    char names[] = "/tmp/nidx-test-format3n-XXXXXX";
    if (!mkdtemp(one) || !mkdtemp(two) || !mkdtemp(three) || !mkdtemp(kept) ||
        !mkdtemp(names))
        return 1;
    test_codec();
    test_band_entries();
    test_format_1(one);
    test_format_2(two);
    test_format_2_kept(kept);
    test_dictionaries(three);
    test_damage(three);
    test_format_3_names(names);
    char cmd[320];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s %s %s %s", one, two, three, kept,
             names);
    if (system(cmd) != 0)
        printf("# could not remove %s %s %s %s %s\n", one, two, three, kept,
               names);
    return tap_done();
}
