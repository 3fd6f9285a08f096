/* declared_lang.c: a document's declared language, taken the same way by
 * every extractor. Metadata is written by any tool: a value that is not a
 * tag (doc_lang_parse, which also counts zxx, und, mul and mis as none) is
 * passed over, never an error, so that such a document stays in the
 * site's own language. */
#include "declared_lang.h"

int declared_lang(struct doc *d, const char *s, size_t len)
{
    return doc_set_lang(d, s, len) == LIB_E_NOMEM ? LIB_E_NOMEM : 0;
}
