/* full_analyzer.h: the full Swedish analyzer over the lexicon the build
 * made, as the tests of analysis and snippets use it.
 */
#ifndef FULL_ANALYZER_H
#define FULL_ANALYZER_H

#include "analysis.h"

/* 0, or -1 with the reason on stderr. Free with full_analyzer_free. */
int  full_analyzer_new(struct analyzer **an, struct lexicon **lex);
void full_analyzer_free(struct analyzer *an, struct lexicon *lex);

#endif
