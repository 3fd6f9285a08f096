/* xml_error.c: the first error of a libxml2 reader, kept (xml_error.h). */
#include "xml_error.h"

#include <stdio.h>
#include <string.h>

void xml_error_keep(void *ctx, xmlErrorPtr e)
{
    struct xml_error *x = ctx;
    if (x->seen || !e || e->level < XML_ERR_ERROR)
        return;
    x->seen = 1;
    x->line = e->line;
    snprintf(x->msg, sizeof x->msg, "%s", e->message ? e->message : "unknown error");
    size_t n = strlen(x->msg);
    while (n > 0 && (x->msg[n - 1] == '\n' || x->msg[n - 1] == ' ' || x->msg[n - 1] == '\t' ||
                     x->msg[n - 1] == '\r'))
        x->msg[--n] = '\0';
    for (char *p = x->msg; *p; p++)   /* libxml2's messages may span lines */
        *p = *p == '\n' ? ' ' : *p;
}
