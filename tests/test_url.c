/* test_url.c: lib/url.c — RFC 3986 §5.4's resolution examples, the
 * canonical form links are compared in, a crawl's scope, page ids, and the
 * URLs the crawler must refuse. */
#include "check.h"
#include "url.h"

#include <stdlib.h>
#include <string.h>

#define RFC_BASE "http://a/b/c/d;p?q"

struct pair {
    const char *in, *want;   /* want NULL: LIB_E_INVALID */
};

/* Resolves each in against base and compares; a failure names the ref. */
static void check_resolved(struct check *c, const char *base, const struct pair *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *got = NULL;
        int rc = url_resolve(&got, base, p[i].in);
        if (p[i].want) {
            if (rc != 0)
                fprintf(stderr, "  ref \"%s\": rc %d\n", p[i].in, rc);
            CHECK(c, rc == 0);
            CHECK_STR(c, got, p[i].want);
        } else {
            if (rc != LIB_E_INVALID)
                fprintf(stderr, "  ref \"%s\": rc %d, \"%s\"\n", p[i].in, rc, got ? got : "");
            CHECK(c, rc == LIB_E_INVALID && got == NULL);
        }
        free(got);
    }
}

static void check_normalized(struct check *c, const struct pair *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *got = NULL;
        int rc = url_normalize(&got, p[i].in);
        if (p[i].want) {
            if (rc != 0)
                fprintf(stderr, "  url \"%s\": rc %d\n", p[i].in, rc);
            CHECK(c, rc == 0);
            CHECK_STR(c, got, p[i].want);
        } else {
            if (rc != LIB_E_INVALID)
                fprintf(stderr, "  url \"%.80s\": rc %d, \"%.80s\"\n", p[i].in, rc,
                        got ? got : "");
            CHECK(c, rc == LIB_E_INVALID && got == NULL);
        }
        free(got);
    }
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* §5.4.1, the fragments dropped and "g:h" refused (not http). */
static void test_rfc3986_normal_examples(struct check *c)
{
    static const struct pair p[] = {
        {"g:h", NULL},
        {"g", "http://a/b/c/g"},
        {"./g", "http://a/b/c/g"},
        {"g/", "http://a/b/c/g/"},
        {"/g", "http://a/g"},
        {"//g", "http://g/"},
        {"?y", "http://a/b/c/d;p?y"},
        {"g?y", "http://a/b/c/g?y"},
        {"#s", "http://a/b/c/d;p?q"},
        {"g#s", "http://a/b/c/g"},
        {"g?y#s", "http://a/b/c/g?y"},
        {";x", "http://a/b/c/;x"},
        {"g;x", "http://a/b/c/g;x"},
        {"g;x?y#s", "http://a/b/c/g;x?y"},
        {"", "http://a/b/c/d;p?q"},
        {".", "http://a/b/c/"},
        {"./", "http://a/b/c/"},
        {"..", "http://a/b/"},
        {"../", "http://a/b/"},
        {"../g", "http://a/b/g"},
        {"../..", "http://a/"},
        {"../../", "http://a/"},
        {"../../g", "http://a/g"},
    };
    check_resolved(c, RFC_BASE, p, N(p));
}

/* §5.4.2; "http:g" read the backward-compatible way. */
static void test_rfc3986_abnormal_examples(struct check *c)
{
    static const struct pair p[] = {
        {"../../../g", "http://a/g"},
        {"../../../../g", "http://a/g"},
        {"/./g", "http://a/g"},
        {"/../g", "http://a/g"},
        {"g.", "http://a/b/c/g."},
        {".g", "http://a/b/c/.g"},
        {"g..", "http://a/b/c/g.."},
        {"..g", "http://a/b/c/..g"},
        {"./../g", "http://a/b/g"},
        {"./g/.", "http://a/b/c/g/"},
        {"g/./h", "http://a/b/c/g/h"},
        {"g/../h", "http://a/b/c/h"},
        {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
        {"g;x=1/../y", "http://a/b/c/y"},
        {"g?y/./x", "http://a/b/c/g?y/./x"},
        {"g?y/../x", "http://a/b/c/g?y/../x"},
        {"g#s/./x", "http://a/b/c/g"},
        {"g#s/../x", "http://a/b/c/g"},
        {"http:g", "http://a/b/c/g"},
    };
    check_resolved(c, RFC_BASE, p, N(p));
}

static void test_links_as_found_on_pages(struct check *c)
{
    static const struct pair p[] = {
        {"  /nyheter/\n", "https://www.malmo.se/nyheter/"},
        {"\t../Om%20oss/index.html ", "https://www.malmo.se/Om%20oss/index.html"},
        {"/s\u00f6k?q=r\u00e5d och st\u00f6d",
         "https://www.malmo.se/s%C3%B6k?q=r%C3%A5d%20och%20st%C3%B6d"},
        {"/lang/url/\n split", "https://www.malmo.se/lang/url/%20split"},
        {"/lang/\r\nurl", "https://www.malmo.se/lang/url"},
        {"HTTPS://WWW.Malmo.SE:443/A", "https://www.malmo.se/A"},
        {"http://www.malmo.se:80/x", "http://www.malmo.se/x"},
        {"//cdn.malmo.se/bild.jpg", "https://cdn.malmo.se/bild.jpg"},
        {"https://x.se:8443", "https://x.se:8443/"},
        {"?sida=2", "https://www.malmo.se/stad/arbete.html?sida=2"},
        {"#innehall", "https://www.malmo.se/stad/arbete.html"},
        {"/a/%2e%2E/b", "https://www.malmo.se/b"},
        {"/a%2Fb", "https://www.malmo.se/a%2Fb"},
        {"mailto:info@malmo.se", NULL},
        {"javascript:void(0)", NULL},
        {"JavaScript:alert(1)", NULL},
        {"tel:+4640341000", NULL},
        {"data:text/html,<p>x</p>", NULL},
        {"ftp://ftp.sunet.se/", NULL},
        {"https:relative", "https://www.malmo.se/stad/relative"},
        {"http:relative", NULL},   /* another scheme with no host */
        {"http://user:pass@x.se/", NULL},
        {"//@x.se/", NULL},
        {"http:///nohost", NULL},
    };
    check_resolved(c, "https://www.malmo.se/stad/arbete.html", p, N(p));
}

static void test_normal_form(struct check *c)
{
    static const struct pair p[] = {
        {"HTTP://Example.COM/", "http://example.com/"},
        {"http://example.com", "http://example.com/"},
        {"http://example.com:80/", "http://example.com/"},
        {"https://example.com:443/a", "https://example.com/a"},
        {"http://example.com:443/a", "http://example.com:443/a"},
        {"https://example.com:80/a", "https://example.com:80/a"},
        {"http://example.com:/a", "http://example.com/a"},
        {"http://example.com:0080/a", "http://example.com/a"},
        {"http://example.com/%7Efoo/%61%62c", "http://example.com/~foo/abc"},
        {"http://example.com/a%2fb%c3%a5", "http://example.com/a%2Fb%C3%A5"},
        {"http://example.com/100%/x%zz/%4", "http://example.com/100%25/x%25zz/%254"},
        {"http://example.com/a b/\u00e5\u00e4\u00f6", "http://example.com/a%20b/%C3%A5%C3%A4%C3%B6"},
        {"http://example.com/<\"{|}>\\^`[]",
         "http://example.com/%3C%22%7B%7C%7D%3E%5C%5E%60%5B%5D"},
        {"http://example.com/\x01\x7f\xff", "http://example.com/%01%7F%FF"},
        {"http://example.com/a/./b/../c", "http://example.com/a/c"},
        {"http://example.com/../../x", "http://example.com/x"},
        {"http://example.com/a?", "http://example.com/a?"},
        {"http://example.com/a?b=c&d=%e5+x#frag", "http://example.com/a?b=c&d=%E5+x"},
        {"http://example.com?x=/../y", "http://example.com/?x=/../y"},
        {"http://example.com#top", "http://example.com/"},
        {"http://[::1]:8080/x", "http://[::1]:8080/x"},
        {"http://[2001:DB8::1]/", "http://[2001:db8::1]/"},
        {"http://www.x.se./", "http://www.x.se./"},
        {"http://under_score.x.se/", "http://under_score.x.se/"},
        {"  https://x.se/a\r\n", "https://x.se/a"},
        {"https://x.se/a:b@c;d=e,f!$'()*+", "https://x.se/a:b@c;d=e,f!$'()*+"},
    };
    check_normalized(c, p, N(p));
    /* The canonical form is its own canonical form. */
    for (size_t i = 0; i < N(p); i++) {
        char *again = NULL;
        CHECK(c, url_normalize(&again, p[i].want) == 0);
        CHECK_STR(c, again, p[i].want);
        free(again);
    }
}

static void test_rejections(struct check *c)
{
    static char long_url[URL_MAX + 64];
    static char long_escaped[4096];
    memcpy(long_url, "http://x.se/", 12);
    memset(long_url + 12, 'a', sizeof long_url - 13);
    /* 3000 "å" fit in 8 KB as written, not once escaped (6 bytes each). */
    memcpy(long_escaped, "http://x.se/", 12);
    for (size_t i = 12; i + 2 < sizeof long_escaped; i += 2)
        memcpy(long_escaped + i, "\xc3\xa5", 2);
    static const char *const bad[] = {
        "", "   ", "x.se/a", "/a/b", "//x.se/a", "mailto:a@b.se", "file:///etc/passwd",
        "ftp://x.se/", "http:", "http:/x.se", "http://", "http://:80/", "http://user@x.se/",
        "http://u:p@x.se/", "http://x.se:0/", "http://x.se:65536/", "http://x.se:99999999999/",
        "http://x.se:8o/", "http://x y.se/", "http://x%2Ese/", "http://g\u00f6teborg.se/",
        "http://[::1/", "http://[::1]x/", "http://[zz::1]/", "http://[]/",
        "javascript:alert(1)", long_url, long_escaped,
    };
    for (size_t i = 0; i < N(bad); i++) {
        struct url u;
        int rc = url_parse(&u, bad[i]);
        if (rc != LIB_E_INVALID)
            fprintf(stderr, "  \"%.60s\" gave %d\n", bad[i], rc);
        CHECK(c, rc == LIB_E_INVALID);
        CHECK(c, u.scheme == NULL && u.host == NULL && u.path == NULL);
        url_dispose(&u);
    }
    char *out = (char *)"untouched";
    CHECK(c, url_resolve(&out, "not a url", "/a") == LIB_E_INVALID && out == NULL);
    CHECK(c, url_resolve(&out, "http://x.se/", long_url) == LIB_E_INVALID && out == NULL);
    url_dispose(NULL);
}

static void test_parts(struct check *c)
{
    struct url u;
    CHECK(c, url_parse(&u, "HTTPS://Www.Lund.SE/Kultur/Bibliotek?q=%c3%a5r&x#f") == 0);
    CHECK_STR(c, u.scheme, "https");
    CHECK_STR(c, u.host, "www.lund.se");
    CHECK(c, u.port == 443);
    CHECK_STR(c, u.path, "/Kultur/Bibliotek");
    CHECK_STR(c, u.query, "q=%C3%A5r&x");
    url_dispose(&u);
    CHECK(c, u.host == NULL);
    CHECK(c, url_parse(&u, "http://lund.se:8080") == 0);
    CHECK(c, u.port == 8080);
    CHECK_STR(c, u.path, "/");
    CHECK(c, u.query == NULL);
    url_dispose(&u);
    CHECK(c, url_parse(&u, "http://lund.se/?") == 0);
    CHECK_STR(c, u.query, "");
    url_dispose(&u);
}

static void test_scope(struct check *c)
{
    const char *start = "https://x.se/a/b.html";
    CHECK(c, url_in_scope("https://x.se/a/", start) == 1);
    CHECK(c, url_in_scope("https://x.se/a/b.html", start) == 1);
    CHECK(c, url_in_scope("https://x.se/a/c/d?e=f", start) == 1);
    CHECK(c, url_in_scope("https://X.SE:443/a/../a/z", start) == 1);
    CHECK(c, url_in_scope("https://x.se/a", start) == 0);
    CHECK(c, url_in_scope("https://x.se/ab/", start) == 0);
    CHECK(c, url_in_scope("https://x.se/b/", start) == 0);
    CHECK(c, url_in_scope("https://x.se/A/b.html", start) == 0);   /* paths are case-sensitive */
    CHECK(c, url_in_scope("http://x.se/a/b.html", start) == 0);
    CHECK(c, url_in_scope("https://x.se:8443/a/b.html", start) == 0);
    CHECK(c, url_in_scope("https://www.x.se/a/b.html", start) == 0);
    CHECK(c, url_in_scope("https://x.se.evil.com/a/", start) == 0);
    CHECK(c, url_in_scope("https://x.se/", "https://x.se/") == 1);
    CHECK(c, url_in_scope("https://x.se/any/where?q", "https://x.se") == 1);
    CHECK(c, url_in_scope("https://x.se/a/b", "https://x.se/a/?q=/z/") == 1);
    CHECK(c, url_in_scope("https://x.se/%61/b", start) == 1);
    CHECK(c, url_in_scope("not a url", start) == 0);
    CHECK(c, url_in_scope("https://x.se/a/", "not a url") == 0);
    CHECK(c, url_in_scope("https://x.se/a/", NULL) == 0);
    CHECK(c, url_in_scope(NULL, start) == 0);
}

static void test_ids(struct check *c)
{
    static const struct pair p[] = {
        {"https://malmo.se/artikel/malmo?x=1", "/artikel/malmo?x=1"},
        {"https://malmo.se", "/"},
        {"https://malmo.se/a/../b#c", "/b"},
        {"https://malmo.se/s\u00f6k?q=\u00e5", "/s%C3%B6k?q=%C3%A5"},
        {"https://malmo.se/a?", "/a?"},
    };
    for (size_t i = 0; i < N(p); i++) {
        char *id = NULL;
        CHECK(c, url_id(&id, p[i].in) == 0);
        CHECK_STR(c, id, p[i].want);
        free(id);
    }
    char *id = (char *)"untouched";
    CHECK(c, url_id(&id, "mailto:x@y.se") == LIB_E_INVALID && id == NULL);
}

static void test_escape_append(struct check *c)
{
    struct buf b = BUF_INIT;
    CHECK(c, url_escape_append(&b, "/a b?c=%2f%41*$", 15) == 0);
    CHECK_STR(c, b.data, "/a%20b?c=%2FA*$");
    buf_dispose(&b);
    /* A '%' one or two bytes from the end is no escape. */
    CHECK(c, url_escape_append(&b, "/%4", 3) == 0);
    CHECK_STR(c, b.data, "/%254");
    buf_clear(&b);
    CHECK(c, url_escape_append(&b, "%", 1) == 0);
    CHECK_STR(c, b.data, "%25");
    buf_dispose(&b);
}

int main(void)
{
    struct check c = {0};
    RUN(&c, test_rfc3986_normal_examples);
    RUN(&c, test_rfc3986_abnormal_examples);
    RUN(&c, test_links_as_found_on_pages);
    RUN(&c, test_normal_form);
    RUN(&c, test_rejections);
    RUN(&c, test_parts);
    RUN(&c, test_scope);
    RUN(&c, test_ids);
    RUN(&c, test_escape_append);
    return check_report(&c, "test_url");
}
