/* extract.c: the dispatch from a format's name to its reader. */
#include "extract.h"

#include "epub_extract.h"
#include "office_extract.h"
#include "pdf_extract.h"

#include <string.h>

int docread_extract(struct doc *d, const char *format, const char *data, size_t len,
                    lib_error *err)
{
    static const char *const office[] = {"odt", "ods", "odp", "docx", "xlsx", "pptx"};
    if (strcmp(format, "pdf") == 0)
        return pdf_extract(d, data, len, err);
    if (strcmp(format, "epub") == 0)
        return epub_extract(d, data, len, err);
    for (size_t i = 0; i < sizeof office / sizeof office[0]; i++)
        if (strcmp(format, office[i]) == 0)
            return office_extract(d, format, data, len, err);
    return lib_error_set(err, LIB_E_INVALID, "%s is not a document format this reads", format);
}
