/* full_analyzer.c: the lexicon is found as the programs find it. */
#include "full_analyzer.h"

#include <stdio.h>

int full_analyzer_new(struct analyzer **an, struct lexicon **lex)
{
    char path[4096];
    lib_error err;
    *an = NULL;
    if (lex_open(lex, an_default_lexicon(path, sizeof path), &err) < 0 ||
        an_new(an, AN_FULL, *lex, &err) < 0) {
        fprintf(stderr, "%s\n", err.message);
        lex_free(*lex);
        *lex = NULL;
        return -1;
    }
    return 0;
}

void full_analyzer_free(struct analyzer *an, struct lexicon *lex)
{
    an_free(an);
    lex_free(lex);
}
