/* replay.c: a main for a fuzz target without libFuzzer, so that the inputs
 * that once crashed it (tests/data/fuzz/TARGET/) and its seeds run in every
 * `make check`, plain and under the sanitizers. Usage: replay_TARGET FILE...
 * Exit 0 when every file went through; a failure aborts, as under the
 * fuzzer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *p = NULL;
    size_t cap = 0;
    *len = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (*len == cap) {
            unsigned char *q = realloc(p, cap ? cap * 2 : 4096);
            if (!q) {
                free(p);
                fclose(f);
                return NULL;
            }
            p = q;
            cap = cap ? cap * 2 : 4096;
        }
        size_t n = fread(p + *len, 1, cap - *len, f);
        if (n == 0)
            break;
        *len += n;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(p);
        return NULL;
    }
    return p;
}

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        size_t len;
        unsigned char *data = slurp(argv[i], &len);
        if (!data) {
            fprintf(stderr, "replay: cannot read %s\n", argv[i]);
            return 1;
        }
        LLVMFuzzerTestOneInput(data, len);
        free(data);
    }
    printf("replayed %d inputs\n", argc - 1);
    return 0;
}
