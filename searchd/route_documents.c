/* route_documents.c: /api/documents/ID. GET gives the stored fields of one
 * document, exactly as indexed, or 404. PUT (add or replace, searchable when
 * it returns) and DELETE are for editors with the admin token; they open the
 * index for writing per request, so an indexer run and a write never hold
 * the lock together: a write waits briefly, then answers 503. A PUT body is
 * a JSON document, or a document file (PDF, …) by its Content-Type, read in
 * a child process under limits as the indexer reads one (docfile.h). */
#include "server.h"

#include "analysis_lang.h"
#include "doc_data.h"
#include "docfile.h"

#include "generation.h"
#include "index_write.h"
#include "jsonl.h"
#include "schema.h"
#include "text.h"
#include "wdb_wait.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The static helpers of this file answer 0, or -1 with the answer (an error)
 * already queued in *ret, which the route then returns. */

/* This thread's reader, for a request on a document id that may be one. */
static int reader_for_id(struct request *r, const char *id, struct reader **rd,
                         enum MHD_Result *ret)
{
    if (strlen(id) > DOC_ID_MAX || !text_is_utf8(id, strlen(id))) {
        *ret = reply_error(r, 400, "the document id must be 1 to %d bytes of UTF-8",
                           DOC_ID_MAX);
        return -1;
    }
    char err[512];
    if (!(*rd = reader_get(r->srv, err, sizeof err))) {
        *ret = reply_error(r, 503, "%s", err);
        return -1;
    }
    return 0;
}

enum MHD_Result route_document_get(struct request *r, const char *id)
{
    enum MHD_Result ret;
    struct reader *rd;
    if (reader_for_id(r, id, &rd, &ret) < 0)
        return ret;
    char term[SCHEMA_TERM_MAX + 1];
    schema_id_term(id, term);
    xc_error xe = {0};
    xc_doc *d = NULL;
    char *data = NULL;
    size_t len = 0;
    int rc = xc_db_get_by_term(rd->db, term, &d, &xe);
    if (rc == 0)
        rc = xc_doc_get_data(d, &data, &len, &xe);
    xc_doc_free(d);
    /* Not found may only mean that the shard it belongs to is down. */
    xc_shard_info si;
    if (rc == XC_E_NOTFOUND && rd->remote &&
        xc_db_shard_info(rd->db, xc_shard_of(term, xc_db_shard_count(rd->db)), &si) == 0 &&
        !si.up)
        return reply_error(r, 503, "the shard holding %s (%s) is down, try again", id,
                           si.name);
    if (rc == XC_E_NOTFOUND)
        return reply_error(r, 404, "no document with id %s", id);
    if (rc != 0)
        return reply_index_error(r, rc, "cannot read the document", xe.message);
    json_t *doc = NULL;
    const char *body = NULL;
    size_t body_len = 0;
    struct doc_text text = DOC_TEXT_INIT;
    int dr = doc_data_decode(&doc, &body, &body_len, &text, data, len);
    /* the body among the fields again (a copy first: it may be the field's) */
    json_t *b = dr == 0 && body ? json_stringn(body, body_len) : NULL;
    if (dr == 0 && body && (!b || json_object_set_new(doc, "body", b) < 0))
        dr = LIB_E_INVALID;   /* text that is not UTF-8 was never stored */
    doc_text_dispose(&text);
    free(data);
    if (dr < 0) {
        json_decref(doc);
        return dr == LIB_E_NOMEM ? reply_error(r, 500, "out of memory")
                                 : reply_error(r, 500, "the stored document is damaged");
    }
    return reply_json(r, 200, doc);
}

/* Writes need the admin token (admin_token.c), and the index itself: a
 * searchd over remote shards only reads. */
static int authorised(struct request *r, enum MHD_Result *ret)
{
    if (request_authorised(r, ret) < 0)
        return -1;
    if (r->srv->remote) {
        *ret = reply_error(r, 403, "this searchd reads remote shards: send writes to the "
                                   "primary index (its indexer or searchd)");
        return -1;
    }
    return 0;
}

#define LOCK_WAIT_MS 2000   /* an indexer run holds the lock: wait this long */

/* The writable index, waiting briefly while another writer holds it. An
 * indexer that held it may have switched the index to a new generation
 * meanwhile (a compacted copy): the write then goes to that one. */
static int open_writer(struct request *r, xc_wdb **db, enum MHD_Result *ret)
{
    lib_error xe = {0};
    char live[4096], now[4096];
    for (int tries = 0; tries < 3; tries++) {
        if (gen_live(live, sizeof live, r->srv->db_path, 0, &xe) < 0) {
            *ret = reply_error(r, 503, "%s", xe.message);
            return -1;
        }
        if (wdb_open_waiting(db, live, XC_WDB_OPEN, LOCK_WAIT_MS, &xe) < 0)
            break;
        if (gen_live(now, sizeof now, r->srv->db_path, 0, &xe) == 0 && strcmp(now, live) == 0)
            return 0;
        xc_wdb_free(*db);
        *db = NULL;
        xe = (lib_error){0};
        xe.code = XC_E_LOCK;
    }
    *ret = reply_error(r, 503, xe.code == XC_E_LOCK
                                   ? "the index is being written by another process, try again"
                                   : "the index cannot be written: %s", xe.message);
    return -1;
}

/* The body as a document, its id taken from the path. */
static int body_doc(struct request *r, const char *id, const char *body, size_t len,
                    struct doc *d, enum MHD_Result *ret)
{
    json_error_t je;
    json_t *obj = body && len ? json_loadb(body, len, 0, &je) : NULL;
    if (!json_is_object(obj)) {
        json_decref(obj);
        *ret = reply_error(r, 400, "the body must be a JSON object (a document)");
        return -1;
    }
    json_t *bid = json_object_get(obj, "id");
    if (bid && (!json_is_string(bid) || strcmp(json_string_value(bid), id) != 0)) {
        json_decref(obj);
        *ret = reply_error(r, 400, "the body's \"id\" differs from the id in the path");
        return -1;
    }
    json_object_set_new(obj, "id", json_string(id));
    char *text = json_dumps(obj, JSON_COMPACT);
    json_decref(obj);
    lib_error why = {0};
    int rc = text ? jsonl_parse_doc(d, text, strlen(text), &why) : lib_error_nomem(&why);
    free(text);
    if (rc < 0) {
        *ret = reply_error(r, 400, "%s", why.message);
        return -1;
    }
    return 0;
}

/* The document format a PUT's Content-Type names, or NULL (JSON). */
static const char *put_format(struct request *r)
{
    const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
    return ct ? docfile_format_of_type(ct) : NULL;
}

/* A document file as the body: read by a child process from a memory file,
 * its id from the path, its url and type from the query (?url=, ?type=). */
static int body_document(struct request *r, const char *id, const char *format,
                         const char *body, size_t len, struct doc *d, enum MHD_Result *ret)
{
    lib_error why = {0};
    if (!r->srv->doc_reader) {
        *ret = reply_error(r, 503, "this searchd reads no documents: %s is not installed "
                                   "beside it", DOCFILE_READER);
        return -1;
    }
    int rc = docfile_extract_bytes(d, r->srv->doc_reader, format, body, len, NULL, &why);
    if (rc == LIB_E_NOMEM) {
        *ret = reply_error(r, 500, "out of memory");
        return -1;
    }
    if (rc < 0) {
        *ret = reply_error(r, rc == LIB_E_IO ? 500 : 400, "the %s cannot be read: %s", format,
                           why.message);
        return -1;
    }
    an_lang_overrule(d);   /* said in the answer */
    const char *url = request_arg(r, "url"), *type = request_arg(r, "type");
    if (doc_set(&d->id, id, strlen(id), DOC_ID_MAX) < 0 ||
        (url && doc_set(&d->url, url, strlen(url), DOC_FIELD_MAX) < 0) ||
        (type && doc_set(&d->type, type, strlen(type), 64) < 0)) {
        *ret = reply_error(r, 500, "out of memory");
        return -1;
    }
    return 0;
}

enum MHD_Result route_document_put(struct request *r, const char *id, const char *body,
                                   size_t len)
{
    enum MHD_Result ret;
    struct reader *rd;
    if (authorised(r, &ret) < 0 || reader_for_id(r, id, &rd, &ret) < 0)
        return ret;
    struct doc d = {0};
    const char *format = put_format(r);
    if ((format ? body_document(r, id, format, body, len, &d, &ret)
                : body_doc(r, id, body, len, &d, &ret)) < 0) {
        doc_dispose(&d);
        return ret;
    }
    xc_wdb *db = NULL;
    if (open_writer(r, &db, &ret) < 0) {
        doc_dispose(&d);
        return ret;
    }
    enum iw_result result = IW_UNCHANGED;
    lib_error why = {0};
    xc_error xe = {0};
    int rc = iw_put(&result, db, rd->an, &d, &why);
    if (rc == 0 && result != IW_UNCHANGED && xc_wdb_commit(db, &xe) < 0)
        rc = lib_error_set(&why, xe.code, "cannot commit: %s", xe.message);
    xc_wdb_free(db);
    char note[128] = "";
    if (d.lang_declared[0])
        an_lang_overrule_note(d.lang_declared, note, sizeof note);
    json_t *answer = NULL;
    if (rc == 0) {
        static const char *const names[] = {"added", "updated", "unchanged"};
        answer = json_pack("{s:s,s:s,s:s}", "id", id, "result", names[result], "lang",
                           doc_lang(&d));
        if (answer && note[0])
            json_object_set_new(answer, "note", json_string(note));
    }
    doc_dispose(&d);
    if (rc < 0)
        return reply_index_error(r, rc, NULL, why.message);
    return reply_json(r, result == IW_ADDED ? 201 : 200, answer);
}

enum MHD_Result route_document_delete(struct request *r, const char *id)
{
    enum MHD_Result ret;
    if (authorised(r, &ret) < 0)
        return ret;
    xc_wdb *db = NULL;
    if (open_writer(r, &db, &ret) < 0)
        return ret;
    lib_error why = {0};
    xc_error xe = {0};
    int rc = iw_delete(db, id, &why);
    if (rc == 1 && xc_wdb_commit(db, &xe) < 0)
        rc = lib_error_set(&why, xe.code, "cannot commit: %s", xe.message);
    xc_wdb_free(db);
    if (rc < 0)
        return reply_index_error(r, rc, NULL, why.message);
    if (rc == 0)
        return reply_error(r, 404, "no document with id %s", id);
    return reply_text(r, 204, strdup(""), "text/plain; charset=utf-8");
}
