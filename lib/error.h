/* error.h: how lib reports failure, after libgit2. A function that can fail
 * returns 0 (or a count) on success and a negative LIB_E_… code on failure;
 * its out-parameters come first; the reason goes to an optional lib_error
 * that the caller owns, filled only on failure. lib_error is xapian-c's
 * xc_error and lib's codes extend xapian-c's, so an engine error passes up
 * through lib unchanged and needs no copy.
 */
#ifndef LIB_ERROR_H
#define LIB_ERROR_H

#include "xapian_c.h"

typedef xc_error lib_error;

enum {
    LIB_OK = XC_OK,
    LIB_E_NOTFOUND = XC_E_NOTFOUND,   /* no such document, index or file */
    LIB_E_LOCK = XC_E_LOCK,           /* another writer holds the index */
    LIB_E_NOMEM = XC_E_NOMEM,
    LIB_E_INVALID = XC_E_INVALID,     /* bad input: an argument, a document, a file's text */
    LIB_E_IO = -9                     /* a file or folder could not be read or written */
};

/* Fills err (when not NULL) with code and the message, cut on a character
 * boundary; returns code, so that `return lib_error_set(…)` reports it. */
int lib_error_set(lib_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* lib_error_set(err, LIB_E_NOMEM, "out of memory"). */
int lib_error_nomem(lib_error *err);

#endif
