/* snippet.c — choosing, cutting and highlighting a passage. */
#include "snippet.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* Only this much of an article is searched for a passage. */
#define SNIPPET_SCAN_BYTES (256u << 10)
/* Matches remembered; the best window is among the first ones anyway. */
#define SNIPPET_MAX_MATCHES 512

/* Token starts remembered behind the current one, to open a window on. */
#define SNIPPET_LOOKBACK 16

typedef struct hit_word {
    size_t start, end;
    size_t context; /* a token start a little before, where a window may
                       begin: a word boundary in any script */
    unsigned term;  /* index in q->terms, < 64 */
} hit_word_t;

typedef struct finder {
    const parsed_query_t *q;
    size_t lead; /* bytes of context wanted before a match */
    size_t recent[SNIPPET_LOOKBACK];
    size_t n_seen;
    hit_word_t words[SNIPPET_MAX_MATCHES];
    size_t n;
} finder_t;

/* The earliest remembered token start at most f->lead bytes before `at`. */
static size_t context_start(const finder_t *f, size_t at)
{
    size_t kept = f->n_seen < SNIPPET_LOOKBACK ? f->n_seen : SNIPPET_LOOKBACK;
    for (size_t k = kept; k > 0; k--) {
        size_t start = f->recent[(f->n_seen - k) % SNIPPET_LOOKBACK];
        if (start + f->lead >= at)
            return start;
    }
    return at;
}

static int find_matches(void *context, const token_t *t)
{
    finder_t *f = context;
    size_t n_terms = f->q->n_terms < 64 ? f->q->n_terms : 64;
    for (size_t i = 0; i < n_terms; i++) {
        const char *term = f->q->terms[i];
        if (strlen(term) == t->term_len &&
            memcmp(term, t->term, t->term_len) == 0) {
            f->words[f->n++] = (hit_word_t){
                t->start, t->end, context_start(f, t->start), (unsigned)i};
            break;
        }
    }
    f->recent[f->n_seen++ % SNIPPET_LOOKBACK] = t->start;
    return f->n == SNIPPET_MAX_MATCHES;
}

/* Index of the first match of the window with the best score. */
static size_t best_window(const finder_t *f, size_t target)
{
    size_t best = 0;
    unsigned best_score = 0;
    for (size_t i = 0; i < f->n; i++) {
        uint64_t seen = 0;
        unsigned distinct = 0, count = 0;
        for (size_t j = i;
             j < f->n && f->words[j].end - f->words[i].start <= target; j++) {
            uint64_t bit = 1ULL << f->words[j].term;
            if (!(seen & bit))
                distinct++;
            seen |= bit;
            count++;
        }
        unsigned score = distinct * 1000 + count;
        if (score > best_score) {
            best_score = score;
            best = i;
        }
    }
    return best;
}

static bool is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool is_continuation(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

/* The window [*from, *to) around the chosen match, at word edges. */
static void place_window(const char *text, size_t len, const finder_t *f,
                         size_t target, size_t *from, size_t *to)
{
    /* A text that fits is shown whole. */
    size_t s =
        f->n && len > target ? f->words[best_window(f, target)].context : 0;
    size_t e = s + target < len ? s + target : len;
    if (e < len) { /* end before a space, if one is in the second half */
        size_t k = e;
        while (k > s + target / 2 && !is_space(text[k]))
            k--;
        if (k > s + target / 2)
            e = k;
        while (e > s && is_continuation(text[e]))
            e--;
    }
    *from = s;
    *to = e;
}

/* Closes the span opened at out->spans[n_spans].start, merging it into the
   previous one when they touch (ideographs matched term by term). */
static void add_span(snippet_t *out, size_t end)
{
    size_t n = out->n_spans;
    if (n > 0 && out->spans[n - 1].end == out->spans[n].start)
        out->spans[n - 1].end = (uint32_t)end;
    else
        out->spans[out->n_spans++].end = (uint32_t)end;
}

void snippet_free(snippet_t *s)
{
    free(s->text);
    free(s->spans);
    memset(s, 0, sizeof *s);
}

nidx_status_t snippet_make(analyzer_t *an, const char *text, size_t len,
                           const parsed_query_t *q, size_t target,
                           snippet_t *out, nidx_error_t *err)
{
    finder_t *f = malloc(sizeof *f);
    size_t from, to;
    memset(out, 0, sizeof *out);
    if (!f)
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    f->q = q;
    f->lead = target / 4;
    f->n = f->n_seen = 0;
    size_t scan = len < SNIPPET_SCAN_BYTES ? len : SNIPPET_SCAN_BYTES;
    while (scan < len && is_continuation(text[scan]))
        scan--;
    nidx_status_t st =
        analyzer_run(an, text, scan, 0, find_matches, f, NULL, err);
    if (st != NIDX_OK) {
        free(f);
        return st;
    }
    place_window(text, len, f, target, &from, &to);

    /* "…" (3 bytes) at each end, and every byte of the window at most. */
    out->text = malloc(to - from + 7);
    out->spans = malloc((f->n ? f->n : 1) * sizeof *out->spans);
    if (!out->text || !out->spans) {
        free(f);
        snippet_free(out);
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    }
    size_t o = 0, w = 0;
    while (w < f->n && f->words[w].start < from)
        w++;
    while (from < to && is_space(text[from]))
        from++;
    if (from > 0) {
        memcpy(out->text, "\xE2\x80\xA6", 3);
        o = 3;
    }
    for (size_t i = from; i < to; i++) {
        if (w < f->n && f->words[w].start == i && f->words[w].end <= to)
            out->spans[out->n_spans].start = (uint32_t)o;
        if (is_space(text[i])) {
            if (o > 0 && out->text[o - 1] != ' ')
                out->text[o++] = ' ';
        } else {
            out->text[o++] = text[i];
        }
        if (w < f->n && f->words[w].end == i + 1) {
            if (f->words[w].end <= to && f->words[w].start >= from)
                add_span(out, o);
            w++;
        }
    }
    while (o > 0 && out->text[o - 1] == ' ')
        o--;
    if (to < len) {
        memcpy(out->text + o, "\xE2\x80\xA6", 3);
        o += 3;
    }
    out->text[o] = '\0';
    free(f);
    return NIDX_OK;
}
