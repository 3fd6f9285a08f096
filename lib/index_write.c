/* index_write.c: one document in or out of a writable index. The content
 * hash of the indexed version is read first, so an unchanged document costs
 * one look-up and no rewrite, and adds nothing to the spelling data again. */
#include "index_write.h"

#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A value of the indexed version of idterm into out ("" when none). */
static void indexed_value(xc_wdb *db, const char *idterm, unsigned slot, char *out,
                          size_t outlen)
{
    xc_doc *old = NULL;
    char *value = NULL;
    size_t len = 0;
    out[0] = '\0';
    if (xc_wdb_get_by_term(db, idterm, &old, NULL) == 0 &&
        xc_doc_get_value(old, slot, &value, &len, NULL) == 0 && len < outlen)
        memcpy(out, value, len + 1);
    free(value);
    xc_doc_free(old);
}

int iw_source_unchanged(xc_wdb *db, const char *id, const char *source)
{
    char idterm[SCHEMA_TERM_MAX + 1], have[128];
    schema_id_term(id, idterm);
    indexed_value(db, idterm, SLOT_SOURCE, have, sizeof have);
    return have[0] && strcmp(have, source) == 0;
}

static int add_spelling(void *ctx, const char *word, size_t len)
{
    (void)len;
    return xc_wdb_add_spelling(ctx, word, 1, NULL) < 0 ? -1 : 0;
}

int iw_put(xc_wdb *db, struct analyzer *an, const struct doc *d, enum iw_result *result,
           char *err, size_t errlen)
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
    char idterm[SCHEMA_TERM_MAX + 1], old[17], hash[17], old_source[128];
    schema_id_term(d->id, idterm);
    indexed_value(db, idterm, SLOT_HASH, old, sizeof old);
    indexed_value(db, idterm, SLOT_SOURCE, old_source, sizeof old_source);
    /* A touched file with the same content is written once more, so that
     * its new time lets the next run skip it unread. */
    int same_source = !d->source || strcmp(d->source, old_source) == 0;
    int rc = schema_build(an, add_spelling, db, d, same_source ? old : NULL, &xd, hash, &xe);
    an_trim(an);
    if (rc < 0) {
        snprintf(err, errlen, "cannot build the document: %s", xe.message);
        return xe.code == XC_E_NOMEM ? -2 : -1;
    }
    if (!xd) {
        *result = IW_UNCHANGED;
        return 0;
    }
    if (xc_wdb_replace_by_term(db, idterm, xd, &xe) < 0) {
        snprintf(err, errlen, "cannot write to the index: %s", xe.message);
        rc = -2;
    }
    *result = old[0] ? IW_UPDATED : IW_ADDED;
    xc_doc_free(xd);
    return rc;
}

int iw_put_built(xc_wdb *db, const char *id, xc_doc *xd, const char *hash, const char *source,
                 const char *words, size_t words_len, enum iw_result *result, char *err,
                 size_t errlen)
{
    char idterm[SCHEMA_TERM_MAX + 1], old[17], old_source[128];
    schema_id_term(id, idterm);
    indexed_value(db, idterm, SLOT_HASH, old, sizeof old);
    indexed_value(db, idterm, SLOT_SOURCE, old_source, sizeof old_source);
    int same_source = !source || strcmp(source, old_source) == 0;
    if (same_source && strcmp(old, hash) == 0) {
        *result = IW_UNCHANGED;
        return 0;
    }
    xc_error xe = {0};
    for (size_t at = 0; at < words_len; at += strlen(words + at) + 1)
        if (xc_wdb_add_spelling(db, words + at, 1, &xe) < 0)
            break;
    if (xe.code == 0 && xc_wdb_replace_by_term(db, idterm, xd, &xe) == 0) {
        *result = old[0] ? IW_UPDATED : IW_ADDED;
        return 0;
    }
    snprintf(err, errlen, "cannot write to the index: %s", xe.message);
    return -2;
}

int iw_delete(xc_wdb *db, const char *id, char *err, size_t errlen)
{
    char idterm[SCHEMA_TERM_MAX + 1];
    xc_error xe = {0};
    int deleted = 0;
    schema_id_term(id, idterm);
    if (xc_wdb_delete_by_term(db, idterm, &deleted, &xe) < 0) {
        snprintf(err, errlen, "cannot delete %s: %s", id, xe.message);
        return -2;
    }
    return deleted;
}
