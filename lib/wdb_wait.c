/* wdb_wait.c: see wdb_wait.h. Xapian can block on the lock itself
 * (DB_RETRY_LOCK), but without a limit: a request or a run would hang for
 * as long as the other writer works. */
#include "wdb_wait.h"

#include <time.h>

#define WAIT_STEP_MS 50

int wdb_open_waiting(xc_wdb **out, const char *path, int mode, unsigned wait_ms,
                     lib_error *err)
{
    for (unsigned waited = 0;; waited += WAIT_STEP_MS) {
        int rc = xc_wdb_open(out, path, mode, err);
        if (rc != LIB_E_LOCK || waited >= wait_ms)
            return rc;
        struct timespec ts = {0, WAIT_STEP_MS * 1000L * 1000L};
        nanosleep(&ts, NULL);
    }
}
