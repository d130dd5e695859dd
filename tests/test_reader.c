/*
 * test_reader.c — every input format and every kind of bad input the
 * readers must report rather than crash on or skip silently.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "reader.h"
#include "tap.h"

static char dir[] = "/tmp/nidx-test-reader-XXXXXX";

static const char *path_of(const char *name)
{
    static char p[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static void write_file(const char *name, const char *data, size_t n)
{
    FILE *f = fopen(path_of(name), "wb");
    fwrite(data, 1, n, f);
    fclose(f);
}

static void write_gz(const char *name, const char *data, size_t n, int members)
{
    FILE *f = fopen(path_of(name), "wb");
    fclose(f);
    for (int m = 0; m < members; m++) { /* gzip members concatenated */
        gzFile gz = gzopen(path_of(name), "ab");
        size_t part = n / members, from = part * m;
        gzwrite(gz, data + from,
                (unsigned)(m == members - 1 ? n - from : part));
        gzclose(gz);
    }
}

/* Reads a whole file; returns counts and the last error. */
typedef struct outcome {
    nidx_status_t open_status;
    int articles, skips, fails;
    nidx_article_t first;
    char first_id[512], first_title[256], first_body[256], first_date[32];
    char last_error[1024];
    uint64_t last_line;
} outcome_t;

static outcome_t read_all(const char *name, reader_format_t format)
{
    outcome_t o;
    memset(&o, 0, sizeof o);
    reader_t *r;
    nidx_error_t err;
    nidx_article_t a;
    o.open_status = reader_open(path_of(name), format, &r, &err);
    if (o.open_status != NIDX_OK) {
        snprintf(o.last_error, sizeof o.last_error, "%s", err.message);
        return o;
    }
    int got;
    while ((got = reader_next(r, &a, &err)) != READ_END) {
        if (got == READ_ARTICLE) {
            if (o.articles++ == 0) {
                snprintf(o.first_id, sizeof o.first_id, "%s", a.id);
                snprintf(o.first_title, sizeof o.first_title, "%s",
                         a.title ? a.title : "(null)");
                snprintf(o.first_body, sizeof o.first_body, "%s",
                         a.body ? a.body : "(null)");
                snprintf(o.first_date, sizeof o.first_date, "%s",
                         a.date ? a.date : "(null)");
            }
            continue;
        }
        snprintf(o.last_error, sizeof o.last_error, "%s", err.message);
        o.last_line = reader_line(r);
        if (got == READ_SKIP)
            o.skips++;
        else {
            o.fails++;
            break;
        }
    }
    reader_close(r);
    return o;
}

static void test_text(void)
{
    const char *txt = "\xEF\xBB\xBF\n\n  Serbia weighs drones  \r\n\n\nBody "
                      "one.\nBody two.\n";
    write_file("a.txt", txt, strlen(txt));
    outcome_t o = read_all("a.txt", reader_format_from_name("a.txt"));
    CHECK(o.articles == 1, "a .txt file is one article");
    CHECK_STR(o.first_title, "Serbia weighs drones",
              "title: first non-empty line, trimmed, BOM dropped");
    CHECK_STR(o.first_body, "Body one.\nBody two.", "body: the rest");
    char *abs = realpath(path_of("a.txt"), NULL);
    CHECK_STR(o.first_id, abs, "id of a text file: its absolute path");
    free(abs);

    write_gz("b.txt.gz", "Title\nBody\n", 11, 1);
    o = read_all("b.txt.gz", reader_format_from_name("b.txt.gz"));
    CHECK(o.articles == 1 && strcmp(o.first_body, "Body") == 0,
          ".txt.gz is read through gzip");
}

static void test_jsonl(void)
{
    const char *jl =
        "{\"id\":\"a1\",\"title\":\"T1\",\"body\":\"B1\",\"date\":\"2021-06\","
        "\"extra\":{\"x\":[1,2]}}\r\n"
        "\n"
        "   \n"
        "{\"id\":42,\"title\":\"T2\",\"text\":\"B2\"}\n"
        "{\"title\":\"T3\",\"body\":\"B3\"}";
    write_file("a.jsonl", jl, strlen(jl));
    outcome_t o = read_all("a.jsonl", reader_format_from_name("a.jsonl"));
    CHECK(o.articles == 3 && o.skips == 0,
          "JSON Lines: three records, blank lines and CRLF tolerated");
    CHECK_STR(o.first_id, "a1", "given ids are kept");
    CHECK_STR(o.first_date, "2021-06", "date is read");
    CHECK(reader_format_from_name("x.ndjson.gz") == FORMAT_JSONL,
          ".ndjson.gz is JSON Lines");
    CHECK(reader_format_from_name("x.TXT") == FORMAT_TEXT,
          "suffixes are matched without case");

    write_gz("m.jsonl.gz", jl, strlen(jl), 3);
    o = read_all("m.jsonl.gz", FORMAT_JSONL);
    CHECK(o.articles == 3, "multi-member gzip is read whole");

    write_file("noid.jsonl", "\n{\"title\":\"T\"}\n", 15);
    o = read_all("noid.jsonl", FORMAT_JSONL);
    char *abs = realpath(path_of("noid.jsonl"), NULL);
    char want[600];
    snprintf(want, sizeof want, "%s#2", abs);
    CHECK_STR(o.first_id, want, "missing id: absolute path and line");
    free(abs);
}

static void test_bad_jsonl(void)
{
    const char *jl = "{\"id\":\"ok1\",\"title\":\"fine\"}\n"
                     "{\"id\":\"bad\",\"title\":\"unclosed\n"
                     "[1,2,3]\n"
                     "{\"id\":\"t\",\"title\":7}\n"
                     "{\"id\":\"e\"}\n"
                     "{\"id\":\"g\",\"title\":\"x\"} trailing\n"
                     "{\"id\":\"ok2\",\"body\":\"fine too\"}\n";
    write_file("bad.jsonl", jl, strlen(jl));
    outcome_t o = read_all("bad.jsonl", FORMAT_JSONL);
    CHECK(o.articles == 2 && o.skips == 5,
          "malformed records are skipped, good ones kept (%d, %d)", o.articles,
          o.skips);
    CHECK(strstr(o.last_error, "bad.jsonl:6:") != NULL,
          "the message names the file and line: %s", o.last_error);

    write_file("types.jsonl", "{\"id\":\"t\",\"title\":7}\n", 21);
    o = read_all("types.jsonl", FORMAT_JSONL);
    CHECK(strstr(o.last_error, "field 'title' must be a string") != NULL,
          "a field of the wrong type is named: %s", o.last_error);
}

static void test_bad_files(void)
{
    outcome_t o = read_all("does-not-exist.jsonl", FORMAT_JSONL);
    CHECK(o.open_status == NIDX_ERROR_IO &&
              strstr(o.last_error, "does-not-exist.jsonl"),
          "a missing file is an I/O error naming it");

    write_file("empty.txt", "", 0);
    o = read_all("empty.txt", FORMAT_TEXT);
    CHECK(o.open_status == NIDX_ERROR_INPUT &&
              strstr(o.last_error, "empty file"),
          "an empty file is reported: %s", o.last_error);

    write_file("blank.jsonl", "\n  \n\n", 5);
    o = read_all("blank.jsonl", FORMAT_JSONL);
    CHECK(o.open_status == NIDX_ERROR_INPUT, "a blank file is empty too");

    write_file("bin.txt", "GIF89a\0\0\1\2binary", 16);
    o = read_all("bin.txt", FORMAT_TEXT);
    CHECK(o.open_status == NIDX_ERROR_INPUT && strstr(o.last_error, "binary"),
          "a binary file is reported: %s", o.last_error);

    /* A gzip stream cut in half: the records before the cut are read,
       then the damage is reported. */
    char big[200000];
    size_t n = 0;
    for (int i = 0; n < sizeof big - 200; i++)
        n += (size_t)snprintf(big + n, sizeof big - n,
                              "{\"id\":\"r%d\",\"title\":\"record %d %x\"}\n",
                              i, i, i * 2654435761u);
    write_gz("full.jsonl.gz", big, n, 1);
    FILE *f = fopen(path_of("full.jsonl.gz"), "rb");
    static char gz[400000];
    size_t gz_len = fread(gz, 1, sizeof gz, f);
    fclose(f);
    write_file("cut.jsonl.gz", gz, gz_len / 2);
    o = read_all("cut.jsonl.gz", FORMAT_JSONL);
    CHECK(o.articles > 0 && o.fails == 1 && strstr(o.last_error, "truncated"),
          "a truncated .gz: records before the cut, then an error (%d: %s)",
          o.articles, o.last_error);

    write_file("cut2.jsonl.gz", gz, 15);
    o = read_all("cut2.jsonl.gz", FORMAT_JSONL);
    CHECK(o.open_status == NIDX_ERROR_INPUT || o.fails == 1,
          "a .gz cut inside its header is an error: %s", o.last_error);

    memcpy(gz + gz_len / 2, "garbage!garbage!", 16);
    write_file("corrupt.jsonl.gz", gz, gz_len);
    o = read_all("corrupt.jsonl.gz", FORMAT_JSONL);
    CHECK((o.open_status != NIDX_OK || o.fails == 1) &&
              strstr(o.last_error, "corrupt.jsonl.gz: incorrect data check"),
          "corrupt gzip data is reported: %s", o.last_error);

    write_file("unknown.dat", "{\"id\":\"u\",\"title\":\"sniffed\"}\n", 29);
    o = read_all("unknown.dat", reader_format_from_name("unknown.dat"));
    CHECK(o.articles == 1 && strcmp(o.first_id, "u") == 0,
          "an unknown suffix starting with '{' is read as JSON Lines");
}

static void test_legacy_encoding(void)
{
    /* "Москва\n\nГород" and more, in windows-1251. */
    const char cp1251[] = "\xcc\xee\xf1\xea\xe2\xe0\n\n\xc3\xee\xf0\xee\xe4 "
                          "\xe8 \xe5\xe3\xee \xe6\xe8\xf2\xe5\xeb\xe8 "
                          "\xe3\xee\xeb\xee\xf1\xee\xe2\xe0\xeb\xe8.\n";
    write_file("cp1251.txt", cp1251, sizeof cp1251 - 1);
    reader_t *r;
    nidx_error_t err;
    nidx_article_t a;
    CHECK(reader_open(path_of("cp1251.txt"), FORMAT_TEXT, &r, &err) ==
                  NIDX_OK &&
              reader_warning(r) && strstr(reader_warning(r), "windows-1251"),
          "a windows-1251 file is detected and named in a warning");
    CHECK(reader_next(r, &a, &err) == READ_ARTICLE &&
              strcmp(a.title, "Москва") == 0,
          "its text is converted to UTF-8");
    reader_close(r);
    const char *utf8 = "Москва\n\nГород\n";
    write_file("utf8.txt", utf8, strlen(utf8));
    CHECK(reader_open(path_of("utf8.txt"), FORMAT_TEXT, &r, &err) == NIDX_OK &&
              reader_warning(r) == NULL,
          "a UTF-8 file gets no warning");
    reader_close(r);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_text();
    test_jsonl();
    test_bad_jsonl();
    test_bad_files();
    test_legacy_encoding();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
    return tap_done();
}
