/* fuzz_facets_together.c: libFuzzer target for splitting a value of the
 * facets' shared slot (facets_count_together), as a remote shard may send
 * any bytes. Each part counts once, and the parts joined again by NULs are
 * the value when it had all five. */
#include "facets.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct facet_table none;
    struct facet_counts c;
    if (facets_counts_init(&c, &none) < 0)
        return 0;
    const char *value = (const char *)data;
    facets_count_together(&c, value, size, 3);
    facets_count_together(&c, value, size, 4);   /* the same parts again: added */
    size_t nuls = 0, joined = 0;
    for (size_t i = 0; i < size; i++)
        nuls += data[i] == '\0';
    for (int f = 0; f < N_FACETS; f++) {
        if (c.n_by_value[f] > 1)
            __builtin_trap();
        if (c.n_by_value[f] == 1) {
            if (c.by_value[f][0].count != 7 || !*c.by_value[f][0].name)
                __builtin_trap();
            joined += strlen(c.by_value[f][0].name);
        }
    }
    /* Five non-empty parts and no NUL in the last: nothing lost. */
    if (nuls == N_FACETS - 1 && c.n_by_value[N_FACETS - 1] && joined + nuls != size)
        __builtin_trap();
    json_t *j = facets_json(&c);
    if (!j)
        __builtin_trap();
    json_decref(j);
    facets_counts_dispose(&c);
    return 0;
}
