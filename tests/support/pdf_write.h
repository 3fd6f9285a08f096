/* pdf_write.h: a small writer of valid PDF files for the tests of the PDF
 * extractor: pages of plain text in Helvetica with WinAnsiEncoding (so that
 * å ä ö are the bytes 0xE5 0xE4 0xF6 in the content stream), an optional
 * Info dictionary, an optional /Lang and XMP metadata stream in the
 * catalog, and an xref table with the objects' real byte offsets.
 */
#ifndef PDF_WRITE_H
#define PDF_WRITE_H

#include <stddef.h>

struct pdf_spec {
    const char *const *pages;   /* each page's text, UTF-8; '\n' starts a new
                                   line; "" gives an empty content stream */
    size_t npages;
    const char *title;          /* Info /Title (UTF-8); NULL: none */
    const char *creation_date;  /* Info /CreationDate as written, e.g.
                                   "D:20190327143000+01'00'"; NULL: none */
    double font_size;           /* points; 0: 12 */
};

/* The PDF of spec into *out (malloc'd) and its length into *len. Lines must
 * fit the A4 page (text off the page is no text to a reader): a page whose
 * lines would run below its bottom margin is refused. Characters WinAnsi
 * lacks are written as '?'. 0, or -1 (with *out NULL). */
int pdf_write_mem(char **out, size_t *len, const struct pdf_spec *spec);

/* What the catalog may say of the whole document besides its pages. Apart
 * from pdf_spec, whose many initialisers name every field. */
struct pdf_catalog {
    const char *lang;   /* /Lang as a literal string (ASCII); NULL: none */
    const char *xmp;    /* /Metadata: an XMP packet, written as it is in an
                           unfiltered stream; NULL: none */
};

/* pdf_write_mem with the catalog saying what cat says (NULL: nothing). */
int pdf_write_mem_catalog(char **out, size_t *len, const struct pdf_spec *spec,
                          const struct pdf_catalog *cat);

/* pdf_write_mem into the file at path. 0, or -1. */
int pdf_write_file(const char *path, const struct pdf_spec *spec);

#endif
