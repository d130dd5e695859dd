/*
 * nsearch.c — the search command, over the public API.
 *
 *   nsearch [--index DIR] [--json] [--limit N] [--offset N] [--no-snippets]
 *           [--no-stemming] [--sort ORDER] [--count] [--facets] QUERY...
 *
 * Exit status, as grep's: 0 when something matched (shown or not), 1 when
 * nothing did, 2 on an error (no index, a malformed query, a bad option).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "nidx.h"
#include "present.h"

/* Values of one filter option taken (--lang en --lang sr...), as nidx
   serve takes. */
#define MAX_FILTER_VALUES 32

static void usage(FILE *out)
{
    fputs(
        "usage: nsearch [--index DIR] [--json] [--limit N] [--offset N]\n"
        "               [--no-snippets] [--no-stemming] [--exact-script]\n"
        "               [--sort ORDER] [--count] [--facets] [--all] [--plain]\n"
        "               [--bm25 K1,B] [--time-limit S] [--strict]\n"
        "               [--lang CODE] [--source NAME] [--site HOST] [--id ID]\n"
        "               [--date-from DATE] [--date-to DATE] [--exact-total]\n"
        "               QUERY... | --batch FILE\n"
        "\n"
        "Searches an index built by nidx. Articles holding every item of\n"
        "QUERY come first. QUERY is words, \"phrases\", AND OR NOT ( ),\n"
        "+required -excluded, word*, a NEAR/n b, title: lang: source:\n"
        "site: id: date:FROM..TO (man nsearch tells more).\n"
        "\n"
        "  -i, --index DIR   the index (default: $NIDX_INDEX, else\n"
        "                    $XDG_DATA_HOME/nidx/index, else\n"
        "                    ~/.local/share/nidx/index)\n"
        "  -j, --json        one JSON object on standard output\n"
        "  -n, --limit N     show N hits (default 10)\n"
        "  -o, --offset N    skip the first N hits (paging)\n"
        "      --no-snippets leave out the excerpts\n"
        "      --no-stemming match the words' own forms only\n"
        "      --exact-script  names only as written, not in other scripts\n"
        "      --sort ORDER  relevance (default), date (oldest first) or\n"
        "                    -date (newest first); articles holding every\n"
        "                    word still come first\n"
        "      --count       print the exact number of matches alone\n"
        "      --facets      count matches per source, language, month\n"
        "      --plain       the query is plain words: no operators, fields,\n"
        "                    quotes or wildcards\n"
        "      --bm25 K1,B   BM25's parameters (default 2.0,0.75)\n"
        "      --all         show every copy of near-duplicate articles\n"
        "                    (default: the best, with the number of others)\n"
        "      --time-limit S  stop a search after S seconds (default 10;\n"
        "                    0: no limit) and show the best hits it found\n"
        "      --strict      fail (exit 2) when a remote shard does not\n"
        "                    answer, instead of answering from the others\n"
        "      --lang CODE, --source NAME, --site HOST, --id ID\n"
        "                    only articles with this language, source,\n"
        "                    host or id (each may repeat: any of them),\n"
        "                    as the fields lang: source: site: id: are;\n"
        "                    with them, QUERY may be left out\n"
        "      --date-from DATE, --date-to DATE\n"
        "                    only articles dated within (YYYY, YYYY-MM or\n"
        "                    YYYY-MM-DD, inclusive)\n"
        "      --exact-total count every match exactly\n"
        "      --batch FILE  each line QID<TAB>QUERY (- for standard input)\n"
        "                    answered by a JSON line, in one process\n"
        "  -h, --help        show this help\n"
        "  -V, --version     show the version\n"
        "\n"
        "Exit status: 0 hits found, 1 no hits, 2 error.\n",
        out);
}

static bool parse_count(const char *name, const char *s, unsigned max,
                        unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || *s == '-' || v > max) {
        fprintf(stderr, "nsearch: %s needs a number from 0 to %u\n", name, max);
        return false;
    }
    *out = (unsigned)v;
    return true;
}

/* Marks an argument that getopt must take for a query word. */
#define WORD_MARK '\x01'

/* Whether argv[i] is an option: short ones are -X or -nNUMBER, long ones
   --NAME. Anything else starting with '-' is an excluded query word
   (nsearch bayraktar -serbia). */
static bool is_option(const char *arg)
{
    if (arg[0] != '-' || arg[1] == '\0' || arg[1] == '-')
        return arg[0] == '-' && arg[1] == '-';
    if (!strchr("ijnohV", arg[1]))
        return false;
    if (arg[2] == '\0')
        return true;
    if (arg[1] != 'n' && arg[1] != 'o')
        return false;
    return strspn(arg + 2, "0123456789") == strlen(arg + 2);
}

/* Whether option `arg` takes the next argument as its value. */
static bool takes_value(const char *arg)
{
    static const char *const with_value[] = {
        "-i",      "-n",           "-o",          "--index",
        "--limit", "--offset",     "--sort",      "--batch",
        "--bm25",  "--time-limit", "--lang",      "--source",
        "--site",  "--id",         "--date-from", "--date-to"};
    for (size_t i = 0; i < sizeof with_value / sizeof with_value[0]; i++)
        if (strcmp(arg, with_value[i]) == 0)
            return true;
    return false;
}

/* Copies of the query words that look like options, marked so that
   getopt leaves them in place; NULL when out of memory. */
static bool protect_words(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (is_option(argv[i])) {
            i += takes_value(argv[i]);
            continue;
        }
        if (argv[i][0] != '-')
            continue;
        size_t n = strlen(argv[i]);
        char *marked = malloc(n + 2); /* lives as long as the process */
        if (!marked)
            return false;
        marked[0] = WORD_MARK;
        memcpy(marked + 1, argv[i], n + 1);
        argv[i] = marked;
    }
    return true;
}

/* The query words joined by spaces; caller frees. */
static char *join_words(int n, char **words)
{
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(words[i]) + 1;
    char *q = malloc(len), *p = q;
    if (!q)
        return NULL;
    for (int i = 0; i < n; i++) {
        const char *w = words[i] + (words[i][0] == WORD_MARK);
        size_t k = strlen(w);
        memcpy(p, w, k);
        p += k;
        *p++ = ' ';
    }
    if (p > q)
        p--;
    *p = '\0';
    return q;
}

/* Columns a code point takes on a terminal: East Asian wide ones two. */
static int columns(unsigned cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                   (cp >= 0xAC00 && cp <= 0xD7A3) ||
                   (cp >= 0xF900 && cp <= 0xFAFF) ||
                   (cp >= 0xFF00 && cp <= 0xFF60) ||
                   (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000
               ? 2
               : 1;
}

/* Shows where in the query a message "... (at position N)" points. */
static void show_position(const char *query, const char *message)
{
    const char *at = strstr(message, "(at position ");
    unsigned long pos = at ? strtoul(at + 13, NULL, 10) : 0;
    if (pos == 0 || strchr(query, '\n'))
        return;
    fprintf(stderr, "  %s\n  ", query);
    const unsigned char *q = (const unsigned char *)query;
    for (unsigned long k = 1; *q && k < pos; k++) {
        unsigned cp = *q++;
        if (cp >= 0xC0) { /* a lead byte: gather its continuation */
            int more = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : 1;
            cp &= 0x3F >> more;
            while (more-- > 0 && (*q & 0xC0) == 0x80)
                cp = cp << 6 | (*q++ & 0x3F);
        }
        fputs(columns(cp) == 2 ? "  " : " ", stderr);
    }
    fputs("^\n", stderr);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* --strict: an answer missing a remote shard is an error. */
static bool strict;

/*
 * Says on standard error what an answer lacks (`what`: the query, or its
 * id in a batch): hits whose text could not be read (a warning), remote
 * shards left out; true when --strict makes the latter an error.
 */
static bool left_out(const nidx_results_t *r, const char *what)
{
    unsigned unreadable = nidx_results_unreadable(r);
    if (unreadable)
        fprintf(stderr,
                "nsearch: warning: %s%s%s%s; %u hit%s shown without %s "
                "snippet (nidx check lists every such article)\n",
                what ? what : "", what ? ": " : "",
                nidx_results_unreadable_why(r),
                unreadable > 1 ? ", and others" : "", unreadable,
                unreadable > 1 ? "s" : "", unreadable > 1 ? "their" : "its");
    unsigned failed = nidx_results_shards_failed(r);
    if (!failed)
        return false;
    fprintf(stderr,
            "nsearch: %s%s%u shard%s did not answer and %s left out (%s)%s\n",
            what ? what : "", what ? ": " : "", failed, failed > 1 ? "s" : "",
            failed > 1 ? "are" : "is", nidx_results_shards_failure(r),
            strict ? "" : "; the hits are from the others");
    return strict;
}

/*
 * nsearch --batch FILE: each line "qid<TAB>query" answered by one JSON
 * line (present.h), in one process, the index opened once. Exit status 2
 * when some line was malformed or a query refused (the others are still
 * answered), else 0.
 */
static int run_batch(const char *index, const char *path,
                     const nidx_search_options_t *so)
{
    nidx_error_t err;
    nidx_searcher_t *s;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    unsigned long number = 0;
    int status = 0;
    if (!f) {
        fprintf(stderr, "nsearch: %s: %s\n", path, strerror(errno));
        return 2;
    }
    if (nidx_searcher_open(index, &s, &err) != NIDX_OK) {
        fprintf(stderr, "nsearch: %s\n", err.message);
        if (f != stdin)
            fclose(f);
        return 2;
    }
    ssize_t got;
    while ((got = getline(&line, &cap, f)) > 0) {
        number++;
        if (memchr(line, '\0', (size_t)got)) {
            fprintf(stderr,
                    "nsearch: %s:%lu: a NUL byte in the line; not "
                    "searched\n",
                    path, number);
            status = 2;
            continue;
        }
        line[strcspn(line, "\r\n")] = '\0';
        if (!*line)
            continue;
        char *tab = strchr(line, '\t');
        if (!tab) {
            fprintf(stderr,
                    "nsearch: %s:%lu: no tab between the query id and "
                    "the query\n",
                    path, number);
            status = 2;
            continue;
        }
        *tab = '\0';
        nidx_results_t *r;
        double start = now_ms();
        if (nidx_search(s, tab + 1, so, &r, &err) != NIDX_OK) {
            present_batch_error(stdout, line, tab + 1, err.message);
            status = 2;
            continue;
        }
        if (left_out(r, line)) {
            present_batch_error(stdout, line, tab + 1,
                                "a shard did not answer (--strict)");
            status = 2;
            nidx_results_free(r);
            continue;
        }
        batch_query_t b = {line, now_ms() - start};
        present_batch(stdout, &b, r);
        nidx_results_free(r);
    }
    free(line);
    if (f != stdin)
        fclose(f);
    nidx_searcher_close(s);
    return status;
}

int main(int argc, char **argv)
{
    enum {
        OPT_NO_SNIPPETS = 256,
        OPT_NO_STEMMING,
        OPT_EXACT_SCRIPT,
        OPT_SORT,
        OPT_COUNT,
        OPT_FACETS,
        OPT_ALL,
        OPT_PLAIN,
        OPT_BM25,
        OPT_BATCH,
        OPT_TIME_LIMIT,
        OPT_STRICT,
        OPT_LANG, /* the filters, in the order of filter_values */
        OPT_SOURCE,
        OPT_SITE,
        OPT_ID,
        OPT_DATE_FROM,
        OPT_DATE_TO,
        OPT_EXACT_TOTAL
    };
    static const struct option options[] = {
        {"index", required_argument, NULL, 'i'},
        {"json", no_argument, NULL, 'j'},
        {"limit", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, 'o'},
        {"no-snippets", no_argument, NULL, OPT_NO_SNIPPETS},
        {"no-stemming", no_argument, NULL, OPT_NO_STEMMING},
        {"exact-script", no_argument, NULL, OPT_EXACT_SCRIPT},
        {"sort", required_argument, NULL, OPT_SORT},
        {"count", no_argument, NULL, OPT_COUNT},
        {"facets", no_argument, NULL, OPT_FACETS},
        {"all", no_argument, NULL, OPT_ALL},
        {"plain", no_argument, NULL, OPT_PLAIN},
        {"bm25", required_argument, NULL, OPT_BM25},
        {"batch", required_argument, NULL, OPT_BATCH},
        {"time-limit", required_argument, NULL, OPT_TIME_LIMIT},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"lang", required_argument, NULL, OPT_LANG},
        {"source", required_argument, NULL, OPT_SOURCE},
        {"site", required_argument, NULL, OPT_SITE},
        {"id", required_argument, NULL, OPT_ID},
        {"date-from", required_argument, NULL, OPT_DATE_FROM},
        {"date-to", required_argument, NULL, OPT_DATE_TO},
        {"exact-total", no_argument, NULL, OPT_EXACT_TOTAL},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    nidx_search_options_t so;
    /* The values of --lang, --source, --site, --id, as the options'
       arrays (langs, sources, sites, ids). */
    static const char *filter_values[4][MAX_FILTER_VALUES];
    size_t n_filter[4] = {0};
    const char *index = NULL, *batch = NULL;
    bool json = false, count = false;
    int c;
    nidx_search_options_init(&so);
    if (!protect_words(argc, argv)) {
        fprintf(stderr, "nsearch: out of memory\n");
        return 2;
    }
    while ((c = getopt_long(argc, argv, "i:jn:o:hV", options, NULL)) != -1) {
        switch (c) {
        case 'i': index = optarg; break;
        case 'j': json = true; break;
        case 'n':
            if (!parse_count("--limit", optarg, 10000, &so.limit))
                return 2;
            break;
        case 'o':
            if (!parse_count("--offset", optarg, 100000000, &so.offset))
                return 2;
            break;
        case OPT_NO_SNIPPETS: so.snippets = false; break;
        case OPT_NO_STEMMING: so.stemming = false; break;
        case OPT_EXACT_SCRIPT: so.exact_script = true; break;
        case OPT_SORT:
            if (strcmp(optarg, "relevance") == 0)
                so.sort = NIDX_SORT_RELEVANCE;
            else if (strcmp(optarg, "date") == 0)
                so.sort = NIDX_SORT_DATE_ASCENDING;
            else if (strcmp(optarg, "-date") == 0)
                so.sort = NIDX_SORT_DATE_DESCENDING;
            else {
                fprintf(stderr,
                        "nsearch: --sort takes relevance, date or "
                        "-date, not '%s'\n",
                        optarg);
                return 2;
            }
            break;
        case OPT_COUNT: count = true; break;
        case OPT_FACETS: so.facets = true; break;
        case OPT_ALL: so.collapse = false; break;
        case OPT_PLAIN: so.plain = true; break;
        case OPT_BATCH: batch = optarg; break;
        case OPT_STRICT: strict = true; break;
        case OPT_LANG:
        case OPT_SOURCE:
        case OPT_SITE:
        case OPT_ID: {
            size_t f = (size_t)(c - OPT_LANG);
            if (n_filter[f] == MAX_FILTER_VALUES) {
                static const char *const names[] = {"lang", "source", "site",
                                                    "id"};
                fprintf(stderr, "nsearch: --%s is taken at most %d times\n",
                        names[f], MAX_FILTER_VALUES);
                return 2;
            }
            filter_values[f][n_filter[f]++] = optarg;
            break;
        }
        case OPT_DATE_FROM: so.date_from = optarg; break;
        case OPT_DATE_TO: so.date_to = optarg; break;
        case OPT_EXACT_TOTAL: so.exact_total = true; break;
        case OPT_BM25: {
            char *end;
            so.bm25_k1 = strtod(optarg, &end);
            if (*end == ',')
                so.bm25_b = strtod(end + 1, &end);
            if (*end || end == optarg) {
                fprintf(stderr,
                        "nsearch: --bm25 takes K1,B such as 2.0,0.75\n");
                return 2;
            }
            break;
        }
        case OPT_TIME_LIMIT: {
            char *end;
            so.time_limit = strtod(optarg, &end);
            if (*end || end == optarg || !(so.time_limit >= 0) ||
                so.time_limit > 86400) {
                fprintf(stderr, "nsearch: --time-limit takes seconds, from 0 "
                                "(no limit) to 86400\n");
                return 2;
            }
            break;
        }
        case 'h': usage(stdout); return 0;
        case 'V': printf("nsearch %s\n", nidx_version_string()); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (batch && optind < argc) {
        fprintf(stderr, "nsearch: --batch takes its queries from a file, not "
                        "the command line\n");
        return 2;
    }
    so.langs = filter_values[0], so.n_langs = n_filter[0];
    so.sources = filter_values[1], so.n_sources = n_filter[1];
    so.sites = filter_values[2], so.n_sites = n_filter[2];
    so.ids = filter_values[3], so.n_ids = n_filter[3];
    bool filtered = n_filter[0] || n_filter[1] || n_filter[2] || n_filter[3] ||
                    so.date_from || so.date_to;
    if (!batch && optind >= argc && !filtered) {
        fprintf(stderr, "nsearch: no query given\n");
        usage(stderr);
        return 2;
    }
    char *default_index = NULL;
    if (!index && !(index = default_index = nidx_default_index_path())) {
        fprintf(stderr, "nsearch: no index given and no home directory; "
                        "use --index DIR\n");
        return 2;
    }
    if (batch) {
        int status = run_batch(index, batch, &so);
        free(default_index);
        return status;
    }
    if (count) { /* the exact number alone: no hits to fetch */
        so.exact_total = true;
        so.limit = 0;
        so.offset = 0;
    }
    char *query = join_words(argc - optind, argv + optind);
    nidx_error_t err;
    nidx_searcher_t *s = NULL;
    nidx_results_t *r = NULL;
    int status = 2;
    if (!query)
        fprintf(stderr, "nsearch: out of memory\n");
    else if (nidx_searcher_open(index, &s, &err) != NIDX_OK ||
             nidx_search(s, query, &so, &r, &err) != NIDX_OK) {
        fprintf(stderr, "nsearch: %s\n", err.message);
        if (err.status == NIDX_ERROR_QUERY)
            show_position(query, err.message);
    } else {
        /* The matches decide, not the page: --limit 0 or an --offset
           past the end shows none of them (a hit shown counts in the
           total). */
        status = nidx_results_total(r) > 0 ? 0 : 1;
        if (left_out(r, NULL))
            status = 2;
        else if (nidx_results_cut(r) == NIDX_CUT_TIME)
            fprintf(stderr,
                    "nsearch: the search stopped at its time limit of %g s; "
                    "these are the best of the articles it looked at "
                    "(--time-limit allows more)\n",
                    so.time_limit);
        if (status == 2) {
            /* --strict: nothing shown of a partial answer */
        } else if (count) {
            if (json && !present_json(stdout, r)) {
                fprintf(stderr, "nsearch: out of memory\n");
                status = 2;
            } else if (!json)
                printf("%llu\n", (unsigned long long)nidx_results_total(r));
        } else if (json) {
            if (!present_json(stdout, r)) {
                fprintf(stderr, "nsearch: out of memory\n");
                status = 2;
            }
        } else {
            bool bold = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
            present_text(stdout, query, r, so.offset, bold, so.facets);
        }
    }
    if (fflush(stdout) != 0 && status != 2) {
        perror("nsearch: standard output");
        status = 2;
    }
    nidx_results_free(r);
    nidx_searcher_close(s);
    free(query);
    free(default_index);
    return status;
}
