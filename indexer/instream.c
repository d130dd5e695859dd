/* instream.c — buffered line reading over zlib's gz* functions. */
#include "instream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "error.h"

#define CHUNK (256u << 10)
#define SNIFF (64u << 10)

struct instream {
    gzFile gz;
    char *path;
    char *buf;
    size_t cap, start, end; /* unread bytes are buf[start..end) */
    bool eof;
    bool damaged;
    nidx_error_t error; /* why the input is damaged */
    uint64_t line;
    uint64_t bytes;
};

nidx_status_t instream_open_fd(int fd, const char *name, instream_t **stream,
                               nidx_error_t *err)
{
    instream_t *s;
    *stream = NULL;
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
        close(fd);
        return error_set(err, NIDX_ERROR_IO, "%s: %s", name, strerror(errno));
    }
    s = calloc(1, sizeof *s);
    if (s) {
        s->path = strdup(name);
        s->cap = CHUNK;
        s->buf = malloc(s->cap + 1);
    }
    if (!s || !s->path || !s->buf) {
        close(fd);
        instream_close(s);
        return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
    }
    s->gz = gzdopen(fd, "rb");
    if (!s->gz) {
        close(fd);
        instream_close(s);
        return error_set(err, NIDX_ERROR_IO, "%s: cannot read", name);
    }
    gzbuffer(s->gz, 128u << 10);
    *stream = s;
    return NIDX_OK;
}

nidx_status_t instream_open(const char *path, instream_t **stream,
                            nidx_error_t *err)
{
    bool is_stdin = strcmp(path, "-") == 0;
    /* Without O_NONBLOCK, opening a FIFO waits for a writer, forever if
       none comes, while nidx holds the index's lock; with it the open
       returns at once, and reads then block again as usual (a FIFO that
       nobody writes reads as empty). */
    int fd = is_stdin ? dup(0) : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    *stream = NULL;
    if (fd < 0)
        return error_set(err, NIDX_ERROR_IO, "%s: %s", path, strerror(errno));
    return instream_open_fd(fd, path, stream, err);
}

void instream_close(instream_t *s)
{
    if (!s)
        return;
    if (s->gz)
        gzclose_r(s->gz);
    free(s->buf);
    free(s->path);
    free(s);
}

/* Appends more input to the buffer; false at the end or on damage. */
static bool fill(instream_t *s)
{
    nidx_error_t *err = &s->error;
    if (s->eof)
        return false;
    if (s->start > 0 && s->start == s->end)
        s->start = s->end = 0;
    if (s->end == s->cap) {
        if (s->start > 0) { /* slide the partial line to the front */
            memmove(s->buf, s->buf + s->start, s->end - s->start);
            s->end -= s->start;
            s->start = 0;
        } else {
            char *p = realloc(s->buf, s->cap * 2 + 1);
            if (!p) {
                error_set(err, NIDX_ERROR_NOMEM, "out of memory");
                s->eof = s->damaged = true;
                return false;
            }
            s->buf = p;
            s->cap *= 2;
        }
    }
    size_t want = s->cap - s->end;
    if (want > (1u << 30))
        want = 1u << 30;
    int n = gzread(s->gz, s->buf + s->end, (unsigned)want);
    int zerr = Z_OK;
    const char *msg = gzerror(s->gz, &zerr);
    if (n > 0) {
        s->end += (size_t)n;
        s->bytes += (uint64_t)n;
    }
    if (n < 0 || (zerr != Z_OK && zerr != Z_STREAM_END)) {
        /* zlib names the stream "<fd:N>: "; the path is ours to give. */
        const char *colon = strstr(msg, ": ");
        if (strncmp(msg, "<fd:", 4) == 0 && colon)
            msg = colon + 2;
        /* Z_BUF_ERROR here means the file ends inside a gzip member. */
        error_set(err, NIDX_ERROR_INPUT, "%s: %s", s->path,
                  zerr == Z_BUF_ERROR ? "truncated gzip data"
                  : zerr == Z_ERRNO   ? strerror(errno)
                                      : msg);
        s->eof = s->damaged = true;
        return n > 0; /* the bytes before the damage are still good */
    }
    if (n == 0) {
        s->eof = true;
        return false;
    }
    return true;
}

static int damaged(const instream_t *s, nidx_error_t *err)
{
    if (err)
        *err = s->error;
    return -2;
}

static int line_too_long(const instream_t *s, nidx_error_t *err)
{
    error_set(err, NIDX_ERROR_INPUT, "%s:%llu: line longer than %u MB", s->path,
              (unsigned long long)s->line, INSTREAM_MAX_LINE >> 20);
    return -1;
}

int instream_line(instream_t *s, char **line, size_t *len, nidx_error_t *err)
{
    size_t scanned = 0;
    bool too_long = false;
    for (;;) {
        char *from = s->buf + s->start + scanned;
        char *nl = memchr(from, '\n', s->end - s->start - scanned);
        /* In a damaged file the line after the last newline is cut. */
        if (!nl && s->eof && s->damaged)
            return damaged(s, err);
        if (nl || (s->eof && s->end > s->start)) {
            size_t n =
                nl ? (size_t)(nl - (s->buf + s->start)) : s->end - s->start;
            char *p = s->buf + s->start;
            s->start += n + (nl ? 1 : 0);
            s->line++;
            if (too_long || n > INSTREAM_MAX_LINE)
                return line_too_long(s, err);
            if (n > 0 && p[n - 1] == '\r')
                n--;
            p[n] = '\0';
            *line = p;
            *len = n;
            return 1;
        }
        scanned = s->end - s->start;
        if (scanned > INSTREAM_MAX_LINE) {
            /* Keep reading to the newline, dropping what is buffered. */
            too_long = true;
            s->start = s->end;
            scanned = 0;
        }
        if (!fill(s)) {
            if (s->damaged)
                return damaged(s, err);
            if (s->end == s->start) {
                if (too_long) {
                    s->line++;
                    return line_too_long(s, err);
                }
                return 0;
            }
        }
    }
}

int instream_all(instream_t *s, size_t max, char **data, size_t *len,
                 nidx_error_t *err)
{
    while (fill(s)) {
        if (s->end - s->start > max)
            return error_set(err, NIDX_ERROR_INPUT, "%s: larger than %zu MB",
                             s->path, max >> 20),
                   -1;
    }
    if (s->damaged)
        return damaged(s, err);
    *data = s->buf + s->start;
    *len = s->end - s->start;
    (*data)[*len] = '\0';
    s->start = s->end;
    return 1;
}

int instream_read(instream_t *s, size_t n, char **data, nidx_error_t *err)
{
    while (s->end - s->start < n) {
        if (!fill(s)) {
            if (s->damaged)
                return damaged(s, err);
            s->start = s->end;
            return 0;
        }
    }
    *data = s->buf + s->start;
    s->start += n;
    return 1;
}

int instream_skip(instream_t *s, uint64_t n, nidx_error_t *err)
{
    while (n > 0) {
        size_t have = s->end - s->start;
        if (have > 0) {
            size_t take = have < n ? have : (size_t)n;
            s->start += take;
            n -= take;
            continue;
        }
        if (!fill(s))
            return s->damaged ? damaged(s, err) : 0;
    }
    return 1;
}

int instream_inflate(const char *in, size_t n, size_t max, char **out,
                     size_t *out_n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    /* 15 + 32: zlib or gzip headers, detected. */
    bool raw =
        n >= 2 &&
        !((unsigned char)in[0] == 0x1f && (unsigned char)in[1] == 0x8b) &&
        (((unsigned char)in[0] << 8 | (unsigned char)in[1]) % 31 != 0);
    if (inflateInit2(&z, raw ? -15 : 15 + 32) != Z_OK)
        return -1;
    size_t cap = n * 4 + 1024, len = 0;
    char *buf = malloc(cap + 1);
    int result = -1;
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    while (buf) {
        if (len == cap) {
            if (cap >= max) {
                result = 0;
                break;
            }
            cap = cap * 2 > max ? max : cap * 2;
            char *p = realloc(buf, cap + 1);
            if (!p)
                break;
            buf = p;
        }
        z.next_out = (Bytef *)buf + len;
        z.avail_out = (uInt)(cap - len);
        int r = inflate(&z, Z_NO_FLUSH);
        len = cap - z.avail_out;
        if (r == Z_STREAM_END) {
            result = 1;
            break;
        }
        if (r != Z_OK && !(r == Z_BUF_ERROR && z.avail_out == 0))
            break;
        if (z.avail_in == 0 && z.avail_out > 0) {
            result = 1; /* a stream cut short: keep what it gave */
            break;
        }
    }
    inflateEnd(&z);
    if (result != 1) {
        free(buf);
        return result;
    }
    buf[len] = '\0';
    *out = buf;
    *out_n = len;
    return 1;
}

/* Makes sure the first SNIFF bytes (or the whole input) are buffered. */
static void sniff(instream_t *s)
{
    while (s->end - s->start < SNIFF && fill(s))
        ;
}

int instream_first_byte(instream_t *s)
{
    sniff(s);
    for (size_t i = s->start; i < s->end; i++) {
        unsigned char c = (unsigned char)s->buf[i];
        if (c == ' ' || (c >= '\t' && c <= '\r'))
            continue;
        /* A UTF-8 byte order mark is not content. */
        if (c == 0xEF && i + 2 < s->end &&
            (unsigned char)s->buf[i + 1] == 0xBB &&
            (unsigned char)s->buf[i + 2] == 0xBF) {
            i += 2;
            continue;
        }
        return c;
    }
    return -1;
}

void instream_sample(instream_t *s, const char **data, size_t *len)
{
    sniff(s);
    size_t n = s->end - s->start;
    *data = s->buf + s->start;
    *len = n < SNIFF ? n : SNIFF;
}

bool instream_has_nul(instream_t *s)
{
    sniff(s);
    size_t n = s->end - s->start;
    return memchr(s->buf + s->start, '\0', n < SNIFF ? n : SNIFF) != NULL;
}

uint64_t instream_line_number(const instream_t *s)
{
    return s->line;
}

uint64_t instream_bytes(const instream_t *s)
{
    return s->bytes;
}

uint64_t instream_offset(const instream_t *s)
{
    return s->bytes - (uint64_t)(s->end - s->start);
}

uint64_t instream_position(instream_t *s)
{
    z_off_t at = gzoffset(s->gz);
    return at > 0 ? (uint64_t)at : 0;
}
