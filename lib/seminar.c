/* seminar.c: finds the labelled fields of a seminar in plain text.
 * A label's value runs to the next label or the end of its paragraph; a
 * label alone in its paragraph (a <dt>) takes the next paragraph (the <dd>).
 * Fields count only when "Vad?" or two labels appear, so an article that
 * happens to say "Tid:" once is not taken for a seminar, and only when no
 * label repeats, so a listing of seminar teasers is not taken for one. */
#include "seminar.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum { L_WHAT, L_WHEN, L_WHERE, L_WHO, N_LABELS };
static const char *const labels[N_LABELS] = {"Vad?", "Tid:", "Plats:", "Arrangör:"};

/* First occurrence of label at a word start, or NULL; *count gets how many
 * times it occurs. */
static const char *find_label(const char *text, const char *label, int *count)
{
    const char *first = NULL;
    *count = 0;
    for (const char *p = strstr(text, label); p; p = strstr(p + 1, label)) {
        if (p == text || isspace((unsigned char)p[-1])) {
            if (!first)
                first = p;
            (*count)++;
        }
    }
    return first;
}

static int set_trimmed(char **field, const char *s, const char *e)
{
    while (s < e && isspace((unsigned char)*s))
        s++;
    while (e > s && (isspace((unsigned char)e[-1]) || e[-1] == ','))
        e--;
    if (*field || s == e)
        return 0;
    return doc_set(field, s, (size_t)(e - s), DOC_FIELD_MAX);
}

/* The town: the last comma-separated part, without a leading postcode. */
static int set_place(struct doc *d)
{
    if (d->place || !d->address)
        return 0;
    const char *s = strrchr(d->address, ',');
    s = s ? s + 1 : d->address;
    while (*s && (isspace((unsigned char)*s) || isdigit((unsigned char)*s)))
        s++;
    return set_trimmed(&d->place, s, s + strlen(s));
}

int seminar_fields(struct doc *d, const char *text)
{
    const char *at[N_LABELS];
    int found = 0, repeated = 0;
    for (int i = 0; i < N_LABELS; i++) {
        int count;
        if ((at[i] = find_label(text, labels[i], &count)))
            found++;
        repeated |= count > 1;
    }
    /* Labels repeated: a listing of several seminars, not one seminar. */
    if (repeated || (found < 2 && !at[L_WHAT]))
        return 0;
    char **fields[N_LABELS] = {&d->what, &d->when, &d->address, &d->organizer};
    for (int i = 0; i < N_LABELS; i++) {
        if (!at[i])
            continue;
        const char *s = at[i] + strlen(labels[i]);
        while (*s == ' ')
            s++;
        if (*s == '\n')   /* label alone in its paragraph: value follows */
            s++;
        const char *e = strchr(s, '\n');
        if (!e)
            e = s + strlen(s);
        for (int j = 0; j < N_LABELS; j++)
            if (at[j] && at[j] >= s && at[j] < e)
                e = at[j];
        int rc = set_trimmed(fields[i], s, e);
        if (rc < 0)
            return rc;
    }
    int rc = set_place(d);
    return rc < 0 ? rc : found;
}
