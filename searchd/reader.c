/* reader.c: each server thread's own Xapian reader, analyzer and query
 * parser, made once and kept in thread-specific storage; the database is
 * reopened (a cheap revision check) on every request so that an indexer
 * run is seen without a restart. */
#include "server.h"

#include "schema.h"

#include <stdio.h>
#include <stdlib.h>

static void reader_free(void *p)
{
    struct reader *rd = p;
    if (!rd)
        return;
    xc_qp_free(rd->qp);
    xc_db_free(rd->db);
    an_free(rd->an);
    free(rd);
}

int reader_key_create(struct server *srv)
{
    return pthread_key_create(&srv->reader_key, reader_free) == 0 ? 0 : -1;
}

static struct reader *reader_new(char *err, size_t errlen)
{
    xc_error xe = {0};
    struct reader *rd = calloc(1, sizeof *rd);
    if (!rd) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (an_new(&rd->an, err, errlen) < 0)
        goto fail;
    if (xc_qp_new(&rd->qp, &xe) < 0 ||
        xc_qp_set_stemmer(rd->qp, an_stemmer(rd->an), &xe) < 0 ||
        xc_qp_set_stopper(rd->qp, an_stopper(rd->an), &xe) < 0 ||
        xc_qp_set_strategy(rd->qp, XC_TG_STEM_SOME, &xe) < 0 ||
        schema_setup_qp(rd->qp, &xe) < 0) {
        snprintf(err, errlen, "cannot set up the query parser: %s", xe.message);
        goto fail;
    }
    return rd;
fail:
    reader_free(rd);
    return NULL;
}

struct reader *reader_get(struct server *srv, char *err, size_t errlen)
{
    struct reader *rd = pthread_getspecific(srv->reader_key);
    if (!rd) {
        if (!(rd = reader_new(err, errlen)))
            return NULL;
        if (pthread_setspecific(srv->reader_key, rd) != 0) {
            reader_free(rd);
            snprintf(err, errlen, "out of memory");
            return NULL;
        }
    }
    xc_error xe = {0};
    int changed = 0;
    if (rd->db && xc_db_reopen(rd->db, &changed, &xe) == 0)
        return rd;
    /* Not open yet, or the index was replaced beneath us: open afresh. */
    xc_db_free(rd->db);
    rd->db = NULL;
    if (xc_db_open(&rd->db, srv->db_path, &xe) < 0) {
        snprintf(err, errlen, "the index cannot be opened: %s", xe.message);
        return NULL;
    }
    if (xc_qp_set_database(rd->qp, rd->db, &xe) < 0) {
        snprintf(err, errlen, "%s", xe.message);
        return NULL;
    }
    return rd;
}

int reader_count(const char *db_path, unsigned *count, char *err, size_t errlen)
{
    xc_db *db = NULL;
    xc_error xe = {0};
    if (xc_db_open(&db, db_path, &xe) < 0) {
        snprintf(err, errlen, "%s", xe.message);
        return -1;
    }
    *count = xc_db_doc_count(db);
    xc_db_free(db);
    return 0;
}
