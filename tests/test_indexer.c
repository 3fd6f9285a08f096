/* test_indexer.c: the real indexer program on real files: exit codes,
 * rejected documents named with file, line and reason while the rest is
 * indexed, the summary line, incremental reruns, --delete, stdin, --stats,
 * --base-url, compaction at the end of a run, and several hundred
 * real-world Swedish pages. */
#include "check.h"
#include "doc_data.h"
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

/* Writes n bytes (binary-safe) to dir/name. */
static void write_bytes(const char *dir, const char *name, const char *bytes, size_t n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(bytes, 1, n, f);
        fclose(f);
    }
}

static void write_file(const char *dir, const char *name, const char *text)
{
    write_bytes(dir, name, text, strlen(text));
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
        json_t *j = NULL;
        const char *body = NULL, *v = NULL;
        size_t body_len = 0;
        struct doc_text text = DOC_TEXT_INIT;
        if (doc_data_decode(&j, &body, &body_len, &text, data, len) == 0)
            v = strcmp(field, "body") == 0 ? body : json_string_value(json_object_get(j, field));
        out = v ? strdup(v) : NULL;
        json_decref(j);
        doc_text_dispose(&text);
    }
    free(data);
    xc_doc_free(doc);
    xc_db_free(d);
    return out;
}

/* A new source folder fx->dir/name and the index path fx->dir/name.db. */
static void source_folder(const struct fixture *fx, const char *name, char src[1024],
                          char db[1024])
{
    snprintf(src, 1024, "%s/%s", fx->dir, name);
    snprintf(db, 1024, "%s/%s.db", fx->dir, name);
    mkdir(src, 0700);
}

static void test_bad_documents_are_named_and_the_rest_indexed(struct check *c)
{
    const struct fixture *fx = c->ctx;
    char src[1024], db[1024];
    source_folder(fx, "mixed", src, db);
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

/* Every kind of bad input in one run: each is indexed sensibly (decoded,
 * repaired, composed, cut short with a note) or rejected with a named
 * reason, and the good pages around them are indexed. */
static void test_every_kind_of_bad_input_in_one_run(struct check *c)
{
    const struct fixture *fx = c->ctx;
    char src[1024], db[1024], jsonl[1100];
    source_folder(fx, "hostile", src, db);
    write_file(src, "bra.html", "<h1>Bra sida</h1><main><p>Text om Kiruna.</p></main>");
    /* UTF-8 with two bad bytes: repaired, its å/ä/ö kept (not read as Latin-1). */
    write_file(src, "ogiltig.html", "<h1>Trasig</h1><main><p>Ogiltig \xff\xfe text om "
                                    "V\xc3\xa4ster\xc3\xa5s och Ume\xc3\xa5.</p></main>");
    write_file(src, "latin1.html", "<h1>R\xe4ksm\xf6rg\xe5s</h1><main><p>I V\xe4xj\xf6.</p></main>");
    static const char nul[] = "<h1>Nolla</h1><main><p>F\xc3\xb6re\0efter i Ume\xc3\xa5.</p></main>";
    write_bytes(src, "nul.html", nul, sizeof nul - 1);
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xff" "a";
    write_bytes(src, "bild.html", png, sizeof png - 1);
    write_file(src, "tom.html", "");
    write_file(src, "nfd.html", "<h1>Go\xcc\x88teborg</h1><main><p>Sta\xcc\x8a ho\xcc\x88gt.</p></main>");
    /* 100,000 nested tags and a 50 MB page. */
    size_t depth = 100000, big = 50u << 20;
    char *deep = malloc(depth * 5 + 64), *huge = malloc(big + 64);
    CHECK(c, deep && huge);
    if (!deep || !huge) {
        free(deep);
        free(huge);
        return;
    }
    size_t n = (size_t)sprintf(deep, "<h1>Djup</h1><main>");
    for (size_t i = 0; i < depth; i++)
        n += (size_t)sprintf(deep + n, "<div>");
    n += (size_t)sprintf(deep + n, "botten");
    write_bytes(src, "djup.html", deep, n);
    n = (size_t)sprintf(huge, "<h1>Stor sida</h1><main><p>");
    while (n + 16 < big)
        n += (size_t)sprintf(huge + n, "bostad Gnesta ");
    write_bytes(src, "stor.html", huge, n);
    free(deep);
    free(huge);
    char long_id[10300];
    memset(long_id, 'x', 10240);
    long_id[10240] = '\0';
    char *lines = NULL;
    CHECK(c, asprintf(&lines,
                      "{\"id\":\"trasig\",\"title\":\n"
                      "{\"title\":\"utan id\"}\n"
                      "{\"id\":\"%s\",\"title\":\"lång\"}\n"
                      "{\"id\":\"typ\",\"title\":5}\n"
                      "{\"id\":\"j-bra\",\"title\":\"Bra rad\",\"body\":\"Om Ystad.\"}\n",
                      long_id) > 0);
    snprintf(jsonl, sizeof jsonl, "%s/rader.jsonl", fx->dir);
    write_file(fx->dir, "rader.jsonl", lines ? lines : "");
    free(lines);
    char *out = NULL, *err = NULL;
    int rc = indexer(fx, NULL, &out, &err, "--db", db, src, jsonl, NULL);
    CHECK(c, rc == 1);
    CHECK_CONTAINS(c, err, "tom.html: empty file");
    CHECK_CONTAINS(c, err, "bild.html: binary data, not an HTML page");
    CHECK_CONTAINS(c, err, "rader.jsonl:1: invalid JSON");
    CHECK_CONTAINS(c, err, "rader.jsonl:2: field \"id\" is required");
    CHECK_CONTAINS(c, err, "rader.jsonl:3: field \"id\" is longer than 512 bytes");
    CHECK_CONTAINS(c, err, "rader.jsonl:4: field \"title\" must be a string");
    CHECK_CONTAINS(c, err, "stor.html: text longer than 4 MB");
    /* bra, ogiltig, latin1, nul, nfd, djup, stor and j-bra; 6 rejected. */
    CHECK_CONTAINS(c, out, "indexed 8, unchanged 0, deleted 0, rejected 6 in ");
    CHECK(c, doc_count(db) == 8);
    char *v = stored_field(db, "ogiltig.html", "body");
    CHECK(c, v && strstr(v, "Ogiltig \xef\xbf\xbd\xef\xbf\xbd text om V\xc3\xa4ster\xc3\xa5s"));
    free(v);
    v = stored_field(db, "latin1.html", "title");
    CHECK(c, v && strcmp(v, "R\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s") == 0);
    free(v);
    v = stored_field(db, "nul.html", "body");
    CHECK(c, v && strstr(v, "F\xc3\xb6reefter i Ume\xc3\xa5"));
    free(v);
    v = stored_field(db, "nfd.html", "title");   /* composed: ö is one character */
    CHECK(c, v && strcmp(v, "G\xc3\xb6teborg") == 0);
    free(v);
    v = stored_field(db, "djup.html", "title");
    CHECK(c, v && strcmp(v, "Djup") == 0);
    free(v);
    v = stored_field(db, "stor.html", "body");
    CHECK(c, v && strlen(v) <= 4u << 20 && strlen(v) > (4u << 20) - 64);
    free(v);
    free(out);
    free(err);
    /* --stats tells the whole run, not what was written when it began to end. */
    out = NULL;
    CHECK(c, indexer(fx, NULL, &out, NULL, "--db", db, "--stats", NULL, NULL) == 0);
    CHECK_CONTAINS(c, out, ": indexed 8, unchanged 0, deleted 0, rejected 6 in ");
    free(out);
}

/* Writes head, 100,000 <div>s and tail as dir/name. */
static void write_deep_page(const char *dir, const char *name, const char *head,
                            const char *tail)
{
    size_t depth = 100000, n = strlen(head);
    char *page = malloc(n + depth * 5 + strlen(tail) + 1);
    if (!page)
        return;
    memcpy(page, head, n);
    for (size_t i = 0; i < depth; i++, n += 5)
        memcpy(page + n, "<div>", 5);
    strcpy(page + n, tail);
    write_file(dir, name, page);
    free(page);
}

/* Text under 100,000 nested elements is indexed, not dropped: a page with
 * only such text is no empty page, and one with a title keeps it all. */
static void test_text_under_100000_nested_elements_is_indexed(struct check *c)
{
    const struct fixture *fx = c->ctx;
    char src[1024], db[1024];
    source_folder(fx, "deep", src, db);
    write_deep_page(src, "bara-djup.html", "", "Trångboddheten i Kiruna");
    write_deep_page(src, "titel.html", "<h1>Djup</h1><main><p>Ytlig text.</p>",
                    "botten</div><p>Sista stycket.</p>");
    char *out = NULL, *err = NULL;
    CHECK(c, indexer(fx, NULL, &out, &err, "--db", db, src, NULL, NULL) == 0);
    CHECK_CONTAINS(c, out, "indexed 2, unchanged 0, deleted 0, rejected 0");
    CHECK(c, err && !strstr(err, "no title and no text"));
    char *v = stored_field(db, "bara-djup.html", "body");
    CHECK_STR(c, v, "Trångboddheten i Kiruna");
    free(v);
    v = stored_field(db, "titel.html", "body");
    CHECK_CONTAINS(c, v, "Ytlig text.");
    CHECK_CONTAINS(c, v, "botten\nSista stycket.");
    free(v);
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

/* A page whose <meta name="robots"> says noindex is kept out, and taken
 * out when it says so later; the run says why. */
static void test_a_noindex_page_is_kept_out_and_taken_out(struct check *c)
{
    const struct fixture *fx = c->ctx;
    char src[1024], db[1024];
    source_folder(fx, "noindex", src, db);
    write_file(src, "oppen.html", "<html><h1>Öppen sida</h1><p>Om bidrag.</p></html>");
    write_file(src, "dold.html", "<html><head><meta name=\"robots\" content=\"noindex, "
                                 "follow\"></head><h1>Dold sida</h1><p>Utkast.</p></html>");
    write_file(src, "senare.html", "<html><h1>Senare dold</h1><p>Text.</p></html>");
    char *out = NULL, *err = NULL;
    CHECK(c, indexer(fx, NULL, &out, &err, "--db", db, src, NULL, NULL) == 0);
    CHECK_CONTAINS(c, err, "dold.html: the page asks not to be indexed (robots noindex)");
    CHECK(c, doc_count(db) == 2);
    free(out);
    free(err);
    write_file(src, "senare.html", "<html><head><meta name=ROBOTS content=none></head>"
                                   "<h1>Senare dold</h1><p>Text.</p></html>");
    CHECK(c, indexer(fx, NULL, &out, &err, "--db", db, src, NULL, NULL) == 0);
    CHECK_CONTAINS(c, out, "deleted 1,");
    CHECK(c, doc_count(db) == 1);
    char *title = stored_field(db, "oppen.html", "title");
    CHECK_STR(c, title, "Öppen sida");
    free(title);
    free(out);
    free(err);
}

/* The source signature (folder, size, time) of a page deep in a long path
 * is read back whole: a rerun over unchanged pages rewrites none of them. */
static void test_rerun_under_a_long_folder_path_rewrites_nothing(struct check *c)
{
    const struct fixture *fx = c->ctx;
    char src[1024], db[1024];
    size_t n = (size_t)snprintf(src, sizeof src, "%s", fx->dir);
    for (int i = 0; n < 260; i++) {
        n += (size_t)snprintf(src + n, sizeof src - n, "/mapp-%02d-med-ett-langt-namn", i);
        mkdir(src, 0700);
    }
    CHECK(c, strlen(src) >= 250);
    snprintf(db, sizeof db, "%s/long.db", fx->dir);
    write_file(src, "a.html", "<h1>Boende i Kiruna</h1><main><p>Trångboddhet.</p></main>");
    write_file(src, "b.html", "<h1>Skolan i Visby</h1><main><p>Skolsegregation.</p></main>");
    write_file(src, "c.html", "<h1>Unga i Ystad</h1><main><p>Arbetsmarknaden.</p></main>");
    char *out = NULL;
    CHECK(c, indexer(fx, NULL, &out, NULL, "--db", db, src, NULL, NULL) == 0);
    CHECK_CONTAINS(c, out, "indexed 3, unchanged 0, deleted 0, rejected 0");
    free(out);
    out = NULL;
    CHECK(c, indexer(fx, NULL, &out, NULL, "--db", db, src, NULL, NULL) == 0);
    CHECK_CONTAINS(c, out, "indexed 0, unchanged 3, deleted 0, rejected 0");
    free(out);
}

static int has_gen(const char *db, unsigned gen)
{
    char path[1200];
    struct stat st;
    snprintf(path, sizeof path, "%s/gen-%06u", db, gen);
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static unsigned live_gen(const char *db)
{
    char path[1200], line[64] = "";
    unsigned gen = 0;
    snprintf(path, sizeof path, "%s/XAPIANDB", db);
    FILE *f = fopen(path, "r");
    if (f && fgets(line, sizeof line, f))
        sscanf(line, "glass gen-%u", &gen);
    if (f)
        fclose(f);
    return gen;
}

/* A run that fills an index from empty (a new one, a rebuild) ends by
 * compacting it into the next generation; an incremental run does not,
 * unless told; --no-compact leaves the index as written. */
static void test_a_new_index_and_a_rebuild_are_compacted(struct check *c)
{
    const struct fixture *fx = c->ctx;
    char db[1024], plain_db[1024];
    snprintf(db, sizeof db, "%s/compact.db", fx->dir);
    snprintf(plain_db, sizeof plain_db, "%s/uncompacted.db", fx->dir);
    char *out = NULL;
    CHECK(c, indexer(fx, NULL, &out, NULL, "--db", db, "corpus", NULL, NULL) == 0);
    CHECK_CONTAINS(c, out, "compacted the index");
    free(out);
    out = NULL;
    /* The copy is live; the generation the run filled is gone. */
    CHECK(c, live_gen(db) == 2 && has_gen(db, 2) && !has_gen(db, 1));
    CHECK(c, doc_count(db) == 88);
    char *title = stored_field(db, "artikel/raslatt-fritidsgardar-jonkoping.html", "title");
    CHECK_CONTAINS(c, title, "Fritidsgårdarna på Råslätt");
    free(title);
    /* Nothing new: no compaction, the same generation. */
    CHECK(c, indexer(fx, NULL, &out, NULL, "--db", db, "corpus", NULL, NULL) == 0);
    CHECK(c, out && !strstr(out, "compacted"));
    free(out);
    out = NULL;
    CHECK(c, live_gen(db) == 2);
    /* An incremental run told to: the generation before stays for readers. */
    CHECK(c, indexer(fx, "{\"id\":\"ny\",\"title\":\"Övergång\"}\n", &out, NULL, "--db", db,
                     "--compact", "-", NULL) == 0);
    CHECK_CONTAINS(c, out, "compacted the index");
    free(out);
    out = NULL;
    CHECK(c, live_gen(db) == 3 && has_gen(db, 2) && has_gen(db, 3));
    CHECK(c, doc_count(db) == 89);
    /* A rebuild writes generation 4, compacts it into 5 and goes live
     * there; 3 stays for readers, 4 and older ones go. */
    CHECK(c, indexer(fx, NULL, &out, NULL, "--db", db, "--rebuild", "corpus", NULL) == 0);
    CHECK_CONTAINS(c, out, "compacted the index");
    free(out);
    out = NULL;
    CHECK(c, live_gen(db) == 5 && has_gen(db, 3) && !has_gen(db, 4) && !has_gen(db, 2));
    CHECK(c, doc_count(db) == 88);
    /* Told not to: the index as the run wrote it, by one writer thread. */
    CHECK(c, indexer(fx, NULL, &out, NULL, "--db", plain_db, "--no-compact", "--writers=1",
                     "corpus") == 0);
    CHECK(c, out && !strstr(out, "compacted"));
    free(out);
    out = NULL;
    CHECK(c, live_gen(plain_db) == 1 && !has_gen(plain_db, 2));
    CHECK(c, doc_count(plain_db) == 88);
    /* By several, each a shard of its own: merged into one all the same. */
    char merged_db[1100];
    snprintf(merged_db, sizeof merged_db, "%s-merged", plain_db);
    CHECK(c, indexer(fx, NULL, &out, NULL, "--db", merged_db, "--no-compact", "--writers=3",
                     "corpus") == 0);
    CHECK_CONTAINS(c, out, "compacted the index (its shards, written in parallel, merged into one): ");
    free(out);
    CHECK(c, live_gen(merged_db) == 2 && !has_gen(merged_db, 1));
    CHECK(c, doc_count(merged_db) == 88);
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

/* The full analysis cannot run without its lexicon: both programs say which
 * file is missing or damaged and stop before touching the index. */
static void test_missing_or_damaged_lexicon_is_fatal(struct check *c)
{
    const struct fixture *fx = c->ctx;
    char db[1024], bad[1024], *err = NULL;
    snprintf(db, sizeof db, "%s/lexicon-db", fx->dir);
    snprintf(bad, sizeof bad, "%s/bad.lex", fx->dir);
    write_file(fx->dir, "bad.lex", "SVLEXCN\0 a lexicon cut short");
    CHECK(c, indexer(fx, NULL, NULL, &err, "--db", db, "--lexicon", "/finns/inte.lex",
                     "corpus") == 2);
    CHECK_CONTAINS(c, err, "cannot open the lexicon /finns/inte.lex");
    free(err);
    CHECK(c, indexer(fx, NULL, NULL, &err, "--db", db, "--lexicon", bad, "corpus") == 2);
    CHECK_CONTAINS(c, err, bad);
    free(err);
    CHECK(c, doc_count(db) == 0);
    /* plain analysis needs none */
    CHECK(c, indexer(fx, NULL, NULL, NULL, "--db", db, "--analysis", "plain",
                     "corpus/artikel") == 0);
    CHECK(c, doc_count(db) > 0);
    char searchd[1024], *serr = NULL;
    prog_path("searchd", searchd, sizeof searchd);
    char *argv[] = {searchd, "--db", db, "--listen", "127.0.0.1:0", "--lexicon", bad, NULL};
    CHECK(c, run_prog(argv, NULL, NULL, &serr) == 2);
    CHECK_CONTAINS(c, serr, bad);
    free(serr);
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

/* The spelling data exported is a database searchd's stub can name (its
 * words are counted); an index that cannot be opened is named. */
static void test_export_spelling_writes_a_database_or_says_why_not(struct check *c)
{
    const struct fixture *fx = c->ctx;
    char db[1024], dest[1024], *out = NULL, *err = NULL;
    snprintf(db, sizeof db, "%s/corpus.db", fx->dir);
    snprintf(dest, sizeof dest, "%s/spelling-copy", fx->dir);
    CHECK(c, indexer(fx, NULL, &out, NULL, "--db", db, "--export-spelling", dest, NULL) == 0);
    CHECK_CONTAINS(c, out, "words of spelling data written to");
    unsigned words = 0;
    CHECK(c, out && sscanf(out, "indexer: %u words", &words) == 1 && words > 1000);
    free(out);
    xc_db *copy = NULL;
    char *fix = NULL;
    CHECK(c, xc_db_open(&copy, dest, NULL) == 0);
    CHECK(c, xc_db_spelling_suggestion(copy, "segregaton", 1, &fix, NULL) == 0);
    CHECK_STR(c, fix, "segregation");
    free(fix);
    xc_db_free(copy);
    snprintf(db, sizeof db, "%s/no-such-index", fx->dir);
    CHECK(c, indexer(fx, NULL, NULL, &err, "--db", db, "--export-spelling", dest, NULL) == 2);
    CHECK_CONTAINS(c, err, "cannot export the spelling data");
    free(err);
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

/* The indexer analyses with the compiled lexicon alone: it never opens
 * hunspell's dictionary (it opened it once per worker, and once more for an
 * analyzer it never used). strace sees every file it opens. */
static void test_indexing_never_opens_the_hunspell_dictionary(struct check *c)
{
    const struct fixture *fx = c->ctx;
    char db[1024], trace[1024], *err = NULL;
    snprintf(db, sizeof db, "%s/no-hunspell-db", fx->dir);
    snprintf(trace, sizeof trace, "%s/openat.trace", fx->dir);
    /* LeakSanitizer cannot run under ptrace: the sanitized build's leaks
     * are checked by the other tests. */
    char *argv[] = {"env", "ASAN_OPTIONS=detect_leaks=0", "strace", "-f", "-qq", "-e",
                    "trace=open,openat", "-o", trace,
                    (char *)fx->indexer, "--quiet", "--jobs", "2", "--db", db,
                    "corpus/artikel", NULL};
    CHECK(c, run_prog(argv, NULL, NULL, &err) == 0);
    free(err);
    FILE *f = fopen(trace, "r");
    char line[4096];
    int opened_lexicon = 0, opened_dic = 0;
    while (f && fgets(line, sizeof line, f)) {
        opened_lexicon |= strstr(line, "sv_SE.lex") != NULL;
        opened_dic |= strstr(line, "sv_SE.dic") != NULL || strstr(line, "sv_SE.aff") != NULL;
    }
    if (f)
        fclose(f);
    CHECK(c, f != NULL && opened_lexicon);   /* the trace saw the files opened */
    CHECK(c, !opened_dic);
    CHECK(c, doc_count(db) > 0);
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
    RUN(&c, test_every_kind_of_bad_input_in_one_run);
    RUN(&c, test_text_under_100000_nested_elements_is_indexed);
    RUN(&c, test_summary_line_and_incremental_rerun);
    RUN(&c, test_a_noindex_page_is_kept_out_and_taken_out);
    RUN(&c, test_rerun_under_a_long_folder_path_rewrites_nothing);
    RUN(&c, test_a_new_index_and_a_rebuild_are_compacted);
    RUN(&c, test_delete_removes_and_reports_missing);
    RUN(&c, test_usage_errors_exit_2);
    RUN(&c, test_unopenable_index_is_fatal);
    RUN(&c, test_missing_or_damaged_lexicon_is_fatal);
    RUN(&c, test_base_url_joins_the_id_without_canonical);
    RUN(&c, test_stats_shows_the_count);
    RUN(&c, test_export_spelling_writes_a_database_or_says_why_not);
    RUN(&c, test_indexing_never_opens_the_hunspell_dictionary);
    RUN(&c, test_hundreds_of_real_swedish_pages_lose_none);
    tmpdir_remove(f.dir);
    return check_report(&c, "test_indexer");
}
