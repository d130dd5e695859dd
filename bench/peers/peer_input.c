/* peer_input.c — JSON Lines articles and TSV queries for the peers. */
#include "peer_input.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

static const char *field(json_object *o, const char *name)
{
    json_object *v;
    if (!json_object_object_get_ex(o, name, &v) ||
        !json_object_is_type(v, json_type_string))
        return "";
    return json_object_get_string(v);
}

double peer_read_articles(const char *path,
                          void (*fn)(void *context, const peer_article_t *a),
                          void *context)
{
    gzFile gz = gzopen(path, "rb");
    size_t cap = 64 << 20; /* longer records are left out */
    char *line = malloc(cap);
    double bytes = 0;
    if (!gz || !line) {
        free(line);
        return -1;
    }
    while (gzgets(gz, line, (int)cap)) {
        json_object *o = json_tokener_parse(line);
        if (!o)
            continue;
        peer_article_t a = {field(o, "id"), field(o, "title"),
                            field(o, "body")};
        if (!*a.body)
            a.body = field(o, "text");
        bytes += (double)(strlen(a.title) + strlen(a.body));
        fn(context, &a);
        json_object_put(o);
    }
    gzclose(gz);
    free(line);
    return bytes;
}

int peer_read_queries(const char *path,
                      void (*fn)(void *context, const char *qid,
                                 const char *text),
                      void *context)
{
    FILE *f = fopen(path, "r");
    char line[16384];
    int n = 0;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        fn(context, line, tab + 1);
        n++;
    }
    fclose(f);
    return n;
}

double peer_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
