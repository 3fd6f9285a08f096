/* swedish_date.h: a day from the Swedish text of a seminar's "Tid:" field
 * ("27 mars 2019", "tisdag 12 november 2019, kl. 18.00", "23 januari
 * 13:00-16:30", "5 maj kl. 10.00") or an ISO date. A date without a year
 * takes the first such day on or after a reference day (the page's
 * publication date), as a reader of the page would.
 */
#ifndef SWEDISH_DATE_H
#define SWEDISH_DATE_H

#include "error.h"

/* Writes YYYY-MM-DD to out and returns 0, or LIB_E_NOTFOUND when text names
 * no day. ref is YYYY-MM-DD or NULL (then a date without a year is not
 * read). */
int swedish_date_parse(char out[11], const char *text, const char *ref);

/* Compares two strings in Swedish alphabetical order (case-insensitive;
 * å, ä, ö after z; é as e, ü as y), as strcmp does. */
int swedish_collate(const char *a, const char *b);

#endif
