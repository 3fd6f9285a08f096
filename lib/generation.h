/* generation.h: an index folder holds generations of the index and a Xapian
 * stub file naming the live one:
 *     DIR/XAPIANDB     "glass gen-000003"   (Xapian opens DIR through it)
 *     DIR/gen-000003/  the live index
 *     DIR/live         -> gen-000003 (a symbolic link, switched with the stub)
 * or, sharded, a line per shard ("glass gen-000003/shard-0", …) and the
 * shards in DIR/gen-000003/shard-N/, which Xapian opens as one index.
 * A rebuild fills the next generation beside the live one and switches the
 * stub with an atomic rename, so a reader sees the old index or the new one,
 * never a half-built one. A folder that is a plain Xapian index (made before
 * generations) is used as it is.
 */
#ifndef GENERATION_H
#define GENERATION_H

#include "error.h"

#include <stddef.h>

#define GEN_STUB "XAPIANDB"
#define GEN_LIVE_LINK "live"   /* a symbolic link to the live generation */

/* The live generation's path into out; for a new folder, when create is not
 * 0, creates its first generation (with `create` shards) and the stub. 0, or
 * LIB_E_NOTFOUND (no index and create 0) or LIB_E_IO, with err. */
int gen_live(char *out, size_t outlen, const char *dir, unsigned create, lib_error *err);

/* How many shards the live generation has (1: one database; 0: no index). */
unsigned gen_shards(const char *dir);

/* The live generation's number (0 for a plain index or none). */
unsigned gen_current(const char *dir);

/* The folder of generation gen of the index folder dir, into out. */
void gen_path(const char *dir, unsigned gen, char *out, size_t outlen);

/* Makes an empty next generation with `shards` shards (0: as many as the
 * live one), removing a leftover one of a rebuild that was cut off; its path
 * into out and number into *gen. 0, or a negative code with err
 * (LIB_E_INVALID for a plain index, which has no generations). */
int gen_next(char *out, size_t outlen, unsigned *gen, const char *dir, unsigned shards,
             lib_error *err);

/* Writes a compacted copy of generation `from` (committed; its writer may
 * still hold it) as generation `to`, made afresh: full B-tree blocks, where
 * commits into an existing index leave them about half full; with into_one,
 * its shards merged into one database. 0, or a negative code with err, `to`
 * then removed. */
int gen_compact(const char *dir, unsigned from, unsigned to, int into_one, lib_error *err);

/* Removes generation gen: one that never went live, or that no reader has. */
void gen_remove(const char *dir, unsigned gen);

/* Bytes on disk below path (a generation, an index folder). */
unsigned long long gen_disk_usage(const char *path);

/* Points the stub at generation gen (atomic rename). 0, or LIB_E_IO with err. */
int gen_switch(const char *dir, unsigned gen, lib_error *err);

/* Removes generations older than keep_from (readers still on keep_from - 1
 * after a switch keep theirs until their next request). */
void gen_remove_older(const char *dir, unsigned keep_from);

/* A cheap token that changes when the stub is switched (its inode and
 * modification time), for readers to notice a rebuild. */
unsigned long long gen_stamp(const char *dir);

#endif
