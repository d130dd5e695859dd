/*
 * test_writer.c — the sharded writer: recent copies shared by the shards,
 * opening with a number of shards, adding in the background and waiting,
 * replacing and removing across shards.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "copies.h"
#include "nidx.h"
#include "tap.h"

static void fill(unsigned char fp[FINGERPRINT_BYTES], unsigned seed)
{
    for (int i = 0; i < FINGERPRINT_BYTES; i++)
        fp[i] = (unsigned char)(seed * 131 + i * 7 + (seed >> 3));
}

static void test_copies(void)
{
    unsigned char a[FINGERPRINT_BYTES], near[FINGERPRINT_BYTES],
        other[FINGERPRINT_BYTES];
    char key[DOCUMENT_COPIES_KEY];
    copies_t *c = copies_new(4);
    CHECK(c != NULL, "copies: made");
    fill(a, 1);
    fill(other, 99);
    memcpy(near, a, sizeof near);
    near[0] ^= 0xFF; /* one hash of 32 differs */
    near[1] ^= 0xFF;
    memcpy(key, "AAAAAAAA", DOCUMENT_COPIES_KEY);
    copies_settle(c, a, key, false);
    CHECK(memcmp(key, "AAAAAAAA", 8) == 0, "copies: the first keeps its key");
    memcpy(key, "BBBBBBBB", DOCUMENT_COPIES_KEY);
    copies_settle(c, near, key, false);
    CHECK(memcmp(key, "AAAAAAAA", 8) == 0,
          "copies: a near copy takes the first one's key");
    memcpy(key, "CCCCCCCC", DOCUMENT_COPIES_KEY);
    copies_settle(c, other, key, false);
    CHECK(memcmp(key, "CCCCCCCC", 8) == 0,
          "copies: an unrelated article keeps its own");
    memcpy(key, "DDDDDDDD", DOCUMENT_COPIES_KEY);
    copies_settle(c, a, key, true);
    CHECK(memcmp(key, "DDDDDDDD", 8) == 0,
          "copies: a key found elsewhere stands");
    /* Four more push the first ones out of a ring of four. */
    for (unsigned i = 0; i < 4; i++) {
        unsigned char f[FINGERPRINT_BYTES];
        fill(f, 200 + i);
        copies_settle(c, f, key, false);
    }
    memcpy(key, "EEEEEEEE", DOCUMENT_COPIES_KEY);
    copies_settle(c, near, key, false);
    CHECK(memcmp(key, "EEEEEEEE", 8) == 0,
          "copies: the oldest are forgotten (bounded)");
    copies_free(c);
}

static char dir[] = "/tmp/nidx-test-writer-XXXXXX";

static nidx_article_t article(const char *id, const char *body)
{
    nidx_article_t a = {id,     "Harbour news", body, "2022-05-01",
                        "Test", "en",           NULL};
    return a;
}

static uint64_t count(const char *query)
{
    nidx_searcher_t *s;
    nidx_results_t *r;
    nidx_error_t err;
    nidx_search_options_t o;
    uint64_t n = 0;
    nidx_search_options_init(&o);
    o.exact_total = true;
    if (nidx_searcher_open(dir, &s, &err) == NIDX_OK &&
        nidx_search(s, query, &o, &r, &err) == NIDX_OK) {
        n = nidx_results_total(r);
        nidx_results_free(r);
    }
    nidx_searcher_close(s);
    return n;
}

static void test_shards(void)
{
    nidx_writer_t *w;
    nidx_error_t err;
    char id[32], body[64];
    bool replaced = true, existed = false;
    CHECK(nidx_writer_open_shards(dir, 3, &w, &err) == NIDX_OK,
          "open a new index with 3 shards");
    CHECK(nidx_writer_shards(w) == 3, "it has 3");
    int failures = 0;
    for (int i = 0; i < 300; i++) {
        snprintf(id, sizeof id, "a%d", i);
        snprintf(body, sizeof body, "the harbour of town%d", i);
        nidx_article_t a = article(id, body);
        failures += nidx_writer_add(w, &a, NULL, NULL, &err) != NIDX_OK;
    }
    CHECK(failures == 0, "300 added in the background");
    nidx_article_t again = article("a7", "the harbour again, changed");
    CHECK(nidx_writer_add(w, &again, &replaced, NULL, &err) == NIDX_OK &&
              replaced,
          "adding an id again, waiting: told it replaced");
    nidx_article_t fresh = article("b1", "a new harbour");
    CHECK(nidx_writer_add(w, &fresh, &replaced, NULL, &err) == NIDX_OK &&
              !replaced,
          "adding a new id, waiting: told it is new");
    CHECK(nidx_writer_commit(w, &err) == NIDX_OK, "commit every shard");
    CHECK(count("harbour") == 301, "301 searchable after the commit (%llu)",
          (unsigned long long)count("harbour"));
    CHECK(count("changed") == 1, "the replaced article's new text");
    CHECK(nidx_writer_remove(w, "a100", &existed, &err) == NIDX_OK && existed,
          "remove finds the id in its shard");
    CHECK(nidx_writer_remove(w, "zzz", &existed, &err) == NIDX_OK && !existed,
          "remove tells a missing id");
    CHECK(nidx_writer_close(w, &err) == NIDX_OK, "close commits");
    CHECK(count("harbour") == 300, "300 left after removing one");
    CHECK(nidx_writer_open_shards(dir, 5, &w, &err) == NIDX_OK &&
              nidx_writer_shards(w) == 3,
          "an existing index keeps its 3 shards");
    nidx_writer_t *second = NULL;
    CHECK(nidx_writer_open(dir, &second, &err) == NIDX_ERROR_LOCKED,
          "a second writer is refused: %s", err.message);
    nidx_writer_close(w, &err);
    CHECK(nidx_writer_open_shards(dir, 65, &w, &err) == NIDX_ERROR_ARGUMENT,
          "65 shards are refused");
}

int main(void)
{
    test_copies();
    if (!mkdtemp(dir))
        return 1;
    test_shards();
    char cmd[sizeof dir + 16];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
    return tap_done();
}
