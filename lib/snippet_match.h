/* snippet_match.h: which of a query's keys a word of a hit's text matches,
 * the same answer as analysing the word (analysis.h) and comparing its keys,
 * without analysing the text. Made once a request from the query's keys: the
 * lexicon says which of its words each key stands for (their forms, their
 * compounds, their unaccented spellings); a word it does not list is
 * analysed only when its letters could give a key, which few can.
 */
#ifndef SNIPPET_MATCH_H
#define SNIPPET_MATCH_H

#include "analysis.h"
#include "query.h"
#include "tokenize.h"

struct snippet_matcher;

/* keys and an must outlive the matcher. 0, or LIB_E_NOMEM. */
int  snippet_matcher_new(struct snippet_matcher **out, struct analyzer *an,
                         const struct query_keys *keys);
void snippet_matcher_free(struct snippet_matcher *m);

/* The language of the text asked about next (a primary subtag, doc.h): in
 * Swedish, as above; in another, a word matches by its stem in that
 * language (keys->lang_stems). Swedish until set. */
void snippet_matcher_set_lang(struct snippet_matcher *m, const char *lang);

/* The key (one of keys' strings) the word t matches, or NULL. */
const char *snippet_matcher_key(struct snippet_matcher *m, const struct tok *t);

/* How many distinct keys a window of text can match at most: the query's
 * distinct stems (in the text's language) and exact words. */
size_t snippet_matcher_key_count(const struct snippet_matcher *m);

/* How many words the matcher has analysed so far, of all it was asked about:
 * the few it could not answer from the lexicon alone. */
size_t snippet_matcher_analysed(const struct snippet_matcher *m);

/* The same by analysing the word: the reference the matcher must equal. */
const char *snippet_key_by_analysis(struct analyzer *an, const struct query_keys *keys,
                                    const struct tok *t);

#endif
