/* test_robots.c: lib/robots.c — RFC 9309's examples, Google's documented
 * precedence and wildcard examples, which groups apply to our agent, and
 * the files found in the wild: CRLF, a BOM, comments, garbage, Latin-1, a
 * file over the 500 KiB the RFC asks a crawler to read. */
#include "check.h"
#include "robots.h"

#include <stdlib.h>
#include <string.h>

#define AGENT "SiteSearch/1.0 (+https://example.se/om-sok)"

struct verdict {
    const char *path;
    int allowed;
};

/* Parses text for agent and checks each path's verdict; a failure names
 * the path. */
static void check_paths(struct check *c, const char *text, const char *agent,
                        const struct verdict *v, size_t n)
{
    struct robots *r = NULL;
    CHECK(c, robots_parse(&r, text, strlen(text), agent) == 0 && r);
    for (size_t i = 0; i < n; i++) {
        int got = robots_allowed(r, v[i].path);
        if (got != v[i].allowed)
            fprintf(stderr, "  agent %s, path \"%s\": got %d\n", agent ? agent : "(null)",
                    v[i].path, got);
        CHECK(c, got == v[i].allowed);
    }
    robots_free(r);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char rfc_5_1[] = "User-Agent: *\n"
                              "Disallow: *.gif$\n"
                              "Disallow: /example/\n"
                              "Allow: /publications/\n"
                              "\n"
                              "User-Agent: foobot\n"
                              "Disallow:/\n"
                              "Allow:/example/page.html\n"
                              "Allow:/example/allowed.gif\n"
                              "\n"
                              "User-Agent: barbot\n"
                              "User-Agent: bazbot\n"
                              "Disallow: /example/page.html\n"
                              "\n"
                              "User-Agent: quxbot\n"
                              "\n"
                              "EOF\n";

static void test_rfc9309_simple_example(struct check *c)
{
    static const struct verdict foobot[] = {
        {"/example/page.html", 1}, {"/example/allowed.gif", 1}, {"/", 0},
        {"/example/other.html", 0}, {"/publications/", 0},
    };
    static const struct verdict barbot[] = {
        {"/example/page.html", 0}, {"/example/other.html", 1}, {"/x.gif", 1}, {"/", 1},
    };
    static const struct verdict quxbot[] = {
        {"/example/page.html", 1}, {"/x.gif", 1}, {"/", 1},
    };
    static const struct verdict other[] = {
        {"/x.gif", 0},          {"/a/b/c.gif", 0},       {"/x.gif?y", 1},
        {"/example/", 0},       {"/example/page.html", 0}, {"/publications/", 1},
        {"/publications/a.gif", 1}, {"/", 1},   /* the longer rule */
    };
    check_paths(c, rfc_5_1, "foobot", foobot, N(foobot));
    check_paths(c, rfc_5_1, "FooBot/2.1", foobot, N(foobot));
    check_paths(c, rfc_5_1, "barbot", barbot, N(barbot));
    check_paths(c, rfc_5_1, "bazbot", barbot, N(barbot));
    check_paths(c, rfc_5_1, "quxbot", quxbot, N(quxbot));
    check_paths(c, rfc_5_1, AGENT, other, N(other));
    check_paths(c, rfc_5_1, NULL, other, N(other));
}

static void test_rfc9309_longest_match(struct check *c)
{
    static const struct verdict v[] = {
        {"/example/page/", 1},
        {"/example/page/index.html", 1},
        {"/example/page/disallowed.gif", 0},
        {"/example/page/disallowed.gif?x", 0},
    };
    check_paths(c, "User-Agent: foobot\nAllow: /example/page/\n"
                   "Disallow: /example/page/disallowed.gif\n",
                "foobot", v, N(v));
}

/* §2.2.2: an Allow wins a tie; §2.2.1: groups for one agent merge. */
static void test_rfc9309_tie_and_merged_groups(struct check *c)
{
    static const struct verdict tie[] = {{"/folder/page", 1}, {"/folder", 1}, {"/other", 1}};
    check_paths(c, "user-agent: *\ndisallow: /folder\nallow: /folder\n", AGENT, tie, N(tie));
    static const struct verdict merged[] = {
        {"/foo", 0}, {"/bar/x", 0}, {"/baz", 0}, {"/qux", 1},
    };
    check_paths(c, "user-agent: ExampleBot\ndisallow: /foo\ndisallow: /bar\n\n"
                   "user-agent: *\ndisallow: /qux\n\n"
                   "user-agent: examplebot\ndisallow: /baz\n",
                "ExampleBot/1.0 (+https://example.com/bot)", merged, N(merged));
    /* The special characters' examples. */
    static const struct verdict special[] = {
        {"/this/path/exactly", 1}, {"/this/path/exact", 0}, {"/this/path/exactly/more", 1},
        {"/this/any/thing/exactly", 1}, {"/this/x/exactly-more", 1}, {"/that", 0},
    };
    check_paths(c, "user-agent: *\ndisallow: /\nallow: /this/path/exactly$ # comment in line\n"
                   "# comment on its own line\nallow: /this/*/exactly\n",
                AGENT, special, N(special));
}

/* The examples of "Order of precedence for rules" in Google's robots.txt
 * documentation. */
static void test_google_precedence(struct check *c)
{
    static const struct {
        const char *text, *path;
        int allowed;
    } cases[] = {
        {"allow: /p\ndisallow: /\n", "/page", 1},
        {"allow: /folder\ndisallow: /folder\n", "/folder/page", 1},
        {"allow: /page\ndisallow: /*.htm\n", "/page.htm", 0},
        {"allow: /page\ndisallow: /*.ph\n", "/page.php5", 1},
        {"allow: /$\ndisallow: /\n", "/", 1},
        {"allow: /$\ndisallow: /\n", "/page.htm", 0},
    };
    for (size_t i = 0; i < N(cases); i++) {
        char text[256];
        snprintf(text, sizeof text, "user-agent: *\n%s", cases[i].text);
        struct verdict v = {cases[i].path, cases[i].allowed};
        check_paths(c, text, AGENT, &v, 1);
    }
}

/* Google's path-matching examples, each pattern as a Disallow. */
static void test_google_wildcards(struct check *c)
{
    static const struct {
        const char *pattern;
        const char *match[7], *no_match[5];
    } cases[] = {
        {"/", {"/", "/fish", "/a/b?c"}, {NULL}},
        {"/*", {"/", "/fish", "/a/b?c"}, {NULL}},
        {"/$", {"/"}, {"/fish", "/?a"}},
        {"/fish",
         {"/fish", "/fish.html", "/fish/salmon.html", "/fishheads", "/fishheads/yummy.html",
          "/fish.php?id=anything"},
         {"/Fish.asp", "/catfish", "/?id=fish", "/desert/fish"}},
        {"/fish*",
         {"/fish", "/fish.html", "/fish/salmon.html", "/fishheads", "/fishheads/yummy.html",
          "/fish.php?id=anything"},
         {"/Fish.asp", "/catfish", "/?id=fish", "/desert/fish"}},
        {"/fish/",
         {"/fish/", "/fish/?id=anything", "/fish/salmon.htm"},
         {"/fish", "/fish.html", "/animals/fish/", "/Fish/Salmon.asp"}},
        {"/*.php",
         {"/index.php", "/filename.php", "/folder/filename.php", "/folder/filename.php?parameters",
          "/folder/any.php.file.html", "/filename.php/"},
         {"/", "/windows.PHP"}},
        {"/*.php$",
         {"/filename.php", "/folder/filename.php"},
         {"/filename.php?parameters", "/filename.php/", "/filename.php5", "/windows.PHP"}},
        {"/fish*.php", {"/fish.php", "/fishheads/catfish.php?parameters"}, {"/Fish.PHP"}},
        {"/a$b", {"/a$b", "/a$bc"}, {"/a", "/ab"}},   /* '$' inside is a character */
        {"/**a**$", {"/a", "/xyz/a", "/ab"}, {"/b", "/xyz/"}},
    };
    for (size_t i = 0; i < N(cases); i++) {
        char text[128];
        snprintf(text, sizeof text, "User-agent: *\nDisallow: %s\n", cases[i].pattern);
        struct robots *r = NULL;
        CHECK(c, robots_parse(&r, text, strlen(text), AGENT) == 0);
        for (size_t j = 0; j < 7 && cases[i].match[j]; j++) {
            if (robots_allowed(r, cases[i].match[j]))
                fprintf(stderr, "  %s should match %s\n", cases[i].pattern, cases[i].match[j]);
            CHECK(c, !robots_allowed(r, cases[i].match[j]));
        }
        for (size_t j = 0; j < 5 && cases[i].no_match[j]; j++) {
            if (!robots_allowed(r, cases[i].no_match[j]))
                fprintf(stderr, "  %s should not match %s\n", cases[i].pattern,
                        cases[i].no_match[j]);
            CHECK(c, robots_allowed(r, cases[i].no_match[j]));
        }
        robots_free(r);
    }
}

/* RFC 9309 §2.2.2's table: escapes of unreserved characters are decoded,
 * raw non-ASCII is encoded, escaped reserved characters stay escaped. */
static void test_percent_encoding(struct check *c)
{
    static const struct verdict v[] = {
        {"/foo/bar/%E3%83%84", 0}, {"/foo/bar/\xe3\x83\x84", 0}, {"/foo/bar/%e3%83%84", 0},
        {"/baz", 0},               {"/%62%61%7a/x", 0},           {"/\xc3\xa5ngest", 0},
        {"/%C3%A5ngest", 0},       {"/%C3%A5", 1},                {"/q?u=https%3A%2F%2Fx", 0},
        {"/q?u=https://x", 1},     {"/a%2Fb", 0},                 {"/a/b", 1},
        {"/\xe5", 0},              {"/%E5", 0},
    };
    check_paths(c, "User-agent: *\n"
                   "Disallow: /foo/bar/\xe3\x83\x84\n"
                   "Disallow: /%62%61%7A\n"
                   "Disallow: /%c3%a5ngest\n"
                   "Disallow: /q?u=https%3A%2F%2F\n"
                   "Disallow: /a%2Fb\n"
                   "Disallow: /\xe5$\n",   /* Latin-1: a byte, escaped as such */
                AGENT, v, N(v));
}

static void test_agent_selection(struct check *c)
{
    const char *text = "User-agent: *\nDisallow: /star\n\n"
                       "User-agent: Googlebot\nDisallow: /google\n\n"
                       "User-agent: SiteSearch/3.0\nDisallow: /mine\n\n"
                       "User-agent: SiteSearch-Preview\nDisallow: /preview\n";
    static const struct verdict mine[] = {
        {"/star", 1}, {"/google", 1}, {"/mine", 0}, {"/preview", 1},
    };
    check_paths(c, text, AGENT, mine, N(mine));
    check_paths(c, text, "sitesearch", mine, N(mine));
    check_paths(c, text, "SITESEARCH", mine, N(mine));
    static const struct verdict star[] = {{"/star", 0}, {"/mine", 1}, {"/google", 1}};
    check_paths(c, text, "OtherBot/1.0", star, N(star));
    check_paths(c, text, "", star, N(star));
    check_paths(c, text, "/1.0", star, N(star));
    /* A group naming us with no rules: everything, "*" notwithstanding. */
    static const struct verdict empty[] = {{"/star", 1}, {"/", 1}};
    check_paths(c, "User-agent: *\nDisallow: /\n\nUser-agent: sitesearch\n", AGENT, empty,
                N(empty));
    /* One group for several agents, "*" among them. */
    static const struct verdict shared[] = {{"/x", 0}, {"/y", 1}};
    check_paths(c, "User-agent: googlebot\nUser-agent: *\nDisallow: /x\n", AGENT, shared,
                N(shared));
    /* Rules before any User-agent belong to no group. */
    static const struct verdict orphan[] = {{"/x", 1}, {"/y", 0}};
    check_paths(c, "Disallow: /x\nUser-agent: *\nDisallow: /y\n", AGENT, orphan, N(orphan));
    /* "*bot" is not "*", and a rule ends a group's User-agent lines. */
    static const struct verdict ends[] = {{"/a", 1}, {"/b", 0}};
    check_paths(c, "User-agent: *bot\nDisallow: /a\nUser-agent: *\nDisallow: /b\n", AGENT, ends,
                N(ends));
    static const struct verdict split[] = {{"/a", 0}, {"/b", 1}};
    check_paths(c, "User-agent: sitesearch\nDisallow: /a\nUser-agent: googlebot\nDisallow: /b\n",
                AGENT, split, N(split));
}

static void test_line_endings_bom_comments_garbage(struct check *c)
{
    static const struct verdict v[] = {{"/a", 0}, {"/b", 0}, {"/c", 0}, {"/d", 1}, {"/e", 0}};
    const char *files[] = {
        "User-agent: *\r\nDisallow: /a\r\nDisallow: /b\r\nDisallow: /c\r\nDisallow: /e",
        "User-agent: *\rDisallow: /a\rDisallow: /b\rDisallow: /c\rDisallow: /e\r",
        "\xef\xbb\xbfUser-agent: *\nDisallow: /a\nDisallow: /b\nDisallow: /c\nDisallow: /e\n",
        "# robots.txt f\xf6r v\xe5r webbplats\n"
        "<html><body>Not found</body></html>\n"
        "User-agent: * # alla\n"
        "  DISALLOW  :   /a   # gamla sidor\n"
        "disallow:/b\n"
        "Disallow /d\n"                       /* no colon: not a line */
        "Noindex: /d\n"                       /* not a key of ours */
        "\n\n   \t\n"
        "Disallow: /c\n"
        "Host: www.x.se\n"
        "Disallow:\t/e\t\n"
        "\x01\x02\xff\xfe:::\n",
    };
    for (size_t i = 0; i < N(files); i++)
        check_paths(c, files[i], AGENT, v, N(v));
    /* A NUL inside is a byte like another. */
    static const char nul[] = "User-agent: *\nDisallow: /x\0y\nDisallow: /e\n";
    struct robots *r = NULL;
    CHECK(c, robots_parse(&r, nul, sizeof nul - 1, AGENT) == 0);
    CHECK(c, !robots_allowed(r, "/e"));
    CHECK(c, !robots_allowed(r, "/x%00y"));
    CHECK(c, robots_allowed(r, "/x"));
    robots_free(r);
}

static void test_empty_disallow_robots_txt_and_no_file(struct check *c)
{
    static const struct verdict empty[] = {{"/", 1}, {"/anything", 1}};
    check_paths(c, "User-agent: *\nDisallow:\n", AGENT, empty, N(empty));
    check_paths(c, "", AGENT, empty, N(empty));
    static const struct verdict all[] = {
        {"/", 0}, {"/robots.txt", 1}, {"/robots.txt?x=1", 1}, {"/robots.txt2", 0}, {"", 0},
    };
    check_paths(c, "User-agent: *\nDisallow: /\n", AGENT, all, N(all));
    CHECK(c, robots_allowed(NULL, "/anything") == 1);
    CHECK(c, robots_crawl_delay(NULL) == -1);
    const char *const *maps = (const char *const *)&maps;
    CHECK(c, robots_sitemaps(NULL, &maps) == 0 && maps == NULL);
    robots_free(NULL);
    struct robots *r = NULL;
    CHECK(c, robots_parse(&r, NULL, 0, NULL) == 0 && r);
    CHECK(c, robots_allowed(r, "/x"));
    robots_free(r);
}

static double delay_of(const char *text, const char *agent)
{
    struct robots *r = NULL;
    if (robots_parse(&r, text, strlen(text), agent) < 0)
        return -2;
    double d = robots_crawl_delay(r);
    robots_free(r);
    return d;
}

static void test_crawl_delay(struct check *c)
{
    const char *text = "User-agent: *\nCrawl-delay: 10\nDisallow: /x\n\n"
                       "User-agent: sitesearch\nCrawl-delay: 2.5\nCrawl-delay: 7\n";
    CHECK(c, delay_of(text, AGENT) == 2.5);
    CHECK(c, delay_of(text, "other") == 10);
    CHECK(c, delay_of("User-agent: *\nDisallow: /\n", AGENT) == -1);
    CHECK(c, delay_of("User-agent: *\ncrawl-delay: .5\n", AGENT) == 0.5);
    CHECK(c, delay_of("User-agent: *\nCrawl-Delay: 3 # seconds\n", AGENT) == 3);
    CHECK(c, delay_of("User-agent: *\nCrawl-delay: soon\n", AGENT) == -1);
    CHECK(c, delay_of("User-agent: *\nCrawl-delay: -4\n", AGENT) == -1);
    CHECK(c, delay_of("User-agent: *\nCrawl-delay: bad\nCrawl-delay: 4\n", AGENT) == 4);
    CHECK(c, delay_of("Crawl-delay: 4\n", AGENT) == -1);   /* in no group */
    /* A Crawl-delay does not end the group's User-agent lines. */
    CHECK(c, delay_of("User-agent: a\nCrawl-delay: 1\nUser-agent: sitesearch\nDisallow: /\n",
                      AGENT) == 1);
}

static void test_sitemaps(struct check *c)
{
    const char *text = "Sitemap: https://x.se/sitemap.xml\n"
                       "User-agent: googlebot\nDisallow: /\n"
                       "sitemap:https://x.se/news.xml.gz  # news\n"
                       "User-agent: *\nSITEMAP: /relative.xml\nSitemap:\n";
    struct robots *r = NULL;
    const char *const *maps = NULL;
    CHECK(c, robots_parse(&r, text, strlen(text), AGENT) == 0);
    CHECK(c, robots_sitemaps(r, &maps) == 3);
    CHECK_STR(c, maps[0], "https://x.se/sitemap.xml");
    CHECK_STR(c, maps[1], "https://x.se/news.xml.gz");
    CHECK_STR(c, maps[2], "/relative.xml");
    /* The "*" group holds Sitemap lines and no rule. */
    CHECK(c, robots_allowed(r, "/x"));
    robots_free(r);
    /* A URL is a C string: a NUL ends it, and one that is nothing is none. */
    static const char nul[] = "Sitemap:\0\0\nSitemap: https://x.se/a.xml \0junk\n";
    CHECK(c, robots_parse(&r, nul, sizeof nul - 1, AGENT) == 0);
    CHECK(c, robots_sitemaps(r, &maps) == 1);
    CHECK_STR(c, maps[0], "https://x.se/a.xml");
    robots_free(r);
}

/* 1 MB: the first 500 KiB are read, the rest is not, and a path is
 * tested against its thousands of rules quickly. */
static void test_one_megabyte_file(struct check *c)
{
    size_t cap = 1024 * 1024 + 64, len = 0;
    char *text = malloc(cap);
    CHECK(c, text != NULL);
    if (!text)
        return;
    len += (size_t)snprintf(text, cap, "User-agent: *\nSitemap: https://x.se/first.xml\n");
    int i = 0;
    while (len < ROBOTS_MAX_BYTES - 64)
        len += (size_t)snprintf(text + len, cap - len, "Disallow: /dir%d/*.pdf$\n", i++);
    len += (size_t)snprintf(text + len, cap - len, "Disallow: /last-read\n");
    while (len < ROBOTS_MAX_BYTES + 10)
        text[len++] = '#';   /* a comment across the limit */
    len += (size_t)snprintf(text + len, cap - len, "\nDisallow: /past-the-limit\n"
                                                   "Sitemap: https://x.se/past.xml\n");
    while (len < 1024 * 1024 - 32)
        len += (size_t)snprintf(text + len, cap - len, "Disallow: /more\n");
    struct robots *r = NULL;
    const char *const *maps;
    CHECK(c, robots_parse(&r, text, len, AGENT) == 0);
    CHECK(c, !robots_allowed(r, "/dir0/a.pdf"));
    CHECK(c, !robots_allowed(r, "/dir15000/b/c.pdf"));
    CHECK(c, robots_allowed(r, "/dir15000/b/c.pdf?x"));
    CHECK(c, !robots_allowed(r, "/last-read"));
    CHECK(c, robots_allowed(r, "/past-the-limit"));
    CHECK(c, robots_allowed(r, "/more"));
    CHECK(c, robots_sitemaps(r, &maps) == 1);
    robots_free(r);
    free(text);
}

/* Patterns built to make a matcher backtrack: answered, and correctly. */
static void test_hostile_patterns(struct check *c)
{
    size_t n = 12000;
    char *text = malloc(n + 64), *path = malloc(8193);
    CHECK(c, text && path);
    if (!text || !path) {
        free(text);
        free(path);
        return;
    }
    size_t len = (size_t)snprintf(text, n, "User-agent: *\nDisallow: /");
    while (len < n - 4) {
        memcpy(text + len, "*a", 2);
        len += 2;
    }
    memcpy(text + len, "b$\n", 3);
    len += 3;
    path[0] = '/';
    memset(path + 1, 'a', 8191);
    path[8192] = '\0';
    struct robots *r = NULL;
    CHECK(c, robots_parse(&r, text, len, AGENT) == 0);
    CHECK(c, robots_allowed(r, path));
    robots_free(r);
    len = (size_t)snprintf(text, n, "User-agent: *\nDisallow: /*");
    while (len < 8000)
        text[len++] = 'a';
    memcpy(text + len, "b\n", 2);
    len += 2;
    CHECK(c, robots_parse(&r, text, len, AGENT) == 0);
    CHECK(c, robots_allowed(r, path));
    path[8191] = 'b';
    CHECK(c, !robots_allowed(r, path));
    robots_free(r);
    free(text);
    free(path);
}

int main(void)
{
    struct check c = {0};
    RUN(&c, test_rfc9309_simple_example);
    RUN(&c, test_rfc9309_longest_match);
    RUN(&c, test_rfc9309_tie_and_merged_groups);
    RUN(&c, test_google_precedence);
    RUN(&c, test_google_wildcards);
    RUN(&c, test_percent_encoding);
    RUN(&c, test_agent_selection);
    RUN(&c, test_line_endings_bom_comments_garbage);
    RUN(&c, test_empty_disallow_robots_txt_and_no_file);
    RUN(&c, test_crawl_delay);
    RUN(&c, test_sitemaps);
    RUN(&c, test_one_megabyte_file);
    RUN(&c, test_hostile_patterns);
    return check_report(&c, "test_robots");
}
