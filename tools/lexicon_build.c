/* lexicon_build.c: builds the compiled Swedish lexicon (lexicon.h) from
 * every form of hunspell-sv, as hunspell's unmunch lists them: each form,
 * lower-cased as the tokenizer lower-cases, gets the reference analysis
 * (analysis_hunspell.h) and the dictionary's answers about it. The costly
 * part, libhunspell, runs here once instead of in every indexer and
 * searchd; threads share the forms, each with its own hunspell. */
#include "analysis_hunspell.h"
#include "hash.h"
#include "lexicon_write.h"
#include "tokenize.h"

#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_THREADS 16

static const char usage[] =
    "usage: lexicon-build [options] -o OUT FORMS\n"
    "Builds the compiled Swedish lexicon OUT from FORMS, the word forms of\n"
    "hunspell-sv one a line (unmunch sv_SE.dic sv_SE.aff > FORMS).\n"
    "  -o, --output FILE    the lexicon to write\n"
    "  -d, --dict DIR       hunspell-sv's sv_SE.aff and sv_SE.dic (default "
    AH_DICT_DIR ")\n"
    "  -j, --threads N      threads (default 2)\n"
    "  -q, --quiet          no progress\n"
    "  -h, --help           this text\n";

struct words {
    char **v;
    size_t n, cap;
};

/* One word's answers, kept until they are written in order. */
struct result {
    struct lex_entry e;
    char *block;   /* the entry's strings */
};

struct job {
    struct ah_analyzer *ah;
    const struct words *words;
    struct result *results;
    size_t first, step;
    int progress, failed;
};

static int push(struct words *w, const char *s, size_t len)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 4096;
        char **v = realloc(w->v, cap * sizeof *v);
        if (!v)
            return -1;
        w->v = v;
        w->cap = cap;
    }
    if (!(w->v[w->n] = strndup(s, len)))
        return -1;
    w->n++;
    return 0;
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The forms of FORMS that are one word, lower case, sorted, each once: the
 * keys the tokenizer will look up. */
static int read_forms(struct words *w, const char *path)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    if (!f) {
        perror(path);
        return -1;
    }
    while ((n = getline(&line, &cap, f)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0 || memchr(line, '/', (size_t)n))
            continue;   /* unmunch leaves some entries with their flags */
        struct tokenizer tz;
        struct tok t, extra;
        tok_init(&tz, line, (size_t)n);
        if (!tok_next(&tz, &t) || t.start != 0 || t.len != (size_t)n || tok_next(&tz, &extra))
            continue;   /* "aha-upplevelse": its words are forms of their own */
        if (push(w, t.word, t.wlen) < 0) {
            fprintf(stderr, "lexicon-build: out of memory\n");
            free(line);
            fclose(f);
            return -1;
        }
    }
    free(line);
    fclose(f);
    qsort(w->v, w->n, sizeof *w->v, by_bytes);
    size_t k = 0;
    for (size_t i = 0; i < w->n; i++) {
        if (k > 0 && strcmp(w->v[k - 1], w->v[i]) == 0)
            free(w->v[i]);
        else
            w->v[k++] = w->v[i];
    }
    w->n = k;
    return 0;
}

/* Fills r for word from the reference analysis; -1 when out of memory. */
static int answer(struct ah_analyzer *ah, const char *word, struct result *r)
{
    const struct an_dict *d = ah_dict(ah);
    struct an_keys k;
    char lemma[AN_W_MAX];
    ah_analyze(ah, word, strlen(word), &k);
    unsigned flags = 0;
    flags |= d->known(d->ctx, word) ? LEX_KNOWN : 0;
    flags |= d->base_form(d->ctx, word) ? LEX_BASE_FORM : 0;
    flags |= d->lemma(d->ctx, word, lemma) ? LEX_LEMMA : 0;
    flags |= d->proper_noun(d->ctx, word) ? LEX_PROPER_NOUN : 0;
    flags |= k.accented ? LEX_ACCENTED : 0;
    flags |= k.stop ? LEX_STOP : 0;
    char part_key[AN_W_MAX];
    an_rules_part_key(d, ah_stemmer(ah), word, strlen(word), part_key);
    const char *s[6] = {k.stem, k.unaccented, k.parts[0], k.parts[1], lemma, part_key};
    size_t len[6], need = 0;
    if (k.nparts < 2)
        s[3] = "";
    if (k.nparts < 1)
        s[2] = "";
    for (int i = 0; i < 6; i++)
        need += (len[i] = strlen(s[i])) + 1;
    char *p = r->block = malloc(need);
    if (!p)
        return -1;
    const char **dst[6] = {&r->e.stem, &r->e.unaccented, &r->e.parts[0], &r->e.parts[1],
                           &r->e.lemma, &r->e.part_key};
    for (int i = 0; i < 6; i++) {
        *dst[i] = memcpy(p, s[i], len[i] + 1);
        p += len[i] + 1;
    }
    r->e.flags = flags;
    r->e.nparts = k.nparts;
    return 0;
}

static void *work(void *arg)
{
    struct job *j = arg;
    size_t done = 0, n = j->words->n;
    for (size_t i = j->first; i < n && !j->failed; i += j->step) {
        if (answer(j->ah, j->words->v[i], &j->results[i]) < 0)
            j->failed = 1;
        if (j->progress && ++done % 50000 == 0)
            fprintf(stderr, "\rlexicon-build: %zu of %zu words", i + 1, n);
    }
    return NULL;
}

/* FNV-1a over a file's bytes, into h. */
static int hash_file(const char *path, uint64_t *h)
{
    FILE *f = fopen(path, "rb");
    char buf[65536];
    size_t n;
    if (!f) {
        perror(path);
        return -1;
    }
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        *h = fnv1a64_add(*h, buf, n);
    fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"dict", required_argument, NULL, 'd'},
        {"threads", required_argument, NULL, 'j'}, {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    const char *out = NULL, *dict = AH_DICT_DIR;
    int nthreads = 2, quiet = 0, c;
    while ((c = getopt_long(argc, argv, "o:d:j:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'd': dict = optarg; break;
        case 'j': nthreads = atoi(optarg); break;
        case 'q': quiet = 1; break;
        case 'h': fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return 2;
        }
    }
    if (!out || optind != argc - 1 || nthreads < 1 || nthreads > MAX_THREADS) {
        fputs(usage, stderr);
        return 2;
    }
    struct words words = {0};
    struct result *results = NULL;
    struct job jobs[MAX_THREADS] = {{0}};
    pthread_t tids[MAX_THREADS];
    struct lex_writer *lw = NULL;
    lib_error err;
    char path[4096];
    uint64_t source = FNV1A64_INIT;
    int rc = 1;
    snprintf(path, sizeof path, "%s/sv_SE.aff", dict);
    if (hash_file(path, &source) < 0)
        goto cleanup;
    snprintf(path, sizeof path, "%s/sv_SE.dic", dict);
    if (hash_file(path, &source) < 0 || read_forms(&words, argv[optind]) < 0)
        goto cleanup;
    if (words.n == 0) {
        fprintf(stderr, "lexicon-build: %s holds no word\n", argv[optind]);
        goto cleanup;
    }
    if (!(results = calloc(words.n, sizeof *results)) || lex_writer_new(&lw) < 0) {
        fprintf(stderr, "lexicon-build: out of memory\n");
        goto cleanup;
    }
    /* hunspell's globals: its handles are made in one thread */
    for (int t = 0; t < nthreads; t++) {
        if (ah_new(&jobs[t].ah, dict, &err) < 0) {
            fprintf(stderr, "lexicon-build: %s\n", err.message);
            goto cleanup;
        }
        jobs[t].words = &words;
        jobs[t].results = results;
        jobs[t].first = (size_t)t;
        jobs[t].step = (size_t)nthreads;
        jobs[t].progress = !quiet && t == 0 && isatty(2);
    }
    int started = 0;
    for (; started < nthreads; started++)
        if (pthread_create(&tids[started], NULL, work, &jobs[started]) != 0)
            break;
    int failed = started < nthreads;
    for (int t = 0; t < started; t++) {
        pthread_join(tids[t], NULL);
        failed |= jobs[t].failed;
    }
    if (!quiet && isatty(2))
        fputc('\n', stderr);
    if (failed) {
        fprintf(stderr, "lexicon-build: out of memory or threads\n");
        goto cleanup;
    }
    for (size_t i = 0; i < words.n; i++) {
        if (lex_writer_add(lw, words.v[i], strlen(words.v[i]), &results[i].e) < 0) {
            fprintf(stderr, "lexicon-build: cannot add \"%s\" (out of memory?)\n", words.v[i]);
            goto cleanup;
        }
    }
    if (lex_writer_finish(lw, out, source, &err) < 0) {
        fprintf(stderr, "lexicon-build: %s\n", err.message);
        goto cleanup;
    }
    if (!quiet)
        fprintf(stderr, "lexicon-build: wrote %s (%zu words)\n", out, words.n);
    rc = 0;
cleanup:
    for (int t = 0; t < nthreads && t < MAX_THREADS; t++)
        ah_free(jobs[t].ah);
    for (size_t i = 0; results && i < words.n; i++)
        free(results[i].block);
    for (size_t i = 0; i < words.n; i++)
        free(words.v[i]);
    free(words.v);
    free(results);
    lex_writer_free(lw);
    return rc;
}
