/* lexicon_write.c: collects the entries, stores each distinct string once
 * (the forms of a word share their stem and lemma), then lays out the hash
 * table at a load of at most one half so that a probe, hit or miss, ends
 * within a slot or two. */
#include "lexicon_write.h"

#include "hash.h"
#include "lexicon_format.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lex_writer {
    struct lex_record *records;
    size_t nrecords, cap;
    char *pool;               /* the strings, offset 0 the empty one */
    size_t pool_len, pool_cap;
    uint32_t *strings;        /* open hash set of pool offsets + 1 */
    size_t nstrings, strings_cap;
    uint32_t *words;          /* open hash set of record indexes + 1 */
    size_t words_cap;
};

int lex_writer_new(struct lex_writer **out)
{
    struct lex_writer *w = calloc(1, sizeof *w);
    *out = NULL;
    if (!w || !(w->pool = malloc(w->pool_cap = 1 << 16)) ||
        !(w->strings = calloc(w->strings_cap = 1 << 16, sizeof *w->strings)) ||
        !(w->words = calloc(w->words_cap = 1 << 16, sizeof *w->words))) {
        lex_writer_free(w);
        return LIB_E_NOMEM;
    }
    w->pool[0] = '\0';
    w->pool_len = 1;
    *out = w;
    return 0;
}

void lex_writer_free(struct lex_writer *w)
{
    if (!w)
        return;
    free(w->records);
    free(w->pool);
    free(w->strings);
    free(w->words);
    free(w);
}

/* The hash of a set's member v (an offset or a record, plus one). */
typedef uint64_t member_hash(const struct lex_writer *w, uint32_t v);

static uint64_t string_hash(const struct lex_writer *w, uint32_t v)
{
    const char *s = w->pool + v - 1;
    return fnv1a64(s, strlen(s));
}

static uint64_t word_hash(const struct lex_writer *w, uint32_t v)
{
    const struct lex_record *r = &w->records[v - 1];
    return fnv1a64(w->pool + r->word, r->wlen);
}

/* Doubles an open hash set of members. */
static int grow(struct lex_writer *w, uint32_t **set, size_t *cap, member_hash *hash)
{
    size_t n = *cap * 2;
    uint32_t *t = calloc(n, sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < *cap; i++) {
        uint32_t v = (*set)[i];
        if (!v)
            continue;
        size_t j = hash(w, v) & (n - 1);
        while (t[j])
            j = (j + 1) & (n - 1);
        t[j] = v;
    }
    free(*set);
    *set = t;
    *cap = n;
    return 0;
}

/* The pool offset of s, stored once; 0 for the empty string. */
static int intern(struct lex_writer *w, const char *s, uint32_t *off)
{
    size_t len = strlen(s);
    *off = 0;
    if (len == 0)
        return 0;
    if (w->nstrings * 2 >= w->strings_cap &&
        grow(w, &w->strings, &w->strings_cap, string_hash) < 0)
        return -1;
    size_t j = fnv1a64(s, len) & (w->strings_cap - 1);
    for (; w->strings[j]; j = (j + 1) & (w->strings_cap - 1)) {
        const char *t = w->pool + w->strings[j] - 1;
        if (strcmp(t, s) == 0) {
            *off = w->strings[j] - 1;
            return 0;
        }
    }
    if (w->pool_len + len + 1 > UINT32_MAX - 1)
        return -1;
    if (w->pool_len + len + 1 > w->pool_cap) {
        size_t cap = w->pool_cap * 2 > w->pool_len + len + 1 ? w->pool_cap * 2
                                                             : w->pool_len + len + 1;
        char *p = realloc(w->pool, cap);
        if (!p)
            return -1;
        w->pool = p;
        w->pool_cap = cap;
    }
    memcpy(w->pool + w->pool_len, s, len + 1);
    *off = (uint32_t)w->pool_len;
    w->strings[j] = *off + 1;
    w->pool_len += len + 1;
    w->nstrings++;
    return 0;
}

int lex_writer_add(struct lex_writer *w, const char *word, size_t len,
                   const struct lex_entry *e)
{
    if (len == 0 || len > 255 || memchr(word, '\0', len) || e->nparts > LEX_MAX_PARTS)
        return LIB_E_INVALID;
    if (w->nrecords >= UINT32_MAX / 4 ||
        (w->nrecords * 2 >= w->words_cap && grow(w, &w->words, &w->words_cap, word_hash) < 0))
        return LIB_E_NOMEM;
    size_t j = fnv1a64(word, len) & (w->words_cap - 1);
    for (; w->words[j]; j = (j + 1) & (w->words_cap - 1)) {
        const struct lex_record *r = &w->records[w->words[j] - 1];
        if (r->wlen == len && memcmp(w->pool + r->word, word, len) == 0)
            return 0;
    }
    if (w->nrecords == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 1024;
        struct lex_record *r = realloc(w->records, cap * sizeof *r);
        if (!r)
            return LIB_E_NOMEM;
        w->records = r;
        w->cap = cap;
    }
    char buf[256];
    memcpy(buf, word, len);
    buf[len] = '\0';
    struct lex_record r = {0};
    r.flags = (uint8_t)e->flags;
    r.nparts = (uint8_t)e->nparts;
    r.wlen = (uint8_t)len;
    if (intern(w, buf, &r.word) < 0 || intern(w, e->stem, &r.stem) < 0 ||
        intern(w, e->unaccented, &r.unaccented) < 0 || intern(w, e->lemma, &r.lemma) < 0 ||
        intern(w, e->part_key ? e->part_key : "", &r.part_key) < 0)
        return LIB_E_NOMEM;
    for (size_t i = 0; i < e->nparts; i++)
        if (intern(w, e->parts[i], &r.part[i]) < 0)
            return LIB_E_NOMEM;
    w->records[w->nrecords++] = r;
    w->words[j] = (uint32_t)w->nrecords;
    return 0;
}

static int write_all(FILE *f, const void *p, size_t n)
{
    return n == 0 || fwrite(p, 1, n, f) == n ? 0 : -1;
}

/* The reverse index: which records use a string as a key. */
struct keys {
    uint64_t *slots;
    struct lex_group *groups;
    uint32_t *postings;
    size_t nslots, ngroups, npostings;
};

static void keys_free(struct keys *k)
{
    free(k->slots);
    free(k->groups);
    free(k->postings);
}

static int by_pair(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* (string << 32 | record) for every key role of every record, sorted,
 * then grouped by string. */
static int build_keys(const struct lex_writer *w, struct keys *k)
{
    uint64_t *pairs = malloc(w->nrecords * 5 * sizeof *pairs);
    size_t n = 0;
    if (!pairs)
        return -1;
    for (size_t i = 0; i < w->nrecords; i++) {
        const struct lex_record *r = &w->records[i];
        uint32_t roles[5] = {r->stem, r->unaccented, r->part_key, r->nparts > 0 ? r->part[0] : 0,
                             r->nparts > 1 ? r->part[1] : 0};
        for (int j = 0; j < 5; j++)
            if (roles[j])
                pairs[n++] = (uint64_t)roles[j] << 32 | (uint64_t)i;
    }
    qsort(pairs, n, sizeof *pairs, by_pair);
    k->postings = malloc((n ? n : 1) * sizeof *k->postings);
    k->groups = malloc((n ? n : 1) * sizeof *k->groups);
    if (!k->postings || !k->groups) {
        free(pairs);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && pairs[i] == pairs[i - 1])
            continue;   /* one word, one string in two roles */
        uint32_t str = (uint32_t)(pairs[i] >> 32);
        if (k->ngroups == 0 || k->groups[k->ngroups - 1].string != str)
            k->groups[k->ngroups++] = (struct lex_group){str, (uint32_t)k->npostings, 0};
        k->groups[k->ngroups - 1].count++;
        k->postings[k->npostings++] = (uint32_t)pairs[i];
    }
    free(pairs);
    k->nslots = 1024;
    while (k->nslots < k->ngroups * 2)
        k->nslots *= 2;
    if (!(k->slots = calloc(k->nslots, sizeof *k->slots)))
        return -1;
    for (size_t g = 0; g < k->ngroups; g++) {
        const char *s = w->pool + k->groups[g].string;
        uint64_t h = fnv1a64(s, strlen(s));
        size_t j = h & (k->nslots - 1);
        while (k->slots[j])
            j = (j + 1) & (k->nslots - 1);
        k->slots[j] = (h >> 32) << 32 | (uint64_t)(g + 1);
    }
    return 0;
}

int lex_writer_finish(struct lex_writer *w, const char *path, uint64_t source_hash,
                      lib_error *err)
{
    size_t nslots = 1024;
    while (nslots < w->nrecords * 2)
        nslots *= 2;
    uint64_t *slots = calloc(nslots, sizeof *slots);
    struct keys keys = {0};
    char tmp[4096] = "";
    FILE *f = NULL;
    int rc = LIB_E_IO;
    static const char zeros[8] = {0};
    if (!slots || build_keys(w, &keys) < 0) {
        rc = lib_error_nomem(err);
        goto cleanup;
    }
    for (size_t i = 0; i < w->nrecords; i++) {
        const struct lex_record *r = &w->records[i];
        uint64_t h = fnv1a64(w->pool + r->word, r->wlen);
        size_t j = h & (nslots - 1);
        while (slots[j])
            j = (j + 1) & (nslots - 1);
        slots[j] = (h >> 32) << 32 | (uint64_t)(i + 1);
    }
    struct lex_header h = {0};
    memcpy(h.magic, LEX_MAGIC, sizeof h.magic);
    h.version = LEX_VERSION;
    h.nslots = (uint32_t)nslots;
    h.nrecords = (uint32_t)w->nrecords;
    h.pool_size = (uint32_t)w->pool_len;
    h.source_hash = source_hash;
    h.slots_off = sizeof h;
    h.records_off = h.slots_off + nslots * sizeof *slots;
    h.pool_off = h.records_off + w->nrecords * sizeof *w->records;
    size_t pad = (8 - (h.pool_off + w->pool_len) % 8) % 8;
    h.nkey_slots = (uint32_t)keys.nslots;
    h.ngroups = (uint32_t)keys.ngroups;
    h.npostings = (uint32_t)keys.npostings;
    h.key_slots_off = h.pool_off + w->pool_len + pad;
    h.groups_off = h.key_slots_off + keys.nslots * sizeof *keys.slots;
    h.postings_off = h.groups_off + keys.ngroups * sizeof *keys.groups;
    h.file_size = h.postings_off + keys.npostings * sizeof *keys.postings;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (!(f = fopen(tmp, "wb")) || write_all(f, &h, sizeof h) < 0 ||
        write_all(f, slots, nslots * sizeof *slots) < 0 ||
        write_all(f, w->records, w->nrecords * sizeof *w->records) < 0 ||
        write_all(f, w->pool, w->pool_len) < 0 || write_all(f, zeros, pad) < 0 ||
        write_all(f, keys.slots, keys.nslots * sizeof *keys.slots) < 0 ||
        write_all(f, keys.groups, keys.ngroups * sizeof *keys.groups) < 0 ||
        write_all(f, keys.postings, keys.npostings * sizeof *keys.postings) < 0 ||
        fflush(f) != 0) {
        lib_error_set(err, rc, "cannot write %s: %s", tmp, strerror(errno));
        goto cleanup;
    }
    if (fclose(f) != 0) {
        f = NULL;
        lib_error_set(err, rc, "cannot write %s: %s", tmp, strerror(errno));
        goto cleanup;
    }
    f = NULL;
    if (rename(tmp, path) < 0) {
        lib_error_set(err, rc, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        goto cleanup;
    }
    rc = 0;
cleanup:
    if (f)
        fclose(f);
    if (rc < 0 && tmp[0])
        remove(tmp);
    free(slots);
    keys_free(&keys);
    return rc;
}
