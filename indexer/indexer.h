/* indexer.h: the indexer's internal interfaces. Calls go one way:
 *   main.c        the command line, one struct indexer, the run's modes
 *   sources.c     what to read: folders walked, JSON lines, single pages
 *   watch.c       a folder followed as it changes (a source that lasts)
 *   writer.c      batches, commits, --prune, deletes, the index's metadata
 *   shard_writer.c  a thread per shard writing the built documents
 *   workers.c     a pool of threads that read, extract and analyse pages
 *   page.c        one file read and extracted into a doc
 * with built.c (the document a worker hands the writer), progress.c (what
 * the person running it sees) and seen.c (a set of strings) used by all.
 */
#ifndef INDEXER_H
#define INDEXER_H

#include "analysis.h"
#include "docfile.h"
#include "buf.h"
#include "doc.h"
#include "xapian_c.h"

#include <stdio.h>

struct counts {
    unsigned long indexed, unchanged, deleted, rejected;
};

#define REJECTS_KEPT 100   /* rejections recalled at the end of a run */

struct progress {
    int enabled;            /* a terminal, and not --quiet */
    double started;         /* seconds, monotonic */
    double last_draw;
    unsigned long long bytes;        /* of sources done */
    unsigned long long total_bytes;  /* of all sources, 0 when unknown (stdin) */
    char *rejects[REJECTS_KEPT];     /* "where: why", for the recap */
    size_t nrejects;
};

/* A set of strings (seen.c). */
struct seen {
    char **slots;
    size_t n, cap;
};
int  seen_add(struct seen *set, const char *s);
int  seen_has(const struct seen *set, const char *s);
/* Frees the strings and the table and empties set (the caller's). */
void seen_dispose(struct seen *set);

/* When a run ends by compacting the index (writer.c). */
enum compact_when {
    COMPACT_AUTO = 0,   /* when the run filled the index from empty */
    COMPACT_ALWAYS,
    COMPACT_NEVER
};

/* What the workers read: set before they start, never changed during a run. */
struct page_options {
    const char *base_url;      /* for pages without <link rel="canonical"> */
    enum an_mode mode;         /* the analysis the index is built with */
    const struct lexicon *lex; /* full analysis: the compiled lexicon */
    const char *doc_reader;    /* the docread program, or NULL when missing */
    struct docfile_limits doc_limits;   /* what reading one document may take */
};

/* A document a worker built, or why it could not (built.c). */
struct built {
    char *where;             /* the file, or the JSON lines' name */
    unsigned long line;
    char *reject;            /* why the document was rejected, or NULL */
    int fatal;               /* out of memory */
    int truncated;           /* indexed, but only its first DOC_BODY_MAX bytes */
    char lang_declared[DOC_LANG_MAX];   /* indexed as Swedish, not as this
                                           declared language (page.c) */
    int remove;              /* the page asks to be kept out (noindex): its id
                                is deleted, xd is NULL */
    xc_doc *xd;
    char *id, *source;
    char hash[17];
    struct buf words;        /* NUL-separated, for the spelling data */
    struct built *next;
};
void built_free(struct built *b);   /* b alone, not the ones after it */

struct workers;        /* workers.c */
struct shard_writers;  /* shard_writer.c */

/* The run: options from the command line, and state only the main thread
 * changes. */
struct indexer {
    const char *db_path;    /* the index folder (generations and stub) */
    struct page_options page;
    const char *synonyms;   /* the editors' synonyms file, or NULL */
    const char *best_bets;  /* the editors' best bets file, or NULL */
    int rebuild;            /* fill a new generation, switch at the end */
    unsigned shards;        /* for a new index or generation; 0: as it is, or
                               for a new one as suits the cores */
    enum compact_when compact;
    int quiet;
    int prune;              /* delete pages of a SOURCE folder that are gone */
    unsigned batch_size;    /* documents per commit */
    int jobs;               /* worker threads building documents */
    int writers;            /* threads writing an index of one shard filled
                               from empty: a shard each, merged at the end */

    char write_path[4096];  /* the generation written to */
    unsigned new_gen;       /* with rebuild: its number */
    int into_one;           /* the shards written are merged into one at the end */
    int started_empty;      /* the index held no document when opened */
    unsigned uncompacted;   /* with rebuild: the generation written, once
                               compacted into new_gen (removed at the switch) */
    struct seen seen;       /* with prune: the id terms met in this run */
    struct workers *pool;   /* while indexing */
    struct shard_writers *sw;
    xc_wdb *db;
    xc_db *reader;          /* the index as committed, for unchanged files */
    unsigned pending;       /* the main thread's changes since the last commit */
    struct counts n;
    struct progress progress;
};

/* writer.c */
int  writer_open(struct indexer *ix, char *err, size_t errlen);
/* Queues the page at path for the workers, unless the index holds it from
 * a file of this signature (source: folder, size and time; may be NULL). */
int  writer_page(struct indexer *ix, const char *path, const char *id, const char *source);
/* Queues a parsed document (taken: d is left empty). */
int  writer_doc(struct indexer *ix, struct doc *d, const char *where, unsigned long line);
/* 1 deleted, 0 not there, -2 fatal. */
int  writer_delete(struct indexer *ix, const char *id, char *err, size_t errlen);
/* --prune: deletes the pages from the folder origin not met in this run. */
int  writer_prune(struct indexer *ix, const char *origin);
/* Commits once every queued document is written. */
int  writer_commit(struct indexer *ix, char *err, size_t errlen);
/* The last commit of a run, with what is derived from the whole index (the
 * completions table) when anything changed; with rebuild, the switch to the
 * new generation. */
int  writer_finish(struct indexer *ix, char *err, size_t errlen);
/* Commits and lets go of the index (and its write lock) between a watch's
 * batches; reacquire opens the live generation again. */
int  writer_release(struct indexer *ix, char *err, size_t errlen);
int  writer_reacquire(struct indexer *ix, char *err, size_t errlen);
void writer_close(struct indexer *ix);

/* shard_writer.c: a thread per shard of db writes the documents of that
 * shard. Errors are said on stderr. */
int  sw_start(struct shard_writers **out, xc_wdb *db, char *err, size_t errlen);
/* Hands b (taken) to its shard's thread; waits while that one's queue is
 * full. -1 once a thread failed. */
int  sw_put(struct shard_writers *sw, struct built *b);
/* Waits until every thread has written what it was given; -1 once one failed. */
int  sw_wait(struct shard_writers *sw);
/* Commits every shard, each in its thread, then records their revisions. */
int  sw_commit(struct shard_writers *sw, char *err, size_t errlen);
/* Documents written (added or updated) and found unchanged since the last
 * call, added to *n; *pending: written since the last commit. */
void sw_collect(struct shard_writers *sw, struct counts *n, unsigned long *pending);
void sw_stop(struct shard_writers *sw);

/* workers.c: a pool of n threads building documents from pages and parsed
 * docs; built documents come back through workers_take. */
int  workers_start(struct workers **out, const struct page_options *opt, int n, char *err,
                   size_t errlen);
/* Whether the queue is full (take results before submitting more). */
int  workers_full(struct workers *w);
/* Queues a page (copied) or a parsed doc (taken); -1 when out of memory. */
int  workers_page(struct workers *w, const char *path, const char *id, const char *source);
int  workers_doc(struct workers *w, struct doc *d, const char *where, unsigned long line);
/* The documents built so far (a list, in no set order), NULL when none; with
 * wait, waits for one unless nothing is queued or being built. */
struct built *workers_take(struct workers *w, int wait);
/* Whether anything is queued, being built or waiting to be taken. */
int  workers_busy(struct workers *w);
void workers_stop(struct workers *w);

/* page.c: one file → a doc. */
/* Reads a whole file; -1 with the reason in err. */
int  page_read_file(const char *path, char **out, size_t *len, char *err, size_t errlen);
/* Reads and extracts the page at path into d, with id, source and what the
 * page cannot say itself (type and URL if absent). -1 with the reason in
 * err (rejected), -2 when out of memory. */
int  page_build(struct doc *d, const struct page_options *opt, const char *path, const char *id,
                const char *source, char *err, size_t errlen);
/* The URL of a document without one: base_url joined with its id. */
int  page_default_url(struct doc *d, const char *base_url);
/* Prints the document extracted from one page as JSON (for --extract). */
int  page_extract(const struct page_options *opt, const char *path, FILE *out);

/* sources.c: indexes one SOURCE (directory, .html file, .jsonl file, "-").
 * Rejected documents are reported on stderr and counted; returns -1 only on
 * a fatal error (message printed). */
int  sources_index(struct indexer *ix, const char *source);
/* Indexes the page at path (id: its path below the folder origin). */
int  sources_page(struct indexer *ix, const char *origin, const char *path, const char *id);

/* watch.c: indexes dir, then follows its changes (inotify) until SIGTERM
 * or SIGINT; returns the exit code. */
int  watch_run(struct indexer *ix, const char *dir);

/* fetch.c: the crawler's HTTP client (libcurl), one connection kept alive. */
struct fetch_options {
    const char *user_agent;
    long timeout_s;          /* a whole request */
    size_t max_bytes;        /* a body longer than this is not read */
    double delay_s;          /* from the end of one answer to the next request */
};
struct fetch_result {
    long status;             /* the HTTP status; 0 when there was no answer */
    char *body;              /* NUL-terminated (may hold NULs before len) */
    size_t len;
    char *content_type, *etag, *last_modified, *location, *x_robots_tag;
    int too_big;             /* the body passed max_bytes */
    char err[256];           /* why there is no answer */
};
struct fetcher;
int  fetcher_new(struct fetcher **out, const struct fetch_options *o);
/* GETs url (redirects answered, not followed), as a conditional request
 * when etag or last_modified is given; waits first for the delay since
 * the last answer ended. 0 with any status, -1 with r->err when there
 * was no answer or the body was too big. Dispose r either way. */
int  fetcher_get(struct fetcher *f, struct fetch_result *r, const char *url, const char *etag,
                 const char *last_modified);
/* Keeps at least delay_s between requests from now on (robots.txt's
 * Crawl-delay). */
void fetcher_slow_down(struct fetcher *f, double delay_s);
void fetch_result_dispose(struct fetch_result *r);
void fetcher_free(struct fetcher *f);

/* crawl.c: --crawl: the site read over HTTP from its start pages and
 * sitemaps, within each start's scope, robots.txt obeyed; an unchanged
 * page costs a conditional request (or none, when its sitemap says so). */
/* Who the crawler says it is (--user-agent): the product; a site adds its
 * own contact URL ("sitesearch-indexer/1.0 (+https://www.myndighet.se/sok)"),
 * and robots.txt names it by its first word. */
#define CRAWL_USER_AGENT "sitesearch-indexer/1.0"
struct crawl_options {
    const char *user_agent;
    double delay_s;          /* at least, between requests (robots.txt may ask more) */
    unsigned limit;          /* pages fetched at most */
    long timeout_s;
    size_t page_max_bytes;
};
struct crawl_counts {
    unsigned long fetched, not_modified, sitemap_unchanged, failed, gone, disallowed, skipped;
    unsigned long requests;
};
/* Crawls the start URLs into the index; returns the exit code (0, 1 when
 * pages failed or were rejected, 2 on a fatal error). */
int  crawl_run(struct indexer *ix, const struct crawl_options *o, char **starts, int n);

/* progress.c */
double progress_now(void);
void progress_start(struct progress *p, int quiet);
/* Sizes the run's sources (files and folders' pages) for the bar and ETA. */
void progress_measure(struct progress *p, char **sources, int n);
void progress_reject(struct progress *p, const char *where, unsigned long line, const char *why);
/* A document indexed with a remark (cut short, say), on stderr. */
void progress_note(struct progress *p, const char *where, unsigned long line, const char *what);
/* On a terminal, lists the rejected documents again after the summary. */
void progress_recap(struct progress *p, const struct counts *n);
/* Frees the recalled rejections; p itself is the caller's. */
void progress_dispose(struct progress *p);
void progress_tick(struct progress *p, const struct counts *n, const char *what);
void progress_clear(struct progress *p);
void progress_summary(const struct progress *p, const struct counts *n, FILE *out);
/* The crawl's line while it runs: pages fetched, not modified, failed, the
 * request rate and the URL at hand. */
void progress_crawl(struct progress *p, const struct crawl_counts *c, const char *url);

#endif
