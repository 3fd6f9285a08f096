/* lexicon_write.h: writes a compiled lexicon (lexicon.h) from entries added
 * one by one; the lexicon's builder is its only user.
 */
#ifndef LEXICON_WRITE_H
#define LEXICON_WRITE_H

#include "lexicon.h"

#include <stddef.h>
#include <stdint.h>

struct lex_writer;

/* 0, or LIB_E_NOMEM. */
int  lex_writer_new(struct lex_writer **out);
void lex_writer_free(struct lex_writer *w);

/* Adds word (lower case, 1-255 bytes) with its entry; a word added twice
 * keeps its first entry. 0, LIB_E_INVALID for a word it cannot hold, or
 * LIB_E_NOMEM (also when the lexicon would pass 4 GB). */
int  lex_writer_add(struct lex_writer *w, const char *word, size_t len,
                    const struct lex_entry *e);

/* Writes the lexicon to path (through a temporary file renamed over it).
 * 0, or LIB_E_NOMEM or LIB_E_IO with err saying why. */
int  lex_writer_finish(struct lex_writer *w, const char *path, uint64_t source_hash,
                       lib_error *err);

#endif
