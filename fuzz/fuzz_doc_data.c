/* fuzz_doc_data.c: libFuzzer target for stored document data as a damaged
 * index could hold it (doc_data.c): fields, a NUL, a text as it is or a
 * zstd frame. */
#include "doc_data.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct doc_text text = DOC_TEXT_INIT;
    json_t *fields = NULL;
    const char *body = NULL;
    size_t body_len = 0;
    int rc = doc_data_decode(&fields, &body, &body_len, &text, (const char *)data, size);
    if (rc == 0 && (!json_is_object(fields) || (body && body_len > DOC_BODY_MAX)))
        __builtin_trap();
    if (rc < 0 && (fields || body))
        __builtin_trap();   /* refused means nothing half read */
    json_decref(fields);
    doc_text_dispose(&text);
    return 0;
}
