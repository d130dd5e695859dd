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
    {NULL, "٢٠٢١ and ２０２１", "2021=٢٠٢١|and|2021"},
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
    {"ja", "東京でドローン", "東京|で|ド|ローン"},
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
    {"en", "running runners ran", "running~run|runners~runner|ran"},
    {"en", "The election's results",
     "the|election's+election~elect|results~result"},
    {"en", "houses housing housed", "houses~hous|housing~hous|housed~hous"},
    {"en", "Mr. Smith's company, Inc.", "mr|smith's+smith|company~compani|inc"},
    {"en", "co-operation re-election", "co|operation~oper|re|election~elect"},
    {"en", "it's isn't won't", "it's+it|isn't+isn|won't+won"},
    {"en", "O'Neill and McDonald's", "o'neill~o'neil|and|mcdonald's+mcdonald"},
    {"en", "3rd 21st 1990s", "3rd|21st|1990s"},
    {"en", "COVID-19 pandemic", "covid|19|pandemic~pandem"},
    {"en", "e.g. i.e. etc.", "e.g|i.e|etc"},
    {"en", "U.K. U.S.A. N.A.T.O.", "u.k|u.s.a|n.a.t.o"},
    {"en", "$100 €50 £20 ¥1000", "100|50|20|1000"},
    {"en", "50% 3.5% 1,234,567", "50|3.5|1,234,567"},
    {"en", "rock'n'roll", "rock'n'roll+rock"},
    {"en", "naïveté coöperate", "naivete=naïveté|cooperate=coöperate~cooper"},
    {"de", "Fußball Straßenbahn", "fussball|strassenbahn"},
    {"de", "Bürgermeisterin Bürgermeister",
     "burgermeisterin=bürgermeisterin|burgermeister=bürgermeister~burgermeist"},
    {"de", "Öl Ärger Übung", "ol=öl|arger=ärger~arg|ubung=übung"},
    {"de", "Zusammenarbeit zusammenarbeiten",
     "zusammenarbeit|zusammenarbeiten~zusammenarbeit"},
    {"de", "Häuser Hauses", "hauser=häuser~haus|hauses~haus"},
    {"de", "Deutschlands Deutschland", "deutschlands~deutschland|deutschland"},
    {"de", "Kölner Dom", "kolner=kölner~koln|dom"},
    {"de", "GROSSE große", "grosse~gross|grosse~gross"},
    {"fr", "Élections législatives",
     "elections=élections~elect|legislatives=législatives~legisl"},
    {"fr", "l'hôpital d'Orléans",
     "l'hopital=l'hôpital+hopital|d'orleans=d'orléans+orleans~orlean"},
    {"fr", "qu'il jusqu'au aujourd'hui",
     "qu'il+il|jusqu'au+au|aujourd'hui+aujourd"},
    {"fr", "Noël, Maïs, Ève", "noel=noël|mais=maïs~mai|eve=ève"},
    {"fr", "français françaises",
     "francais=français~franc|francaises=françaises~francais"},
    {"fr", "œuvre cœur", "oeuvre=œuvre~oeuvr|coeur=cœur"},
    {"fr", "garçon façade", "garcon=garçon|facade=façade~facad"},
    {"fr", "économie économique",
     "economie=économie~econom|economique=économique~econom"},
    {"es", "niños niño", "ninos=niños~nin|nino=niño~nin"},
    {"es", "año años", "ano=año|anos=años"},
    {"es", "pingüino Güell", "pinguino=pingüino~pinguin|guell=güell"},
    {"es", "corazón corazones", "corazon=corazón|corazones~corazon"},
    {"es", "España españoles",
     "espana=españa~espan|espanoles=españoles~espanol"},
    {"es", "¿Dónde está? ¡Hola!", "donde=dónde~dond|esta=está|hola~hol"},
    {"it", "perché città università",
     "perche=perché~perc|citta=città~citt|universita=università~univers"},
    {"it", "dell'economia all'estero",
     "dell'economia+economia~econom|all'estero+estero~ester"},
    {"it", "l'Italia nell'Unione",
     "l'italia+italia~ital|nell'unione+unione~union"},
    {"it", "governo governi", "governo~govern|governi~govern"},
    {"pt", "ação ações", "acao=ação~aca|acoes=ações~aco"},
    {"pt", "coração corações",
     "coracao=coração~coraca|coracoes=corações~coraco"},
    {"pt", "Brasil brasileiros", "brasil|brasileiros~brasileir"},
    {"pt", "pão mãe", "pao=pão~pa|mae=mãe~ma"},
    {"ca", "l'Ajuntament d'Andorra",
     "l'ajuntament+ajuntament~ajunt|d'andorra+andorra~andorr"},
    {"ca", "col·laboració il·legal",
     "col·laboracio=col·laboració~col.labor|il·legal~il.leg"},
    {"ca", "Barça Lleida", "barca=barça~barc|lleida~lleid"},
    {"nl", "verkiezingen verkiezing",
     "verkiezingen~verkiez|verkiezing~verkiez"},
    {"nl", "ziekenhuis ziekenhuizen", "ziekenhuis|ziekenhuizen~ziekenhuiz"},
    {"nl", "België Curaçao", "belgie=belgië|curacao=curaçao"},
    {"sv", "Åland Ängelholm Örebro",
     "aland=åland|angelholm=ängelholm|orebro=örebro"},
    {"sv", "regeringen regering", "regeringen~regering|regering"},
    {"da", "København Ærø", "kobenhavn=københavn|aero=ærø"},
    {"da", "regeringen regering", "regeringen~regering|regering"},
    {"no", "Tromsø Bodø", "tromso=tromsø|bodo=bodø"},
    {"fi", "Helsingissä Helsinki",
     "helsingissa=helsingissä~helsing|helsinki~helsink"},
    {"fi", "äänestys äänestykset",
     "aanestys=äänestys|aanestykset=äänestykset~aanestyks"},
    {"hu", "Győr Pécs Szeged", "gyor=győr|pecs=pécs|szeged~szeg"},
    {"hu", "választás választások",
     "valasztas=választás|valasztasok=választások~valasztas"},
    {"ro", "București Iași", "bucuresti=bucurești~bucurest|iasi=iași~ias"},
    {"ro", "alegeri alegerile", "alegeri~aleger|alegerile~aleger"},
    {"pl", "Kraków Gdańsk Łódź", "krakow=kraków|gdansk=gdańsk|lodz=łódź"},
    {"pl", "wybory wyborów", "wybory|wyborow=wyborów"},
    {"cs", "Praha Brno České Budějovice",
     "praha|brno|ceske=české|budejovice=budějovice"},
    {"cs", "volby voleb", "volby|voleb"},
    {"sk", "Bratislava Košice", "bratislava|kosice=košice"},
    {"hr", "Zagreb Split Rijeka Đakovo", "zagreb|split|rijeka|dakovo=đakovo"},
    {"sl", "Ljubljana Maribor", "ljubljana|maribor"},
    {"lt", "Vilnius Kaunas Šiauliai",
     "vilnius~viln|kaunas~kaun|siauliai=šiauliai~siaul"},
    {"lv", "Rīga Daugavpils", "riga=rīga|daugavpils"},
    {"et", "Tallinn Tartu Pärnu", "tallinn|tartu|parnu=pärnu"},
    {"is", "Reykjavík Akureyri Þingvellir",
     "reykjavik=reykjavík|akureyri|thingvellir=þingvellir"},
    {"ga", "Baile Átha Cliath", "baile|atha=átha|cliath"},
    {"eu", "Donostia Bilbo Gasteiz", "donostia~don|bilbo|gasteiz~gastei"},
    {"tr", "İstanbul'da Ankara'ya İzmir'den",
     "istanbul'da=i̇stanbul'da+istanbul|ankara'ya+ankara~ankar|izmir'den=i̇zmir'"
     "den+izmir"},
    {"tr", "ÇALIŞMA çalışmalar",
     "calisma=çalişma|calismalar=çalışmalar~calisma"},
    {"tr", "Iğdır Ağrı Muş", "igdir=iğdır|agri=ağrı|mus=muş"},
    {"tr", "seçim seçimler seçimde",
     "secim=seçim~sec|secimler=seçimler~secim|secimde=seçimde~sec"},
    {"tr", "Türkiye'deki TÜRKİYE",
     "turkiye'deki=türkiye'deki+turkiye~turki|turkiye=türki̇ye"},
    {"tr", "ışık IŞIK isik", "isik=ışık|isik=işik|isik"},
    {"tr", "Şırnak Çanakkale Gümüşhane",
     "sirnak=şırnak|canakkale=çanakkale|gumushane=gümüşhane~gumusha"},
    {"az", "Bakı Gəncə Sumqayıt", "baki=bakı|gəncə|sumqayit=sumqayıt"},
    {"az", "seçki seçkilər", "secki=seçki|seckilər=seçkilər"},
    {"ru", "Москва Москвы Москве Москвой",
     "москва~москв|москвы~москв|москве~москв|москвой~москв"},
    {"ru", "выборы выборах выборов",
     "выборы~выбор|выборах~выбор|выборов~выбор"},
    {"ru", "Ёлка ёлки елки", "елка=ёлка~елк|елки=ёлки~елк|елки~елк"},
    {"ru", "Санкт-Петербург", "санкт|петербург"},
    {"ru", "президент президента президенту",
     "президент|президента~президент|президенту~президент"},
    {"ru", "Россия России Российской",
     "россия~росс|россии~росс|российской~российск"},
    {"ru", "ВЫБОРЫ Выборы выборы", "выборы~выбор|выборы~выбор|выборы~выбор"},
    {"uk", "Київ Києва Києві", "київ|києва|києві"},
    {"uk", "Україна України Україні", "україна|україни|україні"},
    {"uk", "вибори виборів", "вибори|виборів"},
    {"uk", "м’ясо м'ясо мʼясо", "м'ясо=м’ясо|м'ясо|м'ясо=мʼясо"},
    {"uk", "їжак Їжак ґанок", "їжак|їжак|ґанок"},
    {"be", "Мінск Мінска", "мінск|мінска"},
    {"be", "Беларусь ўрад", "беларусь|ўрад"},
    {"bg", "София Пловдив Варна", "софия|пловдив|варна"},
    {"bg", "избори изборите", "избори|изборите"},
    {"mk", "Скопје Охрид Битола", "скопје|охрид|битола"},
    {"sr", "Београд Нови Сад Ниш", "beograd=београд|novi=нови|sad=сад|nis=ниш"},
    {"sr", "Шабац Шапца Шапцу", "sabac=шабац|sapca=шапца|sapcu=шапцу"},
    {"sr", "Ђорђе Ћирић Љиљана Њиве Џон",
     "dorde=ђорђе|ciric=ћирић|ljiljana=љиљана|njive=њиве|dzon=џон"},
    {"sr", "Beograd Novi Sad Niš", "beograd|novi|sad|nis=niš"},
    {"sr", "Đorđe Ćirić Ljiljana", "dorde=đorđe|ciric=ćirić|ljiljana"},
    {"kk", "Алматы Астана Шымкент", "алматы|астана|шымкент"},
    {"kk", "сайлау сайлауы", "сайлау|сайлауы"},
    {"kk", "Қазақстан Республикасы", "қазақстан|республикасы"},
    {"ky", "Бишкек Ош", "бишкек|ош"},
    {"mn", "Улаанбаатар Эрдэнэт", "улаанбаатар|эрдэнэт"},
    {"el", "Αθήνα Θεσσαλονίκη Πάτρα",
     "αθηνα=αθήνα|θεσσαλονικη=θεσσαλονίκη|πατρα=πάτρα"},
    {"el", "εκλογές ΕΚΛΟΓΕΣ Εκλογές",
     "εκλογεσ=εκλογέσ|εκλογεσ|εκλογεσ=εκλογέσ"},
    {"el", "Ελλάς Ἑλλάς", "ελλασ=ελλάσ|ελλασ=ἑλλάσ"},
    {"el", "ΚΥΒΕΡΝΗΣΗ κυβέρνηση", "κυβερνηση|κυβερνηση=κυβέρνηση"},
    {"el", "ϊ ΐ ΰ", "ι=ϊ|ι=ΐ|υ=ΰ"},
    {"hy", "Երևան Գյումրի", "երեւան~երեւ|գյումրի"},
    {"ka", "თბილისი ბათუმი", "თბილისი|ბათუმი"},
    {"ar", "القاهرة الإسكندرية",
     "القاهره=القاهرة~قاهر|الاسكندريه=الإسكندرية~اسكندر"},
    {"ar", "الانتخابات انتخابات", "الانتخابات~انتخاب|انتخابات~انتخابا"},
    {"ar", "مُحَمَّد محمد", "محمد=مُحَمَّد|محمد"},
    {"ar", "إسلام أسلمة آسيا", "اسلام=إسلام|اسلمه=أسلمة~اسلم|اسيا=آسيا~اسي"},
    {"ar", "مدرسة مدرسه", "مدرسه=مدرسة~مدرس|مدرسه~مدرس"},
    {"ar", "على علي", "علي=على|علي~عل"},
    {"ar", "جـــديد جديد", "جديد=جـــديد|جديد"},
    {"ar", "وزارة الخارجية", "وزاره=وزارة~زار|الخارجيه=الخارجية~خارج"},
    {"ar", "٢٠٢٢ ١٩٩٩", "2022=٢٠٢٢|1999=١٩٩٩"},
    {"fa", "تهران اصفهان", "تهران|اصفهان"},
    {"fa", "انتخابات ریاست جمهوری", "انتخابات|رياست=ریاست|جمهوري=جمهوری"},
    {"ur", "کراچی لاہور", "كراچي=کراچی|لاہور"},
    {"ku", "سلێمانی هەولێر", "سلێماني=سلێمانی|هەولێر"},
    {"he", "ירושלים תל אביב", "ירושלים|תל|אביב"},
    {"he", "הַבַּיִת הבית", "הבית=הַבַּיִת|הבית"},
    {"he", "בחירות לכנסת", "בחירות|לכנסת"},
    {"he", "צה\"ל", "צה\"ל"},
    {"yi", "ייִדיש", "יידיש=ייִדיש"},
    {"hi", "नई दिल्ली मुंबई", "नई|दिल्ली|मुंबई"},
    {"hi", "चुनाव चुनावों", "चुनाव|चुनावों"},
    {"hi", "ज़िला जिला", "ज़िला|जिला"},
    {"hi", "फ़िल्म फिल्म", "फ़िल्म|फिल्म"},
    {"mr", "मुंबई पुणे", "मुंबई|पुणे"},
    {"ne", "काठमाडौं पोखरा", "काठमाडौं|पोखरा"},
    {"bn", "ঢাকা চট্টগ্রাম", "ঢাকা|চট্টগ্রাম"},
    {"bn", "নির্বাচন", "নির্বাচন"},
    {"pa", "ਅੰਮ੍ਰਿਤਸਰ", "ਅੰਮ੍ਰਿਤਸਰ"},
    {"gu", "અમદાવાદ", "અમદાવાદ"},
    {"ta", "சென்னை மதுரை", "சென்னை~சென்|மதுரை~மதுர்"},
    {"te", "హైదరాబాద్", "హైదరాబాద్"},
    {"kn", "ಬೆಂಗಳೂರು", "ಬೆಂಗಳೂರು"},
    {"ml", "തിരുവനന്തപുരം", "തിരുവനന്തപുരം"},
    {"si", "කොළඹ", "කොළඹ"},
    {"zh", "北京 上海 广州", "北京|上海|广州"},
    {"zh", "中华人民共和国", "中华|人民|共和国"},
    {"zh", "國務院 国务院", "国务院|国务院"},
    {"zh", "臺灣 台湾", "台湾|台湾"},
    {"zh", "經濟發展 经济发展", "经济|发展|经济|发展"},
    {"zh", "习近平主席", "习|近平|主席"},
    {"zh", "２０２２年", "2022|年"},
    {"zh", "联合国安理会", "联合|国|安理会"},
    {"ja", "東京都 大阪府", "東京|都|大阪|府"},
    {"ja", "ニュース ﾆｭｰｽ", "ニュース|ニュース"},
    {"ja", "日本経済新聞", "日本|経済|新聞"},
    {"ja", "カタカナとひらがな", "カタカナ|と|ひ|ら|が|な"},
    {"ja", "ＡＢＣ ａｂｃ", "abc|abc"},
    {"ja", "令和四年", "令和|四年"},
    {"ja", "㈱ ㍻", ""},
    {"ko", "서울특별시 부산광역시", "서울특별시|부산광역시"},
    {"ko", "대한민국의 대통령은", "대한민국의+대한민국|대통령은+대통령"},
    {"ko", "선거에서 선거를", "선거에서+선거|선거를+선거"},
    {"ko", "한국어 한국", "한국어|한국"},
    {"ko", "ＫＯＲＥＡ", "korea"},
    {"th", "กรุงเทพมหานคร", "กรุงเทพมหานคร"},
    {"th", "การเลือกตั้ง", "การ|เลือก|ตั้ง"},
    {"th", "นายกรัฐมนตรี", "นายก|รัฐมนตรี"},
    {"th", "ประเทศไทย ๒๐๒๒", "ประเทศไทย|2022=๒๐๒๒"},
    {"lo", "ວຽງຈັນ ຫຼວງພະບາງ", "ວຽງຈັນ|ຫຼວງພະບາງ"},
    {"km", "ភ្នំពេញ សៀមរាប", "ភ្នំពេញ|សៀមរាប"},
    {"my", "ရန်ကုန် မန္တလေး", "ရန်|ကုန်|မန္တလေး"},
    {"bo", "ལྷ་ས", "ལྷ|ས"},
    {"am", "አዲስ አበባ ባሕር ዳር", "አዲስ|አበባ|ባሕር|ዳር"},
    {"ti", "ኣስመራ", "ኣስመራ"},
    {"vi", "Hà Nội Thành phố Hồ Chí Minh",
     "ha=hà|noi=nội|thanh=thành|pho=phố|ho=hồ|chi=chí|minh"},
    {"vi", "bầu cử Quốc hội", "bau=bầu|cu=cử|quoc=quốc|hoi=hội"},
    {"vi", "Đà Nẵng Huế", "da=đà|nang=nẵng|hue=huế"},
    {"id", "Jakarta Surabaya", "jakarta|surabaya"},
    {"id", "pemilihan memilih", "pemilihan~pilih|memilih~pilih"},
    {"ms", "Kuala Lumpur", "kuala|lumpur"},
    {"tl", "Maynila Lungsod Quezon", "maynila|lungsod|quezon"},
    {"sw", "Nairobi Dar es Salaam", "nairobi|dar|es|salaam"},
    {"sw", "uchaguzi wa rais", "uchaguzi|wa|rais"},
    {"ha", "Kano Ƙasar Ɓangare", "kano|ƙasar|ɓangare"},
    {"yo", "Èkó Ìbàdàn", "eko=èkó|ibadan=ìbàdàn"},
    {"ig", "Ọnịcha Enugu", "onicha=ọnịcha|enugu"},
    {"zu", "eGoli eThekwini", "egoli|ethekwini"},
    {"so", "Muqdisho Hargeysa", "muqdisho|hargeysa"},
    {"om", "Finfinnee", "finfinnee"},
    {"mt", "Il-Belt Valletta Għawdex", "il|belt|valletta|ghawdex=għawdex"},
    {"cy", "Caerdydd Abertawe", "caerdydd|abertawe"},
    {"gd", "Dùn Èideann", "dun=dùn|eideann=èideann"},
    {NULL, "!!! ??? ... ---", ""},
    {NULL, "\"quoted\" 'single'", "quoted|single"},
    {NULL, "a/b c\\d e|f", "a|b|c|d|e|f"},
    {NULL, "tab\tseparated", "tab|separated"},
    {NULL, "line1", "line1"},
    {NULL, "word​with​zero​width", "word|with|zero|width"},
    {NULL, "soft­hyphen", "softhyphen"},
    {NULL, "non breaking space", "non|breaking|space"},
    {NULL, "ﬀ ﬃ ﬆ", "ff|ffi|st"},
    {NULL, "Ⅻ ⅻ ①②③", "xii|xii"},
    {NULL, "x² H₂O", "x|h|o"},
    {NULL, "½ ¾", ""},
    {NULL, "℃ ℉ №", ""},
    {NULL, "µs μs", "μs|μs"},
    {NULL, "Å Å", "a=å|a=å"},
    {NULL, "Ω Ω", "ω|ω"},
    {NULL, "ǅ ǆ", "dz=dž|dz=dž"},
    {NULL, "ϐ ϑ ϕ", "β|θ|φ"},
    {NULL, "𝐀𝐁𝐂 𝒳", "abc|x"},
    {NULL, "🇺🇦 🇷🇸", ""},
    {NULL, "👍🏽 👨‍👩‍👧", ""},
    {NULL, "#hashtag @mention", "hashtag|@mention"},
    {NULL, "http://example.com/path?q=1", "http|example.com|path|q|1"},
    {NULL, "user@example.org", "user@example.org"},
    {NULL, "C++ C# .NET", "c|c|net"},
    {NULL, "v1.2.3 2022-03-14", "v1.2.3|2022|03|14"},
    {NULL, "12:30 3/4", "12|30|3|4"},
    {NULL, "+381 64 123 4567", "381|64|123|4567"},
    {"ko", "동남아시아에서도 연구진은 사과를 지금까지",
     "동남아시아에서도+동남아시아|연구진은+연구진|사과를+사과|지금까지+지금"},
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
