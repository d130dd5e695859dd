/* utf8.h — validating and repairing UTF-8 before it reaches the analyzer. */
#ifndef NIDX_LIB_UTF8_H
#define NIDX_LIB_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Length of the longest valid UTF-8 prefix of s[0..len). Rejects overlong
 * forms, surrogates and code points above U+10FFFF, as RFC 3629 does.
 */
size_t utf8_valid_prefix(const char *s, size_t len);

/* The number of characters of valid UTF-8 s[0..len). */
size_t utf8_count(const char *s, size_t len);

/* Index of the first byte >= 0x80 in s[from..to), or `to`. */
size_t utf8_find_non_ascii(const char *s, size_t from, size_t to);

/*
 * Copies s[0..len) to a new NUL-terminated string in which every invalid
 * byte sequence is replaced by U+FFFD. Returns the copy (caller frees) and
 * stores in *invalid the number of invalid bytes replaced; NULL when out of
 * memory.
 */
char *utf8_repair(const char *s, size_t len, size_t *invalid);

#endif
