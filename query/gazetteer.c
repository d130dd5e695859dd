/* gazetteer.c — countries and cities in every language, from ICU's CLDR. */
#include "gazetteer.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucal.h>
#include <unicode/uenum.h>
#include <unicode/uloc.h>
#include <unicode/ures.h>
#include <unicode/ustring.h>

#include "error.h"
#include "language.h"
#include "utf8.h"

/* ICU's time zone data, where the exemplar cities are. */
#define ZONE_DATA U_ICUDATA_NAME "-zone"
#define NAME_MAX_BYTES 256

typedef struct place_name {
    char lang[LANGUAGE_CODE_MAX]; /* the language writing it so */
    char *name;                   /* matching forms, space-separated */
    char *exact;    /* case-folded forms with their diacritics, the same
                       way; what a query word is looked up by */
    uint32_t place; /* which place */
} place_name_t;

struct gazetteer {
    place_name_t *names; /* sorted by exact spelling, then place */
    size_t n, cap;
    place_name_t *by_place; /* the same, sorted by place */
    place_name_t *by_form;  /* the same, sorted by matching form */
    bool nomem;
};

/* ---- folding a name as articles' words are folded ---- */

typedef struct folded {
    char text[NAME_MAX_BYTES], exact[NAME_MAX_BYTES];
    size_t len, exact_len;
    bool too_long;
} folded_t;

/* Appends a word to one of the two spellings, a space before it. */
static bool append(char *to, size_t *len, const char *w, size_t n)
{
    if (*len + n + 2 > NAME_MAX_BYTES)
        return false;
    if (*len)
        to[(*len)++] = ' ';
    memcpy(to + *len, w, n);
    *len += n;
    to[*len] = '\0';
    return true;
}

static int add_word(void *context, const token_t *t)
{
    folded_t *f = context;
    bool fits = append(f->text, &f->len, t->term, t->term_len) &&
                append(f->exact, &f->exact_len, t->exact ? t->exact : t->term,
                       t->exact ? t->exact_len : t->term_len);
    f->too_long |= !fits;
    return !fits;
}

static void add_name(gazetteer_t *g, analyzer_t *an, const char *lang,
                     uint32_t place, const UChar *name, int32_t n)
{
    char utf8[NAME_MAX_BYTES];
    UErrorCode st = U_ZERO_ERROR;
    int32_t len = 0;
    u_strToUTF8(utf8, sizeof utf8, &len, name, n, &st);
    folded_t f = {.len = 0};
    nidx_error_t err;
    if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING ||
        analyzer_run(an, utf8, (size_t)len, 0, add_word, &f, NULL, &err) !=
            NIDX_OK ||
        f.too_long || f.len == 0)
        return;
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 1024;
        place_name_t *p = realloc(g->names, cap * sizeof *p);
        if (!p) {
            g->nomem = true;
            return;
        }
        g->names = p;
        g->cap = cap;
    }
    place_name_t *p = &g->names[g->n];
    snprintf(p->lang, sizeof p->lang, "%s", lang);
    p->name = strdup(f.text);
    p->exact = strdup(f.exact);
    p->place = place;
    if (!p->name || !p->exact) {
        free(p->name);
        free(p->exact);
        g->nomem = true;
        return;
    }
    g->n++;
}

/* ---- reading ICU's data ---- */

/* The regions' names in `lang`: place i is the i-th ISO 3166 code. */
static void add_countries(gazetteer_t *g, analyzer_t *an, const char *lang)
{
    const char *const *codes = uloc_getISOCountries();
    for (uint32_t i = 0; codes[i]; i++) {
        char locale[16] = "und_";
        UChar name[128];
        UErrorCode st = U_ZERO_ERROR;
        strncat(locale, codes[i], 8);
        int32_t n = uloc_getDisplayCountry(locale, lang, name, 128, &st);
        /* Without a name of its own, ICU gives the code back. */
        if (U_SUCCESS(st) && st != U_USING_DEFAULT_WARNING && n > 0 &&
            !(n == 2 && name[0] == (UChar)codes[i][0] &&
              name[1] == (UChar)codes[i][1]))
            add_name(g, an, lang, i, name, n);
    }
}

/* Zone places start here, numbered in the order of ICU's list of
   canonical location zones (the same for every language). */
#define ZONE_BASE 1000u

/* Whether a zone's city is a place people write about: not an Antarctic
   station ("Antarctica/Troll"). */
static bool city_zone(const char *id)
{
    return strchr(id, '/') && strncmp(id, "Antarctica/", 11) != 0;
}

/* The exemplar cities of the time zones in `lang` (their "ec" names); in
   English, which writes none where the zone's own name says it, that
   name, "_" a space. */
static void add_cities(gazetteer_t *g, analyzer_t *an, const char *lang)
{
    UErrorCode st = U_ZERO_ERROR, own_st = U_ZERO_ERROR;
    UEnumeration *ids = ucal_openTimeZoneIDEnumeration(
        UCAL_ZONE_TYPE_CANONICAL_LOCATION, NULL, NULL, &st);
    UResourceBundle *bundle = ures_open(ZONE_DATA, lang, &own_st);
    UResourceBundle *own = ures_getByKey(bundle, "zoneStrings", NULL, &own_st);
    const char *id;
    for (uint32_t i = 0; U_SUCCESS(st) && (id = uenum_next(ids, NULL, &st));
         i++) {
        char key[64];
        UChar name[128];
        int32_t n = 0;
        if (!city_zone(id) || strlen(id) >= sizeof key)
            continue;
        for (size_t k = 0; (key[k] = id[k] == '/' ? ':' : id[k]); k++)
            ;
        UErrorCode s = U_ZERO_ERROR;
        UResourceBundle *entry =
            U_SUCCESS(own_st) ? ures_getByKey(own, key, NULL, &s) : NULL;
        const UChar *ec =
            entry ? ures_getStringByKey(entry, "ec", &n, &s) : NULL;
        if (ec && U_SUCCESS(s) && n > 0 && n < 128) {
            memcpy(name, ec, (size_t)n * sizeof *name);
        } else if (strcmp(lang, "en") == 0) {
            const char *city = strrchr(id, '/') + 1;
            for (n = 0; city[n] && n < 127; n++)
                name[n] = city[n] == '_' ? ' ' : (UChar)city[n];
        } else {
            n = 0;
        }
        ures_close(entry);
        if (n > 0)
            add_name(g, an, lang, ZONE_BASE + i, name, n);
    }
    ures_close(own);
    ures_close(bundle);
    uenum_close(ids);
}

/* ---- the table ---- */

static int by_name(const void *a, const void *b)
{
    const place_name_t *x = a, *y = b;
    int c = strcmp(x->exact, y->exact);
    if (c == 0 && x->place != y->place)
        c = (x->place > y->place) - (x->place < y->place);
    return c ? c : strcmp(x->lang, y->lang);
}

static int by_form(const void *a, const void *b)
{
    const place_name_t *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : by_name(a, b);
}

static int by_place(const void *a, const void *b)
{
    const place_name_t *x = a, *y = b;
    if (x->place != y->place)
        return (x->place > y->place) - (x->place < y->place);
    return by_name(a, b);
}

/* Leaves one entry of each (name, place). */
static void unique(gazetteer_t *g)
{
    size_t k = 0;
    for (size_t i = 0; i < g->n; i++) {
        if (k && by_name(&g->names[k - 1], &g->names[i]) == 0) {
            free(g->names[i].name);
            free(g->names[i].exact);
            continue;
        }
        g->names[k++] = g->names[i];
    }
    g->n = k;
}

static bool listed(const char *const *langs, size_t n, const char *lang)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(langs[i], lang) == 0)
            return true;
    return false;
}

gazetteer_t *gazetteer_new(analyzer_t *an, const char *const *languages,
                           size_t n, nidx_error_t *err)
{
    static const char *const query_langs[] = {GAZETTEER_QUERY_LANGUAGES};
    size_t n_query = sizeof query_langs / sizeof *query_langs;
    gazetteer_t *g = calloc(1, sizeof *g);
    if (!g)
        goto nomem;
    analyzer_set_language(an, NULL);
    for (size_t i = 0; i < n_query + n && !g->nomem; i++) {
        const char *lang =
            i < n_query ? query_langs[i] : languages[i - n_query];
        if (i >= n_query && listed(query_langs, n_query, lang))
            continue;
        add_countries(g, an, lang);
        add_cities(g, an, lang);
    }
    if (g->nomem)
        goto nomem;
    qsort(g->names, g->n, sizeof *g->names, by_name);
    unique(g);
    if (g->n && (!(g->by_place = malloc(g->n * sizeof *g->by_place)) ||
                 !(g->by_form = malloc(g->n * sizeof *g->by_form))))
        goto nomem;
    if (g->n) {
        memcpy(g->by_place, g->names, g->n * sizeof *g->names);
        memcpy(g->by_form, g->names, g->n * sizeof *g->names);
    }
    qsort(g->by_place, g->n, sizeof *g->by_place, by_place);
    qsort(g->by_form, g->n, sizeof *g->by_form, by_form);
    return g;
nomem:
    gazetteer_free(g);
    error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    return NULL;
}

void gazetteer_free(gazetteer_t *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n; i++) {
        free(g->names[i].name);
        free(g->names[i].exact);
    }
    free(g->names);
    free(g->by_place);
    free(g->by_form);
    free(g);
}

/* The first entry of `list` not before `key` (by `cmp`). */
static size_t lower_bound(const place_name_t *list, size_t n,
                          const place_name_t *key,
                          int (*cmp)(const void *, const void *))
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp(&list[mid], key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Calls fn for every name of `place` but those spelled `exact`. */
static void names_of(const gazetteer_t *g, uint32_t place, const char *exact,
                     gazetteer_name_fn fn, void *context)
{
    place_name_t first = {"", NULL, "", place};
    for (size_t j = lower_bound(g->by_place, g->n, &first, by_place);
         j < g->n && g->by_place[j].place == place; j++) {
        const place_name_t *p = &g->by_place[j];
        if (strcmp(p->exact, exact) != 0)
            fn(context, p->name,
               strcmp(p->exact, p->name) != 0 ? p->exact : NULL, p->lang);
    }
}

size_t gazetteer_other_names(const gazetteer_t *g, const char *exact,
                             const char *term, gazetteer_name_fn fn,
                             void *context)
{
    place_name_t key = {"", (char *)term, (char *)exact, 0};
    size_t places = 0;
    for (size_t i = lower_bound(g->names, g->n, &key, by_name);
         i < g->n && strcmp(g->names[i].exact, exact) == 0; i++, places++)
        names_of(g, g->names[i].place, exact, fn, context);
    if (places || utf8_count(term, strlen(term)) < GAZETTEER_FORM_LETTERS)
        return places;
    for (size_t i = lower_bound(g->by_form, g->n, &key, by_form);
         i < g->n && strcmp(g->by_form[i].name, term) == 0; i++, places++)
        names_of(g, g->by_form[i].place, g->by_form[i].exact, fn, context);
    return places;
}
