/*
 * read_jsonl.c — JSON Lines: one article per line, parsed with json-c.
 *
 * Fields: id (string or number), title, body (or text), date, source,
 * lang, url; each a string or null. Other fields are ignored. Blank lines
 * are skipped. A record with neither title nor body is malformed.
 */
#include <json-c/json.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "reader_impl.h"

/* Deeper nesting than this is surely not an article. */
#define JSONL_MAX_DEPTH 64

typedef struct jsonl_state {
    json_tokener *tok;
    json_object *record;
    char *id; /* derived id, when the record has none */
    char *scratch[8];
    int n_scratch;
} jsonl_state_t;

static void release_record(jsonl_state_t *j)
{
    json_object_put(j->record);
    j->record = NULL;
    free(j->id);
    j->id = NULL;
    for (int i = 0; i < j->n_scratch; i++)
        free(j->scratch[i]);
    j->n_scratch = 0;
}

static void *jsonl_open(reader_base_t *base)
{
    (void)base;
    jsonl_state_t *j = calloc(1, sizeof *j);
    if (j && !(j->tok = json_tokener_new_ex(JSONL_MAX_DEPTH))) {
        free(j);
        j = NULL;
    }
    return j;
}

static void jsonl_close(void *state)
{
    jsonl_state_t *j = state;
    release_record(j);
    json_tokener_free(j->tok);
    free(j);
}

static int skip(reader_base_t *base, nidx_error_t *err, const char *fmt,
                const char *what)
{
    char why[512];
    snprintf(why, sizeof why, fmt, what);
    error_set(err, NIDX_ERROR_INPUT, "%s:%llu: %s", base->path,
              (unsigned long long)instream_line_number(base->in), why);
    return READ_SKIP;
}

/*
 * The string value of `key`, or NULL when absent or null. A value of
 * another type is an error (returns false). A "\u0000" inside a string
 * would cut it short in C, so such strings are copied with spaces instead.
 */
static bool field(jsonl_state_t *j, const char *key, bool number_ok,
                  const char **out)
{
    json_object *v;
    *out = NULL;
    if (!json_object_object_get_ex(j->record, key, &v) || v == NULL)
        return true;
    json_type t = json_object_get_type(v);
    if (t != json_type_string && !(number_ok && t == json_type_int))
        return false;
    const char *s = json_object_get_string(v);
    size_t n = t == json_type_string ? (size_t)json_object_get_string_len(v)
                                     : strlen(s);
    if (memchr(s, '\0', n) && j->n_scratch < 8) {
        char *copy = malloc(n + 1);
        if (!copy)
            return false;
        for (size_t i = 0; i < n; i++)
            copy[i] = s[i] ? s[i] : ' ';
        copy[n] = '\0';
        j->scratch[j->n_scratch++] = copy;
        s = copy;
    }
    *out = s;
    return true;
}

static int parse_record(jsonl_state_t *j, reader_base_t *base, const char *line,
                        size_t len, nidx_article_t *a, nidx_error_t *err)
{
    static const struct {
        const char *key;
        size_t offset;
    } fields[] = {
        {"title", offsetof(nidx_article_t, title)},
        {"body", offsetof(nidx_article_t, body)},
        {"date", offsetof(nidx_article_t, date)},
        {"source", offsetof(nidx_article_t, source)},
        {"lang", offsetof(nidx_article_t, lang)},
        {"url", offsetof(nidx_article_t, url)},
    };
    json_tokener_reset(j->tok);
    j->record = json_tokener_parse_ex(j->tok, line, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(j->tok);
    if (jerr == json_tokener_continue)
        return skip(base, err, "malformed JSON: %s", "the record ends early");
    if (jerr != json_tokener_success)
        return skip(base, err, "malformed JSON: %s",
                    json_tokener_error_desc(jerr));
    size_t used = json_tokener_get_parse_end(j->tok);
    while (used < len && strchr(" \t", line[used]))
        used++;
    if (used < len)
        return skip(base, err, "malformed JSON: %s",
                    "more text after the object");
    if (!json_object_is_type(j->record, json_type_object))
        return skip(base, err, "%s", "a record must be a JSON object");

    if (!field(j, "id", true, &a->id))
        return skip(base, err, "field '%s' must be a string", "id");
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char **slot = (const char **)((char *)a + fields[i].offset);
        if (!field(j, fields[i].key, false, slot))
            return skip(base, err, "field '%s' must be a string",
                        fields[i].key);
    }
    if (!a->body && !field(j, "text", false, &a->body))
        return skip(base, err, "field '%s' must be a string", "text");
    if ((!a->title || !*a->title) && (!a->body || !*a->body))
        return skip(base, err, "%s", "the record has no title and no body");
    if (!a->id || !*a->id) {
        size_t n = strlen(base->id_base) + 24;
        if (!(j->id = malloc(n)))
            return skip(base, err, "%s", "out of memory");
        snprintf(j->id, n, "%s#%llu", base->id_base,
                 (unsigned long long)instream_line_number(base->in));
        a->id = j->id;
    }
    return READ_ARTICLE;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\r\f\v", s[i]))
            return false;
    return true;
}

static int jsonl_next(void *state, reader_base_t *base, nidx_article_t *article,
                      nidx_error_t *err)
{
    jsonl_state_t *j = state;
    char *line;
    size_t len;
    release_record(j);
    for (;;) {
        int r = instream_line(base->in, &line, &len, err);
        if (r == 0)
            return READ_END;
        if (r < 0)
            return r == -1 ? READ_SKIP : READ_FAIL;
        if (instream_line_number(base->in) == 1 && len >= 3 &&
            memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
            line += 3;
            len -= 3;
        }
        if (base->charset &&
            !charset_to_utf8(base->charset, line, len, &line, &len))
            return error_set(err, NIDX_ERROR_NOMEM, "out of memory"), READ_FAIL;
        if (!blank(line, len))
            return parse_record(j, base, line, len, article, err);
    }
}

static uint64_t jsonl_line(void *state, reader_base_t *base)
{
    (void)state;
    return instream_line_number(base->in);
}

const reader_ops_t reader_jsonl_ops = {jsonl_open, jsonl_next, jsonl_line,
                                       jsonl_close};
