/* test_text.c: lib/text.c — cleaning, NFC and folding of input text. */
#include "check.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static void test_invalid_utf8_becomes_replacement_char(struct check *c)
{
    char *s = NULL;
    CHECK(c, text_clean(&s, "a\xff" "b", 3, 0) == 0);
    CHECK_STR(c, s, "a\xef\xbf\xbd" "b");
    free(s);
}

static void test_nul_and_controls_are_dropped(struct check *c)
{
    char *s = NULL;
    CHECK(c, text_clean(&s, "se\0gr\x01" "egation", 14, 0) == 0);
    CHECK_STR(c, s, "segregation");
    free(s);
}

static void test_whitespace_and_nbsp_collapse_to_one_space(struct check *c)
{
    const char in[] = "  Malmö\xc2\xa0\xc2\xa0 och\t\n Lund  ";
    char *s = NULL;
    CHECK(c, text_clean(&s, in, sizeof in - 1, 0) == 0);
    CHECK_STR(c, s, "Malmö och Lund");
    free(s);
}

static void test_newlines_kept_as_paragraph_breaks(struct check *c)
{
    const char in[] = "Ett stycke.\n\n  \nEtt till. ";
    char *s = NULL;
    CHECK(c, text_clean(&s, in, sizeof in - 1, 1) == 0);
    CHECK_STR(c, s, "Ett stycke.\nEtt till.");
    free(s);
}

static void test_decomposed_text_is_composed_to_nfc(struct check *c)
{
    const char nfd[] = "Go\xcc\x88teborg";   /* o + combining diaeresis */
    char *s = NULL;
    CHECK(c, text_clean(&s, nfd, sizeof nfd - 1, 0) == 0);
    CHECK_STR(c, s, "Göteborg");
    free(s);
}

/* Text of characters below U+0300 and of U+2002-U+20CF skips the
 * normalising pass: each such character is its own NFC, also after any
 * character below U+0300 (checked against utf8proc), and comes out as it
 * went in. */
static void test_characters_that_are_their_own_nfc_skip_the_pass(struct check *c)
{
    unsigned wrong = 0, checked = 0;
    for (utf8proc_int32_t cp = 0x21; cp < 0x20D0; cp++) {
        if (cp == 0x7F || (cp >= 0x80 && cp <= 0xA0) || cp == 0xAD ||
            (cp >= 0x300 && cp < 0x2002) || (cp >= 0x2002 && cp <= 0x200B) ||
            (cp >= 0x2028 && cp <= 0x202F) || cp == 0x205F)
            continue;   /* dropped or turned into a space by text_clean, or not claimed */
        utf8proc_uint8_t in[8] = {0};
        utf8proc_ssize_t n = utf8proc_encode_char(cp, in);
        utf8proc_uint8_t *nfc = utf8proc_NFC(in);
        char *s = NULL;
        if (!nfc || strcmp((char *)nfc, (char *)in) != 0 ||
            text_clean(&s, (const char *)in, (size_t)n, 0) != 0 || strcmp(s, (char *)in) != 0)
            wrong++;
        free(nfc);
        free(s);
        for (utf8proc_int32_t base = 0x41; base < 0x300; base += 7) {
            utf8proc_uint8_t pair[16] = {0};
            utf8proc_ssize_t k = utf8proc_encode_char(base, pair);
            utf8proc_encode_char(cp, pair + k);
            utf8proc_uint8_t *m = utf8proc_NFC(pair);
            wrong += !m || strcmp((char *)m, (char *)pair) != 0;
            free(m);
            checked++;
        }
    }
    CHECK(c, wrong == 0 && checked > 10000);
    /* A combining mark anywhere sends the whole text through NFC. */
    char *s = NULL;
    CHECK(c, text_clean(&s, "Åre – och Go\xcc\x88teborg", 23, 0) == 0);
    CHECK_STR(c, s, "Åre – och Göteborg");
    free(s);
}

/* ASCII is read eight bytes at a time: a NUL, an å or a bad byte at every
 * offset of a longer text is still found (NULs dropped, bad bytes counted
 * and repaired) as in a byte by byte reading. */
static void test_census_and_scrub_find_bytes_at_every_offset(struct check *c)
{
    unsigned wrong = 0;
    for (size_t at = 0; at < 24; at++) {
        char text[32];
        memset(text, 'a', sizeof text);
        text[at] = '\0';                      /* a NUL */
        text[(at + 5) % 30] = (char)0xC3;     /* å */
        text[(at + 5) % 30 + 1] = (char)0xA5;
        text[(at + 13) % 29 + 2] = (char)0xFF; /* a bad byte */
        size_t invalid = 0, n = 0;
        size_t multi = text_utf8_census(text, sizeof text, &invalid);
        char *fixed = NULL;
        int rc = text_scrub(&fixed, &n, text, sizeof text, 1);
        /* 31 bytes left: 29 ASCII, å, U+FFFD for the bad byte. */
        wrong += multi != 1 || invalid != 1 || rc != 0 || n != 29 - 1 + 2 + 3 ||
                 !strstr(fixed, "\xc3\xa5") || !strstr(fixed, "\xef\xbf\xbd");
        free(fixed);
    }
    CHECK(c, wrong == 0);
}

static void test_fold_lowercases_swedish_letters(struct check *c)
{
    char *s = NULL;
    CHECK(c, text_fold(&s, "ÅSA Örebro ÄLVSJÖ") == 0);
    CHECK_STR(c, s, "åsa örebro älvsjö");
    free(s);
}

static void test_truncate_never_splits_a_character(struct check *c)
{
    char s[] = "åäö";   /* 6 bytes */
    CHECK(c, text_truncate(s, 3) == 2);
    CHECK_STR(c, s, "å");
}

static void test_utf8_validation(struct check *c)
{
    CHECK(c, text_is_utf8("Växjö", 7));
    CHECK(c, !text_is_utf8("V\xe4xj\xf6", 5));
    CHECK(c, !text_is_utf8("a\0b", 3));
}

static void test_census_and_scrub_tell_utf8_with_errors_from_latin1(struct check *c)
{
    size_t invalid, n;
    /* UTF-8 with one bad byte: two good å/ö, one invalid. */
    const char *mixed = "G\xc3\xb6teborg \xff V\xc3\xa5r";
    CHECK(c, text_utf8_census(mixed, strlen(mixed), &invalid) == 2 && invalid == 1);
    char *fixed = NULL;
    CHECK(c, text_scrub(&fixed, &n, mixed, strlen(mixed), 1) == 0);
    CHECK(c, fixed && strcmp(fixed, "G\xc3\xb6teborg \xef\xbf\xbd V\xc3\xa5r") == 0 &&
                 n == strlen(fixed) && text_is_utf8(fixed, n));
    free(fixed);
    /* Latin-1: no valid multi-byte character at all. */
    const char *latin1 = "R\xe4ksm\xf6rg\xe5s";
    CHECK(c, text_utf8_census(latin1, strlen(latin1), &invalid) == 0 && invalid == 3);
    /* NULs go, the rest stays byte for byte when not repairing. */
    const char with_nul[] = "a\0b\xe4\0c";
    char *kept = NULL;
    CHECK(c, text_scrub(&kept, &n, with_nul, sizeof with_nul - 1, 0) == 0);
    CHECK(c, kept && n == 4 && memcmp(kept, "ab\xe4" "c", 4) == 0);
    free(kept);
}

int main(void)
{
    struct check c = {0};
    RUN(&c, test_invalid_utf8_becomes_replacement_char);
    RUN(&c, test_nul_and_controls_are_dropped);
    RUN(&c, test_whitespace_and_nbsp_collapse_to_one_space);
    RUN(&c, test_newlines_kept_as_paragraph_breaks);
    RUN(&c, test_decomposed_text_is_composed_to_nfc);
    RUN(&c, test_characters_that_are_their_own_nfc_skip_the_pass);
    RUN(&c, test_fold_lowercases_swedish_letters);
    RUN(&c, test_truncate_never_splits_a_character);
    RUN(&c, test_utf8_validation);
    RUN(&c, test_census_and_scrub_tell_utf8_with_errors_from_latin1);
    RUN(&c, test_census_and_scrub_find_bytes_at_every_offset);
    return check_report(&c, "test_text");
}
