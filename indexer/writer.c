/* writer.c: documents → the index. One writable database, one analyzer and
 * one term generator for the run; commits every batch_size changes so a
 * crash loses at most the batch in flight. A document whose stored content
 * hash matches the index is left alone (incremental by default). */
#include "indexer.h"

#include "schema.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Creates the folders above path (Xapian makes only the last one). */
static int make_parents(const char *path, char *err, size_t errlen)
{
    char *p = strdup(path);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        if (mkdir(p, 0755) < 0 && errno != EEXIST) {
            snprintf(err, errlen, "%s: cannot create folder %s: %s", path, p, strerror(errno));
            free(p);
            return -1;
        }
        *s = '/';
    }
    free(p);
    return 0;
}

int writer_open(struct indexer *ix, char *err, size_t errlen)
{
    xc_error xe = {0};
    if (make_parents(ix->db_path, err, errlen) < 0)
        return -1;
    if (xc_wdb_open(&ix->db, ix->db_path, XC_WDB_CREATE_OR_OPEN, &xe) < 0) {
        if (xe.code == XC_E_LOCK)
            snprintf(err, errlen, "%s: another process is writing to this index",
                     ix->db_path);
        else
            snprintf(err, errlen, "%s: cannot open the index: %s", ix->db_path,
                     xe.message);
        return -1;
    }
    if (an_new(&ix->an, err, errlen) < 0)
        return -1;
    if (xc_termgen_new(&ix->tg, &xe) < 0 ||
        xc_termgen_set_stemmer(ix->tg, an_stemmer(ix->an), &xe) < 0 ||
        xc_termgen_set_stopper(ix->tg, an_stopper(ix->an), &xe) < 0 ||
        xc_termgen_set_strategy(ix->tg, XC_TG_STEM_SOME, &xe) < 0 ||
        xc_termgen_set_spelling_db(ix->tg, ix->db, &xe) < 0) {
        snprintf(err, errlen, "cannot set up the term generator: %s", xe.message);
        return -1;
    }
    return 0;
}

/* 1 when the index holds idterm with this content hash already. */
static int unchanged(struct indexer *ix, const char *idterm, const char *hash)
{
    xc_doc *old = NULL;
    char *value = NULL;
    size_t len = 0;
    int same = 0;
    if (xc_wdb_get_by_term(ix->db, idterm, &old, NULL) == 0 &&
        xc_doc_get_value(old, SLOT_HASH, &value, &len, NULL) == 0)
        same = len == 16 && memcmp(value, hash, 16) == 0;
    free(value);
    xc_doc_free(old);
    return same;
}

int writer_put(struct indexer *ix, const struct doc *d, char *err, size_t errlen)
{
    if (!d->id) {
        snprintf(err, errlen, "the document has no id");
        return -1;
    }
    if (!d->title && !d->body) {
        snprintf(err, errlen, "the document has no title and no text");
        return -1;
    }
    xc_error xe = {0};
    xc_doc *xd = NULL;
    char hash[17];
    if (schema_build(ix->tg, d, &xd, hash, &xe) < 0) {
        snprintf(err, errlen, "cannot build the document: %s", xe.message);
        return xe.code == XC_E_NOMEM ? -2 : -1;
    }
    char idterm[SCHEMA_TERM_MAX + 1];
    schema_id_term(d->id, idterm);
    int rc = 0;
    if (unchanged(ix, idterm, hash)) {
        ix->n.unchanged++;
    } else if (xc_wdb_replace_by_term(ix->db, idterm, xd, &xe) < 0) {
        snprintf(err, errlen, "cannot write to the index: %s", xe.message);
        rc = -2;
    } else {
        ix->n.indexed++;
        ix->pending++;
    }
    xc_doc_free(xd);
    if (rc == 0 && ix->pending >= ix->batch_size)
        rc = writer_commit(ix, err, errlen) < 0 ? -2 : 0;
    return rc;
}

int writer_delete(struct indexer *ix, const char *id, char *err, size_t errlen)
{
    char idterm[SCHEMA_TERM_MAX + 1];
    xc_error xe = {0};
    int deleted = 0;
    schema_id_term(id, idterm);
    if (xc_wdb_delete_by_term(ix->db, idterm, &deleted, &xe) < 0) {
        snprintf(err, errlen, "cannot delete %s: %s", id, xe.message);
        return -2;
    }
    if (deleted) {
        ix->n.deleted++;
        ix->pending++;
    }
    return deleted;
}

int writer_commit(struct indexer *ix, char *err, size_t errlen)
{
    xc_error xe = {0};
    if (ix->pending == 0)
        return 0;
    if (xc_wdb_commit(ix->db, &xe) < 0) {
        snprintf(err, errlen, "cannot commit to the index: %s", xe.message);
        return -1;
    }
    ix->pending = 0;
    return 0;
}

void writer_close(struct indexer *ix)
{
    xc_termgen_free(ix->tg);
    ix->tg = NULL;
    xc_wdb_free(ix->db);
    ix->db = NULL;
    an_free(ix->an);
    ix->an = NULL;
}
