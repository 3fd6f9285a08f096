/* fuzz_lexicon.c: libFuzzer target for the compiled lexicon's reader. The
 * input is a lexicon file; opening it must refuse it or give a lexicon whose
 * look-ups and key walks stay inside the file, whatever its offsets say
 * (an out-of-file read crashes here; the sanitizers catch the rest). */
#include "lexicon.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int touch(void *ctx, const char *word, size_t wlen, const struct lex_entry *e)
{
    size_t *n = ctx;
    for (size_t i = 0; i < wlen; i++)   /* every byte of the word is readable */
        *n += (unsigned char)word[i];
    *n += strlen(e->stem) + strlen(e->unaccented) + strlen(e->lemma) + strlen(e->part_key) +
          (e->nparts > 0 ? strlen(e->parts[0]) : 0) + (e->nparts > 1 ? strlen(e->parts[1]) : 0);
    if (e->nparts > LEX_MAX_PARTS || word[wlen] != '\0')
        __builtin_trap();   /* the reader hands out whole, terminated words */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/fuzz_lexicon.XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    int ok = write(fd, data, size) == (ssize_t)size;
    close(fd);
    struct lexicon *lex = NULL;
    if (ok && lex_open(&lex, path, NULL) == 0) {
        static const char *const words[] = {"tröskel", "trösklarna", "bostadsområdet", "och",
                                            "malmö", "ord1", "ord7", "saknas", "a", ""};
        size_t n = 0;
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
            struct lex_entry e;
            const char *key;
            if (lex_lookup(lex, words[i], strlen(words[i]), &e) == 1) {
                touch(&n, words[i], strlen(words[i]), &e);
                lex_words_with(lex, e.stem, strlen(e.stem), &key, touch, &n);
                lex_words_with(lex, e.unaccented, strlen(e.unaccented), &key, touch, &n);
                lex_words_with(lex, e.part_key, strlen(e.part_key), &key, touch, &n);
            }
            lex_words_with(lex, words[i], strlen(words[i]), &key, touch, &n);
        }
        (void)lex_size(lex);
        (void)lex_source_hash(lex);
    }
    lex_free(lex);
    unlink(path);
    return 0;
}
