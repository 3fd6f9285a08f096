/* best_bets.c: the best bets file parsed into the JSON the index keeps,
 * and those rules matched against a query's key (best_bets.h). */
#include "best_bets.h"

#include "buf.h"
#include "doc.h"
#include "text.h"
#include "tokenize.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the file ---- */

/* s[0..*len) without white space at either end: its new start. */
static const char *trim(const char *s, size_t *len)
{
    while (*len && text_ascii_space(*s)) {
        s++;
        (*len)--;
    }
    while (*len && text_ascii_space(s[*len - 1]))
        (*len)--;
    return s;
}

/* When s[0..*len) ends in "WORD YYYY-MM-DD" (WORD "from" or "to", white
 * space before it), the date into date and *len cut before it: 1; else 0. */
static int take_date(const char *s, size_t *len, const char *word, char date[11])
{
    size_t w = strlen(word);
    if (*len < w + 1 + 10 + 1 || !text_ascii_space(s[*len - 11]))
        return 0;
    size_t at = *len - 11;
    while (at > 0 && text_ascii_space(s[at - 1]))
        at--;
    if (at < w + 1 || strncmp(s + at - w, word, w) != 0 || !text_ascii_space(s[at - w - 1]))
        return 0;
    memcpy(date, s + *len - 10, 10);
    date[10] = '\0';
    *len = at - w - 1;
    return 1;
}

/* One rule line (no comment, not empty) into rules. 0, LIB_E_NOMEM, or
 * LIB_E_INVALID with why. */
static int parse_rule(json_t *rules, const char *line, size_t n, char *why, size_t whylen)
{
    const char *eq = memchr(line, '=', n);
    if (!eq) {
        snprintf(why, whylen, "a rule is QUERY = ID, ID … or QUERY -= ID");
        return LIB_E_INVALID;
    }
    int hide = eq > line && eq[-1] == '-';
    size_t qlen = (size_t)(eq - line) - (size_t)hide, rlen = n - (size_t)(eq + 1 - line);
    const char *q = trim(line, &qlen), *r = trim(eq + 1, &rlen);
    char from[11] = "", to[11] = "";
    int has_to = take_date(r, &rlen, "to", to);
    int has_from = take_date(r, &rlen, "from", from);
    r = trim(r, &rlen);
    if ((has_from && !doc_date_valid(from)) || (has_to && !doc_date_valid(to))) {
        snprintf(why, whylen, "a date is YYYY-MM-DD: %s", has_from && !doc_date_valid(from) ? from : to);
        return LIB_E_INVALID;
    }
    if (has_from && has_to && strcmp(from, to) > 0) {
        snprintf(why, whylen, "the campaign ends (%s) before it starts (%s)", to, from);
        return LIB_E_INVALID;
    }
    if (qlen == 0 || rlen == 0) {
        snprintf(why, whylen, qlen ? "no document id after the =" : "no query before the =");
        return LIB_E_INVALID;
    }
    json_t *rule = json_object(), *ids = json_array();
    char *query = strndup(q, qlen);
    int rc = rule && ids && query && json_object_set_new(rule, "query", json_string(query)) == 0 &&
                     json_object_set(rule, hide ? "hide" : "pin", ids) == 0
                 ? 0
                 : LIB_E_NOMEM;
    for (const char *p = r; rc == 0 && p < r + rlen;) {
        const char *end = memchr(p, ',', (size_t)(r + rlen - p));
        if (!end)
            end = r + rlen;
        size_t idlen = (size_t)(end - p);
        const char *id = trim(p, &idlen);
        if (idlen > DOC_ID_MAX) {
            snprintf(why, whylen, "a document id is longer than %d bytes", DOC_ID_MAX);
            rc = LIB_E_INVALID;
        } else if (idlen && json_array_size(ids) == BEST_BETS_IDS_MAX) {
            snprintf(why, whylen, "more than %d documents for one query", BEST_BETS_IDS_MAX);
            rc = LIB_E_INVALID;
        } else if (idlen) {
            char *s = strndup(id, idlen);
            rc = s && json_array_append_new(ids, json_string(s)) == 0 ? 0 : LIB_E_NOMEM;
            free(s);
        }
        p = end + 1;
    }
    if (rc == 0 && json_array_size(ids) == 0) {
        snprintf(why, whylen, "no document id after the =");
        rc = LIB_E_INVALID;
    }
    if (rc == 0 && ((has_from && json_object_set_new(rule, "from", json_string(from)) < 0) ||
                    (has_to && json_object_set_new(rule, "to", json_string(to)) < 0) ||
                    json_array_append(rules, rule) < 0))
        rc = LIB_E_NOMEM;
    free(query);
    json_decref(ids);
    json_decref(rule);
    return rc;
}

int best_bets_parse(json_t **out, const char *text, size_t len, const char *name,
                    lib_error *err)
{
    json_t *rules = json_array();
    int rc = rules ? 0 : lib_error_nomem(err);
    unsigned long lineno = 0;
    *out = NULL;
    for (const char *p = text; rc == 0 && p < text + len;) {
        const char *nl = memchr(p, '\n', (size_t)(text + len - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
        const char *hash = memchr(p, '#', n);
        size_t keep = hash ? (size_t)(hash - p) : n;
        const char *line = trim(p, &keep);
        char why[160] = "out of memory";
        lineno++;
        if (!text_is_utf8(p, n)) {
            snprintf(why, sizeof why, "not UTF-8 text");
            rc = LIB_E_INVALID;
        } else if (keep) {
            rc = parse_rule(rules, line, keep, why, sizeof why);
        }
        if (rc < 0)
            lib_error_set(err, rc, "%s:%lu: %s", name, lineno, why);
        p += n + 1;
    }
    if (rc < 0)
        json_decref(rules);
    else
        *out = rules;
    return rc;
}

int best_bets_read_file(json_t **out, const char *path, lib_error *err)
{
    FILE *f = fopen(path, "rb");
    *out = NULL;
    if (!f)
        return lib_error_set(err, LIB_E_IO, "%s: %s", path, strerror(errno));
    struct buf b = BUF_INIT;
    char chunk[8192];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (buf_append(&b, chunk, n) < 0)
            rc = lib_error_nomem(err);
    if (rc == 0 && ferror(f))
        rc = lib_error_set(err, LIB_E_IO, "%s: %s", path, strerror(errno));
    fclose(f);
    if (rc == 0)
        rc = best_bets_parse(out, b.data ? b.data : "", b.len, path, err);
    buf_dispose(&b);
    return rc;
}

/* ---- matching ---- */

struct rule {
    char *key;
    const json_t *pin, *hide;   /* arrays of strings in the loaded JSON */
    const char *from, *to;      /* NULL: open */
};

struct best_bets {
    json_t *rules;              /* held: the rules' strings live here */
    struct rule *r;
    size_t n;
};

int best_bets_key(char **out, struct analyzer *an, const char *q, size_t len)
{
    struct buf b = BUF_INIT;
    struct tokenizer tz;
    struct tok t;
    *out = NULL;
    tok_init(&tz, q, len);
    while (tok_next(&tz, &t)) {
        struct an_word a;
        char plain[AN_W_MAX];
        if (an_analyze(&a, an, t.word, t.wlen) < 0 || a.stop)
            continue;
        an_rules_unaccent(a.stem, plain);   /* the lemma's stem, as every form has it */
        if ((b.len && buf_putc(&b, ' ') < 0) || buf_puts(&b, plain) < 0) {
            buf_dispose(&b);
            return LIB_E_NOMEM;
        }
    }
    *out = b.data ? buf_detach(&b) : strdup("");
    return *out ? 0 : LIB_E_NOMEM;
}

int best_bets_load(struct best_bets **out, const json_t *rules, struct analyzer *an)
{
    struct best_bets *b = calloc(1, sizeof *b);
    *out = NULL;
    if (!b)
        return LIB_E_NOMEM;
    size_t n = json_is_array(rules) ? json_array_size(rules) : 0;
    b->rules = json_incref((json_t *)rules);
    if (n && !(b->r = calloc(n, sizeof *b->r))) {
        best_bets_free(b);
        return LIB_E_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *rule = json_array_get(rules, i);
        const char *q = json_string_value(json_object_get(rule, "query"));
        if (!q)
            continue;
        struct rule *r = &b->r[b->n];
        if (best_bets_key(&r->key, an, q, strlen(q)) < 0) {
            best_bets_free(b);
            return LIB_E_NOMEM;
        }
        r->pin = json_object_get(rule, "pin");
        r->hide = json_object_get(rule, "hide");
        r->from = json_string_value(json_object_get(rule, "from"));
        r->to = json_string_value(json_object_get(rule, "to"));
        b->n++;
    }
    an_trim(an);
    *out = b;
    return 0;
}

void best_bets_free(struct best_bets *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++)
        free(b->r[i].key);
    free(b->r);
    json_decref(b->rules);
    free(b);
}

static int listed(const char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

/* Adds the strings of the array ids to v (each once, BEST_BETS_IDS_MAX at most). */
static void add_ids(const char **v, size_t *n, const json_t *ids)
{
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id) {
        const char *s = json_string_value(id);
        if (s && *n < BEST_BETS_IDS_MAX && !listed(v, *n, s))
            v[(*n)++] = s;
    }
}

int best_bets_match(struct best_bets_match *m, const struct best_bets *b, const char *key,
                    const char *today)
{
    int any = 0;
    memset(m, 0, sizeof *m);
    for (size_t i = 0; b && key && *key && i < b->n; i++) {
        const struct rule *r = &b->r[i];
        if (strcmp(r->key, key) != 0 || (r->from && strcmp(today, r->from) < 0) ||
            (r->to && strcmp(today, r->to) > 0))
            continue;
        any = 1;
        add_ids(m->pin, &m->npin, r->pin);
        add_ids(m->hide, &m->nhide, r->hide);
    }
    size_t kept = 0;
    for (size_t i = 0; i < m->npin; i++)
        if (!listed(m->hide, m->nhide, m->pin[i]))
            m->pin[kept++] = m->pin[i];
    m->npin = kept;
    return any;
}
