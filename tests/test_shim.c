/*
 * test_shim.c — the Xapian shim on its own: documents in and out, query
 * operators, exact counts, and Xapian's errors turned into statuses.
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "xapian_shim.h"

static char dir[] = "/tmp/nidx-test-shim-XXXXXX";

static void add_doc(xshim_writer_t *w, const char *id, const char *words,
                    bool *existed)
{
    xshim_doc_t *d = xshim_doc_new();
    uint32_t pos = 1;
    char buf[256];
    strcpy(buf, words);
    for (char *t = strtok(buf, " "); t; t = strtok(NULL, " "))
        xshim_doc_add_posting(d, t, strlen(t), pos++, 1);
    xshim_doc_add_boolean_term(d, id, strlen(id));
    xshim_doc_set_value(d, 0, "2022", 4);
    xshim_doc_set_data(d, words, strlen(words));
    nidx_error_t err;
    if (xshim_writer_replace(w, id, strlen(id), d, existed, NULL, &err) !=
        NIDX_OK)
        printf("# replace: %s\n", err.message);
    xshim_doc_free(d);
}

/* Matches `q` (consumed); returns the number of hits, fills counts. */
static size_t run(xshim_reader_t *r, xshim_query_t *q, xshim_counts_t *c,
                  uint32_t *first)
{
    xshim_match_t m[10];
    size_t n = 0;
    nidx_error_t err;
    if (!q || xshim_reader_match(r, q, NULL, XSHIM_BY_RELEVANCE, 0, -1, 0, 10,
                                 10, m, &n, c, &err) != NIDX_OK)
        n = (size_t)-1;
    if (first)
        *first = n > 0 && n != (size_t)-1 ? m[0].docid : 0;
    xshim_query_free(q);
    return n;
}

static xshim_query_t *term(const char *t)
{
    return xshim_query_term(t, strlen(t));
}

static xshim_query_t *two(xshim_op_t op, const char *a, const char *b)
{
    xshim_query_t *subs[2] = {term(a), term(b)};
    return xshim_query_combine(op, subs, 2);
}

/* CLD2 through the shim; Amharic and Yoruba are in its full tables only,
   so finding them proves those tables are linked. */
static void test_languages(void)
{
    static const struct {
        const char *want, *text;
    } cases[] = {
        {"en", "The government announced a new plan to build roads and "
               "schools in rural areas before the end of the year."},
        {"de", "Die Regierung kündigte einen neuen Plan an, Straßen und "
               "Schulen in ländlichen Gebieten zu bauen."},
        {"fr", "Le gouvernement a annoncé un nouveau plan pour construire "
               "des routes et des écoles dans les zones rurales."},
        {"tr", "Hükümet, kırsal bölgelerde yol ve okul inşa etmek için yeni "
               "bir plan açıkladı."},
        {"ru", "Правительство объявило о новом плане строительства дорог и "
               "школ в сельской местности до конца года."},
        {"ar", "أعلنت الحكومة عن خطة جديدة لبناء الطرق والمدارس في المناطق "
               "الريفية قبل نهاية العام."},
        {"zh",
         "政府宣布了一项在农村地区修建道路和学校的新计划，预计年底前完成。"},
        {"ja",
         "政府は年末までに農村部で道路と学校を建設する新しい計画を発表した。"},
        {"sw", "Serikali imetangaza mpango mpya wa kujenga barabara na shule "
               "katika maeneo ya vijijini kabla ya mwisho wa mwaka."},
        {"am", "መንግስት በገጠር አካባቢዎች መንገዶችንና ትምህርት ቤቶችን ለመገንባት አዲስ እቅድ "
               "አስታውቋል። ሥራው ከዓመቱ መጨረሻ በፊት ይጀመራል።"},
        {"yo", "Ìjọba ti kéde ètò tuntun láti kọ́ àwọn ọ̀nà àti ilé-ìwé ní "
               "àwọn agbègbè ìgbèríko kí ọdún tó parí."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char code[8];
        bool ok =
            xshim_identify_language(cases[i].text, strlen(cases[i].text), code);
        CHECK(ok && strcmp(code, cases[i].want) == 0,
              "language of a %s text (got %s)", cases[i].want,
              ok ? code : "nothing");
    }
    char code[8];
    CHECK(!xshim_identify_language("12345 678", 9, code) && code[0] == '\0',
          "no language for text without words");
}

int main(void)
{
    nidx_error_t err;
    xshim_writer_t *w, *w2;
    xshim_reader_t *r;
    bool existed = true;
    if (!mkdtemp(dir))
        return 1;
    test_languages();

    CHECK(xshim_reader_open(dir, &r, &err) == NIDX_ERROR_NO_INDEX,
          "an empty directory is no index: %s", err.message);
    CHECK(xshim_writer_open(dir, &w, &err) == NIDX_OK, "writer opens");
    CHECK(xshim_writer_open(dir, &w2, &err) == NIDX_ERROR_LOCKED,
          "a second writer is locked out: %s", err.message);
    add_doc(w, "Qa", "red green blue", &existed);
    CHECK(!existed, "first add: no earlier document");
    add_doc(w, "Qb", "green blue", &existed);
    add_doc(w, "Qc", "blue red", &existed);
    add_doc(w, "Qa", "red yellow", &existed);
    CHECK(existed, "same id term: replaced");
    CHECK(xshim_writer_commit(w, &err) == NIDX_OK, "commit");

    CHECK(xshim_reader_open(dir, &r, &err) == NIDX_OK, "reader opens");
    CHECK(xshim_reader_doc_count(r) == 3, "3 documents after a replace");
    xshim_counts_t c;
    uint32_t first;
    CHECK(run(r, term("blue"), &c, NULL) == 2 && c.lower == 2 && c.upper == 2,
          "term query with exact counts");
    CHECK(run(r, two(XSHIM_AND, "red", "blue"), &c, NULL) == 1, "AND");
    CHECK(run(r, two(XSHIM_OR, "yellow", "green"), &c, NULL) == 2, "OR");
    CHECK(run(r, two(XSHIM_AND_NOT, "blue", "red"), &c, NULL) == 1, "AND_NOT");
    CHECK(run(r, two(XSHIM_PHRASE, "green", "blue"), &c, NULL) == 1,
          "PHRASE in order");
    CHECK(run(r, two(XSHIM_PHRASE, "blue", "green"), &c, NULL) == 0,
          "PHRASE out of order");
    CHECK(run(r, term("green"), &c, &first) == 1 && first > 0,
          "old terms of a replaced document are gone");
    char *data;
    size_t len;
    CHECK(xshim_reader_data(r, first, &data, &len, &err) == NIDX_OK &&
              len == 10 && memcmp(data, "green blue", 10) == 0,
          "stored data comes back");
    free(data);
    CHECK(xshim_reader_data(r, 999, &data, &len, &err) != NIDX_OK &&
              data == NULL,
          "a missing document is an error, not a crash: %s", err.message);

    add_doc(w, "Qd", "purple", &existed);
    xshim_writer_commit(w, &err);
    CHECK(run(r, term("purple"), &c, NULL) == 0, "a reader keeps its revision");
    CHECK(xshim_reader_reopen(r, &err) == NIDX_OK &&
              run(r, term("purple"), &c, NULL) == 1,
          "reopen moves it to the newest commit");
    /* Documents 1 "red yellow", 2 "green blue", 3 "blue red", 4 "purple",
       asked out of order. */
    const uint32_t docs[4] = {3, 1, 2, 4};
    const char *terms[4] = {"yellow", "red", "blue", "purple"};
    const size_t ends[2] = {2, 4}; /* groups: yellow red | blue purple */
    const size_t want[8] = {1, 2, 0, 4, 2, 2, 2, 3};
    size_t held[8];
    bool same = xshim_reader_first_held(r, docs, 4, terms, ends, 2, held,
                                        &err) == NIDX_OK;
    for (int i = 0; i < 8; i++)
        same &= held[i] == want[i];
    CHECK(same,
          "first_held: each document's first term of each group, the "
          "group's end for none (%zu %zu, %zu %zu, %zu %zu, %zu %zu)",
          held[0], held[1], held[2], held[3], held[4], held[5], held[6],
          held[7]);
    xshim_reader_close(r);
    CHECK(xshim_writer_close(w, &err) == NIDX_OK, "writer closes");
    CHECK(xshim_writer_open(dir, &w2, &err) == NIDX_OK,
          "the lock is released on close");
    xshim_writer_close(w2, &err);

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
    return tap_done();
}
