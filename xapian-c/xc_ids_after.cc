// xc_ids_after.cc: xc_query_new_ids_after, the documents past an id, as a
// posting source. With a count cut short in id order it restricts a
// sample to the matches the count did not see; skip_to lets the matcher
// jump its other posting lists past the ids already counted instead of
// reading them. It yields every id up to the last, deleted ones too, so it
// is a filter beside the terms of a query, not a query alone.

#include "xc_private.h"

namespace {

class IdsAfter : public Xapian::PostingSource {
    Xapian::docid after, last = 0, cur = 0;
    Xapian::doccount n = 0, est = 0;   // ids past after; of them, at most the documents

  public:
    explicit IdsAfter(Xapian::docid a) : after(a) {}

    IdsAfter *clone() const override { return new IdsAfter(after); }

    void init(const Xapian::Database &db) override
    {
        last = db.get_lastdocid();
        cur = 0;
        n = last > after ? last - after : 0;
        est = n < db.get_doccount() ? n : db.get_doccount();
    }

    // Ids past `after` may have been deleted: at least none, at most n.
    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return est; }
    Xapian::doccount get_termfreq_max() const override { return n; }

    void next(double) override { cur = cur ? cur + 1 : after + 1; }

    void skip_to(Xapian::docid did, double) override
    {
        if (cur < did) cur = did > after ? did : after + 1;
    }

    bool at_end() const override { return cur > last; }

    Xapian::docid get_docid() const override { return cur; }

    std::string get_description() const override
    {
        return "IdsAfter(" + std::to_string(after) + ")";
    }
};

}  // namespace

extern "C" {

int xc_query_new_ids_after(xc_query **out, unsigned after, xc_error *err)
{
    if (out) *out = nullptr;
    XC_NEED(out);
    return guarded(err, [&] {
        // The query owns the source once released to it.
        *out = new xc_query{Xapian::Query((new IdsAfter(after))->release())};
    });
}

}  // extern "C"
