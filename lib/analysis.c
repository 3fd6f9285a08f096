/* analysis.c: the Swedish analyzer. Snowball (libstemmer) alone gives
 * "seminarier", "seminariet" and "seminarium" three stems and leaves
 * compounds whole; so in full mode a word is first reduced to its lemma by
 * hunspell-sv, and long words are split into dictionary words (with the
 * linking letters -s-, -e-, -a-) whose stems become extra keys. Only parts of
 * at least three and four letters that the dictionary knows count, so no
 * suffix or fragment ("ar", "ning") ever becomes a key. Results are cached
 * per word: dictionary look-ups are the costly part and words repeat. */
#include "analysis.h"

#include <hunspell/hunspell.h>
#include <libstemmer.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define DICT_DIR "/usr/share/hunspell"
#define CACHE_SLOTS (1u << 16)
#define CACHE_TRIM_AT (CACHE_SLOTS / 2)
#define PART_MIN_HEAD 3   /* letters in a compound's first part */
#define PART_MIN_TAIL 4   /* letters in its last part */
#define SPLIT_MIN 8       /* letters in a word worth splitting */

/* Common Swedish function words: kept out of ranking, still in phrases. */
static const char *const stopwords[] = {
    "alla", "allt", "att", "av", "blev", "bli", "blir", "blivit", "de", "dem", "den", "denna",
    "deras", "dess", "dessa", "det", "detta", "dig", "din", "dina", "ditt", "du", "där", "då",
    "efter", "ej", "eller", "en", "er", "era", "ert", "ett", "från", "för", "ha", "hade", "han",
    "hans", "har", "henne", "hennes", "hon", "honom", "hur", "här", "i", "icke", "ingen", "inom",
    "inte", "jag", "ju", "kan", "kunde", "man", "med", "mellan", "men", "mig", "min", "mina",
    "mitt", "mot", "mycket", "ni", "nu", "när", "någon", "något", "några", "och", "om", "oss",
    "på", "samma", "sedan", "sig", "sin", "sina", "sitt", "skulle", "som", "så", "sådan",
    "sådana", "sådant", "till", "under", "upp", "ut", "utan", "vad", "var", "vara", "varför",
    "varit", "varje", "vars", "vart", "vem", "vi", "vid", "vilka", "vilkas", "vilken", "vilket",
    "vår", "våra", "vårt", "än", "är", "åt", "över", "också", "ska", "skall"};
#define N_STOPWORDS (sizeof stopwords / sizeof stopwords[0])

struct entry {
    char *key;             /* NULL: a free slot; one block holds all strings */
    struct an_word w;
};

struct analyzer {
    enum an_mode mode;
    struct sb_stemmer *sb;
    Hunhandle *hs;          /* AN_FULL only */
    struct entry *slots;
    size_t used;
};

int an_is_stopword(const char *word, size_t len)
{
    for (size_t i = 0; i < N_STOPWORDS; i++)
        if (strlen(stopwords[i]) == len && memcmp(stopwords[i], word, len) == 0)
            return 1;
    return 0;
}

const char *an_mode_name(enum an_mode mode)
{
    return mode == AN_PLAIN ? "plain" : "full";
}

int an_mode_parse(const char *name, enum an_mode *out)
{
    if (strcmp(name, "plain") == 0)
        *out = AN_PLAIN;
    else if (strcmp(name, "full") == 0)
        *out = AN_FULL;
    else
        return -1;
    return 0;
}

enum an_mode an_get_mode(const struct analyzer *a)
{
    return a->mode;
}

int an_new(struct analyzer **out, enum an_mode mode, const char *dict_dir, char *err,
           size_t errlen)
{
    struct analyzer *a = calloc(1, sizeof *a);
    *out = NULL;
    if (!a || !(a->slots = calloc(CACHE_SLOTS, sizeof *a->slots))) {
        free(a);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    a->mode = mode;
    if (!(a->sb = sb_stemmer_new("swedish", "UTF_8"))) {
        snprintf(err, errlen, "libstemmer has no Swedish stemmer");
        goto fail;
    }
    if (mode == AN_FULL) {
        char aff[512], dic[512];
        const char *dir = dict_dir ? dict_dir : DICT_DIR;
        snprintf(aff, sizeof aff, "%s/sv_SE.aff", dir);
        snprintf(dic, sizeof dic, "%s/sv_SE.dic", dir);
        FILE *f = fopen(dic, "r");
        if (!f) {
            snprintf(err, errlen, "no Swedish dictionary at %s (install hunspell-sv)", dic);
            goto fail;
        }
        fclose(f);
        if (!(a->hs = Hunspell_create(aff, dic))) {
            snprintf(err, errlen, "cannot load the dictionary %s", dic);
            goto fail;
        }
    }
    *out = a;
    return 0;
fail:
    an_free(a);
    return -1;
}

static void cache_clear(struct analyzer *a)
{
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        free(a->slots[i].key);
        a->slots[i].key = NULL;
    }
    a->used = 0;
}

void an_free(struct analyzer *a)
{
    if (!a)
        return;
    if (a->slots)
        cache_clear(a);
    free(a->slots);
    if (a->hs)
        Hunspell_destroy(a->hs);
    if (a->sb)
        sb_stemmer_delete(a->sb);
    free(a);
}

void an_trim(struct analyzer *a)
{
    if (a->used >= CACHE_TRIM_AT)
        cache_clear(a);
}

static size_t hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return (size_t)h;
}

/* ---- the analysis proper, with small fixed buffers: words are short ---- */

#define W_MAX 256

static size_t n_letters(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static int has_digit(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return 1;
    return 0;
}

/* Snowball stem of s into out. */
static void snowball(struct analyzer *a, const char *s, size_t len, char out[W_MAX])
{
    const sb_symbol *r = sb_stemmer_stem(a->sb, (const sb_symbol *)s, (int)len);
    size_t n = r ? (size_t)sb_stemmer_length(a->sb) : 0;
    if (!r || n == 0 || n >= W_MAX) {
        r = (const sb_symbol *)s;
        n = len < W_MAX ? len : W_MAX - 1;
    }
    memcpy(out, r, n);
    out[n] = '\0';
}

static int spell(struct analyzer *a, const char *word)
{
    return Hunspell_spell(a->hs, word) != 0;
}

/* The dictionary form of word into out (the word itself when unknown).
 * For compounds the dictionary only built, hunspell answers with the last
 * part's lemma (trygghetsvandringar → vandring); a lemma that does not start
 * like the word or is much shorter is such a part, not the word's lemma. */
static int lemma(struct analyzer *a, const char *word, char out[W_MAX])
{
    char **list = NULL;
    int n = Hunspell_stem(a->hs, &list, word), known = 0;
    size_t wl = strlen(word), ll = n > 0 ? strlen(list[0]) : 0;
    if (n > 0 && ll < W_MAX && !strchr(list[0], ' ') && list[0][0] == word[0] && ll + 6 >= wl) {
        /* kvinnocafé → "kvinno": the rest is a word, so this is a part */
        const char *rest = word + ll;
        known = !(strncmp(word, list[0], ll) == 0 && n_letters(rest, wl - ll) >= 3 &&
                  Hunspell_spell(a->hs, rest));
    }
    snprintf(out, W_MAX, "%s", known ? list[0] : word);
    Hunspell_free_list(a->hs, &list, n);
    return known;
}

/* 1 when the dictionary gives word as its own lemma (a base form). */
static int is_base_form(struct analyzer *a, const char *word)
{
    char **list = NULL;
    int n = Hunspell_stem(a->hs, &list, word), base = 0;
    for (int i = 0; i < n && !base; i++)
        base = strcmp(list[i], word) == 0;
    Hunspell_free_list(a->hs, &list, n);
    return base;
}

/* The Z key of a word: Snowball over its lemma in full mode. */
static void key_of(struct analyzer *a, const char *word, size_t len, char out[W_MAX])
{
    if (a->mode == AN_FULL && !has_digit(word, len)) {
        char l[W_MAX];
        (void)lemma(a, word, l);
        snowball(a, l, strlen(l), out);
    } else {
        snowball(a, word, len, out);
    }
}

/* Is head (the first part of a compound, as written in it) a word? A first
 * part is a base form, maybe with a linking letter (bostads → bostad) or
 * without its final vowel (skol → skola, lärar → lärare, arbets → arbete).
 * Inflected forms do not count: "semin" is not the head of "seminarier".
 * The dictionary form goes to out. */
static int head_word(struct analyzer *a, const char *head, size_t len, char out[W_MAX])
{
    char buf[W_MAX];
    if (n_letters(head, len) < PART_MIN_HEAD)
        return 0;
    snprintf(buf, sizeof buf, "%.*s", (int)len, head);
    if (is_base_form(a, buf))
        goto found;
    if (strchr("seao", head[len - 1]) && n_letters(head, len - 1) >= PART_MIN_HEAD) {
        snprintf(buf, sizeof buf, "%.*s", (int)(len - 1), head);
        if (is_base_form(a, buf))
            goto found;
        if (head[len - 1] == 's') {
            snprintf(buf, sizeof buf, "%.*se", (int)(len - 1), head);
            if (spell(a, buf))
                goto found;
        }
    }
    for (const char *add = "ae"; *add; add++) {
        snprintf(buf, sizeof buf, "%.*s%c", (int)len, head, *add);
        if (spell(a, buf))
            goto found;
    }
    return 0;
found:
    strcpy(out, buf);
    return 1;
}

/* A proper noun the dictionary knows only capitalised (göteborg, malmö):
 * never split, whatever its letters spell. */
static int is_proper_noun(struct analyzer *a, const char *word, size_t len)
{
    if (spell(a, word))
        return 0;
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)word, (utf8proc_ssize_t)len, &cp);
    if (n <= 0)
        return 0;
    char buf[W_MAX];
    utf8proc_uint8_t enc[4];
    utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_toupper(cp), enc);
    snprintf(buf, sizeof buf, "%.*s%s", (int)m, (const char *)enc, word + n);
    return spell(a, buf);
}

/* Splits a compound before its shortest known last part whose first part
 * is a word too (kartläggnings|arbete, not kart|läggningsarbete); fills the
 * parts' Z keys and *head_len, the bytes of the first part as written.
 * Returns how many parts (0 or 2). */
static size_t split(struct analyzer *a, const char *word, size_t len,
                    char parts[AN_MAX_PARTS][W_MAX], size_t *head_len)
{
    if (n_letters(word, len) < SPLIT_MIN || has_digit(word, len) ||
        is_proper_noun(a, word, len))
        return 0;
    for (size_t i = len - 1; i > 0; i--) {
        if (((unsigned char)word[i] & 0xC0) == 0x80)
            continue;   /* not a character boundary */
        const char *tail = word + i;
        size_t tail_len = len - i;
        if (n_letters(tail, tail_len) < PART_MIN_TAIL)
            continue;
        if (n_letters(word, i) < PART_MIN_HEAD)
            break;
        if (an_is_stopword(tail, tail_len) || !spell(a, tail))
            continue;
        char head[W_MAX];
        if (!head_word(a, word, i, head) || an_is_stopword(head, strlen(head)))
            continue;
        key_of(a, head, strlen(head), parts[0]);
        key_of(a, tail, tail_len, parts[1]);
        *head_len = i;
        return 2;
    }
    return 0;
}

/* The Z key and compound parts of a word in full mode. A compound the
 * dictionary does not know gets the lemma of its last part
 * (arbetsmarknaden → arbetsmarknad), so all its forms share one key. */
static size_t analyze_full(struct analyzer *a, const char *w, size_t len, char stem[W_MAX],
                           char parts[AN_MAX_PARTS][W_MAX])
{
    char l[W_MAX];
    int known = has_digit(w, len) ? 0 : lemma(a, w, l);
    size_t head_len = 0, nparts = has_digit(w, len) ? 0 : split(a, w, len, parts, &head_len);
    if (!known && nparts) {
        char tail_lemma[W_MAX];
        (void)lemma(a, w + head_len, tail_lemma);
        size_t tl = strlen(tail_lemma);
        if (head_len + tl < W_MAX) {
            memcpy(l, w, head_len);
            memcpy(l + head_len, tail_lemma, tl + 1);
        } else {
            snprintf(l, sizeof l, "%s", w);
        }
    } else if (!known) {
        snprintf(l, sizeof l, "%s", w);
    }
    snowball(a, l, strlen(l), stem);
    /* A part that is the whole word's key adds nothing. */
    if (nparts && (strcmp(parts[0], stem) == 0 || strcmp(parts[1], stem) == 0))
        nparts = 0;
    return nparts;
}

/* s without diacritics (å → a, ö → o, é → e) into out; returns 1 when
 * that changed anything. */
static int unaccent(const char *s, char out[W_MAX])
{
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, 0, &m,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
                                          UTF8PROC_STRIPMARK);
    int ok = r >= 0 && (size_t)r < W_MAX;
    int changed = ok && strcmp((char *)m, s) != 0;
    snprintf(out, W_MAX, "%s", ok ? (char *)m : s);
    free(m);
    return changed;
}

/* Stores the analysis in slot e: one block for the key and every string. */
static int store(struct entry *e, const char *word, size_t len, const char *stem,
                 const char *unacc, int accented, char parts[AN_MAX_PARTS][W_MAX],
                 size_t nparts, int stop)
{
    size_t need = len + 1 + strlen(stem) + 1 + (unacc ? strlen(unacc) + 1 : 0);
    for (size_t i = 0; i < nparts; i++)
        need += strlen(parts[i]) + 1;
    char *block = malloc(need), *p = block;
    if (!block)
        return -1;
    memcpy(p, word, len);
    p[len] = '\0';
    e->key = p;
    p += len + 1;
    e->w.stem = strcpy(p, stem);
    p += strlen(stem) + 1;
    e->w.unaccented = unacc ? strcpy(p, unacc) : NULL;
    p += unacc ? strlen(unacc) + 1 : 0;
    for (size_t i = 0; i < nparts; i++) {
        e->w.parts[i] = strcpy(p, parts[i]);
        p += strlen(parts[i]) + 1;
    }
    e->w.nparts = nparts;
    e->w.stop = stop;
    e->w.accented = accented;
    return 0;
}

const struct an_word *an_analyze(struct analyzer *a, const char *word, size_t len)
{
    if (len == 0 || len >= W_MAX)
        return NULL;
    size_t i = hash(word, len) & (CACHE_SLOTS - 1);
    while (a->slots[i].key) {
        if (strncmp(a->slots[i].key, word, len) == 0 && a->slots[i].key[len] == '\0')
            return &a->slots[i].w;
        i = (i + 1) & (CACHE_SLOTS - 1);
    }
    if (a->used >= CACHE_SLOTS - 1)   /* full between trims: make room */
        cache_clear(a), i = hash(word, len) & (CACHE_SLOTS - 1);
    char w[W_MAX], stem[W_MAX], plain[W_MAX], unacc[W_MAX];
    char parts[AN_MAX_PARTS][W_MAX];
    memcpy(w, word, len);
    w[len] = '\0';
    int stop = an_is_stopword(w, len);
    size_t nparts = 0;
    int has_unacc = 0, accented = 0;
    if (stop) {
        strcpy(stem, w);
    } else {
        if (a->mode == AN_FULL) {
            nparts = analyze_full(a, w, len, stem, parts);
            /* Unaccented from plain Snowball, so that a query typed without
             * å/ä/ö, which the dictionary cannot lemmatise, meets it. */
            snowball(a, w, len, plain);
            accented = unaccent(plain, unacc);
            has_unacc = 1;
        } else {
            snowball(a, w, len, stem);
        }
    }
    if (store(&a->slots[i], w, len, stem, has_unacc ? unacc : NULL, accented, parts, nparts,
              stop) < 0)
        return NULL;
    a->used++;
    return &a->slots[i].w;
}
