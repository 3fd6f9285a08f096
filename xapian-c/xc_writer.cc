// xc_writer.cc: the writable index, one database or several shards
// (DIR/shard-0 …) a document's id term places it in; spelling gathered per
// batch; commits that count revisions; compaction.

#include "xc_private.h"

#include "hash.h"

#include <algorithm>
#include <cstring>
#include <exception>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <vector>

// each one once even when Xapian throws half way.
static void flush_spelling(xc_wdb *db)
{
    std::lock_guard<std::mutex> hold(db->spelling_lock);
    for (auto it = db->spelling.begin(); it != db->spelling.end();) {
        db->shards[0].add_spelling(it->first, it->second);
        it = db->spelling.erase(it);
    }
}

extern "C" {

/* ---- Writable database -------------------------------------------------- */

// Xapian 1.4 commits pending changes when a WritableDatabase is destroyed or
// closed, unless a transaction is open, in which case they are discarded. To
// make "free without commit" lose them, the handle always sits inside an
// unflushed transaction: opened here, and reopened after every commit.
// (Unflushed: begin/commit_transaction do not commit by themselves, and
// Xapian's automatic flush threshold does not apply inside it, so nothing
// reaches disk before xc_wdb_commit.)
static bool is_dir(const std::string &path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}


unsigned xc_shard_count(const char *path)
{
    unsigned n = 0;
    while (path && n < 4096 && is_dir(shard_path(path, n))) n++;
    return n;
}

int xc_compact(const char *src, const char *dst, xc_error *err)
{
    XC_NEED(src);
    XC_NEED(dst);
    try {
        unsigned n = xc_shard_count(src);
        if (n == 0) {
            Xapian::Database(src).compact(dst, Xapian::DBCOMPACT_NO_RENUMBER);
            return XC_OK;
        }
        // The shards at once, as many as there are cores: each compaction
        // reads and writes databases of its own.
        std::vector<std::exception_ptr> failed(n);
        unsigned wave = std::max(1u, std::thread::hardware_concurrency());
        for (unsigned first = 0; first < n; first += wave) {
            std::vector<std::thread> threads;
            for (unsigned i = first; i < n && i < first + wave; i++)
                threads.emplace_back([&, i] {
                    try {
                        Xapian::Database(shard_path(src, i))
                            .compact(shard_path(dst, i), Xapian::DBCOMPACT_NO_RENUMBER);
                    } catch (...) {
                        failed[i] = std::current_exception();
                    }
                });
            for (auto &t : threads) t.join();
        }
        for (const auto &e : failed)
            if (e) std::rethrow_exception(e);
        std::vector<unsigned long long> revisions;
        for (unsigned i = 0; i < n; i++)
            revisions.push_back(Xapian::Database(shard_path(dst, i)).get_revision());
        if (n > 1) write_revisions(dst, revisions_text(revisions));
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

// Xapian merges several sources into one: their documents renumbered one
// source after the other, their spelling data summed, their user metadata
// taken from the first that has a key (every shard holds the same).
int xc_compact_into_one(const char *src, const char *dst, xc_error *err)
{
    XC_NEED(src);
    XC_NEED(dst);
    try {
        unsigned n = xc_shard_count(src);
        Xapian::Database all;
        if (n == 0) all = Xapian::Database(src);
        for (unsigned i = 0; i < n; i++) all.add_database(Xapian::Database(shard_path(src, i)));
        all.compact(dst);
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

// FNV-1a: the same shard for an id on every machine and in every run.
unsigned xc_shard_of(const char *term, unsigned nshards)
{
    uint64_t h = term ? fnv1a64(term, strlen(term)) : FNV1A64_INIT;
    return nshards ? (unsigned)(h % nshards) : 0;
}

static unsigned shard_index(const xc_wdb *db, const char *term)
{
    return xc_shard_of(term, (unsigned)db->shards.size());
}

static Xapian::WritableDatabase &shard_for(xc_wdb *db, const char *term)
{
    return db->shards[shard_index(db, term)];
}

int xc_wdb_open(xc_wdb **out, const char *path, int mode, xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    XC_NEED(path);
    int action;
    switch (mode) {
    case XC_WDB_CREATE_OR_OPEN: action = Xapian::DB_CREATE_OR_OPEN; break;
    case XC_WDB_CREATE_OR_OVERWRITE:
        action = Xapian::DB_CREATE_OR_OVERWRITE;
        break;
    case XC_WDB_OPEN: action = Xapian::DB_OPEN; break;
    default: return invalid(err, __func__, "unknown mode");
    }
    return guarded(err, [&] {
        std::unique_ptr<xc_wdb> db(new xc_wdb);
        db->path = path;
        unsigned n = xc_shard_count(path);
        for (unsigned i = 0; i < (n ? n : 1); i++) {
            db->shards.emplace_back(n ? shard_path(path, i) : std::string(path), action);
            db->shards.back().begin_transaction(false);
            db->in_txn.push_back(true);
            db->dirty.push_back(false);
        }
        *out = db.release();
    });
}

// Adds `term` to the document first: Xapian finds the document to replace by
// that term, and a document without it would be duplicated on every replace.
int xc_wdb_replace_by_term(xc_wdb *db, const char *term, xc_doc *doc,
                           xc_error *err)
{
    XC_NEED(db);
    XC_NEED(term);
    XC_NEED(doc);
    if (!*term) return invalid(err, __func__, "term is empty");
    return guarded(err, [&] {
        doc->rep.add_boolean_term(term);
        shard_for(db, term).replace_document(term, doc->rep);
        db->dirty[shard_index(db, term)] = true;
    });
}

int xc_wdb_delete_by_term(xc_wdb *db, const char *term, int *deleted,
                          xc_error *err)
{
    if (deleted) *deleted = 0;
    XC_NEED(db);
    XC_NEED(term);
    if (!*term) return invalid(err, __func__, "term is empty");
    return guarded(err, [&] {
        Xapian::WritableDatabase &shard = shard_for(db, term);
        bool existed = shard.term_exists(term);
        if (existed) {
            shard.delete_document(term);
            db->dirty[shard_index(db, term)] = true;
        }
        if (deleted) *deleted = existed ? 1 : 0;
    });
}

// The document reads lazily from this writer, so read it before
// xc_wdb_free; afterwards access fails with XC_E_DATABASE (closed).
int xc_wdb_get_by_term(xc_wdb *db, const char *term, xc_doc **out,
                       xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(db);
    XC_NEED(term);
    XC_NEED(out);
    if (!*term) return invalid(err, __func__, "term is empty");
    try {
        return get_by_term(shard_for(db, term), term, out, err);
    } catch (...) {
        return caught(err);
    }
}

// Commits shard i: its spelling increments first when it holds the
// spelling data.
static void commit_one(xc_wdb *db, size_t i)
{
    bool dirty = db->dirty[i];
    if (i == 0) {
        std::lock_guard<std::mutex> hold(db->spelling_lock);
        dirty = dirty || !db->spelling.empty();
    }
    if (i == 0) flush_spelling(db);
    // A failed commit leaves in_txn false: the changes stay pending and the
    // next commit retries; free still discards them.
    if (dirty)
        db->shards[i].set_metadata(xc_revision_key,
                                   std::to_string(db->shards[i].get_revision() + 1));
    if (db->in_txn[i]) {
        db->in_txn[i] = false;
        db->shards[i].commit_transaction();
    }
    db->shards[i].commit();
    db->dirty[i] = false;
    db->shards[i].begin_transaction(false);
    db->in_txn[i] = true;
}

static void record_revisions(xc_wdb *db)
{
    if (db->shards.size() < 2) return;
    std::vector<unsigned long long> revisions;
    for (const auto &shard : db->shards) revisions.push_back(shard.get_revision());
    write_revisions(db->path, revisions_text(revisions));
}

// Shard by shard: a crash between two leaves each shard whole, some a batch
// ahead of the record, which the next run brings level.
int xc_wdb_commit(xc_wdb *db, xc_error *err)
{
    XC_NEED(db);
    return guarded(err, [&] {
        for (size_t i = 0; i < db->shards.size(); i++) commit_one(db, i);
        record_revisions(db);
    });
}

int xc_wdb_commit_shard(xc_wdb *db, unsigned shard, xc_error *err)
{
    XC_NEED(db);
    if (shard >= db->shards.size()) return invalid(err, __func__, "no such shard");
    return guarded(err, [&] { commit_one(db, shard); });
}

int xc_wdb_commit_record(xc_wdb *db, xc_error *err)
{
    XC_NEED(db);
    return guarded(err, [&] { record_revisions(db); });
}

unsigned xc_wdb_shard_count(const xc_wdb *db)
{
    return db ? (unsigned)db->shards.size() : 0;
}

unsigned xc_wdb_shard_of(const xc_wdb *db, const char *term)
{
    return db && term ? shard_index(db, term) : 0;
}

// The spelling data lives in the first shard: Xapian reads a sharded
// index's spelling from there.
int xc_wdb_add_spelling(xc_wdb *db, const char *word, unsigned freqinc,
                        xc_error *err)
{
    XC_NEED(db);
    XC_NEED(word);
    return guarded(err, [&] {
        std::lock_guard<std::mutex> hold(db->spelling_lock);
        db->spelling[word] += freqinc;   // makes the first shard dirty
    });
}

// Metadata goes to every shard, so that any one of them, and the sharded
// index (which reads the first), says the same.
int xc_wdb_set_metadata(xc_wdb *db, const char *key, const char *value,
                        size_t len, xc_error *err)
{
    XC_NEED(db);
    XC_NEED(key);
    XC_NEED_BUF(value, len);
    if (!*key) return invalid(err, __func__, "key is empty");
    return guarded(err, [&] {
        for (size_t i = 0; i < db->shards.size(); i++) {
            db->shards[i].set_metadata(key, std::string(value ? value : "", len));
            db->dirty[i] = true;
        }
    });
}

int xc_wdb_get_metadata(xc_wdb *db, const char *key, char **out, size_t *len,
                        xc_error *err)
{
    if (out) *out = nullptr;
    if (len) *len = 0;
    XC_NEED(db);
    return get_metadata(db->shards[0], key, out, len, err, __func__);
}

unsigned xc_wdb_doc_count(const xc_wdb *db)
{
    if (!db) return 0;
    try {
        unsigned n = 0;
        for (const auto &shard : db->shards) n += shard.get_doccount();
        return n;
    } catch (...) {
        return 0;
    }
}

// Terms of all shards, merged, with their frequencies summed.
int xc_wdb_each_term(xc_wdb *db, const char *prefix, xc_term_visit_fn fn,
                     void *ctx, xc_error *err)
{
    XC_NEED(db);
    XC_NEED(fn);
    try {
        if (db->shards.size() == 1) return each_term(db->shards[0], prefix, fn, ctx);
        Xapian::Database all;
        for (const auto &shard : db->shards) all.add_database(shard);
        return each_term(all, prefix, fn, ctx);
    } catch (...) {
        return caught(err);
    }
}

// Cancelling discards everything since the last commit (an unflushed
// transaction takes earlier pending changes down with it). close() then
// releases the write lock now, even while a document still holds a
// reference to the database; it gets XC_E_DATABASE later.
void xc_wdb_free(xc_wdb *db)
{
    if (!db) return;
    for (size_t i = 0; i < db->shards.size(); i++) {
        try {
            if (!db->in_txn[i]) db->shards[i].begin_transaction(false);
            db->shards[i].cancel_transaction();
        } catch (...) {
        }
        try {
            db->shards[i].close();
        } catch (...) {
        }
    }
    delete db;
}

// Word by word: the copy is a database of its own (no documents), made
// anew each time, so a reader of the old copy keeps its revision until it
// reopens.
int xc_db_export_spelling(xc_db *db, const char *dst, unsigned *words, xc_error *err)
{
    if (words) *words = 0;
    XC_NEED(db);
    XC_NEED(dst);
    return guarded_on(db->shards.get(), err, [&] {
        const Xapian::Database &src = spelling_source(db);
        Xapian::WritableDatabase out(dst, Xapian::DB_CREATE_OR_OVERWRITE);
        unsigned n = 0;
        for (Xapian::TermIterator it = src.spellings_begin(); it != src.spellings_end(); ++it) {
            out.add_spelling(*it, it.get_termfreq());
            n++;
        }
        out.commit();
        if (words) *words = n;
    });
}

}  // extern "C"
