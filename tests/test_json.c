/* test_json.c: JSON string escaping, UTF-8 validation and base64 against RFC 8259 / 3629 / 4648.
 * Knows only the JSON interface of pii_internal.h, nothing of reports or findings. */
#include "pii_internal.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FFFD "\xEF\xBF\xBD"

/* ---- helpers ---------------------------------------------------------------------------- */

struct rendered {
    char *buf;
    size_t len;
    bool ok;
};

static struct rendered render(const void *s, size_t len)
{
    struct rendered r = {NULL, 0, false};
    FILE *f = open_memstream(&r.buf, &r.len);
    cr_assert_not_null(f);
    r.ok = json_write_str(f, s, len);
    cr_assert_eq(fclose(f), 0);
    return r;
}

/* Printable form of bytes for failure messages. */
static const char *show(const char *p, size_t n, char *out, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < n && o + 5 < cap; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x20 && c < 0x7F && c != '\\') {
            out[o++] = (char)c;
        } else {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 0xF];
        }
    }
    out[o] = '\0';
    return out;
}

/* in[0..in_len) must render exactly as want (without the surrounding quotes). */
static void expect_json(const void *in, size_t in_len, const char *want, size_t want_len,
                        bool want_ok)
{
    struct rendered r = render(in, in_len);
    char a[512], b[512], c[512];
    bool same = r.len == want_len + 2 && r.buf[0] == '"' && r.buf[r.len - 1] == '"' &&
                memcmp(r.buf + 1, want, want_len) == 0;
    cr_assert(same, "input %s: got %s, want \"%s\"", show(in, in_len, a, sizeof a),
              show(r.buf, r.len, b, sizeof b), show(want, want_len, c, sizeof c));
    cr_assert_eq(r.ok, want_ok, "input %s: return value %d", show(in, in_len, a, sizeof a),
                 (int)r.ok);
    /* the same bytes into a buffer of exactly the room it asks for; none into less */
    size_t cap = JSON_STR_ROOM(in_len);
    char *buf = malloc(cap);
    cr_assert_not_null(buf);
    bool ok = !want_ok;
    size_t n = json_put_str(buf, cap, in, in_len, &ok);
    cr_assert(n == r.len && memcmp(buf, r.buf, n) == 0 && ok == want_ok,
              "input %s: json_put_str gave %s", show(in, in_len, a, sizeof a),
              show(buf, n, b, sizeof b));
    cr_assert_eq(json_put_str(buf, cap - 1, in, in_len, NULL), 0);
    free(buf);
    free(r.buf);
}

/* String-literal convenience: sizeof - 1 keeps embedded NULs. */
#define EXPECT(in, want, ok) expect_json(in, sizeof(in) - 1, want, sizeof(want) - 1, ok)

/* ---- escaping ---------------------------------------------------------------------------- */

Test(json, empty_string)
{
    struct rendered r = render("", 0);
    cr_assert_eq(r.len, 2);
    cr_assert(memcmp(r.buf, "\"\"", 2) == 0);
    cr_assert(r.ok);
    free(r.buf);
}

Test(json, printable_ascii_verbatim)
{
    EXPECT("hello, world", "hello, world", true);
    EXPECT("/ is not escaped ~ { } [ ] ' `", "/ is not escaped ~ { } [ ] ' `", true);

    /* every printable ASCII byte except '"' and '\\' passes through */
    char in[95], want[95];
    size_t n = 0;
    for (int c = 0x20; c < 0x7F; c++) {
        if (c == '"' || c == '\\') continue;
        in[n] = want[n] = (char)c;
        n++;
    }
    expect_json(in, n, want, n, true);
}

Test(json, every_control_byte)
{
    static const char *const want[32] = {
        "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
        "\\b",     "\\t",     "\\n",     "\\u000b", "\\f",     "\\r",     "\\u000e", "\\u000f",
        "\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017",
        "\\u0018", "\\u0019", "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
    };
    for (unsigned c = 0; c < 32; c++) {
        char in = (char)c;
        expect_json(&in, 1, want[c], strlen(want[c]), true);

        /* and surrounded by text, in a string long enough for the word-wide scan */
        char in2[24], want2[64];
        memcpy(in2, "0123456789", 10);
        in2[10] = (char)c;
        memcpy(in2 + 11, "abcdefghijklm", 13);
        size_t wl = strlen(want[c]);
        memcpy(want2, "0123456789", 10);
        memcpy(want2 + 10, want[c], wl);
        memcpy(want2 + 10 + wl, "abcdefghijklm", 13);
        expect_json(in2, sizeof in2, want2, 23 + wl, true);
    }
}

Test(json, del_escaped)
{
    EXPECT("\x7f", "\\u007f", true);
    EXPECT("abcdefgh\x7fijklmnop", "abcdefgh\\u007fijklmnop", true);
}

Test(json, quote_and_backslash)
{
    EXPECT("\"", "\\\"", true);
    EXPECT("\\", "\\\\", true);
    EXPECT("a\"b\\c", "a\\\"b\\\\c", true);
    EXPECT("\"\\\"\\\"\\\"\\\"\\", "\\\"\\\\\\\"\\\\\\\"\\\\\\\"\\\\\\\"\\\\", true);
    EXPECT("C:\\Users\\bob said \"hi\"", "C:\\\\Users\\\\bob said \\\"hi\\\"", true);
}

Test(json, embedded_nul)
{
    EXPECT("ab\0cd", "ab\\u0000cd", true);
}

/* No raw control byte or DEL ever reaches the output, whatever the input. */
Test(json, no_raw_controls_for_any_byte)
{
    uint8_t in[512];
    for (size_t i = 0; i < 256; i++) in[i] = in[511 - i] = (uint8_t)i;
    struct rendered r = render(in, sizeof in);
    for (size_t i = 0; i < r.len; i++) {
        unsigned char c = (unsigned char)r.buf[i];
        cr_assert(c >= 0x20 && c != 0x7F, "raw byte 0x%02x at %zu", c, i);
    }
    cr_assert_not(r.ok);
    free(r.buf);
}

/* ---- UTF-8 ------------------------------------------------------------------------------- */

Test(json, valid_multibyte_copied)
{
    EXPECT("caf\xC3\xA9", "caf\xC3\xA9", true);                           /* 2 bytes: U+00E9 */
    EXPECT("\xE2\x82\xAC 5", "\xE2\x82\xAC 5", true);                     /* 3 bytes: U+20AC */
    EXPECT("\xF0\x9F\x98\x80!", "\xF0\x9F\x98\x80!", true);               /* 4 bytes: U+1F600 */
    EXPECT("\xE6\x97\xA5\xE6\x9C\xAC", "\xE6\x97\xA5\xE6\x9C\xAC", true); /* CJK */
}

Test(json, valid_boundaries)
{
    EXPECT("\xC2\x80", "\xC2\x80", true);                 /* U+0080 */
    EXPECT("\xDF\xBF", "\xDF\xBF", true);                 /* U+07FF */
    EXPECT("\xE0\xA0\x80", "\xE0\xA0\x80", true);         /* U+0800 */
    EXPECT("\xED\x9F\xBF", "\xED\x9F\xBF", true);         /* U+D7FF */
    EXPECT("\xEE\x80\x80", "\xEE\x80\x80", true);         /* U+E000 */
    EXPECT("\xEF\xBF\xBF", "\xEF\xBF\xBF", true);         /* U+FFFF */
    EXPECT("\xEF\xBF\xBD", "\xEF\xBF\xBD", true);         /* U+FFFD itself is valid */
    EXPECT("\xF0\x90\x80\x80", "\xF0\x90\x80\x80", true); /* U+10000 */
    EXPECT("\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF", true); /* U+10FFFF */
    /* U+0085 and U+2028 are not JSON control characters: copied */
    EXPECT("\xC2\x85\xE2\x80\xA8", "\xC2\x85\xE2\x80\xA8", true);
}

Test(json, invalid_overlong)
{
    EXPECT("\xC0\xAF", FFFD FFFD, false);
    EXPECT("\xC1\xBF", FFFD FFFD, false);
    EXPECT("\xC0\x80", FFFD FFFD, false); /* "modified UTF-8" NUL */
    EXPECT("\xE0\x80\xAF", FFFD FFFD FFFD, false);
    EXPECT("\xE0\x9F\xBF", FFFD FFFD FFFD, false);
    EXPECT("\xF0\x80\x80\xAF", FFFD FFFD FFFD FFFD, false);
    EXPECT("\xF0\x8F\xBF\xBF", FFFD FFFD FFFD FFFD, false);
}

Test(json, invalid_surrogates)
{
    EXPECT("\xED\xA0\x80", FFFD FFFD FFFD, false);                            /* U+D800 */
    EXPECT("\xED\xBF\xBF", FFFD FFFD FFFD, false);                            /* U+DFFF */
    EXPECT("\xED\xA0\xBD\xED\xB8\x80", FFFD FFFD FFFD FFFD FFFD FFFD, false); /* CESU pair */
}

Test(json, invalid_above_max)
{
    EXPECT("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD, false); /* U+110000 */
    EXPECT("\xF5\x80\x80\x80", FFFD FFFD FFFD FFFD, false);
    EXPECT("\xF7\xBF\xBF\xBF", FFFD FFFD FFFD FFFD, false);
    EXPECT("\xF8\x88\x80\x80\x80", FFFD FFFD FFFD FFFD FFFD, false); /* old 5-byte form */
    EXPECT("\xFE", FFFD, false);
    EXPECT("\xFF", FFFD, false);
}

Test(json, invalid_truncated)
{
    EXPECT("\xC3", FFFD, false);
    EXPECT("\xE2\x82", FFFD FFFD, false);
    EXPECT("\xF0\x9F\x98", FFFD FFFD FFFD, false);
    EXPECT("\xE2\x82"
           "A",
           FFFD FFFD "A", false); /* cut short by ASCII */
    EXPECT("\xF0\x9F"
           "\xC3\xA9",
           FFFD FFFD "\xC3\xA9", false);  /* by another character */
    EXPECT("\xC3\"", FFFD "\\\"", false); /* by a byte needing escape */
    EXPECT("\xE2\x82\n", FFFD FFFD "\\n", false);
}

Test(json, invalid_stray_continuation)
{
    EXPECT("\x80", FFFD, false);
    EXPECT("\xBF", FFFD, false);
    EXPECT("a\x80\x80z", "a" FFFD FFFD "z", false);
    EXPECT("\xC3\xA9\xA9", "\xC3\xA9" FFFD, false); /* one continuation too many */
    EXPECT("\xE2\x82\xAC\x80\x80", "\xE2\x82\xAC" FFFD FFFD, false);
}

Test(json, invalid_then_valid_text_continues)
{
    EXPECT("name: J\xF6rg M\xFCller, caf\xC3\xA9", "name: J" FFFD "rg M" FFFD "ller, caf\xC3\xA9",
           false);
}

Test(json, utf8_valid_cases)
{
    static const struct {
        const char *s;
        bool valid;
    } cases[] = {
        {"", true},
        {"plain ascii, long enough for words", true},
        {"\x7f\x01", true},
        {"\xC3\xA9", true},
        {"\xE2\x82\xAC", true},
        {"\xF0\x9F\x98\x80", true},
        {"\xF4\x8F\xBF\xBF", true},
        {"\xED\x9F\xBF", true},
        {"0123456789abcdef\xC3\xA9", true},
        {"\xC0\xAF", false},
        {"\xE0\x80\xAF", false},
        {"\xF0\x80\x80\xAF", false},
        {"\xED\xA0\x80", false},
        {"\xED\xBF\xBF", false},
        {"\xF4\x90\x80\x80", false},
        {"\xF5\x80\x80\x80", false},
        {"\xFF", false},
        {"\xC3", false},
        {"\xE2\x82", false},
        {"\xF0\x9F\x98", false},
        {"\x80", false},
        {"0123456789abcdef\x80", false},
        {"\xC3\xA9\xA9", false},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char a[128];
        size_t n = strlen(cases[i].s);
        cr_assert_eq(utf8_valid((const uint8_t *)cases[i].s, n), cases[i].valid, "case %zu: %s", i,
                     show(cases[i].s, n, a, sizeof a));
    }
    cr_assert(utf8_valid(NULL, 0));
}

/* ---- differential check against a plain byte-at-a-time reference ----------------------- */

/* Reference: decodes the code point arithmetically (unlike json.c's range table) and checks
 * it against RFC 3629's limits. Appends the expected body to out; returns validity. */
static bool ref_body(const uint8_t *s, size_t len, char *out, size_t *olen)
{
    static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
    static const char hex[] = "0123456789abcdef";
    bool ok = true;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        uint8_t b = s[i];
        if (b < 0x80) {
            const char *esc = NULL;
            switch (b) {
            case '"':
                esc = "\\\"";
                break;
            case '\\':
                esc = "\\\\";
                break;
            case '\b':
                esc = "\\b";
                break;
            case '\f':
                esc = "\\f";
                break;
            case '\n':
                esc = "\\n";
                break;
            case '\r':
                esc = "\\r";
                break;
            case '\t':
                esc = "\\t";
                break;
            default:
                break;
            }
            if (esc) {
                memcpy(out + o, esc, 2);
                o += 2;
            } else if (b < 0x20 || b == 0x7F) {
                memcpy(out + o, "\\u00", 4);
                out[o + 4] = hex[b >> 4];
                out[o + 5] = hex[b & 15];
                o += 6;
            } else {
                out[o++] = (char)b;
            }
            i++;
            continue;
        }
        size_t n = 0;
        uint32_t cp = 0;
        if ((b & 0xE0) == 0xC0)
            n = 2, cp = b & 0x1Fu;
        else if ((b & 0xF0) == 0xE0)
            n = 3, cp = b & 0x0Fu;
        else if ((b & 0xF8) == 0xF0)
            n = 4, cp = b & 0x07u;
        bool good = n != 0 && i + n <= len;
        for (size_t k = 1; good && k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80) good = false;
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        if (good && (cp < min_cp[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)))
            good = false;
        if (good) {
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
        } else {
            memcpy(out + o, FFFD, 3);
            o += 3;
            ok = false;
            i++;
        }
    }
    *olen = o;
    return ok;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 32);
}

/* A byte drawn to hit the interesting classes often. */
static uint8_t interesting_byte(void)
{
    static const uint8_t special[] = {0x00, 0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x1F, '"',  '\\', 0x7E,
                                      0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
                                      0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
    uint32_t r = rnd() % 8;
    if (r < 4) return (uint8_t)(0x20 + rnd() % 0x5F); /* printable ASCII */
    if (r < 6) return special[rnd() % sizeof special];
    return (uint8_t)rnd();
}

Test(json, matches_reference_on_random_input)
{
    enum { MAXLEN = 96 };
    uint8_t in[MAXLEN];
    char want[MAXLEN * 6];
    for (int iter = 0; iter < 50000; iter++) {
        size_t len = rnd() % MAXLEN;
        for (size_t i = 0; i < len; i++) in[i] = interesting_byte();
        /* splice in a valid encoded code point now and then */
        if (len >= 4 && rnd() % 2) {
            uint32_t cp = rnd() % 0x110000;
            if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0x20AC;
            size_t at = rnd() % (len - 3);
            if (cp < 0x80) {
                in[at] = (uint8_t)cp;
            } else if (cp < 0x800) {
                in[at] = (uint8_t)(0xC0 | (cp >> 6));
                in[at + 1] = (uint8_t)(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                in[at] = (uint8_t)(0xE0 | (cp >> 12));
                in[at + 1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
                in[at + 2] = (uint8_t)(0x80 | (cp & 0x3F));
            } else {
                in[at] = (uint8_t)(0xF0 | (cp >> 18));
                in[at + 1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
                in[at + 2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
                in[at + 3] = (uint8_t)(0x80 | (cp & 0x3F));
            }
        }
        size_t wl;
        bool ok = ref_body(in, len, want, &wl);
        expect_json(in, len, want, wl, ok);
        cr_assert_eq(utf8_valid(in, len), ok, "utf8_valid disagrees on iteration %d", iter);
    }
}

/* A byte needing care at every offset of strings around the 8-byte word size. */
Test(json, special_byte_at_every_offset)
{
    static const uint8_t special[] = {0x00, 0x1F, '"', '\\', 0x7F, 0x80, 0xC3, 0xFF, '~', ' '};
    uint8_t in[40];
    char want[40 * 6];
    for (size_t len = 1; len <= sizeof in; len++) {
        for (size_t at = 0; at < len; at++) {
            for (size_t k = 0; k < sizeof special; k++) {
                memset(in, 'x', len);
                in[at] = special[k];
                size_t wl;
                bool ok = ref_body(in, len, want, &wl);
                expect_json(in, len, want, wl, ok);
            }
        }
    }
}

/* Long strings: json_write_str encodes through a 4 KiB buffer, so escapes and multi-byte
 * sequences fall across its edges. */
Test(json, matches_reference_across_its_buffer)
{
    enum { MAXLEN = 20000 };
    uint8_t *in = malloc(MAXLEN);
    char *want = malloc(MAXLEN * 6);
    cr_assert(in && want);
    for (int iter = 0; iter < 200; iter++) {
        size_t len = 3000 + rnd() % (MAXLEN - 3000);
        for (size_t i = 0; i < len; i++) in[i] = interesting_byte();
        for (size_t i = 0; i + 4 <= len; i += 3 + rnd() % 40) { /* many valid sequences */
            static const uint8_t seqs[][4] = {
                {0xC3, 0xA9, 0, 2}, {0xE2, 0x82, 0xAC, 3}, {0xF0, 0x9F, 0x98, 4}};
            const uint8_t *q = seqs[rnd() % 3];
            memcpy(in + i, q, q[3] == 4 ? 3 : q[3]);
            if (q[3] == 4) in[i + 3] = 0x80;
        }
        size_t wl;
        bool ok = ref_body(in, len, want, &wl);
        expect_json(in, len, want, wl, ok);
    }
    free(in);
    free(want);
}

Test(json, long_ascii_single_run)
{
    size_t n = 1 << 16;
    char *in = malloc(n);
    cr_assert_not_null(in);
    for (size_t i = 0; i < n; i++) in[i] = (char)('a' + i % 26);
    expect_json(in, n, in, n, true);
    free(in);
}

/* ---- base64 ------------------------------------------------------------------------------ */

static void expect_b64(const char *in, const char *want)
{
    char out[64];
    memset(out, '#', sizeof out);
    size_t n = base64_encode((const uint8_t *)in, strlen(in), out, sizeof out);
    cr_assert_eq(n, strlen(want), "\"%s\": length %zu", in, n);
    cr_assert_str_eq(out, want);
}

Test(json, base64_rfc4648_section10)
{
    expect_b64("", "");
    expect_b64("f", "Zg==");
    expect_b64("fo", "Zm8=");
    expect_b64("foo", "Zm9v");
    expect_b64("foob", "Zm9vYg==");
    expect_b64("fooba", "Zm9vYmE=");
    expect_b64("foobar", "Zm9vYmFy");
}

Test(json, base64_full_alphabet)
{
    /* bytes whose 6-bit groups walk 0..63 in order */
    uint8_t in[48];
    for (size_t g = 0; g < 16; g++) {
        uint32_t v = ((uint32_t)(4 * g) << 18) | ((uint32_t)(4 * g + 1) << 12) |
                     ((uint32_t)(4 * g + 2) << 6) | (uint32_t)(4 * g + 3);
        in[3 * g] = (uint8_t)(v >> 16);
        in[3 * g + 1] = (uint8_t)(v >> 8);
        in[3 * g + 2] = (uint8_t)v;
    }
    char out[65];
    cr_assert_eq(base64_encode(in, sizeof in, out, sizeof out), 64);
    cr_assert_str_eq(out, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

    static const uint8_t high[] = {0xFB, 0xFF};
    cr_assert_eq(base64_encode(high, sizeof high, out, sizeof out), 4);
    cr_assert_str_eq(out, "+/8=");
}

Test(json, base64_small_cap)
{
    const uint8_t *foo = (const uint8_t *)"foo";
    const uint8_t *foob = (const uint8_t *)"foob";
    char out[16];

    /* "Zm9v" needs 4 bytes plus the NUL */
    cr_assert_eq(base64_encode(foo, 3, out, 4), 0);
    cr_assert_eq(base64_encode(foo, 3, out, 0), 0);
    cr_assert_eq(base64_encode(foo, 3, out, 5), 4);
    cr_assert_str_eq(out, "Zm9v");

    /* padding counts: "Zm9vYg==" needs 9 */
    memset(out, '#', sizeof out);
    cr_assert_eq(base64_encode(foob, 4, out, 8), 0);
    cr_assert_eq(base64_encode(foob, 4, out, 9), 8);
    cr_assert_str_eq(out, "Zm9vYg==");

    /* never writes past cap: a too-small call leaves the tail untouched */
    memset(out, '#', sizeof out);
    cr_assert_eq(base64_encode(foob, 4, out, 8), 0);
    cr_assert_eq(out[8], '#');

    /* empty input still needs room for the NUL */
    out[0] = '#';
    cr_assert_eq(base64_encode(foo, 0, out, 1), 0);
    cr_assert_eq(out[0], '\0');
    cr_assert_eq(base64_encode(foo, 0, NULL, 0), 0);
}
