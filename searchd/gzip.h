/* gzip.h: gzip encoding of response bodies for clients that accept it. */
#ifndef GZIP_H
#define GZIP_H

#include <stddef.h>

/* Compresses in[0..len) into a malloc'd *out; 0, or -1 on failure. */
int gzip_compress(const char *in, size_t len, char **out, size_t *out_len);

#endif
