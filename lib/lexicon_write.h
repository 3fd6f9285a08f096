/* lexicon_write.h: writes a compiled lexicon (lexicon.h) from entries added
 * one by one; the lexicon's builder is its only user.
 */
#ifndef LEXICON_WRITE_H
#define LEXICON_WRITE_H

#include "lexicon.h"

#include <stddef.h>
#include <stdint.h>

struct lex_writer;

int  lex_writer_new(struct lex_writer **out);
void lex_writer_free(struct lex_writer *w);

/* Adds word (lower case, 1-255 bytes) with its entry; a word added twice
 * keeps its first entry. 0, or -1 when out of memory or the lexicon would
 * pass 4 GB. */
int  lex_writer_add(struct lex_writer *w, const char *word, size_t len,
                    const struct lex_entry *e);

/* Writes the lexicon to path (through a temporary file renamed over it).
 * 0, or -1 with a reason in err. */
int  lex_writer_finish(struct lex_writer *w, const char *path, uint64_t source_hash, char *err,
                       size_t errlen);

#endif
