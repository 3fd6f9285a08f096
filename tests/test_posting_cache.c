/* test_posting_cache.c: the posting lists held in memory (posting_cache.h)
 * over a real index: a list is read once and then served from memory, its
 * documents found in order by id, a list in half the documents or more
 * held by id; the lengths are the documents' own; past its budget the
 * cache drops the oldest list no search holds, never one held; a list is
 * read on its second ask, and when full only in place of lists asked for
 * less often, by a thread of the cache's own when it has one; a new
 * revision empties it; and threads share it, each seeing whole lists. */
#include "check.h"
#include "posting_cache.h"
#include "support.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NDOCS 40

struct fixture {
    char dir[256];
    char path[512];
    xc_db *db;
};

/* Document i (id i + 1): "common" i % 3 + 1 times, "half" in the even
 * ones, "rare" in 5, 17 and 33 (ids 6, 18, 34), and "t<i % 8>". */
static int build(struct fixture *fx)
{
    xc_wdb *w = NULL;
    xc_error e = {0};
    snprintf(fx->path, sizeof fx->path, "%s/db", fx->dir);
    if (xc_wdb_open(&w, fx->path, XC_WDB_CREATE_OR_OVERWRITE, &e) < 0)
        return -1;
    int rc = 0;
    for (int i = 0; rc == 0 && i < NDOCS; i++) {
        xc_doc *d = NULL;
        char id[16], t[16];
        snprintf(id, sizeof id, "Q%d", i);
        snprintf(t, sizeof t, "t%d", i % 8);
        rc = xc_doc_new(&d, &e);
        if (rc == 0)
            rc = xc_doc_add_term(d, "common", (unsigned)(i % 3 + 1), &e);
        if (rc == 0 && i % 2 == 0)
            rc = xc_doc_add_term(d, "half", 2, &e);
        if (rc == 0 && (i == 5 || i == 17 || i == 33))
            rc = xc_doc_add_term(d, "rare", (unsigned)i, &e);
        if (rc == 0)
            rc = xc_doc_add_term(d, t, 1, &e);
        if (rc == 0)
            rc = xc_wdb_replace_by_term(w, id, d, &e);
        xc_doc_free(d);
    }
    if (rc == 0)
        rc = xc_wdb_commit(w, &e);
    xc_wdb_free(w);
    return rc;
}

/* term's list as a search asks for it: its ask counted, then got (*l
 * NULL when refused). */
static int ask(const struct posting_list **l, struct posting_cache *pc, xc_db *db,
               const char *term)
{
    *l = NULL;
    if (!posting_cache_admits(pc, db, &term, 1, 1))
        return 0;
    return posting_cache_get(l, pc, db, term, NULL);
}

static void test_a_list_is_read_once_and_looked_up_in_order(struct check *c)
{
    struct fixture *fx = c->ctx;
    struct posting_cache *pc = NULL;
    const struct posting_list *a = NULL, *b = NULL;
    struct posting_cache_stats st;
    CHECK(c, posting_cache_new(&pc, 1u << 20, NULL, NULL) == 0);
    CHECK(c, posting_cache_get(&a, pc, fx->db, "rare", NULL) == 0);
    CHECK(c, posting_cache_get(&b, pc, fx->db, "rare", NULL) == 0);
    posting_cache_stats(pc, &st);
    CHECK(c, a == b && st.reads == 1 && st.lists == 1);
    CHECK(c, a && a->ids && a->n == 3 && a->docs == 3);
    size_t at = 0;
    CHECK(c, posting_list_wdf(a, &at, 1) == -1);
    CHECK(c, posting_list_wdf(a, &at, 6) == 5);
    CHECK(c, posting_list_wdf(a, &at, 6) == 5);    /* the same id again */
    CHECK(c, posting_list_wdf(a, &at, 17) == -1);  /* between two */
    CHECK(c, posting_list_wdf(a, &at, 34) == 33);
    CHECK(c, posting_list_wdf(a, &at, 35) == -1);  /* past the last */
    posting_cache_put(pc, a);
    posting_cache_put(pc, b);
    CHECK(c, posting_cache_get(&a, pc, fx->db, "absent", NULL) == 0 && a && a->n == 0);
    posting_cache_put(pc, a);
    CHECK(c, posting_cache_get(&a, pc, fx->db, "", NULL) == LIB_E_INVALID && !a);
    posting_cache_free(pc);
}

static void test_a_list_in_half_the_documents_is_held_by_id(struct check *c)
{
    struct fixture *fx = c->ctx;
    struct posting_cache *pc = NULL;
    const struct posting_list *common = NULL, *half = NULL;
    CHECK(c, posting_cache_new(&pc, 1u << 20, NULL, NULL) == 0);
    CHECK(c, posting_cache_get(&common, pc, fx->db, "common", NULL) == 0);
    CHECK(c, posting_cache_get(&half, pc, fx->db, "half", NULL) == 0);
    CHECK(c, common && !common->ids && common->docs == NDOCS && common->n == NDOCS + 1);
    CHECK(c, half && !half->ids && half->docs == NDOCS / 2);
    size_t at = 0, at2 = 0;
    for (unsigned id = 1; common && half && id <= NDOCS; id++) {
        CHECK(c, posting_list_wdf(common, &at, id) == (long)((id - 1) % 3 + 1));
        CHECK(c, posting_list_wdf(half, &at2, id) == ((id - 1) % 2 == 0 ? 2 : -1));
    }
    CHECK(c, common && posting_list_wdf(common, &at, 0) == -1);
    CHECK(c, common && posting_list_wdf(common, &at, NDOCS + 5) == -1);
    posting_cache_put(pc, common);
    posting_cache_put(pc, half);
    posting_cache_free(pc);
}

static void test_the_lengths_are_the_documents(struct check *c)
{
    struct fixture *fx = c->ctx;
    struct posting_cache *pc = NULL;
    const struct posting_list *len = NULL;
    CHECK(c, posting_cache_new(&pc, 1u << 20, NULL, NULL) == 0);
    CHECK(c, posting_cache_lengths(&len, pc, fx->db, NULL) == 0);
    CHECK(c, len && !len->ids && len->n == NDOCS + 1 && len->docs == NDOCS);
    for (int i = 0; len && i < NDOCS; i++) {
        char id[16];
        xc_doc *d = NULL;
        unsigned long want = 0;
        snprintf(id, sizeof id, "Q%d", i);
        CHECK(c, xc_db_get_by_term(fx->db, id, &d, NULL) == 0 && xc_doc_length(d, &want, NULL) == 0);
        CHECK(c, len->wdf[xc_doc_id(d)] == want);
        xc_doc_free(d);
    }
    posting_cache_put(pc, len);
    posting_cache_free(pc);
}

/* Asks for term n times as n searches would, putting back what the first
 * n - 1 got: the list the n-th got (NULL: refused), the caller's to put. */
static const struct posting_list *ask_times(struct posting_cache *pc, xc_db *db,
                                            const char *term, int n)
{
    const struct posting_list *l = NULL;
    for (int i = 0; i < n; i++) {
        posting_cache_put(pc, l);
        if (ask(&l, pc, db, term) != 0)
            return NULL;
    }
    return l;
}

/* A list is read on its second ask, not its first: a word searched once is
 * not worth reading whole. */
static void test_a_list_is_read_on_its_second_ask(struct check *c)
{
    struct fixture *fx = c->ctx;
    struct posting_cache *pc = NULL;
    const struct posting_list *l = NULL;
    struct posting_cache_stats st;
    CHECK(c, posting_cache_new(&pc, 1u << 20, NULL, NULL) == 0);
    CHECK(c, ask(&l, pc, fx->db, "rare") == 0 && !l);
    posting_cache_stats(pc, &st);
    CHECK(c, st.reads == 0 && st.refused == 1);
    CHECK(c, ask(&l, pc, fx->db, "rare") == 0 && l && l->docs == 3);
    posting_cache_put(pc, l);
    posting_cache_stats(pc, &st);
    CHECK(c, st.reads == 1 && st.lists == 1);
    posting_cache_free(pc);
}

static void test_the_budget_drops_the_oldest_list_no_search_holds(struct check *c)
{
    struct fixture *fx = c->ctx;
    struct posting_cache *pc = NULL;
    const struct posting_list *l = NULL, *held = NULL;
    struct posting_cache_stats st;
    /* Room for two of the lists of "t0" … "t7" (5 documents each). */
    CHECK(c, posting_cache_new(&pc, 300, NULL, NULL) == 0);
    for (int i = 0; i < 2; i++) {
        char t[16];
        snprintf(t, sizeof t, "t%d", i);
        CHECK(c, (l = ask_times(pc, fx->db, t, 2)) && l->n == 5);
        posting_cache_put(pc, l);
    }
    /* t2, asked for more often than t0 and t1, takes t0's place (the
     * least recently used); t0, asked for again more often still, t1's. */
    CHECK(c, (l = ask_times(pc, fx->db, "t2", 3)) && l->n == 5);
    posting_cache_put(pc, l);
    posting_cache_stats(pc, &st);
    CHECK(c, st.reads == 3 && st.bytes <= 300);
    CHECK(c, (l = ask_times(pc, fx->db, "t0", 2)) && l->n == 5);
    posting_cache_put(pc, l);
    posting_cache_stats(pc, &st);
    CHECK(c, st.reads == 4 && st.bytes <= 300);
    /* A list held stays whole while lists asked for more often come and
     * go beside it. */
    CHECK(c, (held = ask_times(pc, fx->db, "t3", 5)) != NULL);
    for (int i = 4; i < 8; i++) {
        char t[16];
        snprintf(t, sizeof t, "t%d", i);
        CHECK(c, (l = ask_times(pc, fx->db, t, 6 + i)) != NULL);
        posting_cache_put(pc, l);
    }
    size_t at = 0;
    CHECK(c, held && held->n == 5 && posting_list_wdf(held, &at, 4) == 1 &&
                 posting_list_wdf(held, &at, 12) == 1);
    posting_cache_put(pc, held);
    posting_cache_stats(pc, &st);
    CHECK(c, st.bytes <= 300);
    posting_cache_free(pc);
}

/* Full of lists, the cache refuses a term asked for no more often than
 * the lists it would push out (words searched now and then do not push
 * out those searched all day), and reads it once asked for more often. */
static void test_a_list_asked_less_often_than_those_held_is_refused(struct check *c)
{
    struct fixture *fx = c->ctx;
    struct posting_cache *pc = NULL;
    const struct posting_list *l = NULL;
    struct posting_cache_stats st;
    CHECK(c, posting_cache_new(&pc, 300, NULL, NULL) == 0);
    for (int i = 0; i < 2; i++) {   /* t0 and t1, asked for 3 times */
        char t[16];
        snprintf(t, sizeof t, "t%d", i);
        CHECK(c, (l = ask_times(pc, fx->db, t, 3)) != NULL);
        posting_cache_put(pc, l);
    }
    /* "half" (by id) does not fit beside them: refused while asked for
     * as often as they were, read on the fourth ask. */
    CHECK(c, !ask_times(pc, fx->db, "half", 3));
    posting_cache_stats(pc, &st);
    CHECK(c, st.reads == 2);
    CHECK(c, ask(&l, pc, fx->db, "half") == 0 && l && l->docs == NDOCS / 2);
    posting_cache_put(pc, l);
    posting_cache_stats(pc, &st);
    CHECK(c, st.reads == 3 && st.bytes <= 300);
    posting_cache_free(pc);
}

/* With a path, the lists are read by the cache's own thread: a search that
 * asks for a list not held goes without it, and finds it held once read. */
static void test_a_loader_reads_the_lists_in_the_background(struct check *c)
{
    struct fixture *fx = c->ctx;
    struct posting_cache *pc = NULL;
    const struct posting_list *l = NULL, *len = NULL;
    struct posting_cache_stats st;
    CHECK(c, posting_cache_new(&pc, 1u << 20, fx->path, NULL) == 0);
    CHECK(c, ask(&l, pc, fx->db, "rare") == 0 && !l);   /* queued */
    CHECK(c, posting_cache_lengths(&len, pc, fx->db, NULL) == 0 && !len);
    posting_cache_wait(pc);
    CHECK(c, ask(&l, pc, fx->db, "rare") == 0 && l && l->docs == 3);
    CHECK(c, posting_cache_lengths(&len, pc, fx->db, NULL) == 0 && len && len->docs == NDOCS);
    posting_cache_put(pc, l);
    posting_cache_put(pc, len);
    posting_cache_stats(pc, &st);
    CHECK(c, st.reads == 2 && st.lists == 2);
    posting_cache_free(pc);
}

static void test_a_new_revision_empties_the_cache(struct check *c)
{
    struct fixture *fx = c->ctx;
    struct posting_cache *pc = NULL;
    const struct posting_list *l = NULL;
    struct posting_cache_stats st;
    xc_wdb *w = NULL;
    xc_doc *d = NULL;
    CHECK(c, posting_cache_new(&pc, 1u << 20, NULL, NULL) == 0);
    CHECK(c, posting_cache_get(&l, pc, fx->db, "rare", NULL) == 0 && l && l->docs == 3);
    posting_cache_put(pc, l);
    CHECK(c, xc_wdb_open(&w, fx->path, XC_WDB_CREATE_OR_OPEN, NULL) == 0);
    CHECK(c, xc_doc_new(&d, NULL) == 0 && xc_doc_add_term(d, "rare", 9, NULL) == 0);
    CHECK(c, xc_wdb_replace_by_term(w, "Qnew", d, NULL) == 0 && xc_wdb_commit(w, NULL) == 0);
    xc_doc_free(d);
    xc_wdb_free(w);
    int changed = 0;
    CHECK(c, xc_db_reopen(fx->db, &changed, NULL) == 0 && changed);
    CHECK(c, posting_cache_get(&l, pc, fx->db, "rare", NULL) == 0 && l && l->docs == 4);
    size_t at = 0;
    CHECK(c, l && posting_list_wdf(l, &at, NDOCS + 1) == 9);
    posting_cache_put(pc, l);
    posting_cache_stats(pc, &st);
    CHECK(c, st.reads == 2 && st.lists == 1);
    posting_cache_free(pc);
}

struct worker {
    struct posting_cache *pc;
    const char *path;
    int first;   /* the list it starts from */
    int bad;
    unsigned served;   /* gets answered with a list (not refused) */
};

/* 300 gets of the lists t0 … t7 over a reader of its own, each checked
 * whole. */
static void *work(void *arg)
{
    struct worker *wk = arg;
    xc_db *db = NULL;
    if (xc_db_open(&db, wk->path, NULL) < 0) {
        wk->bad = 1;
        return NULL;
    }
    for (int i = 0; i < 300 && !wk->bad; i++) {
        char t[16];
        const struct posting_list *l = NULL;
        snprintf(t, sizeof t, "t%d", (i * 7 + wk->first) % 8);
        const char *name = t;
        if ((posting_cache_admits(wk->pc, db, &name, 1, 1) &&
             posting_cache_get(&l, wk->pc, db, t, NULL) != 0) || (l && l->n != 5))
            wk->bad = 1;
        wk->served += l != NULL;
        for (size_t k = 1; l && k < l->n; k++)
            wk->bad |= l->ids[k] != l->ids[k - 1] + 8 || l->wdf[k] != 1;
        posting_cache_put(wk->pc, l);
    }
    xc_db_free(db);
    return NULL;
}

static void test_threads_share_the_cache(struct check *c)
{
    struct fixture *fx = c->ctx;
    struct posting_cache *pc = NULL;
    struct worker w[4];
    pthread_t th[4];
    CHECK(c, posting_cache_new(&pc, 400, NULL, NULL) == 0);
    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){pc, fx->path, i, 0, 0};
        CHECK(c, pthread_create(&th[i], NULL, work, &w[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK(c, !w[i].bad && w[i].served > 0);
    }
    struct posting_cache_stats st;
    posting_cache_stats(pc, &st);
    /* Lists were read and kept within the budget (which of them, and how
     * often one was read again, goes by the threads' order). */
    if (!(st.bytes <= 400 && st.reads >= 3))
        fprintf(stderr, "  %zu bytes, %lu reads\n", st.bytes, st.reads);
    CHECK(c, st.bytes <= 400 && st.reads >= 3);
    posting_cache_free(pc);
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    if (tmpdir_make(f.dir, sizeof f.dir) < 0 || build(&f) < 0 ||
        xc_db_open(&f.db, f.path, NULL) < 0) {
        fprintf(stderr, "test_posting_cache: cannot build the test index\n");
        tmpdir_remove(f.dir);
        return 1;
    }
    c.ctx = &f;
    RUN(&c, test_a_list_is_read_once_and_looked_up_in_order);
    RUN(&c, test_a_list_in_half_the_documents_is_held_by_id);
    RUN(&c, test_the_lengths_are_the_documents);
    RUN(&c, test_the_budget_drops_the_oldest_list_no_search_holds);
    RUN(&c, test_a_list_is_read_on_its_second_ask);
    RUN(&c, test_a_list_asked_less_often_than_those_held_is_refused);
    RUN(&c, test_threads_share_the_cache);
    RUN(&c, test_a_loader_reads_the_lists_in_the_background);
    RUN(&c, test_a_new_revision_empties_the_cache);
    xc_db_free(f.db);
    tmpdir_remove(f.dir);
    return check_report(&c, "test_posting_cache");
}
