/* watch.c: indexer --watch DIR, for sites that publish files. After one
 * full incremental pass (with --prune's deletions), inotify reports pages
 * written, moved or removed below DIR; changes are gathered until the folder
 * has been quiet for a moment, then indexed in one commit. The write lock is
 * held only while a batch is written, so searchd's PUTs go on between. */
#include "indexer.h"

#include "docfile.h"

#include <errno.h>
#include <fts.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#define QUIET_MS 300      /* a batch goes in once the folder is this quiet */
#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | \
                    IN_DELETE_SELF)

struct watches {
    int fd;
    char **path;      /* by watch descriptor */
    size_t cap;
    char root[PATH_MAX];
    struct seen pending;   /* paths changed since the last batch */
};

static int is_page(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcasecmp(name + n - 5, ".html") == 0) ||
           (n > 4 && strcasecmp(name + n - 4, ".htm") == 0) || docfile_format_of(name);
}

static int remember(struct watches *w, int wd, const char *path)
{
    if ((size_t)wd >= w->cap) {
        size_t cap = (size_t)wd * 2 + 16;
        char **p = realloc(w->path, cap * sizeof *p);
        if (!p)
            return -1;
        memset(p + w->cap, 0, (cap - w->cap) * sizeof *p);
        w->path = p;
        w->cap = cap;
    }
    free(w->path[wd]);
    w->path[wd] = strdup(path);
    return w->path[wd] ? 0 : -1;
}

/* Watches dir and every folder below it; with mark, its pages become
 * pending (a folder moved in whole). */
static int add_tree(struct watches *w, const char *dir, int mark)
{
    char *paths[] = {(char *)dir, NULL};
    FTS *fts = fts_open(paths, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
    FTSENT *e;
    int rc = fts ? 0 : -1;
    while (rc == 0 && fts && (e = fts_read(fts))) {
        if (e->fts_info == FTS_D) {
            int wd = inotify_add_watch(w->fd, e->fts_path, WATCH_MASK);
            if (wd < 0)
                fprintf(stderr, "indexer: cannot watch %s: %s\n", e->fts_path, strerror(errno));
            else
                rc = remember(w, wd, e->fts_path);
        } else if (mark && e->fts_info == FTS_F && is_page(e->fts_name)) {
            rc = seen_add(&w->pending, e->fts_path);
        }
    }
    if (fts)
        fts_close(fts);
    return rc;
}

static int read_events(struct watches *w)
{
    char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t n = read(w->fd, buf, sizeof buf);
    if (n <= 0)
        return n < 0 && errno != EAGAIN ? -1 : 0;
    for (char *p = buf; p < buf + n;) {
        struct inotify_event *ev = (struct inotify_event *)p;
        p += sizeof *ev + ev->len;
        if (ev->mask & IN_Q_OVERFLOW) {   /* too many at once: look at everything */
            add_tree(w, w->root, 1);
            continue;
        }
        if (ev->wd < 0 || (size_t)ev->wd >= w->cap || !w->path[ev->wd] || !ev->len)
            continue;
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", w->path[ev->wd], ev->name);
        if (ev->mask & IN_ISDIR) {
            if (ev->mask & (IN_CREATE | IN_MOVED_TO))
                add_tree(w, path, 1);
        } else if (is_page(ev->name) &&
                   (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE))) {
            if (seen_add(&w->pending, path) < 0)
                return -1;
        }
    }
    return 0;
}

/* Indexes or deletes each pending page, in one commit. */
static int run_batch(struct indexer *ix, struct watches *w)
{
    char err[512];
    if (writer_reacquire(ix, err, sizeof err) < 0) {
        fprintf(stderr, "indexer: %s\n", err);
        return -1;
    }
    struct counts before = ix->n;
    size_t root_len = strlen(w->root);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < w->pending.cap; i++) {
        const char *path = w->pending.slots[i];
        if (!path || strncmp(path, w->root, root_len) != 0)
            continue;
        const char *id = path + root_len;
        while (*id == '/')
            id++;
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            rc = sources_page(ix, w->root, path, id);
        else if (writer_delete(ix, id, err, sizeof err) < 0)
            rc = -1;
    }
    seen_dispose(&w->pending);
    if (writer_release(ix, err, sizeof err) < 0) {
        fprintf(stderr, "indexer: %s\n", err);
        rc = -1;
    }
    if (!ix->quiet)
        printf("watch: indexed %lu, unchanged %lu, deleted %lu, rejected %lu\n",
               ix->n.indexed - before.indexed, ix->n.unchanged - before.unchanged,
               ix->n.deleted - before.deleted, ix->n.rejected - before.rejected);
    fflush(stdout);
    return rc;
}

int watch_run(struct indexer *ix, const char *dir)
{
    struct watches w = {0};
    char err[512];
    if (!realpath(dir, w.root)) {
        fprintf(stderr, "indexer: %s: %s\n", dir, strerror(errno));
        return 2;
    }
    sigset_t sigs;   /* blocked by the caller before any thread started */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    int sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
    w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    /* Watch first, then the full pass: nothing written meanwhile is missed. */
    if (sfd < 0 || w.fd < 0 || add_tree(&w, w.root, 0) < 0) {
        fprintf(stderr, "indexer: cannot watch %s: %s\n", dir, strerror(errno));
        return 2;
    }
    ix->prune = 1;
    int rc = sources_index(ix, w.root);
    if (rc == 0 && writer_finish(ix, err, sizeof err) < 0) {
        fprintf(stderr, "indexer: %s\n", err);
        rc = -1;
    }
    if (rc == 0 && writer_release(ix, err, sizeof err) < 0)
        rc = -1;
    seen_dispose(&ix->seen);
    ix->prune = 0;
    if (!ix->quiet) {
        progress_summary(&ix->progress, &ix->n, stdout);
        printf("watching %s (SIGTERM or Ctrl-C stops)\n", w.root);
        fflush(stdout);
    }
    while (rc == 0) {
        struct pollfd fds[2] = {{w.fd, POLLIN, 0}, {sfd, POLLIN, 0}};
        int n = poll(fds, 2, w.pending.n ? QUIET_MS : -1);
        if (n < 0 && errno != EINTR)
            rc = -1;
        else if (n > 0 && (fds[0].revents & POLLIN))
            rc = read_events(&w);
        else if (n == 0 && w.pending.n)
            rc = run_batch(ix, &w);
        if (n > 0 && (fds[1].revents & POLLIN)) {
            if (w.pending.n)
                rc = run_batch(ix, &w);
            break;
        }
    }
    for (size_t i = 0; i < w.cap; i++)
        free(w.path[i]);
    free(w.path);
    seen_dispose(&w.pending);
    close(w.fd);
    close(sfd);
    return rc < 0 ? 2 : 0;
}
