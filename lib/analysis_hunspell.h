/* analysis_hunspell.h: the reference Swedish analysis, with every answer
 * asked of libhunspell and hunspell-sv's dictionary. Too slow for the hot
 * path (tens of dictionary calls for a long word); it builds the compiled
 * lexicon (tools/lexicon_build.c) and is what the lexicon is tested
 * against. One per thread: a hunspell handle is not shared.
 */
#ifndef ANALYSIS_HUNSPELL_H
#define ANALYSIS_HUNSPELL_H

#include "analysis_rules.h"
#include "error.h"

#include <stddef.h>

#define AH_DICT_DIR "/usr/share/hunspell"

struct ah_analyzer;

/* dict_dir NULL: the system's hunspell-sv. 0, or LIB_E_NOTFOUND (no
 * dictionary), LIB_E_INVALID or LIB_E_NOMEM with err saying why. Making
 * analyzers is not thread-safe (hunspell's globals): make them in one
 * thread. */
int  ah_new(struct ah_analyzer **out, const char *dict_dir, lib_error *err);
void ah_free(struct ah_analyzer *a);

/* The full analysis of a lower-case word (len < AN_W_MAX). */
void ah_analyze(struct ah_analyzer *a, const char *word, size_t len, struct an_keys *out);

/* The dictionary's own answers, as the rules ask them, and the stemmer. */
const struct an_dict *ah_dict(struct ah_analyzer *a);
struct sb_stemmer *ah_stemmer(struct ah_analyzer *a);

#endif
