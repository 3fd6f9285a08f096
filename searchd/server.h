/* server.h: searchd's shared state and internal interfaces.
 * request → http.c (routing) → route_*.c → reader.c (this thread's Xapian
 * reader and analyzer) and lib/search.c → reply.c (every answer, errors
 * included). Calls go that way only. struct server is built in main and is
 * read-only while serving; each thread's reader is its own.
 */
#ifndef SERVER_H
#define SERVER_H

#include "analysis.h"
#include "analytics.h"
#include "error.h"
#include "facets.h"
#include "listener.h"
#include "search.h"
#include "metrics.h"
#include "shard_watch.h"
#include "static_files.h"
#include "xapian_c.h"

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

/* facet_cache.c: the facet table of the index version searched, loaded once
 * and shared by the threads (a reader's table matches its own version). */
struct facet_share;
struct facet_cache {
    pthread_mutex_t lock;
    pthread_cond_t loaded;          /* signalled when a load ends */
    struct facet_share *current;    /* the table loaded last, or NULL */
    unsigned long long loading;     /* the version a thread is loading; 0: none */
    atomic_ulong *loads;            /* counted for /metrics */
};
int  facet_cache_init(struct facet_cache *c, atomic_ulong *loads);
void facet_cache_dispose(struct facet_cache *c);
/* The table of db at version (xc_db_version; 0: unknown, not shared) into
 * *out, a reference the caller gives back with facet_cache_put. 0 or -1. */
int  facet_cache_get(struct facet_share **out, struct facet_cache *c, xc_db *db,
                     unsigned long long version);
const struct facet_table *facet_share_table(const struct facet_share *s);
/* Gives a reference back; s may be NULL. */
void facet_cache_put(struct facet_cache *c, struct facet_share *s);

/* Built in main; read-only while serving, except the atomics (the metrics,
 * the requests in flight and the stop) and the facet cache. */
struct server {
    const char *db_path;
    const char *cors_origin;      /* NULL: no CORS headers */
    char *admin_token;            /* NULL: write endpoints disabled (403) */
    pthread_key_t reader_key;     /* this thread's struct reader */
    struct lexicon *lex;          /* the compiled Swedish lexicon: opened by main,
                                     read-only to every thread's analyzer */
    struct listener *listener;    /* accepts, and hands each connection to a daemon */
    struct MHD_Daemon **daemons;  /* libmicrohttpd's, one per server thread */
    unsigned ndaemons;
    struct static_files www;      /* the search page and openapi.json */
    struct metrics metrics;
    FILE *access_log;             /* NULL: requests are not logged */
    unsigned shard_timeout_ms;    /* a remote shard's calls fail after this */
    unsigned count_limit;         /* matches counted exactly (search.h) */
    unsigned count_thread_from;   /* a search expected to match this many is
                                     counted on a second thread while at most
                                     half the cores are searching (search.h);
                                     0: never */
    unsigned cores;
    atomic_uint searching;        /* searches running now */
    int remote;                   /* the index names remote shards: read-only here */
    struct shard_watch *watch;    /* which remote shards are up; NULL without them */
    const char *doc_reader;       /* docread, which reads a document that is PUT
                                     (docfile.h); NULL when it is missing */
    struct analytics *analytics;  /* search statistics (--analytics); NULL: off */
    /* SIGTERM drains by these rather than by MHD_quiesce_daemon, whose
     * epoll path races its own worker threads and aborts the process
     * (libmicrohttpd 0.9.75): */
    atomic_int stopping;          /* set once: new requests get 503, every
                                     answer closes its connection */
    atomic_int in_flight;         /* requests taken before the stop, not yet sent */
    struct facet_cache facets;    /* shared by the readers; locked inside */
    struct posting_cache *postings;   /* the words' lists in memory, shared by
                                         the threads (--posting-cache); locked
                                         inside; NULL: none */
};

/* One per server thread, made on its first request, freed with the thread.
 * The analyzer follows the index's analysis mode, and the synonyms its
 * metadata, both reread when the index changes. */
struct reader {
    const struct lexicon *lex;    /* the server's */
    xc_db *db;                    /* NULL until the index could be opened */
    xc_db *count_db;              /* a second reader of a local index, on which
                                     a search's count runs beside its
                                     ranking; NULL: none (--count-thread-from
                                     0, remote shards, or it could not be
                                     opened) */
    int remote;                   /* it names remote shards: facets by value, rank
                                     from the documents (facets.h) */
    unsigned char *shard_up;      /* by shard, as this reader last saw it */
    struct analyzer *an;
    json_t *synonyms;             /* NULL when the index has none */
    struct best_bets *best_bets;  /* the editors' rules; NULL when none */
    int best_bets_dated;          /* a rule has campaign days: answers change
                                     with the day (no revalidation) */
    json_t *completions;          /* prefix → top words, or NULL */
    struct facet_cache *facet_cache;   /* the server's */
    struct facet_share *facets;   /* every document's facet values, of this
                                     reader's version; NULL over remote shards */
    int sampled;                  /* every document carries its samples (search.h) */
    int tiered;                   /* a local index whose documents carry their
                                     impact tiers (tier.h) */
    int facets_together;          /* every document carries its facets in one
                                     slot (facets.h): remote shards count them
                                     with one value a match */
    struct schema_langs langs;    /* the index's languages besides Swedish */
    struct doc_text text;         /* the hits' texts, kept between searches */
    unsigned long long version;   /* of the index when its metadata was read */
    unsigned long long stamp;     /* of the generation stub when opened */
};

struct request {
    struct server *srv;
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    enum route_id route;
    double started_ms;
    const char *body;             /* PUT's or POST's body (not NUL-terminated) */
    size_t body_len;
};

/* access_log.c: the request's line in the access log (Common Log Format and
 * the milliseconds taken; no header, no body). */
void access_log_write(FILE *log, struct request *r, unsigned status, size_t bytes, double ms);

/* http.c: the access handler given to libmicrohttpd: routes each request. */
enum MHD_Result http_handle(void *cls, struct MHD_Connection *conn, const char *url,
                            const char *method, const char *version,
                            const char *upload_data, size_t *upload_data_size,
                            void **con_cls);
/* Called by libmicrohttpd when a request is done: frees its context. */
void http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                    enum MHD_RequestTerminationCode toe);

/* reply.c: reading a request's arguments and writing every answer. */
double clock_ms(void);   /* a monotonic clock, for timings */
/* A query-string argument, or NULL. */
const char *request_arg(struct request *r, const char *name);
/* Bytes of the query string's names and values (its length, about). */
size_t request_args_len(struct request *r);
enum MHD_Result reply_json(struct request *r, unsigned status, json_t *body);
/* A JSON answer that may be cached and revalidated with etag (If-None-Match
 * answers 304 without a body). */
enum MHD_Result reply_json_etag(struct request *r, json_t *body, const char *etag);
/* The ETag an answer over this index version (xc_db_version) and these
 * arguments has; 0 and a 304 already queued in *ret when the client holds it. */
int  reply_etag_check(struct request *r, unsigned long long version, char etag[40],
                      enum MHD_Result *ret);
/* Any other body (malloc'd, taken) with its Content-Type. */
enum MHD_Result reply_text(struct request *r, unsigned status, char *text,
                           const char *content_type);
/* One of the page's files, revalidated by its ETag. */
enum MHD_Result reply_static(struct request *r, const struct static_file *f);
/* {"error":{"status","message"}}; 503 with Retry-After, 405 with Allow. */
enum MHD_Result reply_error(struct request *r, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A 405 naming the methods the path allows. */
enum MHD_Result reply_405(struct request *r, const char *allow);
/* The one answer to an error code from lib or xapian-c: 503 "busy" for a
 * revision overwritten, a shard lost, an unreadable index or the write lock
 * held (Retry-After: the client tries again); 500 out of memory; else 404
 * not found, 400 invalid, 503 for a file that could not be written, 500,
 * with "what: detail" (what may be NULL). */
enum MHD_Result reply_index_error(struct request *r, int code, const char *what,
                                  const char *detail);

/* admin_token.c: 0 when the request carries the admin token, else -1 with
 * the answer (403 without a token file, else 401) queued in *ret. */
int  request_authorised(struct request *r, enum MHD_Result *ret);

/* reader.c */
int  reader_key_create(struct server *srv);
/* After the server threads ended: the key and the analysis lock. */
void reader_key_delete(struct server *srv);
/* This thread's reader, opened or reopened at the newest index revision;
 * NULL with a reason in err when the index cannot be opened. */
struct reader *reader_get(struct server *srv, char *err, size_t errlen);
/* Opens the index once to count documents (for the start-up line) and tell
 * whether it names remote shards (warning on stderr of those down); a local
 * index's facet table goes into facets (NULL: not read), for the first
 * searches to find. */
int  reader_count(const char *db_path, unsigned timeout_ms, struct facet_cache *facets,
                  unsigned *count, int *remote, char *err, size_t errlen);
/* The shards this reader searches without (down), as a JSON array of names;
 * NULL when none is. */
json_t *reader_missing(struct reader *rd);

/* route_*.c */
enum MHD_Result route_search(struct request *r);
enum MHD_Result route_suggest(struct request *r);
enum MHD_Result route_metrics(struct request *r);
enum MHD_Result route_document_get(struct request *r, const char *id);
enum MHD_Result route_document_put(struct request *r, const char *id, const char *body,
                                   size_t len);
enum MHD_Result route_document_delete(struct request *r, const char *id);
enum MHD_Result route_healthz(struct request *r);
/* route_analytics.c: POST /api/click (a body of CLICK_BODY_MAX bytes at
 * most: http.c answers 413 past it) and GET /api/analytics. */
#define CLICK_BODY_MAX 4096
enum MHD_Result route_click(struct request *r, const char *body, size_t len);
enum MHD_Result route_analytics(struct request *r);

#endif
