/* xapian_c.h: the C API over libxapian, the only door from C into the engine.
 *
 * Opaque handles around Xapian objects, each with a _free that accepts NULL.
 * Every call that can fail returns 0 or a negative XC_E… code and fills an
 * optional xc_error with Xapian's message; no C++ exception crosses into C.
 * This layer knows Xapian only: no documents, HTTP or Swedish here.
 */
#ifndef XAPIAN_C_H
#define XAPIAN_C_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    XC_OK = 0,
    XC_E_NOTFOUND = -1,   /* no such document or database */
    XC_E_DATABASE = -2,   /* corrupt, unreadable or wrong format */
    XC_E_LOCK = -3,       /* another writer holds the lock */
    XC_E_MODIFIED = -4,   /* the revision being read was overwritten: reopen */
    XC_E_NETWORK = -5,    /* a remote shard failed or timed out: reopen (it is left out) */
    XC_E_NOMEM = -6,
    XC_E_INVALID = -7,    /* a bad argument */
    XC_E_OTHER = -8
};

typedef struct {
    int code;
    char message[256];
} xc_error;

typedef struct xc_db xc_db;               /* read-only database */
typedef struct xc_wdb xc_wdb;             /* writable database */
typedef struct xc_doc xc_doc;
typedef struct xc_query xc_query;
typedef struct xc_enquire xc_enquire;
typedef struct xc_mset xc_mset;

/* ---- Read-only database ------------------------------------------------
 * `path` is a database directory, a folder holding a stub file (XAPIANDB),
 * a folder of shards as xc_wdb_open writes them (path/shard-0 …) or a stub
 * file. A stub names databases a line each, as Xapian reads them:
 * "glass PATH" or "auto PATH" (relative to the stub's folder), and
 * "remote HOST:PORT" for a shard served by xapian-tcpsrv. */
int  xc_db_open(xc_db **out, const char *path, xc_error *err);
/* As xc_db_open, with a remote shard's calls (and connecting) failing after
 * timeout_ms. A remote shard that cannot be reached does not fail the open:
 * it is down, and the index is searched without it. With connect 0, remote
 * shards are left down until xc_db_set_shard brings them up. */
int  xc_db_open_timeout(xc_db **out, const char *path, unsigned timeout_ms, int connect,
                        xc_error *err);
/* Move to the newest committed revision; *changed is 1 when it moved, or
 * when a remote shard went down (its reopen timed out, or a call failed on
 * it since: XC_E_NETWORK) or was connected anew. Down shards stay down
 * (xc_db_set_shard, xc_db_check_shards bring them back). */
int  xc_db_reopen(xc_db *db, int *changed, xc_error *err);
unsigned xc_db_doc_count(const xc_db *db);
/* Revision of the open snapshot (0 when unknown); of a sharded index, the sum
 * of its shards' that are up. */
unsigned long long xc_db_revision(const xc_db *db);
/* A token that changes whenever what a search sees may have: a commit, a
 * new database (a rebuild), a shard going down or coming back. */
unsigned long long xc_db_version(const xc_db *db);

/* The databases of the index: 1 unless a stub names several. */
unsigned xc_db_shard_count(const xc_db *db);
/* 1 when a stub names a remote shard. */
int  xc_db_has_remote(const xc_db *db);
typedef struct {
    const char *name;     /* the path, or HOST:PORT; valid until the next call on db */
    int remote;
    int up;               /* searched now */
    const char *error;    /* why it is down ("" when up) */
} xc_shard_info;
int  xc_db_shard_info(const xc_db *db, unsigned i, xc_shard_info *out);
/* Takes remote shard i out of the search (up 0), or connects it again (up 1;
 * XC_E_NETWORK when it cannot be reached, and it stays down). */
int  xc_db_set_shard(xc_db *db, unsigned i, int up, xc_error *err);
/* A round trip to each remote shard that is up (down when it fails) and a
 * connection attempt to each that is down; *changed when any went up or
 * down. Takes up to the timeout per shard that does not answer. */
int  xc_db_check_shards(xc_db *db, int *changed, xc_error *err);
/* The document indexed by the unique `term`; XC_E_NOTFOUND when none. */
int  xc_db_get_by_term(xc_db *db, const char *term, xc_doc **out,
                       xc_error *err);
/* Number of documents holding `term` (0 when none). */
int  xc_db_term_freq(xc_db *db, const char *term, unsigned *out,
                     xc_error *err);
/* The frequencies of n terms into out[0..n): over remote shards in one
 * round trip to each (the statistics of a match that reads no posting),
 * where n calls of xc_db_term_freq would take n. */
int  xc_db_term_freqs(xc_db *db, const char *const *terms, size_t n, unsigned *out,
                      xc_error *err);
/* The documents' mean length (over every shard), as BM25 normalises a
 * document's length by it. */
int  xc_db_avg_length(xc_db *db, double *avg, xc_error *err);
/* The sum of every document's length, as BM25 reads it for the mean. */
int  xc_db_total_length(xc_db *db, unsigned long long *out, xc_error *err);
/* A term's whole posting list of a local index, in id order: ids[i] and
 * its wdf[i], n of them (malloc'd, the caller frees both). XC_E_INVALID
 * over remote shards. */
int  xc_db_postings(xc_db *db, const char *term, unsigned **ids, unsigned **wdf, size_t *n,
                    xc_error *err);
/* Every document's length by id (lens[id], 0 for an id no document has;
 * n = the last id + 1; malloc'd, the caller frees it). Local index only. */
int  xc_db_doc_lengths(xc_db *db, unsigned **lens, size_t *n, xc_error *err);
/* Best spelling correction for one word from the spelling data, malloc'd;
 * *out is NULL when there is none. */
int  xc_db_spelling_suggestion(xc_db *db, const char *word, unsigned max_edit,
                               char **out, xc_error *err);
/* Visit every term beginning with prefix, in order, with its frequency;
 * the visitor returns nonzero to stop early. */
typedef int (*xc_term_visit_fn)(void *ctx, const char *term, size_t len,
                                unsigned termfreq);
int  xc_db_each_term(xc_db *db, const char *prefix, xc_term_visit_fn fn,
                     void *ctx, xc_error *err);
/* Visits every document's value in slot, in docid order; the visitor
 * returns nonzero to stop. */
typedef int (*xc_value_visit_fn)(void *ctx, unsigned docid, const char *value, size_t len);
int  xc_db_each_value(xc_db *db, unsigned slot, xc_value_visit_fn fn, void *ctx,
                      xc_error *err);
/* The highest document id in use (0 for an empty index). */
unsigned xc_db_last_docid(const xc_db *db);
/* User metadata under key, malloc'd ("" when unset). */
int  xc_db_get_metadata(xc_db *db, const char *key, char **out, size_t *len,
                        xc_error *err);
void xc_db_free(xc_db *db);

/* ---- Writable database -------------------------------------------------- */
enum { XC_WDB_CREATE_OR_OPEN = 1, XC_WDB_CREATE_OR_OVERWRITE = 2,
       XC_WDB_OPEN = 3 };
/* path is a database, or a folder of shards path/shard-0, path/shard-1, …
 * (all opened; each document then goes to the shard its id term hashes to,
 * metadata to every shard, spelling data to the first). */
int  xc_wdb_open(xc_wdb **out, const char *path, int mode, xc_error *err);
/* Writes db's spelling data (word and frequency) into a new database at
 * dst (replaced if there), for a stub's "spelling glass PATH" line: the
 * corrections of an index whose shards are all remote come from such a
 * local copy. *words: how many. */
int  xc_db_export_spelling(xc_db *db, const char *dst, unsigned *words, xc_error *err);
/* How many shard folders path/shard-0 … path holds (0: not sharded). */
unsigned xc_shard_count(const char *path);
/* Writes a compacted copy of the committed index at src (a database or a
 * folder of shards, compacted at once, as many as there are cores) to dst,
 * shard by shard, keeping document ids: full
 * B-tree blocks in place of the half-full ones that commits into an
 * existing index leave. dst (and its shard folders) may exist empty. */
int  xc_compact(const char *src, const char *dst, xc_error *err);
/* The same, with the shards of src merged into one database at dst (the
 * documents renumbered, shard after shard): an index written by a thread
 * per shard becomes one that searches as fast as any. */
int  xc_compact_into_one(const char *src, const char *dst, xc_error *err);
/* The shard (of nshards) a document with this id term belongs to. */
unsigned xc_shard_of(const char *term, unsigned nshards);
/* Add or replace the document indexed by the unique `term`. */
int  xc_wdb_replace_by_term(xc_wdb *db, const char *term, xc_doc *doc,
                            xc_error *err);
/* Delete documents indexed by `term`; *deleted is 1 when one existed. */
int  xc_wdb_delete_by_term(xc_wdb *db, const char *term, int *deleted,
                           xc_error *err);
int  xc_wdb_get_by_term(xc_wdb *db, const char *term, xc_doc **out,
                        xc_error *err);
/* Commits every shard, then records which revisions of the shards belong
 * together (DIR/revisions): readers of a sharded index move to a new
 * revision of its shards only once it is recorded, so a reader never sees
 * one shard's batch without the others'. */
int  xc_wdb_commit(xc_wdb *db, xc_error *err);
/* The same in parts, for a writer with a thread per shard: each thread
 * commits its shard (the first shard's commit writes the spelling data),
 * then one of them records the revisions once every shard is committed.
 *
 * Threads: calls that take a term (replace, delete, get by term) touch only
 * the shard the term belongs to, and xc_wdb_commit_shard only its shard, so
 * different threads may make them at once for different shards, and
 * xc_wdb_add_spelling beside them. Every other call needs the writer to
 * itself. */
int  xc_wdb_commit_shard(xc_wdb *db, unsigned shard, xc_error *err);
int  xc_wdb_commit_record(xc_wdb *db, xc_error *err);
/* How many shards db writes (1 for one database), and which one a document
 * with this id term goes to. */
unsigned xc_wdb_shard_count(const xc_wdb *db);
unsigned xc_wdb_shard_of(const xc_wdb *db, const char *term);
/* Adds freqinc to the spelling frequency of word (gathered until the first
 * shard's commit); threads writing different shards may call it at once. */
int  xc_wdb_add_spelling(xc_wdb *db, const char *word, unsigned freqinc,
                         xc_error *err);
/* User metadata, committed with the next commit. */
int  xc_wdb_set_metadata(xc_wdb *db, const char *key, const char *value,
                         size_t len, xc_error *err);
int  xc_wdb_get_metadata(xc_wdb *db, const char *key, char **out, size_t *len,
                         xc_error *err);
unsigned xc_wdb_doc_count(const xc_wdb *db);
int  xc_wdb_each_term(xc_wdb *db, const char *prefix, xc_term_visit_fn fn,
                      void *ctx, xc_error *err);
/* Free without committing pending changes (they are lost). */
void xc_wdb_free(xc_wdb *db);

/* ---- Documents ------------------------------------------------------------ */
int  xc_doc_new(xc_doc **out, xc_error *err);
int  xc_doc_set_data(xc_doc *doc, const char *data, size_t len, xc_error *err);
/* The stored data; *out is malloc'd (NUL-terminated), *len its length. */
int  xc_doc_get_data(xc_doc *doc, char **out, size_t *len, xc_error *err);
int  xc_doc_add_term(xc_doc *doc, const char *term, unsigned wdf,
                     xc_error *err);
/* A term at a position (for phrases); wdf grows by wdf_inc. */
int  xc_doc_add_posting(xc_doc *doc, const char *term, unsigned pos,
                        unsigned wdf_inc, xc_error *err);
int  xc_doc_add_boolean_term(xc_doc *doc, const char *term, xc_error *err);
int  xc_doc_set_value(xc_doc *doc, unsigned slot, const char *value,
                      size_t len, xc_error *err);
/* A value, malloc'd; "" when unset. */
int  xc_doc_get_value(xc_doc *doc, unsigned slot, char **out, size_t *len,
                      xc_error *err);
/* Visits doc's terms beginning with prefix (a document being built too), in
 * order, each with its wdf in place of a frequency; the visitor returns
 * nonzero to stop early. */
int  xc_doc_each_term(xc_doc *doc, const char *prefix, xc_term_visit_fn fn, void *ctx,
                      xc_error *err);
/* The length Xapian will give doc: the sum of its terms' wdf, into *out. */
int  xc_doc_length(const xc_doc *doc, unsigned long *out, xc_error *err);
unsigned xc_doc_id(const xc_doc *doc);
void xc_doc_free(xc_doc *doc);

/* ---- Queries ---------------------------------------------------------- */
/* XC_OP_SYNONYM: the subqueries weighted as one term (their combined
 * frequency), as for alternative spellings of a word. */
enum { XC_OP_AND = 0, XC_OP_OR = 1, XC_OP_AND_NOT = 2, XC_OP_FILTER = 5,
       XC_OP_SCALE_WEIGHT = 9, XC_OP_AND_MAYBE = 4, XC_OP_SYNONYM = 13 };

int  xc_query_new_term(xc_query **out, const char *term, unsigned wqf,
                       xc_error *err);
/* A query matching every document. */
int  xc_query_new_all(xc_query **out, xc_error *err);
/* Combine n subqueries with op (XC_OP_*); the inputs stay owned by the
 * caller. */
int  xc_query_new_combine(xc_query **out, int op, xc_query *const *subs,
                          size_t n, xc_error *err);
/* Matches every document whose id is past `after`: with a count's
 * `through`, the matches it did not see. Only for an index of one local
 * database (a sharded index interleaves its shards' ids; a remote shard
 * cannot run it). */
int  xc_query_new_ids_after(xc_query **out, unsigned after, xc_error *err);
/* Matches the documents ids[0..n) (ascending, copied), as a filter beside
 * a query's terms. Only for an index of one local database (a sharded
 * index interleaves its shards' ids). */
int  xc_query_new_ids(xc_query **out, const unsigned *ids, size_t n, xc_error *err);
/* Matches documents whose value in slot lies in [lo, hi] (byte order). */
int  xc_query_new_value_range(xc_query **out, unsigned slot, const char *lo,
                              const char *hi, xc_error *err);
/* The subqueries (terms) in order within `window` positions (0: exactly
 * adjacent, i.e. window n). */
int  xc_query_new_phrase(xc_query **out, xc_query *const *subs, size_t n,
                         unsigned window, xc_error *err);
/* q as a weight bonus in an OR: it weighs as q does (its weight scaled by
 * 1), and a count leaves it out. The caller promises that the OR's other
 * subqueries match every document q does (a word's own stem beside its
 * group, which holds the stem as a word and as a compound part in one
 * term). */
int  xc_query_new_bonus(xc_query **out, const xc_query *q, xc_error *err);
/* Xapian's sortable encoding of a double into out (at most 9 bytes); returns
 * its length. */
size_t xc_sortable_serialise(double v, char out[16]);
/* The double a sortable-serialised value holds (0 for a malformed one). */
double xc_sortable_unserialise(const char *value, size_t len);
/* A query's tree as C reads it, for a caller that matches a boolean query
 * of terms itself: op is XC_OP_AND, XC_OP_OR, XC_OP_SYNONYM (with subs),
 * XC_OP_LEAF (term), or XC_OP_OTHER for any other operator (its subqueries
 * left out). */
enum { XC_OP_LEAF = -1, XC_OP_OTHER = -2 };
typedef struct xc_query_node {
    int op;
    char *term;
    size_t nsubs;
    struct xc_query_node *subs;
} xc_query_node;
int  xc_query_tree(xc_query_node **out, const xc_query *q, xc_error *err);
void xc_query_tree_free(xc_query_node *n);
/* A readable form, malloc'd, for debugging and tests. */
int  xc_query_describe(const xc_query *q, char **out, xc_error *err);
/* Another handle on q (Xapian's queries are shared, not deep-copied). */
int  xc_query_copy(xc_query **out, const xc_query *q, xc_error *err);
/* A copy of q that shares nothing with it, for another thread to run:
 * Xapian counts a query's references without atomics, so two threads may
 * not hold handles on one. Rebuilt from q's serialised form; q may hold
 * no posting source but Xapian's own. */
int  xc_query_clone(xc_query **out, const xc_query *q, xc_error *err);
void xc_query_free(xc_query *q);

/* ---- Running a query -------------------------------------------------- */
int  xc_enquire_new(xc_enquire **out, xc_db *db, xc_error *err);
int  xc_enquire_set_query(xc_enquire *e, const xc_query *q, xc_error *err);
/* Sort by a value slot (then by relevance); descending when reverse. */
int  xc_enquire_set_sort_by_value(xc_enquire *e, unsigned slot, int reverse,
                                  xc_error *err);
/* Sort by relevance, equal weights by the value in slot (descending when
 * reverse). Each match then carries that value (xc_mset_sort_key), also
 * from a remote shard, without its document being fetched. */
int  xc_enquire_set_sort_by_relevance_then_value(xc_enquire *e, unsigned slot, int reverse,
                                                 xc_error *err);
int  xc_enquire_get_mset(xc_enquire *e, unsigned first, unsigned maxitems,
                         unsigned check_at_least, xc_mset **out,
                         xc_error *err);
void xc_enquire_free(xc_enquire *e);

/* Each matching document's id, for counting facets from tables in memory
 * instead of reading values (xc_db_count). */
typedef void (*xc_docid_fn)(void *ctx, unsigned docid);
/* What a count saw: `counted` matches went to the callback; `estimated` is
 * Xapian's estimate of all of them (equal to counted when exact); exact is
 * 1 when the callback saw every match. A count of one local database cut
 * short by its bound saw the matches in id order: every match up to the
 * id `through` and none after it; 0 where that is not so (shards, counted
 * one after the other). */
typedef struct xc_count {
    unsigned counted;
    unsigned estimated;
    int exact;
    unsigned through;
} xc_count;
/* Counts the matches of q (as a boolean query: no weights) and calls fn with
 * the id of each, as the index numbers it (also when the index is sharded,
 * which a spy alone would get wrong). The count stops once at_most matches
 * were seen (0: never); it is then not exact, and fn has seen the first
 * matches in id order only (also when Xapian knows the total exactly, as
 * for one term). */
int  xc_db_count(xc_count *out, xc_db *db, const xc_query *q, unsigned at_most,
                 xc_docid_fn fn, void *ctx, xc_error *err);

/* What Xapian knows of q's matches before looking at any, from its terms'
 * frequencies alone: at least *lower (exact: a term matches every document
 * it is in, and terms ANDed together at least what their frequencies
 * overlap by), about *estimated. Costs no posting list read. */
int  xc_db_match_bounds(unsigned *lower, unsigned *estimated, xc_db *db, const xc_query *q,
                        xc_error *err);

/* Counts the matches of q as xc_db_count does, but instead of ids, the
 * values of slots[0..nslots) through Xapian's own ValueCountMatchSpy, which
 * runs on remote shards too: fn(ctx, k, value, len, count) for the values of
 * slots[k]. */
typedef void (*xc_value_count_fn)(void *ctx, size_t k, const char *value, size_t len,
                                  unsigned count);
int  xc_db_count_values(xc_count *out, xc_db *db, const xc_query *q, unsigned at_most,
                        const unsigned *slots, size_t nslots, xc_value_count_fn fn, void *ctx,
                        xc_error *err);

unsigned xc_mset_size(const xc_mset *m);
double xc_mset_weight(const xc_mset *m, unsigned i);
/* The value match i was sorted by, malloc'd ("" when not sorted by a value). */
int  xc_mset_sort_key(const xc_mset *m, unsigned i, char **out, size_t *len, xc_error *err);
unsigned xc_mset_docid(const xc_mset *m, unsigned i);
int  xc_mset_document(const xc_mset *m, unsigned i, xc_doc **out,
                      xc_error *err);
void xc_mset_free(xc_mset *m);

#ifdef __cplusplus
}
#endif

#endif
