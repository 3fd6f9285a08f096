/* main.c: the indexer's command line (the usage below; README.md "indexer"
 * and man/indexer.1 tell it in full): index SOURCEs, delete ids, or show
 * statistics. Exit 0 when nothing was rejected, 1 when some documents were,
 * 2 for a usage or fatal error. */
#include "indexer.h"

#include "analysis_lang.h"

#include "count.h"
#include "generation.h"
#include "schema.h"

#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
    "usage: indexer [--db DIR] [--rebuild] [--prune] [--base-url URL] [--synonyms FILE]\n"
    "               [--best-bets FILE]\n"
    "               [--analysis full|plain] [--lexicon FILE] [--batch N] [--jobs N] [--shards N]\n"
    "               [--writers N] [--compact|--no-compact] [--document-cpu S]\n"
    "               [--document-memory MB] [--document-time S] [--quiet] SOURCE...\n"
    "       indexer [--db DIR] [--rebuild] --crawl URL [--crawl URL...] [--user-agent UA]\n"
    "               [--crawl-delay S] [--crawl-limit N] [--crawl-timeout S]\n"
    "               [--crawl-page-max MB]\n"
    "       indexer [--db DIR] --delete ID...\n"
    "       indexer [--db DIR] --stats\n"
    "       indexer [--db DIR] --watch DIR\n"
    "       indexer [--db DIR] --export-spelling DEST\n"
    "       indexer --extract FILE\n"
    "\n"
    "Indexes a site's pages into a Xapian index with Swedish analysis.\n"
    "SOURCE is a directory (walked for .html/.htm pages and .pdf, .odt, .ods,\n"
    ".odp, .docx, .xlsx, .pptx and .epub documents, whose id is their path below\n"
    "it), one such file, a .jsonl/.ndjson file of JSON documents, or - for JSON\n"
    "lines on standard input. Unchanged documents are not rewritten. Each\n"
    "document file is read in a process of its own, within the limits below.\n"
    "With --crawl, the site is read over HTTP instead: see below.\n"
    "\n"
    "  --db DIR        the index (default: $SEARCHD_DB, else ./data/index)\n"
    "  --rebuild       build a new generation of the index from SOURCEs beside the\n"
    "                  live one and switch to it atomically when complete\n"
    "  --prune         delete the pages of a SOURCE folder whose files are gone\n"
    "  --base-url URL  joined with a page's id when it has no canonical link\n"
    "  --synonyms FILE the editors' synonyms (lines like: DMS = Delegationen mot\n"
    "                  segregation); stored in the index for searchd\n"
    "  --best-bets FILE the editors' best bets (lines like: lediga jobb =\n"
    "                  jobb/lediga.html, om-oss/karriar.html; or QUERY -= ID to\n"
    "                  hide; from/to YYYY-MM-DD after the ids for a campaign);\n"
    "                  stored in the index for searchd\n"
    "  --analysis MODE full (default: lemmas, compound parts, unaccented forms) or\n"
    "                  plain (Snowball stemming only, for comparison)\n"
    "  --lexicon FILE  the compiled Swedish lexicon of the full analysis (default:\n"
    "                  the one installed beside the indexer or built with it)\n"
    "  --batch N       documents per commit (default 2000)\n"
    "  --shards N      a new index (or with --rebuild, the next generation) in N\n"
    "                  shards, each document in the one its id hashes to; later\n"
    "                  runs, searchd and the API see one index (default 1); a\n"
    "                  thread writes each shard\n"
    "  --writers N     threads writing an index of one shard that a run fills from\n"
    "                  empty (a new index or --rebuild): each writes a shard of\n"
    "                  its own, and the shards are merged into one database at the\n"
    "                  end (default: the cores, at most 4)\n"
    "  --compact       compact the index at the end of the run (default: only when\n"
    "                  the run filled it from empty: a new index or --rebuild);\n"
    "                  the compacted copy becomes the next generation\n"
    "  --no-compact    leave the index as the run wrote it (shards written by\n"
    "                  --writers are still merged)\n"
    "  --jobs N        threads reading and analysing pages beside the writers\n"
    "                  (default: the cores)\n"
    "  --document-cpu S      CPU seconds reading one document may take (default 60)\n"
    "  --document-memory MB  memory it may take (default 2048)\n"
    "  --document-time S     seconds in all it may take (default 120)\n"
    "  --crawl URL     read the site over HTTP from URL (a start page or a\n"
    "                  sitemap.xml; repeatable): the pages its sitemaps list and\n"
    "                  its links reach, on URL's host below URL's folder, as\n"
    "                  robots.txt allows; a page's id is its path and query. A\n"
    "                  recrawl asks for each page only if it changed; pages gone\n"
    "                  (404, 410) or no longer reached are deleted\n"
    "  --user-agent UA the crawler's name, sent and matched in robots.txt\n"
    "                  (default: " CRAWL_USER_AGENT ")\n"
    "  --crawl-delay S seconds from one answer to the next request (default 0.2;\n"
    "                  robots.txt's Crawl-delay when longer, up to 60)\n"
    "  --crawl-limit N pages fetched at most (default 100000)\n"
    "  --crawl-timeout S  seconds one request may take (default 30)\n"
    "  --crawl-page-max MB  a page or document larger is not read (default 64)\n"
    "  --quiet         no progress and no summary, only errors\n"
    "  --delete        delete the documents with these ids\n"
    "  --stats         show what the index holds\n"
    "  --watch DIR     index DIR, then keep indexing its pages as they are written,\n"
    "                  moved or removed, until SIGTERM or Ctrl-C\n"
    "  --extract FILE  print what is extracted from one page or document, as JSON\n"
    "  --export-spelling DEST\n"
    "                  copy the index's spelling data into a new database DEST,\n"
    "                  for a searchd whose shards are all remote (its stub's\n"
    "                  line: spelling glass DEST)\n"
    "  -h, --help      this text\n"
    "\n"
    "Exit status: 0 all indexed, 1 some documents rejected, 2 usage or fatal error.\n";

#define WRITERS_DEFAULT_MAX 4

enum mode { MODE_INDEX, MODE_DELETE, MODE_STATS, MODE_EXTRACT, MODE_WATCH, MODE_EXPORT,
            MODE_CRAWL };

/* The live index's spelling data into a database of its own at dest. */
static int run_export_spelling(const char *path, const char *dest)
{
    xc_db *db = NULL;
    xc_error xe = {0};
    unsigned words = 0;
    if (xc_db_open(&db, path, &xe) < 0 || xc_db_export_spelling(db, dest, &words, &xe) < 0) {
        fprintf(stderr, "indexer: cannot export the spelling data of %s to %s: %s\n", path, dest,
                xe.message);
        xc_db_free(db);
        return 2;
    }
    xc_db_free(db);
    printf("indexer: %u words of spelling data written to %s\n", words, dest);
    return 0;
}

static int run_index(struct indexer *ix, char **sources, int n)
{
    char err[512];
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(sources[i], "-") != 0 && stat(sources[i], &st) < 0) {
            fprintf(stderr, "indexer: %s: no such file or directory\n", sources[i]);
            return 2;
        }
    }
    if (writer_open(ix, err, sizeof err) < 0) {
        fprintf(stderr, "indexer: %s\n", err);
        return 2;
    }
    progress_start(&ix->progress, ix->quiet);
    progress_measure(&ix->progress, sources, n);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++)
        rc = sources_index(ix, sources[i]);
    if (rc == 0 && writer_finish(ix, err, sizeof err) < 0) {
        fprintf(stderr, "indexer: %s\n", err);
        rc = -1;
    } else if (rc < 0 && !ix->rebuild) {
        writer_commit(ix, err, sizeof err);   /* keep what was done */
    }
    progress_clear(&ix->progress);
    if (!ix->quiet)
        progress_summary(&ix->progress, &ix->n, stdout);
    progress_recap(&ix->progress, &ix->n);
    if (rc < 0)
        return 2;
    return ix->n.rejected ? 1 : 0;
}

static int run_watch(struct indexer *ix, const char *dir)
{
    char err[512];
    struct stat st;
    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "indexer: --watch %s: not a folder\n", dir);
        return 2;
    }
    /* Blocked before the worker threads start, so that only the watch loop
     * (through a signalfd) ever sees SIGTERM and SIGINT. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    if (writer_open(ix, err, sizeof err) < 0) {
        fprintf(stderr, "indexer: %s\n", err);
        return 2;
    }
    progress_start(&ix->progress, ix->quiet);
    return watch_run(ix, dir);
}

static int run_delete(struct indexer *ix, char **ids, int n)
{
    char err[512];
    if (writer_open(ix, err, sizeof err) < 0) {
        fprintf(stderr, "indexer: %s\n", err);
        return 2;
    }
    progress_start(&ix->progress, 1);
    int missing = 0;
    for (int i = 0; i < n; i++) {
        int rc = writer_delete(ix, ids[i], err, sizeof err);
        if (rc < 0) {
            fprintf(stderr, "indexer: %s\n", err);
            return 2;
        }
        if (rc == 0) {
            fprintf(stderr, "indexer: %s: no such document\n", ids[i]);
            missing++;
        }
    }
    if (writer_finish(ix, err, sizeof err) < 0) {
        fprintf(stderr, "indexer: %s\n", err);
        return 2;
    }
    if (!ix->quiet)
        printf("deleted %lu, not found %d\n", ix->n.deleted, missing);
    return missing ? 1 : 0;
}

static char *meta(xc_db *db, const char *key)
{
    char *v = NULL;
    xc_db_get_metadata(db, key, &v, NULL, NULL);
    return v;
}

/* xc_term_visit_fn: one language of --stats, with its documents. */
static int print_lang(void *ctx, const char *term, size_t len, unsigned freq)
{
    int *n = ctx;
    size_t plen = strlen(SCHEMA_LANG);
    if (len <= plen || len - plen >= DOC_LANG_MAX)
        return 0;
    char lang[DOC_LANG_MAX];
    memcpy(lang, term + plen, len - plen);
    lang[len - plen] = '\0';
    printf("%s%s %u%s", (*n)++ ? ", " : "languages   ", lang, freq,
           strcmp(lang, DOC_LANG_DEFAULT) == 0 ? "" : an_lang_has_stemmer(lang)
                                                       ? " (Snowball)"
                                                       : " (no stemmer: words as written)");
    return 0;
}

static int run_stats(const char *path)
{
    xc_db *db = NULL;
    xc_error xe = {0};
    if (xc_db_open(&db, path, &xe) < 0) {
        fprintf(stderr, "indexer: %s: cannot open the index: %s\n", path, xe.message);
        return 2;
    }
    char live[4096];
    unsigned gen = gen_current(path);
    if (gen_live(live, sizeof live, path, 0, NULL) < 0)
        snprintf(live, sizeof live, "%s", path);
    unsigned long long disk_bytes = gen_disk_usage(path);
    char *mode = meta(db, SCHEMA_META_ANALYSIS), *syn = meta(db, SCHEMA_META_SYNONYMS),
         *last = meta(db, SCHEMA_META_LAST_RUN);
    json_t *synj = syn && *syn ? json_loads(syn, 0, NULL) : NULL;
    json_t *run = last && *last ? json_loads(last, 0, NULL) : NULL;
    printf("index       %s\n", path);
    if (gen)
        printf("generation  %u (%s)\n", gen, live);
    printf("documents   %u\n", xc_db_doc_count(db));
    unsigned shards = gen_shards(path);
    if (shards > 1)
        printf("shards      %u\n", shards);
    printf("analysis    %s\n", mode && *mode ? mode : "full");
    printf("synonyms    %zu words with synonyms\n", synj ? json_object_size(synj) : 0);
    int nlangs = 0;
    xc_db_each_term(db, SCHEMA_LANG, print_lang, &nlangs, NULL);
    if (nlangs)
        printf("\n");
    if (run)
        printf("last run    %s: indexed %lld, unchanged %lld, deleted %lld, rejected %lld in "
               "%.2f s\n",
               json_string_value(json_object_get(run, "time")),
               (long long)json_integer_value(json_object_get(run, "indexed")),
               (long long)json_integer_value(json_object_get(run, "unchanged")),
               (long long)json_integer_value(json_object_get(run, "deleted")),
               (long long)json_integer_value(json_object_get(run, "rejected")),
               json_real_value(json_object_get(run, "seconds")));
    printf("size        %.1f MB on disk\n", (double)disk_bytes / 1e6);
    printf("revision    %llu\n", xc_db_revision(db));
    json_decref(synj);
    json_decref(run);
    free(mode);
    free(syn);
    free(last);
    xc_db_free(db);
    return 0;
}

/* A whole number from 1 to max for option `name` into *out; -1 (said on
 * stderr) when arg is not one. */
static int option_count(const char *name, const char *arg, long max, unsigned *out)
{
    if (count_parse(out, arg, 1, max) == 0)
        return 0;
    fprintf(stderr, "indexer: %s takes a number from 1 to %ld\n", name, max);
    return -1;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"base-url", required_argument, NULL, 'u'},
        {"synonyms", required_argument, NULL, 'y'},
        {"best-bets", required_argument, NULL, 'B'},
        {"analysis", required_argument, NULL, 'a'},
        {"lexicon", required_argument, NULL, 'L'},
        {"batch", required_argument, NULL, 'b'},
        {"jobs", required_argument, NULL, 'j'},
        {"shards", required_argument, NULL, 'S'},
        {"writers", required_argument, NULL, 'w'},
        {"quiet", no_argument, NULL, 'q'},
        {"delete", no_argument, NULL, 'D'},
        {"stats", no_argument, NULL, 's'},
        {"extract", required_argument, NULL, 'x'},
        {"export-spelling", required_argument, NULL, 'E'},
        {"rebuild", no_argument, NULL, 'r'},
        {"prune", no_argument, NULL, 'p'},
        {"watch", required_argument, NULL, 'W'},
        {"compact", no_argument, NULL, 'C'},
        {"no-compact", no_argument, NULL, 'N'},
        {"document-cpu", required_argument, NULL, 'P'},
        {"document-memory", required_argument, NULL, 'M'},
        {"document-time", required_argument, NULL, 'T'},
        {"crawl", required_argument, NULL, 'c'},
        {"user-agent", required_argument, NULL, 'U'},
        {"crawl-delay", required_argument, NULL, 'G'},
        {"crawl-limit", required_argument, NULL, 'l'},
        {"crawl-timeout", required_argument, NULL, 'O'},
        {"crawl-page-max", required_argument, NULL, 'X'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    struct indexer ix = {0};
    enum mode mode = MODE_INDEX;
    const char *crawl_urls[64];
    size_t ncrawl = 0;
    struct crawl_options crawl = {CRAWL_USER_AGENT, 0.2, 100000, 30, 64UL << 20};
    const char *mode_arg = NULL;
    char lex_buf[4096];
    const char *lex_path = an_default_lexicon(lex_buf, sizeof lex_buf);
    struct lexicon *lex = NULL;
    /* Documents are read by docread, beside this program; without it they
     * are rejected with that reason and the pages indexed. */
    char reader[PATH_MAX];
    ix.page.doc_reader = docfile_reader_path(reader, sizeof reader) == 0 ? reader : NULL;
    ix.page.doc_limits = (struct docfile_limits)DOCFILE_LIMITS_DEFAULT;
    ix.db_path = getenv("SEARCHD_DB");
    if (!ix.db_path || !*ix.db_path)
        ix.db_path = "./data/index";
    ix.batch_size = 2000;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    /* As many threads build documents as there are cores, beside the threads
     * writing (one a shard): on real pages building costs the most. */
    ix.jobs = ncpu > 1 ? (int)(ncpu < 64 ? ncpu : 64) : 1;
    ix.writers = ncpu < 1 ? 1 : ncpu > WRITERS_DEFAULT_MAX ? WRITERS_DEFAULT_MAX : (int)ncpu;
    ix.page.mode = AN_FULL;
    int c;
    unsigned n;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': ix.db_path = optarg; break;
        case 'u': ix.page.base_url = optarg; break;
        case 'y': ix.synonyms = optarg; break;
        case 'B': ix.best_bets = optarg; break;
        case 'a':
            if (an_mode_parse(&ix.page.mode, optarg) < 0) {
                fprintf(stderr, "indexer: --analysis takes full or plain\n");
                return 2;
            }
            break;
        case 'L': lex_path = optarg; break;
        case 'q': ix.quiet = 1; break;
        case 'r': ix.rebuild = 1; break;
        case 'C': ix.compact = COMPACT_ALWAYS; break;
        case 'N': ix.compact = COMPACT_NEVER; break;
        case 'p': ix.prune = 1; break;
        case 'W': mode = MODE_WATCH; mode_arg = optarg; break;
        case 'D': mode = MODE_DELETE; break;
        case 's': mode = MODE_STATS; break;
        case 'x': mode = MODE_EXTRACT; mode_arg = optarg; break;
        case 'E': mode = MODE_EXPORT; mode_arg = optarg; break;
        case 'P':
            if (option_count("--document-cpu", optarg, 86400,
                             &ix.page.doc_limits.cpu_seconds) < 0)
                return 2;
            break;
        case 'T':
            if (option_count("--document-time", optarg, 86400,
                             &ix.page.doc_limits.wall_seconds) < 0)
                return 2;
            break;
        case 'M':
            if (option_count("--document-memory", optarg, 1L << 20, &n) < 0)
                return 2;
            ix.page.doc_limits.memory_bytes = (size_t)n << 20;
            break;
        case 'j':
            if (option_count("--jobs", optarg, 64, &n) < 0)
                return 2;
            ix.jobs = (int)n;
            break;
        case 'S':
            if (option_count("--shards", optarg, 256, &ix.shards) < 0)
                return 2;
            break;
        case 'w':
            if (option_count("--writers", optarg, 64, &n) < 0)
                return 2;
            ix.writers = (int)n;
            break;
        case 'b':
            if (option_count("--batch", optarg, 1000000, &ix.batch_size) < 0)
                return 2;
            break;
        case 'c':
            if (ncrawl == sizeof crawl_urls / sizeof crawl_urls[0]) {
                fprintf(stderr, "indexer: at most %zu --crawl URLs\n", ncrawl);
                return 2;
            }
            mode = MODE_CRAWL;
            crawl_urls[ncrawl++] = optarg;
            break;
        case 'U': crawl.user_agent = optarg; break;
        case 'G': {
            char *end = NULL;
            crawl.delay_s = strtod(optarg, &end);
            if (end == optarg || *end || !(crawl.delay_s >= 0 && crawl.delay_s <= 60)) {
                fprintf(stderr, "indexer: --crawl-delay takes seconds from 0 to 60\n");
                return 2;
            }
            break;
        }
        case 'l':
            if (option_count("--crawl-limit", optarg, 100000000, &crawl.limit) < 0)
                return 2;
            break;
        case 'O':
            if (option_count("--crawl-timeout", optarg, 3600, &n) < 0)
                return 2;
            crawl.timeout_s = (long)n;
            break;
        case 'X':
            if (option_count("--crawl-page-max", optarg, 1024, &n) < 0)
                return 2;
            crawl.page_max_bytes = (size_t)n << 20;
            break;
        case 'h': fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return 2;
        }
    }
    int nargs = argc - optind;
    char **args = argv + optind;
    /* The editors' files alone may be stored, with no SOURCE. */
    if ((mode == MODE_DELETE || (mode == MODE_INDEX && !ix.synonyms && !ix.best_bets)) &&
        nargs == 0) {
        fprintf(stderr, "indexer: %s\n%s", mode == MODE_INDEX ? "no SOURCE given" : "no ID given",
                usage);
        return 2;
    }
    if ((mode == MODE_STATS || mode == MODE_EXTRACT || mode == MODE_WATCH ||
         mode == MODE_EXPORT || mode == MODE_CRAWL) && nargs > 0) {
        fprintf(stderr, "indexer: unexpected argument %s\n", args[0]);
        return 2;
    }
    if (ix.page.mode == AN_FULL && mode != MODE_STATS && mode != MODE_EXTRACT && mode != MODE_EXPORT) {
        lib_error err;
        if (lex_open(&lex, lex_path, &err) < 0) {
            fprintf(stderr, "indexer: %s\n", err.message);
            return 2;
        }
        ix.page.lex = lex;
    }
    xmlInitParser();
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc;
    switch (mode) {
    case MODE_INDEX: rc = run_index(&ix, args, nargs); break;
    case MODE_DELETE: rc = run_delete(&ix, args, nargs); break;
    case MODE_STATS: rc = run_stats(ix.db_path); break;
    case MODE_WATCH: rc = run_watch(&ix, mode_arg); break;
    case MODE_EXPORT: rc = run_export_spelling(ix.db_path, mode_arg); break;
    case MODE_CRAWL: rc = crawl_run(&ix, &crawl, (char **)crawl_urls, (int)ncrawl); break;
    default: rc = page_extract(&ix.page, mode_arg, stdout) < 0 ? 2 : 0; break;
    }
    writer_close(&ix);
    seen_dispose(&ix.seen);
    progress_dispose(&ix.progress);
    lex_free(lex);
    xmlCleanupParser();
    curl_global_cleanup();
    return rc;
}
