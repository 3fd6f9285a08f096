/* main.c: docread, the reader of one document file, run by the indexer and
 * searchd in a child process of its own under limits (lib/docfile.h): the
 * file on standard input, its text and fields as JSON on standard output,
 * {"doc": {…}, "truncated": bool} or {"error": "why"}. Apart from them so
 * that the PDF and zip parsers live in a process that may be killed. */
#include "extract.h"

#include "docfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: docread FORMAT < FILE\n"
    "\n"
    "Reads one document (FORMAT: pdf, odt, ods, odp, docx, xlsx, pptx, epub) from\n"
    "standard input and writes its title, date, text and pages as JSON. The\n"
    "indexer and searchd run it, each document in a process of its own; run by\n"
    "hand it shows what they take from a file.\n";

/* Standard input whole into *out (malloc'd): 0, or -1 with why. */
static int read_stdin(char **out, size_t *len, const char **why)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    *out = NULL;
    *why = "out of memory";
    while (buf) {
        if (n == cap) {
            if (cap >= DOCFILE_INPUT_MAX) {
                *why = "the file is larger than the limit";
                break;
            }
            char *bigger = realloc(buf, cap * 2);
            if (!bigger)
                break;
            buf = bigger;
            cap *= 2;
        }
        ssize_t got = read(0, buf + n, cap - n);
        if (got == 0) {
            *out = buf;
            *len = n;
            return 0;
        }
        if (got < 0 && errno != EINTR) {
            *why = "cannot read the file";
            break;
        }
        if (got > 0)
            n += (size_t)got;
    }
    free(buf);
    return -1;
}

static int answer_error(const char *message)
{
    json_t *o = json_pack("{ss}", "error", message);
    int rc = o && json_dumpf(o, stdout, JSON_COMPACT) == 0 ? 0 : 1;
    json_decref(o);
    return fflush(stdout) == 0 ? rc : 1;
}

static int read_document(const char *format)
{
    char *data = NULL;
    size_t len = 0;
    const char *why = NULL;
    struct doc d = {0};
    lib_error err = {0};
    json_t *fields = NULL;
    int status = 1;
    if (read_stdin(&data, &len, &why) < 0)
        return answer_error(why);
    if (docread_extract(&d, format, data, len, &err) < 0) {
        status = answer_error(err.message[0] ? err.message : "cannot be read");
        goto cleanup;
    }
    if (doc_set(&d.id, "-", 1, DOC_ID_MAX) < 0 || doc_to_json(&fields, &d) < 0) {
        status = answer_error("out of memory");
        goto cleanup;
    }
    json_t *o = json_pack("{sOsb}", "doc", fields, "truncated", d.truncated != 0);
    status = o && json_dumpf(o, stdout, JSON_COMPACT) == 0 && fflush(stdout) == 0 ? 0 : 1;
    json_decref(o);
cleanup:
    json_decref(fields);
    doc_dispose(&d);
    free(data);
    return status;
}


int main(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(usage, argc == 2 ? stdout : stderr);
        return argc == 2 ? 0 : 2;
    }
    return read_document(argv[1]);
}
