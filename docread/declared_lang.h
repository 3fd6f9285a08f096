/* declared_lang.h: the language a document's own metadata declares (a PDF's
 * XMP, an office file's dc:language or default style, an EPUB's package)
 * → d->lang, as each extractor finds it. */
#ifndef DOCREAD_DECLARED_LANG_H
#define DOCREAD_DECLARED_LANG_H

#include "doc.h"

#include <stddef.h>

/* d->lang from the value s[0..len) a document declares, white space around
 * it dropped. A value that is no language tag, or a code that names no
 * language ("und", "zxx", "mul", "mis"), leaves d->lang as it was: the
 * document is read all the same. 0, or LIB_E_NOMEM. */
int declared_lang(struct doc *d, const char *s, size_t len);

#endif
