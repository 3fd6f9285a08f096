/* shard_watch.c: the watching thread of shard_watch.h. It owns a Xapian
 * handle of its own on the index; what it shares with the server threads
 * is an atomic flag per shard and the shards' names, fixed at start. Each
 * change it sees is logged on stderr for the operators. */
#include "shard_watch.h"

#include "xapian_c.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK_EVERY_MS 1000

struct shard_watch {
    xc_db *db;                 /* the watching thread's own */
    unsigned n;
    char **names;              /* by shard; fixed after start */
    atomic_int *up;            /* by shard: 1 up, written by the thread and watch_lost */
    int *seen_up;              /* by shard: the thread's own last view, for the log */
    pthread_t thread;
    int started;
    pthread_mutex_t lock;      /* guards stop, with wake */
    pthread_cond_t wake;
    int stop;
};

/* Publishes what the thread's handle sees; logs what changed. */
static void publish(struct shard_watch *w)
{
    for (unsigned i = 0; i < w->n; i++) {
        xc_shard_info si;
        if (xc_db_shard_info(w->db, i, &si) < 0)
            continue;
        atomic_store(&w->up[i], si.up);
        if (si.up != w->seen_up[i]) {
            if (si.up)
                fprintf(stderr, "searchd: shard %s answers again: searched again\n", si.name);
            else
                fprintf(stderr, "searchd: shard %s is down (%s): answers are partial\n", si.name,
                        si.error);
            w->seen_up[i] = si.up;
        }
    }
}

static void *watch_main(void *arg)
{
    struct shard_watch *w = arg;
    pthread_mutex_lock(&w->lock);
    while (!w->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += (long)(CHECK_EVERY_MS % 1000) * 1000000L;
        until.tv_sec += CHECK_EVERY_MS / 1000 + until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        while (!w->stop && pthread_cond_timedwait(&w->wake, &w->lock, &until) == 0)
            ;
        if (w->stop)
            break;
        pthread_mutex_unlock(&w->lock);
        int changed = 0;
        xc_db_check_shards(w->db, &changed, NULL);
        publish(w);
        pthread_mutex_lock(&w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

static void watch_free(struct shard_watch *w)
{
    if (!w)
        return;
    for (unsigned i = 0; w->names && i < w->n; i++)
        free(w->names[i]);
    free(w->names);
    free(w->up);
    free(w->seen_up);
    xc_db_free(w->db);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    free(w);
}

int watch_start(struct shard_watch **out, const char *db_path, unsigned timeout_ms, char *err,
                size_t errlen)
{
    *out = NULL;
    struct shard_watch *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    xc_error xe = {0};
    if (xc_db_open_timeout(&w->db, db_path, timeout_ms, 1, &xe) < 0) {
        snprintf(err, errlen, "%s", xe.message);
        watch_free(w);
        return -1;
    }
    w->n = xc_db_shard_count(w->db);
    w->names = calloc(w->n, sizeof *w->names);
    w->up = calloc(w->n, sizeof *w->up);
    w->seen_up = calloc(w->n, sizeof *w->seen_up);
    for (unsigned i = 0; w->names && i < w->n; i++) {
        xc_shard_info si;
        xc_db_shard_info(w->db, i, &si);
        w->names[i] = strdup(si.name);
        w->seen_up[i] = 1;   /* so that a shard down at start is logged */
        if (!w->names[i])
            break;
    }
    int ok = w->names && w->up && w->seen_up && (w->n == 0 || w->names[w->n - 1]);
    if (ok) {
        publish(w);
        ok = pthread_create(&w->thread, NULL, watch_main, w) == 0;
        w->started = ok;
    }
    if (!ok) {
        snprintf(err, errlen, "out of memory");
        watch_free(w);
        return -1;
    }
    *out = w;
    return 0;
}

void watch_stop(struct shard_watch *w)
{
    if (!w)
        return;
    if (w->started) {
        pthread_mutex_lock(&w->lock);
        w->stop = 1;
        pthread_cond_signal(&w->wake);
        pthread_mutex_unlock(&w->lock);
        pthread_join(w->thread, NULL);
    }
    watch_free(w);
}

unsigned watch_count(const struct shard_watch *w)
{
    return w ? w->n : 0;
}

int watch_up(const struct shard_watch *w, unsigned i)
{
    return !w || i >= w->n || atomic_load(&w->up[i]);
}

void watch_lost(struct shard_watch *w, unsigned i)
{
    if (w && i < w->n)
        atomic_store(&w->up[i], 0);
}

json_t *watch_missing(const struct shard_watch *w)
{
    json_t *a = json_array();
    for (unsigned i = 0; a && w && i < w->n; i++)
        if (!atomic_load(&w->up[i]))
            json_array_append_new(a, json_string(w->names[i]));
    return a;
}
