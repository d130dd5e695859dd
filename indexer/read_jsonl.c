/*
 * read_jsonl.c — JSON Lines: one article per line, parsed with json-c.
 *
 * Fields: id (string or number, a number taken as written), title, body
 * (or text), date, source,
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
static bool field(jsonl_state_t *j, const char *key, const char **out)
{
    json_object *v;
    *out = NULL;
    if (!json_object_object_get_ex(j->record, key, &v) || v == NULL)
        return true;
    json_type t = json_object_get_type(v);
    if (t != json_type_string)
        return false;
    const char *s = json_object_get_string(v);
    size_t n = (size_t)json_object_get_string_len(v);
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

/* ---- numeric ids, as written ---- */

/* Past the JSON string starting at s[0] == '"'; NULL if unterminated. */
static const char *past_string(const char *s, const char *end)
{
    for (s++; s < end; s++) {
        if (*s == '\\')
            s++;
        else if (*s == '"')
            return s + 1;
    }
    return NULL;
}

/*
 * The text of the number that the record's top-level key "id" holds,
 * as written in the line (into *start, *len); false when the key is not
 * found that way (written with escapes, say). json-c keeps numbers as
 * 64-bit integers and clamps larger ones to the same maximum, which
 * would make different articles replace each other: an id is text.
 * The line is valid JSON here (json-c parsed it).
 */
static bool raw_id_number(const char *line, size_t n, const char **start,
                          size_t *len)
{
    const char *s = line, *end = line + n;
    int depth = 0;
    bool key_next = false;
    while (s && s < end) {
        char c = *s;
        if (c == '"') {
            const char *after = past_string(s, end);
            if (depth == 1 && key_next && after && after - s == 4 &&
                memcmp(s, "\"id\"", 4) == 0) {
                const char *v = after;
                while (v < end && strchr(" \t\r\n:", *v))
                    v++;
                size_t k = strspn(v, "+-0123456789.eE");
                if (k == 0 || v + k > end)
                    return false;
                *start = v;
                *len = k;
                return true;
            }
            key_next = false;
            s = after;
            continue;
        }
        if (c == '{' || c == '[')
            depth++;
        else if (c == '}' || c == ']')
            depth--;
        if ((c == '{' && depth == 1) || (c == ',' && depth == 1))
            key_next = true;
        s++;
    }
    return false;
}

/* A numeric "id" as the text written in the line; NULL when not numeric,
   or out of memory (*nomem). */
static const char *number_id(jsonl_state_t *j, const char *line, size_t len,
                             bool *nomem)
{
    json_object *v;
    const char *start;
    size_t n;
    *nomem = false;
    if (!json_object_object_get_ex(j->record, "id", &v) || v == NULL ||
        (!json_object_is_type(v, json_type_int) &&
         !json_object_is_type(v, json_type_double)))
        return NULL;
    if (!raw_id_number(line, len, &start, &n))
        return json_object_get_string(v);
    if (!(j->id = strndup(start, n)))
        *nomem = true;
    return j->id;
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
        return skip(base, err, "malformed JSON: %s",
                    "the line ends before its object closes");
    if (jerr != json_tokener_success) {
        /* Where, and in plain words: json-c's own ("null expected") says
           what its parser wanted, not what is wrong with the line. */
        size_t at = json_tokener_get_parse_end(j->tok);
        unsigned char c = at < len ? (unsigned char)line[at] : ' ';
        char where[64];
        snprintf(where, sizeof where, "at character %zu ('%c')", at + 1,
                 c >= 0x20 && c < 0x7f ? c : '?');
        return skip(base, err,
                    "malformed JSON %s: each line must be one JSON object, "
                    "such as {\"id\": \"a1\", \"title\": \"...\", "
                    "\"body\": \"...\"}",
                    where);
    }
    size_t used = json_tokener_get_parse_end(j->tok);
    while (used < len && strchr(" \t", line[used]))
        used++;
    if (used < len)
        return skip(base, err, "malformed JSON: %s",
                    "more text after the object");
    if (!json_object_is_type(j->record, json_type_object))
        return skip(base, err, "%s", "a record must be a JSON object");

    bool nomem;
    if (!(a->id = number_id(j, line, len, &nomem)) && !field(j, "id", &a->id))
        return skip(base, err, "field '%s' must be a string or a number", "id");
    if (nomem)
        return skip(base, err, "%s", "out of memory");
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char **slot = (const char **)((char *)a + fields[i].offset);
        if (!field(j, fields[i].key, slot))
            return skip(base, err, "field '%s' must be a string",
                        fields[i].key);
    }
    if (!a->body && !field(j, "text", &a->body))
        return skip(base, err, "field '%s' must be a string", "text");
    if ((!a->title || !*a->title) && (!a->body || !*a->body))
        return skip(base, err, "%s", "the record has no title and no body");
    if ((!a->id || !*a->id) && !base->id_base)
        return skip(base, err, "%s", "the record has no id");
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
