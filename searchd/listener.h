/* listener.h: searchd's accepting thread. It owns the listening socket and
 * hands each connection to the libmicrohttpd daemon (one per server thread)
 * with the fewest connections open, so that kept-alive connections, as
 * from a proxy's pool, spread over the threads whatever their arrival; and
 * it keeps the limits on open connections, in all and from one address,
 * which a daemon could keep only for its own.
 */
#ifndef LISTENER_H
#define LISTENER_H

#include <microhttpd.h>
#include <stddef.h>
#include <sys/socket.h>

struct listener;

/* Binds addr and listens, accepting nothing yet. Past max_conns open
 * connections, the next wait in the kernel's queue until one closes; past
 * max_per_ip (0: no limit) from one address, a new one is closed at once.
 * 0, or -1 with err. */
int  listener_open(struct listener **out, const struct sockaddr *addr, socklen_t addrlen,
                   unsigned max_conns, unsigned max_per_ip, char *err, size_t errlen);
/* The port bound (the one chosen when addr's was 0). */
unsigned listener_port(const struct listener *l);
/* Give each daemon this as MHD_OPTION_NOTIFY_CONNECTION, with l as its cls:
 * it counts the connections that close. */
void listener_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                     enum MHD_ConnectionNotificationCode code);
/* Starts accepting into the n daemons (started with MHD_USE_NO_LISTEN_SOCKET
 * and MHD_USE_ITC); 0, or -1 with err. */
int  listener_run(struct listener *l, struct MHD_Daemon *const *daemons, unsigned n, char *err,
                  size_t errlen);
/* Connections open on daemon i now (for /metrics). */
unsigned listener_open_on(const struct listener *l, unsigned i);
/* Stops accepting and closes the socket; the open connections stay with
 * their daemons. NULL is fine. */
void listener_stop(struct listener *l);
/* Frees, after the daemons stopped; NULL is fine. */
void listener_free(struct listener *l);

#endif
