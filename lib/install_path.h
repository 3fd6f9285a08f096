/* install_path.h: where an installed program finds its data: in
 * PREFIX/share/sitesearch beside PREFIX/bin/PROGRAM. A program run from the
 * source tree finds nothing there and uses the tree's own files instead.
 */
#ifndef INSTALL_PATH_H
#define INSTALL_PATH_H

#include <stddef.h>

/* PREFIX/share/sitesearch/NAME for the running program into buf, and 0
 * when it exists there (a directory when dir is set, else a file); -1
 * when not. */
int install_path(char *buf, size_t len, const char *name, int dir);

#endif
