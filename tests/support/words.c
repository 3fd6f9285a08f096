/* words.c: a hash set of strdup'd words; pages go through html_extract, so
 * the words are the ones the indexer sees. */
#include "words.h"

#include "doc.h"
#include "hash.h"
#include "html_extract.h"
#include "tokenize.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define WORD_SLOTS (1u << 20)
#define FILE_MAX (8 * 1024 * 1024)

int words_new(struct words *w)
{
    memset(w, 0, sizeof *w);
    w->slot = calloc(WORD_SLOTS, sizeof *w->slot);
    w->nslots = WORD_SLOTS;
    return w->slot ? 0 : -1;
}

void words_dispose(struct words *w)
{
    for (size_t i = 0; w->slot && i < w->nslots; i++)
        free(w->slot[i]);
    free(w->slot);
    memset(w, 0, sizeof *w);
}

static int add_word(struct words *w, const char *s, size_t len)
{
    if (w->n >= w->nslots / 2) {
        w->full = 1;
        return 0;
    }
    size_t i = fnv1a64(s, len) & (w->nslots - 1);
    for (; w->slot[i]; i = (i + 1) & (w->nslots - 1))
        if (strlen(w->slot[i]) == len && memcmp(w->slot[i], s, len) == 0)
            return 0;
    if (!(w->slot[i] = strndup(s, len)))
        return -1;
    w->n++;
    return 0;
}

int words_add_text(struct words *w, const char *text)
{
    struct tokenizer tz;
    struct tok t;
    if (!text)
        return 0;
    tok_init(&tz, text, strlen(text));
    while (tok_next(&tz, &t))
        if (add_word(w, t.word, t.wlen) < 0)
            return -1;
    return 0;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = f ? malloc(FILE_MAX) : NULL;
    *len = buf ? fread(buf, 1, FILE_MAX - 1, f) : 0;
    if (f)
        fclose(f);
    if (buf)
        buf[*len] = '\0';
    return buf;
}

int words_add_pages(struct words *w, const char *dir, size_t *pages)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return -1;
    while ((e = readdir(d))) {
        char path[4096];
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) < 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            words_add_pages(w, path, pages);
            continue;
        }
        size_t n = strlen(e->d_name), len;
        if (n < 6 || strcmp(e->d_name + n - 5, ".html") != 0)
            continue;
        char *html = read_file(path, &len);
        struct doc doc = {0};
        if (html && html_extract(&doc, html, len, NULL) == 0) {
            words_add_text(w, doc.title);
            words_add_text(w, doc.summary);
            words_add_text(w, doc.body);
            ++*pages;
        }
        doc_dispose(&doc);
        free(html);
    }
    closedir(d);
    return 0;
}

int words_add_file(struct words *w, const char *path)
{
    size_t len;
    char *text = read_file(path, &len);
    if (!text)
        return -1;
    int rc = words_add_text(w, text);
    free(text);
    return rc;
}
