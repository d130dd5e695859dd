/*
 * test_names.c — name keys measured on tests/names/: every spelling of a
 * line of names.tsv must share the key of the line's English spelling
 * (recall), and different names must not (false merges): the pairs of
 * different.tsv, and every two spellings of different lines. Prints the
 * figures by script and tradition (doc/manual.md quotes them); fails when
 * recall or false merges pass the bounds below, set from this table so
 * that a change of rules that loses names shows.
 *
 *   tests/test_names [DIR]      (DIR: where names.tsv is; default
 *                                $srcdir/tests/names)
 *   tests/test_names -v [DIR]   also lists every miss and merge
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/namekey.h"
#include "tap.h"

/* Bounds: what the rules reach, less a margin of a few pairs. */
#define MIN_RECALL 0.82
#define MAX_FALSE_MERGES_HAND 0.13    /* share of different.tsv */
#define MAX_FALSE_MERGES_CROSS 0.0003 /* share of cross-line pairs */
#define MAX_COMMON_WORDS_FIT 0.15     /* of words.tsv's pairs with a key */

#define MAX_SPELLINGS 4096
#define MAX_TAGS 64

typedef struct spelling {
    int line;
    char tag[8];
    char word[128];
    char key[NAMEKEY_MAX + 1];
    namekey_shape_t shape;
    namekey_spelling_t fine; /* the key with its vowels' qualities */
} spelling_t;

typedef struct tally {
    char tag[8];
    int pairs, shared;
} tally_t;

static spelling_t sp[MAX_SPELLINGS];
static int n_sp;
static tally_t tags[MAX_TAGS];
static int n_tags;
static bool verbose;

static tally_t *tally_of(const char *tag)
{
    for (int i = 0; i < n_tags; i++)
        if (strcmp(tags[i].tag, tag) == 0)
            return &tags[i];
    if (n_tags == MAX_TAGS)
        return &tags[MAX_TAGS - 1];
    snprintf(tags[n_tags].tag, sizeof tags[n_tags].tag, "%s", tag);
    return &tags[n_tags++];
}

static FILE *open_in(const char *dir, const char *name)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        fprintf(stderr, "test_names: cannot open %s\n", path);
    return f;
}

static void add(namekey_t *k, int line, const char *tag, const char *word)
{
    if (n_sp == MAX_SPELLINGS)
        return;
    spelling_t *s = &sp[n_sp++];
    s->line = line;
    snprintf(s->tag, sizeof s->tag, "%s", tag);
    snprintf(s->word, sizeof s->word, "%s", word);
    namekey_of(k, word, strlen(word), s->key, &s->shape);
    namekey_spell(k, word, strlen(word), &s->fine);
}

static bool fine;           /* compare spellings vowel by vowel */
static namekey_t *keymaker; /* main()'s */

/* namekey_spellings_fit() of spellings a (of the word `word`) and b (of
   `other`) as queries ask it: under their one key, or an alphabet's
   under the keys Arabic writes it with (namekey_spell_arabic()). -1 when
   they do not fit; *keyed, whether they share a key. */
static int fit_as_asked(const char *word, const namekey_spelling_t *a,
                        const char *other, const namekey_spelling_t *b,
                        bool *keyed)
{
    *keyed = a->key[0] && strcmp(a->key, b->key) == 0;
    if (*keyed)
        return namekey_spellings_fit(a, b);
    for (int ayin = 0; ayin < 2 && a->shape.family == NAMEKEY_ALPHABET &&
                       namekey_arabic(other);
         ayin++) {
        namekey_spelling_t arabic;
        if (namekey_spell_arabic(keymaker, word, strlen(word), ayin, &arabic) &&
            strcmp(arabic.key, b->key) == 0) {
            *keyed = true;
            return namekey_spellings_fit(&arabic, b);
        }
    }
    return -1;
}

/* Whether spelling b may be the name a asks for: one key, and vowels that fit
   (namekey_shapes_fit(), or with `fine` namekey_spellings_fit()). */
static bool same_name(const spelling_t *a, const spelling_t *b)
{
    if (!a->key[0])
        return false;
    if (!fine)
        return strcmp(a->key, b->key) == 0 &&
               namekey_shapes_fit(&a->shape, &b->shape);
    bool keyed;
    return fit_as_asked(a->word, &a->fine, b->word, &b->fine, &keyed) >= 0;
}

/* The next line of a table of two fields (comments and blank lines
   skipped) into buf, cut at its tab: the second field, NULL at the end. */
static char *next_pair(FILE *f, char *buf, int cap)
{
    while (f && fgets(buf, cap, f)) {
        if (buf[0] == '#' || buf[0] == '\n')
            continue;
        buf[strcspn(buf, "\n")] = '\0';
        char *tab = strchr(buf, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        return tab + 1;
    }
    return NULL;
}

/* Reads names.tsv: a line's fields after the first are tag:spelling. */
static int read_names(namekey_t *k, const char *dir)
{
    FILE *f = open_in(dir, "names.tsv");
    char buf[4096];
    int lines = 0;
    if (!f)
        return -1;
    while (fgets(buf, sizeof buf, f)) {
        if (buf[0] == '#' || buf[0] == '\n')
            continue;
        buf[strcspn(buf, "\n")] = '\0';
        char *save = NULL, *field = strtok_r(buf, "\t", &save);
        add(k, lines, "en", field);
        while ((field = strtok_r(NULL, "\t", &save))) {
            char *colon = strchr(field, ':');
            if (!colon)
                continue;
            *colon = '\0';
            add(k, lines, field, colon + 1);
        }
        lines++;
    }
    fclose(f);
    return lines;
}

/* Recall and false merges of keys, with shapes or finely (`fine`). */
static void measure(namekey_t *k, const char *dir)
{
    for (int i = 0; i < n_tags; i++)
        tags[i].pairs = tags[i].shared = 0;
    /* Recall: each spelling against its line's first (English). */
    int pairs = 0, shared = 0, first = 0;
    for (int i = 0; i < n_sp; i++) {
        if (i > 0 && sp[i].line == sp[i - 1].line) {
            tally_t *t = tally_of(sp[i].tag);
            bool same = same_name(&sp[first], &sp[i]);
            pairs++;
            t->pairs++;
            shared += same;
            t->shared += same;
            if (verbose && !same)
                printf("# miss %s %s [%s] vs %s [%s]\n", sp[i].tag, sp[i].word,
                       sp[i].key, sp[first].word, sp[first].key);
        } else {
            first = i;
        }
    }
    double recall = pairs ? (double)shared / pairs : 0;
    for (int i = 0; i < n_tags; i++)
        printf("# %-3s %3d of %3d pairs share a key (%.0f %%)\n", tags[i].tag,
               tags[i].shared, tags[i].pairs,
               100.0 * tags[i].shared / tags[i].pairs);
    CHECK(pairs >= 300 && n_tags >= 10,
          "at least 300 pairs in at least 10 languages (%d, %d)", pairs,
          n_tags);
    CHECK(recall >= MIN_RECALL, "recall %.3f (%d of %d pairs) >= %.2f", recall,
          shared, pairs, MIN_RECALL);

    /* False merges across lines. */
    long cross = 0, merged = 0;
    for (int i = 0; i < n_sp; i++)
        for (int j = i + 1; j < n_sp; j++) {
            if (sp[i].line == sp[j].line)
                continue;
            cross++;
            if (same_name(&sp[i], &sp[j])) {
                merged++;
                if (verbose)
                    printf("# merge %s %s [%s]\n", sp[i].word, sp[j].word,
                           sp[i].key);
            }
        }
    double cross_rate = cross ? (double)merged / cross : 1;
    CHECK(cross > 300 && cross_rate <= MAX_FALSE_MERGES_CROSS,
          "false merges across names: %ld of %ld pairs (%.4f %%)", merged,
          cross, 100 * cross_rate);

    /* False merges among look-alikes. */
    FILE *f = open_in(dir, "different.tsv");
    char buf[1024];
    int hand = 0, hand_merged = 0;
    for (char *second; (second = next_pair(f, buf, sizeof buf));) {
        spelling_t x, y;
        namekey_of(k, buf, strlen(buf), x.key, &x.shape);
        namekey_of(k, second, strlen(second), y.key, &y.shape);
        namekey_spell(k, buf, strlen(buf), &x.fine);
        namekey_spell(k, second, strlen(second), &y.fine);
        hand++;
        if (same_name(&x, &y)) {
            hand_merged++;
            if (verbose)
                printf("# look-alike merge %s %s [%s]\n", buf, second, x.key);
        }
    }
    if (f)
        fclose(f);
    double hand_rate = hand ? (double)hand_merged / hand : 1;
    CHECK(hand >= 300 && hand_rate <= MAX_FALSE_MERGES_HAND,
          "false merges among look-alikes: %d of %d pairs (%.1f %%)",
          hand_merged, hand, 100 * hand_rate);

    /* Common words of abjads against the names' spellings in scripts that
       write every vowel: pairs with one key, and those whose vowels fit. */
    f = open_in(dir, "words.tsv");
    int words = 0, keyed = 0, fitted = 0;
    for (char *word; (word = next_pair(f, buf, sizeof buf));) {
        spelling_t w;
        namekey_of(k, word, strlen(word), w.key, &w.shape);
        namekey_spell(k, word, strlen(word), &w.fine);
        words++;
        for (int i = 0; i < n_sp; i++) {
            if (sp[i].shape.family == NAMEKEY_ABJAD || !w.key[0] ||
                strcmp(w.key, sp[i].key))
                continue;
            keyed++;
            if (same_name(&sp[i], &w)) {
                fitted++;
                if (verbose)
                    printf("# word fits %s %s [%s]\n", word, sp[i].word, w.key);
            }
        }
    }
    if (f)
        fclose(f);
    /* Shapes tell little here (most such keys have two classes, and
       Arabic writes few vowels); the vowels' qualities tell more. */
    CHECK(words >= 150, "words.tsv read (%d common Arabic and Hebrew words)",
          words);
    double fit_rate = keyed ? (double)fitted / keyed : 1;
    printf("# common words: %d pairs with a name's key in another script, "
           "%d fit its vowels (%.1f %%)\n",
           keyed, fitted, 100 * fit_rate);
    if (fine)
        CHECK(fit_rate <= MAX_COMMON_WORDS_FIT,
              "common words fitting a name's vowels: %.1f %% <= %.0f %%",
              100 * fit_rate, 100 * MAX_COMMON_WORDS_FIT);
}

/* Latin names and spellings of their key (an Arabic one as queries ask
   it: fit_as_asked()): whether namekey_spellings_fit() takes them, by
   the letters the key's classes join and the vowels it leaves out; or,
   unkeyed, that no key the query asks is the other's. */
#define UNKEYED 2
static const struct {
    const char *name, *other;
    int fits; /* true, false or UNKEYED */
    const char *why;
} LETTERS[] = {
    {"Hamas", "حماس", true, "h is ح"},
    {"Hamas", "خمس", false, "kh is no h"},
    {"Hamas", "هامش", false, "sh is no s"},
    {"Khamenei", "خامنئي", true, "kh is خ"},
    {"Astana", "استثناء", false, "th is no t"},
    {"Haitham", "هيثم", true, "th is ث"},
    {"Gaddafi", "القذافي", true, "d is ذ"},
    {"Reagan", "ريغان", true, "g is غ"},
    {"Reagan", "راكان", false, "k is no g"},
    {"Google", "غوغل", true, "g is غ"},
    {"Beijing", "البنك", false, "k is no g"},
    {"OPEC", "أوبك", true, "c is ك"},
    {"OPEC", "الأبواق", false, "q is no c"},
    {"OPEC", "أيباك", false, "a first i is no o"},
    {"Osama", "أسامة", true, "an alif carries any first vowel"},
    {"Istanbul", "إسطنبول", true, "إ is i"},
    {"Juncker", "يونكر", true, "a first y is j"},
    {"Juncker", "أنكر", false, "an alif is no j"},
    {"Assad", "الأسد", true, "the article aside"},
    {"Assad", "الأجساد", false, "ج is no vowel"},
    {"Biden", "بعيدين", false, "an ayin for one vowel letter"},
    {"Saad", "سعد", true, "an ayin for two vowel letters"},
    {"Reagan", "عريقان", false, "an ayin first"},
    {"Aramco", "Orange", false, "an n before a stop is no m"},
    {"Aramco", "Арамко", true, "m before k"},
    {"Trump", "ترامب", true, "m before b"},
    {"Washington", "واشنطن", true, "ng before a consonant is n"},
    {"Abbas", "عباس", true, "a first vowel as an ayin"},
    {"Omar", "عمر", true, "a first vowel as an ayin"},
    {"Abbas", "باس", false, "a first vowel left out only as an ayin"},
    {"Yasser", "عصر", UNKEYED, "an ayin is no y"},
};

static void letters_told_apart(namekey_t *k)
{
    size_t right = 0, n = sizeof LETTERS / sizeof *LETTERS;
    for (size_t i = 0; i < n; i++) {
        namekey_spelling_t a, b;
        bool keyed;
        namekey_spell(k, LETTERS[i].name, strlen(LETTERS[i].name), &a);
        namekey_spell(k, LETTERS[i].other, strlen(LETTERS[i].other), &b);
        bool fits = fit_as_asked(LETTERS[i].name, &a, LETTERS[i].other, &b,
                                 &keyed) >= 0;
        if (LETTERS[i].fits == UNKEYED ? !keyed
                                       : keyed && fits == LETTERS[i].fits)
            right++;
        else
            printf("# %s %s: %s (%s)\n", LETTERS[i].name, LETTERS[i].other,
                   keyed ? "wrong" : "keys differ", LETTERS[i].why);
    }
    CHECK(right == n,
          "letters a key joins told apart (%zu of %zu: ش, خ, ث, غ, ك, ق, ج, ع, "
          "a first vowel, m and n before a stop, ng)",
          right, n);
}

int main(int argc, char **argv)
{
    int a = 1;
    if (a < argc && strcmp(argv[a], "-v") == 0) {
        verbose = true;
        a++;
    }
    char dir[1024];
    const char *srcdir = getenv("srcdir");
    snprintf(dir, sizeof dir, "%s", a < argc ? argv[a] : "tests/names");
    if (a >= argc && srcdir)
        snprintf(dir, sizeof dir, "%s/tests/names", srcdir);

    nidx_error_t *err = NULL;
    namekey_t *k = namekey_new(err);
    keymaker = k;
    CHECK(k != NULL, "a key maker opens");
    if (!k)
        return tap_done();

    /* Keys of words that must have none, or a given one. */
    char key[NAMEKEY_MAX + 1];
    namekey_shape_t shape;
    CHECK(namekey_of(k, "2022", 4, key, &shape) == 0, "a number has no key");
    CHECK(namekey_of(k, "习近平", strlen("习近平"), key, &shape) == 0,
          "Chinese has no key (no transliteration meets the press's)");
    CHECK(namekey_of(k, "Ai", 2, key, &shape) == 0, "one consonant is no key");
    namekey_of(k, "Zelensky", 8, key, &shape);
    char other[NAMEKEY_MAX + 1];
    namekey_of(k, "zelensky", 8, other, &shape);
    CHECK(strcmp(key, other) == 0 && key[0], "case does not change a key (%s)",
          key);

    letters_told_apart(k);

    int lines = read_names(k, dir);
    CHECK(lines > 0, "names.tsv read (%d names, %d spellings)", lines, n_sp);

    for (int pass = 0; pass < 2; pass++) {
        fine = pass == 1;
        printf("# %s\n", fine ? "keys and vowels' qualities "
                                "(namekey_spellings_fit(), as queries match)"
                              : "keys and shapes (namekey_shapes_fit())");
        measure(k, dir);
    }

    namekey_free(k);
    return tap_done();
}
