/* zip_read.h: members of a zip archive held in memory, read with limits.
 * The zip-based documents (OpenDocument, Office Open XML, EPUB) come from
 * anyone, and a zip can declare sizes it does not hold or inflate a few
 * kilobytes into gigabytes: every member is checked against the limits
 * below before it is read and again while it is read.
 */
#ifndef ZIP_READ_H
#define ZIP_READ_H

#include "error.h"

#include <stddef.h>

/* More members than any real document has; a bigger central directory is
 * a hostile one (each member costs memory and a look-up). */
#define ZIP_IN_MEMBERS_MAX 10000
/* One member's uncompressed size: a document's XML or chapter, never a
 * video. Checked on the declared size and on the bytes actually read. */
#define ZIP_IN_MEMBER_MAX (64UL * 1024 * 1024)
/* The sum of the members read from one archive (the bytes read). */
#define ZIP_IN_TOTAL_MAX (256UL * 1024 * 1024)
/* A member compressed more than ZIP_IN_RATIO_MAX:1 and larger than
 * ZIP_IN_RATIO_FLOOR uncompressed is taken for a zip bomb: text deflates
 * 3-10:1, a run of zeros about 1000:1. Small members may be anything. */
#define ZIP_IN_RATIO_MAX 200
#define ZIP_IN_RATIO_FLOOR (1024UL * 1024)

struct zip_in;   /* opaque */

/* Opens the archive data[0..len) read-only into *out. The bytes are not
 * copied: they must outlive *out. 0, or LIB_E_INVALID (not a zip archive,
 * damaged, too many members) or LIB_E_NOMEM. */
int  zip_in_open(struct zip_in **out, const char *data, size_t len, lib_error *err);
void zip_in_free(struct zip_in *z);   /* NULL is fine */

/* The member called name, whole, NUL-terminated, into *out (malloc'd) and
 * *len. LIB_E_NOTFOUND when absent; LIB_E_INVALID when it is encrypted,
 * damaged, or larger than the limits (the message names the member and the
 * reason); LIB_E_NOMEM. *out is NULL on failure. */
int  zip_in_read(char **out, size_t *len, struct zip_in *z, const char *name, lib_error *err);

/* Calls fn with every member name in archive order (to find
 * ppt/slides/slideN.xml, xl/worksheets/…). Stops at the first call that
 * returns non-zero and returns that value; 0 when all were called. */
int  zip_in_each(struct zip_in *z, int (*fn)(void *ctx, const char *name), void *ctx);

#endif
