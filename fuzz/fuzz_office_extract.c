/* fuzz_office_extract.c: libFuzzer target for the office extractor (libzip's
 * archive reading under zip_read's limits, libxml2's streaming reader under
 * our ODF and OOXML text rules). The first byte picks the format (its low
 * bits) and how the rest is read (its high bit): as the file itself, or as
 * members "\1NAME\2BYTES…" that are zipped here first, so that the fuzzer's
 * edits reach the XML and not only the CRCs that guard it. Any bytes: it
 * must return 0 or a negative code with a reason, never crash or leak. */
#include "doc.h"
#include "libxml_init.h"
#include "zip_members.h"
#include "office_extract.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const formats[] = {"docx", "odt", "xlsx", "pptx", "ods", "odp"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *format = formats[(data[0] & 0x7f) % (sizeof formats / sizeof formats[0])];
    char *zip = NULL;
    size_t len = size - 1;
    if ((data[0] & 0x80) && zip_members(&zip, &len, data + 1, size - 1) < 0)
        return 0;
    struct doc d;
    lib_error err = {0};
    memset(&d, 0, sizeof d);
    if (office_extract(&d, format, zip ? zip : (const char *)data + 1, len, &err) < 0 &&
        !err.message[0])
        __builtin_trap();   /* a rejection must say why */
    if (d.body && strlen(d.body) > DOC_BODY_MAX)
        __builtin_trap();
    doc_dispose(&d);
    free(zip);
    return 0;
}
