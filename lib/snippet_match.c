/* snippet_match.c: a word of the lexicon matches a key exactly when the
 * lexicon lists it under that key, so those words are gathered into a table
 * once a request. A word it does not list goes through the analysis rules,
 * whose keys are bound to the word's letters: its stem starts with its
 * first three bytes (a compound's head is three letters at least and
 * Snowball cuts only endings), a compound part is a word of the lexicon
 * whose part key is the key, standing at the word's end (the tail) or,
 * less its last letter, at its start (the head), and its unaccented key
 * starts the word's unaccented letters. A word that none of these can hold
 * is no match, without a look-up; the rest are analysed. Answers are kept
 * by word for the request: a page repeats its words. A text in another
 * language has no lexicon: each distinct word is stemmed in it, once. */
#include "snippet_match.h"

#include "hash.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_MIN 1024
#define MEMO_SLOTS 8192   /* a power of two; filled to half at most */
#define STEM_PREFIX 3     /* bytes an unlisted word shares with its stem */

struct form {
    const char *s;
    size_t len;
};

/* A set of words (lexicon strings) with the key each matches. */
struct table {
    struct form *word;
    const char **key;
    size_t n, cap;   /* cap a power of two, or 0 */
};

struct snippet_matcher {
    struct analyzer *an;
    const struct query_keys *keys;
    const struct lexicon *lex;   /* NULL: plain analysis, no lexicon */
    struct table listed;         /* the lexicon's words that match */
    struct form *parts;          /* words whose part key is a query stem */
    size_t nparts, parts_cap;
    const char *cur;             /* while gathering: the key, as the lexicon has it */
    int cur_is_stem;
    /* Answers by word. Two words of one request sharing a 64-bit hash
     * would share an answer: below one chance in a billion at a few
     * thousand words, so the words themselves are not kept. */
    uint64_t memo_hash[MEMO_SLOTS];   /* 0: free; a word's hash | 1 */
    const char *memo_key[MEMO_SLOTS];
    size_t memo_used;
    size_t analysed;             /* words sent to the analysis */
    int failed;                  /* out of memory while gathering */
    char lang[DOC_LANG_MAX];     /* the text's language; "" for Swedish */
    uint64_t lang_salt;          /* mixed into the memo's hashes: a word's
                                    answer differs by language */
};

static const char *in_set(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(v[i], s) == 0)
            return v[i];
    return NULL;
}

/* The key of an analysed word, as snippets count them. */
static const char *key_of_word(const struct query_keys *k, const struct an_word *a)
{
    const char *key;
    if (a->stop)
        return NULL;
    if ((key = in_set(k->stems, k->nstems, a->stem)))
        return key;
    for (size_t i = 0; i < a->nparts; i++)
        if ((key = in_set(k->stems, k->nstems, a->parts[i])))
            return key;
    return in_set(k->unaccented, k->nunaccented, a->unaccented);
}

const char *snippet_key_by_analysis(struct analyzer *an, const struct query_keys *k,
                                    const struct tok *t)
{
    const char *key = in_set(k->words, k->nwords, t->word);
    struct an_word a;
    if (key)
        return key;
    return an_analyze(&a, an, t->word, t->wlen) < 0 ? NULL : key_of_word(k, &a);
}

/* ---- the table of listed words ---- */

static size_t probe(const struct table *t, const char *w, size_t len, int *found)
{
    size_t i = fnv1a64(w, len) & (t->cap - 1);
    for (; t->word[i].s; i = (i + 1) & (t->cap - 1)) {
        if (t->word[i].len == len && memcmp(t->word[i].s, w, len) == 0) {
            *found = 1;
            return i;
        }
    }
    *found = 0;
    return i;
}

static int table_grow(struct table *t)
{
    struct table bigger = {0};
    bigger.cap = t->cap ? t->cap * 2 : TABLE_MIN;
    bigger.word = calloc(bigger.cap, sizeof *bigger.word);
    bigger.key = calloc(bigger.cap, sizeof *bigger.key);
    if (!bigger.word || !bigger.key) {
        free(bigger.word);
        free(bigger.key);
        return -1;
    }
    for (size_t i = 0; i < t->cap; i++) {
        int found;
        if (!t->word[i].s)
            continue;
        size_t j = probe(&bigger, t->word[i].s, t->word[i].len, &found);
        bigger.word[j] = t->word[i];
        bigger.key[j] = t->key[i];
    }
    bigger.n = t->n;
    free(t->word);
    free(t->key);
    *t = bigger;
    return 0;
}

static int table_put(struct table *t, const char *w, size_t len, const char *key)
{
    int found;
    if ((t->n + 1) * 2 > t->cap && table_grow(t) < 0)
        return -1;
    size_t i = probe(t, w, len, &found);
    if (!found) {
        t->word[i] = (struct form){w, len};
        t->key[i] = key;
        t->n++;
    }
    return 0;
}

/* Keeps w among the words a compound part may be. */
static int add_part(struct snippet_matcher *m, const char *w, size_t len)
{
    if (m->nparts == m->parts_cap) {
        size_t cap = m->parts_cap ? m->parts_cap * 2 : 64;
        struct form *p = realloc(m->parts, cap * sizeof *p);
        if (!p)
            return -1;
        m->parts = p;
        m->parts_cap = cap;
    }
    m->parts[m->nparts++] = (struct form){w, len};
    return 0;
}

/* lex_word_fn: a word the lexicon lists under the key m->cur. */
static int gather(void *ctx, const char *word, size_t wlen, const struct lex_entry *e)
{
    struct snippet_matcher *m = ctx;
    struct an_word a;
    an_word_of_entry(&a, e);
    const char *key = key_of_word(m->keys, &a);
    if (key && table_put(&m->listed, word, wlen, key) < 0)
        return m->failed = -1;
    if (m->cur_is_stem && e->part_key == m->cur && add_part(m, word, wlen) < 0)
        return m->failed = -1;
    return 0;
}

int snippet_matcher_new(struct snippet_matcher **out, struct analyzer *an,
                        const struct query_keys *keys)
{
    struct snippet_matcher *m = calloc(1, sizeof *m);
    *out = NULL;
    if (!m)
        return LIB_E_NOMEM;
    m->an = an;
    m->keys = keys;
    m->lex = an_lexicon(an);
    for (size_t i = 0; m->lex && i < keys->nstems + keys->nunaccented && !m->failed; i++) {
        int stem = i < keys->nstems;
        const char *k = stem ? keys->stems[i] : keys->unaccented[i - keys->nstems];
        m->cur_is_stem = stem;
        lex_words_with(m->lex, k, strlen(k), &m->cur, gather, m);
    }
    if (m->failed || (m->lex && !m->listed.cap && table_grow(&m->listed) < 0)) {
        snippet_matcher_free(m);
        return LIB_E_NOMEM;
    }
    *out = m;
    return 0;
}

void snippet_matcher_free(struct snippet_matcher *m)
{
    if (!m)
        return;
    free(m->listed.word);
    free(m->listed.key);
    free(m->parts);
    free(m);
}

static int starts_with(const struct tok *t, const char *s, size_t n)
{
    return t->wlen >= n && memcmp(t->word, s, n) == 0;
}

/* 0 when a word the lexicon does not list could not get any of the keys
 * from the rules (see the top of the file); 1 when it might. */
static int may_match_unlisted(const struct snippet_matcher *m, const struct tok *t)
{
    const struct query_keys *k = m->keys;
    for (size_t i = 0; i < k->nstems; i++) {
        size_t n = strlen(k->stems[i]);
        if (starts_with(t, k->stems[i], n < STEM_PREFIX ? n : STEM_PREFIX))
            return 1;
    }
    for (size_t i = 0; i < m->nparts; i++) {
        const struct form *f = &m->parts[i];
        if (t->wlen > f->len && memcmp(t->word + t->wlen - f->len, f->s, f->len) == 0)
            return 1;   /* a tail */
        if (f->len > 1 && t->wlen >= f->len && starts_with(t, f->s, f->len - 1))
            return 1;   /* a head, maybe with its last letter changed */
    }
    for (size_t i = 0; i < k->nunaccented; i++) {
        const unsigned char *u = (const unsigned char *)k->unaccented[i];
        size_t j = 0;
        while (u[j] && j < t->wlen && (unsigned char)t->word[j] < 0x80 && t->word[j] == (char)u[j])
            j++;
        if (!u[j] || (j < t->wlen && (unsigned char)t->word[j] >= 0x80))
            return 1;   /* all of u matched, or a letter that may lose its accent */
    }
    return 0;
}

void snippet_matcher_set_lang(struct snippet_matcher *m, const char *lang)
{
    int swedish = !lang || strcmp(lang, DOC_LANG_DEFAULT) == 0 || strlen(lang) >= DOC_LANG_MAX;
    strcpy(m->lang, swedish ? "" : lang);
    m->lang_salt = swedish ? 0 : hash_mix64(fnv1a64(lang, strlen(lang)));
}

/* The key of a word of a text in another language: its stem there. */
static const char *lang_answer(struct snippet_matcher *m, const struct tok *t)
{
    const struct query_keys *k = m->keys;
    char stem[AN_W_MAX], key[DOC_LANG_MAX + AN_W_MAX];
    an_stem_lang(m->an, m->lang, t->word, t->wlen, stem);
    snprintf(key, sizeof key, "%s:%s", m->lang, stem);
    m->analysed++;
    return in_set(k->lang_stems, k->nlang_stems, key);
}

static const char *answer(struct snippet_matcher *m, const struct tok *t)
{
    const struct query_keys *k = m->keys;
    const char *key = in_set(k->words, k->nwords, t->word);
    if (key)
        return key;
    if (m->lang[0])
        return k->nlang_stems ? lang_answer(m, t) : NULL;
    if (!m->lex) {
        m->analysed++;
        return snippet_key_by_analysis(m->an, k, t);
    }
    int found;
    size_t i = probe(&m->listed, t->word, t->wlen, &found);
    if (found)
        return m->listed.key[i];
    struct lex_entry e;
    if (!may_match_unlisted(m, t) || lex_lookup(m->lex, t->word, t->wlen, &e))
        return NULL;   /* a listed word is in the table when it matches */
    m->analysed++;
    return snippet_key_by_analysis(m->an, k, t);
}

/* Distinct strings among v[0..n). */
static size_t distinct(char *const *v, size_t n)
{
    size_t d = 0;
    for (size_t i = 0; i < n; i++)
        d += in_set(v, i, v[i]) == NULL;
    return d;
}

/* The query's stems in language lang ("lang:stem", each distinct). */
static size_t lang_keys(const struct query_keys *k, const char *lang)
{
    size_t n = 0, len = strlen(lang);
    for (size_t i = 0; i < k->nlang_stems; i++)
        n += strncmp(k->lang_stems[i], lang, len) == 0 && k->lang_stems[i][len] == ':';
    return n;   /* strv_push keeps them distinct */
}

size_t snippet_matcher_key_count(const struct snippet_matcher *m)
{
    size_t stems = m->lang[0] ? lang_keys(m->keys, m->lang)
                              : distinct(m->keys->stems, m->keys->nstems);
    return stems + distinct(m->keys->words, m->keys->nwords);
}

size_t snippet_matcher_analysed(const struct snippet_matcher *m)
{
    return m->analysed;
}

const char *snippet_matcher_key(struct snippet_matcher *m, const struct tok *t)
{
    uint64_t h = (fnv1a64(t->word, t->wlen) ^ m->lang_salt) | 1;
    size_t i = h & (MEMO_SLOTS - 1);
    for (; m->memo_hash[i]; i = (i + 1) & (MEMO_SLOTS - 1))
        if (m->memo_hash[i] == h)
            return m->memo_key[i];
    const char *key = answer(m, t);
    if (m->memo_used < MEMO_SLOTS / 2) {
        m->memo_hash[i] = h;
        m->memo_key[i] = key;
        m->memo_used++;
    }
    return key;
}
