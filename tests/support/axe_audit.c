/* axe_audit.c: axe-core in the page under test. Its script is read from
 * disk and run once per page through WebDriver's execute endpoint (which
 * the page's Content-Security-Policy does not govern), then axe.run is
 * awaited through the asynchronous one. */
#include "axe_audit.h"

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rules' tags: WCAG 2.0 and 2.1 at levels A and AA. The verdicts
 * travel back as a small object: the number of rules passed, and each
 * violation's id, impact, help, number of nodes, first three nodes'
 * selectors and the first node's summary. */
static const char run_script[] =
    "const done = arguments[arguments.length - 1];"
    "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',"
    " 'wcag21aa']}, resultTypes: ['violations']})"
    ".then((r) => done({passes: r.passes.length, violations: r.violations.map((v) => ({"
    "  id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,"
    "  targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),"
    "  summary: v.nodes.length ? v.nodes[0].failureSummary : ''}))}))"
    ".catch((e) => done({error: String(e)}));";

/* axe into the page, unless it is there already; 0 or -1. */
static int inject(struct webdriver *wd)
{
    json_t *there = wd_js(wd, "return typeof window.axe === 'object'");
    int present = json_is_true(there);
    json_decref(there);
    if (present)
        return 0;
    size_t len;
    char *src = file_read_all(AXE_JS, &len);
    if (!src) {
        fprintf(stderr, "  axe: %s missing: run scripts/install-deps (npm ci in tests/axe)\n",
                AXE_JS);
        return -1;
    }
    static const char tail[] = "\n;return typeof window.axe === 'object';";
    char *script = malloc(len + sizeof tail);
    if (script) {
        memcpy(script, src, len);
        memcpy(script + len, tail, sizeof tail);
    }
    free(src);
    json_t *v = script ? wd_js(wd, script) : NULL;
    int ok = json_is_true(v);
    json_decref(v);
    free(script);
    if (!ok)
        fprintf(stderr, "  axe: %s did not load in the page\n", AXE_JS);
    return ok ? 0 : -1;
}

/* The string member name of obj, or "?". */
static const char *text_of(json_t *obj, const char *name)
{
    const char *s = json_string_value(json_object_get(obj, name));
    return s ? s : "?";
}

static void print_violation(const char *what, json_t *v)
{
    fprintf(stderr, "  axe: %s: %s (%s): %s; %lld node(s):", what, text_of(v, "id"),
            text_of(v, "impact"), text_of(v, "help"),
            (long long)json_integer_value(json_object_get(v, "count")));
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(v, "targets"), i, t)
        fprintf(stderr, "%s %s", i ? "," : "", json_string_value(t));
    fputs("\n", stderr);
    /* the summary's lines indented under the rule */
    for (const char *p = text_of(v, "summary"); *p;) {
        size_t n = strcspn(p, "\n");
        fprintf(stderr, "      %.*s\n", (int)n, p);
        p += n + (p[n] == '\n');
    }
}

int axe_audit(struct webdriver *wd, const char *what)
{
    if (inject(wd) < 0)
        return -1;
    json_t *r = wd_js_async(wd, run_script);
    json_t *violations = json_object_get(r, "violations");
    const char *error = json_string_value(json_object_get(r, "error"));
    long long passes = json_integer_value(json_object_get(r, "passes"));
    int n = -1;
    if (!json_is_array(violations))
        fprintf(stderr, "  axe: %s: axe.run failed: %s\n", what, error ? error : "no answer");
    else if (passes == 0)
        fprintf(stderr, "  axe: %s: no rule passed, so nothing was checked\n", what);
    else
        n = (int)json_array_size(violations);
    if (n >= 0)
        printf("axe: %s: %d violation(s), %lld rule(s) passed\n", what, n, passes);
    size_t i;
    json_t *v;
    json_array_foreach(violations, i, v)
        print_violation(what, v);
    json_decref(r);
    return n;
}

int axe_audit_widths(struct webdriver *wd, const char *what, int (*show)(void *ctx), void *ctx)
{
    static const int sizes[][2] = {{WD_DESKTOP_WIDTH, WD_DESKTOP_HEIGHT},
                                   {WD_PHONE_WIDTH, WD_PHONE_HEIGHT}};
    int total = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char name[256];
        snprintf(name, sizeof name, "%s, %d px wide", what, sizes[i][0]);
        int n = -1;
        if (wd_resize(wd, sizes[i][0], sizes[i][1]) < 0 || show(ctx) < 0)
            fprintf(stderr, "  axe: %s: the page could not be shown\n", name);
        else
            n = axe_audit(wd, name);
        total = total < 0 || n < 0 ? -1 : total + n;
    }
    wd_resize(wd, WD_DESKTOP_WIDTH, WD_DESKTOP_HEIGHT);
    return total;
}
