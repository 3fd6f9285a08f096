/* shard_writer.c: a thread per shard of the index writing the documents
 * that belong to it, so that Xapian's work (inverting, and merging at each
 * commit) runs on as many cores as there are shards. Each thread has a
 * bounded queue; a commit waits until every queue is written, lets each
 * thread commit its own shard, and records the revisions that belong
 * together once all have (see xc_wdb_commit_record): a reader of the index
 * never sees one shard's batch without the others'. */
#include "indexer.h"

#include "index_write.h"
#include "schema.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SHARD_QUEUE_MAX 32

struct shard {
    struct shard_writers *sw;
    unsigned i;
    pthread_t thread;
    struct built *queue, *tail;
    size_t queued;
    int busy;              /* writing one it took from the queue */
    int commit;            /* asked to commit; cleared once done */
    unsigned long written, unchanged, deleted, pending;
};

struct shard_writers {
    xc_wdb *db;
    pthread_mutex_t lock;
    pthread_cond_t work;   /* something queued, a commit asked, or stop */
    pthread_cond_t done;   /* a queue shrank, or a commit ended */
    struct shard *shards;
    unsigned n, started;
    int stop;
    int failed;            /* a write or commit failed (said on stderr) */
};

/* Writes one document; with the lock not held. */
static int write_one(struct shard_writers *sw, struct shard *s, struct built *b)
{
    enum iw_result result;
    lib_error why = {0};
    if (b->remove) {
        int rc = iw_delete(sw->db, b->id, &why);
        if (rc < 0) {
            fprintf(stderr, "indexer: %s\n", why.message);
            return -1;
        }
        pthread_mutex_lock(&sw->lock);
        s->deleted += rc;
        s->pending += rc;
        pthread_mutex_unlock(&sw->lock);
        return 0;
    }
    if (iw_put_built(&result, sw->db, b->id, b->xd, b->hash, b->source, b->words.data,
                     b->words.len, &why) < 0) {
        fprintf(stderr, "indexer: %s\n", why.message);
        return -1;
    }
    pthread_mutex_lock(&sw->lock);
    if (result == IW_UNCHANGED) {
        s->unchanged++;
    } else {
        s->written++;
        s->pending++;
    }
    pthread_mutex_unlock(&sw->lock);
    return 0;
}

static void *shard_thread(void *p)
{
    struct shard *s = p;
    struct shard_writers *sw = s->sw;
    pthread_mutex_lock(&sw->lock);
    for (;;) {
        while (!s->queue && !s->commit && !sw->stop)
            pthread_cond_wait(&sw->work, &sw->lock);
        if (s->queue) {
            struct built *b = s->queue;
            s->queue = b->next;
            if (!s->queue)
                s->tail = NULL;
            s->queued--;
            s->busy = 1;
            int failed = sw->failed;
            pthread_mutex_unlock(&sw->lock);
            int rc = failed ? 0 : write_one(sw, s, b);
            built_free(b);
            pthread_mutex_lock(&sw->lock);
            s->busy = 0;
            if (rc < 0)
                sw->failed = 1;
            pthread_cond_broadcast(&sw->done);
        } else if (s->commit) {
            pthread_mutex_unlock(&sw->lock);
            xc_error xe = {0};
            int rc = xc_wdb_commit_shard(sw->db, s->i, &xe);
            if (rc < 0)
                fprintf(stderr, "indexer: cannot commit to the index: %s\n", xe.message);
            pthread_mutex_lock(&sw->lock);
            if (rc < 0)
                sw->failed = 1;
            else
                s->pending = 0;
            s->commit = 0;
            pthread_cond_broadcast(&sw->done);
        } else {
            break;   /* stop, with nothing left to write */
        }
    }
    pthread_mutex_unlock(&sw->lock);
    return NULL;
}

int sw_start(struct shard_writers **out, xc_wdb *db, char *err, size_t errlen)
{
    struct shard_writers *sw = calloc(1, sizeof *sw);
    unsigned n = xc_wdb_shard_count(db);
    *out = NULL;
    if (!sw || !(sw->shards = calloc(n, sizeof *sw->shards))) {
        free(sw);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    sw->db = db;
    sw->n = n;
    pthread_mutex_init(&sw->lock, NULL);
    pthread_cond_init(&sw->work, NULL);
    pthread_cond_init(&sw->done, NULL);
    *out = sw;
    for (unsigned i = 0; i < n; i++) {
        sw->shards[i] = (struct shard){.sw = sw, .i = i};
        if (pthread_create(&sw->shards[i].thread, NULL, shard_thread, &sw->shards[i]) != 0) {
            snprintf(err, errlen, "cannot start a writer thread");
            return -1;
        }
        sw->started = i + 1;
    }
    return 0;
}

int sw_put(struct shard_writers *sw, struct built *b)
{
    char idterm[SCHEMA_TERM_MAX + 1];
    schema_id_term(b->id, idterm);
    struct shard *s = &sw->shards[xc_wdb_shard_of(sw->db, idterm)];
    b->next = NULL;
    pthread_mutex_lock(&sw->lock);
    while (!sw->failed && s->queued >= SHARD_QUEUE_MAX)
        pthread_cond_wait(&sw->done, &sw->lock);
    int failed = sw->failed;
    if (!failed) {
        if (s->tail)
            s->tail->next = b;
        else
            s->queue = b;
        s->tail = b;
        s->queued++;
        pthread_cond_broadcast(&sw->work);
    }
    pthread_mutex_unlock(&sw->lock);
    if (failed)
        built_free(b);
    return failed ? -1 : 0;
}

/* Whether every thread has written its queue (lock held). */
static int all_idle(const struct shard_writers *sw)
{
    for (unsigned i = 0; i < sw->n; i++)
        if (sw->shards[i].queue || sw->shards[i].busy || sw->shards[i].commit)
            return 0;
    return 1;
}

/* Waits, the lock held, until every thread has written its queue. */
static void wait_idle(struct shard_writers *sw)
{
    while (!all_idle(sw))
        pthread_cond_wait(&sw->done, &sw->lock);
}

int sw_wait(struct shard_writers *sw)
{
    pthread_mutex_lock(&sw->lock);
    wait_idle(sw);
    int failed = sw->failed;
    pthread_mutex_unlock(&sw->lock);
    return failed ? -1 : 0;
}

int sw_commit(struct shard_writers *sw, char *err, size_t errlen)
{
    pthread_mutex_lock(&sw->lock);
    wait_idle(sw);
    for (unsigned i = 0; !sw->failed && i < sw->n; i++)
        sw->shards[i].commit = 1;
    pthread_cond_broadcast(&sw->work);
    wait_idle(sw);
    int failed = sw->failed;
    pthread_mutex_unlock(&sw->lock);
    xc_error xe = {0};
    if (failed) {
        snprintf(err, errlen, "a document could not be written or committed");
        return -1;
    }
    if (xc_wdb_commit_record(sw->db, &xe) < 0) {
        snprintf(err, errlen, "cannot commit to the index: %s", xe.message);
        return -1;
    }
    return 0;
}

void sw_collect(struct shard_writers *sw, struct counts *n, unsigned long *pending)
{
    unsigned long sum = 0;
    pthread_mutex_lock(&sw->lock);
    for (unsigned i = 0; i < sw->n; i++) {
        struct shard *s = &sw->shards[i];
        n->indexed += s->written;
        n->unchanged += s->unchanged;
        n->deleted += s->deleted;
        s->written = s->unchanged = s->deleted = 0;
        sum += s->pending;
    }
    pthread_mutex_unlock(&sw->lock);
    if (pending)
        *pending = sum;
}

void sw_stop(struct shard_writers *sw)
{
    if (!sw)
        return;
    pthread_mutex_lock(&sw->lock);
    sw->stop = 1;
    sw->failed = 1;   /* what is still queued is dropped, not written */
    pthread_cond_broadcast(&sw->work);
    pthread_mutex_unlock(&sw->lock);
    for (unsigned i = 0; i < sw->started; i++)
        pthread_join(sw->shards[i].thread, NULL);
    for (unsigned i = 0; i < sw->n; i++) {
        while (sw->shards[i].queue) {
            struct built *b = sw->shards[i].queue;
            sw->shards[i].queue = b->next;
            built_free(b);
        }
    }
    free(sw->shards);
    pthread_mutex_destroy(&sw->lock);
    pthread_cond_destroy(&sw->work);
    pthread_cond_destroy(&sw->done);
    free(sw);
}
