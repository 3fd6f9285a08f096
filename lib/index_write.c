/* index_write.c: one document in or out of a writable index. The content
 * hash of the indexed version is read first, so an unchanged document costs
 * one look-up and no rewrite, and adds nothing to the spelling data again. */
#include "index_write.h"

#include "schema.h"

#include <stdlib.h>
#include <string.h>

/* A value of old (NULL: no indexed version), malloc'd whatever its length,
 * as a source signature holds a whole folder path; "" when unset. NULL only
 * when out of memory. */
static char *value_of(xc_doc *old, unsigned slot)
{
    char *value = NULL;
    size_t len = 0;
    if (!old || xc_doc_get_value(old, slot, &value, &len, NULL) < 0 || !value) {
        free(value);
        value = strdup("");
    }
    return value;
}

/* The indexed version's hash and source (each "" when none) into *hash and
 * *source (hash NULL: not wanted). 0, or LIB_E_NOMEM. */
static int indexed_version(char **hash, char **source, xc_wdb *db, const char *id)
{
    char idterm[SCHEMA_TERM_MAX + 1];
    xc_doc *old = NULL;
    schema_id_term(id, idterm);
    if (xc_wdb_get_by_term(db, idterm, &old, NULL) < 0)
        old = NULL;
    char *h = hash ? value_of(old, SLOT_HASH) : NULL;
    char *s = value_of(old, SLOT_SOURCE);
    xc_doc_free(old);
    if ((hash && !h) || !s) {
        free(h);
        free(s);
        return LIB_E_NOMEM;
    }
    if (hash)
        *hash = h;
    *source = s;
    return 0;
}

int iw_source_unchanged(xc_db *db, const char *id, const char *source)
{
    char idterm[SCHEMA_TERM_MAX + 1];
    xc_doc *old = NULL;
    schema_id_term(id, idterm);
    if (xc_db_get_by_term(db, idterm, &old, NULL) < 0)
        return 0;
    char *have = value_of(old, SLOT_SOURCE);
    xc_doc_free(old);
    int same = have && have[0] && strcmp(have, source) == 0;
    free(have);
    return same;
}

static int add_spelling(void *ctx, const char *word, size_t len)
{
    (void)len;
    return xc_wdb_add_spelling(ctx, word, 1, NULL) < 0 ? -1 : 0;
}

int iw_put(enum iw_result *result, xc_wdb *db, struct analyzer *an, const struct doc *d,
           lib_error *err)
{
    if (!d->id)
        return lib_error_set(err, LIB_E_INVALID, "the document has no id");
    if (!d->title && !d->body)
        return lib_error_set(err, LIB_E_INVALID, "the document has no title and no text");
    xc_error xe = {0};
    xc_doc *xd = NULL;
    char idterm[SCHEMA_TERM_MAX + 1], hash[17], *old = NULL, *old_source = NULL;
    schema_id_term(d->id, idterm);
    if (indexed_version(&old, &old_source, db, d->id) < 0)
        return lib_error_nomem(err);
    /* A touched file with the same content is written once more, so that
     * its new time lets the next run skip it unread. */
    int same_source = !d->source || strcmp(d->source, old_source) == 0;
    int rc = schema_build(&xd, hash, an, add_spelling, db, d, same_source ? old : NULL, &xe);
    an_trim(an);
    if (rc < 0) {
        /* Only a want of memory is the writer's trouble; anything else that
         * stops the build is the document's. */
        rc = lib_error_set(err, xe.code == LIB_E_NOMEM ? LIB_E_NOMEM : LIB_E_INVALID,
                           "cannot build the document: %s", xe.message);
    } else if (!xd) {
        *result = IW_UNCHANGED;
    } else if ((rc = xc_wdb_replace_by_term(db, idterm, xd, &xe)) < 0) {
        lib_error_set(err, rc, "cannot write to the index: %s", xe.message);
    } else {
        *result = old[0] ? IW_UPDATED : IW_ADDED;
    }
    xc_doc_free(xd);
    free(old);
    free(old_source);
    return rc;
}

int iw_put_built(enum iw_result *result, xc_wdb *db, const char *id, xc_doc *xd,
                 const char *hash, const char *source, const char *words, size_t words_len,
                 lib_error *err)
{
    char idterm[SCHEMA_TERM_MAX + 1], *old = NULL, *old_source = NULL;
    schema_id_term(id, idterm);
    if (indexed_version(&old, &old_source, db, id) < 0)
        return lib_error_nomem(err);
    int same_source = !source || strcmp(source, old_source) == 0;
    int rc = 0;
    xc_error xe = {0};
    if (same_source && strcmp(old, hash) == 0) {
        *result = IW_UNCHANGED;
        goto cleanup;
    }
    for (size_t at = 0; rc == 0 && at < words_len; at += strlen(words + at) + 1)
        rc = xc_wdb_add_spelling(db, words + at, 1, &xe);
    if (rc == 0)
        rc = xc_wdb_replace_by_term(db, idterm, xd, &xe);
    if (rc < 0)
        lib_error_set(err, rc, "cannot write to the index: %s", xe.message);
    else
        *result = old[0] ? IW_UPDATED : IW_ADDED;
cleanup:
    free(old);
    free(old_source);
    return rc;
}

int iw_delete(xc_wdb *db, const char *id, lib_error *err)
{
    char idterm[SCHEMA_TERM_MAX + 1];
    xc_error xe = {0};
    int deleted = 0;
    schema_id_term(id, idterm);
    int rc = xc_wdb_delete_by_term(db, idterm, &deleted, &xe);
    if (rc < 0)
        return lib_error_set(err, rc, "cannot delete %s: %s", id, xe.message);
    return deleted;
}
