/* shard_watch.h: which remote shards of the index are up, for every server
 * thread. A thread of its own checks each remote shard every second (a
 * round trip to those up, a connection attempt to those down, each bounded
 * by the shard timeout) and publishes the result; readers follow it, so a
 * request never waits to learn that a shard is down, and a shard that comes
 * back is searched again within about a second. A reader whose call failed
 * on a shard says so here at once, for the other threads.
 */
#ifndef SHARD_WATCH_H
#define SHARD_WATCH_H

#include <jansson.h>
#include <stddef.h>

struct shard_watch;

/* Opens the index at db_path (stub naming remote shards) and starts
 * watching; 0, or -1 with err. */
int  watch_start(struct shard_watch **out, const char *db_path, unsigned timeout_ms, char *err,
                 size_t errlen);
/* Stops the thread and frees; NULL is fine. */
void watch_stop(struct shard_watch *w);

/* How many shards the index has. */
unsigned watch_count(const struct shard_watch *w);
/* 1 when shard i is up (a local shard always is). */
int  watch_up(const struct shard_watch *w, unsigned i);
/* A reader's call failed on shard i: down for every thread until the next
 * check finds it answering. */
void watch_lost(struct shard_watch *w, unsigned i);
/* The names (HOST:PORT) of the shards down now, as a JSON array. */
json_t *watch_missing(const struct shard_watch *w);

#endif
