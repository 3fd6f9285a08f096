/* lexicon.c: reads the compiled lexicon. The file is mapped, never copied,
 * so processes on one machine share its pages and a daemon that looks up
 * a few words touches a few pages: opening checks the layout only, and each
 * look-up checks the offsets it follows before it follows them, so a
 * damaged entry is one a look-up does not find, never a read out of the
 * file. */
#include "lexicon.h"

#include "hash.h"
#include "lexicon_format.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct lexicon {
    const unsigned char *map;
    size_t size;
    const struct lex_header *h;
    const uint64_t *slots;
    const struct lex_record *records;
    const char *pool;
    const uint64_t *key_slots;
    const struct lex_group *groups;
    const uint32_t *postings;
};

/* 1 when [off, off + n) lies inside a file of size bytes. */
static int inside(uint64_t off, uint64_t n, uint64_t size)
{
    return off <= size && n <= size - off;
}

static int check_layout(const struct lexicon *lex, char *err, size_t errlen)
{
    const struct lex_header *h = lex->h;
    if (memcmp(h->magic, LEX_MAGIC, sizeof h->magic) != 0) {
        snprintf(err, errlen, "not a lexicon file");
        return -1;
    }
    if (h->version != LEX_VERSION) {
        snprintf(err, errlen, "a lexicon of another version or machine: rebuild it");
        return -1;
    }
    if (h->file_size != lex->size || h->nslots == 0 || (h->nslots & (h->nslots - 1)) != 0 ||
        h->nrecords >= h->nslots || h->pool_size == 0 || h->slots_off % 8 != 0 ||
        h->records_off % 4 != 0 ||
        !inside(h->slots_off, (uint64_t)h->nslots * sizeof(uint64_t), lex->size) ||
        !inside(h->records_off, (uint64_t)h->nrecords * sizeof(struct lex_record), lex->size) ||
        !inside(h->pool_off, h->pool_size, lex->size) ||
        lex->map[h->pool_off + h->pool_size - 1] != '\0' || h->nkey_slots == 0 ||
        (h->nkey_slots & (h->nkey_slots - 1)) != 0 || h->ngroups >= h->nkey_slots ||
        h->key_slots_off % 8 != 0 || h->groups_off % 4 != 0 || h->postings_off % 4 != 0 ||
        !inside(h->key_slots_off, (uint64_t)h->nkey_slots * sizeof(uint64_t), lex->size) ||
        !inside(h->groups_off, (uint64_t)h->ngroups * sizeof(struct lex_group), lex->size) ||
        !inside(h->postings_off, (uint64_t)h->npostings * sizeof(uint32_t), lex->size)) {
        snprintf(err, errlen, "the lexicon is truncated or damaged: rebuild it");
        return -1;
    }
    return 0;
}

int lex_open(struct lexicon **out, const char *path, lib_error *err)
{
    struct lexicon *lex = calloc(1, sizeof *lex);
    struct stat st;
    char why[200];
    int fd = -1, rc = LIB_E_INVALID;
    *out = NULL;
    if (!lex)
        return lib_error_nomem(err);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0) {
        rc = lib_error_set(err, errno == ENOENT ? LIB_E_NOTFOUND : LIB_E_IO,
                           "cannot open the lexicon %s: %s", path, strerror(errno));
        goto cleanup;
    }
    if ((size_t)st.st_size < sizeof(struct lex_header)) {
        lib_error_set(err, rc, "%s is not a lexicon file (too short)", path);
        goto cleanup;
    }
    lex->size = (size_t)st.st_size;
    void *m = mmap(NULL, lex->size, PROT_READ, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) {
        rc = lib_error_set(err, LIB_E_IO, "cannot map the lexicon %s: %s", path,
                           strerror(errno));
        goto cleanup;
    }
    lex->map = m;
    lex->h = (const struct lex_header *)lex->map;
    if (check_layout(lex, why, sizeof why) < 0) {
        lib_error_set(err, rc, "%s: %s", path, why);
        goto cleanup;
    }
    lex->slots = (const uint64_t *)(lex->map + lex->h->slots_off);
    lex->records = (const struct lex_record *)(lex->map + lex->h->records_off);
    lex->pool = (const char *)(lex->map + lex->h->pool_off);
    lex->key_slots = (const uint64_t *)(lex->map + lex->h->key_slots_off);
    lex->groups = (const struct lex_group *)(lex->map + lex->h->groups_off);
    lex->postings = (const uint32_t *)(lex->map + lex->h->postings_off);
    *out = lex;
    lex = NULL;
    rc = 0;
cleanup:
    if (fd >= 0)
        close(fd);
    lex_free(lex);
    return rc;
}

void lex_free(struct lexicon *lex)
{
    if (!lex)
        return;
    if (lex->map)
        munmap((void *)lex->map, lex->size);
    free(lex);
}

static void entry_of(const struct lexicon *lex, const struct lex_record *r,
                     struct lex_entry *out)
{
    out->flags = r->flags;
    out->stem = lex->pool + r->stem;
    out->unaccented = lex->pool + r->unaccented;
    out->parts[0] = lex->pool + r->part[0];
    out->parts[1] = lex->pool + r->part[1];
    out->nparts = r->nparts;
    out->lemma = lex->pool + r->lemma;
    out->part_key = lex->pool + r->part_key;
}

/* 1 when every offset of r stays inside the strings. The pool ends with a
 * NUL (checked at open), so each string ends inside it. */
static int record_ok(const struct lexicon *lex, const struct lex_record *r)
{
    uint32_t pool = lex->h->pool_size;
    return r->word < pool && r->stem < pool && r->unaccented < pool && r->part[0] < pool &&
           r->part[1] < pool && r->lemma < pool && r->part_key < pool &&
           r->nparts <= LEX_MAX_PARTS && r->wlen > 0 && (uint64_t)r->word + r->wlen < pool &&
           lex->pool[r->word + r->wlen] == '\0';
}

/* A walk along the probe sequence of a tagged slot table (the words', the
 * keys'): each slot is a hash tag << 32 | an entry numbered from 1. */
struct probe {
    const uint64_t *slots;
    uint32_t mask, max, tag, i, left;
};

static struct probe probe_start(const uint64_t *slots, uint32_t nslots, uint32_t max,
                                uint64_t h)
{
    return (struct probe){slots, nslots - 1, max, (uint32_t)(h >> 32),
                          (uint32_t)h & (nslots - 1), nslots};
}

/* The next entry whose tag matches; 0 at a free slot, at an entry past max
 * (a damaged table) or when every slot was seen. */
static uint32_t probe_next(struct probe *p)
{
    while (p->left) {
        uint64_t s = p->slots[p->i];
        uint32_t v = (uint32_t)s;
        p->i = (p->i + 1) & p->mask;
        p->left--;
        if (v == 0 || v > p->max)
            break;
        if ((uint32_t)(s >> 32) == p->tag)
            return v;
    }
    p->left = 0;
    return 0;
}

int lex_lookup(const struct lexicon *lex, const char *word, size_t len, struct lex_entry *out)
{
    struct probe p = probe_start(lex->slots, lex->h->nslots, lex->h->nrecords,
                                 fnv1a64(word, len));
    for (uint32_t rec; (rec = probe_next(&p));) {
        const struct lex_record *r = &lex->records[rec - 1];
        if (record_ok(lex, r) && r->wlen == len && memcmp(lex->pool + r->word, word, len) == 0) {
            entry_of(lex, r, out);
            return 1;
        }
    }
    return 0;
}

/* A prefetch of the string at pool offset off, when it lies in the pool. */
static void prefetch_string(const struct lexicon *lex, uint32_t off)
{
    if (off < lex->h->pool_size)
        __builtin_prefetch(lex->pool + off);
}

/* The slot at which a look-up of the word with hash h begins. */
static const uint64_t *first_slot(const struct lexicon *lex, uint64_t h)
{
    return &lex->slots[(uint32_t)h & (lex->h->nslots - 1)];
}

void lex_prefetch_slot(const struct lexicon *lex, const char *word, size_t len)
{
    __builtin_prefetch(first_slot(lex, fnv1a64(word, len)));
}

int lex_ahead_absent(const struct lex_ahead *ah, size_t i)
{
    return ah->step > 1 && i < ah->n && ah->rec[i] == 0;
}

void lex_ahead_start(const struct lexicon *lex, struct lex_ahead *ah, const char *const words[],
                     const size_t lens[], size_t n)
{
    ah->n = n < LEX_AHEAD_MAX ? n : LEX_AHEAD_MAX;
    ah->step = 1;
    for (size_t i = 0; i < ah->n; i++) {
        ah->hash[i] = fnv1a64(words[i], lens[i]);
        ah->rec[i] = 0;
        __builtin_prefetch(first_slot(lex, ah->hash[i]));
    }
}

void lex_ahead_step(const struct lexicon *lex, struct lex_ahead *ah)
{
    if (ah->step == 1) {
        for (size_t i = 0; i < ah->n; i++) {
            struct probe p = probe_start(lex->slots, lex->h->nslots, lex->h->nrecords,
                                         ah->hash[i]);
            ah->rec[i] = probe_next(&p);
            if (ah->rec[i])
                __builtin_prefetch(&lex->records[ah->rec[i] - 1]);
        }
    } else if (ah->step == 2) {
        for (size_t i = 0; i < ah->n; i++) {
            if (!ah->rec[i])
                continue;
            const struct lex_record *r = &lex->records[ah->rec[i] - 1];
            prefetch_string(lex, r->word);
            prefetch_string(lex, r->stem);
            for (unsigned k = 0; k < r->nparts && k < LEX_MAX_PARTS; k++)
                prefetch_string(lex, r->part[k]);
        }
    }
    ah->step++;
}

/* The group of the key string s, or NULL. */
static const struct lex_group *group_of(const struct lexicon *lex, const char *s, size_t len)
{
    struct probe p = probe_start(lex->key_slots, lex->h->nkey_slots, lex->h->ngroups,
                                 fnv1a64(s, len));
    for (uint32_t gi; (gi = probe_next(&p));) {
        const struct lex_group *g = &lex->groups[gi - 1];
        if (g->string >= lex->h->pool_size || g->first > lex->h->npostings ||
            g->count > lex->h->npostings - g->first)
            continue;
        const char *str = lex->pool + g->string;
        if (strncmp(str, s, len) == 0 && str[len] == '\0')
            return g;
    }
    return NULL;
}

int lex_words_with(const struct lexicon *lex, const char *s, size_t len, const char **key,
                   lex_word_fn *fn, void *ctx)
{
    const struct lex_group *g = group_of(lex, s, len);
    *key = g ? lex->pool + g->string : NULL;
    for (uint32_t k = 0; g && k < g->count; k++) {
        uint32_t rec = lex->postings[g->first + k];
        if (rec >= lex->h->nrecords || !record_ok(lex, &lex->records[rec]))
            continue;
        const struct lex_record *r = &lex->records[rec];
        struct lex_entry e;
        entry_of(lex, r, &e);
        int rc = fn(ctx, lex->pool + r->word, r->wlen, &e);
        if (rc)
            return rc;
    }
    return 0;
}

size_t lex_size(const struct lexicon *lex)
{
    return lex->h->nrecords;
}

uint64_t lex_source_hash(const struct lexicon *lex)
{
    return lex->h->source_hash;
}
