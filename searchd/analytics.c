/* analytics.c: the statistics' queue and its writer thread (analytics.h).
 * Request threads append events to a list under a mutex and go on; the
 * writer takes the whole list every ANALYTICS_FLUSH_MS, or sooner when it
 * holds ANALYTICS_BATCH events or a report asks for it, and writes it in
 * one transaction. So a search costs a malloc and a lock whatever the disk
 * does, and a busy second costs one commit. The writer alone normalises
 * queries, touches the file and applies the rare-query rule. */
#include "analytics.h"

#include "analytics_pending.h"
#include "analytics_store.h"
#include "error.h"
#include "query_norm.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANALYTICS_FLUSH_MS 1000   /* the longest an event waits to be written */
#define ANALYTICS_BATCH 1024      /* events that wake the writer before that */
#define ANALYTICS_QUEUE_MAX 16384 /* events queued at most; more are dropped */
#define SYNC_WAIT_MS 5000         /* a report waits this long for the writer */
#define BATCH_DAYS 4              /* days a batch adds to before it writes them */

/* One search (rank 0) or click, as the request gave it. */
struct event {
    struct event *next;
    time_t when;
    unsigned rank;
    int no_hits;
    char q[];
};

/* A query whose counts this batch writes. */
struct dirty {
    uint64_t key;
    long day;
    char *q;   /* normalised */
};

struct analytics {
    char *path;
    unsigned keep_days;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;          /* the writer: events, a sync, or stop */
    pthread_cond_t written_cond;  /* a sync: a batch is written */
    /* under lock */
    struct event *head, **tail;
    size_t queued;
    unsigned long long queued_seq, written_seq;   /* events queued / written so far */
    int sync_wanted, stopping;
    /* the writer's own */
    struct store *store;
    struct pending *pending;
    long today;
    long kept_today;              /* query texts kept for today */
    long text_today;              /* and their bytes */
    struct dirty *dirty;
    size_t n_dirty, cap_dirty;
    time_t day_minute;            /* localtime per minute, not per event */
    long day_of_minute;
    time_t failed_at;             /* the last failure said on stderr */
    /* any thread */
    atomic_ulong written, dropped, failed;
};

static struct timespec deadline(unsigned ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

/* Day boundaries fall on whole minutes in every time zone in use. */
static long day_of(struct analytics *a, time_t when)
{
    if (when / 60 != a->day_minute) {
        a->day_minute = when / 60;
        a->day_of_minute = analytics_day(when);
    }
    return a->day_of_minute;
}

/* A new day (or the first): the days past keeping are deleted and the
 * memory of the days before forgotten. */
static void new_day(struct analytics *a, long today)
{
    if (store_forget_before(a->store, today - (long)a->keep_days + 1) < 0)
        fprintf(stderr, "searchd: statistics: cannot delete old days: %s\n",
                store_error(a->store));
    pending_forget_before(a->pending, today);
    if (store_kept_on(&a->kept_today, &a->text_today, a->store, today) < 0)
        a->kept_today = a->text_today = 0;
    a->today = today;
}

static void add(struct counts *to, const struct counts *c)
{
    to->searches += c->searches;
    to->no_hits += c->no_hits;
    to->clicks += c->clicks;
    to->rank_sum += c->rank_sum;
}

/* Room for one more query text of len bytes on day: the bound of the file's
 * size even when every query is long and searched just three times. */
static int room_on(struct analytics *a, long day, size_t len)
{
    long kept = a->kept_today, text = a->text_today;
    if (day != a->today && store_kept_on(&kept, &text, a->store, day) < 0)
        return 0;
    return kept < ANALYTICS_QUERIES_PER_DAY && text + (long)len <= ANALYTICS_TEXT_PER_DAY;
}

/* Event e's counts c for its normalised query q on day: to the file with
 * this batch when q's text is kept, else in memory, until the search that
 * makes it ANALYTICS_MIN_SEARCHES that day (then its text is kept). Takes q. */
static void count_query(struct analytics *a, long day, char *q, const struct counts *c)
{
    uint64_t key = pending_key(a->pending, day, q);
    struct pending_entry *pe;
    int made = pending_get(&pe, a->pending, key, day);
    if (made < 0) {   /* too many queries today: the day's totals count it */
        free(q);
        return;
    }
    if (made)   /* kept by an earlier run of searchd today */
        pe->kept = store_query_kept(a->store, day, q) == 1;
    add(&pe->c, c);
    if (!pe->kept && pe->c.searches >= ANALYTICS_MIN_SEARCHES && room_on(a, day, strlen(q))) {
        pe->kept = 1;
        if (day == a->today) {
            a->kept_today++;
            a->text_today += (long)strlen(q);
        }
    }
    if (!pe->kept || pe->dirty) {
        free(q);
        return;
    }
    if (a->n_dirty == a->cap_dirty) {
        size_t cap = a->cap_dirty ? 2 * a->cap_dirty : 64;
        struct dirty *d = realloc(a->dirty, cap * sizeof *d);
        if (!d) {   /* its counts wait in memory for the next batch */
            free(q);
            return;
        }
        a->dirty = d;
        a->cap_dirty = cap;
    }
    pe->dirty = 1;
    a->dirty[a->n_dirty++] = (struct dirty){key, day, q};
}

/* The counts of this batch's kept queries into the file. */
static int write_queries(struct analytics *a)
{
    int rc = 0;
    for (size_t i = 0; i < a->n_dirty; i++) {
        struct dirty *d = &a->dirty[i];
        struct pending_entry *pe;
        int made = pending_get(&pe, a->pending, d->key, d->day);
        if (rc == 0 && made == 0)
            rc = store_add_query(a->store, d->day, d->q, &pe->c);
        if (made >= 0) {
            pe->c = (struct counts){0, 0, 0, 0};
            pe->dirty = 0;
        }
        free(d->q);
    }
    a->n_dirty = 0;
    return rc;
}

struct day_total {
    long day;
    struct counts c;
};

/* Adds c to day's totals in t, writing them first when t is full. */
static int add_total(struct analytics *a, struct day_total *t, size_t *n, long day,
                     const struct counts *c)
{
    size_t i = 0;
    while (i < *n && t[i].day != day)
        i++;
    int rc = 0;
    if (i == BATCH_DAYS) {   /* the clock jumped about: write what is there */
        for (size_t k = 0; k < *n && rc == 0; k++)
            rc = store_add_day(a->store, t[k].day, &t[k].c);
        *n = i = 0;
    }
    if (i == *n)
        t[(*n)++] = (struct day_total){day, {0, 0, 0, 0}};
    add(&t[i].c, c);
    return rc;
}

/* A batch of events into the file in one transaction; frees them. */
static void write_batch(struct analytics *a, struct event *list)
{
    long today = analytics_day(time(NULL));
    if (today != a->today)
        new_day(a, today);
    if (!list)
        return;
    struct day_total totals[BATCH_DAYS];
    size_t n_totals = 0;
    unsigned long n = 0;
    int rc = store_begin(a->store);
    while (list) {
        struct event *e = list;
        list = e->next;
        n++;
        long day = day_of(a, e->when);
        struct counts c = {e->rank == 0, e->rank == 0 && e->no_hits, e->rank != 0, e->rank};
        if (rc == 0)
            rc = add_total(a, totals, &n_totals, day, &c);
        char *q = NULL;
        if (rc == 0 && query_norm(&q, e->q, strlen(e->q)) == 0 && *q)
            count_query(a, day, q, &c);
        else
            free(q);
        free(e);
    }
    for (size_t i = 0; i < n_totals && rc == 0; i++)
        rc = store_add_day(a->store, totals[i].day, &totals[i].c);
    int qrc = write_queries(a);
    if (rc == 0 && qrc == 0 && store_commit(a->store) == 0) {
        atomic_fetch_add_explicit(&a->written, n, memory_order_relaxed);
        return;
    }
    /* Said at most once a minute: a full disk must not flood the log. */
    time_t now = time(NULL);
    if (now - a->failed_at >= 60) {
        fprintf(stderr, "searchd: statistics: cannot write %s: %s (%lu events lost)\n",
                a->path, store_error(a->store), n);
        a->failed_at = now;
    }
    store_rollback(a->store);
    atomic_fetch_add_explicit(&a->failed, n, memory_order_relaxed);
}

static void *writer(void *arg)
{
    struct analytics *a = arg;
    pthread_mutex_lock(&a->lock);
    for (;;) {
        struct timespec until = deadline(ANALYTICS_FLUSH_MS);
        while (!a->stopping && !a->sync_wanted && a->queued < ANALYTICS_BATCH)
            if (pthread_cond_timedwait(&a->wake, &a->lock, &until) == ETIMEDOUT)
                break;
        struct event *list = a->head;
        unsigned long long seq = a->queued_seq;
        int stopping = a->stopping;
        a->head = NULL;
        a->tail = &a->head;
        a->queued = 0;
        a->sync_wanted = 0;
        pthread_mutex_unlock(&a->lock);
        write_batch(a, list);
        pthread_mutex_lock(&a->lock);
        a->written_seq = seq;
        pthread_cond_broadcast(&a->written_cond);
        if (stopping)
            break;
    }
    pthread_mutex_unlock(&a->lock);
    return NULL;
}


/* Everything a has but its thread (stopped, or never started). */
static void release(struct analytics *a)
{
    for (size_t i = 0; i < a->n_dirty; i++)
        free(a->dirty[i].q);
    free(a->dirty);
    pthread_cond_destroy(&a->wake);
    pthread_cond_destroy(&a->written_cond);
    pthread_mutex_destroy(&a->lock);
    pending_free(a->pending);
    store_free(a->store);
    free(a->path);
    free(a);
}
int analytics_open(struct analytics **out, const char *path, unsigned keep_days, char *err,
                   size_t errlen)
{
    *out = NULL;
    struct analytics *a = calloc(1, sizeof *a);
    if (!a || !(a->path = strdup(path))) {
        free(a);
        snprintf(err, errlen, "out of memory");
        return LIB_E_NOMEM;
    }
    a->keep_days = keep_days;
    a->tail = &a->head;
    a->today = -1;
    a->day_minute = -1;
    int rc = store_open(&a->store, path, err, errlen);
    if (rc == 0 && (rc = pending_new(&a->pending)) < 0)
        snprintf(err, errlen, "out of memory");
    if (rc < 0) {
        store_free(a->store);
        free(a->path);
        free(a);
        return rc;
    }
    /* The old days go before the first request, not at its first batch. */
    new_day(a, analytics_day(time(NULL)));
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&a->lock, NULL);
    pthread_cond_init(&a->wake, &ca);
    pthread_cond_init(&a->written_cond, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&a->thread, NULL, writer, a) != 0) {
        snprintf(err, errlen, "cannot start its thread");
        release(a);
        return LIB_E_NOMEM;
    }
    pthread_setname_np(a->thread, "stats-writer");   /* as top -H shows it */
    *out = a;
    return 0;
}

void analytics_free(struct analytics *a)
{
    if (!a)
        return;
    pthread_mutex_lock(&a->lock);
    a->stopping = 1;
    pthread_cond_signal(&a->wake);
    pthread_mutex_unlock(&a->lock);
    pthread_join(a->thread, NULL);
    release(a);
}

static void enqueue(struct analytics *a, const char *q, unsigned rank, int no_hits)
{
    size_t len = strlen(q);
    struct event *e = malloc(sizeof *e + len + 1);
    if (!e) {
        atomic_fetch_add_explicit(&a->dropped, 1, memory_order_relaxed);
        return;
    }
    e->next = NULL;
    e->when = time(NULL);
    e->rank = rank;
    e->no_hits = no_hits;
    memcpy(e->q, q, len + 1);
    pthread_mutex_lock(&a->lock);
    int full = a->queued >= ANALYTICS_QUEUE_MAX || a->stopping;
    if (!full) {
        *a->tail = e;
        a->tail = &e->next;
        a->queued_seq++;
        if (++a->queued == ANALYTICS_BATCH)
            pthread_cond_signal(&a->wake);
    }
    pthread_mutex_unlock(&a->lock);
    if (full) {
        free(e);
        atomic_fetch_add_explicit(&a->dropped, 1, memory_order_relaxed);
    }
}

void analytics_search(struct analytics *a, const char *q, unsigned long long hits)
{
    enqueue(a, q, 0, hits == 0);
}

void analytics_click(struct analytics *a, const char *q, unsigned rank)
{
    enqueue(a, q, rank ? rank : 1, 0);
}

int analytics_sync(struct analytics *a)
{
    struct timespec until = deadline(SYNC_WAIT_MS);
    pthread_mutex_lock(&a->lock);
    unsigned long long want = a->queued_seq;
    a->sync_wanted = 1;
    pthread_cond_signal(&a->wake);
    while (a->written_seq < want)
        if (pthread_cond_timedwait(&a->written_cond, &a->lock, &until) == ETIMEDOUT)
            break;
    int done = a->written_seq >= want;
    pthread_mutex_unlock(&a->lock);
    return done ? 0 : LIB_E_IO;
}

void analytics_counts(struct analytics_counts *out, const struct analytics *a)
{
    out->written = atomic_load_explicit(&a->written, memory_order_relaxed);
    out->dropped = atomic_load_explicit(&a->dropped, memory_order_relaxed);
    out->failed = atomic_load_explicit(&a->failed, memory_order_relaxed);
}

const char *analytics_file(const struct analytics *a)
{
    return a->path;
}
