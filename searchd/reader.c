/* reader.c: each server thread's own Xapian reader and analyzer, made once
 * and kept in thread-specific storage. The database is reopened (a cheap
 * revision check) on every request so an indexer run is seen without a
 * restart; when the revision moved, the analysis mode and synonyms are
 * reread from the index's metadata. A rebuild's switch of generations shows
 * as a new stub file (one stat per request) and opens the new generation.
 * Remote shards are searched while the shard watch says they are up. */
#include "server.h"

#include "best_bets.h"
#include "generation.h"
#include "schema.h"
#include "suggest.h"
#include "tier.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reader_free(void *p)
{
    struct reader *rd = p;
    if (!rd)
        return;
    json_decref(rd->synonyms);
    json_decref(rd->completions);
    best_bets_free(rd->best_bets);
    facet_cache_put(rd->facet_cache, rd->facets);
    doc_text_dispose(&rd->text);
    free(rd->shard_up);
    xc_db_free(rd->count_db);
    xc_db_free(rd->db);
    an_free(rd->an);
    free(rd);
}

int reader_key_create(struct server *srv)
{
    return pthread_key_create(&srv->reader_key, reader_free) != 0 ? -1 : 0;
}

void reader_key_delete(struct server *srv)
{
    pthread_key_delete(srv->reader_key);
}

/* Rereads the analysis mode and synonyms after the index changed. */
static int read_metadata(struct reader *rd, char *err, size_t errlen)
{
    char *mode_name = NULL, *syn = NULL, *comp = NULL, *bets = NULL;
    size_t syn_len = 0, comp_len = 0, bets_len = 0;
    xc_error xe = {0};
    int rc = -1;
    if (xc_db_get_metadata(rd->db, SCHEMA_META_ANALYSIS, &mode_name, NULL, &xe) < 0 ||
        xc_db_get_metadata(rd->db, SCHEMA_META_SYNONYMS, &syn, &syn_len, &xe) < 0 ||
        xc_db_get_metadata(rd->db, SCHEMA_META_COMPLETIONS, &comp, &comp_len, &xe) < 0 ||
        xc_db_get_metadata(rd->db, BEST_BETS_META, &bets, &bets_len, &xe) < 0) {
        snprintf(err, errlen, "cannot read the index: %s", xe.message);
        goto done;
    }
    enum an_mode mode = AN_FULL;
    if (*mode_name && an_mode_parse(&mode, mode_name) < 0) {
        snprintf(err, errlen, "the index has an unknown analysis \"%s\"", mode_name);
        goto done;
    }
    if (!rd->an || an_get_mode(rd->an) != mode) {
        an_free(rd->an);
        rd->an = NULL;
        lib_error le;
        if (an_new(&rd->an, mode, rd->lex, &le) < 0) {
            snprintf(err, errlen, "%s", le.message);
            goto done;
        }
    }
    json_decref(rd->synonyms);
    rd->synonyms = syn_len ? json_loadb(syn, syn_len, 0, NULL) : NULL;
    json_decref(rd->completions);
    rd->completions = comp_len ? json_loadb(comp, comp_len, 0, NULL) : NULL;
    json_t *rules = bets_len ? json_loadb(bets, bets_len, 0, NULL) : NULL;
    best_bets_free(rd->best_bets);
    rd->best_bets = NULL;
    rd->best_bets_dated = 0;
    for (size_t i = 0; i < json_array_size(rules); i++)
        rd->best_bets_dated |= json_object_get(json_array_get(rules, i), "from") != NULL ||
                               json_object_get(json_array_get(rules, i), "to") != NULL;
    int loaded = rules ? best_bets_load(&rd->best_bets, rules, rd->an) : 0;
    json_decref(rules);
    if (loaded < 0) {
        snprintf(err, errlen, "out of memory reading the best bets");
        goto done;
    }
    /* Remote shards count facets by value, where they are (a table by id
     * would read every document's values over the network). */
    facet_cache_put(rd->facet_cache, rd->facets);
    rd->facets = NULL;
    if (!rd->remote &&
        facet_cache_get(&rd->facets, rd->facet_cache, rd->db, xc_db_version(rd->db)) < 0) {
        snprintf(err, errlen, "cannot read the facet values of the index");
        goto done;
    }
    /* An index whose marker cannot be read is counted whole. */
    rd->sampled = search_index_sampled(rd->db, NULL) == 1;
    rd->tiered = tier_index_tiered(rd->db);
    rd->facets_together = facets_index_together(rd->db, NULL) == 1;
    if (schema_langs_of(&rd->langs, rd->db, NULL) < 0) {
        snprintf(err, errlen, "cannot read the languages of the index");
        goto done;
    }
    rd->version = xc_db_version(rd->db);
    rc = 0;
done:
    free(mode_name);
    free(syn);
    free(comp);
    free(bets);
    return rc;
}

/* Follows the watch: a shard this reader lost since its last request is
 * reported to it first (so no other thread waits for that shard), then the
 * shards it says are down are left out and those it says are up again are
 * connected. 1 when the shards searched changed. */
static int follow_watch(struct server *srv, struct reader *rd)
{
    int changed = 0;
    for (unsigned i = 0; i < xc_db_shard_count(rd->db); i++) {
        xc_shard_info si;
        if (xc_db_shard_info(rd->db, i, &si) < 0 || !si.remote)
            continue;
        if (!si.up && rd->shard_up[i])
            watch_lost(srv->watch, i);
        int want = watch_up(srv->watch, i);
        if (want && !si.up) {
            if (xc_db_set_shard(rd->db, i, 1, NULL) < 0)
                watch_lost(srv->watch, i);
            changed = 1;
        } else if (!want && si.up) {
            xc_db_set_shard(rd->db, i, 0, NULL);
            changed = 1;
        }
        rd->shard_up[i] = xc_db_shard_info(rd->db, i, &si) == 0 && si.up;
    }
    return changed;
}

/* The second reader, brought to the revision the first was: a search
 * runs beside its count only when both are at the same version (search.c),
 * and without one when it cannot be opened. */
static void open_count_db(struct server *srv, struct reader *rd)
{
    int changed = 0;
    if (!srv->count_thread_from || rd->remote)
        return;
    if (rd->count_db && xc_db_reopen(rd->count_db, &changed, NULL) < 0) {
        xc_db_free(rd->count_db);
        rd->count_db = NULL;
    }
    if (!rd->count_db &&
        xc_db_open_timeout(&rd->count_db, srv->db_path, srv->shard_timeout_ms, 1, NULL) < 0)
        rd->count_db = NULL;
}

struct reader *reader_get(struct server *srv, char *err, size_t errlen)
{
    struct reader *rd = pthread_getspecific(srv->reader_key);
    if (!rd) {
        if (!(rd = calloc(1, sizeof *rd))) {
            snprintf(err, errlen, "out of memory");
            return NULL;
        }
        rd->lex = srv->lex;
        rd->facet_cache = &srv->facets;
        if (pthread_setspecific(srv->reader_key, rd) != 0) {
            free(rd);
            snprintf(err, errlen, "out of memory");
            return NULL;
        }
    }
    xc_error xe = {0};
    int changed = 0;
    /* A rebuild switched generations: the open database is the old one. */
    unsigned long long stamp = gen_stamp(srv->db_path);
    if (rd->db && stamp != rd->stamp) {
        xc_db_free(rd->db);
        rd->db = NULL;
    }
    if (!rd->db) {
        xc_db_free(rd->count_db);
        rd->count_db = NULL;
    }
    if (!rd->db || xc_db_reopen(rd->db, &changed, &xe) < 0) {
        /* Not open yet, or the index was replaced beneath us: open afresh. */
        xc_db_free(rd->db);
        rd->db = NULL;
        xc_db_free(rd->count_db);
        rd->count_db = NULL;
        free(rd->shard_up);
        rd->shard_up = NULL;
        /* Remote shards are connected as the watch says they are up. */
        if (xc_db_open_timeout(&rd->db, srv->db_path, srv->shard_timeout_ms, !srv->watch,
                               &xe) < 0) {
            snprintf(err, errlen, "the index cannot be opened: %s", xe.message);
            return NULL;
        }
        rd->remote = xc_db_has_remote(rd->db);
        if (!(rd->shard_up = calloc(xc_db_shard_count(rd->db), 1))) {
            snprintf(err, errlen, "out of memory");
            return NULL;
        }
        rd->stamp = stamp;
        changed = 1;
    }
    if (rd->remote && srv->watch)
        changed |= follow_watch(srv, rd);
    open_count_db(srv, rd);
    if ((changed || !rd->an || rd->version != xc_db_version(rd->db)) &&
        read_metadata(rd, err, errlen) < 0)
        return NULL;
    return rd;
}

json_t *reader_missing(struct reader *rd)
{
    json_t *missing = NULL;
    for (unsigned i = 0; rd->remote && i < xc_db_shard_count(rd->db); i++) {
        xc_shard_info si;
        if (xc_db_shard_info(rd->db, i, &si) == 0 && !si.up) {
            if (!missing)
                missing = json_array();
            json_array_append_new(missing, json_string(si.name));
        }
    }
    return missing;
}

int reader_count(const char *db_path, unsigned timeout_ms, struct facet_cache *facets,
                 unsigned *count, int *remote, char *err, size_t errlen)
{
    xc_db *db = NULL;
    xc_error xe = {0};
    if (xc_db_open_timeout(&db, db_path, timeout_ms, 1, &xe) < 0) {
        snprintf(err, errlen, "%s", xe.message);
        return -1;
    }
    *count = xc_db_doc_count(db);
    *remote = xc_db_has_remote(db);
    for (unsigned i = 0; i < xc_db_shard_count(db); i++) {
        xc_shard_info si;
        if (xc_db_shard_info(db, i, &si) == 0 && !si.up)
            fprintf(stderr, "searchd: warning: shard %s is down (%s): answers are partial "
                            "until it is back\n", si.name, si.error);
    }
    if (*count && search_index_sampled(db, NULL) == 0)
        fprintf(stderr, "searchd: note: the index was written before sampled counting, so "
                        "every match of a search is counted; rebuild it (indexer --rebuild) "
                        "to count up to --count-limit\n");
    /* Only a full analysis writes tiers: a plain index is ranked whole by design. */
    char *mode = NULL;
    xc_db_get_metadata(db, SCHEMA_META_ANALYSIS, &mode, NULL, NULL);
    int tiered = tier_index_tiered(db);
    if (*count && (!mode || strcmp(mode, "plain") != 0) && tiered == 0)
        fprintf(stderr, "searchd: note: the index has no impact tiers of this version, so a "
                        "search matching much of it ranks every match; rebuild it "
                        "(indexer --rebuild) to rank those faster\n");
    else if (*count && tiered == TIER_READY)
        fprintf(stderr, "searchd: note: the index was written before the words' own impact "
                        "levels, so searches for the commonest words rank more of their "
                        "matches; rebuild it (indexer --rebuild) to rank fewer\n");
    else if (*count && tiered == TIER_READY_OWN)
        fprintf(stderr, "searchd: note: the index was written before a stem's word and "
                        "compound-part occurrences were kept as one term, so a search reads "
                        "two posting lists for each; rebuild it (indexer --rebuild) to read "
                        "one\n");
    free(mode);
    if (*count && *remote && facets_index_together(db, NULL) == 0)
        fprintf(stderr, "searchd: note: the shards were written before the facets were kept "
                        "together, so counting a search's facets reads five values a match; "
                        "rebuild them (indexer --rebuild) to read one\n");
    /* The first searches find the table there; a failure is left to them
     * to report. */
    struct facet_share *table = NULL;
    if (facets && !*remote && facet_cache_get(&table, facets, db, xc_db_version(db)) == 0)
        facet_cache_put(facets, table);   /* the cache keeps its own reference */
    xc_db_free(db);
    return 0;
}
