/* analysis_lang.h: the analysis of a document, or of a query's word, in a
 * language other than Swedish: its Snowball stem, by that language's
 * stemmer (libstemmer has about thirty, named by ISO 639 code); a language
 * it lacks (Sami, Romani) keeps its words as they are. No lemmas, compound
 * parts or stopwords: those are the Swedish analysis's own.
 */
#ifndef ANALYSIS_LANG_H
#define ANALYSIS_LANG_H

#include "analysis_rules.h"
#include "doc.h"

#include <stddef.h>

#define AN_LANGS_MAX 16   /* languages one set stems at once */

/* Each language's stemmer, made on first use. One set per thread. */
struct an_langs;

/* 0, or LIB_E_NOMEM. */
int  an_langs_new(struct an_langs **out);
void an_langs_free(struct an_langs *s);

/* The stem of a lower-case word (len < AN_W_MAX) in lang, a primary
 * language subtag ("en", "fi"; doc.h), into out; its length. The word
 * itself for a language with no stemmer, and past AN_LANGS_MAX languages
 * (or out of memory) for any new one. */
size_t an_langs_stem(struct an_langs *s, const char *lang, const char *word, size_t len,
                     char out[AN_W_MAX]);

/* 1 when libstemmer stems lang. */
int  an_lang_has_stemmer(const char *lang);

/* 1 when text reads as Swedish: of its first AN_LANG_SAMPLE words (at least
 * AN_LANG_SAMPLE_MIN), AN_LANG_SWEDISH_PER_MILLE or more are Swedish
 * function words (och, att, som, för, …). Swedish prose has 25-40 %, a
 * Swedish manual's lists 12 %, English text under 1 %. */
#define AN_LANG_SAMPLE 2000
#define AN_LANG_SAMPLE_MIN 50
#define AN_LANG_SWEDISH_PER_MILLE 50
int  an_reads_as_swedish(const char *text, size_t len);

/* A file that declares another language than Swedish while its text reads
 * as Swedish (a template's or a tool's default: DocBook writes "en" into
 * every translation) is indexed as Swedish: d->lang is cleared and the
 * declared language moved to d->lang_declared, for the caller to report.
 * 1 when so, else 0. */
int  an_lang_overrule(struct doc *d);
/* The note that says so, for the language declared, into out. */
void an_lang_overrule_note(const char *declared, char *out, size_t outlen);

#endif
