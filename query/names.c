/* names.c — a query word's other spellings as a name (its name key,
   namekey.h) and the other names of the place it names (gazetteer.h);
   which hits matched a word only through them (match.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document.h"
#include "error.h"
#include "expand.h"
#include "inflect.h"
#include "language.h"
#include "namekey.h"
#include "utf8.h"

/*
 * Whether a query word is a name, as the index writes it. In a script
 * with case, the articles tell: a word written with a capital
 * mid-sentence (DOCUMENT_CAPITAL_PREFIX) in at least NAME_EVIDENCE of the
 * articles holding it is one. Measured on 77,000 news articles (Reuters,
 * BBC, Russian, Ukrainian, German, Spanish): names 0.74-1.0 (Serbia 0.74,
 * Japan 0.78, Reagan 0.84, Paris 0.90; titles and sentence starts, which
 * give no capital evidence, keep them below 1), words that start names
 * 0.45-0.71 (court 0.51, bank 0.68, minister 0.71), other words below 0.35
 * (oil 0.22, market 0.04). What the query's own capitals say is not
 * asked: queries start with one, or none, at will. A word the index does
 * not hold as typed (Zelenskiy, or Путин where articles say Путина) is
 * not known either way: its key is tried when it has at least
 * NAME_MIN_CLASSES_UNSEEN consonant classes, fewer being shared by too
 * many words (cookie is KK, as is 계약이). A word of a script without case
 * is taken for a name.
 */
#define NAME_MIN_CLASSES_UNSEEN 3
static bool used_as_name(const expansion_t *x, const word_t *w,
                         const namekey_shape_t *shape, bool held)
{
    if (!analyzer_cased(w->term, strlen(w->term)))
        return true;
    if (!held)
        return shape->classes >= NAME_MIN_CLASSES_UNSEEN;
    return written_as_name(x, w);
}

/* Spellings of a key compared at most (a key that common words share has
   hundreds), and the share of its articles in which a spelling in a
   script with case must be written with a capital mid-sentence, once it
   is in NAME_SPELLING_SEEN of them (fewer tell nothing: a small archive,
   a title). Lower than NAME_EVIDENCE: the spelling has passed its key and
   vowels already; this drops the common words (younger for Juncker). */
#define NAME_SPELLINGS_MAX 1024
/* Spellings kept for a key of two classes: hundreds fit such a key, and
   each kept is a posting list every search of the name reads. The most
   common of those whose vowels do not differ come first. */
#define NAME_SHORT_KEY_TERMS 24
#define NAME_SPELLING_SEEN 3
#define NAME_SPELLING_EVIDENCE 0.5

typedef struct spelling {
    char term[DOCUMENT_NAME_TERM_MAX];
    int differ;    /* how far from the word: namekey_spellings_fit(), and 1
                      more for a g against a k in its own script */
    uint64_t freq; /* articles holding it */
    int script;    /* namekey_spelling_t.script, -1 when not spelled */
    bool bare;     /* an abjad's that writes no vowel */
} spelling_t;

typedef struct fitting {
    const expansion_t *x;
    match_name_t *m;
    const namekey_spelling_t *asked; /* the word, maybe with another key */
    bool arabic_only;                /* keep Arabic spellings only */
    spelling_t *found;
    size_t n;
    /* Listing the longer keys of words with endings of this language
       (list_inflected()), else NULL; terms read so far. */
    const char *inflecting;
    size_t read;
} fitting_t;

/* Whether the spelling form[0..n) of an article, in a script with case,
   is written as a name there (or too rarely to tell): its name terms, of
   which `named` articles hold this one, are made for a word written with
   a capital mid-sentence only (analyzer.h: token.name), so they count the
   articles that write it so, without asking its capital term. Asked for
   keys of NAMEKEY_SHAPED_CLASSES classes or fewer only, which common words
   share (one look more for each spelling). */
static bool spelled_as_name(const expansion_t *x, const match_name_t *m,
                            const char *form, size_t n, uint64_t named)
{
    if (m->spelling.shape.classes > NAMEKEY_SHAPED_CLASSES ||
        !analyzer_cased(form, n))
        return true;
    uint64_t all = xshim_reader_termfreq(x->reader, form, n);
    return all < NAME_SPELLING_SEEN ||
           (double)named >= NAME_SPELLING_EVIDENCE * (double)all;
}

/* Arabic's article, and the words of one letter it writes onto the next
   (and, by, for, so, like), alone first, then two together. */
#define ARABIC_ARTICLE "ال"
static const char *const ARABIC_CLITICS[] = {"و",  "ب",  "ل",  "ف", "ك",
                                             "وب", "ول", "فب", "فل"};
#define ARABIC_CLITICS_ONE 5

/*
 * Whether an Arabic spelling spelled[0..n) (of a name term held in
 * `freq` articles) is rather a one-letter word written onto another: ب,
 * ل, ك, ف or و and a word the index holds in CLITIC_WORD_RATIO times as
 * many articles, of another key than the name's (`key`): بديوان is "at
 * the office", not Biden; البدين "the fat one", whose بدين is ب and دين.
 * An article (ال) goes first. A name whose rest is no common word keeps
 * its spelling (بايدن, بوتين), and so does one whose rest is the name
 * (لواشنطن, to Washington).
 */
#define CLITIC_WORD_RATIO 3
static bool clitic_on_word(const expansion_t *x, const char *key,
                           const char *spelled, size_t n, uint64_t freq)
{
    const char *al = ARABIC_ARTICLE;
    const size_t letter = 2;
    if (n > strlen(al) + 2 * letter && !memcmp(spelled, al, strlen(al))) {
        spelled += strlen(al);
        n -= strlen(al);
    }
    if (n < 3 * letter)
        return false;
    const char *rest = spelled + letter;
    size_t rest_len = n - letter;
    bool clitic = false;
    for (size_t i = 0; i < ARABIC_CLITICS_ONE && !clitic; i++)
        clitic = !memcmp(spelled, ARABIC_CLITICS[i], letter);
    if (!clitic || xshim_reader_termfreq(x->reader, rest, rest_len) <
                       CLITIC_WORD_RATIO * (freq ? freq : 1))
        return false;
    char rest_key[NAMEKEY_MAX + 1];
    namekey_shape_t shape;
    if (analyzer_name_key_jim_g(x->analyzer, rest, rest_len, rest_key,
                                &shape) &&
        strcmp(rest_key, key) == 0)
        return false; /* its rest is the name, ج read as g */
    return !analyzer_name_key(x->analyzer, rest, rest_len, rest_key, &shape) ||
           strcmp(rest_key, key) != 0;
}

/*
 * Whether an Arabic spelling read with ج as g is rather a word of
 * Arabic's own: a foreign name, which is where ج is a g, takes no article
 * (الجوجل, السامسونج, الريجان: none in 89,412 articles), while a word
 * does (الناجم, resulting, 67 beside ناجم's 41; الجمال, beauty; النجم).
 */
static bool jim_g_native(const expansion_t *x, const char *spelled, size_t n)
{
    const char *al = ARABIC_ARTICLE;
    size_t al_len = strlen(al);
    char t[MATCH_TERM_MAX];
    if (n >= al_len && !memcmp(spelled, al, al_len))
        return true;
    if (al_len + n >= sizeof t)
        return false;
    memcpy(t, al, al_len);
    memcpy(t + al_len, spelled, n);
    return xshim_reader_termfreq(x->reader, t, al_len + n) > 0;
}

/* The spelling of the word spelled[0..n) of a name term listed under
   `key` into *sp: as written, or, an Arabic word writing ج, with ج read
   as g when the term was stored under that key (*jim_g set). 0 when it
   has none. */
static size_t spelling_under(const expansion_t *x, const char *spelled,
                             size_t n, const char *key, namekey_spelling_t *sp,
                             bool *jim_g)
{
    *jim_g = false;
    size_t len = analyzer_name_spelling(x->analyzer, spelled, n, sp);
    if (len && strcmp(sp->key, key) == 0)
        return len;
    namekey_spelling_t g;
    size_t g_len = analyzer_name_spelling_jim_g(x->analyzer, spelled, n, &g);
    if (!g_len || strcmp(g.key, key) != 0)
        return len;
    *sp = g;
    *jim_g = true;
    return g_len;
}

/*
 * Whether spelling b has a g where a has a k, c or q, or the reverse. In
 * the word's own script that is most often another name (Junger for
 * Juncker), but not always (Qaddafi, Kaddafi for Gaddafi): such a
 * spelling counts as one vowel further (name_terms_query() weighs
 * 1 / (1 + distance)), not dropped.
 */
static bool voicing_differs(const namekey_spelling_t *a,
                            const namekey_spelling_t *b)
{
    for (size_t j = 0; j < a->shape.len && a->key[j]; j++)
        if (a->key[j] == 'K' && b->key[j] == 'K' &&
            (a->sound[j] == 'g') != (b->sound[j] == 'g'))
            return true;
    return false;
}

/*
 * Keeps a name term (N + key + ":" + shape + ":" + spelling) whose
 * spelling fits the word's (namekey_spellings_fit()) and is written as a
 * name; a term of a shard of format 3 or older, which holds no spelling,
 * when its shape fits (namekey_shapes_fit()). The shape is compared
 * first: it needs no transliteration.
 */
/*
 * For list_inflected(): the length of the word spelled[0..n) without the
 * endings of `lang` that leave a word of INFLECT_WORD_LETTERS letters or
 * more whose key is `key` (Назарбаевтың: Назарбаев), the longest endings
 * tried first; 0 when there is none.
 */
static size_t inflected_base(const expansion_t *x, const char *lang,
                             const char *spelled, size_t n, const char *key)
{
    for (size_t cut = 1; cut < n; cut++) {
        if (((unsigned char)spelled[cut] & 0xC0) == 0x80 ||
            utf8_count(spelled, cut) < INFLECT_WORD_LETTERS ||
            !inflect_is_ending(lang, spelled + cut, n - cut))
            continue;
        char base_key[NAMEKEY_MAX + 1];
        namekey_shape_t shape;
        if (analyzer_name_key(x->analyzer, spelled, cut, base_key, &shape) &&
            strcmp(base_key, key) == 0)
            return cut;
    }
    return 0;
}

static int add_fitting(void *context, const char *text, size_t len,
                       uint64_t freq)
{
    fitting_t *f = context;
    match_name_t *m = f->m;
    const namekey_spelling_t *asked = f->asked;
    namekey_shape_t written;
    const char *spelled;
    const char *key = asked->key;
    spelling_t *s = &f->found[f->n];
    /* A longer key (list_inflected()): its letters past the asked key's,
       then ":" and what follows as for the key itself. */
    const char *whole = text;
    size_t whole_len = len, base = 0;
    if (f->inflecting) {
        const char *colon = memchr(text, ':', len);
        if (++f->read == INFLECT_SCAN_MAX)
            return 1;
        if (!colon || colon == text)
            return 0; /* the asked key itself, listed before */
        len -= (size_t)(colon + 1 - text);
        text = colon + 1;
    }
    if (!document_name_shape(text, len, key, &written, &spelled) ||
        (f->inflecting &&
         (!spelled ||
          !(base = inflected_base(f->x, f->inflecting, spelled,
                                  len - (size_t)(spelled - text), key)))))
        return 0;
    if (f->inflecting) /* the vowels of the asked key's letters only */
        written.vowels &= written.len < 64 ? (1ULL << written.len) - 1 : ~0ULL;
    if (!namekey_shapes_fit(&asked->shape, &written) ||
        (f->arabic_only && (!spelled || !namekey_arabic(spelled))))
        return 0;
    /* A place's Arabic or Hebrew names are the gazetteer's: a skeleton
       without vowels would add words (Yemen's AMN is al-amn, security). */
    if (m->n_places && written.family == NAMEKEY_ABJAD)
        return 0;
    s->differ = 0;
    s->script = -1;
    s->bare = false;
    if (spelled) {
        namekey_spelling_t other;
        size_t n = len - (size_t)(spelled - text);
        /* Two syllabaries' spellings, which the shapes settle, need no
           transliteration. */
        bool compared =
            namekey_spellings_compared(asked->shape.family, written.family);
        bool jim_g;
        if (compared &&
            (!spelling_under(f->x, spelled, base ? base : n, key, &other,
                             &jim_g) ||
             (s->differ = namekey_spellings_fit(asked, &other)) < 0))
            return 0;
        /* ج read as g is the rarer reading: a step further, and only
           in a foreign word. */
        if (compared && jim_g && jim_g_native(f->x, spelled, base ? base : n))
            return 0;
        if (compared && jim_g)
            s->differ += 1;
        /* A place's names in the word's own script are the gazetteer's
           (every locale's, stemmed as their languages inflect): a key
           spelling there is a word (Radio for Riyadh, Gary for Cairo). */
        if (compared && m->n_places && other.script == asked->script)
            return 0;
        if (!spelled_as_name(f->x, m, spelled, n, freq))
            return 0;
        if (written.family == NAMEKEY_ABJAD && namekey_arabic(spelled) &&
            clitic_on_word(f->x, key, spelled, n, freq))
            return 0;
        if (compared) {
            if (other.script == asked->script && voicing_differs(asked, &other))
                s->differ += 1;
            s->script = other.script;
            s->bare = written.family == NAMEKEY_ABJAD && !other.shape.vowels &&
                      !other.final;
        }
    }
    size_t n =
        f->inflecting
            ? (size_t)snprintf(s->term, sizeof s->term, "%s%s%.*s",
                               DOCUMENT_NAME_PREFIX, key, (int)whole_len, whole)
            : document_prefixed_term(s->term, sizeof s->term,
                                     DOCUMENT_NAME_PREFIX, key, strlen(key),
                                     text, len);
    if (n >= sizeof s->term)
        n = 0;
    s->freq = freq;
    f->n += n > 0;
    return f->n == NAME_SPELLINGS_MAX;
}

/* The spellings of f->asked's key the index holds that fit it, added to
   f->found. A failed listing leaves those found so far: fewer spellings. */
static void list_spellings(fitting_t *f)
{
    char prefix[NAMEKEY_MAX + 8];
    const char *key = f->asked->key;
    size_t n = document_prefixed_term(
        prefix, sizeof prefix, DOCUMENT_NAME_PREFIX, key, strlen(key), "", 0);
    if (n && f->found && f->n < NAME_SPELLINGS_MAX)
        xshim_reader_terms(f->x->reader, prefix, add_fitting, f, NULL);
}

/*
 * Drops from found[0..*n) an abjad's spellings that write no vowel when
 * others of its script do, for a word with vowels after two of its
 * letters or more (`asked`): Arabic writes some of them (ريغان, حماس),
 * and where the archive shows it so, a skeleton (ركن, a corner; حمص,
 * Homs) is another word. A name only ever written bare (محمد) keeps its
 * spellings; one of a short vowel (Assad, الأسد; OPEC, أوبك) is often
 * written so.
 */
static void drop_bare(const namekey_spelling_t *asked, spelling_t *found,
                      size_t *n)
{
    size_t vowels = 0;
    for (size_t j = 0; j + 1 < asked->shape.len; j++)
        vowels += (asked->shape.vowels >> j) & 1;
    if (asked->shape.family != NAMEKEY_ALPHABET || vowels < 2)
        return;
    size_t kept = 0;
    for (size_t i = 0; i < *n; i++) {
        bool written = false;
        for (size_t j = 0; j < *n && found[i].bare && !written; j++)
            written = !found[j].bare && found[j].script == found[i].script;
        if (!found[i].bare || !written)
            found[kept++] = found[i];
    }
    *n = kept;
}

/*
 * Drops from found[0..*n) the spellings in the word's own script whose
 * vowels differ from its own (namekey_spellings_fit() allows one in a key
 * of four classes), for a word the archive holds as typed: one script
 * writes one name one way, so there they are other words (Clayton for
 * Clinton, Margiela for Merkel), while other scripts' spellings of it
 * differ (Gorbatschow, Горбачёв). The price: a script's own variants
 * (Gorbachov beside Gorbachev) are left to the word's other forms.
 */
static void drop_own_script_others(const namekey_spelling_t *asked,
                                   spelling_t *found, size_t *n)
{
    size_t kept = 0;
    for (size_t i = 0; i < *n; i++)
        if (found[i].script != asked->script || found[i].differ < 2)
            found[kept++] = found[i];
    *n = kept;
}

/* The closest spellings first, and of those the most common. */
static int by_fit(const void *a, const void *b)
{
    const spelling_t *x = a, *y = b;
    if ((x->differ >= 2) != (y->differ >= 2)) /* a vowel that differs */
        return (x->differ >= 2) - (y->differ >= 2);
    return x->freq < y->freq ? 1 : x->freq > y->freq ? -1 : 0;
}

/* Keys this short (in classes) are not listed for inflected spellings:
   too many longer keys start with them. */
#define INFLECTED_KEY_CLASSES 3

/* The spellings of f->asked's key with the endings of a language of the
   index that has no stemmer, whose keys are longer (Назарбаевтың is
   Nazarbayev's key and тың), added to f->found. */
static void list_inflected(fitting_t *f)
{
    char prefix[NAMEKEY_MAX + 8];
    const char *key = f->asked->key;
    if (f->asked->shape.classes < INFLECTED_KEY_CLASSES || !f->found)
        return;
    for (size_t i = 0; i < f->x->langs->n && f->n < NAME_SPELLINGS_MAX; i++)
        if (inflect_known(f->x->langs->codes[i]) &&
            (size_t)snprintf(prefix, sizeof prefix, "%s%s",
                             DOCUMENT_NAME_PREFIX, key) < sizeof prefix) {
            f->inflecting = f->x->langs->codes[i];
            f->read = 0;
            xshim_reader_terms(f->x->reader, prefix, add_fitting, f, NULL);
        }
    f->inflecting = NULL;
}

/* The closest first (name_terms_query() groups them by distance). */
static int by_distance(const void *a, const void *b)
{
    return ((const spelling_t *)a)->differ - ((const spelling_t *)b)->differ;
}

/* The name terms of a word the index holds into m: those of its key whose
   spellings fit its own, the MATCH_MAX_NAME_TERMS closest. None when it
   is no name (used_as_name()). */
static void find_name_terms(const expansion_t *x, const word_t *w,
                            match_name_t *m)
{
    const char *spelled = w->exact ? w->exact : w->term;
    size_t n = analyzer_name_spelling(x->analyzer, spelled, strlen(spelled),
                                      &m->spelling);
    /* An Arabic word writing ج: its spellings with ج read as g too
       (جوجل finds Google), alone when read as j it has no key. */
    namekey_spelling_t g;
    size_t g_n =
        analyzer_name_spelling_jim_g(x->analyzer, spelled, strlen(spelled), &g);
    if (!n && g_n) {
        m->spelling = g;
        n = g_n;
        g_n = 0;
    }
    m->n_key_terms = 0;
    bool held = xshim_reader_termfreq(x->reader, w->term, strlen(w->term)) > 0;
    if (!n || !used_as_name(x, w, &m->spelling.shape, held))
        return;
    /* Indexes made before shapes hold N + key alone: taken unchecked. */
    size_t len = document_prefixed_term(m->key_terms[0], sizeof m->key_terms[0],
                                        DOCUMENT_NAME_PREFIX, m->spelling.key,
                                        n, NULL, 0);
    if (len && xshim_reader_termfreq(x->reader, m->key_terms[0], len) > 0)
        m->key_distance[m->n_key_terms++] = 0;
    fitting_t f = {x,
                   m,
                   &m->spelling,
                   false,
                   malloc(NAME_SPELLINGS_MAX * sizeof *f.found),
                   0,
                   NULL,
                   0};
    list_spellings(&f);
    if (!m->n_places)
        list_inflected(&f);
    /* Arabic spellings of a name may have another key: as Arabic writes
       it, and with its first vowel an ayin (namekey_spell_arabic()). A
       place's are the gazetteer's (add_fitting()). */
    for (int ayin = 0; ayin < 2 && !m->n_places &&
                       m->spelling.shape.family == NAMEKEY_ALPHABET;
         ayin++) {
        namekey_spelling_t arabic;
        if (analyzer_name_spelling_arabic(x->analyzer, spelled, strlen(spelled),
                                          ayin, &arabic) &&
            strcmp(arabic.key, m->spelling.key) != 0) {
            f.asked = &arabic;
            f.arabic_only = true;
            list_spellings(&f);
        }
    }
    if (g_n && strcmp(g.key, m->spelling.key) != 0) {
        f.asked = &g;
        f.arabic_only = false;
        list_spellings(&f);
    }
    drop_bare(&m->spelling, f.found, &f.n);
    if (held)
        drop_own_script_others(&m->spelling, f.found, &f.n);
    qsort(f.found, f.n, sizeof *f.found, by_fit);
    size_t keep = m->spelling.shape.classes <= 2 ? NAME_SHORT_KEY_TERMS
                                                 : MATCH_MAX_NAME_TERMS;
    if (f.n > keep)
        f.n = keep;
    qsort(f.found, f.n, sizeof *f.found, by_distance);
    for (size_t i = 0; i < f.n && m->n_key_terms < MATCH_MAX_NAME_TERMS; i++) {
        m->key_distance[m->n_key_terms] =
            (uint8_t)(f.found[i].differ < 255 ? f.found[i].differ : 255);
        strcpy(m->key_terms[m->n_key_terms++], f.found[i].term);
    }
    free(f.found);
}

/* The word's own forms the index holds into m: to tell hits that matched
   it only by its name. */
static void find_own_forms(const expansion_t *x, const word_t *w,
                           match_name_t *m)
{
    forms_t *any = malloc(sizeof *any);
    m->n_forms = 0;
    if (!any || !(m->forms = malloc(MAX_FORMS * sizeof *m->forms))) {
        free(any);
        return;
    }
    any->n = 0;
    word_forms(x, w, "", any, NULL);
    for (size_t i = 0; i < any->n; i++)
        if (xshim_reader_termfreq(x->reader, any->terms[i],
                                  strlen(any->terms[i])) > 0)
            strcpy(m->forms[m->n_forms++], any->terms[i]);
    free(any);
}

/* Adds term t, once, to a list of room for 2 * MATCH_MAX_PLACE_NAMES. */
static void add_place_term(char (*list)[MATCH_TERM_MAX], size_t *n,
                           const char *t)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(list[i], t) == 0)
            return;
    if (*n < MATCH_MAX_PLACE_NAMES * 2 && strlen(t) < sizeof list[0])
        strcpy(list[(*n)++], t);
}

typedef struct place_context {
    const expansion_t *x;
    match_name_t *m;
} place_context_t;

/* The Arabic name with the one-letter words written onto it: and, by,
   for, so, like (والرياض, بالرياض, للرياض: ل and ال make لل). */
static void add_arabic_clitics(forms_t *any, const char *name)
{
    const char *al = ARABIC_ARTICLE;
    size_t al_len = strlen(al), n = strlen(name);
    bool article = n > al_len && memcmp(name, al, al_len) == 0;
    char t[MATCH_TERM_MAX];
    for (size_t i = 0; i < sizeof ARABIC_CLITICS / sizeof *ARABIC_CLITICS;
         i++) {
        const char *clitic = ARABIC_CLITICS[i];
        size_t c = strlen(clitic);
        bool lam = clitic[c - 2] == (char)0xd9 && clitic[c - 1] == (char)0x84;
        /* ل before ال drops the alif: للرياض */
        const char *rest = lam && article ? name + 2 : name;
        if (c + strlen(rest) + 1 > sizeof t)
            continue;
        snprintf(t, sizeof t, "%s%s", clitic, rest);
        add_form(any, "", t, strlen(t), NULL, 0);
    }
}

/* Inflected forms of one name kept at most (Kazakh: 16 of the ~40 a
   name may take; the index holds a few). */
#define PLACE_INFLECTED_MAX 16

static void add_inflected(void *context, const char *form, size_t len)
{
    (void)len;
    match_name_t *m = context;
    add_place_term(m->place_terms, &m->n_place_terms, form);
}

/* Names this short (in characters) that lose diacritics in their
   matching form are matched as written: Şam's matching form is "sam". */
#define PLACE_EXACT_BELOW 5

/* Keeps one other name of the place a word names, and the terms it
   matches that the index holds. A short name whose diacritics its
   matching form drops is kept as its exact term (DOCUMENT_EXACT_PREFIX +
   the name: an upper-case letter, which no folded name starts with). */
static void add_place(void *context, const char *name, const char *exact,
                      const char *lang)
{
    place_context_t *p = context;
    match_name_t *m = p->m;
    char exact_term[MATCH_TERM_MAX];
    if (!m->places) { /* the word names a place: room for its names */
        m->places = malloc(MATCH_MAX_PLACE_NAMES * sizeof *m->places);
        m->place_terms =
            malloc(2 * MATCH_MAX_PLACE_NAMES * sizeof *m->place_terms);
        m->place_words =
            malloc(2 * MATCH_MAX_PLACE_NAMES * sizeof *m->place_words);
    }
    if (!m->places || !m->place_terms || !m->place_words)
        return;
    if (exact && !strchr(exact, ' ') &&
        utf8_count(exact, strlen(exact)) < PLACE_EXACT_BELOW) {
        if (!document_prefixed_term(exact_term, sizeof exact_term,
                                    DOCUMENT_EXACT_PREFIX, exact, strlen(exact),
                                    NULL, 0))
            return;
        name = exact_term;
    }
    if (strlen(name) >= sizeof m->places[0])
        return;
    bool known = false;
    for (size_t i = 0; i < m->n_places && !known; i++)
        known = strcmp(m->places[i], name) == 0;
    if (!known && m->n_places == MATCH_MAX_PLACE_NAMES)
        return;
    if (!known)
        strcpy(m->places[m->n_places++], name);
    if (name == exact_term) {
        if (xshim_reader_termfreq(p->x->reader, name, strlen(name)) > 0)
            add_place_term(m->place_terms, &m->n_place_terms, name);
        return;
    }
    if (strchr(name, ' ') || document_spaceless(name)) {
        char words[MATCH_TERM_MAX];
        strcpy(words, name);
        for (char *w = strtok(words, " "); w; w = strtok(NULL, " "))
            if (xshim_reader_termfreq(p->x->reader, w, strlen(w)) > 0)
                add_place_term(m->place_words, &m->n_place_words, w);
        return;
    }
    /* The name, and its stem in its own language only (Damas is Damascus
       in French, which English would stem to "dam"), when the stem keeps
       NAME_STEM_LETTERS letters (French stems Damas and dame alike). */
    forms_t *any = malloc(sizeof *any);
    if (!any)
        return;
    any->n = 0;
    if (!known) /* the name itself, once; its stem in each language */
        add_form(any, "", name, strlen(name), NULL, 0);
    size_t len = 0;
    /* Arabic stems a name to a word's stem too (الرياض and رياضي, sports,
       are رياض): its clitics are written instead. */
    if (strcmp(lang, "ar") == 0) {
        add_arabic_clitics(any, name);
        goto held;
    }
    /* No stemmer, known endings: the forms the index holds (Қазақстанның,
       of Kazakhstan), found as the terms the name starts. */
    if (!known)
        inflect_forms(p->x->reader, lang, "", name, PLACE_INFLECTED_MAX,
                      add_inflected, m);
    bool stemmed = language_stemmer_name(lang) && language_writes(lang, name);
    const char *stem =
        stemmed ? analyzer_stem(p->x->analyzer, lang, name, NULL, NULL, &len)
                : NULL;
    if (stemmed && !stem) { /* its own stem, which inflected forms carry */
        stem = name;
        len = strlen(name);
    }
    if (stem && utf8_count(stem, len) >= NAME_STEM_LETTERS)
        add_form(any, DOCUMENT_STEM_PREFIX, lang, strlen(lang), stem, len);
held:
    for (size_t i = 0; i < any->n; i++)
        if (xshim_reader_termfreq(p->x->reader, any->terms[i],
                                  strlen(any->terms[i])) > 0)
            add_place_term(m->place_terms, &m->n_place_terms, any->terms[i]);
    free(any);
}

/* The other names of the place word w names, if it names one
   (gazetteer.h), into m. */
static void find_place_names(const expansion_t *x, const word_t *w,
                             match_name_t *m)
{
    m->n_places = m->n_place_terms = m->n_place_words = 0;
    if (!x->gazetteer || w->run)
        return;
    place_context_t p = {x, m};
    gazetteer_other_names(x->gazetteer, w->exact ? w->exact : w->term, w->term,
                          add_place, &p);
}

/* Words of a place's name of several words a query may type. */
#define PLACE_SPAN_WORDS 3

/* The word of clause i when it is a plain word a place's name may hold:
   one word, not excluded nor in a title, outside runs; else NULL. */
static const word_t *span_word(const parsed_query_t *q, size_t i)
{
    const clause_t *c = &q->clauses[i];
    if (c->kind != CLAUSE_WORD || c->n_words != 1 || c->excluded || c->title ||
        c->words[0].run)
        return NULL;
    return &c->words[0];
}

/* Whether only spaces stand between two words of the query text. */
static bool typed_together(const char *text, const word_t *a, const word_t *b)
{
    if (a->end > b->start)
        return false;
    for (size_t i = a->end; i < b->start; i++)
        if (text[i] != ' ')
            return false;
    return true;
}

/* The words of clauses [first, first + n), joined with single spaces as
   the gazetteer writes a name of several words: their exact forms, or
   with `terms` their matching forms; false when they do not fit. */
static bool join_span(const parsed_query_t *q, size_t first, size_t n,
                      bool terms, char *out, size_t cap)
{
    size_t used = 0;
    for (size_t i = first; i < first + n; i++) {
        const word_t *w = &q->clauses[i].words[0];
        const char *s = terms || !w->exact ? w->term : w->exact;
        size_t len = strlen(s);
        if (used + len + 2 > cap)
            return false;
        if (i > first)
            out[used++] = ' ';
        memcpy(out + used, s, len);
        used += len;
    }
    out[used] = '\0';
    return true;
}

static void no_name(void *context, const char *name, const char *exact,
                    const char *lang)
{
    (void)context, (void)name, (void)exact, (void)lang;
}

/* Looks up the place named by the n words of clauses [first, first + n)
   with fn; how many places they name. */
static size_t span_places(const expansion_t *x, size_t first, size_t n,
                          gazetteer_name_fn fn, void *context)
{
    char exact[PLACE_SPAN_WORDS * MATCH_TERM_MAX];
    char term[PLACE_SPAN_WORDS * MATCH_TERM_MAX];
    if (!join_span(x->pq, first, n, false, exact, sizeof exact) ||
        !join_span(x->pq, first, n, true, term, sizeof term))
        return 0;
    return gazetteer_other_names(x->gazetteer, exact, term, fn, context);
}

uint8_t *match_place_spans(const expansion_t *x)
{
    const parsed_query_t *q = x->pq;
    uint8_t *spans = NULL;
    if (!x->gazetteer || !x->names || !q->n_clauses)
        return NULL;
    for (size_t i = 0; i + 1 < q->n_clauses; i++) {
        /* The longest name first: words typed together from clause i. */
        size_t together = 1;
        while (together < PLACE_SPAN_WORDS && i + together < q->n_clauses &&
               span_word(q, i) && span_word(q, i + together) &&
               typed_together(q->text, span_word(q, i + together - 1),
                              span_word(q, i + together)))
            together++;
        for (size_t n = together; n >= 2; n--)
            if (span_places(x, i, n, no_name, NULL)) {
                if (!spans && !(spans = calloc(q->n_clauses, 1)))
                    return NULL;
                spans[i] = (uint8_t)n;
                for (size_t k = i + 1; k < i + n; k++)
                    spans[k] = PLACE_SPAN_LATER;
                i += n - 1;
                break;
            }
    }
    return spans;
}

/*
 * The name of word w, looked up once a search (in x->recorded, when it
 * keeps them) or into *scratch. NULL when out of memory.
 */
static const match_name_t *word_name(const expansion_t *x, const word_t *w,
                                     match_name_t *scratch)
{
    match_names_t *names = x->recorded;
    const match_name_t *known = match_names_find(names, w);
    if (known)
        return known;
    bool keep = names && names->n < MATCH_MAX_NAMES;
    match_name_t *m = keep ? &names->names[names->n] : scratch;
    memset(m, 0, sizeof *m);
    m->word = w;
    if (!(m->key_terms = malloc(MATCH_MAX_NAME_TERMS * sizeof *m->key_terms)))
        return NULL;
    find_place_names(x, w, m);
    find_name_terms(x, w, m);
    if (keep && (m->n_key_terms || m->n_place_terms || m->n_place_words))
        find_own_forms(x, w, m);
    if (keep)
        names->n++;
    return m;
}

const match_name_t *match_names_find(const match_names_t *names,
                                     const word_t *w)
{
    for (size_t i = 0; names && i < names->n; i++)
        if (names->names[i].word == w)
            return &names->names[i];
    return NULL;
}

nidx_status_t match_names_only(xshim_reader_t *reader,
                               const match_names_t *names,
                               const uint32_t *docids, size_t n, uint64_t *only,
                               nidx_error_t *err)
{
    /* A group of terms for each name: the word's own forms first, the
       plain one leading (most hits hold it, and one look settles the word
       there), then its name terms; `own` ends the forms. */
    size_t per_name =
        MAX_FORMS + MATCH_MAX_NAME_TERMS + 4 * MATCH_MAX_PLACE_NAMES;
    const char **terms = malloc(names->n * per_name * sizeof *terms);
    size_t ends[MATCH_MAX_NAMES], own[MATCH_MAX_NAMES], which[MATCH_MAX_NAMES];
    size_t *first = malloc((n ? n : 1) * MATCH_MAX_NAMES * sizeof *first);
    size_t groups = 0, k = 0;
    nidx_status_t st = NIDX_OK;
    memset(only, 0, n * sizeof *only);
    if (!terms || !first) {
        free(terms);
        free(first);
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < names->n; i++) {
        const match_name_t *m = &names->names[i];
        /* no name, or its forms unknown */
        if ((!m->n_key_terms && !m->n_place_terms && !m->n_place_words) ||
            !m->forms)
            continue;
        for (size_t f = 0; f < m->n_forms; f++)
            terms[k++] = m->forms[f];
        own[groups] = k;
        for (size_t t = 0; t < m->n_key_terms; t++)
            terms[k++] = m->key_terms[t];
        for (size_t t = 0; t < m->n_place_terms; t++)
            terms[k++] = m->place_terms[t];
        for (size_t t = 0; t < m->n_place_words; t++)
            terms[k++] = m->place_words[t];
        which[groups] = i;
        ends[groups++] = k;
    }
    if (groups)
        st = xshim_reader_first_held(reader, docids, n, terms, ends, groups,
                                     first, err);
    for (size_t d = 0; st == NIDX_OK && d < n; d++)
        for (size_t g = 0; g < groups; g++) {
            size_t at = first[d * groups + g];
            if (at >= own[g] && at < ends[g])
                only[d] |= 1ULL << which[g];
        }
    free(terms);
    free(first);
    return st;
}

static void name_clear(match_name_t *m)
{
    free(m->forms);
    free(m->key_terms);
    free(m->places);
    free(m->place_terms);
    free(m->place_words);
}

void match_names_clear(match_names_t *names)
{
    for (size_t i = 0; i < names->n; i++)
        name_clear(&names->names[i]);
    names->n = 0;
}

static xshim_query_t *name_term_query(const void *terms, size_t i)
{
    const char *t = ((const char(*)[DOCUMENT_NAME_TERM_MAX])terms)[i];
    return xshim_query_term(t, strlen(t));
}

/*
 * The name terms of m as one term for each distance from the word
 * (namekey_spellings_fit()), the farther weighing less (1 / (1 + d)):
 * روحاني above الراهن for Rouhani, both kept. Unweighted, one OR of them
 * all. (Summed, not the best one alone: xapian_shim.h says why.)
 */
static xshim_query_t *name_terms_query(const expansion_t *x,
                                       const match_name_t *m)
{
    if (!x->weighted)
        return combine_built(XSHIM_OR, m->n_key_terms, name_term_query,
                             m->key_terms);
    xshim_query_t *q = NULL;
    for (size_t i = 0, end; i < m->n_key_terms; i = end) {
        for (end = i + 1;
             end < m->n_key_terms && m->key_distance[end] == m->key_distance[i];
             end++)
            ;
        xshim_query_t *same = combine_built(XSHIM_SYNONYM, end - i,
                                            name_term_query, m->key_terms + i);
        if (same && m->key_distance[i])
            same = xshim_query_scaled(same, 1.0 / (1 + m->key_distance[i]));
        q = q && same ? combine_two(XSHIM_OR, q, same) : q ? q : same;
    }
    return q;
}

/* One other name of a place that is no single word the index holds:
   the words of a longer name as a phrase, letters of Thai... as their
   pairs; NULL when it is a single word (or out of memory). */
static xshim_query_t *place_phrase(const expansion_t *x, const char *name)
{
    char words[MATCH_TERM_MAX], run[MATCH_TERM_MAX];
    const char *list[MATCH_TERM_MAX / 2];
    size_t n = 0, k = 0;
    if (name[0] == DOCUMENT_EXACT_PREFIX[0]) /* add_place(): a term */
        return NULL;
    if (!strchr(name, ' ') && !document_spaceless(name))
        return NULL;
    strcpy(words, name);
    for (char *w = strtok(words, " "); w && n < MATCH_TERM_MAX / 2;
         w = strtok(NULL, " "))
        list[n++] = w;
    /* A phrase weighs the sum of its terms: scaled to about one. */
    xshim_query_t *q;
    size_t parts = n;
    if (!document_spaceless(list[0])) {
        q = combine_built(x->unordered ? XSHIM_AND : XSHIM_PHRASE, n,
                          string_query, list);
    } else {
        for (const char *c = name; *c; c++) /* a Thai... run cut in words */
            if (*c != ' ')
                run[k++] = *c;
        run[k] = '\0';
        q = run_query(run, "", x->unordered);
        parts = utf8_count(run, k) - 1; /* its letter pairs */
    }
    return q && x->weighted && parts > 1
               ? xshim_query_scaled(q, 1.0 / (double)parts)
               : q;
}

static xshim_query_t *place_term_query(const void *name, size_t i)
{
    const char *t = ((const match_name_t *)name)->place_terms[i];
    return xshim_query_term(t, strlen(t));
}

/*
 * The other names of the place a word names (gazetteer.h), any of them
 * an article holds: the forms of the one-word names, the longer names as
 * phrases. Not a synonym: its statistics would be estimated from
 * dozens of terms, shard by shard, and 4 shards would score otherwise than
 * 1. NULL when out of memory, or none the index holds.
 */
static xshim_query_t *places_query(const expansion_t *x, const match_name_t *m)
{
    xshim_query_t *q = NULL;
    if (m->n_place_terms)
        q = combine_built(XSHIM_OR, m->n_place_terms, place_term_query, m);
    for (size_t i = 0; i < m->n_places; i++) {
        xshim_query_t *phrase = place_phrase(x, m->places[i]);
        if (phrase)
            q = q ? combine_two(XSHIM_OR, q, phrase) : phrase;
    }
    return q;
}

bool has_other_names(const expansion_t *x, const word_t *w)
{
    match_name_t scratch;
    if (!x->names || w->run)
        return false;
    const match_name_t *m = word_name(x, w, &scratch);
    bool other = m && (m->n_key_terms || m->n_places);
    if (m == &scratch)
        name_clear(&scratch);
    return other;
}

/*
 * A word, and the other spellings of it as a name (namekey.h): articles
 * that write the name otherwise match at NAME_WEIGHT of its weight, below
 * those that write it as typed (which hold its key too when capitalized);
 * its name terms weigh as one term. Not in titles (title terms have no
 * keys) nor for NEAR (keys have no positions).
 */
#define NAME_WEIGHT 0.5
xshim_query_t *with_name(const expansion_t *x, const word_t *w,
                         const char *prefix, bool near, xshim_query_t *q)
{
    match_name_t scratch;
    if (!q || !x->names || near || *prefix || w->run)
        return q;
    const match_name_t *m = word_name(x, w, &scratch);
    if (!m || (!m->n_key_terms && !m->n_places)) {
        if (m == &scratch)
            name_clear(&scratch);
        return m ? q : (xshim_query_free(q), NULL);
    }
    xshim_query_t *key = NULL, *places = NULL, *other;
    if (m->n_key_terms)
        key = name_terms_query(x, m);
    if (m->n_places)
        places = places_query(x, m);
    if (m == &scratch)
        name_clear(&scratch);
    other = key && places ? combine_two(XSHIM_OR, key, places)
            : key         ? key
                          : places;
    if (!other) /* no other name the index holds (or out of memory) */
        return q;
    if (x->weighted)
        other = xshim_query_scaled(other, NAME_WEIGHT);
    return combine_two(XSHIM_OR, q, other);
}

xshim_query_t *with_place_span(const expansion_t *x, size_t first, size_t n,
                               xshim_query_t *q)
{
    match_name_t scratch;
    const word_t *w = &x->pq->clauses[first].words[0];
    if (!q)
        return NULL;
    const match_name_t *known = word_name(x, w, &scratch);
    if (!known)
        return xshim_query_free(q), NULL;
    /* The first word's entry, which flags and snippets read: the span's
       place is its place. */
    match_name_t *m = known == &scratch
                          ? &scratch
                          : &x->recorded->names[known - x->recorded->names];
    if (!m->n_places) {
        place_context_t p = {x, m};
        span_places(x, first, n, add_place, &p);
        if (m->n_places && m != &scratch && !m->forms)
            find_own_forms(x, w, m);
    }
    xshim_query_t *places = m->n_places ? places_query(x, m) : NULL;
    if (m == &scratch)
        name_clear(&scratch);
    if (!places)
        return q;
    if (x->weighted)
        places = xshim_query_scaled(places, NAME_WEIGHT);
    return combine_two(XSHIM_OR, q, places);
}
