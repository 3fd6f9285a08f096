/* words.h: the distinct words (as the tokenizer gives them) of real text:
 * pages as the indexer extracts them, or a word list. Tests of the analysis
 * and of snippets run over them.
 */
#ifndef WORDS_H
#define WORDS_H

#include <stddef.h>

struct words {
    char **slot;    /* an open hash set; NULL slots are free */
    size_t nslots;
    size_t n;
    int full;       /* more words than it holds were met */
};

int  words_new(struct words *w);
void words_dispose(struct words *w);   /* frees the words, not w */

/* The words of the .html pages below dir (how many pages into *pages), or
 * of a text file. 0, or -1 when dir or the file cannot be read. */
int  words_add_pages(struct words *w, const char *dir, size_t *pages);
int  words_add_file(struct words *w, const char *path);
int  words_add_text(struct words *w, const char *text);

#endif
