/* swedish_date.c: Swedish dates in running text, and Swedish alphabetical
 * order for facet lists. The date reader looks for the first "D month
 * [YYYY]" in the text; times, weekdays and "kl." around it are ignored. */
#include "swedish_date.h"

#include "doc.h"
#include "tokenize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static const char *const months[12][2] = {
    {"januari", "jan"}, {"februari", "feb"}, {"mars", "mar"},    {"april", "apr"},
    {"maj", "maj"},     {"juni", "jun"},     {"juli", "jul"},    {"augusti", "aug"},
    {"september", "sep"}, {"oktober", "okt"}, {"november", "nov"}, {"december", "dec"}};

static int month_of(const char *w)
{
    for (int m = 0; m < 12; m++)
        if (strcmp(w, months[m][0]) == 0 || strcmp(w, months[m][1]) == 0 ||
            (m == 8 && strcmp(w, "sept") == 0))
            return m + 1;
    return 0;
}

static int all_digits(const struct tok *t, size_t min, size_t max)
{
    if (t->wlen < min || t->wlen > max)
        return 0;
    for (size_t i = 0; i < t->wlen; i++)
        if (t->word[i] < '0' || t->word[i] > '9')
            return 0;
    return 1;
}

static int iso_date(char out[11], const char *text)
{
    for (const char *p = text; *p; p++) {
        if (strlen(p) >= 10) {
            char buf[11];
            memcpy(buf, p, 10);
            buf[10] = '\0';
            if (doc_date_valid(buf)) {
                memcpy(out, buf, 11);
                return 0;
            }
        }
    }
    return LIB_E_NOTFOUND;
}

int swedish_date_parse(char out[11], const char *text, const char *ref)
{
    struct tokenizer tz;
    struct tok prev = {0}, t, next;
    tok_init(&tz, text, strlen(text));
    int have_prev = 0;
    while (tok_next(&tz, &t)) {
        int m = month_of(t.word);
        if (m && have_prev && all_digits(&prev, 1, 2)) {
            int d = atoi(prev.word), y = 0;
            struct tokenizer peek = tz;
            if (tok_next(&peek, &next) && all_digits(&next, 4, 4))
                y = atoi(next.word);
            if (!y && ref && doc_date_valid(ref)) {
                y = atoi(ref);
                snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
                if (strcmp(out, ref) < 0)
                    y++;
            }
            if (y) {
                snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
                if (doc_date_valid(out))
                    return 0;
            }
        }
        prev = t;
        have_prev = 1;
    }
    return iso_date(out, text);
}

/* The sort key of one code point in Swedish order. */
static long collate_key(utf8proc_int32_t cp)
{
    cp = utf8proc_tolower(cp);
    switch (cp) {
    case 0xE5: return 'z' + 1;                 /* å */
    case 0xE4: case 0xE6: return 'z' + 2;      /* ä, æ */
    case 0xF6: case 0xF8: return 'z' + 3;      /* ö, ø */
    case 0xE9: case 0xE8: case 0xEA: return 'e';
    case 0xFC: return 'y';
    case 0xE0: case 0xE1: return 'a';
    default: return cp;
    }
}

int swedish_collate(const char *a, const char *b)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)a, *q = (const utf8proc_uint8_t *)b;
    for (;;) {
        utf8proc_int32_t x = 0, y = 0;
        utf8proc_ssize_t n = *p ? utf8proc_iterate(p, -1, &x) : 0;
        utf8proc_ssize_t m = *q ? utf8proc_iterate(q, -1, &y) : 0;
        if (n <= 0 || m <= 0)
            return ((n > 0) - (m > 0)) ? (n > 0) - (m > 0) : strcmp(a, b);
        long kx = collate_key(x), ky = collate_key(y);
        if (kx != ky)
            return kx < ky ? -1 : 1;
        p += n;
        q += m;
    }
}
