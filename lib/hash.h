/* hash.h: FNV-1a, the one string hash of the project (hash tables, shard
 * placement, content hashes). Header-only so that xapian-c (C++) and every
 * layer above it share the same function. Its offset basis is one digit
 * short of the published 14695981039346656037, as it has been since the
 * first index was built: shard placement and every stored content hash
 * depend on its exact values, so it stays as it is.
 */
#ifndef HASH_H
#define HASH_H

#include <stddef.h>
#include <stdint.h>

#define FNV1A64_INIT 1469598103934665603ULL

/* Folds len bytes into h (start from FNV1A64_INIT): lets a caller hash
 * several pieces as one. */
static inline uint64_t fnv1a64_add(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static inline uint64_t fnv1a64(const void *data, size_t len)
{
    return fnv1a64_add(FNV1A64_INIT, data, len);
}

/* Spreads every bit of h over all 64 (MurmurHash3's finaliser): FNV-1a's
 * high bits hardly change between strings that differ in their last bytes
 * (ids like "sida/0001", "sida/0002"), so take those bits through this. */
static inline uint64_t hash_mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

#endif
