/*
 * split.c — a word's second matching term: what a reader types for a word
 * that carries a suffix, an elided article or a particle.
 */
#include "split.h"

#include <stdbool.h>
#include <string.h>

/* Elided articles and prepositions of French, Italian and Catalan: in
   "l'europe" the word is what follows them. */
static bool is_elision(const char *s, size_t n)
{
    static const char *const words[] = {
        "l",     "d",     "j",      "m",      "n",      "s",      "t",
        "c",     "qu",    "jusqu",  "lorsqu", "puisqu", "quoiqu", "dell",
        "nell",  "all",   "dall",   "sull",   "coll",   "un",     "gl",
        "quest", "quell", "nessun", "sant",   "tutt",   "bell",   "pell"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0)
            return true;
    return false;
}

static size_t count_chars(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* Length of a Korean particle ending the word w[0..n), or 0. */
static size_t korean_particle(const char *w, size_t n)
{
    /* Longest first; each follows a noun inside the same word. */
    static const char *const particles[] = {
        "에서는", "에서도", "에서의", "에게서", "에게는", "에게도", "으로는",
        "으로도", "으로의", "이라고", "까지는", "부터는", "에서",   "에게",
        "으로",   "께서",   "한테",   "까지",   "부터",   "처럼",   "보다",
        "라고",   "에는",   "에도",   "과의",   "와의",   "은",     "는",
        "이",     "가",     "을",     "를",     "의",     "에",     "와",
        "과",     "도",     "로",     "만"};
    /* Only whole-Hangul words: syllables are U+AC00..U+D7A3. */
    if (n < 9 || (unsigned char)w[0] < 0xEA || (unsigned char)w[0] > 0xED)
        return 0;
    for (size_t i = 0; i < sizeof particles / sizeof particles[0]; i++) {
        size_t k = strlen(particles[i]);
        /* At least two syllables must stay: "사과" is no "사" + "과". */
        if (n >= k + 6 && memcmp(w + n - k, particles[i], k) == 0)
            return k;
    }
    return 0;
}

const char *split_second_term(const char *w, size_t n, size_t *len)
{
    const char *apostrophe = memchr(w, '\'', n);
    if (apostrophe) {
        size_t before = (size_t)(apostrophe - w), after = n - before - 1;
        if (after > 0 && is_elision(w, before)) {
            *len = after;
            return apostrophe + 1;
        }
        if (count_chars(w, before) >= 2 && after > 0 &&
            count_chars(apostrophe + 1, after) <= 6) {
            *len = before;
            return w;
        }
        return NULL;
    }
    size_t particle = korean_particle(w, n);
    if (particle) {
        *len = n - particle;
        return w;
    }
    return NULL;
}
