/* test_sitemap.c: lib/sitemap.c — URL sets and sitemap indexes with and
 * without namespaces, gzip, the extensions sitemaps carry, and what a
 * hostile or broken file does: entities (expanded never, fetched never), a
 * truncated download, 50,001 entries, a gzip bomb. */
#include "check.h"
#include "sitemap.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define NS "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\""

static int parse(struct sitemap *s, const char *xml, lib_error *err)
{
    return sitemap_parse(s, xml, strlen(xml), err);
}

/* The gzip (one member) of the n bytes at data, repeated times times, into
 * *out (malloc'd); its length. Made a piece at a time, so that a bomb of
 * hundreds of megabytes costs this test little memory. */
static size_t gzip_of(char **out, const char *data, size_t n, size_t times)
{
    z_stream z;
    size_t cap = n * times / 100 + 65536;
    memset(&z, 0, sizeof z);
    *out = malloc(cap);
    if (!*out || deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_RLE) != Z_OK)
        return 0;
    z.next_out = (Bytef *)*out;
    z.avail_out = (uInt)cap;
    for (size_t i = 0; i < times; i++) {
        z.next_in = (Bytef *)data;
        z.avail_in = (uInt)n;
        deflate(&z, i + 1 == times ? Z_FINISH : Z_NO_FLUSH);
    }
    size_t len = cap - z.avail_out;
    deflateEnd(&z);
    return len;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* First, while the peak memory is still low enough to see it grow: 400 MB
 * of zeros in 400 kB stop at the limit, with no buffer made for them. */
static void test_gzip_bomb_stops_at_50_mb(struct check *c)
{
    static char zeros[1 << 20];
    char *bomb = NULL;
    size_t len = gzip_of(&bomb, zeros, sizeof zeros, 400);
    CHECK(c, len > 0 && len < 1024 * 1024);
    long before = peak_rss_kb();
    struct sitemap s;
    lib_error err = {0};
    clock_t t = clock();
    CHECK(c, sitemap_parse(&s, bomb, len, &err) == LIB_E_INVALID);
    CHECK_CONTAINS(c, err.message, "over 50 MB");
    CHECK(c, s.n == 0 && s.e == NULL);
    long grown_mb = (peak_rss_kb() - before) / 1024;
    if (grown_mb > 16)
        fprintf(stderr, "  the bomb grew the peak memory by %ld MB\n", grown_mb);
    CHECK(c, grown_mb <= 16);
    CHECK(c, (double)(clock() - t) / CLOCKS_PER_SEC < 10);
    sitemap_dispose(&s);
    free(bomb);
}

static void test_urlset_with_lastmod(struct check *c)
{
    struct sitemap s;
    lib_error err = {0};
    CHECK(c, parse(&s,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<urlset " NS ">\n"
                   "  <url>\n    <loc>\n      https://www.malmo.se/nyheter/a.html  \n    </loc>\n"
                   "    <lastmod> 2024-03-01T10:00:00+01:00 </lastmod>\n"
                   "    <changefreq>weekly</changefreq><priority>0.8</priority>\n  </url>\n"
                   "  <url><loc>https://www.malmo.se/s%C3%B6k?a=1&amp;b=2</loc></url>\n"
                   "  <url><loc><![CDATA[https://www.malmo.se/cdata?x=1&y=2]]></loc>"
                   "<lastmod></lastmod></url>\n"
                   "  <url><lastmod>2020-01-01</lastmod></url>\n"   /* no loc: skipped */
                   "  <url><loc>   </loc></url>\n"                  /* empty loc: skipped */
                   "  <url/>\n"
                   "  <url><loc>https://www.malmo.se/\xc3\xa5r</loc><loc>https://second/</loc>"
                   "</url>\n"
                   "</urlset>\n",
                   &err) == 0);
    CHECK(c, s.is_index == 0);
    CHECK(c, s.n == 4 && s.dropped == 0);
    if (s.n == 4) {
        CHECK_STR(c, s.e[0].loc, "https://www.malmo.se/nyheter/a.html");
        CHECK_STR(c, s.e[0].lastmod, "2024-03-01T10:00:00+01:00");
        CHECK_STR(c, s.e[1].loc, "https://www.malmo.se/s%C3%B6k?a=1&b=2");
        CHECK(c, s.e[1].lastmod == NULL);
        CHECK_STR(c, s.e[2].loc, "https://www.malmo.se/cdata?x=1&y=2");
        CHECK(c, s.e[2].lastmod == NULL);
        CHECK_STR(c, s.e[3].loc, "https://www.malmo.se/\xc3\xa5r");
    }
    sitemap_dispose(&s);
    CHECK(c, s.e == NULL && s.n == 0);
    sitemap_dispose(NULL);
}

static void test_sitemap_index(struct check *c)
{
    struct sitemap s;
    lib_error err = {0};
    CHECK(c, parse(&s,
                   "<?xml version=\"1.0\"?><sitemapindex " NS ">"
                   "<sitemap><loc>https://x.se/sitemap1.xml.gz</loc>"
                   "<lastmod>2024-01-01</lastmod></sitemap>"
                   "<sitemap><loc>https://x.se/sitemap2.xml</loc></sitemap>"
                   "<url><loc>https://x.se/not-in-an-index</loc></url>"
                   "</sitemapindex>",
                   &err) == 0);
    CHECK(c, s.is_index == 1 && s.n == 2);
    if (s.n == 2) {
        CHECK_STR(c, s.e[0].loc, "https://x.se/sitemap1.xml.gz");
        CHECK_STR(c, s.e[0].lastmod, "2024-01-01");
        CHECK_STR(c, s.e[1].loc, "https://x.se/sitemap2.xml");
    }
    sitemap_dispose(&s);
}

static void test_gzip(struct check *c)
{
    const char *xml = "<urlset " NS "><url><loc>https://x.se/a</loc></url>"
                      "<url><loc>https://x.se/b</loc></url></urlset>";
    char *gz = NULL;
    size_t len = gzip_of(&gz, xml, strlen(xml), 1);
    struct sitemap s;
    lib_error err = {0};
    CHECK(c, len > 2 && (unsigned char)gz[0] == 0x1f && (unsigned char)gz[1] == 0x8b);
    CHECK(c, sitemap_parse(&s, gz, len, &err) == 0);
    CHECK(c, s.n == 2);
    if (s.n == 2)
        CHECK_STR(c, s.e[1].loc, "https://x.se/b");
    sitemap_dispose(&s);
    /* Cut short: the inflated part is read, and the error says both. */
    CHECK(c, sitemap_parse(&s, gz, len - 30, &err) == LIB_E_INVALID);
    CHECK_CONTAINS(c, err.message, "gzip data ends early");
    sitemap_dispose(&s);
    /* Damaged inside. */
    if (len > 20)
        gz[12] ^= 0x55, gz[13] ^= 0x55, gz[14] ^= 0x55;
    memset(&err, 0, sizeof err);
    CHECK(c, sitemap_parse(&s, gz, len, &err) < 0);
    CHECK(c, err.message[0] != '\0');
    CHECK(c, s.n <= 2);
    sitemap_dispose(&s);
    free(gz);
    /* Only the magic. */
    CHECK(c, sitemap_parse(&s, "\x1f\x8b", 2, &err) == LIB_E_INVALID);
    sitemap_dispose(&s);
}

static void test_namespaces(struct check *c)
{
    struct sitemap s;
    lib_error err = {0};
    CHECK(c, parse(&s, "<urlset><url><loc>https://x.se/no-ns</loc></url></urlset>", &err) == 0);
    CHECK(c, s.n == 1);
    sitemap_dispose(&s);
    CHECK(c, parse(&s, "<urlset xmlns=\"http://www.google.com/schemas/sitemap/0.84\">"
                       "<url><loc>https://x.se/old</loc></url></urlset>", &err) == 0);
    CHECK(c, s.n == 1);
    sitemap_dispose(&s);
    CHECK(c, parse(&s, "<sm:urlset xmlns:sm=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
                       "<sm:url><sm:loc>https://x.se/prefixed</sm:loc></sm:url></sm:urlset>",
                   &err) == 0);
    CHECK(c, s.n == 1);
    if (s.n == 1)
        CHECK_STR(c, s.e[0].loc, "https://x.se/prefixed");
    sitemap_dispose(&s);
}

/* Google's image, video and hreflang extensions: their locs are not ours. */
static void test_extension_elements(struct check *c)
{
    struct sitemap s;
    lib_error err = {0};
    CHECK(c, parse(&s,
                   "<urlset " NS " xmlns:image=\"http://www.google.com/schemas/sitemap-image/1.1\""
                   " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""
                   " xmlns:video=\"http://www.google.com/schemas/sitemap-video/1.1\">"
                   "<url><image:loc>https://x.se/not-this.jpg</image:loc>"
                   "<image:image><image:loc>https://x.se/bild.jpg</image:loc></image:image>"
                   "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://x.se/en/\"/>"
                   "<loc>https://x.se/sida</loc>"
                   "<video:video><video:content_loc>https://x.se/v.mp4</video:content_loc>"
                   "<video:loc>https://x.se/nor-this</video:loc></video:video>"
                   "<image:lastmod>1999-01-01</image:lastmod><lastmod>2024-05-05</lastmod>"
                   "</url>"
                   "<image:url><image:loc>https://x.se/foreign-url</image:loc></image:url>"
                   "<url><loc>https://x.se/<b>bold</b>x</loc></url>"
                   "</urlset>",
                   &err) == 0);
    CHECK(c, s.n == 2);
    if (s.n == 2) {
        CHECK_STR(c, s.e[0].loc, "https://x.se/sida");
        CHECK_STR(c, s.e[0].lastmod, "2024-05-05");
        CHECK_STR(c, s.e[1].loc, "https://x.se/x");   /* text directly inside <loc> */
    }
    sitemap_dispose(&s);
}

static void test_entities_are_neither_expanded_nor_fetched(struct check *c)
{
    struct sitemap s;
    lib_error err = {0};
    const char *laughs =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE urlset [\n"
        " <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
        " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
        " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
        " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
        " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
        "]>\n<urlset " NS "><url><loc>https://x.se/&lol9;</loc></url>"
        "<url><loc>https://x.se/after</loc></url></urlset>\n";
    clock_t t = clock();
    int rc = parse(&s, laughs, &err);
    CHECK(c, (double)(clock() - t) / CLOCKS_PER_SEC < 2);
    for (size_t i = 0; i < s.n; i++)
        CHECK(c, strlen(s.e[i].loc) < 100 && !strstr(s.e[i].loc, "lollol"));
    /* Either the reference stays one (the text around it is the loc) or
     * libxml2 stops at the amplification; never a gigabyte of lol. */
    CHECK(c, rc == 0 || (rc == LIB_E_INVALID && err.message[0]));
    sitemap_dispose(&s);

    char path[] = "/tmp/test_sitemap_secretXXXXXX";
    int fd = mkstemp(path);
    CHECK(c, fd >= 0);
    if (fd < 0)
        return;
    CHECK(c, write(fd, "TOPSECRET", 9) == 9);
    close(fd);
    char xml[1024];
    snprintf(xml, sizeof xml,
             "<?xml version=\"1.0\"?>\n"
             "<!DOCTYPE urlset SYSTEM \"http://127.0.0.1:9/sitemap.dtd\" [\n"
             " <!ENTITY xxe SYSTEM \"file://%s\">\n"
             " <!ENTITY net SYSTEM \"http://127.0.0.1:9/x\">\n"
             " <!ENTITY %% pe SYSTEM \"file://%s\"> %%pe;\n"
             "]>\n<urlset " NS "><url><loc>https://x.se/&xxe;</loc></url>"
             "<url><loc>https://x.se/&net;</loc></url>"
             "<url><loc>https://x.se/plain</loc></url></urlset>\n",
             path, path);
    memset(&err, 0, sizeof err);
    rc = parse(&s, xml, &err);
    CHECK(c, rc == 0 || rc == LIB_E_INVALID);
    for (size_t i = 0; i < s.n; i++)
        CHECK(c, !strstr(s.e[i].loc, "TOPSECRET"));
    CHECK(c, !strstr(err.message, "TOPSECRET"));
    CHECK(c, s.n == 3);
    if (s.n == 3)
        CHECK_STR(c, s.e[2].loc, "https://x.se/plain");
    sitemap_dispose(&s);
    unlink(path);
}

/* A download cut short: the entries complete before the cut are kept, and
 * the failure says where it broke. */
static void test_truncated_xml_keeps_what_came(struct check *c)
{
    struct sitemap s;
    lib_error err = {0};
    const char *cut = "<urlset " NS ">\n<url><loc>https://x.se/1</loc></url>\n"
                      "<url><loc>https://x.se/2</loc></url>\n<url><loc>https://x.se/3";
    CHECK(c, parse(&s, cut, &err) == LIB_E_INVALID);
    CHECK_CONTAINS(c, err.message, "line 4");
    CHECK_CONTAINS(c, err.message, "entries read before it: 2");
    CHECK(c, s.n == 2);
    if (s.n == 2)
        CHECK_STR(c, s.e[1].loc, "https://x.se/2");
    sitemap_dispose(&s);
    /* A stray '&' in a loc, as sitemap generators write them. */
    memset(&err, 0, sizeof err);
    CHECK(c, parse(&s, "<urlset><url><loc>https://x.se/ok</loc></url>"
                       "<url><loc>https://x.se/?a=1&b=2</loc></url></urlset>", &err) ==
                 LIB_E_INVALID);
    CHECK(c, s.n == 1);
    CHECK(c, err.message[0] != '\0');
    sitemap_dispose(&s);
}

static void test_not_a_sitemap(struct check *c)
{
    static const struct {
        const char *data, *reason;
    } bad[] = {
        {"", "empty"},
        {"not xml at all", "not well-formed XML"},
        {"<!DOCTYPE html><html><body><h1>404</h1></body></html>", "<html>"},
        {"<rss version=\"2.0\"><channel><item><link>https://x.se/</link></item></channel></rss>",
         "<rss>"},
        {"<?xml version=\"1.0\"?>", "not well-formed XML"},
        {"<?xml version=\"1.0\"?><!-- only a comment -->", "not well-formed XML"},
        {"<loc>https://x.se/</loc>", "<loc>"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct sitemap s;
        lib_error err = {0};
        CHECK(c, parse(&s, bad[i].data, &err) == LIB_E_INVALID);
        CHECK_CONTAINS(c, err.message, bad[i].reason);
        CHECK(c, s.n == 0 && s.e == NULL);
        sitemap_dispose(&s);
    }
    struct sitemap s;
    lib_error err = {0};
    CHECK(c, sitemap_parse(&s, NULL, 0, &err) == LIB_E_INVALID);
    sitemap_dispose(&s);
    /* Plain data over the limit is not read at all. */
    char *big = calloc(1, SITEMAP_MAX_BYTES + 1);
    CHECK(c, big != NULL);
    if (big) {
        CHECK(c, sitemap_parse(&s, big, SITEMAP_MAX_BYTES + 1, &err) == LIB_E_INVALID);
        CHECK_CONTAINS(c, err.message, "over 50 MB");
        sitemap_dispose(&s);
        free(big);
    }
    /* An empty sitemap is a sitemap. */
    CHECK(c, parse(&s, "<urlset " NS "/>", &err) == 0 && s.n == 0);
    sitemap_dispose(&s);
}

static void test_latin1_sitemap_comes_out_utf8(struct check *c)
{
    struct sitemap s;
    lib_error err = {0};
    CHECK(c, parse(&s, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
                       "<urlset><url><loc>https://x.se/\xe5r</loc></url></urlset>", &err) == 0);
    CHECK(c, s.n == 1);
    if (s.n == 1)
        CHECK_STR(c, s.e[0].loc, "https://x.se/\xc3\xa5r");
    sitemap_dispose(&s);
}

static void test_50001_entries(struct check *c)
{
    size_t cap = 3 * 1024 * 1024, len = 0;
    char *xml = malloc(cap);
    CHECK(c, xml != NULL);
    if (!xml)
        return;
    len += (size_t)snprintf(xml, cap, "<urlset " NS ">\n");
    for (int i = 0; i < SITEMAP_MAX_ENTRIES + 1; i++)
        len += (size_t)snprintf(xml + len, cap - len, "<url><loc>https://x.se/%d</loc></url>\n", i);
    len += (size_t)snprintf(xml + len, cap - len, "</urlset>\n");
    struct sitemap s;
    lib_error err = {0};
    CHECK(c, sitemap_parse(&s, xml, len, &err) == 0);
    CHECK(c, s.n == SITEMAP_MAX_ENTRIES);
    CHECK(c, s.dropped == 1);
    if (s.n == SITEMAP_MAX_ENTRIES) {
        CHECK_STR(c, s.e[0].loc, "https://x.se/0");
        CHECK_STR(c, s.e[SITEMAP_MAX_ENTRIES - 1].loc, "https://x.se/49999");
    }
    sitemap_dispose(&s);
    free(xml);
}

int main(void)
{
    struct check c = {0};
    xmlInitParser();
    RUN(&c, test_gzip_bomb_stops_at_50_mb);
    RUN(&c, test_urlset_with_lastmod);
    RUN(&c, test_sitemap_index);
    RUN(&c, test_gzip);
    RUN(&c, test_namespaces);
    RUN(&c, test_extension_elements);
    RUN(&c, test_entities_are_neither_expanded_nor_fetched);
    RUN(&c, test_truncated_xml_keeps_what_came);
    RUN(&c, test_not_a_sitemap);
    RUN(&c, test_latin1_sitemap_comes_out_utf8);
    RUN(&c, test_50001_entries);
    xmlCleanupParser();
    return check_report(&c, "test_sitemap");
}
