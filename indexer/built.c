/* built.c: the document a worker hands the writer, freed by whoever holds
 * it last (the writer for a rejected one, a shard's thread once written). */
#include "indexer.h"

#include <stdlib.h>

void built_free(struct built *b)
{
    if (!b)
        return;
    free(b->where);
    free(b->reject);
    free(b->id);
    free(b->source);
    xc_doc_free(b->xd);
    buf_dispose(&b->words);
    free(b);
}
