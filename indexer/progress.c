/* progress.c: what the person running the indexer sees: on a terminal a
 * progress bar with rate and time left, redrawn at most five times a second
 * (never in a pipe or a log), the closing summary line that scripts and
 * tests read ("indexed N, unchanged U, deleted D, rejected R in T s (X
 * docs/s)"), and on a terminal a recap of the rejected documents, which
 * scrolled by. */
#include "indexer.h"

#include <fts.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
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
    p->total_bytes = 0;
}

static int is_page(const char *path)
{
    size_t n = strlen(path);
    return (n > 5 && strcasecmp(path + n - 5, ".html") == 0) ||
           (n > 4 && strcasecmp(path + n - 4, ".htm") == 0);
}

void progress_measure(struct progress *p, char **sources, int n)
{
    if (!p->enabled)
        return;
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(sources[i], "-") == 0) {
            p->total_bytes = 0;   /* unknown: no bar */
            return;
        }
        if (stat(sources[i], &st) < 0)
            continue;
        if (!S_ISDIR(st.st_mode)) {
            p->total_bytes += (unsigned long long)st.st_size;
            continue;
        }
        char *paths[] = {sources[i], NULL};
        FTS *fts = fts_open(paths, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
        FTSENT *e;
        while (fts && (e = fts_read(fts)))
            if (e->fts_info == FTS_F && is_page(e->fts_path))
                p->total_bytes += (unsigned long long)e->fts_statp->st_size;
        if (fts)
            fts_close(fts);
    }
}

/* Whether the line is to be drawn now (at most five times a second); the
 * seconds since the start into *secs. */
static int due(struct progress *p, double *secs)
{
    if (!p->enabled)
        return 0;
    double now = progress_now();
    if (now - p->last_draw < 0.2)
        return 0;
    p->last_draw = now;
    *secs = now - p->started;
    return 1;
}

void progress_tick(struct progress *p, const struct counts *n, const char *what)
{
    double secs;
    if (!due(p, &secs))
        return;
    unsigned long done = n->indexed + n->unchanged + n->rejected;
    double rate = secs > 0 ? (double)done / secs : 0.0;
    if (p->total_bytes && p->bytes <= p->total_bytes) {
        double frac = (double)p->bytes / (double)p->total_bytes;
        char bar[21];
        int fill = (int)(frac * 20);
        for (int i = 0; i < 20; i++)
            bar[i] = i < fill ? '#' : '-';
        bar[20] = '\0';
        double left = frac > 0.001 ? secs * (1 - frac) / frac : 0;
        fprintf(stderr, "\r\033[K[%s] %3.0f%%  %lu documents  %.0f docs/s  %.1f MB/s  "
                        "%d:%02d left  %.40s",
                bar, frac * 100, done, rate, secs > 0 ? (double)p->bytes / 1e6 / secs : 0.0,
                (int)left / 60, (int)left % 60, what);
    } else {
        fprintf(stderr, "\r\033[K%lu documents, %.0f docs/s, %.1f MB read: %.50s", done, rate,
                (double)p->bytes / 1e6, what);
    }
    fflush(stderr);
}

void progress_crawl(struct progress *p, const struct crawl_counts *c, const char *url)
{
    double secs;
    if (!due(p, &secs))
        return;
    fprintf(stderr, "\r\033[Kfetched %lu, not modified %lu, failed %lu, %.1f requests/s: %.50s",
            c->fetched, c->not_modified + c->sitemap_unchanged, c->failed,
            secs > 0 ? (double)c->requests / secs : 0.0, url);
    fflush(stderr);
}

/* "indexer: KIND WHERE[:LINE]: WHAT" on stderr, clear of the progress bar. */
static void say(struct progress *p, const char *kind, const char *where, unsigned long line,
                const char *what)
{
    progress_clear(p);
    if (line)
        fprintf(stderr, "indexer: %s%s:%lu: %s\n", kind, where, line, what);
    else
        fprintf(stderr, "indexer: %s%s: %s\n", kind, where, what);
}

void progress_reject(struct progress *p, const char *where, unsigned long line, const char *why)
{
    say(p, "rejected ", where, line, why);
    if (p->enabled && p->nrejects < REJECTS_KEPT) {
        char *s = NULL;
        if ((line ? asprintf(&s, "%s:%lu: %s", where, line, why)
                  : asprintf(&s, "%s: %s", where, why)) >= 0)
            p->rejects[p->nrejects++] = s;
    }
}

void progress_note(struct progress *p, const char *where, unsigned long line, const char *what)
{
    say(p, "note: ", where, line, what);
}

void progress_recap(struct progress *p, const struct counts *n)
{
    if (!p->enabled || !n->rejected)
        return;
    fprintf(stderr, "rejected %lu document%s:\n", n->rejected, n->rejected == 1 ? "" : "s");
    for (size_t i = 0; i < p->nrejects; i++)
        fprintf(stderr, "  %s\n", p->rejects[i]);
    if (n->rejected > p->nrejects)
        fprintf(stderr, "  … and %lu more (above)\n", n->rejected - (unsigned long)p->nrejects);
}

void progress_dispose(struct progress *p)
{
    for (size_t i = 0; i < p->nrejects; i++)
        free(p->rejects[i]);
    p->nrejects = 0;
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
