// xc_private.h: what the files of xapian-c share and C never sees: the
// handles' structs, and the helpers that turn exceptions into XC_E_* codes.
//   xapian_c.cc   the plain binding: reads, documents, queries, matches
//   xc_shards.cc  the shard policy: stub files, shards going down and coming
//                 back, the revision and version of the index as one, and
//                 counting shard by shard
//   xc_writer.cc  the writable index, one database or several shards
//   xc_postings.cc  posting lists and lengths read whole, a query of ids
//   xc_common.cc  these helpers
#ifndef XC_PRIVATE_H
#define XC_PRIVATE_H

#include "xapian_c.h"

#include <xapian.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>


// One database a stub file names: a local one (its path) or a remote one
// served by xapian-tcpsrv (HOST:PORT). A remote shard can be down; it is
// then left out of the index searched until it is brought back.
struct xc_shard {
    std::string name;                 // the path, or HOST:PORT
    std::string host;                 // remote only
    unsigned port = 0;                // 0: local
    std::string context;              // Xapian's context in its errors
    Xapian::Database db;              // open while up
    bool up = false;
    bool lost = false;                // a call failed on it: out at the next reopen
    unsigned long long revision = 0;  // remote: the commit counter in its metadata
    std::string error;                // why it is down
};

// What a stub names, shared with the enquires and match sets made from the
// index, which mark a remote shard lost when a call through them fails.
// spelling: a local copy of the spelling data (a stub's "spelling glass
// PATH" line), for corrections when the shards holding it are remote:
// Xapian reads spelling data from local databases only.
// record: for local shards in one folder (DIR/shard-0 …), DIR/revisions,
// where their writer names the revisions it committed together
// ("" otherwise); seen: its text when the shards were last moved;
// settled: whether they are at the revisions it names.
struct xc_shards {
    std::vector<xc_shard> list;
    unsigned timeout_ms = 0;
    std::string spelling_path;
    Xapian::Database spelling;
    std::string record, seen;
    bool settled = false;
};

// rep: the index as searched (every shard that is up, as one database).
// shards: the stub's databases when it names several or a remote one; NULL
// when rep is one database opened by Xapian from the path.
// freqs: over remote shards, the term frequencies asked before, valid at
// freqs_version (xc_db_version): a search box's queries share their words,
// and each frequency asked costs a round trip to every shard.
struct xc_db {
    Xapian::Database rep;
    std::shared_ptr<xc_shards> shards;
    std::unordered_map<std::string, unsigned> freqs;
    unsigned long long freqs_version = 0;
};

// in_txn: whether the unflushed transaction that keeps uncommitted changes
// cancellable is open; see xc_wdb_open.
// A writable index is one database or several shards (DIR/shard-0 …); a
// document lives in the shard its id term hashes to.
// dirty: whether a shard has changes to commit (its commit then counts one
// more revision in its metadata, see revision_key). in_txn and dirty are
// vectors of char, not of bool, so that threads writing different shards
// touch different bytes.
// path: the folder of shards (for the record of revisions), or the database.
// spelling: increments gathered until the commit. Xapian looks each word up
// in its table on the first increment of a batch and keeps a std::map of
// changes; a page gives a few hundred words, most of them given by other
// pages of the batch too, so summing here first makes one call a word a
// batch instead of one a word a page.
struct xc_wdb {
    std::vector<Xapian::WritableDatabase> shards;
    std::vector<char> in_txn;
    std::vector<char> dirty;
    std::string path;
    std::unordered_map<std::string, Xapian::termcount> spelling;
    std::mutex spelling_lock;   // shard threads add words at once
};

// Hands the gathered spelling increments to Xapian (the first shard's),

struct xc_doc { Xapian::Document rep; };
struct xc_query { Xapian::Query rep; };

// Enquire has no default constructor. shards: the index's, to mark a remote
// shard lost when a match fails on it.
struct xc_enquire {
    Xapian::Enquire rep;
    std::shared_ptr<xc_shards> shards;
    xc_enquire(const Xapian::Database &db, std::shared_ptr<xc_shards> s)
        : rep(db), shards(std::move(s)) {}
};

struct xc_mset {
    Xapian::MSet rep;
    std::shared_ptr<xc_shards> shards;
};


namespace xc_detail {

// Where the index's spelling data is read: the stub's local copy when it
// names one, else the index itself.
inline const Xapian::Database &spelling_source(const xc_db *db)
{
    return db->shards && !db->shards->spelling_path.empty() ? db->shards->spelling : db->rep;
}

// Errors into codes: fill() sets err (when not NULL) and returns code.
int fill(xc_error *err, int code, const char *msg, size_t len) noexcept;
int fill(xc_error *err, int code, const char *msg) noexcept;
int fill_xapian(xc_error *err, int code, const Xapian::Error &e) noexcept;
// The one place exceptions become codes; call only from a catch block.
int caught(xc_error *err) noexcept;
// caught() for calls that read through a stub's shards: a remote shard that
// failed is marked lost (see xc_shards.cc).
int caught_on(xc_shards *shards, xc_error *err) noexcept;
// An error a remote server sent (as opposed to one in talking to it).
bool from_server(const Xapian::Error &e) noexcept;
int null_arg(xc_error *err, const char *func, const char *arg) noexcept;
int invalid(xc_error *err, const char *func, const char *what) noexcept;

char *dup_out(const std::string &s);          // malloc'd, for the caller to free()
std::string buf(const char *p, size_t len);   // NULL as empty
const char *or_empty(const char *s);
bool map_op(int op, Xapian::Query::op *out);
// q as a count reads it over db: no weights (xc_count_query.cc). Over the
// index as searched (xc_db) the terms' frequencies it needs come from
// term_freq, so that remote shards are asked each once.
Xapian::Query count_query(const Xapian::Query &q, const Xapian::Database &db);
Xapian::Query count_query(const Xapian::Query &q, xc_db *db);
// A term's frequency in the index as searched: over remote shards from
// db->freqs, asked and kept there when it is not yet (xapian_c.cc).
Xapian::doccount term_freq(xc_db *db, const std::string &term);
// Terms' frequencies so, the ones not yet kept asked in one match: one
// round trip to every shard at once instead of one a term to each in turn.
void term_freqs(xc_db *db, const std::vector<std::string> &terms,
                std::vector<Xapian::doccount> &out);
// Shared by the read-only and the writable handle.
int each_term(const Xapian::Database &db, const char *prefix, xc_term_visit_fn fn, void *ctx);
int get_metadata(const Xapian::Database &db, const char *key, char **out, size_t *len,
                 xc_error *err, const char *func, xc_shards *shards = nullptr);
int get_by_term(const Xapian::Database &db, const char *term, xc_doc **out, xc_error *err);

// Runs one call on Xapian: XC_OK, or the code of the exception it threw.
template <typename F> int guarded(xc_error *err, F call) noexcept
{
    try {
        call();
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

// The same through a stub's shards (caught_on).
template <typename F> int guarded_on(xc_shards *shards, xc_error *err, F call) noexcept
{
    try {
        call();
        return XC_OK;
    } catch (...) {
        return caught_on(shards, err);
    }
}

// Shard i of a folder of shards (folder/shard-i).
std::string shard_path(const std::string &folder, unsigned i);
// The record of shard revisions committed together: the file in a folder of
// shards, and its text for these databases ("xc-revisions R0 R1 …\n").
std::string revisions_file(const std::string &folder);
std::string revisions_text(const std::vector<unsigned long long> &revisions);
// Replaces the record in folder with text (a new file renamed over it).
void write_revisions(const std::string &folder, const std::string &text);

}  // namespace xc_detail

using namespace xc_detail;

// The commit counter xc_wdb_commit keeps in each database's metadata, for
// a remote shard, whose revision Xapian's remote protocol does not give.
extern const char xc_revision_key[];


// Bail out with XC_E_INVALID naming the missing argument.
#define XC_NEED(p)                                                           \
    do {                                                                     \
        if (!(p)) return null_arg(err, __func__, #p);                        \
    } while (0)

// Buffers that are length-delimited may be NULL only when empty.
#define XC_NEED_BUF(p, len)                                                  \
    do {                                                                     \
        if (!(p) && (len)) return null_arg(err, __func__, #p);               \
    } while (0)

#endif
