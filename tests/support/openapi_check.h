/* openapi_check.h: checks a JSON value against a schema of an OpenAPI 3.0
 * description (the subset the project's description uses: $ref, type,
 * nullable, enum, required, properties, additionalProperties, items), so the
 * HTTP tests can hold the real answers to the published description.
 */
#ifndef OPENAPI_CHECK_H
#define OPENAPI_CHECK_H

#include <jansson.h>
#include <stddef.h>

/* 0 when value fits schema (resolving $ref in doc), else -1 with the first
 * mismatch and its JSON path in err. */
int openapi_check(json_t *doc, json_t *schema, json_t *value, char *err, size_t errlen);

/* The schema of a response: paths[path][get].responses[status] →
 * application/json schema (after $ref), or NULL. */
json_t *openapi_response_schema(json_t *doc, const char *path, const char *status);

/* 0 when answer fits the schema of GET path's response with status, else -1
 * with the first mismatch (or the missing schema) in err. */
int openapi_conforms(json_t *doc, const char *path, const char *status, json_t *answer, char *err,
                     size_t errlen);

/* openapi_conforms for a test's CHECK: 1 when answer fits, else 0 with the
 * mismatch on stderr. */
int openapi_holds(json_t *doc, const char *path, const char *status, json_t *answer);

#endif
