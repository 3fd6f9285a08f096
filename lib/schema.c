/* schema.c: doc → Xapian document. Title words are indexed twice, plain
 * (weighted up, so a title match outranks a body match) and under "S" for
 * title: queries; the facets are boolean terms plus values for counting. */
#include "schema.h"

#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_WDF 4   /* a title word counts as four body words */

void schema_hash_hex(const char *s, size_t len, char out[17])
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

void schema_id_term(const char *id, char out[SCHEMA_TERM_MAX + 1])
{
    size_t len = strlen(id);
    if (len + 1 <= SCHEMA_TERM_MAX) {
        snprintf(out, SCHEMA_TERM_MAX + 1, "%s%s", SCHEMA_ID, id);
        return;
    }
    char hex[17];
    schema_hash_hex(id, len, hex);
    size_t keep = SCHEMA_TERM_MAX - 1 - 1 - 16;  /* "Q", "#", hash */
    while (keep > 0 && ((unsigned char)id[keep] & 0xC0) == 0x80)
        keep--;
    snprintf(out, SCHEMA_TERM_MAX + 1, "%s%.*s#%s", SCHEMA_ID, (int)keep, id, hex);
}

/* A boolean term prefix + folded value, cut to Xapian's term limit. */
static int add_bool(xc_doc *xd, const char *prefix, const char *value,
                    xc_error *err)
{
    if (!value)
        return 0;
    char *folded = text_fold(value);
    if (!folded) {
        err->code = XC_E_NOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
        return XC_E_NOMEM;
    }
    char term[SCHEMA_TERM_MAX + 1];
    snprintf(term, sizeof term, "%s%s", prefix, folded);
    text_truncate(term, SCHEMA_TERM_MAX);
    free(folded);
    return xc_doc_add_boolean_term(xd, term, err);
}

static int index_field(xc_termgen *tg, const char *text, unsigned wdf,
                       const char *prefix, xc_error *err)
{
    if (!text)
        return 0;
    int rc = xc_termgen_index_text(tg, text, strlen(text), wdf, prefix, err);
    if (rc == 0)
        rc = xc_termgen_increase_termpos(tg, 100, err);   /* no phrase across fields */
    return rc;
}

int schema_build(xc_termgen *tg, const struct doc *d, xc_doc **out,
                 char hash_out[17], xc_error *err)
{
    xc_doc *xd = NULL;
    char *data = NULL;
    json_t *stored = NULL;
    int rc;
    *out = NULL;
    if ((rc = xc_doc_new(&xd, err)) < 0)
        return rc;
    stored = doc_to_json(d);
    data = stored ? json_dumps(stored, JSON_COMPACT) : NULL;
    if (!data) {
        rc = XC_E_NOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
        err->code = rc;
        goto fail;
    }
    size_t data_len = strlen(data);
    schema_hash_hex(data, data_len, hash_out);
    char idterm[SCHEMA_TERM_MAX + 1];
    schema_id_term(d->id, idterm);
    char year[5] = "", date[9] = "";
    if (d->date) {
        memcpy(year, d->date, 4);
        snprintf(date, sizeof date, "%.4s%.2s%.2s", d->date, d->date + 5, d->date + 8);
    }
    if ((rc = xc_doc_set_data(xd, data, data_len, err)) < 0 ||
        (rc = xc_doc_add_boolean_term(xd, idterm, err)) < 0 ||
        (rc = xc_termgen_set_document(tg, xd, err)) < 0 ||
        (rc = index_field(tg, d->title, TITLE_WDF, "", err)) < 0 ||
        (rc = index_field(tg, d->title, 1, SCHEMA_TITLE, err)) < 0 ||
        (rc = index_field(tg, d->summary, 1, "", err)) < 0 ||
        (rc = index_field(tg, d->what, 1, "", err)) < 0 ||
        (rc = index_field(tg, d->address, 1, "", err)) < 0 ||
        (rc = index_field(tg, d->organizer, 1, "", err)) < 0 ||
        (rc = index_field(tg, d->organizer, 1, SCHEMA_ORGANIZER, err)) < 0 ||
        (rc = index_field(tg, d->body, 1, "", err)) < 0 ||
        (rc = add_bool(xd, SCHEMA_TYPE, d->type, err)) < 0 ||
        (rc = add_bool(xd, SCHEMA_PLACE, d->place, err)) < 0 ||
        (rc = add_bool(xd, SCHEMA_YEAR, d->date ? year : NULL, err)) < 0 ||
        (rc = xc_doc_set_value(xd, SLOT_HASH, hash_out, 16, err)) < 0)
        goto fail;
    for (size_t i = 0; i < d->ntags; i++)
        if ((rc = index_field(tg, d->tags[i], 1, "", err)) < 0)
            goto fail;
    if (d->date && ((rc = xc_doc_set_value(xd, SLOT_DATE, date, 8, err)) < 0 ||
                    (rc = xc_doc_set_value(xd, SLOT_YEAR, year, 4, err)) < 0))
        goto fail;
    if (d->type && (rc = xc_doc_set_value(xd, SLOT_TYPE, d->type, strlen(d->type), err)) < 0)
        goto fail;
    if (d->place && (rc = xc_doc_set_value(xd, SLOT_PLACE, d->place, strlen(d->place), err)) < 0)
        goto fail;
    free(data);
    json_decref(stored);
    *out = xd;
    return 0;
fail:
    free(data);
    json_decref(stored);
    xc_doc_free(xd);
    return rc;
}

int schema_setup_qp(xc_qp *qp, xc_error *err)
{
    int rc;
    if ((rc = xc_qp_add_prefix(qp, "title", SCHEMA_TITLE, err)) < 0 ||
        (rc = xc_qp_add_prefix(qp, "organizer", SCHEMA_ORGANIZER, err)) < 0 ||
        (rc = xc_qp_add_prefix(qp, "arrangör", SCHEMA_ORGANIZER, err)) < 0 ||
        (rc = xc_qp_add_boolean_prefix(qp, "type", SCHEMA_TYPE, err)) < 0 ||
        (rc = xc_qp_add_boolean_prefix(qp, "place", SCHEMA_PLACE, err)) < 0 ||
        (rc = xc_qp_add_boolean_prefix(qp, "year", SCHEMA_YEAR, err)) < 0)
        return rc;
    return 0;
}
