/* test_synonyms.c: lib/synonyms.c — the editors' synonyms file read into
 * the JSON map the indexer stores, and every bad line named with its file
 * and line number. Real files in a temporary folder. */
#include "check.h"
#include "support.h"
#include "synonyms.h"

#include <stdlib.h>
#include <string.h>

struct fixture {
    char dir[256];
    char path[512];   /* the file each test writes and reads */
};

/* Writes text to the fixture's file and reads it; 0 or a LIB_E_ code with err. */
static int read_text(struct check *c, const char *text, json_t **map, lib_error *err)
{
    const struct fixture *fx = c->ctx;
    FILE *f = fopen(fx->path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    fclose(f);
    return synonyms_read_file(map, fx->path, err);
}

/* The synonyms of key as one string, "a|b|c", malloc'd ("" for none). */
static char *members(json_t *map, const char *key)
{
    char out[1024] = "";
    size_t i, n = 0;
    json_t *v;
    json_array_foreach(json_object_get(map, key), i, v)
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", i ? "|" : "",
                              json_string_value(v));
    return strdup(out);
}

/* The map of text, which must be read without an error. */
static json_t *read_ok(struct check *c, const char *text)
{
    json_t *map = NULL;
    lib_error err = {0, ""};
    CHECK(c, read_text(c, text, &map, &err) == 0);
    if (err.message[0])
        fprintf(stderr, "  %s\n", err.message);
    return map;
}

static void check_members(struct check *c, json_t *map, const char *key, const char *want)
{
    char *got = members(map, key);
    CHECK_STR(c, got, want);
    free(got);
}

static void test_key_is_lower_case_words_joined_by_one_space(struct check *c)
{
    const char *text = "  SCB:s \t Statistik–Årsbok ";
    char *key = NULL;
    CHECK(c, synonyms_key(&key, text, strlen(text)) == 0);
    CHECK_STR(c, key, "scb s statistik årsbok");
    free(key);
    CHECK(c, synonyms_key(&key, "-- !", 4) == 0);
    CHECK_STR(c, key, "");
    free(key);
}

static void test_every_member_of_a_group_stands_for_every_other(struct check *c)
{
    json_t *map = read_ok(c, "DMS = Delegationen mot segregation, Delmos\n");
    CHECK(c, json_object_size(map) == 3);
    check_members(c, map, "dms", "delegationen mot segregation|delmos");
    check_members(c, map, "delegationen mot segregation", "dms|delmos");
    check_members(c, map, "delmos", "dms|delegationen mot segregation");
    json_decref(map);
}

static void test_comments_and_blank_lines_are_ignored(struct check *c)
{
    json_t *map = read_ok(c, "# Myndigheter\n\n   \nSCB, Statistiska centralbyrån  # SCB\n");
    CHECK(c, json_object_size(map) == 2);
    check_members(c, map, "scb", "statistiska centralbyrån");
    json_decref(map);
}

static void test_a_member_of_two_groups_gets_both_once(struct check *c)
{
    json_t *map = read_ok(c, "bostad = boende\nbostad = boende, lägenhet\nBOSTAD = Bostad\n");
    check_members(c, map, "bostad", "boende|lägenhet");
    check_members(c, map, "lägenhet", "bostad|boende");
    json_decref(map);
}

static void test_an_empty_file_gives_an_empty_map(struct check *c)
{
    json_t *map = read_ok(c, "");
    CHECK(c, json_is_object(map) && json_object_size(map) == 0);
    json_decref(map);
}

/* Reading text fails, with "FILE:LINE: reason" (want: "LINE: reason") in
 * the error and no map. */
static void check_refused(struct check *c, const char *text, const char *want)
{
    const struct fixture *fx = c->ctx;
    json_t *map = NULL;
    lib_error err = {0, ""};
    char full[600];
    CHECK(c, read_text(c, text, &map, &err) == LIB_E_INVALID);
    CHECK(c, map == NULL);
    json_decref(map);
    snprintf(full, sizeof full, "%s:%s", fx->path, want);
    CHECK_CONTAINS(c, err.message, full);
}

static void test_a_group_of_one_is_an_error_naming_file_and_line(struct check *c)
{
    check_refused(c, "a = b\n# ok\nensam =\n", "3: a group needs two or more members");
}

static void test_text_that_is_not_utf8_is_an_error_naming_the_line(struct check *c)
{
    check_refused(c, "a = b\nV\xe4xj\xf6 = Vaxjo\n", "2: not UTF-8 text");
}

static void test_a_missing_file_is_an_error_naming_it(struct check *c)
{
    json_t *map = NULL;
    lib_error err = {0, ""};
    CHECK(c, synonyms_read_file(&map, "/finns/inte/synonymer.txt", &err) == LIB_E_IO);
    CHECK(c, map == NULL);
    CHECK_CONTAINS(c, err.message, "/finns/inte/synonymer.txt: No such file or directory");
}

/* A group larger than the reader takes is refused, not cut short. */
static void test_a_group_too_large_is_an_error_not_cut_short(struct check *c)
{
    char line[2048];
    size_t n = 0;
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(line + n, sizeof line - n, "%sord%02d", i ? ", " : "", i);
    snprintf(line + n, sizeof line - n, "\n");
    check_refused(c, line, "1: a group has more than 32 members");
}

/* A folder opens as a file on Linux; reading it fails, and says so. */
static void test_a_folder_is_an_error_not_an_empty_map(struct check *c)
{
    const struct fixture *fx = c->ctx;
    json_t *map = NULL;
    lib_error err = {0, ""};
    CHECK(c, synonyms_read_file(&map, fx->dir, &err) == LIB_E_IO);
    CHECK(c, map == NULL);
    CHECK_CONTAINS(c, err.message, fx->dir);
    json_decref(map);
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    if (tmpdir_make(f.dir, sizeof f.dir) < 0)
        return 1;
    snprintf(f.path, sizeof f.path, "%s/synonyms.txt", f.dir);
    c.ctx = &f;
    RUN(&c, test_key_is_lower_case_words_joined_by_one_space);
    RUN(&c, test_every_member_of_a_group_stands_for_every_other);
    RUN(&c, test_comments_and_blank_lines_are_ignored);
    RUN(&c, test_a_member_of_two_groups_gets_both_once);
    RUN(&c, test_an_empty_file_gives_an_empty_map);
    RUN(&c, test_a_group_of_one_is_an_error_naming_file_and_line);
    RUN(&c, test_text_that_is_not_utf8_is_an_error_naming_the_line);
    RUN(&c, test_a_missing_file_is_an_error_naming_it);
    RUN(&c, test_a_group_too_large_is_an_error_not_cut_short);
    RUN(&c, test_a_folder_is_an_error_not_an_empty_map);
    tmpdir_remove(f.dir);
    return check_report(&c, "test_synonyms");
}
