/*
 * budget.h — what articles held uncommitted cost a shard's memory.
 *
 * Xapian keeps a batch's postings in maps until the commit. Measured on
 * one shard (peak RSS over the base, batches never committed), the cost
 * follows two counts, not the text's length:
 *
 *   ~100 bytes for each posting (a distinct term of one article), and
 *   ~270 bytes for each distinct term of the whole batch
 *
 * (fitted on 1,000 articles of random words: 530 MB; the BBC news:
 * 82 MB; 8,000 Reuters articles: 129 MB; within 1 % of each). Words that
 * repeat across articles, as in news, cost the first; random or unique
 * tokens (hashes, ids, garbage) cost both: some forty times their text.
 * The distinct terms of a batch are estimated with a HyperLogLog sketch
 * (1 KB, about 3 % error), so the estimate costs nothing to keep.
 */
#ifndef NIDX_INDEXER_BUDGET_H
#define NIDX_INDEXER_BUDGET_H

#include <stddef.h>
#include <stdint.h>

/* Bytes per posting and per distinct term of a batch (see above). */
#define BUDGET_POSTING_BYTES 100
#define BUDGET_TERM_BYTES 270
/* The most a byte of text can cost when every word is new: a term per
   ~7 bytes costing both, plus the document's own copy while analyzed. */
#define BUDGET_WORST_PER_TEXT_BYTE 64

typedef struct budget {
    uint8_t registers[1024]; /* HyperLogLog of the batch's terms */
    uint64_t postings;
} budget_t;

/* Empties the batch's account (after a commit). */
void budget_reset(budget_t *b);

/* Counts one posting of term[0..len) (call once per distinct term of
   each article). */
void budget_add_term(budget_t *b, const char *term, size_t len);

/* The memory the batch is estimated to hold, in bytes. */
uint64_t budget_bytes(const budget_t *b);

/* The estimated number of distinct terms in the batch. */
uint64_t budget_distinct_terms(const budget_t *b);

#endif
