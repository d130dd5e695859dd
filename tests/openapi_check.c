/*
 * openapi_check.c — checks a real response of nidx serve against its
 * OpenAPI description (doc/openapi.json), so the description cannot drift
 * from what the server answers (tests/test_serve.sh).
 *
 *   openapi_check SPEC METHOD PATH STATUS CONTENT-TYPE BODY [QUERY]
 *       the path and method are described, the status is one of the
 *       operation's, the media type one of that response's, a JSON body
 *       valid against its schema, and each parameter of QUERY (a=1&b=2)
 *       one the operation declares. Exit 0, or 1 saying what differs.
 *   openapi_check SPEC --params METHOD PATH
 *       the operation's query parameters, one a line.
 *
 * Schemas are checked in the subset of OpenAPI 3.0 the description uses:
 * type, nullable, properties, required, additionalProperties, items,
 * enum, minimum, maximum, maxItems, maxLength, pattern (POSIX extended),
 * $ref to #/components/schemas/; a schema using any other keyword is
 * refused, so the description stays checkable.
 */
#include <json-c/json.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_object *spec;
static char where[1024]; /* the place in the body being checked */

static bool fail(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "openapi_check: %s: ", where[0] ? where : "(body)");
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    return false;
}

static json_object *get(json_object *o, const char *key)
{
    json_object *v = NULL;
    return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static json_object *resolve(json_object *schema)
{
    json_object *ref = get(schema, "$ref");
    const char *prefix = "#/components/schemas/";
    if (!ref)
        return schema;
    const char *r = json_object_get_string(ref);
    if (strncmp(r, prefix, strlen(prefix)) != 0)
        return NULL;
    return get(get(get(spec, "components"), "schemas"), r + strlen(prefix));
}

static bool type_is(json_object *v, const char *type)
{
    json_type t = json_object_get_type(v);
    if (!strcmp(type, "object"))
        return t == json_type_object;
    if (!strcmp(type, "array"))
        return t == json_type_array;
    if (!strcmp(type, "string"))
        return t == json_type_string;
    if (!strcmp(type, "boolean"))
        return t == json_type_boolean;
    if (!strcmp(type, "integer"))
        return t == json_type_int;
    if (!strcmp(type, "number"))
        return t == json_type_int || t == json_type_double;
    return false;
}

static bool valid(json_object *v, json_object *schema);

static bool known_keywords(json_object *schema)
{
    static const char *const known[] = {"type",       "nullable",
                                        "properties", "required",
                                        "items",      "enum",
                                        "minimum",    "maximum",
                                        "maxItems",   "maxLength",
                                        "pattern",    "description",
                                        "$ref",       "additionalProperties"};
    json_object_object_foreach(schema, key, value)
    {
        (void)value;
        bool ok = false;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            ok = ok || !strcmp(key, known[i]);
        if (!ok)
            return fail("the schema uses '%s'%s, which this check does not "
                        "know",
                        key, "");
    }
    return true;
}

static bool valid_object(json_object *v, json_object *schema)
{
    json_object *props = get(schema, "properties");
    json_object *extra = get(schema, "additionalProperties");
    json_object *required = get(schema, "required");
    size_t at = strlen(where);
    for (size_t i = 0; required && i < json_object_array_length(required);
         i++) {
        const char *k =
            json_object_get_string(json_object_array_get_idx(required, i));
        if (!json_object_object_get_ex(v, k, NULL))
            return fail("the key '%s' is required%s", k, "");
    }
    json_object_object_foreach(v, key, value)
    {
        json_object *sub = get(props, key);
        snprintf(where + at, sizeof where - at, ".%s", key);
        if (!sub && extra && json_object_is_type(extra, json_type_boolean)) {
            if (!json_object_get_boolean(extra))
                return fail("the key '%s' is not described%s", key, "");
        } else if (!sub && extra) {
            sub = extra;
        }
        if (sub && !valid(value, sub))
            return false;
        where[at] = '\0';
    }
    return true;
}

static bool valid(json_object *v, json_object *schema)
{
    char buf[64];
    schema = resolve(schema);
    if (!schema)
        return fail("an unresolved $ref%s%s", "", "");
    if (!known_keywords(schema))
        return false;
    json_object *type = get(schema, "type");
    json_object *nullable = get(schema, "nullable");
    if (json_object_is_type(v, json_type_null))
        return nullable && json_object_get_boolean(nullable)
                   ? true
                   : fail("null where %s is described%s",
                          type ? json_object_get_string(type) : "a value", "");
    if (type && !type_is(v, json_object_get_string(type)))
        return fail("%s where %s is described",
                    json_type_to_name(json_object_get_type(v)),
                    json_object_get_string(type));
    json_object *e = get(schema, "enum");
    if (e) {
        bool found = false;
        for (size_t i = 0; i < json_object_array_length(e); i++)
            found =
                found || json_object_equal(v, json_object_array_get_idx(e, i));
        if (!found)
            return fail("'%s' is none of the values described%s",
                        json_object_get_string(v), "");
    }
    json_object *min = get(schema, "minimum"), *max = get(schema, "maximum");
    if (min && json_object_get_double(v) < json_object_get_double(min))
        return fail("%s is below the minimum %s", json_object_get_string(v),
                    json_object_get_string(min));
    if (max && json_object_get_double(v) > json_object_get_double(max))
        return fail("%s is above the maximum %s", json_object_get_string(v),
                    json_object_get_string(max));
    json_object *max_len = get(schema, "maxLength");
    if (max_len && json_object_is_type(v, json_type_string) &&
        json_object_get_string_len(v) > json_object_get_int(max_len))
        return fail("a string longer than %s%s",
                    json_object_get_string(max_len), "");
    json_object *pattern = get(schema, "pattern");
    if (pattern && json_object_is_type(v, json_type_string)) {
        regex_t re;
        if (regcomp(&re, json_object_get_string(pattern),
                    REG_EXTENDED | REG_NOSUB) != 0)
            return fail("the pattern %s does not compile%s",
                        json_object_get_string(pattern), "");
        int m = regexec(&re, json_object_get_string(v), 0, NULL, 0);
        regfree(&re);
        if (m != 0)
            return fail("'%s' does not match %s", json_object_get_string(v),
                        json_object_get_string(pattern));
    }
    if (json_object_is_type(v, json_type_array)) {
        json_object *items = get(schema, "items");
        json_object *max_items = get(schema, "maxItems");
        size_t n = json_object_array_length(v), at = strlen(where);
        if (max_items && n > (size_t)json_object_get_int(max_items))
            return fail("more items than %s%s",
                        json_object_get_string(max_items), "");
        for (size_t i = 0; items && i < n; i++) {
            snprintf(buf, sizeof buf, "[%zu]", i);
            snprintf(where + at, sizeof where - at, "%s", buf);
            if (!valid(json_object_array_get_idx(v, i), items))
                return false;
            where[at] = '\0';
        }
    }
    if (json_object_is_type(v, json_type_object))
        return valid_object(v, schema);
    return true;
}

/* Whether `path` fits the template ("/articles/{id}"). */
static bool fits(const char *template, const char *path)
{
    while (*template && *path) {
        if (*template == '{') {
            template = strchr(template, '}');
            if (!template)
                return false;
            template ++;
            size_t n = strcspn(path, "/");
            if (n == 0)
                return false;
            path += n;
        } else if (*template ++ != *path++) {
            return false;
        }
    }
    return !*template && !*path;
}

static json_object *operation(const char *method, const char *path)
{
    char m[16];
    size_t i = 0;
    if (!strcmp(method, "HEAD"))
        method = "GET";
    for (; method[i] && i < sizeof m - 1; i++)
        m[i] = (char)(method[i] | 0x20);
    m[i] = '\0';
    json_object_object_foreach(get(spec, "paths"), template, item)
    {
        if (fits(template, path))
            return get(item, m);
    }
    return NULL;
}

static bool declared(json_object *op, const char *name)
{
    json_object *params = get(op, "parameters");
    for (size_t i = 0; params && i < json_object_array_length(params); i++) {
        json_object *p = json_object_array_get_idx(params, i);
        if (!strcmp(json_object_get_string(get(p, "in")), "query") &&
            !strcmp(json_object_get_string(get(p, "name")), name))
            return true;
    }
    return false;
}

static char *slurp(const char *file, size_t *len)
{
    FILE *f = fopen(file, "rb");
    char *s = NULL;
    *len = 0;
    if (!f)
        return NULL;
    for (size_t cap = 0;;) {
        if (*len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *grown = realloc(s, cap);
            if (!grown)
                break;
            s = grown;
        }
        size_t n = fread(s + *len, 1, 4096, f);
        *len += n;
        if (n == 0)
            break;
    }
    fclose(f);
    if (s)
        s[*len] = '\0';
    return s;
}

int main(int argc, char **argv)
{
    if (argc >= 2)
        spec = json_object_from_file(argv[1]);
    if (!spec) {
        fprintf(stderr, "usage: openapi_check SPEC METHOD PATH STATUS "
                        "CONTENT-TYPE BODY [QUERY] | SPEC --params METHOD "
                        "PATH\n");
        return 2;
    }
    if (argc == 5 && !strcmp(argv[2], "--params")) {
        json_object *op = operation(argv[3], argv[4]);
        json_object *params = get(op, "parameters");
        for (size_t i = 0; params && i < json_object_array_length(params);
             i++) {
            json_object *p = json_object_array_get_idx(params, i);
            if (!strcmp(json_object_get_string(get(p, "in")), "query"))
                printf("%s\n", json_object_get_string(get(p, "name")));
        }
        return op ? 0 : 1;
    }
    if (argc < 7)
        return 2;
    const char *method = argv[2], *path = argv[3], *status = argv[4];
    json_object *op = operation(method, path);
    if (!op)
        return !fail("%s %s is not described", method, path);
    json_object *response = get(get(op, "responses"), status);
    if (!response)
        return !fail("status %s of %s is not described", status, path);
    char media[128];
    snprintf(media, sizeof media, "%.*s", (int)strcspn(argv[5], ";"), argv[5]);
    json_object *content = get(get(response, "content"), media);
    if (!content)
        return !fail("the media type '%s' of status %s is not described", media,
                     status);
    if (argc > 7 && *argv[7]) {
        char *query = strdup(argv[7]), *save = NULL;
        for (char *kv = strtok_r(query, "&", &save); kv;
             kv = strtok_r(NULL, "&", &save)) {
            kv[strcspn(kv, "=")] = '\0';
            if (!declared(op, kv)) {
                fail("the parameter '%s' of %s is not described", kv, path);
                free(query);
                return 1;
            }
        }
        free(query);
    }
    if (strcmp(media, "application/json") != 0)
        return 0;
    size_t len;
    char *body = slurp(argv[6], &len);
    enum json_tokener_error jerr;
    json_object *v = body ? json_tokener_parse_verbose(body, &jerr) : NULL;
    free(body);
    if (!v)
        return !fail("the body is not JSON%s%s", "", "");
    bool ok = valid(v, get(content, "schema"));
    json_object_put(v);
    json_object_put(spec);
    return ok ? 0 : 1;
}
