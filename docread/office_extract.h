/* office_extract.h: an OpenDocument (odt, ods, odp) or Office Open XML
 * (docx, xlsx, pptx) file, held in memory, → a struct doc.
 * file → [docfile] → [office_extract] → doc → schema → index.
 */
#ifndef OFFICE_EXTRACT_H
#define OFFICE_EXTRACT_H

#include "doc.h"
#include "error.h"

#include <stddef.h>

/* format: "odt", "ods", "odp", "docx", "xlsx" or "pptx". Fills title, date,
 * body and format of d (truncated when the text was cut at DOC_BODY_MAX),
 * and lang when the metadata, or else the default style (odt, ods, odp,
 * docx), declares a language.
 * 0, or a negative code with err: LIB_E_INVALID with the reason (not a zip,
 * a missing member named, damaged XML, encrypted, past zip_read.h's limits,
 * no text), LIB_E_NOMEM. */
int office_extract(struct doc *d, const char *format, const char *data, size_t len,
                   lib_error *err);

#endif
