/* test_seminar.c: lib/seminar.c — the labelled fields of seminar text. */
#include "check.h"
#include "seminar.h"

static void test_paragraph_per_label(struct check *c)
{
    struct doc d = {0};
    const char *t = "Vad? Seminarium om boende\nTid: 27 mars 2019\n"
                    "Plats: City Conference Center, Barnhusgatan 12-14, Stockholm\n"
                    "Arrangör: Nationella rådet\nEn beskrivning.";
    CHECK(c, seminar_fields(&d, t) == 4);
    CHECK_STR(c, d.what, "Seminarium om boende");
    CHECK_STR(c, d.when, "27 mars 2019");
    CHECK_STR(c, d.address, "City Conference Center, Barnhusgatan 12-14, Stockholm");
    CHECK_STR(c, d.place, "Stockholm");
    CHECK_STR(c, d.organizer, "Nationella rådet");
    doc_dispose(&d);
}

static void test_labels_inline_as_on_a_listing_page(struct check *c)
{
    struct doc d = {0};
    const char *t = "Vad? Seminarium Tid: 23 januari 13:00-16:30, med mingel "
                    "Plats: Ljusgården, Drottninggatan 33, Stockholm Arrangör: IQ";
    CHECK(c, seminar_fields(&d, t) == 4);
    CHECK_STR(c, d.what, "Seminarium");
    CHECK_STR(c, d.when, "23 januari 13:00-16:30, med mingel");
    CHECK_STR(c, d.place, "Stockholm");
    CHECK_STR(c, d.organizer, "IQ");
    doc_dispose(&d);
}

static void test_label_alone_takes_next_paragraph(struct check *c)
{
    struct doc d = {0};
    const char *t = "Vad?\nKonferens\nTid:\n5 maj kl. 10.00\nPlats:\nUmeå\nArrangör:\nUmeå kommun";
    CHECK(c, seminar_fields(&d, t) == 4);
    CHECK_STR(c, d.what, "Konferens");
    CHECK_STR(c, d.when, "5 maj kl. 10.00");
    CHECK_STR(c, d.place, "Umeå");
    CHECK_STR(c, d.organizer, "Umeå kommun");
    doc_dispose(&d);
}

static void test_postcode_is_not_part_of_the_town(struct check *c)
{
    struct doc d = {0};
    CHECK(c, seminar_fields(&d, "Vad? Möte\nPlats: Storgatan 1, 903 25 Umeå") == 2);
    CHECK_STR(c, d.place, "Umeå");
    doc_dispose(&d);
}

static void test_one_stray_label_is_no_seminar(struct check *c)
{
    struct doc d = {0};
    CHECK(c, seminar_fields(&d, "Rapporten kom i mars. Tid: ingen angiven.") == 0);
    CHECK(c, d.when == NULL);
    doc_dispose(&d);
}

static void test_listing_of_several_seminars_is_no_seminar(struct check *c)
{
    struct doc d = {0};
    CHECK(c, seminar_fields(&d, "Vad? Möte Tid: 1 maj Plats: Umeå\n"
                                "Vad? Kurs Tid: 2 maj Plats: Luleå") == 0);
    CHECK(c, d.place == NULL);
    doc_dispose(&d);
}

int main(void)
{
    struct check c = {0};
    RUN(&c, test_paragraph_per_label);
    RUN(&c, test_labels_inline_as_on_a_listing_page);
    RUN(&c, test_label_alone_takes_next_paragraph);
    RUN(&c, test_postcode_is_not_part_of_the_town);
    RUN(&c, test_one_stray_label_is_no_seminar);
    RUN(&c, test_listing_of_several_seminars_is_no_seminar);
    return check_report(&c, "test_seminar");
}
