/* admin_token.c: the check of the admin token (--admin-token-file) that
 * the editors' writes and the search statistics' report ask for: 403 when
 * searchd has no token, 401 without the right one. The comparison takes
 * the same time wherever the first difference lies, and the token is never
 * logged or echoed. */
#include "server.h"

#include <string.h>

int request_authorised(struct request *r, enum MHD_Result *ret)
{
    if (!r->srv->admin_token) {
        *ret = reply_error(r, 403, "%s %s is disabled: start searchd with --admin-token-file",
                           r->method, r->path);
        return -1;
    }
    const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
    const char *want = r->srv->admin_token;
    const char *got = h && strncmp(h, "Bearer ", 7) == 0 ? h + 7 : "";
    size_t wl = strlen(want), gl = strlen(got);
    unsigned char diff = wl != gl;
    for (size_t i = 0; i < wl; i++)
        diff |= (unsigned char)(want[i] ^ (gl ? got[i % gl] : 0));
    if (diff) {
        *ret = reply_error(r, 401, "a valid \"Authorization: Bearer\" token is required");
        return -1;
    }
    return 0;
}
