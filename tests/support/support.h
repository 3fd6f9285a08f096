/* support.h: what the tests need around the real programs: temporary
 * directories, running indexer and searchd as child processes, and a plain
 * HTTP/1.1 client over loopback. Paths of the programs come from $BIN
 * (set by the Makefile; default bin).
 */
#ifndef SUPPORT_H
#define SUPPORT_H

#include <stddef.h>
#include <sys/types.h>

struct analyzer;

/* A fresh directory under $TMPDIR (or /tmp); 0 or -1. */
int  tmpdir_make(char *out, size_t outlen);
/* Removes a directory tree. */
void tmpdir_remove(const char *path);

/* The whole file at path, NUL-terminated, malloc'd, its length into *len;
 * NULL when it cannot be read. */
char *file_read_all(const char *path, size_t *len);

/* The path of program name in $BIN, in a static-free caller buffer. */
void prog_path(const char *name, char *out, size_t outlen);

/* Runs argv to completion with stdin from `input` (NULL: /dev/null);
 * captures stdout and stderr (malloc'd, may be NULL when not wanted).
 * Returns the exit code, or -1 when it could not be run or was killed. */
int  run_prog(char *const argv[], const char *input, char **out, char **err);

/* Starts argv (PATH searched) in the background with its output appended to
 * log (NULL: discarded); the pid, or -1. */
pid_t spawn_prog(char *const argv[], const char *log);
/* SIGTERM, up to 10 s to exit, then SIGKILL; the exit code, or -1. */
int  stop_prog(pid_t pid);
/* Seconds on the monotonic clock; a pause of ms milliseconds. */
double now_s(void);
void pause_ms(long ms);

/* A TCP port on 127.0.0.1 that was free a moment ago, or 0. */
unsigned free_port(void);

struct searchd {
    pid_t pid;
    unsigned port;
    char first_line[256];
};
/* Starts searchd over db on 127.0.0.1 with a free port, plus extra
 * arguments (NULL-terminated, may be NULL); waits for the listening line. */
int  searchd_start(struct searchd *s, const char *db, const char *const *extra);
/* A fresh directory (dir) holding corpus/ indexed (db = dir/index), served
 * by searchd with extra arguments; 0, or -1 with nothing left behind. */
int  serve_corpus(char *dir, size_t dirlen, char *db, size_t dblen, struct searchd *s,
                  const char *const *extra);
/* SIGTERM and wait; returns the exit code, or -1. */
int  searchd_stop(struct searchd *s);

struct http_reply {
    int status;
    char *headers;   /* the raw header block, lower-cased names left as sent */
    char *body;
    size_t body_len;
};
/* One request with Connection: close; extra_headers is "Name: value\r\n"…
 * or NULL. 0, or -1 when the server could not be reached. */
int  http_request(unsigned port, const char *method, const char *target,
                  const char *extra_headers, const char *body, size_t body_len,
                  struct http_reply *out);
/* A TCP connection to 127.0.0.1:port from the local address `from` (e.g.
 * "127.0.0.2"; NULL: any), reads timing out after timeout_s; fd or -1. */
int  raw_connect(unsigned port, const char *from, unsigned timeout_s);
/* Sends n bytes (none when bytes is NULL) and reads until the server has
 * answered or closed: the reply's status, 0 when it closed without one, -1
 * when sending failed. */
int  raw_exchange(int fd, const char *bytes, size_t n);

/* The value of a response header (case-insensitive name), malloc'd, or NULL. */
char *http_header(const struct http_reply *r, const char *name);
/* Frees the headers and body and empties r; r itself is the caller's. */
void http_reply_dispose(struct http_reply *r);

/* Writes an admin token file (the token and a newline, mode 600); 0 or -1. */
int  token_file_write(const char *path, const char *token);

/* The "total" of GET /api/search?ARGS (args: "q=…&type=…", encoded), or -1
 * when the answer is not a 200 with a total. */
long http_search_total(unsigned port, const char *args);

/* Serves the glass database db with xapian-tcpsrv on 127.0.0.1:port (idle
 * connections closed after idle_ms; 0: kept), its output to log (NULL:
 * none), and waits until it accepts: its pid, the leader of its group (kill
 * the group: it forks a process a connection), or -1. */
pid_t tcpsrv_start(const char *db, unsigned port, unsigned idle_ms, const char *log);
/* Kills such a server and the processes it forked (pid <= 0: none). */
void  tcpsrv_kill(pid_t pid);

/* The value of an unlabelled counter or gauge in GET /metrics, or -1 when
 * the answer is not a 200 holding it. */
long http_metric(unsigned port, const char *name);

/* Percent-encodes s for a query string, malloc'd. */
char *url_encode(const char *s);

#endif
