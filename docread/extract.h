/* extract.h: a document file's bytes → a struct doc, by format: the
 * dispatch over the readers of this folder (pdf_extract, office_extract,
 * epub_extract). Only the docread program and the tests link them, so that
 * neither the indexer nor searchd carries a PDF or zip parser. */
#ifndef DOCREAD_EXTRACT_H
#define DOCREAD_EXTRACT_H

#include "doc.h"
#include "error.h"

#include <stddef.h>

/* Fills title, date, body, format (and a PDF's pages) of d from data, and
 * lang when the document's metadata declares a language. 0, or
 * LIB_E_INVALID with the reason (damaged, encrypted, no text, a format this
 * does not read) or LIB_E_NOMEM. */
int docread_extract(struct doc *d, const char *format, const char *data, size_t len,
                    lib_error *err);

#endif
