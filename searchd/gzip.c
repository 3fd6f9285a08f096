/* gzip.c: one-shot gzip with zlib; level 5, a good trade for JSON of a few
 * kilobytes answered in under a millisecond. */
#include "gzip.h"

#include <stdlib.h>
#include <zlib.h>

int gzip_compress(const char *in, size_t len, char **out, size_t *out_len)
{
    z_stream z = {0};
    *out = NULL;
    if (deflateInit2(&z, 5, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    size_t cap = deflateBound(&z, (uLong)len);
    char *buf = malloc(cap);
    if (!buf) {
        deflateEnd(&z);
        return -1;
    }
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)buf;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *out_len = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(buf);
        return -1;
    }
    *out = buf;
    return 0;
}
