/* url.c: absolute http(s) URLs and link resolution (url.h). A reference is
 * split by RFC 3986 Appendix B's grammar, each part brought to its
 * canonical form, and §5.2.2's algorithm run on the canonical parts: the
 * escapes are normalised before the dot segments go, so that %2E%2E is the
 * ".." it stands for. */
#include "url.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A reference's parts as written, pointing into its text; a part that is
 * absent is NULL, which differs from present and empty ("?" alone). */
struct ref {
    const char *scheme, *auth, *path, *query;
    size_t scheme_n, auth_n, path_n, query_n;
};

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int hex_value(int c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int is_unreserved(int c)
{
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* What a path or query may hold unescaped: pchar, '/' and '?'. */
static int is_raw_ok(int c)
{
    return is_unreserved(c) || (c && strchr("!$&'()*+,;=:@/?", c));
}

static int is_html_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static int put_escape(struct buf *b, int v)
{
    static const char hex[] = "0123456789ABCDEF";
    char e[3] = {'%', hex[(v >> 4) & 15], hex[v & 15]};
    return buf_append(b, e, 3);
}

int url_escape_append(struct buf *b, const char *s, size_t n)
{
    int rc = buf_grow(b, n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int c = (unsigned char)s[i];
        int hi = i + 2 < n ? hex_value((unsigned char)s[i + 1]) : -1;
        int lo = i + 2 < n ? hex_value((unsigned char)s[i + 2]) : -1;
        if (c == '%' && hi >= 0 && lo >= 0) {
            rc = is_unreserved(hi * 16 + lo) ? buf_putc(b, (char)(hi * 16 + lo))
                                             : put_escape(b, hi * 16 + lo);
            i += 2;
        } else if (c != '%' && is_raw_ok(c)) {
            rc = buf_putc(b, (char)c);
        } else {
            rc = put_escape(b, c);   /* a stray '%' becomes %25 */
        }
    }
    return rc;
}

/* s without its leading and trailing HTML white space and with the tabs
 * and line breaks inside dropped, into *out (malloc'd). LIB_E_INVALID when
 * s is over URL_MAX bytes: measured without reading past that. */
static int clean_input(char **out, const char *s)
{
    *out = NULL;
    if (!s)
        return LIB_E_INVALID;
    size_t n = strnlen(s, URL_MAX + 1);
    if (n > URL_MAX)
        return LIB_E_INVALID;
    while (n > 0 && is_html_space((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n > 0 && is_html_space((unsigned char)s[n - 1]))
        n--;
    char *c = malloc(n + 1), *o = c;
    if (!c)
        return LIB_E_NOMEM;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            *o++ = s[i];
    *o = '\0';
    *out = c;
    return 0;
}

/* Splits s as RFC 3986 Appendix B does, except that what precedes the first
 * ':' is a scheme only when it has a scheme's syntax (so "./a:b" and
 * "1a:b" are paths). The fragment is dropped. */
static void split_ref(struct ref *r, const char *s)
{
    memset(r, 0, sizeof *r);
    size_t i = 0;
    if (is_alpha((unsigned char)s[0])) {
        for (i = 1; is_alpha((unsigned char)s[i]) || is_digit((unsigned char)s[i]) ||
                    s[i] == '+' || s[i] == '-' || s[i] == '.';
             i++)
            ;
        if (s[i] == ':') {
            r->scheme = s;
            r->scheme_n = i;
            s += i + 1;
        }
    }
    if (s[0] == '/' && s[1] == '/') {
        r->auth = s + 2;
        r->auth_n = strcspn(r->auth, "/?#");
        s = r->auth + r->auth_n;
    }
    r->path = s;
    r->path_n = strcspn(s, "?#");
    s += r->path_n;
    if (*s == '?') {
        r->query = s + 1;
        r->query_n = strcspn(r->query, "#");
    }
}

static unsigned default_port(const char *scheme)
{
    return strcmp(scheme, "https") == 0 ? 443 : 80;
}

/* Sets u's host and port from the authority a[0..n) (u->scheme is set). */
static int parse_authority(struct url *u, const char *a, size_t n)
{
    size_t hn;
    if (memchr(a, '@', n))
        return LIB_E_INVALID;   /* userinfo: a credential, or a phishing trick */
    if (n > 0 && a[0] == '[') {   /* an IPv6 address */
        const char *close = memchr(a, ']', n);
        if (!close || close - a < 3)
            return LIB_E_INVALID;
        hn = (size_t)(close - a) + 1;
        for (size_t i = 1; i + 1 < hn; i++)
            if (hex_value((unsigned char)a[i]) < 0 && a[i] != ':' && a[i] != '.')
                return LIB_E_INVALID;
        if (hn < n && a[hn] != ':')
            return LIB_E_INVALID;
    } else {
        const char *colon = memchr(a, ':', n);
        hn = colon ? (size_t)(colon - a) : n;
        if (hn == 0)
            return LIB_E_INVALID;
        for (size_t i = 0; i < hn; i++)
            if (!is_alpha((unsigned char)a[i]) && !is_digit((unsigned char)a[i]) &&
                a[i] != '-' && a[i] != '.' && a[i] != '_')
                return LIB_E_INVALID;
    }
    if (hn > 255)   /* RFC 1035's limit on a name */
        return LIB_E_INVALID;
    u->port = default_port(u->scheme);
    if (hn < n) {   /* ":port"; empty means the default (RFC 3986 §3.2.3) */
        unsigned long port = 0;
        for (size_t i = hn + 1; i < n; i++) {
            if (!is_digit((unsigned char)a[i]))
                return LIB_E_INVALID;
            port = port * 10 + (unsigned long)(a[i] - '0');
            if (port > 65535)
                return LIB_E_INVALID;
        }
        if (hn + 1 < n) {
            if (port == 0)
                return LIB_E_INVALID;
            u->port = (unsigned)port;
        }
    }
    if (!(u->host = malloc(hn + 1)))
        return LIB_E_NOMEM;
    for (size_t i = 0; i < hn; i++)
        u->host[i] = (char)((a[i] >= 'A' && a[i] <= 'Z') ? a[i] + 32 : a[i]);
    u->host[hn] = '\0';
    return 0;
}

/* RFC 3986 §5.2.4 on path, into *out (malloc'd, never longer than path;
 * "/" when nothing is left). */
static int remove_dot_segments(char **out, const char *path)
{
    size_t len = 0;
    char *o = malloc(strlen(path) + 2);
    const char *p = path;
    if (!(*out = o))
        return LIB_E_NOMEM;
    while (*p) {
        if (strncmp(p, "../", 3) == 0) {
            p += 3;
        } else if (strncmp(p, "./", 2) == 0 || strncmp(p, "/./", 3) == 0) {
            p += 2;
        } else if (strcmp(p, "/.") == 0) {
            p = "/";
        } else if (strncmp(p, "/../", 4) == 0 || strcmp(p, "/..") == 0) {
            p = p[3] ? p + 3 : "/";
            while (len > 0 && o[len - 1] != '/')
                len--;
            if (len > 0)
                len--;
        } else if (strcmp(p, ".") == 0 || strcmp(p, "..") == 0) {
            p += strlen(p);
        } else {
            size_t k = *p == '/';
            k += strcspn(p + k, "/");
            memcpy(o + len, p, k);
            len += k;
            p += k;
        }
    }
    if (len == 0)
        o[len++] = '/';
    o[len] = '\0';
    return 0;
}

/* s[0..n) escaped, malloc'd into *out. */
static int escape_dup(char **out, const char *s, size_t n)
{
    struct buf b = BUF_INIT;
    int rc = url_escape_append(&b, s, n);
    *out = NULL;
    if (rc < 0) {
        buf_dispose(&b);
        return rc;
    }
    *out = buf_detach(&b);
    return *out ? 0 : LIB_E_NOMEM;
}

/* The path of a reference with a path: its escaped form, merged with
 * base_path (up to its last '/') when relative, without dot segments. */
static int resolve_path(char **out, const char *base_path, const char *p, size_t n)
{
    struct buf b = BUF_INIT;
    int rc = 0;
    *out = NULL;
    if (n == 0 || p[0] != '/') {
        const char *slash = base_path ? strrchr(base_path, '/') : NULL;
        rc = slash ? buf_append(&b, base_path, (size_t)(slash - base_path) + 1)
                   : buf_putc(&b, '/');
    }
    if (rc == 0)
        rc = url_escape_append(&b, p, n);
    if (rc == 0)
        rc = remove_dot_segments(out, b.data ? b.data : "");
    buf_dispose(&b);
    return rc;
}

static int is_http(const char *s, size_t n)
{
    return (n == 4 && strncasecmp(s, "http", 4) == 0) ||
           (n == 5 && strncasecmp(s, "https", 5) == 0);
}

/* The canonical form's length, to hold the result to URL_MAX. */
static size_t formatted_len(const struct url *u)
{
    return strlen(u->scheme) + 3 + strlen(u->host) + 6 + strlen(u->path) +
           (u->query ? strlen(u->query) + 1 : 0);
}

/* The URL that r names, against base (NULL: r must be absolute). */
static int url_from_ref(struct url *u, const struct ref *r, const struct url *base)
{
    int rc = LIB_E_INVALID;
    int own_scheme = r->scheme != NULL;
    memset(u, 0, sizeof *u);
    if (own_scheme) {
        if (!is_http(r->scheme, r->scheme_n))
            return LIB_E_INVALID;
        if (!r->auth) {   /* "http:g": relative when it is base's scheme */
            if (!base || strlen(base->scheme) != r->scheme_n ||
                strncasecmp(base->scheme, r->scheme, r->scheme_n) != 0)
                return LIB_E_INVALID;
            own_scheme = 0;
        }
    } else if (!base) {
        return LIB_E_INVALID;
    }
    u->scheme = own_scheme ? strndup(r->scheme, r->scheme_n) : strdup(base->scheme);
    if (!u->scheme) {
        rc = LIB_E_NOMEM;
        goto cleanup;
    }
    for (char *p = u->scheme; *p; p++)
        *p = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    if (r->auth) {
        if ((rc = parse_authority(u, r->auth, r->auth_n)) < 0)
            goto cleanup;
    } else {
        u->port = base->port;
        if (!(u->host = strdup(base->host))) {
            rc = LIB_E_NOMEM;
            goto cleanup;
        }
    }
    if (!r->auth && r->path_n == 0) {   /* "", "?y": base's path (and query) */
        rc = (u->path = strdup(base->path)) ? 0 : LIB_E_NOMEM;
        if (rc == 0 && !r->query && base->query)
            rc = (u->query = strdup(base->query)) ? 0 : LIB_E_NOMEM;
    } else {
        rc = resolve_path(&u->path, r->auth ? NULL : base->path, r->path, r->path_n);
    }
    if (rc == 0 && r->query)
        rc = escape_dup(&u->query, r->query, r->query_n);
    if (rc == 0 && formatted_len(u) > URL_MAX)
        rc = LIB_E_INVALID;
cleanup:
    if (rc < 0)
        url_dispose(u);
    return rc;
}

void url_dispose(struct url *u)
{
    if (!u)
        return;
    free(u->scheme);
    free(u->host);
    free(u->path);
    free(u->query);
    memset(u, 0, sizeof *u);
}

int url_parse(struct url *out, const char *s)
{
    char *c;
    struct ref r;
    memset(out, 0, sizeof *out);
    int rc = clean_input(&c, s);
    if (rc < 0)
        return rc;
    split_ref(&r, c);
    rc = r.auth ? url_from_ref(out, &r, NULL) : LIB_E_INVALID;
    free(c);
    return rc;
}

static int url_format(char **out, const struct url *u)
{
    struct buf b = BUF_INIT;
    int rc = buf_printf(&b, "%s://%s", u->scheme, u->host);
    if (rc == 0 && u->port != default_port(u->scheme))
        rc = buf_printf(&b, ":%u", u->port);
    if (rc == 0)
        rc = buf_puts(&b, u->path);
    if (rc == 0 && u->query)
        rc = buf_printf(&b, "?%s", u->query);
    if (rc < 0) {
        buf_dispose(&b);
        return rc;
    }
    *out = buf_detach(&b);
    return *out ? 0 : LIB_E_NOMEM;
}

int url_resolve(char **out, const char *base, const char *ref)
{
    struct url b, t;
    struct ref r;
    char *c = NULL;
    *out = NULL;
    int rc = url_parse(&b, base);
    if (rc < 0)
        return rc;
    if ((rc = clean_input(&c, ref)) < 0)
        goto cleanup;
    split_ref(&r, c);
    if ((rc = url_from_ref(&t, &r, &b)) < 0)
        goto cleanup;
    rc = url_format(out, &t);
    url_dispose(&t);
cleanup:
    free(c);
    url_dispose(&b);
    return rc;
}

int url_normalize(char **out, const char *s)
{
    struct url u;
    *out = NULL;
    int rc = url_parse(&u, s);
    if (rc < 0)
        return rc;
    rc = url_format(out, &u);
    url_dispose(&u);
    return rc;
}

int url_in_scope(const char *url, const char *start)
{
    struct url u, s;
    int in = 0;
    if (url_parse(&u, url) < 0)
        return 0;
    if (url_parse(&s, start) == 0) {
        size_t scope = (size_t)(strrchr(s.path, '/') - s.path) + 1;
        in = strcmp(u.scheme, s.scheme) == 0 && strcmp(u.host, s.host) == 0 &&
             u.port == s.port && strncmp(u.path, s.path, scope) == 0;
        url_dispose(&s);
    }
    url_dispose(&u);
    return in;
}

int url_id(char **out, const char *url)
{
    struct url u;
    struct buf b = BUF_INIT;
    *out = NULL;
    int rc = url_parse(&u, url);
    if (rc < 0)
        return rc;
    rc = buf_puts(&b, u.path);
    if (rc == 0 && u.query)
        rc = buf_printf(&b, "?%s", u.query);
    if (rc == 0)
        *out = buf_detach(&b);
    if (rc == 0 && !*out)
        rc = LIB_E_NOMEM;
    buf_dispose(&b);
    url_dispose(&u);
    return rc;
}
