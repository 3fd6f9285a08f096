/* tokenize.h: splits UTF-8 text into words, the one tokenizer behind
 * indexing, query parsing and snippets, so the three agree on what a word
 * is. A word is a run of letters, digits and combining marks; everything
 * else separates words. Words are lower-cased (Unicode) for analysis.
 */
#ifndef TOKENIZE_H
#define TOKENIZE_H

#include <stddef.h>

#define TOK_WORD_MAX 96   /* bytes; longer runs (hashes, base64) are skipped */

struct tok {
    size_t start, len;            /* the word's bytes in the text */
    char word[TOK_WORD_MAX + 1];  /* lower-cased */
    size_t wlen;
};

struct tokenizer {
    const char *text;
    size_t len, pos;
};

void tok_init(struct tokenizer *t, const char *text, size_t len);
/* The next word into out; 0 at the end of the text. */
int  tok_next(struct tokenizer *t, struct tok *out);

#endif
