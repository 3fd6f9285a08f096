/* workers.c: the indexer's use of every core for the work before writing.
 * Worker threads read and extract pages and build their Xapian documents
 * (the analysis included), each with an analyzer of its own. Jobs wait in
 * a bounded queue, so memory stays flat whatever the corpus; built
 * documents wait in a list the caller takes whenever it likes. The pool
 * knows nothing of the index: it only reads options fixed before it starts. */
#include "indexer.h"

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

struct worker_arg {
    struct workers *w;
    int k;                   /* its analyzer */
};

struct workers {
    pthread_mutex_t lock;
    pthread_cond_t work;     /* a job is waiting, or stop */
    pthread_cond_t done;     /* a document is built */
    struct job *jobs, *jobs_tail;
    size_t njobs, busy;      /* queued, and being built */
    struct built *built, *built_tail;
    int stop;
    const struct page_options *opt;
    pthread_t *threads;
    struct analyzer **an;
    struct worker_arg *args;
    int n, started;
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

static int collect_word(void *ctx, const char *word, size_t len)
{
    struct buf *b = ctx;
    return buf_append(b, word, len) < 0 || buf_putc(b, '\0') < 0 ? -1 : 0;
}

/* A worker's part: page → doc → Xapian document. */
static void build(const struct page_options *opt, struct analyzer *an, struct job *j,
                  struct built *r)
{
    char err[512] = "";
    struct doc *d = &j->doc;
    if (j->path) {
        int rc = page_build(d, opt, j->path, j->id, j->source, err, sizeof err);
        if (rc == -2)
            r->fatal = 1;
        else if (rc < 0)
            r->reject = strdup(err);
    }
    if (!r->reject && !r->fatal && (!d->id || (!d->title && !d->body)))
        r->reject = strdup(d->id ? "the document has no title and no text"
                                 : "the document has no id");
    if (r->reject || r->fatal)
        return;
    if (d->noindex) {   /* kept out, and out of the index if it was in */
        r->remove = 1;
        if (!(r->id = strdup(d->id)))
            r->fatal = 1;
        return;
    }
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
    memcpy(r->lang_declared, d->lang_declared, sizeof r->lang_declared);
    if (!r->id || (d->source && !r->source))
        r->fatal = 1;
    an_trim(an);
}

static void *worker(void *p)
{
    struct worker_arg *arg = p;
    struct workers *w = arg->w;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->jobs && !w->stop)
            pthread_cond_wait(&w->work, &w->lock);
        if (!w->jobs)
            break;
        struct job *j = w->jobs;
        w->jobs = j->next;
        if (!w->jobs)
            w->jobs_tail = NULL;
        w->njobs--;
        w->busy++;
        pthread_mutex_unlock(&w->lock);
        struct built *r = calloc(1, sizeof *r);
        if (r) {
            r->line = j->line;
            if (!(r->where = strdup(j->path ? j->path : j->where ? j->where : "")))
                r->fatal = 1;
            else
                build(w->opt, w->an[arg->k], j, r);
        }
        job_free(j);
        pthread_mutex_lock(&w->lock);
        w->busy--;
        if (r) {
            if (w->built_tail)
                w->built_tail->next = r;
            else
                w->built = r;
            w->built_tail = r;
        }
        pthread_cond_broadcast(&w->done);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

static int submit(struct workers *w, struct job *j)
{
    pthread_mutex_lock(&w->lock);
    if (w->jobs_tail)
        w->jobs_tail->next = j;
    else
        w->jobs = j;
    w->jobs_tail = j;
    w->njobs++;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->lock);
    return 0;
}

int workers_full(struct workers *w)
{
    pthread_mutex_lock(&w->lock);
    int full = w->njobs >= QUEUE_MAX;
    pthread_mutex_unlock(&w->lock);
    return full;
}

int workers_page(struct workers *w, const char *path, const char *id, const char *source)
{
    struct job *j = calloc(1, sizeof *j);
    if (!j || !(j->path = strdup(path)) || !(j->id = strdup(id)) ||
        (source && !(j->source = strdup(source)))) {
        job_free(j);
        return -1;
    }
    return submit(w, j);
}

int workers_doc(struct workers *w, struct doc *d, const char *where, unsigned long line)
{
    struct job *j = calloc(1, sizeof *j);
    if (!j || !(j->where = strdup(where))) {
        free(j);
        return -1;
    }
    j->doc = *d;   /* taken */
    memset(d, 0, sizeof *d);
    j->line = line;
    return submit(w, j);
}

struct built *workers_take(struct workers *w, int wait)
{
    pthread_mutex_lock(&w->lock);
    while (wait && !w->built && (w->njobs || w->busy))
        pthread_cond_wait(&w->done, &w->lock);
    struct built *list = w->built;
    w->built = w->built_tail = NULL;
    pthread_mutex_unlock(&w->lock);
    return list;
}

int workers_busy(struct workers *w)
{
    pthread_mutex_lock(&w->lock);
    int busy = w->njobs || w->busy || w->built;
    pthread_mutex_unlock(&w->lock);
    return busy;
}

int workers_start(struct workers **out, const struct page_options *opt, int n, char *err,
                  size_t errlen)
{
    struct workers *w = calloc(1, sizeof *w);
    *out = NULL;
    if (!w || !(w->threads = calloc((size_t)n, sizeof *w->threads)) ||
        !(w->an = calloc((size_t)n, sizeof *w->an)) ||
        !(w->args = calloc((size_t)n, sizeof *w->args))) {
        if (w) {
            free(w->threads);
            free(w->an);
        }
        free(w);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->work, NULL);
    pthread_cond_init(&w->done, NULL);
    w->opt = opt;
    w->n = n;
    *out = w;
    for (int k = 0; k < n; k++) {
        lib_error le;
        if (an_new(&w->an[k], opt->mode, opt->lex, &le) < 0) {
            snprintf(err, errlen, "%s", le.message);
            return -1;
        }
    }
    for (int k = 0; k < n; k++) {
        w->args[k] = (struct worker_arg){w, k};
        if (pthread_create(&w->threads[k], NULL, worker, &w->args[k]) != 0) {
            snprintf(err, errlen, "cannot start a worker thread");
            return -1;
        }
        w->started = k + 1;
    }
    return 0;
}

void workers_stop(struct workers *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = 1;
    pthread_cond_broadcast(&w->work);
    pthread_mutex_unlock(&w->lock);
    for (int k = 0; k < w->started; k++)
        pthread_join(w->threads[k], NULL);
    while (w->jobs) {
        struct job *j = w->jobs;
        w->jobs = j->next;
        job_free(j);
    }
    while (w->built) {
        struct built *r = w->built;
        w->built = r->next;
        built_free(r);
    }
    for (int k = 0; k < w->n; k++)
        an_free(w->an[k]);
    free(w->an);
    free(w->args);
    free(w->threads);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->work);
    pthread_cond_destroy(&w->done);
    free(w);
}
