/*
 * bench_stored.c — how to keep article bodies (issue 13): bytes per
 * article and microseconds to read one back, for deflate alone (what
 * index format 2 began with), deflate with a preset dictionary, zstd
 * alone and zstd with a trained dictionary, on each news collection.
 *
 *   bench_stored FILE.jsonl.gz...
 *
 * The dictionary of a collection is trained (ZDICT) on a sample spread
 * over it (every k-th body, at most 2 MB), as a shard would train one on
 * its first batch; the same bytes serve as deflate's preset dictionary
 * (its last 32 KB, all deflate can use).
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zdict.h>
#include <zlib.h>
#include <zstd.h>

#define DICT_BYTES (64 << 10)
#define SAMPLE_BYTES (2 << 20)

typedef struct bodies {
    char **text;
    size_t *len, n, cap, bytes;
} bodies_t;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void read_bodies(const char *path, bodies_t *b)
{
    static char line[1 << 22];
    gzFile in = gzopen(path, "rb");
    while (in && gzgets(in, line, sizeof line)) {
        json_object *o = json_tokener_parse(line), *v;
        if (o &&
            (json_object_object_get_ex(o, "body", &v) ||
             json_object_object_get_ex(o, "text", &v)) &&
            json_object_is_type(v, json_type_string)) {
            if (b->n == b->cap) {
                b->cap = b->cap ? b->cap * 2 : 1024;
                b->text = realloc(b->text, b->cap * sizeof *b->text);
                b->len = realloc(b->len, b->cap * sizeof *b->len);
            }
            b->len[b->n] = (size_t)json_object_get_string_len(v);
            b->text[b->n] = strdup(json_object_get_string(v));
            b->bytes += b->len[b->n++];
        }
        json_object_put(o);
    }
    if (in)
        gzclose(in);
}

/* A dictionary trained on a sample spread over the bodies; its size. */
static size_t train(const bodies_t *b, char *dict)
{
    size_t step = b->bytes > SAMPLE_BYTES ? b->bytes / SAMPLE_BYTES + 1 : 1;
    size_t n = 0, total = 0;
    size_t *sizes = malloc(b->n * sizeof *sizes);
    char *sample = malloc(SAMPLE_BYTES + (1 << 20)), *p = sample;
    for (size_t i = 0; i < b->n && total < SAMPLE_BYTES; i += step) {
        memcpy(p, b->text[i], b->len[i] < (1 << 20) ? b->len[i] : (1 << 20));
        sizes[n] = b->len[i] < (1 << 20) ? b->len[i] : (1 << 20);
        p += sizes[n];
        total += sizes[n++];
    }
    size_t got =
        ZDICT_trainFromBuffer(dict, DICT_BYTES, sample, sizes, (unsigned)n);
    free(sample);
    free(sizes);
    return ZDICT_isError(got) ? 0 : got;
}

typedef struct result {
    double bytes, micros;
} result_t;

static result_t deflate_all(const bodies_t *b, const char *dict, size_t dlen)
{
    result_t r = {0, 0};
    size_t cap = 1 << 20;
    unsigned char *out = malloc(cap), *back = malloc(cap * 4);
    for (size_t i = 0; i < b->n; i++) {
        if (b->len[i] >= cap)
            continue;
        z_stream z = {0};
        deflateInit(&z, 6);
        if (dict)
            deflateSetDictionary(
                &z, (const Bytef *)dict + (dlen > 32768 ? dlen - 32768 : 0),
                dlen > 32768 ? 32768 : (uInt)dlen);
        z.next_in = (Bytef *)b->text[i];
        z.avail_in = (uInt)b->len[i];
        z.next_out = out;
        z.avail_out = (uInt)cap;
        deflate(&z, Z_FINISH);
        size_t n = z.total_out;
        deflateEnd(&z);
        r.bytes += (double)n;
        double t = now();
        z_stream u = {0};
        inflateInit(&u);
        u.next_in = out;
        u.avail_in = (uInt)n;
        u.next_out = back;
        u.avail_out = (uInt)(cap * 4);
        int st = inflate(&u, Z_FINISH);
        if (st == Z_NEED_DICT) {
            inflateSetDictionary(
                &u, (const Bytef *)dict + (dlen > 32768 ? dlen - 32768 : 0),
                dlen > 32768 ? 32768 : (uInt)dlen);
            inflate(&u, Z_FINISH);
        }
        inflateEnd(&u);
        r.micros += (now() - t) * 1e6;
    }
    free(out);
    free(back);
    r.bytes /= (double)b->n;
    r.micros /= (double)b->n;
    return r;
}

static result_t zstd_all(const bodies_t *b, const char *dict, size_t dlen,
                         int level)
{
    result_t r = {0, 0};
    size_t cap = ZSTD_compressBound(1 << 20);
    char *out = malloc(cap), *back = malloc(4 << 20);
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    ZSTD_DCtx *dc = ZSTD_createDCtx();
    ZSTD_CDict *cd = dict ? ZSTD_createCDict(dict, dlen, level) : NULL;
    ZSTD_DDict *dd = dict ? ZSTD_createDDict(dict, dlen) : NULL;
    for (size_t i = 0; i < b->n; i++) {
        if (b->len[i] >= (1 << 20))
            continue;
        size_t n =
            cd ? ZSTD_compress_usingCDict(cc, out, cap, b->text[i], b->len[i],
                                          cd)
               : ZSTD_compressCCtx(cc, out, cap, b->text[i], b->len[i], level);
        r.bytes += (double)n;
        double t = now();
        if (dd)
            ZSTD_decompress_usingDDict(dc, back, 4 << 20, out, n, dd);
        else
            ZSTD_decompressDCtx(dc, back, 4 << 20, out, n);
        r.micros += (now() - t) * 1e6;
    }
    ZSTD_freeCDict(cd);
    ZSTD_freeDDict(dd);
    ZSTD_freeCCtx(cc);
    ZSTD_freeDCtx(dc);
    free(out);
    free(back);
    r.bytes /= (double)b->n;
    r.micros /= (double)b->n;
    return r;
}

int main(int argc, char **argv)
{
    static char dict[DICT_BYTES];
    result_t sum[6] = {{0, 0}};
    double raw = 0, articles = 0;
    printf("%-28s %8s %9s | %14s | %14s | %14s | %14s | %14s | %14s\n",
           "collection", "articles", "raw B/art", "deflate", "deflate+dict",
           "zstd 3", "zstd 3+dict", "zstd 6+dict", "zstd 9+dict");
    for (int f = 1; f < argc; f++) {
        bodies_t b = {0};
        read_bodies(argv[f], &b);
        if (!b.n)
            continue;
        size_t dlen = train(&b, dict);
        result_t r[6] = {
            deflate_all(&b, NULL, 0), deflate_all(&b, dlen ? dict : NULL, dlen),
            zstd_all(&b, NULL, 0, 3), zstd_all(&b, dlen ? dict : NULL, dlen, 3),
            zstd_all(&b, dlen ? dict : NULL, dlen, 6),
            zstd_all(&b, dlen ? dict : NULL, dlen, 9)};
        const char *name =
            strrchr(argv[f], '/') ? strrchr(argv[f], '/') + 1 : argv[f];
        printf("%-28.28s %8zu %9.0f", name, b.n, (double)b.bytes / (double)b.n);
        for (int k = 0; k < 6; k++) {
            printf(" | %6.0f %5.1fus", r[k].bytes, r[k].micros);
            sum[k].bytes += r[k].bytes * (double)b.n;
            sum[k].micros += r[k].micros * (double)b.n;
        }
        printf("\n");
        raw += (double)b.bytes;
        articles += (double)b.n;
        for (size_t i = 0; i < b.n; i++)
            free(b.text[i]);
        free(b.text);
        free(b.len);
    }
    printf("%-28s %8.0f %9.0f", "all", articles, raw / articles);
    for (int k = 0; k < 6; k++)
        printf(" | %6.0f %5.1fus", sum[k].bytes / articles,
               sum[k].micros / articles);
    printf("\n");
    return 0;
}
