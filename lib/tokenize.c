/* tokenize.c: word splitting by Unicode category (utf8proc). Invalid bytes
 * separate words; they never occur in cleaned text but may in a query. */
#include "tokenize.h"

#include <string.h>
#include <utf8proc.h>

void tok_init(struct tokenizer *t, const char *text, size_t len)
{
    t->text = text;
    t->len = len;
    t->pos = 0;
}

static int is_word_char(utf8proc_int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

/* An ASCII letter or digit lower-cased, or 0 for any other ASCII byte: most
 * of a Swedish text is ASCII, and snippets split every hit's text. */
static inline unsigned char ascii_word(unsigned char c)
{
    if (c >= 'a' && c <= 'z')
        return c;
    if (c >= 'A' && c <= 'Z')
        return (unsigned char)(c + 32);
    return c >= '0' && c <= '9' ? c : 0;
}

/* Decodes the code point at pos; *n its length (1 for an invalid byte, with
 * cp set to -1). */
static utf8proc_int32_t decode(const struct tokenizer *t, size_t pos, size_t *n)
{
    /* Most of a Swedish text is ASCII: no need for the general decoder. */
    if ((unsigned char)t->text[pos] < 0x80) {
        *n = 1;
        return (unsigned char)t->text[pos];
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t r = utf8proc_iterate((const utf8proc_uint8_t *)t->text + pos,
                                          (utf8proc_ssize_t)(t->len - pos), &cp);
    if (r <= 0) {
        *n = 1;
        return -1;
    }
    *n = (size_t)r;
    return cp;
}

int tok_next(struct tokenizer *t, struct tok *out)
{
    for (;;) {
        size_t n;
        while (t->pos < t->len) {
            unsigned char c = (unsigned char)t->text[t->pos];
            if (c < 0x80 ? ascii_word(c) != 0 : is_word_char(decode(t, t->pos, &n)))
                break;
            t->pos += c < 0x80 ? 1 : n;
        }
        if (t->pos >= t->len)
            return 0;
        size_t start = t->pos, w = 0;
        int too_long = 0;
        while (t->pos < t->len) {
            unsigned char c = (unsigned char)t->text[t->pos];
            if (c < 0x80) {
                unsigned char lower = ascii_word(c);
                if (!lower)
                    break;
                t->pos++;
                if (w + 1 > TOK_WORD_MAX)
                    too_long = 1;
                else
                    out->word[w++] = (char)lower;
                continue;
            }
            utf8proc_int32_t cp = decode(t, t->pos, &n);
            if (!is_word_char(cp))
                break;
            t->pos += n;
            utf8proc_uint8_t enc[4];
            utf8proc_ssize_t m = 1;
            if (cp < 0x80)
                enc[0] = (utf8proc_uint8_t)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
            else
                m = utf8proc_encode_char(utf8proc_tolower(cp), enc);
            if (w + (size_t)m > TOK_WORD_MAX) {
                too_long = 1;
                continue;
            }
            memcpy(out->word + w, enc, (size_t)m);
            w += (size_t)m;
        }
        if (too_long)
            continue;
        out->word[w] = '\0';
        out->wlen = w;
        out->start = start;
        out->len = t->pos - start;
        return 1;
    }
}
