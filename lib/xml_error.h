/* xml_error.h: the first error libxml2's reader meets, kept to say why a
 * file is not XML (a sitemap, an office file's member), with its line,
 * instead of libxml2 printing it on stderr. */
#ifndef XML_ERROR_H
#define XML_ERROR_H

#include <libxml/xmlerror.h>

struct xml_error {
    int seen, line;
    char msg[128];   /* on one line, white space at its end dropped */
};

/* An xmlStructuredErrorFunc for xmlTextReaderSetStructuredErrorHandler,
 * its ctx a struct xml_error (zeroed first): keeps the first error, not
 * the warnings. */
void xml_error_keep(void *ctx, xmlErrorPtr e);

#endif
