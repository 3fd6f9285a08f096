/* seminar.h: the labelled fields of a seminar page (Vad?, Tid:, Plats:,
 * Arrangör:) found in its plain text. Used by html_extract for pages and
 * by anything else that receives seminar text.
 */
#ifndef SEMINAR_H
#define SEMINAR_H

#include "doc.h"

/* Sets d->what, when, address, place (the town: the last comma-separated
 * part of Plats) and organizer from `text` (paragraphs separated by '\n').
 * Fields already set in d are kept. Returns how many labels were found
 * (0 when the text is no seminar), or LIB_E_NOMEM. */
int seminar_fields(struct doc *d, const char *text);

#endif
