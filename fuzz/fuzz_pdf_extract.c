/* fuzz_pdf_extract.c: libFuzzer target for the PDF extractor (poppler's
 * parser and text output under our page joining, title and date, and the
 * XMP metadata's language through libxml2's reader). Any
 * bytes: it must return 0 or a negative code with a reason, never crash or
 * leak. Poppler may be slow on a hostile file: fuzz/run's -timeout catches
 * a hang, which the indexer meets as its child's CPU limit. */
#include "doc.h"
#include "libxml_init.h"
#include "pdf_extract.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct doc d;
    lib_error err = {0};
    memset(&d, 0, sizeof d);
    if (pdf_extract(&d, (const char *)data, size, &err) < 0 && !err.message[0])
        __builtin_trap();   /* a rejection must say why */
    doc_dispose(&d);
    return 0;
}
