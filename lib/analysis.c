/* analysis.c: the runtime analyzer. A word the lexicon holds is answered
 * from it as the reference analysis gave it; any other word goes through the
 * rules with the lexicon as their dictionary, which costs a look-up per
 * place a compound could split. Nothing is cached: the lexicon is memory. */
#include "analysis.h"

#include "analysis_lang.h"
#include "install_path.h"

#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef LEXICON_PATH
#define LEXICON_PATH "/usr/share/sitesearch/sv_SE.lex"
#endif

#define CHUNK_SIZE (16 * 1024)

/* A bump allocator for the strings of words the lexicon lacks. */
struct chunk {
    struct chunk *next;
    size_t used, size;
    char data[];
};

struct analyzer {
    enum an_mode mode;
    struct sb_stemmer *sb;
    const struct lexicon *lex;   /* shared, read-only; NULL in plain mode */
    struct an_dict dict;         /* the lexicon as the rules' dictionary */
    struct chunk *chunks;
    struct an_langs *langs;      /* stemmers of other languages' documents */
};

const char *an_mode_name(enum an_mode mode)
{
    return mode == AN_PLAIN ? "plain" : "full";
}

int an_mode_parse(enum an_mode *out, const char *name)
{
    if (strcmp(name, "plain") == 0)
        *out = AN_PLAIN;
    else if (strcmp(name, "full") == 0)
        *out = AN_FULL;
    else
        return LIB_E_INVALID;
    return 0;
}

enum an_mode an_get_mode(const struct analyzer *a)
{
    return a->mode;
}

const char *an_default_lexicon(char *buf, size_t len)
{
    if (install_path(buf, len, "sv_SE.lex", 0) < 0)
        snprintf(buf, len, "%s", LEXICON_PATH);
    return buf;
}

/* ---- the lexicon as the rules' dictionary ---- */

static int lookup(void *ctx, const char *w, struct lex_entry *e)
{
    return lex_lookup(ctx, w, strlen(w), e);
}

static int known(void *ctx, const char *w)
{
    struct lex_entry e;
    return lookup(ctx, w, &e) && (e.flags & LEX_KNOWN);
}

static int base_form(void *ctx, const char *w)
{
    struct lex_entry e;
    return lookup(ctx, w, &e) && (e.flags & LEX_BASE_FORM);
}

static int lemma(void *ctx, const char *w, char out[AN_W_MAX])
{
    struct lex_entry e;
    int found = lookup(ctx, w, &e) && (e.flags & LEX_LEMMA);
    const char *s = found ? e.lemma : w;
    size_t n = strlen(s);
    if (n >= AN_W_MAX)
        n = AN_W_MAX - 1;
    memcpy(out, s, n);
    out[n] = '\0';
    return found;
}

static int proper_noun(void *ctx, const char *w)
{
    struct lex_entry e;
    return lookup(ctx, w, &e) && (e.flags & LEX_PROPER_NOUN);
}

int an_new(struct analyzer **out, enum an_mode mode, const struct lexicon *lex, lib_error *err)
{
    struct analyzer *a = NULL;
    *out = NULL;
    if (mode == AN_FULL && !lex)
        return lib_error_set(err, LIB_E_INVALID, "the full analysis needs the Swedish lexicon");
    if (!(a = calloc(1, sizeof *a)))
        return lib_error_nomem(err);
    a->mode = mode;
    if (!(a->sb = sb_stemmer_new("swedish", "UTF_8"))) {
        an_free(a);
        return lib_error_set(err, LIB_E_INVALID, "libstemmer has no Swedish stemmer");
    }
    if (an_langs_new(&a->langs) < 0) {
        an_free(a);
        return lib_error_nomem(err);
    }
    a->lex = mode == AN_FULL ? lex : NULL;
    a->dict = (struct an_dict){(void *)a->lex, known, base_form, lemma, proper_noun};
    *out = a;
    return 0;
}

const struct lexicon *an_lexicon(const struct analyzer *a)
{
    return a->lex;
}

const struct an_dict *an_dict_of(const struct analyzer *a)
{
    return a->mode == AN_FULL ? &a->dict : NULL;
}

void an_trim(struct analyzer *a)
{
    struct chunk *c = a->chunks;
    while (c && c->next) {   /* keep one chunk: most requests need no more */
        struct chunk *next = c->next;
        free(c);
        c = next;
    }
    a->chunks = c;
    if (c)
        c->used = 0;
}

void an_free(struct analyzer *a)
{
    if (!a)
        return;
    an_trim(a);
    free(a->chunks);
    if (a->sb)
        sb_stemmer_delete(a->sb);
    an_langs_free(a->langs);
    free(a);
}

/* A copy of s that lives until an_trim; NULL when out of memory. */
static const char *keep(struct analyzer *a, const char *s)
{
    size_t n = strlen(s) + 1;
    struct chunk *c = a->chunks;
    if (!c || c->size - c->used < n) {
        size_t size = n > CHUNK_SIZE ? n : CHUNK_SIZE;
        struct chunk *nc = malloc(sizeof *nc + size);
        if (!nc)
            return NULL;
        nc->size = size;
        nc->used = 0;
        nc->next = c;   /* the newest first; an_trim keeps the last */
        a->chunks = c = nc;
    }
    char *p = c->data + c->used;
    memcpy(p, s, n);
    c->used += n;
    return p;
}

void an_word_of_entry(struct an_word *out, const struct lex_entry *e)
{
    memset(out, 0, sizeof *out);
    out->stem = e->stem;
    out->unaccented = e->unaccented;
    out->accented = (e->flags & LEX_ACCENTED) != 0;
    out->stop = (e->flags & LEX_STOP) != 0;
    out->listed = 1;
    out->nparts = e->nparts;
    for (size_t i = 0; i < e->nparts; i++)
        out->parts[i] = e->parts[i];
}

static int from_rules(struct an_word *out, struct analyzer *a, const char *w, size_t len)
{
    struct an_keys k;
    an_rules_full(&a->dict, a->sb, w, len, &k);
    out->accented = k.accented;
    out->stop = k.stop;
    out->nparts = k.nparts;
    if (!(out->stem = keep(a, k.stem)) || !(out->unaccented = keep(a, k.unaccented)))
        return LIB_E_NOMEM;
    for (size_t i = 0; i < k.nparts; i++)
        if (!(out->parts[i] = keep(a, k.parts[i])))
            return LIB_E_NOMEM;
    return 0;
}

void an_ahead_start(const struct analyzer *a, struct an_ahead *ah, const char *const words[],
                    const size_t lens[], size_t n)
{
    if (a->mode != AN_FULL)
        return;
    lex_ahead_start(a->lex, &ah->lex, words, lens, n);
    for (size_t i = 0; i < ah->lex.n; i++) {
        ah->words[i] = words[i];
        ah->lens[i] = lens[i];
    }
}

void an_ahead_step(const struct analyzer *a, struct an_ahead *ah)
{
    if (a->mode != AN_FULL)
        return;
    lex_ahead_step(a->lex, &ah->lex);
    if (ah->lex.step != 2)
        return;
    /* A word the lexicon lacks goes through the rules, which look up its
     * possible last parts: a look-up each, all of them cold. */
    for (size_t i = 0; i < ah->lex.n; i++) {
        if (!lex_ahead_absent(&ah->lex, i))
            continue;
        size_t at[AN_W_MAX], n = an_rules_split_points(ah->words[i], ah->lens[i], at);
        for (size_t k = 0; k < n; k++)
            lex_prefetch_slot(a->lex, ah->words[i] + at[k], ah->lens[i] - at[k]);
    }
}

int an_analyze(struct an_word *out, struct analyzer *a, const char *word, size_t len)
{
    memset(out, 0, sizeof *out);
    if (len == 0 || len >= AN_W_MAX)
        return LIB_E_INVALID;
    char w[AN_W_MAX];
    memcpy(w, word, len);
    w[len] = '\0';
    if (a->mode == AN_FULL) {
        struct lex_entry e;
        if (lex_lookup(a->lex, w, len, &e))
            return an_word_of_entry(out, &e), 0;
        return from_rules(out, a, w, len);
    }
    out->stop = an_is_stopword(w, len);
    if (out->stop) {
        out->stem = keep(a, w);
    } else {
        char stem[AN_W_MAX];
        an_rules_snowball(a->sb, w, len, stem);
        out->stem = keep(a, stem);
    }
    return out->stem ? 0 : LIB_E_NOMEM;
}

size_t an_stem_lang(struct analyzer *a, const char *lang, const char *word, size_t len,
                    char out[AN_W_MAX])
{
    return an_langs_stem(a->langs, lang, word, len, out);
}
