/* lexicon_format.h: the lexicon file's layout, shared by its reader
 * (lexicon.c) and writer (lexicon_write.c) only. In the machine's byte
 * order: the lexicon is built on the machine that uses it.
 *   header | slots (uint64: hash tag << 32 | record + 1) | records | strings
 *   | key slots (uint64: hash tag << 32 | group + 1) | groups | postings
 * Strings are NUL-terminated and shared (a stem is stored once); offset 0 is
 * the empty string. A group names a string used as some word's stem, part,
 * unaccented key or part key, and its postings are those words' records:
 * the words a key expands to. */
#ifndef LEXICON_FORMAT_H
#define LEXICON_FORMAT_H

#include <stdint.h>

#define LEX_MAGIC "SVLEXCN"   /* 8 bytes with its NUL */
#define LEX_VERSION 0x01020302u   /* byte order and format version */

struct lex_header {
    char magic[8];
    uint32_t version;
    uint32_t nslots;          /* a power of two */
    uint32_t nrecords;
    uint32_t pool_size;
    uint64_t source_hash;
    uint64_t slots_off, records_off, pool_off, file_size;
    uint32_t nkey_slots;      /* a power of two */
    uint32_t ngroups;
    uint32_t npostings;
    uint32_t pad;
    uint64_t key_slots_off, groups_off, postings_off;
};

struct lex_record {
    uint32_t word, stem, unaccented, part[2], lemma, part_key;
    uint8_t flags, nparts, wlen, pad;
};

struct lex_group {
    uint32_t string, first, count;   /* postings[first .. first + count) */
};

#endif
