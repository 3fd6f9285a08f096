/* error.c: filling a lib_error (error.h). */
#include "error.h"

#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int lib_error_set(lib_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return code;
    /* Formatted in full first: vsnprintf alone could cut a character. */
    char full[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(full, sizeof full, fmt, ap);
    va_end(ap);
    size_t len = text_truncate(full, sizeof err->message - 1);
    memcpy(err->message, full, len + 1);
    err->code = code;
    return code;
}

int lib_error_nomem(lib_error *err)
{
    return lib_error_set(err, LIB_E_NOMEM, "out of memory");
}
