/* suggest.c: word completions. A word is a positional term (lower case,
 * no prefix) of three letters or more that is no stopword and not a number;
 * its weight is the number of pages using it. */
#include "suggest.h"

#include "analysis.h"

#include <stdlib.h>
#include <string.h>

#define SCAN_MAX 2000   /* terms read for one long prefix, at most */

struct top {
    char *word[SUGGEST_MAX];
    unsigned freq[SUGGEST_MAX];
    size_t n;
};

static size_t n_letters(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static int is_word(const char *t, size_t len)
{
    if (n_letters(t, len) < 3 || an_is_stopword(t, len))
        return 0;
    for (size_t i = 0; i < len; i++)
        if (t[i] >= '0' && t[i] <= '9')
            return 0;
    return 1;
}

/* Keeps the SUGGEST_MAX most frequent words, ties in term order. 0, or
 * LIB_E_NOMEM. */
static int top_add(struct top *t, const char *word, size_t len, unsigned freq)
{
    size_t at = t->n;
    while (at > 0 && t->freq[at - 1] < freq)
        at--;
    if (at >= SUGGEST_MAX)
        return 0;
    char *copy = strndup(word, len);
    if (!copy)
        return LIB_E_NOMEM;
    if (t->n == SUGGEST_MAX)
        free(t->word[--t->n]);
    memmove(&t->word[at + 1], &t->word[at], (t->n - at) * sizeof t->word[0]);
    memmove(&t->freq[at + 1], &t->freq[at], (t->n - at) * sizeof t->freq[0]);
    t->word[at] = copy;
    t->freq[at] = freq;
    t->n++;
    return 0;
}

static void top_dispose(struct top *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->word[i]);
    memset(t, 0, sizeof *t);
}

struct table_build {
    json_t *table;
    struct top tops[64];     /* the open prefixes, by their byte length */
    char keys[64][16];
    int rc;                  /* LIB_E_NOMEM once a word could not be kept */
};

/* Stores t's words under key in table (none: no key) and empties t. 0, or
 * LIB_E_NOMEM. */
static int flush_top(json_t *table, const char *key, struct top *t)
{
    json_t *list = t->n ? json_array() : NULL;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < t->n; i++)
        if (json_array_append_new(list, json_string(t->word[i])) < 0)
            rc = LIB_E_NOMEM;
    if (rc < 0)
        json_decref(list);
    else if (list && json_object_set_new(table, key, list) < 0)
        rc = LIB_E_NOMEM;
    top_dispose(t);
    return rc;
}

/* The byte length of the first `letters` characters of s. */
static size_t prefix_bytes(const char *s, size_t len, size_t letters)
{
    size_t i = 0, n = 0;
    while (i < len) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == letters)
            break;
        i++;
    }
    return i;
}

static int table_visit(void *ctx, const char *term, size_t len, unsigned freq)
{
    struct table_build *b = ctx;
    unsigned char c = (unsigned char)term[0];
    if (!(c >= 'a' && c <= 'z') && c < 0xC3)
        return 0;   /* prefixed terms and numbers */
    if (!is_word(term, len))
        return 0;
    for (size_t k = 1; k <= SUGGEST_TABLE_LETTERS; k++) {
        size_t pb = prefix_bytes(term, len, k);
        if (pb >= 16 || pb >= len)
            continue;
        /* Terms come in order: a new prefix closes the previous one. */
        if (strlen(b->keys[k]) != pb || strncmp(b->keys[k], term, pb) != 0) {
            if (b->keys[k][0] && (b->rc = flush_top(b->table, b->keys[k], &b->tops[k])) < 0)
                return 1;
            memcpy(b->keys[k], term, pb);
            b->keys[k][pb] = '\0';
        }
        if ((b->rc = top_add(&b->tops[k], term, len, freq)) < 0)
            return 1;
    }
    return 0;
}

int suggest_build_table(json_t **out, xc_wdb *db, lib_error *err)
{
    struct table_build *b = calloc(1, sizeof *b);
    *out = NULL;
    if (!b || !(b->table = json_object())) {
        free(b);
        return lib_error_nomem(err);
    }
    /* Words start with a lower-case letter (a-z, or a UTF-8 letter such as
     * å, ä, ö); the prefixed terms, all upper case, are never read. */
    int rc = 0;
    char first[2] = "a";
    for (char c = 'a'; rc == 0 && b->rc == 0 && c <= 'z'; c++) {
        first[0] = c;
        rc = xc_wdb_each_term(db, first, table_visit, b, err);
    }
    for (unsigned char c = 0xC3; rc == 0 && b->rc == 0 && c <= 0xC5; c++) {
        first[0] = (char)c;
        rc = xc_wdb_each_term(db, first, table_visit, b, err);
    }
    for (size_t k = 1; k <= SUGGEST_TABLE_LETTERS; k++) {
        int flushed = b->keys[k][0] ? flush_top(b->table, b->keys[k], &b->tops[k]) : 0;
        if (b->rc == 0)
            b->rc = flushed;
    }
    if (rc == 0 && b->rc < 0)
        rc = lib_error_nomem(err);
    if (rc == 0)
        *out = b->table;
    else
        json_decref(b->table);
    free(b);
    return rc;
}

struct scan {
    struct top top;
    size_t seen;
    int rc;   /* LIB_E_NOMEM once a word could not be kept */
};

static int scan_visit(void *ctx, const char *term, size_t len, unsigned freq)
{
    struct scan *s = ctx;
    if (is_word(term, len) && (s->rc = top_add(&s->top, term, len, freq)) < 0)
        return 1;
    return ++s->seen >= SCAN_MAX;
}

int suggest_complete(char **out, xc_db *db, json_t *table, const char *prefix, lib_error *err)
{
    int n = 0;
    if (!*prefix)
        return 0;
    if (n_letters(prefix, strlen(prefix)) <= SUGGEST_TABLE_LETTERS) {
        json_t *list = json_object_get(table, prefix);
        for (size_t i = 0; i < json_array_size(list) && n < SUGGEST_MAX; i++, n++) {
            if (!(out[n] = strdup(json_string_value(json_array_get(list, i))))) {
                while (n > 0)
                    free(out[--n]);
                return lib_error_nomem(err);
            }
        }
        return n;
    }
    struct scan s = {0};
    int rc = xc_db_each_term(db, prefix, scan_visit, &s, err);
    if (rc == 0 && s.rc < 0)
        rc = lib_error_nomem(err);
    if (rc < 0) {
        top_dispose(&s.top);
        return rc;
    }
    for (size_t i = 0; i < s.top.n; i++)
        out[n++] = s.top.word[i];
    return n;
}
