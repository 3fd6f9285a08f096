/* install_path.c: the running program's own path comes from /proc, so an
 * installed tree can be moved as a whole (DESTDIR, another PREFIX). */
#include "install_path.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int install_path(char *buf, size_t len, const char *name, int dir)
{
    char exe[4096];
    struct stat st;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
    if (!slash)
        return -1;
    *slash = '\0';
    snprintf(buf, len, "%s/../share/sitesearch/%s", exe, name);
    if (stat(buf, &st) < 0 || (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)))
        return -1;
    return 0;
}
