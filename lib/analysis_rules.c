/* analysis_rules.c: Snowball (libstemmer) alone gives "seminarier",
 * "seminariet" and "seminarium" three stems and leaves compounds whole; so a
 * word is first reduced to its lemma, and long words are split into
 * dictionary words (with the linking letters -s-, -e-, -a-) whose stems
 * become extra keys. Only parts of at least three and four letters that the
 * dictionary knows count, so no suffix or fragment ("ar", "ning") ever
 * becomes a key. The dictionary is whatever struct an_dict asks. */
#include "analysis_rules.h"

#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define PART_MIN_HEAD 3   /* letters in a compound's first part */
#define PART_MIN_TAIL 4   /* letters in its last part */
#define SPLIT_MIN 8       /* letters in a word worth splitting */

/* Common Swedish function words, sorted (strcmp): kept out of ranking,
 * still in phrases. */
static const char *const stopwords[] = {
    "alla", "allt", "att", "av", "blev", "bli", "blir", "blivit", "de", "dem", "den", "denna",
    "deras", "dess", "dessa", "det", "detta", "dig", "din", "dina", "ditt", "du", "där", "då",
    "efter", "ej", "eller", "en", "er", "era", "ert", "ett", "från", "för", "ha", "hade", "han",
    "hans", "har", "henne", "hennes", "hon", "honom", "hur", "här", "i", "icke", "ingen", "inom",
    "inte", "jag", "ju", "kan", "kunde", "man", "med", "mellan", "men", "mig", "min", "mina",
    "mitt", "mot", "mycket", "ni", "nu", "när", "någon", "något", "några", "och", "också", "om",
    "oss", "på", "samma", "sedan", "sig", "sin", "sina", "sitt", "ska", "skall", "skulle", "som",
    "så", "sådan", "sådana", "sådant", "till", "under", "upp", "ut", "utan", "vad", "var",
    "vara", "varför", "varit", "varje", "vars", "vart", "vem", "vi", "vid", "vilka", "vilkas",
    "vilken", "vilket", "vår", "våra", "vårt", "än", "är", "åt", "över"};
#define N_STOPWORDS (sizeof stopwords / sizeof stopwords[0])
#define STOPWORD_MAX 8   /* bytes of the longest: "vilkas", "varför" */

int an_is_stopword(const char *word, size_t len)
{
    if (len == 0 || len > STOPWORD_MAX)
        return 0;
    char w[STOPWORD_MAX + 1];
    memcpy(w, word, len);
    w[len] = '\0';
    size_t lo = 0, hi = N_STOPWORDS;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(stopwords[mid], w);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

size_t an_rules_letters(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

int an_rules_has_digit(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return 1;
    return 0;
}

void an_rules_snowball(struct sb_stemmer *sb, const char *s, size_t len, char out[AN_W_MAX])
{
    const sb_symbol *r = sb_stemmer_stem(sb, (const sb_symbol *)s, (int)len);
    size_t n = r ? (size_t)sb_stemmer_length(sb) : 0;
    if (!r || n == 0 || n >= AN_W_MAX) {
        r = (const sb_symbol *)s;
        n = len < AN_W_MAX ? len : AN_W_MAX - 1;
    }
    memcpy(out, r, n);
    out[n] = '\0';
}

int an_rules_unaccent(const char *s, char out[AN_W_MAX])
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p && *p < 0x80)
        p++;
    if (!*p) {   /* ASCII: nothing to strip */
        snprintf(out, AN_W_MAX, "%s", s);
        return 0;
    }
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, 0, &m,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
                                          UTF8PROC_STRIPMARK);
    int ok = r >= 0 && (size_t)r < AN_W_MAX;
    int changed = ok && strcmp((char *)m, s) != 0;
    snprintf(out, AN_W_MAX, "%s", ok ? (char *)m : s);
    free(m);
    return changed;
}

/* n bytes of s then the letter c (none when 0) into out: the candidates
 * are built on every split point, so no printf here. */
static void put(char out[AN_W_MAX], const char *s, size_t n, char c)
{
    if (n > AN_W_MAX - 2)
        n = AN_W_MAX - 2;
    memcpy(out, s, n);
    out[n] = c;
    out[n + (c != '\0')] = '\0';
}

void an_rules_part_key(const struct an_dict *d, struct sb_stemmer *sb, const char *word,
                       size_t len, char out[AN_W_MAX])
{
    if (!an_rules_has_digit(word, len)) {
        char l[AN_W_MAX];
        (void)d->lemma(d->ctx, word, l);
        an_rules_snowball(sb, l, strlen(l), out);
    } else {
        an_rules_snowball(sb, word, len, out);
    }
}

/* Is head (the first part of a compound, as written in it) a word? A first
 * part is a base form, maybe with a linking letter (bostads → bostad) or
 * without its final vowel (skol → skola, lärar → lärare, arbets → arbete).
 * Inflected forms do not count: "semin" is not the head of "seminarier".
 * The dictionary form goes to out. */
static int head_word(const struct an_dict *d, const char *head, size_t len, char out[AN_W_MAX])
{
    char buf[AN_W_MAX];
    if (an_rules_letters(head, len) < PART_MIN_HEAD)
        return 0;
    put(buf, head, len, '\0');
    if (d->base_form(d->ctx, buf))
        goto found;
    if (strchr("seao", head[len - 1]) && an_rules_letters(head, len - 1) >= PART_MIN_HEAD) {
        put(buf, head, len - 1, '\0');
        if (d->base_form(d->ctx, buf))
            goto found;
        if (head[len - 1] == 's') {
            put(buf, head, len - 1, 'e');
            if (d->known(d->ctx, buf))
                goto found;
        }
    }
    for (const char *add = "ae"; *add; add++) {
        put(buf, head, len, *add);
        if (d->known(d->ctx, buf))
            goto found;
    }
    return 0;
found:
    strcpy(out, buf);
    return 1;
}

size_t an_rules_split_points(const char *w, size_t len, size_t at[AN_W_MAX])
{
    size_t letters = an_rules_letters(w, len), n = 0;
    if (letters < SPLIT_MIN || len >= AN_W_MAX || an_rules_has_digit(w, len))
        return 0;
    size_t tail = 0;   /* letters of w + i */
    for (size_t i = len - 1; i > 0; i--) {
        if (((unsigned char)w[i] & 0xC0) == 0x80)
            continue;   /* not a character boundary */
        if (++tail < PART_MIN_TAIL)
            continue;
        if (letters - tail < PART_MIN_HEAD)
            break;
        at[n++] = i;
    }
    return n;
}

/* Splits a compound before its shortest known last part whose first part
 * is a word too (kartläggnings|arbete, not kart|läggningsarbete); fills the
 * parts' Z keys and *head_len, the bytes of the first part as written.
 * Returns how many parts (0 or 2). */
static size_t split(const struct an_dict *d, struct sb_stemmer *sb, const char *word, size_t len,
                    char parts[AN_MAX_PARTS][AN_W_MAX], size_t *head_len)
{
    size_t at[AN_W_MAX], n = an_rules_split_points(word, len, at);
    if (n == 0 || d->proper_noun(d->ctx, word))
        return 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = at[k];
        const char *tail = word + i;
        size_t tail_len = len - i;
        if (an_is_stopword(tail, tail_len) || !d->known(d->ctx, tail))
            continue;
        char head[AN_W_MAX];
        if (!head_word(d, word, i, head) || an_is_stopword(head, strlen(head)))
            continue;
        an_rules_part_key(d, sb, head, strlen(head), parts[0]);
        an_rules_part_key(d, sb, tail, tail_len, parts[1]);
        *head_len = i;
        return 2;
    }
    return 0;
}

/* The Z key and compound parts. A compound the dictionary does not know
 * gets the lemma of its last part (arbetsmarknaden → arbetsmarknad), so all
 * its forms share one key. */
static size_t stem_and_parts(const struct an_dict *d, struct sb_stemmer *sb, const char *w,
                             size_t len, char stem[AN_W_MAX], char parts[AN_MAX_PARTS][AN_W_MAX])
{
    char l[AN_W_MAX];
    int digits = an_rules_has_digit(w, len);
    int known = digits ? 0 : d->lemma(d->ctx, w, l);
    size_t head_len = 0, nparts = digits ? 0 : split(d, sb, w, len, parts, &head_len);
    if (!known && nparts) {
        char tail_lemma[AN_W_MAX];
        (void)d->lemma(d->ctx, w + head_len, tail_lemma);
        size_t tl = strlen(tail_lemma);
        if (head_len + tl < AN_W_MAX) {
            memcpy(l, w, head_len);
            memcpy(l + head_len, tail_lemma, tl + 1);
        } else {
            snprintf(l, sizeof l, "%s", w);
        }
    } else if (!known) {
        snprintf(l, sizeof l, "%s", w);
    }
    an_rules_snowball(sb, l, strlen(l), stem);
    /* A part that is the whole word's key adds nothing. */
    if (nparts && (strcmp(parts[0], stem) == 0 || strcmp(parts[1], stem) == 0))
        nparts = 0;
    return nparts;
}

void an_rules_full(const struct an_dict *d, struct sb_stemmer *sb, const char *w, size_t len,
                   struct an_keys *out)
{
    out->nparts = 0;
    out->accented = 0;
    out->unaccented[0] = '\0';
    out->stop = an_is_stopword(w, len);
    if (out->stop) {
        snprintf(out->stem, AN_W_MAX, "%s", w);
        return;
    }
    out->nparts = stem_and_parts(d, sb, w, len, out->stem, out->parts);
    /* Unaccented from plain Snowball, so that a query typed without å/ä/ö,
     * which the dictionary cannot lemmatise, meets it. */
    char plain[AN_W_MAX];
    an_rules_snowball(sb, w, len, plain);
    out->accented = an_rules_unaccent(plain, out->unaccented);
}
