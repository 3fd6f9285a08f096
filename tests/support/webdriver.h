/* webdriver.h: drives Debian's headless Chromium through chromedriver's W3C
 * WebDriver protocol (HTTP/JSON on a loopback port), for the browser tests
 * of the search page. No test browser is downloaded: the packages chromium
 * and chromium-driver are.
 */
#ifndef WEBDRIVER_H
#define WEBDRIVER_H

#include <jansson.h>
#include <sys/types.h>

/* The window's sizes in CSS pixels: a desktop's (the size a session starts
 * with) and a narrow phone's. */
#define WD_DESKTOP_WIDTH 1200
#define WD_DESKTOP_HEIGHT 900
#define WD_PHONE_WIDTH 360
#define WD_PHONE_HEIGHT 800

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
/* The same for a script that answers by calling its last argument (a
 * promise's result): WebDriver's asynchronous execution. */
json_t *wd_js_async(struct webdriver *wd, const char *script);
/* A script's value as a whole number (-1 when it is none), or as a string
 * (malloc'd; NULL when it is none). */
long wd_js_long(struct webdriver *wd, const char *script);
char *wd_js_string(struct webdriver *wd, const char *script);
/* Waits (at most ms) until the script returns true; 0 or -1. */
int  wd_wait(struct webdriver *wd, const char *script, int ms);
/* Sets the window's size in CSS pixels (a phone's is 360 wide); 0 or -1. */
int  wd_resize(struct webdriver *wd, int width, int height);
/* Saves a PNG screenshot to path; its size in bytes, or -1. */
long wd_screenshot(struct webdriver *wd, const char *path);

#endif
