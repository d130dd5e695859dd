/*
 * bench_langid.c — language identification as nidx does it (CLD2 on the
 * title and the first 4 KB of the body), scored against the `lang` labels
 * of JSON Lines files:
 *   bench_langid [--textcat] FILE.jsonl[.gz]...
 * Prints accuracy per labeled language, then overall, with docs/s.
 * --textcat scores libexttextcat instead, the other candidate in Debian
 * (built in when libexttextcat-dev is installed).
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "utf8.h"
#include "xapian_shim.h"

#ifdef HAVE_EXTTEXTCAT
#include <libexttextcat/textcat.h>
#endif

#define SAMPLE 4096
#define MAX_LANGS 128

typedef struct tally {
    char lang[16];
    long right, all;
} tally_t;

static tally_t tallies[MAX_LANGS];
static int n_tallies;

static tally_t *tally_for(const char *lang)
{
    for (int i = 0; i < n_tallies; i++)
        if (strcmp(tallies[i].lang, lang) == 0)
            return &tallies[i];
    if (n_tallies == MAX_LANGS)
        return NULL;
    snprintf(tallies[n_tallies].lang, sizeof tallies[0].lang, "%s", lang);
    return &tallies[n_tallies++];
}

static const char *field(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) ||
        !json_object_is_type(v, json_type_string))
        return "";
    return json_object_get_string(v);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* libexttextcat's answer, "[ru][uk]" at worst, as the first code. */
static bool textcat_identify(void *tc, const char *text, size_t n, char code[8])
{
#ifdef HAVE_EXTTEXTCAT
    const char *r = textcat_Classify(tc, text, n);
    size_t k = 0;
    if (!r || r[0] != '[')
        return false;
    for (r++; *r && *r != ']' && *r != '-' && k < 7; r++)
        code[k++] = *r;
    code[k] = '\0';
    return k > 0;
#else
    (void)tc, (void)text, (void)n, (void)code;
    return false;
#endif
}

int main(int argc, char **argv)
{
    static char line[64 << 20], sample[SAMPLE + 2];
    double seconds = 0;
    void *tc = NULL;
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "--textcat") == 0) {
#ifdef HAVE_EXTTEXTCAT
        tc = special_textcat_Init("/usr/share/libexttextcat/fpdb.conf",
                                  "/usr/share/libexttextcat/");
#endif
        if (!tc) {
            fprintf(stderr, "bench_langid: libexttextcat not available\n");
            return 2;
        }
        first = 2;
    }
    for (int f = first; f < argc; f++) {
        gzFile gz = gzopen(argv[f], "rb");
        if (!gz) {
            perror(argv[f]);
            continue;
        }
        while (gzgets(gz, line, sizeof line)) {
            json_object *o = json_tokener_parse(line);
            if (!o)
                continue;
            const char *lang = field(o, "lang");
            size_t n = snprintf(sample, sizeof sample, "%s\n%s",
                                field(o, "title"), field(o, "body"));
            if (n > SAMPLE)
                n = utf8_valid_prefix(sample, SAMPLE);
            char code[8];
            double t0 = now();
            bool ok = tc ? textcat_identify(tc, sample, n, code)
                         : xshim_identify_language(sample, n, code);
            seconds += now() - t0;
            tally_t *t = *lang ? tally_for(lang) : NULL;
            if (t) {
                t->all++;
                t->right += ok && strcmp(code, lang) == 0;
            }
            json_object_put(o);
        }
        gzclose(gz);
    }
    long right = 0, all = 0;
    for (int i = 0; i < n_tallies; i++) {
        printf("%-4s %6ld/%-6ld %5.1f%%\n", tallies[i].lang, tallies[i].right,
               tallies[i].all, 100.0 * tallies[i].right / tallies[i].all);
        right += tallies[i].right;
        all += tallies[i].all;
    }
    printf("all  %6ld/%-6ld %5.1f%%  %.0f docs/s\n", right, all,
           all ? 100.0 * right / all : 0.0, all / seconds);
    return 0;
}
