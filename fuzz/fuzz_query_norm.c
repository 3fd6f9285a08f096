/* fuzz_query_norm.c: libFuzzer target for the statistics' query
 * normalisation. Whatever comes out must be valid UTF-8 within the bound,
 * hold no run of QUERY_NORM_DIGITS digits (of any script), and come out
 * unchanged when normalised again. */
#include "query_norm.h"
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The longest run of decimal digits in s (valid UTF-8). */
static size_t longest_digit_run(const char *s)
{
    size_t run = 0, longest = 0, len = strlen(s);
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0)
            __builtin_trap();
        run = utf8proc_category(cp) == UTF8PROC_CATEGORY_ND ? run + 1 : 0;
        longest = run > longest ? run : longest;
        i += (size_t)n;
    }
    return longest;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *once = NULL, *twice = NULL;
    if (query_norm(&once, (const char *)data, size) != 0)
        return 0;
    size_t len = strlen(once);
    if (len > QUERY_NORM_MAX || !text_is_utf8(once, len) ||
        longest_digit_run(once) >= QUERY_NORM_DIGITS)
        __builtin_trap();
    if (query_norm(&twice, once, len) == 0 && strcmp(once, twice) != 0)
        __builtin_trap();
    free(once);
    free(twice);
    return 0;
}
