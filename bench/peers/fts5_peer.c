/*
 * fts5_peer.c — SQLite FTS5 as people set it up for multilingual text:
 * the unicode61 tokenizer with remove_diacritics 2, title and body
 * columns, bm25() ranking with its default weights; the text is stored
 * (FTS5 keeps it). Queries become the OR of their words, quoted. A
 * benchmark peer, not nidx.
 *   fts5_peer index DB FILE.jsonl[.gz]...
 *   fts5_peer search DB QUERIES.tsv [DEPTH]
 * Output as xapian_peer's.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peer_input.h"

typedef struct indexer {
    sqlite3 *db;
    sqlite3_stmt *insert;
    unsigned long n;
} indexer_t;

static void add(void *context, const peer_article_t *a)
{
    indexer_t *x = context;
    sqlite3_bind_text(x->insert, 1, a->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(x->insert, 2, a->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(x->insert, 3, a->body, -1, SQLITE_STATIC);
    if (sqlite3_step(x->insert) != SQLITE_DONE)
        fprintf(stderr, "fts5: %s\n", sqlite3_errmsg(x->db));
    sqlite3_reset(x->insert);
    x->n++;
}

typedef struct searcher {
    sqlite3 *db;
    sqlite3_stmt *select;
} searcher_t;

/* The words of text (runs of letters, digits and non-ASCII bytes), each
   quoted, joined by OR; NULL when there is none. */
static char *or_query(const char *text)
{
    size_t n = strlen(text);
    char *q = malloc(n * 6 + 16), *p = q;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)text[i];
        if (!(c >= 0x80 || (c >= '0' && c <= '9') ||
              ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))) {
            i++;
            continue;
        }
        if (p > q)
            p += sprintf(p, " OR ");
        *p++ = '"';
        while (i < n) {
            c = (unsigned char)text[i];
            if (!(c >= 0x80 || (c >= '0' && c <= '9') ||
                  ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')))
                break;
            *p++ = text[i++];
        }
        *p++ = '"';
    }
    *p = '\0';
    if (p == q) {
        free(q);
        return NULL;
    }
    return q;
}

static void search(void *context, const char *qid, const char *text)
{
    searcher_t *s = context;
    double t0 = peer_now();
    char *q = or_query(text);
    char(*ids)[64] = malloc(sizeof *ids * 1000);
    int n = 0;
    if (q) {
        sqlite3_bind_text(s->select, 1, q, -1, SQLITE_STATIC);
        while (sqlite3_step(s->select) == SQLITE_ROW && n < 1000)
            snprintf(ids[n++], sizeof ids[0], "%s",
                     (const char *)sqlite3_column_text(s->select, 0));
        sqlite3_reset(s->select);
    }
    double ms = (peer_now() - t0) * 1000;
    for (int i = 0; i < n; i++)
        printf("%s %s\n", qid, ids[i]);
    fprintf(stderr, "# ms %.4f\n", ms);
    free(ids);
    free(q);
}

int main(int argc, char **argv)
{
    sqlite3 *db;
    if (argc < 4 || sqlite3_open(argv[2], &db) != SQLITE_OK) {
        fprintf(stderr, "usage: fts5_peer index DB FILE...\n"
                        "       fts5_peer search DB QUERIES [DEPTH]\n");
        return 2;
    }
    if (strcmp(argv[1], "index") == 0) {
        indexer_t x = {db, NULL, 0};
        sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
                     "CREATE VIRTUAL TABLE IF NOT EXISTS articles USING "
                     "fts5(id UNINDEXED, title, body, tokenize = "
                     "'unicode61 remove_diacritics 2'); BEGIN;",
                     NULL, NULL, NULL);
        sqlite3_prepare_v2(db, "INSERT INTO articles VALUES (?, ?, ?)", -1,
                           &x.insert, NULL);
        double t0 = peer_now(), bytes = 0;
        for (int i = 3; i < argc; i++)
            bytes += peer_read_articles(argv[i], add, &x);
        sqlite3_exec(db,
                     "COMMIT; INSERT INTO articles(articles) "
                     "VALUES('optimize');",
                     NULL, NULL, NULL);
        double s = peer_now() - t0;
        printf("fts5: %lu articles, %.1f MB in %.1f s: %.2f MB/s, "
               "%.0f articles/s\n",
               x.n, bytes / 1e6, s, bytes / 1e6 / s, x.n / s);
        sqlite3_finalize(x.insert);
    } else {
        searcher_t s = {db, NULL};
        char sql[200];
        snprintf(sql, sizeof sql,
                 "SELECT id FROM articles WHERE articles MATCH ? ORDER BY "
                 "bm25(articles) LIMIT %d",
                 argc > 4 ? atoi(argv[4]) : 1000);
        sqlite3_prepare_v2(db, sql, -1, &s.select, NULL);
        peer_read_queries(argv[3], search, &s);
        sqlite3_finalize(s.select);
    }
    sqlite3_close(db);
    return 0;
}
