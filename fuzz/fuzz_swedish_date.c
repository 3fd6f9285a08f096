/* fuzz_swedish_date.c: libFuzzer target for the Swedish date parser and
 * collation. What it returns must be a real YYYY-MM-DD day. */
#include "doc.h"
#include "swedish_date.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), out[11];
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *refs[] = {NULL, "2019-03-01", "2020-12-31"};
    for (size_t i = 0; i < 3; i++)
        if (swedish_date_parse(out, text, refs[i]) == 0 && !doc_date_valid(out))
            __builtin_trap();
    /* Collation is a total order: antisymmetric on any two strings. */
    size_t half = strlen(text) / 2;
    char *b = strdup(text + half);
    if (b) {
        text[half] = '\0';
        int ab = swedish_collate(text, b), ba = swedish_collate(b, text);
        if ((ab < 0 && ba <= 0) || (ab > 0 && ba >= 0) || (ab == 0 && ba != 0))
            __builtin_trap();
        free(b);
    }
    free(text);
    return 0;
}
