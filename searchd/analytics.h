/* analytics.h: search statistics (searchd --analytics FILE), an SQLite
 * file written off the request path. A request thread only queues an event
 * (the query as typed, and whether it found anything, or a click's rank):
 * a lock and a copy, never the disk, and when the queue is full the event is
 * dropped and counted rather than waited for. One writer thread writes
 * the queue about every second in one transaction (analytics.c): the
 * queries normalised (lib/query_norm), every event in its day's totals, and
 * a query's text only once it was searched ANALYTICS_MIN_SEARCHES times
 * that day (analytics_pending.c): the text of a rarer query never reaches
 * the file. Nothing about the visitor (address, headers, cookies) is ever
 * given to it. GET /api/analytics reads the file on a connection of its own
 * (analytics_report.c).
 */
#ifndef ANALYTICS_H
#define ANALYTICS_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

#define ANALYTICS_DAYS 400             /* days kept by default (--analytics-days) */
#define ANALYTICS_MIN_SEARCHES 3       /* a day's searches before a query's text is kept */
#define ANALYTICS_QUERIES_PER_DAY 8000 /* query texts kept a day at most, */
#define ANALYTICS_TEXT_PER_DAY 262144  /* and their bytes: a year stays under 200 MB */
#define ANALYTICS_RANK_MAX 1000000     /* a click's rank: pages × hits a page at most */

struct analytics;

/* What /metrics tells: events written, dropped because the queue was full,
 * and lost with a write that failed. */
struct analytics_counts {
    unsigned long written, dropped, failed;
};

/* Opens (or makes) the file at path, deletes the days older than keep_days
 * (today is one of them) and starts the writer thread; call with the
 * signals the main thread waits for blocked. 0, or a negative code with
 * the reason in err. */
int  analytics_open(struct analytics **out, const char *path, unsigned keep_days, char *err,
                    size_t errlen);
/* Writes what is queued, stops the writer and closes the file; NULL is
 * fine. Call once no request can queue more. */
void analytics_free(struct analytics *a);

/* A search for q (as typed; NUL-terminated) answered with hits matches. */
void analytics_search(struct analytics *a, const char *q, unsigned long long hits);
/* A click on the hit at rank (from 1) of the answer to q. */
void analytics_click(struct analytics *a, const char *q, unsigned rank);

/* Waits (a few seconds at most) until every event queued before the call
 * is in the file: 0, or LIB_E_IO when the writer did not get there. */
int  analytics_sync(struct analytics *a);
void analytics_counts(struct analytics_counts *out, const struct analytics *a);
const char *analytics_file(const struct analytics *a);

/* Days as the statistics keep them: a local date as days since 1970-01-01. */
long analytics_day(time_t t);
/* day as YYYY-MM-DD. */
void analytics_day_text(char out[11], long day);
/* YYYY-MM-DD (a real date) into *out: 0, or LIB_E_INVALID. */
int  analytics_day_parse(long *out, const char *text);

/* analytics_report.c: the report of days from..to (inclusive) after a sync:
 * totals, click-through rate, mean clicked rank, every day's counts, and
 * the limit queries most searched, most often without hits, and most
 * searched with hits but never clicked (searchd/www/openapi.json,
 * AnalyticsAnswer). 0, or a negative code with the reason in err. */
int  analytics_report(json_t **out, struct analytics *a, long from, long to, unsigned limit,
                      char *err, size_t errlen);

#endif
