/*
 * read_warc.c — web archives (WARC 1.0 and 1.1, as crawlers write them;
 * .warc.gz with a gzip member per record reads the same, instream.c
 * inflating the members in turn). Only captured pages are articles:
 *   - a `response` record holding an HTML or plain text page with a 2xx
 *     status, and a `resource` record of such a type captured from an
 *     http(s) or ftp URI (not a crawler's own log or arguments, which
 *     wget stores under metadata:// URIs);
 *   - a `revisit` record (the same payload seen again, WARC-Refers-To or
 *     WARC-Payload-Digest naming the capture that holds it) when it is a
 *     page at another URI and the capture is earlier in the same file: the
 *     payload is read again from there. A revisit of the same URI adds
 *     nothing; revisits of captures in other files are counted and said
 *     once at the end of the file.
 * An article's id and url are the WARC-Target-URI (bare: WARC 1.0's
 * grammar has it in angle brackets, as wget writes it), its date the
 * page's own publication date, else the WARC-Date; its charset comes from
 * the HTTP headers, else from the page. HTTP bodies are de-chunked and
 * inflated (gzip, deflate). Lengths are checked against what the file
 * holds: a record whose Content-Length runs past the end is reported, one
 * followed by something that is not a record header makes the reader look
 * for the next "WARC/" line.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sys/stat.h>

#include "document.h"
#include "error.h"
#include "hash.h"
#include "html.h"
#include "reader_impl.h"

/* Largest record read; larger ones are skipped and reported. */
#define WARC_MAX_RECORD (64u << 20)
/* Largest page after HTTP decompression: more is a bomb. */
#define WARC_MAX_PAGE (32u << 20)

/* Captures a revisit may refer to: at most this many pages a file. */
#define WARC_MAX_CAPTURES (1u << 20)

/* A page captured earlier in the file: where its block is, to read it
   again for a revisit at another URI. */
typedef struct capture {
    uint64_t uri;    /* hash of its target URI */
    uint64_t offset; /* of its block, in the uncompressed file */
    uint64_t length;
} capture_t;

/* Record ids and payload digests (hashed) to captures, open addressing. */
typedef struct capture_map {
    capture_t *captures;
    size_t n, cap;
    uint64_t *keys;     /* 0: empty */
    uint32_t *slots;    /* index into captures */
    size_t nkeys, size; /* size: a power of two */
} capture_map_t;

typedef struct warc_state {
    uint64_t record; /* number of the record last read, 1-based */
    bool in_header;  /* a "WARC/" line was consumed while resyncing */
    bool lost;       /* the last record's length was unusable: what
                        follows it is known to be no header */
    html_article_t page;
    char *uri, *date, *text; /* of the record returned last */
    capture_map_t map;
    uint64_t elsewhere; /* revisits of captures not in this file */
    bool noted;         /* ... said */
} warc_state_t;

typedef struct warc_header {
    char type[32], uri[4096], date[64], content_type[256];
    char id[160], refers_to[160], refers_to_uri[4096], digest[160];
    long long length; /* -1 when missing or not a number */
} warc_header_t;

static void *warc_open(reader_base_t *base)
{
    (void)base;
    return calloc(1, sizeof(warc_state_t));
}

/* A key's hash: never 0, which marks an empty slot. */
static uint64_t key_of(char kind, const char *text)
{
    uint64_t h = hash_mix(hash_fnv1a(text, strlen(text), HASH_FNV_SEED) ^
                          (uint64_t)kind);
    return h ? h : 1;
}

static const capture_t *captures_find(const capture_map_t *m, uint64_t key)
{
    if (!m->size)
        return NULL;
    for (size_t i = key & (m->size - 1); m->keys[i];
         i = (i + 1) & (m->size - 1))
        if (m->keys[i] == key)
            return &m->captures[m->slots[i]];
    return NULL;
}

static bool map_grow(capture_map_t *m)
{
    size_t size = m->size ? m->size * 2 : 1024;
    uint64_t *keys = calloc(size, sizeof *keys);
    uint32_t *slots = malloc(size * sizeof *slots);
    if (!keys || !slots)
        return free(keys), free(slots), false;
    for (size_t i = 0; i < m->size; i++) {
        if (!m->keys[i])
            continue;
        size_t j = m->keys[i] & (size - 1);
        while (keys[j])
            j = (j + 1) & (size - 1);
        keys[j] = m->keys[i];
        slots[j] = m->slots[i];
    }
    free(m->keys);
    free(m->slots);
    m->keys = keys;
    m->slots = slots;
    m->size = size;
    return true;
}

static void map_put(capture_map_t *m, uint64_t key, uint32_t slot)
{
    if ((m->nkeys + 1) * 2 > m->size && !map_grow(m))
        return;
    size_t i = key & (m->size - 1);
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & (m->size - 1);
    if (!m->keys[i])
        m->nkeys++;
    m->keys[i] = key;
    m->slots[i] = slot;
}

/* Remembers an HTTP response whose page was read, its block at `offset`,
   under its record id and payload digest. Out of memory or past
   WARC_MAX_CAPTURES, it is not remembered: a revisit of it is then counted
   as one of a capture elsewhere. */
static void remember(capture_map_t *m, const warc_header_t *h, uint64_t offset)
{
    if ((!h->id[0] && !h->digest[0]) || m->n >= WARC_MAX_CAPTURES)
        return;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        capture_t *c = realloc(m->captures, cap * sizeof *c);
        if (!c)
            return;
        m->captures = c;
        m->cap = cap;
    }
    m->captures[m->n] =
        (capture_t){key_of('u', h->uri), offset, (uint64_t)h->length};
    if (h->id[0])
        map_put(m, key_of('i', h->id), (uint32_t)m->n);
    if (h->digest[0])
        map_put(m, key_of('d', h->digest), (uint32_t)m->n);
    m->n++;
}

static void map_free(capture_map_t *m)
{
    free(m->captures);
    free(m->keys);
    free(m->slots);
}

static void clear(warc_state_t *w)
{
    html_free(&w->page);
    free(w->uri);
    free(w->date);
    free(w->text);
    w->uri = w->date = w->text = NULL;
}

/* "Name: value" into value (cap bytes) when the line is that header. */
static bool header_value(const char *line, const char *name, char *value,
                         size_t cap)
{
    size_t n = strlen(name);
    if (strncasecmp(line, name, n) != 0 || line[n] != ':')
        return false;
    const char *v = line + n + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    snprintf(value, cap, "%s", v);
    size_t k = strlen(value);
    while (k > 0 && (value[k - 1] == ' ' || value[k - 1] == '\t'))
        value[--k] = '\0';
    return true;
}

/* A URI or record id bare: WARC 1.0 writes them "<...>", 1.1 without. */
static void bare(char *value)
{
    size_t k = strlen(value);
    if (k >= 2 && value[0] == '<' && value[k - 1] == '>') {
        memmove(value, value + 1, k - 2);
        value[k - 2] = '\0';
    }
}

/* Whether a URI names a page a crawler captured (not a crawler's own
   metadata:// record, a urn: or dns: entry). */
static bool captured_uri(const char *uri)
{
    return strncasecmp(uri, "http://", 7) == 0 ||
           strncasecmp(uri, "https://", 8) == 0 ||
           strncasecmp(uri, "ftp://", 6) == 0;
}

static long long parse_length(const char *s)
{
    long long v = 0;
    if (!isdigit((unsigned char)*s))
        return -1;
    for (; isdigit((unsigned char)*s); s++) {
        if (v > (1LL << 40))
            return -1;
        v = v * 10 + (*s - '0');
    }
    while (*s == ' ')
        s++;
    return *s ? -1 : v;
}

/* Reads a record's header block (after its "WARC/" line). Returns 1, 0 at
   the end of the input, -2 for damage. */
static int read_header(reader_base_t *base, warc_header_t *h, nidx_error_t *err)
{
    char *line, len_text[32] = "";
    size_t len;
    int got;
    memset(h, 0, sizeof *h);
    h->length = -1;
    while ((got = instream_line(base->in, &line, &len, err)) == 1 && len > 0) {
        header_value(line, "WARC-Type", h->type, sizeof h->type);
        header_value(line, "WARC-Target-URI", h->uri, sizeof h->uri);
        header_value(line, "WARC-Date", h->date, sizeof h->date);
        header_value(line, "WARC-Record-ID", h->id, sizeof h->id);
        header_value(line, "WARC-Refers-To", h->refers_to, sizeof h->refers_to);
        header_value(line, "WARC-Refers-To-Target-URI", h->refers_to_uri,
                     sizeof h->refers_to_uri);
        header_value(line, "WARC-Payload-Digest", h->digest, sizeof h->digest);
        header_value(line, "Content-Type", h->content_type,
                     sizeof h->content_type);
        if (header_value(line, "Content-Length", len_text, sizeof len_text))
            h->length = parse_length(len_text);
    }
    bare(h->uri);
    bare(h->id);
    bare(h->refers_to);
    bare(h->refers_to_uri);
    return got < 0 ? -2 : 1;
}

/* Finds the next "WARC/" line. Returns 1 when found, 0 at the end. */
static int find_version_line(reader_base_t *base, bool skip_blank_only,
                             bool *misplaced, nidx_error_t *err)
{
    char *line;
    size_t len;
    int got;
    *misplaced = false;
    while ((got = instream_line(base->in, &line, &len, err)) != 0) {
        if (got == -2)
            return -2;
        if (got == 1 && strncmp(line, "WARC/", 5) == 0)
            return 1;
        if (got == 1 && len == 0 && skip_blank_only)
            continue;
        *misplaced = true;
    }
    return 0;
}

/* An HTTP message's header value, or NULL (a static buffer). */
static const char *http_header(const char *head, size_t n, const char *name)
{
    static char value[256];
    size_t k = strlen(name);
    for (size_t i = 0; i + k + 1 < n; i++) {
        if ((i == 0 || head[i - 1] == '\n') &&
            strncasecmp(head + i, name, k) == 0 && head[i + k] == ':') {
            size_t j = i + k + 1, v = 0;
            while (j < n && (head[j] == ' ' || head[j] == '\t'))
                j++;
            while (j < n && head[j] != '\r' && head[j] != '\n' &&
                   v + 1 < sizeof value)
                value[v++] = head[j++];
            value[v] = '\0';
            return value;
        }
    }
    return NULL;
}

/* Whether a media type is a page nidx reads: HTML or plain text. */
static int page_kind(const char *type)
{
    if (!type)
        return 0;
    if (strncasecmp(type, "text/html", 9) == 0 ||
        strncasecmp(type, "application/xhtml+xml", 21) == 0)
        return 'h';
    if (strncasecmp(type, "text/plain", 10) == 0)
        return 't';
    return 0;
}

/* The charset parameter of a media type, into out. */
static void type_charset(const char *type, char out[40])
{
    const char *c = type ? strcasestr(type, "charset=") : NULL;
    size_t k = 0;
    out[0] = '\0';
    if (!c)
        return;
    c += 8;
    while (*c == '"' || *c == '\'')
        c++;
    while (*c && k < 39 && (isalnum((unsigned char)*c) || strchr("-_.:", *c)))
        out[k++] = *c++;
    out[k] = '\0';
}

/* Undoes chunked transfer encoding in place; false when it is broken. */
static bool dechunk(char *data, size_t *len)
{
    size_t in = 0, out = 0, n = *len;
    for (;;) {
        char *end;
        unsigned long size = strtoul(data + in, &end, 16);
        const char *nl = memchr(data + in, '\n', n - in);
        if (end == data + in || !nl)
            return false;
        in = (size_t)(nl - data) + 1;
        if (size == 0)
            break;
        if (size > n - in)
            return false;
        memmove(data + out, data + in, size);
        out += size;
        in += size;
        while (in < n && (data[in] == '\r' || data[in] == '\n'))
            in++;
    }
    *len = out;
    return true;
}

/*
 * The page of an HTTP response: its kind ('h', 't' or 0 to skip), body
 * and charset. *owned receives a buffer to free when the body had to be
 * inflated. -1 with `err` set when the body cannot be decoded.
 */
static int http_page(char *block, size_t n, char **body, size_t *body_len,
                     char charset[40], char **owned, nidx_error_t *err,
                     const char *where)
{
    /* The header ends at a blank line: CRLF CRLF, or bare LF LF as some
       servers (and hand-made archives) write it. */
    char *sep = memmem(block, n, "\r\n\r\n", 4);
    size_t sep_len = 4;
    char *lf = memmem(block, sep ? (size_t)(sep - block) : n, "\n\n", 2);
    if (lf)
        sep = lf, sep_len = 2;
    size_t head_len = sep ? (size_t)(sep - block) : 0;
    *owned = NULL;
    if (!sep || strncmp(block, "HTTP/", 5) != 0)
        return 0;
    const char *sp = memchr(block, ' ', head_len);
    if (!sp || sp[1] != '2') /* 2xx only: redirects, errors are no pages */
        return 0;
    const char *type = http_header(block, head_len, "Content-Type");
    int kind = page_kind(type);
    if (!kind)
        return 0;
    type_charset(type, charset);
    *body = sep + sep_len;
    *body_len = n - head_len - sep_len;
    const char *te = http_header(block, head_len, "Transfer-Encoding");
    if (te && strcasestr(te, "chunked") && !dechunk(*body, body_len))
        return error_set(err, NIDX_ERROR_INPUT,
                         "%s: broken chunked transfer encoding", where),
               -1;
    const char *ce = http_header(block, head_len, "Content-Encoding");
    if (ce && (strcasestr(ce, "gzip") || strcasestr(ce, "deflate"))) {
        size_t out_n;
        int r =
            instream_inflate(*body, *body_len, WARC_MAX_PAGE, owned, &out_n);
        if (r <= 0)
            return error_set(err, NIDX_ERROR_INPUT,
                             r == 0 ? "%s: page inflates past 32 MB"
                                    : "%s: bad %s data",
                             where, ce),
                   -1;
        *body = *owned;
        *body_len = out_n;
    }
    return kind;
}

/* A plain text page: first non-empty line the title, the rest the body. */
static void text_page(warc_state_t *w, const char *data, size_t n)
{
    free(w->text);
    w->text = strndup(data, n);
    if (!w->text)
        return;
    char *t = w->text;
    while (*t == '\n' || *t == '\r' || *t == ' ')
        t++;
    char *nl = strchr(t, '\n');
    if (nl)
        *nl = '\0';
    w->page.title = strdup(t);
    w->page.body = nl ? strdup(nl + 1) : NULL;
}

/* A record whose Content-Length promises more than the file holds. */
static int past_end(const char *where, long long length, nidx_error_t *err)
{
    error_set(err, NIDX_ERROR_INPUT,
              "%s: Content-Length %lld runs past the end of the file", where,
              length);
    return READ_FAIL;
}

/*
 * The article of a record's block: READ_ARTICLE, 0 when the block holds no
 * page nidx reads, READ_SKIP or READ_FAIL with `err` set. Its id, url and
 * date are h's, whichever record the block came from.
 */
static int page_article(warc_state_t *w, reader_base_t *base,
                        const warc_header_t *h, char *block, size_t n,
                        bool response, const char *where, nidx_article_t *a,
                        nidx_error_t *err)
{
    char charset[40] = "", *body = block, *owned = NULL;
    size_t body_len = n;
    int kind = page_kind(h->content_type);
    if (response) {
        kind =
            http_page(block, n, &body, &body_len, charset, &owned, err, where);
        if (kind < 0)
            return READ_SKIP;
    } else {
        type_charset(h->content_type, charset);
    }
    if (!kind)
        return 0;
    nidx_status_t st = NIDX_OK;
    if (kind == 'h')
        st = html_extract(body, body_len, charset[0] ? charset : NULL, h->uri,
                          &w->page, err);
    else
        text_page(w, body, body_len);
    free(owned);
    if (st != NIDX_OK) {
        char why[NIDX_ERROR_MESSAGE_MAX];
        snprintf(why, sizeof why, "%s", err ? err->message : "");
        error_set(err, st, "%s: %s", where, why);
        return st == NIDX_ERROR_NOMEM ? READ_FAIL : READ_SKIP;
    }
    if (!w->page.title && !w->page.body) {
        html_free(&w->page);
        return error_set(err, NIDX_ERROR_INPUT, "%s: no text in the page",
                         where),
               READ_SKIP;
    }
    w->uri = h->uri[0] ? strdup(h->uri) : NULL;
    w->date = h->date[0] ? strdup(h->date) : NULL;
    base->record_warning = w->page.warning;
    a->id = w->uri ? w->uri : base->id_base;
    a->url = w->uri;
    a->title = w->page.title;
    a->body = w->page.body;
    a->date = w->page.date ? w->page.date : w->date;
    a->source = w->page.source;
    a->lang = w->page.lang;
    char host[DOCUMENT_HOST_MAX + 1];
    if (!a->source && w->uri && document_url_host(w->uri, strlen(w->uri), host))
        a->source = w->page.source = strdup(host);
    return READ_ARTICLE;
}

/*
 * A revisit record (its block already passed): the same payload as a
 * capture named by WARC-Refers-To or WARC-Payload-Digest. At the capture's
 * own URI it adds nothing; at another URI, with the capture earlier in
 * this file, the capture's block is read again (the file opened a second
 * time) as this URI's page. Returns as page_article() does.
 */
static int revisit(warc_state_t *w, reader_base_t *base, const warc_header_t *h,
                   const char *where, nidx_article_t *a, nidx_error_t *err)
{
    const capture_t *c = NULL;
    if (h->refers_to[0])
        c = captures_find(&w->map, key_of('i', h->refers_to));
    if (!c && h->digest[0])
        c = captures_find(&w->map, key_of('d', h->digest));
    uint64_t self = key_of('u', h->uri);
    if (h->refers_to_uri[0] ? key_of('u', h->refers_to_uri) == self
                            : c && c->uri == self)
        return 0; /* the same page again */
    if (!c) {
        w->elsewhere++;
        return 0;
    }
    struct stat st;
    if (strcmp(base->path, "-") == 0 || stat(base->path, &st) != 0 ||
        !S_ISREG(st.st_mode))
        return error_set(err, NIDX_ERROR_INPUT,
                         "%s: a revisit of a page earlier in the input, "
                         "which is no file to read again",
                         where),
               READ_SKIP;
    instream_t *again = NULL;
    char *block = NULL;
    int got = instream_open(base->path, &again, err) == NIDX_OK ? 1 : -2;
    if (got == 1)
        got = instream_skip(again, c->offset, err);
    if (got == 1)
        got = instream_read(again, (size_t)c->length, &block, err);
    int r = got == 1 ? page_article(w, base, h, block, (size_t)c->length, true,
                                    where, a, err)
                     : (error_set(err, NIDX_ERROR_INPUT,
                                  "%s: the page it revisits could not be "
                                  "read again",
                                  where),
                        READ_SKIP);
    instream_close(again);
    return r;
}

/* At the end of the file: the revisits of captures in other files, said
   once (READ_NOTE), then READ_END. */
static int at_end(warc_state_t *w, reader_base_t *base, nidx_error_t *err)
{
    if (!w->elsewhere || w->noted)
        return READ_END;
    w->noted = true;
    return error_set(err, NIDX_ERROR_INPUT,
                     "%s: %llu revisit records refer to captures in other "
                     "files (WARC-Refers-To): their pages are indexed from "
                     "those files, under the URIs captured there",
                     base->path, (unsigned long long)w->elsewhere),
           READ_NOTE;
}

static int warc_next(void *state, reader_base_t *base, nidx_article_t *a,
                     nidx_error_t *err)
{
    warc_state_t *w = state;
    warc_header_t h;
    char where[4200];
    clear(w);
    for (;;) {
        bool misplaced = false;
        if (!w->in_header) {
            int got = find_version_line(base, true, &misplaced, err);
            if (got >= 0 && misplaced && w->record == 0)
                return error_set(err, NIDX_ERROR_INPUT,
                                 "%s: not a web archive: it does not begin "
                                 "with a WARC/1.x record header",
                                 base->path),
                       READ_FAIL;
            if (got < 0)
                return READ_FAIL;
            if (got == 0)
                return at_end(w, base, err);
        }
        w->in_header = false;
        w->record++;
        if (misplaced && w->lost)
            misplaced = false; /* already reported */
        w->lost = false;
        if (misplaced) {
            /* The header was found past something else: a length lied. */
            w->in_header = true;
            w->record--;
            return error_set(err, NIDX_ERROR_INPUT,
                             "%s: record %llu: not followed by a WARC header "
                             "where its Content-Length ends; skipped to the "
                             "next one",
                             base->path, (unsigned long long)w->record),
                   READ_SKIP;
        }
        if (read_header(base, &h, err) < 0)
            return READ_FAIL;
        snprintf(where, sizeof where, "%s: record %llu (%s)", base->path,
                 (unsigned long long)w->record, h.uri[0] ? h.uri : "no URI");
        if (h.length < 0)
            return w->lost = true,
                   error_set(err, NIDX_ERROR_INPUT,
                             "%s: no valid Content-Length", where),
                   READ_SKIP;
        bool response = strcasecmp(h.type, "response") == 0;
        bool resource = strcasecmp(h.type, "resource") == 0;
        bool wanted =
            (response && strcasestr(h.content_type, "http")) ||
            (resource && page_kind(h.content_type) && captured_uri(h.uri));
        if (!wanted || h.length > (long long)WARC_MAX_RECORD) {
            int got = instream_skip(base->in, (uint64_t)h.length, err);
            if (got < 0)
                return READ_FAIL;
            if (got == 0)
                return past_end(where, h.length, err);
            if (wanted)
                return error_set(err, NIDX_ERROR_INPUT,
                                 "%s: record larger than %u MB", where,
                                 WARC_MAX_RECORD >> 20),
                       READ_SKIP;
            if (strcasecmp(h.type, "revisit") == 0 && captured_uri(h.uri)) {
                int r = revisit(w, base, &h, where, a, err);
                if (r != 0)
                    return r;
            }
            continue;
        }
        uint64_t offset = instream_offset(base->in);
        char *block;
        int got = instream_read(base->in, (size_t)h.length, &block, err);
        if (got < 0)
            return READ_FAIL;
        if (got == 0)
            return past_end(where, h.length, err);
        int r = page_article(w, base, &h, block, (size_t)h.length, response,
                             where, a, err);
        if (r == READ_ARTICLE && response)
            remember(&w->map, &h, offset);
        if (r != 0)
            return r;
    }
}

static uint64_t warc_line(void *state, reader_base_t *base)
{
    (void)base;
    return ((warc_state_t *)state)->record;
}

static void warc_close(void *state)
{
    warc_state_t *w = state;
    clear(w);
    map_free(&w->map);
    free(w);
}

const reader_ops_t reader_warc_ops = {warc_open, warc_next, warc_line,
                                      warc_close};
