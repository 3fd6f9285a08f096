/* test_posting_cache.c: the posting lists held in memory (posting_cache.h)
 * over a real index: a list is read once and then served from memory, its
 * documents found in order by id, a list in half the documents or more
 * held by id; the lengths are the documents' own; past its budget the
 * cache drops the oldest list no search holds, never one held; full, it
 * reads a list only in place of lists asked for less often; a new
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
    if (!posting_cache_admits(pc, db, &term, 1))
        return 0;
    return posting_cache_get(l, pc, db, term, NULL);
}

static void test_a_list_is_read_once_and_looked_up_in_order(struct check *c)
{
    struct fixture *fx = c->ctx;
    struct posting_cache *pc = NULL;
    const struct posting_list *a = NULL, *b = NULL;
    struct posting_cache_stats st;
    CHECK(c, posting_cache_new(&pc, 1u << 20, NULL) == 0);
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
    CHECK(c, posting_cache_new(&pc, 1u << 20, NULL) == 0);
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
    CHECK(c, posting_cache_new(&pc, 1u << 20, NULL) == 0);
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

static void test_the_budget_drops_the_oldest_list_no_search_holds(struct check *c)
{
    struct fixture *fx = c->ctx;
    struct posting_cache *pc = NULL;
    const struct posting_list *l = NULL, *held = NULL;
    struct posting_cache_stats st;
    /* Room for about two of the lists of "t0" … "t7" (5 documents each). */
    CHECK(c, posting_cache_new(&pc, 300, NULL) == 0);
    const char *terms[] = {"t0", "t1", "t2", "t0"};
    for (int i = 0; i < 4; i++) {
        CHECK(c, ask(&l, pc, fx->db, terms[i]) == 0 && l && l->n == 5);
        posting_cache_put(pc, l);
        posting_cache_stats(pc, &st);
        CHECK(c, st.bytes <= 300);
    }
    /* t0 was dropped by t2 and read again. */
    CHECK(c, st.reads == 4);
    /* A list held stays whole while others come and go. */
    CHECK(c, ask(&held, pc, fx->db, "t3") == 0);
    for (int i = 4; i < 8; i++) {
        char t[16];
        snprintf(t, sizeof t, "t%d", i);
        CHECK(c, ask(&l, pc, fx->db, t) == 0);
        posting_cache_put(pc, l);
    }
    size_t at = 0;
    CHECK(c, held && held->n == 5 && posting_list_wdf(held, &at, 4) == 1 &&
                 posting_list_wdf(held, &at, 12) == 1);
    posting_cache_put(pc, held);
    posting_cache_stats(pc, &st);
    CHECK(c, st.bytes <= 300);
    /* A list that fits only in place of lists asked for as often is
     * refused when first asked for and read when asked again. */
    CHECK(c, ask(&l, pc, fx->db, "common") == 0 && !l);
    CHECK(c, ask(&l, pc, fx->db, "common") == 0 && l && l->docs == NDOCS);
    posting_cache_put(pc, l);
    posting_cache_stats(pc, &st);
    CHECK(c, st.bytes <= 300 && st.refused == 1);
    posting_cache_free(pc);
}

/* Full of lists, the cache refuses a term asked for less often than the
 * lists it would push out (a word searched once does not push out the
 * others), and reads it once asked for more often, dropping the least
 * recently used. */
static void test_a_list_asked_once_while_full_is_refused_then_read(struct check *c)
{
    struct fixture *fx = c->ctx;
    struct posting_cache *pc = NULL;
    const struct posting_list *l = NULL;
    struct posting_cache_stats st;
    CHECK(c, posting_cache_new(&pc, 300, NULL) == 0);
    for (int i = 0; i < 2; i++) {   /* t0 and t1 fill it */
        char t[16];
        snprintf(t, sizeof t, "t%d", i);
        CHECK(c, ask(&l, pc, fx->db, t) == 0 && l);
        posting_cache_put(pc, l);
    }
    /* "rare" (3 documents) still fits beside them; "half" does not. */
    CHECK(c, ask(&l, pc, fx->db, "rare") == 0 && l && l->docs == 3);
    posting_cache_put(pc, l);
    CHECK(c, ask(&l, pc, fx->db, "half") == 0 && !l);
    posting_cache_stats(pc, &st);
    CHECK(c, st.refused == 1 && st.reads == 3);
    CHECK(c, ask(&l, pc, fx->db, "half") == 0 && l && l->docs == NDOCS / 2);
    posting_cache_put(pc, l);
    posting_cache_stats(pc, &st);
    CHECK(c, st.refused == 1 && st.reads == 4 && st.bytes <= 300);
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
    CHECK(c, posting_cache_new(&pc, 1u << 20, NULL) == 0);
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
        if ((posting_cache_admits(wk->pc, db, &name, 1) &&
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
    CHECK(c, posting_cache_new(&pc, 400, NULL) == 0);
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
    RUN(&c, test_a_list_asked_once_while_full_is_refused_then_read);
    RUN(&c, test_threads_share_the_cache);
    RUN(&c, test_a_new_revision_empties_the_cache);
    xc_db_free(f.db);
    tmpdir_remove(f.dir);
    return check_report(&c, "test_posting_cache");
}
