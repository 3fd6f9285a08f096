/* query_parse.c: a single left-to-right scan of the search box's text.
 * Every input parses: an unclosed quote runs to the end, an unknown
 * "field:" is part of the word, operators without operands are ignored. */
#include "query_parse.h"

#include <string.h>
#include <strings.h>

/* Length of a quote character at p (ASCII or typographic), else 0. */
static size_t quote_at(const char *p)
{
    static const char *const quotes[] = {"\"", "\xe2\x80\x9c", "\xe2\x80\x9d", "\xe2\x80\x9e",
                                         "\xc2\xab", "\xc2\xbb"};
    for (size_t i = 0; i < sizeof quotes / sizeof quotes[0]; i++)
        if (strncmp(p, quotes[i], strlen(quotes[i])) == 0)
            return strlen(quotes[i]);
    return 0;
}

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '(' || ch == ')';
}

struct field_name {
    const char *name;
    enum qfield field;
};
static const struct field_name fields[] = {
    {"title", QF_TITLE}, {"titel", QF_TITLE}, {"type", QF_TYPE}, {"typ", QF_TYPE},
    {"place", QF_PLACE}, {"plats", QF_PLACE}, {"year", QF_YEAR}, {"år", QF_YEAR}};

/* A known "field:" at p: its length including the colon, else 0. */
static size_t field_at(const char *p, enum qfield *f)
{
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        size_t n = strlen(fields[i].name);
        if (strncasecmp(p, fields[i].name, n) == 0 && p[n] == ':') {
            *f = fields[i].field;
            return n + 1;
        }
    }
    return 0;
}

static int is_op(const char *s, size_t n, const char *op)
{
    return n == strlen(op) && strncmp(s, op, n) == 0;
}

void query_parse(const char *q, struct parsed_query *out)
{
    const char *p = q;
    int negate_next = 0, or_next = 0;
    out->n = 0;
    while (*p && out->n < QUERY_MAX_CLAUSES) {
        while (is_space(*p))
            p++;
        if (!*p)
            break;
        struct clause c = {0};
        if ((*p == '-' || *p == '+') && p[1] && !is_space(p[1])) {
            c.negated = *p == '-';
            p++;
        }
        p += field_at(p, &c.field);
        size_t ql = quote_at(p);
        if (ql) {
            p += ql;
            c.text = p;
            while (*p && !quote_at(p))
                p++;
            c.len = (size_t)(p - c.text);
            c.phrase = 1;
            if (*p)
                p += quote_at(p);
        } else {
            c.text = p;
            while (*p && !is_space(*p) && !quote_at(p))
                p++;
            c.len = (size_t)(p - c.text);
            if (!c.negated && c.field == QF_NONE) {
                if (is_op(c.text, c.len, "OR")) {
                    or_next = out->n > 0;
                    continue;
                }
                if (is_op(c.text, c.len, "AND"))
                    continue;
                if (is_op(c.text, c.len, "NOT")) {
                    negate_next = 1;
                    continue;
                }
            }
        }
        if (c.len == 0)
            continue;
        c.negated |= negate_next;
        c.or_prev = or_next && !c.negated;
        negate_next = or_next = 0;
        out->c[out->n++] = c;
    }
}
