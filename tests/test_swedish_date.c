/* test_swedish_date.c: lib/swedish_date.c — seminar days from Swedish text
 * and Swedish alphabetical order. */
#include "check.h"
#include "swedish_date.h"

static void expect(struct check *c, const char *text, const char *ref, const char *want)
{
    char out[11] = "";
    int rc = swedish_date_parse(out, text, ref);
    if (!want) {
        CHECK(c, rc < 0);
        return;
    }
    CHECK(c, rc == 0);
    CHECK_STR(c, out, want);
}

static void test_day_month_year(struct check *c)
{
    expect(c, "27 mars 2019", NULL, "2019-03-27");
    expect(c, "tisdag 12 november 2019, 09.00–16.30", NULL, "2019-11-12");
    expect(c, "onsdag 18 nov 2020 kl. 14.00", NULL, "2020-11-18");
    expect(c, "Datum: 2021-05-18", NULL, "2021-05-18");
}

static void test_missing_year_comes_from_the_page(struct check *c)
{
    expect(c, "23 januari 13:00-16:30", "2018-12-10", "2019-01-23");
    expect(c, "5 maj kl. 10.00", "2020-04-06", "2020-05-05");
    expect(c, "8 december 17.30–20.00", "2019-11-01", "2019-12-08");
    expect(c, "23 januari", NULL, NULL);   /* no year, no page date */
}

static void test_no_day_in_text(struct check *c)
{
    expect(c, "Hösten 2019", "2019-01-01", NULL);
    expect(c, "31 februari 2019", NULL, NULL);
    expect(c, "", NULL, NULL);
}

static void test_swedish_order_puts_aao_after_z(struct check *c)
{
    CHECK(c, swedish_collate("Zürich", "Åre") < 0);
    CHECK(c, swedish_collate("Åre", "Ängelholm") < 0);
    CHECK(c, swedish_collate("Ängelholm", "Örebro") < 0);
    CHECK(c, swedish_collate("Västerås", "Växjö") < 0);
    CHECK(c, swedish_collate("malmö", "Malmö") != 0);
    CHECK(c, swedish_collate("Borås", "Borlänge") > 0);
    CHECK(c, swedish_collate("Umeå", "Umeå") == 0);
}

int main(void)
{
    struct check c = {0};
    RUN(&c, test_day_month_year);
    RUN(&c, test_missing_year_comes_from_the_page);
    RUN(&c, test_no_day_in_text);
    RUN(&c, test_swedish_order_puts_aao_after_z);
    return check_report(&c, "test_swedish_date");
}
