// xapian_c.cc: the C API of xapian_c.h over libxapian 1.4, after LevelDB's
// db/c.cc: reading an index, documents, queries and matches. Each opaque
// handle is a struct around one Xapian object (itself a reference-counted
// handle, so copies share state), and every entry point turns exceptions
// into XC_E_* codes (xc_private.h): none reaches C. Shards and the writer
// have files of their own (xc_shards.cc, xc_writer.cc).

#include "xc_private.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace {

// Over remote shards, whether db's cache of frequencies may be used: it
// is emptied first when the index searched changed (a commit, a shard down
// or back), and when it has grown past FREQS_MAX terms.
#define FREQS_MAX 100000
bool remote_freqs_valid(xc_db *db)
{
    if (!xc_db_has_remote(db)) return false;
    unsigned long long v = xc_db_version(db);
    if (v != db->freqs_version || db->freqs.size() >= FREQS_MAX) {
        db->freqs.clear();
        db->freqs_version = v;
    }
    return v != 0;
}

unsigned *cached_freq(xc_db *db, const std::string &term)
{
    auto it = db->freqs.find(term);
    return it == db->freqs.end() ? nullptr : &it->second;
}

}  // namespace

Xapian::doccount xc_detail::term_freq(xc_db *db, const std::string &term)
{
    bool cache = remote_freqs_valid(db);
    unsigned *known = cache ? cached_freq(db, term) : nullptr;
    if (known) return *known;
    Xapian::doccount n = db->rep.get_termfreq(term);
    if (cache) db->freqs.emplace(term, n);
    return n;
}

void xc_detail::term_freqs(xc_db *db, const std::vector<std::string> &terms,
                           std::vector<Xapian::doccount> &out)
{
    out.assign(terms.size(), 0);
    if (!remote_freqs_valid(db)) {
        for (size_t i = 0; i < terms.size(); i++) out[i] = db->rep.get_termfreq(terms[i]);
        return;
    }
    std::vector<Xapian::Query> leaves;
    std::vector<char> asked(terms.size());
    for (size_t i = 0; i < terms.size(); i++) {
        unsigned *known = cached_freq(db, terms[i]);
        if (known)
            out[i] = *known;
        else
            leaves.emplace_back(terms[i]), asked[i] = 1;
    }
    if (leaves.empty()) return;
    Xapian::Enquire e(db->rep);
    e.set_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                              Xapian::Query(Xapian::Query::OP_OR, leaves.begin(), leaves.end()),
                              0.0));
    Xapian::MSet m = e.get_mset(0, 0, Xapian::doccount(0));
    for (size_t i = 0; i < terms.size(); i++)
        if (asked[i]) {
            out[i] = m.get_termfreq(terms[i]);
            db->freqs.emplace(terms[i], out[i]);
        }
}

extern "C" {

/* ---- Read-only database ------------------------------------------------- */

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
    return guarded_on(db->shards.get(), err, [&] { *out = term_freq(db, term); });
}

int xc_db_term_freqs(xc_db *db, const char *const *terms, size_t n, unsigned *out,
                     xc_error *err)
{
    for (size_t i = 0; out && i < n; i++) out[i] = 0;
    XC_NEED(db);
    XC_NEED_BUF(terms, n);
    XC_NEED_BUF(out, n);
    for (size_t i = 0; i < n; i++)
        if (!terms[i]) return invalid(err, __func__, "terms[i] is NULL");
    return guarded_on(db->shards.get(), err, [&] {
        std::vector<std::string> asked(terms, terms + n);
        std::vector<Xapian::doccount> freqs;
        term_freqs(db, asked, freqs);
        for (size_t i = 0; i < n; i++) out[i] = freqs[i];
    });
}

int xc_db_avg_length(xc_db *db, double *avg, xc_error *err)
{
    if (avg) *avg = 0;
    XC_NEED(db);
    XC_NEED(avg);
    return guarded_on(db->shards.get(), err, [&] { *avg = db->rep.get_avlength(); });
}

int xc_db_spelling_suggestion(xc_db *db, const char *word, unsigned max_edit,
                              char **out, xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(db);
    XC_NEED(word);
    XC_NEED(out);
    return guarded_on(db->shards.get(), err, [&] {
        std::string s = spelling_source(db).get_spelling_suggestion(word, max_edit);
        if (!s.empty()) *out = dup_out(s);
    });
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
    return guarded_on(db->shards.get(), err, [&] {
        for (Xapian::ValueIterator it = db->rep.valuestream_begin(slot);
             it != db->rep.valuestream_end(slot); ++it) {
            const std::string v = *it;
            if (fn(ctx, it.get_docid(), v.data(), v.size())) break;
        }
    });
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
    return guarded(err, [&] {
        std::string d = doc->rep.get_data();
        *out = dup_out(d);
        if (len) *len = d.size();
    });
}

int xc_doc_add_term(xc_doc *doc, const char *term, unsigned wdf,
                    xc_error *err)
{
    XC_NEED(doc);
    XC_NEED(term);
    return guarded(err, [&] { doc->rep.add_term(term, wdf); });
}

int xc_doc_each_term(xc_doc *doc, const char *prefix, xc_term_visit_fn fn, void *ctx,
                     xc_error *err)
{
    XC_NEED(doc);
    XC_NEED(fn);
    return guarded(err, [&] {
        const std::string p = or_empty(prefix);
        Xapian::TermIterator it = doc->rep.termlist_begin(), end = doc->rep.termlist_end();
        if (!p.empty()) it.skip_to(p);
        for (; it != end; ++it) {
            const std::string t = *it;
            if (t.compare(0, p.size(), p) != 0) break;
            if (fn(ctx, t.c_str(), t.size(), it.get_wdf())) break;
        }
    });
}

int xc_doc_length(const xc_doc *doc, unsigned long *out, xc_error *err)
{
    XC_NEED(doc);
    XC_NEED(out);
    *out = 0;
    return guarded(err, [&] {
        unsigned long n = 0;
        for (Xapian::TermIterator it = doc->rep.termlist_begin(); it != doc->rep.termlist_end();
             ++it)
            n += it.get_wdf();
        *out = n;
    });
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
    return guarded(err, [&] {
        std::string v = doc->rep.get_value(slot);
        *out = dup_out(v);
        if (len) *len = v.size();
    });
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
                       "XC_OP_SCALE_WEIGHT needs a factor: not a combination");
    for (size_t i = 0; i < n; i++)
        if (!subs[i]) return invalid(err, __func__, "subs[i] is NULL");
    return guarded(err, [&] {
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++) v.push_back(subs[i]->rep);
        *out = new xc_query{Xapian::Query(xop, v.begin(), v.end())};
    });
}

int xc_query_new_value_range(xc_query **out, unsigned slot, const char *lo,
                             const char *hi, xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    XC_NEED(lo);
    XC_NEED(hi);
    return guarded(err, [&] {
        *out = new xc_query{
            Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi)};
    });
}

int xc_query_new_phrase(xc_query **out, xc_query *const *subs, size_t n,
                        unsigned window, xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    XC_NEED_BUF(subs, n);
    for (size_t i = 0; i < n; i++)
        if (!subs[i]) return invalid(err, __func__, "subs[i] is NULL");
    return guarded(err, [&] {
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++) v.push_back(subs[i]->rep);
        *out = new xc_query{Xapian::Query(Xapian::Query::OP_PHRASE, v.begin(),
                                          v.end(), window)};
    });
}

int xc_query_new_bonus(xc_query **out, const xc_query *q, xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    XC_NEED(q);
    return guarded(err, [&] {
        *out = new xc_query{Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->rep, 1.0)};
    });
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

int xc_query_clone(xc_query **out, const xc_query *q, xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    XC_NEED(q);
    return guarded(err, [&] {
        *out = new xc_query{Xapian::Query::unserialise(q->rep.serialise())};
    });
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

int xc_enquire_set_sort_by_relevance_then_value(xc_enquire *e, unsigned slot, int reverse,
                                                xc_error *err)
{
    XC_NEED(e);
    return guarded(err, [&] { e->rep.set_sort_by_relevance_then_value(slot, reverse != 0); });
}

int xc_enquire_get_mset(xc_enquire *e, unsigned first, unsigned maxitems,
                        unsigned check_at_least, xc_mset **out,
                        xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(e);
    XC_NEED(out);
    return guarded_on(e->shards.get(), err, [&] {
        std::unique_ptr<xc_mset> m(new xc_mset);
        m->rep = e->rep.get_mset(first, maxitems, check_at_least);
        m->shards = e->shards;
        *out = m.release();
    });
}

void xc_enquire_free(xc_enquire *e) { delete e; }

/* ---- Match sets --------------------------------------------------------- */

unsigned xc_mset_size(const xc_mset *m)
{
    return m ? m->rep.size() : 0;
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
    return guarded(err, [&] {
        std::string k = m->rep[i].get_sort_key();
        *out = dup_out(k);
        if (len) *len = k.size();
    });
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
    return guarded_on(m->shards.get(), err, [&] {
        *out = new xc_doc{m->rep[i].get_document()};
    });
}

void xc_mset_free(xc_mset *m) { delete m; }

}  // extern "C"

