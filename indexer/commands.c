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

static uint64_t number(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v)
               ? (uint64_t)json_object_get_int64(v)
               : 0;
}

static const char *text(json_object *o, const char *key, const char *none)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && v
               ? json_object_get_string(v)
               : none;
}

/* The statistics for a person, from the library's JSON (nidx_stats_json):
   one source for both renderings. */
static void print_text(const char *json)
{
    json_object *o = json_tokener_parse(json), *v;
    if (!o)
        return;
    uint64_t shards = number(o, "shards");
    bool remote = false;
    if (json_object_object_get_ex(o, "shard_list", &v))
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            json_object *b;
            remote = remote ||
                     (json_object_object_get_ex(json_object_array_get_idx(v, i),
                                                "remote", &b) &&
                      json_object_get_boolean(b));
        }
    char size[64];
    if (remote) /* not measured from here */
        snprintf(size, sizeof size, "on other machines");
    else
        snprintf(size, sizeof size, "%.1f MB",
                 (double)number(o, "bytes") / 1e6);
    printf("index      %s\narticles   %llu\nwords      %llu distinct, "
           "%llu indexed\ndates      %s to %s\nsize       %s in %llu "
           "shard%s, format %llu\n",
           text(o, "index", ""), (unsigned long long)number(o, "articles"),
           (unsigned long long)number(o, "words"),
           (unsigned long long)number(o, "occurrences"),
           text(o, "first_date", "-"), text(o, "last_date", "-"), size,
           (unsigned long long)shards, shards == 1 ? "" : "s",
           (unsigned long long)number(o, "format"));
    printf("copies     %llu near-duplicates of %llu articles (searches "
           "fold them in)\n",
           (unsigned long long)number(o, "copies"),
           (unsigned long long)number(o, "copy_groups"));
    if (json_object_object_get_ex(o, "languages", &v))
        print_top("languages", v);
    if (json_object_object_get_ex(o, "sources", &v))
        print_top("sources", v);
    /* Shards on other machines: which is where, and whether it answered. */
    if (json_object_object_get_ex(o, "shard_list", &v))
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            json_object *sh = json_object_array_get_idx(v, i), *b;
            if (!json_object_object_get_ex(sh, "remote", &b) ||
                !json_object_get_boolean(b))
                continue;
            bool answered = json_object_object_get_ex(sh, "answered", &b) &&
                            json_object_get_boolean(b);
            printf("shard %-4llu %s, ", (unsigned long long)number(sh, "shard"),
                   text(sh, "where", "?"));
            if (answered)
                printf("%llu articles",
                       (unsigned long long)number(sh, "articles"));
            else
                printf("did not answer");
            json_object *servers;
            if (json_object_object_get_ex(sh, "servers", &servers)) {
                printf(" (servers:");
                for (size_t k = 0; k < json_object_array_length(servers); k++)
                    printf(" %s", json_object_get_string(
                                      json_object_array_get_idx(servers, k)));
                printf(")");
            }
            printf("\n");
        }
    json_object_put(o);
}

int command_stats(const char *index, bool json)
{
    nidx_error_t err;
    nidx_searcher_t *s;
    char *stats = NULL;
    int status = 0;
    if (nidx_searcher_open(index, &s, &err) != NIDX_OK ||
        nidx_stats_json(s, &stats, NULL, &err) != NIDX_OK) {
        fprintf(stderr, "nidx: %s\n", err.message);
        status = 2;
    } else if (json) {
        printf("%s\n", stats);
    } else {
        print_text(stats);
    }
    free(stats);
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

/* Each problem nidx check finds, as it finds it. */
static void print_problem(void *context, const nidx_diagnostic_t *d)
{
    (void)context;
    fprintf(stderr, "nidx: %s\n", d->message);
}

int command_check(const char *index)
{
    nidx_error_t err;
    uint64_t problems;
    if (nidx_index_check_each(index, print_problem, NULL, &problems, &err) !=
        NIDX_OK) {
        fprintf(stderr, "nidx: %s\n", err.message);
        return 2;
    }
    if (problems) {
        fprintf(stderr, "nidx: %llu problem%s found in %s\n",
                (unsigned long long)problems, problems == 1 ? "" : "s", index);
        return 1;
    }
    printf("%s: no problems found\n", index);
    return 0;
}

static void print_shard(void *context, const nidx_shard_info_t *info)
{
    unsigned *silent = context;
    if (info->answered)
        printf("shard %-4u %s, %llu articles\n", info->number, info->where,
               (unsigned long long)info->articles);
    else {
        printf("shard %-4u %s, did not answer\n", info->number, info->where);
        ++*silent;
    }
}

int command_cluster(const char *index, int n, char **shards, bool force)
{
    nidx_error_t err;
    nidx_searcher_t *s;
    if (nidx_index_set_remote_shards(index, (const char *const *)shards,
                                     (unsigned)n, force, &err) != NIDX_OK) {
        fprintf(stderr, "nidx: %s\n", err.message);
        return 2;
    }
    printf("%s: a cluster of %d shard%s\n", index, n, n == 1 ? "" : "s");
    if (nidx_searcher_open(index, &s, &err) != NIDX_OK) {
        fprintf(stderr, "nidx: no shard answers yet (%s)\n", err.message);
        return 1;
    }
    unsigned silent = 0;
    nidx_searcher_each_shard(s, print_shard, &silent);
    nidx_searcher_close(s);
    return silent ? 1 : 0;
}

int command_regroup(const char *index)
{
    nidx_error_t err;
    uint64_t joined;
    if (nidx_index_regroup(index, &joined, &err) != NIDX_OK) {
        fprintf(stderr, "nidx: %s\n", err.message);
        return 2;
    }
    printf("%llu articles joined to near copies in other shards\n",
           (unsigned long long)joined);
    return 0;
}
