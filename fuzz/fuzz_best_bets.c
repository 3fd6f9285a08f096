/* fuzz_best_bets.c: libFuzzer target for the best bets file: any bytes are
 * a file that parses into rules or is refused with a reason; the rules
 * load, and each rule's own query meets it (on a day inside any campaign),
 * pinning no document it also hides. The plain analysis keys the queries:
 * the parser and the matching are what is fuzzed here. */
#include "best_bets.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *rules = NULL;
    lib_error err = {0};
    if (best_bets_parse(&rules, (const char *)data, size, "fuzz", &err) < 0) {
        if (!err.message[0])
            __builtin_trap();   /* a refusal says why */
        return 0;
    }
    struct analyzer *an = NULL;
    struct best_bets *b = NULL;
    if (an_new(&an, AN_PLAIN, NULL, &err) < 0 || best_bets_load(&b, rules, an) < 0) {
        an_free(an);
        json_decref(rules);
        return 0;
    }
    size_t i;
    json_t *rule;
    json_array_foreach(rules, i, rule) {
        const char *q = json_string_value(json_object_get(rule, "query"));
        const char *from = json_string_value(json_object_get(rule, "from"));
        char *key = NULL;
        struct best_bets_match m;
        if (!q || best_bets_key(&key, an, q, strlen(q)) < 0)
            continue;
        int hit = best_bets_match(&m, b, key, from ? from : "2026-01-01");
        if (*key && !json_object_get(rule, "to") && !hit)
            __builtin_trap();   /* its own query, on its first day, meets it */
        if (m.npin > BEST_BETS_IDS_MAX || m.nhide > BEST_BETS_IDS_MAX)
            __builtin_trap();
        for (size_t p = 0; p < m.npin; p++)
            for (size_t h = 0; h < m.nhide; h++)
                if (strcmp(m.pin[p], m.hide[h]) == 0)
                    __builtin_trap();
        free(key);
        an_trim(an);
    }
    best_bets_free(b);
    an_free(an);
    json_decref(rules);
    return 0;
}
