/* json.c: JSON string output (RFC 8259), UTF-8 validation (RFC 3629) and base64 (RFC 4648).
 * Knows nothing of findings, detectors or report layout: it encodes byte strings only. */
#include "pii_internal.h"

#include <stdio.h>
#include <string.h>

/* ---- UTF-8 ------------------------------------------------------------------------------ */

/* Length of the well-formed UTF-8 sequence starting at s[i] (1-4), or 0 when the bytes there
 * do not start one (RFC 3629 §4: no overlongs, no surrogates, nothing above U+10FFFF, no
 * truncation, no stray continuation bytes). Requires i < len. */
static size_t utf8_seq(const uint8_t *s, size_t len, size_t i)
{
    uint8_t b = s[i];
    size_t n;
    uint8_t lo = 0x80, hi = 0xBF; /* allowed range of the second byte */

    if (b < 0x80) return 1;
    if (b < 0xC2) return 0; /* continuation byte, or C0/C1 (always overlong) */
    if (b < 0xE0) {
        n = 2;
    } else if (b < 0xF0) {
        n = 3;
        if (b == 0xE0) lo = 0xA0; /* overlong below U+0800 */
        if (b == 0xED) hi = 0x9F; /* surrogates U+D800-DFFF */
    } else if (b < 0xF5) {
        n = 4;
        if (b == 0xF0) lo = 0x90; /* overlong below U+10000 */
        if (b == 0xF4) hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0; /* F5-FF never appear */
    }

    if (len - i < n) return 0;
    if (s[i + 1] < lo || s[i + 1] > hi) return 0;
    for (size_t k = 2; k < n; k++)
        if ((s[i + k] & 0xC0) != 0x80) return 0;
    return n;
}

/* Word-at-a-time helpers: each answers "does any byte of the 8 in x ..." exactly. */
#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

static inline uint64_t load64(const uint8_t *p)
{
    uint64_t x;
    memcpy(&x, p, sizeof x);
    return x;
}

/* Non-zero when some byte of x is zero. */
static inline uint64_t has_zero(uint64_t x)
{
    return (x - ONES) & ~x & HIGHS;
}

/* Non-zero when some byte of x is below n (n <= 128). */
static inline uint64_t has_less(uint64_t x, unsigned n)
{
    return (x - ONES * n) & ~x & HIGHS;
}

bool utf8_valid(const uint8_t *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        while (len - i >= 8 && (load64(s + i) & HIGHS) == 0) i += 8;
        if (i >= len) break;
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = utf8_seq(s, len, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

/* ---- JSON strings ----------------------------------------------------------------------- */

/* True for bytes that cannot be copied as they are: controls, '"', '\\', DEL and every byte
 * >= 0x80 (those are checked as UTF-8 before being copied). */
static inline bool needs_care(uint8_t b)
{
    return b < 0x20 || b == '"' || b == '\\' || b >= 0x7F;
}

/* Non-zero when some byte of the 8 in x needs care. */
static inline uint64_t word_needs_care(uint64_t x)
{
    return has_less(x, 0x20) | has_zero(x ^ (ONES * '"')) | has_zero(x ^ (ONES * '\\')) |
           (x & HIGHS) | has_zero(x ^ (ONES * 0x7F));
}

/* The escape of an ASCII byte that needs care into e (6 bytes); returns its length. */
static size_t escape_ascii(char *e, uint8_t b)
{
    static const char hex[] = "0123456789abcdef";
    e[0] = '\\';
    switch (b) {
    case '"':
        e[1] = '"';
        return 2;
    case '\\':
        e[1] = '\\';
        return 2;
    case '\n':
        e[1] = 'n';
        return 2;
    case '\r':
        e[1] = 'r';
        return 2;
    case '\t':
        e[1] = 't';
        return 2;
    case '\b':
        e[1] = 'b';
        return 2;
    case '\f':
        e[1] = 'f';
        return 2;
    default:
        e[1] = 'u';
        e[2] = '0';
        e[3] = '0';
        e[4] = hex[b >> 4];
        e[5] = hex[b & 0xF];
        return 6;
    }
}

/* The JSON form of s[0..len) (without quotes) into out[0..cap), as far as it fits: every unit
 * (a byte, an escape, a UTF-8 sequence) whole. *used gets the input bytes encoded; returns the
 * bytes written; *valid is cleared on bytes that are not UTF-8 (each written as U+FFFD). Never
 * stops before the end of the input while cap - written >= 6. */
static size_t json_encode(const uint8_t *s, size_t len, size_t *used, char *out, size_t cap,
                          bool *valid)
{
    static const char replacement[3] = {'\xEF', '\xBF', '\xBD'}; /* U+FFFD */
    size_t i = 0, o = 0;
    while (i < len && cap - o >= 6) {
        /* a run of bytes that can be copied verbatim: printable ASCII and well-formed
         * multi-byte sequences */
        size_t run = i, room = cap - o;
        for (;;) {
            while (len - i >= 8 && i - run + 8 <= room && word_needs_care(load64(s + i)) == 0)
                i += 8;
            while (i < len && i - run < room && !needs_care(s[i])) i++;
            if (i >= len || s[i] < 0x80 || i - run >= room) break;
            size_t n = utf8_seq(s, len, i);
            if (n == 0 || i - run + n > room) break;
            i += n;
        }
        memcpy(out + o, s + run, i - run);
        o += i - run;
        /* the run ends at the input's end, where the room does (fewer than 6 bytes left:
         * stop), or at a byte to escape or an ill-formed sequence */
        if (i >= len || cap - o < 6) break;
        uint8_t b = s[i++];
        if (b < 0x80) {
            o += escape_ascii(out + o, b);
        } else { /* each byte of an ill-formed sequence becomes one U+FFFD */
            memcpy(out + o, replacement, sizeof replacement);
            o += sizeof replacement;
            *valid = false;
        }
    }
    *used = i;
    return o;
}

bool json_write_str(FILE *f, const char *str, size_t len)
{
    const uint8_t *s = (const uint8_t *)str;
    bool valid = true;
    char buf[4096];
    fputc('"', f);
    for (size_t i = 0; i < len;) {
        size_t used, n = json_encode(s + i, len - i, &used, buf, sizeof buf, &valid);
        fwrite(buf, 1, n, f);
        i += used;
    }
    fputc('"', f);
    return valid;
}

size_t json_put_str(char *out, size_t cap, const char *s, size_t len, bool *valid)
{
    if (len > (SIZE_MAX - 2) / 6 || cap < JSON_STR_ROOM(len)) return 0;
    bool ok = true;
    size_t used, n = json_encode((const uint8_t *)s, len, &used, out + 1, cap - 2, &ok);
    out[0] = '"';
    out[n + 1] = '"';
    if (valid) *valid = ok;
    return n + 2;
}

/* ---- base64 ----------------------------------------------------------------------------- */

size_t base64_encode(const uint8_t *data, size_t len, char *out, size_t cap)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    if (len > (SIZE_MAX - 1) / 4 * 3) return 0; /* output length would overflow */
    size_t olen = (len + 2) / 3 * 4;
    if (out == NULL || cap < olen + 1) return 0;

    size_t i = 0, o = 0;
    for (; len - i >= 3; i += 3) {
        uint32_t v = ((uint32_t)data[i] << 16) | ((uint32_t)data[i + 1] << 8) | data[i + 2];
        out[o++] = alphabet[(v >> 18) & 0x3F];
        out[o++] = alphabet[(v >> 12) & 0x3F];
        out[o++] = alphabet[(v >> 6) & 0x3F];
        out[o++] = alphabet[v & 0x3F];
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t)data[i] << 16;
        out[o++] = alphabet[(v >> 18) & 0x3F];
        out[o++] = alphabet[(v >> 12) & 0x3F];
        out[o++] = '=';
        out[o++] = '=';
    } else if (len - i == 2) {
        uint32_t v = ((uint32_t)data[i] << 16) | ((uint32_t)data[i + 1] << 8);
        out[o++] = alphabet[(v >> 18) & 0x3F];
        out[o++] = alphabet[(v >> 12) & 0x3F];
        out[o++] = alphabet[(v >> 6) & 0x3F];
        out[o++] = '=';
    }
    out[o] = '\0';
    return o;
}
