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

static struct analyzer *an;   /* the fuzzer's process-wide dictionary */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char err[256];
    if (an_new(&an, AN_FULL, NULL, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
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
    char *stems[4];
    size_t nstems = 0;
    tok_init(&tz, clean, strlen(clean));
    while (tok_next(&tz, &t)) {
        const struct an_word *w = an_analyze(an, t.word, t.wlen);
        char *copy = w && !w->stop && nstems < 4 && w->stem[0] ? strdup(w->stem) : NULL;
        if (copy)
            stems[nstems++] = copy;
    }
    struct query_keys keys = {stems, nstems, NULL, 0, NULL, 0};
    char *snip = snippet_make(an, &keys, clean, strlen(clean), 240);
    if (snip && !text_is_utf8(snip, strlen(snip)))
        __builtin_trap();   /* a snippet never splits a character */
    free(snip);
    for (size_t i = 0; i < nstems; i++)
        free(stems[i]);
    an_trim(an);
    free(folded);
    free(clean);
    return 0;
}
