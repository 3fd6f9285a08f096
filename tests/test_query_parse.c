/* test_query_parse.c: lib/query_parse.c — the search box's syntax. */
#include "check.h"
#include "query_parse.h"

#include <string.h>

static int text_is(const struct clause *c, const char *s)
{
    return c->len == strlen(s) && strncmp(c->text, s, c->len) == 0;
}

static void test_words_are_clauses(struct check *c)
{
    struct parsed_query pq;
    query_parse("  segregation  malmö ", &pq);
    CHECK(c, pq.n == 2);
    CHECK(c, text_is(&pq.c[0], "segregation") && text_is(&pq.c[1], "malmö"));
    CHECK(c, !pq.c[0].phrase && !pq.c[0].negated && pq.c[0].field == QF_NONE);
}

static void test_ascii_and_typographic_quotes_make_phrases(struct check *c)
{
    const char *qs[] = {"\"mot segregation\"", "\xe2\x80\x9dmot segregation\xe2\x80\x9d",
                        "\xe2\x80\x9cmot segregation\xe2\x80\x9d",
                        "\xe2\x80\x9emot segregation\xe2\x80\x9c", "\xc2\xabmot segregation\xc2\xbb"};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        struct parsed_query pq;
        query_parse(qs[i], &pq);
        CHECK(c, pq.n == 1 && pq.c[0].phrase && text_is(&pq.c[0], "mot segregation"));
    }
}

static void test_unclosed_quote_runs_to_the_end(struct check *c)
{
    struct parsed_query pq;
    query_parse("\"mot segregation", &pq);
    CHECK(c, pq.n == 1 && pq.c[0].phrase && text_is(&pq.c[0], "mot segregation"));
}

static void test_exclusion_and_not(struct check *c)
{
    struct parsed_query pq;
    query_parse("seminarium -stockholm NOT malmö", &pq);
    CHECK(c, pq.n == 3);
    CHECK(c, !pq.c[0].negated && pq.c[1].negated && pq.c[2].negated);
    CHECK(c, text_is(&pq.c[1], "stockholm") && text_is(&pq.c[2], "malmö"));
}

static void test_or_splits_and_and_is_the_default(struct check *c)
{
    struct parsed_query pq;
    query_parse("luleå OR umeå AND kiruna malmö", &pq);
    CHECK(c, pq.n == 4);
    CHECK(c, !pq.c[0].or_prev && pq.c[1].or_prev && !pq.c[2].or_prev && !pq.c[3].or_prev);
    query_parse("OR luleå -umeå OR kiruna", &pq);   /* nothing before the first OR */
    CHECK(c, pq.n == 3 && !pq.c[0].or_prev && !pq.c[1].or_prev && pq.c[2].or_prev);
    query_parse("or and", &pq);   /* lower case: ordinary words */
    CHECK(c, pq.n == 2);
}

static void test_fields_in_english_and_swedish(struct check *c)
{
    struct parsed_query pq;
    query_parse("title:konferens typ:seminarium plats:Umeå år:2019 -type:lista x:y", &pq);
    CHECK(c, pq.n == 6);
    CHECK(c, pq.c[0].field == QF_TITLE && text_is(&pq.c[0], "konferens"));
    CHECK(c, pq.c[1].field == QF_TYPE && pq.c[2].field == QF_PLACE && pq.c[3].field == QF_YEAR);
    CHECK(c, pq.c[4].field == QF_TYPE && pq.c[4].negated);
    CHECK(c, pq.c[5].field == QF_NONE && text_is(&pq.c[5], "x:y"));
}

static void test_operators_alone_and_parentheses_are_harmless(struct check *c)
{
    struct parsed_query pq;
    query_parse("((( AND OR NOT - \"\" )))", &pq);
    CHECK(c, pq.n == 1 && text_is(&pq.c[0], "-"));
}

static void test_clause_count_is_bounded(struct check *c)
{
    char q[4096] = "";
    for (int i = 0; i < 500; i++)
        strcat(q, "a ");
    struct parsed_query pq;
    query_parse(q, &pq);
    CHECK(c, pq.n == QUERY_MAX_CLAUSES);
}

int main(void)
{
    struct check c = {0};
    RUN(&c, test_words_are_clauses);
    RUN(&c, test_ascii_and_typographic_quotes_make_phrases);
    RUN(&c, test_unclosed_quote_runs_to_the_end);
    RUN(&c, test_exclusion_and_not);
    RUN(&c, test_or_splits_and_and_is_the_default);
    RUN(&c, test_fields_in_english_and_swedish);
    RUN(&c, test_operators_alone_and_parentheses_are_harmless);
    RUN(&c, test_clause_count_is_bounded);
    return check_report(&c, "test_query_parse");
}
