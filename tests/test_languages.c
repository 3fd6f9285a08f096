/* test_languages.c: documents in other languages than Swedish, on a real
 * index: each analysed with its own language's Snowball and found by its
 * inflections, a query matched in every language the index holds with
 * Swedish pages first for a Swedish word, the language as a hit's field, a
 * facet and a filter, and snippets that mark the other language's forms. */
#include "analysis.h"
#include "analysis_lang.h"
#include "check.h"
#include "facets.h"
#include "full_analyzer.h"
#include "index_write.h"
#include "schema.h"
#include "search.h"
#include "support.h"
#include "tier.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
    char dir[256];
    char path[512];
    struct analyzer *an;
    xc_db *db;
    struct facet_table facets;
    struct schema_langs langs;
};

static const struct doc docs[] = {
    {.id = "sv/rapport", .title = "Rapport om bostäder",
     .body = "Delegationens rapport om bostadsmarknaden. Rapporten visar trångboddhet."},
    {.id = "sv/skola", .lang = "sv", .title = "Skolans resultat", .body = "Skolor i Malmö."},
    {.id = "en/report", .lang = "en", .title = "Reports on housing",
     .body = "The agency is reporting on housing. Our reports show crowded homes. We have a "
             "good rapport, a real rapport, with the municipalities' rapport groups."},
    {.id = "en/agencies", .lang = "en", .title = "Agencies working together",
     .body = "Several agencies cooperate on schools."},
    {.id = "fi/talo", .lang = "fi", .title = "Asuminen",
     .body = "Taloissa asuu perheitä. Kunnassa on paljon taloja."},
    {.id = "se/giella", .lang = "se", .title = "Sámegiella", .body = "Dát lea sámegiel teaksta."},
};
#define NDOCS (sizeof docs / sizeof docs[0])

static int build(struct fixture *fx)
{
    xc_wdb *w = NULL;
    xc_error xe = {0};
    snprintf(fx->path, sizeof fx->path, "%s/index", fx->dir);
    if (xc_wdb_open(&w, fx->path, XC_WDB_CREATE_OR_OVERWRITE, &xe) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < NDOCS; i++) {
        enum iw_result r;
        rc = iw_put(&r, w, fx->an, &docs[i], &xe);
    }
    if (rc == 0)
        rc = xc_wdb_commit(w, &xe);
    xc_wdb_free(w);
    if (rc != 0)
        fprintf(stderr, "  build: %s\n", xe.message);
    if (rc == 0)
        rc = xc_db_open(&fx->db, fx->path, NULL) < 0 || facets_load(&fx->facets, fx->db) < 0 ||
                     schema_langs_of(&fx->langs, fx->db, NULL) < 0
                 ? -1
                 : 0;
    return rc;
}

/* Runs q (filtered by lang unless NULL) into r; the test fails when the
 * search does. */
static int run(struct check *c, struct search_result *r, const char *q, const char *lang)
{
    struct fixture *fx = c->ctx;
    struct search_ctx ctx = {fx->an, fx->db, NULL, &fx->facets, 1, 0, NULL, &fx->langs, NULL,
                             tier_index_tiered(fx->db), 0, 0, 0, NULL, 0, 0, NULL};
    struct search_request req = {.q = q, .page = 1, .size = 10, .lang = lang};
    lib_error err = {0};
    int rc = search_run(r, &ctx, &req, &err);
    CHECK(c, rc == 0);
    if (rc)
        fprintf(stderr, "  search_run: %s\n", err.message);
    return rc;
}

static const char *hit_field(const struct search_result *r, size_t i, const char *field)
{
    return json_string_value(json_object_get(json_array_get(r->hits, i), field));
}

static unsigned term_freq(struct fixture *fx, const char *term)
{
    unsigned n = 0;
    xc_db_term_freq(fx->db, term, &n, NULL);
    return n;
}

static void test_the_index_lists_its_other_languages_most_used_first(struct check *c)
{
    struct fixture *fx = c->ctx;
    CHECK(c, fx->langs.n == 3);
    CHECK_STR(c, fx->langs.lang[0], "en");
    CHECK(c, fx->langs.n == 3 && ((strcmp(fx->langs.lang[1], "fi") == 0 &&
                                   strcmp(fx->langs.lang[2], "se") == 0) ||
                                  (strcmp(fx->langs.lang[1], "se") == 0 &&
                                   strcmp(fx->langs.lang[2], "fi") == 0)));
}

static void test_a_document_in_english_has_english_stems_only(struct check *c)
{
    struct fixture *fx = c->ctx;
    CHECK(c, term_freq(fx, "XLen") == 2);
    CHECK(c, term_freq(fx, "XLsv") == 2);   /* one said sv, one said nothing */
    CHECK(c, term_freq(fx, "XZen:hous") == 1);
    CHECK(c, term_freq(fx, "XZen:Sreport") == 1);   /* the title's */
    CHECK(c, term_freq(fx, "housing") == 1);         /* positional, as written */
    struct an_word a;
    CHECK(c, an_analyze(&a, fx->an, "housing", 7) == 0);
    char z[64];
    snprintf(z, sizeof z, "Z%s", a.stem);
    CHECK(c, term_freq(fx, z) == 0);   /* no Swedish key for an English word */
    an_trim(fx->an);
    CHECK(c, term_freq(fx, "XZsv:rapport") == 0);
    CHECK(c, term_freq(fx, "Zrapport") == 1);
}

static void test_english_inflections_find_the_english_document(struct check *c)
{
    struct search_result r;
    if (run(c, &r, "reported", NULL) == 0) {
        CHECK(c, r.total == 1);
        CHECK_STR(c, hit_field(&r, 0, "id"), "en/report");
        CHECK_STR(c, hit_field(&r, 0, "lang"), "en");
        CHECK_CONTAINS(c, hit_field(&r, 0, "snippet"), "<mark>reporting</mark>");
        CHECK_CONTAINS(c, hit_field(&r, 0, "snippet"), "<mark>reports</mark>");
        CHECK(c, r.suggestion == NULL);
        search_result_dispose(&r);
    }
    if (run(c, &r, "agency", NULL) == 0) {   /* agencies, and the singular in a body */
        CHECK(c, r.total == 2);
        CHECK(c, r.suggestion == NULL);
        search_result_dispose(&r);
    }
}

static void test_a_swedish_word_finds_swedish_pages_first(struct check *c)
{
    /* "rapport" is Swedish and English: the English page says it three
     * times in a short text, yet the Swedish page comes first. */
    struct search_result r;
    if (run(c, &r, "rapporter", NULL) == 0) {
        CHECK(c, r.total == 2);
        CHECK_STR(c, hit_field(&r, 0, "id"), "sv/rapport");
        CHECK_STR(c, hit_field(&r, 0, "lang"), "sv");
        CHECK_STR(c, hit_field(&r, 1, "id"), "en/report");
        CHECK_CONTAINS(c, hit_field(&r, 0, "snippet"), "<mark>Rapporten</mark>");
        search_result_dispose(&r);
    }
}

static void test_finnish_and_a_language_without_stemmer(struct check *c)
{
    struct search_result r;
    if (run(c, &r, "talossa", NULL) == 0) {   /* taloissa, taloja: talo */
        CHECK(c, r.total == 1);
        CHECK_STR(c, hit_field(&r, 0, "id"), "fi/talo");
        CHECK_STR(c, hit_field(&r, 0, "lang"), "fi");
        CHECK_CONTAINS(c, hit_field(&r, 0, "snippet"), "<mark>Taloissa</mark>");
        search_result_dispose(&r);
    }
    if (run(c, &r, "teaksta", NULL) == 0) {   /* Northern Sami: the word as written */
        CHECK(c, r.total == 1);
        CHECK_STR(c, hit_field(&r, 0, "lang"), "se");
        CHECK_CONTAINS(c, hit_field(&r, 0, "snippet"), "<mark>teaksta</mark>");
        search_result_dispose(&r);
    }
}

static void test_language_is_a_facet_and_a_filter(struct check *c)
{
    struct search_result r;
    if (run(c, &r, "", NULL) == 0) {
        json_t *f = json_object_get(r.facets, "lang");
        CHECK(c, json_integer_value(json_object_get(f, "sv")) == 2);
        CHECK(c, json_integer_value(json_object_get(f, "en")) == 2);
        CHECK(c, json_integer_value(json_object_get(f, "fi")) == 1);
        CHECK(c, json_integer_value(json_object_get(f, "se")) == 1);
        search_result_dispose(&r);
    }
    if (run(c, &r, "", "en") == 0) {
        CHECK(c, r.total == 2);
        for (size_t i = 0; i < json_array_size(r.hits); i++)
            CHECK_STR(c, hit_field(&r, i, "lang"), "en");
        search_result_dispose(&r);
    }
    if (run(c, &r, "rapport", "sv") == 0) {
        CHECK(c, r.total == 1);
        CHECK_STR(c, hit_field(&r, 0, "id"), "sv/rapport");
        search_result_dispose(&r);
    }
}

static void test_title_field_and_exclusion_in_another_language(struct check *c)
{
    struct search_result r;
    if (run(c, &r, "title:reporting", NULL) == 0) {
        CHECK(c, r.total == 1);
        CHECK_STR(c, hit_field(&r, 0, "id"), "en/report");
        search_result_dispose(&r);
    }
    if (run(c, &r, "rapport -reporting", NULL) == 0) {   /* cuts the English page */
        CHECK(c, r.total == 1);
        CHECK_STR(c, hit_field(&r, 0, "id"), "sv/rapport");
        search_result_dispose(&r);
    }
}

static const char swedish_text[] =
    "Delegationen har i uppdrag att följa utvecklingen av segregationen i landet och att "
    "stödja kommuner som arbetar mot den. I rapporten beskriver vi hur bostäder, skolor och "
    "arbete hänger ihop, och vad som har hänt i de områden där vi har varit på besök. Det är "
    "inte alltid lätt att se vad som är orsak och vad som är verkan, men vi kan visa att det "
    "finns skillnader mellan områdena som har blivit större över tid. Kommunerna som vi har "
    "mött vill göra mer, och många av dem har redan börjat.";
static const char english_text[] =
    "The Delegation has been tasked with following the development of segregation in the "
    "country and with supporting the municipalities that work against it. In this report we "
    "describe how housing, schools and work are connected, and what has happened in the areas "
    "we have visited. It is not always easy to tell cause from effect, but we can show that "
    "there are differences between the areas that have grown over time. The municipalities "
    "we have met want to do more, and many of them have already started.";

static void test_text_that_reads_as_swedish_overrules_a_declared_language(struct check *c)
{
    CHECK(c, an_reads_as_swedish(swedish_text, strlen(swedish_text)) == 1);
    CHECK(c, an_reads_as_swedish(english_text, strlen(english_text)) == 0);
    CHECK(c, an_reads_as_swedish("Det är en kort text och inte mer.", 33) == 0);   /* too few words */
    char body[sizeof swedish_text];
    memcpy(body, swedish_text, sizeof body);
    struct doc d = {.body = body, .lang = strdup("en")};
    CHECK(c, an_lang_overrule(&d) == 1);
    CHECK(c, d.lang == NULL);
    CHECK_STR(c, d.lang_declared, "en");
    char body_en[sizeof english_text];
    memcpy(body_en, english_text, sizeof body_en);
    struct doc e = {.body = body_en, .lang = strdup("en")};
    CHECK(c, an_lang_overrule(&e) == 0);
    CHECK_STR(c, e.lang, "en");
    CHECK_STR(c, e.lang_declared, "");
    free(e.lang);
}

static void test_norwegian_written_either_way_is_stemmed_as_norwegian(struct check *c)
{
    struct fixture *fx = c->ctx;
    char nb[AN_W_MAX], no[AN_W_MAX], xx[AN_W_MAX];
    an_stem_lang(fx->an, "nb", "husene", 6, nb);
    an_stem_lang(fx->an, "no", "husene", 6, no);
    an_stem_lang(fx->an, "xx", "husene", 6, xx);   /* no such stemmer: the word itself */
    CHECK_STR(c, nb, no);
    CHECK(c, strcmp(no, "husene") != 0);
    CHECK_STR(c, xx, "husene");
    CHECK(c, an_lang_has_stemmer("nn") == 1 && an_lang_has_stemmer("se") == 0);
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    struct lexicon *lex = NULL;
    if (tmpdir_make(f.dir, sizeof f.dir) < 0)
        return 1;
    if (full_analyzer_new(&f.an, &lex) < 0 || build(&f) < 0) {
        fprintf(stderr, "test_languages: cannot build the test index\n");
        tmpdir_remove(f.dir);
        return 1;
    }
    c.ctx = &f;
    RUN(&c, test_the_index_lists_its_other_languages_most_used_first);
    RUN(&c, test_a_document_in_english_has_english_stems_only);
    RUN(&c, test_english_inflections_find_the_english_document);
    RUN(&c, test_a_swedish_word_finds_swedish_pages_first);
    RUN(&c, test_finnish_and_a_language_without_stemmer);
    RUN(&c, test_language_is_a_facet_and_a_filter);
    RUN(&c, test_title_field_and_exclusion_in_another_language);
    RUN(&c, test_text_that_reads_as_swedish_overrules_a_declared_language);
    RUN(&c, test_norwegian_written_either_way_is_stemmed_as_norwegian);
    facets_dispose(&f.facets);
    xc_db_free(f.db);
    full_analyzer_free(f.an, lex);
    tmpdir_remove(f.dir);
    return check_report(&c, "test_languages");
}
