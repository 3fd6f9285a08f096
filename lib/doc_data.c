/* doc_data.c: the stored form of a document (doc_data.h). A zstd frame
 * begins with the bytes 28 B5 2F FD, which no UTF-8 text does (B5 cannot
 * follow an ASCII byte), so a text stored as it is and a compressed one
 * tell themselves apart. */
#include "doc_data.h"

#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#define COMPRESS_MIN 128   /* bytes of text below which a frame costs more than it saves */
#define COMPRESS_LEVEL 1   /* zstd's fastest: most of the gain, a fraction of the time */

static const unsigned char zstd_magic[4] = {0x28, 0xB5, 0x2F, 0xFD};

void doc_text_dispose(struct doc_text *t)
{
    if (!t)
        return;
    free(t->buf);
    ZSTD_freeDCtx(t->dctx);
    *t = (struct doc_text)DOC_TEXT_INIT;
}

int doc_data_encode(char **out, size_t *len, const struct doc *d)
{
    struct doc head = *d;
    json_t *fields = NULL;
    char *json = NULL, *data = NULL;
    int rc = LIB_E_NOMEM;
    *out = NULL;
    *len = 0;
    head.body = NULL;
    if (doc_to_json(&fields, &head) < 0 || !(json = json_dumps(fields, JSON_COMPACT)))
        goto cleanup;
    size_t jlen = strlen(json), blen = d->body ? strlen(d->body) : 0;
    size_t bound = blen >= COMPRESS_MIN ? ZSTD_compressBound(blen) : 0;
    if (!(data = malloc(jlen + 1 + (bound > blen ? bound : blen) + 1)))
        goto cleanup;
    memcpy(data, json, jlen + 1);   /* its NUL separates the body */
    *len = jlen;
    if (d->body) {
        size_t z = bound ? ZSTD_compress(data + jlen + 1, bound, d->body, blen, COMPRESS_LEVEL)
                         : 0;
        if (bound && !ZSTD_isError(z) && z < blen) {
            *len = jlen + 1 + z;
        } else {
            memcpy(data + jlen + 1, d->body, blen + 1);
            *len = jlen + 1 + blen;
        }
    }
    *out = data;
    data = NULL;
    rc = 0;
cleanup:
    free(data);
    free(json);
    json_decref(fields);
    return rc;
}

/* The text of the zstd frame z (n bytes) into t. */
static int decompress(struct doc_text *t, const char **body, size_t *body_len, const char *z,
                      size_t n)
{
    unsigned long long size = ZSTD_getFrameContentSize(z, n);
    if (!t || size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR ||
        size > DOC_BODY_MAX)
        return LIB_E_INVALID;
    if (!t->dctx && !(t->dctx = ZSTD_createDCtx()))
        return LIB_E_NOMEM;
    if (t->cap < size + 1) {
        char *b = realloc(t->buf, size + 1);
        if (!b)
            return LIB_E_NOMEM;
        t->buf = b;
        t->cap = size + 1;
    }
    size_t got = ZSTD_decompressDCtx(t->dctx, t->buf, size, z, n);
    if (ZSTD_isError(got) || got != size || memchr(t->buf, '\0', got))
        return LIB_E_INVALID;
    t->buf[got] = '\0';
    *body = t->buf;
    *body_len = got;
    return 0;
}

int doc_data_decode(json_t **fields, const char **body, size_t *body_len, struct doc_text *text,
                    const char *data, size_t len)
{
    const char *nul = memchr(data, '\0', len);
    size_t jlen = nul ? (size_t)(nul - data) : len;
    json_error_t je;
    je.text[0] = '\0';
    if (body) {
        *body = NULL;
        *body_len = 0;
    }
    *fields = json_loadb(data, jlen, 0, &je);
    if (!*fields || !json_is_object(*fields)) {
        json_decref(*fields);
        *fields = NULL;
        return je.text[0] && strstr(je.text, "memory") ? LIB_E_NOMEM : LIB_E_INVALID;
    }
    if (!body)
        return 0;
    int rc = 0;
    size_t blen = nul ? len - jlen - 1 : 0;
    if (nul && blen >= sizeof zstd_magic && memcmp(nul + 1, zstd_magic, sizeof zstd_magic) == 0) {
        rc = decompress(text, body, body_len, nul + 1, blen);
    } else if (nul) {
        *body = nul + 1;
        *body_len = blen;
    } else {   /* stored before: the body among the fields */
        json_t *b = json_object_get(*fields, "body");
        *body = json_string_value(b);
        *body_len = *body ? json_string_length(b) : 0;
    }
    if (rc < 0) {
        json_decref(*fields);
        *fields = NULL;
    }
    return rc;
}
