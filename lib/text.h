/* text.h: UTF-8 text hygiene shared by every input path (HTML, JSON, query).
 * Everything stored or indexed goes through text_clean first, so the rest of
 * the code may assume valid NFC UTF-8 without control characters.
 */
#ifndef TEXT_H
#define TEXT_H

#include <stddef.h>

/* 1 when s[0..len) is valid UTF-8 (no NUL), else 0. */
int text_is_utf8(const char *s, size_t len);

/* Cleans s[0..len): invalid UTF-8 bytes become U+FFFD, controls (NUL
 * included) are dropped, runs of white space (NBSP too) become one space, or
 * one newline when keep_newlines and the run held one; trimmed; NFC.
 * Returns a malloc'd string (never NULL on success), NULL when out of memory. */
char *text_clean(const char *s, size_t len, int keep_newlines);

/* Lower-cased (Unicode case folding) NFC copy, malloc'd; NULL on error. */
char *text_fold(const char *s);

/* Cuts s in place to at most max bytes without splitting a UTF-8 sequence;
 * returns the new length. */
size_t text_truncate(char *s, size_t max);

#endif
