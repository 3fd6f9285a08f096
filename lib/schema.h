/* schema.h: how a struct doc is laid out in the Xapian index, the one place
 * that knows the prefixes, value slots and weights (DESIGN.md "Index
 * schema"). doc → [schema_build] → xc_doc; query side: schema_setup_qp.
 */
#ifndef SCHEMA_H
#define SCHEMA_H

#include "doc.h"
#include "xapian_c.h"

#include <stddef.h>
#include <stdint.h>

#define SCHEMA_ID "Q"          /* unique id term */
#define SCHEMA_TITLE "S"       /* title words */
#define SCHEMA_TYPE "XT"       /* boolean: type */
#define SCHEMA_PLACE "XP"      /* boolean: town, case-folded */
#define SCHEMA_YEAR "XY"       /* boolean: year */
#define SCHEMA_ORGANIZER "XO"  /* organiser words */

enum {
    SLOT_DATE = 0,    /* YYYYMMDD, sortable */
    SLOT_TYPE = 1,    /* facet */
    SLOT_PLACE = 2,   /* facet */
    SLOT_YEAR = 3,    /* facet */
    SLOT_HASH = 4     /* content hash, hex: unchanged documents are skipped */
};

#define SCHEMA_TERM_MAX 240   /* Xapian's limit is 245 bytes */

/* The unique id term for id into out (SCHEMA_TERM_MAX + 1 bytes): "Q" + id,
 * or for a long id its first bytes and a hash, still unique. */
void schema_id_term(const char *id, char out[SCHEMA_TERM_MAX + 1]);

/* 64-bit FNV-1a of the bytes, as 16 hex digits into out[17]. */
void schema_hash_hex(const char *s, size_t len, char out[17]);

/* Builds the Xapian document for d: terms through tg (which must carry the
 * analyzer's stemmer), boolean terms, values, and the stored JSON as data.
 * The content hash of the stored JSON goes to SLOT_HASH and *hash_out.
 * 0, or an XC_E… code with err filled. */
int schema_build(xc_termgen *tg, const struct doc *d, xc_doc **out,
                 char hash_out[17], xc_error *err);

/* Registers the field prefixes a query may use (title:, type:, place:,
 * year:, organizer:). */
int schema_setup_qp(xc_qp *qp, xc_error *err);

#endif
