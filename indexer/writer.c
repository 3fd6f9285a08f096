/* writer.c: documents → the index. One writable database (or folder of
 * shards) for the run: pages and parsed documents go to the workers, the
 * documents they build go to the thread of their shard (shard_writer.c),
 * and the main thread, in here, keeps the batches: a commit every
 * batch_size changes, so a crash loses at most the batch in flight. A file
 * whose signature (size and time) is the one indexed is not read again, and
 * a document whose content hash matches the index is not rewritten
 * (incremental by default). Deletes, --prune and the index's metadata wait
 * until every thread has written what it was given. */
#include "indexer.h"

#include "analysis_lang.h"
#include "best_bets.h"
#include "doc_data.h"
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
    const char *want = an_mode_name(ix->page.mode);
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

/* Stores j (taken) as the index's metadata key, unless it holds the same
 * already; what names it in err. */
static int store_json(struct indexer *ix, const char *key, json_t *j, const char *what, char *err,
                      size_t errlen)
{
    char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    char *have = NULL;
    xc_error xe = {0};
    int rc = 0;
    if (!text || xc_wdb_get_metadata(ix->db, key, &have, NULL, &xe) < 0) {
        snprintf(err, errlen, "cannot store the %s: %s", what, text ? xe.message : "out of memory");
        rc = -1;
    } else if (strcmp(have, text) != 0) {
        if (xc_wdb_set_metadata(ix->db, key, text, strlen(text), &xe) < 0) {
            snprintf(err, errlen, "cannot store the %s: %s", what, xe.message);
            rc = -1;
        } else {
            ix->pending++;
        }
    }
    free(have);
    free(text);
    return rc;
}

/* Stores the editors' files (synonyms, best bets) in the index, where
 * searchd reads them. */
static int store_editors_files(struct indexer *ix, char *err, size_t errlen)
{
    json_t *j = NULL;
    lib_error why = {0};
    if (ix->synonyms && synonyms_read_file(&j, ix->synonyms, &why) < 0) {
        snprintf(err, errlen, "%s", why.message);
        return -1;
    }
    if (ix->synonyms && store_json(ix, SCHEMA_META_SYNONYMS, j, "synonyms", err, errlen) < 0)
        return -1;
    if (ix->best_bets && best_bets_read_file(&j, ix->best_bets, &why) < 0) {
        snprintf(err, errlen, "%s", why.message);
        return -1;
    }
    if (ix->best_bets && store_json(ix, BEST_BETS_META, j, "best bets", err, errlen) < 0)
        return -1;
    return 0;
}

/* The shards' threads, and a reader of what is committed: the writable
 * database is theirs while they run. */
static int start_threads(struct indexer *ix, char *err, size_t errlen)
{
    xc_error xe = {0};
    if (sw_start(&ix->sw, ix->db, err, errlen) < 0)
        return -1;
    /* An index that holds nothing has no file to compare with. */
    if (xc_wdb_doc_count(ix->db) > 0 && xc_db_open(&ix->reader, ix->write_path, &xe) < 0) {
        snprintf(err, errlen, "%s: cannot open the index: %s", ix->db_path, xe.message);
        return -1;
    }
    return 0;
}

static void stop_threads(struct indexer *ix)
{
    sw_stop(ix->sw);
    ix->sw = NULL;
    xc_db_free(ix->reader);
    ix->reader = NULL;
}

/* A generation written by a thread per shard only for speed, to be merged
 * into one database at the end of the run (or of the run after it, when
 * this one is stopped). */
#define INTO_ONE_MARK "into-one"

static int marked_into_one(const char *gen_dir)
{
    char p[4200];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", gen_dir, INTO_ONE_MARK);
    return stat(p, &st) == 0;
}

static int mark_into_one(const char *gen_dir, char *err, size_t errlen)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/%s", gen_dir, INTO_ONE_MARK);
    FILE *f = fopen(p, "w");
    if (!f || fputs("shards written in parallel, to be merged into one database\n", f) < 0 ||
        fclose(f) != 0) {
        snprintf(err, errlen, "%s: %s", p, strerror(errno));
        return -1;
    }
    return 0;
}

/* How many shards to write, and whether into one: an index of one shard
 * that is filled from empty (new, or a rebuild) is written by `writers`
 * threads, a shard each, and merged at the end. */
static unsigned shards_to_write(struct indexer *ix, unsigned have, int live_marked)
{
    unsigned want = ix->shards ? ix->shards : have && !live_marked ? have : 1;
    int fill = ix->rebuild || have == 0;
    ix->into_one = want == 1 && ((fill && ix->writers > 1) || (!ix->rebuild && live_marked));
    if (!ix->into_one)
        return want;
    return fill ? (unsigned)ix->writers : have;
}

int writer_open(struct indexer *ix, char *err, size_t errlen)
{
    xc_error xe = {0};
    if (make_parents(ix->db_path, err, errlen) < 0)
        return -1;
    lib_error why = {0};
    char live[4096];
    unsigned have = gen_shards(ix->db_path);
    int live_marked = have > 1 && gen_live(live, sizeof live, ix->db_path, 0, NULL) == 0 &&
                      marked_into_one(live);
    unsigned layout = live_marked ? 1 : have;
    if (!ix->rebuild && have && ix->shards && ix->shards != layout) {
        snprintf(err, errlen, "%s has %u shard%s: change that with --rebuild --shards %u",
                 ix->db_path, layout, layout == 1 ? "" : "s", ix->shards);
        return -1;
    }
    unsigned write = shards_to_write(ix, have, live_marked);
    int rc = ix->rebuild ? gen_next(ix->write_path, sizeof ix->write_path, &ix->new_gen,
                                    ix->db_path, write, &why)
                         : gen_live(ix->write_path, sizeof ix->write_path, ix->db_path, write,
                                    &why);
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
    if ((ix->into_one && mark_into_one(ix->write_path, err, errlen) < 0) ||
        check_mode(ix, err, errlen) < 0 || store_editors_files(ix, err, errlen) < 0 ||
        start_threads(ix, err, errlen) < 0)
        return -1;
    return workers_start(&ix->pool, &ix->page, ix->jobs, err, errlen);
}

static int commit_now(struct indexer *ix, char *err, size_t errlen)
{
    unsigned long pending = 0;
    sw_collect(ix->sw, &ix->n, &pending);
    if (pending + ix->pending == 0)
        return 0;   /* nothing changed: no commit, no record rewritten */
    if (sw_commit(ix->sw, err, errlen) < 0)
        return -1;
    ix->pending = 0;
    /* Behind by a commit or more, the reader may find its blocks reused. */
    if (ix->reader)
        xc_db_reopen(ix->reader, NULL, NULL);
    return 0;
}

/* Hands the built documents in list to their shards; rejections are said
 * and counted here. -1 on a fatal error (said). */
static int take_built(struct indexer *ix, struct built *list)
{
    int rc = 0;
    while (list) {
        struct built *b = list;
        list = b->next;
        b->next = NULL;
        if (rc < 0) {
            built_free(b);
            continue;
        }
        if (b->fatal) {
            fprintf(stderr, "indexer: out of memory\n");
            rc = -1;
        } else if (b->reject) {
            progress_reject(&ix->progress, b->where, b->line, b->reject);
            ix->n.rejected++;
        } else if (b->remove) {
            progress_note(&ix->progress, b->where, b->line,
                          "the page asks not to be indexed (robots noindex): kept out");
        } else {
            if (b->truncated)
                progress_note(&ix->progress, b->where, b->line,
                              "text longer than 4 MB: the rest is not indexed");
            if (b->lang_declared[0]) {
                char note[128];
                an_lang_overrule_note(b->lang_declared, note, sizeof note);
                progress_note(&ix->progress, b->where, b->line, note);
            }
        }
        if (rc < 0 || b->fatal || b->reject) {
            built_free(b);
            continue;
        }
        progress_tick(&ix->progress, &ix->n, b->where);
        if (sw_put(ix->sw, b) < 0)
            rc = -1;
    }
    return rc;
}

/* Takes what the workers built (waiting for one with wait), and commits
 * once a batch is written. */
static int pump(struct indexer *ix, int wait)
{
    char err[512];
    unsigned long pending = 0;
    if (take_built(ix, workers_take(ix->pool, wait)) < 0)
        return -1;
    sw_collect(ix->sw, &ix->n, &pending);
    if (pending + ix->pending >= ix->batch_size && commit_now(ix, err, sizeof err) < 0) {
        fprintf(stderr, "indexer: %s\n", err);
        return -1;
    }
    return 0;
}

/* Waits until everything queued is written; the shards' threads are then
 * idle and the database the main thread's. */
static int drain(struct indexer *ix)
{
    while (ix->pool && workers_busy(ix->pool))
        if (pump(ix, 1) < 0)
            return -1;
    if (ix->sw && sw_wait(ix->sw) < 0)
        return -1;
    if (ix->sw)
        sw_collect(ix->sw, &ix->n, NULL);
    return 0;
}

/* Room in the workers' queue, writing what they built meanwhile. */
static int make_room(struct indexer *ix)
{
    while (workers_full(ix->pool))
        if (pump(ix, 1) < 0)
            return -1;
    return 0;
}

/* After a job was queued (rc: how that went), what is built meanwhile. */
static int queued(struct indexer *ix, int rc)
{
    if (rc < 0) {
        fprintf(stderr, "indexer: out of memory\n");
        return -1;
    }
    return pump(ix, 0);
}

int writer_page(struct indexer *ix, const char *path, const char *id, const char *source)
{
    if (ix->prune) {
        char term[SCHEMA_TERM_MAX + 1];
        schema_id_term(id, term);
        if (seen_add(&ix->seen, term) < 0) {
            fprintf(stderr, "indexer: out of memory\n");
            return -1;
        }
    }
    if (source && ix->reader && iw_source_unchanged(ix->reader, id, source)) {
        ix->n.unchanged++;
        progress_tick(&ix->progress, &ix->n, path);
        return 0;
    }
    if (make_room(ix) < 0)
        return -1;
    return queued(ix, workers_page(ix->pool, path, id, source));
}

int writer_doc(struct indexer *ix, struct doc *d, const char *where, unsigned long line)
{
    if (!d->url && page_default_url(d, ix->page.base_url) < 0) {
        fprintf(stderr, "indexer: out of memory\n");
        return -1;
    }
    if (make_room(ix) < 0)
        return -1;
    return queued(ix, workers_doc(ix->pool, d, where, line));
}

int writer_delete(struct indexer *ix, const char *id, char *err, size_t errlen)
{
    lib_error why = {0};
    /* After the page's own last version, if one is on its way. */
    if (drain(ix) < 0) {
        snprintf(err, errlen, "a document could not be written");
        return -2;
    }
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

struct prune_scan {
    struct indexer *ix;
    char **terms;       /* id terms of this index not met in this run */
    size_t n, cap;
};

static int collect_unseen(void *ctx, const char *term, size_t len, unsigned freq)
{
    (void)len;
    (void)freq;
    struct prune_scan *p = ctx;
    if (seen_has(&p->ix->seen, term))
        return 0;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        char **t = realloc(p->terms, cap * sizeof *t);
        if (!t)
            return 1;
        p->terms = t;
        p->cap = cap;
    }
    p->terms[p->n] = strdup(term);
    p->n += p->terms[p->n] != NULL;
    return 0;
}

/* The id of the document with this id term when it came from the folder
 * origin (its source signature starts with it), else NULL; malloc'd. */
static char *id_from_origin(xc_wdb *db, const char *term, const char *origin)
{
    xc_doc *d = NULL;
    char *src = NULL, *data = NULL, *id = NULL;
    size_t len = 0, dlen = 0, olen = strlen(origin);
    if (xc_wdb_get_by_term(db, term, &d, NULL) == 0 &&
        xc_doc_get_value(d, SLOT_SOURCE, &src, &len, NULL) == 0 && len > olen &&
        strncmp(src, origin, olen) == 0 && src[olen] == '|' &&
        xc_doc_get_data(d, &data, &dlen, NULL) == 0) {
        json_t *j = NULL;
        (void)doc_data_decode(&j, NULL, NULL, NULL, data, dlen);
        const char *s = json_string_value(json_object_get(j, "id"));
        id = s ? strdup(s) : NULL;
        json_decref(j);
    }
    free(src);
    free(data);
    xc_doc_free(d);
    return id;
}

/* Documents from JSON lines, PUT or other folders are left alone. */
int writer_prune(struct indexer *ix, const char *origin)
{
    struct prune_scan p = {ix, NULL, 0, 0};
    if (drain(ix) < 0)
        return -1;
    int rc = xc_wdb_each_term(ix->db, SCHEMA_ID, collect_unseen, &p, NULL) < 0 ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < p.n; i++) {
        char err[512], *id = id_from_origin(ix->db, p.terms[i], origin);
        if (id && writer_delete(ix, id, err, sizeof err) < 0) {
            fprintf(stderr, "indexer: %s\n", err);
            rc = -1;
        }
        free(id);
    }
    for (size_t i = 0; i < p.n; i++)
        free(p.terms[i]);
    free(p.terms);
    return rc;
}

int writer_commit(struct indexer *ix, char *err, size_t errlen)
{
    if (drain(ix) < 0) {
        snprintf(err, errlen, "a document could not be written");
        return -1;
    }
    return commit_now(ix, err, errlen);
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
    if (ix->into_one)
        return 1;
    if (ix->compact == COMPACT_NEVER)
        return 0;
    if (ix->compact == COMPACT_ALWAYS)
        return 1;
    return changed && (ix->rebuild || ix->started_empty);
}

/* Commits into an index that holds documents leave its B-tree blocks about
 * half full: a compacted copy is some 40 % smaller and quicker to search.
 * Shards written in parallel for one database are merged into it here.
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
    if (gen_compact(ix->db_path, from, from + 1, ix->into_one, &why) < 0) {
        fprintf(stderr, "indexer: the index stays as written: %s\n", why.message);
        return 0;
    }
    char path[4096];
    gen_path(ix->db_path, from + 1, path, sizeof path);
    if (!ix->quiet)
        printf("compacted the index%s: %.1f MB to %.1f MB in %.1f s\n",
               ix->into_one ? " (its shards, written in parallel, merged into one)" : "",
               before / 1e6, gen_disk_usage(path) / 1e6, progress_now() - started);
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
    /* The workers' last documents first, so that the run's counts are whole. */
    if (drain(ix) < 0) {
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
    int rc = writer_commit(ix, err, errlen);   /* drains the workers first */
    stop_threads(ix);
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
            return start_threads(ix, err, errlen);
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
    workers_stop(ix->pool);
    ix->pool = NULL;
    stop_threads(ix);
    xc_wdb_free(ix->db);
    ix->db = NULL;
}
