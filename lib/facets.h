/* facets.h: facet counts (type, year, place, format, lang) from tables in memory. A
 * table holds every document's facet values, loaded once per index version
 * (a program may share it among its threads); a
 * query's matches are then counted by document id through a spy, with no
 * value read from disk per match.
 * An index with remote shards has no tables: its matches are counted by
 * value where each shard is (Xapian's ValueCountMatchSpy), from the one slot
 * that holds a document's facets together when every document has it.
 */
#ifndef FACETS_H
#define FACETS_H

#include "error.h"
#include "xapian_c.h"

#include <jansson.h>
#include <stdint.h>

enum { FACET_TYPE, FACET_YEAR, FACET_PLACE, FACET_FORMAT, FACET_LANG, N_FACETS };

struct facet_table {
    unsigned ndocs;              /* document ids 1..ndocs are covered */
    uint16_t *value[N_FACETS];   /* by document id: name index + 1, 0 for none */
    char **names[N_FACETS];
    size_t nnames[N_FACETS];
};

struct facet_value {
    char *name;
    unsigned count;
};

struct facet_counts {
    const struct facet_table *t;
    unsigned *count[N_FACETS];   /* by name index */
    struct facet_value *by_value[N_FACETS];   /* counted by value (remote shards) */
    size_t n_by_value[N_FACETS];
};

/* Loads the table from the index's value slots; 0, or -1 on error. */
int  facets_load(struct facet_table *t, xc_db *db);
/* Frees what t holds and empties it; t itself is the caller's. */
void facets_dispose(struct facet_table *t);

int  facets_counts_init(struct facet_counts *c, const struct facet_table *t);
/* Frees what c holds and empties it; c itself is the caller's. */
void facets_counts_dispose(struct facet_counts *c);
/* The spy's callback: counts one matching document (ctx: facet_counts). */
void facets_count(void *ctx, unsigned docid);
/* Whether every document of db carries its facets together (SLOT_FACETS,
 * schema.h; an index written before them does not until rebuilt): 1 or 0;
 * a negative code on error. One term lookup: once per index revision. */
int  facets_index_together(xc_db *db, lib_error *err);
/* Counts the matches of q by value into c (for remote shards, which cannot
 * count by id), with the total; as xc_db_count_values. together: from
 * SLOT_FACETS, one value a match (facets_index_together), else from each
 * facet's slot. */
int  facets_count_by_value(xc_count *n, xc_db *db, const xc_query *q, unsigned at_most,
                           int together, struct facet_counts *c, xc_error *xe);
/* Adds count to each value of a combination of SLOT_FACETS (schema.h; a
 * value from a remote shard, split at its NUL bytes: parts past the fifth
 * are left out, missing ones are none). */
void facets_count_together(struct facet_counts *c, const char *value, size_t len,
                           unsigned count);
/* Every count back to zero, for counting again. */
void facets_counts_clear(struct facet_counts *c);
/* Every count times factor, rounded (a sample's counts to the whole). */
void facets_counts_scale(struct facet_counts *c, double factor);
/* Adds the counts of from (counted by id, over the same table) to c's. */
void facets_counts_add(struct facet_counts *c, const struct facet_counts *from);

/* {"type": {…}, "year": {…}, "place": {…}, "format": {…}, "lang": {…}}: names
 * in Swedish alphabetical
 * order, years newest first. */
json_t *facets_json(const struct facet_counts *c);

#endif
