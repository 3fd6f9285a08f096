/* analysis_rules.h: the rules of the full Swedish analysis (lemma, compound
 * split, unaccented key), apart from the dictionary they consult. The
 * reference analysis asks libhunspell (analysis_hunspell.h); the runtime asks
 * the compiled lexicon built from the reference's answers (lexicon.h), so
 * both apply the same rules and differ only where a dictionary does.
 */
#ifndef ANALYSIS_RULES_H
#define ANALYSIS_RULES_H

#include <stddef.h>

struct sb_stemmer;

#define AN_W_MAX 256        /* bytes of a word or key, with its NUL */
#define AN_MAX_PARTS 2

/* What the rules ask of a dictionary, about lower-case words. */
struct an_dict {
    void *ctx;
    int (*known)(void *ctx, const char *w);       /* spelled right on its own */
    int (*base_form)(void *ctx, const char *w);   /* its own dictionary form */
    /* The dictionary form into out and 1, or w itself and 0. */
    int (*lemma)(void *ctx, const char *w, char out[AN_W_MAX]);
    int (*proper_noun)(void *ctx, const char *w); /* known only capitalised */
};

/* One word's analysis in fixed buffers. */
struct an_keys {
    char stem[AN_W_MAX];          /* the Z key */
    char unaccented[AN_W_MAX];    /* the F key */
    int accented;
    char parts[AN_MAX_PARTS][AN_W_MAX];
    size_t nparts;
    int stop;
};

/* The full analysis of the lower-case word w (len bytes, NUL-terminated,
 * len < AN_W_MAX) with dictionary d and stemmer sb. */
void an_rules_full(const struct an_dict *d, struct sb_stemmer *sb, const char *w, size_t len,
                   struct an_keys *out);

/* The key a word has as a compound's part: Snowball over its lemma (over
 * the word itself when it has a digit). */
void an_rules_part_key(const struct an_dict *d, struct sb_stemmer *sb, const char *w, size_t len,
                       char out[AN_W_MAX]);

/* The Snowball stem of s into out (s itself when Snowball gives nothing). */
void an_rules_snowball(struct sb_stemmer *sb, const char *s, size_t len, char out[AN_W_MAX]);

/* s without diacritics (å → a, ö → o, é → e) into out; 1 when that changed
 * anything. */
int  an_rules_unaccent(const char *s, char out[AN_W_MAX]);

/* 1 when the word has an ASCII digit: such words get Snowball only. */
int  an_rules_has_digit(const char *s, size_t len);

/* The byte offsets in w, last first, where the rules look for a compound's
 * last part: character boundaries leaving a last part of PART_MIN_TAIL
 * letters or more and a first part of PART_MIN_HEAD or more. None for a
 * word too short to split or with digits. Returns how many (< AN_W_MAX). */
size_t an_rules_split_points(const char *w, size_t len, size_t at[AN_W_MAX]);

/* Letters (code points) in s. */
size_t an_rules_letters(const char *s, size_t len);

/* 1 when word (lower case) is a Swedish stopword. */
int  an_is_stopword(const char *word, size_t len);

#endif
