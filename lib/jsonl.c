/* jsonl.c: JSON documents with jansson. A document may carry `html`
 * instead of `body`: the page is extracted first, then the JSON fields are
 * laid over it, since the CMS knows its own fields best. */
#include "jsonl.h"

#include "html_extract.h"

#include <stdio.h>
#include <string.h>

int jsonl_parse_doc(struct doc *d, const char *text, size_t len, lib_error *err)
{
    json_error_t je;
    json_t *obj = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!obj)
        return lib_error_set(err, LIB_E_INVALID, "invalid JSON at column %d: %s", je.column,
                             je.text);
    struct doc page = {0}, given = {0};
    int rc = 0;
    json_t *html = json_object_get(obj, "html");
    if (html && !json_is_null(html)) {
        if (!json_is_string(html))
            rc = lib_error_set(err, LIB_E_INVALID, "field \"html\" must be a string");
        else if ((rc = html_extract(&page, json_string_value(html), json_string_length(html),
                                    err)) == 0)
            *d = page, page = (struct doc){0};   /* moved into d */
        if (rc < 0)
            goto cleanup;
    }
    /* Fields the JSON gives replace the page's. */
    if ((rc = doc_from_json(&given, obj, err)) == 0)
        doc_merge(d, &given);
cleanup:
    if (rc < 0) {
        doc_dispose(&page);
        doc_dispose(&given);
    }
    json_decref(obj);
    return rc;
}
