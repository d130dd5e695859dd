/*
 * tap.h — a minimal TAP producer for the unit tests: one "ok N - name" or
 * "not ok N - name" line per check, read by tests/run.sh.
 */
#ifndef NIDX_TESTS_TAP_H
#define NIDX_TESTS_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

/* Records one check; prints `detail` (printf-style) when it fails. */
#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        tap_count++;                                                           \
        if (cond) {                                                            \
            printf("ok %d - ", tap_count);                                     \
            printf(__VA_ARGS__);                                               \
            printf("\n");                                                      \
        } else {                                                               \
            tap_failed++;                                                      \
            printf("not ok %d - ", tap_count);                                 \
            printf(__VA_ARGS__);                                               \
            printf("  (%s:%d: %s)\n", __FILE__, __LINE__, #cond);              \
        }                                                                      \
    } while (0)

#define CHECK_STR(got, want, ...)                                              \
    do {                                                                       \
        const char *g_ = (got), *w_ = (want);                                  \
        CHECK(g_ &&w_ ? strcmp(g_, w_) == 0 : g_ == w_, __VA_ARGS__);          \
        if (g_ && w_ && strcmp(g_, w_) != 0)                                   \
            printf("#   got  [%s]\n#   want [%s]\n", g_, w_);                  \
    } while (0)

/* Ends the test program: prints the plan, exits 1 on any failure. */
static inline int tap_done(void)
{
    printf("1..%d\n", tap_count);
    return tap_failed ? 1 : 0;
}

#endif
