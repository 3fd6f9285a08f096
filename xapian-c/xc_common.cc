// xc_common.cc: the helpers every file of xapian-c shares (xc_private.h):
// exceptions into XC_E_* codes, strings out to C, and the reads a reader and
// a writer share.

#include "xc_private.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <unistd.h>

namespace xc_detail {

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
                 xc_error *err, const char *func, xc_shards *shards)
{
    if (out) *out = nullptr;
    if (len) *len = 0;
    if (!key) return null_arg(err, func, "key");
    if (!out) return null_arg(err, func, "out");
    if (!*key) return invalid(err, func, "key is empty");
    return guarded_on(shards, err, [&] {
        std::string v = db.get_metadata(key);
        *out = dup_out(v);
        if (len) *len = v.size();
    });
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

std::string shard_path(const std::string &folder, unsigned i)
{
    return folder + "/shard-" + std::to_string(i);
}

std::string revisions_file(const std::string &folder)
{
    return folder + "/revisions";
}

std::string revisions_text(const std::vector<unsigned long long> &revisions)
{
    std::string text = "xc-revisions";
    for (unsigned long long r : revisions) text += " " + std::to_string(r);
    return text + "\n";
}

// Renamed over the old one, so a reader reads one record or the other.
void write_revisions(const std::string &folder, const std::string &text)
{
    std::string path = revisions_file(folder), tmp = path + ".new";
    FILE *f = fopen(tmp.c_str(), "w");
    bool ok = f && fwrite(text.data(), 1, text.size(), f) == text.size();
    if (f && fclose(f) != 0) ok = false;
    if (!ok || rename(tmp.c_str(), path.c_str()) != 0) {
        std::string why = strerror(errno);
        unlink(tmp.c_str());
        throw Xapian::DatabaseError("cannot write " + path + ": " + why);
    }
}

}  // namespace xc_detail
