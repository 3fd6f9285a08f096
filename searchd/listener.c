/* listener.c: see listener.h. The connections are counted when handed to a
 * daemon and uncounted when it says they closed (listener_notify), or at
 * once when it refuses them. libmicrohttpd's own limits are left wide: a
 * daemon sees only its share, so only here can the whole be kept. */
#include "listener.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_DAEMONS 256   /* searchd's --threads at most */

/* The connections open from one address; open 0: a free slot. */
struct per_ip {
    sa_family_t family;
    unsigned char addr[16];
    unsigned open;
};

struct listener {
    int fd;                       /* the listening socket, non-blocking */
    int wake[2];                  /* a byte: stop, or room again under the limit */
    pthread_t thread;
    int running;
    atomic_int stop;
    struct MHD_Daemon *daemons[MAX_DAEMONS];
    atomic_uint open[MAX_DAEMONS];
    unsigned n;
    unsigned next;                /* where the search for the least busy starts,
                                     rotating, so that ties take turns */
    atomic_uint total;
    unsigned max_conns, max_per_ip;
    pthread_mutex_t lock;         /* guards ips */
    struct per_ip *ips;           /* by address, linear probing; at least
                                     twice the slots of max_conns, each
                                     address there holding a connection */
    size_t mask;                  /* slots - 1 */
    unsigned port;
};

static int ip_key(struct per_ip *k, const struct sockaddr *a)
{
    memset(k, 0, sizeof *k);
    k->family = a->sa_family;
    if (a->sa_family == AF_INET)
        memcpy(k->addr, &((const struct sockaddr_in *)a)->sin_addr, 4);
    else if (a->sa_family == AF_INET6)
        memcpy(k->addr, &((const struct sockaddr_in6 *)a)->sin6_addr, 16);
    else
        return -1;
    return 0;
}

static size_t ip_hash(const struct per_ip *k)
{
    uint32_t h = 2166136261u ^ k->family;   /* FNV-1a */
    for (size_t i = 0; i < sizeof k->addr; i++)
        h = (h ^ k->addr[i]) * 16777619u;
    return h;
}

static int ip_same(const struct per_ip *x, const struct per_ip *y)
{
    return x->family == y->family && memcmp(x->addr, y->addr, sizeof x->addr) == 0;
}

/* The slot of key, or the free one where it would go. */
static size_t ip_slot(const struct listener *l, const struct per_ip *key)
{
    size_t i = ip_hash(key) & l->mask;
    while (l->ips[i].open && !ip_same(&l->ips[i], key))
        i = (i + 1) & l->mask;
    return i;
}

/* 1 when a connection from a may open (it is counted), 0 when its address
 * has its limit open already. */
static int ip_take(struct listener *l, const struct sockaddr *a)
{
    struct per_ip key;
    if (l->max_per_ip == 0 || ip_key(&key, a) < 0)
        return 1;
    pthread_mutex_lock(&l->lock);
    struct per_ip *e = &l->ips[ip_slot(l, &key)];
    int ok = e->open < l->max_per_ip;
    if (ok && e->open++ == 0)
        memcpy(e->addr, key.addr, sizeof e->addr), e->family = key.family;
    pthread_mutex_unlock(&l->lock);
    return ok;
}

static void ip_give(struct listener *l, const struct sockaddr *a)
{
    struct per_ip key;
    if (l->max_per_ip == 0 || !a || ip_key(&key, a) < 0)
        return;
    pthread_mutex_lock(&l->lock);
    size_t i = ip_slot(l, &key);
    if (l->ips[i].open && --l->ips[i].open == 0) {
        /* Those after it in its run move back where a search finds them. */
        for (size_t j = (i + 1) & l->mask; l->ips[j].open; j = (j + 1) & l->mask) {
            size_t home = ip_hash(&l->ips[j]) & l->mask;
            if (((j - home) & l->mask) >= ((j - i) & l->mask)) {
                l->ips[i] = l->ips[j];
                l->ips[j].open = 0;
                i = j;
            }
        }
    }
    pthread_mutex_unlock(&l->lock);
}

static void wake(struct listener *l)
{
    char b = 1;
    ssize_t w = write(l->wake[1], &b, 1);   /* full: a wake-up is pending anyway */
    (void)w;
}

/* A connection handed to daemon i is gone. */
static void gone(struct listener *l, unsigned i, const struct sockaddr *a)
{
    if (i < l->n)
        atomic_fetch_sub(&l->open[i], 1);
    ip_give(l, a);
    if (atomic_fetch_sub(&l->total, 1) == l->max_conns)
        wake(l);
}

void listener_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                     enum MHD_ConnectionNotificationCode code)
{
    struct listener *l = cls;
    (void)socket_context;
    if (code != MHD_CONNECTION_NOTIFY_CLOSED)
        return;
    const union MHD_ConnectionInfo *d = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_DAEMON);
    const union MHD_ConnectionInfo *a =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    unsigned i = 0;
    while (d && i < l->n && l->daemons[i] != d->daemon)
        i++;
    gone(l, d ? i : l->n, a ? a->client_addr : NULL);
}

static unsigned least_busy(struct listener *l)
{
    unsigned best = l->next % l->n, fewest = atomic_load(&l->open[best]);
    for (unsigned k = 1; k < l->n; k++) {
        unsigned i = (l->next + k) % l->n, open = atomic_load(&l->open[i]);
        if (open < fewest)
            best = i, fewest = open;
    }
    l->next = best + 1;
    return best;
}

static void drain(int fd)
{
    char b[64];
    while (read(fd, b, sizeof b) > 0)
        ;
}

static void *accept_loop(void *arg)
{
    struct listener *l = arg;
    int said = 0;
    while (!atomic_load(&l->stop)) {
        /* At the limit, the next connections wait in the kernel's queue
         * until a close wakes this thread. */
        int full = atomic_load(&l->total) >= l->max_conns;
        struct pollfd p[2] = {{l->wake[0], POLLIN, 0}, {full ? -1 : l->fd, POLLIN, 0}};
        if (poll(p, 2, -1) < 0)
            continue;   /* EINTR */
        if (p[0].revents)
            drain(l->wake[0]);
        if (p[1].revents & (POLLERR | POLLNVAL)) {
            if (!said++)
                fprintf(stderr, "searchd: the listening socket reports an error\n");
            poll(NULL, 0, 100);   /* rather than spin on it */
            continue;
        }
        if (!(p[1].revents & POLLIN))
            continue;
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        int c = accept4(l->fd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (c < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                if (!said++)
                    fprintf(stderr, "searchd: cannot accept a connection (%s): it waits\n",
                            strerror(errno));
                poll(NULL, 0, 100);   /* rather than spin on the waiting one */
            }
            continue;
        }
        said = 0;
        if (!ip_take(l, (struct sockaddr *)&ss)) {
            close(c);
            continue;
        }
        unsigned i = least_busy(l);
        atomic_fetch_add(&l->open[i], 1);
        atomic_fetch_add(&l->total, 1);
        /* Refused, it is closed by libmicrohttpd and never said closed. */
        if (MHD_add_connection(l->daemons[i], c, (struct sockaddr *)&ss, len) != MHD_YES)
            gone(l, i, (struct sockaddr *)&ss);
    }
    return NULL;
}

int listener_open(struct listener **out, const struct sockaddr *addr, socklen_t addrlen,
                  unsigned max_conns, unsigned max_per_ip, char *err, size_t errlen)
{
    struct listener *l = calloc(1, sizeof *l);
    *out = NULL;
    if (!l) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    l->fd = l->wake[0] = l->wake[1] = -1;
    l->max_conns = max_conns;
    l->max_per_ip = max_per_ip;
    int one = 1;
    size_t slots = 16;
    while (slots < 2 * (size_t)max_conns)
        slots *= 2;
    l->mask = slots - 1;
    const char *what = "out of memory";
    if (!(l->ips = calloc(slots, sizeof *l->ips)))
        goto fail_lock;
    what = "cannot make a lock";
    if (pthread_mutex_init(&l->lock, NULL) != 0)
        goto fail_lock;
    what = "cannot make a pipe";
    if (pipe2(l->wake, O_CLOEXEC | O_NONBLOCK) < 0)
        goto fail;
    what = "cannot make a socket";
    l->fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (l->fd < 0 || setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        (addr->sa_family == AF_INET6 &&
         setsockopt(l->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) < 0))
        goto fail;
    what = "cannot listen";
    struct sockaddr_storage bound;
    socklen_t blen = sizeof bound;
    if (bind(l->fd, addr, addrlen) < 0 || listen(l->fd, SOMAXCONN) < 0 ||
        getsockname(l->fd, (struct sockaddr *)&bound, &blen) < 0)
        goto fail;
    l->port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                : ((struct sockaddr_in *)&bound)->sin_port);
    *out = l;
    return 0;
fail:
    snprintf(err, errlen, "%s: %s", what, strerror(errno));
    listener_free(l);
    return -1;
fail_lock:
    snprintf(err, errlen, "%s", what);
    free(l->ips);
    free(l);
    return -1;
}

unsigned listener_port(const struct listener *l)
{
    return l->port;
}

int listener_run(struct listener *l, struct MHD_Daemon *const *daemons, unsigned n, char *err,
                 size_t errlen)
{
    if (n == 0 || n > MAX_DAEMONS) {
        snprintf(err, errlen, "%u server threads: 1 to %d", n, MAX_DAEMONS);
        return -1;
    }
    memcpy(l->daemons, daemons, n * sizeof *daemons);
    l->n = n;
    int rc = pthread_create(&l->thread, NULL, accept_loop, l);
    if (rc != 0) {
        snprintf(err, errlen, "cannot start the accepting thread: %s", strerror(rc));
        return -1;
    }
    l->running = 1;
    return 0;
}

unsigned listener_open_on(const struct listener *l, unsigned i)
{
    return i < l->n ? atomic_load(&l->open[i]) : 0;
}

void listener_stop(struct listener *l)
{
    if (!l)
        return;
    if (l->running) {
        atomic_store(&l->stop, 1);
        wake(l);
        pthread_join(l->thread, NULL);
        l->running = 0;
    }
    if (l->fd >= 0)
        close(l->fd);
    l->fd = -1;
}

void listener_free(struct listener *l)
{
    if (!l)
        return;
    listener_stop(l);
    free(l->ips);
    for (int i = 0; i < 2; i++)
        if (l->wake[i] >= 0)
            close(l->wake[i]);
    pthread_mutex_destroy(&l->lock);
    free(l);
}
