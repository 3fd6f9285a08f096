/* test_admin_page.c: the editors' page (/admin) in a real browser. A
 * searchd keeping search statistics is sent searches and a click; headless
 * Chromium, driven through chromedriver, then uses its page: before the
 * token only the form shows; a wrong token is refused and forgotten; the
 * right one shows the summary, one bar and one table row per day of the
 * period, and the lists with the queries searched (a visitor's markup shown
 * as text); a query's copy control gives a best bet line that
 * lib/best_bets.c reads back as that query, also with no clipboard; the
 * token lasts a reload but not a new tab; a searchd without statistics or
 * without a token says so; at a phone's width only the wide tables scroll
 * sideways. axe-core audits the page before the token and with the report,
 * at a desktop's and a phone's width. */
#include "axe_audit.h"
#include "best_bets.h"
#include "check.h"
#include "support.h"
#include "webdriver.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WAIT_MS 10000
#define TOKEN "admin-page-token-0123456789abcdef"
#define TOKEN_KEY "sitesearch-admin-token"
#define DEFAULT_DAYS 30   /* the page's period unless one is chosen */

/* A check (CHECK_STR, CHECK_CONTAINS) of a malloc'd string (NULL too),
 * which it then frees. */
#define CHECK_FREE(c, check, got, want)                                                    \
    do {                                                                                   \
        char *s_ = (got);                                                                  \
        check(c, s_, want);                                                                \
        free(s_);                                                                          \
    } while (0)

struct fixture {
    char dir[256];
    char db[512];
    char token[600];        /* the token file */
    char base[64];          /* the searchd keeping statistics */
    struct searchd plain;   /* no token, no statistics */
    struct searchd stats;
    struct webdriver wd;
    char today[11];
};

/* The searches sent, each as often as said. A query's text is kept from
 * its third search of a day, so "sällsynt" is in no list; the digits of
 * "19800101-1234" are masked. */
static const struct {
    const char *q;
    int times;
} searches[] = {
    {"segregation", 3}, {"kommun", 4},   {"xyzzyqq", 3},       {"<b>fet</b>", 3},
    {"a=b skola", 3},   {"sällsynt", 2}, {"19800101-1234", 3},
};
#define SEARCHES_SENT 21

/* The local day n days before today, as YYYY-MM-DD. */
static void day_before(char out[11], int n)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    tm.tm_mday -= n;
    tm.tm_hour = 12;
    mktime(&tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static int open_admin(struct webdriver *wd, const char *base)
{
    char url[128];
    snprintf(url, sizeof url, "%s/admin", base);
    return wd_go(wd, url);
}

/* Waits for the page's state (body's data-state); 0 or -1. */
static int state_is(struct webdriver *wd, const char *state)
{
    char script[128];
    snprintf(script, sizeof script, "return document.body.dataset.state === '%s'", state);
    return wd_wait(wd, script, WAIT_MS);
}

/* s as a JavaScript string literal, malloc'd. */
static char *js_quote(const char *s)
{
    json_t *j = json_string(s);
    char *q = json_dumps(j, JSON_ENCODE_ANY);
    json_decref(j);
    return q;
}

/* The text of the first match of css, malloc'd, or NULL. */
static char *text_of(struct webdriver *wd, const char *css)
{
    char *q = js_quote(css), js[512];
    snprintf(js, sizeof js, "return document.querySelector(%s)?.textContent ?? null", q);
    free(q);
    return wd_js_string(wd, js);
}

/* 1 when the first match of css is shown (not hidden), 0 when hidden, -1
 * when there is none. */
static long shown(struct webdriver *wd, const char *css)
{
    char *q = js_quote(css), js[512];
    snprintf(js, sizeof js,
             "const e = document.querySelector(%s); return e ? (e.hidden ? 0 : 1) : -1", q);
    free(q);
    return wd_js_long(wd, js);
}

static char *stored_token(struct webdriver *wd)
{
    return wd_js_string(wd, "return sessionStorage.getItem('" TOKEN_KEY "')");
}

/* The token as the editor enters it. */
static void enter_token(struct check *c, const char *token)
{
    struct fixture *f = c->ctx;
    CHECK(c, wd_type(&f->wd, "#token", token) == 0);
    CHECK(c, wd_click(&f->wd, "#token-submit") == 0);
}

/* Runs then (a script using tr) on the row of table whose header is q
 * (tr undefined when there is none); its value. */
static json_t *on_row(struct webdriver *wd, const char *table, const char *q, const char *then)
{
    char *quoted = js_quote(q), js[1024];
    snprintf(js, sizeof js,
             "const tr = [...document.querySelectorAll('#%s tbody tr')]"
             ".find((r) => r.querySelector('th')?.textContent === %s); %s",
             table, quoted, then);
    free(quoted);
    return wd_js(wd, js);
}

/* The texts of the cells of q's row of table joined by "|", malloc'd, or
 * NULL when there is no such row. */
static char *row_of(struct webdriver *wd, const char *table, const char *q)
{
    json_t *v = on_row(wd, table, q,
                       "return tr ? [...tr.cells].map((td) => td.textContent).join('|') : null");
    char *s = json_is_string(v) ? strdup(json_string_value(v)) : NULL;
    json_decref(v);
    return s;
}

static int has_row(struct webdriver *wd, const char *table, const char *q)
{
    char *row = row_of(wd, table, q);
    free(row);
    return row != NULL;
}

/* Clicks, as a user would, the copy control in q's row of table; 0, or -1
 * when the row has none. */
static int click_copy(struct webdriver *wd, const char *table, const char *q)
{
    json_t *found = on_row(wd, table, q,
                           "document.querySelectorAll('[data-target]')"
                           ".forEach((e) => delete e.dataset.target);"
                           "const b = tr && tr.querySelector('button.copy-button');"
                           "if (b) b.dataset.target = '1'; return !!b");
    int ok = json_is_true(found);
    json_decref(found);
    return ok ? wd_click(wd, "button[data-target]") : -1;
}

/* The line the copy control gave, once it is there and said; malloc'd. */
static char *copied_line(struct webdriver *wd, const char *want)
{
    char *q = js_quote(want), js[512];
    snprintf(js, sizeof js, "return document.querySelector('#best-bet-line').value === %s &&"
                            " document.querySelector('#copy-status').textContent !== ''", q);
    free(q);
    wd_wait(wd, js, WAIT_MS);
    return wd_js_string(wd, "return document.querySelector('#best-bet-line').value");
}

/* line with an id written after it, read by the best bets file's own
 * parser: the rule's query (malloc'd), or NULL when it is no such rule. */
static char *parsed_query(const char *line)
{
    char text[1200];
    snprintf(text, sizeof text, "%sartikel/sida.html\n", line ? line : "");
    json_t *rules = NULL;
    lib_error err = {0};
    if (best_bets_parse(&rules, text, strlen(text), "the copied line", &err) < 0) {
        fprintf(stderr, "  %s\n", err.message);
        return NULL;
    }
    json_t *rule = json_array_get(rules, 0);
    const char *q = json_string_value(json_object_get(rule, "query"));
    const char *id = json_string_value(json_array_get(json_object_get(rule, "pin"), 0));
    char *out = json_array_size(rules) == 1 && q && id && strcmp(id, "artikel/sida.html") == 0
                    ? strdup(q)
                    : NULL;
    json_decref(rules);
    return out;
}

/* ---- Before the token ----------------------------------------------------- */

static int show_the_form(void *ctx)
{
    struct fixture *f = ctx;
    return open_admin(&f->wd, f->base) == 0 && state_is(&f->wd, "login") == 0 ? 0 : -1;
}

static void test_before_the_token_only_the_form_shows(struct check *c)
{
    struct fixture *f = c->ctx;
    CHECK(c, show_the_form(f) == 0);
    CHECK(c, shown(&f->wd, "#login") == 1);
    CHECK(c, shown(&f->wd, "#report") == 0);
    CHECK(c, shown(&f->wd, "#admin-error") == 0);
    CHECK(c, stored_token(&f->wd) == NULL);
    CHECK(c, axe_audit_widths(&f->wd, "/admin before the token", show_the_form, f) == 0);
}

static void test_a_wrong_token_is_refused_and_forgotten(struct check *c)
{
    struct fixture *f = c->ctx;
    CHECK(c, show_the_form(f) == 0);
    enter_token(c, "not-the-token-0123456789abcdef");
    CHECK(c, wd_wait(&f->wd, "return !document.querySelector('#admin-error').hidden", WAIT_MS) ==
                 0);
    CHECK_FREE(c, CHECK_CONTAINS, text_of(&f->wd, "#admin-error"),
               "Administratörsnyckeln godtogs inte");
    CHECK_FREE(c, CHECK_STR,
               wd_js_string(&f->wd, "return document.querySelector('#admin-error')"
                                    ".getAttribute('role')"),
               "alert");
    CHECK(c, stored_token(&f->wd) == NULL);
    CHECK(c, shown(&f->wd, "#login") == 1);
    CHECK(c, shown(&f->wd, "#report") == 0);
    /* the right one after it clears the error */
    enter_token(c, TOKEN);
    CHECK(c, state_is(&f->wd, "done") == 0);
    CHECK(c, shown(&f->wd, "#admin-error") == 0);
}

/* ---- The report ----------------------------------------------------------- */

/* The page with the token in this tab's sessionStorage. */
static int show_the_report(void *ctx)
{
    struct fixture *f = ctx;
    return open_admin(&f->wd, f->base) == 0 && state_is(&f->wd, "done") == 0 &&
                   wd_wait(&f->wd, "return document.querySelectorAll('#top-queries tbody th')"
                                   ".length > 3", WAIT_MS) == 0
               ? 0
               : -1;
}

/* A number of the report the API gives to the same token, or -1. */
static long long api_figure(unsigned port, const char *name)
{
    struct http_reply r;
    json_t *report = NULL;
    if (http_request(port, "GET", "/api/analytics", "Authorization: Bearer " TOKEN "\r\n", NULL, 0,
                     &r) == 0 &&
        r.status == 200)
        report = json_loads(r.body, 0, NULL);
    http_reply_dispose(&r);
    json_t *v = json_object_get(report, name);
    long long n = json_is_integer(v) ? (long long)json_integer_value(v) : -1;
    json_decref(report);
    return n;
}

static void test_the_right_token_shows_the_report(struct check *c)
{
    struct fixture *f = c->ctx;
    CHECK(c, open_admin(&f->wd, f->base) == 0);
    json_decref(wd_js(&f->wd, "sessionStorage.clear(); return true"));
    CHECK(c, show_the_form(f) == 0);
    enter_token(c, TOKEN);
    CHECK(c, state_is(&f->wd, "done") == 0);
    CHECK_FREE(c, CHECK_STR, stored_token(&f->wd), TOKEN);
    /* and nowhere else: not in the field, nor in localStorage or a cookie */
    CHECK(c, wd_js_long(&f->wd, "return document.querySelector('#token').value.length") == 0);
    CHECK(c, wd_js_long(&f->wd, "return localStorage.length") == 0);
    CHECK(c, wd_js_long(&f->wd, "return document.cookie.length") == 0);

    CHECK(c, api_figure(f->stats.port, "searches") == SEARCHES_SENT);
    CHECK_FREE(c, CHECK_STR, text_of(&f->wd, "#sum-searches"), "21");
    long long no_hits = api_figure(f->stats.port, "no_hits");
    char want[64];
    snprintf(want, sizeof want, "%lld", no_hits);
    CHECK(c, no_hits >= 3);   /* xyzzyqq's at least */
    CHECK_FREE(c, CHECK_STR, text_of(&f->wd, "#sum-no-hits"), want);
    CHECK_FREE(c, CHECK_STR, text_of(&f->wd, "#sum-clicks"), "1");
    CHECK_FREE(c, CHECK_STR, text_of(&f->wd, "#sum-ctr"), "4,8 %");   /* 1 of 21 */
    CHECK_FREE(c, CHECK_STR, text_of(&f->wd, "#sum-rank"), "2,0");

    /* the lists: query | searches | no hits | (clicks | rate | rank |) control */
    CHECK_FREE(c, CHECK_STR, row_of(&f->wd, "top-queries", "segregation"),
               "segregation|3|0|1|33,3 %|2,0|Kopiera rad för ”segregation”");
    CHECK_FREE(c, CHECK_STR, row_of(&f->wd, "top-queries", "kommun"),
               "kommun|4|0|0|0,0 %|–inga klick|Kopiera rad för ”kommun”");
    CHECK_FREE(c, CHECK_STR, row_of(&f->wd, "no-hit-queries", "xyzzyqq"),
               "xyzzyqq|3|3|Kopiera rad för ”xyzzyqq”");
    CHECK_FREE(c, CHECK_STR, row_of(&f->wd, "no-click-queries", "kommun"),
               "kommun|4|0|Kopiera rad för ”kommun”");
    CHECK(c, !has_row(&f->wd, "no-hit-queries", "segregation"));
    CHECK(c, !has_row(&f->wd, "no-click-queries", "segregation"));   /* clicked */
    CHECK(c, !has_row(&f->wd, "no-click-queries", "xyzzyqq"));       /* no hits */
    CHECK(c, !has_row(&f->wd, "top-queries", "sällsynt"));           /* twice only */
    /* the digits masked: no line to copy */
    CHECK_FREE(c, CHECK_CONTAINS, row_of(&f->wd, "top-queries", "########-####"), "|Ingen rad");
    /* a visitor's markup is text: no element is made of it */
    CHECK_FREE(c, CHECK_CONTAINS, row_of(&f->wd, "top-queries", "<b>fet</b>"), "<b>fet</b>|3|");
    CHECK(c, wd_js_long(&f->wd, "return document.querySelectorAll('#report b').length") == 0);

    /* the chart: one bar per day of the default period, today's holding
     * every search; the same days in the table */
    char from[11], range[64];
    day_before(from, DEFAULT_DAYS - 1);
    snprintf(range, sizeof range, "%s %s", from, f->today);
    CHECK_FREE(c, CHECK_STR,
               wd_js_string(&f->wd, "return document.querySelector('#from').value + ' ' +"
                                    " document.querySelector('#to').value"),
               range);
    CHECK(c, wd_js_long(&f->wd, "return document.querySelectorAll('#chart svg rect.bar').length") ==
                 DEFAULT_DAYS);
    CHECK(c, wd_js_long(&f->wd, "return document.querySelectorAll('#per-day tbody tr').length") ==
                 DEFAULT_DAYS);
    snprintf(range, sizeof range, "%s %s 21 1", from, f->today);
    CHECK_FREE(c, CHECK_STR,
               wd_js_string(&f->wd, "const b = [...document.querySelectorAll('#chart rect.bar')];"
                                    "return [b[0].dataset.day, b[b.length - 1].dataset.day,"
                                    " b[b.length - 1].dataset.searches,"
                                    " b.filter((r) => +r.getAttribute('height') > 0).length]"
                                    ".join(' ')"),
               range);
    snprintf(range, sizeof range, "%s|21", f->today);
    CHECK_FREE(c, CHECK_STR,
               wd_js_string(&f->wd, "const r = [...document.querySelectorAll("
                                    "'#per-day tbody tr')].pop();"
                                    "return r.querySelector('time').dateTime + '|' +"
                                    " r.cells[1].textContent"),
               range);
    /* named for assistive technology, with its axes named */
    CHECK_FREE(c, CHECK_STR,
               wd_js_string(&f->wd, "const svg = document.querySelector('#chart svg');"
                                    "return svg.getAttribute('role') + '|' +"
                                    " svg.getAttribute('aria-labelledby').split(' ')"
                                    ".map((id) => document.getElementById(id)?.textContent)"
                                    ".every((t) => t && t.length > 10)"),
               "img|true");
    CHECK(c, wd_js_long(&f->wd, "return [...document.querySelectorAll('#chart svg text')]"
                                ".filter((t) => t.textContent === 'Sökningar' ||"
                                " t.textContent === 'Dag').length") == 2);
    CHECK(c, axe_audit_widths(&f->wd, "/admin with the report", show_the_report, f) == 0);
}

static void test_the_period_sets_the_days(struct check *c)
{
    struct fixture *f = c->ctx;
    CHECK(c, show_the_report(f) == 0);
    char from[11], js[256];
    day_before(from, 6);
    snprintf(js, sizeof js, "document.querySelector('#from').value = '%s'; return true", from);
    json_decref(wd_js(&f->wd, js));
    CHECK(c, wd_click(&f->wd, "#reload") == 0);
    CHECK(c, wd_wait(&f->wd, "return document.body.dataset.state === 'done' &&"
                             " document.querySelectorAll('#chart rect.bar').length === 7",
                     WAIT_MS) == 0);
    CHECK(c, wd_js_long(&f->wd, "return document.querySelectorAll('#per-day tbody tr').length") ==
                 7);
    CHECK_FREE(c, CHECK_STR,
               wd_js_string(&f->wd, "return document.querySelector('#chart rect.bar')"
                                    ".dataset.day"),
               from);
    /* a period that ends before it begins is not asked for */
    snprintf(js, sizeof js, "document.querySelector('#to').value = '%s';"
                            "document.querySelector('#from').value = '%s'; return true",
             from, f->today);
    json_decref(wd_js(&f->wd, js));
    CHECK(c, wd_click(&f->wd, "#reload") == 0);
    CHECK(c, state_is(&f->wd, "error") == 0);
    CHECK_FREE(c, CHECK_CONTAINS, text_of(&f->wd, "#admin-error"),
               "Perioden gick inte att visa");
}

/* At a phone's width the page does not scroll sideways: the widest table
 * scrolls in its own box. */
static void test_phone_width_has_no_sideways_scrolling(struct check *c)
{
    struct fixture *f = c->ctx;
    CHECK(c, wd_resize(&f->wd, WD_PHONE_WIDTH, WD_PHONE_HEIGHT) == 0);
    CHECK(c, show_the_report(f) == 0);
    CHECK(c, wd_js_long(&f->wd, "return document.documentElement.clientWidth") <= WD_PHONE_WIDTH);
    CHECK(c, wd_js_long(&f->wd, "return document.documentElement.scrollWidth -"
                                " document.documentElement.clientWidth") == 0);
    /* a box that scrolls is a named region a keyboard reaches */
    CHECK(c, wd_js_long(&f->wd, "const box = document.querySelector('#top-queries').parentElement;"
                                "return box.scrollWidth > box.clientWidth && box.tabIndex === 0 &&"
                                " box.getAttribute('role') === 'region' &&"
                                " box.getAttribute('aria-labelledby') === 'top-queries-caption'"
                                " ? 1 : 0") == 1);
    /* one that fits is no tab stop */
    CHECK(c, wd_resize(&f->wd, WD_DESKTOP_WIDTH, WD_DESKTOP_HEIGHT) == 0);
    CHECK(c, show_the_report(f) == 0);
    CHECK(c, wd_js_long(&f->wd, "return document.querySelectorAll('#report-body .table-scroll"
                                "[tabindex]').length") == 0);
}

/* ---- Best bet lines --------------------------------------------------------- */

static void test_the_copy_control_gives_a_best_bet_line(struct check *c)
{
    struct fixture *f = c->ctx;
    CHECK(c, show_the_report(f) == 0);
    CHECK(c, click_copy(&f->wd, "top-queries", "segregation") == 0);
    char *line = copied_line(&f->wd, "segregation = ");
    CHECK_STR(c, line, "segregation = ");
    CHECK_FREE(c, CHECK_STR, parsed_query(line), "segregation");
    free(line);
    /* an "=" would end the query early: it becomes the space it amounts to */
    CHECK(c, click_copy(&f->wd, "no-click-queries", "a=b skola") == 0);
    line = copied_line(&f->wd, "a b skola = ");
    CHECK_STR(c, line, "a b skola = ");
    CHECK_FREE(c, CHECK_STR, parsed_query(line), "a b skola");
    free(line);
    /* masked digits: no control */
    CHECK(c, click_copy(&f->wd, "top-queries", "########-####") < 0);
}

/* Without a clipboard the line is selected in its field, for the editor to
 * copy by hand. */
static void test_without_a_clipboard_the_line_is_selected(struct check *c)
{
    struct fixture *f = c->ctx;
    CHECK(c, show_the_report(f) == 0);
    json_decref(wd_js(&f->wd, "Object.defineProperty(navigator, 'clipboard',"
                              " {value: undefined, configurable: true}); return true"));
    CHECK(c, click_copy(&f->wd, "no-click-queries", "kommun") == 0);
    CHECK_FREE(c, CHECK_STR, copied_line(&f->wd, "kommun = "), "kommun = ");
    CHECK_FREE(c, CHECK_STR,
               wd_js_string(&f->wd, "const i = document.querySelector('#best-bet-line');"
                                    "return [document.activeElement === i, i.selectionStart,"
                                    " i.selectionEnd, i.dataset.copied].join(' ')"),
               "true 0 9 selected");
    CHECK_FREE(c, CHECK_CONTAINS, text_of(&f->wd, "#copy-status"), "Ctrl+C");
}

/* ---- The token's life ------------------------------------------------------- */

static void test_the_token_lasts_the_tab_only(struct check *c)
{
    struct fixture *f = c->ctx;
    CHECK(c, show_the_report(f) == 0);   /* from sessionStorage: no form */
    json_decref(wd_cmd(&f->wd, "POST", "/refresh", json_object()));
    CHECK(c, state_is(&f->wd, "done") == 0);
    CHECK_FREE(c, CHECK_STR, stored_token(&f->wd), TOKEN);
    /* a new tab is a new session: no token there */
    json_t *tab = wd_cmd(&f->wd, "GET", "/window", NULL);
    json_t *opened = wd_cmd(&f->wd, "POST", "/window/new", json_pack("{s:s}", "type", "tab"));
    const char *handle = json_string_value(json_object_get(opened, "handle"));
    CHECK(c, handle && json_is_string(tab));
    if (handle && json_is_string(tab)) {
        json_decref(wd_cmd(&f->wd, "POST", "/window", json_pack("{s:s}", "handle", handle)));
        CHECK(c, show_the_form(f) == 0);
        CHECK(c, stored_token(&f->wd) == NULL);
        json_decref(wd_cmd(&f->wd, "DELETE", "/window", NULL));
        json_decref(wd_cmd(&f->wd, "POST", "/window",
                           json_pack("{s:s}", "handle", json_string_value(tab))));
    }
    json_decref(opened);
    json_decref(tab);
    /* back in the first tab, where logging out forgets it */
    CHECK_FREE(c, CHECK_STR, stored_token(&f->wd), TOKEN);
    CHECK(c, wd_click(&f->wd, "#forget-token") == 0);
    CHECK(c, state_is(&f->wd, "login") == 0);
    CHECK(c, stored_token(&f->wd) == NULL);
    CHECK(c, shown(&f->wd, "#report") == 0);
}

/* ---- A searchd that cannot answer -------------------------------------------- */

static void test_without_statistics_the_page_says_so(struct check *c)
{
    struct fixture *f = c->ctx;
    const char *extra[] = {"--admin-token-file", f->token, NULL};
    struct searchd sd = {0};
    if (searchd_start(&sd, f->db, extra) < 0) {
        CHECK(c, !"searchd --admin-token-file started");
        return;
    }
    char base[64];
    snprintf(base, sizeof base, "http://127.0.0.1:%u", sd.port);
    CHECK(c, open_admin(&f->wd, base) == 0);
    CHECK(c, state_is(&f->wd, "login") == 0);
    enter_token(c, TOKEN);
    CHECK(c, state_is(&f->wd, "error") == 0);
    char *error = text_of(&f->wd, "#admin-error");
    CHECK_CONTAINS(c, error, "Sökstatistiken är avstängd");
    CHECK_CONTAINS(c, error, "--analytics");
    free(error);
    /* the token was right: kept, and the page not back at the form */
    CHECK_FREE(c, CHECK_STR, stored_token(&f->wd), TOKEN);
    CHECK(c, shown(&f->wd, "#login") == 0);
    CHECK(c, shown(&f->wd, "#report-body") == 0);
    CHECK(c, searchd_stop(&sd) == 0);
}

static void test_without_a_token_file_the_page_says_so(struct check *c)
{
    struct fixture *f = c->ctx;
    char base[64];
    snprintf(base, sizeof base, "http://127.0.0.1:%u", f->plain.port);
    CHECK(c, open_admin(&f->wd, base) == 0);
    CHECK(c, state_is(&f->wd, "login") == 0);
    enter_token(c, TOKEN);
    CHECK(c, wd_wait(&f->wd, "return !document.querySelector('#admin-error').hidden", WAIT_MS) ==
                 0);
    CHECK_FREE(c, CHECK_CONTAINS, text_of(&f->wd, "#admin-error"), "--admin-token-file");
    CHECK(c, stored_token(&f->wd) == NULL);
}

/* The searches and the click the report is made of; 0 or -1. */
static int make_statistics(unsigned port)
{
    for (size_t i = 0; i < sizeof searches / sizeof searches[0]; i++) {
        char *q = url_encode(searches[i].q), args[256];
        snprintf(args, sizeof args, "q=%s", q);
        free(q);
        for (int n = 0; n < searches[i].times; n++)
            if (http_search_total(port, args) < 0)
                return -1;
    }
    static const char click[] = "{\"q\":\"segregation\",\"id\":\"artikel/x.html\",\"rank\":2}";
    struct http_reply r;
    int rc = http_request(port, "POST", "/api/click", NULL, click, strlen(click), &r);
    int ok = rc == 0 && r.status == 204;
    http_reply_dispose(&r);
    return ok ? 0 : -1;
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    int rc = 1;
    if (serve_corpus(f.dir, sizeof f.dir, f.db, sizeof f.db, &f.plain, NULL) < 0)
        return 1;
    char stats[600];
    snprintf(f.token, sizeof f.token, "%s/token", f.dir);
    snprintf(stats, sizeof stats, "%s/stats.db", f.dir);
    const char *extra[] = {"--admin-token-file", f.token, "--analytics", stats, NULL};
    day_before(f.today, 0);
    if (token_file_write(f.token, TOKEN) < 0 || searchd_start(&f.stats, f.db, extra) < 0 ||
        make_statistics(f.stats.port) < 0) {
        fprintf(stderr, "cannot start searchd --analytics and search it\n");
        goto cleanup;
    }
    snprintf(f.base, sizeof f.base, "http://127.0.0.1:%u", f.stats.port);
    if (wd_start(&f.wd) < 0) {
        fprintf(stderr, "cannot start headless Chromium through chromedriver\n");
        goto cleanup;
    }
    c.ctx = &f;
    RUN(&c, test_before_the_token_only_the_form_shows);
    RUN(&c, test_a_wrong_token_is_refused_and_forgotten);
    RUN(&c, test_the_right_token_shows_the_report);
    RUN(&c, test_the_period_sets_the_days);
    RUN(&c, test_phone_width_has_no_sideways_scrolling);
    RUN(&c, test_the_copy_control_gives_a_best_bet_line);
    RUN(&c, test_without_a_clipboard_the_line_is_selected);
    RUN(&c, test_the_token_lasts_the_tab_only);
    RUN(&c, test_without_statistics_the_page_says_so);
    RUN(&c, test_without_a_token_file_the_page_says_so);
    wd_stop(&f.wd);
    rc = 0;
cleanup:
    if (f.stats.pid > 0)
        c.failed += searchd_stop(&f.stats) != 0;
    c.failed += searchd_stop(&f.plain) != 0;
    tmpdir_remove(f.dir);
    return rc == 0 ? check_report(&c, "test_admin_page") : 1;
}
