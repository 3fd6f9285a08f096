/* count.h: a whole number given on a command line (threads, shards, batch
 * sizes, timeouts), read the same strict way by every program.
 */
#ifndef COUNT_H
#define COUNT_H

/* The number text spells into *out: 0, or LIB_E_INVALID when text is not a
 * whole number from lo to hi (then the caller names the option). */
int count_parse(unsigned *out, const char *text, long lo, long hi);

#endif
