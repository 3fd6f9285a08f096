/* fuzz_jsonl.c: libFuzzer target for one JSON line of the CMS feed (jansson
 * under our field checks, html fields through the extractor). */
#include "doc.h"
#include "jsonl.h"
#include "libxml_init.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct doc d;
    lib_error err = {0};
    memset(&d, 0, sizeof d);
    int rc = jsonl_parse_doc(&d, (const char *)data, size, &err);
    if (rc < 0 && !err.message[0])
        __builtin_trap();   /* a rejection must say why */
    if (rc == 0 && !d.id)
        __builtin_trap();   /* an accepted document has an id */
    doc_dispose(&d);
    return 0;
}
