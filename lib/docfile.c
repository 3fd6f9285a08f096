/* docfile.c: a document file → a doc, read by the docread program in a
 * child process under limits (exec, not a bare fork: a fork of a threaded
 * program may inherit a lock another thread held). The answer comes back
 * as JSON on a pipe; the parent reads at most the output limit, within the
 * wall-time limit, and says which limit a child passed. */
#include "docfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif
#ifndef UNDER_SANITIZER
#define UNDER_SANITIZER 0
#endif

int docfile_reader_path(char *out, size_t len)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return -1;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    int w = snprintf(out, len, "%s/" DOCFILE_READER, self);
    return w < 0 || (size_t)w >= len || access(out, X_OK) != 0 ? -1 : 0;
}

const char *docfile_format_of(const char *name)
{
    const char *dot = strrchr(name, '.'), *slash = strrchr(name, '/');
    const char *f = dot && !(slash && dot < slash) ? doc_format_named(dot + 1) : NULL;
    return f && strcmp(f, "html") != 0 ? f : NULL;   /* a page is not a document */
}

const char *docfile_format_of_type(const char *ct)
{
    static const struct {
        const char *type, *format;
    } types[] = {
        {"application/pdf", "pdf"},
        {"application/vnd.oasis.opendocument.text", "odt"},
        {"application/vnd.oasis.opendocument.spreadsheet", "ods"},
        {"application/vnd.oasis.opendocument.presentation", "odp"},
        {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"},
        {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
        {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"},
        {"application/epub+zip", "epub"}};
    while (*ct == ' ' || *ct == '\t')
        ct++;
    size_t n = strcspn(ct, "; \t");
    for (size_t i = 0; n && i < sizeof types / sizeof types[0]; i++)
        if (strlen(types[i].type) == n && strncasecmp(ct, types[i].type, n) == 0)
            return types[i].format;
    return NULL;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Starts exe as the child with in as its standard input and out as its
 * standard output; only async-signal-safe calls between fork and exec, as
 * the caller may have threads. The pid, or -1. */
static pid_t spawn(const char *exe, char *const argv[], int in, int out,
                   const struct docfile_limits *lim)
{
    struct rlimit cpu = {lim->cpu_seconds, lim->cpu_seconds + 1};
    struct rlimit mem = {lim->memory_bytes, lim->memory_bytes};
    struct rlimit core = {0, 0};
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    int null = open("/dev/null", O_WRONLY);
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || null < 0 || dup2(null, 2) < 0 ||
        setrlimit(RLIMIT_CPU, &cpu) < 0 || setrlimit(RLIMIT_CORE, &core) < 0 ||
        (!UNDER_SANITIZER && setrlimit(RLIMIT_AS, &mem) < 0))
        _exit(127);
    execv(exe, argv);
    _exit(127);
}

/* What the child's end says, as a reason. */
static void why_ended(char *why, size_t len, int status, const struct docfile_limits *lim,
                      int timed_out, int too_long)
{
    if (too_long)
        snprintf(why, len, "its text is over the limit of %zu MB", lim->output_bytes >> 20);
    else if (timed_out)
        snprintf(why, len, "it took over the limit of %u s to read", lim->wall_seconds);
    else if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL))
        snprintf(why, len, "it took over the limit of %u s of CPU to read", lim->cpu_seconds);
    else if (WIFSIGNALED(status))
        snprintf(why, len,
                 "its reader crashed (signal %d) or ran out of memory (the limit is %zu MB)",
                 WTERMSIG(status), lim->memory_bytes >> 20);
    else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        snprintf(why, len, "the document reader (%s) could not be started", DOCFILE_READER);
    else
        snprintf(why, len, "its reader gave no answer (exit status %d)",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* Reads the child's answer from fd into *out within the limits; sets
 * *timed_out or *too_long when one was passed. 0, or LIB_E_NOMEM. */
static int read_answer(char **out, size_t *len, int fd, const struct docfile_limits *lim,
                       int *timed_out, int *too_long)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    double deadline = now_seconds() + lim->wall_seconds;
    *out = NULL;
    if (!buf)
        return LIB_E_NOMEM;
    for (;;) {
        double left = deadline - now_seconds();
        if (left <= 0) {
            *timed_out = 1;
            break;
        }
        struct pollfd p = {fd, POLLIN, 0};
        int r = poll(&p, 1, (int)(left * 1000) + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            *timed_out = r == 0;
            break;
        }
        if (n == cap) {
            if (cap > lim->output_bytes) {
                *too_long = 1;
                break;
            }
            char *bigger = realloc(buf, cap * 2 + 1);
            if (!bigger) {
                free(buf);
                return LIB_E_NOMEM;
            }
            buf = bigger;
            cap *= 2;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got == 0)
            break;
        if (got < 0 && errno != EINTR)
            break;
        if (got > 0)
            n += (size_t)got;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

/* The child's answer into d: 0, or LIB_E_INVALID with its reason. */
static int take_answer(struct doc *d, const char *answer, size_t len, lib_error *err)
{
    json_t *o = json_loadb(answer, len, 0, NULL), *doc = json_object_get(o, "doc");
    const char *error = json_string_value(json_object_get(o, "error"));
    int rc;
    if (error)
        rc = lib_error_set(err, LIB_E_INVALID, "%s", error);
    else if (!json_is_object(doc))
        rc = lib_error_set(err, LIB_E_INVALID, "its reader gave no answer");
    else if ((rc = doc_from_json(d, doc, err)) == 0)
        d->truncated = json_is_true(json_object_get(o, "truncated"));
    free(d->id);
    d->id = NULL;   /* the caller's to give */
    json_decref(o);
    return rc;
}

int docfile_extract_isolated(struct doc *d, const char *exe, const char *format, int fd,
                             const struct docfile_limits *lim, lib_error *err)
{
    static const struct docfile_limits defaults = DOCFILE_LIMITS_DEFAULT;
    struct stat st;
    int pipefd[2] = {-1, -1}, timed_out = 0, too_long = 0, status = 0, rc;
    char *answer = NULL, *format_arg = strdup(format), *exe_arg = strdup(exe);
    char *const argv[] = {exe_arg, format_arg, NULL};
    size_t len = 0;
    pid_t pid = -1;
    if (!lim)
        lim = &defaults;
    if (!format_arg || !exe_arg) {
        rc = lib_error_nomem(err);
        goto cleanup;
    }
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        (unsigned long long)st.st_size > DOCFILE_INPUT_MAX) {
        rc = lib_error_set(err, LIB_E_INVALID, "the file is %lld bytes, over the limit of %lu",
                           (long long)st.st_size, DOCFILE_INPUT_MAX);
        goto cleanup;
    }
    if (lseek(fd, 0, SEEK_SET) < 0 && errno != ESPIPE) {
        rc = lib_error_set(err, LIB_E_IO, "cannot read the file: %s", strerror(errno));
        goto cleanup;
    }
    if (pipe2(pipefd, O_CLOEXEC) < 0 || (pid = spawn(exe, argv, fd, pipefd[1], lim)) < 0) {
        rc = lib_error_set(err, LIB_E_IO, "cannot start the document reader: %s",
                           strerror(errno));
        goto cleanup;
    }
    close(pipefd[1]);
    pipefd[1] = -1;
    rc = read_answer(&answer, &len, pipefd[0], lim, &timed_out, &too_long);
    if (rc < 0 || timed_out || too_long)
        kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (rc < 0) {
        rc = lib_error_nomem(err);
        goto cleanup;
    }
    if (timed_out || too_long || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char why[200];
        why_ended(why, sizeof why, status, lim, timed_out, too_long);
        /* An extractor that fails says why in its answer: that comes first. */
        if (!timed_out && !too_long && WIFEXITED(status) &&
            take_answer(d, answer, len, err) == LIB_E_INVALID)
            rc = LIB_E_INVALID;
        else
            rc = lib_error_set(err, LIB_E_INVALID, "%s", why);
        goto cleanup;
    }
    rc = take_answer(d, answer, len, err);
cleanup:
    if (pipefd[0] >= 0)
        close(pipefd[0]);
    if (pipefd[1] >= 0)
        close(pipefd[1]);
    free(answer);
    free(format_arg);
    free(exe_arg);
    return rc;
}

int docfile_extract_bytes(struct doc *d, const char *exe, const char *format, const char *data,
                          size_t len, const struct docfile_limits *lim, lib_error *err)
{
    int fd = memfd_create("document", MFD_CLOEXEC), held = fd >= 0;
    for (size_t done = 0; held && done < len;) {
        ssize_t n = write(fd, data + done, len - done);
        held = n > 0;
        done += held ? (size_t)n : 0;
    }
    int rc = held ? docfile_extract_isolated(d, exe, format, fd, lim, err)
                  : lib_error_set(err, LIB_E_IO, "cannot hold the document to read it");
    if (fd >= 0)
        close(fd);
    return rc;
}
