/* commands.c — nidx remove, stats, compact and check, over the public API. */
#include "commands.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>

#include "nidx.h"

int command_remove(const char *index, int n, char **ids)
{
    nidx_error_t err;
    nidx_writer_t *w;
    int removed = 0, missing = 0;
    if (nidx_writer_open(index, &w, &err) != NIDX_OK) {
        fprintf(stderr, "nidx: %s\n", err.message);
        return 2;
    }
    for (int i = 0; i < n; i++) {
        bool existed;
        if (nidx_writer_remove(w, ids[i], &existed, &err) != NIDX_OK) {
            fprintf(stderr, "nidx: %s\n", err.message);
            nidx_writer_close(w, &err);
            return 2;
        }
        if (existed) {
            removed++;
        } else {
            missing++;
            fprintf(stderr, "nidx: no article with id '%s'\n", ids[i]);
        }
    }
    if (nidx_writer_close(w, &err) != NIDX_OK) {
        fprintf(stderr, "nidx: %s\n", err.message);
        return 2;
    }
    printf("%d removed, %d not found\n", removed, missing);
    return missing ? 1 : 0;
}

/* Languages and sources, most frequent first. */
typedef struct counts {
    json_object *lang, *source;
} counts_t;

static void collect(void *context, nidx_facet_t facet, const char *value,
                    uint64_t articles)
{
    counts_t *c = context;
    json_object_object_add(facet == NIDX_FACET_LANG ? c->lang : c->source,
                           value, json_object_new_int64((int64_t)articles));
}

/* Most languages and sources listed on a terminal. */
#define TEXT_TOP 10

static void print_top(const char *what, json_object *counts)
{
    int shown = 0;
    printf("%-11s%d:", what, json_object_object_length(counts));
    json_object_object_foreach(counts, key, value)
    {
        if (shown++ == TEXT_TOP) {
            printf(" ...");
            break;
        }
        printf(" %s %lld%s", key, (long long)json_object_get_int64(value),
               shown < (int)json_object_object_length(counts) &&
                       shown < TEXT_TOP
                   ? ","
                   : "");
    }
    printf("\n");
}

int command_stats(const char *index, bool json)
{
    nidx_error_t err;
    nidx_searcher_t *s;
    nidx_index_stats_t st;
    counts_t c = {json_object_new_object(), json_object_new_object()};
    int status = 0;
    char *text = NULL;
    if (nidx_searcher_open(index, &s, &err) != NIDX_OK ||
        (json && nidx_stats_json(s, &text, NULL, &err) != NIDX_OK) ||
        (!json && nidx_searcher_stats(s, &st, collect, &c, &err) != NIDX_OK)) {
        fprintf(stderr, "nidx: %s\n", err.message);
        status = 2;
    } else if (json) {
        printf("%s\n", text);
        free(text);
    } else {
        printf("index      %s\narticles   %llu\nwords      %llu distinct, "
               "%llu indexed\ndates      %s to %s\nsize       %.1f MB in %u "
               "shard%s, format %u\n",
               index, (unsigned long long)st.articles,
               (unsigned long long)st.words, (unsigned long long)st.occurrences,
               *st.first_date ? st.first_date : "-",
               *st.last_date ? st.last_date : "-", (double)st.bytes / 1e6,
               st.shards, st.shards == 1 ? "" : "s", st.format);
        printf("copies     %llu near-duplicates of %llu articles (searches "
               "fold them in)\n",
               (unsigned long long)st.copies,
               (unsigned long long)st.copy_groups);
        print_top("languages", c.lang);
        print_top("sources", c.source);
    }
    json_object_put(c.lang);
    json_object_put(c.source);
    nidx_searcher_close(s);
    return status;
}

int command_compact(const char *index)
{
    nidx_error_t err;
    if (nidx_index_compact(index, &err) != NIDX_OK) {
        fprintf(stderr, "nidx: %s\n", err.message);
        return 2;
    }
    printf("compacted %s\n", index);
    return 0;
}

int command_check(const char *index)
{
    nidx_error_t err;
    uint64_t problems;
    if (nidx_index_check(index, &problems, &err) != NIDX_OK) {
        fprintf(stderr, "nidx: %s\n", err.message);
        return 2;
    }
    if (problems) {
        fprintf(stderr, "nidx: %llu problems: %s\n",
                (unsigned long long)problems, err.message);
        return 1;
    }
    printf("%s: no problems found\n", index);
    return 0;
}
