/* language.c — language codes and cached stemming. */
#include "language.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xapian_shim.h"

bool language_normalize(const char *tag, char out[LANGUAGE_CODE_MAX])
{
    size_t n = 0;
    if (!tag)
        return false;
    while (tag[n] && tag[n] != '-' && tag[n] != '_') {
        if (n + 1 >= LANGUAGE_CODE_MAX || !isalpha((unsigned char)tag[n]))
            return false;
        out[n] = (char)tolower((unsigned char)tag[n]);
        n++;
    }
    out[n] = '\0';
    return n >= 2;
}

const char *language_stemmer_name(const char *code)
{
    static const char *const names[][2] = {
        {"ar", "arabic"},     {"hy", "armenian"},  {"eu", "basque"},
        {"ca", "catalan"},    {"da", "danish"},    {"nl", "dutch"},
        {"en", "english"},    {"fi", "finnish"},   {"fr", "french"},
        {"de", "german"},     {"hu", "hungarian"}, {"id", "indonesian"},
        {"ms", "indonesian"}, {"ga", "irish"},     {"it", "italian"},
        {"lt", "lithuanian"}, {"ne", "nepali"},    {"no", "norwegian"},
        {"nb", "norwegian"},  {"nn", "norwegian"}, {"pt", "portuguese"},
        {"ro", "romanian"},   {"ru", "russian"},   {"es", "spanish"},
        {"sv", "swedish"},    {"ta", "tamil"},     {"tr", "turkish"},
    };
    for (size_t i = 0; code && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i][0], code) == 0)
            return names[i][1];
    return NULL;
}

/* A direct-mapped cache: a word hashes to one slot, which holds the last
   word that hashed there and its stem. */
#define CACHE_SLOTS 1024
#define CACHE_WORD 40

/* The script of a word, from its first character's UTF-8 lead bytes. */
typedef enum script {
    S_LATIN,
    S_CYRILLIC,
    S_ARABIC,
    S_ARMENIAN,
    S_DEVANAGARI,
    S_TAMIL,
    S_OTHER
} script_t;

static script_t script_of(const char *word)
{
    const unsigned char *w = (const unsigned char *)word;
    if (w[0] < 0x80 || (w[0] >= 0xC3 && w[0] <= 0xC9))
        return S_LATIN; /* ASCII, Latin-1 and Latin Extended */
    if (w[0] >= 0xD0 && w[0] <= 0xD3)
        return S_CYRILLIC;
    if (w[0] >= 0xD4 && w[0] <= 0xD6)
        return S_ARMENIAN;
    if (w[0] >= 0xD8 && w[0] <= 0xDB)
        return S_ARABIC;
    if (w[0] == 0xE0 && (w[1] == 0xA4 || w[1] == 0xA5))
        return S_DEVANAGARI;
    if (w[0] == 0xE0 && (w[1] == 0xAE || w[1] == 0xAF))
        return S_TAMIL;
    return S_OTHER;
}

bool language_writes(const char *code, const char *word)
{
    script_t want = S_LATIN;
    if (strcmp(code, "ru") == 0 || strcmp(code, "kk") == 0)
        want = S_CYRILLIC;
    else if (strcmp(code, "ar") == 0)
        want = S_ARABIC;
    else if (strcmp(code, "hy") == 0)
        want = S_ARMENIAN;
    else if (strcmp(code, "ne") == 0)
        want = S_DEVANAGARI;
    else if (strcmp(code, "ta") == 0)
        want = S_TAMIL;
    return script_of(word) == want;
}

typedef struct cache_slot {
    uint8_t word_len, stem_len; /* stem_len 0: the stem is the word */
    char word[CACHE_WORD];
    char stem[CACHE_WORD];
} cache_slot_t;

struct stemmer {
    xshim_stem_t *stem;
    bool wants_folded;
    cache_slot_t *cache;
    char out[256];
};

stemmer_t *stemmer_new(const char *code)
{
    const char *name = language_stemmer_name(code);
    stemmer_t *s;
    if (!name || !(s = calloc(1, sizeof *s)))
        return NULL;
    s->stem = xshim_stem_new(name);
    s->wants_folded = strcmp(name, "russian") == 0;
    s->cache = calloc(CACHE_SLOTS, sizeof *s->cache);
    if (!s->stem || !s->cache) {
        stemmer_free(s);
        return NULL;
    }
    return s;
}

void stemmer_free(stemmer_t *s)
{
    if (!s)
        return;
    xshim_stem_free(s->stem);
    free(s->cache);
    free(s);
}

bool stemmer_wants_folded(const stemmer_t *s)
{
    return s->wants_folded;
}

static uint32_t hash(const char *w, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)w[i]) * 16777619u;
    return h;
}

const char *stemmer_stem(stemmer_t *s, const char *word, size_t len,
                         size_t *stem_len)
{
    cache_slot_t *slot = NULL;
    if (len < CACHE_WORD) {
        slot = &s->cache[hash(word, len) % CACHE_SLOTS];
        if (slot->word_len == len && memcmp(slot->word, word, len) == 0) {
            *stem_len = slot->stem_len;
            return slot->stem_len ? slot->stem : NULL;
        }
    }
    long n = xshim_stem_apply(s->stem, word, len, s->out, sizeof s->out);
    bool same = n < 0 || ((size_t)n == len && memcmp(s->out, word, len) == 0);
    if (slot && (same || n < CACHE_WORD)) {
        slot->word_len = (uint8_t)len;
        memcpy(slot->word, word, len);
        slot->stem_len = same ? 0 : (uint8_t)n;
        if (!same)
            memcpy(slot->stem, s->out, (size_t)n);
    }
    if (same || n == 0)
        return NULL;
    *stem_len = (size_t)n;
    return s->out;
}
