/* libxml_init.h: the start-up of the targets whose input reaches libxml2's
 * parser: it is initialised once, before any input, as searchd and the
 * indexer do. Included by exactly one file of each such target, which it
 * gives its LLVMFuzzerInitialize. */
#ifndef LIBXML_INIT_H
#define LIBXML_INIT_H

#include <libxml/parser.h>
#include <stdint.h>
#include <stddef.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    xmlInitParser();
    return 0;
}

#endif
