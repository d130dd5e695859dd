/* budget.c — a batch's memory: postings, and distinct terms by HyperLogLog. */
#include "budget.h"

#include <math.h>
#include <string.h>

#include "hash.h"

#define REGISTERS 1024 /* 2^10: the top 10 bits of a hash pick one */

void budget_reset(budget_t *b)
{
    memset(b, 0, sizeof *b);
}

void budget_add_term(budget_t *b, const char *term, size_t len)
{
    /* Mixed: the top bits pick the register. */
    uint64_t h = hash_mix(hash_fnv1a(term, len, HASH_FNV_SEED));
    unsigned j = (unsigned)(h >> 54);  /* top 10 bits */
    uint64_t rest = h << 10 | 1u << 9; /* a stop bit bounds the run */
    uint8_t rank = (uint8_t)(__builtin_clzll(rest) + 1);
    if (rank > b->registers[j])
        b->registers[j] = rank;
    b->postings++;
}

uint64_t budget_distinct_terms(const budget_t *b)
{
    double sum = 0;
    unsigned zeros = 0;
    for (unsigned j = 0; j < REGISTERS; j++) {
        sum += ldexp(1.0, -b->registers[j]);
        zeros += b->registers[j] == 0;
    }
    double m = REGISTERS, estimate = 0.7213 / (1 + 1.079 / m) * m * m / sum;
    /* Few terms: counting the empty registers is the better estimate. */
    if (estimate <= 2.5 * m && zeros)
        estimate = m * log(m / zeros);
    return (uint64_t)estimate;
}

uint64_t budget_bytes(const budget_t *b)
{
    return b->postings * BUDGET_POSTING_BYTES +
           budget_distinct_terms(b) * BUDGET_TERM_BYTES;
}
