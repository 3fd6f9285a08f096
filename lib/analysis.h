/* analysis.h: Swedish text analysis shared by indexing and querying, so a
 * document and a query reduce a word to the same term. One analyzer per
 * thread: the stemmer keeps per-call state.
 * text → [Xapian's tokenizer] → an_stem (libstemmer Swedish) → terms.
 */
#ifndef ANALYSIS_H
#define ANALYSIS_H

#include "xapian_c.h"

#include <stddef.h>

struct analyzer;

/* A Swedish analyzer: Snowball stemming through libstemmer plus the
 * Swedish stopword list. 0, or -1 with a reason in err. */
int  an_new(struct analyzer **out, char *err, size_t errlen);
void an_free(struct analyzer *a);

/* The stemmer and stopper to hand to Xapian (owned by the analyzer). */
const xc_stem *an_stemmer(const struct analyzer *a);
const xc_stopper *an_stopper(const struct analyzer *a);

/* Stems one lower-case word; the result is valid until the next call. */
const char *an_stem(struct analyzer *a, const char *word, size_t len,
                    size_t *out_len);

/* 1 when word (lower case) is a Swedish stopword. */
int an_is_stopword(const char *word);

#endif
