/* pdf_write.c: the PDF writer of the tests (pdf_write.h). Objects: 1 the
 * catalog, 2 the page tree, 3 the font, then each page and its content
 * stream, then the Info dictionary, then the XMP metadata stream. Every
 * offset in the xref table is where the object was written, so readers need
 * no repair to open the file. */
#include "pdf_write.h"

#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W 595
#define PAGE_H 842
#define MARGIN 36

/* The next character of UTF-8 s (advanced), U+FFFD for a bad byte. */
static uint32_t next_char(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    uint32_t c = p[0];
    int n = c < 0x80 ? 0 : c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : -1;
    if (n < 0) {
        *s += 1;
        return 0xFFFD;
    }
    c &= n == 0 ? 0x7F : 0x3F >> n;
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *s += i;
            return 0xFFFD;
        }
        c = c << 6 | (p[i] & 0x3F);
    }
    *s += n + 1;
    return c;
}

/* c in WinAnsiEncoding (Windows-1252), '?' when it has none. */
static unsigned char winansi(uint32_t c)
{
    static const struct {
        uint32_t u;
        unsigned char b;
    } high[] = {{0x20AC, 0x80}, {0x201A, 0x82}, {0x201E, 0x84}, {0x2026, 0x85},
                {0x2018, 0x91}, {0x2019, 0x92}, {0x201C, 0x93}, {0x201D, 0x94},
                {0x2022, 0x95}, {0x2013, 0x96}, {0x2014, 0x97}};
    if ((c >= 0x20 && c < 0x7F) || (c >= 0xA0 && c <= 0xFF))
        return (unsigned char)c;
    for (size_t i = 0; i < sizeof high / sizeof high[0]; i++)
        if (high[i].u == c)
            return high[i].b;
    return '?';
}

/* One line of text as a PDF string operand "(…) Tj". */
static int put_line(struct buf *b, const char *s, const char *end)
{
    if (buf_putc(b, '(') < 0)
        return -1;
    while (s < end) {
        unsigned char ch = winansi(next_char(&s));
        if ((ch == '(' || ch == ')' || ch == '\\') && buf_putc(b, '\\') < 0)
            return -1;
        if (buf_putc(b, (char)ch) < 0)
            return -1;
    }
    return buf_puts(b, ") Tj\n");
}

/* The content stream of one page of text. */
static int page_content(struct buf *b, const char *text, double size)
{
    double lead = size * 1.2;
    size_t lines = 1;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    if (lines * lead > PAGE_H - 2 * MARGIN)
        return -1;
    if (!*text)
        return 0;
    if (buf_printf(b, "BT\n/F1 %.2f Tf\n%.2f TL\n%d %.2f Td\n", size, lead, MARGIN,
                   PAGE_H - MARGIN - size) < 0)
        return -1;
    for (const char *line = text;;) {
        const char *nl = strchr(line, '\n');
        const char *end = nl ? nl : line + strlen(line);
        if (put_line(b, line, end) < 0)
            return -1;
        if (!nl)
            break;
        if (buf_puts(b, "T*\n") < 0)
            return -1;
        line = nl + 1;
    }
    return buf_puts(b, "ET\n");
}

/* A text string for the Info dictionary: UTF-16BE with its byte order mark,
 * in hex, which any reader decodes whatever the letters. */
static int put_text_string(struct buf *b, const char *s)
{
    if (buf_puts(b, "<FEFF") < 0)
        return -1;
    while (*s) {
        uint32_t c = next_char(&s);
        if (c >= 0x10000) {
            c -= 0x10000;
            if (buf_printf(b, "%04X%04X", 0xD800 + (unsigned)(c >> 10),
                           0xDC00 + (unsigned)(c & 0x3FF)) < 0)
                return -1;
        } else if (buf_printf(b, "%04X", (unsigned)c) < 0) {
            return -1;
        }
    }
    return buf_putc(b, '>');
}

/* A literal string "(…)" of ASCII s. */
static int put_literal(struct buf *b, const char *s)
{
    if (buf_putc(b, '(') < 0)
        return -1;
    for (; *s; s++)
        if (((*s == '(' || *s == ')' || *s == '\\') && buf_putc(b, '\\') < 0) ||
            buf_putc(b, *s) < 0)
            return -1;
    return buf_putc(b, ')');
}

/* The catalog, object 1: its /Lang and /Metadata (object meta) when cat
 * says them. */
static int put_catalog(struct buf *b, const struct pdf_catalog *cat, size_t meta)
{
    if (buf_puts(b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R") < 0)
        return -1;
    if (cat && cat->lang && (buf_puts(b, " /Lang ") < 0 || put_literal(b, cat->lang) < 0))
        return -1;
    if (cat && cat->xmp && buf_printf(b, " /Metadata %zu 0 R", meta) < 0)
        return -1;
    return buf_puts(b, " >>\nendobj\n");
}

int pdf_write_mem(char **out, size_t *len, const struct pdf_spec *spec)
{
    return pdf_write_mem_catalog(out, len, spec, NULL);
}

int pdf_write_mem_catalog(char **out, size_t *len, const struct pdf_spec *spec,
                          const struct pdf_catalog *cat)
{
    struct buf b = BUF_INIT, content = BUF_INIT;
    double size = spec->font_size > 0 ? spec->font_size : 12;
    int has_info = spec->title || spec->creation_date, has_xmp = cat && cat->xmp;
    size_t info = 4 + 2 * spec->npages, meta = info + (has_info ? 1 : 0);
    size_t nobj = meta + (has_xmp ? 1 : 0);   /* object 0 included */
    size_t *at = calloc(nobj, sizeof *at);
    *out = NULL;
    if (!at)
        return -1;
    /* The binary comment marks the file as binary for transfer programs. */
    if (buf_puts(&b, "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n") < 0)
        goto fail;
    at[1] = b.len;
    if (put_catalog(&b, cat, meta) < 0)
        goto fail;
    at[2] = b.len;
    if (buf_puts(&b, "2 0 obj\n<< /Type /Pages /Kids [") < 0)
        goto fail;
    for (size_t i = 0; i < spec->npages; i++)
        if (buf_printf(&b, "%s%zu 0 R", i ? " " : "", 4 + 2 * i) < 0)
            goto fail;
    if (buf_printf(&b, "] /Count %zu >>\nendobj\n", spec->npages) < 0)
        goto fail;
    at[3] = b.len;
    if (buf_puts(&b, "3 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                     "/Encoding /WinAnsiEncoding >>\nendobj\n") < 0)
        goto fail;
    for (size_t i = 0; i < spec->npages; i++) {
        size_t page = 4 + 2 * i;
        at[page] = b.len;
        if (buf_printf(&b, "%zu 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
                           "/Resources << /Font << /F1 3 0 R >> >> /Contents %zu 0 R >>\n"
                           "endobj\n", page, PAGE_W, PAGE_H, page + 1) < 0)
            goto fail;
        buf_clear(&content);
        if (page_content(&content, spec->pages[i], size) < 0)
            goto fail;
        at[page + 1] = b.len;
        if (buf_printf(&b, "%zu 0 obj\n<< /Length %zu >>\nstream\n", page + 1, content.len) < 0 ||
            buf_append(&b, content.data ? content.data : "", content.len) < 0 ||
            buf_puts(&b, "\nendstream\nendobj\n") < 0)
            goto fail;
    }
    if (has_info) {
        at[info] = b.len;
        if (buf_printf(&b, "%zu 0 obj\n<<", info) < 0)
            goto fail;
        if (spec->title && (buf_puts(&b, " /Title ") < 0 || put_text_string(&b, spec->title) < 0))
            goto fail;
        if (spec->creation_date &&
            (buf_puts(&b, " /CreationDate ") < 0 || put_literal(&b, spec->creation_date) < 0))
            goto fail;
        if (buf_puts(&b, " >>\nendobj\n") < 0)
            goto fail;
    }
    if (has_xmp) {
        at[meta] = b.len;
        if (buf_printf(&b, "%zu 0 obj\n<< /Type /Metadata /Subtype /XML /Length %zu >>\n"
                           "stream\n", meta, strlen(cat->xmp)) < 0 ||
            buf_puts(&b, cat->xmp) < 0 || buf_puts(&b, "\nendstream\nendobj\n") < 0)
            goto fail;
    }
    size_t xref = b.len;
    /* Each entry is exactly 20 bytes, its end of line " \n". */
    if (buf_printf(&b, "xref\n0 %zu\n0000000000 65535 f \n", nobj) < 0)
        goto fail;
    for (size_t i = 1; i < nobj; i++)
        if (buf_printf(&b, "%010zu 00000 n \n", at[i]) < 0)
            goto fail;
    if (buf_printf(&b, "trailer\n<< /Size %zu /Root 1 0 R", nobj) < 0 ||
        (has_info && buf_printf(&b, " /Info %zu 0 R", info) < 0) ||
        buf_printf(&b, " >>\nstartxref\n%zu\n%%%%EOF\n", xref) < 0)
        goto fail;
    free(at);
    buf_dispose(&content);
    *len = b.len;
    *out = buf_detach(&b);
    return 0;
fail:
    free(at);
    buf_dispose(&content);
    buf_dispose(&b);
    return -1;
}

int pdf_write_file(const char *path, const struct pdf_spec *spec)
{
    char *pdf;
    size_t len;
    if (pdf_write_mem(&pdf, &len, spec) < 0)
        return -1;
    FILE *f = fopen(path, "wb");
    int rc = f && fwrite(pdf, 1, len, f) == len ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    free(pdf);
    return rc;
}
