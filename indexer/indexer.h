/* indexer.h: the indexer's internal interfaces. main.c parses the command
 * line and builds one struct indexer; sources.c walks SOURCEs and turns
 * files and lines into docs; writer.c puts docs into the index in batches;
 * progress.c reports on a terminal and prints the summary line.
 */
#ifndef INDEXER_H
#define INDEXER_H

#include "analysis.h"
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

struct pipeline;

/* When a run ends by compacting the index (writer.c). */
enum compact_when {
    COMPACT_AUTO = 0,   /* when the run filled the index from empty */
    COMPACT_ALWAYS,
    COMPACT_NEVER
};

struct indexer {
    const char *db_path;    /* the index folder (generations and stub) */
    char write_path[4096];  /* the generation written to */
    int rebuild;            /* fill a new generation, switch at the end */
    unsigned shards;        /* for a new index or generation; 0: as it is (or 1) */
    unsigned new_gen;       /* with rebuild: its number */
    enum compact_when compact;
    int started_empty;      /* the index held no document when opened */
    unsigned uncompacted;   /* with rebuild: the generation written, once
                               compacted into new_gen (removed at the switch) */
    const char *base_url;   /* for pages without <link rel="canonical"> */
    const char *synonyms;   /* the editors' synonyms file, or NULL */
    enum an_mode mode;      /* the analysis the index is built with */
    const struct lexicon *lex; /* full analysis: the compiled lexicon, shared by
                                  every worker */
    int quiet;
    int prune;              /* delete pages of a SOURCE folder that are gone */
    struct seen seen;       /* with prune: the id terms met in this run */
    unsigned batch_size;    /* documents per commit */
    int jobs;               /* worker threads building documents */
    struct pipeline *pl;    /* while indexing */
    xc_wdb *db;
    unsigned pending;       /* changes since the last commit */
    struct counts n;
    struct progress progress;
};

/* writer.c */
int  writer_open(struct indexer *ix, char *err, size_t errlen);
/* 1 deleted, 0 not there, -2 fatal. */
int  writer_delete(struct indexer *ix, const char *id, char *err, size_t errlen);
/* Commits once every submitted document is written (drains the pipeline). */
int  writer_commit(struct indexer *ix, char *err, size_t errlen);
/* Commits what is written so far (the pipeline's own batch commits). */
int  writer_commit_now(struct indexer *ix, char *err, size_t errlen);
/* The last commit of a run, with what is derived from the whole index (the
 * completions table) when anything changed; with rebuild, the switch to the
 * new generation. */
int  writer_finish(struct indexer *ix, char *err, size_t errlen);
/* Commits and lets go of the index (and its write lock) between a watch's
 * batches; reacquire opens the live generation again. */
int  writer_release(struct indexer *ix, char *err, size_t errlen);
int  writer_reacquire(struct indexer *ix, char *err, size_t errlen);
void writer_close(struct indexer *ix);

/* sources.c: indexes one SOURCE (directory, .html file, .jsonl file, "-").
 * Rejected documents are reported on stderr and counted; returns -1 only on
 * a fatal error (message printed). */
int  sources_index(struct indexer *ix, const char *source);
/* pipeline.c: workers build documents, the main thread writes them. */
int  pipeline_start(struct indexer *ix, char *err, size_t errlen);
int  pipeline_page(struct indexer *ix, const char *path, const char *id, const char *source);
/* Takes d (left empty). */
int  pipeline_doc(struct indexer *ix, struct doc *d, const char *where, unsigned long line);
/* Waits until everything submitted is written; -1 after a fatal error. */
int  pipeline_drain(struct indexer *ix);
void pipeline_stop(struct indexer *ix);

/* sources.c, for the workers */
int  sources_read_file(const char *path, char **out, size_t *len, char *err, size_t errlen);
/* Sets what a page cannot say itself: id, source, and type and URL if absent. */
int  sources_finish_page(struct indexer *ix, struct doc *d, const char *id, const char *path,
                         const char *source);

/* Indexes the page at path (id: its path below the folder origin). */
int  sources_page(struct indexer *ix, const char *origin, const char *path, const char *id);
/* Prints the document extracted from one page as JSON (for --extract). */
int  sources_extract(const char *path, FILE *out);

/* watch.c: indexes dir, then follows its changes (inotify) until SIGTERM
 * or SIGINT; returns the exit code. */
int  watch_run(struct indexer *ix, const char *dir);

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

#endif
