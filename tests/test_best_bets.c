/* test_best_bets.c: lib/best_bets.c: the editors' file parsed, each bad
 * line named with the reason, and queries matched as the search analyses
 * them (inflection, case, å/ä/ö, stopwords), campaigns by their days,
 * hidden documents over pinned ones. */
#include "best_bets.h"
#include "check.h"
#include "full_analyzer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct analyzer *an;

static const char file[] =
    "# bästa träffar\n"
    "lediga jobb = jobb/lediga.html, om-oss/karriar.html  # två\n"
    "\n"
    "Sommarlov = artikel/sommarlov.html from 2026-06-01 to 2026-08-31\n"
    "Malmö = artikel/malmo.html\n"
    "segregation -= lista/arkiv.html\n"
    "segregation = artikel/siffror.html, lista/arkiv.html\n"
    "skola = artikel/skola.html to 2025-12-31\n";

static json_t *parse(const char *text, char *why)
{
    json_t *j = NULL;
    lib_error err = {0};
    if (best_bets_parse(&j, text, strlen(text), "best-bets.txt", &err) < 0)
        snprintf(why, 256, "%s", err.message);
    return j;
}

static void test_the_file_becomes_rules(struct check *c)
{
    char why[256] = "";
    json_t *j = parse(file, why);
    CHECK(c, json_array_size(j) == 6);
    json_t *r = json_array_get(j, 0);
    CHECK_STR(c, json_string_value(json_object_get(r, "query")), "lediga jobb");
    CHECK(c, json_array_size(json_object_get(r, "pin")) == 2);
    CHECK_STR(c, json_string_value(json_array_get(json_object_get(r, "pin"), 1)),
              "om-oss/karriar.html");
    r = json_array_get(j, 1);
    CHECK_STR(c, json_string_value(json_object_get(r, "from")), "2026-06-01");
    CHECK_STR(c, json_string_value(json_object_get(r, "to")), "2026-08-31");
    CHECK_STR(c, json_string_value(json_array_get(json_object_get(r, "pin"), 0)),
              "artikel/sommarlov.html");
    r = json_array_get(j, 3);
    CHECK(c, json_object_get(r, "hide") && !json_object_get(r, "pin"));
    json_decref(j);
}

static void test_bad_lines_are_named_with_the_reason(struct check *c)
{
    const struct {
        const char *text, *why;
    } bad[] = {
        {"ok = a.html\nbara en rad utan likhetstecken\n", "best-bets.txt:2: a rule is QUERY"},
        {" = a.html\n", "best-bets.txt:1: no query before the ="},
        {"fråga = \n", "best-bets.txt:1: no document id"},
        {"fråga = a.html from 2026-13-01\n", "a date is YYYY-MM-DD: 2026-13-01"},
        {"fråga = a.html from 2026-06-01 to 2026-05-01\n", "ends (2026-05-01) before it starts"},
        {"fr\xe5ga = a.html\n", "best-bets.txt:1: not UTF-8 text"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char why[256] = "";
        json_t *j = parse(bad[i].text, why);
        CHECK(c, j == NULL);
        CHECK_CONTAINS(c, why, bad[i].why);
        json_decref(j);
    }
}

static void test_queries_meet_rules_as_the_search_reads_them(struct check *c)
{
    char why[256] = "";
    json_t *j = parse(file, why);
    struct best_bets *b = NULL;
    CHECK(c, best_bets_load(&b, j, an) == 0);
    struct best_bets_match m;
    const char *qs[] = {"lediga jobb", "Lediga  jobben", "LEDIGA JOBB"};
    for (size_t i = 0; i < 3; i++) {
        char *key = NULL;
        CHECK(c, best_bets_key(&key, an, qs[i], strlen(qs[i])) == 0);
        CHECK(c, best_bets_match(&m, b, key, "2026-01-15") == 1);
        CHECK(c, m.npin == 2 && strcmp(m.pin[0], "jobb/lediga.html") == 0);
        free(key);
    }
    char *key = NULL;
    CHECK(c, best_bets_key(&key, an, "malmo", 5) == 0);   /* without its ö */
    CHECK(c, best_bets_match(&m, b, key, "2026-01-15") == 1 && m.npin == 1);
    free(key);
    CHECK(c, best_bets_key(&key, an, "jobb", 4) == 0);   /* a part is not the query */
    CHECK(c, best_bets_match(&m, b, key, "2026-01-15") == 0 && m.npin == 0);
    free(key);
    best_bets_free(b);
    json_decref(j);
}

static void test_campaign_days_and_hiding(struct check *c)
{
    char why[256] = "";
    json_t *j = parse(file, why);
    struct best_bets *b = NULL;
    CHECK(c, best_bets_load(&b, j, an) == 0);
    struct best_bets_match m;
    char *key = NULL;
    CHECK(c, best_bets_key(&key, an, "sommarlovet", 11) == 0);
    CHECK(c, best_bets_match(&m, b, key, "2026-05-31") == 0);
    CHECK(c, best_bets_match(&m, b, key, "2026-06-01") == 1 && m.npin == 1);
    CHECK(c, best_bets_match(&m, b, key, "2026-08-31") == 1 && m.npin == 1);
    CHECK(c, best_bets_match(&m, b, key, "2026-09-01") == 0);
    free(key);
    CHECK(c, best_bets_key(&key, an, "skolor", 6) == 0);
    CHECK(c, best_bets_match(&m, b, key, "2025-12-31") == 1);
    CHECK(c, best_bets_match(&m, b, key, "2026-01-01") == 0);
    free(key);
    /* pinned by one rule, hidden by another: hidden */
    CHECK(c, best_bets_key(&key, an, "segregationen", 13) == 0);
    CHECK(c, best_bets_match(&m, b, key, "2026-01-01") == 1);
    CHECK(c, m.npin == 1 && strcmp(m.pin[0], "artikel/siffror.html") == 0);
    CHECK(c, m.nhide == 1 && strcmp(m.hide[0], "lista/arkiv.html") == 0);
    free(key);
    best_bets_free(b);
    best_bets_free(NULL);
    json_decref(j);
}

static void test_stopwords_and_no_rules(struct check *c)
{
    char *a = NULL, *b = NULL;
    CHECK(c, best_bets_key(&a, an, "jobb i Malmö", 13) == 0);
    CHECK(c, best_bets_key(&b, an, "jobb malmo", 10) == 0);
    CHECK_STR(c, a, b);   /* "i" does not count, nor the ö */
    free(a);
    free(b);
    struct best_bets *none = NULL;
    struct best_bets_match m;
    CHECK(c, best_bets_load(&none, NULL, an) == 0);
    CHECK(c, best_bets_match(&m, none, "jobb", "2026-01-01") == 0 && m.npin == 0);
    best_bets_free(none);
}

/* The example file make run uses parses, and names pages of corpus/. */
static void test_the_example_file_parses_and_names_real_pages(struct check *c)
{
    json_t *j = NULL;
    lib_error err = {0};
    CHECK(c, best_bets_read_file(&j, "config/best-bets.txt", &err) == 0);
    CHECK(c, json_array_size(j) > 0);
    size_t i, k;
    json_t *rule, *id;
    json_array_foreach(j, i, rule) {
        json_array_foreach(json_object_get(rule, "pin"), k, id) {
            char path[600];
            snprintf(path, sizeof path, "corpus/%s", json_string_value(id));
            FILE *f = fopen(path, "r");
            CHECK(c, f != NULL);
            if (f)
                fclose(f);
        }
    }
    json_decref(j);
    CHECK(c, best_bets_read_file(&j, "/finns/inte.txt", &err) == LIB_E_IO);
    CHECK_CONTAINS(c, err.message, "/finns/inte.txt");
}

int main(void)
{
    struct check c = {0};
    struct lexicon *lex = NULL;
    if (full_analyzer_new(&an, &lex) < 0)
        return 1;
    RUN(&c, test_the_file_becomes_rules);
    RUN(&c, test_bad_lines_are_named_with_the_reason);
    RUN(&c, test_queries_meet_rules_as_the_search_reads_them);
    RUN(&c, test_campaign_days_and_hiding);
    RUN(&c, test_stopwords_and_no_rules);
    RUN(&c, test_the_example_file_parses_and_names_real_pages);
    full_analyzer_free(an, lex);
    return check_report(&c, "test_best_bets");
}
