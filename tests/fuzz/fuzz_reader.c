/*
 * fuzz_reader.c — libFuzzer harness for one input reader: the input is
 * written to a file (gzip-compressed when FUZZ_GZIP) and read to its end
 * through reader.h, as nidx add reads files. Built once per format:
 * FUZZ_FORMAT is FORMAT_JSONL, FORMAT_TEXT, FORMAT_HTML or FORMAT_WARC.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "reader.h"

static char path[64];

static void write_input(const uint8_t *data, size_t size)
{
#ifdef FUZZ_GZIP
    gzFile gz = gzopen(path, "wb");
    if (size)
        gzwrite(gz, data, (unsigned)size);
    gzclose(gz);
#else
    FILE *f = fopen(path, "wb");
    if (size)
        fwrite(data, 1, size, f);
    fclose(f);
#endif
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/nidx-fuzz-%ld.in", (long)getpid());
    write_input(data, size);
    reader_t *r;
    nidx_error_t err;
    nidx_article_t a;
    if (reader_open(path, FUZZ_FORMAT, &r, &err) != NIDX_OK)
        return 0;
    int got;
    while ((got = reader_next(r, &a, &err)) != READ_END && got != READ_FAIL) {
        /* Every article a reader yields has an id and valid strings. */
        if (got == READ_ARTICLE && (!a.id || !*a.id))
            abort();
        if (got == READ_ARTICLE && a.body)
            (void)strlen(a.body);
    }
    reader_close(r);
    return 0;
}
