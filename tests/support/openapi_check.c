/* openapi_check.c: a small, strict validator for the schema subset of
 * openapi_check.h. Unknown keywords are ignored; unknown $refs fail. */
#include "openapi_check.h"

#include <stdio.h>
#include <string.h>

static json_t *resolve(json_t *doc, json_t *schema)
{
    for (int depth = 0; depth < 8 && schema; depth++) {
        const char *ref = json_string_value(json_object_get(schema, "$ref"));
        if (!ref)
            return schema;
        if (strncmp(ref, "#/", 2) != 0)
            return NULL;
        char path[256];
        snprintf(path, sizeof path, "%s", ref + 2);
        json_t *at = doc;
        for (char *part = strtok(path, "/"); part && at; part = strtok(NULL, "/"))
            at = json_object_get(at, part);
        schema = at;
    }
    return schema;
}

static int type_ok(const char *type, json_t *v)
{
    if (strcmp(type, "object") == 0)
        return json_is_object(v);
    if (strcmp(type, "array") == 0)
        return json_is_array(v);
    if (strcmp(type, "string") == 0)
        return json_is_string(v);
    if (strcmp(type, "integer") == 0)
        return json_is_integer(v);
    if (strcmp(type, "number") == 0)
        return json_is_number(v);
    if (strcmp(type, "boolean") == 0)
        return json_is_boolean(v);
    return 0;
}

static int check(json_t *doc, json_t *schema, json_t *v, const char *path, char *err,
                 size_t errlen)
{
    schema = resolve(doc, schema);
    if (!schema) {
        snprintf(err, errlen, "%s: unresolvable $ref", path);
        return -1;
    }
    if (json_is_null(v)) {
        if (json_is_true(json_object_get(schema, "nullable")) || !json_object_get(schema, "type"))
            return 0;
        snprintf(err, errlen, "%s: null where the schema allows none", path);
        return -1;
    }
    const char *type = json_string_value(json_object_get(schema, "type"));
    if (type && !type_ok(type, v)) {
        snprintf(err, errlen, "%s: not of type %s", path, type);
        return -1;
    }
    json_t *en = json_object_get(schema, "enum");
    if (json_is_array(en)) {
        int found = 0;
        size_t i;
        json_t *e;
        json_array_foreach(en, i, e) found |= json_equal(e, v);
        if (!found) {
            snprintf(err, errlen, "%s: not one of the enum's values", path);
            return -1;
        }
    }
    char sub[512];
    if (json_is_object(v)) {
        json_t *req = json_object_get(schema, "required"), *props = json_object_get(schema, "properties");
        json_t *extra = json_object_get(schema, "additionalProperties");
        size_t i;
        json_t *r;
        json_array_foreach(req, i, r) {
            if (!json_object_get(v, json_string_value(r))) {
                snprintf(err, errlen, "%s: lacks required \"%s\"", path, json_string_value(r));
                return -1;
            }
        }
        const char *key;
        json_t *val;
        json_object_foreach(v, key, val) {
            snprintf(sub, sizeof sub, "%s.%s", path, key);
            json_t *ps = json_object_get(props, key);
            if (ps) {
                if (check(doc, ps, val, sub, err, errlen) < 0)
                    return -1;
            } else if (json_is_false(extra)) {
                snprintf(err, errlen, "%s: not in the description", sub);
                return -1;
            } else if (json_is_object(extra) && check(doc, extra, val, sub, err, errlen) < 0) {
                return -1;
            }
        }
    }
    json_t *items = json_object_get(schema, "items");
    if (json_is_array(v) && items) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) {
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            if (check(doc, items, e, sub, err, errlen) < 0)
                return -1;
        }
    }
    return 0;
}

int openapi_check(json_t *doc, json_t *schema, json_t *value, char *err, size_t errlen)
{
    return check(doc, schema, value, "$", err, errlen);
}

json_t *openapi_response_schema(json_t *doc, const char *path, const char *status)
{
    json_t *resp = json_object_get(
        json_object_get(json_object_get(json_object_get(json_object_get(doc, "paths"), path), "get"),
                        "responses"),
        status);
    resp = resolve(doc, resp);
    json_t *schema = json_object_get(
        json_object_get(json_object_get(resp, "content"), "application/json"), "schema");
    return schema ? resolve(doc, schema) : NULL;
}

int openapi_conforms(json_t *doc, const char *path, const char *status, json_t *answer, char *err,
                     size_t errlen)
{
    json_t *schema = openapi_response_schema(doc, path, status);
    if (!schema) {
        snprintf(err, errlen, "no schema for GET %s %s", path, status);
        return -1;
    }
    return openapi_check(doc, schema, answer, err, errlen);
}

int openapi_holds(json_t *doc, const char *path, const char *status, json_t *answer)
{
    char err[512] = "";
    if (openapi_conforms(doc, path, status, answer, err, sizeof err) == 0)
        return 1;
    fprintf(stderr, "  %s %s: %s\n", path, status, err);
    return 0;
}
