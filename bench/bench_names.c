/*
 * bench_names.c — names across scripts on real news, judged on the text:
 *   bench_names INDEX NAMES.tsv FILE.jsonl[.gz]...
 * NAMES.tsv holds "query<TAB>spellings" lines ('#' starts a comment): the
 * spellings of one name in every script, '|'-separated, lower-case, each
 * the start of a word ("сербі" matches Сербії), or, after a '*', any part
 * of one (Arabic writes its clitics on the word: "*صربي" is in وصربيا),
 * or after a '=' the whole word; spellings in ideographs match anywhere.
 * FILE... are the articles the index holds. For each name, with name keys
 * and places (as shipped) and with --exact-script:
 *   P@10    of the first ten hits, those whose text holds a spelling;
 *   recall  of the articles whose text holds a spelling, those found
 *           (every hit counted, copies not folded);
 *   flags   of the hits flagged as matched through another spelling, those
 *           whose text holds one;
 *   did you mean: whether the search offered a correction.
 * Then the averages. A benchmark: the text is the corpora's, read at run
 * time, never stored.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include "nidx.h"
#include "peer_input.h"

#define PAGE 10000
#define MAX_HITS 100000

/* ---- the articles' words ---- */

typedef struct word_entry {
    char *word;
    uint32_t *articles; /* ascending, distinct */
    uint32_t n, cap;
} word_entry_t;

static word_entry_t *table; /* open addressing, power of two */
static size_t table_size, words_used;
static char **ids; /* article index -> id */
static size_t n_articles, ids_cap;

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static void grow_table(void);

static word_entry_t *slot(const char *w, size_t n)
{
    if (words_used * 2 >= table_size)
        grow_table();
    size_t i = hash(w, n) & (table_size - 1);
    while (table[i].word &&
           (strncmp(table[i].word, w, n) != 0 || table[i].word[n] != '\0'))
        i = (i + 1) & (table_size - 1);
    return &table[i];
}

static void grow_table(void)
{
    word_entry_t *old = table;
    size_t old_size = table_size;
    table_size = table_size ? table_size * 2 : 1 << 20;
    table = calloc(table_size, sizeof *table);
    words_used = 0;
    for (size_t i = 0; i < old_size; i++)
        if (old[i].word) {
            *slot(old[i].word, strlen(old[i].word)) = old[i];
            words_used++;
        }
    free(old);
}

static void add_word(const char *w, size_t n, uint32_t article)
{
    word_entry_t *e = slot(w, n);
    if (!e->word) {
        e->word = strndup(w, n);
        words_used++;
    }
    if (e->n && e->articles[e->n - 1] == article)
        return;
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 4;
        e->articles = realloc(e->articles, e->cap * sizeof *e->articles);
    }
    e->articles[e->n++] = article;
}

/* The words of text, lower-cased: letters, marks and digits. */
static void add_text(const char *text, uint32_t article)
{
    size_t n = strlen(text);
    UChar *u = malloc((n + 1) * sizeof *u), *low = malloc((n + 1) * sizeof *u);
    char *out = malloc(n * 3 + 4);
    int32_t un = 0, ln = 0, on = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8(u, (int32_t)n + 1, &un, text, (int32_t)n, &st);
    ln = u_strToLower(low, (int32_t)n + 1, u, un, "", &st);
    int32_t kept = 0; /* İ lower-cases to i and a dot above: i, as typed */
    for (int32_t i = 0; i < ln; i++)
        if (low[i] != 0x0307)
            low[kept++] = low[i];
    ln = kept;
    u_strToUTF8(out, (int32_t)n * 3 + 4, &on, low, ln, &st);
    if (U_SUCCESS(st)) {
        int32_t i = 0, start = -1;
        while (i <= on) {
            UChar32 c = 0;
            int32_t at = i;
            if (i < on)
                U8_NEXT(out, i, on, c);
            else
                i++;
            int8_t type = c > 0 ? u_charType(c) : 0;
            bool part = c > 0 && (u_isalnum(c) || type == U_NON_SPACING_MARK ||
                                  type == U_COMBINING_SPACING_MARK);
            if (part && start < 0)
                start = at;
            if (!part && start >= 0) {
                add_word(out + start, (size_t)(at - start), article);
                start = -1;
            }
        }
    }
    free(u);
    free(low);
    free(out);
}

static void read_article(void *context, const peer_article_t *a)
{
    (void)context;
    if (n_articles == ids_cap) {
        ids_cap = ids_cap ? ids_cap * 2 : 4096;
        ids = realloc(ids, ids_cap * sizeof *ids);
    }
    ids[n_articles] = strdup(a->id);
    add_text(a->title, (uint32_t)n_articles);
    add_text(a->body, (uint32_t)n_articles);
    n_articles++;
}

/* ---- ids to articles ---- */

static uint32_t *id_slots;
static size_t id_size;

static void index_ids(void)
{
    id_size = 1;
    while (id_size < n_articles * 2)
        id_size *= 2;
    id_slots = malloc(id_size * sizeof *id_slots);
    memset(id_slots, 0xff, id_size * sizeof *id_slots);
    for (uint32_t a = 0; a < n_articles; a++) {
        size_t i = hash(ids[a], strlen(ids[a])) & (id_size - 1);
        while (id_slots[i] != UINT32_MAX)
            i = (i + 1) & (id_size - 1);
        id_slots[i] = a;
    }
}

static uint32_t article_of(const char *id)
{
    size_t i = hash(id, strlen(id)) & (id_size - 1);
    for (; id_slots[i] != UINT32_MAX; i = (i + 1) & (id_size - 1))
        if (strcmp(ids[id_slots[i]], id) == 0)
            return id_slots[i];
    return UINT32_MAX;
}

/* ---- the truth: articles holding a spelling ---- */

static const char **vocabulary; /* sorted */
static size_t n_vocabulary;

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void sort_vocabulary(void)
{
    vocabulary = malloc(words_used * sizeof *vocabulary);
    for (size_t i = 0; i < table_size; i++)
        if (table[i].word)
            vocabulary[n_vocabulary++] = table[i].word;
    qsort(vocabulary, n_vocabulary, sizeof *vocabulary, by_string);
}

/* The scripts of spellings, as bits of an article's truth. */
enum { LATIN = 1, CYRILLIC = 2, ARABIC = 4, HAN = 8, N_SCRIPTS = 4 };
static const char *const SCRIPT_NAMES[N_SCRIPTS] = {"Latn", "Cyrl", "Arab",
                                                    "Hani"};

static uint8_t script_of(const char *s)
{
    UChar32 c;
    int32_t i = 0, n = (int32_t)strlen(s);
    U8_NEXT(s, i, n, c);
    return c < 0x250 ? LATIN : c < 0x530 ? CYRILLIC : c < 0x700 ? ARABIC : HAN;
}

static uint8_t spelling_bit; /* the script of the spelling being marked */

static void mark_word(const char *w, uint8_t *truth)
{
    word_entry_t *e = slot(w, strlen(w));
    for (uint32_t i = 0; i < e->n; i++)
        truth[e->articles[i]] |= spelling_bit;
}

/* Marks the articles holding spelling s: a word start; with '*' any part
   of a word, as is any spelling in ideographs (Chinese writes no spaces:
   a "word" here is a whole run); with '=' a whole word. */
static void mark_spelling(const char *s, uint8_t *truth)
{
    const unsigned char *u = (const unsigned char *)s;
    spelling_bit = script_of(*s == '*' || *s == '=' ? s + 1 : s);
    bool ideographs = u[0] >= 0xE4 && u[0] <= 0xE9;
    if (*s == '*' || ideographs) {
        const char *part = *s == '*' ? s + 1 : s;
        for (size_t i = 0; i < n_vocabulary; i++)
            if (strstr(vocabulary[i], part))
                mark_word(vocabulary[i], truth);
        return;
    }
    if (*s == '=') {
        word_entry_t *e = slot(s + 1, strlen(s + 1));
        if (e->word)
            mark_word(e->word, truth);
        return;
    }
    size_t n = strlen(s), lo = 0, hi = n_vocabulary;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(vocabulary[mid], s) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < n_vocabulary && strncmp(vocabulary[lo], s, n) == 0; lo++)
        mark_word(vocabulary[lo], truth);
}

/* ---- one name ---- */

typedef struct figures {
    double p10, recall, flags_right;
    size_t flags, suggestions;
    size_t truth_by[N_SCRIPTS], found_by[N_SCRIPTS]; /* articles per script */
} figures_t;

static figures_t measure(nidx_searcher_t *s, const char *query,
                         const uint8_t *truth, size_t n_truth, bool exact)
{
    figures_t f = {0, 0, 1, 0, 0, {0}, {0}};
    for (size_t a = 0; a < n_articles; a++)
        for (int b = 0; b < N_SCRIPTS; b++)
            f.truth_by[b] += (truth[a] >> b) & 1;
    nidx_search_options_t o;
    nidx_search_options_init(&o);
    o.limit = PAGE;
    o.snippets = false;
    o.collapse = false;
    o.exact_script = exact;
    size_t top = 0, right_top = 0, found = 0, flagged = 0, flagged_right = 0;
    for (size_t n = PAGE; n == PAGE && o.offset < MAX_HITS; o.offset += PAGE) {
        nidx_results_t *r;
        nidx_error_t err;
        if (nidx_search(s, query, &o, &r, &err) != NIDX_OK) {
            fprintf(stderr, "bench_names: %s: %s\n", query, err.message);
            break;
        }
        n = nidx_results_count(r);
        for (size_t i = 0; i < n; i++) {
            const nidx_hit_t *h = nidx_results_hit(r, i);
            uint32_t a = article_of(h->article.id);
            bool right = a != UINT32_MAX && truth[a];
            if (o.offset + i < 10) {
                top++;
                right_top += right;
            }
            found += right;
            for (int b = 0; right && b < N_SCRIPTS; b++)
                f.found_by[b] += (truth[a] >> b) & 1;
            if (h->n_transliterated) {
                flagged++;
                flagged_right += right;
            }
        }
        if (o.offset == 0)
            f.suggestions = nidx_results_suggestion(r) != NULL;
        nidx_results_free(r);
    }
    f.p10 = top ? (double)right_top / (double)top : 1;
    f.recall = n_truth ? (double)found / (double)n_truth : 1;
    f.flags = flagged;
    f.flags_right = flagged ? (double)flagged_right / (double)flagged : 1;
    return f;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_names INDEX NAMES.tsv FILE...\n");
        return 2;
    }
    for (int i = 3; i < argc; i++)
        if (peer_read_articles(argv[i], read_article, NULL) < 0)
            fprintf(stderr, "bench_names: cannot read %s\n", argv[i]);
    index_ids();
    sort_vocabulary();
    nidx_searcher_t *s;
    nidx_error_t err;
    if (nidx_searcher_open(argv[1], &s, &err) != NIDX_OK) {
        fprintf(stderr, "bench_names: %s\n", err.message);
        return 2;
    }
    FILE *names = fopen(argv[2], "r");
    if (!names) {
        perror(argv[2]);
        return 2;
    }
    uint8_t *truth = malloc(n_articles ? n_articles : 1);
    char line[8192];
    figures_t sum[2] = {{0, 0, 0, 0, 0, {0}, {0}}, {0, 0, 0, 0, 0, {0}, {0}}};
    size_t n_names = 0, below[2] = {0, 0};
    printf("%-14s %6s | %5s %6s %5s %5s | %5s %6s | with keys and places, "
           "then --exact-script\n",
           "name", "truth", "P@10", "recall", "flags", "right", "P@10",
           "recall");
    while (fgets(line, sizeof line, names)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab)
            continue;
        *tab = '\0';
        memset(truth, 0, n_articles);
        for (char *sp = strtok(tab + 1, "|"); sp; sp = strtok(NULL, "|"))
            mark_spelling(sp, truth);
        size_t n_truth = 0;
        for (size_t a = 0; a < n_articles; a++)
            n_truth += truth[a] != 0;
        figures_t f[2];
        for (int m = 0; m < 2; m++) {
            f[m] = measure(s, line, truth, n_truth, m == 1);
            sum[m].p10 += f[m].p10;
            sum[m].recall += f[m].recall;
            sum[m].flags_right += f[m].flags_right;
            sum[m].flags += f[m].flags;
            sum[m].suggestions += f[m].suggestions;
            below[m] += f[m].p10 < 0.8;
        }
        n_names++;
        printf("%-14s %6zu | %5.2f %6.3f %5zu %5.2f | %5.2f %6.3f%s\n", line,
               n_truth, f[0].p10, f[0].recall, f[0].flags, f[0].flags_right,
               f[1].p10, f[1].recall,
               f[0].suggestions ? "  (did you mean)" : "");
        if (getenv("NAMES_BY_SCRIPT")) { /* where recall is lost */
            printf("%21s", "recall by script:");
            for (int b = 0; b < N_SCRIPTS; b++)
                if (f[0].truth_by[b])
                    printf(" %s %zu/%zu", SCRIPT_NAMES[b], f[0].found_by[b],
                           f[0].truth_by[b]);
            printf("\n");
        }
    }
    fclose(names);
    if (n_names)
        for (int m = 0; m < 2; m++)
            printf("%s: %zu names, P@10 %.3f, recall %.3f, flags right %.3f "
                   "(%zu flagged), names below P@10 0.8: %zu, 'did you "
                   "mean' on %zu\n",
                   m ? "--exact-script" : "as shipped", n_names,
                   sum[m].p10 / (double)n_names,
                   sum[m].recall / (double)n_names,
                   sum[m].flags_right / (double)n_names, sum[m].flags, below[m],
                   sum[m].suggestions);
    nidx_searcher_close(s);
    return 0;
}
