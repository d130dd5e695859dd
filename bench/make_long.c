/*
 * make_long.c — long articles for bench_long.sh: joins every N consecutive
 * records of JSON Lines (gzip or plain) into one article, as a day's
 * reports joined into one transcript, and writes them as JSON Lines.
 *
 *   make_long N FILE.jsonl[.gz]... > long.jsonl
 *
 * Each long article takes the first record's title, date, source and
 * language, the id "long-K", and the bodies joined by blank lines.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static json_object *group;
static char *body;
static size_t body_len, body_cap, joined;
static unsigned long made;

static const char *field(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) &&
                   json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : NULL;
}

static void append(const char *s)
{
    size_t n = strlen(s);
    if (body_len + n + 3 > body_cap) {
        body_cap = (body_len + n + 3) * 2;
        body = realloc(body, body_cap);
    }
    if (body_len) {
        memcpy(body + body_len, "\n\n", 2);
        body_len += 2;
    }
    memcpy(body + body_len, s, n);
    body_len += n;
    body[body_len] = '\0';
}

static void flush(void)
{
    if (!group)
        return;
    char id[32];
    snprintf(id, sizeof id, "long-%lu", made++);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_string(id));
    static const char *const keep[] = {"title", "date", "source", "lang"};
    for (int i = 0; i < 4; i++)
        if (field(group, keep[i]))
            json_object_object_add(
                o, keep[i], json_object_new_string(field(group, keep[i])));
    json_object_object_add(o, "body", json_object_new_string(body));
    puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
    json_object_put(o);
    json_object_put(group);
    group = NULL;
    body_len = joined = 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: make_long N FILE...\n");
        return 2;
    }
    size_t per = strtoul(argv[1], NULL, 10);
    static char line[1 << 22];
    for (int f = 2; f < argc; f++) {
        gzFile in = gzopen(argv[f], "rb");
        if (!in) {
            fprintf(stderr, "make_long: cannot read %s\n", argv[f]);
            return 2;
        }
        while (gzgets(in, line, sizeof line)) {
            json_object *o = json_tokener_parse(line);
            const char *text = o ? field(o, "body") : NULL;
            if (!text && o)
                text = field(o, "text");
            if (!text) {
                json_object_put(o);
                continue;
            }
            if (!group)
                group = json_object_get(o);
            append(text);
            json_object_put(o);
            if (++joined == per)
                flush();
        }
        gzclose(in);
    }
    flush();
    free(body);
    return 0;
}
