/* test_fuzz_regressions.c: replays the saved inputs of each fuzz target
 * (tests/data/fuzz/TARGET/: inputs that once crashed a target, and
 * hand-made hostile ones) and a sample of the corpus pages through the same
 * code the fuzzers drive, built without libFuzzer (fuzz/replay.c). Under
 * `make check`'s sanitized run a regression aborts the replayer. */
#include "check.h"
#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILES 64

static const char *const targets[] = {"fuzz_html_extract", "fuzz_jsonl",       "fuzz_query",
                                      "fuzz_analysis",     "fuzz_swedish_date", "fuzz_lexicon",
                                      "fuzz_pdf_extract",  "fuzz_office_extract",
                                      "fuzz_epub_extract", "fuzz_url",
                                      "fuzz_robots",       "fuzz_sitemap",
                                      "fuzz_best_bets",    "fuzz_query_norm",
                                      "fuzz_facets_together"};

/* Adds the regular files of dir to argv (at most MAX_FILES in all). */
static int add_dir(const char *dir, char **argv, int argc, char paths[][512])
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && argc < MAX_FILES && (e = readdir(d)))
        if (e->d_name[0] != '.') {
            snprintf(paths[argc], 512, "%s/%s", dir, e->d_name);
            argv[argc] = paths[argc];
            argc++;
        }
    if (d)
        closedir(d);
    return argc;
}

static int replay(const char *target, const char *extra_dir)
{
    static char paths[MAX_FILES + 2][512];
    char *argv[MAX_FILES + 2] = {0}, prog[512], name[128], dir[256];
    snprintf(name, sizeof name, "fuzz/replay_%s", target);
    prog_path(name, prog, sizeof prog);
    argv[0] = prog;
    snprintf(dir, sizeof dir, "tests/data/fuzz/%s", target);
    int argc = add_dir(dir, argv, 1, paths);
    int saved = argc - 1;
    if (extra_dir)
        argc = add_dir(extra_dir, argv, argc, paths);
    argv[argc] = NULL;
    char *out = NULL, *err = NULL;
    int rc = run_prog(argv, NULL, &out, &err);
    char want[64];
    snprintf(want, sizeof want, "replayed %d inputs", argc - 1);
    if (rc != 0 || !out || !strstr(out, want))
        fprintf(stderr, "  %s: exit %d, %d saved inputs\n%s\n", target, rc, saved,
                err ? err : "");
    free(out);
    free(err);
    return rc == 0 && saved > 0 ? 0 : -1;
}

static void test_saved_inputs_replay_cleanly(struct check *c)
{
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
        CHECK(c, replay(targets[i], strcmp(targets[i], "fuzz_html_extract") == 0
                                        ? "corpus/seminarium" : NULL) == 0);
}

int main(void)
{
    struct check c = {0};
    RUN(&c, test_saved_inputs_replay_cleanly);
    return check_report(&c, "test_fuzz_regressions");
}
