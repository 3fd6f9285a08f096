/* analysis.h: Swedish word analysis shared by indexing, querying and
 * snippets, so a page and a query reduce a word to the same keys.
 * word → lemma (hunspell-sv) → Snowball stem (libstemmer) = the Z key;
 * compound parts (bostads|segregationen → bostad, segregation) = C keys;
 * the stem without diacritics (malmö → malmo) = the F key.
 * One analyzer per thread; results are cached per word.
 */
#ifndef ANALYSIS_H
#define ANALYSIS_H

#include <stddef.h>

enum an_mode {
    AN_PLAIN = 0,   /* Snowball only: the baseline the extras are measured against */
    AN_FULL = 1     /* lemmas, compound parts, unaccented keys */
};

#define AN_MAX_PARTS 2

/* The analysis of one lower-case word; strings owned by the analyzer and
 * valid until an_trim. */
struct an_word {
    const char *stem;        /* the Z key */
    const char *unaccented;  /* the F key: Snowball stem without diacritics
                                (full mode; NULL in plain mode) */
    int accented;            /* the word has letters with diacritics */
    const char *parts[AN_MAX_PARTS];   /* C keys: stems of compound parts */
    size_t nparts;
    int stop;                /* a stopword: no keys, only its position */
};

struct analyzer;

/* AN_FULL needs hunspell-sv's dictionary (dict_dir NULL: the system's).
 * 0, or -1 with a reason in err. */
int  an_new(struct analyzer **out, enum an_mode mode, const char *dict_dir, char *err,
            size_t errlen);
void an_free(struct analyzer *a);
enum an_mode an_get_mode(const struct analyzer *a);

/* Analyzes a lower-case word (as tok_next gives it); NULL when out of
 * memory. The result stays valid until an_trim. */
const struct an_word *an_analyze(struct analyzer *a, const char *word, size_t len);

/* Keeps the cache bounded: call between documents or requests. */
void an_trim(struct analyzer *a);

/* 1 when word (lower case) is a Swedish stopword. */
int  an_is_stopword(const char *word, size_t len);

/* The mode's name as stored in an index ("plain", "full"), and back. */
const char *an_mode_name(enum an_mode mode);
int  an_mode_parse(const char *name, enum an_mode *out);

#endif
