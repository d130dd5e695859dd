/*
 * test_analyzer.c — golden tables for the analyzer over many scripts, and
 * the ASCII fast path checked against ICU on the same text.
 */
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "tap.h"

typedef struct collected {
    char buf[4096];
    size_t len;
    const char *text;
    int offsets_ok;
} collected_t;

/* Joins terms with '|' and checks that each token's offsets lie inside
   the text at UTF-8 boundaries. */
static int collect(void *context, const token_t *t)
{
    collected_t *c = context;
    if (c->len)
        c->buf[c->len++] = '|';
    memcpy(c->buf + c->len, t->term, t->term_len);
    c->len += t->term_len;
    c->buf[c->len] = '\0';
    size_t n = strlen(c->text);
    if (t->start >= t->end || t->end > n ||
        (((unsigned char)c->text[t->start]) & 0xC0) == 0x80 ||
        (t->end < n && (((unsigned char)c->text[t->end]) & 0xC0) == 0x80))
        c->offsets_ok = 0;
    return 0;
}

static const char *terms(analyzer_t *an, const char *text, int *offsets_ok)
{
    static collected_t c;
    c.len = 0;
    c.buf[0] = '\0';
    c.text = text;
    c.offsets_ok = 1;
    nidx_error_t err;
    if (analyzer_run(an, text, strlen(text), 0, collect, &c, NULL, &err) !=
        NIDX_OK)
        return "<error>";
    if (offsets_ok)
        *offsets_ok = c.offsets_ok;
    return c.buf;
}

/* Text in, terms out (joined by '|'). */
static const struct {
    const char *lang, *text, *want;
} golden[] = {
    {"en", "Serbia weighs the Bayraktar TB2",
     "serbia|weighs|the|bayraktar|tb2"},
    {"en", "Don't stop: U.S. drones, 3.14 and 1,000.",
     "don't|stop|u.s|drones|3.14|and|1,000"},
    {"en", "e-mail foo_bar x:y", "e|mail|foo_bar|x|y"},
    {"en", "CH-92A drones (2020)", "ch|92a|drones|2020"},
    {"en", "  \t\n  ", ""},
    {"en", "...!!!", ""},
    {"de", "Straße MÜNCHEN Größe", "strasse|münchen|grösse"},
    {"fr", "l'Élysée à Paris", "l'élysée|à|paris"},
    {"tr", "Türkiye'nin BAYKAR şirketi", "türkiye'nin|baykar|şirketi"},
    {"ru", "Москва и Сербия, 2021 год", "москва|и|сербия|2021|год"},
    {"uk", "Україна купує дрони", "україна|купує|дрони"},
    {"kk", "Қазақстан Байрақтар сатып алады",
     "қазақстан|байрақтар|сатып|алады"},
    {"sr-Cyrl", "Србија и Шабац", "србија|и|шабац"},
    {"sr-Latn", "Srbija i Šabac", "srbija|i|šabac"},
    {"el", "Η Ελλάδα ΑΘΗΝΑ", "η|ελλάδα|αθηνα"},
    {"ar", "صربيا تشتري طائرات", "صربيا|تشتري|طائرات"},
    {"he", "ישראל וטורקיה", "ישראל|וטורקיה"},
    {"hi", "भारत और तुर्की", "भारत|और|तुर्की"},
    {"zh", "塞尔维亚国防部", "塞尔维亚|国防|部"},
    {"ja", "東京でドローン", "東京|で|ド|ローン"},
    {"ko", "서울에서 드론을", "서울에서|드론을"},
    {"th", "ประเทศไทยซื้อโดรน", "ประเทศไทย|ซื้อ|โด|รน"},
    {"fullwidth", "ＡＢＣ１２３ ｔｂ２", "abc123|tb2"},
    {"mixed", "Bayraktar-ის Сербия2021 TB2型",
     "bayraktar|ის|сербия2021|tb2|型"},
    {"numbers", "٢٠٢١ and ２０２１", "٢٠٢١|and|2021"},
    {"emoji", "drones 🚀 fly", "drones|fly"},
    {"ligature", "ﬁnance ﬂight", "finance|flight"},
};

static void test_golden(analyzer_t *an)
{
    for (size_t i = 0; i < sizeof golden / sizeof golden[0]; i++) {
        int offsets_ok = 0;
        CHECK_STR(terms(an, golden[i].text, &offsets_ok), golden[i].want,
                  "golden %s: %s", golden[i].lang, golden[i].text);
        CHECK(offsets_ok, "offsets at UTF-8 boundaries: %s", golden[i].text);
    }
}

/* Positions count words, offsets point at the original bytes. */
static int check_positions(void *context, const token_t *t)
{
    int *ok = context;
    static const size_t starts[] = {0, 7, 15};
    if (t->position != 10 + (uint32_t)(ok[1]) || t->start != starts[ok[1]])
        ok[0] = 0;
    ok[1]++;
    return 0;
}

static void test_positions(analyzer_t *an)
{
    int ok[2] = {1, 0};
    uint32_t next = 0;
    const char *text = "Hello, Wörld! again";
    analyzer_run(an, text, strlen(text), 10, check_positions, ok, &next, NULL);
    CHECK(ok[0] && ok[1] == 3, "positions and byte offsets of tokens");
    CHECK(next == 13, "next position follows the last token");
}

/*
 * Random strings over `alphabet` (UTF-8 characters separated by '|'),
 * segmented by the normal analyzer and by ICU alone: the fast path and the
 * splitting into ASCII and ICU runs must not change any token.
 */
static void compare_with_icu(analyzer_t *fast, analyzer_t *icu,
                             const char *alphabet, size_t max_chars,
                             const char *what)
{
    const char *chars[64];
    size_t n_chars = 0;
    static char copy[256];
    strcpy(copy, alphabet);
    for (char *p = strtok(copy, "|"); p; p = strtok(NULL, "|"))
        chars[n_chars++] = p;
    unsigned seed = 12345;
    int mismatches = 0;
    char first_bad[200] = "";
    for (int round = 0; round < 20000; round++) {
        char text[1024] = "";
        seed = seed * 1103515245u + 12345u;
        size_t n = 1 + (seed >> 16) % max_chars;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            strcat(text, chars[(seed >> 16) % n_chars]);
        }
        char a[4200];
        strcpy(a, terms(fast, text, NULL));
        const char *b = terms(icu, text, NULL);
        if (strcmp(a, b) != 0 && !mismatches++)
            snprintf(first_bad, sizeof first_bad, "[%.60s]: [%.40s] vs [%.40s]",
                     text, a, b);
    }
    CHECK(mismatches == 0, "analyzer agrees with ICU alone on 20000 %s", what);
    if (mismatches)
        printf("#   %d mismatches; first %s\n", mismatches, first_bad);
}

static void test_long_words(analyzer_t *an)
{
    char text[400];
    memset(text, 'x', 300);
    strcpy(text + 300, " short");
    CHECK_STR(terms(an, text, NULL), "short",
              "words longer than ANALYZER_MAX_TERM are not indexed");
}

int main(void)
{
    nidx_error_t err;
    analyzer_t *an = analyzer_new(&err), *icu = analyzer_new(&err);
    CHECK(an && icu, "analyzer_new");
    if (!an || !icu)
        return tap_done();
    analyzer_force_icu(icu, 1);
    test_golden(an);
    test_positions(an);
    compare_with_icu(an, icu, "a|Z|0|9|_|.|,|;|:|'|\"|-|@| |\t|/", 12,
                     "short ASCII strings");
    compare_with_icu(an, icu,
                     "a|b|1|.|'|,| | | |\n|é|ж|Ж|中|国|ไทย|-|_|:|\xcc\x81", 200,
                     "long mixed-script strings");
    test_long_words(an);
    analyzer_free(an);
    analyzer_free(icu);
    return tap_done();
}
