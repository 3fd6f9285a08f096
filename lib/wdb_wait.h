/* wdb_wait.h: opening an index for writing while another process may hold
 * its lock. The indexer and searchd's editor writes take turns on one index:
 * each waits a while for the other rather than failing at once.
 */
#ifndef WDB_WAIT_H
#define WDB_WAIT_H

#include "error.h"
#include "xapian_c.h"

/* xc_wdb_open, tried again every 50 ms for up to wait_ms while another
 * writer holds the lock. 0, or a negative code (LIB_E_LOCK when the wait
 * ran out) with err filled. */
int wdb_open_waiting(xc_wdb **out, const char *path, int mode, unsigned wait_ms,
                     lib_error *err);

#endif
