/* seen.c: the set of id terms a run has met, for --prune: open addressing
 * over owned strings, doubling when half full. */
#include "indexer.h"

#include "hash.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
    return fnv1a64(s, strlen(s));
}

static int grow(struct seen *set)
{
    size_t cap = set->cap ? set->cap * 2 : 1024;
    char **slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < set->cap; i++) {
        if (!set->slots[i])
            continue;
        size_t j = hash(set->slots[i]) & (cap - 1);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = set->slots[i];
    }
    free(set->slots);
    set->slots = slots;
    set->cap = cap;
    return 0;
}

int seen_add(struct seen *set, const char *s)
{
    if ((set->n + 1) * 2 > set->cap && grow(set) < 0)
        return -1;
    size_t i = hash(s) & (set->cap - 1);
    while (set->slots[i]) {
        if (strcmp(set->slots[i], s) == 0)
            return 0;
        i = (i + 1) & (set->cap - 1);
    }
    if (!(set->slots[i] = strdup(s)))
        return -1;
    set->n++;
    return 0;
}

int seen_has(const struct seen *set, const char *s)
{
    if (!set->cap)
        return 0;
    size_t i = hash(s) & (set->cap - 1);
    while (set->slots[i]) {
        if (strcmp(set->slots[i], s) == 0)
            return 1;
        i = (i + 1) & (set->cap - 1);
    }
    return 0;
}

void seen_dispose(struct seen *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->slots[i]);
    free(set->slots);
    memset(set, 0, sizeof *set);
}
