/* analytics_day.c: the statistics' days, local dates counted from
 * 1970-01-01: a small integer sorts, subtracts and stores in two bytes where
 * a date's text takes eleven. A date's number is its UTC midnight's, so
 * daylight saving time never makes a day of 23 or 25 hours. */
#include "analytics.h"

#include "doc.h"
#include "error.h"

#include <stdio.h>

long analytics_day(time_t t)
{
    struct tm local;
    localtime_r(&t, &local);
    struct tm midnight = {.tm_year = local.tm_year, .tm_mon = local.tm_mon,
                          .tm_mday = local.tm_mday};
    return (long)(timegm(&midnight) / 86400);
}

void analytics_day_text(char out[11], long day)
{
    time_t t = (time_t)day * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

int analytics_day_parse(long *out, const char *text)
{
    int y, m, d;
    if (!doc_date_valid(text) || sscanf(text, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return LIB_E_INVALID;
    struct tm midnight = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    *out = (long)(timegm(&midnight) / 86400);
    return 0;
}
