/* analysis.c: the Swedish analyzer. Xapian tokenizes and lower-cases; this
 * file supplies the stemmer (libstemmer's Snowball Swedish, called back from
 * Xapian's TermGenerator and QueryParser alike) and the stopwords. */
#include "analysis.h"

#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Common Swedish function words: kept out of ranking, still in phrases. */
static const char *const stopwords[] = {
    "alla", "allt", "att", "av", "blev", "bli", "blir", "blivit", "de", "dem",
    "den", "denna", "deras", "dess", "dessa", "det", "detta", "dig", "din",
    "dina", "ditt", "du", "där", "då", "efter", "ej", "eller", "en", "er",
    "era", "ert", "ett", "från", "för", "ha", "hade", "han", "hans", "har",
    "henne", "hennes", "hon", "honom", "hur", "här", "i", "icke", "ingen",
    "inom", "inte", "jag", "ju", "kan", "kunde", "man", "med", "mellan",
    "men", "mig", "min", "mina", "mitt", "mot", "mycket", "ni", "nu", "när",
    "någon", "något", "några", "och", "om", "oss", "på", "samma", "sedan",
    "sig", "sin", "sina", "sitta", "skulle", "som", "så", "sådan",
    "sådana", "sådant", "till", "under", "upp", "ut", "utan", "vad", "var",
    "vara", "varför", "varit", "varje", "vars", "vart", "vem", "vi", "vid",
    "vilka", "vilkas", "vilken", "vilket", "vår", "våra", "vårt", "än", "är",
    "åt", "över", "själv", "också", "ska", "skall", "sitt"};
#define N_STOPWORDS (sizeof stopwords / sizeof stopwords[0])

struct analyzer {
    struct sb_stemmer *sb;
    xc_stem *stem;
    xc_stopper *stop;
};

const char *an_stem(struct analyzer *a, const char *word, size_t len,
                    size_t *out_len)
{
    if (len > 1024)   /* libstemmer takes an int length; long tokens stay as they are */
        return NULL;
    const sb_symbol *s = sb_stemmer_stem(a->sb, (const sb_symbol *)word, (int)len);
    if (!s)
        return NULL;
    *out_len = (size_t)sb_stemmer_length(a->sb);
    return (const char *)s;
}

static const char *stem_callback(void *ctx, const char *word, size_t len,
                                 size_t *out_len)
{
    return an_stem(ctx, word, len, out_len);
}

int an_is_stopword(const char *word)
{
    for (size_t i = 0; i < N_STOPWORDS; i++)
        if (strcmp(stopwords[i], word) == 0)
            return 1;
    return 0;
}

int an_new(struct analyzer **out, char *err, size_t errlen)
{
    xc_error xe;
    struct analyzer *a = calloc(1, sizeof *a);
    *out = NULL;
    if (!a) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    a->sb = sb_stemmer_new("swedish", "UTF_8");
    if (!a->sb) {
        snprintf(err, errlen, "libstemmer has no Swedish stemmer");
        goto fail;
    }
    if (xc_stem_new_callback(&a->stem, stem_callback, a, "swedish+libstemmer", &xe) < 0 ||
        xc_stopper_new(&a->stop, stopwords, N_STOPWORDS, &xe) < 0) {
        snprintf(err, errlen, "%s", xe.message);
        goto fail;
    }
    *out = a;
    return 0;
fail:
    an_free(a);
    return -1;
}

void an_free(struct analyzer *a)
{
    if (!a)
        return;
    xc_stopper_free(a->stop);
    xc_stem_free(a->stem);
    if (a->sb)
        sb_stemmer_delete(a->sb);
    free(a);
}

const xc_stem *an_stemmer(const struct analyzer *a)
{
    return a->stem;
}

const xc_stopper *an_stopper(const struct analyzer *a)
{
    return a->stop;
}
