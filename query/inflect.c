/*
 * inflect.c — nouns' endings for languages without a stemmer (Kazakh).
 *
 * Kazakh joins its endings to the word in a fixed order (plural,
 * possessive, case), each in the forms vowel harmony and the last sound
 * of the word choose among; the lists hold every form, which over-accepts
 * nothing that matters here: the word before the endings is a place's
 * whole name.
 */
#include "inflect.h"

#include <stdio.h>
#include <string.h>

/* The slots of a Kazakh noun's endings, in order; each list ends with
   NULL. */
static const char *const KK_PLURAL[] = {"лар", "лер", "дар", "дер",
                                        "тар", "тер", NULL};
static const char *const KK_POSSESSIVE[] = {
    "ымыз", "іміз", "мыз", "міз", "ыңыз", "іңіз", "ңыз", "ңіз", "ым", "ім",
    "м",    "ың",   "ің",  "ң",   "сы",   "сі",   "ы",   "і",   NULL};
static const char *const KK_CASE[] = {
    /* genitive, dative, accusative */
    "ның", "нің", "дың", "дің", "тың", "тің", "ға", "ге", "қа", "ке", "на",
    "не", "а", "е", "ны", "ні", "ды", "ді", "ты", "ті", "н",
    /* locative, and "that is in" */
    "ндағы", "ндегі", "дағы", "дегі", "тағы", "тегі", "нда", "нде", "да", "де",
    "та", "те",
    /* ablative, instrumental */
    "ндан", "нден", "дан", "ден", "тан", "тен", "нан", "нен", "мен", "бен",
    "пен", NULL};

static const char *const *const KK_SLOTS[] = {KK_PLURAL, KK_POSSESSIVE,
                                              KK_CASE};
#define KK_N_SLOTS 3

/* Whether rest[0..n) is endings of slots[from..] (each at most once). */
static bool endings(const char *const *const *slots, size_t n_slots,
                    size_t from, const char *rest, size_t n)
{
    if (n == 0)
        return true;
    for (size_t s = from; s < n_slots; s++)
        for (const char *const *e = slots[s]; *e; e++) {
            size_t len = strlen(*e);
            if (len <= n && memcmp(rest, *e, len) == 0 &&
                endings(slots, n_slots, s + 1, rest + len, n - len))
                return true;
        }
    return false;
}

bool inflect_known(const char *lang)
{
    return strcmp(lang, "kk") == 0;
}

bool inflect_is_ending(const char *lang, const char *rest, size_t n)
{
    return n > 0 && inflect_known(lang) &&
           endings(KK_SLOTS, KK_N_SLOTS, 0, rest, n);
}

typedef struct scan {
    const char *lang, *start; /* start: prefix + word */
    size_t max, kept, read;
    void (*fn)(void *context, const char *form, size_t len);
    void *context;
} scan_t;

static int keep_form(void *context, const char *rest, size_t len, uint64_t freq)
{
    (void)freq;
    scan_t *s = context;
    char form[256];
    size_t start = strlen(s->start);
    if (inflect_is_ending(s->lang, rest, len) && start + len < sizeof form) {
        snprintf(form, sizeof form, "%s%.*s", s->start, (int)len, rest);
        s->fn(s->context, form, start + len);
        s->kept++;
    }
    return s->kept == s->max || ++s->read == INFLECT_SCAN_MAX;
}

size_t inflect_forms(xshim_reader_t *reader, const char *lang,
                     const char *prefix, const char *word, size_t max,
                     void (*fn)(void *context, const char *form, size_t len),
                     void *context)
{
    char start[256];
    if (!inflect_known(lang) || max == 0 ||
        (size_t)snprintf(start, sizeof start, "%s%s", prefix, word) >=
            sizeof start)
        return 0;
    scan_t s = {lang, start, max, 0, 0, fn, context};
    xshim_reader_terms(reader, start, keep_form, &s, NULL);
    return s.kept;
}
