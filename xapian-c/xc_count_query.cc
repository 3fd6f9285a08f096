// xc_count_query.cc: the query a count runs (xc_private.h), which needs no
// weights. Scaling a query to weight 0 is not enough in Xapian 1.4: an
// OP_AND_MAYBE under an AND still reads its optional side (the AND builds
// it through postlist_sub_and_like, which lacks the check for weight 0
// that QueryAndMaybe::postlist makes), and a search's words are each
// SYNONYM(...) AND_MAYBE its own term, under an AND: that term's posting
// list, as long as the word is common, was read a second time for nothing.
// The optional side changes weights only, never which documents match.

#include "xc_private.h"

#include <vector>

namespace {

using Xapian::Query;

// q with each OP_AND_MAYBE replaced by its required side. Only the
// operators whose every parameter is their subqueries are rebuilt; any
// other query is kept whole, as it is. (A search's query has a few dozen
// nodes: rebuilding them for each count costs nothing beside the count.)
Query without_maybe(const Query &q)
{
    switch (q.get_type()) {
    case Query::OP_AND_MAYBE:
        return without_maybe(q.get_subquery(0));
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
        subs.push_back(without_maybe(q.get_subquery(i)));
    return Query(q.get_type(), subs.begin(), subs.end());
}

}  // namespace

namespace xc_detail {

Query count_query(const Query &q)
{
    return Query(Query::OP_SCALE_WEIGHT, without_maybe(q), 0.0);
}

}  // namespace xc_detail
