/* pipeline.c: the indexer's use of every core. Worker threads read and
 * extract pages and build their Xapian documents (the analysis included),
 * each with an analyzer of its own; the main thread, the only one touching
 * the index, checks each built document against the indexed version and
 * writes it. Jobs wait in a bounded queue, so memory stays flat whatever
 * the corpus; results come back in a list the main thread empties whenever
 * it submits, and waits on only when the job queue is full. */
#include "indexer.h"

#include "buf.h"
#include "html_extract.h"
#include "index_write.h"
#include "schema.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define QUEUE_MAX 64

struct job {
    char *path;              /* a page to read, or NULL */
    char *id, *source;
    struct doc doc;          /* a document already parsed (JSON lines) */
    char *where;
    unsigned long line;
    struct job *next;
};

struct result {
    char *where;
    unsigned long line;
    char *reject;            /* why the document was rejected, or NULL */
    int fatal;
    int truncated;           /* indexed, but only its first DOC_BODY_MAX bytes */
    xc_doc *xd;
    char *id, *source;
    char hash[17];
    struct buf words;        /* NUL-separated, for the spelling data */
    struct result *next;
};

struct worker_arg {
    struct pipeline *pl;
    int k;                   /* its analyzer */
};

struct pipeline {
    pthread_mutex_t lock;
    pthread_cond_t work;     /* a job is waiting, or stop */
    pthread_cond_t done;     /* a result is waiting, or a job left the queue */
    struct job *jobs, *jobs_tail;
    size_t njobs, busy;      /* queued, and being built by a worker */
    struct result *results, *results_tail;
    int stop;
    struct indexer *ix;
    pthread_t *threads;
    struct analyzer **an;
    struct worker_arg *args;
    int n;
};

static void job_free(struct job *j)
{
    if (!j)
        return;
    free(j->path);
    free(j->id);
    free(j->source);
    free(j->where);
    doc_dispose(&j->doc);
    free(j);
}

static void result_free(struct result *r)
{
    if (!r)
        return;
    free(r->where);
    free(r->reject);
    free(r->id);
    free(r->source);
    xc_doc_free(r->xd);
    buf_dispose(&r->words);
    free(r);
}

static int collect_word(void *ctx, const char *word, size_t len)
{
    struct buf *b = ctx;
    return buf_append(b, word, len) < 0 || buf_putc(b, '\0') < 0 ? -1 : 0;
}

/* A worker's part: page → doc → Xapian document. */
static void build(struct pipeline *pl, struct analyzer *an, struct job *j, struct result *r)
{
    char err[512] = "";
    struct doc *d = &j->doc;
    if (j->path) {
        char *html = NULL;
        size_t len = 0;
        lib_error why = {0};
        if (sources_read_file(j->path, &html, &len, err, sizeof err) < 0) {
            r->reject = strdup(err);
        } else if (html_extract(d, html, len, &why) < 0) {
            r->reject = strdup(why.message);
        } else if (sources_finish_page(pl->ix, d, j->id, j->path, j->source) < 0) {
            r->fatal = 1;
        }
        free(html);
    }
    if (!r->reject && !r->fatal && (!d->id || (!d->title && !d->body)))
        r->reject = strdup(d->id ? "the document has no title and no text"
                                 : "the document has no id");
    if (r->reject || r->fatal)
        return;
    xc_error xe = {0};
    if (schema_build(&r->xd, r->hash, an, collect_word, &r->words, d, NULL, &xe) < 0) {
        if (xe.code == XC_E_NOMEM)
            r->fatal = 1;
        else
            r->reject = strdup(xe.message);
    }
    r->id = strdup(d->id);
    r->source = d->source ? strdup(d->source) : NULL;
    r->truncated = d->truncated;
    an_trim(an);
}

static void *worker(void *p)
{
    struct worker_arg *arg = p;
    struct pipeline *pl = arg->pl;
    int k = arg->k;
    pthread_mutex_lock(&pl->lock);
    for (;;) {
        while (!pl->jobs && !pl->stop)
            pthread_cond_wait(&pl->work, &pl->lock);
        if (!pl->jobs)
            break;
        struct job *j = pl->jobs;
        pl->jobs = j->next;
        if (!pl->jobs)
            pl->jobs_tail = NULL;
        pl->njobs--;
        pl->busy++;
        pthread_cond_broadcast(&pl->done);
        pthread_mutex_unlock(&pl->lock);
        struct result *r = calloc(1, sizeof *r);
        if (r) {
            r->where = strdup(j->path ? j->path : j->where ? j->where : "");
            r->line = j->line;
            build(pl, pl->an[k], j, r);
        }
        job_free(j);
        pthread_mutex_lock(&pl->lock);
        pl->busy--;
        if (r) {
            if (pl->results_tail)
                pl->results_tail->next = r;
            else
                pl->results = r;
            pl->results_tail = r;
        }
        pthread_cond_broadcast(&pl->done);
    }
    pthread_mutex_unlock(&pl->lock);
    return NULL;
}

/* The main thread's part: write one built document. -1 on a fatal error. */
static int write_result(struct indexer *ix, struct result *r)
{
    char err[512];
    lib_error why = {0};
    if (r->fatal) {
        fprintf(stderr, "indexer: out of memory\n");
        return -1;
    }
    if (r->reject) {
        progress_reject(&ix->progress, r->where, r->line, r->reject);
        ix->n.rejected++;
        return 0;
    }
    enum iw_result result;
    if (iw_put_built(&result, ix->db, r->id, r->xd, r->hash, r->source, r->words.data,
                     r->words.len, &why) < 0) {
        fprintf(stderr, "indexer: %s\n", why.message);
        return -1;
    }
    if (r->truncated)
        progress_note(&ix->progress, r->where, r->line, "text longer than 4 MB: the rest is "
                                                        "not indexed");
    if (result == IW_UNCHANGED) {
        ix->n.unchanged++;
    } else {
        ix->n.indexed++;
        ix->pending++;
    }
    progress_tick(&ix->progress, &ix->n, r->where);
    if (ix->pending >= ix->batch_size && writer_commit_now(ix, err, sizeof err) < 0) {
        fprintf(stderr, "indexer: %s\n", err);
        return -1;
    }
    return 0;
}

/* Writes the results waiting (called with the lock held; drops it while
 * writing). */
static int take_results(struct pipeline *pl)
{
    int rc = 0;
    while (pl->results) {
        struct result *r = pl->results;
        pl->results = NULL;
        pl->results_tail = NULL;
        pthread_mutex_unlock(&pl->lock);
        while (r) {
            struct result *next = r->next;
            if (rc == 0)
                rc = write_result(pl->ix, r);
            result_free(r);
            r = next;
        }
        pthread_mutex_lock(&pl->lock);
    }
    return rc;
}

static int submit(struct indexer *ix, struct job *j)
{
    struct pipeline *pl = ix->pl;
    pthread_mutex_lock(&pl->lock);
    int rc = take_results(pl);
    while (rc == 0 && pl->njobs >= QUEUE_MAX) {
        pthread_cond_wait(&pl->done, &pl->lock);
        rc = take_results(pl);
    }
    if (pl->jobs_tail)
        pl->jobs_tail->next = j;
    else
        pl->jobs = j;
    pl->jobs_tail = j;
    pl->njobs++;
    pthread_cond_signal(&pl->work);
    pthread_mutex_unlock(&pl->lock);
    return rc;
}

int pipeline_page(struct indexer *ix, const char *path, const char *id, const char *source)
{
    struct job *j = calloc(1, sizeof *j);
    if (!j || !(j->path = strdup(path)) || !(j->id = strdup(id)) ||
        (source && !(j->source = strdup(source)))) {
        if (j)
            job_free(j);
        fprintf(stderr, "indexer: out of memory\n");
        return -1;
    }
    return submit(ix, j);
}

int pipeline_doc(struct indexer *ix, struct doc *d, const char *where, unsigned long line)
{
    struct job *j = calloc(1, sizeof *j);
    if (!j || !(j->where = strdup(where))) {
        free(j);
        fprintf(stderr, "indexer: out of memory\n");
        return -1;
    }
    j->doc = *d;   /* taken */
    memset(d, 0, sizeof *d);
    j->line = line;
    return submit(ix, j);
}

int pipeline_drain(struct indexer *ix)
{
    struct pipeline *pl = ix->pl;
    if (!pl)
        return 0;
    pthread_mutex_lock(&pl->lock);
    int rc = take_results(pl);
    while (pl->njobs || pl->busy || pl->results) {
        if (!pl->results)
            pthread_cond_wait(&pl->done, &pl->lock);
        int r = take_results(pl);
        rc = rc ? rc : r;
    }
    pthread_mutex_unlock(&pl->lock);
    return rc;
}

int pipeline_start(struct indexer *ix, char *err, size_t errlen)
{
    struct pipeline *pl = calloc(1, sizeof *pl);
    int n = ix->jobs;
    if (!pl || !(pl->threads = calloc((size_t)n, sizeof *pl->threads)) ||
        !(pl->an = calloc((size_t)n, sizeof *pl->an)) ||
        !(pl->args = calloc((size_t)n, sizeof *pl->args))) {
        if (pl) {
            free(pl->threads);
            free(pl->an);
        }
        free(pl);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    pthread_mutex_init(&pl->lock, NULL);
    pthread_cond_init(&pl->work, NULL);
    pthread_cond_init(&pl->done, NULL);
    pl->ix = ix;
    ix->pl = pl;
    for (int k = 0; k < n; k++) {
        lib_error le;
        if (an_new(&pl->an[k], ix->mode, ix->lex, &le) < 0) {
            snprintf(err, errlen, "%s", le.message);
            return -1;
        }
    }
    for (int k = 0; k < n; k++) {
        pl->args[k] = (struct worker_arg){pl, k};
        if (pthread_create(&pl->threads[k], NULL, worker, &pl->args[k]) != 0) {
            snprintf(err, errlen, "cannot start a worker thread");
            return -1;
        }
        pl->n = k + 1;
    }
    return 0;
}

void pipeline_stop(struct indexer *ix)
{
    struct pipeline *pl = ix->pl;
    if (!pl)
        return;
    pthread_mutex_lock(&pl->lock);
    pl->stop = 1;
    pthread_cond_broadcast(&pl->work);
    pthread_mutex_unlock(&pl->lock);
    for (int k = 0; k < pl->n; k++)
        pthread_join(pl->threads[k], NULL);
    while (pl->jobs) {
        struct job *j = pl->jobs;
        pl->jobs = j->next;
        job_free(j);
    }
    while (pl->results) {
        struct result *r = pl->results;
        pl->results = r->next;
        result_free(r);
    }
    for (int k = 0; k < ix->jobs; k++)
        an_free(pl->an[k]);
    free(pl->an);
    free(pl->args);
    free(pl->threads);
    pthread_mutex_destroy(&pl->lock);
    pthread_cond_destroy(&pl->work);
    pthread_cond_destroy(&pl->done);
    free(pl);
    ix->pl = NULL;
}
