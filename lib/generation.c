/* generation.c: index generations behind a Xapian stub file. The stub is
 * the only thing a switch changes, written to a temporary name, synced and
 * renamed over the old one, which POSIX makes atomic. */
#include "generation.h"

#include "xapian_c.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void gen_path(const char *dir, unsigned gen, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s/gen-%06u", dir, gen);
}

unsigned gen_current(const char *dir)
{
    char stub[4096], line[128] = "";
    snprintf(stub, sizeof stub, "%s/%s", dir, GEN_STUB);
    FILE *f = fopen(stub, "r");
    if (!f)
        return 0;
    unsigned gen = 0;
    if (fgets(line, sizeof line, f))
        sscanf(line, "glass gen-%u", &gen);
    fclose(f);
    return gen;
}

static int is_plain_index(const char *dir)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/iamglass", dir);
    return access(p, F_OK) == 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(const char *path)
{
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

unsigned gen_shards(const char *dir)
{
    char live[4096];
    if (gen_live(live, sizeof live, dir, 0, NULL) < 0)
        return 0;
    unsigned n = xc_shard_count(live);
    return n ? n : 1;
}

/* LIB_E_IO with "path: " and errno's reason. */
static int io_error(lib_error *err, const char *path)
{
    return lib_error_set(err, LIB_E_IO, "%s: %s", path, strerror(errno));
}

/* A folder, unless it is there already. */
static int make_dir(const char *path, lib_error *err)
{
    return mkdir(path, 0755) < 0 && errno != EEXIST ? io_error(err, path) : 0;
}

/* Makes gen_dir and, for more than one shard, its shard folders. */
static int make_gen_dir(const char *gen_dir, unsigned shards, lib_error *err)
{
    int rc = make_dir(gen_dir, err);
    for (unsigned i = 0; rc == 0 && shards > 1 && i < shards; i++) {
        char p[4200];
        snprintf(p, sizeof p, "%s/shard-%u", gen_dir, i);
        rc = make_dir(p, err);
    }
    return rc;
}

/* Makes generation gen afresh (removing what a run cut off left there);
 * its path into out. */
static int make_gen(char *out, size_t outlen, const char *dir, unsigned gen, unsigned shards,
                    lib_error *err)
{
    gen_path(dir, gen, out, outlen);
    remove_tree(out);
    return make_gen_dir(out, shards, err);
}

int gen_switch(const char *dir, unsigned gen, lib_error *err)
{
    char tmp[4096], stub[4096], gen_dir[4096];
    snprintf(tmp, sizeof tmp, "%s/%s.tmp", dir, GEN_STUB);
    snprintf(stub, sizeof stub, "%s/%s", dir, GEN_STUB);
    gen_path(dir, gen, gen_dir, sizeof gen_dir);
    /* One line per shard: Xapian opens them as one index. */
    unsigned shards = xc_shard_count(gen_dir);
    char text[8192];
    int n = 0;
    if (!shards)
        n = snprintf(text, sizeof text, "glass gen-%06u\n", gen);
    for (unsigned i = 0; i < shards && n >= 0 && (size_t)n < sizeof text - 64; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, "glass gen-%06u/shard-%u\n", gen, i);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, text, (size_t)n) != n || fsync(fd) < 0) {
        int rc = io_error(err, tmp);
        if (fd >= 0)
            close(fd);
        return rc;
    }
    close(fd);
    if (rename(tmp, stub) < 0)
        return io_error(err, stub);
    /* DIR/live names the live generation too, for what wants one stable
     * path to a database (xapian-replicate-server's master name). */
    char link[4096], link_tmp[4096], target[32];
    snprintf(link, sizeof link, "%s/%s", dir, GEN_LIVE_LINK);
    snprintf(link_tmp, sizeof link_tmp, "%s/%s.tmp", dir, GEN_LIVE_LINK);
    snprintf(target, sizeof target, "gen-%06u", gen);
    unlink(link_tmp);
    if (symlink(target, link_tmp) < 0 || rename(link_tmp, link) < 0)
        return io_error(err, link);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);   /* make the rename durable */
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

int gen_live(char *out, size_t outlen, const char *dir, unsigned create, lib_error *err)
{
    if (is_plain_index(dir)) {
        snprintf(out, outlen, "%s", dir);
        return 0;
    }
    unsigned gen = gen_current(dir);
    if (gen) {
        gen_path(dir, gen, out, outlen);
        return 0;
    }
    if (!create)
        return lib_error_set(err, LIB_E_NOTFOUND, "%s: no index here (build one with indexer)",
                             dir);
    int rc = make_dir(dir, err);
    gen_path(dir, 1, out, outlen);
    if (rc == 0)
        rc = make_gen_dir(out, create, err);
    return rc == 0 ? gen_switch(dir, 1, err) : rc;
}

int gen_next(char *out, size_t outlen, unsigned *gen, const char *dir, unsigned shards,
             lib_error *err)
{
    char live[4096];
    int rc = gen_live(live, sizeof live, dir, shards ? shards : 1, err);
    if (rc < 0)
        return rc;
    if (!shards)
        shards = xc_shard_count(live);
    if (is_plain_index(dir))
        return lib_error_set(err, LIB_E_INVALID, "%s is a plain index without generations: "
                                                 "index into a new folder to rebuild", dir);
    *gen = gen_current(dir) + 1;
    return make_gen(out, outlen, dir, *gen, shards, err);
}

int gen_compact(const char *dir, unsigned from, unsigned to, int into_one, lib_error *err)
{
    char src[4096], dst[4096];
    gen_path(dir, from, src, sizeof src);
    unsigned shards = into_one ? 1 : xc_shard_count(src);
    int rc = make_gen(dst, sizeof dst, dir, to, shards ? shards : 1, err);
    xc_error xe = {0};
    if (rc == 0 && (into_one ? xc_compact_into_one(src, dst, &xe) : xc_compact(src, dst, &xe)) < 0)
        rc = lib_error_set(err, LIB_E_IO, "cannot compact %s: %s", src, xe.message);
    if (rc < 0)
        remove_tree(dst);
    return rc;
}

void gen_remove(const char *dir, unsigned gen)
{
    char p[4096];
    gen_path(dir, gen, p, sizeof p);
    remove_tree(p);
}

unsigned long long gen_disk_usage(const char *path)
{
    char *paths[] = {(char *)path, NULL};
    unsigned long long bytes = 0;
    FTS *fts = fts_open(paths, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
    FTSENT *e;
    while (fts && (e = fts_read(fts)))
        if (e->fts_info == FTS_F)
            bytes += (unsigned long long)e->fts_statp->st_blocks * 512;
    if (fts)
        fts_close(fts);
    return bytes;
}

void gen_remove_older(const char *dir, unsigned keep_from)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        unsigned g;
        char tail;
        if (sscanf(e->d_name, "gen-%u%c", &g, &tail) == 1 && g < keep_from) {
            char p[4096];
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            remove_tree(p);
        }
    }
    if (d)
        closedir(d);
}

unsigned long long gen_stamp(const char *dir)
{
    char stub[4096];
    struct stat st;
    snprintf(stub, sizeof stub, "%s/%s", dir, GEN_STUB);
    if (stat(stub, &st) < 0)
        return 0;
    return ((unsigned long long)st.st_ino << 32) ^ (unsigned long long)st.st_mtim.tv_nsec ^
           (unsigned long long)st.st_mtim.tv_sec;
}
