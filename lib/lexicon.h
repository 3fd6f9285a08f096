/* lexicon.h: the compiled Swedish lexicon: every form of hunspell-sv's
 * dictionary (lower case) with its full analysis and the dictionary's answers
 * about it, as the reference analysis (analysis_hunspell.h) gave them when
 * the lexicon was built. One read-only file, memory-mapped once per process
 * and shared by every thread without locks: a look-up is a hash probe or
 * two. tools/lexicon_build.c writes it (lexicon_write.h).
 */
#ifndef LEXICON_H
#define LEXICON_H

#include "error.h"

#include <stddef.h>
#include <stdint.h>

#define LEX_MAX_PARTS 2

/* What the dictionary says of a word. */
enum lex_flag {
    LEX_KNOWN = 1,        /* spelled right on its own */
    LEX_BASE_FORM = 2,    /* its own dictionary form */
    LEX_LEMMA = 4,        /* has a dictionary form (lemma below) */
    LEX_PROPER_NOUN = 8,  /* known only capitalised */
    LEX_ACCENTED = 16,    /* its analysis: has letters with diacritics */
    LEX_STOP = 32         /* its analysis: a stopword */
};

/* One word's entry; the strings live as long as the lexicon. */
struct lex_entry {
    unsigned flags;
    const char *stem;         /* the Z key */
    const char *unaccented;   /* the F key */
    const char *parts[LEX_MAX_PARTS];
    size_t nparts;
    const char *lemma;        /* the dictionary form, or the word itself */
    const char *part_key;     /* its key as a compound's part: Snowball of lemma */
};

struct lexicon;

/* Maps the lexicon at path. 0, or LIB_E_NOTFOUND, LIB_E_IO (cannot be read)
 * or LIB_E_INVALID (truncated, foreign or damaged) with err naming the file. */
int  lex_open(struct lexicon **out, const char *path, lib_error *err);
void lex_free(struct lexicon *lex);

/* 1 and the entry when word (len bytes, lower case) is in the lexicon. */
int  lex_lookup(const struct lexicon *lex, const char *word, size_t len, struct lex_entry *out);

/* Loads ahead what lex_lookup of each word of a run (at most
 * LEX_AHEAD_MAX words) will read: its slot, then its record, then the word
 * and its keys. A look-up follows these three reads one after the other,
 * each likely a cache miss in a lexicon of 800,000 forms; loaded ahead, one
 * step at a time with other work between the steps, they are in the cache
 * when the look-up comes. Changes nothing and answers nothing. */
#define LEX_AHEAD_MAX 16
struct lex_ahead {
    size_t n;
    unsigned step;
    uint64_t hash[LEX_AHEAD_MAX];
    uint32_t rec[LEX_AHEAD_MAX];   /* the record found at step 1, + 1; 0: none */
};
/* Step 0: the words' slots. The words need not outlive the call. */
void lex_ahead_start(const struct lexicon *lex, struct lex_ahead *ah, const char *const words[],
                     const size_t lens[], size_t n);
/* The next step: 1, their records; 2, their strings; after that nothing. */
void lex_ahead_step(const struct lexicon *lex, struct lex_ahead *ah);
/* 1 when step 1 is done and word i of the run is not in the lexicon. */
int  lex_ahead_absent(const struct lex_ahead *ah, size_t i);
/* Starts loading the slot at which lex_lookup of word begins. */
void lex_prefetch_slot(const struct lexicon *lex, const char *word, size_t len);

/* Calls fn with every word whose stem, part, unaccented key or part key is
 * the string s (len bytes): the forms a query key expands to. The entry's
 * strings are the lexicon's own, so they can be compared with *key, s as
 * the lexicon stores it (NULL when no word has it), by address. Stops at
 * and returns fn's first non-zero answer; 0 when all were seen. *key is set
 * before fn is first called. */
typedef int lex_word_fn(void *ctx, const char *word, size_t wlen, const struct lex_entry *e);
int  lex_words_with(const struct lexicon *lex, const char *s, size_t len, const char **key,
                    lex_word_fn *fn, void *ctx);

/* Words in the lexicon, and a hash of the dictionary files it was built from. */
size_t   lex_size(const struct lexicon *lex);
uint64_t lex_source_hash(const struct lexicon *lex);

#endif
