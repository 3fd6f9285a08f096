/* test_install.c: `make install DESTDIR=… PREFIX=…` into a fresh directory
 * puts the programs, the page's files, the manual pages, the systemd units,
 * the nginx example and the synonyms in place; the installed searchd finds
 * its page there by itself and serves it; `make uninstall` takes it all
 * away again. */
#include "check.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PREFIX "/opt/sitesearch"

static int exists(const char *dest, const char *rel, int executable)
{
    char path[1024];
    struct stat st;
    snprintf(path, sizeof path, "%s%s/%s", dest, PREFIX, rel);
    int ok = stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
             (!executable || (st.st_mode & 0111));
    if (!ok)
        fprintf(stderr, "  not installed: %s\n", path);
    return ok;
}

static int run_make(const char *target, const char *dest)
{
    char destdir[600];
    snprintf(destdir, sizeof destdir, "DESTDIR=%s", dest);
    char *argv[] = {"make", "-s", "--no-print-directory", (char *)target, destdir,
                    "PREFIX=" PREFIX, NULL};
    char *err = NULL;
    int rc = run_prog(argv, NULL, NULL, &err);
    if (rc != 0)
        fprintf(stderr, "  make %s: exit %d: %s\n", target, rc, err ? err : "");
    free(err);
    return rc;
}

static void test_install_places_everything_and_the_page_is_found(struct check *c)
{
    char dir[256], dest[512], db[512];
    CHECK(c, tmpdir_make(dir, sizeof dir) == 0);
    snprintf(dest, sizeof dest, "%s/root", dir);
    snprintf(db, sizeof db, "%s/index", dir);
    CHECK(c, run_make("install", dest) == 0);
    CHECK(c, exists(dest, "bin/indexer", 1) && exists(dest, "bin/searchd", 1));
    CHECK(c, exists(dest, "share/sitesearch/www/index.html", 0) &&
                 exists(dest, "share/sitesearch/www/app.js", 0) &&
                 exists(dest, "share/sitesearch/www/openapi.json", 0));
    CHECK(c, exists(dest, "share/man/man1/indexer.1", 0) &&
                 exists(dest, "share/man/man8/searchd.8", 0));
    CHECK(c, exists(dest, "share/sitesearch/searchd.service", 0) &&
                 exists(dest, "share/sitesearch/indexer-watch.service", 0) &&
                 exists(dest, "share/sitesearch/xapian-tcpsrv@.service", 0) &&
                 exists(dest, "share/sitesearch/nginx.conf", 0) &&
                 exists(dest, "share/sitesearch/synonyms.txt", 0));
    /* The installed programs: index with one, serve with the other, which
     * must take its page from the installed copy (marked here). */
    char indexer[600], searchd[600], page[600];
    snprintf(indexer, sizeof indexer, "%s" PREFIX "/bin/indexer", dest);
    snprintf(searchd, sizeof searchd, "%s" PREFIX "/bin/searchd", dest);
    snprintf(page, sizeof page, "%s" PREFIX "/share/sitesearch/www/index.html", dest);
    FILE *f = fopen(page, "a");
    CHECK(c, f && fputs("<!-- the installed copy -->\n", f) >= 0 && fclose(f) == 0);
    char *argv[] = {indexer, "--quiet", "--db", db, "corpus/artikel", NULL};
    CHECK(c, run_prog(argv, NULL, NULL, NULL) == 0);
    char *out = NULL, *help[] = {searchd, "--help", NULL};
    CHECK(c, run_prog(help, NULL, &out, NULL) == 0 && out && strstr(out, "--access-log"));
    free(out);
    setenv("SEARCHD_PROGRAM", searchd, 1);
    struct searchd sd;
    if (searchd_start(&sd, db, NULL) == 0) {
        struct http_reply r;
        CHECK(c, http_request(sd.port, "GET", "/", NULL, NULL, 0, &r) == 0);
        CHECK(c, r.status == 200 && r.body && strstr(r.body, "the installed copy"));
        http_reply_dispose(&r);
        CHECK(c, searchd_stop(&sd) == 0);
    } else {
        CHECK(c, !"the installed searchd started");
    }
    unsetenv("SEARCHD_PROGRAM");
    CHECK(c, run_make("uninstall", dest) == 0);
    struct stat st;
    snprintf(page, sizeof page, "%s" PREFIX "/bin/searchd", dest);
    CHECK(c, stat(page, &st) != 0);
    snprintf(page, sizeof page, "%s" PREFIX "/share/sitesearch", dest);
    CHECK(c, stat(page, &st) != 0);
    tmpdir_remove(dir);
}

int main(void)
{
    struct check c = {0};
    RUN(&c, test_install_places_everything_and_the_page_is_found);
    return check_report(&c, "test_install");
}
