/* webdriver.h: drives Debian's headless Chromium through chromedriver's W3C
 * WebDriver protocol (HTTP/JSON on a loopback port), for the browser tests
 * of the search page. No test browser is downloaded: the packages chromium
 * and chromium-driver are.
 */
#ifndef WEBDRIVER_H
#define WEBDRIVER_H

#include <jansson.h>
#include <sys/types.h>

struct webdriver {
    pid_t pid;            /* chromedriver */
    unsigned port;
    char session[128];
    char profile[256];    /* a fresh, empty user-data-dir */
};

/* Starts chromedriver and a headless browser session; 0 or -1. */
int  wd_start(struct webdriver *wd);
void wd_stop(struct webdriver *wd);

/* One command: method and path below /session/ID (e.g. "/url"), with a JSON
 * body or NULL. Returns the answer's "value" (new reference), NULL on error. */
json_t *wd_cmd(struct webdriver *wd, const char *method, const char *path, json_t *body);

int  wd_go(struct webdriver *wd, const char *url);
/* The element id of the first match of a CSS selector, or -1. */
int  wd_find(struct webdriver *wd, const char *css, char id[128]);
int  wd_click(struct webdriver *wd, const char *css);
int  wd_type(struct webdriver *wd, const char *css, const char *text);
/* Runs a script (`return …`) and gives its value (new reference). */
json_t *wd_js(struct webdriver *wd, const char *script);
/* Waits (at most ms) until the script returns true; 0 or -1. */
int  wd_wait(struct webdriver *wd, const char *script, int ms);
/* Saves a PNG screenshot to path; its size in bytes, or -1. */
long wd_screenshot(struct webdriver *wd, const char *path);

#endif
