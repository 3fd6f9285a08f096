/* zip_write.h: zip archives made for the tests with libzip, in memory or on
 * disk: documents (ODF, OOXML, EPUB) built member by member, and the
 * hostile ones the readers must refuse (bombs, encrypted members, members
 * that lie about their size).
 */
#ifndef ZIP_WRITE_H
#define ZIP_WRITE_H

#include <stddef.h>
#include <stdint.h>

struct zw_member {
    const char *name;
    const char *data;       /* NULL: len zero bytes, made as libzip reads
                               them (a 100 MB member costs no 100 MB) */
    size_t len;             /* 0 with data: strlen(data) */
    int store;              /* stored as is, not deflated */
    const char *password;   /* encrypted with AES-256 under it, when set */
};

/* zip_write_mem's answer when libzip cannot encrypt (built without it). */
#define ZW_E_NOCRYPTO (-2)

/* The n members, in this order, as a zip archive in *out (malloc'd) and
 * *len. 0; ZW_E_NOCRYPTO; -1 with the reason on stderr. */
int zip_write_mem(char **out, size_t *len, const struct zw_member *m, size_t n);
/* The same archive written to path. 0, ZW_E_NOCRYPTO or -1. */
int zip_write_file(const char *path, const struct zw_member *m, size_t n);

/* Makes member name of the archive zip[0..len) declare size bytes
 * uncompressed, in its local header and in the central directory: a member
 * that holds more than it says. 0, or -1 when there is no such member. */
int zip_write_lie_size(char *zip, size_t len, const char *name, uint32_t size);

#endif
