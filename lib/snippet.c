/* snippet.c: picks the window of the text with the most distinct query
 * words (then the most matches), starting a little before its first match,
 * and writes it as escaped HTML with <mark>s. Only the first SCAN_MAX bytes
 * are read when a word matches there, so that a hit's snippet costs the
 * same on a huge page; when none does (a long report whose match is on its
 * fortieth page), the scan goes on to the first match, up to SCAN_FAR, and
 * a little past it. Which words
 * match is the matcher's (snippet_match.h): the text is only split into
 * words here, never analysed. */
#include "snippet.h"

#include "buf.h"
#include "tokenize.h"

#include <stdlib.h>
#include <string.h>

#define SCAN_MAX (64 * 1024)
#define SCAN_FAR (1024 * 1024)   /* the scan for a first match past SCAN_MAX */
#define SCAN_AFTER (4 * 1024)    /* and on from a match found there */
#define MAX_MATCHES 256
#define LEAD 50   /* bytes of context before the first match */

struct match {
    size_t start, len;
    const char *key;   /* which query key, to count distinct ones */
};

static int put_escaped(struct buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        case '\n': rep = " "; break;
        }
        if (rep ? buf_puts(b, rep) < 0 : buf_putc(b, s[i]) < 0)
            return -1;
    }
    return 0;
}

/* Scores the window [from, from + target): distinct keys first. */
static size_t score(const struct match *m, size_t n, size_t from, size_t target)
{
    const char *seen[MAX_MATCHES];
    size_t distinct = 0, total = 0;
    for (size_t i = 0; i < n && m[i].start < from + target; i++) {
        if (m[i].start < from)
            continue;
        total++;
        size_t j = 0;
        while (j < distinct && seen[j] != m[i].key)
            j++;
        if (j == distinct)
            seen[distinct++] = m[i].key;
    }
    return distinct * 100 + total;
}

/* Moves pos back to the start of a character, then of the word it is in. */
static size_t word_start(const char *text, size_t pos)
{
    while (pos > 0 && ((unsigned char)text[pos] & 0xC0) == 0x80)
        pos--;
    while (pos > 0 && text[pos - 1] != ' ' && text[pos - 1] != '\n')
        pos--;
    return pos;
}

/* Where the window of a match at pos starts: LEAD bytes before it. */
static size_t window_start(const char *text, size_t pos)
{
    return pos > LEAD ? word_start(text, pos - LEAD) : 0;
}

int snippet_make(char **snippet, struct snippet_matcher *sm, const char *text, size_t len,
                 size_t target)
{
    return snippet_make_at(snippet, NULL, sm, text, len, target);
}

int snippet_make_at(char **snippet, size_t *where, struct snippet_matcher *sm, const char *text,
                    size_t len, size_t target)
{
    struct match *m = malloc(MAX_MATCHES * sizeof *m);
    struct buf out = BUF_INIT;
    *snippet = NULL;
    if (!m)
        return LIB_E_NOMEM;
    size_t n = 0, scan = len < SCAN_FAR ? len : SCAN_FAR, stop = SCAN_MAX;
    /* Windows start a little before a match. Once one holds every key the
     * query can give, no later one scores more distinct keys: the scan
     * stops there, at the end of that window, so that a long page costs
     * what its first passage with all the words costs. */
    size_t all_keys = snippet_matcher_key_count(sm), next = 0, next_end = (size_t)-1;
    struct tokenizer tz;
    struct tok t;
    tok_init(&tz, text, scan);
    while (n < MAX_MATCHES && tok_next(&tz, &t) && !(n > 0 && t.start >= stop)) {
        while (next < n && t.start >= next_end) {
            if (all_keys && score(m, n, window_start(text, m[next].start), target) / 100 >=
                                all_keys)
                goto scanned;
            if (++next < n)
                next_end = window_start(text, m[next].start) + target;
        }
        const char *key = snippet_matcher_key(sm, &t);
        if (key) {
            if (n == 0 && t.start >= SCAN_MAX)
                stop = t.start + SCAN_AFTER;
            m[n++] = (struct match){t.start, t.len, key};
            if (n == next + 1)
                next_end = window_start(text, t.start) + target;
        }
    }
scanned:;
    size_t from = 0, best = 0;
    for (size_t i = 0; i < n; i++) {
        size_t start = window_start(text, m[i].start);
        size_t s = score(m, n, start, target);
        if (s > best) {
            best = s;
            from = start;
        }
    }
    size_t to = from + target < len ? word_start(text, from + target) : len;
    if (to <= from)
        to = from + target < len ? from + target : len;
    while (to < len && ((unsigned char)text[to] & 0xC0) == 0x80)
        to++;
    int rc = from > 0 ? buf_puts(&out, "\xe2\x80\xa6") : 0;
    size_t at = from;
    if (where)
        *where = from;
    for (size_t i = 0, first = 1; rc == 0 && i < n; i++) {
        if (m[i].start < from || m[i].start + m[i].len > to)
            continue;
        if (where && first)
            *where = m[i].start;
        first = 0;
        if (put_escaped(&out, text + at, m[i].start - at) < 0 || buf_puts(&out, "<mark>") < 0 ||
            put_escaped(&out, text + m[i].start, m[i].len) < 0 || buf_puts(&out, "</mark>") < 0)
            rc = -1;
        at = m[i].start + m[i].len;
    }
    if (rc == 0 && put_escaped(&out, text + at, to - at) < 0)
        rc = -1;
    while (rc == 0 && out.len && out.data[out.len - 1] == ' ')
        out.data[--out.len] = '\0';
    if (rc == 0 && to < len)
        rc = buf_puts(&out, "\xe2\x80\xa6");
    free(m);
    if (rc < 0) {
        buf_dispose(&out);
        return LIB_E_NOMEM;
    }
    *snippet = buf_detach(&out);
    return 0;
}
