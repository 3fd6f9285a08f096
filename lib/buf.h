/* buf.h: the one growable byte buffer used to build texts, answers and
 * snippets (in the spirit of Redis's sds and libgit2's git_str).
 * The data is always NUL-terminated once anything was appended; a buffer
 * that failed to grow keeps its content and reports LIB_E_NOMEM.
 */
#ifndef BUF_H
#define BUF_H

#include "error.h"

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *data;
    size_t len;
    size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

int  buf_grow(struct buf *b, size_t extra);
int  buf_append(struct buf *b, const char *s, size_t n);
int  buf_puts(struct buf *b, const char *s);
int  buf_putc(struct buf *b, char ch);
int  buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_clear(struct buf *b);
/* Hands the data to the caller (never NULL: "" when empty) and resets b. */
char *buf_detach(struct buf *b);
/* Frees what b holds and empties it (b itself is the caller's: _dispose,
 * where a _free would free the object). */
void buf_dispose(struct buf *b);
#endif
