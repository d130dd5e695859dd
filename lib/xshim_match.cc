/*
 * xshim_match.cc — matching: a search bounded by its deadline (what it
 * found kept when cut), ranking by BM25 or by a value, counting and
 * facets, and the sizes of near-duplicate groups.
 */
#include "xshim_impl.h"

using namespace xshim;

/*
 * Stops a match past the reader's deadline or when cancelled. Xapian's own
 * time limit (Enquire::set_time_limit) only cuts the counting beyond the
 * page; the ranking itself runs to the end of the posting lists, so a
 * decider that looks at the cancel flag on every candidate and at the
 * clock every 64 throws instead. The matcher holds its state in RAII
 * objects, so the exception unwinds it cleanly; what it had found is in
 * the keeper below.
 */
class deadline_decider : public Xapian::MatchDecider
{
    xshim_reader_t *r;
    mutable unsigned calls = 0;

  public:
    mutable uint64_t accepted = 0; /* candidates let through */

    explicit deadline_decider(xshim_reader_t *reader) : r(reader) {}
    bool operator()(const Xapian::Document &) const override
    {
        if (r->cancel_after && accepted >= r->cancel_after)
            xshim_reader_cancel(r);
        if (r->cancel.load(std::memory_order_relaxed)) {
            r->cut = XSHIM_CUT_CANCELLED;
            throw xshim_timeout();
        }
        if (r->deadline > 0 &&
            (((++calls & 63) == 0 && monotonic_now() > r->deadline) ||
             (r->cut_after && accepted >= r->cut_after))) {
            r->cut = XSHIM_CUT_TIME;
            throw xshim_timeout();
        }
        accepted++;
        return true;
    }
};

/* The decider bounding a search; throws when the search is already cut
   (a later tier of a search whose first tier used the time up). */
static const Xapian::MatchDecider *
deadline_for(xshim_reader_t *r, Xapian::Enquire &enquire,
             std::unique_ptr<deadline_decider> &holder)
{
    if (!r->running.load())
        return nullptr;
    if (r->cut != XSHIM_CUT_NONE)
        throw xshim_timeout();
    if (r->cancel.load()) {
        r->cut = XSHIM_CUT_CANCELLED;
        throw xshim_timeout();
    }
    if (r->deadline > 0) {
        double left = r->deadline - monotonic_now();
        if (left <= 0) {
            r->cut = XSHIM_CUT_TIME;
            throw xshim_timeout();
        }
        enquire.set_time_limit(left);
    }
    /* Xapian's remote protocol carries no decider: there, only the
       counting is cut, and each shard's answer is bounded by
       REMOTE_TIMEOUT_MS. */
    if (r->remote)
        return nullptr;
    holder.reset(new deadline_decider(r));
    return holder.get();
}

/*
 * Keeps the best `want` candidates the matcher has accepted so far, in the
 * order of the search, so that a search cut short still answers with the
 * best of what it saw. The matcher hands every candidate that could enter
 * its page to the spy, with its weight (after the decider, so a candidate
 * the decider stopped on is not kept).
 */
class keeper_spy : public Xapian::MatchSpy
{
  public:
    struct item {
        Xapian::docid did;
        double weight;
        std::string key, collapse;
        unsigned collapsed;
    };

    keeper_spy(size_t want, xshim_order_t order, unsigned slot,
               int collapse_slot)
        : want(want), order(order), slot(slot), collapse_slot(collapse_slot)
    {
    }

    void operator()(const Xapian::Document &doc, double weight) override
    {
        seen++;
        item it{doc.get_docid(), weight, std::string(), std::string(), 0};
        /* Ascending, the match holds only documents with the value
           (xshim_reader_match() asks for the others apart). */
        if (order != XSHIM_BY_RELEVANCE)
            it.key = doc.get_value(slot);
        if (collapse_slot >= 0)
            it.collapse = doc.get_value(static_cast<unsigned>(collapse_slot));
        items.push_back(std::move(it));
        if (items.size() >= 4 * want + 64)
            settle();
    }

    /* Sorts, folds near-duplicates into their best copy, keeps `want`. */
    void settle()
    {
        std::stable_sort(
            items.begin(), items.end(), [this](const item &a, const item &b) {
                if (order != XSHIM_BY_RELEVANCE && a.key != b.key)
                    return order == XSHIM_BY_VALUE_ASCENDING ? a.key < b.key
                                                             : a.key > b.key;
                if (a.weight != b.weight)
                    return a.weight > b.weight;
                return a.did < b.did;
            });
        std::vector<item> kept;
        /* collapse key -> its best copy's place in kept (or past it) */
        std::unordered_map<std::string, size_t> best;
        for (auto &it : items) {
            if (!it.collapse.empty()) {
                auto b = best.emplace(it.collapse, kept.size());
                if (!b.second) {
                    if (b.first->second < kept.size())
                        kept[b.first->second].collapsed += 1 + it.collapsed;
                    continue;
                }
            }
            if (kept.size() < want)
                kept.push_back(std::move(it));
            else if (!it.collapse.empty())
                best[it.collapse] = SIZE_MAX;
        }
        items.swap(kept);
    }

    std::vector<item> items;
    uint64_t seen = 0;

  private:
    size_t want;
    xshim_order_t order;
    unsigned slot;
    int collapse_slot;
};

/* An enquire for `q` ranked as asked: by value, documents without one
   sort lowest (first ascending: xshim_reader_match() asks for them apart).
   A sort by value, not by a KeyMaker, which the remote protocol lacks. */
static void prepare(Xapian::Enquire &enquire, const Xapian::Query &q,
                    const xshim_bm25_t *bm25, xshim_order_t order,
                    unsigned slot, int collapse_slot)
{
    enquire.set_query(q);
    /* k2 = 0, k3 = 1, min_normlen = 0.5: Xapian's defaults. */
    enquire.set_weighting_scheme(
        bm25 ? Xapian::BM25Weight(bm25->k1, 0, 1, bm25->b, 0.5)
             : Xapian::BM25Weight());
    if (collapse_slot >= 0)
        enquire.set_collapse_key(static_cast<Xapian::valueno>(collapse_slot));
    if (order != XSHIM_BY_RELEVANCE)
        enquire.set_sort_by_value_then_relevance(
            slot, order == XSHIM_BY_VALUE_DESCENDING);
}

nidx_status_t xshim_reader_count(xshim_reader_t *r, const xshim_query_t *q,
                                 int collapse_slot,
                                 const xshim_facets_t *facets, uint64_t *count,
                                 nidx_error_t *err)
{
    *count = 0;
    try {
        reader_retry(r, [&]() {
            Xapian::Enquire enquire(r->db);
            enquire.set_query(q->query);
            /* Any flat weight counts, but not BoolWeight: Xapian 1.4.22
               then fails ("Unexpected end of posting list") on a single
               term in 2,000+ documents once some were deleted, while
               reading its posting list is fine. TF-IDF "bnn" (1 for each
               matching term) takes the weighted path, which does not. */
            enquire.set_weighting_scheme(Xapian::TfIdfWeight("bnn"));
            if (collapse_slot >= 0)
                enquire.set_collapse_key(
                    static_cast<Xapian::valueno>(collapse_slot));
            /* The spies belong to the enquire once released to it. */
            std::vector<Xapian::ValueCountMatchSpy *> spies;
            for (size_t i = 0; facets && i < facets->n_slots; i++) {
                spies.push_back(
                    new Xapian::ValueCountMatchSpy(facets->slots[i]));
                enquire.add_matchspy(spies.back()->release());
            }
            /* Cut short, the count is of the documents seen (a lower
               bound), and so are the facets. */
            std::unique_ptr<deadline_decider> decider;
            try {
                const Xapian::MatchDecider *stop =
                    deadline_for(r, enquire, decider);
                Xapian::MSet mset =
                    enquire.get_mset(0, 0, r->db.get_doccount(), nullptr, stop);
                *count = mset.get_matches_lower_bound();
            } catch (const xshim_timeout &) {
                *count = decider ? decider->accepted : 0;
            }
            for (size_t i = 0; i < spies.size(); i++)
                for (auto v = spies[i]->values_begin();
                     v != spies[i]->values_end(); ++v) {
                    const std::string &value = *v;
                    facets->fn(facets->context, i, value.data(), value.size(),
                               v.get_termfreq());
                }
        });
        return NIDX_OK;
    } catch (...) {
        return translate(err, "counting");
    }
}

/* One match of `q` into out[], as xshim_reader_match() says. */
static void match_part(xshim_reader_t *r, const Xapian::Query &q,
                       const xshim_bm25_t *bm25, xshim_order_t order,
                       unsigned slot, int collapse_slot, unsigned offset,
                       unsigned limit, unsigned check_at_least,
                       xshim_match_t *out, size_t *n_out,
                       xshim_counts_t *counts)
{
    Xapian::Enquire enquire(r->db);
    prepare(enquire, q, bm25, order, slot, collapse_slot);
    keeper_spy keeper(offset + limit, order, slot, collapse_slot);
    size_t n = 0;
    try {
        std::unique_ptr<deadline_decider> decider;
        const Xapian::MatchDecider *stop = deadline_for(r, enquire, decider);
        if (stop)
            enquire.add_matchspy(&keeper);
        Xapian::MSet mset =
            enquire.get_mset(offset, limit, check_at_least, nullptr, stop);
        for (auto it = mset.begin(); it != mset.end() && n < limit; ++it, ++n) {
            out[n].docid = *it;
            out[n].weight = it.get_weight();
            out[n].collapsed = it.get_collapse_count();
        }
        counts->estimated = mset.get_matches_estimated();
        counts->lower = mset.get_matches_lower_bound();
        counts->upper = mset.get_matches_upper_bound();
        if (counts->lower == counts->upper)
            counts->estimated = counts->lower;
    } catch (const xshim_timeout &) {
        /* Cut short: the best of what the matcher saw. */
        keeper.settle();
        for (size_t i = offset; i < keeper.items.size() && n < limit;
             i++, n++) {
            out[n].docid = keeper.items[i].did;
            out[n].weight = keeper.items[i].weight;
            out[n].collapsed = keeper.items[i].collapsed;
        }
        counts->estimated = counts->lower = keeper.seen;
        counts->upper = keeper.seen;
    }
    *n_out = n;
}

nidx_status_t xshim_reader_match(xshim_reader_t *r, const xshim_query_t *q,
                                 const xshim_bm25_t *bm25, xshim_order_t order,
                                 unsigned slot, int collapse_slot,
                                 unsigned offset, unsigned limit,
                                 unsigned check_at_least, xshim_match_t *out,
                                 size_t *n_out, xshim_counts_t *counts,
                                 nidx_error_t *err)
{
    *n_out = 0;
    try {
        reader_retry(r, [&]() {
            if (order != XSHIM_BY_VALUE_ASCENDING) {
                match_part(r, q->query, bm25, order, slot, collapse_slot,
                           offset, limit, check_at_least, out, n_out, counts);
                return;
            }
            /* Ascending, the documents with a value first, then those
               without, which a sort by value would put first. (Any value
               is at least "\0"; at least "" Xapian takes as every
               document.) */
            Xapian::Query valued(Xapian::Query::OP_VALUE_GE, slot,
                                 std::string(1, '\0'));
            size_t more = 0;
            xshim_counts_t rest = {0, 0, 0};
            match_part(
                r, Xapian::Query(Xapian::Query::OP_FILTER, q->query, valued),
                bm25, order, slot, collapse_slot, offset, limit, check_at_least,
                out, n_out, counts);
            if (*n_out < limit && r->cut == XSHIM_CUT_NONE) {
                /* The page is short: the first part was seen whole. */
                unsigned skip = offset > counts->lower
                                    ? offset - (unsigned)counts->lower
                                    : 0;
                unsigned want = limit - (unsigned)*n_out;
                match_part(
                    r,
                    Xapian::Query(Xapian::Query::OP_AND_NOT, q->query, valued),
                    bm25, XSHIM_BY_RELEVANCE, slot, collapse_slot, skip, want,
                    skip + want, out + *n_out, &more, &rest);
            } else {
                /* The rest is only counted when it is asked for. */
                Xapian::Enquire enquire(r->db);
                prepare(
                    enquire,
                    Xapian::Query(Xapian::Query::OP_AND_NOT, q->query, valued),
                    bm25, XSHIM_BY_RELEVANCE, slot, collapse_slot);
                Xapian::MSet mset = enquire.get_mset(0, 0, Xapian::doccount(0),
                                                     nullptr, nullptr);
                rest.estimated = mset.get_matches_estimated();
                rest.upper = mset.get_matches_upper_bound();
            }
            *n_out += more;
            counts->estimated += rest.estimated;
            counts->lower += rest.lower;
            counts->upper += rest.upper;
        });
        return NIDX_OK;
    } catch (...) {
        return translate(err, "searching");
    }
}

bool xshim_reader_remote(const xshim_reader_t *r)
{
    return r->remote;
}

nidx_status_t xshim_reader_group_sizes(xshim_reader_t *r,
                                       const xshim_query_t *q, unsigned slot,
                                       xshim_match_t *matches, size_t n,
                                       nidx_error_t *err)
{
    try {
        reader_retry(r, [&]() {
            std::vector<std::string> keys(n);
            bool any = false;
            for (size_t i = 0; i < n; i++) {
                keys[i] = r->db.get_document(matches[i].docid).get_value(slot);
                any = any || !keys[i].empty();
            }
            if (!any)
                return;
            Xapian::Enquire enquire(r->db);
            enquire.set_query(q->query);
            enquire.set_weighting_scheme(Xapian::TfIdfWeight("bnn")); /* as
                                                     xshim_reader_count() */
            Xapian::ValueCountMatchSpy spy(slot);
            enquire.add_matchspy(&spy);
            enquire.get_mset(0, 0, r->db.get_doccount());
            std::unordered_map<std::string, Xapian::doccount> sizes;
            for (auto v = spy.values_begin(); v != spy.values_end(); ++v)
                sizes[*v] = v.get_termfreq();
            for (size_t i = 0; i < n; i++) {
                auto it = keys[i].empty() ? sizes.end() : sizes.find(keys[i]);
                if (it != sizes.end() && it->second > 0)
                    matches[i].collapsed = it->second - 1;
            }
        });
        return NIDX_OK;
    } catch (...) {
        return translate(err, "counting copies");
    }
}
