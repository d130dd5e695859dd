/* fuzz_charset.c — libFuzzer harness: charset detection, then conversion
   of the whole input to UTF-8, which must come out valid. */
#include <stdint.h>
#include <stdlib.h>

#include "charset.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    charset_t *c = charset_detect(s, size);
    if (!c)
        return 0;
    char *out;
    size_t n;
    if (charset_to_utf8(c, s, size, &out, &n) && utf8_valid_prefix(out, n) != n)
        abort();
    charset_free(c);
    return 0;
}
