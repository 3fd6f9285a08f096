/* query.c: clauses (query_parse.c) → Xapian queries. Positive clauses are
 * ANDed (OR splits them into groups), negated ones are cut out with AND_NOT,
 * and field clauses filter; a second query with the positive clauses ORed is
 * the fallback when all of them together match nothing. */
#include "query.h"

#include "buf.h"
#include "query_parse.h"
#include "schema.h"
#include "synonyms.h"
#include "text.h"
#include "tier_plan.h"
#include "tokenize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The edits a spelling correction may make grow with the word's letters,
 * as Meilisearch's typo tolerance: none under SPELL_ONE_EDIT, where two
 * edits reach unrelated words ("ning", a suffix, became "gång"), one from
 * there, two from SPELL_TWO_EDITS. */
#define SPELL_ONE_EDIT 5
#define SPELL_TWO_EDITS 9

/* A growable list of owned queries. */
struct qlist {
    xc_query **q;
    size_t n, cap;
};

/* Takes q (freed on failure). */
static int ql_push(struct qlist *l, xc_query *q, lib_error *err)
{
    if (!q)
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        xc_query **p = realloc(l->q, cap * sizeof *p);
        if (!p) {
            xc_query_free(q);
            return lib_error_nomem(err);
        }
        l->q = p;
        l->cap = cap;
    }
    l->q[l->n++] = q;
    return 0;
}

/* Frees the queries and empties the list (the caller's). */
static void ql_dispose(struct qlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        xc_query_free(l->q[i]);
    free(l->q);
    memset(l, 0, sizeof *l);
}

/* Combines and empties the list: NULL for none, the query itself for one. */
static int ql_combine(struct qlist *l, int op, xc_query **out, lib_error *err)
{
    int rc = 0;
    *out = NULL;
    if (l->n == 1) {
        *out = l->q[0];
        l->n = 0;
    } else if (l->n > 1) {
        rc = xc_query_new_combine(out, op, l->q, l->n, err);
    }
    ql_dispose(l);
    return rc;
}

static int strv_push(char ***v, size_t *n, const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i], s) == 0)
            return 0;
    char **p = realloc(*v, (*n + 1) * sizeof *p);
    if (!p)
        return -1;
    *v = p;
    if (!(p[*n] = strdup(s)))
        return -1;
    (*n)++;
    return 0;
}

static void strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* A correction of one word of the query text. */
struct fix {
    size_t start, len;
    char *with;
};

struct builder {
    struct query_ctx *ctx;
    struct query_keys *keys;
    struct fix fixes[QUERY_MAX_CLAUSES];
    size_t nfixes;
    lib_error *err;
    struct tier_plan *tiers;   /* NULL: the index has none */
    size_t groups;             /* of positive clauses, split by OR */
};

static int term_query(xc_query **out, const char *prefix, const char *body, lib_error *err)
{
    char term[SCHEMA_TERM_MAX + 1];
    snprintf(term, sizeof term, "%s%s", prefix, body);
    return xc_query_new_term(out, term, 1, err);
}

static unsigned term_freq(struct builder *b, const char *prefix, const char *body)
{
    char term[SCHEMA_TERM_MAX + 1];
    unsigned n = 0;
    snprintf(term, sizeof term, "%s%s", prefix, body);
    xc_db_term_freq(b->ctx->db, term, &n, NULL);
    return n;
}

static int full(const struct builder *b)
{
    return an_get_mode(b->ctx->an) == AN_FULL;
}

/* A key of the word being built whose documents are all ranked first (it
 * has no tier): its weight bounds nothing else. */
static int tier_key(struct builder *b, const char *term)
{
    return b->tiers ? tier_plan_key(b->tiers, term, b->err) : 0;
}

/* A stem of the word being built, matched as Z and C: its tiers. */
static int tier_stem(struct builder *b, const char *stem)
{
    return b->tiers ? tier_plan_stem(b->tiers, stem, b->err) : 0;
}

/* A clause whose weight is not bounded by tiers: all of its matches are
 * ranked first. */
static int tier_whole(struct builder *b, const xc_query *q)
{
    return b->tiers ? tier_plan_whole(b->tiers, q, b->err) : 0;
}

/* Starts a word's synonym group. */
static void tier_word_start(struct builder *b)
{
    if (b->tiers)
        tier_plan_word_start(b->tiers);
}

/* The word just built (word_query's shape). */
static int tier_word_done(struct builder *b)
{
    return b->tiers ? tier_plan_word_done(b->tiers, b->err) : 0;
}

/* The keys of one analysed word, for the snippet. */
static int remember(struct builder *b, const struct an_word *a)
{
    if (strv_push(&b->keys->stems, &b->keys->nstems, a->stem) < 0 ||
        (a->unaccented &&
         strv_push(&b->keys->unaccented, &b->keys->nunaccented, a->unaccented) < 0))
        return lib_error_nomem(b->err);
    return 0;
}

/* The stems of the lexicon's words that share a word's unaccented key:
 * an index holds no F key for a word the lexicon lists (schema.c), so a
 * word typed without its å, ä or ö finds them here. */
#define UNACCENTED_FORMS_MAX 16
struct forms {
    const char *key;   /* the key as the lexicon stores it */
    const char *own;   /* the word's own stem, searched already */
    const char *stem[UNACCENTED_FORMS_MAX];
    size_t n;
};

/* lex_word_fn: a word listed under f->key, in any of its roles. */
static int add_form(void *ctx, const char *word, size_t wlen, const struct lex_entry *e)
{
    struct forms *f = ctx;
    (void)word;
    (void)wlen;
    if (e->unaccented != f->key || (e->flags & LEX_STOP) || strcmp(e->stem, f->own) == 0)
        return 0;
    for (size_t i = 0; i < f->n; i++)
        if (f->stem[i] == e->stem)
            return 0;
    f->stem[f->n++] = e->stem;
    return f->n == UNACCENTED_FORMS_MAX;
}

static void unaccented_forms(struct forms *f, const struct builder *b, const struct an_word *a)
{
    const struct lexicon *lex = an_lexicon(b->ctx->an);
    f->n = 0;
    f->own = a->stem;
    if (lex && a->unaccented && !a->stop)
        lex_words_with(lex, a->unaccented, strlen(a->unaccented), &f->key, add_form, f);
}

/* Word (len bytes) in the index's language i (schema_langs), in the field
 * of stem_prefix, into term, its stem there into stem: 0, or -1 when the
 * term would be too long. */
static int lang_term(char term[SCHEMA_TERM_MAX + 1], char stem[AN_W_MAX], struct builder *b,
                     size_t i, const char *word, size_t len, const char *stem_prefix)
{
    const char *lang = b->ctx->langs->lang[i];
    size_t n = an_stem_lang(b->ctx->an, lang, word, len, stem);
    return schema_lang_term(term, lang, stem_prefix, stem, n);
}

/* The terms of word (len bytes) in the index's other languages, in the
 * field of stem_prefix (schema_lang_term), into group; with keep, its stems
 * there ("en:report") into the snippets' keys too. */
static int add_lang_terms(struct builder *b, const char *word, size_t len, const char *stem_prefix,
                          struct qlist *group, int keep)
{
    const struct schema_langs *l = b->ctx->langs;
    int rc = 0;
    for (size_t i = 0; rc == 0 && l && i < l->n; i++) {
        char stem[AN_W_MAX], term[SCHEMA_TERM_MAX + 1], key[DOC_LANG_MAX + AN_W_MAX];
        xc_query *q = NULL;
        if (lang_term(term, stem, b, i, word, len, stem_prefix) < 0)
            continue;
        if ((rc = xc_query_new_term(&q, term, 1, b->err)) == 0)
            rc = ql_push(group, q, b->err);
        if (rc == 0 && keep)
            rc = tier_key(b, term);
        snprintf(key, sizeof key, "%s:%s", l->lang[i], stem);
        if (rc == 0 && keep &&
            strv_push(&b->keys->lang_stems, &b->keys->nlang_stems, key) < 0)
            rc = lib_error_nomem(b->err);
    }
    return rc;
}

/* Whether the index holds word in any of its other languages. */
static int known_in_other_langs(struct builder *b, const char *word, size_t len)
{
    const struct schema_langs *l = b->ctx->langs;
    for (size_t i = 0; l && i < l->n; i++) {
        char stem[AN_W_MAX], term[SCHEMA_TERM_MAX + 1];
        if (lang_term(term, stem, b, i, word, len, SCHEMA_STEM) == 0 && term_freq(b, "", term))
            return 1;
    }
    return 0;
}

/* Whether every document has its stems' D terms (tier.h: TIER_READY_ALL). */
static int all_terms(const struct builder *b)
{
    return b->ctx->tiered == TIER_READY_ALL;
}

/* A stem's keys in a word's group: its word and compound-part occurrences
 * as one term where the index has them (all_terms), or as its Z and C
 * terms. Same matches, same wdf: one long list read, not two. */
static int stem_keys(struct builder *b, const char *stem, struct qlist *group)
{
    int all = all_terms(b);
    const char *prefix[2] = {all ? SCHEMA_STEM_ALL : SCHEMA_STEM, SCHEMA_PART};
    int rc = 0;
    for (int k = 0; rc == 0 && k < 2 - all; k++) {
        xc_query *q = NULL;
        if ((rc = term_query(&q, prefix[k], stem, b->err)) == 0)
            rc = ql_push(group, q, b->err);
    }
    return rc;
}

/* Adds the terms by which word w (len bytes, analysed as a) matches to
 * group; *f gets the stems its unaccented key adds. */
static int add_word_terms(struct builder *b, const char *w, size_t len, const struct an_word *a,
                          struct qlist *group, struct forms *f)
{
    xc_query *q = NULL;
    f->n = 0;
    int rc = full(b) ? stem_keys(b, a->stem, group) : term_query(&q, SCHEMA_STEM, a->stem, b->err);
    if (rc == 0 && q)
        rc = ql_push(group, q, b->err);
    if (rc == 0 && full(b)) {
        rc = tier_stem(b, a->stem);
        if (rc == 0 && a->unaccented && (rc = term_query(&q, SCHEMA_UNACCENT, a->unaccented,
                                                          b->err)) == 0) {
            rc = ql_push(group, q, b->err);
            if (rc == 0 && b->tiers)
                rc = tier_plan_unaccented(b->tiers, a->unaccented, b->err);
        }
        if (rc == 0)
            unaccented_forms(f, b, a);
        for (size_t i = 0; rc == 0 && i < f->n; i++) {
            rc = stem_keys(b, f->stem[i], group);
            if (rc == 0)
                rc = tier_stem(b, f->stem[i]);
        }
    }
    if (rc == 0)
        rc = add_lang_terms(b, w, len, SCHEMA_STEM, group, 1);
    return rc == 0 ? remember(b, a) : rc;
}

static unsigned max_edits(const char *word, size_t len)
{
    size_t letters = 0;
    for (size_t i = 0; i < len; i++)
        letters += ((unsigned char)word[i] & 0xC0) != 0x80;
    return letters >= SPELL_TWO_EDITS ? 2 : letters >= SPELL_ONE_EDIT ? 1 : 0;
}

/* A word the index knows in none of its forms gets its spelling correction
 * (from the index's own words) as an alternative. */
static int correct(struct builder *b, const struct tok *t, const struct an_word *a,
                   const struct forms *forms, size_t offset, struct qlist *group)
{
    unsigned edits = max_edits(t->word, t->wlen);
    if (!full(b) || a->stop || !edits || b->nfixes == QUERY_MAX_CLAUSES ||
        (t->word[0] >= '0' && t->word[0] <= '9'))
        return 0;
    if (term_freq(b, SCHEMA_STEM, a->stem) || term_freq(b, SCHEMA_PART, a->stem) ||
        (a->unaccented && term_freq(b, SCHEMA_UNACCENT, a->unaccented)) ||
        term_freq(b, "", t->word) || known_in_other_langs(b, t->word, t->wlen))
        return 0;
    for (size_t i = 0; i < forms->n; i++)
        if (term_freq(b, SCHEMA_STEM, forms->stem[i]) || term_freq(b, SCHEMA_PART, forms->stem[i]))
            return 0;
    char *fix = NULL;
    if (xc_db_spelling_suggestion(b->ctx->db, t->word, edits, &fix, NULL) < 0 || !fix)
        return 0;
    struct an_word fa;
    struct forms ff;
    int rc = an_analyze(&fa, b->ctx->an, fix, strlen(fix)) == 0
                 ? add_word_terms(b, fix, strlen(fix), &fa, group, &ff)
                 : lib_error_nomem(b->err);
    if (rc == 0) {
        b->fixes[b->nfixes++] = (struct fix){offset + t->start, t->len, fix};
        return 0;
    }
    free(fix);
    return rc;
}

/* A word's own stem beside its group: a bonus (xapian-c's count leaves it
 * out) where the group holds it through its D term; else the term, which
 * the count leaves out as one of the group's keys. */
static int own_term(struct builder *b, xc_query **q)
{
    if (!all_terms(b))
        return 0;
    xc_query *bonus = NULL;
    int rc = xc_query_new_bonus(&bonus, *q, b->err);
    xc_query_free(*q);
    *q = bonus;
    return rc;
}

/* One word: OR(SYNONYM(its keys), its exact stem) in full analysis, so a
 * whole-word match gets the stem's weight twice; the stem alone in plain.
 * The stem is one of the keys, so AND_MAYBE would match and weigh the
 * same, but Xapian 1.4's AND_MAYBE, once the best matches so far outweigh
 * its required side alone and it turns into an AND, skips the optional
 * side's next match: a page missing from the top hits, or one shown on
 * two pages (tests/test_http_api.c's paging). A count leaves the stem out
 * (xapian-c's count query), as it did AND_MAYBE's optional side. */
static int word_query(struct builder *b, const struct tok *t, size_t offset, enum qfield field,
                      xc_query **out)
{
    *out = NULL;
    struct an_word aw, *a = &aw;
    if (an_analyze(&aw, b->ctx->an, t->word, t->wlen) < 0)
        return lib_error_nomem(b->err);
    struct qlist group = {0}, both = {0};
    tier_word_start(b);
    if (field == QF_TITLE) {
        xc_query *q = NULL;
        int rc = remember(b, a);
        if (rc == 0 && (rc = term_query(&q, SCHEMA_STEM SCHEMA_TITLE, a->stem, b->err)) == 0)
            rc = ql_push(&group, q, b->err);
        struct tier_plan *tiers = b->tiers;
        b->tiers = NULL;   /* a title's words have no tiers: clause_query ranks them first */
        if (rc == 0)
            rc = add_lang_terms(b, t->word, t->wlen, SCHEMA_STEM SCHEMA_TITLE, &group, 1);
        b->tiers = tiers;
        return rc ? (ql_dispose(&group), rc) : ql_combine(&group, XC_OP_OR, out, b->err);
    }
    struct forms forms;
    int rc = add_word_terms(b, t->word, t->wlen, a, &group, &forms);
    if (rc == 0)
        rc = correct(b, t, a, &forms, offset, &group);
    if (rc == 0 && !full(b))
        return ql_combine(&group, XC_OP_OR, out, b->err);
    xc_query *syn = NULL, *exact = NULL;
    if (rc == 0)
        rc = ql_combine(&group, XC_OP_SYNONYM, &syn, b->err);
    if (rc == 0 && (rc = ql_push(&both, syn, b->err)) == 0 &&
        (rc = term_query(&exact, SCHEMA_STEM, a->stem, b->err)) == 0)
        rc = own_term(b, &exact);
    if (rc == 0 && (rc = ql_push(&both, exact, b->err)) == 0)
        rc = ql_combine(&both, XC_OP_OR, out, b->err);
    if (rc == 0)
        rc = tier_word_done(b);
    ql_dispose(&group);
    ql_dispose(&both);
    return rc;
}

/* Words in order: a phrase of positional terms (one word: its exact term). */
static int phrase_query(struct builder *b, const char *text, size_t len, const char *prefix,
                        xc_query **out)
{
    struct qlist l = {0};
    struct tokenizer tz;
    struct tok t;
    int rc = 0;
    *out = NULL;
    tok_init(&tz, text, len);
    while (rc == 0 && tok_next(&tz, &t)) {
        xc_query *q = NULL;
        if ((rc = term_query(&q, prefix, t.word, b->err)) == 0)
            rc = ql_push(&l, q, b->err);
        if (rc == 0 && strv_push(&b->keys->words, &b->keys->nwords, t.word) < 0)
            rc = lib_error_nomem(b->err);
    }
    if (rc == 0 && l.n > 1) {
        rc = xc_query_new_phrase(out, l.q, l.n, 0, b->err);
        ql_dispose(&l);
        return rc;
    }
    return rc ? (ql_dispose(&l), rc) : ql_combine(&l, XC_OP_AND, out, b->err);
}

static int only_stopwords(const char *text, size_t len)
{
    struct tokenizer tz;
    struct tok t;
    tok_init(&tz, text, len);
    while (tok_next(&tz, &t))
        if (!an_is_stopword(t.word, t.wlen))
            return 0;
    return 1;
}

/* The editors' synonyms of text, ORed onto *q (which may be NULL). */
static int add_synonyms(struct builder *b, const char *text, size_t len, xc_query **q)
{
    if (!b->ctx->synonyms || !full(b))
        return 0;
    char *key;
    if (synonyms_key(&key, text, len) < 0)
        return lib_error_nomem(b->err);
    json_t *list = json_object_get(b->ctx->synonyms, key);
    free(key);
    if (!json_is_array(list))
        return 0;
    struct qlist alts = {0};
    int rc = ql_push(&alts, *q, b->err);
    *q = NULL;
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        const char *s = json_string_value(v);
        xc_query *alt = NULL;
        if (rc == 0 && s)
            rc = phrase_query(b, s, strlen(s), "", &alt);
        if (rc == 0)
            rc = tier_whole(b, alt);
        if (rc == 0)
            rc = ql_push(&alts, alt, b->err);
    }
    return rc ? (ql_dispose(&alts), rc) : ql_combine(&alts, XC_OP_OR, q, b->err);
}

/* How many words the text of clause c holds, the first into *first. */
static size_t clause_words(const struct clause *c, struct tok *first)
{
    struct tokenizer tz;
    struct tok t;
    size_t n = 0;
    tok_init(&tz, c->text, c->len);
    while (tok_next(&tz, &t))
        if (n++ == 0)
            *first = t;
    return n;
}

/* The query of one text clause. */
static int clause_query(struct builder *b, const char *q, const struct clause *c, xc_query **out)
{
    const char *prefix = c->field == QF_TITLE ? SCHEMA_TITLE : "";
    *out = NULL;
    if (c->phrase) {
        int rc = phrase_query(b, c->text, c->len, prefix, out);
        return rc ? rc : tier_whole(b, *out);
    }
    struct tok first;
    size_t n = clause_words(c, &first);
    int rc = 0;
    if (n == 1)
        rc = word_query(b, &first, (size_t)(c->text - q), c->field, out);
    else if (n > 1)   /* "12-14", "scb:s": the words as written, together */
        rc = phrase_query(b, c->text, c->len, prefix, out);
    /* A word's own tiers are known (word_query); anything else is ranked
     * first whole. */
    if (rc == 0 && (n > 1 || c->field != QF_NONE || !full(b)))
        rc = tier_whole(b, *out);
    if (rc == 0 && *out && c->field == QF_NONE)
        rc = add_synonyms(b, c->text, c->len, out);
    return rc;
}

/* What a negated clause cuts out: its exact words or stems. */
static int exclusion_query(struct builder *b, const struct clause *c, xc_query **out)
{
    *out = NULL;
    if (c->phrase || c->field == QF_TITLE)
        return phrase_query(b, c->text, c->len, c->field == QF_TITLE ? SCHEMA_TITLE : "", out);
    struct qlist l = {0};
    struct tokenizer tz;
    struct tok t;
    int rc = 0;
    tok_init(&tz, c->text, c->len);
    while (rc == 0 && tok_next(&tz, &t)) {
        struct an_word aw, *a = &aw;
        xc_query *q = NULL;
        if (an_analyze(&aw, b->ctx->an, t.word, t.wlen) < 0)
            rc = lib_error_nomem(b->err);
        else if ((rc = term_query(&q, SCHEMA_STEM, a->stem, b->err)) == 0 &&
                 (rc = ql_push(&l, q, b->err)) == 0 &&
                 (rc = term_query(&q, "", t.word, b->err)) == 0 &&
                 (rc = ql_push(&l, q, b->err)) == 0)
            rc = add_lang_terms(b, t.word, t.wlen, SCHEMA_STEM, &l, 0);
    }
    return rc ? (ql_dispose(&l), rc) : ql_combine(&l, XC_OP_OR, out, b->err);
}

/* type:, place:, year: → the boolean term of the index. */
static int filter_query(struct builder *b, const struct clause *c, xc_query **out)
{
    const char *prefix = c->field == QF_TYPE ? SCHEMA_TYPE
                         : c->field == QF_PLACE ? SCHEMA_PLACE : SCHEMA_YEAR;
    char term[SCHEMA_TERM_MAX + 1];
    if (schema_bool_term(term, prefix, c->text, c->len) < 0)
        return lib_error_nomem(b->err);
    return xc_query_new_term(out, term, 1, b->err);
}

static int is_filter(const struct clause *c)
{
    return c->field == QF_TYPE || c->field == QF_PLACE || c->field == QF_YEAR;
}

/* The frequencies word (len bytes) will be asked for as its keys are
 * added (add_word_terms) and checked for a correction (correct) into
 * *terms. */
static int word_freq_terms(char ***terms, size_t *n, struct builder *b, const char *word,
                           size_t len)
{
    struct an_word a;
    struct forms f;
    char term[SCHEMA_TERM_MAX + 1];
    if (an_analyze(&a, b->ctx->an, word, len) < 0)
        return lib_error_nomem(b->err);
    unaccented_forms(&f, b, &a);
    const char *stems[1 + UNACCENTED_FORMS_MAX] = {a.stem};
    memcpy(stems + 1, f.stem, f.n * sizeof *stems);
    int bad = 0, keys = all_terms(b) ? 3 : 2;
    for (size_t i = 0; i <= f.n; i++) {
        const char *prefix[3] = {SCHEMA_STEM, SCHEMA_PART, SCHEMA_STEM_ALL};
        for (int k = 0; k < keys; k++) {
            snprintf(term, sizeof term, "%s%s", prefix[k], stems[i]);
            bad |= strv_push(terms, n, term);
        }
    }
    if (a.unaccented) {
        snprintf(term, sizeof term, "%s%s", SCHEMA_UNACCENT, a.unaccented);
        bad |= strv_push(terms, n, term);
    }
    snprintf(term, sizeof term, "%s", word);
    bad |= strv_push(terms, n, term);
    const struct schema_langs *l = b->ctx->langs;
    for (size_t i = 0; l && i < l->n; i++) {
        char stem[AN_W_MAX];
        if (lang_term(term, stem, b, i, word, len, SCHEMA_STEM) == 0)
            bad |= strv_push(terms, n, term);
    }
    return bad ? lib_error_nomem(b->err) : 0;
}

/* Over remote shards each frequency asked alone is a round trip to each
 * shard in turn, some five a word: the frequencies the query's words will
 * be asked for are asked first, all at once, and kept by the database
 * (xc_db_term_freqs). A failure here only leaves them to be asked alone. */
static int prefetch_freqs(struct builder *b, const struct parsed_query *pq)
{
    if (!full(b) || !xc_db_has_remote(b->ctx->db))
        return 0;
    char **terms = NULL;
    size_t n = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < pq->n; i++) {
        const struct clause *c = &pq->c[i];
        struct tok first;
        if (c->negated || c->phrase || c->field != QF_NONE)
            continue;
        if (clause_words(c, &first) == 1)   /* more are a phrase (clause_query) */
            rc = word_freq_terms(&terms, &n, b, first.word, first.wlen);
    }
    unsigned *freq = rc == 0 && n ? calloc(n, sizeof *freq) : NULL;
    if (freq)
        xc_db_term_freqs(b->ctx->db, (const char *const *)terms, n, freq, NULL);
    free(freq);
    strv_free(terms, n);
    return rc;
}

/* The positive clauses: AND within a group, groups (split by OR) ORed, and
 * in *any the same clauses all ORed, the query to fall back on when every
 * word together finds nothing (NULL when it would be the same query). */
static int positives(struct builder *b, const char *q, const struct parsed_query *pq,
                     xc_query **out, xc_query **any)
{
    struct qlist clauses = {0}, groups = {0};
    size_t starts[QUERY_MAX_CLAUSES + 1], ngroups = 0;
    int has_content = 0, rc = 0;
    *out = *any = NULL;
    for (size_t i = 0; i < pq->n; i++)
        if (!pq->c[i].negated && !is_filter(&pq->c[i]) &&
            (pq->c[i].phrase || !only_stopwords(pq->c[i].text, pq->c[i].len)))
            has_content = 1;
    for (size_t i = 0; rc == 0 && i < pq->n; i++) {
        const struct clause *c = &pq->c[i];
        if (c->negated || is_filter(c))
            continue;
        /* Stopwords count only when nothing else was asked. */
        if (has_content && !c->phrase && only_stopwords(c->text, c->len))
            continue;
        xc_query *cq = NULL;
        if ((rc = clause_query(b, q, c, &cq)) != 0 || !cq)
            continue;
        if (c->or_prev || !ngroups)
            starts[ngroups++] = clauses.n;
        rc = ql_push(&clauses, cq, b->err);
    }
    starts[ngroups] = clauses.n;
    b->groups = ngroups;
    for (size_t g = 0; rc == 0 && g < ngroups; g++) {
        size_t n = starts[g + 1] - starts[g];
        xc_query *gq = NULL;
        if (n)
            rc = xc_query_new_combine(&gq, XC_OP_AND, clauses.q + starts[g], n, b->err);
        if (rc == 0)
            rc = ql_push(&groups, gq, b->err);
    }
    /* The whole query may be a synonym ("delegationen mot segregation"). */
    if (rc == 0 && pq->n > 1 && groups.n) {
        xc_query *whole = NULL;
        const char *end = pq->c[pq->n - 1].text + pq->c[pq->n - 1].len;
        rc = add_synonyms(b, pq->c[0].text, (size_t)(end - pq->c[0].text), &whole);
        if (rc == 0 && whole && (rc = ql_push(&clauses, whole, b->err)) == 0)
            rc = xc_query_copy(&whole, whole, b->err);
        if (rc == 0)
            rc = ql_push(&groups, whole, b->err);
    }
    if (rc == 0 && clauses.n > groups.n)
        rc = xc_query_new_combine(any, XC_OP_OR, clauses.q, clauses.n, b->err);
    ql_dispose(&clauses);
    if (rc == 0)
        rc = ql_combine(&groups, XC_OP_OR, out, b->err);
    ql_dispose(&groups);
    if (rc != 0) {
        xc_query_free(*any);
        *any = NULL;
    }
    return rc;
}

static int negatives_and_filters(struct builder *b, const struct parsed_query *pq,
                                 struct qlist *neg, struct qlist *filters)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < pq->n; i++) {
        const struct clause *c = &pq->c[i];
        xc_query *q = NULL;
        if (is_filter(c)) {
            if ((rc = filter_query(b, c, &q)) == 0)
                rc = ql_push(c->negated ? neg : filters, q, b->err);
        } else if (c->negated) {
            if ((rc = exclusion_query(b, c, &q)) == 0)
                rc = ql_push(neg, q, b->err);
        }
    }
    return rc;
}

/* The suggestion: q with each corrected word replaced. */
static int suggestion(struct builder *b, const char *q, char **out)
{
    struct buf s = BUF_INIT;
    size_t at = 0;
    *out = NULL;
    if (!b->nfixes)
        return 0;
    for (size_t i = 0; i < b->nfixes; i++) {
        const struct fix *f = &b->fixes[i];
        if (f->start < at)
            continue;
        if (buf_append(&s, q + at, f->start - at) < 0 || buf_puts(&s, f->with) < 0) {
            buf_dispose(&s);
            return lib_error_nomem(b->err);
        }
        at = f->start + f->len;
    }
    if (buf_puts(&s, q + at) < 0) {
        buf_dispose(&s);
        return lib_error_nomem(b->err);
    }
    *out = buf_detach(&s);
    return 0;
}

/* pos (or every document) without the negatives, filtered; the lists stay
 * the caller's. */
static int assemble(struct builder *b, const xc_query *pos, const struct qlist *neg,
                    const struct qlist *filters, xc_query **out)
{
    xc_query *all = NULL, *cut = NULL, *kept = NULL;
    xc_query *parts[QUERY_MAX_CLAUSES + 1];
    int rc = 0;
    *out = NULL;
    if (!pos && !neg->n && !filters->n)
        return 0;
    if (!pos && (rc = xc_query_new_all(&all, b->err)) == 0)
        pos = all;
    if (rc == 0 && neg->n &&
        (rc = xc_query_new_combine(&cut, XC_OP_OR, neg->q, neg->n, b->err)) == 0) {
        xc_query *pair[2] = {(xc_query *)pos, cut};
        if ((rc = xc_query_new_combine(&kept, XC_OP_AND_NOT, pair, 2, b->err)) == 0)
            pos = kept;
    }
    if (rc == 0 && !filters->n) {
        rc = xc_query_copy(out, pos, b->err);
    } else if (rc == 0) {
        parts[0] = (xc_query *)pos;
        memcpy(parts + 1, filters->q, filters->n * sizeof *parts);
        rc = xc_query_new_combine(out, XC_OP_FILTER, parts, filters->n + 1, b->err);
    }
    xc_query_free(all);
    xc_query_free(cut);
    xc_query_free(kept);
    return rc;
}

int query_build(struct query_result *out, struct query_ctx *ctx, const char *text,
                lib_error *err)
{
    memset(out, 0, sizeof *out);
    char *q;
    if (text_clean(&q, text, strlen(text), 0) < 0)
        return lib_error_nomem(err);
    struct parsed_query *pq = malloc(sizeof *pq);
    struct builder b = {ctx, &out->keys, {{0}}, 0, err, NULL, 0};
    struct qlist neg = {0}, filters = {0};
    xc_query *pos = NULL, *any = NULL;
    int rc = pq ? 0 : lib_error_nomem(err);
    if (rc == 0 && ctx->tiered && full(&b) && tier_plan_new(&b.tiers, ctx->db, ctx->tiered, NULL) != 0)
        b.tiers = NULL;   /* ranked without tiers */
    if (rc == 0) {
        query_parse(q, pq);
        rc = prefetch_freqs(&b, pq);
    }
    if (rc == 0)
        rc = positives(&b, q, pq, &pos, &any);
    if (rc == 0 && pos && tier_plan_useful(b.tiers)) {
        out->tier = b.tiers;
        b.tiers = NULL;
    }
    tier_plan_free(b.tiers);
    if (rc == 0)
        rc = negatives_and_filters(&b, pq, &neg, &filters);
    out->words_only = rc == 0 && out->tier && b.groups == 1 && !neg.n && !filters.n;
    if (rc == 0)
        rc = suggestion(&b, q, &out->suggestion);
    out->weightless = !pos;
    if (rc == 0)
        rc = assemble(&b, pos, &neg, &filters, &out->query);
    if (rc == 0 && any)
        rc = assemble(&b, any, &neg, &filters, &out->any_word);
    xc_query_free(pos);
    xc_query_free(any);
    ql_dispose(&neg);
    ql_dispose(&filters);
    for (size_t i = 0; i < b.nfixes; i++)
        free(b.fixes[i].with);
    free(pq);
    free(q);
    an_trim(ctx->an);
    if (rc != 0)
        query_result_dispose(out);
    return rc;
}

void query_result_dispose(struct query_result *r)
{
    xc_query_free(r->query);
    xc_query_free(r->any_word);
    tier_plan_free(r->tier);
    free(r->suggestion);
    strv_free(r->keys.stems, r->keys.nstems);
    strv_free(r->keys.unaccented, r->keys.nunaccented);
    strv_free(r->keys.words, r->keys.nwords);
    strv_free(r->keys.lang_stems, r->keys.nlang_stems);
    memset(r, 0, sizeof *r);
}
