/* relay.h: a relay on 127.0.0.1 between a Xapian remote client and
 * xapian-tcpsrv that notes each message the client sends, so that a test
 * can count the round trips a search costs over a remote shard. */
#ifndef RELAY_H
#define RELAY_H

#include <sys/types.h>

/* Relays connections on 127.0.0.1:port to 127.0.0.1:upstream in a child
 * process (a process a connection), writing the type of each message a
 * client sends, as a decimal number, a line each, to log; waits until it
 * accepts. Its pid, the leader of its group, or -1. */
pid_t relay_start(unsigned port, unsigned upstream, const char *log);
/* Stops it and its connections (pid <= 0: none). */
void  relay_stop(pid_t pid);
/* How many messages of type (Xapian's remote protocol: 4 a term's
 * frequency, 8 a query, ...) log holds; -1 for any type. */
long  relay_messages(const char *log, int type);

#endif
