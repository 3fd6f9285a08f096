/* fuzz_sitemap.c: libFuzzer target for the sitemap reader (libxml2's
 * streaming reader under our options, zlib for .gz). Any bytes: it must
 * return 0 or a negative code with a reason, never crash or leak, and what
 * it keeps must be within sitemaps.org's limits. */
#include "libxml_init.h"
#include "sitemap.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sitemap s;
    lib_error err = {0};
    if (sitemap_parse(&s, (const char *)data, size, &err) < 0 && !err.message[0])
        __builtin_trap();   /* a rejection must say why */
    if (s.n > SITEMAP_MAX_ENTRIES || (s.dropped && s.n != SITEMAP_MAX_ENTRIES))
        __builtin_trap();
    for (size_t i = 0; i < s.n; i++)
        if (!s.e[i].loc || !s.e[i].loc[0] || (s.e[i].lastmod && !s.e[i].lastmod[0]))
            __builtin_trap();
    sitemap_dispose(&s);
    return 0;
}
