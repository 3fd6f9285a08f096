/* text.c: UTF-8 validation, cleaning, NFC and case folding via utf8proc.
 * Cleaning runs on every field before indexing or storing, so it is a single
 * pass over code points with one allocation plus utf8proc's NFC map. */
#include "text.h"

#include "buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

int text_is_utf8(const char *s, size_t len)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0 || cp == 0)
            return 0;
        i += (size_t)n;
    }
    return 1;
}

/* How many bytes from s on are ASCII (and, with nul_too, not NUL), read
 * eight at a time: the most of a page, which needs no decoding. */
static size_t ascii_run(const char *s, size_t len, int nul_too)
{
    const uint64_t high = 0x8080808080808080ULL, ones = 0x0101010101010101ULL;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if ((w & high) || (nul_too && ((w - ones) & ~w & high)))
            break;
    }
    while (i < len && (unsigned char)s[i] < 0x80 && (!nul_too || s[i]))
        i++;
    return i;
}

size_t text_utf8_census(const char *s, size_t len, size_t *invalid)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0, multi = 0;
    *invalid = 0;
    while (i < len) {
        if ((i += ascii_run(s + i, len - i, 0)) >= len)
            break;
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) {
            ++*invalid;
            i++;
            continue;
        }
        multi += n > 1;
        i += (size_t)n;
    }
    return multi;
}

int text_scrub(char **out, size_t *out_len, const char *s, size_t len, int repair)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    /* At worst every byte becomes the 3 bytes of U+FFFD. */
    char *copy = malloc((repair ? len * 3 : len) + 1), *o = copy;
    size_t i = 0;
    *out = copy;
    if (!copy)
        return LIB_E_NOMEM;
    while (i < len) {
        size_t run = ascii_run(s + i, len - i, 1);
        memcpy(o, s + i, run);
        o += run;
        if ((i += run) >= len)
            break;
        if (!s[i]) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = repair ? utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp)
                                    : 1;
        if (n <= 0) {
            memcpy(o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
            continue;
        }
        memcpy(o, s + i, (size_t)n);
        o += n;
        i += (size_t)n;
    }
    *o = '\0';
    *out_len = (size_t)(o - copy);
    return 0;
}

static int is_space(utf8proc_int32_t cp)
{
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
        cp == '\v' || cp == 0xA0 || cp == 0x1680 || cp == 0x2028 ||
        cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000)
        return 1;
    return cp >= 0x2000 && cp <= 0x200A;
}

/* Characters that carry nothing for a reader: controls, zero-width marks. */
static int is_invisible(utf8proc_int32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
           cp == 0x200B || cp == 0xFEFF || cp == 0x00AD;
}

/* Whether text of such characters is its own NFC, whatever comes before
 * them: those below U+0300 (where the combining marks begin), and general
 * punctuation (dashes, quotes, bullets), super- and subscripts and
 * currency signs (U+2002-U+20CF; U+2000 and U+2001, which NFC changes, are
 * spaces here). Most Swedish text then needs no normalising pass. */
static int nfc_by_itself(utf8proc_int32_t cp)
{
    return cp < 0x300 || (cp >= 0x2002 && cp < 0x20D0);
}

/* utf8proc's failure as a lib code. */
static int map_error(utf8proc_ssize_t r)
{
    return r == UTF8PROC_ERROR_NOMEM ? LIB_E_NOMEM : LIB_E_INVALID;
}

int text_clean(char **out, const char *s, size_t len, int keep_newlines)
{
    struct buf b = BUF_INIT;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    int pending = 0;  /* 0 none, 1 space, 2 newline */
    int rc = 0;
    int needs_nfc = 0;
    *out = NULL;
    if ((rc = buf_grow(&b, len)) < 0)
        return rc;
    while (i < len) {
        utf8proc_int32_t cp = p[i];
        utf8proc_ssize_t n = 1;
        if (cp >= 0x80) {
            n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
            if (n <= 0) {
                cp = 0xFFFD;
                n = 1;
            }
        }
        i += (size_t)n;
        if (is_space(cp)) {
            int kind = (keep_newlines && (cp == '\n' || cp == 0x2029)) ? 2 : 1;
            if (kind > pending)
                pending = kind;
            continue;
        }
        if (is_invisible(cp))
            continue;
        if (pending && b.len > 0 && (rc = buf_putc(&b, pending == 2 ? '\n' : ' ')) < 0)
            goto cleanup;
        pending = 0;
        if (cp < 0x80) {   /* most of the text: straight in, NUL-terminated below */
            if (b.len + 2 > b.cap && (rc = buf_grow(&b, 1)) < 0)
                goto cleanup;
            b.data[b.len++] = (char)cp;
            continue;
        }
        needs_nfc |= !nfc_by_itself(cp);
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t m = utf8proc_encode_char(cp, enc);
        if ((rc = buf_append(&b, (const char *)enc, (size_t)m)) < 0)
            goto cleanup;
    }
    if (b.data)
        b.data[b.len] = '\0';
    if (b.len == 0 || !needs_nfc) {
        if (!(*out = buf_detach(&b)))
            rc = LIB_E_NOMEM;
        goto cleanup;
    }
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)b.data,
                                      (utf8proc_ssize_t)b.len, &nfc,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (r < 0)
        rc = map_error(r);
    else
        *out = (char *)nfc;
cleanup:
    buf_dispose(&b);
    return rc;
}

int text_fold(char **out, const char *s)
{
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE |
                                          UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    *out = r < 0 ? NULL : (char *)folded;
    return r < 0 ? map_error(r) : 0;
}

size_t text_truncate(char *s, size_t max)
{
    size_t len = strlen(s);
    if (len <= max)
        return len;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    s[max] = '\0';
    return max;
}
