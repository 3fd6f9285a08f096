/* doc_data.c: the stored form of a document (doc_data.h). A zstd frame
 * begins with the bytes 28 B5 2F FD and the JSON of the fields with "{", so
 * a compressed document and one stored as it is tell themselves apart. The
 * whole document is one frame: with the fields left out of it, Xapian
 * would still find them worth deflating and inflate the frame with them on
 * every read. */
#include "doc_data.h"

#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#define COMPRESS_MIN 128   /* bytes of text below which a frame costs more than it saves */
#define COMPRESS_LEVEL 1   /* zstd's fastest: most of the gain, a fraction of the time */
#define DOC_STORED_MAX (DOC_BODY_MAX + 1024 * 1024)   /* the text and its fields */

static const unsigned char zstd_magic[4] = {0x28, 0xB5, 0x2F, 0xFD};

void doc_text_dispose(struct doc_text *t)
{
    if (!t)
        return;
    free(t->buf);
    ZSTD_freeDCtx(t->dctx);
    *t = (struct doc_text)DOC_TEXT_INIT;
}

void doc_text_shrink(struct doc_text *t, size_t keep)
{
    if (t && t->cap > keep) {
        free(t->buf);
        t->buf = NULL;
        t->cap = 0;
    }
}

int doc_data_encode(char **out, size_t *len, const struct doc *d)
{
    struct doc head = *d;
    json_t *fields = NULL;
    char *json = NULL, *plain = NULL, *frame = NULL;
    int rc = LIB_E_NOMEM;
    *out = NULL;
    *len = 0;
    head.body = NULL;
    if (doc_to_json(&fields, &head) < 0 || !(json = json_dumps(fields, JSON_COMPACT)))
        goto cleanup;
    size_t jlen = strlen(json), blen = d->body ? strlen(d->body) : 0;
    size_t plain_len = d->body ? jlen + 1 + blen : jlen;
    if (!(plain = malloc(plain_len + 1)))
        goto cleanup;
    memcpy(plain, json, jlen + 1);   /* its NUL separates the body */
    if (d->body)
        memcpy(plain + jlen + 1, d->body, blen + 1);
    rc = 0;
    if (blen >= COMPRESS_MIN) {
        size_t bound = ZSTD_compressBound(plain_len);
        if (!(frame = malloc(bound))) {
            rc = LIB_E_NOMEM;
            goto cleanup;
        }
        size_t z = ZSTD_compress(frame, bound, plain, plain_len, COMPRESS_LEVEL);
        if (!ZSTD_isError(z) && z < plain_len) {
            *out = frame;
            *len = z;
            frame = NULL;
            goto cleanup;
        }
    }
    *out = plain;
    *len = plain_len;
    plain = NULL;
cleanup:
    free(frame);
    free(plain);
    free(json);
    json_decref(fields);
    return rc;
}

/* The zstd frame z (n bytes) decompressed into t: *plain, *plain_len. */
static int decompress(struct doc_text *t, const char **plain, size_t *plain_len, const char *z,
                      size_t n)
{
    unsigned long long size = ZSTD_getFrameContentSize(z, n);
    if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR ||
        size > DOC_STORED_MAX)
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
    if (ZSTD_isError(got) || got != size)
        return LIB_E_INVALID;
    t->buf[got] = '\0';
    *plain = t->buf;
    *plain_len = got;
    return 0;
}

/* data (len bytes, uncompressed) read into *fields and, when body is not
 * NULL, *body and *body_len. */
static int decode_plain(json_t **fields, const char **body, size_t *body_len, const char *data,
                        size_t len)
{
    const char *nul = memchr(data, '\0', len);
    size_t jlen = nul ? (size_t)(nul - data) : len;
    json_error_t je;
    je.text[0] = '\0';
    *fields = json_loadb(data, jlen, 0, &je);
    if (!*fields || !json_is_object(*fields)) {
        json_decref(*fields);
        *fields = NULL;
        return je.text[0] && strstr(je.text, "memory") ? LIB_E_NOMEM : LIB_E_INVALID;
    }
    if (!body)
        return 0;
    if (nul) {
        *body = nul + 1;
        *body_len = len - jlen - 1;
        if (memchr(*body, '\0', *body_len)) {   /* the text never holds a NUL */
            json_decref(*fields);
            *fields = NULL;
            *body = NULL;
            *body_len = 0;
            return LIB_E_INVALID;
        }
    } else {   /* stored before: the body among the fields */
        json_t *b = json_object_get(*fields, "body");
        *body = json_string_value(b);
        *body_len = *body ? json_string_length(b) : 0;
    }
    return 0;
}

int doc_data_decode(json_t **fields, const char **body, size_t *body_len, struct doc_text *text,
                    const char *data, size_t len)
{
    struct doc_text scratch = DOC_TEXT_INIT;
    int rc = 0;
    *fields = NULL;
    if (body) {
        *body = NULL;
        *body_len = 0;
    }
    if (len >= sizeof zstd_magic && memcmp(data, zstd_magic, sizeof zstd_magic) == 0) {
        if (body && !text)
            return LIB_E_INVALID;   /* nowhere to put the text */
        rc = decompress(text ? text : &scratch, &data, &len, data, len);
    }
    if (rc == 0)
        rc = decode_plain(fields, body, body_len, data, len);
    doc_text_dispose(&scratch);   /* used for fields alone, which are copies */
    return rc;
}
