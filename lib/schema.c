/* schema.c: doc → Xapian document, with the project's own term generation
 * (tokenize.c + analysis.c) rather than Xapian's TermGenerator, so that the
 * compound parts and unaccented keys of a word sit beside its stem and the
 * query side and snippets can use exactly the same analysis. Title words
 * count TITLE_WDF times, so a title match outranks a body match. */
#include "schema.h"

#include "buf.h"
#include "doc_data.h"
#include "hash.h"
#include "text.h"
#include "tier.h"
#include "tokenize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_WDF 4
#define FIELD_GAP 100   /* positions between fields: no phrase spans two */
#define SEEN_SLOTS 4096 /* distinct words remembered per document for spelling */

void schema_hash_hex(const char *s, size_t len, char out[17])
{
    snprintf(out, 17, "%016llx", (unsigned long long)fnv1a64(s, len));
}

void schema_id_term(const char *id, char out[SCHEMA_TERM_MAX + 1])
{
    size_t len = strlen(id);
    if (len + 1 <= SCHEMA_TERM_MAX) {
        snprintf(out, SCHEMA_TERM_MAX + 1, "%s%s", SCHEMA_ID, id);
        return;
    }
    char hex[17];
    schema_hash_hex(id, len, hex);
    size_t keep = SCHEMA_TERM_MAX - 1 - 1 - 16;  /* "Q", "#", hash */
    while (keep > 0 && ((unsigned char)id[keep] & 0xC0) == 0x80)
        keep--;
    snprintf(out, SCHEMA_TERM_MAX + 1, "%s%.*s#%s", SCHEMA_ID, (int)keep, id, hex);
}

void schema_sample_term(char out[SCHEMA_SAMPLE_TERM_MAX], int j)
{
    if (j < 0)
        snprintf(out, SCHEMA_SAMPLE_TERM_MAX, SCHEMA_SAMPLE);
    else
        snprintf(out, SCHEMA_SAMPLE_TERM_MAX, SCHEMA_SAMPLE "%d", j);
}

/* The mixed hash's top bits: shards are placed by the plain hash's low
 * bits (xc_shard_of), so that a sample spreads over every shard. */
int schema_sample_level(const char *idterm)
{
    uint64_t n = hash_mix64(fnv1a64(idterm, strlen(idterm))) >> (64 - SCHEMA_SAMPLE_LEVELS);
    int bits = 0;
    while (n) {
        bits++;
        n >>= 1;
    }
    return bits;
}

/* The marker and the samples the document is in. */
static int add_samples(xc_doc *xd, const char *idterm, lib_error *err)
{
    char term[SCHEMA_SAMPLE_TERM_MAX];
    schema_sample_term(term, -1);
    int rc = xc_doc_add_boolean_term(xd, term, err);
    for (int j = schema_sample_level(idterm); rc == 0 && j < SCHEMA_SAMPLE_LEVELS; j++) {
        schema_sample_term(term, j);
        rc = xc_doc_add_boolean_term(xd, term, err);
    }
    return rc;
}

int schema_bool_term(char out[SCHEMA_TERM_MAX + 1], const char *prefix, const char *value,
                     size_t len)
{
    char *copy = strndup(value, len), *folded = NULL;
    int rc = copy ? text_fold(&folded, copy) : LIB_E_NOMEM;
    free(copy);
    if (rc < 0)
        return rc;
    snprintf(out, SCHEMA_TERM_MAX + 1, "%s%s", prefix, folded);
    text_truncate(out, SCHEMA_TERM_MAX);
    free(folded);
    return 0;
}

void schema_date_value(const char *date, char out[9])
{
    snprintf(out, 9, "%.4s%.2s%.2s", date, date + 5, date + 8);
}

static int add_bool(xc_doc *xd, const char *prefix, const char *value, lib_error *err)
{
    char term[SCHEMA_TERM_MAX + 1];
    if (!value)
        return 0;
    int rc = schema_bool_term(term, prefix, value, strlen(value));
    if (rc < 0)
        return rc == LIB_E_NOMEM ? lib_error_nomem(err)
                                 : lib_error_set(err, rc, "%s: not UTF-8 text", prefix);
    return xc_doc_add_boolean_term(xd, term, err);
}

int schema_lang_term(char out[SCHEMA_TERM_MAX + 1], const char *lang, const char *stem_prefix,
                     const char *stem, size_t len)
{
    const char *field = stem_prefix + (stem_prefix[0] == SCHEMA_STEM[0]);
    int n = snprintf(out, SCHEMA_TERM_MAX + 1, SCHEMA_LANG_STEM "%s:%s", lang, field);
    if (n < 0 || (size_t)n + len > SCHEMA_TERM_MAX)
        return -1;
    memcpy(out + n, stem, len);
    out[n + len] = '\0';
    return 0;
}

/* Gathering the XL terms: each language with its documents. */
struct lang_seen {
    size_t n;
    char lang[4 * SCHEMA_LANGS_MAX][DOC_LANG_MAX];
    unsigned docs[4 * SCHEMA_LANGS_MAX];
};

static int see_lang(void *ctx, const char *term, size_t len, unsigned freq)
{
    struct lang_seen *s = ctx;
    size_t plen = strlen(SCHEMA_LANG), n = len - plen;
    if (len <= plen || n >= DOC_LANG_MAX || memcmp(term + plen, DOC_LANG_DEFAULT, n) == 0)
        return 0;
    if (s->n == sizeof s->docs / sizeof s->docs[0])
        return 1;
    memcpy(s->lang[s->n], term + plen, n);
    s->lang[s->n][n] = '\0';
    s->docs[s->n++] = freq;
    return 0;
}

int schema_langs_of(struct schema_langs *out, xc_db *db, lib_error *err)
{
    struct lang_seen *seen = calloc(1, sizeof *seen);
    memset(out, 0, sizeof *out);
    if (!seen)
        return lib_error_nomem(err);
    int rc = xc_db_each_term(db, SCHEMA_LANG, see_lang, seen, err);
    /* The most used first, when a site has more than fit. */
    while (rc == 0 && out->n < SCHEMA_LANGS_MAX) {
        size_t best = seen->n;
        for (size_t i = 0; i < seen->n; i++)
            if (seen->docs[i] && (best == seen->n || seen->docs[i] > seen->docs[best]))
                best = i;
        if (best == seen->n)
            break;
        strcpy(out->lang[out->n++], seen->lang[best]);
        seen->docs[best] = 0;
    }
    free(seen);
    return rc;
}

/* State while one document's fields are indexed. */
struct gen {
    struct analyzer *an;
    const char *lang;   /* the document's language when not Swedish, else NULL */
    xc_doc *xd;
    schema_word_fn on_word;
    void *word_ctx;
    unsigned pos;
    uint32_t seen[SEEN_SLOTS];   /* hashes of words already given to spelling */
};

/* prefix and body joined into term: 0, or -1 when longer than a term may
 * be. (Every word makes a few terms: formatting them was 2 % of indexing.) */
static int join_term(char term[SCHEMA_TERM_MAX + 1], const char *prefix, const char *body,
                     size_t body_len)
{
    size_t plen = strlen(prefix);
    if (plen + body_len > SCHEMA_TERM_MAX)
        return -1;
    memcpy(term, prefix, plen);
    memcpy(term + plen, body, body_len);
    term[plen + body_len] = '\0';
    return 0;
}

static int add_term(struct gen *g, const char *prefix, const char *body, unsigned wdf,
                    lib_error *err)
{
    char term[SCHEMA_TERM_MAX + 1];
    if (join_term(term, prefix, body, strlen(body)) < 0)
        return 0;   /* longer than a term may be: never searchable anyway */
    return xc_doc_add_term(g->xd, term, wdf, err);
}

/* Spelling data: each distinct word once per document, so that its
 * frequency is the number of pages that use it. */
static int add_spelling(struct gen *g, const struct tok *t, const struct an_word *a,
                        lib_error *err)
{
    if (!g->on_word || a->stop || t->wlen < 3 || t->word[0] < 'a')
        return 0;
    uint64_t h64 = fnv1a64(t->word, t->wlen);
    uint32_t h = (uint32_t)(h64 ^ (h64 >> 32)) | 1;   /* 0 marks an empty slot */
    for (size_t i = h % SEEN_SLOTS, n = 0; n < SEEN_SLOTS; i = (i + 1) % SEEN_SLOTS, n++) {
        if (g->seen[i] == h)
            return 0;
        if (g->seen[i] == 0) {
            g->seen[i] = h;
            if (g->on_word(g->word_ctx, t->word, t->wlen) < 0)
                return lib_error_nomem(err);
            return 0;
        }
    }
    return 0;   /* a very long page: its later words are known from others */
}

/* Indexes one word of a text: its positional term, its stem and, when
 * extras is set, its compound and unaccented keys, and its spelling. */
/* A word of a document in another language: its positional term and its
 * stem in that language. (No spelling data: corrections are made from the
 * Swedish pages' words.) */
static int index_lang_word(struct gen *g, const struct tok *t, const char *pos_prefix,
                           const char *stem_prefix, unsigned wdf, lib_error *err)
{
    char term[SCHEMA_TERM_MAX + 1], stem[AN_W_MAX];
    join_term(term, pos_prefix, t->word, t->wlen);
    int rc = xc_doc_add_posting(g->xd, term, ++g->pos, wdf, err);
    size_t n = an_stem_lang(g->an, g->lang, t->word, t->wlen, stem);
    if (rc == 0 && schema_lang_term(term, g->lang, stem_prefix, stem, n) == 0)
        rc = xc_doc_add_term(g->xd, term, wdf, err);
    return rc;
}

static int index_word(struct gen *g, const struct tok *t, const char *pos_prefix,
                      const char *stem_prefix, unsigned wdf, int extras, lib_error *err)
{
    if (g->lang)
        return index_lang_word(g, t, pos_prefix, stem_prefix, wdf, err);
    struct an_word aw, *a = &aw;
    if (an_analyze(&aw, g->an, t->word, t->wlen) < 0)
        return lib_error_nomem(err);
    char term[SCHEMA_TERM_MAX + 1];
    _Static_assert(TOK_WORD_MAX + 8 <= SCHEMA_TERM_MAX, "a word and its prefix fit a term");
    join_term(term, pos_prefix, t->word, t->wlen);
    int rc = xc_doc_add_posting(g->xd, term, ++g->pos, wdf, err);
    if (rc == 0 && !a->stop) {
        rc = add_term(g, stem_prefix, a->stem, wdf, err);
        for (size_t i = 0; rc == 0 && extras && i < a->nparts; i++)
            rc = add_term(g, SCHEMA_PART, a->parts[i], wdf, err);
        /* A listed word is found from its unaccented key through the
         * lexicon (query.c): the key is kept for the others. */
        if (rc == 0 && extras && a->accented && a->unaccented && !a->listed)
            rc = add_term(g, SCHEMA_UNACCENT, a->unaccented, wdf, err);
    }
    return rc == 0 ? add_spelling(g, t, a, err) : rc;
}

/* Runs of words read ahead of the one being indexed (index_text). */
#define RUNS_AHEAD 4

struct run {
    struct tok tok[AN_AHEAD_MAX];
    size_t n;
    struct an_ahead ahead;
};

/* The next run of words of tz into r: 1 while the text may hold more. */
static int read_run(struct tokenizer *tz, struct run *r)
{
    for (r->n = 0; r->n < AN_AHEAD_MAX && tok_next(tz, &r->tok[r->n]); r->n++)
        ;
    return r->n == AN_AHEAD_MAX;
}

/* Indexes text: positional words under pos_prefix, stems under stem_prefix,
 * and the compound and unaccented keys when extras is set. The words are
 * read in runs, a few runs ahead of the one indexed, and each run's
 * look-ups in the lexicon are loaded a step further whenever another run is
 * read (an_ahead_start, an_ahead_step): a word looked up cold waits for
 * three memory reads in turn, which cost 4 % of the indexer's time. */
static int index_text(struct gen *g, const char *text, const char *pos_prefix,
                      const char *stem_prefix, unsigned wdf, int extras, lib_error *err)
{
    if (!text)
        return 0;
    struct tokenizer tz;
    struct run runs[RUNS_AHEAD];
    size_t head = 0, tail = 0;   /* runs [tail, head) are read, not yet indexed */
    int more = 1, rc = 0;
    tok_init(&tz, text, strlen(text));
    while (rc == 0) {
        while (more && head - tail < RUNS_AHEAD) {
            struct run *r = &runs[head % RUNS_AHEAD];
            more = read_run(&tz, r);
            if (r->n == 0)
                break;
            for (size_t k = tail; k < head; k++)
                an_ahead_step(g->an, &runs[k % RUNS_AHEAD].ahead);
            const char *words[AN_AHEAD_MAX];
            size_t lens[AN_AHEAD_MAX];
            for (size_t i = 0; i < r->n; i++) {
                words[i] = r->tok[i].word;
                lens[i] = r->tok[i].wlen;
            }
            an_ahead_start(g->an, &r->ahead, words, lens, g->lang ? 0 : r->n);
            head++;
        }
        if (tail == head)
            break;
        struct run *r = &runs[tail++ % RUNS_AHEAD];
        for (size_t i = 0; rc == 0 && i < r->n; i++)
            rc = index_word(g, &r->tok[i], pos_prefix, stem_prefix, wdf, extras, err);
    }
    g->pos += FIELD_GAP;
    return rc;
}

/* Days since 1970-01-01 of YYYY-MM-DD (civil calendar). */
static long days_of(const char *date)
{
    int y = atoi(date), m = atoi(date + 5), d = atoi(date + 8);
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

const char *schema_format(const struct doc *d)
{
    return d->format ? d->format : "html";
}

double schema_static_rank(const struct doc *d)
{
    /* Freshness over 2000..2040, linear: a newer page gains a little. */
    double fresh = 0.5;
    if (d->date) {
        fresh = (double)(days_of(d->date) - days_of("2000-01-01")) /
                (double)(days_of("2040-01-01") - days_of("2000-01-01"));
        fresh = fresh < 0 ? 0 : fresh > 1 ? 1 : fresh;
    }
    /* A listing repeats other pages' teasers: the pages themselves are the
     * better answer. */
    int listing = d->type && strcmp(d->type, "lista") == 0;
    return 0.5 * fresh + (listing ? 0.0 : 0.5);
}

/* SLOT_FACETS: the values the facets' own slots hold, in facets.c's
 * order, and the term that says the document has them. */
static int set_facets(xc_doc *xd, const struct doc *d, const char *year, lib_error *err)
{
    const char *part[] = {d->type, year, d->place, schema_format(d), doc_lang(d)};
    const size_t n = sizeof part / sizeof part[0];
    struct buf v = BUF_INIT;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (part[i])
            rc = buf_append(&v, part[i], strlen(part[i]));
        if (rc == 0 && i + 1 < n)
            rc = buf_putc(&v, '\0');
    }
    if (rc < 0)
        rc = lib_error_nomem(err);
    if (rc == 0)
        rc = xc_doc_set_value(xd, SLOT_FACETS, v.data, v.len, err);
    if (rc == 0)
        rc = xc_doc_add_boolean_term(xd, SCHEMA_FACETS, err);
    buf_dispose(&v);
    return rc;
}

int schema_build(xc_doc **out, char hash_out[17], struct analyzer *an, schema_word_fn on_word,
                 void *word_ctx, const struct doc *d, const char *old_hash, lib_error *err)
{
    struct gen *g = NULL;
    xc_doc *xd = NULL;
    char *data = NULL, *stored_data = NULL;
    size_t stored_len = 0;
    json_t *stored = NULL;
    int rc;
    *out = NULL;
    if ((rc = xc_doc_new(&xd, err)) < 0)
        return rc;
    if (doc_to_json(&stored, d) == 0)
        data = json_dumps(stored, JSON_COMPACT);
    g = calloc(1, sizeof *g);
    if (!data || !g) {
        rc = lib_error_nomem(err);
        goto cleanup;
    }
    g->an = an;
    g->xd = xd;
    g->on_word = on_word;
    g->word_ctx = word_ctx;
    g->lang = strcmp(doc_lang(d), DOC_LANG_DEFAULT) != 0 ? doc_lang(d) : NULL;
    int extras = an_get_mode(an) == AN_FULL;
    /* The hash is of every field as JSON, as it always was, so that data
     * stored in the form before is not taken for changed. */
    schema_hash_hex(data, strlen(data), hash_out);
    if (old_hash && strcmp(old_hash, hash_out) == 0)
        goto cleanup;   /* unchanged: *out stays NULL */
    if ((rc = doc_data_encode(&stored_data, &stored_len, d)) < 0) {
        rc = lib_error_nomem(err);
        goto cleanup;
    }
    char idterm[SCHEMA_TERM_MAX + 1];
    schema_id_term(d->id, idterm);
    char year[5] = "", date[9] = "", rank[16];
    if (d->date) {
        memcpy(year, d->date, 4);
        schema_date_value(d->date, date);
    }
    size_t rank_len = xc_sortable_serialise(schema_static_rank(d), rank);
    if ((rc = xc_doc_set_data(xd, stored_data, stored_len, err)) < 0 ||
        (rc = xc_doc_add_boolean_term(xd, idterm, err)) < 0 ||
        (rc = add_samples(xd, idterm, err)) < 0 ||
        (rc = index_text(g, d->title, "", SCHEMA_STEM, TITLE_WDF, extras, err)) < 0 ||
        (rc = index_text(g, d->title, SCHEMA_TITLE, SCHEMA_STEM SCHEMA_TITLE, 1, 0, err)) < 0 ||
        (rc = index_text(g, d->summary, "", SCHEMA_STEM, 1, extras, err)) < 0 ||
        (rc = index_text(g, d->what, "", SCHEMA_STEM, 1, extras, err)) < 0 ||
        (rc = index_text(g, d->address, "", SCHEMA_STEM, 1, extras, err)) < 0 ||
        (rc = index_text(g, d->organizer, "", SCHEMA_STEM, 1, extras, err)) < 0 ||
        (rc = index_text(g, d->organizer, SCHEMA_ORGANIZER, SCHEMA_STEM SCHEMA_ORGANIZER, 1, 0,
                         err)) < 0 ||
        (rc = index_text(g, d->body, "", SCHEMA_STEM, 1, extras, err)) < 0 ||
        (rc = add_bool(xd, SCHEMA_TYPE, d->type, err)) < 0 ||
        (rc = add_bool(xd, SCHEMA_PLACE, d->place, err)) < 0 ||
        (rc = add_bool(xd, SCHEMA_YEAR, d->date ? year : NULL, err)) < 0 ||
        (rc = add_bool(xd, SCHEMA_FORMAT, schema_format(d), err)) < 0 ||
        (rc = add_bool(xd, SCHEMA_LANG, doc_lang(d), err)) < 0 ||
        (rc = xc_doc_set_value(xd, SLOT_LANG, doc_lang(d), strlen(doc_lang(d)), err)) < 0 ||
        (rc = xc_doc_set_value(xd, SLOT_FORMAT, schema_format(d), strlen(schema_format(d)),
                               err)) < 0 ||
        (rc = xc_doc_set_value(xd, SLOT_HASH, hash_out, 16, err)) < 0 ||
        (rc = xc_doc_set_value(xd, SLOT_RANK, rank, rank_len, err)) < 0)
        goto cleanup;
    for (size_t i = 0; i < d->ntags; i++)
        if ((rc = index_text(g, d->tags[i], "", SCHEMA_STEM, 1, extras, err)) < 0)
            goto cleanup;
    if (extras && (rc = tier_add_terms(xd, err)) < 0)   /* after every Z and C term */
        goto cleanup;
    if (d->date && ((rc = xc_doc_set_value(xd, SLOT_DATE, date, 8, err)) < 0 ||
                    (rc = xc_doc_set_value(xd, SLOT_YEAR, year, 4, err)) < 0))
        goto cleanup;
    if (d->type && (rc = xc_doc_set_value(xd, SLOT_TYPE, d->type, strlen(d->type), err)) < 0)
        goto cleanup;
    if (d->source &&
        (rc = xc_doc_set_value(xd, SLOT_SOURCE, d->source, strlen(d->source), err)) < 0)
        goto cleanup;
    if (d->place && (rc = xc_doc_set_value(xd, SLOT_PLACE, d->place, strlen(d->place), err)) < 0)
        goto cleanup;
    if ((rc = set_facets(xd, d, d->date ? year : NULL, err)) < 0)
        goto cleanup;
    *out = xd;
    xd = NULL;
cleanup:
    free(g);
    free(data);
    free(stored_data);
    json_decref(stored);
    xc_doc_free(xd);
    return rc;
}
