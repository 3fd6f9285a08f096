/* fuzz_robots.c: libFuzzer target for the robots.txt reader and matcher.
 * The input is the file, read for two agents; a few fixed paths and the
 * input's first line (as a path) are tested. /robots.txt must always be
 * allowed, and the accessors must give what they promise. */
#include "robots.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const agents[] = {"SiteSearch/1.0 (+https://x.se/)", NULL};
    static const char *const paths[] = {"/", "/a/b.html?x=1", "/%C3%A5r", "/\xc3\xa5r",
                                        "/x.php$", ""};
    size_t first = 0;
    while (first < size && first < 512 && data[first] != '\n' && data[first] != '\0')
        first++;
    char line[513];
    memcpy(line, data, first);
    line[first] = '\0';
    for (size_t a = 0; a < 2; a++) {
        struct robots *r = NULL;
        if (robots_parse(&r, (const char *)data, size, agents[a]) < 0)
            continue;
        if (!robots_allowed(r, "/robots.txt"))
            __builtin_trap();
        for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
            robots_allowed(r, paths[i]);
        robots_allowed(r, line);
        double d = robots_crawl_delay(r);
        if (d != -1 && !(d >= 0))
            __builtin_trap();
        const char *const *maps = NULL;
        size_t n = robots_sitemaps(r, &maps);
        for (size_t i = 0; i < n; i++)
            if (!maps[i] || !maps[i][0])
                __builtin_trap();
        robots_free(r);
    }
    return 0;
}
