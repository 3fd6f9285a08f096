// xapian_c.cc: the C API of xapian_c.h over libxapian 1.4, after LevelDB's
// db/c.cc. Each opaque handle is a struct around one Xapian object (itself a
// reference-counted handle, so copies share state), and every entry point
// turns exceptions into XC_E_* codes through caught(): none reaches C.

#include "xapian_c.h"

#include "hash.h"

#include <xapian.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sys/stat.h>
#include <new>
#include <string>
#include <unordered_map>
#include <utility>
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
struct xc_shards {
    std::vector<xc_shard> list;
    unsigned timeout_ms = 0;
};

// rep: the index as searched (every shard that is up, as one database).
// shards: the stub's databases when it names several or a remote one; NULL
// when rep is one database opened by Xapian from the path.
struct xc_db {
    Xapian::Database rep;
    std::shared_ptr<xc_shards> shards;
};

// in_txn: whether the unflushed transaction that keeps uncommitted changes
// cancellable is open; see xc_wdb_open.
// A writable index is one database or several shards (DIR/shard-0 …); a
// document lives in the shard its id term hashes to.
// dirty: whether a shard has changes to commit (its commit then counts one
// more revision in its metadata, see revision_key).
// spelling: increments gathered until the commit. Xapian looks each word up
// in its table on the first increment of a batch and keeps a std::map of
// changes; a page gives a few hundred words, most of them given by other
// pages of the batch too, so summing here first makes one call a word a
// batch instead of one a word a page.
struct xc_wdb {
    std::vector<Xapian::WritableDatabase> shards;
    std::vector<bool> in_txn;
    std::vector<bool> dirty;
    std::unordered_map<std::string, Xapian::termcount> spelling;
};

// Hands the gathered spelling increments to Xapian (the first shard's),
// each one once even when Xapian throws half way.
static void flush_spelling(xc_wdb *db)
{
    for (auto it = db->spelling.begin(); it != db->spelling.end();) {
        db->shards[0].add_spelling(it->first, it->second);
        it = db->spelling.erase(it);
    }
}

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

// The spy is release()d into Xapian's optional reference counting, so this
// handle and the Enquires it is added to co-own it, and it dies with the
// last of them, in any order.
struct xc_spy {
    Xapian::Internal::opt_intrusive_ptr<Xapian::ValueCountMatchSpy> rep;
};

namespace {
// Calls back with each matching document's id; reads nothing from disk.
// Run over one shard of n on its own, the shard's document ids are mapped to
// the sharded index's (Xapian 1.4 interleaves them: (id - 1) * n + shard + 1).
class DocidSpy : public Xapian::MatchSpy {
    xc_docid_fn fn;
    void *ctx;
    unsigned stride, offset;

  public:
    Xapian::doccount seen = 0;

    DocidSpy(xc_docid_fn f, void *c, unsigned n = 1, unsigned shard = 0)
        : fn(f), ctx(c), stride(n), offset(shard) {}
    void operator()(const Xapian::Document &doc, double) override
    {
        seen++;
        fn(ctx, (doc.get_docid() - 1) * stride + offset + 1);
    }
};

// Whether a count saw every match: Xapian may know the total exactly (a
// single term's frequency) while the time limit stopped the spies early.
bool counted_all(const Xapian::MSet &m, Xapian::doccount seen)
{
    return m.get_matches_lower_bound() == m.get_matches_upper_bound() &&
           seen == m.get_matches_lower_bound();
}
}  // namespace


namespace {

// On success err is left untouched (as LevelDB leaves errptr): the return
// code, not err->code, says whether a call failed.
int fill(xc_error *err, int code, const char *msg, size_t len) noexcept
{
    if (err) {
        err->code = code;
        size_t cap = sizeof err->message - 1;
        if (len > cap) {
            len = cap;
            // Never leave half a UTF-8 sequence at the end: callers print
            // this into JSON and logs.
            while (len > 0 &&
                   (static_cast<unsigned char>(msg[len]) & 0xC0) == 0x80)
                len--;
        }
        memcpy(err->message, msg, len);
        err->message[len] = '\0';
    }
    return code;
}

int fill(xc_error *err, int code, const char *msg) noexcept
{
    return fill(err, code, msg, strlen(msg));
}

int fill_xapian(xc_error *err, int code, const Xapian::Error &e) noexcept
{
    try {
        // The description carries the type and errno text as well.
        std::string d = e.get_description();
        return fill(err, code, d.data(), d.size());
    } catch (...) {
        const std::string &m = e.get_msg();  // no allocation
        return fill(err, code, m.data(), m.size());
    }
}

// The one place exceptions become codes; call only from a catch block.
int caught(xc_error *err) noexcept
{
    try {
        throw;
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return fill_xapian(err, XC_E_NOTFOUND, e);
    } catch (const Xapian::DocNotFoundError &e) {
        return fill_xapian(err, XC_E_NOTFOUND, e);
    } catch (const Xapian::DatabaseLockError &e) {
        return fill_xapian(err, XC_E_LOCK, e);
    } catch (const Xapian::DatabaseModifiedError &e) {
        return fill_xapian(err, XC_E_MODIFIED, e);
    } catch (const Xapian::DatabaseError &e) {
        // Corrupt, opening, version, create, closed.
        return fill_xapian(err, XC_E_DATABASE, e);
    } catch (const Xapian::InvalidArgumentError &e) {
        return fill_xapian(err, XC_E_INVALID, e);
    } catch (const Xapian::NetworkError &e) {
        // Includes NetworkTimeoutError: a remote shard down or too slow.
        return fill_xapian(err, XC_E_NETWORK, e);
    } catch (const Xapian::Error &e) {
        return fill_xapian(err, XC_E_OTHER, e);
    } catch (const std::bad_alloc &) {
        return fill(err, XC_E_NOMEM, "out of memory");
    } catch (const std::exception &e) {
        return fill(err, XC_E_OTHER, e.what());
    } catch (...) {
        return fill(err, XC_E_OTHER, "unknown C++ exception");
    }
}

// An error a remote server sent us (Xapian marks its message so), as
// opposed to one in talking to it.
bool from_server(const Xapian::Error &e) noexcept
{
    return e.get_msg().compare(0, 7, "REMOTE:") == 0;
}

// caught() for calls that read through a stub's shards: a failure to reach
// a remote shard marks it lost (Xapian's error context names it,
// "remote:tcp(HOST:PORT)"), so that the next reopen leaves it out instead of
// waiting for it again. After an error the server sent, the next reopen
// connects again.
int caught_on(xc_shards *shards, xc_error *err) noexcept
{
    try {
        throw;
    } catch (const Xapian::NetworkError &e) {
        try {
            for (size_t i = 0; shards && i < shards->list.size(); i++) {
                xc_shard &s = shards->list[i];
                if (s.port && s.up && e.get_context() == s.context && !from_server(e)) {
                    s.lost = true;
                    s.error = e.get_msg();
                }
            }
        } catch (...) {
        }
        return fill_xapian(err, XC_E_NETWORK, e);
    } catch (...) {
        return caught(err);
    }
}

int null_arg(xc_error *err, const char *func, const char *arg) noexcept
{
    char buf[128];
    int n = snprintf(buf, sizeof buf, "%s: %s is NULL", func, arg);
    return fill(err, XC_E_INVALID, buf, n < 0 ? 0 : strlen(buf));
}

int invalid(xc_error *err, const char *func, const char *what) noexcept
{
    char buf[160];
    int n = snprintf(buf, sizeof buf, "%s: %s", func, what);
    return fill(err, XC_E_INVALID, buf, n < 0 ? 0 : strlen(buf));
}

// Bail out with XC_E_INVALID naming the missing argument.
// Runs one call on Xapian: XC_OK, or the code of the exception it threw.
template <typename F> static int guarded(xc_error *err, F call) noexcept
{
    try {
        call();
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

#define XC_NEED(p)                                                           \
    do {                                                                     \
        if (!(p)) return null_arg(err, __func__, #p);                        \
    } while (0)

// Buffers that are length-delimited may be NULL only when empty.
#define XC_NEED_BUF(p, len)                                                  \
    do {                                                                     \
        if (!(p) && (len)) return null_arg(err, __func__, #p);               \
    } while (0)

// The caller frees with free(), so this must be malloc, not new.
char *dup_out(const std::string &s)
{
    char *p = static_cast<char *>(malloc(s.size() + 1));
    if (!p) throw std::bad_alloc();
    memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

std::string buf(const char *p, size_t len)
{
    return p ? std::string(p, len) : std::string();
}

const char *or_empty(const char *s) { return s ? s : ""; }

// An explicit map: the C enum is ABI and must not follow Xapian's numbering.
bool map_op(int op, Xapian::Query::op *out)
{
    switch (op) {
    case XC_OP_AND: *out = Xapian::Query::OP_AND; return true;
    case XC_OP_OR: *out = Xapian::Query::OP_OR; return true;
    case XC_OP_AND_NOT: *out = Xapian::Query::OP_AND_NOT; return true;
    case XC_OP_AND_MAYBE: *out = Xapian::Query::OP_AND_MAYBE; return true;
    case XC_OP_FILTER: *out = Xapian::Query::OP_FILTER; return true;
    case XC_OP_SCALE_WEIGHT: *out = Xapian::Query::OP_SCALE_WEIGHT; return true;
    case XC_OP_SYNONYM: *out = Xapian::Query::OP_SYNONYM; return true;
    }
    return false;
}

int each_term(const Xapian::Database &db, const char *prefix,
              xc_term_visit_fn fn, void *ctx)
{
    const std::string p = or_empty(prefix);
    for (Xapian::TermIterator it = db.allterms_begin(p);
         it != db.allterms_end(p); ++it) {
        const std::string t = *it;
        if (fn(ctx, t.c_str(), t.size(), it.get_termfreq())) break;
    }
    return XC_OK;
}

// Shared by the read-only and the writable handle.
int get_metadata(const Xapian::Database &db, const char *key, char **out, size_t *len,
                 xc_error *err, const char *func, xc_shards *shards = nullptr)
{
    if (out) *out = nullptr;
    if (len) *len = 0;
    if (!key) return null_arg(err, func, "key");
    if (!out) return null_arg(err, func, "out");
    if (!*key) return invalid(err, func, "key is empty");
    try {
        std::string v = db.get_metadata(key);
        *out = dup_out(v);
        if (len) *len = v.size();
        return XC_OK;
    } catch (...) {
        return caught_on(shards, err);
    }
}

int get_by_term(const Xapian::Database &db, const char *term, xc_doc **out,
                xc_error *err)
{
    const std::string t = term;
    Xapian::PostingIterator p = db.postlist_begin(t);
    if (p == db.postlist_end(t)) {
        std::string m = "no document has the term '" + t + "'";
        return fill(err, XC_E_NOTFOUND, m.data(), m.size());
    }
    std::unique_ptr<xc_doc> d(new xc_doc{db.get_document(*p)});
    *out = d.release();
    return XC_OK;
}

}  // namespace

extern "C" {

/* ---- Read-only database ------------------------------------------------- */

// The commit counter xc_wdb_commit keeps in each database's metadata, for
// a remote shard, whose revision Xapian's remote protocol does not give.
static const char revision_key[] = "xc_revision";

// The stub file path names: path/XAPIANDB for a folder, else path itself;
// *dir is the folder its relative paths start from.
static std::string stub_file(const std::string &path, std::string *dir)
{
    struct stat st;
    if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        *dir = path;
        return path + "/XAPIANDB";
    }
    size_t slash = path.rfind('/');
    *dir = slash == std::string::npos ? "." : path.substr(0, slash ? slash : 1);
    return path;
}

[[noreturn]] static void bad_stub(const std::string &file, unsigned line_no,
                                  const std::string &what)
{
    throw Xapian::DatabaseOpeningError(file + ":" + std::to_string(line_no) + ": " + what);
}

// The databases of a stub naming several, or a remote one, as Xapian reads
// stubs: "glass PATH" or "auto PATH" (relative to the stub's folder),
// "remote HOST:PORT" (IPv6 as [ADDR]:PORT), "#" comments. Empty when path is
// no such stub: Xapian opens it itself.
static std::vector<xc_shard> read_stub(const char *path)
{
    std::vector<xc_shard> out;
    std::string dir, file = stub_file(path, &dir);
    std::ifstream stub(file);
    std::string line;
    unsigned line_no = 0;
    bool remote = false;
    while (stub && std::getline(stub, line)) {
        ++line_no;
        if (line.empty() || line[0] == '#') continue;
        size_t space = line.find(' ');
        std::string type = line.substr(0, space);
        std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
        xc_shard s;
        if (type == "glass" || type == "auto") {
            s.name = !rest.empty() && rest[0] == '/' ? rest : dir + "/" + rest;
        } else if (type == "remote") {
            if (!rest.empty() && rest[0] == ':')
                bad_stub(file, line_no, "remote programs are not supported: serve the shard "
                                        "with xapian-tcpsrv and name it as remote HOST:PORT");
            size_t colon = rest.rfind(':');
            long port = colon == std::string::npos ? 0 : atol(rest.c_str() + colon + 1);
            std::string host = colon == std::string::npos ? "" : rest.substr(0, colon);
            if (host.size() > 2 && host.front() == '[' && host.back() == ']')
                host = host.substr(1, host.size() - 2);
            if (host.empty() || port <= 0 || port > 65535)
                bad_stub(file, line_no, "expected remote HOST:PORT, got 'remote " + rest + "'");
            s.name = rest;
            s.host = host;
            s.port = (unsigned)port;
            s.context = "remote:tcp(" + host + ":" + std::to_string(port) + ")";
            remote = true;
        } else {
            bad_stub(file, line_no, "unknown database type '" + type + "'");
        }
        out.push_back(std::move(s));
    }
    if (out.size() < 2 && !remote) out.clear();
    return out;
}

static void shard_down(xc_shard &s, const std::string &why)
{
    s.db = Xapian::Database();
    s.up = false;
    s.lost = false;
    s.error = why;
}

static unsigned long long remote_revision(const Xapian::Database &db)
{
    return strtoull(db.get_metadata(revision_key).c_str(), nullptr, 10);
}

// Opens s: a remote one with the index's timeouts, a local one as Xapian
// does. A remote one that cannot be reached is left down with the reason;
// a local one that cannot be opened throws, as an index that cannot.
static bool shard_open(xc_shard &s, unsigned timeout_ms)
{
    if (!s.port) {
        s.db = Xapian::Database(s.name);
        s.up = true;
        return true;
    }
    try {
        s.db = Xapian::Remote::open(s.host, s.port, timeout_ms, timeout_ms);
        s.revision = remote_revision(s.db);
        s.up = true;
        s.lost = false;
        s.error.clear();
        return true;
    } catch (const Xapian::Error &e) {
        shard_down(s, e.get_msg());
        return false;
    }
}

// rep anew from the shards that are up (Xapian numbers documents across
// them by interleaving, so a sharded index's ids hold while all are up).
static void rebuild(xc_db *db)
{
    Xapian::Database all;
    for (const auto &s : db->shards->list)
        if (s.up) all.add_database(s.db);
    db->rep = all;
}

int xc_db_open_timeout(xc_db **out, const char *path, unsigned timeout_ms, int connect,
                       xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    XC_NEED(path);
    try {
        std::unique_ptr<xc_db> db(new xc_db);
        std::vector<xc_shard> list = read_stub(path);
        if (list.empty()) {
            db->rep = Xapian::Database(path);
        } else {
            db->shards = std::make_shared<xc_shards>();
            db->shards->list = std::move(list);
            db->shards->timeout_ms = timeout_ms;
            for (auto &s : db->shards->list) {
                if (connect || !s.port)
                    shard_open(s, timeout_ms);
                else
                    s.error = "not connected yet";
            }
            rebuild(db.get());
        }
        *out = db.release();
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

int xc_db_open(xc_db **out, const char *path, xc_error *err)
{
    return xc_db_open_timeout(out, path, 10000, 1, err);   // Xapian's own default
}

// A remote shard that is up gets a round trip (its reopen): it goes down
// when that times out, and is connected again when the server closed the
// connection (xapian-tcpsrv closes idle ones) or restarted. False when the
// shard's handle changed (down, or a new connection): rep must be rebuilt.
static bool shard_reopen(xc_shard &s, unsigned timeout_ms, bool *moved)
{
    try {
        if (s.db.reopen()) {
            *moved = true;
            if (s.port) s.revision = remote_revision(s.db);
        }
        return true;
    } catch (const Xapian::Error &e) {
        if (!s.port) throw;
        // Our own wait ran out: no second wait for a new connection. (One
        // the server sent, as when it closes an idle connection, is not.)
        if (strcmp(e.get_type(), "NetworkTimeoutError") == 0 && !from_server(e))
            shard_down(s, e.get_msg());
        else
            shard_open(s, timeout_ms);
    }
    return false;
}

int xc_db_reopen(xc_db *db, int *changed, xc_error *err)
{
    if (changed) *changed = 0;
    XC_NEED(db);
    try {
        bool moved = false, regroup = false;
        if (!db->shards) {
            moved = db->rep.reopen();
        } else {
            for (auto &s : db->shards->list) {
                if (s.lost) {
                    shard_down(s, s.error);
                    regroup = true;
                } else if (s.up && !shard_reopen(s, db->shards->timeout_ms, &moved)) {
                    regroup = true;
                }
            }
            if (regroup) rebuild(db);
        }
        if (changed) *changed = moved || regroup ? 1 : 0;
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

unsigned xc_db_shard_count(const xc_db *db)
{
    return db && db->shards ? (unsigned)db->shards->list.size() : 1;
}

int xc_db_has_remote(const xc_db *db)
{
    if (!db || !db->shards) return 0;
    for (const auto &s : db->shards->list)
        if (s.port) return 1;
    return 0;
}

int xc_db_shard_info(const xc_db *db, unsigned i, xc_shard_info *out)
{
    if (!db || !out || i >= xc_db_shard_count(db)) return XC_E_INVALID;
    if (!db->shards) {
        *out = xc_shard_info{"", 0, 1, ""};
        return XC_OK;
    }
    const xc_shard &s = db->shards->list[i];
    *out = xc_shard_info{s.name.c_str(), s.port != 0, s.up && !s.lost, s.error.c_str()};
    return XC_OK;
}

int xc_db_set_shard(xc_db *db, unsigned i, int up, xc_error *err)
{
    XC_NEED(db);
    if (i >= xc_db_shard_count(db) || !db->shards)
        return invalid(err, __func__, "no such shard");
    xc_shard &s = db->shards->list[i];
    if (!s.port) return invalid(err, __func__, "a local shard is always searched");
    try {
        if (up && !(s.up && !s.lost)) {
            if (!shard_open(s, db->shards->timeout_ms)) {
                std::string m = s.name + ": " + s.error;
                rebuild(db);
                return fill(err, XC_E_NETWORK, m.data(), m.size());
            }
            rebuild(db);
        } else if (!up && s.up) {
            shard_down(s, "taken out of the search");
            rebuild(db);
        }
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

int xc_db_check_shards(xc_db *db, int *changed, xc_error *err)
{
    if (changed) *changed = 0;
    XC_NEED(db);
    if (!db->shards) return XC_OK;
    try {
        bool moved = false, regroup = false;
        for (auto &s : db->shards->list) {
            if (!s.port) continue;
            if (s.lost) {
                shard_down(s, s.error);
                regroup = true;
            }
            if (s.up)
                regroup |= !shard_reopen(s, db->shards->timeout_ms, &moved);
            else
                regroup |= shard_open(s, db->shards->timeout_ms);
        }
        if (regroup) rebuild(db);
        if (changed) *changed = regroup ? 1 : 0;
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

unsigned xc_db_doc_count(const xc_db *db)
{
    if (!db) return 0;
    try {
        return db->rep.get_doccount();
    } catch (...) {
        return 0;
    }
}

unsigned long long xc_db_revision(const xc_db *db)
{
    if (!db) return 0;
    try {
        if (!db->shards) return db->rep.get_revision();
        // Shards only move forward, so their sum changes with any commit.
        unsigned long long sum = 0;
        for (const auto &s : db->shards->list)
            if (s.up) sum += s.port ? s.revision : s.db.get_revision();
        return sum;
    } catch (...) {
        return 0;
    }
}

// FNV-1a over each database's identity (its UUID, new with every database
// a rebuild makes), its revision, and whether it is searched.
unsigned long long xc_db_version(const xc_db *db)
{
    if (!db) return 0;
    unsigned long long h = FNV1A64_INIT;
    auto mix = [&h](const std::string &bytes) {
        h = fnv1a64_add(h, bytes.data(), bytes.size());
        h = fnv1a64_add(h, "\xff", 1);   // ends each piece: "ab","c" is not "a","bc"
    };
    try {
        if (!db->shards) {
            mix(db->rep.get_uuid());
            mix(std::to_string(db->rep.get_revision()));
            return h;
        }
        for (const auto &s : db->shards->list) {
            mix(s.name);
            if (!s.up) continue;
            mix(s.db.get_uuid());
            mix(std::to_string(s.port ? s.revision : s.db.get_revision()));
        }
        return h;
    } catch (...) {
        return 0;
    }
}

int xc_db_get_by_term(xc_db *db, const char *term, xc_doc **out,
                      xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(db);
    XC_NEED(term);
    XC_NEED(out);
    // "" would match every document rather than a unique one.
    if (!*term) return invalid(err, __func__, "term is empty");
    try {
        return get_by_term(db->rep, term, out, err);
    } catch (...) {
        return caught_on(db->shards.get(), err);
    }
}

int xc_db_term_freq(xc_db *db, const char *term, unsigned *out,
                    xc_error *err)
{
    if (out) *out = 0;
    XC_NEED(db);
    XC_NEED(term);
    XC_NEED(out);
    try {
        *out = db->rep.get_termfreq(term);
        return XC_OK;
    } catch (...) {
        return caught_on(db->shards.get(), err);
    }
}

int xc_db_spelling_suggestion(xc_db *db, const char *word, unsigned max_edit,
                              char **out, xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(db);
    XC_NEED(word);
    XC_NEED(out);
    try {
        std::string s = db->rep.get_spelling_suggestion(word, max_edit);
        if (!s.empty()) *out = dup_out(s);
        return XC_OK;
    } catch (...) {
        return caught_on(db->shards.get(), err);
    }
}

int xc_db_each_term(xc_db *db, const char *prefix, xc_term_visit_fn fn,
                    void *ctx, xc_error *err)
{
    XC_NEED(db);
    XC_NEED(fn);
    try {
        return each_term(db->rep, prefix, fn, ctx);
    } catch (...) {
        return caught_on(db->shards.get(), err);
    }
}

int xc_db_get_metadata(xc_db *db, const char *key, char **out, size_t *len,
                       xc_error *err)
{
    if (out) *out = nullptr;
    if (len) *len = 0;
    XC_NEED(db);
    return get_metadata(db->rep, key, out, len, err, __func__, db->shards.get());
}

int xc_db_each_value(xc_db *db, unsigned slot, xc_value_visit_fn fn, void *ctx,
                     xc_error *err)
{
    XC_NEED(db);
    XC_NEED(fn);
    try {
        for (Xapian::ValueIterator it = db->rep.valuestream_begin(slot);
             it != db->rep.valuestream_end(slot); ++it) {
            const std::string v = *it;
            if (fn(ctx, it.get_docid(), v.data(), v.size())) break;
        }
        return XC_OK;
    } catch (...) {
        return caught_on(db->shards.get(), err);
    }
}

unsigned xc_db_last_docid(const xc_db *db)
{
    if (!db) return 0;
    try {
        return db->rep.get_lastdocid();
    } catch (...) {
        return 0;
    }
}

// Documents, enquires and msets hold their own reference to the database,
// so they stay usable after this.
void xc_db_free(xc_db *db) { delete db; }

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

static std::string shard_path(const char *path, unsigned i)
{
    return std::string(path) + "/shard-" + std::to_string(i);
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
        for (unsigned i = 0; i < n; i++)
            Xapian::Database(shard_path(src, i)).compact(shard_path(dst, i),
                                                        Xapian::DBCOMPACT_NO_RENUMBER);
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
    try {
        std::unique_ptr<xc_wdb> db(new xc_wdb);
        unsigned n = xc_shard_count(path);
        for (unsigned i = 0; i < (n ? n : 1); i++) {
            db->shards.emplace_back(n ? shard_path(path, i) : std::string(path), action);
            db->shards.back().begin_transaction(false);
            db->in_txn.push_back(true);
            db->dirty.push_back(false);
        }
        *out = db.release();
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

unsigned xc_wdb_shards(const xc_wdb *db) { return db ? (unsigned)db->shards.size() : 0; }

// Adds `term` to the document first: Xapian finds the document to replace by
// that term, and a document without it would be duplicated on every replace.
int xc_wdb_replace_by_term(xc_wdb *db, const char *term, xc_doc *doc,
                           xc_error *err)
{
    XC_NEED(db);
    XC_NEED(term);
    XC_NEED(doc);
    if (!*term) return invalid(err, __func__, "term is empty");
    try {
        doc->rep.add_boolean_term(term);
        shard_for(db, term).replace_document(term, doc->rep);
        db->dirty[shard_index(db, term)] = true;
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

int xc_wdb_delete_by_term(xc_wdb *db, const char *term, int *deleted,
                          xc_error *err)
{
    if (deleted) *deleted = 0;
    XC_NEED(db);
    XC_NEED(term);
    if (!*term) return invalid(err, __func__, "term is empty");
    try {
        Xapian::WritableDatabase &shard = shard_for(db, term);
        bool existed = shard.term_exists(term);
        if (existed) {
            shard.delete_document(term);
            db->dirty[shard_index(db, term)] = true;
        }
        if (deleted) *deleted = existed ? 1 : 0;
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
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

// Shard by shard: a crash between two leaves each shard whole, some a batch
// behind the others, which the next run brings level.
int xc_wdb_commit(xc_wdb *db, xc_error *err)
{
    XC_NEED(db);
    try {
        flush_spelling(db);
        for (size_t i = 0; i < db->shards.size(); i++) {
            // A failed commit leaves in_txn false: the changes stay pending
            // and the next commit retries; free still discards them.
            if (db->dirty[i])
                db->shards[i].set_metadata(revision_key,
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
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

// The spelling data lives in the first shard: Xapian reads a sharded
// index's spelling from there.
int xc_wdb_add_spelling(xc_wdb *db, const char *word, unsigned freqinc,
                        xc_error *err)
{
    XC_NEED(db);
    XC_NEED(word);
    try {
        db->spelling[word] += freqinc;
        db->dirty[0] = true;
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
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
    try {
        for (size_t i = 0; i < db->shards.size(); i++) {
            db->shards[i].set_metadata(key, std::string(value ? value : "", len));
            db->dirty[i] = true;
        }
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
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

/* ---- Documents ---------------------------------------------------------- */

int xc_doc_new(xc_doc **out, xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    return guarded(err, [&] { *out = new xc_doc; });
}

int xc_doc_set_data(xc_doc *doc, const char *data, size_t len, xc_error *err)
{
    XC_NEED(doc);
    XC_NEED_BUF(data, len);
    return guarded(err, [&] { doc->rep.set_data(buf(data, len)); });
}

int xc_doc_get_data(xc_doc *doc, char **out, size_t *len, xc_error *err)
{
    if (out) *out = nullptr;
    if (len) *len = 0;
    XC_NEED(doc);
    XC_NEED(out);
    try {
        std::string d = doc->rep.get_data();
        *out = dup_out(d);
        if (len) *len = d.size();
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

int xc_doc_add_term(xc_doc *doc, const char *term, unsigned wdf,
                    xc_error *err)
{
    XC_NEED(doc);
    XC_NEED(term);
    return guarded(err, [&] { doc->rep.add_term(term, wdf); });
}

int xc_doc_add_posting(xc_doc *doc, const char *term, unsigned pos,
                       unsigned wdf_inc, xc_error *err)
{
    XC_NEED(doc);
    XC_NEED(term);
    return guarded(err, [&] { doc->rep.add_posting(term, pos, wdf_inc); });
}

int xc_doc_add_boolean_term(xc_doc *doc, const char *term, xc_error *err)
{
    XC_NEED(doc);
    XC_NEED(term);
    return guarded(err, [&] { doc->rep.add_boolean_term(term); });
}

int xc_doc_set_value(xc_doc *doc, unsigned slot, const char *value,
                     size_t len, xc_error *err)
{
    XC_NEED(doc);
    XC_NEED_BUF(value, len);
    return guarded(err, [&] { doc->rep.add_value(slot, buf(value, len)); });
}

int xc_doc_get_value(xc_doc *doc, unsigned slot, char **out, size_t *len,
                     xc_error *err)
{
    if (out) *out = nullptr;
    if (len) *len = 0;
    XC_NEED(doc);
    XC_NEED(out);
    try {
        std::string v = doc->rep.get_value(slot);
        *out = dup_out(v);
        if (len) *len = v.size();
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

unsigned xc_doc_id(const xc_doc *doc)
{
    if (!doc) return 0;
    try {
        return doc->rep.get_docid();
    } catch (...) {
        return 0;
    }
}

void xc_doc_free(xc_doc *doc) { delete doc; }

/* ---- Queries ------------------------------------------------------------ */

int xc_query_new_term(xc_query **out, const char *term, unsigned wqf,
                      xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    XC_NEED(term);
    return guarded(err, [&] { *out = new xc_query{Xapian::Query(term, wqf)}; });
}

int xc_query_new_all(xc_query **out, xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    return guarded(err, [&] { *out = new xc_query{Xapian::Query::MatchAll}; });
}

int xc_query_new_combine(xc_query **out, int op, xc_query *const *subs,
                         size_t n, xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    XC_NEED_BUF(subs, n);
    Xapian::Query::op xop;
    if (!map_op(op, &xop)) return invalid(err, __func__, "unknown XC_OP_*");
    if (xop == Xapian::Query::OP_SCALE_WEIGHT)
        return invalid(err, __func__,
                       "XC_OP_SCALE_WEIGHT needs a factor: use "
                       "xc_query_new_scaled");
    for (size_t i = 0; i < n; i++)
        if (!subs[i]) return invalid(err, __func__, "subs[i] is NULL");
    try {
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++) v.push_back(subs[i]->rep);
        *out = new xc_query{Xapian::Query(xop, v.begin(), v.end())};
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

int xc_query_new_scaled(xc_query **out, xc_query *sub, double factor,
                        xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    XC_NEED(sub);
    try {
        *out = new xc_query{
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, sub->rep, factor)};
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

int xc_query_new_value_range(xc_query **out, unsigned slot, const char *lo,
                             const char *hi, xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    XC_NEED(lo);
    XC_NEED(hi);
    try {
        *out = new xc_query{
            Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi)};
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

int xc_query_new_phrase(xc_query **out, xc_query *const *subs, size_t n,
                        unsigned window, xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    XC_NEED_BUF(subs, n);
    for (size_t i = 0; i < n; i++)
        if (!subs[i]) return invalid(err, __func__, "subs[i] is NULL");
    try {
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++) v.push_back(subs[i]->rep);
        *out = new xc_query{Xapian::Query(Xapian::Query::OP_PHRASE, v.begin(),
                                          v.end(), window)};
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

int xc_query_new_value_weight(xc_query **out, unsigned slot, xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    try {
        // release(): the query co-owns the source and deletes it.
        auto *src = new Xapian::ValueWeightPostingSource(slot);
        *out = new xc_query{Xapian::Query(src->release())};
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

size_t xc_sortable_serialise(double v, char out[16])
{
    // Xapian's encoder into a caller buffer never allocates or throws.
    return Xapian::sortable_serialise_(v, out);
}

double xc_sortable_unserialise(const char *value, size_t len)
{
    if (!value) return 0;
    try {
        return Xapian::sortable_unserialise(std::string(value, len));
    } catch (...) {
        return 0;
    }
}

// NULL counts as empty: it is what a failed constructor leaves behind.
int xc_query_is_empty(const xc_query *q)
{
    return !q || q->rep.empty();
}

int xc_query_describe(const xc_query *q, char **out, xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(q);
    XC_NEED(out);
    return guarded(err, [&] { *out = dup_out(q->rep.get_description()); });
}

int xc_query_copy(xc_query **out, const xc_query *q, xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    XC_NEED(q);
    return guarded(err, [&] { *out = new xc_query{q->rep}; });
}

void xc_query_free(xc_query *q) { delete q; }

/* ---- Running a query ---------------------------------------------------- */

int xc_enquire_new(xc_enquire **out, xc_db *db, xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    XC_NEED(db);
    return guarded(err, [&] { *out = new xc_enquire(db->rep, db->shards); });
}

int xc_enquire_set_query(xc_enquire *e, const xc_query *q, xc_error *err)
{
    XC_NEED(e);
    XC_NEED(q);
    return guarded(err, [&] { e->rep.set_query(q->rep); });
}

int xc_enquire_set_sort_by_value(xc_enquire *e, unsigned slot, int reverse,
                                 xc_error *err)
{
    XC_NEED(e);
    return guarded(err, [&] { e->rep.set_sort_by_value_then_relevance(slot, reverse != 0); });
}

int xc_enquire_set_sort_by_relevance(xc_enquire *e, xc_error *err)
{
    XC_NEED(e);
    return guarded(err, [&] { e->rep.set_sort_by_relevance(); });
}

int xc_enquire_set_sort_by_relevance_then_value(xc_enquire *e, unsigned slot, int reverse,
                                                xc_error *err)
{
    XC_NEED(e);
    return guarded(err, [&] { e->rep.set_sort_by_relevance_then_value(slot, reverse != 0); });
}

int xc_enquire_set_time_limit(xc_enquire *e, double seconds, xc_error *err)
{
    XC_NEED(e);
    return guarded(err, [&] { e->rep.set_time_limit(seconds); });
}

int xc_enquire_set_bm25(xc_enquire *e, double k1, double k2, double k3,
                        double b, double min_normlen, xc_error *err)
{
    XC_NEED(e);
    try {
        e->rep.set_weighting_scheme(
            Xapian::BM25Weight(k1, k2, k3, b, min_normlen));
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

int xc_enquire_get_mset(xc_enquire *e, unsigned first, unsigned maxitems,
                        unsigned check_at_least, xc_mset **out,
                        xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(e);
    XC_NEED(out);
    try {
        std::unique_ptr<xc_mset> m(new xc_mset);
        m->rep = e->rep.get_mset(first, maxitems, check_at_least);
        m->shards = e->shards;
        *out = m.release();
        return XC_OK;
    } catch (...) {
        return caught_on(e->shards.get(), err);
    }
}

void xc_enquire_free(xc_enquire *e) { delete e; }

/* ---- Match spies -------------------------------------------------------- */

int xc_spy_new_valuecount(xc_spy **out, unsigned slot, xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    try {
        std::unique_ptr<xc_spy> s(new xc_spy);
        auto *spy = new Xapian::ValueCountMatchSpy(slot);
        spy->release();
        s->rep = spy;  // counting starts: this handle is one owner
        *out = s.release();
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

// The enquire takes its own reference (1.4 stores spies as
// opt_intrusive_ptr), so either handle may be freed first.
int xc_enquire_add_spy(xc_enquire *e, xc_spy *spy, xc_error *err)
{
    XC_NEED(e);
    XC_NEED(spy);
    return guarded(err, [&] { e->rep.add_matchspy(spy->rep.get()); });
}

int xc_spy_each(xc_spy *spy, xc_spy_visit_fn fn, void *ctx, xc_error *err)
{
    XC_NEED(spy);
    XC_NEED(fn);
    try {
        const Xapian::ValueCountMatchSpy &s = *spy->rep;
        for (Xapian::TermIterator it = s.values_begin(); it != s.values_end();
             ++it) {
            const std::string v = *it;
            if (fn(ctx, v.c_str(), v.size(), it.get_termfreq())) break;
        }
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

void xc_spy_free(xc_spy *spy) { delete spy; }

// A spy on a sharded index would be told each shard's own document ids, so
// a sharded index is counted shard by shard, with the ids mapped. A remote
// shard cannot run a callback (xc_db_count_values can count there).
int xc_db_count(xc_count *out, xc_db *db, const xc_query *q, double seconds, unsigned at_most,
                xc_docid_fn fn, void *ctx, xc_error *err)
{
    if (out) *out = xc_count{0, 0, 1};
    XC_NEED(out);
    XC_NEED(db);
    XC_NEED(q);
    XC_NEED(fn);
    if (xc_db_has_remote(db))
        return invalid(err, __func__, "a remote shard cannot count by id: use xc_db_count_values");
    try {
        Xapian::Query boolean(Xapian::Query::OP_SCALE_WEIGHT, q->rep, 0.0);
        std::vector<Xapian::Database> parts;
        if (!db->shards) parts.push_back(db->rep);
        for (size_t i = 0; db->shards && i < db->shards->list.size(); i++)
            parts.push_back(db->shards->list[i].db);
        unsigned n = (unsigned)parts.size();
        for (unsigned i = 0; i < n; i++) {
            Xapian::Enquire e(parts[i]);
            e.set_query(boolean);
            if (seconds > 0) e.set_time_limit(seconds);
            DocidSpy spy(fn, ctx, n, i);
            // Past the bound the shards left are only estimated:
            // check_at_least 0 looks at no match.
            unsigned left = at_most == 0 ? parts[i].get_doccount()
                            : at_most > out->counted ? at_most - out->counted : 0;
            if (at_most == 0 || left) e.add_matchspy(&spy);
            Xapian::MSet m = e.get_mset(0, 0, left);
            out->counted += spy.seen;
            out->estimated += m.get_matches_estimated();
            if (!counted_all(m, spy.seen)) out->exact = 0;
        }
        if (out->exact) out->estimated = out->counted;
        if (out->estimated < out->counted) out->estimated = out->counted;
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

// One match over the index as searched: Xapian sends the query and the
// spies to every remote shard at once and merges what they counted.
int xc_db_count_values(xc_count *out, xc_db *db, const xc_query *q, double seconds,
                       unsigned at_most, const unsigned *slots, size_t nslots,
                       xc_value_count_fn fn, void *ctx, xc_error *err)
{
    if (out) *out = xc_count{0, 0, 1};
    XC_NEED(out);
    XC_NEED(db);
    XC_NEED(q);
    XC_NEED_BUF(slots, nslots);
    if (nslots && !fn) return null_arg(err, __func__, "fn");
    try {
        std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;   // outlive e
        Xapian::Enquire e(db->rep);
        e.set_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->rep, 0.0));
        if (seconds > 0) e.set_time_limit(seconds);
        for (size_t k = 0; k < nslots; k++) {
            spies.emplace_back(new Xapian::ValueCountMatchSpy(slots[k]));
            e.add_matchspy(spies.back().get());
        }
        Xapian::MSet m = e.get_mset(0, 0, at_most ? at_most : db->rep.get_doccount());
        Xapian::doccount seen = nslots ? spies[0]->get_total() : m.get_matches_lower_bound();
        out->counted = seen;
        out->exact = counted_all(m, seen);
        out->estimated = out->exact || m.get_matches_estimated() < seen
                             ? seen : m.get_matches_estimated();
        for (size_t k = 0; k < nslots; k++)
            for (Xapian::TermIterator it = spies[k]->values_begin(); it != spies[k]->values_end();
                 ++it) {
                const std::string v = *it;
                fn(ctx, k, v.data(), v.size(), it.get_termfreq());
            }
        return XC_OK;
    } catch (...) {
        return caught_on(db->shards.get(), err);
    }
}

/* ---- Match sets --------------------------------------------------------- */

unsigned xc_mset_size(const xc_mset *m)
{
    return m ? m->rep.size() : 0;
}

unsigned xc_mset_matches_estimated(const xc_mset *m)
{
    return m ? m->rep.get_matches_estimated() : 0;
}

unsigned xc_mset_matches_lower_bound(const xc_mset *m)
{
    return m ? m->rep.get_matches_lower_bound() : 0;
}

unsigned xc_mset_matches_upper_bound(const xc_mset *m)
{
    return m ? m->rep.get_matches_upper_bound() : 0;
}

double xc_mset_weight(const xc_mset *m, unsigned i)
{
    if (!m || i >= m->rep.size()) return 0;
    try {
        return m->rep[i].get_weight();
    } catch (...) {
        return 0;
    }
}

int xc_mset_sort_key(const xc_mset *m, unsigned i, char **out, size_t *len, xc_error *err)
{
    if (out) *out = nullptr;
    if (len) *len = 0;
    XC_NEED(m);
    XC_NEED(out);
    if (i >= m->rep.size()) return invalid(err, __func__, "index out of range");
    try {
        std::string k = m->rep[i].get_sort_key();
        *out = dup_out(k);
        if (len) *len = k.size();
        return XC_OK;
    } catch (...) {
        return caught(err);
    }
}

unsigned xc_mset_docid(const xc_mset *m, unsigned i)
{
    if (!m || i >= m->rep.size()) return 0;
    try {
        return *m->rep[i];
    } catch (...) {
        return 0;
    }
}

// The mset keeps its enquire, and so the database, alive.
int xc_mset_document(const xc_mset *m, unsigned i, xc_doc **out,
                     xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(m);
    XC_NEED(out);
    if (i >= m->rep.size()) return invalid(err, __func__, "index out of range");
    try {
        *out = new xc_doc{m->rep[i].get_document()};
        return XC_OK;
    } catch (...) {
        return caught_on(m->shards.get(), err);
    }
}

void xc_mset_free(xc_mset *m) { delete m; }

}  // extern "C"
