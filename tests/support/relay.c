/* relay.c: see relay.h. A Xapian remote message is its type (a byte), its
 * length (a byte under 255; else 255 and the rest, less 255, seven bits a
 * byte from the lowest, the last byte's top bit set) and its body. */
#include "relay.h"

#include "support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Where the client's stream stands: at a type, in a length, or in a body
 * of left bytes. */
struct framing {
    int state;                 /* 0 type, 1 length, 2 length continued, 3 body */
    unsigned long long left;
    int shift;
};

static void note(struct framing *f, const unsigned char *p, size_t n, FILE *log)
{
    for (size_t i = 0; i < n;) {
        if (f->state == 0) {
            fprintf(log, "%u\n", p[i++]);
            fflush(log);
            f->state = 1;
        } else if (f->state == 1) {
            unsigned char b = p[i++];
            f->left = b;
            f->shift = 0;
            f->state = b == 255 ? 2 : 3;
            if (b == 255)
                f->left = 0;
        } else if (f->state == 2) {
            unsigned char b = p[i++];
            f->left |= (unsigned long long)(b & 0x7f) << f->shift;
            f->shift += 7;
            if (b & 0x80) {
                f->left += 255;
                f->state = 3;
            }
        } else {
            size_t take = n - i < f->left ? n - i : (size_t)f->left;
            i += take;
            f->left -= take;
        }
        if (f->state == 3 && f->left == 0)
            f->state = 0;
    }
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* One connection, until either side closes it. */
static void relay_one(int client, unsigned upstream, const char *logpath)
{
    int server = raw_connect(upstream, NULL, 5);
    FILE *log = fopen(logpath, "a");
    struct framing f = {0, 0, 0};
    unsigned char buf[65536];
    struct pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
    while (server >= 0 && log && poll(fds, 2, -1) > 0) {
        int from = fds[0].revents ? 0 : 1;
        ssize_t n = read(fds[from].fd, buf, sizeof buf);
        if (n <= 0)
            break;
        if (from == 0)
            note(&f, buf, (size_t)n, log);
        if (write_all(fds[1 - from].fd, buf, (size_t)n) < 0)
            break;
    }
    if (log)
        fclose(log);
    _exit(0);
}

pid_t relay_start(unsigned port, unsigned upstream, const char *log)
{
    int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(ls, (struct sockaddr *)&a, sizeof a) < 0 || listen(ls, 16) < 0) {
        if (ls >= 0)
            close(ls);
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(ls);
        return -1;
    }
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGCHLD, SIG_IGN);   /* no zombies from the connections */
        alarm(120);                 /* gone by itself if never stopped */
        for (;;) {
            int c = accept(ls, NULL, NULL);
            if (c < 0)
                continue;
            if (fork() == 0) {
                close(ls);
                alarm(120);
                relay_one(c, upstream, log);
            }
            close(c);
        }
    }
    setpgid(pid, pid);
    close(ls);   /* the child listens: connecting now succeeds */
    return pid;
}

void relay_stop(pid_t pid)
{
    if (pid <= 0)
        return;
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

long relay_messages(const char *log, int type)
{
    FILE *f = fopen(log, "r");
    long n = 0;
    int t;
    if (!f)
        return -1;
    while (fscanf(f, "%d", &t) == 1)
        n += type < 0 || t == type;
    fclose(f);
    return n;
}
