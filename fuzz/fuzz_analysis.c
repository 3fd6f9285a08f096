/* fuzz_analysis.c: libFuzzer target for the text pipeline a page or a query
 * goes through: cleaning (UTF-8 repair, NFC), folding, word splitting and
 * the Swedish analysis of each word (hunspell lemma, Snowball stem, compound
 * parts, unaccented key), then a snippet over the same text. */
#include "analysis.h"
#include "query.h"
#include "snippet.h"
#include "text.h"
#include "tokenize.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct lexicon *lex;   /* the fuzzer's process-wide dictionary */
static struct analyzer *an;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char path[4096];
    lib_error le;
    if (lex_open(&lex, an_default_lexicon(path, sizeof path), &le) < 0 ||
        an_new(&an, AN_FULL, lex, &le) < 0) {
        fprintf(stderr, "%s\n", le.message);
        exit(1);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *clean, *folded;
    if (text_clean(&clean, (const char *)data, size, 1) < 0)
        return 0;
    if (!text_is_utf8(clean, strlen(clean)))
        __builtin_trap();   /* cleaning must leave valid UTF-8 */
    text_fold(&folded, clean);
    struct tokenizer tz;
    struct tok t;
    char *stems[4], *unacc[4];
    size_t nstems = 0, nunacc = 0;
    tok_init(&tz, clean, strlen(clean));
    while (tok_next(&tz, &t)) {
        struct an_word aw, *w = an_analyze(&aw, an, t.word, t.wlen) == 0 ? &aw : NULL;
        char *copy = w && !w->stop && nstems < 4 && w->stem[0] ? strdup(w->stem) : NULL;
        if (copy)
            stems[nstems++] = copy;
        /* the keys of the first words: their unaccented ones too */
        if (copy && nunacc < 2 && w->unaccented && (copy = strdup(w->unaccented)))
            unacc[nunacc++] = copy;
    }
    struct query_keys keys = {stems, nstems, unacc, nunacc, NULL, 0, NULL, 0};
    struct snippet_matcher *sm = NULL;
    if (snippet_matcher_new(&sm, an, &keys) == 0) {
        /* the matcher answers as the analysis would, word for word */
        tok_init(&tz, clean, strlen(clean));
        while (tok_next(&tz, &t))
            if (snippet_matcher_key(sm, &t) != snippet_key_by_analysis(an, &keys, &t))
                __builtin_trap();
        char *snip = NULL;
        (void)snippet_make(&snip, sm, clean, strlen(clean), 240);
        if (snip && !text_is_utf8(snip, strlen(snip)))
            __builtin_trap();   /* a snippet never splits a character */
        free(snip);
    }
    snippet_matcher_free(sm);
    for (size_t i = 0; i < nstems; i++)
        free(stems[i]);
    for (size_t i = 0; i < nunacc; i++)
        free(unacc[i]);
    an_trim(an);
    free(folded);
    free(clean);
    return 0;
}
