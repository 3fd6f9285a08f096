/* test_lexicon_reference.c: the compiled analysis (lib/analysis.c over the
 * lexicon) against the reference one (lib/analysis_hunspell.c, libhunspell
 * asked every time) over every distinct word of corpus/, of the Swedish
 * GIMP help and Debian Edu manual, and of the Swedish word list
 * (/usr/share/dict/swedish). A word of the lexicon must be analysed exactly
 * as the reference does. A word it lacks goes through the same rules with
 * the lexicon as dictionary; its analysis may differ only where hunspell
 * answered for a word that is not among the dictionary's forms: a compound
 * hunspell builds itself (marknadsdepartementet) or an affix combination
 * unmunch does not list. Any other difference fails. Every difference is
 * written to tests/out/lexicon-differences.txt with its reason. */
#include "analysis.h"
#include "analysis_hunspell.h"
#include "check.h"
#include "tokenize.h"
#include "words.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SHOWN 15

/* ---- a dictionary that answers as hunspell and notes where the lexicon
 * would answer otherwise ---- */

struct comparing {
    const struct an_dict *ref, *lex;
    const struct lexicon *lexicon;
    char why[1024];        /* the questions answered differently */
    int unjustified;       /* one of them was about a word of the lexicon */
};

static void note(struct comparing *c, const char *question, const char *w)
{
    struct lex_entry e;
    size_t n = strlen(c->why);
    int listed = lex_lookup(c->lexicon, w, strlen(w), &e);
    c->unjustified |= listed;
    snprintf(c->why + n, sizeof c->why - n, "%s%s(%s)%s", n ? ", " : "", question, w,
             listed ? " [a listed form!]" : "");
}

static int cmp_known(void *ctx, const char *w)
{
    struct comparing *c = ctx;
    int r = c->ref->known(c->ref->ctx, w);
    if (r != c->lex->known(c->lex->ctx, w))
        note(c, r ? "hunspell knows" : "hunspell rejects", w);
    return r;
}

static int cmp_base_form(void *ctx, const char *w)
{
    struct comparing *c = ctx;
    int r = c->ref->base_form(c->ref->ctx, w);
    if (r != c->lex->base_form(c->lex->ctx, w))
        note(c, r ? "hunspell base form" : "hunspell not base form", w);
    return r;
}

static int cmp_lemma(void *ctx, const char *w, char out[AN_W_MAX])
{
    struct comparing *c = ctx;
    char other[AN_W_MAX];
    int r = c->ref->lemma(c->ref->ctx, w, out);
    if (r != c->lex->lemma(c->lex->ctx, w, other) || strcmp(out, other) != 0)
        note(c, "hunspell lemma", w);
    return r;
}

static int cmp_proper_noun(void *ctx, const char *w)
{
    struct comparing *c = ctx;
    int r = c->ref->proper_noun(c->ref->ctx, w);
    if (r != c->lex->proper_noun(c->lex->ctx, w))
        note(c, r ? "hunspell proper noun" : "hunspell not proper noun", w);
    return r;
}

static int same_parts(const struct an_keys *k, const struct an_word *w)
{
    if (k->nparts != w->nparts)
        return 0;
    for (size_t i = 0; i < k->nparts; i++)
        if (strcmp(k->parts[i], w->parts[i]) != 0)
            return 0;
    return 1;
}

static int same(const struct an_keys *k, const struct an_word *w)
{
    return strcmp(k->stem, w->stem) == 0 && strcmp(k->unaccented, w->unaccented) == 0 &&
           k->accented == w->accented && k->stop == w->stop && same_parts(k, w);
}

static void describe(char *out, size_t len, const char *stem, size_t nparts,
                     const char *p0, const char *p1)
{
    snprintf(out, len, "%s%s%s%s%s", stem, nparts ? " [" : "", nparts ? p0 : "",
             nparts > 1 ? " + " : "", nparts > 1 ? p1 : "");
    if (nparts)
        strncat(out, "]", len - strlen(out) - 1);
}

struct fixture {
    struct ah_analyzer *ref;
    struct analyzer *an;
    const struct lexicon *lex;
    struct sb_stemmer *sb;
    FILE *out;
};

struct tally {
    size_t words, listed, differ, unjustified;
};

/* Compares every word of w; differences go to the report file. */
static void compare(struct check *c, struct fixture *fx, const char *source,
                    const struct words *w, struct tally *t)
{
    struct comparing cmp = {ah_dict(fx->ref), an_dict_of(fx->an), fx->lex, "", 0};
    const struct an_dict dict = {&cmp, cmp_known, cmp_base_form, cmp_lemma, cmp_proper_noun};
    size_t shown = 0;
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < w->nslots; i++) {
        const char *word = w->slot[i];
        if (!word)
            continue;
        size_t len = strlen(word);
        struct an_keys ref;
        struct an_word got;
        struct lex_entry e;
        t->words++;
        int listed = lex_lookup(fx->lex, word, len, &e);
        t->listed += listed;
        ah_analyze(fx->ref, word, len, &ref);
        CHECK(c, an_analyze(&got, fx->an, word, len) == 0);
        if (same(&ref, &got)) {
            an_trim(fx->an);
            continue;
        }
        t->differ++;
        cmp.why[0] = '\0';
        cmp.unjustified = 0;
        struct an_keys again;
        an_rules_full(&dict, fx->sb, word, len, &again);
        /* A listed word must match exactly; another only through answers
         * about words the lexicon does not list. */
        int unjustified = listed || cmp.unjustified || !cmp.why[0];
        t->unjustified += unjustified;
        char a[4 * AN_W_MAX], b[4 * AN_W_MAX];
        describe(a, sizeof a, ref.stem, ref.nparts, ref.parts[0], ref.parts[1]);
        describe(b, sizeof b, got.stem, got.nparts, got.parts[0], got.parts[1]);
        const char *reason = listed       ? "a listed form analysed otherwise"
                             : !cmp.why[0] ? "no answer differed"
                                           : cmp.why;
        if (fx->out)
            fprintf(fx->out, "%s\t%s\treference %s\tlexicon %s\t%s%s\n", source, word, a, b,
                    unjustified ? "UNJUSTIFIED: " : "", reason);
        if (unjustified || shown++ < SHOWN)
            printf("  %s%s: reference %s, lexicon %s (%s)\n", unjustified ? "UNJUSTIFIED " : "",
                   word, a, b, reason);
        an_trim(fx->an);
    }
    printf("%s: %zu distinct words, %zu listed in the lexicon, %zu analysed otherwise "
           "(%.2f %%), %zu of them unjustified\n",
           source, t->words, t->listed, t->differ,
           t->words ? 100.0 * (double)t->differ / (double)t->words : 0.0, t->unjustified);
    fflush(stdout);
}

static void run_source(struct check *c, const char *source, const char *path, int pages)
{
    struct fixture *fx = c->ctx;
    struct words w;
    struct stat st;
    size_t npages = 0;
    if (words_new(&w) < 0) {
        CHECK(c, !"out of memory");
        return;
    }
    if (stat(path, &st) < 0) {
        fprintf(stderr, "  %s missing: install it (scripts/packages.txt)\n", path);
        CHECK(c, !"a source of words is missing");
        words_dispose(&w);
        return;
    }
    CHECK(c, (pages ? words_add_pages(&w, path, &npages) : words_add_file(&w, path)) == 0);
    CHECK(c, !w.full);
    if (pages)
        CHECK(c, npages > 0);
    CHECK(c, w.n > 0);
    struct tally t;
    compare(c, fx, source, &w, &t);
    CHECK(c, t.unjustified == 0);
    /* The rules over the lexicon must agree on nearly every word of real
     * text: a large share of differences would mean the lexicon misses
     * forms, whatever their reasons. */
    CHECK(c, t.differ * 100 <= t.words * 3);
    words_dispose(&w);
}

static void test_corpus_words_analysed_as_the_reference(struct check *c)
{
    run_source(c, "corpus", "corpus", 1);
}

static void test_gimp_help_words_analysed_as_the_reference(struct check *c)
{
    run_source(c, "gimp-help-sv", "/usr/share/gimp/2.0/help/sv", 1);
}

static void test_debian_edu_manual_words_analysed_as_the_reference(struct check *c)
{
    run_source(c, "debian-edu-doc-legacy-sv", "/usr/share/doc/debian-edu-doc-legacy-sv", 1);
}

static void test_word_list_analysed_as_the_reference(struct check *c)
{
    run_source(c, "dict/swedish", "/usr/share/dict/swedish", 0);
}

int main(void)
{
    struct check c = {0};
    struct fixture fx = {0};
    struct lexicon *lex = NULL;
    char path[4096];
    lib_error err = {0, "no Swedish Snowball"};
    if (ah_new(&fx.ref, NULL, &err) < 0 ||
        lex_open(&lex, an_default_lexicon(path, sizeof path), &err) < 0 ||
        an_new(&fx.an, AN_FULL, lex, &err) < 0 ||
        !(fx.sb = sb_stemmer_new("swedish", "UTF_8"))) {
        fprintf(stderr, "test_lexicon_reference: %s\n", err.message);
        return 1;
    }
    fx.lex = lex;
    mkdir("tests/out", 0755);
    fx.out = fopen("tests/out/lexicon-differences.txt", "w");
    c.ctx = &fx;
    RUN(&c, test_corpus_words_analysed_as_the_reference);
    RUN(&c, test_gimp_help_words_analysed_as_the_reference);
    RUN(&c, test_debian_edu_manual_words_analysed_as_the_reference);
    RUN(&c, test_word_list_analysed_as_the_reference);
    if (fx.out)
        fclose(fx.out);
    sb_stemmer_delete(fx.sb);
    an_free(fx.an);
    lex_free(lex);
    ah_free(fx.ref);
    return check_report(&c, "test_lexicon_reference");
}
