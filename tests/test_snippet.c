/* test_snippet.c: lib/snippet.c and lib/synonyms.c — excerpts that escape
 * everything but the marks and find the passage where the query gathers;
 * the synonyms file read into groups, with errors naming the line. */
#include "analysis.h"
#include "check.h"
#include "full_analyzer.h"
#include "snippet.h"
#include "support.h"
#include "synonyms.h"

#include <stdlib.h>
#include <string.h>

static const char *stem_of(struct analyzer *a, const char *w, char out[AN_W_MAX])
{
    struct an_word aw;
    snprintf(out, AN_W_MAX, "%s", an_analyze(&aw, a, w, strlen(w)) == 0 ? aw.stem : "");
    return out;
}

static char *snip(struct analyzer *a, const char *stem, const char *text, size_t target)
{
    char *stems[] = {(char *)stem};
    struct query_keys k = {stems, 1, NULL, 0, NULL, 0, NULL, 0};
    struct snippet_matcher *m = NULL;
    char *s = NULL;
    if (snippet_matcher_new(&m, a, &k) == 0)
        (void)snippet_make(&s, m, text, strlen(text), target);
    snippet_matcher_free(m);
    return s;
}

static void test_markup_in_text_is_escaped(struct check *c)
{
    struct analyzer *a = c->ctx;
    char stem[AN_W_MAX];
    char *s = snip(a, stem_of(a, "segregation", stem),
                   "<script>alert('x')</script> & segregation \"här\"", 200);
    CHECK_STR(c, s, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
                    "<mark>segregation</mark> &quot;här&quot;");
    free(s);
}

static void test_window_moves_to_the_match_with_ellipses(struct check *c)
{
    struct analyzer *a = c->ctx;
    char text[4000] = "";
    for (int i = 0; i < 60; i++)
        strcat(text, "Annan text om kommunens budget. ");
    strcat(text, "Här står det om trösklarna till arbete. ");
    for (int i = 0; i < 30; i++)
        strcat(text, "Mer text efteråt. ");
    char stem[AN_W_MAX];
    stem_of(a, "tröskel", stem);
    char *s = snip(a, stem, text, 120);
    CHECK_CONTAINS(c, s, "<mark>trösklarna</mark>");
    CHECK(c, s && strncmp(s, "\xe2\x80\xa6", 3) == 0);
    CHECK(c, s && strcmp(s + strlen(s) - 3, "\xe2\x80\xa6") == 0);
    CHECK(c, s && strlen(s) < 220);
    free(s);
}

/* Snippets of a two-word query over text whose words meet late, then
 * early and again later more often. */
static char *snip2(struct analyzer *a, const char *w1, const char *w2, const char *text,
                   size_t target, size_t *keys)
{
    char s1[AN_W_MAX], s2[AN_W_MAX];
    char *stems[] = {(char *)stem_of(a, w1, s1), (char *)stem_of(a, w2, s2)};
    struct query_keys k = {stems, 2, NULL, 0, NULL, 0, NULL, 0};
    struct snippet_matcher *m = NULL;
    char *s = NULL;
    if (snippet_matcher_new(&m, a, &k) == 0) {
        (void)snippet_make(&s, m, text, strlen(text), target);
        *keys = snippet_matcher_key_count(m);
    }
    snippet_matcher_free(m);
    return s;
}

static void test_the_first_passage_with_every_word_is_taken(struct check *c)
{
    struct analyzer *a = c->ctx;
    char text[8000] = "";
    size_t keys = 0;
    /* One word alone early on: the window that has both comes later. */
    strcat(text, "Om skolan i allmänhet. ");
    for (int i = 0; i < 20; i++)
        strcat(text, "Annan text om kommunens budget. ");
    strcat(text, "Segregationen i skolan minskar. ");
    for (int i = 0; i < 20; i++)
        strcat(text, "Annan text om kommunens budget. ");
    /* Both again, more often: no more distinct words, so not looked for. */
    strcat(text, "Skolan, skolans segregation och skolornas segregation. ");
    char *s = snip2(a, "skola", "segregation", text, 120, &keys);
    CHECK(c, keys == 2);
    CHECK_CONTAINS(c, s, "<mark>Segregationen</mark> i <mark>skolan</mark> minskar");
    CHECK(c, s && !strstr(s, "skolornas"));
    free(s);
}

static void test_text_without_match_starts_at_the_beginning(struct check *c)
{
    char *s = snip(c->ctx, "zzz", "Kort text.", 100);
    CHECK_STR(c, s, "Kort text.");
    free(s);
}

/* A long text whose only match lies past the first 64 kB (a report's
 * fortieth page): the scan goes on to it, and the snippet is there. */
static void test_a_match_deep_in_a_long_text_is_found(struct check *c)
{
    struct analyzer *a = c->ctx;
    char stem[AN_W_MAX];
    size_t filler = 300 * 1024;
    char *text = malloc(filler + 200);
    if (!text) {
        CHECK(c, 0);
        return;
    }
    for (size_t i = 0; i < filler; i += 8)
        memcpy(text + i, "utfyllt ", 8);
    strcpy(text + filler, "här står om segregation i Malmö och mer utfyllt text");
    char *s = snip(a, stem_of(a, "segregation", stem), text, 120);
    CHECK_CONTAINS(c, s, "<mark>segregation</mark>");
    free(s);
    /* a match in the first 64 kB is taken as before */
    memcpy(text + 800, "segregation ", 12);
    s = snip(a, stem_of(a, "segregation", stem), text, 120);
    CHECK_CONTAINS(c, s, "<mark>segregation</mark>");
    CHECK(c, s && !strstr(s, "Malmö"));
    free(s);
    free(text);
}

static void test_synonyms_file_makes_groups(struct check *c)
{
    char dir[256], path[300];
    CHECK(c, tmpdir_make(dir, sizeof dir) == 0);
    snprintf(path, sizeof path, "%s/s.txt", dir);
    FILE *f = fopen(path, "w");
    fputs("# kommentar\nDMS = Delegationen mot  segregation, Delmos\n\nSCB, SCB:s\n", f);
    fclose(f);
    json_t *m = NULL;
    lib_error err = {0};
    CHECK(c, synonyms_read_file(&m, path, &err) == 0);
    json_t *dms = json_object_get(m, "dms");
    CHECK(c, json_array_size(dms) == 2);
    CHECK_STR(c, json_string_value(json_array_get(dms, 0)), "delegationen mot segregation");
    CHECK(c, json_array_size(json_object_get(m, "delegationen mot segregation")) == 2);
    CHECK(c, json_object_get(m, "scb s") != NULL);
    json_decref(m);
    f = fopen(path, "w");
    fputs("A = B\nensam\n", f);
    fclose(f);
    CHECK(c, synonyms_read_file(&m, path, &err) == LIB_E_INVALID);
    CHECK_CONTAINS(c, err.message, "s.txt:2:");
    tmpdir_remove(dir);
}

int main(void)
{
    struct check c = {0};
    struct analyzer *a = NULL;
    struct lexicon *lex = NULL;
    if (full_analyzer_new(&a, &lex) < 0)
        return 1;
    c.ctx = a;
    RUN(&c, test_markup_in_text_is_escaped);
    RUN(&c, test_window_moves_to_the_match_with_ellipses);
    RUN(&c, test_the_first_passage_with_every_word_is_taken);
    RUN(&c, test_text_without_match_starts_at_the_beginning);
    RUN(&c, test_a_match_deep_in_a_long_text_is_found);
    RUN(&c, test_synonyms_file_makes_groups);
    full_analyzer_free(a, lex);
    return check_report(&c, "test_snippet");
}
