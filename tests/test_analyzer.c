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

static void append(collected_t *c, const char *prefix, const char *s, size_t n)
{
    if (!s || c->len + n + 2 >= sizeof c->buf)
        return;
    if (prefix)
        c->buf[c->len++] = *prefix;
    memcpy(c->buf + c->len, s, n);
    c->len += n;
    c->buf[c->len] = '\0';
}

/* Joins tokens with '|', each as term[=exact][+split][~stem], and checks
   that each token's offsets lie inside the text at UTF-8 boundaries. */
static int collect(void *context, const token_t *t)
{
    collected_t *c = context;
    append(c, c->len ? "|" : NULL, t->term, t->term_len);
    append(c, "=", t->exact, t->exact_len);
    append(c, "+", t->split, t->split_len);
    append(c, "~", t->stem, t->stem_len);
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

/* Language (NULL: none), text in, tokens out (see collect()). */
static const struct {
    const char *lang, *text, *want;
} golden[] = {
    {NULL, "Serbia weighs the Bayraktar TB2",
     "serbia|weighs|the|bayraktar|tb2"},
    {NULL, "Don't stop: U.S. drones, 3.14 and 1,000.",
     "don't+don|stop|u.s|drones|3.14|and|1,000"},
    {NULL, "e-mail foo_bar x:y john@example.com",
     "e|mail|foo_bar|x|y|john@example.com"},
    {NULL, "CH-92A drones (2020)", "ch|92a|drones|2020"},
    {NULL, "...!!!", ""},
    {NULL, "ＡＢＣ１２３ ｔｂ２", "abc123|tb2"},
    {NULL, "Bayraktar-ის Сербия2021 TB2型", "bayraktar|ის|сербия2021|tb2|型"},
    {NULL, "٢٠٢١ and ２０２１", "٢٠٢١|and|2021"},
    {NULL, "drones 🚀 fly", "drones|fly"},
    {NULL, "ﬁnance ﬂight ㎞", "finance|flight"},
    {"en", "Serbia's elections: the candidates were running",
     "serbia's+serbia|elections~elect|the|candidates~candid|were|running~run"},
    {"en", "The ministers’ meetings continued",
     "the|ministers~minist|meetings~meet|continued~continu"},
    {"en", "naïve café résumé", "naive=naïve~naiv|cafe=café|resume=résumé"},
    {"en", "Drones, drone, DRONES", "drones~drone|drone|drones~drone"},
    {"de", "Straße MÜNCHEN Größe",
     "strasse~strass|munchen=münchen~munch|grosse=grösse~gross"},
    {"de", "Die Bundesregierung prüft Käufe von Drohnen",
     "die|bundesregierung~bundesregier|pruft=prüft|kaufe=käufe~kauf|von|"
     "drohnen~drohn"},
    {"de", "Häuser Häusern Haus",
     "hauser=häuser~haus|hausern=häusern~haus|haus"},
    {"fr", "l'Élysée à Paris", "l'elysee=l'élysée+elysee~elyse|a=à|paris"},
    {"fr", "L’Europe s’inquiète d’une guerre",
     "l'europe=l’europe+europe~europ|s'inquiete=s’inquiète+inquiete~inquiet|d'"
     "une=d’une+une|guerre~guerr"},
    {"fr", "Les élections présidentielles françaises",
     "les~le|elections=élections~elect|presidentielles=présidentielles~"
     "presidentiel|francaises=françaises~francais"},
    {"fr", "jusqu'à lorsqu'il qu'on",
     "jusqu'a=jusqu'à+a|lorsqu'il+il|qu'on+on"},
    {"es", "La elección de los candidatos españoles",
     "la|eleccion=elección|de|los|candidatos~candidat|espanoles=españoles~"
     "espanol"},
    {"es", "Málaga, Córdoba y León",
     "malaga=málaga~malag|cordoba=córdoba~cordob|y|leon=león"},
    {"it", "dell'Unione europea nell'anno",
     "dell'unione+unione~union|europea~europe|nell'anno+anno"},
    {"it", "le elezioni italiane", "le|elezioni~elezion|italiane~italian"},
    {"pt", "As eleições em São Paulo",
     "as|eleicoes=eleições~eleico|em|sao=são~sa|paulo~paul"},
    {"ca", "d'Ucraïna i l'Europa",
     "d'ucraina=d'ucraïna+ucraina~ucr|i|l'europa+europa~europ"},
    {"nl", "De verkiezingen in Nederland",
     "de|verkiezingen~verkiez|in|nederland"},
    {"sv", "Valet i Sverige, Göteborg och Malmö",
     "valet|i|sverige~sver|goteborg=göteborg|och|malmo=malmö"},
    {"da", "Valget i Danmark og Århus", "valget~valg|i|danmark|og|arhus=århus"},
    {"no", "Valget i Norge og Tromsø",
     "valget~valg|i|norge~norg|og|tromso=tromsø"},
    {"fi", "Vaalit Suomessa ja Hämeenlinnassa",
     "vaalit~vaali|suomessa~suome|ja|hameenlinnassa=hämeenlinnassa~hameenlin"},
    {"hu", "A választások Magyarországon",
     "a|valasztasok=választások~valasztas|magyarorszagon=magyarországon~"
     "magyarorszag"},
    {"ro", "Alegerile din România și Timișoara",
     "alegerile~aleger|din|romania=românia~roman|si=și|timisoara=timișoara~"
     "timisoar"},
    {"pl", "Wybory w Polsce i Łódź", "wybory|w|polsce|i|lodz=łódź"},
    {"cs", "Volby v České republice", "volby|v|ceske=české|republice"},
    {"hr", "Izbori u Hrvatskoj i Đakovo", "izbori|u|hrvatskoj|i|dakovo=đakovo"},
    {"tr", "Türkiye'nin BAYKAR şirketi",
     "turkiye'nin=türkiye'nin+turkiye~turki|baykar|sirketi=şirketi~sirket"},
    {"tr", "Ankara'nın AKP'nin İzmir'deki IŞIK",
     "ankara'nin=ankara'nın+ankara~ankar|akp'nin+akp|izmir'deki=i̇zmir'deki+"
     "izmir|isik=işik"},
    {"tr", "İstanbul ISPARTA ılık",
     "istanbul=i̇stanbul|isparta~ispar|ilik=ılık"},
    {"az", "Azərbaycan İlham Əliyev", "azərbaycan|ilham=i̇lham|əliyev"},
    {"ru", "Москва и Сербия, 2021 год", "москва~москв|и|сербия~серб|2021|год"},
    {"ru", "Москве Москва ёлка йогурт",
     "москве~москв|москва~москв|елка=ёлка~елк|йогурт"},
    {"ru", "Выборы президента России",
     "выборы~выбор|президента~президент|россии~росс"},
    {"uk", "Україна купує дрони", "україна|купує|дрони"},
    {"uk", "п’ять м'ясо пʼять Київ", "п'ять=п’ять|м'ясо|п'ять=пʼять|київ"},
    {"be", "Беларусь і Мінск ў", "беларусь|і|мінск|ў"},
    {"kk", "Қазақстан Байрақтар сатып алады",
     "қазақстан|байрақтар|сатып|алады"},
    {"bg", "България и София", "българия|и|софия"},
    {"mk", "Македонија и Скопје", "македонија|и|скопје"},
    {"sr", "Србија и Шабац", "srbija=србија|i=и|sabac=шабац"},
    {"sr", "Srbija i Šabac", "srbija|i|sabac=šabac"},
    {"sr", "Ђурђевдан у Нишу, Љубљана и Џеп",
     "durdevdan=ђурђевдан|u=у|nisu=нишу|ljubljana=љубљана|i=и|dzep=џеп"},
    {"el", "Η Ελλάδα ΑΘΗΝΑ", "η|ελλαδα=ελλάδα|αθηνα"},
    {"el", "Οι εκλογές στην Ελλάδα, ΟΔΟΣ",
     "οι|εκλογεσ=εκλογέσ|στην|ελλαδα=ελλάδα|οδοσ"},
    {"ar", "صربيا تشتري طائرات", "صربيا~صربي|تشتري~تشتر|طايرات=طائرات~طايرا"},
    {"ar", "الطَّائِرَاتُ المُسَيَّرَة", "الطايرات=الطَّائِرَاتُ~طاير|المسيره=المُسَيَّرَة~مسير"},
    {"ar", "أحمد إبراهيم آمال مكتبة مستشفى",
     "احمد=أحمد|ابراهيم=إبراهيم|امال=آمال|مكتبه=مكتبة~مكتب|مستشفي=مستشفى"},
    {"ar", "كتـــاب", "كتاب=كتـــاب"},
    {"fa", "ایران و تهران", "ايران=ایران|و|تهران"},
    {"ku", "کوردستان و هەولێر", "كوردستان=کوردستان|و|هەولێر"},
    {"he", "ישראל וטורקיה", "ישראל|וטורקיה"},
    {"he", "שָׁלוֹם עוֹלָם", "שלום=שָׁלוֹם|עולם=עוֹלָם"},
    {"hi", "भारत और तुर्की", "भारत|और|तुर्की"},
    {"hi", "क़ानून क़ानून", "क़ानून|क़ानून"},
    {"ne", "नेपाल र काठमाडौं", "नेपाल|र|काठमाडौं"},
    {"bn", "বাংলাদেশ ও ঢাকা", "বাংলাদেশ|ও|ঢাকা"},
    {"ta", "தமிழ்நாடு சென்னை", "தமிழ்நாடு|சென்னை~சென்"},
    {"zh", "塞尔维亚国防部", "塞尔维亚|国防|部"},
    {"zh", "國防部 國防部長", "国防|部|国防|部长"},
    {"zh", "中华人民共和国成立", "中华|人民|共和国|成立"},
    {"ja", "東京でドローン", "东京|で|ド|ローン"},
    {"ja", "ｶﾀｶﾅ カタカナ", "カタカナ|カタカナ"},
    {"ja", "日本の首相が発表した", "日本|の|首相|が|発表|した"},
    {"ko", "서울에서 드론을", "서울에서+서울|드론을+드론"},
    {"ko", "서울 서울의 서울에서는 사과",
     "서울|서울의+서울|서울에서는+서울|사과"},
    {"th", "ประเทศไทยซื้อโดรน", "ประเทศไทย|ซื้อ|โด|รน"},
    {"th", "กรุงเทพมหานคร", "กรุงเทพมหานคร"},
    {"lo", "ປະເທດລາວ", "ປະເທດ|ລາວ"},
    {"km", "ប្រទេសកម្ពុជា", "ប្រទេស|កម្ពុជា"},
    {"my", "မြန်မာနိုင်ငံ", "မြန်မာနိုင်ငံ"},
    {"vi", "Việt Nam và Hà Nội", "viet=việt|nam|va=và|ha=hà|noi=nội"},
    {"id", "Pemilihan umum di Indonesia", "pemilihan~pilih|umum|di|indonesia"},
    {"sw", "Uchaguzi wa Kenya na Tanzania", "uchaguzi|wa|kenya|na|tanzania"},
    {"ha", "Zaɓen Najeriya", "zaɓen|najeriya"},
    {"yo", "Ìdìbò ní Nàìjíríà", "idibo=ìdìbò|ni=ní|naijiria=nàìjíríà"},
    {"am", "ኢትዮጵያ እና አዲስ አበባ", "ኢትዮጵያ|እና|አዲስ|አበባ"},
    {"hy", "Հայաստան և Երևան", "հայաստան~հայաստ|եւ|երեւան~երեւ"},
    {"ka", "საქართველო და თბილისი", "საქართველო|და|თბილისი"},
    {"is", "Kosningar á Íslandi og Þórshöfn",
     "kosningar|a=á|islandi=íslandi|og|thorshofn=þórshöfn"},
    {"ga", "Toghchán na hÉireann", "toghchan=toghchán|na|heireann=héireann"},
    {"eu", "Euskal Herriko hauteskundeak",
     "euskal|herriko~herri|hauteskundeak~hauteskunde"},
};

static void test_golden(analyzer_t *an)
{
    for (size_t i = 0; i < sizeof golden / sizeof golden[0]; i++) {
        int offsets_ok = 0;
        analyzer_set_language(an, golden[i].lang);
        CHECK_STR(terms(an, golden[i].text, &offsets_ok), golden[i].want,
                  "golden %s: %s", golden[i].lang ? golden[i].lang : "-",
                  golden[i].text);
        CHECK(offsets_ok, "offsets at UTF-8 boundaries: %s", golden[i].text);
    }
    analyzer_set_language(an, NULL);
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

/* Queries stem a word as articles in each language would. A fresh
   analyzer: its stem caches are empty, as in a new nsearch. */
static void test_query_stems(void)
{
    analyzer_t *an = analyzer_new(NULL);
    static const struct {
        const char *lang, *term, *exact, *split, *want; /* want NULL: none */
    } cases[] = {
        {"fr", "elections", "élections", NULL, "elect"},
        {"de", "hauser", "häuser", NULL, "haus"},
        {"ru", "елка", "ёлка", NULL, "елк"},
        {"tr", "izmir'deki", "i\xcc\x87zmir'deki", "izmir", NULL},
        {"tr", "turkiye'nin", "türkiye'nin", "turkiye", "turki"},
        {"en", "drone", NULL, NULL, NULL},
        {"en", "drones", NULL, NULL, "drone"},
        {"sr", "sabac", "šabac", NULL, NULL},
        {"xx", "drones", NULL, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* A stale length equal to the term's once made a word without a
           stem compare a NULL stem with the term. */
        size_t len = strlen(cases[i].term);
        const char *stem = analyzer_stem(an, cases[i].lang, cases[i].term,
                                         cases[i].exact, cases[i].split, &len);
        char got[64] = "(none)";
        if (stem)
            snprintf(got, sizeof got, "%.*s", (int)len, stem);
        CHECK_STR(got, cases[i].want ? cases[i].want : "(none)",
                  "query stem %s: %s", cases[i].lang, cases[i].term);
    }
    analyzer_free(an);
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
    test_query_stems();
    test_long_words(an);
    analyzer_free(an);
    analyzer_free(icu);
    return tap_done();
}
