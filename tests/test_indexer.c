/* test_indexer.c: the real indexer program on real files: exit codes,
 * rejected documents named with file, line and reason while the rest is
 * indexed, the summary line, incremental reruns, --delete, stdin, --stats,
 * --base-url, and several hundred real-world Swedish pages. */
#include "check.h"
#include "schema.h"
#include "support.h"
#include "xapian_c.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GIMP_HELP_SV "/usr/share/gimp/2.0/help/sv"

struct fixture {
    char dir[256];
    char indexer[512];
};

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* Runs the indexer with up to 8 arguments after the program name. */
static int indexer(const struct fixture *fx, const char *input, char **out, char **err,
                   const char *a1, const char *a2, const char *a3, const char *a4,
                   const char *a5)
{
    char *argv[8] = {(char *)fx->indexer, (char *)a1, (char *)a2, (char *)a3, (char *)a4,
                     (char *)a5, NULL, NULL};
    return run_prog(argv, input, out, err);
}

static unsigned doc_count(const char *db)
{
    xc_db *d = NULL;
    if (xc_db_open(&d, db, NULL) < 0)
        return 0;
    unsigned n = xc_db_doc_count(d);
    xc_db_free(d);
    return n;
}

static char *stored_field(const char *db, const char *id, const char *field)
{
    xc_db *d = NULL;
    xc_doc *doc = NULL;
    char term[SCHEMA_TERM_MAX + 1], *data = NULL, *out = NULL;
    size_t len;
    schema_id_term(id, term);
    if (xc_db_open(&d, db, NULL) == 0 && xc_db_get_by_term(d, term, &doc, NULL) == 0 &&
        xc_doc_get_data(doc, &data, &len, NULL) == 0) {
        json_t *j = json_loadb(data, len, 0, NULL);
        const char *v = json_string_value(json_object_get(j, field));
        out = v ? strdup(v) : NULL;
        json_decref(j);
    }
    free(data);
    xc_doc_free(doc);
    xc_db_free(d);
    return out;
}

static void test_bad_documents_are_named_and_the_rest_indexed(struct check *c)
{
    const struct fixture *fx = c->ctx;
    char src[1024], db[1024];
    snprintf(src, sizeof src, "%s/mixed", fx->dir);
    snprintf(db, sizeof db, "%s/mixed.db", fx->dir);
    mkdir(src, 0700);
    write_file(src, "bra.html", "<html><body><main><h1>Bra sida</h1><p>Text om Kiruna.</p></main></body></html>");
    write_file(src, "tom.html", "");
    write_file(src, "docs.jsonl",
               "{\"id\":\"j1\",\"title\":\"Första\",\"body\":\"Om Visby.\"}\n"
               "{\"title\":\"utan id\"}\n"
               "inte json alls\n"
               "{\"id\":\"j2\",\"title\":\"Andra\",\"body\":\"Om Ystad.\"}\n");
    char jsonl[1100];
    snprintf(jsonl, sizeof jsonl, "%s/docs.jsonl", src);
    char *out = NULL, *err = NULL;
    int rc = indexer(fx, NULL, &out, &err, "--db", db, src, jsonl, NULL);
    CHECK(c, rc == 1);
    CHECK_CONTAINS(c, err, "tom.html: empty file");
    CHECK_CONTAINS(c, err, "docs.jsonl:2: field \"id\" is required");
    CHECK_CONTAINS(c, err, "docs.jsonl:3: invalid JSON");
    CHECK_CONTAINS(c, out, "indexed 3, unchanged 0, deleted 0, rejected 3 in ");
    CHECK(c, doc_count(db) == 3);
    free(out);
    free(err);
}

static void test_summary_line_and_incremental_rerun(struct check *c)
{
    const struct fixture *fx = c->ctx;
    char db[1024];
    snprintf(db, sizeof db, "%s/corpus.db", fx->dir);
    char *out = NULL;
    CHECK(c, indexer(fx, NULL, &out, NULL, "--db", db, "corpus", NULL, NULL) == 0);
    CHECK_CONTAINS(c, out, "indexed 88, unchanged 0, deleted 0, rejected 0 in ");
    CHECK_CONTAINS(c, out, " docs/s)");
    free(out);
    CHECK(c, indexer(fx, NULL, &out, NULL, "--db", db, "corpus", NULL, NULL) == 0);
    CHECK_CONTAINS(c, out, "indexed 0, unchanged 88, deleted 0, rejected 0");
    free(out);
    CHECK(c, doc_count(db) == 88);
}

static void test_delete_removes_and_reports_missing(struct check *c)
{
    const struct fixture *fx = c->ctx;
    char db[1024];
    snprintf(db, sizeof db, "%s/del.db", fx->dir);
    CHECK(c, indexer(fx, "{\"id\":\"a\",\"title\":\"A\"}\n{\"id\":\"b\",\"title\":\"B\"}\n", NULL,
                     NULL, "--db", db, "-", NULL, NULL) == 0);
    CHECK(c, doc_count(db) == 2);
    char *out = NULL, *err = NULL;
    CHECK(c, indexer(fx, NULL, &out, &err, "--db", db, "--delete", "a", "zz") == 1);
    CHECK_CONTAINS(c, out, "deleted 1, not found 1");
    CHECK_CONTAINS(c, err, "zz: no such document");
    CHECK(c, doc_count(db) == 1);
    free(out);
    free(err);
}

static void test_usage_errors_exit_2(struct check *c)
{
    const struct fixture *fx = c->ctx;
    char *err = NULL;
    CHECK(c, indexer(fx, NULL, NULL, &err, NULL, NULL, NULL, NULL, NULL) == 2);
    CHECK_CONTAINS(c, err, "no SOURCE given");
    free(err);
    CHECK(c, indexer(fx, NULL, NULL, &err, "--frobnicate", NULL, NULL, NULL, NULL) == 2);
    free(err);
    CHECK(c, indexer(fx, NULL, NULL, &err, "--db", "/tmp/x", "/finns/inte", NULL, NULL) == 2);
    CHECK_CONTAINS(c, err, "/finns/inte");
    free(err);
    char *out = NULL;
    CHECK(c, indexer(fx, NULL, &out, NULL, "--help", NULL, NULL, NULL, NULL) == 0);
    CHECK_CONTAINS(c, out, "usage: indexer");
    free(out);
}

static void test_unopenable_index_is_fatal(struct check *c)
{
    const struct fixture *fx = c->ctx;
    char db[1024], *err = NULL;
    snprintf(db, sizeof db, "%s/not-a-db", fx->dir);
    write_file(fx->dir, "not-a-db", "a file, not a database");
    CHECK(c, indexer(fx, NULL, NULL, &err, "--db", db, "corpus", NULL, NULL) == 2);
    CHECK_CONTAINS(c, err, "cannot open the index");
    free(err);
}

static void test_base_url_joins_the_id_without_canonical(struct check *c)
{
    const struct fixture *fx = c->ctx;
    char db[1024];
    snprintf(db, sizeof db, "%s/url.db", fx->dir);
    CHECK(c, indexer(fx, NULL, NULL, NULL, "--db", db, "--base-url", "https://www.example.se/",
                     "corpus") == 0);
    char *url = stored_field(db, "artikel/lokal-overenskommelse-i-motala.html", "url");
    CHECK_STR(c, url, "https://www.example.se/artikel/lokal-overenskommelse-i-motala.html");
    free(url);
    char *type = stored_field(db, "seminarium/rapport-segregationens-utveckling-2020.html", "type");
    CHECK_STR(c, type, "rapport");
    free(type);
    char *canon = stored_field(db, "artikel/segregationen-i-siffror.html", "url");
    CHECK_CONTAINS(c, canon, "https://www.delmos.example/");
    free(canon);
}

static void test_stats_shows_the_count(struct check *c)
{
    const struct fixture *fx = c->ctx;
    char db[1024], *out = NULL;
    snprintf(db, sizeof db, "%s/corpus.db", fx->dir);
    CHECK(c, indexer(fx, NULL, &out, NULL, "--db", db, "--stats", NULL, NULL) == 0);
    CHECK_CONTAINS(c, out, "documents   88");
    free(out);
}

static unsigned count_html(const char *dir)
{
    DIR *d = opendir(dir);
    unsigned n = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        n += l > 5 && strcmp(e->d_name + l - 5, ".html") == 0;
    }
    if (d)
        closedir(d);
    return n;
}

static void test_hundreds_of_real_swedish_pages_lose_none(struct check *c)
{
    const struct fixture *fx = c->ctx;
    char db[1024], *out = NULL;
    snprintf(db, sizeof db, "%s/gimp.db", fx->dir);
    unsigned pages = count_html(GIMP_HELP_SV);
    CHECK(c, pages >= 300);   /* the package gimp-help-sv must be installed */
    CHECK(c, indexer(fx, NULL, &out, NULL, "--db", db, GIMP_HELP_SV, NULL, NULL) == 0);
    CHECK(c, doc_count(db) == pages);
    free(out);
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    if (tmpdir_make(f.dir, sizeof f.dir) < 0)
        return 1;
    prog_path("indexer", f.indexer, sizeof f.indexer);
    c.ctx = &f;
    RUN(&c, test_bad_documents_are_named_and_the_rest_indexed);
    RUN(&c, test_summary_line_and_incremental_rerun);
    RUN(&c, test_delete_removes_and_reports_missing);
    RUN(&c, test_usage_errors_exit_2);
    RUN(&c, test_unopenable_index_is_fatal);
    RUN(&c, test_base_url_joins_the_id_without_canonical);
    RUN(&c, test_stats_shows_the_count);
    RUN(&c, test_hundreds_of_real_swedish_pages_lose_none);
    tmpdir_remove(f.dir);
    return check_report(&c, "test_indexer");
}
