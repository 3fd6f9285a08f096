/* test_snippet_match.c: lib/snippet_match.c — the matcher marks exactly the
 * words the analysis would, over every distinct word of corpus/ and of the
 * Swedish GIMP help, for queries of every kind: inflected words, compound
 * parts, proper nouns, words typed without å/ä/ö, words the lexicon lacks,
 * phrases; and it analyses few of the words it is asked about. */
#include "analysis.h"
#include "check.h"
#include "full_analyzer.h"
#include "query.h"
#include "snippet_match.h"
#include "support.h"
#include "tokenize.h"
#include "words.h"

#include <stdlib.h>
#include <string.h>

static const char *const queries[] = {
    "segregation", "skolan", "bostäder", "arbetsmarknaden", "göteborg", "malmo",
    "forstudie", "tabell", "bild", "lager", "färg", "mask", "verktyg", "penslar",
    "sökväg", "fönster", "trösklar", "seminarium", "bidrag", "kommunerna", "integration",
    "barn", "man", "och", "pivottabell", "bildpunkt", "lagermask", "xyzzyq",
    "2020", "villkorlig formatering"};

/* The keys query.c gives for q: each word's stem and unaccented key, and
 * the words themselves as a phrase's. */
struct keyset {
    char *stems[8], *unacc[8], *words[8];
    struct query_keys k;
};

static void keyset_make(struct keyset *ks, struct analyzer *an, const char *q, int phrase)
{
    struct tokenizer tz;
    struct tok t;
    memset(ks, 0, sizeof *ks);
    tok_init(&tz, q, strlen(q));
    while (tok_next(&tz, &t) && ks->k.nstems < 8) {
        struct an_word a;
        if (phrase)
            ks->words[ks->k.nwords++] = strdup(t.word);
        if (an_analyze(&a, an, t.word, t.wlen) < 0 || a.stop)
            continue;
        ks->stems[ks->k.nstems++] = strdup(a.stem);
        if (a.unaccented)
            ks->unacc[ks->k.nunaccented++] = strdup(a.unaccented);
    }
    ks->k.stems = ks->stems;
    ks->k.unaccented = ks->unacc;
    ks->k.words = ks->words;
}

static void keyset_dispose(struct keyset *ks)
{
    for (size_t i = 0; i < 8; i++) {
        free(ks->stems[i]);
        free(ks->unacc[i]);
        free(ks->words[i]);
    }
}

/* Every word of w, under every query: the matcher's key is the analysis's.
 * Returns how many words matched some key, for the caller to see that the
 * comparison was not empty. */
static size_t compare_all(struct check *c, struct analyzer *an, const struct words *w)
{
    size_t matched = 0, wrong = 0;
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        for (int phrase = 0; phrase < 2; phrase++) {
            struct keyset ks;
            struct snippet_matcher *m = NULL;
            keyset_make(&ks, an, queries[q], phrase);
            CHECK(c, snippet_matcher_new(&m, an, &ks.k) == 0);
            for (size_t i = 0; m && i < w->nslots; i++) {
                if (!w->slot[i])
                    continue;
                struct tok t = {0, 0, "", strlen(w->slot[i])};
                memcpy(t.word, w->slot[i], t.wlen + 1);
                const char *got = snippet_matcher_key(m, &t);
                const char *want = snippet_key_by_analysis(an, &ks.k, &t);
                matched += want != NULL;
                if (got != want && wrong++ < 20)
                    fprintf(stderr, "  query \"%s\": \"%s\" matcher %s, analysis %s\n",
                            queries[q], t.word, got ? got : "-", want ? want : "-");
                an_trim(an);
            }
            snippet_matcher_free(m);
            keyset_dispose(&ks);
        }
    }
    CHECK(c, wrong == 0);
    printf("  %zu words, %zu queries: %zu matches, all alike\n", w->n,
           2 * sizeof queries / sizeof queries[0], matched);
    return matched;
}

static void test_matcher_agrees_with_analysis_on_corpus(struct check *c)
{
    struct words w;
    size_t pages = 0;
    CHECK(c, words_new(&w) == 0);
    CHECK(c, words_add_pages(&w, "corpus", &pages) == 0 && pages > 50);
    CHECK(c, compare_all(c, c->ctx, &w) > 100);
    words_dispose(&w);
}

static void test_matcher_agrees_with_analysis_on_gimp_help(struct check *c)
{
    struct words w;
    size_t pages = 0;
    CHECK(c, words_new(&w) == 0);
    CHECK(c, words_add_pages(&w, "/usr/share/gimp/2.0/help/sv", &pages) == 0 && pages > 100);
    CHECK(c, compare_all(c, c->ctx, &w) > 300);
    words_dispose(&w);
}

/* What the matcher is for: a word that cannot match costs no analysis.
 * Over the GIMP help's words, the matcher analyses a few in a hundred. */
static void test_matcher_analyses_few_words(struct check *c)
{
    struct analyzer *an = c->ctx;
    struct words w;
    size_t pages = 0;
    CHECK(c, words_new(&w) == 0);
    CHECK(c, words_add_pages(&w, "/usr/share/gimp/2.0/help/sv", &pages) == 0);
    const char *qs[] = {"lager", "bild", "färg", "villkorlig formatering"};
    for (size_t q = 0; q < sizeof qs / sizeof qs[0]; q++) {
        struct keyset ks;
        struct snippet_matcher *m = NULL;
        keyset_make(&ks, an, qs[q], 0);
        CHECK(c, snippet_matcher_new(&m, an, &ks.k) == 0);
        for (size_t i = 0; m && i < w.nslots; i++) {
            if (!w.slot[i])
                continue;
            struct tok t = {0, 0, "", strlen(w.slot[i])};
            memcpy(t.word, w.slot[i], t.wlen + 1);
            (void)snippet_matcher_key(m, &t);
        }
        size_t analysed = m ? snippet_matcher_analysed(m) : w.n;
        printf("  \"%s\": %zu of %zu words analysed\n", qs[q], analysed, w.n);
        CHECK(c, analysed * 20 < w.n);
        snippet_matcher_free(m);
        keyset_dispose(&ks);
        an_trim(an);
    }
    words_dispose(&w);
}

int main(void)
{
    struct check c = {0};
    struct analyzer *a = NULL;
    struct lexicon *lex = NULL;
    if (full_analyzer_new(&a, &lex) < 0)
        return 1;
    c.ctx = a;
    RUN(&c, test_matcher_agrees_with_analysis_on_corpus);
    RUN(&c, test_matcher_agrees_with_analysis_on_gimp_help);
    RUN(&c, test_matcher_analyses_few_words);
    full_analyzer_free(a, lex);
    return check_report(&c, "test_snippet_match");
}
