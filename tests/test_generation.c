/* test_generation.c: lib/generation.c — an index folder's generations
 * behind its stub file: the first generation made on demand, the next one
 * filled beside the live one and switched to, sharded generations, old ones
 * removed, a generation compacted into the next (sharded too) while its
 * writer still holds it, a plain Xapian index used as it is, and the errors for a folder
 * with no index or one that cannot be written. Real folders, real Xapian
 * databases opened through the stub. */
#include "check.h"
#include "generation.h"
#include "support.h"
#include "xapian_c.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fixture {
    char dir[256];
    unsigned n;   /* index folders made so far, for their names */
};

/* A new folder name (not created) for one test's index. */
static void new_folder(struct check *c, char *out, size_t outlen)
{
    struct fixture *fx = c->ctx;
    snprintf(out, outlen, "%s/site-%u", fx->dir, fx->n++);
}

static char *read_text(const char *dir, const char *name)
{
    char path[1024], *text = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t cap = 0;
    ssize_t n = getdelim(&text, &cap, '\0', f);
    fclose(f);
    if (n < 0) {
        free(text);
        return NULL;
    }
    return text;
}

static void check_stub(struct check *c, const char *dir, const char *want)
{
    char *stub = read_text(dir, GEN_STUB);
    CHECK_STR(c, stub, want);
    free(stub);
}

static void check_live_link(struct check *c, const char *dir, const char *want)
{
    char link[1024], target[PATH_MAX] = "";
    snprintf(link, sizeof link, "%s/%s", dir, GEN_LIVE_LINK);
    ssize_t n = readlink(link, target, sizeof target - 1);
    target[n > 0 ? n : 0] = '\0';
    CHECK_STR(c, target, want);
}

static int is_dir(const char *dir, const char *name)
{
    char path[2048];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Writes one committed document into the database at path. */
static void add_document(struct check *c, const char *path, const char *id)
{
    xc_wdb *w = NULL;
    xc_doc *d = NULL;
    CHECK(c, xc_wdb_open(&w, path, XC_WDB_CREATE_OR_OPEN, NULL) == 0 &&
                 xc_doc_new(&d, NULL) == 0 && xc_wdb_replace_by_term(w, id, d, NULL) == 0 &&
                 xc_wdb_commit(w, NULL) == 0);
    xc_doc_free(d);
    xc_wdb_free(w);
}

/* Documents seen by a reader opening the folder, as searchd does. */
static unsigned docs_through_stub(const char *dir)
{
    xc_db *db = NULL;
    unsigned n = xc_db_open(&db, dir, NULL) == 0 ? xc_db_doc_count(db) : 0;
    xc_db_free(db);
    return n;
}

static void test_a_new_folder_gets_its_first_generation_and_stub(struct check *c)
{
    char dir[512], live[1024];
    lib_error err = {0, ""};
    new_folder(c, dir, sizeof dir);
    CHECK(c, gen_live(live, sizeof live, dir, 1, &err) == 0);
    CHECK(c, strstr(live, "/gen-000001") && is_dir(dir, "gen-000001"));
    check_stub(c, dir, "glass gen-000001\n");
    check_live_link(c, dir, "gen-000001");
    CHECK(c, gen_current(dir) == 1 && gen_shards(dir) == 1);
    add_document(c, live, "Qa");
    CHECK(c, docs_through_stub(dir) == 1);
    char again[1024];   /* a second call finds the same generation */
    CHECK(c, gen_live(again, sizeof again, dir, 1, &err) == 0);
    CHECK_STR(c, again, live);
}

static void test_a_folder_without_an_index_is_an_error_unless_created(struct check *c)
{
    char dir[512], live[1024];
    lib_error err = {0, ""};
    new_folder(c, dir, sizeof dir);
    CHECK(c, gen_live(live, sizeof live, dir, 0, &err) == LIB_E_NOTFOUND);
    CHECK_CONTAINS(c, err.message, "no index here (build one with indexer)");
    CHECK(c, access(dir, F_OK) != 0);   /* nothing made */
    CHECK(c, gen_current(dir) == 0 && gen_shards(dir) == 0 && gen_stamp(dir) == 0);
}

static void test_the_next_generation_goes_live_only_when_switched(struct check *c)
{
    char dir[512], live[1024], next[1024];
    lib_error err = {0, ""};
    unsigned gen = 0;
    new_folder(c, dir, sizeof dir);
    CHECK(c, gen_live(live, sizeof live, dir, 1, &err) == 0);
    add_document(c, live, "Qold");
    unsigned long long stamp = gen_stamp(dir);
    CHECK(c, gen_next(next, sizeof next, &gen, dir, 0, &err) == 0);
    CHECK(c, gen == 2 && strstr(next, "/gen-000002"));
    add_document(c, next, "Qnew1");
    add_document(c, next, "Qnew2");
    CHECK(c, gen_current(dir) == 1 && docs_through_stub(dir) == 1);   /* still the old one */
    CHECK(c, gen_switch(dir, 2, &err) == 0);
    check_stub(c, dir, "glass gen-000002\n");
    check_live_link(c, dir, "gen-000002");
    CHECK(c, gen_current(dir) == 2 && docs_through_stub(dir) == 2);
    CHECK(c, gen_stamp(dir) != stamp);
}

static void test_a_cut_off_rebuild_is_emptied_by_the_next(struct check *c)
{
    char dir[512], live[1024], next[1024];
    lib_error err = {0, ""};
    unsigned gen = 0;
    new_folder(c, dir, sizeof dir);
    CHECK(c, gen_live(live, sizeof live, dir, 1, &err) == 0);
    CHECK(c, gen_next(next, sizeof next, &gen, dir, 0, &err) == 0);
    add_document(c, next, "Qhalf");
    CHECK(c, gen_next(next, sizeof next, &gen, dir, 0, &err) == 0);
    CHECK(c, gen == 2 && is_dir(dir, "gen-000002"));
    char glass[1100];   /* the half-written database is gone */
    snprintf(glass, sizeof glass, "%s/iamglass", next);
    CHECK(c, access(glass, F_OK) != 0);
    add_document(c, next, "Qwhole");
    CHECK(c, gen_switch(dir, gen, &err) == 0 && docs_through_stub(dir) == 1);
}

static void test_a_sharded_generation_names_every_shard_in_its_stub(struct check *c)
{
    char dir[512], live[1024], next[1024];
    lib_error err = {0, ""};
    unsigned gen = 0;
    new_folder(c, dir, sizeof dir);
    CHECK(c, gen_live(live, sizeof live, dir, 3, &err) == 0);
    CHECK(c, is_dir(live, "shard-0") && is_dir(live, "shard-2") && !is_dir(live, "shard-3"));
    check_stub(c, dir, "glass gen-000001/shard-0\nglass gen-000001/shard-1\n"
                       "glass gen-000001/shard-2\n");
    CHECK(c, gen_shards(dir) == 3);
    /* The next generation keeps the number, or takes a new one. */
    CHECK(c, gen_next(next, sizeof next, &gen, dir, 0, &err) == 0);
    CHECK(c, is_dir(next, "shard-2") && !is_dir(next, "shard-3"));
    CHECK(c, gen_next(next, sizeof next, &gen, dir, 2, &err) == 0);
    CHECK(c, is_dir(next, "shard-1") && !is_dir(next, "shard-2"));
    for (int i = 0; i < 2; i++) {
        char shard[1100];
        snprintf(shard, sizeof shard, "%s/shard-%d", next, i);
        add_document(c, shard, i ? "Qb" : "Qa");
    }
    CHECK(c, gen_switch(dir, gen, &err) == 0);
    check_stub(c, dir, "glass gen-000002/shard-0\nglass gen-000002/shard-1\n");
    CHECK(c, gen_shards(dir) == 2 && docs_through_stub(dir) == 2);
}

static void test_older_generations_are_removed_the_one_before_kept(struct check *c)
{
    char dir[512], live[1024], next[1024];
    lib_error err = {0, ""};
    unsigned gen = 0;
    new_folder(c, dir, sizeof dir);
    CHECK(c, gen_live(live, sizeof live, dir, 1, &err) == 0);
    for (int i = 0; i < 2; i++)
        CHECK(c, gen_next(next, sizeof next, &gen, dir, 0, &err) == 0 &&
                     gen_switch(dir, gen, &err) == 0);
    gen_remove_older(dir, gen - 1);
    CHECK(c, !is_dir(dir, "gen-000001"));
    CHECK(c, is_dir(dir, "gen-000002") && is_dir(dir, "gen-000003"));
}

/* Documents in DIR/gen (a generation or one of its shards), read straight. */
static unsigned docs_in(const char *dir, const char *gen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, gen);
    xc_db *db = NULL;
    unsigned n = xc_db_open(&db, path, NULL) == 0 ? xc_db_doc_count(db) : 0;
    xc_db_free(db);
    return n;
}

static void test_a_generation_is_compacted_into_the_next(struct check *c)
{
    char dir[512], live[1024], bad[1024];
    lib_error err = {0, ""};
    new_folder(c, dir, sizeof dir);
    CHECK(c, gen_live(live, sizeof live, dir, 1, &err) == 0);
    /* Many small commits: the blocks they leave half full are what a
     * compacted copy packs. */
    xc_wdb *w = NULL;
    CHECK(c, xc_wdb_open(&w, live, XC_WDB_CREATE_OR_OPEN, NULL) == 0);
    for (int i = 0; w && i < 600; i++) {
        char id[32], word[32];
        xc_doc *d = NULL;
        snprintf(id, sizeof id, "Q%d", i);
        snprintf(word, sizeof word, "ord%d", i % 97);
        CHECK(c, xc_doc_new(&d, NULL) == 0 && xc_doc_add_posting(d, word, 1, 1, NULL) == 0 &&
                     xc_doc_add_posting(d, "gemensam", 2, 1, NULL) == 0 &&
                     xc_wdb_replace_by_term(w, id, d, NULL) == 0);
        xc_doc_free(d);
        if (i % 20 == 19)
            CHECK(c, xc_wdb_commit(w, NULL) == 0);
    }
    CHECK(c, xc_wdb_set_metadata(w, "nyckel", "värde", 6, NULL) == 0 &&
                 xc_wdb_commit(w, NULL) == 0);
    /* The writer keeps the lock while its generation is copied. */
    CHECK(c, gen_compact(dir, 1, 2, 0, &err) == 0);
    xc_wdb_free(w);
    CHECK(c, gen_current(dir) == 1 && is_dir(dir, "gen-000002"));   /* not switched */
    CHECK(c, docs_in(dir, "gen-000002") == 600);
    char p1[1024], p2[1024];
    snprintf(p1, sizeof p1, "%s/gen-000001", dir);
    snprintf(p2, sizeof p2, "%s/gen-000002", dir);
    CHECK(c, gen_disk_usage(p2) > 0 && gen_disk_usage(p2) < gen_disk_usage(p1));
    xc_db *db = NULL;
    char *v = NULL;
    unsigned freq = 0;
    CHECK(c, xc_db_open(&db, p2, NULL) == 0 &&
                 xc_db_get_metadata(db, "nyckel", &v, NULL, NULL) == 0 &&
                 xc_db_term_freq(db, "gemensam", &freq, NULL) == 0);
    CHECK_STR(c, v, "värde");
    CHECK(c, freq == 600);
    free(v);
    xc_db_free(db);
    CHECK(c, gen_switch(dir, 2, &err) == 0 && docs_through_stub(dir) == 600);
    gen_remove(dir, 1);
    CHECK(c, !is_dir(dir, "gen-000001"));
    /* A generation that is not there: an error naming it, nothing left. */
    CHECK(c, gen_compact(dir, 7, 8, 0, &err) < 0);
    snprintf(bad, sizeof bad, "gen-000007");
    CHECK_CONTAINS(c, err.message, bad);
    CHECK(c, !is_dir(dir, "gen-000008"));
}

/* A new index folder at dir of `shards` shards holding 40 documents, each
 * committed, and with the word given spelling data; the writer's last
 * commit holds the metadata analysis=full. */
static void fill_sharded(struct check *c, char *dir, size_t dirlen, unsigned shards,
                         const char *word)
{
    char live[1024];
    lib_error err = {0, ""};
    new_folder(c, dir, dirlen);
    CHECK(c, gen_live(live, sizeof live, dir, shards, &err) == 0);
    xc_wdb *w = NULL;
    CHECK(c, xc_wdb_open(&w, live, XC_WDB_CREATE_OR_OPEN, NULL) == 0);
    for (int i = 0; w && i < 40; i++) {
        char id[32];
        xc_doc *d = NULL;
        snprintf(id, sizeof id, "Q%d", i);
        CHECK(c, xc_doc_new(&d, NULL) == 0 && xc_wdb_replace_by_term(w, id, d, NULL) == 0 &&
                     xc_wdb_commit(w, NULL) == 0);
        xc_doc_free(d);
    }
    CHECK(c, xc_wdb_add_spelling(w, word, 2, NULL) == 0 &&
                 xc_wdb_set_metadata(w, "analysis", "full", 4, NULL) == 0 &&
                 xc_wdb_commit(w, NULL) == 0);
    xc_wdb_free(w);
}

static void test_a_sharded_generation_is_compacted_shard_by_shard(struct check *c)
{
    char dir[512];
    lib_error err = {0, ""};
    fill_sharded(c, dir, sizeof dir, 2, "kommun");
    CHECK(c, gen_compact(dir, 1, 2, 0, &err) == 0);
    CHECK(c, gen_switch(dir, 2, &err) == 0);
    check_stub(c, dir, "glass gen-000002/shard-0\nglass gen-000002/shard-1\n");
    CHECK(c, docs_through_stub(dir) == 40);
    CHECK(c, docs_in(dir, "gen-000002/shard-0") + docs_in(dir, "gen-000002/shard-1") == 40);
    CHECK(c, docs_in(dir, "gen-000002/shard-0") > 0 && docs_in(dir, "gen-000002/shard-1") > 0);
    /* The shards are compacted at once: one that cannot be read fails the
     * whole copy, which is removed, whichever shard it is. */
    char p[700];
    snprintf(p, sizeof p, "%s/gen-000002/shard-1/iamglass", dir);
    CHECK(c, unlink(p) == 0);
    CHECK(c, gen_compact(dir, 2, 3, 0, &err) < 0 && strstr(err.message, "cannot compact"));
    CHECK(c, !is_dir(dir, "gen-000003"));
}

/* Shards written by parallel threads become one database: every document,
 * the spelling data of the first shard, the metadata. */
static void test_a_sharded_generation_is_merged_into_one(struct check *c)
{
    char dir[512], one[1100];
    lib_error err = {0, ""};
    fill_sharded(c, dir, sizeof dir, 3, "kommun");
    CHECK(c, gen_compact(dir, 1, 2, 1, &err) == 0);
    CHECK(c, gen_switch(dir, 2, &err) == 0);
    check_stub(c, dir, "glass gen-000002\n");
    CHECK(c, gen_shards(dir) == 1 && docs_through_stub(dir) == 40);
    snprintf(one, sizeof one, "%s/gen-000002", dir);
    xc_db *db = NULL;
    char *v = NULL;
    CHECK(c, xc_db_open(&db, one, NULL) == 0 &&
                 xc_db_get_metadata(db, "analysis", &v, NULL, NULL) == 0 && v &&
                 strcmp(v, "full") == 0);
    free(v);
    char *fix = NULL;
    CHECK(c, xc_db_spelling_suggestion(db, "komun", 2, &fix, NULL) == 0 && fix &&
                 strcmp(fix, "kommun") == 0);
    free(fix);
    xc_db_free(db);
}

static void test_a_plain_index_is_used_as_it_is_and_cannot_be_rebuilt(struct check *c)
{
    char dir[512], live[1024], next[1024];
    lib_error err = {0, ""};
    unsigned gen = 0;
    new_folder(c, dir, sizeof dir);
    add_document(c, dir, "Qa");   /* a Xapian database made before generations */
    CHECK(c, gen_live(live, sizeof live, dir, 1, &err) == 0);
    CHECK_STR(c, live, dir);
    CHECK(c, gen_current(dir) == 0 && gen_shards(dir) == 1);
    CHECK(c, gen_next(next, sizeof next, &gen, dir, 0, &err) == LIB_E_INVALID);
    CHECK_CONTAINS(c, err.message, "is a plain index without generations");
    CHECK(c, docs_through_stub(dir) == 1);
}

static void test_a_folder_that_cannot_be_written_is_an_error_naming_it(struct check *c)
{
    char dir[512], sub[600], live[1024];
    lib_error err = {0, ""};
    new_folder(c, dir, sizeof dir);
    CHECK(c, mkdir(dir, 0500) == 0);
    snprintf(sub, sizeof sub, "%s/index", dir);
    if (geteuid() == 0) {   /* root writes anywhere: make the folder a file */
        rmdir(dir);
        FILE *f = fopen(dir, "w");
        if (f)
            fclose(f);
    }
    CHECK(c, gen_live(live, sizeof live, sub, 1, &err) == LIB_E_IO);
    CHECK_CONTAINS(c, err.message, sub);
    CHECK(c, gen_switch(dir, 1, &err) == LIB_E_IO);
    CHECK_CONTAINS(c, err.message, dir);
    chmod(dir, 0700);
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    if (tmpdir_make(f.dir, sizeof f.dir) < 0)
        return 1;
    c.ctx = &f;
    RUN(&c, test_a_new_folder_gets_its_first_generation_and_stub);
    RUN(&c, test_a_folder_without_an_index_is_an_error_unless_created);
    RUN(&c, test_the_next_generation_goes_live_only_when_switched);
    RUN(&c, test_a_cut_off_rebuild_is_emptied_by_the_next);
    RUN(&c, test_a_sharded_generation_names_every_shard_in_its_stub);
    RUN(&c, test_older_generations_are_removed_the_one_before_kept);
    RUN(&c, test_a_generation_is_compacted_into_the_next);
    RUN(&c, test_a_sharded_generation_is_compacted_shard_by_shard);
    RUN(&c, test_a_sharded_generation_is_merged_into_one);
    RUN(&c, test_a_plain_index_is_used_as_it_is_and_cannot_be_rebuilt);
    RUN(&c, test_a_folder_that_cannot_be_written_is_an_error_naming_it);
    tmpdir_remove(f.dir);
    return check_report(&c, "test_generation");
}
