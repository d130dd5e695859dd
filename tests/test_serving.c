/*
 * test_serving.c — the library as a server uses it: versions, options of
 * older programs, reading an article, filters beside the query, quoting,
 * error positions, revisions and changes, cut and cancelled searches,
 * totals past the last page, the JSON documents, and hits matched through
 * another spelling of a name.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "nidx.h"
#include "tap.h"

static char dir[] = "/tmp/nidx-test-serving-XXXXXX";

static void add(nidx_writer_t *w, const char *id, const char *title,
                const char *body, const char *date, const char *source,
                const char *lang, const char *url)
{
    nidx_article_t a = {id, title, body, date, source, lang, url};
    nidx_error_t err;
    if (nidx_writer_add(w, &a, NULL, NULL, &err) != NIDX_OK)
        printf("# add %s: %s\n", id, err.message);
}

static void build(void)
{
    nidx_writer_t *w;
    nidx_error_t err;
    if (nidx_writer_open_shards(dir, 2, &w, &err) != NIDX_OK) {
        printf("# writer: %s\n", err.message);
        exit(1);
    }
    add(w, "cd-uk", "CD:UK returns to Saturday mornings",
        "The chart show CD:UK is back.\nLine two of the body.\n\nAnd a third.",
        "2003-05-10", "Music Weekly", "en", "https://www.example.co.uk/cd");
    add(w, "drones-sr", "Dronovi nad Beogradom",
        "Srbija kupuje dronove Bayraktar, kažu u Beogradu.", "2022-03-14",
        "Politika", "sr", "https://politika.rs/a/1");
    add(w, "drones-en", "Serbia buys Bayraktar drones",
        "Serbia is buying Bayraktar drones, officials in Belgrade said.",
        "2022-03-15", "Balkan Wire", "en", "https://news.example.com/b");
    add(w, "drones-old", "Drones over the steppe",
        "Bayraktar drones were shown at a fair in Astana.", "2019-08-01",
        "Steppe Daily", "en", NULL);
    add(w, "<b>odd</b>", "A title with <script>alert(1)</script>",
        "Body with \"quotes\" & ampersands <img src=x onerror=alert(1)>", NULL,
        NULL, "en", NULL);
    if (nidx_writer_close(w, &err) != NIDX_OK)
        printf("# close: %s\n", err.message);
}

/* The ids of a search's hits joined by ' ', or "error: ..." */
static const char *ids(nidx_searcher_t *s, const char *q,
                       const nidx_search_options_t *o, nidx_error_t *err)
{
    static char out[1100];
    nidx_results_t *r;
    out[0] = '\0';
    if (nidx_search(s, q, o, &r, err) != NIDX_OK) {
        snprintf(out, sizeof out, "error: %s", err->message);
        return out;
    }
    for (size_t i = 0; i < nidx_results_count(r); i++) {
        if (i)
            strcat(out, " ");
        strcat(out, nidx_results_hit(r, i)->article.id);
    }
    nidx_results_free(r);
    return out;
}

static void test_version(void)
{
    CHECK(nidx_version_number() == NIDX_VERSION_NUMBER,
          "the runtime version is the header's (%u)", nidx_version_number());
    CHECK_STR(nidx_version_string(), PACKAGE_VERSION,
              "NIDX_VERSION is the package's version");
    CHECK(NIDX_VERSION_NUMBER == NIDX_VERSION_MAJOR * 10000 +
                                     NIDX_VERSION_MINOR * 100 +
                                     NIDX_VERSION_PATCH,
          "the version number is MAJOR*10000 + MINOR*100 + PATCH");
}

static void test_options(nidx_searcher_t *s)
{
    nidx_search_options_t o;
    nidx_error_t err;
    memset(&o, 0, sizeof o);
    CHECK(strncmp(ids(s, "drones", &o, &err), "error:", 6) == 0 &&
              err.status == NIDX_ERROR_ARGUMENT,
          "options not made by nidx_search_options_init() are refused");
    /* A program built when the options ended at time_limit: the filters
       it does not know of are left at their defaults (none), whatever
       lies past its struct. */
    nidx_search_options_t *old = malloc(sizeof *old);
    nidx_search_options_init(old);
    old->size = offsetof(nidx_search_options_t, langs);
    old->limit = 2;
    old->n_langs = 99; /* beyond the old size: garbage to the library */
    old->langs = (const char *const *)"garbage";
    const char *got = ids(s, "drones", old, &err);
    CHECK(strchr(got, ' ') && !strchr(strchr(got, ' ') + 1, ' ') &&
              !strstr(got, "error"),
          "an older program's shorter options: its fields read, the rest "
          "defaults (%s)",
          got);
    free(old);
}

static void test_article(nidx_searcher_t *s)
{
    nidx_article_t *a;
    nidx_error_t err;
    nidx_status_t st = nidx_searcher_find_article(s, "cd-uk", &a, &err);
    CHECK(st == NIDX_OK, "an article is read by its id");
    if (st == NIDX_OK) {
        CHECK_STR(a->body,
                  "The chart show CD:UK is back.\nLine two of the body.\n\n"
                  "And a third.",
                  "the body whole, line breaks kept");
        CHECK_STR(a->title, "CD:UK returns to Saturday mornings",
                  "and the title");
        CHECK_STR(a->source, "Music Weekly", "and the source");
        CHECK_STR(a->url, "https://www.example.co.uk/cd", "and the url");
        CHECK_STR(a->date, "2003-05-10", "and the date");
        char *json;
        size_t len;
        CHECK(nidx_article_json(a, &json, &len, &err) == NIDX_OK,
              "the article as JSON");
        CHECK_STR(json,
                  "{\"id\":\"cd-uk\",\"title\":\"CD:UK returns to Saturday "
                  "mornings\",\"date\":\"2003-05-10\",\"source\":\"Music "
                  "Weekly\",\"lang\":\"en\",\"url\":\"https://"
                  "www.example.co.uk/cd\",\"body\":\"The chart show CD:UK is "
                  "back.\\nLine two of the body.\\n\\nAnd a third.\"}",
                  "its JSON: every field, the body's line breaks escaped");
        CHECK(len == strlen(json), "the JSON's length");
        free(json);
        nidx_article_free(a);
    }
    st = nidx_searcher_find_article(s, "no-such-id", &a, &err);
    CHECK(st == NIDX_ERROR_NOT_FOUND && a == NULL,
          "an unknown id: NIDX_ERROR_NOT_FOUND (%s)", err.message);
    CHECK_STR(nidx_status_string(NIDX_ERROR_NOT_FOUND), "not found",
              "its status string");
    st = nidx_searcher_find_article(s, "<b>odd</b>", &a, &err);
    CHECK(st == NIDX_OK && a && strstr(a->body, "<img src=x"),
          "an id with markup is read, its text as stored");
    nidx_article_free(a);
    nidx_article_free(NULL);
}

static void test_filters(nidx_searcher_t *s)
{
    nidx_search_options_t o;
    nidx_error_t err;
    const char *sr[] = {"sr"}, *en_sr[] = {"en", "sr"};
    const char *wire[] = {"Balkan Wire"}, *odd_source[] = {"CD:UK \"x\""};
    const char *site[] = {"politika.rs"}, *bad_site[] = {"no host here"};
    const char *id_list[] = {"drones-old", "cd-uk"},
               *bad_lang[] = {"not a code"};

    nidx_search_options_init(&o);
    o.langs = sr, o.n_langs = 1;
    CHECK_STR(ids(s, "bayraktar", &o, &err), "drones-sr", "a language filter");
    o.langs = en_sr, o.n_langs = 2, o.sort = NIDX_SORT_DATE_ASCENDING;
    CHECK_STR(ids(s, "bayraktar", &o, &err), "drones-old drones-sr drones-en",
              "two languages: either");

    nidx_search_options_init(&o);
    o.sources = wire, o.n_sources = 1;
    CHECK_STR(ids(s, "bayraktar", &o, &err), "drones-en", "a source filter");
    o.sources = odd_source;
    CHECK_STR(ids(s, "bayraktar", &o, &err), "",
              "a source with a colon and quotes is a value, never syntax");

    nidx_search_options_init(&o);
    o.sites = site, o.n_sites = 1;
    CHECK_STR(ids(s, "bayraktar", &o, &err), "drones-sr", "a site filter");
    o.sites = bad_site;
    ids(s, "bayraktar", &o, &err);
    CHECK(err.status == NIDX_ERROR_ARGUMENT &&
              strstr(err.message, "the site filter 'no host here'"),
          "a bad site: NIDX_ERROR_ARGUMENT naming it (%s)", err.message);

    nidx_search_options_init(&o);
    o.ids = id_list, o.n_ids = 2, o.sort = NIDX_SORT_DATE_ASCENDING;
    CHECK_STR(ids(s, "", &o, &err), "cd-uk drones-old",
              "filters alone, with an empty query: every article they let "
              "through");
    o.sort = NIDX_SORT_RELEVANCE;
    CHECK(strlen(ids(s, " \t", &o, &err)) == strlen("cd-uk drones-old"),
          "a blank query too");

    nidx_search_options_init(&o);
    o.date_from = "2020", o.date_to = "2022-03-14";
    CHECK_STR(ids(s, "bayraktar", &o, &err), "drones-sr",
              "a date range, both ends inclusive");
    o.date_from = NULL, o.date_to = "2021";
    CHECK_STR(ids(s, "bayraktar", &o, &err), "drones-old",
              "a date range open at the start");
    o.date_from = "2022-13";
    ids(s, "bayraktar", &o, &err);
    CHECK(err.status == NIDX_ERROR_ARGUMENT && strstr(err.message, "date"),
          "a bad date: NIDX_ERROR_ARGUMENT (%s)", err.message);

    nidx_search_options_init(&o);
    o.langs = bad_lang, o.n_langs = 1;
    ids(s, "bayraktar", &o, &err);
    CHECK(err.status == NIDX_ERROR_ARGUMENT &&
              strstr(err.message, "the lang filter 'not a code'"),
          "a bad language: NIDX_ERROR_ARGUMENT naming it (%s)", err.message);
    nidx_search_options_init(&o);
    o.langs = en_sr, o.n_langs = 2;
    o.sources = wire, o.n_sources = 1;
    CHECK_STR(ids(s, "bayraktar lang:en", &o, &err), "drones-en",
              "filters and fields of the query combine (all of them)");
}

static void test_quote(nidx_searcher_t *s)
{
    nidx_error_t err;
    char *q = nidx_query_quote(NULL, "CD:UK");
    CHECK_STR(q, "\"CD:UK\"", "quoting makes a phrase");
    CHECK_STR(ids(s, q, NULL, &err), "cd-uk",
              "a quoted title with a colon finds its article");
    free(q);
    q = nidx_query_quote("title", "say \"CD:UK\" now");
    CHECK_STR(q, "title:\"say  CD:UK  now\"",
              "quotes inside become spaces; a field goes before");
    free(q);
    q = nidx_query_quote("title", "CD:UK returns");
    CHECK_STR(ids(s, q, NULL, &err), "cd-uk", "a quoted title: field phrase");
    free(q);
}

static void test_error_position(nidx_searcher_t *s)
{
    nidx_error_t err;
    ids(s, "drones CD:UK", NULL, &err);
    CHECK(err.status == NIDX_ERROR_QUERY && err.position == 8,
          "an unknown field: its position as a field (%u)", err.position);
    ids(s, "Дрон \"без конца", NULL, &err);
    CHECK(err.status == NIDX_ERROR_QUERY && err.position == 6,
          "positions count characters, not bytes (%u)", err.position);
    ids(s, "drones", NULL, &err);
    nidx_article_t *a;
    nidx_searcher_find_article(s, "none", &a, &err);
    CHECK(err.position == 0, "other errors have no position");
}

static void test_totals(nidx_searcher_t *s)
{
    nidx_search_options_t o;
    nidx_results_t *r;
    nidx_error_t err;
    nidx_search_options_init(&o);
    o.offset = 50;
    CHECK(nidx_search(s, "bayraktar", &o, &r, &err) == NIDX_OK,
          "a page past the last hit");
    CHECK(nidx_results_count(r) == 0 && nidx_results_total(r) == 3 &&
              nidx_results_total_exact(r),
          "past the last hit: no hits, the exact total (%llu), not the "
          "offset",
          (unsigned long long)nidx_results_total(r));
    nidx_results_free(r);
    nidx_search_options_init(&o);
    o.limit = 1;
    nidx_search(s, "bayraktar", &o, &r, &err);
    CHECK(nidx_results_total(r) >= 1 && nidx_results_cut(r) == NIDX_CUT_NONE,
          "a full page: an estimate at least its hits, not cut");
    nidx_results_free(r);
}

/* ---- cancelling from another thread ---- */

typedef struct canceller {
    nidx_searcher_t *s;
    int stop;
} canceller_t;

static void *cancel_often(void *arg)
{
    canceller_t *c = arg;
    while (!__atomic_load_n(&c->stop, __ATOMIC_RELAXED))
        nidx_searcher_cancel(c->s);
    return NULL;
}

static void test_cancel(nidx_searcher_t *s)
{
    nidx_results_t *r;
    nidx_error_t err;
    nidx_searcher_cancel(s); /* no search running: nothing happens */
    CHECK(nidx_search(s, "bayraktar", NULL, &r, &err) == NIDX_OK &&
              nidx_results_cut(r) == NIDX_CUT_NONE &&
              nidx_results_count(r) == 3,
          "a cancel with no search running does not touch the next one");
    nidx_results_free(r);
    /* A cancel that comes after two candidates (NIDX_TEST_CANCEL_AFTER
       stands for the other thread, through the same call): the search
       returns what it had, said as cancelled. */
    setenv("NIDX_TEST_CANCEL_AFTER", "2", 1);
    nidx_status_t st = nidx_search(s, "bayraktar OR drones", NULL, &r, &err);
    unsetenv("NIDX_TEST_CANCEL_AFTER");
    CHECK(st == NIDX_OK && nidx_results_cut(r) == NIDX_CUT_CANCELLED &&
              nidx_results_count(r) == 2 && !nidx_results_total_exact(r),
          "a search cancelled midway: its best hits so far, said as "
          "cancelled (%zu hits)",
          st == NIDX_OK ? nidx_results_count(r) : 0);
    char *json = NULL;
    CHECK(st == NIDX_OK && nidx_results_json(r, &json, NULL, &err) == NIDX_OK &&
              strstr(json, "\"cut\":\"cancelled\""),
          "its JSON says \"cut\":\"cancelled\"");
    free(json);
    if (st == NIDX_OK)
        nidx_results_free(r);
    CHECK(nidx_search(s, "bayraktar", NULL, &r, &err) == NIDX_OK &&
              nidx_results_cut(r) == NIDX_CUT_NONE &&
              nidx_results_count(r) == 3,
          "the next search is whole");
    nidx_results_free(r);
    /* Cancelled from another thread as often as it can run: every search
       still returns, cut or whole, never an error (how many are cut is
       the scheduler's business, not asserted). */
    canceller_t c = {s, 0};
    pthread_t t;
    pthread_create(&t, NULL, cancel_often, &c);
    int ok = 0;
    for (int i = 0; i < 200; i++) {
        if (nidx_search(s, "bayraktar OR drones", NULL, &r, &err) != NIDX_OK)
            continue;
        ok++;
        nidx_results_free(r);
    }
    __atomic_store_n(&c.stop, 1, __ATOMIC_RELAXED);
    pthread_join(t, NULL);
    CHECK(ok == 200,
          "searches cancelled from another thread return (%d of "
          "200 succeeded)",
          ok);
    nidx_searcher_cancel(NULL);
}

static void test_revisions(nidx_searcher_t *s)
{
    nidx_error_t err;
    bool changed = true;
    uint64_t before = nidx_searcher_revision(s);
    CHECK(before > 0, "a revision (%llu)", (unsigned long long)before);
    CHECK(nidx_searcher_changed(s, &changed, &err) == NIDX_OK && !changed,
          "unchanged while nothing is committed");
    nidx_writer_t *w;
    nidx_writer_open(dir, &w, &err);
    add(w, "late", "Late news", "Bayraktar again.", "2024-01-01", "Wire", "en",
        NULL);
    nidx_writer_commit(w, &err);
    CHECK(nidx_searcher_changed(s, &changed, &err) == NIDX_OK && changed,
          "changed once a writer commits");
    CHECK(nidx_searcher_revision(s) == before,
          "the searcher stays on its revision until it reopens");
    CHECK(nidx_searcher_article_count(s) == 5,
          "and sees the articles of its revision");
    nidx_searcher_reopen(s, &err);
    CHECK(nidx_searcher_revision(s) > before,
          "reopened: a newer revision (%llu)",
          (unsigned long long)nidx_searcher_revision(s));
    CHECK(nidx_searcher_changed(s, &changed, &err) == NIDX_OK && !changed,
          "and nothing newer");
    nidx_results_t *r;
    nidx_search(s, "late", NULL, &r, &err);
    CHECK(nidx_results_revision(r) == nidx_searcher_revision(s),
          "results tell the revision they come from");
    nidx_results_free(r);
    nidx_writer_close(w, &err);
}

static void test_json(nidx_searcher_t *s)
{
    nidx_search_options_t o;
    nidx_results_t *r;
    nidx_error_t err;
    char *json;
    nidx_search_options_init(&o);
    o.limit = 1;
    o.sort = NIDX_SORT_DATE_DESCENDING;
    o.facets = true;
    nidx_search(s, "\"with\"", &o, &r, &err);
    CHECK(nidx_results_json(r, &json, NULL, &err) == NIDX_OK,
          "results as JSON");
    CHECK(strstr(json, "\"title\":\"A title with <script>alert(1)</script>\""),
          "plain fields are plain text in JSON (the reader escapes them)");
    CHECK(strstr(json, "&lt;img src=x onerror=alert(1)&gt;") &&
              !strstr(json, "<img"),
          "the snippet is HTML-escaped");
    CHECK(strstr(json, "<b>with</b>"), "with its matches in <b>");
    CHECK(strstr(json, "\"facets\":{\"source\":"), "facets when asked for");
    CHECK(strstr(json, "\"suggestion\":null,\"total_exact\":") &&
              strstr(json, ",\"offset\":0,\"revision\":"),
          "the keys new in 0.2 at the end");
    free(json);
    nidx_results_free(r);
    CHECK(nidx_stats_json(s, &json, NULL, &err) == NIDX_OK &&
              strstr(json, "\"articles\":6,") &&
              strstr(json, "\"languages\":{\"en\":5,\"sr\":1}"),
          "statistics as JSON");
    free(json);
}

/* The text of a hit's first highlight. */
static const char *first_highlight(const nidx_hit_t *h)
{
    static char out[128];
    out[0] = '\0';
    if (h->n_highlights) {
        size_t n = h->highlights[0].end - h->highlights[0].start;
        n = n < sizeof out - 1 ? n : sizeof out - 1;
        memcpy(out, h->snippet + h->highlights[0].start, n);
        out[n] = '\0';
    }
    return out;
}

/* Hits that matched a word only through another spelling of a name say
   which words; their snippets highlight the spelling the article uses. */
static void test_transliterated(void)
{
    char names[] = "/tmp/nidx-test-names-XXXXXX";
    nidx_writer_t *w;
    nidx_searcher_t *s;
    nidx_results_t *r;
    nidx_search_options_t o;
    nidx_error_t err;
    if (!mkdtemp(names) || nidx_writer_open(names, &w, &err) != NIDX_OK)
        return;
    add(w, "t-en", "Talks", "President Erdogan spoke about trade in Ankara.",
        NULL, NULL, "en", NULL);
    add(w, "t-el", "Συνομιλίες",
        "Ο πρόεδρος Ερντογάν μίλησε στη Θεσσαλονίκη για τα λιμάνια.", NULL,
        NULL, "el", NULL);
    nidx_writer_close(w, &err);
    if (nidx_searcher_open(names, &s, &err) != NIDX_OK)
        return;
    nidx_search_options_init(&o);
    CHECK(nidx_search(s, "Erdogan trade", &o, &r, &err) == NIDX_OK &&
              nidx_results_count(r) == 2,
          "a Latin name finds its Greek spelling");
    const nidx_hit_t *en = nidx_results_hit(r, 0), *el = nidx_results_hit(r, 1);
    CHECK(en && !strcmp(en->article.id, "t-en") && en->n_transliterated == 0,
          "the spelling as typed first, not flagged");
    CHECK(el && el->n_transliterated == 1 &&
              !strcmp(el->transliterated[0], "Erdogan"),
          "the Greek hit names the word it matched through another "
          "spelling, as typed");
    CHECK_STR(el ? first_highlight(el) : "", "Ερντογάν",
              "its snippet highlights the Greek spelling");
    char *json = NULL;
    CHECK(nidx_results_json(r, &json, NULL, &err) == NIDX_OK &&
              strstr(json, "\"transliterated\":[\"Erdogan\"]") &&
              strstr(json, "\"transliterated\":[]"),
          "the JSON says which hits matched only through a transliteration");
    free(json);
    nidx_results_free(r);
    o.exact_script = true;
    CHECK_STR(ids(s, "Erdogan", &o, &err), "t-en",
              "exact_script: the typed script only");
    nidx_searcher_close(s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", names);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", names);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    build();
    nidx_searcher_t *s;
    nidx_error_t err;
    if (nidx_searcher_open(dir, &s, &err) != NIDX_OK) {
        printf("# searcher: %s\n", err.message);
        return 1;
    }
    test_version();
    test_options(s);
    test_article(s);
    test_filters(s);
    test_quote(s);
    test_error_position(s);
    test_totals(s);
    test_cancel(s);
    test_revisions(s);
    test_json(s);
    test_transliterated();
    nidx_searcher_close(s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
    return tap_done();
}
