/* jsonl.c: JSON documents with jansson. A document may carry `html`
 * instead of `body`: the page is extracted first, then the JSON fields are
 * laid over it, since the CMS knows its own fields best. */
#include "jsonl.h"

#include "html_extract.h"

#include <stdio.h>
#include <string.h>

int jsonl_parse_doc(const char *text, size_t len, struct doc *d, char *err,
                    size_t errlen)
{
    json_error_t je;
    json_t *obj = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!obj) {
        snprintf(err, errlen, "invalid JSON at column %d: %s", je.column, je.text);
        return -1;
    }
    int rc = -1;
    json_t *html = json_object_get(obj, "html");
    if (html && !json_is_null(html)) {
        if (!json_is_string(html)) {
            snprintf(err, errlen, "field \"html\" must be a string");
            goto done;
        }
        struct doc page = {0};
        if (html_extract(json_string_value(html), json_string_length(html), &page,
                         err, errlen) < 0) {
            doc_dispose(&page);
            goto done;
        }
        *d = page;
    }
    /* Fields the JSON gives replace the page's. */
    struct doc given = {0};
    if (doc_from_json(&given, obj, err, errlen) < 0) {
        doc_dispose(&given);
        goto done;
    }
    doc_merge(d, &given);
    rc = 0;
done:
    json_decref(obj);
    return rc;
}
