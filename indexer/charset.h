/*
 * charset.h — reading input that is not UTF-8: ICU's charset detector
 * names the encoding, ICU's converters turn it into UTF-8.
 */
#ifndef NIDX_INDEXER_CHARSET_H
#define NIDX_INDEXER_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

typedef struct charset charset_t;

/*
 * Looks at the start of a file, sample[0..n). Returns NULL when it is
 * UTF-8 (a sequence cut by the end of the sample is fine; a stray invalid
 * byte in UTF-8 text is left to repair); else a converter from the
 * detected encoding, which the caller frees with charset_free().
 */
charset_t *charset_detect(const char *sample, size_t n);

/*
 * A converter from the encoding a document declares (`label`, as in
 * <meta charset>), read as browsers read it: labels of encodings that
 * grew supersets name the superset (gb2312 is read as GBK, iso-8859-1 and
 * us-ascii as windows-1252, euc-kr as windows-949, tis-620 as
 * windows-874), since pages labelled so use the superset's characters.
 * NULL when ICU knows no such encoding, or for UTF-8 (nothing to convert).
 */
charset_t *charset_named(const char *label);

/* The detected encoding's name ("windows-1251") and ICU's confidence in
   it, 0 to 100. */
const char *charset_name(const charset_t *c);
int charset_confidence(const charset_t *c);

/*
 * Converts in[0..n) to UTF-8 in *out (owned by the converter, valid until
 * the next call, NUL-terminated) of *out_n bytes. Returns false when out
 * of memory. Bytes the encoding does not define become U+FFFD.
 */
bool charset_to_utf8(charset_t *c, const char *in, size_t n, char **out,
                     size_t *out_n);

void charset_free(charset_t *c);

#endif
