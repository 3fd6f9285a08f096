/* docfile.h: documents beside the pages — PDF, OpenDocument (odt, ods, odp),
 * Office Open XML (docx, xlsx, pptx) and EPUB — known by their file name and
 * extracted into a struct doc. A site's documents come from many hands and
 * their parsers are large, so neither the indexer nor searchd links them:
 * each document is read by the docread program (docread/), beside them, in
 * a child process under limits on CPU time, memory, wall time and output.
 * A hostile or broken file costs that process, never the run.
 */
#ifndef DOCFILE_H
#define DOCFILE_H

#include "doc.h"
#include "error.h"

#include <stddef.h>

#define DOCFILE_INPUT_MAX (256UL * 1024 * 1024)   /* bytes of one document file */

struct docfile_limits {
    unsigned cpu_seconds;    /* the child's CPU time */
    unsigned wall_seconds;   /* from start to answer, whatever it does */
    size_t memory_bytes;     /* its address space (not under a sanitizer,
                                whose shadow memory needs terabytes of it) */
    size_t output_bytes;     /* its answer: the text and the fields as JSON */
};
#define DOCFILE_LIMITS_DEFAULT {60, 120, 2048UL * 1024 * 1024, 64UL * 1024 * 1024}

/* The format of a file by its name's extension (any case): "pdf", "odt",
 * "ods", "odp", "docx", "xlsx", "pptx" or "epub"; NULL for anything else. */
const char *docfile_format_of(const char *name);
/* The format of DOC_FORMATS a media type names ("application/pdf",
 * parameters after ';' ignored), or NULL for any other (text/html
 * included): how a document comes by PUT or over HTTP. */
const char *docfile_format_of_type(const char *content_type);

/* Extracts the document open as fd (read from its start) in a child
 * process: exe (the docread program: `docread FORMAT`) reads it as its
 * standard input and writes its answer to a pipe, within lim (NULL: the
 * defaults). Fills title, date, body, format and a PDF's pages. 0, or
 * LIB_E_INVALID with the reason, the limit passed included, LIB_E_IO when
 * no child could be started, or LIB_E_NOMEM. */
int docfile_extract_isolated(struct doc *d, const char *exe, const char *format, int fd,
                             const struct docfile_limits *lim, lib_error *err);
/* docfile_extract_isolated of the bytes data[0..len) (a PUT's body, a
 * fetched file), held for the child in a memory file. As it, and
 * LIB_E_IO when no memory file could hold them. */
int docfile_extract_bytes(struct doc *d, const char *exe, const char *format, const char *data,
                          size_t len, const struct docfile_limits *lim, lib_error *err);

/* The reader's path: DOCFILE_READER in the running program's own folder
 * (bin/ in the source tree, PREFIX/bin installed) into out. 0, or -1 when
 * it is not there. */
#define DOCFILE_READER "docread"
int docfile_reader_path(char *out, size_t len);

#endif
