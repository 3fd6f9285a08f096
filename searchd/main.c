/* main.c: searchd's command line, start-up and shutdown. Builds the one
 * struct server, starts libmicrohttpd's thread pool on the listen address,
 * prints the line that scripts and tests wait for ("searchd listening on
 * http://ADDR:PORT (N documents)"), then waits for SIGTERM/SIGINT, stops
 * accepting, lets requests in flight finish and exits 0. One cleanup path
 * at the end of main undoes whatever start-up made, however far it got. */
#include "server.h"

#include "docfile.h"

#include "install_path.h"

#include "count.h"

#include <errno.h>
#include <stddef.h>
#include <getopt.h>
#include <limits.h>
#include <sys/stat.h>
#include <libxml/parser.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
    "usage: searchd [--db DIR] [--listen ADDR:PORT] [--threads N] [--cors-origin ORIGIN]\n"
    "               [--www DIR] [--admin-token-file FILE] [--max-connections N]\n"
    "               [--max-per-ip N] [--timeout SECONDS] [--access-log FILE]\n"
    "               [--shard-timeout MS] [--count-limit N] [--lexicon FILE]\n"
    "               [--analytics FILE] [--analytics-days N]\n"
    "               [--count-thread-from N] [--posting-cache MB]\n"
    "\n"
    "Serves ranked Swedish search over HTTP/JSON from a Xapian index made by indexer.\n"
    "\n"
    "  --db DIR              the index (default: $SEARCHD_DB, else ./data/index): a\n"
    "                        folder made by indexer, or a stub file naming shards,\n"
    "                        local (glass PATH) or remote (remote HOST:PORT, each\n"
    "                        served by xapian-tcpsrv)\n"
    "  --listen ADDR:PORT    address to listen on (default 127.0.0.1:8080; port 0 picks\n"
    "                        a free one; IPv6 as [::1]:8080)\n"
    "  --threads N           worker threads (default: the number of cores)\n"
    "  --cors-origin ORIGIN  allow this origin to call the API from a browser\n"
    "  --www DIR             the pages' files (default: PREFIX/share/sitesearch/www\n"
    "                        beside an installed searchd, else " WWW_DIR ")\n"
    "  --admin-token-file F  enables PUT/DELETE /api/documents/ID for requests with\n"
    "                        \"Authorization: Bearer TOKEN\", TOKEN being F's content\n"
    "  --max-connections N   open connections at most (default 1024); more wait\n"
    "                        in the kernel's queue\n"
    "  --max-per-ip N        open connections from one address at most (default 128;\n"
    "                        0: no limit, for use behind a proxy that limits them)\n"
    "  --timeout SECONDS     close a connection idle this long, and wait at most this\n"
    "                        long for requests in flight at SIGTERM (default 30)\n"
    "  --access-log FILE     a line per request (Common Log Format, then the\n"
    "                        milliseconds taken) appended to FILE; - for standard\n"
    "                        output. No header or body is logged.\n"
    "  --shard-timeout MS    wait at most MS for a remote shard (default 1000): a shard\n"
    "                        down or slower is left out, the answer says \"partial\",\n"
    "                        /healthz answers 503, and it is searched again once\n"
    "                        it answers (checked every second)\n"
    "  --count-limit N       count a search's matches exactly up to N (default 10000);\n"
    "                        past it the total is estimated (\"total_exact\": false)\n"
    "                        and the facets are counted from a sample of the\n"
    "                        matches and scaled (\"facets_exact\": false)\n"
    "  --count-thread-from N count a search expected to match N documents or more\n"
    "                        on a second thread (with a reader of its own) while it\n"
    "                        is ranked, as long as at most half the cores are\n"
    "                        searching (default 2000; 0: each search is counted on\n"
    "                        the thread that ranks it)\n"
    "  --posting-cache MB    hold the posting lists of the words large searches\n"
    "                        weigh and count in memory, up to MB megabytes shared\n"
    "                        by the threads, those asked for most often kept\n"
    "                        (default: 1 KB a page of the index, at least 256;\n"
    "                        0: none). A common word's search then looks its\n"
    "                        candidates up there instead of decoding the lists\n"
    "                        from the index each time\n"
    "  --lexicon FILE        the compiled Swedish lexicon (default: the one installed\n"
    "                        beside searchd, else the one built with it)\n"
    "  --analytics FILE      keep search statistics in FILE (SQLite, made when\n"
    "                        missing): per day the searches, the queries, those\n"
    "                        without hits and the clicks on hits; nothing about\n"
    "                        visitors, long numbers masked, and a query's text\n"
    "                        only once it was searched 3 times that day. Report:\n"
    "                        GET /api/analytics with the admin token\n"
    "  --analytics-days N    keep N days of statistics, today's included\n"
    "                        (default 400); older days are deleted at start and\n"
    "                        daily\n"
    "  -h, --help            this text\n"
    "\n"
    "Routes: GET / (the search page), /api/search, /api/suggest, /api/documents/ID,\n"
    "/api/openapi.json, /healthz, /metrics, /api/analytics; POST /api/click.\n";

/* Splits "host:port" or "[v6]:port" and resolves it numerically. */
static int parse_listen(const char *spec, struct addrinfo **out, char *host, size_t hostlen)
{
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec || !colon[1])
        return -1;
    const char *h = spec;
    size_t hl = (size_t)(colon - spec);
    if (h[0] == '[' && hl >= 2 && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    if (hl == 0 || hl >= hostlen)
        return -1;
    memcpy(host, h, hl);
    host[hl] = '\0';
    struct addrinfo hints = {0};
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    hints.ai_socktype = SOCK_STREAM;
    return getaddrinfo(host, colon + 1, &hints, out) == 0 ? 0 : -1;
}

/* The admin token: the file's first line, trimmed; it must not be empty. */
static int read_token(const char *path, char **out)
{
    FILE *f = fopen(path, "r");
    char line[512] = "";
    struct stat st;
    if (!f) {
        fprintf(stderr, "searchd: --admin-token-file %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077))
        fprintf(stderr, "searchd: warning: %s can be read by others (chmod 600 it)\n", path);
    if (!fgets(line, sizeof line, f))
        line[0] = '\0';
    fclose(f);
    size_t n = strcspn(line, "\r\n");
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    line[n] = '\0';
    if (n < 16) {
        fprintf(stderr, "searchd: the token in %s must be at least 16 characters\n", path);
        return -1;
    }
    *out = strdup(line);
    return *out ? 0 : -1;
}

/* The page's files: beside an installed searchd (PREFIX/share/sitesearch/www
 * for PREFIX/bin/searchd), else those of the source tree it was built in. */
static const char *default_www(char *buf, size_t len)
{
    return install_path(buf, len, "www", 1) == 0 ? buf : WWW_DIR;
}

/* The access log: FILE appended to, "-" standard output; NULL on failure. */
static FILE *open_log(const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "a");
    if (!f) {
        fprintf(stderr, "searchd: --access-log %s: %s\n", path, strerror(errno));
        return NULL;
    }
    setvbuf(f, NULL, _IOLBF, 0);
    return f;
}

/* What the command line sets beside the server's own fields. */
struct config {
    const char *listen, *www, *token_file, *log_path, *lexicon, *analytics;
    unsigned threads, max_conns, max_per_ip, timeout, analytics_days;
    unsigned posting_mb;          /* --posting-cache; 0: none */
};
/* --posting-cache not given: sized by the index. */
#define POSTING_AUTO UINT_MAX

/* The options that take a whole number: its range, what it counts, and
 * where it goes (in the config, or the server's own fields). */
struct count_option {
    int key;
    const char *name, *what;
    long lo, hi;
    size_t offset;
    int in_server;
};

static const struct count_option count_options[] = {
    {'t', "--threads", "a number", 1, 256, offsetof(struct config, threads), 0},
    {'m', "--max-connections", "a number", 1, 65536, offsetof(struct config, max_conns), 0},
    {'p', "--max-per-ip", "a number", 0, 65536, offsetof(struct config, max_per_ip), 0},
    {'o', "--timeout", "seconds", 1, 3600, offsetof(struct config, timeout), 0},
    {'s', "--shard-timeout", "milliseconds", 10, 600000,
     offsetof(struct server, shard_timeout_ms), 1},
    {'n', "--count-limit", "a number", 1, 100000000, offsetof(struct server, count_limit), 1},
    {'C', "--count-thread-from", "a number", 0, 100000000,
     offsetof(struct server, count_thread_from), 1},
    {'D', "--analytics-days", "days", 1, 36600, offsetof(struct config, analytics_days), 0},
    {'P', "--posting-cache", "megabytes", 0, 1048576, offsetof(struct config, posting_mb), 0},
};
#define N_COUNT_OPTIONS (sizeof count_options / sizeof count_options[0])

/* The value of a numeric option into its field; -1 (said on stderr) when
 * arg is not one, 1 when key is no numeric option. */
static int count_option(struct config *cfg, struct server *srv, int key, const char *arg)
{
    for (size_t i = 0; i < N_COUNT_OPTIONS; i++) {
        const struct count_option *o = &count_options[i];
        if (o->key != key)
            continue;
        char *base = o->in_server ? (char *)srv : (char *)cfg;
        if (count_parse((unsigned *)(base + o->offset), arg, o->lo, o->hi) == 0)
            return 0;
        fprintf(stderr, "searchd: %s takes %s from %ld to %ld\n", o->name, o->what, o->lo,
                o->hi);
        return -1;
    }
    return 1;
}

/* The command line into cfg and srv: 0 to serve, 1 when --help was
 * answered, -1 on a usage error (said on stderr). */
static int parse_args(struct config *cfg, struct server *srv, int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},
        {"cors-origin", required_argument, NULL, 'c'},
        {"www", required_argument, NULL, 'w'},
        {"admin-token-file", required_argument, NULL, 'a'},
        {"max-connections", required_argument, NULL, 'm'},
        {"max-per-ip", required_argument, NULL, 'p'},
        {"timeout", required_argument, NULL, 'o'},
        {"access-log", required_argument, NULL, 'g'},
        {"shard-timeout", required_argument, NULL, 's'},
        {"count-limit", required_argument, NULL, 'n'},
        {"count-thread-from", required_argument, NULL, 'C'},
        {"lexicon", required_argument, NULL, 'L'},
        {"analytics", required_argument, NULL, 'A'},
        {"analytics-days", required_argument, NULL, 'D'},
        {"posting-cache", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    *cfg = (struct config){.listen = "127.0.0.1:8080",
                           .threads = ncpu > 0 ? (unsigned)ncpu : 2,
                           .max_conns = 1024,
                           .max_per_ip = 128,
                           .timeout = 30,
                           .analytics_days = ANALYTICS_DAYS,
                           .posting_mb = POSTING_AUTO};
    srv->shard_timeout_ms = 1000;
    srv->count_limit = SEARCH_COUNT_LIMIT;
    srv->count_thread_from = SEARCH_APART_MIN;
    srv->cores = ncpu > 0 ? (unsigned)ncpu : 1;
    srv->db_path = getenv("SEARCHD_DB");
    if (!srv->db_path || !*srv->db_path)
        srv->db_path = "./data/index";
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int rc = count_option(cfg, srv, c, optarg);
        if (rc < 0)
            return -1;
        if (rc == 0)
            continue;
        switch (c) {
        case 'd': srv->db_path = optarg; break;
        case 'l': cfg->listen = optarg; break;
        case 'c': srv->cors_origin = optarg; break;
        case 'w': cfg->www = optarg; break;
        case 'a': cfg->token_file = optarg; break;
        case 'g': cfg->log_path = optarg; break;
        case 'L': cfg->lexicon = optarg; break;
        case 'A': cfg->analytics = optarg; break;
        case 'h': fputs(usage, stdout); return 1;
        default: fputs(usage, stderr); return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "searchd: unexpected argument %s\n%s", argv[optind], usage);
        return -1;
    }
    return 0;
}

/* What serving needs before the first request: the token, the access log,
 * the page's files, the lexicon and a first look at the index (how many
 * documents, and whether it names remote shards). 0, or -1 (said on
 * stderr). */
static int load(struct server *srv, const struct config *cfg, unsigned *ndocs)
{
    char err[4400], www_buf[4200], lex_buf[4096];
    if (cfg->token_file && read_token(cfg->token_file, &srv->admin_token) < 0)
        return -1;
    if (cfg->log_path && !(srv->access_log = open_log(cfg->log_path)))
        return -1;
    const char *www = cfg->www ? cfg->www : default_www(www_buf, sizeof www_buf);
    if (static_load(&srv->www, www, err, sizeof err) < 0) {
        fprintf(stderr, "searchd: cannot read the pages' files: %s\n", err);
        return -1;
    }
    const char *lex = cfg->lexicon ? cfg->lexicon : an_default_lexicon(lex_buf, sizeof lex_buf);
    lib_error le;
    if (lex_open(&srv->lex, lex, &le) < 0) {
        fprintf(stderr, "searchd: %s\n", le.message);
        return -1;
    }
    if (reader_count(srv->db_path, srv->shard_timeout_ms, &srv->facets, ndocs, &srv->remote,
                     err, sizeof err) < 0) {
        fprintf(stderr, "searchd: cannot open the index %s: %s\n"
                        "searchd: build it first, e.g. bin/indexer --db %s corpus/\n",
                srv->db_path, err, srv->db_path);
        return -1;
    }
    return 0;
}

/* The readers' key, the remote shards' watch, the statistics' writer and
 * libmicrohttpd's threads on address ai. Call with SIGTERM and SIGINT
 * blocked: the threads inherit the mask. 0, or -1 (said on stderr). */
static int start(struct server *srv, const struct config *cfg, const struct addrinfo *ai,
                 int *key_made)
{
    char err[512];
    if (cfg->analytics && analytics_open(&srv->analytics, cfg->analytics, cfg->analytics_days,
                                         err, sizeof err) < 0) {
        fprintf(stderr, "searchd: --analytics %s: %s\n", cfg->analytics, err);
        return -1;
    }
    if (reader_key_create(srv) < 0) {
        fprintf(stderr, "searchd: out of memory\n");
        return -1;
    }
    *key_made = 1;
    if (srv->remote &&
        watch_start(&srv->watch, srv->db_path, srv->shard_timeout_ms, err, sizeof err) < 0) {
        fprintf(stderr, "searchd: cannot watch the remote shards: %s\n", err);
        return -1;
    }
    /* One daemon per thread, fed by an accepting thread of ours that
     * gives each connection to the one with the fewest open. A pool of
     * libmicrohttpd's own (0.9.75) shares its listening socket: in epoll
     * mode a thread accepts up to ten waiting connections in a row, so a
     * burst of kept-alive connections, as from a proxy's pool or wrk's 8,
     * could all land on one thread and leave the other cores idle (under
     * wrk at 200,000 pages, 1 run in 5 at half the rate); in poll mode a
     * thread accepts one per round of the requests it serves, so under
     * load new connections waited for seconds. */
    if (listener_open(&srv->listener, ai->ai_addr, ai->ai_addrlen, cfg->max_conns,
                      cfg->max_per_ip, err, sizeof err) < 0) {
        fprintf(stderr, "searchd: --listen %s: %s\n", cfg->listen, err);
        return -1;
    }
    if (!(srv->daemons = calloc(cfg->threads, sizeof *srv->daemons))) {
        fprintf(stderr, "searchd: out of memory\n");
        return -1;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_USE_NO_LISTEN_SOCKET;
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    for (; srv->ndaemons < cfg->threads; srv->ndaemons++) {
        /* The limits are the listener's; a daemon's own only has to
         * stay above its share while closes are being counted. */
        struct MHD_Daemon *d = MHD_start_daemon(
            flags, 0, NULL, NULL, http_handle, srv,
            MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout,
            MHD_OPTION_CONNECTION_LIMIT, 2 * cfg->max_conns,
            MHD_OPTION_NOTIFY_CONNECTION, listener_notify, srv->listener,
            MHD_OPTION_NOTIFY_COMPLETED, http_completed, srv, MHD_OPTION_END);
        if (!d) {
            fprintf(stderr, "searchd: cannot start server thread %u\n", srv->ndaemons + 1);
            return -1;
        }
        srv->daemons[srv->ndaemons] = d;
    }
    if (listener_run(srv->listener, srv->daemons, srv->ndaemons, err, sizeof err) < 0) {
        fprintf(stderr, "searchd: %s\n", err);
        return -1;
    }
    return 0;
}

/* Prints the listening line ("searchd listening on …"), then waits for SIGTERM or SIGINT, and
 * lets the requests taken before it finish, at most wait_s seconds; those that come after are
 * answered 503 (http.c). */
static void serve(struct server *srv, const char *host, unsigned ndocs, const sigset_t *sigs,
                  unsigned wait_s)
{
    unsigned port = listener_port(srv->listener);
    int v6 = strchr(host, ':') != NULL;
    printf("searchd listening on http://%s%s%s:%u (%u documents)\n", v6 ? "[" : "", host,
           v6 ? "]" : "", port, ndocs);
    fflush(stdout);
    int sig = 0;
    sigwait(sigs, &sig);
    fprintf(stderr, "searchd: %s received, finishing requests in flight\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT");
    atomic_store(&srv->stopping, 1);
    const struct timespec tick = {0, 10 * 1000 * 1000};
    for (unsigned waited = 0; atomic_load(&srv->in_flight) > 0; waited++) {
        if (waited == wait_s * 100) {
            fprintf(stderr, "searchd: %d requests still in flight after %u s, stopping\n",
                    atomic_load(&srv->in_flight), wait_s);
            break;
        }
        nanosleep(&tick, NULL);
    }
}

int main(int argc, char **argv)
{
    static struct server srv;   /* large (metrics); lives for the whole run */
    static char reader[PATH_MAX];   /* docread, beside this program */
    srv.doc_reader = docfile_reader_path(reader, sizeof reader) == 0 ? reader : NULL;
    struct config cfg;
    int rc = parse_args(&cfg, &srv, argc, argv);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    char host[128];
    struct addrinfo *ai = NULL;
    if (parse_listen(cfg.listen, &ai, host, sizeof host) < 0) {
        fprintf(stderr, "searchd: --listen %s: expected ADDR:PORT, e.g. 127.0.0.1:8080\n",
                cfg.listen);
        return 2;
    }
    unsigned ndocs = 0;
    int key_made = 0;
    /* Signals are taken by sigwait in serve, never by a worker thread. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    if (facet_cache_init(&srv.facets, &srv.metrics.facet_loads) < 0) {
        fprintf(stderr, "searchd: cannot make a lock\n");
        freeaddrinfo(ai);
        return 2;
    }
    rc = load(&srv, &cfg, &ndocs);
    if (rc == 0)
        pthread_sigmask(SIG_BLOCK, &sigs, NULL);   /* before any thread starts */
    /* Sized by the index as it is at start when not given; its loader is
     * a thread of its own. */
    size_t budget = cfg.posting_mb == POSTING_AUTO ? posting_cache_default_budget(ndocs)
                                                   : (size_t)cfg.posting_mb << 20;
    if (rc == 0 && budget && posting_cache_new(&srv.postings, budget, srv.db_path, NULL) < 0) {
        fprintf(stderr, "searchd: out of memory\n");
        rc = -1;
    }
    if (rc == 0) {
        signal(SIGPIPE, SIG_IGN);
        xmlInitParser();
        rc = start(&srv, &cfg, ai, &key_made);
    }
    freeaddrinfo(ai);
    if (rc == 0)
        serve(&srv, host, ndocs, &sigs, cfg.timeout);
    listener_stop(srv.listener);   /* then the daemons close what is open */
    for (unsigned i = 0; i < srv.ndaemons; i++)
        MHD_stop_daemon(srv.daemons[i]);
    listener_free(srv.listener);
    free(srv.daemons);
    analytics_free(srv.analytics);   /* what is queued is written first */
    watch_stop(srv.watch);
    if (key_made)
        reader_key_delete(&srv);
    facet_cache_dispose(&srv.facets);   /* after the threads gave theirs back */
    posting_cache_free(srv.postings);
    static_dispose(&srv.www);
    free(srv.admin_token);
    if (srv.access_log && srv.access_log != stdout)
        fclose(srv.access_log);
    lex_free(srv.lex);
    xmlCleanupParser();
    return rc < 0 ? 2 : 0;
}
