/* epub_extract.h: an EPUB book (a zip of XHTML chapters), held in memory,
 * → a struct doc: the OPF's title, date and language, the chapters' text in
 * reading (spine) order.
 * file → [docfile] → [epub_extract] → doc → schema → index.
 */
#ifndef EPUB_EXTRACT_H
#define EPUB_EXTRACT_H

#include "doc.h"
#include "error.h"

#include <stddef.h>

/* Fills title, date, body and format ("epub") of d (truncated when the text
 * was cut at DOC_BODY_MAX), and lang when the OPF's dc:language, or else a
 * chapter's lang (as html_extract reads it), declares a language. 0, or a
 * negative code with err: LIB_E_INVALID with the reason (not a zip, no
 * container or OPF, damaged, past zip_read.h's limits, no chapter with
 * text), LIB_E_NOMEM. */
int epub_extract(struct doc *d, const char *data, size_t len, lib_error *err);

#endif
