/* test_analysis.c: lib/analysis.c and lib/tokenize.c — the keys a Swedish
 * word is indexed and searched under, in full and plain analysis. */
#include "analysis.h"
#include "check.h"
#include "full_analyzer.h"
#include "tokenize.h"

#include <stdio.h>
#include <string.h>

/* The analysis of w; a word the analyzer cannot take has no keys. */
static struct an_word an(struct analyzer *a, const char *w)
{
    struct an_word r;
    if (an_analyze(&r, a, w, strlen(w)) < 0)
        r = (struct an_word){"", NULL, 0, {NULL, NULL}, 0, 0, 0};
    return r;
}

static int has_part(struct an_word w, const char *stem)
{
    for (size_t i = 0; i < w.nparts; i++)
        if (strcmp(w.parts[i], stem) == 0)
            return 1;
    return 0;
}

static void test_lemma_joins_forms_snowball_keeps_apart(struct check *c)
{
    struct analyzer *a = c->ctx;
    const char *groups[][4] = {{"trösklar", "tröskel", "trösklarna", NULL},
                               {"seminarier", "seminarium", "seminariet", "seminariets"},
                               {"biblioteket", "biblioteken", "bibliotek", NULL},
                               {"kommunernas", "kommun", "kommunerna", NULL}};
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        const char *first = an(a, groups[g][0]).stem;
        char want[128];
        snprintf(want, sizeof want, "%s", first);
        for (size_t i = 1; i < 4 && groups[g][i]; i++)
            CHECK_STR(c, an(a, groups[g][i]).stem, want);
    }
}

static void test_compounds_split_with_linking_letters(struct check *c)
{
    struct analyzer *a = c->ctx;
    const char *seg = an(a, "segregation").stem;
    char segregation[64];
    snprintf(segregation, sizeof segregation, "%s", seg);
    CHECK(c, has_part(an(a, "bostadssegregationen"), segregation));   /* -s- */
    CHECK(c, has_part(an(a, "skolsegregationen"), segregation));      /* skola → skol */
    char brist[64];
    snprintf(brist, sizeof brist, "%s", an(a, "brist").stem);
    CHECK(c, has_part(an(a, "lärarbristen"), brist));                 /* lärare → lärar */
}

static void test_no_fragment_becomes_a_part(struct check *c)
{
    struct analyzer *a = c->ctx;
    const char *words[] = {"seminarier", "göteborg", "information", "integration",
                           "befolkningen", "utmaningar", "organisationen"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        struct an_word w = an(a, words[i]);
        CHECK(c, w.nparts == 0);
        if (w.nparts)
            fprintf(stderr, "  %s split into %s + %s\n", words[i], w.parts[0], w.parts[1]);
    }
}

static void test_unaccented_key_meets_the_word_typed_without_accents(struct check *c)
{
    struct analyzer *a = c->ctx;
    struct an_word w = an(a, "förstudier");
    CHECK(c, w.accented);
    char key[64];
    snprintf(key, sizeof key, "%s", w.unaccented);
    CHECK_STR(c, an(a, "forstudier").unaccented, key);
    CHECK(c, !an(a, "forstudier").accented);
    CHECK_STR(c, an(a, "malmo").unaccented, "malmo");
    CHECK(c, an(a, "malmö").accented);
}

static void test_stopwords_are_marked(struct check *c)
{
    struct analyzer *a = c->ctx;
    CHECK(c, an(a, "och").stop && an(a, "mot").stop && !an(a, "segregation").stop);
}

static void test_plain_mode_is_snowball_only(struct check *c)
{
    struct analyzer *p = NULL;
    CHECK(c, an_new(&p, AN_PLAIN, NULL, NULL) == 0);
    if (!p)
        return;
    struct an_word w = an(p, "bostadssegregationen");
    CHECK(c, w.nparts == 0 && w.unaccented == NULL);
    char t1[64];
    snprintf(t1, sizeof t1, "%s", an(p, "trösklar").stem);
    CHECK(c, strcmp(t1, an(p, "tröskel").stem) != 0);   /* what full mode fixes */
    an_free(p);
}

static void test_full_analysis_without_lexicon_is_a_clear_error(struct check *c)
{
    struct analyzer *p = NULL;
    struct lexicon *lex = NULL;
    lib_error err = {0, ""};
    CHECK(c, lex_open(&lex, "/finns/inte.lex", &err) == LIB_E_NOTFOUND && lex == NULL);
    CHECK_CONTAINS(c, err.message, "/finns/inte.lex");
    CHECK(c, an_new(&p, AN_FULL, NULL, &err) == LIB_E_INVALID && p == NULL);
    CHECK_CONTAINS(c, err.message, "lexicon");
}

/* The split points against their definition, letter by letter: a
 * character boundary with at least four letters after it and three
 * before, last first, in words of eight letters or more without digits. */
static void test_split_points_are_the_places_a_last_part_may_start(struct check *c)
{
    const char *words[] = {"kartläggningsarbete", "försäkringskassan", "bostadsområde",
                           "åäöåäöåäö", "seminarier", "tröskel", "år2024rapport",
                           "vägarbetsområde", "ärendehandläggning"};
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        const char *s = words[w];
        size_t len = strlen(s), at[AN_W_MAX], n = an_rules_split_points(s, len, at), k = 0;
        int splittable = an_rules_letters(s, len) >= 8 && !an_rules_has_digit(s, len);
        for (size_t i = len - 1; splittable && i > 0; i--) {
            if (((unsigned char)s[i] & 0xC0) == 0x80 || an_rules_letters(s + i, len - i) < 4 ||
                an_rules_letters(s, i) < 3)
                continue;
            CHECK(c, k < n && at[k] == i);
            k++;
        }
        CHECK(c, k == n);
        if (k != n)
            fprintf(stderr, "  %s: %zu split points, expected %zu\n", s, n, k);
    }
    size_t at[AN_W_MAX];
    CHECK(c, an_rules_split_points("tröskel", strlen("tröskel"), at) == 0);
    CHECK(c, an_rules_split_points("år2024rapport", strlen("år2024rapport"), at) == 0);
    /* "åäöåäöåäö": nine letters, a boundary every two bytes */
    CHECK(c, an_rules_split_points("åäöåäöåäö", strlen("åäöåäöåäö"), at) == 3 && at[0] == 10 &&
                 at[2] == 6);
}

/* Loading a run of words ahead changes no analysis, and says which words
 * the lexicon lacks. */
static void test_loading_ahead_changes_nothing(struct check *c)
{
    struct analyzer *a = c->ctx;
    const char *words[] = {"trösklarna", "kartläggningsarbetet", "xqzwvy", "och",
                           "bostadssegregationen", "göteborg", "seminarier", "åäöqqqzzz"};
    size_t n = sizeof words / sizeof words[0], lens[sizeof words / sizeof words[0]];
    struct an_word before[sizeof words / sizeof words[0]];
    for (size_t i = 0; i < n; i++) {
        lens[i] = strlen(words[i]);
        before[i] = an(a, words[i]);
    }
    struct an_ahead ah;
    an_ahead_start(a, &ah, words, lens, n);
    an_ahead_step(a, &ah);
    for (size_t i = 0; i < n; i++) {
        struct lex_entry e;
        CHECK(c, lex_ahead_absent(&ah.lex, i) == !lex_lookup(an_lexicon(a), words[i], lens[i], &e));
    }
    CHECK(c, lex_ahead_absent(&ah.lex, 2) && !lex_ahead_absent(&ah.lex, 0));
    an_ahead_step(a, &ah);
    an_ahead_step(a, &ah);
    for (size_t i = 0; i < n; i++) {
        struct an_word after = an(a, words[i]);
        CHECK_STR(c, after.stem, before[i].stem);
        CHECK(c, after.nparts == before[i].nparts && after.listed == before[i].listed);
        for (size_t k = 0; k < after.nparts && k < before[i].nparts; k++)
            CHECK_STR(c, after.parts[k], before[i].parts[k]);
    }
}

static void test_tokenizer_lowercases_and_splits(struct check *c)
{
    const char *text = "Malmö-aktörer, SCB:s 12-14 ÅRSRAPPORT";
    const char *want[] = {"malmö", "aktörer", "scb", "s", "12", "14", "årsrapport"};
    struct tokenizer tz;
    struct tok t;
    size_t n = 0;
    tok_init(&tz, text, strlen(text));
    while (tok_next(&tz, &t) && n < 7)
        CHECK_STR(c, t.word, want[n++]);
    CHECK(c, n == 7);
}

static void test_tokenizer_skips_overlong_runs(struct check *c)
{
    char text[400];
    memset(text, 'x', 300);
    strcpy(text + 300, " kort");
    struct tokenizer tz;
    struct tok t;
    tok_init(&tz, text, strlen(text));
    CHECK(c, tok_next(&tz, &t) && strcmp(t.word, "kort") == 0);
    CHECK(c, !tok_next(&tz, &t));
}

int main(void)
{
    struct check c = {0};
    struct analyzer *a = NULL;
    struct lexicon *lex = NULL;
    if (full_analyzer_new(&a, &lex) < 0)
        return 1;
    c.ctx = a;
    RUN(&c, test_lemma_joins_forms_snowball_keeps_apart);
    RUN(&c, test_compounds_split_with_linking_letters);
    RUN(&c, test_no_fragment_becomes_a_part);
    RUN(&c, test_unaccented_key_meets_the_word_typed_without_accents);
    RUN(&c, test_stopwords_are_marked);
    RUN(&c, test_plain_mode_is_snowball_only);
    RUN(&c, test_full_analysis_without_lexicon_is_a_clear_error);
    RUN(&c, test_split_points_are_the_places_a_last_part_may_start);
    RUN(&c, test_loading_ahead_changes_nothing);
    RUN(&c, test_tokenizer_lowercases_and_splits);
    RUN(&c, test_tokenizer_skips_overlong_runs);
    full_analyzer_free(a, lex);
    return check_report(&c, "test_analysis");
}
