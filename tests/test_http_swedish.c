/* test_http_swedish.c: the Swedish analysis through /api/search, on a small
 * index of JSON documents written so each rule can be seen on its own:
 * lemmas beyond Snowball, compound parts (and no fragments), words without
 * å/ä/ö (exact spelling first), spelling correction, stopwords and phrases
 * with typographic quotes, the query syntax (every word required, any word
 * when that finds nothing), snippets marking what matched,
 * title over body, freshness, and the editors' synonyms picked up by the
 * next indexer run without a restart. Real indexer, real searchd. */
#include "check.h"
#include "support.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char docs[] =
    "{\"id\":\"trosklar\",\"title\":\"Arbetsmarknaden\",\"date\":\"2020-01-01\","
    "\"body\":\"Trösklarna till jobb är höga för unga utan gymnasieexamen.\"}\n"
    "{\"id\":\"seminarier\",\"title\":\"Kalender\",\"date\":\"2020-01-01\","
    "\"body\":\"Flera seminarier om boende hålls under våren.\"}\n"
    "{\"id\":\"hel\",\"title\":\"Om skolan\",\"date\":\"2020-01-01\","
    "\"body\":\"Segregation i skolan är ett problem i många kommuner.\"}\n"
    "{\"id\":\"del\",\"title\":\"Om skolan\",\"date\":\"2020-01-01\","
    "\"body\":\"Skolsegregationen i skolan är ett problem i många kommuner.\"}\n"
    "{\"id\":\"larare\",\"title\":\"Rekrytering\",\"date\":\"2020-01-01\","
    "\"body\":\"Lärarbristen märks i hela landet efter flera års varningar.\"}\n"
    "{\"id\":\"malmo\",\"title\":\"Stadsdelar\",\"date\":\"2020-01-01\","
    "\"body\":\"I Malmö har Rosengård fått en ny mötesplats.\"}\n"
    "{\"id\":\"far\",\"title\":\"Familj\",\"date\":\"2020-01-01\","
    "\"body\":\"En far berättar om vardagen i Kiruna.\"}\n"
    "{\"id\":\"faar\",\"title\":\"Djur\",\"date\":\"2020-01-01\","
    "\"body\":\"Ett får betar på ängen i Kiruna.\"}\n"
    "{\"id\":\"fras\",\"title\":\"Uppdrag\",\"date\":\"2020-01-01\","
    "\"body\":\"Arbetet mot segregation fortsätter i Gävle.\"}\n"
    "{\"id\":\"omvand\",\"title\":\"Uppdrag\",\"date\":\"2020-01-01\","
    "\"body\":\"Segregation mot förmodan minskar i Gävle.\"}\n"
    "{\"id\":\"titel\",\"title\":\"Kartläggning i Visby\",\"date\":\"2020-01-01\","
    "\"body\":\"En rapport om en ö och dess hamn.\"}\n"
    "{\"id\":\"brodtext\",\"title\":\"Rapport om en ö\",\"date\":\"2020-01-01\","
    "\"body\":\"En kartläggning i Visby och dess hamn.\"}\n"
    "{\"id\":\"gammal\",\"title\":\"Bidrag till föreningar\",\"date\":\"2018-05-01\","
    "\"body\":\"Nu kan föreningar i Borås söka bidrag.\"}\n"
    "{\"id\":\"ny\",\"title\":\"Bidrag till föreningar\",\"date\":\"2021-05-01\","
    "\"body\":\"Nu kan föreningar i Borås söka bidrag.\"}\n"
    "{\"id\":\"delmos\",\"title\":\"Myndigheten\",\"date\":\"2020-01-01\","
    "\"body\":\"Delegationen mot segregation har sitt kontor i Stockholm.\"}\n"
    "{\"id\":\"scb\",\"title\":\"Statistik\",\"date\":\"2020-01-01\","
    "\"body\":\"Statistiska centralbyrån publicerar nya siffror om inkomster.\"}\n"
    "{\"id\":\"sjobo\",\"title\":\"Elevråd\",\"date\":\"2020-01-01\","
    "\"body\":\"Eleverna på Sjöbogårdsskolan har valt ett nytt elevråd.\"}\n"
    "{\"id\":\"vandring\",\"title\":\"Trygghetsvandring\",\"date\":\"2020-01-01\","
    "\"body\":\"En gång i månaden går vi en trygghetsvandring i Luleå.\"}\n";

struct fixture {
    char dir[256];
    char db[512];
    char src[512];
    char syn[512];
    struct searchd sd;
};

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static int run_indexer(const struct fixture *f)
{
    char indexer[512];
    prog_path("indexer", indexer, sizeof indexer);
    char *argv[] = {indexer, "--quiet", "--db", (char *)f->db, "--synonyms", (char *)f->syn,
                    (char *)f->src, NULL};
    char *err = NULL;
    int rc = run_prog(argv, NULL, NULL, &err);
    if (rc != 0)
        fprintf(stderr, "indexer: exit %d: %s\n", rc, err ? err : "");
    free(err);
    return rc;
}

static json_t *search(const struct fixture *f, const char *q)
{
    char *enc = url_encode(q), target[1024];
    snprintf(target, sizeof target, "/api/search?q=%s", enc ? enc : "");
    free(enc);
    struct http_reply r;
    if (http_request(f->sd.port, "GET", target, NULL, NULL, 0, &r) < 0)
        return NULL;
    json_t *j = r.status == 200 ? json_loads(r.body, 0, NULL) : NULL;
    http_reply_dispose(&r);
    return j;
}

static const char *hit(json_t *a, size_t i, const char *key)
{
    return json_string_value(json_object_get(json_array_get(json_object_get(a, "hits"), i), key));
}

static long total(json_t *a)
{
    return a ? (long)json_integer_value(json_object_get(a, "total")) : -1;
}

/* The rank (0-based) of id in the hits, or -1. */
static int rank_of(json_t *a, const char *id)
{
    json_t *hits = json_object_get(a, "hits");
    for (size_t i = 0; i < json_array_size(hits); i++)
        if (strcmp(hit(a, i, "id"), id) == 0)
            return (int)i;
    return -1;
}

static void expect_top(struct check *c, const struct fixture *f, const char *q, const char *id)
{
    json_t *a = search(f, q);
    const char *top = hit(a, 0, "id");
    if (!top || strcmp(top, id) != 0)
        fprintf(stderr, "  query \"%s\": top %s, want %s\n", q, top ? top : "(none)", id);
    CHECK(c, top && strcmp(top, id) == 0);
    json_decref(a);
}

static void test_lemma_conflates_what_snowball_misses(struct check *c)
{
    const struct fixture *f = c->ctx;
    expect_top(c, f, "tröskel", "trosklar");
    expect_top(c, f, "seminarium", "seminarier");
    expect_top(c, f, "seminariet", "seminarier");
}

static void test_compound_part_finds_compound_below_whole_word(struct check *c)
{
    const struct fixture *f = c->ctx;
    json_t *a = search(f, "segregation");
    CHECK(c, rank_of(a, "del") >= 0);
    CHECK(c, rank_of(a, "hel") >= 0 && rank_of(a, "hel") < rank_of(a, "del"));
    json_decref(a);
    expect_top(c, f, "brist", "larare");
}

static void test_fragments_and_suffixes_match_no_compound(struct check *c)
{
    const struct fixture *f = c->ctx;
    const char *frags[] = {"ning", "ar", "e", "gation", "tion", "larbrist"};
    for (size_t i = 0; i < sizeof frags / sizeof frags[0]; i++) {
        json_t *a = search(f, frags[i]);
        CHECK(c, rank_of(a, "del") < 0 && rank_of(a, "larare") < 0 && rank_of(a, "titel") < 0);
        json_decref(a);
    }
}

static void test_unaccented_query_finds_accented_words(struct check *c)
{
    const struct fixture *f = c->ctx;
    /* Words the lexicon lists: their unaccented keys lead to them there. */
    expect_top(c, f, "malmo", "malmo");
    expect_top(c, f, "trosklarna", "trosklar");
    /* A compound it lacks: found by the unaccented key in the index. */
    expect_top(c, f, "sjobogardsskolan", "sjobo");
    json_t *a = search(f, "far");
    CHECK(c, rank_of(a, "far") == 0 && rank_of(a, "faar") == 1);
    json_decref(a);
    a = search(f, "får");
    CHECK(c, rank_of(a, "faar") == 0);
    json_decref(a);
}

/* The ids of /api/suggest's titles for q, space-separated, into out. */
static void suggest_titles(const struct fixture *f, const char *q, char *out, size_t len)
{
    char *enc = url_encode(q), target[1024];
    snprintf(target, sizeof target, "/api/suggest?q=%s", enc ? enc : "");
    free(enc);
    struct http_reply r;
    out[0] = '\0';
    if (http_request(f->sd.port, "GET", target, NULL, NULL, 0, &r) < 0)
        return;
    json_t *j = r.status == 200 ? json_loads(r.body, 0, NULL) : NULL;
    json_t *titles = json_object_get(j, "titles");
    for (size_t i = 0; i < json_array_size(titles); i++) {
        const char *id = json_string_value(json_object_get(json_array_get(titles, i), "id"));
        size_t n = strlen(out);
        snprintf(out + n, len - n, "%s%s", n ? " " : "", id ? id : "?");
    }
    json_decref(j);
    http_reply_dispose(&r);
}

/* Suggestions show the pages whose titles hold all the completed words,
 * else any of them; only when no title holds one, the pages the whole
 * query finds. */
static void test_suggested_titles_hold_the_words_first(struct check *c)
{
    const struct fixture *f = c->ctx;
    char ids[512];
    suggest_titles(f, "kartläggn", ids, sizeof ids);
    CHECK_STR(c, ids, "titel");   /* brodtext has the word in its text only */
    suggest_titles(f, "kartläggning hamn", ids, sizeof ids);
    CHECK_STR(c, ids, "titel");   /* no title has both; brodtext's text has */
    suggest_titles(f, "hamn", ids, sizeof ids);
    CHECK(c, strstr(ids, "titel") && strstr(ids, "brodtext"));   /* in no title */
}

static void test_misspelt_query_is_corrected_and_answered(struct check *c)
{
    const struct fixture *f = c->ctx;
    json_t *a = search(f, "segregaton skolan");
    CHECK_STR(c, json_string_value(json_object_get(a, "suggestion")), "segregation skolan");
    CHECK(c, rank_of(a, "hel") >= 0);
    json_decref(a);
    a = search(f, "segregation");
    CHECK(c, json_is_null(json_object_get(a, "suggestion")));
    json_decref(a);
    a = search(f, "skolsegregationen");   /* a known word is never "corrected" */
    CHECK(c, json_is_null(json_object_get(a, "suggestion")));
    json_decref(a);
}

/* The suggestion for q (NULL when none) and whether id is the top hit. */
static void expect_correction(struct check *c, const char *q, const char *want, const char *id)
{
    json_t *a = search(c->ctx, q);
    const char *got = json_string_value(json_object_get(a, "suggestion"));
    if ((got == NULL) != (want == NULL) || (got && strcmp(got, want) != 0))
        fprintf(stderr, "  query \"%s\": suggestion %s, want %s\n", q, got ? got : "null",
                want ? want : "null");
    CHECK(c, want ? got && strcmp(got, want) == 0 : json_is_null(json_object_get(a, "suggestion")));
    CHECK(c, id ? rank_of(a, id) == 0 : total(a) == 0);
    json_decref(a);
}

/* A correction needs letters to spare: none under five letters ("ning" is
 * a suffix, not "gång" misspelt), one edit from five, two from nine. */
static void test_corrections_allow_more_edits_in_longer_words(struct check *c)
{
    expect_correction(c, "ning", NULL, NULL);            /* 2 edits from gång */
    expect_correction(c, "gånh", NULL, NULL);            /* 1 edit, 4 letters */
    expect_correction(c, "månadn", "månaden", "vandring");     /* 1 edit, 6 letters */
    expect_correction(c, "månodn", NULL, NULL);          /* 2 edits, 6 letters */
    expect_correction(c, "trygghetsvandrnig", "trygghetsvandring", "vandring");
    expect_correction(c, "trygetsvandrnig", NULL, NULL);   /* 3 edits: two at most */
}

static void test_stopwords_do_not_change_the_ranking(struct check *c)
{
    const struct fixture *f = c->ctx;
    json_t *a = search(f, "kartläggning visby");
    json_t *b = search(f, "en kartläggning i visby och");
    CHECK(c, total(a) == total(b));
    for (size_t i = 0; i < 2; i++)
        CHECK_STR(c, hit(a, i, "id"), hit(b, i, "id"));
    json_decref(a);
    json_decref(b);
}

static void test_phrases_match_exactly_with_any_quotes(struct check *c)
{
    const struct fixture *f = c->ctx;
    const char *qs[] = {"\"mot segregation\" gävle", "\xe2\x80\x9dmot segregation\xe2\x80\x9d gävle",
                        "\xe2\x80\x9cmot segregation\xe2\x80\x9d gävle",
                        "\xc2\xabmot segregation\xc2\xbb gävle"};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        json_t *a = search(f, qs[i]);
        CHECK(c, rank_of(a, "fras") == 0);
        json_decref(a);
    }
    json_t *a = search(f, "\xe2\x80\x9dsegregation mot f\xc3\xb6rmodan\xe2\x80\x9d");
    CHECK(c, total(a) == 1 && rank_of(a, "omvand") == 0);
    json_decref(a);
}

static void test_title_field_exclusion_and_or(struct check *c)
{
    const struct fixture *f = c->ctx;
    json_t *a = search(f, "title:kartläggning");
    CHECK(c, total(a) == 1 && rank_of(a, "titel") == 0);
    json_decref(a);
    a = search(f, "kiruna -får");
    CHECK(c, total(a) == 1 && rank_of(a, "far") == 0);
    json_decref(a);
    a = search(f, "visby OR rosengård");
    CHECK(c, rank_of(a, "malmo") >= 0 && rank_of(a, "titel") >= 0);
    json_decref(a);
    a = search(f, "kiruna AND ängen");
    CHECK(c, total(a) == 1 && rank_of(a, "faar") == 0);
    json_decref(a);
}

static int any_word(json_t *a)
{
    return json_is_true(json_object_get(a, "any_word"));
}

static void test_every_word_is_required_then_any_word(struct check *c)
{
    const struct fixture *f = c->ctx;
    /* Both Kiruna pages have "i"; only one has "får": every word counts. */
    json_t *a = search(f, "kiruna ängen");
    CHECK(c, total(a) == 1 && rank_of(a, "faar") == 0 && !any_word(a));
    CHECK(c, json_is_true(json_object_get(a, "total_exact")));
    json_decref(a);
    a = search(f, "visby hamn kartläggning");
    CHECK(c, total(a) == 2 && !any_word(a));
    json_decref(a);
    /* No page has both: the pages with either, and the answer says so. */
    a = search(f, "visby rosengård");
    CHECK(c, total(a) == 3 && any_word(a));
    CHECK(c, rank_of(a, "malmo") >= 0 && rank_of(a, "titel") >= 0 && rank_of(a, "brodtext") >= 0);
    json_decref(a);
    /* A word no page holds (and nothing close) does not empty the answer. */
    a = search(f, "rosengård qwxzvbnm");
    CHECK(c, total(a) == 1 && rank_of(a, "malmo") == 0 && any_word(a));
    json_decref(a);
    /* OR splits, AND binds tighter: (kiruna AND ängen) OR visby. */
    a = search(f, "kiruna ängen OR visby");
    CHECK(c, total(a) == 3 && rank_of(a, "faar") >= 0 && rank_of(a, "far") < 0 && !any_word(a));
    json_decref(a);
    a = search(f, "kiruna");
    CHECK(c, total(a) == 2 && !any_word(a));
    json_decref(a);
}

static void test_title_match_outranks_body_match(struct check *c)
{
    expect_top(c, c->ctx, "kartläggning", "titel");
}

static void test_newer_page_wins_among_equals(struct check *c)
{
    expect_top(c, c->ctx, "bidrag föreningar borås", "ny");
}

static void test_snippets_mark_inflected_compound_and_unaccented_words(struct check *c)
{
    const struct fixture *f = c->ctx;
    struct {
        const char *q, *mark;
    } cases[] = {{"tröskel", "<mark>Trösklarna</mark>"},
                 {"brist", "<mark>Lärarbristen</mark>"},
                 {"malmo", "<mark>Malmö</mark>"},
                 {"sjobogardsskolan", "<mark>Sjöbogårdsskolan</mark>"},
                 {"segregation", "<mark>Skolsegregationen</mark>"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *a = search(f, cases[i].q);
        int found = 0;
        for (size_t k = 0; k < json_array_size(json_object_get(a, "hits")); k++)
            found |= hit(a, k, "snippet") && strstr(hit(a, k, "snippet"), cases[i].mark) != NULL;
        if (!found)
            fprintf(stderr, "  query \"%s\": no snippet has %s\n", cases[i].q, cases[i].mark);
        CHECK(c, found);
        json_decref(a);
    }
}

static void test_synonyms_apply_and_follow_the_file(struct check *c)
{
    struct fixture *f = c->ctx;
    expect_top(c, f, "dms", "delmos");
    json_t *a = search(f, "scb");
    CHECK(c, total(a) == 0);
    json_decref(a);
    /* An editor adds a line; the next indexer run carries it to searchd. */
    CHECK(c, write_file(f->syn, "DMS = Delegationen mot segregation\n"
                                "SCB = Statistiska centralbyrån\n") == 0);
    CHECK(c, run_indexer(f) == 0);
    expect_top(c, f, "scb", "scb");
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    if (tmpdir_make(f.dir, sizeof f.dir) < 0)
        return 1;
    snprintf(f.db, sizeof f.db, "%s/index", f.dir);
    snprintf(f.src, sizeof f.src, "%s/docs.jsonl", f.dir);
    snprintf(f.syn, sizeof f.syn, "%s/synonyms.txt", f.dir);
    if (write_file(f.src, docs) < 0 ||
        write_file(f.syn, "# test\nDMS = Delegationen mot segregation\n") < 0 ||
        run_indexer(&f) != 0 || searchd_start(&f.sd, f.db, NULL) < 0) {
        tmpdir_remove(f.dir);
        return 1;
    }
    c.ctx = &f;
    RUN(&c, test_lemma_conflates_what_snowball_misses);
    RUN(&c, test_compound_part_finds_compound_below_whole_word);
    RUN(&c, test_fragments_and_suffixes_match_no_compound);
    RUN(&c, test_unaccented_query_finds_accented_words);
    RUN(&c, test_suggested_titles_hold_the_words_first);
    RUN(&c, test_misspelt_query_is_corrected_and_answered);
    RUN(&c, test_corrections_allow_more_edits_in_longer_words);
    RUN(&c, test_stopwords_do_not_change_the_ranking);
    RUN(&c, test_phrases_match_exactly_with_any_quotes);
    RUN(&c, test_title_field_exclusion_and_or);
    RUN(&c, test_every_word_is_required_then_any_word);
    RUN(&c, test_title_match_outranks_body_match);
    RUN(&c, test_newer_page_wins_among_equals);
    RUN(&c, test_snippets_mark_inflected_compound_and_unaccented_words);
    RUN(&c, test_synonyms_apply_and_follow_the_file);
    c.failed += searchd_stop(&f.sd) != 0;
    tmpdir_remove(f.dir);
    return check_report(&c, "test_http_swedish");
}
