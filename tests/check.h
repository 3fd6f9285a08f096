/* check.h: the tiny test harness every C test uses.
 *
 * A test is `static void test_x(struct check *c)`; CHECK records a failure
 * with file and line and goes on. check_run prints one line per failing test
 * and check_report the closing "N passed, N failed" line that CI reads.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <string.h>

struct check {
    int passed, failed;   /* tests */
    int cur_failures;     /* failures in the running test */
    const char *cur_name;
    void *ctx;            /* the suite's fixture, for its tests */
};

#define CHECK(c, cond)                                                       \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "  %s:%d: %s: CHECK(%s) failed\n", __FILE__,     \
                    __LINE__, (c)->cur_name, #cond);                         \
            (c)->cur_failures++;                                             \
        }                                                                    \
    } while (0)

#define CHECK_STR(c, got, want)                                              \
    do {                                                                     \
        const char *g_ = (got), *w_ = (want);                                \
        if (!g_ || !w_ || strcmp(g_, w_) != 0) {                             \
            fprintf(stderr, "  %s:%d: %s: got \"%s\", want \"%s\"\n",        \
                    __FILE__, __LINE__, (c)->cur_name, g_ ? g_ : "(null)",   \
                    w_ ? w_ : "(null)");                                     \
            (c)->cur_failures++;                                             \
        }                                                                    \
    } while (0)

#define CHECK_CONTAINS(c, hay, needle)                                       \
    do {                                                                     \
        const char *h_ = (hay), *n_ = (needle);                              \
        if (!h_ || !strstr(h_, n_)) {                                        \
            fprintf(stderr, "  %s:%d: %s: \"%.200s\" lacks \"%s\"\n",        \
                    __FILE__, __LINE__, (c)->cur_name, h_ ? h_ : "(null)",   \
                    n_);                                                     \
            (c)->cur_failures++;                                             \
        }                                                                    \
    } while (0)

/* Runs one test under its name and counts it: what RUN does, for a suite
 * that keeps its tests in a table. */
static inline void check_run(struct check *c, const char *name, void (*fn)(struct check *))
{
    c->cur_name = name;
    c->cur_failures = 0;
    fn(c);
    if (c->cur_failures) {
        c->failed++;
        fprintf(stderr, "FAIL %s\n", name);
    } else {
        c->passed++;
    }
}

#define RUN(c, fn) check_run((c), #fn, fn)

/* Prints the closing line; returns the process exit code. */
static inline int check_report(const struct check *c, const char *suite)
{
    printf("%s: %d passed, %d failed\n", suite, c->passed, c->failed);
    return c->failed ? 1 : 0;
}

#endif
