/* writer.c: documents → the index. One writable database for the run (the
 * pipeline's workers analyse the documents); commits every batch_size
 * changes so a crash loses at most the batch in flight. A document whose
 * stored content hash matches the index is left alone (incremental by
 * default). */
#include "indexer.h"

#include "generation.h"
#include "index_write.h"
#include "schema.h"
#include "suggest.h"
#include "synonyms.h"
#include "wdb_wait.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <sys/stat.h>

/* Creates the folders above path (Xapian makes only the last one). */
static int make_parents(const char *path, char *err, size_t errlen)
{
    char *p = strdup(path);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        if (mkdir(p, 0755) < 0 && errno != EEXIST) {
            snprintf(err, errlen, "%s: cannot create folder %s: %s", path, p, strerror(errno));
            free(p);
            return -1;
        }
        *s = '/';
    }
    free(p);
    return 0;
}

/* The index remembers its analysis: documents and queries must agree. */
static int check_mode(struct indexer *ix, char *err, size_t errlen)
{
    char *have = NULL;
    xc_error xe = {0};
    if (xc_wdb_get_metadata(ix->db, SCHEMA_META_ANALYSIS, &have, NULL, &xe) < 0) {
        snprintf(err, errlen, "%s: %s", ix->db_path, xe.message);
        return -1;
    }
    const char *want = an_mode_name(ix->mode);
    int rc = 0;
    if (*have && strcmp(have, want) != 0 && xc_wdb_doc_count(ix->db) > 0) {
        snprintf(err, errlen, "%s was built with --analysis %s, not %s: index into a new folder",
                 ix->db_path, have, want);
        rc = -1;
    } else if (strcmp(have, want) != 0 &&
               xc_wdb_set_metadata(ix->db, SCHEMA_META_ANALYSIS, want, strlen(want), &xe) < 0) {
        snprintf(err, errlen, "%s: %s", ix->db_path, xe.message);
        rc = -1;
    } else if (strcmp(have, want) != 0) {
        ix->pending++;
    }
    free(have);
    return rc;
}

/* Stores the synonyms file in the index, where searchd reads it. */
static int store_synonyms(struct indexer *ix, char *err, size_t errlen)
{
    json_t *map = NULL;
    lib_error why = {0};
    if (!ix->synonyms)
        return 0;
    if (synonyms_read_file(&map, ix->synonyms, &why) < 0) {
        snprintf(err, errlen, "%s", why.message);
        return -1;
    }
    char *text = json_dumps(map, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(map);
    char *have = NULL;
    xc_error xe = {0};
    int rc = 0;
    if (!text || xc_wdb_get_metadata(ix->db, SCHEMA_META_SYNONYMS, &have, NULL, &xe) < 0) {
        snprintf(err, errlen, "cannot store the synonyms: %s", text ? xe.message : "out of memory");
        rc = -1;
    } else if (strcmp(have, text) != 0) {
        if (xc_wdb_set_metadata(ix->db, SCHEMA_META_SYNONYMS, text, strlen(text), &xe) < 0) {
            snprintf(err, errlen, "cannot store the synonyms: %s", xe.message);
            rc = -1;
        } else {
            ix->pending++;
        }
    }
    free(have);
    free(text);
    return rc;
}

int writer_open(struct indexer *ix, char *err, size_t errlen)
{
    xc_error xe = {0};
    if (make_parents(ix->db_path, err, errlen) < 0)
        return -1;
    lib_error why = {0};
    unsigned have = gen_shards(ix->db_path);
    if (!ix->rebuild && have && ix->shards && ix->shards != have) {
        snprintf(err, errlen, "%s has %u shard%s: change that with --rebuild --shards %u",
                 ix->db_path, have, have == 1 ? "" : "s", ix->shards);
        return -1;
    }
    int rc = ix->rebuild ? gen_next(ix->write_path, sizeof ix->write_path, &ix->new_gen,
                                    ix->db_path, ix->shards, &why)
                         : gen_live(ix->write_path, sizeof ix->write_path, ix->db_path,
                                    ix->shards ? ix->shards : 1, &why);
    if (rc < 0) {
        snprintf(err, errlen, "cannot open the index: %s", why.message);
        return -1;
    }
    if (xc_wdb_open(&ix->db, ix->write_path, XC_WDB_CREATE_OR_OPEN, &xe) < 0) {
        if (xe.code == XC_E_LOCK)
            snprintf(err, errlen, "%s: another process is writing to this index",
                     ix->db_path);
        else
            snprintf(err, errlen, "%s: cannot open the index: %s", ix->db_path,
                     xe.message);
        return -1;
    }
    ix->started_empty = xc_wdb_doc_count(ix->db) == 0;
    if (check_mode(ix, err, errlen) < 0 || store_synonyms(ix, err, errlen) < 0)
        return -1;
    return pipeline_start(ix, err, errlen);
}

int writer_delete(struct indexer *ix, const char *id, char *err, size_t errlen)
{
    lib_error why = {0};
    int rc = iw_delete(ix->db, id, &why);
    if (rc < 0) {
        snprintf(err, errlen, "%s", why.message);
        return -2;
    }
    if (rc == 1) {
        ix->n.deleted++;
        ix->pending++;
    }
    return rc;
}

int writer_commit(struct indexer *ix, char *err, size_t errlen)
{
    if (pipeline_drain(ix) < 0) {
        snprintf(err, errlen, "a document could not be written");
        return -1;
    }
    return writer_commit_now(ix, err, errlen);
}

int writer_commit_now(struct indexer *ix, char *err, size_t errlen)
{
    xc_error xe = {0};
    if (ix->pending == 0)
        return 0;
    if (xc_wdb_commit(ix->db, &xe) < 0) {
        snprintf(err, errlen, "cannot commit to the index: %s", xe.message);
        return -1;
    }
    ix->pending = 0;
    return 0;
}

/* Rebuild done: the new generation goes live; the one before stays for
 * readers still on it, older ones go, and so does the generation the run
 * wrote when a compacted copy of it is what went live. */
static int switch_generation(struct indexer *ix, char *err, size_t errlen)
{
    lib_error why = {0};
    unsigned before = gen_current(ix->db_path);
    if (gen_switch(ix->db_path, ix->new_gen, &why) < 0) {
        snprintf(err, errlen, "%s", why.message);
        return -1;
    }
    gen_remove_older(ix->db_path, before);
    if (ix->uncompacted)
        gen_remove(ix->db_path, ix->uncompacted);
    return 0;
}

static int wants_compaction(const struct indexer *ix, int changed)
{
    if (ix->compact == COMPACT_NEVER)
        return 0;
    if (ix->compact == COMPACT_ALWAYS)
        return 1;
    return changed && (ix->rebuild || ix->started_empty);
}

/* Commits into an index that holds documents leave its B-tree blocks about
 * half full: a compacted copy is some 40 % smaller and quicker to search.
 * It is made as the next generation while this run still holds the write
 * lock, so no PUT lands in the copy's source meanwhile. A rebuild's copy
 * goes live at its switch; otherwise the copy goes live here, the
 * generation it was made from staying for readers still on it (unless
 * this run filled that from empty). A copy that cannot
 * be made leaves the index as written, which is still whole. */
static int compact_index(struct indexer *ix, char *err, size_t errlen)
{
    unsigned live = gen_current(ix->db_path);
    unsigned from = ix->rebuild ? ix->new_gen : live;
    lib_error why = {0};
    if (from == 0) {
        if (ix->compact == COMPACT_ALWAYS)
            fprintf(stderr, "indexer: %s is a plain index without generations: it is not "
                            "compacted in place (xapian-compact makes a copy)\n",
                    ix->db_path);
        return 0;
    }
    double started = progress_now();
    unsigned long long before = gen_disk_usage(ix->write_path);
    if (gen_compact(ix->db_path, from, from + 1, &why) < 0) {
        fprintf(stderr, "indexer: the index stays as written: %s\n", why.message);
        return 0;
    }
    char path[4096];
    gen_path(ix->db_path, from + 1, path, sizeof path);
    if (!ix->quiet)
        printf("compacted the index: %.1f MB to %.1f MB in %.1f s\n", before / 1e6,
               gen_disk_usage(path) / 1e6, progress_now() - started);
    if (ix->rebuild) {
        ix->uncompacted = from;
        ix->new_gen = from + 1;
        return 0;
    }
    if (gen_switch(ix->db_path, from + 1, &why) < 0) {
        snprintf(err, errlen, "%s", why.message);
        gen_remove(ix->db_path, from + 1);
        return -1;
    }
    /* Kept for readers still on it, unless this run filled it from empty. */
    gen_remove_older(ix->db_path, ix->started_empty ? from + 1 : from);
    return 0;
}

/* The search box's completions for one- and two-letter prefixes, stored
 * and committed. */
static int store_completions(struct indexer *ix, char *err, size_t errlen)
{
    json_t *table = NULL;
    char *text = NULL;
    lib_error why = {0};
    if (suggest_build_table(&table, ix->db, &why) == 0 &&
        !(text = json_dumps(table, JSON_COMPACT)))
        lib_error_nomem(&why);
    json_decref(table);
    int rc = 0;
    if (!text ||
        xc_wdb_set_metadata(ix->db, SCHEMA_META_COMPLETIONS, text, strlen(text), &why) < 0) {
        snprintf(err, errlen, "cannot store the completions: %s", why.message);
        rc = -1;
    } else {
        ix->pending++;
        rc = writer_commit(ix, err, errlen);
    }
    free(text);
    return rc;
}

/* What --stats tells of the last run. */
static void record_run(struct indexer *ix)
{
    char when[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *run = json_pack("{s:s,s:I,s:I,s:I,s:I,s:f}", "time", when, "indexed",
                            (json_int_t)ix->n.indexed, "unchanged", (json_int_t)ix->n.unchanged,
                            "deleted", (json_int_t)ix->n.deleted, "rejected",
                            (json_int_t)ix->n.rejected, "seconds",
                            progress_now() - ix->progress.started);
    char *text = run ? json_dumps(run, JSON_COMPACT) : NULL;
    if (text && xc_wdb_set_metadata(ix->db, SCHEMA_META_LAST_RUN, text, strlen(text), NULL) == 0)
        ix->pending++;
    free(text);
    json_decref(run);
}

int writer_finish(struct indexer *ix, char *err, size_t errlen)
{
    /* The pipeline's last documents first, so that the run's counts are whole. */
    if (pipeline_drain(ix) < 0) {
        snprintf(err, errlen, "a document could not be written");
        return -1;
    }
    int changed = ix->pending > 0 || ix->n.indexed > 0 || ix->n.deleted > 0;
    record_run(ix);
    if (writer_commit(ix, err, errlen) < 0)
        return -1;
    char *have = NULL;
    xc_wdb_get_metadata(ix->db, SCHEMA_META_COMPLETIONS, &have, NULL, NULL);
    int missing = !have || !*have;
    free(have);
    int rc = changed || missing ? store_completions(ix, err, errlen) : 0;
    if (rc == 0 && wants_compaction(ix, changed))
        rc = compact_index(ix, err, errlen);
    if (rc == 0 && ix->rebuild)
        rc = switch_generation(ix, err, errlen);
    return rc;
}

int writer_release(struct indexer *ix, char *err, size_t errlen)
{
    int rc = writer_commit(ix, err, errlen);   /* drains the pipeline first */
    xc_wdb_free(ix->db);
    ix->db = NULL;
    return rc;
}

int writer_reacquire(struct indexer *ix, char *err, size_t errlen)
{
    lib_error why = {0};
    if (gen_live(ix->write_path, sizeof ix->write_path, ix->db_path, 0, &why) < 0) {
        snprintf(err, errlen, "cannot open the index: %s", why.message);
        return -1;
    }
    /* searchd may hold the lock for a PUT: wait for it, within reason. */
    if (wdb_open_waiting(&ix->db, ix->write_path, XC_WDB_CREATE_OR_OPEN, 30000, &why) == 0) {
        char now[sizeof ix->write_path];
        if (gen_live(now, sizeof now, ix->db_path, 0, &why) == 0 &&
            strcmp(now, ix->write_path) == 0)
            return 0;
        /* Another indexer switched generations while this one waited. */
        xc_wdb_free(ix->db);
        ix->db = NULL;
        snprintf(err, errlen, "%s: the index moved to a new generation while waiting for it",
                 ix->db_path);
        return -1;
    }
    snprintf(err, errlen, "%s: cannot open the index: %s", ix->db_path, why.message);
    return -1;
}

void writer_close(struct indexer *ix)
{
    pipeline_stop(ix);
    xc_wdb_free(ix->db);
    ix->db = NULL;
}
