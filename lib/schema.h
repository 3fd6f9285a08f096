/* schema.h: how a struct doc is laid out in the Xapian index, the one place
 * that knows the prefixes, value slots and weights (README.md "Index schema"
 * tells the same). doc → [schema_build, with the analyzer] → xc_doc. The
 * query side (query.c) builds its terms from the same names.
 *
 * Terms of a word w with analysis a (analysis.h), body and title alike:
 *   w           positional, for phrases ("S" w in the title)
 *   Z a.stem    the lemma's stem, for ranking ("ZS" a.stem in the title)
 *   C a.part    each compound part's stem (full analysis)
 *   F a.unacc   the stem without diacritics, for words that have them
 * A document in another language L (doc.lang) has, instead of Z, C and F:
 *   XZ L ":" s  the word's stem in L (analysis_lang.h), s its stem
 *               ("XZen:report"); a title's under "XZen:S", an organiser's
 *               under "XZen:XO" (schema_lang_term)
 * and every document the boolean term XL + its language ("XLsv", "XLen").
 * In full analysis, XK + level + stem and XU + level + unaccented key for
 * the stems and keys with impact in the document (its impact tiers,
 * tier.h), XW + own level + stem, and XK and XW alone.
 */
#ifndef SCHEMA_H
#define SCHEMA_H

#include "analysis.h"
#include "doc.h"
#include "error.h"
#include "xapian_c.h"

#include <stddef.h>
#include <stdint.h>

#define SCHEMA_ID "Q"          /* unique id term */
#define SCHEMA_TITLE "S"       /* title words */
#define SCHEMA_TYPE "XT"       /* boolean: type */
#define SCHEMA_PLACE "XP"      /* boolean: town, case-folded */
#define SCHEMA_YEAR "XY"       /* boolean: year */
#define SCHEMA_ORGANIZER "XO"  /* organiser words */
#define SCHEMA_SAMPLE "XS"     /* boolean: the samples the document is in (below) */
#define SCHEMA_STEM "Z"
#define SCHEMA_PART "C"
#define SCHEMA_UNACCENT "F"
/* A stem as a word and as a compound part together, wdf Z + C, beside
 * its Z and C terms: a word's group reads one list where it read two
 * (tier.c writes it, with the marker "D" alone on every document). */
#define SCHEMA_STEM_ALL "D"
#define SCHEMA_FORMAT "XF"       /* boolean: the format (html, pdf, …) */
#define SCHEMA_LANG "XL"         /* boolean: the language (sv, en, …) */
#define SCHEMA_LANG_STEM "XZ"    /* a stem in a language other than Swedish */
#define SCHEMA_FACETS "XV"       /* boolean, alone: the document has SLOT_FACETS */

/* Index metadata keys. */
#define SCHEMA_META_ANALYSIS "analysis"   /* "full" or "plain" */
#define SCHEMA_META_SYNONYMS "synonyms"   /* JSON, see synonyms.h */
#define SCHEMA_META_LAST_RUN "last_run"   /* JSON: the indexer's last run */

enum {
    SLOT_DATE = 0,    /* YYYYMMDD, sortable */
    SLOT_TYPE = 1,    /* facet */
    SLOT_PLACE = 2,   /* facet */
    SLOT_YEAR = 3,    /* facet */
    SLOT_HASH = 4,    /* content hash, hex: unchanged documents are skipped */
    SLOT_RANK = 5,    /* static rank in [0, 1]: newer and not a listing is
                         higher (sortable-serialised, for a weight source) */
    SLOT_SOURCE = 6,  /* the source file's size and time (doc.source) */
    SLOT_FORMAT = 7,  /* facet: the document's format, html for a page */
    SLOT_LANG = 8,    /* facet: the document's language (doc_lang) */
    SLOT_FACETS = 9   /* the facets together: type, year, place, format and
                         language, each but the last ended by a NUL byte
                         (empty when the document has none), so that
                         counting them by value over remote shards looks up
                         one value a match, not five; every document that
                         has it also has the term SCHEMA_FACETS */
};

#define SCHEMA_TERM_MAX 240   /* Xapian's limit is 245 bytes */

/* The unique id term for id into out (SCHEMA_TERM_MAX + 1 bytes): "Q" + id,
 * or for a long id its first bytes and a hash, still unique. */
void schema_id_term(const char *id, char out[SCHEMA_TERM_MAX + 1]);

/* Samples of the documents, nested, for counting facets past a bound
 * (search.c): each document draws a number from a hash of its id, uniform
 * in [0, 2^SCHEMA_SAMPLE_LEVELS), and is in sample j (term "XS" + j) when
 * that number is below 2^j, for j from 0 to SCHEMA_SAMPLE_LEVELS - 1: sample
 * j holds 2^j in 2^SCHEMA_SAMPLE_LEVELS of the documents, whatever the order
 * they were added in, and is one term to filter by. A document is in about
 * one sample on average (half of them in none); every document carries the
 * marker "XS", so that an index written before the samples can be told. */
#define SCHEMA_SAMPLE_LEVELS 12
#define SCHEMA_SAMPLE_TERM_MAX 16
/* The term of sample j ("XS" alone: the marker). */
void schema_sample_term(char out[SCHEMA_SAMPLE_TERM_MAX], int j);
/* The first sample the document with this id term is in (its number's bit
 * length): it is in every sample from there up; SCHEMA_SAMPLE_LEVELS: none. */
int  schema_sample_level(const char *idterm);

/* A boolean term into out: prefix + the case-folded value (len bytes), cut
 * to the term limit; the same for indexing and filtering. 0, or a negative
 * code (LIB_E_NOMEM; LIB_E_INVALID for a value that is not UTF-8). */
int schema_bool_term(char out[SCHEMA_TERM_MAX + 1], const char *prefix, const char *value,
                     size_t len);

/* The term of stem (len bytes) in language lang, a word of the field
 * whose Swedish stems have stem_prefix (SCHEMA_STEM, SCHEMA_STEM
 * SCHEMA_TITLE, …): "XZ" lang ":" + stem_prefix less its Z + stem, into
 * out. 0, or -1 when longer than a term may be. */
int schema_lang_term(char out[SCHEMA_TERM_MAX + 1], const char *lang, const char *stem_prefix,
                     const char *stem, size_t len);

/* The languages of an index's documents other than Swedish, from their XL
 * terms: what a query's words are stemmed in besides Swedish. */
#define SCHEMA_LANGS_MAX 16
struct schema_langs {
    size_t n;
    char lang[SCHEMA_LANGS_MAX][DOC_LANG_MAX];
};
/* Reads them from db into out (the first SCHEMA_LANGS_MAX, the most used
 * first); 0, or a negative code with err filled. Call once per revision. */
int schema_langs_of(struct schema_langs *out, xc_db *db, lib_error *err);

/* "2019-03-27" → "20190327", the sortable form in SLOT_DATE. */
void schema_date_value(const char *date, char out[9]);

/* 64-bit FNV-1a of the bytes, as 16 hex digits into out[17]. */
void schema_hash_hex(const char *s, size_t len, char out[17]);

/* Receives each distinct word of a document, once, for spelling data. */
typedef int (*schema_word_fn)(void *ctx, const char *word, size_t len);

/* Builds the Xapian document for d into *out: terms from the analyzer,
 * boolean terms, values, and the stored JSON as data; each distinct word of
 * the document goes to on_word (NULL: none), for the index's spelling data.
 * The content hash of the stored JSON goes to SLOT_HASH and hash_out. When
 * it equals old_hash (the indexed version's), nothing is built and *out is
 * NULL. 0, or a negative code with err filled. */
int schema_build(xc_doc **out, char hash_out[17], struct analyzer *an, schema_word_fn on_word,
                 void *word_ctx, const struct doc *d, const char *old_hash, lib_error *err);

/* The static rank of d in [0, 1] (see SLOT_RANK). */
double schema_static_rank(const struct doc *d);

/* d's format as indexed and shown: its own, else html. */
const char *schema_format(const struct doc *d);

#endif
