/* route_documents.c: GET /api/documents/ID: the stored fields of one
 * document, exactly as the indexer kept them, or 404. */
#include "server.h"

#include "schema.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

enum MHD_Result route_document_get(struct request *r, const char *id)
{
    if (strlen(id) > DOC_ID_MAX || !text_is_utf8(id, strlen(id)))
        return http_send_error(r, 400, "the document id must be 1 to %d bytes of UTF-8",
                               DOC_ID_MAX);
    char err[512];
    struct reader *rd = reader_get(r->srv, err, sizeof err);
    if (!rd)
        return http_send_error(r, 503, "%s", err);
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
    if (rc == XC_E_NOTFOUND)
        return http_send_error(r, 404, "no document with id %s", id);
    if (rc != 0)
        return http_send_error(r, 503, "the index is busy, try again");
    json_t *doc = json_loadb(data, len, 0, NULL);
    free(data);
    if (!doc)
        return http_send_error(r, 500, "the stored document is damaged");
    return http_send_json(r, 200, doc);
}
