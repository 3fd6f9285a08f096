/* query_parse.h: the search box's syntax → clauses. Words, "phrases" (with
 * ASCII quotes or Swedish/typographic ones: ”…”, “…”, „…“, «…»), -exclusion
 * (and NOT), OR between clauses (every word is required by default; AND
 * may be written and binds tighter than OR), and fields: title:/titel:, type:/typ:, place:/plats:, year:/år:.
 * Xapian's QueryParser reads a different syntax (no typographic quotes) and
 * cannot expand a word into the compound and unaccented keys, so the parse
 * is ours; query.c builds the Xapian query from the clauses.
 */
#ifndef QUERY_PARSE_H
#define QUERY_PARSE_H

#include <stddef.h>

enum qfield { QF_NONE, QF_TITLE, QF_TYPE, QF_PLACE, QF_YEAR };

struct clause {
    const char *text;   /* into the parsed string, not NUL-terminated */
    size_t len;
    int phrase;         /* quoted */
    int negated;        /* -word, NOT word */
    int or_prev;        /* joined to the previous clause by OR, not AND */
    enum qfield field;
};

#define QUERY_MAX_CLAUSES 64

struct parsed_query {
    struct clause c[QUERY_MAX_CLAUSES];
    size_t n;           /* clauses beyond the maximum are dropped */
};

/* Parses q (cleaned UTF-8); never fails: anything unreadable is a word. */
void query_parse(const char *q, struct parsed_query *out);

#endif
