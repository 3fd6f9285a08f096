/* analytics_store.c: see analytics_store.h. The queries table has no rowid
 * (its key is its order on disk) and days are small integers: a year of a
 * busy site's statistics stays well under 200 MB (README, Search
 * statistics). Every statement is prepared once. */
#include "analytics_store.h"

#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SCHEMA_VERSION 1
#define BUSY_MS 2000   /* another program holding the file (sqlite3 on it) */

static const char schema[] =
    "CREATE TABLE days ("
    " day INTEGER PRIMARY KEY,"   /* local date, days since 1970-01-01 */
    " searches INTEGER NOT NULL, no_hits INTEGER NOT NULL,"
    " clicks INTEGER NOT NULL, rank_sum INTEGER NOT NULL);"
    "CREATE TABLE queries ("
    " day INTEGER NOT NULL, q TEXT NOT NULL,"
    " searches INTEGER NOT NULL, no_hits INTEGER NOT NULL,"
    " clicks INTEGER NOT NULL, rank_sum INTEGER NOT NULL,"
    " PRIMARY KEY (day, q)) WITHOUT ROWID;"
    "PRAGMA user_version = 1;";

enum { ADD_DAY, ADD_QUERY, QUERY_KEPT, QUERIES_ON, FORGET_DAYS, FORGET_QUERIES, N_STMTS };

static const char *const sql[N_STMTS] = {
    "INSERT INTO days VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (day) DO UPDATE SET"
    " searches = searches + excluded.searches, no_hits = no_hits + excluded.no_hits,"
    " clicks = clicks + excluded.clicks, rank_sum = rank_sum + excluded.rank_sum",
    "INSERT INTO queries VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (day, q) DO UPDATE SET"
    " searches = searches + excluded.searches, no_hits = no_hits + excluded.no_hits,"
    " clicks = clicks + excluded.clicks, rank_sum = rank_sum + excluded.rank_sum",
    "SELECT 1 FROM queries WHERE day = ?1 AND q = ?2",
    "SELECT count(*), total(length(CAST(q AS BLOB))) FROM queries WHERE day = ?1",
    "DELETE FROM days WHERE day < ?1",
    "DELETE FROM queries WHERE day < ?1",
};

struct store {
    sqlite3 *db;
    sqlite3_stmt *stmt[N_STMTS];
};

const char *store_error(struct store *s)
{
    return sqlite3_errmsg(s->db);
}

/* The file's schema: made when the file is new, else checked to be ours. */
static int check_schema(sqlite3 *db, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    int version = -1, tables = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        tables = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version < 0 || tables < 0) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        return LIB_E_IO;
    }
    if (version == SCHEMA_VERSION)
        return 0;
    if (version != 0 || tables != 0) {
        snprintf(err, errlen, "a database of another program (or another version)");
        return LIB_E_IO;
    }
    if (sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        return LIB_E_IO;
    }
    return 0;
}

int store_open(struct store **out, const char *path, char *err, size_t errlen)
{
    *out = NULL;
    /* Made here so that it is the owner's alone; SQLite gives its WAL and
     * shared-memory files the same mode. */
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        return LIB_E_IO;
    }
    close(fd);
    struct store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return LIB_E_NOMEM;
    }
    int rc = 0;
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_busy_timeout(s->db, BUSY_MS) != SQLITE_OK ||
        sqlite3_exec(s->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                            "PRAGMA secure_delete = ON;",
                     NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", s->db ? sqlite3_errmsg(s->db) : "out of memory");
        rc = LIB_E_IO;
        goto cleanup;
    }
    if ((rc = check_schema(s->db, err, errlen)) < 0)
        goto cleanup;
    for (int i = 0; i < N_STMTS; i++)
        if (sqlite3_prepare_v3(s->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[i],
                               NULL) != SQLITE_OK) {
            snprintf(err, errlen, "%s", sqlite3_errmsg(s->db));
            rc = LIB_E_IO;
            goto cleanup;
        }
cleanup:
    if (rc < 0) {
        store_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void store_free(struct store *s)
{
    if (!s)
        return;
    for (int i = 0; i < N_STMTS; i++)
        sqlite3_finalize(s->stmt[i]);
    sqlite3_close(s->db);
    free(s);
}

static int exec(struct store *s, const char *what)
{
    return sqlite3_exec(s->db, what, NULL, NULL, NULL) == SQLITE_OK ? 0 : LIB_E_IO;
}

int store_begin(struct store *s)
{
    return exec(s, "BEGIN IMMEDIATE");
}

int store_commit(struct store *s)
{
    return exec(s, "COMMIT");
}

void store_rollback(struct store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        exec(s, "ROLLBACK");
}

/* Runs st to its end and resets it: 0 or LIB_E_IO. */
static int run(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : LIB_E_IO;
}

static void bind_counts(sqlite3_stmt *st, int first, const struct counts *c)
{
    sqlite3_bind_int64(st, first, (sqlite3_int64)c->searches);
    sqlite3_bind_int64(st, first + 1, (sqlite3_int64)c->no_hits);
    sqlite3_bind_int64(st, first + 2, (sqlite3_int64)c->clicks);
    sqlite3_bind_int64(st, first + 3, (sqlite3_int64)c->rank_sum);
}

int store_add_day(struct store *s, long day, const struct counts *c)
{
    sqlite3_stmt *st = s->stmt[ADD_DAY];
    sqlite3_bind_int64(st, 1, day);
    bind_counts(st, 2, c);
    return run(st);
}

int store_add_query(struct store *s, long day, const char *q, const struct counts *c)
{
    sqlite3_stmt *st = s->stmt[ADD_QUERY];
    sqlite3_bind_int64(st, 1, day);
    sqlite3_bind_text(st, 2, q, -1, SQLITE_STATIC);
    bind_counts(st, 3, c);
    return run(st);
}

/* The first column of st's first row as a number (0 when it has none). */
static long first_number(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    long v = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? v : LIB_E_IO;
}

int store_query_kept(struct store *s, long day, const char *q)
{
    sqlite3_stmt *st = s->stmt[QUERY_KEPT];
    sqlite3_bind_int64(st, 1, day);
    sqlite3_bind_text(st, 2, q, -1, SQLITE_STATIC);
    return (int)first_number(st);
}

int store_kept_on(long *queries, long *bytes, struct store *s, long day)
{
    sqlite3_stmt *st = s->stmt[QUERIES_ON];
    sqlite3_bind_int64(st, 1, day);
    int rc = sqlite3_step(st);
    *queries = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    *bytes = rc == SQLITE_ROW ? (long)sqlite3_column_double(st, 1) : 0;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_ROW ? 0 : LIB_E_IO;
}

long store_forget_before(struct store *s, long first)
{
    long days = 0;
    int rc = store_begin(s);
    sqlite3_bind_int64(s->stmt[FORGET_DAYS], 1, first);
    sqlite3_bind_int64(s->stmt[FORGET_QUERIES], 1, first);
    if (rc == 0 && (rc = run(s->stmt[FORGET_DAYS])) == 0)
        days = sqlite3_changes(s->db);
    if (rc == 0)
        rc = run(s->stmt[FORGET_QUERIES]);
    if (rc == 0)
        rc = store_commit(s);
    if (rc < 0) {
        store_rollback(s);
        return rc;
    }
    /* secure_delete zeroed the rows in the file's pages; the WAL may still
     * hold earlier copies of those pages until it is truncated. */
    if (days > 0)
        sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    return days;
}
