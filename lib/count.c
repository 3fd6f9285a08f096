/* count.c: see count.h. strtol alone accepts "", "12x" and overflow; all
 * three are refused here. */
#include "count.h"

#include "error.h"

#include <errno.h>
#include <stdlib.h>

int count_parse(unsigned *out, const char *text, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (!*text || *end || errno || v < lo || v > hi)
        return LIB_E_INVALID;
    *out = (unsigned)v;
    return 0;
}
