/* fuzz_url.c: libFuzzer target for the URL parser and link resolution. The
 * input is split at its first NUL or newline into a link and a second URL;
 * the link is resolved against a fixed page and against the second URL.
 * Whatever comes out must be canonical: parsed again it is unchanged, its
 * id is its path and query, and it lies in its own scope. */
#include "url.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* out, if resolution succeeded, must be a fixed point of url_normalize. */
static void check_canonical(const char *out)
{
    char *again = NULL, *id = NULL;
    if (url_normalize(&again, out) != 0 || strcmp(again, out) != 0)
        __builtin_trap();
    if (url_id(&id, out) != 0 || id[0] != '/' || !strstr(out, id))
        __builtin_trap();
    if (url_in_scope(out, out) != 1 || strlen(out) > URL_MAX)
        __builtin_trap();
    free(again);
    free(id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *second = text + strcspn(text, "\n");
    if (*second)
        *second++ = '\0';
    else if (strlen(text) < size)
        second = text + strlen(text) + 1;   /* split at the NUL */

    struct url u;
    if (url_parse(&u, text) == 0) {
        if (!u.scheme || !u.host || !u.path || u.path[0] != '/' || u.port == 0 || u.port > 65535)
            __builtin_trap();
        url_dispose(&u);
    }
    char *out = NULL;
    if (url_resolve(&out, "https://www.malmo.se/stad/kultur/index.html?lang=sv", text) == 0)
        check_canonical(out);
    free(out);
    out = NULL;
    if (url_resolve(&out, second, text) == 0) {
        check_canonical(out);
        /* A link resolved against a page inside the page's own crawl. */
        if (url_in_scope(second, second) != 1)
            __builtin_trap();
    }
    free(out);
    url_in_scope(text, second);
    url_in_scope(second, text);
    free(text);
    return 0;
}
