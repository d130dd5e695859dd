/* test_document.c — stored fields, id terms, dates and UTF-8 repair. */
#include <stdlib.h>
#include <string.h>

#include "document.h"
#include "tap.h"
#include "utf8.h"

static void test_dates(void)
{
    static const struct {
        const char *in, *want; /* want NULL: not a date */
    } cases[] = {
        {"2021", "2021"},
        {"2021-06", "2021-06"},
        {"2021-06-03", "2021-06-03"},
        {"20210603", "2021-06-03"},
        {"2021-06-03T10:15:00Z", "2021-06-03"},
        {"2021-06-03T23:59:59+09:00", "2021-06-03"},
        {"2021-06-03 10:15", "2021-06-03"},
        {"2021-06-03T10:15:00.123-05:00", "2021-06-03"},
        {" 2021-06-03 ", "2021-06-03"},
        {"2020-02-29", "2020-02-29"},
        {"2021-02-29", NULL},
        {"2021-13", NULL},
        {"2021-00-10", NULL},
        {"2021-06-31", NULL},
        {"21-06-03", NULL},
        {"June 3, 2021", NULL},
        {"2021-06T10:00", NULL},
        {"2021-06-03Tnoon", NULL},
        {"", NULL},
        {"yesterday", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[11];
        bool ok = document_normalize_date(cases[i].in, out);
        if (cases[i].want)
            CHECK(ok && strcmp(out, cases[i].want) == 0, "date '%s' -> %s",
                  cases[i].in, cases[i].want);
        else
            CHECK(!ok, "date '%s' is rejected", cases[i].in);
    }
}

static void test_round_trip(void)
{
    nidx_article_t a = {"id-1", "Title", "", "2021", NULL, "sr", "http://x"};
    size_t len;
    char *data = document_encode(&a, &len);
    document_t d;
    CHECK(data && document_decode(data, len, &d), "encode then decode");
    CHECK_STR(d.article.id, "id-1", "id survives");
    CHECK_STR(d.article.title, "Title", "title survives");
    CHECK_STR(d.article.body, "", "an empty body stays empty, not NULL");
    CHECK(d.article.source == NULL, "a NULL field stays NULL");
    CHECK_STR(d.article.url, "http://x", "url survives");
    document_free(&d);
    CHECK(!document_decode(data, len - 3, &d), "truncated data is rejected");
    free(data);
}

static void test_id_terms(void)
{
    char a[DOCUMENT_ID_TERM_MAX + 1], b[DOCUMENT_ID_TERM_MAX + 1];
    CHECK(document_id_term("abc", a) == 4 && strcmp(a, "Qabc") == 0,
          "short ids are kept whole");
    char long1[1000], long2[1000];
    memset(long1, 'x', 999);
    long1[999] = '\0';
    strcpy(long2, long1);
    long2[998] = 'y';
    size_t n1 = document_id_term(long1, a), n2 = document_id_term(long2, b);
    CHECK(n1 <= DOCUMENT_ID_TERM_MAX && n2 <= DOCUMENT_ID_TERM_MAX,
          "long ids fit in a term");
    CHECK(strcmp(a, b) != 0, "long ids differing at the end stay distinct");
}

static void test_utf8(void)
{
    size_t bad = 0;
    char *s = utf8_repair("ok \xC3\xA9 \xFF x \xE2\x82", 12, &bad);
    CHECK_STR(s, "ok \xC3\xA9 \xEF\xBF\xBD x \xEF\xBF\xBD\xEF\xBF\xBD",
              "invalid bytes become U+FFFD");
    CHECK(bad == 3, "invalid bytes are counted (%zu)", bad);
    free(s);
    CHECK(utf8_valid_prefix("\xED\xA0\x80", 3) == 0, "surrogates invalid");
    CHECK(utf8_valid_prefix("\xC0\xAF", 2) == 0, "overlong forms invalid");
    CHECK(utf8_valid_prefix("\xF4\x90\x80\x80", 4) == 0,
          "code points above U+10FFFF invalid");
    CHECK(utf8_valid_prefix("\xF0\x9F\x9A\x80 ok", 7) == 7,
          "4-byte sequences valid");
}

int main(void)
{
    test_dates();
    test_round_trip();
    test_id_terms();
    test_utf8();
    return tap_done();
}
