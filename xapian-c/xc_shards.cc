// xc_shards.cc: the index as searched when a stub file names its shards:
// reading the stub, shards going down and coming back, the revision and the
// version of the index as one, and counting shard by shard with the index's
// own document ids.

#include "xc_private.h"

#include "hash.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <sys/stat.h>
#include <vector>

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
    Xapian::docid last = 0;   // the id (in its shard) of the last match seen

    DocidSpy(xc_docid_fn f, void *c, unsigned n = 1, unsigned shard = 0)
        : fn(f), ctx(c), stride(n), offset(shard) {}
    void operator()(const Xapian::Document &doc, double) override
    {
        seen++;
        last = doc.get_docid();
        fn(ctx, (last - 1) * stride + offset + 1);
    }
};

// Whether a count saw every match: Xapian may know the total exactly (a
// single term's frequency) while the bound stopped the spies early.
bool counted_all(const Xapian::MSet &m, Xapian::doccount seen)
{
    return m.get_matches_lower_bound() == m.get_matches_upper_bound() &&
           seen == m.get_matches_lower_bound();
}
}  // namespace

const char xc_revision_key[] = "xc_revision";

extern "C" {

/* ---- Read-only database ------------------------------------------------- */

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
// stubs, or of a folder of shards: "glass PATH" or "auto PATH" (relative
// to the stub's folder),
// "remote HOST:PORT" (IPv6 as [ADDR]:PORT), "#" comments. Empty when path is
// no such stub: Xapian opens it itself.
static std::vector<xc_shard> read_stub(const char *path, std::string *spelling)
{
    std::vector<xc_shard> out;
    std::string dir, file = stub_file(path, &dir);
    std::ifstream stub(file);
    // A folder of shards as a writer makes it (DIR/shard-0 …), no stub.
    unsigned folder_shards = stub ? 0 : xc_shard_count(path);
    for (unsigned i = 0; folder_shards > 1 && i < folder_shards; i++) {
        xc_shard s;
        s.name = shard_path(path, i);
        out.push_back(std::move(s));
    }
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
        if (type == "spelling") {
            // "spelling glass PATH": not a shard; where corrections come from.
            size_t sp = rest.find(' ');
            std::string kind = rest.substr(0, sp);
            std::string where = sp == std::string::npos ? "" : rest.substr(sp + 1);
            if (kind != "glass" || where.empty() || !spelling->empty())
                bad_stub(file, line_no, "expected one line spelling glass PATH, got 'spelling " +
                                            rest + "'");
            *spelling = where[0] == '/' ? where : dir + "/" + where;
            continue;
        }
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
    if (out.empty() && !spelling->empty())
        bad_stub(file, line_no, "a spelling line but no shard");
    if (out.size() < 2 && !remote && spelling->empty()) out.clear();
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
    return strtoull(db.get_metadata(xc_revision_key).c_str(), nullptr, 10);
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

// The record of revisions of shards that are local and make up one folder
// (DIR/shard-0 … in order), written by their writer; "" for other shards.
static std::string record_of(const std::vector<xc_shard> &list)
{
    if (list.size() < 2) return "";
    size_t slash = list[0].name.rfind('/');
    if (slash == std::string::npos) return "";
    std::string folder = list[0].name.substr(0, slash);
    for (size_t i = 0; i < list.size(); i++)
        if (list[i].port || list[i].name != shard_path(folder, (unsigned)i)) return "";
    return revisions_file(folder);
}

static std::string read_text(const std::string &path)
{
    std::ifstream f(path);
    std::string text, line;
    while (f && std::getline(f, line)) text += line + "\n";
    return text;
}

// Notes the record the shards were moved for, and whether they are at it.
static void settle(xc_shards &sh, const std::string &record)
{
    std::vector<unsigned long long> revisions;
    for (const auto &s : sh.list) revisions.push_back(s.db.get_revision());
    sh.seen = record;
    sh.settled = !record.empty() && revisions_text(revisions) == record;
}

int xc_db_open_timeout(xc_db **out, const char *path, unsigned timeout_ms, int connect,
                       xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    XC_NEED(path);
    return guarded(err, [&] {
        std::unique_ptr<xc_db> db(new xc_db);
        std::string spelling;
        std::vector<xc_shard> list = read_stub(path, &spelling);
        if (list.empty()) {
            db->rep = Xapian::Database(path);
        } else {
            db->shards = std::make_shared<xc_shards>();
            db->shards->list = std::move(list);
            db->shards->timeout_ms = timeout_ms;
            db->shards->spelling_path = spelling;
            if (!spelling.empty()) db->shards->spelling = Xapian::Database(spelling);
            for (auto &s : db->shards->list) {
                if (connect || !s.port)
                    shard_open(s, timeout_ms);
                else
                    s.error = "not connected yet";
            }
            db->shards->record = record_of(db->shards->list);
            if (!db->shards->record.empty()) settle(*db->shards, read_text(db->shards->record));
            rebuild(db.get());
        }
        *out = db.release();
    });
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
    return guarded(err, [&] {
        bool moved = false, regroup = false;
        if (!db->shards) {
            moved = db->rep.reopen();
        } else if (!db->shards->record.empty()) {
            // Local shards with a record move only when it changes: a
            // commit under way (some shards ahead of it) stays unseen. Once
            // moved they are at the record, unless the writer had already
            // begun its next commit or was stopped between two shards; they
            // then follow each shard until a new record names where they are.
            std::string record = read_text(db->shards->record);
            if (record != db->shards->seen || !db->shards->settled) {
                for (auto &s : db->shards->list)
                    if (s.db.reopen()) moved = true;
                settle(*db->shards, record);
            }
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
            if (!db->shards->spelling_path.empty() && db->shards->spelling.reopen()) moved = true;
        }
        if (changed) *changed = moved || regroup ? 1 : 0;
    });
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
    return guarded(err, [&] {
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
    });
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

// A spy on a sharded index would be told each shard's own document ids, so
// a sharded index is counted shard by shard, with the ids mapped. A remote
// shard cannot run a callback (xc_db_count_values can count there).
int xc_db_count(xc_count *out, xc_db *db, const xc_query *q, unsigned at_most,
                xc_docid_fn fn, void *ctx, xc_error *err)
{
    if (out) *out = xc_count{0, 0, 1, 0};
    XC_NEED(out);
    XC_NEED(db);
    XC_NEED(q);
    XC_NEED(fn);
    if (xc_db_has_remote(db))
        return invalid(err, __func__, "a remote shard cannot count by id: use xc_db_count_values");
    return guarded(err, [&] {
        std::vector<Xapian::Database> parts;
        if (!db->shards) parts.push_back(db->rep);
        for (size_t i = 0; db->shards && i < db->shards->list.size(); i++)
            parts.push_back(db->shards->list[i].db);
        unsigned n = (unsigned)parts.size();
        for (unsigned i = 0; i < n; i++) {
            Xapian::Enquire e(parts[i]);
            e.set_query(count_query(q->rep, parts[i]));
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
            // One database's matches come in id order.
            if (n == 1 && !out->exact) out->through = spy.last;
        }
        if (out->exact) out->estimated = out->counted;
        if (out->estimated < out->counted) out->estimated = out->counted;
    });
}

int xc_db_match_bounds(unsigned *lower, unsigned *estimated, xc_db *db, const xc_query *q,
                       xc_error *err)
{
    if (lower) *lower = 0;
    if (estimated) *estimated = 0;
    XC_NEED(lower);
    XC_NEED(estimated);
    XC_NEED(db);
    XC_NEED(q);
    return guarded_on(db->shards.get(), err, [&] {
        Xapian::Enquire e(db->rep);
        e.set_query(count_query(q->rep, db));
        // check_at_least 0 and no items: the matcher returns its bounds
        // before it reads a posting.
        Xapian::MSet m = e.get_mset(0, 0, Xapian::doccount(0));
        *lower = m.get_matches_lower_bound();
        *estimated = m.get_matches_estimated();
    });
}

using ValueSpies = std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>>;

// Up to at_most matches of q over db, with a spy on each of slots, into
// *out; the values are left in spies.
static void count_up_to(xc_count *out, ValueSpies &spies, xc_db *db, const Xapian::Query &cq,
                        Xapian::doccount at_most, const unsigned *slots, size_t nslots)
{
    spies.clear();
    Xapian::Enquire e(db->rep);
    e.set_query(cq);
    for (size_t k = 0; k < nslots; k++) {
        spies.emplace_back(new Xapian::ValueCountMatchSpy(slots[k]));
        e.add_matchspy(spies.back().get());
    }
    Xapian::MSet m = e.get_mset(0, 0, at_most);
    Xapian::doccount seen = nslots ? spies[0]->get_total() : m.get_matches_lower_bound();
    out->counted = seen;
    out->exact = counted_all(m, seen);
    out->estimated = out->exact || m.get_matches_estimated() < seen
                         ? seen : m.get_matches_estimated();
}

// One match over the index as searched: Xapian sends the query and the
// spies to every remote shard at once and merges what they counted. Each
// shard counts to the check_at_least it is given, so asked for at_most
// every one of n shards would count that many, n times what the bound
// needs: each is asked for its share first. When every shard reached its
// share the matches pass the bound, and when none did they were all
// counted; only in between (one shard short of its share, another past
// it, under at_most in all) is the count made again to at_most.
int xc_db_count_values(xc_count *out, xc_db *db, const xc_query *q, unsigned at_most,
                       const unsigned *slots, size_t nslots, xc_value_count_fn fn, void *ctx,
                       xc_error *err)
{
    if (out) *out = xc_count{0, 0, 1, 0};
    XC_NEED(out);
    XC_NEED(db);
    XC_NEED(q);
    XC_NEED_BUF(slots, nslots);
    if (nslots && !fn) return null_arg(err, __func__, "fn");
    return guarded_on(db->shards.get(), err, [&] {
        ValueSpies spies;   // outlive each count's Enquire
        // Shards count as one database here: a term in every document of
        // one shard but not of the others is left as it is.
        Xapian::Query cq = count_query(q->rep, db);
        // Local shards are matched as one list, counted to at_most as a
        // whole: shares are for remote shards only, all of them.
        unsigned n = 0;
        bool all_remote = db->shards != nullptr;
        for (size_t i = 0; db->shards && i < db->shards->list.size(); i++) {
            const xc_shard &sh = db->shards->list[i];
            n += sh.up;
            if (sh.up && !sh.port) all_remote = false;
        }
        Xapian::doccount whole = at_most ? at_most : db->rep.get_doccount();
        if (at_most && n > 1 && all_remote) {
            count_up_to(out, spies, db, cq, (at_most + n - 1) / n, slots, nslots);
            if (!out->exact && out->counted < at_most)
                count_up_to(out, spies, db, cq, whole, slots, nslots);
        } else {
            count_up_to(out, spies, db, cq, whole, slots, nslots);
        }
        for (size_t k = 0; k < nslots; k++)
            for (Xapian::TermIterator it = spies[k]->values_begin(); it != spies[k]->values_end();
                 ++it) {
                const std::string v = *it;
                fn(ctx, k, v.data(), v.size(), it.get_termfreq());
            }
    });
}

}  // extern "C"
