/* test_query_norm.c: lib/query_norm.c — a query as the search statistics
 * keep it: folded, white space collapsed, long numbers masked, bounded. */
#include "check.h"
#include "query_norm.h"

#include <stdlib.h>
#include <string.h>

static void expect(struct check *c, const char *q, const char *want)
{
    char *got = NULL;
    CHECK(c, query_norm(&got, q, strlen(q)) == 0);
    CHECK_STR(c, got, want);
    free(got);
}

static void test_case_and_white_space_make_one_query(struct check *c)
{
    expect(c, "  Malmö\t STAD ", "malmö stad");
    expect(c, "SEGREGATION", "segregation");
    expect(c, "Ärende\xc2\xa0\xc2\xa0ÖVERSIKT", "ärende översikt");
    expect(c, "Go\xcc\x88teborg", "göteborg");   /* decomposed ö: composed */
    expect(c, "   ", "");
    expect(c, "", "");
}

static void test_a_personal_identity_number_is_masked(struct check *c)
{
    expect(c, "personnummer 8001011234", "personnummer ##########");
    expect(c, "800101-1234", "######-####");
    expect(c, "19800101-1234 bidrag", "########-#### bidrag");
    expect(c, "800101+1234", "######+####");
    expect(c, "800101 1234", "###### ####");
    expect(c, "org.nr 556677-8899", "org.nr ######-####");
    expect(c, "ring 0701234567", "ring ##########");
    expect(c, "ärende123456x", "ärende######x");
}

static void test_short_numbers_are_kept(struct check *c)
{
    expect(c, "årsrapport 2019", "årsrapport 2019");
    expect(c, "2019 2020", "2019 2020");
    expect(c, "12345", "12345");
    expect(c, "sfs 2018:585", "sfs 2018:585");
    expect(c, "12-34-56", "12-34-56");   /* six digits, but no run of six */
    /* two separators apart: another number */
    expect(c, "123456 - 12", "###### - 12");
}

static void test_digits_of_other_scripts_are_masked(struct check *c)
{
    /* fullwidth and Arabic-Indic digits */
    expect(c, "\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95\xef\xbc\x96",
           "######");
    expect(c, "\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7", "#######");
}

static void test_bad_bytes_and_controls_are_cleaned(struct check *c)
{
    char *got = NULL;
    const char in[] = "a\0b\x01 c\xff";
    CHECK(c, query_norm(&got, in, sizeof in - 1) == 0);
    CHECK_STR(c, got, "ab c\xef\xbf\xbd");
    free(got);
}

/* A long query is cut on a character boundary, after masking: the cut
 * never leaves the tail of a long number. */
static void test_a_long_query_is_cut_after_masking(struct check *c)
{
    char in[400], *got = NULL;
    memset(in, 0, sizeof in);
    for (size_t i = 0; i < 99; i++)
        memcpy(in + 2 * i, "ö", 2);   /* 198 bytes */
    strcat(in, "x12345678901234");
    CHECK(c, query_norm(&got, in, strlen(in)) == 0);
    CHECK(c, got && strlen(got) == QUERY_NORM_MAX);
    CHECK(c, got && strcmp(got + 198, "x#") == 0);
    free(got);
    memset(in, 0, sizeof in);
    memset(in, 'a', 199);
    strcat(in, "ö");   /* would end at byte 201: cut before it */
    CHECK(c, query_norm(&got, in, strlen(in)) == 0);
    CHECK(c, got && strlen(got) == 199);
    free(got);
    memset(in, 0, sizeof in);
    memset(in, 'a', 199);
    strcat(in, " b");   /* cut after the space: the space goes too */
    CHECK(c, query_norm(&got, in, strlen(in)) == 0);
    CHECK(c, got && strlen(got) == 199);
    free(got);
}

/* What comes out goes in unchanged: the statistics count it as itself. */
static void test_normalising_twice_changes_nothing(struct check *c)
{
    const char *qs[] = {"  Malmö\t STAD ", "800101-1234", "x ärende 12-34-56 OCH 1234567"};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        char *once = NULL, *twice = NULL;
        CHECK(c, query_norm(&once, qs[i], strlen(qs[i])) == 0);
        CHECK(c, once && query_norm(&twice, once, strlen(once)) == 0);
        CHECK_STR(c, twice, once);
        free(once);
        free(twice);
    }
}

int main(void)
{
    struct check c = {0};
    RUN(&c, test_case_and_white_space_make_one_query);
    RUN(&c, test_a_personal_identity_number_is_masked);
    RUN(&c, test_short_numbers_are_kept);
    RUN(&c, test_digits_of_other_scripts_are_masked);
    RUN(&c, test_bad_bytes_and_controls_are_cleaned);
    RUN(&c, test_a_long_query_is_cut_after_masking);
    RUN(&c, test_normalising_twice_changes_nothing);
    return check_report(&c, "test_query_norm");
}
