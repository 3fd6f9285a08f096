/* analysis_hunspell.c: the dictionary questions of analysis_rules.h
 * answered by libhunspell over hunspell-sv. */
#include "analysis_hunspell.h"

#include <hunspell/hunspell.h>
#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct ah_analyzer {
    Hunhandle *hs;
    struct sb_stemmer *sb;
    struct an_dict dict;
};

static int known(void *ctx, const char *w)
{
    return Hunspell_spell(((struct ah_analyzer *)ctx)->hs, w) != 0;
}

static int base_form(void *ctx, const char *w)
{
    Hunhandle *hs = ((struct ah_analyzer *)ctx)->hs;
    char **list = NULL;
    int n = Hunspell_stem(hs, &list, w), base = 0;
    for (int i = 0; i < n && !base; i++)
        base = strcmp(list[i], w) == 0;
    Hunspell_free_list(hs, &list, n);
    return base;
}

/* For compounds the dictionary only built, hunspell answers with the last
 * part's lemma (trygghetsvandringar → vandring); a lemma that does not start
 * like the word or is much shorter is such a part, not the word's lemma. */
static int lemma(void *ctx, const char *w, char out[AN_W_MAX])
{
    Hunhandle *hs = ((struct ah_analyzer *)ctx)->hs;
    char **list = NULL;
    int n = Hunspell_stem(hs, &list, w), found = 0;
    size_t wl = strlen(w), ll = n > 0 ? strlen(list[0]) : 0;
    if (n > 0 && ll < AN_W_MAX && !strchr(list[0], ' ') && list[0][0] == w[0] && ll + 6 >= wl) {
        /* kvinnocafé → "kvinno": the rest is a word, so this is a part */
        const char *rest = w + ll;
        found = !(strncmp(w, list[0], ll) == 0 && an_rules_letters(rest, wl - ll) >= 3 &&
                  Hunspell_spell(hs, rest));
    }
    snprintf(out, AN_W_MAX, "%s", found ? list[0] : w);
    Hunspell_free_list(hs, &list, n);
    return found;
}

/* göteborg, malmö: the dictionary knows them capitalised only. */
static int proper_noun(void *ctx, const char *w)
{
    if (known(ctx, w))
        return 0;
    utf8proc_int32_t cp;
    size_t len = strlen(w);
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)w, (utf8proc_ssize_t)len, &cp);
    if (n <= 0)
        return 0;
    char buf[AN_W_MAX];
    utf8proc_uint8_t enc[4];
    utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_toupper(cp), enc);
    snprintf(buf, sizeof buf, "%.*s%s", (int)m, (const char *)enc, w + n);
    return known(ctx, buf);
}

int ah_new(struct ah_analyzer **out, const char *dict_dir, lib_error *err)
{
    struct ah_analyzer *a = calloc(1, sizeof *a);
    char aff[512], dic[512];
    const char *dir = dict_dir ? dict_dir : AH_DICT_DIR;
    int rc = LIB_E_INVALID;
    *out = NULL;
    if (!a)
        return lib_error_nomem(err);
    snprintf(aff, sizeof aff, "%s/sv_SE.aff", dir);
    snprintf(dic, sizeof dic, "%s/sv_SE.dic", dir);
    FILE *f = fopen(dic, "r");
    if (!f) {
        rc = lib_error_set(err, LIB_E_NOTFOUND,
                           "no Swedish dictionary at %s (install hunspell-sv)", dic);
        goto cleanup;
    }
    fclose(f);
    if (!(a->hs = Hunspell_create(aff, dic))) {
        lib_error_set(err, rc, "cannot load the dictionary %s", dic);
        goto cleanup;
    }
    if (!(a->sb = sb_stemmer_new("swedish", "UTF_8"))) {
        lib_error_set(err, rc, "libstemmer has no Swedish stemmer");
        goto cleanup;
    }
    a->dict = (struct an_dict){a, known, base_form, lemma, proper_noun};
    *out = a;
    a = NULL;
    rc = 0;
cleanup:
    ah_free(a);
    return rc;
}

void ah_free(struct ah_analyzer *a)
{
    if (!a)
        return;
    if (a->hs)
        Hunspell_destroy(a->hs);
    if (a->sb)
        sb_stemmer_delete(a->sb);
    free(a);
}

void ah_analyze(struct ah_analyzer *a, const char *word, size_t len, struct an_keys *out)
{
    an_rules_full(&a->dict, a->sb, word, len, out);
}

const struct an_dict *ah_dict(struct ah_analyzer *a)
{
    return &a->dict;
}

struct sb_stemmer *ah_stemmer(struct ah_analyzer *a)
{
    return a->sb;
}
