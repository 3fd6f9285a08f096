/* test_browser.c: the search page in a real browser. Headless Chromium,
 * driven through chromedriver, uses the page served by a real searchd over
 * corpus/: typing shows hits with marks, a facet narrows them, paging and
 * the back button move through the URL, "Menade du" searches the
 * correction, a /?q= link opens with results, suggestions appear, a count
 * past searchd's bound reads "Fler än N träffar" with approximate facet
 * counts, a document's hit says its format and page, following a hit is
 * counted by a searchd keeping search statistics, and a screenshot of the
 * page is taken and checked not to be blank. axe-core audits the page
 * (WCAG 2.1 A and AA) with results and facets, with "Menade du", with the
 * suggestions open and with no hits, each at a desktop's and a phone's
 * width, and is shown to find a violation planted in it. */
#include "axe_audit.h"
#include "check.h"
#include "support.h"
#include "webdriver.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define WAIT_MS 10000
#define TOKEN "browser-statistics-token-0123456789"

struct fixture {
    char dir[256];
    char db[512];
    char base[64];
    struct searchd sd;
    struct webdriver wd;
};

static int settled(struct webdriver *wd)
{
    return wd_wait(wd, "return document.body.dataset.state === 'done'", WAIT_MS);
}

static void open_page(struct check *c, struct fixture *f, const char *path)
{
    char url[512];
    snprintf(url, sizeof url, "%s%s", f->base, path);
    CHECK(c, wd_go(&f->wd, url) == 0);
}

static void test_typing_shows_hits_with_marks(struct check *c)
{
    struct fixture *f = c->ctx;
    open_page(c, f, "/");
    CHECK(c, wd_type(&f->wd, "#q", "segregation") == 0);
    CHECK(c, wd_wait(&f->wd, "return document.querySelectorAll('#results li.hit').length > 0",
                     WAIT_MS) == 0);
    CHECK(c, settled(&f->wd) == 0);
    CHECK(c, wd_js_long(&f->wd, "return document.querySelectorAll('#results li.hit').length") == 10);
    CHECK(c, wd_js_long(&f->wd, "return document.querySelectorAll('#results .hit-snippet mark').length") > 0);
    char *status = wd_js_string(&f->wd, "return document.querySelector('#status').textContent");
    char want[32];
    snprintf(want, sizeof want, "%ld", http_search_total(f->sd.port, "q=segregation"));
    CHECK_CONTAINS(c, status, want);
    free(status);
    char *href = wd_js_string(&f->wd, "return location.search");
    CHECK_CONTAINS(c, href, "q=segregation");
    free(href);
}

static void test_facet_narrows_the_hits(struct check *c)
{
    struct fixture *f = c->ctx;
    CHECK(c, wd_click(&f->wd, "button.facet-option[data-facet='type'][data-value='seminarium']") == 0);
    CHECK(c, wd_wait(&f->wd, "return location.search.includes('type=seminarium')", WAIT_MS) == 0);
    CHECK(c, settled(&f->wd) == 0);
    char *status = wd_js_string(&f->wd, "return document.querySelector('#status').textContent");
    char want[32];
    snprintf(want, sizeof want, "%ld", http_search_total(f->sd.port, "q=segregation&type=seminarium"));
    CHECK_CONTAINS(c, status, want);
    free(status);
    CHECK(c, wd_js_long(&f->wd, "return document.querySelectorAll("
                                "\"button.facet-option[data-facet='type'][aria-pressed='true']\").length") == 1);
}

/* A second searchd over the same index counting at most 5 matches. */
static void test_a_count_past_the_bound_says_more_than(struct check *c)
{
    struct fixture *f = c->ctx;
    struct searchd bounded = {0};
    const char *extra[] = {"--count-limit", "5", NULL};
    CHECK(c, http_search_total(f->sd.port, "q=kommun") > 5);
    if (searchd_start(&bounded, f->db, extra) < 0) {
        CHECK(c, !"searchd --count-limit 5 started");
        return;
    }
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/?q=kommun", bounded.port);
    CHECK(c, wd_go(&f->wd, url) == 0);
    CHECK(c, settled(&f->wd) == 0);
    char *status = wd_js_string(&f->wd, "return document.querySelector('#status').textContent");
    CHECK_CONTAINS(c, status, "Fler än 5 träffar");
    free(status);
    char *info = wd_js_string(&f->wd, "return document.querySelector('#page-info').textContent");
    CHECK_CONTAINS(c, info, "av ca. ");   /* the number of pages is estimated too */
    free(info);
    CHECK(c, wd_js_long(&f->wd, "return [...document.querySelectorAll('.facet-count')]"
                                ".filter(e => e.textContent.startsWith('(ca. ')).length") > 0);
    CHECK(c, wd_js_long(&f->wd, "return document.querySelectorAll('#results li.hit').length") > 0);
    CHECK(c, searchd_stop(&bounded) == 0);
}

/* Following a hit sends its query and rank as a beacon to /api/click: a
 * searchd keeping statistics counts the click, at the hit's rank. */
static void test_following_a_hit_is_counted_in_the_statistics(struct check *c)
{
    struct fixture *f = c->ctx;
    char token[600], stats[600];
    snprintf(token, sizeof token, "%s/token", f->dir);
    snprintf(stats, sizeof stats, "%s/stats.db", f->dir);
    const char *extra[] = {"--admin-token-file", token, "--analytics", stats, NULL};
    struct searchd sd = {0};
    if (token_file_write(token, TOKEN) < 0 || searchd_start(&sd, f->db, extra) < 0) {
        CHECK(c, !"searchd --analytics started");
        return;
    }
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/?q=segregation", sd.port);
    CHECK(c, wd_go(&f->wd, url) == 0);
    CHECK(c, settled(&f->wd) == 0);
    /* the third hit, its link kept from leaving the page */
    json_decref(wd_js(&f->wd, "const a = document.querySelectorAll('#results a.hit-title')[2];"
                              "a.addEventListener('click', (e) => e.preventDefault());"
                              "a.click(); return true;"));
    json_t *report = NULL;
    for (int i = 0; i < 50; i++) {   /* the beacon is on its way */
        struct http_reply r;
        json_decref(report);
        report = NULL;
        if (http_request(sd.port, "GET", "/api/analytics", "Authorization: Bearer " TOKEN "\r\n",
                         NULL, 0, &r) == 0 && r.status == 200)
            report = json_loads(r.body, 0, NULL);
        http_reply_dispose(&r);
        if (json_integer_value(json_object_get(report, "clicks")) > 0)
            break;
        pause_ms(100);
    }
    CHECK(c, json_integer_value(json_object_get(report, "searches")) == 1);
    CHECK(c, json_integer_value(json_object_get(report, "clicks")) == 1);
    CHECK(c, json_real_value(json_object_get(report, "mean_clicked_rank")) == 3.0);
    json_decref(report);
    CHECK(c, searchd_stop(&sd) == 0);
}

/* A document's hit says its format in words, and a PDF's the page its
 * snippet is on, with a link to that page. */
static void test_a_document_hit_shows_its_format_and_page(struct check *c)
{
    struct fixture *f = c->ctx;
    open_page(c, f, "/?q=l%C3%A4xhj%C3%A4lpscaf%C3%A9er");
    CHECK(c, settled(&f->wd) == 0);
    char *format = wd_js_string(&f->wd, "return document.querySelector('#results li.hit .hit-format')"
                                        "?.textContent");
    CHECK_STR(c, format, "Dokument i formatet PDF, sidan 2");
    free(format);
    char *hidden = wd_js_string(&f->wd, "return document.querySelector('.hit-format .visually-hidden')"
                                        "?.textContent");
    CHECK_STR(c, hidden, "Dokument i formatet ");
    free(hidden);
    char *href = wd_js_string(&f->wd, "return document.querySelector('#results li.hit a.hit-title')"
                                      "?.getAttribute('href')");
    CHECK_CONTAINS(c, href, "tre.pdf#page=2");
    free(href);
    char *label = wd_js_string(&f->wd, "return document.querySelector(\"button.facet-option"
                                       "[data-facet='format'][data-value='pdf'] .facet-label\")"
                                       "?.textContent");
    CHECK_STR(c, label, "PDF");
    free(label);
}

/* A hit in another language than the page's: its title and snippet carry
 * their language (WCAG 3.1.2), the rest of it stays Swedish and names the
 * language, as the language facet does. */
static void test_a_hit_in_english_is_marked_with_its_language(struct check *c)
{
    struct fixture *f = c->ctx;
    open_page(c, f, "/?q=reporting");
    CHECK(c, settled(&f->wd) == 0);
    char *lang = wd_js_string(&f->wd, "const h = document.querySelector('#results li.hit');"
                                      "return [h?.lang, h?.querySelector('h3')?.lang,"
                                      " h?.querySelector('.hit-snippet')?.lang].join('|')");
    CHECK_STR(c, lang, "|en|en");
    free(lang);
    char *named = wd_js_string(&f->wd, "return document.querySelector('#results li.hit .hit-lang')"
                                       "?.textContent");
    CHECK_STR(c, named, "Språk: Engelska");
    free(named);
    char *label = wd_js_string(&f->wd, "return document.querySelector(\"button.facet-option"
                                       "[data-facet='lang'][data-value='en'] .facet-label\")"
                                       "?.textContent");
    CHECK_STR(c, label, "Engelska");
    free(label);
    open_page(c, f, "/?q=kommun");
    CHECK(c, settled(&f->wd) == 0);
    CHECK(c, wd_js_long(&f->wd, "return document.querySelectorAll('#results h3[lang], "
                                "#results .hit-lang').length") == 0);
    /* Swedish hits alone: no language facet to narrow by */
    CHECK(c, wd_js_long(&f->wd, "return document.querySelector(\"fieldset[data-facet='lang']\")"
                                ".hidden ? 1 : 0") == 1);
    CHECK(c, wd_js_long(&f->wd, "return document.querySelectorAll('#results li.hit').length") > 0);
}

/* An editors' best bet comes first and says it is recommended. */
static void test_a_best_bet_is_first_and_says_so(struct check *c)
{
    struct fixture *f = c->ctx;
    open_page(c, f, "/?q=sommarlov");
    CHECK(c, settled(&f->wd) == 0);
    char *first = wd_js_string(&f->wd, "return document.querySelector('#results li.hit a.hit-title')"
                                       "?.getAttribute('href')");
    CHECK_CONTAINS(c, first, "kulturskolan-i-husby");
    free(first);
    char *label = wd_js_string(&f->wd, "return document.querySelector('#results li.hit .hit-pinned')"
                                       "?.textContent");
    CHECK_STR(c, label, "Rekommenderad");
    free(label);
    CHECK(c, wd_js_long(&f->wd, "return document.querySelectorAll('#results .hit-pinned').length") ==
                 1);
}

static void test_paging_and_the_back_button(struct check *c)
{
    struct fixture *f = c->ctx;
    open_page(c, f, "/?q=kommun");
    CHECK(c, settled(&f->wd) == 0);
    char *first = wd_js_string(&f->wd, "return document.querySelector('#results a.hit-title').textContent");
    CHECK(c, wd_click(&f->wd, "#page-next") == 0);
    CHECK(c, wd_wait(&f->wd, "return location.search.includes('page=2')", WAIT_MS) == 0);
    CHECK(c, settled(&f->wd) == 0);
    char *info = wd_js_string(&f->wd, "return document.querySelector('#page-info').textContent");
    CHECK_CONTAINS(c, info, "2");
    char *second = wd_js_string(&f->wd, "return document.querySelector('#results a.hit-title').textContent");
    CHECK(c, first && second && strcmp(first, second) != 0);
    json_decref(wd_cmd(&f->wd, "POST", "/back", json_object()));
    CHECK(c, wd_wait(&f->wd, "return !location.search.includes('page=2')", WAIT_MS) == 0);
    CHECK(c, settled(&f->wd) == 0);
    char *again = wd_js_string(&f->wd, "return document.querySelector('#results a.hit-title').textContent");
    CHECK_STR(c, again, first);
    free(first);
    free(second);
    free(again);
    free(info);
}

static void test_did_you_mean_searches_the_correction(struct check *c)
{
    struct fixture *f = c->ctx;
    open_page(c, f, "/?q=segregaton");
    CHECK(c, settled(&f->wd) == 0);
    CHECK(c, wd_wait(&f->wd, "return !document.querySelector('#did-you-mean').hidden", WAIT_MS) == 0);
    char *link = wd_js_string(&f->wd, "return document.querySelector('#did-you-mean-link').textContent");
    CHECK_STR(c, link, "segregation");
    free(link);
    CHECK(c, wd_click(&f->wd, "#did-you-mean-link") == 0);
    CHECK(c, wd_wait(&f->wd, "return document.querySelector('#q').value === 'segregation'", WAIT_MS) == 0);
    CHECK(c, wd_wait(&f->wd, "return new URLSearchParams(location.search).get('q') === 'segregation'",
                     WAIT_MS) == 0);
}

static void test_reloading_a_link_opens_its_results(struct check *c)
{
    struct fixture *f = c->ctx;
    open_page(c, f, "/?q=malmo&type=seminarium");
    CHECK(c, settled(&f->wd) == 0);
    json_decref(wd_cmd(&f->wd, "POST", "/refresh", json_object()));
    CHECK(c, settled(&f->wd) == 0);
    CHECK(c, wd_js_long(&f->wd, "return document.querySelectorAll('#results li.hit').length") ==
                 http_search_total(f->sd.port, "q=malmo&type=seminarium"));
    char *q = wd_js_string(&f->wd, "return document.querySelector('#q').value");
    CHECK_STR(c, q, "malmo");
    free(q);
}

static void test_suggestions_appear_while_typing(struct check *c)
{
    struct fixture *f = c->ctx;
    open_page(c, f, "/");
    CHECK(c, wd_type(&f->wd, "#q", "seg") == 0);
    CHECK(c, wd_wait(&f->wd, "return document.querySelectorAll('#suggestions li.suggestion').length > 0",
                     WAIT_MS) == 0);
    char *s = wd_js_string(&f->wd, "return document.querySelector('#suggestions li.suggestion').textContent");
    CHECK_CONTAINS(c, s, "seg");
    free(s);
}

/* A page that rendered has many distinct byte values in its pixel data; a
 * blank one has a handful. */
static int png_looks_drawn(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return 0;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    unsigned char *png = malloc((size_t)n), *idat = malloc((size_t)n);
    size_t idat_len = 0;
    int ok = png && idat && fread(png, 1, (size_t)n, fp) == (size_t)n;
    fclose(fp);
    for (long at = 8; ok && at + 8 <= n;) {
        unsigned long len = ((unsigned long)png[at] << 24) | (png[at + 1] << 16) |
                            (png[at + 2] << 8) | png[at + 3];
        if (memcmp(png + at + 4, "IDAT", 4) == 0 && at + 8 + (long)len <= n) {
            memcpy(idat + idat_len, png + at + 8, len);
            idat_len += len;
        }
        at += 12 + (long)len;
    }
    uLongf raw_len = 1200UL * 900 * 4 * 4 + 4096;
    unsigned char *raw = ok ? malloc(raw_len) : NULL;
    int distinct = 0;
    if (raw && uncompress(raw, &raw_len, idat, idat_len) == Z_OK) {
        int seen[256] = {0};
        for (uLongf i = 0; i < raw_len; i++)
            seen[raw[i]] = 1;
        for (int i = 0; i < 256; i++)
            distinct += seen[i];
    }
    free(raw);
    free(png);
    free(idat);
    return distinct > 32;
}

/* ---- The accessibility audit ---------------------------------------------- */

/* Opens path and waits for its search to be shown, then for cond. */
static int show_search(struct fixture *f, const char *path, const char *cond)
{
    char url[512];
    snprintf(url, sizeof url, "%s%s", f->base, path);
    return wd_go(&f->wd, url) == 0 && settled(&f->wd) == 0 && wd_wait(&f->wd, cond, WAIT_MS) == 0
               ? 0
               : -1;
}

static int show_results_and_facets(void *ctx)
{
    return show_search(ctx, "/?q=segregation",
                       "return document.querySelectorAll('#results li.hit').length > 0 &&"
                       " !document.querySelector('#facets').hidden &&"
                       " document.querySelectorAll('#facets button.facet-option').length > 0");
}

static int show_did_you_mean(void *ctx)
{
    return show_search(ctx, "/?q=segregaton",
                       "return !document.querySelector('#did-you-mean').hidden");
}

static int show_no_hits(void *ctx)
{
    return show_search(ctx, "/?q=xyzzyqqq",
                       "return !document.querySelector('#no-hits').hidden &&"
                       " document.querySelectorAll('#results li.hit').length === 0");
}

/* The suggestions' list is open, with options, and the box says so. */
#define SUGGESTIONS_OPEN                                                                   \
    "return !document.querySelector('#suggestions').hidden &&"                             \
    " document.querySelectorAll('#suggestions li.suggestion').length > 0 &&"               \
    " document.querySelector('#q').getAttribute('aria-expanded') === 'true'"

/* Typed into the box: the search shown below the open suggestions. */
static int show_suggestions(void *ctx)
{
    struct fixture *f = ctx;
    char url[512];
    snprintf(url, sizeof url, "%s/", f->base);
    return wd_go(&f->wd, url) == 0 && wd_type(&f->wd, "#q", "seg") == 0 &&
                   wd_wait(&f->wd, "return document.body.dataset.state === 'done' &&"
                                   " location.search.includes('q=seg')", WAIT_MS) == 0 &&
                   wd_wait(&f->wd, SUGGESTIONS_OPEN, WAIT_MS) == 0
               ? 0
               : -1;
}

static void test_axe_results_and_facets(struct check *c)
{
    struct fixture *f = c->ctx;
    CHECK(c, axe_audit_widths(&f->wd, "results and facets", show_results_and_facets, f) == 0);
}

static void test_axe_did_you_mean(struct check *c)
{
    struct fixture *f = c->ctx;
    CHECK(c, axe_audit_widths(&f->wd, "\"Menade du\"", show_did_you_mean, f) == 0);
}

static void test_axe_suggestions_open(struct check *c)
{
    struct fixture *f = c->ctx;
    CHECK(c, axe_audit_widths(&f->wd, "suggestions open", show_suggestions, f) == 0);
    /* still open after the audit: it audited the list, not a closed box */
    json_t *open = wd_js(&f->wd, SUGGESTIONS_OPEN);
    CHECK(c, json_is_true(open));
    json_decref(open);
}

static void test_axe_no_hits(struct check *c)
{
    struct fixture *f = c->ctx;
    CHECK(c, axe_audit_widths(&f->wd, "no hits", show_no_hits, f) == 0);
}

/* The audit can fail: a field without a label and pale grey text on
 * white, planted in the page, are found. (The colour is set through the
 * CSSOM: the page's Content-Security-Policy refuses a style attribute.) */
static void test_axe_finds_a_planted_violation(struct check *c)
{
    struct fixture *f = c->ctx;
    CHECK(c, show_results_and_facets(f) == 0);
    json_decref(wd_js(&f->wd, "const i = document.createElement('input'); i.type = 'text';"
                              "i.className = 'planted'; document.querySelector('main').append(i);"
                              "const p = document.createElement('p'); p.textContent = 'planted';"
                              "p.className = 'planted'; p.style.color = '#bbb';"
                              "document.querySelector('main').append(p); return true;"));
    fprintf(stderr, "  (the two violations below are planted, and expected)\n");
    CHECK(c, axe_audit(&f->wd, "a planted field without a label and pale text") == 2);
}

static void test_phone_width_has_no_sideways_scrolling(struct check *c)
{
    struct fixture *f = c->ctx;
    CHECK(c, wd_resize(&f->wd, WD_PHONE_WIDTH, WD_PHONE_HEIGHT) == 0);
    open_page(c, f, "/?q=segregation");
    CHECK(c, settled(&f->wd) == 0);
    CHECK(c, wd_js_long(&f->wd, "return document.documentElement.clientWidth") <= 360);
    CHECK(c, wd_js_long(&f->wd, "return document.documentElement.scrollWidth - "
                                "document.documentElement.clientWidth") <= 0);
    const char *bin = getenv("BIN");
    char path[600];
    snprintf(path, sizeof path, "%s/tests/page-phone.png", bin && *bin ? bin : "bin");
    CHECK(c, wd_screenshot(&f->wd, path) > 5000);
    CHECK(c, wd_resize(&f->wd, WD_DESKTOP_WIDTH, WD_DESKTOP_HEIGHT) == 0);
}

static void test_screenshot_is_not_blank(struct check *c)
{
    struct fixture *f = c->ctx;
    open_page(c, f, "/?q=segregation");
    CHECK(c, settled(&f->wd) == 0);
    const char *bin = getenv("BIN");
    char path[600];
    snprintf(path, sizeof path, "%s/tests/page.png", bin && *bin ? bin : "bin");
    long size = wd_screenshot(&f->wd, path);
    CHECK(c, size > 10000);
    CHECK(c, png_looks_drawn(path));
    printf("screenshot: %s (%ld bytes)\n", path, size);
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    if (tmpdir_make(f.dir, sizeof f.dir) < 0)
        return 1;
    snprintf(f.db, sizeof f.db, "%s/index", f.dir);
    char indexer[512];
    prog_path("indexer", indexer, sizeof indexer);
    char *argv[] = {indexer, "--quiet", "--db", f.db, "corpus", NULL};
    /* a PDF's text as a CMS would send it: its second page begins at byte 15 */
    char *argv_doc[] = {indexer, "--quiet", "--db", f.db, "-", NULL};
    const char *pdf = "{\"id\":\"rapporter/tre.pdf\",\"title\":\"Årsrapport om boende\","
                      "\"body\":\"Första sidan.\\nKommunerna redovisar läxhjälpscaféer.\","
                      "\"format\":\"pdf\",\"pages\":[0,15]}\n"
                      "{\"id\":\"in-english\",\"title\":\"About the agency\",\"lang\":\"en\","
                      "\"body\":\"The agency reports on segregation and housing.\"}\n";
    /* an editors' best bet: "sommarlov" pins a page that never says it */
    char bets[600];
    snprintf(bets, sizeof bets, "%s/best-bets.txt", f.dir);
    FILE *bf = fopen(bets, "w");
    if (bf) {
        fputs("sommarlov = artikel/kulturskolan-i-husby.html\n", bf);
        fclose(bf);
    }
    char *argv_bets[] = {indexer, "--quiet", "--db", f.db, "--best-bets", bets, NULL};
    if (run_prog(argv, NULL, NULL, NULL) != 0 || run_prog(argv_doc, pdf, NULL, NULL) != 0 ||
        run_prog(argv_bets, NULL, NULL, NULL) != 0 ||
        searchd_start(&f.sd, f.db, NULL) < 0) {
        tmpdir_remove(f.dir);
        return 1;
    }
    snprintf(f.base, sizeof f.base, "http://127.0.0.1:%u", f.sd.port);
    if (wd_start(&f.wd) < 0) {
        fprintf(stderr, "cannot start headless Chromium through chromedriver\n");
        searchd_stop(&f.sd);
        tmpdir_remove(f.dir);
        return 1;
    }
    c.ctx = &f;
    RUN(&c, test_typing_shows_hits_with_marks);
    RUN(&c, test_facet_narrows_the_hits);
    RUN(&c, test_paging_and_the_back_button);
    RUN(&c, test_a_document_hit_shows_its_format_and_page);
    RUN(&c, test_a_hit_in_english_is_marked_with_its_language);
    RUN(&c, test_a_best_bet_is_first_and_says_so);
    RUN(&c, test_did_you_mean_searches_the_correction);
    RUN(&c, test_reloading_a_link_opens_its_results);
    RUN(&c, test_a_count_past_the_bound_says_more_than);
    RUN(&c, test_suggestions_appear_while_typing);
    RUN(&c, test_following_a_hit_is_counted_in_the_statistics);
    RUN(&c, test_axe_results_and_facets);
    RUN(&c, test_axe_did_you_mean);
    RUN(&c, test_axe_suggestions_open);
    RUN(&c, test_axe_no_hits);
    RUN(&c, test_axe_finds_a_planted_violation);
    RUN(&c, test_phone_width_has_no_sideways_scrolling);
    RUN(&c, test_screenshot_is_not_blank);
    wd_stop(&f.wd);
    c.failed += searchd_stop(&f.sd) != 0;
    tmpdir_remove(f.dir);
    return check_report(&c, "test_browser");
}
