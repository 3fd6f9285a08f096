/* query_norm.c: see query_norm.h. The digits are masked after folding, so a
 * digit that folding or NFC made (none do today) is masked too, and before
 * the cut, so a cut can never leave the tail of a long number unmasked. */
#include "query_norm.h"

#include "error.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Bytes of the character at s[i] (1 for a byte that is none) and whether it
 * is a decimal digit of any script (Unicode Nd: 0-9, fullwidth, Arabic-Indic…). */
static size_t char_at(const char *s, size_t len, size_t i, int *digit)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t n =
        utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
    if (n <= 0) {
        *digit = 0;
        return 1;
    }
    *digit = utf8proc_category(cp) == UTF8PROC_CATEGORY_ND;
    return (size_t)n;
}

/* The digits from s[i] on: their count, and the byte after them in *end. */
static size_t digit_run(const char *s, size_t len, size_t i, size_t *end)
{
    size_t count = 0;
    int digit;
    while (i < len) {
        size_t n = char_at(s, len, i, &digit);
        if (!digit)
            break;
        count++;
        i += n;
    }
    *end = i;
    return count;
}

static int is_joiner(char ch)
{
    return ch == '-' || ch == '+' || ch == '.' || ch == '/' || ch == ' ';
}

/* Copies s to out (as long as s at least), masking each chain of digit
 * groups that holds a long run. */
static void mask_numbers(char *out, const char *s, size_t len)
{
    size_t i = 0, o = 0;
    while (i < len) {
        int digit;
        size_t n = char_at(s, len, i, &digit);
        if (!digit) {
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
            continue;
        }
        /* The chain: runs of digits joined by one joiner each. */
        size_t end, longest = 0;
        for (size_t at = i;;) {
            size_t run = digit_run(s, len, at, &end);
            longest = run > longest ? run : longest;
            if (end + 1 >= len || !is_joiner(s[end]))
                break;
            char_at(s, len, end + 1, &digit);
            if (!digit)
                break;
            at = end + 1;
        }
        while (i < end) {
            n = char_at(s, len, i, &digit);
            if (digit && longest >= QUERY_NORM_DIGITS) {
                out[o++] = '#';
            } else {
                memcpy(out + o, s + i, n);
                o += n;
            }
            i += n;
        }
    }
    out[o] = '\0';
}

int query_norm(char **out, const char *q, size_t len)
{
    char *clean = NULL, *folded = NULL, *masked = NULL;
    *out = NULL;
    int rc = text_clean(&clean, q, len, 0);
    if (rc == 0)
        rc = text_fold(&folded, clean);
    size_t flen = folded ? strlen(folded) : 0;
    if (rc == 0 && !(masked = malloc(flen + 1)))
        rc = LIB_E_NOMEM;
    if (rc == 0) {
        mask_numbers(masked, folded, flen);
        size_t n = text_truncate(masked, QUERY_NORM_MAX);
        while (n && masked[n - 1] == ' ')
            masked[--n] = '\0';
        *out = masked;
    }
    free(clean);
    free(folded);
    /* text_fold's only other failure, text that is not UTF-8, cannot follow
     * text_clean: any failure here is memory. */
    return rc == 0 ? 0 : LIB_E_NOMEM;
}
