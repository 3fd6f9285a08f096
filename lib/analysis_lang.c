/* analysis_lang.c: a small table of Snowball stemmers by language, looked
 * up by name: a site has a handful of languages, so a linear scan is the
 * fastest look-up there is. */
#include "analysis_lang.h"

#include "error.h"
#include "tokenize.h"

#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct an_langs {
    size_t n;
    char name[AN_LANGS_MAX][DOC_LANG_MAX];
    struct sb_stemmer *sb[AN_LANGS_MAX];   /* NULL: no stemmer for it */
};

int an_langs_new(struct an_langs **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : LIB_E_NOMEM;
}

void an_langs_free(struct an_langs *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        if (s->sb[i])
            sb_stemmer_delete(s->sb[i]);
    free(s);
}

/* libstemmer's name for lang: Norwegian is "no", which Bokmål and Nynorsk
 * pages write as "nb" and "nn". */
static const char *stemmer_name(const char *lang)
{
    return strcmp(lang, "nb") == 0 || strcmp(lang, "nn") == 0 ? "no" : lang;
}

int an_lang_has_stemmer(const char *lang)
{
    struct sb_stemmer *sb = sb_stemmer_new(stemmer_name(lang), "UTF_8");
    if (sb)
        sb_stemmer_delete(sb);
    return sb != NULL;
}

/* lang's stemmer, made on first use; NULL when it has none. */
static struct sb_stemmer *stemmer_of(struct an_langs *s, const char *lang)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->name[i], lang) == 0)
            return s->sb[i];
    if (s->n == AN_LANGS_MAX || strlen(lang) >= DOC_LANG_MAX)
        return NULL;
    strcpy(s->name[s->n], lang);
    s->sb[s->n] = sb_stemmer_new(stemmer_name(lang), "UTF_8");
    return s->sb[s->n++];
}

size_t an_langs_stem(struct an_langs *s, const char *lang, const char *word, size_t len,
                     char out[AN_W_MAX])
{
    struct sb_stemmer *sb = stemmer_of(s, lang);
    if (sb) {
        an_rules_snowball(sb, word, len, out);
        return strlen(out);
    }
    if (len >= AN_W_MAX)
        len = AN_W_MAX - 1;
    memcpy(out, word, len);
    out[len] = '\0';
    return len;
}

int an_reads_as_swedish(const char *text, size_t len)
{
    struct tokenizer tz;
    struct tok t;
    size_t words = 0, swedish = 0;
    tok_init(&tz, text, len);
    while (words < AN_LANG_SAMPLE && tok_next(&tz, &t)) {
        words++;
        swedish += an_is_stopword(t.word, t.wlen) != 0;
    }
    return words >= AN_LANG_SAMPLE_MIN && swedish * 1000 >= words * AN_LANG_SWEDISH_PER_MILLE;
}

int an_lang_overrule(struct doc *d)
{
    if (!d->lang || strcmp(d->lang, DOC_LANG_DEFAULT) == 0 || !d->body ||
        !an_reads_as_swedish(d->body, strlen(d->body)))
        return 0;
    snprintf(d->lang_declared, sizeof d->lang_declared, "%s", d->lang);
    free(d->lang);
    d->lang = NULL;
    return 1;
}

void an_lang_overrule_note(const char *declared, char *out, size_t outlen)
{
    snprintf(out, outlen, "declares the language %s but its text reads as Swedish: indexed as "
             "Swedish", declared);
}
