/* robots.c: robots.txt (robots.h). The file is read once into the rules of
 * the groups that apply to our agent; a path is then tested against each
 * rule, so the parse keeps two candidate sets (the agent's and "*"'s) and
 * drops the one that loses at the end. */
#include "robots.h"

#include "buf.h"
#include "url.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct rule {
    char *pat;        /* escaped, runs of '*' as one, without the final '$' */
    size_t pat_len;
    size_t specific;  /* the escaped pattern's length as written */
    size_t literal;   /* its bytes other than '*': a shorter path cannot match */
    int allow, anchored;
};

struct rules {
    struct rule *v;
    size_t n, cap;
    double delay;     /* -1: none seen */
};

struct robots {
    struct rules rules;
    char **sitemaps;
    size_t nsitemaps, cap;
};

static void rules_dispose(struct rules *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        free(rs->v[i].pat);
    free(rs->v);
    rs->v = NULL;
    rs->n = rs->cap = 0;
}

void robots_free(struct robots *r)
{
    if (!r)
        return;
    rules_dispose(&r->rules);
    for (size_t i = 0; i < r->nsitemaps; i++)
        free(r->sitemaps[i]);
    free(r->sitemaps);
    free(r);
}

/* v, an array of n of its *cap elements of sz bytes used, with room for
 * one more: v itself or a larger copy; NULL (v untouched) when out of
 * memory. */
static void *grow(void *v, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return v;
    size_t c = *cap ? *cap * 2 : 16;
    void *p = c <= SIZE_MAX / sz ? realloc(v, c * sz) : NULL;
    if (p)
        *cap = c;
    return p;
}

/* The rule "allow: value" (or disallow) in its compared form. */
static int rule_make(struct rule *out, const char *value, size_t n, int allow)
{
    struct buf b = BUF_INIT;
    int rc = url_escape_append(&b, value, n);
    memset(out, 0, sizeof *out);
    if (rc < 0) {
        buf_dispose(&b);
        return rc;
    }
    out->allow = allow;
    out->specific = b.len;
    if (b.len > 0 && b.data[b.len - 1] == '$') {
        out->anchored = 1;
        b.data[--b.len] = '\0';
    }
    size_t o = 0;
    for (size_t i = 0; i < b.len; i++) {
        if (b.data[i] == '*' && o > 0 && b.data[o - 1] == '*')
            continue;   /* "**" is "*": less backtracking */
        out->literal += b.data[i] != '*';
        b.data[o++] = b.data[i];
    }
    out->pat_len = o;
    out->pat = buf_detach(&b);
    if (!out->pat)
        return LIB_E_NOMEM;
    out->pat[o] = '\0';
    return 0;
}

static int rules_add(struct rules *rs, const char *value, size_t n, int allow)
{
    struct rule *v = grow(rs->v, &rs->cap, rs->n, sizeof *v);
    if (!v)
        return LIB_E_NOMEM;
    rs->v = v;
    int rc = rule_make(&rs->v[rs->n], value, n, allow);
    if (rc == 0)
        rs->n++;
    return rc;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int is_token_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

static size_t token_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_token_char(s[i]))
        i++;
    return i;
}

/* A Crawl-delay's leading decimal number, or -1. Read by hand: strtod
 * would follow the program's locale, where the decimal point may be ','. */
static double parse_delay(const char *s, size_t n)
{
    double v = 0, scale = 1;
    size_t i = 0, digits = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
        v = v * 10 + (s[i] - '0');
    if (i < n && s[i] == '.')
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
            v += (s[i] - '0') * (scale /= 10);
    return digits && isfinite(v) ? v : -1;
}

/* What a line is: "key: value". */
enum key { K_OTHER, K_AGENT, K_ALLOW, K_DISALLOW, K_DELAY, K_SITEMAP };

static enum key key_of(const char *k, size_t n)
{
    static const struct {
        const char *name;
        enum key key;
    } keys[] = {{"user-agent", K_AGENT}, {"allow", K_ALLOW},         {"disallow", K_DISALLOW},
                {"crawl-delay", K_DELAY}, {"sitemap", K_SITEMAP}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strlen(keys[i].name) == n && strncasecmp(k, keys[i].name, n) == 0)
            return keys[i].key;
    return K_OTHER;
}

/* The parse's state: the group being read applies to the agent (mine)
 * and/or is a "*" group (star). */
struct parse {
    struct rules mine, star;
    int any_mine;      /* some group named the agent */
    int in_agents;     /* the last group line was a User-agent */
    int g_mine, g_star;
    double g_delay;    /* the group's first Crawl-delay, or -1 */
    const char *agent;
    size_t agent_n;
};

/* The group read so far is complete: its Crawl-delay goes where its
 * rules went (known only now: a Crawl-delay may precede a User-agent line
 * of its group). */
static void end_group(struct parse *p)
{
    if (p->g_mine && p->mine.delay < 0)
        p->mine.delay = p->g_delay;
    if (p->g_star && p->star.delay < 0)
        p->star.delay = p->g_delay;
    p->g_mine = p->g_star = 0;
    p->g_delay = -1;
}

static int take_line(struct parse *p, struct robots *r, const char *line, size_t n)
{
    const char *hash = memchr(line, '#', n), *colon;
    if (hash)
        n = (size_t)(hash - line);
    if (!(colon = memchr(line, ':', n)))
        return 0;
    const char *k = line, *v = colon + 1;
    size_t kn = (size_t)(colon - line), vn = n - kn - 1;
    while (kn > 0 && is_blank(*k))
        k++, kn--;
    while (kn > 0 && is_blank(k[kn - 1]))
        kn--;
    while (vn > 0 && is_blank(*v))
        v++, vn--;
    while (vn > 0 && is_blank(v[vn - 1]))
        vn--;
    enum key key = key_of(k, kn);
    switch (key) {
    case K_AGENT:
        if (!p->in_agents)   /* a new group */
            end_group(p);
        p->in_agents = 1;
        if (vn > 0 && v[0] == '*' && (vn == 1 || is_blank(v[1]))) {
            p->g_star = 1;
        } else {
            size_t t = token_len(v, vn);
            if (t > 0 && t == p->agent_n && strncasecmp(v, p->agent, t) == 0)
                p->g_mine = p->any_mine = 1;
        }
        return 0;
    case K_ALLOW:
    case K_DISALLOW: {
        int rc = 0;
        p->in_agents = 0;
        if (vn == 0)   /* "Disallow:" allows everything: no rule */
            return 0;
        if (p->g_mine)
            rc = rules_add(&p->mine, v, vn, key == K_ALLOW);
        if (rc == 0 && p->g_star)
            rc = rules_add(&p->star, v, vn, key == K_ALLOW);
        return rc;
    }
    case K_DELAY:
        if (p->g_delay < 0)
            p->g_delay = parse_delay(v, vn);
        return 0;
    case K_SITEMAP: {
        vn = strnlen(v, vn);   /* kept as a C string: a NUL ends it */
        while (vn > 0 && is_blank(v[vn - 1]))
            vn--;
        if (vn == 0)
            return 0;
        char **list = grow(r->sitemaps, &r->cap, r->nsitemaps, sizeof *list);
        if (!list)
            return LIB_E_NOMEM;
        r->sitemaps = list;
        if (!(r->sitemaps[r->nsitemaps] = strndup(v, vn)))
            return LIB_E_NOMEM;
        r->nsitemaps++;
        return 0;
    }
    case K_OTHER:
        return 0;
    }
    return 0;
}

int robots_parse(struct robots **out, const char *text, size_t len, const char *agent)
{
    struct parse p;
    struct robots *r = calloc(1, sizeof *r);
    int rc = 0;
    *out = NULL;
    memset(&p, 0, sizeof p);
    p.mine.delay = p.star.delay = p.g_delay = -1;
    p.agent = agent ? agent : "";
    p.agent_n = token_len(p.agent, strlen(p.agent));
    if (!r)
        return LIB_E_NOMEM;
    if (!text)
        len = 0;
    if (len > ROBOTS_MAX_BYTES)
        len = ROBOTS_MAX_BYTES;
    size_t i = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    while (rc == 0 && i < len) {
        size_t start = i;
        while (i < len && text[i] != '\n' && text[i] != '\r')
            i++;
        rc = take_line(&p, r, text + start, i - start);
        i++;   /* a CRLF's LF is an empty line, and empty lines change nothing */
    }
    if (rc < 0)
        goto cleanup;
    end_group(&p);
    if (p.any_mine) {
        r->rules = p.mine;
        memset(&p.mine, 0, sizeof p.mine);
    } else {
        r->rules = p.star;
        memset(&p.star, 0, sizeof p.star);
    }
    *out = r;
    r = NULL;
cleanup:
    rules_dispose(&p.mine);
    rules_dispose(&p.star);
    robots_free(r);
    return rc;
}

/* Whether pat[0..pn) ('*' any run of bytes) matches all of s[0..sn) when
 * anchored, else a prefix of it. Backtracking to the last '*' alone is
 * enough for such patterns, and its starts only move forward, so the work
 * is at most sn times the length of one '*'-free piece. */
static int glob_match(const char *pat, size_t pn, int anchored, const char *s, size_t sn)
{
    size_t p = 0, i = 0, star = SIZE_MAX, mark = 0;
    for (;;) {
        if (p < pn && pat[p] == '*') {
            star = ++p;
            mark = i;
            continue;
        }
        if (p == pn) {
            if (!anchored || i == sn)
                return 1;
        } else if (i < sn && pat[p] == s[i]) {
            p++;
            i++;
            continue;
        }
        if (star == SIZE_MAX || mark >= sn)
            return 0;
        p = star;
        i = ++mark;
    }
}

int robots_allowed(const struct robots *r, const char *path_and_query)
{
    struct buf b = BUF_INIT;
    const char *s = path_and_query && *path_and_query ? path_and_query : "/";
    if (url_escape_append(&b, s, strlen(s)) < 0) {
        buf_dispose(&b);
        return 0;   /* out of memory: not fetching is the safe answer */
    }
    size_t path_n = strcspn(b.data, "?");
    int allowed = 1;
    if (r && !(path_n == 11 && strncmp(b.data, "/robots.txt", 11) == 0)) {
        const struct rule *best = NULL;
        for (size_t i = 0; i < r->rules.n; i++) {
            const struct rule *ru = &r->rules.v[i];
            if (best && (ru->specific < best->specific ||
                         (ru->specific == best->specific && (best->allow || !ru->allow))))
                continue;   /* could not change the verdict */
            if (ru->literal <= b.len && glob_match(ru->pat, ru->pat_len, ru->anchored, b.data, b.len))
                best = ru;
        }
        allowed = !best || best->allow;
    }
    buf_dispose(&b);
    return allowed;
}

double robots_crawl_delay(const struct robots *r)
{
    return r ? r->rules.delay : -1;
}

size_t robots_sitemaps(const struct robots *r, const char *const **out)
{
    *out = r ? (const char *const *)r->sitemaps : NULL;
    return r ? r->nsitemaps : 0;
}
