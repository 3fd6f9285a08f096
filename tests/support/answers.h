/* answers.h: comparing the answers of two searchds over the same pages (one
 * index beside a sharded one, local or remote), and building such indexes
 * from corpus/ with the editors' synonyms.
 */
#ifndef ANSWERS_H
#define ANSWERS_H

#include <jansson.h>
#include <stddef.h>

/* Indexes corpus/ with config/synonyms.txt into db, with --shards shards
 * (NULL: as it is) and one extra argument (NULL: none); the exit code. */
int  index_corpus(const char *db, const char *shards, const char *extra);

/* GET target as JSON when the answer is a 200; NULL otherwise. */
json_t *get_json(unsigned port, const char *target);

/* GET target: its status into *status (0 when unreachable), its body as JSON
 * (NULL when it is none). */
json_t *get_json_status(unsigned port, const char *target, int *status);

/* 1 when two answers to /api/search agree on all that must not depend on
 * how the index is split: hits (ids, in order), total, facets, suggestion
 * and any_word. */
int  same_answer(json_t *a, json_t *b);

/* Asks both searchds every judged query of the relevance suite, its second
 * page of 5 and its date order; the number of answers that differ (each
 * named on stderr), with how many were asked in *asked. */
int  compare_judged_queries(unsigned port_a, unsigned port_b, size_t *asked);

#endif
