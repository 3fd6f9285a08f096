/* support.c: processes, temporary directories and a minimal HTTP client for
 * the tests. The client speaks HTTP/1.1 with Connection: close and reads to
 * EOF, so it needs no parser beyond the status line and header block. */
#include "support.h"

#include "analysis.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int tmpdir_make(char *out, size_t outlen)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    if ((size_t)snprintf(out, outlen, "%s/searchtest.XXXXXX", base) >= outlen)
        return -1;
    return mkdtemp(out) ? 0 : -1;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void tmpdir_remove(const char *path)
{
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void prog_path(const char *name, char *out, size_t outlen)
{
    const char *bin = getenv("BIN");
    snprintf(out, outlen, "%s/%s", bin && *bin ? bin : "bin", name);
}

/* Reads all of fd into a malloc'd string. */
static char *slurp_fd(int fd)
{
    size_t cap = 4096, len = 0;
    char *p = malloc(cap);
    ssize_t n;
    while (p && (n = read(fd, p + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (cap - len < 2) {
            char *q = realloc(p, cap * 2);
            if (!q) {
                free(p);
                return NULL;
            }
            p = q;
            cap *= 2;
        }
    }
    if (p)
        p[len] = '\0';
    return p;
}

int run_prog(char *const argv[], const char *input, char **out, char **err)
{
    char dir[256];
    if (tmpdir_make(dir, sizeof dir) < 0)
        return -1;
    char in_path[300], out_path[300], err_path[300];
    snprintf(in_path, sizeof in_path, "%s/in", dir);
    snprintf(out_path, sizeof out_path, "%s/out", dir);
    snprintf(err_path, sizeof err_path, "%s/err", dir);
    FILE *f = fopen(in_path, "w");
    if (!f)
        return -1;
    if (input)
        fputs(input, f);
    fclose(f);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int i = open(in_path, O_RDONLY), o = open(out_path, O_WRONLY | O_CREAT, 0600),
            e = open(err_path, O_WRONLY | O_CREAT, 0600);
        if (i < 0 || o < 0 || e < 0)
            _exit(127);
        dup2(i, 0);
        dup2(o, 1);
        dup2(e, 2);
        execvp(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (out) {
        int fd = open(out_path, O_RDONLY);
        *out = fd >= 0 ? slurp_fd(fd) : NULL;
        if (fd >= 0)
            close(fd);
    }
    if (err) {
        int fd = open(err_path, O_RDONLY);
        *err = fd >= 0 ? slurp_fd(fd) : NULL;
        if (fd >= 0)
            close(fd);
    }
    tmpdir_remove(dir);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

pid_t spawn_prog(char *const argv[], const char *log)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    /* A group of its own: some servers signal their whole group on exit. */
    setpgid(0, 0);
    int fd = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
    }
    execvp(argv[0], argv);
    _exit(127);
}

int stop_prog(pid_t pid)
{
    if (pid <= 0)
        return -1;
    kill(pid, SIGTERM);
    int status = 0;
    for (int i = 0; i < 200; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

unsigned free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    socklen_t len = sizeof sa;
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    unsigned port = 0;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
        port = ntohs(sa.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

int searchd_start(struct searchd *s, const char *db, const char *const *extra)
{
    char prog[512], wrapper[512] = "";
    /* $SEARCHD_PROGRAM: another searchd than $BIN's (an installed one). */
    const char *other = getenv("SEARCHD_PROGRAM");
    if (other && strlen(other) < sizeof prog)
        strcpy(prog, other);
    else
        prog_path("searchd", prog, sizeof prog);
    const char *argv[48] = {0};
    size_t n = 0;
    /* $SEARCHD_WRAPPER runs searchd under a tool, e.g. valgrind (make valgrind). */
    const char *w = getenv("SEARCHD_WRAPPER");
    if (w && strlen(w) < sizeof wrapper) {
        strcpy(wrapper, w);
        for (char *save = NULL, *tok = strtok_r(wrapper, " ", &save); tok && n < 16;
             tok = strtok_r(NULL, " ", &save))
            argv[n++] = tok;
    }
    const char *own[] = {prog, "--db", db, "--listen", "127.0.0.1:0", "--threads", "2"};
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
        argv[n++] = own[i];
    for (size_t i = 0; extra && extra[i] && n < 47; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    memset(s, 0, sizeof *s);
    s->pid = fork();
    if (s->pid < 0)
        return -1;
    if (s->pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    /* The first line says where it listens; wait for it, but not forever. */
    size_t len = 0;
    struct pollfd p = {fds[0], POLLIN, 0};
    while (len < sizeof s->first_line - 1 && !memchr(s->first_line, '\n', len)) {
        if (poll(&p, 1, w ? 120000 : 20000) <= 0)
            break;
        ssize_t r = read(fds[0], s->first_line + len, sizeof s->first_line - 1 - len);
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    close(fds[0]);
    s->first_line[len] = '\0';
    const char *colon = strstr(s->first_line, "127.0.0.1:");
    if (!colon) {
        searchd_stop(s);
        return -1;
    }
    s->port = (unsigned)atoi(colon + strlen("127.0.0.1:"));
    return s->port ? 0 : -1;
}

int serve_corpus(char *dir, size_t dirlen, char *db, size_t dblen, struct searchd *s,
                 const char *const *extra)
{
    if (tmpdir_make(dir, dirlen) < 0)
        return -1;
    snprintf(db, dblen, "%s/index", dir);
    char indexer[512];
    prog_path("indexer", indexer, sizeof indexer);
    char *argv[] = {indexer, "--quiet", "--db", db, "corpus", NULL};
    if (run_prog(argv, NULL, NULL, NULL) != 0 || searchd_start(s, db, extra) < 0) {
        tmpdir_remove(dir);
        return -1;
    }
    return 0;
}

int searchd_stop(struct searchd *s)
{
    if (s->pid <= 0)
        return -1;
    kill(s->pid, SIGTERM);
    int status = 0;
    int tries = getenv("SEARCHD_WRAPPER") ? 2400 : 200;   /* 10 s (2 min wrapped), then kill */
    for (int i = 0; i < tries; i++) {
        pid_t r = waitpid(s->pid, &status, WNOHANG);
        if (r == s->pid) {
            s->pid = 0;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    kill(s->pid, SIGKILL);
    waitpid(s->pid, &status, 0);
    s->pid = 0;
    return -1;
}

/* Reads one response: to the end of its Content-Length when it has one
 * (some servers keep the connection open whatever the request says), else
 * to EOF. */
static char *read_reply(int fd)
{
    size_t cap = 8192, len = 0;
    char *p = malloc(cap);
    long want = -1;
    while (p) {
        if (cap - len < 2) {
            char *q = realloc(p, cap * 2);
            if (!q)
                break;
            p = q;
            cap *= 2;
        }
        ssize_t n = read(fd, p + len, cap - len - 1);
        if (n <= 0)
            break;
        len += (size_t)n;
        p[len] = '\0';
        char *sep = strstr(p, "\r\n\r\n");
        if (sep && want < 0) {
            char *cl = strcasestr(p, "\r\ncontent-length:");
            if (cl && cl < sep)
                want = (long)(sep + 4 - p) + atol(cl + 17);
        }
        if (want >= 0 && (long)len >= want)
            break;
    }
    if (p)
        p[len] = '\0';
    return p;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int raw_connect(unsigned port, const char *from, unsigned timeout_s)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct timeval tv = {(time_t)timeout_s, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    if (from) {
        if (inet_pton(AF_INET, from, &sa.sin_addr) != 1 ||
            bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
            close(fd);
            return -1;
        }
    }
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int raw_exchange(int fd, const char *bytes, size_t n)
{
    if (bytes && send_all(fd, bytes, n) < 0)
        return -1;
    char *raw = read_reply(fd);
    int status = 0;
    if (raw && strncmp(raw, "HTTP/1.", 7) == 0 && strlen(raw) > 12)
        status = atoi(raw + 9);
    free(raw);
    return status;
}

int http_request(unsigned port, const char *method, const char *target,
                 const char *extra_headers, const char *body, size_t body_len,
                 struct http_reply *out)
{
    memset(out, 0, sizeof *out);
    int fd = raw_connect(port, NULL, 30);
    if (fd < 0)
        return -1;
    char *head = NULL;
    int hl = asprintf(&head,
                      "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nConnection: close\r\n%s"
                      "Content-Length: %zu\r\n\r\n",
                      method, target, port, extra_headers ? extra_headers : "",
                      body ? body_len : 0);
    int rc = (hl < 0 || send_all(fd, head, (size_t)hl) < 0 ||
              (body && send_all(fd, body, body_len) < 0)) ? -1 : 0;
    free(head);
    char *raw = rc == 0 ? read_reply(fd) : NULL;
    close(fd);
    if (!raw)
        return -1;
    char *sep = strstr(raw, "\r\n\r\n");
    if (strncmp(raw, "HTTP/1.", 7) != 0 || !sep) {
        free(raw);
        return -1;
    }
    out->status = atoi(raw + 9);
    *sep = '\0';
    out->headers = strdup(raw);
    out->body = strdup(sep + 4);
    out->body_len = strlen(out->body);
    free(raw);
    return out->headers && out->body ? 0 : -1;
}

char *http_header(const struct http_reply *r, const char *name)
{
    size_t n = strlen(name);
    for (const char *line = r->headers; line; line = strstr(line, "\r\n")) {
        while (*line == '\r' || *line == '\n')
            line++;
        if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            const char *e = strstr(v, "\r\n");
            return strndup(v, e ? (size_t)(e - v) : strlen(v));
        }
    }
    return NULL;
}

void http_reply_dispose(struct http_reply *r)
{
    free(r->headers);
    free(r->body);
    memset(r, 0, sizeof *r);
}

char *url_encode(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = malloc(strlen(s) * 3 + 1), *o = out;
    if (!out)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("-_.~", *p)) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return out;
}

int token_file_write(const char *path, const char *token)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int rc = fprintf(f, "%s\n", token) < 0 ? -1 : 0;
    if (fclose(f) != 0 || chmod(path, 0600) < 0)
        rc = -1;
    return rc;
}

long http_search_total(unsigned port, const char *args)
{
    char target[2048];
    snprintf(target, sizeof target, "/api/search?%s", args);
    struct http_reply r;
    if (http_request(port, "GET", target, NULL, NULL, 0, &r) < 0)
        return -1;
    long n = -1;
    if (r.status == 200) {
        const char *t = strstr(r.body, "\"total\":");
        if (t)
            n = atol(t + 8);
    }
    http_reply_dispose(&r);
    return n;
}

pid_t tcpsrv_start(const char *db, unsigned port, unsigned idle_ms, const char *log)
{
    char portarg[16], idle[16];
    snprintf(portarg, sizeof portarg, "%u", port);
    snprintf(idle, sizeof idle, "%u", idle_ms);
    char *argv[10] = {"xapian-tcpsrv", "--quiet", "--interface", "127.0.0.1", "--port", portarg};
    int n = 6;
    if (idle_ms) {
        argv[n++] = "--idle-timeout";
        argv[n++] = idle;
    }
    argv[n++] = (char *)db;
    argv[n] = NULL;
    pid_t pid = spawn_prog(argv, log);
    if (pid <= 0)
        return -1;
    for (int i = 0; i < 100; i++) {
        int fd = raw_connect(port, NULL, 1);
        if (fd >= 0) {
            close(fd);
            return pid;
        }
        pause_ms(50);
    }
    tcpsrv_kill(pid);
    return -1;
}

void tcpsrv_kill(pid_t pid)
{
    if (pid <= 0)
        return;
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

long http_metric(unsigned port, const char *name)
{
    struct http_reply r;
    if (http_request(port, "GET", "/metrics", NULL, NULL, 0, &r) < 0)
        return -1;
    char line[256];
    snprintf(line, sizeof line, "\n%s ", name);
    const char *at = r.status == 200 && r.body ? strstr(r.body, line) : NULL;
    long v = at ? strtol(at + strlen(line), NULL, 10) : -1;
    http_reply_dispose(&r);
    return v;
}


char *file_read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    if (p) {
        p[n] = '\0';
        *len = (size_t)n;
    }
    return p;
}
