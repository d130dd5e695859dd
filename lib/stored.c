/* stored.c — an article's body, compressed apart from its other fields. */
#include "stored.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zdict.h>
#include <zstd.h>

#include "hash.h"
#include "varint.h"

/* Bodies shorter than this gain nothing from compression. */
#define RAW_BELOW 48
/* zstd's level: 9 gave the smallest bodies still read back as fast as
   level 3 (bench/bench_stored.c). */
#define LEVEL 9
/* Longest body a frame may claim: what a writer could have stored. */
#define MAX_BODY (1u << 30)
/* Bodies longer than this give the trainer their start only. */
#define SAMPLE_PIECE (16u << 10)

/* The first byte says how the rest is kept. */
#define KEPT_RAW 'r'
#define KEPT_DEFLATED 'z'  /* varint length, zlib data (early format 2) */
#define KEPT_ZSTD 's'      /* a zstd frame */
#define KEPT_ZSTD_DICT 'd' /* varint dictionary number, a zstd frame */

struct stored_dict {
    ZSTD_CDict *compress;
    ZSTD_DDict *decompress;
};

stored_dict_t *stored_dict_new(const char *data, size_t len)
{
    stored_dict_t *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->compress = ZSTD_createCDict(data, len, LEVEL);
    d->decompress = ZSTD_createDDict(data, len);
    if (!d->compress || !d->decompress) {
        stored_dict_free(d);
        return NULL;
    }
    return d;
}

unsigned stored_dict_number(const char *data, size_t len)
{
    return ZDICT_getDictID(data, len);
}

uint64_t stored_dict_sum(const char *data, size_t len)
{
    return hash_fnv1a(data, len, HASH_FNV_SEED);
}

void stored_dict_sum_text(const char *data, size_t len, char out[17])
{
    snprintf(out, 17, "%016llx",
             (unsigned long long)stored_dict_sum(data, len));
}

bool stored_dict_fits(const char *data, size_t len, const char *kept,
                      size_t kept_len)
{
    char want[17];
    stored_dict_sum_text(data, len, want);
    return kept_len == 0 || (kept_len == 16 && !memcmp(kept, want, 16));
}

void stored_dict_free(stored_dict_t *d)
{
    if (!d)
        return;
    ZSTD_freeCDict(d->compress);
    ZSTD_freeDDict(d->decompress);
    free(d);
}

struct stored_codec {
    ZSTD_CCtx *compress;
    ZSTD_DCtx *decompress;
    char *scratch; /* where a frame past the part kept is inflated, to
                      reach its checksum */
    size_t scratch_size;
};

stored_codec_t *stored_codec_new(void)
{
    stored_codec_t *c = calloc(1, sizeof *c);
    if (c) {
        c->compress = ZSTD_createCCtx();
        c->decompress = ZSTD_createDCtx();
        c->scratch_size = ZSTD_DStreamOutSize();
        c->scratch = malloc(c->scratch_size);
    }
    if (!c || !c->compress || !c->decompress || !c->scratch) {
        stored_codec_free(c);
        return NULL;
    }
    return c;
}

void stored_codec_free(stored_codec_t *c)
{
    if (!c)
        return;
    ZSTD_freeCCtx(c->compress);
    ZSTD_freeDCtx(c->decompress);
    free(c->scratch);
    free(c);
}

struct stored_trainer {
    char *sample;
    size_t *sizes;
    size_t n, bytes;
};

stored_trainer_t *stored_trainer_new(void)
{
    stored_trainer_t *t = calloc(1, sizeof *t);
    if (t) {
        t->sample = malloc(STORED_SAMPLE_BYTES + SAMPLE_PIECE);
        t->sizes =
            malloc((STORED_SAMPLE_BYTES / RAW_BELOW + 1) * sizeof *t->sizes);
    }
    if (!t || !t->sample || !t->sizes) {
        stored_trainer_free(t);
        return NULL;
    }
    return t;
}

bool stored_trainer_add(stored_trainer_t *t, const char *body, size_t n)
{
    if (t->bytes >= STORED_SAMPLE_BYTES)
        return true;
    if (n < RAW_BELOW)
        return false;
    if (n > SAMPLE_PIECE)
        n = SAMPLE_PIECE;
    memcpy(t->sample + t->bytes, body, n);
    t->sizes[t->n++] = n;
    t->bytes += n;
    return t->bytes >= STORED_SAMPLE_BYTES;
}

char *stored_trainer_train(stored_trainer_t *t, size_t *len)
{
    char *dict = malloc(STORED_DICT_BYTES);
    if (!dict)
        return NULL;
    size_t got = ZDICT_trainFromBuffer(dict, STORED_DICT_BYTES, t->sample,
                                       t->sizes, (unsigned)t->n);
    if (ZDICT_isError(got)) {
        free(dict);
        return NULL;
    }
    *len = got;
    return dict;
}

void stored_trainer_free(stored_trainer_t *t)
{
    if (!t)
        return;
    free(t->sample);
    free(t->sizes);
    free(t);
}

char *stored_body_encode(stored_codec_t *codec, const char *body, size_t n,
                         const stored_dict_t *dict, unsigned dict_id,
                         size_t *len)
{
    if (n < RAW_BELOW) {
        char *out = malloc(n + 1);
        if (!out)
            return NULL;
        out[0] = KEPT_RAW;
        memcpy(out + 1, body, n);
        *len = n + 1;
        return out;
    }
    size_t room = ZSTD_compressBound(n);
    unsigned char *out = malloc(1 + 10 + room), *p = out + 1;
    ZSTD_CCtx *cc = codec->compress;
    size_t got = 0;
    if (out) {
        out[0] = dict ? KEPT_ZSTD_DICT : KEPT_ZSTD;
        if (dict)
            p += varint_put(p, dict_id);
        /* Each frame carries a checksum of its content: damage, to the
           body or to the dictionary, is then found, never shown. */
        got = ZSTD_CCtx_reset(cc, ZSTD_reset_session_and_parameters);
        if (!ZSTD_isError(got))
            got = ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, LEVEL);
        if (!ZSTD_isError(got))
            got = ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
        if (!ZSTD_isError(got))
            got = ZSTD_CCtx_refCDict(cc, dict ? dict->compress : NULL);
        if (!ZSTD_isError(got))
            got = ZSTD_compress2(cc, p, room, body, n);
    }
    if (!out || ZSTD_isError(got)) {
        free(out);
        return NULL;
    }
    *len = (size_t)(p - out) + got;
    return (char *)out;
}

/* Cuts body[0..*n) to at most max bytes, at a character's start. */
static void cut_at(char *body, size_t *n, size_t max)
{
    if (*n <= max)
        return;
    size_t k = max;
    while (k > 0 && ((unsigned char)body[k] & 0xC0) == 0x80)
        k--; /* body[k] is a continuation byte: back to its lead */
    body[k] = '\0';
    *n = k;
}

/*
 * A zstd frame, with `dict` when not NULL; its first `max` bytes kept. The
 * whole frame is inflated all the same (what is past the cut into the
 * codec's scratch buffer), so that its checksum, when it has one, is
 * checked: a damaged body or dictionary is never taken for text.
 */
static stored_read_t unzstd_body(stored_codec_t *codec, const unsigned char *p,
                                 const unsigned char *end,
                                 const stored_dict_t *dict, size_t max,
                                 char **body, size_t *n)
{
    ZSTD_DCtx *dc = codec->decompress;
    size_t frame = (size_t)(end - p);
    unsigned long long size = ZSTD_getFrameContentSize(p, frame);
    if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR ||
        size > MAX_BODY)
        return STORED_READ_DAMAGED;
    unsigned wanted_dict = ZSTD_getDictID_fromFrame(p, frame);
    if (dict && wanted_dict &&
        wanted_dict != ZSTD_getDictID_fromDDict(dict->decompress))
        return STORED_READ_OTHER_DICT;
    /* One byte past the cut, to know where the cut's character starts. */
    size_t want = size > max ? max + 1 : (size_t)size;
    if (!(*body = malloc(want + 1)))
        return STORED_READ_NOMEM;
    ZSTD_inBuffer in = {p, frame, 0};
    ZSTD_outBuffer out = {*body, want, 0};
    unsigned long long made = 0; /* bytes inflated, kept or not */
    size_t kept = 0;
    bool past_cut = false;
    size_t left = ZSTD_DCtx_reset(dc, ZSTD_reset_session_only);
    if (!ZSTD_isError(left))
        left = ZSTD_DCtx_refDDict(dc, dict ? dict->decompress : NULL);
    while (!ZSTD_isError(left)) {
        if (out.pos == out.size) { /* full: go on in the scratch buffer */
            made += out.pos;
            if (!past_cut)
                kept = out.pos, past_cut = true;
            out = (ZSTD_outBuffer){codec->scratch, codec->scratch_size, 0};
        }
        size_t before = in.pos + out.pos;
        left = ZSTD_decompressStream(dc, &out, &in);
        if (!ZSTD_isError(left) && (left == 0 || in.pos + out.pos == before))
            break; /* the frame ended, or no progress: damage */
    }
    made += out.pos;
    if (!past_cut)
        kept = out.pos;
    if (ZSTD_isError(left) || left != 0 || kept != want || made != size) {
        free(*body);
        *body = NULL;
        return STORED_READ_DAMAGED;
    }
    (*body)[want] = '\0';
    *n = want;
    cut_at(*body, n, max);
    return STORED_READ_OK;
}

stored_read_t stored_body_decode(stored_codec_t *codec, const char *data,
                                 size_t len, size_t max, stored_dict_fn dicts,
                                 void *context, char **body, size_t *n)
{
    const unsigned char *p = (const unsigned char *)data, *end = p + len;
    uint64_t id;
    *body = NULL;
    if (len == 0)
        return STORED_READ_DAMAGED;
    switch (*p++) {
    case KEPT_RAW:
        if (!(*body = malloc(len)))
            return STORED_READ_NOMEM;
        memcpy(*body, p, len - 1);
        (*body)[len - 1] = '\0';
        *n = len - 1;
        cut_at(*body, n, max);
        return STORED_READ_OK;
    case KEPT_ZSTD: return unzstd_body(codec, p, end, NULL, max, body, n);
    case KEPT_ZSTD_DICT: {
        if (!varint_get(&p, end, &id) || id > UINT32_MAX)
            return STORED_READ_DAMAGED;
        const stored_dict_t *d = dicts ? dicts(context, (unsigned)id) : NULL;
        if (!d)
            return STORED_READ_NO_DICT;
        return unzstd_body(codec, p, end, d, max, body, n);
    }
    }
    return STORED_READ_DAMAGED;
}
