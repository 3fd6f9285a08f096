// xc_count_query.cc: the query a count runs (xc_private.h), which needs no
// weights. Scaling a query to weight 0 is not enough in Xapian 1.4: an
// OP_AND_MAYBE under an AND still reads its optional side (the AND builds
// it through postlist_sub_and_like, which lacks the check for weight 0
// that QueryAndMaybe::postlist makes), and a search's words are each
// SYNONYM(...) with its own term beside it, under an AND: that term's
// posting list, as long as the word is common, was read a second time for
// nothing. The optional side changes weights only, never which documents
// match; so does a term beside a synonym that holds it, and a bonus
// (xc_query_new_bonus, a query scaled by 1: the only scaled query an OR
// holds) beside the query its maker promises matches wherever it does.
//
// A term in every document of a database with an id missing (a document
// was deleted) is matched as every document instead: Xapian 1.4.22 reads
// such a term's posting list to its end without weights wrongly, and fails
// with "Unexpected end of posting list" (a word on every page of a site,
// counted after an editor deleted a page). Weighted, or cut short before
// its end, the list reads right, so only the count needs this.

#include "xc_private.h"

#include <vector>

namespace {

using Xapian::Query;

// Whether db has a document id with no document: only then is a term in
// every document read wrongly.
bool has_holes(const Xapian::Database &db)
{
    return db.get_doccount() < db.get_lastdocid();
}

// Whether q is a term that a sibling synonym in an OR already matches
// (lib/query.c's word: OR(SYNONYM(keys), the stem, one of the keys)), or a
// bonus (OR(SYNONYM(keys), bonus(the stem)), the synonym a single key
// when it has one): the count leaves it out, as it read AND_MAYBE's
// optional side for nothing.
bool held_by_sibling(const Query &parent, size_t at)
{
    const Query q = parent.get_subquery(at);
    if (q.get_type() == Query::OP_SCALE_WEIGHT)
        return parent.get_num_subqueries() > 1;
    if (q.get_type() != Query::LEAF_TERM)
        return false;
    const std::string term = *q.get_terms_begin();
    for (size_t i = 0; i < parent.get_num_subqueries(); i++) {
        const Query s = parent.get_subquery(i);
        if (i == at || s.get_type() != Query::OP_SYNONYM)
            continue;
        for (size_t k = 0; k < s.get_num_subqueries(); k++) {
            const Query key = s.get_subquery(k);
            if (key.get_type() == Query::LEAF_TERM && *key.get_terms_begin() == term)
                return true;
        }
    }
    return false;
}

// q with each OP_AND_MAYBE replaced by its required side, each term of an
// OR that a sibling synonym holds left out (held_by_sibling), and, when holes,
// each term in every document (freq(term) == docs) by every document. Only
// the operators whose every parameter is their subqueries are rebuilt; any
// other query is kept whole, as it is. (A search's query has a few dozen
// nodes: rebuilding them for each count costs nothing beside the count.)
template <typename Freq>
Query boolean_form(const Query &q, Xapian::doccount docs, bool holes, const Freq &freq)
{
    switch (q.get_type()) {
    case Query::LEAF_TERM: {
        std::string term = *q.get_terms_begin();
        if (holes && !term.empty() && freq(term) == docs)
            return Query::MatchAll;
        return q;
    }
    case Query::OP_AND_MAYBE:
        return boolean_form(q.get_subquery(0), docs, holes, freq);
    case Query::OP_AND:
    case Query::OP_OR:
    case Query::OP_AND_NOT:
    case Query::OP_XOR:
    case Query::OP_FILTER:
    case Query::OP_SYNONYM:
        break;
    default:
        return q;
    }
    std::vector<Query> subs;
    subs.reserve(q.get_num_subqueries());
    for (size_t i = 0; i < q.get_num_subqueries(); i++)
        if (q.get_type() != Query::OP_OR || !held_by_sibling(q, i))
            subs.push_back(boolean_form(q.get_subquery(i), docs, holes, freq));
    return Query(q.get_type(), subs.begin(), subs.end());
}

}  // namespace

namespace xc_detail {

Query count_query(const Query &q, const Xapian::Database &db)
{
    auto freq = [&db](const std::string &term) { return db.get_termfreq(term); };
    return Query(Query::OP_SCALE_WEIGHT,
                 boolean_form(q, db.get_doccount(), has_holes(db), freq), 0.0);
}

Query count_query(const Query &q, xc_db *db)
{
    Xapian::doccount docs = db->rep.get_doccount();
    bool holes = has_holes(db->rep);
    if (holes && xc_db_has_remote(db)) {
        // The terms it will ask, gathered by a first walk, asked at once.
        std::vector<std::string> terms;
        std::vector<Xapian::doccount> freqs;
        boolean_form(q, docs, holes, [&terms](const std::string &term) {
            terms.push_back(term);
            return Xapian::doccount(0);
        });
        term_freqs(db, terms, freqs);
    }
    auto freq = [db](const std::string &term) { return term_freq(db, term); };
    return Query(Query::OP_SCALE_WEIGHT, boolean_form(q, docs, holes, freq), 0.0);
}

}  // namespace xc_detail
