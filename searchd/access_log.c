/* access_log.c: one line per answered request, in the Common Log Format
 * with the time taken appended (as web servers' logs are read by the usual
 * tools): client, date, request line, status, bytes, milliseconds. The
 * request line is rebuilt from the decoded path and arguments, every byte
 * outside printable ASCII percent-encoded, so a line can be neither split
 * nor forged. No header is written: the write token travels in one, and
 * request bodies never appear. */
#include "server.h"

#include "buf.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static int put_encoded(struct buf *b, const char *s, const char *keep)
{
    int rc = 0;
    for (const unsigned char *p = (const unsigned char *)s; rc == 0 && *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p) || (*p && strchr(keep, *p)))
            rc = buf_putc(b, (char)*p);
        else
            rc = buf_printf(b, "%%%02X", *p);
    }
    return rc;
}

struct args_out {
    struct buf *b;
    int n, rc;
};

static enum MHD_Result put_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    (void)kind;
    struct args_out *a = cls;
    a->rc |= buf_putc(a->b, a->n++ ? '&' : '?');
    a->rc |= put_encoded(a->b, key, "");
    if (value) {
        a->rc |= buf_putc(a->b, '=');
        a->rc |= put_encoded(a->b, value, "");
    }
    return a->n < 64 ? MHD_YES : MHD_NO;   /* a bounded line */
}

static void client_of(struct MHD_Connection *conn, char *out, size_t outlen)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    snprintf(out, outlen, "-");
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)outlen);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)outlen);
}

void access_log_write(FILE *log, struct request *r, unsigned status, size_t bytes, double ms)
{
    char client[64], date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%d/%b/%Y:%H:%M:%S +0000", &tm);
    client_of(r->conn, client, sizeof client);
    struct buf target = BUF_INIT;
    struct args_out a = {&target, 0, 0};
    a.rc |= put_encoded(&target, r->path ? r->path : "", "/:@!$'()*+,;=");
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, put_arg, &a);
    if (a.rc == 0 && target.len > 2048)
        target.data[2048] = '\0';   /* the line stays short; the rest is dropped */
    /* One fprintf: stdio locks the stream, so threads' lines never mix. */
    struct buf method = BUF_INIT;
    int mrc = put_encoded(&method, r->method ? r->method : "", "");
    fprintf(log, "%s - - [%s] \"%s %s HTTP/1.1\" %u %zu %.1f\n", client, date,
            mrc == 0 && method.data ? method.data : "-",
            a.rc == 0 && target.data ? target.data : "-", status, bytes, ms);
    buf_dispose(&method);
    buf_dispose(&target);
}
