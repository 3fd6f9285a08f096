/* fuzz_epub_extract.c: libFuzzer target for the EPUB extractor (libzip
 * under zip_read's limits, the container and package parsed by libxml2,
 * paths resolved from the manifest, chapters through html_extract). Input
 * that starts with byte 1 is read as members "\1NAME\2BYTES…" zipped here
 * first, so that the fuzzer's edits reach the XML and the paths and not
 * only the CRCs that guard them; any other is the file itself. Any bytes:
 * it must return 0 or a negative code with a reason, never crash or leak. */
#include "doc.h"
#include "epub_extract.h"
#include "libxml_init.h"
#include "zip_members.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *zip = NULL;
    size_t len = size;
    if (size > 0 && data[0] == 1 && zip_members(&zip, &len, data, size) < 0)
        return 0;
    struct doc d;
    lib_error err = {0};
    memset(&d, 0, sizeof d);
    if (epub_extract(&d, zip ? zip : (const char *)data, len, &err) < 0 && !err.message[0])
        __builtin_trap();   /* a rejection must say why */
    if (d.body && strlen(d.body) > DOC_BODY_MAX)
        __builtin_trap();
    doc_dispose(&d);
    free(zip);
    return 0;
}
