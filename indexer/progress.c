/* progress.c: what the person running the indexer sees: a one-line status
 * redrawn at most five times a second on a terminal (never in a pipe or a
 * log), and the SPEC's closing summary line. */
#include "indexer.h"

#include <time.h>
#include <unistd.h>

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_start(struct progress *p, int quiet)
{
    p->enabled = !quiet && isatty(STDERR_FILENO);
    p->started = progress_now();
    p->last_draw = 0;
    p->bytes = 0;
}

void progress_tick(struct progress *p, const struct counts *n, const char *what)
{
    if (!p->enabled)
        return;
    double now = progress_now();
    if (now - p->last_draw < 0.2)
        return;
    p->last_draw = now;
    double secs = now - p->started;
    unsigned long done = n->indexed + n->unchanged + n->rejected;
    fprintf(stderr, "\r\033[K%lu documents, %.0f docs/s, %.1f MB read: %.60s", done,
            secs > 0 ? (double)done / secs : 0.0, (double)p->bytes / 1e6, what);
    fflush(stderr);
}

void progress_clear(struct progress *p)
{
    if (p->enabled && p->last_draw > 0) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->last_draw = 0;
    }
}

void progress_summary(const struct progress *p, const struct counts *n, FILE *out)
{
    double secs = progress_now() - p->started;
    unsigned long done = n->indexed + n->unchanged;
    fprintf(out, "indexed %lu, unchanged %lu, deleted %lu, rejected %lu in %.2f s (%.0f docs/s)\n",
            n->indexed, n->unchanged, n->deleted, n->rejected, secs,
            secs > 0 ? (double)done / secs : 0.0);
}
