/* pdf_extract.h: a PDF file (its bytes) → a struct doc, with poppler.
 * document → [pdf_extract] → doc → schema → index. Poppler is large and a
 * hostile file may cost it much time or memory: the indexer runs this in a
 * child process under limits (docfile.h), never in its own.
 */
#ifndef PDF_EXTRACT_H
#define PDF_EXTRACT_H

#include "doc.h"
#include "error.h"

#include <stddef.h>

/* Fills title, date, body, format ("pdf"), page_starts and npages of d from
 * the PDF bytes, and lang when its XMP metadata declares a language. 0, or
 * a negative code with err: LIB_E_INVALID (not a PDF, damaged, encrypted,
 * no text), LIB_E_NOMEM. */
int pdf_extract(struct doc *d, const char *data, size_t len, lib_error *err);

#endif
