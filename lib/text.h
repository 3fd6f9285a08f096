/* text.h: UTF-8 text hygiene shared by every input path (HTML, JSON, query).
 * Everything stored or indexed goes through text_clean first, so the rest of
 * the code may assume valid NFC UTF-8 without control characters.
 */
#ifndef TEXT_H
#define TEXT_H

#include "error.h"

#include <stddef.h>

/* 1 when s[0..len) is valid UTF-8 (no NUL), else 0. */
int text_is_utf8(const char *s, size_t len);
/* Reads s[0..len) as UTF-8: the number of valid multi-byte characters, and
 * in *invalid the number of bytes that belong to no valid character. Many
 * of the first and a few of the second: UTF-8 with errors; none of the
 * first: a single-byte encoding. */
size_t text_utf8_census(const char *s, size_t len, size_t *invalid);
/* A copy of s[0..len) without NUL bytes and, when repair is set, with each
 * invalid UTF-8 byte replaced by U+FFFD, into *out (malloc'd,
 * NUL-terminated) and its length into *out_len. 0, or LIB_E_NOMEM with *out
 * NULL. */
int text_scrub(char **out, size_t *out_len, const char *s, size_t len, int repair);

/* Cleans s[0..len) into *out (malloc'd): invalid UTF-8 bytes become
 * U+FFFD, controls (NUL included) are dropped, runs of white space (NBSP
 * too) become one space, or one newline when keep_newlines and the run held
 * one; trimmed; NFC. 0, or LIB_E_NOMEM with *out NULL. */
int text_clean(char **out, const char *s, size_t len, int keep_newlines);

/* A lower-cased (Unicode case folding) NFC copy of s into *out (malloc'd).
 * 0, or LIB_E_NOMEM or LIB_E_INVALID (s is not UTF-8) with *out NULL. */
int text_fold(char **out, const char *s);

/* Cuts s in place to at most max bytes without splitting a UTF-8 sequence;
 * returns the new length. */
size_t text_truncate(char *s, size_t max);

/* 1 for the ASCII white space of markup and plain files (space, tab, CR,
 * LF): what their parsers skip between tokens. */
static inline int text_ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

#endif
