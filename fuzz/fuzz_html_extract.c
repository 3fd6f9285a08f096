/* fuzz_html_extract.c: libFuzzer target for the HTML extractor (libxml2's
 * parser under our extraction, charset guessing and seminar fields). Any
 * bytes: it must return 0 or a negative code with a reason, never crash or
 * leak. */
#include "doc.h"
#include "html_extract.h"
#include "libxml_init.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct doc d;
    lib_error err = {0};
    memset(&d, 0, sizeof d);
    if (html_extract(&d, (const char *)data, size, &err) < 0 && !err.message[0])
        __builtin_trap();   /* a rejection must say why */
    doc_dispose(&d);
    return 0;
}
