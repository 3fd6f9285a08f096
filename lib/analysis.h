/* analysis.h: Swedish word analysis shared by indexing, querying and
 * snippets, so a page and a query reduce a word to the same keys.
 * word → lemma → Snowball stem (libstemmer) = the Z key;
 * compound parts (bostads|segregationen → bostad, segregation) = C keys;
 * the stem without diacritics (malmö → malmo) = the F key.
 * In full mode a word of the dictionary is one look-up in the compiled
 * lexicon (lexicon.h), shared by every thread; a word it lacks (a compound
 * the dictionary does not list, a name, a typo) goes through the same rules
 * (analysis_rules.h) with the lexicon answering for its parts. One analyzer
 * per thread: it holds a Snowball stemmer and the strings of such words.
 */
#ifndef ANALYSIS_H
#define ANALYSIS_H

#include "analysis_rules.h"
#include "lexicon.h"

#include <stddef.h>

enum an_mode {
    AN_PLAIN = 0,   /* Snowball only: the baseline the extras are measured against */
    AN_FULL = 1     /* lemmas, compound parts, unaccented keys */
};

/* The analysis of one lower-case word. Its strings are the lexicon's or the
 * analyzer's, valid until an_trim. */
struct an_word {
    const char *stem;        /* the Z key */
    const char *unaccented;  /* the F key: Snowball stem without diacritics
                                (full mode; NULL in plain mode) */
    int accented;            /* the word has letters with diacritics */
    const char *parts[AN_MAX_PARTS];   /* C keys: stems of compound parts */
    size_t nparts;
    int stop;                /* a stopword: no keys, only its position */
    int listed;              /* the lexicon lists the word (full mode): its
                                unaccented key leads back to it there, so an
                                index needs no F key for it (query.c) */
};

struct analyzer;

/* AN_FULL needs the lexicon (lex_open), which must outlive the analyzer;
 * AN_PLAIN takes NULL. 0, or LIB_E_INVALID (no lexicon, no Swedish
 * Snowball) or LIB_E_NOMEM with err saying why. */
int  an_new(struct analyzer **out, enum an_mode mode, const struct lexicon *lex, lib_error *err);
void an_free(struct analyzer *a);
enum an_mode an_get_mode(const struct analyzer *a);

/* Analyzes a lower-case word (as tok_next gives it) into out. 0,
 * LIB_E_INVALID for an empty word or one over AN_W_MAX - 1 bytes, or
 * LIB_E_NOMEM. */
int  an_analyze(struct an_word *out, struct analyzer *a, const char *word, size_t len);

/* The stem of a lower-case word (len < AN_W_MAX) of a document or query in
 * another language than Swedish (lang: a primary subtag such as "en",
 * doc.h) into out: that language's Snowball (analysis_lang.h), or the word
 * itself for a language libstemmer lacks. Its length. */
size_t an_stem_lang(struct analyzer *a, const char *lang, const char *word, size_t len,
                    char out[AN_W_MAX]);

/* Loads ahead what the coming an_analyze of each word of a run (at most
 * AN_AHEAD_MAX) will read: an_ahead_start with the run, then an_ahead_step
 * twice, each after other work, then the run's analyses. For a word the
 * lexicon lists that is its entry (lexicon.h, lex_ahead); for one it
 * lacks, the places where the rules will look for a compound's last part.
 * The words must stay until the last step. Changes nothing; does nothing
 * in plain mode. */
#define AN_AHEAD_MAX LEX_AHEAD_MAX
struct an_ahead {
    struct lex_ahead lex;
    const char *words[AN_AHEAD_MAX];
    size_t lens[AN_AHEAD_MAX];
};
void an_ahead_start(const struct analyzer *a, struct an_ahead *ah, const char *const words[],
                    const size_t lens[], size_t n);
void an_ahead_step(const struct analyzer *a, struct an_ahead *ah);

/* The analysis of a word the lexicon lists, from its entry: what
 * an_analyze gives for that word. */
void an_word_of_entry(struct an_word *out, const struct lex_entry *e);

/* The lexicon of a full analyzer; NULL in plain mode. */
const struct lexicon *an_lexicon(const struct analyzer *a);

/* The lexicon as the rules' dictionary (full mode; NULL in plain): what the
 * analysis asks about a word the lexicon lacks. */
const struct an_dict *an_dict_of(const struct analyzer *a);

/* Frees the strings of the words analysed since the last trim: call
 * between documents or requests. */
void an_trim(struct analyzer *a);

/* The mode's name as stored in an index ("plain", "full"), and back (0, or
 * LIB_E_INVALID for another name). */
const char *an_mode_name(enum an_mode mode);
int  an_mode_parse(enum an_mode *out, const char *name);

/* The lexicon a program uses when not told: beside an installed program
 * (PREFIX/share/sitesearch/sv_SE.lex for PREFIX/bin/PROGRAM), else the one
 * built in the source tree (LEXICON_PATH). Into buf. */
const char *an_default_lexicon(char *buf, size_t len);

#endif
