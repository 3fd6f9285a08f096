// xc_postings.cc: a local index's posting lists and document lengths read
// whole into arrays, a query's tree of terms, and a query matching a given
// list of ids. A caller that keeps the lists of the words searched most in
// memory looks a document up in them by halving instead of decoding
// Xapian's chunks up to it (lib/posting_cache.c), matches a boolean query
// of terms there itself, and has Xapian rank only the documents it chose
// (lib/tier_score.c).

#include "xc_private.h"

#include <algorithm>
#include <cstdlib>

namespace {

// Every id of a sorted list, as a posting source: a filter beside the terms
// of a query (its ids need not match them).
class IdList : public Xapian::PostingSource {
    std::vector<Xapian::docid> ids;
    size_t at = 0;
    bool started = false;

  public:
    explicit IdList(std::vector<Xapian::docid> v) : ids(std::move(v)) {}

    IdList *clone() const override { return new IdList(ids); }

    void init(const Xapian::Database &) override
    {
        at = 0;
        started = false;
    }

    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return ids.size(); }
    Xapian::doccount get_termfreq_max() const override { return ids.size(); }

    void next(double) override
    {
        if (started)
            at++;
        started = true;
    }

    void skip_to(Xapian::docid did, double) override
    {
        started = true;
        at = std::lower_bound(ids.begin() + at, ids.end(), did) - ids.begin();
    }

    bool at_end() const override { return started && at >= ids.size(); }

    Xapian::docid get_docid() const override { return ids[at]; }

    std::string get_description() const override
    {
        return "IdList(" + std::to_string(ids.size()) + ")";
    }
};

// A local index: every posting list reads from this machine.
bool all_local(const xc_db *db)
{
    return !xc_db_has_remote(db);
}

// q's tree into n (zeroed by the caller); throws on a lack of memory,
// leaving what was filled for xc_query_tree_free.
void fill_node(xc_query_node *n, const Xapian::Query &q)
{
    switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
        n->op = XC_OP_LEAF;
        n->term = dup_out(*q.get_terms_begin());
        return;
    case Xapian::Query::OP_AND: n->op = XC_OP_AND; break;
    case Xapian::Query::OP_OR: n->op = XC_OP_OR; break;
    case Xapian::Query::OP_SYNONYM: n->op = XC_OP_SYNONYM; break;
    default: n->op = XC_OP_OTHER; return;
    }
    size_t k = q.get_num_subqueries();
    if (!k) return;
    n->subs = static_cast<xc_query_node *>(calloc(k, sizeof *n->subs));
    if (!n->subs) throw std::bad_alloc();
    n->nsubs = k;
    for (size_t i = 0; i < k; i++) fill_node(&n->subs[i], q.get_subquery(i));
}

void tree_dispose(xc_query_node *n)
{
    for (size_t i = 0; i < n->nsubs; i++) tree_dispose(&n->subs[i]);
    free(n->subs);
    free(n->term);
}

}  // namespace

extern "C" {

int xc_query_tree(xc_query_node **out, const xc_query *q, xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    XC_NEED(q);
    auto *root = static_cast<xc_query_node *>(calloc(1, sizeof(xc_query_node)));
    if (!root) return fill(err, XC_E_NOMEM, "out of memory");
    int rc = guarded(err, [&] { fill_node(root, q->rep); });
    if (rc != XC_OK) {
        xc_query_tree_free(root);
        return rc;
    }
    *out = root;
    return XC_OK;
}

void xc_query_tree_free(xc_query_node *n)
{
    if (!n) return;
    tree_dispose(n);
    free(n);
}

int xc_db_postings(xc_db *db, const char *term, unsigned **ids, unsigned **wdf, size_t *n,
                   xc_error *err)
{
    if (ids) *ids = nullptr;
    if (wdf) *wdf = nullptr;
    if (n) *n = 0;
    XC_NEED(db);
    XC_NEED(term);
    XC_NEED(ids);
    XC_NEED(wdf);
    XC_NEED(n);
    if (!*term) return invalid(err, __func__, "the empty term");
    if (!all_local(db)) return invalid(err, __func__, "an index with remote shards");
    unsigned *a = nullptr, *w = nullptr;
    size_t got = 0;
    int rc = guarded_on(db->shards.get(), err, [&] {
        Xapian::doccount tf = db->rep.get_termfreq(term);
        a = static_cast<unsigned *>(malloc((tf ? tf : 1) * sizeof *a));
        w = static_cast<unsigned *>(malloc((tf ? tf : 1) * sizeof *w));
        if (!a || !w) throw std::bad_alloc();
        for (auto it = db->rep.postlist_begin(term); it != db->rep.postlist_end(term); ++it) {
            if (got == tf) throw Xapian::DatabaseCorruptError("more postings than its frequency");
            a[got] = *it;
            w[got++] = it.get_wdf();
        }
        // Over shards Xapian merges their lists in the index's id order.
    });
    if (rc != XC_OK) {
        free(a);
        free(w);
        return rc;
    }
    *ids = a;
    *wdf = w;
    *n = got;
    return XC_OK;
}

int xc_db_total_length(xc_db *db, unsigned long long *out, xc_error *err)
{
    if (out) *out = 0;
    XC_NEED(db);
    XC_NEED(out);
    return guarded_on(db->shards.get(), err, [&] { *out = db->rep.get_total_length(); });
}

int xc_db_doc_lengths(xc_db *db, unsigned **lens, size_t *n, xc_error *err)
{
    if (lens) *lens = nullptr;
    if (n) *n = 0;
    XC_NEED(db);
    XC_NEED(lens);
    XC_NEED(n);
    if (!all_local(db)) return invalid(err, __func__, "an index with remote shards");
    unsigned *a = nullptr;
    size_t size = 0;
    int rc = guarded_on(db->shards.get(), err, [&] {
        size = size_t(db->rep.get_lastdocid()) + 1;
        a = static_cast<unsigned *>(calloc(size, sizeof *a));
        if (!a) throw std::bad_alloc();
        for (auto it = db->rep.postlist_begin(""); it != db->rep.postlist_end(""); ++it)
            if (*it < size) a[*it] = it.get_doclength();
    });
    if (rc != XC_OK) {
        free(a);
        return rc;
    }
    *lens = a;
    *n = size;
    return XC_OK;
}

int xc_query_new_ids(xc_query **out, const unsigned *ids, size_t n, xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    XC_NEED_BUF(ids, n);
    for (size_t i = 1; i < n; i++)
        if (ids[i] <= ids[i - 1]) return invalid(err, __func__, "ids not in ascending order");
    return guarded(err, [&] {
        std::vector<Xapian::docid> v(ids, ids + n);
        // The query owns the source once released to it.
        *out = new xc_query{Xapian::Query((new IdList(std::move(v)))->release())};
    });
}

}  // extern "C"
