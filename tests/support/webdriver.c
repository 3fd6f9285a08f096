/* webdriver.c: a minimal W3C WebDriver client over the tests' HTTP client.
 * chromedriver runs as a child on a free loopback port; Chromium gets the
 * flags that keep it off the network (no background or component traffic). */
#include "webdriver.h"

#include "support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHROMEDRIVER "/usr/bin/chromedriver"
#define CHROMIUM "/usr/bin/chromium"
#define ELEMENT_KEY "element-6066-11e4-a52e-4f735466cecf"

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static json_t *request(struct webdriver *wd, const char *method, const char *path, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    struct http_reply r;
    int rc = http_request(wd->port, method, path, "Content-Type: application/json\r\n", text,
                          text ? strlen(text) : 0, &r);
    free(text);
    if (rc < 0)
        return NULL;
    json_t *answer = json_loads(r.body, 0, NULL);
    int ok = r.status == 200;
    if (!ok)
        fprintf(stderr, "  webdriver %s %s: %d %.300s\n", method, path, r.status, r.body);
    http_reply_dispose(&r);
    json_t *value = ok ? json_incref(json_object_get(answer, "value")) : NULL;
    json_decref(answer);
    return value;
}

/* 0 when a command answered (its value released), else -1. */
static int succeeded(json_t *value)
{
    int ok = value != NULL;
    json_decref(value);
    return ok ? 0 : -1;
}

json_t *wd_cmd(struct webdriver *wd, const char *method, const char *path, json_t *body)
{
    char full[1024];
    snprintf(full, sizeof full, "/session/%s%s", wd->session, path);
    json_t *v = request(wd, method, full, body);
    json_decref(body);
    return v;
}

int wd_start(struct webdriver *wd)
{
    memset(wd, 0, sizeof *wd);
    if (access(CHROMEDRIVER, X_OK) != 0 || access(CHROMIUM, X_OK) != 0) {
        fprintf(stderr, "  %s or %s missing (packages chromium, chromium-driver)\n",
                CHROMEDRIVER, CHROMIUM);
        return -1;
    }
    if (tmpdir_make(wd->profile, sizeof wd->profile) < 0 || !(wd->port = free_port()))
        return -1;
    char port_arg[32];
    snprintf(port_arg, sizeof port_arg, "--port=%u", wd->port);
    wd->pid = fork();
    if (wd->pid == 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            _exit(127);
        execl(CHROMEDRIVER, CHROMEDRIVER, port_arg, "--allowed-ips=127.0.0.1", (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 100; i++) {   /* up to 10 s for chromedriver to listen */
        json_t *st = request(wd, "GET", "/status", NULL);
        int ready = json_is_true(json_object_get(st, "ready"));
        json_decref(st);
        if (ready)
            break;
        sleep_ms(100);
    }
    char profile_arg[300], size_arg[64];
    snprintf(profile_arg, sizeof profile_arg, "--user-data-dir=%s", wd->profile);
    snprintf(size_arg, sizeof size_arg, "--window-size=%d,%d", WD_DESKTOP_WIDTH,
             WD_DESKTOP_HEIGHT);
    json_t *caps = json_pack(
        "{s:{s:{s:s,s:{s:s,s:[s,s,s,s,s,s,s,s,s,s,s]}}}}", "capabilities", "alwaysMatch",
        "browserName", "chrome", "goog:chromeOptions", "binary", CHROMIUM, "args", "--headless=new",
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", size_arg, profile_arg);
    json_t *v = request(wd, "POST", "/session", caps);
    json_decref(caps);
    const char *sid = json_string_value(json_object_get(v, "sessionId"));
    if (sid)
        snprintf(wd->session, sizeof wd->session, "%s", sid);
    json_decref(v);
    if (!sid) {
        wd_stop(wd);
        return -1;
    }
    return 0;
}

void wd_stop(struct webdriver *wd)
{
    if (wd->session[0]) {
        json_decref(wd_cmd(wd, "DELETE", "", NULL));
        wd->session[0] = '\0';
    }
    if (wd->pid > 0) {
        kill(wd->pid, SIGTERM);
        int status;
        for (int i = 0; i < 100 && waitpid(wd->pid, &status, WNOHANG) == 0; i++)
            sleep_ms(50);
        kill(wd->pid, SIGKILL);
        waitpid(wd->pid, &status, 0);
        wd->pid = 0;
    }
    if (wd->profile[0])
        tmpdir_remove(wd->profile);
}

int wd_go(struct webdriver *wd, const char *url)
{
    return succeeded(wd_cmd(wd, "POST", "/url", json_pack("{s:s}", "url", url)));
}

int wd_find(struct webdriver *wd, const char *css, char id[128])
{
    json_t *v = wd_cmd(wd, "POST", "/element", json_pack("{s:s,s:s}", "using", "css selector",
                                                          "value", css));
    const char *e = json_string_value(json_object_get(v, ELEMENT_KEY));
    if (e)
        snprintf(id, 128, "%s", e);
    json_decref(v);
    return e ? 0 : -1;
}

/* An element command (action: "click", "value") on the first match of css. */
static int element_cmd(struct webdriver *wd, const char *css, const char *action, json_t *body)
{
    char id[128], path[256];
    if (wd_find(wd, css, id) < 0) {
        json_decref(body);
        return -1;
    }
    snprintf(path, sizeof path, "/element/%s/%s", id, action);
    return succeeded(wd_cmd(wd, "POST", path, body));
}

int wd_click(struct webdriver *wd, const char *css)
{
    return element_cmd(wd, css, "click", json_object());
}

int wd_type(struct webdriver *wd, const char *css, const char *text)
{
    return element_cmd(wd, css, "value", json_pack("{s:s}", "text", text));
}

json_t *wd_js(struct webdriver *wd, const char *script)
{
    return wd_cmd(wd, "POST", "/execute/sync", json_pack("{s:s,s:[]}", "script", script, "args"));
}

json_t *wd_js_async(struct webdriver *wd, const char *script)
{
    return wd_cmd(wd, "POST", "/execute/async", json_pack("{s:s,s:[]}", "script", script, "args"));
}

long wd_js_long(struct webdriver *wd, const char *script)
{
    json_t *v = wd_js(wd, script);
    long n = json_is_integer(v) ? (long)json_integer_value(v) : -1;
    json_decref(v);
    return n;
}

char *wd_js_string(struct webdriver *wd, const char *script)
{
    json_t *v = wd_js(wd, script);
    char *s = json_is_string(v) ? strdup(json_string_value(v)) : NULL;
    json_decref(v);
    return s;
}

int wd_resize(struct webdriver *wd, int width, int height)
{
    return succeeded(wd_cmd(wd, "POST", "/window/rect",
                            json_pack("{s:i,s:i}", "width", width, "height", height)));
}

int wd_wait(struct webdriver *wd, const char *script, int ms)
{
    for (int waited = 0; waited <= ms; waited += 100) {
        json_t *v = wd_js(wd, script);
        int done = json_is_true(v);
        json_decref(v);
        if (done)
            return 0;
        sleep_ms(100);
    }
    fprintf(stderr, "  timed out waiting for: %s\n", script);
    return -1;
}

/* Decodes base64 into out (at least 3/4 of the input's length). */
static size_t base64_decode(const char *in, unsigned char *out)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned v = 0;
    int bits = 0;
    size_t n = 0;
    for (; *in && *in != '='; in++) {
        const char *p = strchr(alphabet, *in);
        if (!p)
            continue;
        v = (v << 6) | (unsigned)(p - alphabet);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char)(v >> bits);
        }
    }
    return n;
}

long wd_screenshot(struct webdriver *wd, const char *path)
{
    json_t *v = wd_cmd(wd, "GET", "/screenshot", NULL);
    const char *b64 = json_string_value(v);
    long n = -1;
    unsigned char *png = b64 ? malloc(strlen(b64)) : NULL;
    FILE *f = png ? fopen(path, "wb") : NULL;
    if (f) {
        size_t len = base64_decode(b64, png);
        if (fwrite(png, 1, len, f) == len)
            n = (long)len;
        fclose(f);
    }
    free(png);
    json_decref(v);
    return n;
}
