/* synonyms.c: parsing the synonyms file. Members are normalised with the
 * same tokenizer as queries, so "SCB:s" in the file meets "scb s" typed. */
#include "synonyms.h"

#include "buf.h"
#include "text.h"
#include "tokenize.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int synonyms_key(char **out, const char *text, size_t len)
{
    struct buf b = BUF_INIT;
    struct tokenizer tz;
    struct tok t;
    *out = NULL;
    tok_init(&tz, text, len);
    while (tok_next(&tz, &t))
        if ((b.len && buf_putc(&b, ' ') < 0) || buf_append(&b, t.word, t.wlen) < 0) {
            buf_dispose(&b);
            return LIB_E_NOMEM;
        }
    *out = buf_detach(&b);
    return *out ? 0 : LIB_E_NOMEM;
}

/* Adds every member of the group as a key for all the others. */
static int add_group(json_t *map, char **members, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        json_t *list = json_object_get(map, members[i]);
        if (!list) {
            list = json_array();
            if (!list || json_object_set_new(map, members[i], list) < 0)
                return LIB_E_NOMEM;
        }
        for (size_t j = 0; j < n; j++) {
            if (i == j || strcmp(members[i], members[j]) == 0)
                continue;
            int dup = 0;
            size_t k;
            json_t *v;
            json_array_foreach(list, k, v) dup |= strcmp(json_string_value(v), members[j]) == 0;
            if (!dup && json_array_append_new(list, json_string(members[j])) < 0)
                return LIB_E_NOMEM;
        }
    }
    return 0;
}

#define GROUP_MAX 32

/* The normalised members of line (its comment cut off) into members, *n of
 * them: 0, LIB_E_NOMEM, or LIB_E_INVALID when there are too many (why
 * filled). */
static int split_members(char *line, char **members, size_t *n, char *why, size_t whylen)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    for (char *p = line; p && *p;) {
        char *end = p + strcspn(p, ",=");
        char *key;
        if (synonyms_key(&key, p, (size_t)(end - p)) < 0)
            return LIB_E_NOMEM;
        if (!*key) {
            free(key);
        } else if (*n == GROUP_MAX) {
            free(key);
            snprintf(why, whylen, "a group has more than %d members", GROUP_MAX);
            return LIB_E_INVALID;
        } else {
            members[(*n)++] = key;
        }
        p = *end ? end + 1 : NULL;
    }
    return 0;
}

/* One line's group into map. 0, or LIB_E_INVALID with the reason in why, or
 * LIB_E_NOMEM. */
static int parse_line(json_t *map, char *line, char *why, size_t whylen)
{
    char *members[GROUP_MAX];
    size_t n = 0;
    int rc = split_members(line, members, &n, why, whylen);
    if (rc == 0 && n == 1) {
        snprintf(why, whylen, "a group needs two or more members (a = b, c)");
        rc = LIB_E_INVALID;
    } else if (rc == 0 && n > 1) {
        rc = add_group(map, members, n);
    }
    for (size_t i = 0; i < n; i++)
        free(members[i]);
    return rc;
}

int synonyms_read_file(json_t **out, const char *path, lib_error *err)
{
    FILE *f = fopen(path, "r");
    *out = NULL;
    if (!f)
        return lib_error_set(err, LIB_E_IO, "%s: %s", path, strerror(errno));
    json_t *map = json_object();
    char *line = NULL;
    size_t cap = 0;
    unsigned long lineno = 0;
    int rc = map ? 0 : lib_error_nomem(err);
    while (rc == 0 && getline(&line, &cap, f) >= 0) {
        lineno++;
        char why[128] = "out of memory";
        if (!text_is_utf8(line, strlen(line))) {
            snprintf(why, sizeof why, "not UTF-8 text");
            rc = LIB_E_INVALID;
        } else {
            rc = parse_line(map, line, why, sizeof why);
        }
        if (rc < 0)
            lib_error_set(err, rc, "%s:%lu: %s", path, lineno, why);
    }
    if (rc == 0 && ferror(f))   /* getline's errno: a folder, say */
        rc = lib_error_set(err, LIB_E_IO, "%s:%lu: %s", path, lineno + 1, strerror(errno));
    free(line);
    fclose(f);
    if (rc < 0)
        json_decref(map);
    else
        *out = map;
    return rc;
}
