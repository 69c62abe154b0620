/* validate_net.c: network identifier validators: IPv4, IPv6 (RFC 4291), MAC, e-mail and
 * URLs carrying user data. Knows address syntax and documentation ranges, not the finders. */
#include "validate.h"

#include <string.h>

/* x (16 bits) in lower-case hex without leading zeros / x (8 bits) in decimal, at out; returns the
 * length. By hand: snprintf was most of an address's validation. */
static size_t put_hex(char *out, unsigned x)
{
    size_t n = 0;
    for (int sh = 12; sh >= 0; sh -= 4)
        if ((x >> sh) || sh == 0 || n) out[n++] = "0123456789abcdef"[(x >> sh) & 15];
    return n;
}

static size_t put_dec(char *out, unsigned x)
{
    size_t n = 0;
    if (x >= 100) out[n++] = (char)('0' + x / 100);
    if (x >= 10) out[n++] = (char)('0' + x / 10 % 10);
    out[n++] = (char)('0' + x % 10);
    return n;
}

/* ==== IPv4 ============================================================================== */

/* Exactly a dotted quad of 1-3 digit groups; strict: no leading zeros (RFC 3986 dec-octet).
 * *lead0 (when not NULL) tells whether some group has one. One pointer walk, one compare a
 * digit; the reference of ipv4_parse16(). */
bool ipv4_parse(const uint8_t *s, size_t n, uint8_t o[4], bool strict, bool *lead0)
{
    const uint8_t *p = s, *e = s + n;
    bool z = false;
    for (int k = 0; k < 4; k++) {
        if (k > 0) {
            if (p == e || *p != '.') return false;
            p++;
        }
        unsigned val, d;
        if (p == e || (val = (unsigned)*p - '0') > 9) return false;
        bool lz = val == 0;
        if (++p < e && (d = (unsigned)*p - '0') <= 9) {
            val = val * 10 + d;
            if (++p < e && (d = (unsigned)*p - '0') <= 9) {
                val = val * 10 + d;
                if (++p < e && (unsigned)*p - '0' <= 9) return false; /* a fourth digit */
            }
            if (lz) {
                if (strict) return false;
                z = true;
            }
        }
        if (val > 255) return false;
        o[k] = (uint8_t)val;
    }
    if (lead0) *lead0 = z;
    return p == e;
}

#if defined(__SSE2__)
/* The value of the group of s that ends at e and has len (1-3) digits; t is s with four '0'
 * bytes before it, so that a short group's missing digits read as zeros. */
static inline unsigned group_val(const uint8_t *t, unsigned e, unsigned len)
{
    unsigned x0 = (unsigned)(t[e + 1] - '0') & (0u - (len == 3));
    unsigned x1 = (unsigned)(t[e + 2] - '0') & (0u - (len >= 2));
    return x0 * 100 + x1 * 10 + (unsigned)(t[e + 3] - '0');
}

bool ipv4_parse16(const uint8_t *s, size_t n, uint8_t o[4], bool *lead0)
{
    if (n < 7 || n > 15) return false;
    __m128i v = _mm_loadu_si128((const __m128i *)s);
    __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    unsigned valid = (1u << n) - 1;
    unsigned dig =
        (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d));
    unsigned dot = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('.'))) & valid;
    unsigned d2 = dot & (dot - 1), d3 = d2 & (d2 - 1);
    /* three dots, the rest digits */
    if (((dig | dot) & valid) != valid || !d3 || (d3 & (d3 - 1))) return false;
    unsigned e0 = (unsigned)__builtin_ctz(dot), e1 = (unsigned)__builtin_ctz(d2),
             e2 = (unsigned)__builtin_ctz(d3), e3 = (unsigned)n;
    unsigned l0 = e0, l1 = e1 - e0 - 1, l2 = e2 - e1 - 1, l3 = e3 - e2 - 1;
    if ((l0 - 1 > 2) | (l1 - 1 > 2) | (l2 - 1 > 2) | (l3 - 1 > 2)) return false;
    uint8_t t[20];
    memset(t, '0', 4);
    _mm_storeu_si128((__m128i *)(t + 4), v);
    unsigned x0 = group_val(t, e0, l0), x1 = group_val(t, e1, l1), x2 = group_val(t, e2, l2),
             x3 = group_val(t, e3, l3);
    if ((x0 | x1 | x2 | x3) > 255) return false;
    o[0] = (uint8_t)x0, o[1] = (uint8_t)x1, o[2] = (uint8_t)x2, o[3] = (uint8_t)x3;
    /* a group's first digit a '0' with a digit after it */
    unsigned zero = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('0')));
    *lead0 = (zero & (1u | dot << 1) & (dig & valid) >> 1) != 0;
    return true;
}
#endif

static const struct {
    const char *w;
    size_t n;
} version_words[] = {{"version", 7}, {"release", 7}, {"firmware", 8}, {"kernel", 6},
                     {"build", 5},   {"ver", 3},     {"fw", 2}};

/* "version 1.2.3.4", "fw=1.2.3.4", "build: 1.2.3.4": a keyword within 16 bytes before start on
 * the same line, followed only by separators. */
static bool after_version_word(const struct vctx *v)
{
    size_t j = v->start;
#if defined(__SSE2__)
    if (v->start - v->lo >= 16) {
        /* the separators right before start, 16 bytes at once (their number varies from
         * address to address: a loop's exit was a coin toss) */
        __m128i x = _mm_loadu_si128((const __m128i *)(v->buf + v->start - 16));
#define EQ(c) _mm_cmpeq_epi8(x, _mm_set1_epi8(c))
        __m128i sep = _mm_or_si128(
            _mm_or_si128(_mm_or_si128(EQ(' '), EQ('\t')), EQ('=')),
            _mm_or_si128(_mm_or_si128(EQ(':'), EQ('/')), _mm_or_si128(EQ('"'), EQ('\''))));
#undef EQ
        uint32_t m = (uint32_t)_mm_movemask_epi8(sep) << 16; /* bit 31: the byte before start */
        j -= (size_t)__builtin_clz(~m);                      /* at most 16: ~m has bits 0-15 */
    } else
#endif
        while (v->start - j < 16) {
            int c = v_at(v, j - 1);
            if (c != ' ' && c != '\t' && c != '=' && c != ':' && c != '/' && c != '"' && c != '\'')
                break;
            j--;
        }
    /* every address in a log comes here: most are not after a word ending so */
    int last = v_at(v, j - 1) | 0x20;
    if (last != 'n' && last != 'e' && last != 'l' && last != 'd' && last != 'r' && last != 'w')
        return false;
    for (size_t w = 0; w < ARRAY_LEN(version_words); w++) {
        size_t m = version_words[w].n;
        if (j < v->lo + m || v->start - (j - m) > 16 + m) continue;
        if (!ascii_ieq(v->buf + j - m, m, version_words[w].w)) continue;
        if (!is_alnum(v_at(v, j - m - 1))) return true;
    }
    return false;
}

/* The byte before start is ':' and what precedes it is a colon-hex group: an IPv6 tail. */
static bool after_ipv6_group(const struct vctx *v)
{
    if (v_at(v, v->start - 1) != ':') return false;
    size_t j = v->start - 1, k = 0;
    while (k < 5 && is_hex(v_at(v, j - 1))) j--, k++;
    /* Embedded IPv4 follows "::" or a group that itself follows ':'. */
    return k <= 4 && v_at(v, j - 1) == ':';
}

bool v_ipv4(struct vctx *v)
{
    uint8_t o[4];
    bool lead0;
    if (v->end <= v->start) return false;
    const uint8_t *s = v->buf + v->start;
    size_t n = v->end - v->start;
#if defined(__SSE2__)
    /* every IPv4 candidate of a log comes here: without a branch per digit when 16 bytes can be
     * read */
    bool ok =
        v->hi - v->start >= 16 ? ipv4_parse16(s, n, o, &lead0) : ipv4_parse(s, n, o, false, &lead0);
#else
    bool ok = ipv4_parse(s, n, o, false, &lead0);
#endif
    if (!ok) return false;
    int b = v_at(v, v->start - 1), a = v_at(v, v->end);
    if (is_word(b) || (b == '.' && is_digit(v_at(v, v->start - 2)))) return false;
    if (is_word(a) || (a == '.' && is_digit(v_at(v, v->end + 1)))) return false;
    if (after_version_word(v) || after_ipv6_group(v)) return false;

    uint32_t x = (uint32_t)o[0] << 24 | (uint32_t)o[1] << 16 | (uint32_t)o[2] << 8 | o[3];
    if (x == 0 || x == 0xffffffffu) return false;
    if ((x >> 8) == 0xc00002u || (x >> 8) == 0xc63364u || (x >> 8) == 0xcb0071u)
        v->flags |= V_TEST; /* RFC 5737 */
    if (o[0] == 10 || o[0] == 127 || (o[0] == 172 && (o[1] & 0xf0) == 16) ||
        (o[0] == 192 && o[1] == 168) || (o[0] == 169 && o[1] == 254) ||
        (o[0] == 100 && (o[1] & 0xc0) == 64))
        v->conf -= 10; /* private, loopback, link-local, shared address space */
    if (o[0] == 255 && ((~x + 1) & ~x) == 0)
        v->conf -= 20; /* a netmask (255.255.255.0), not a host */

    /* without a leading zero the address is its own normal form (nearly always) */
    if (!lead0) return v_set_norm(v, (const char *)v->buf + v->start, v->end - v->start);
    char norm[16];
    size_t len = 0;
    for (int i = 0; i < 4; i++) {
        if (i) norm[len++] = '.';
        len += put_dec(norm + len, o[i]);
    }
    v_set_norm(v, norm, len);
    return true;
}

/* ==== IPv6 ============================================================================== */

/* RFC 4291 section 2.2 text forms 1-3; the whole of s[0..n) must parse. */
static bool parse_ipv6(const uint8_t *s, size_t n, uint16_t w[8])
{
    uint16_t g[8];
    size_t ng = 0, i = 0;
    int dc = -1; /* group index where '::' stands */
    if (n < 2) return false;
    if (s[0] == ':') {
        if (s[1] != ':') return false;
        dc = 0;
        i = 2;
    }
    while (i < n) {
        size_t st = i;
        bool dot = false;
        while (i < n && s[i] != ':') {
            if (s[i] == '.') dot = true;
            i++;
        }
        if (dot) { /* embedded IPv4: the last 32 bits */
            uint8_t o[4];
            if (i != n || ng > 6 || !ipv4_parse(s + st, i - st, o, true, NULL)) return false;
            g[ng++] = (uint16_t)(o[0] << 8 | o[1]);
            g[ng++] = (uint16_t)(o[2] << 8 | o[3]);
            break;
        }
        if (i - st < 1 || i - st > 4 || ng == 8) return false;
        unsigned val = 0;
        for (size_t k = st; k < i; k++) {
            int h = hex_val(s[k]);
            if (h < 0) return false;
            val = val << 4 | (unsigned)h;
        }
        g[ng++] = (uint16_t)val;
        if (i == n) break;
        i++; /* ':' */
        if (i < n && s[i] == ':') {
            if (dc >= 0) return false;
            dc = (int)ng;
            i++;
        } else if (i == n) {
            return false; /* trailing single ':' */
        }
    }
    if (dc < 0) {
        if (ng != 8) return false;
        memcpy(w, g, sizeof g);
        return true;
    }
    if (ng > 7) return false; /* '::' stands for at least one group */
    size_t zeros = 8 - ng;
    for (size_t k = 0, o = 0; k < 8; k++) {
        if (k >= (size_t)dc && k < (size_t)dc + zeros)
            w[k] = 0;
        else
            w[k] = g[o++];
    }
    return true;
}

/* RFC 5952 text: lower case, no leading zeros, longest run (>= 2) of zero groups as '::'.
 * At most 45 bytes ("ffff:…:255.255.255.255"), NUL-terminated: out holds 46. */
static size_t ipv6_canon(const uint16_t w[8], char out[46])
{
    int bs = -1, bl = 0;
    for (int i = 0; i < 8;) {
        if (w[i] != 0) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && w[j] == 0) j++;
        if (j - i > bl) bs = i, bl = j - i;
        i = j;
    }
    if (bl < 2) bs = -1;
    size_t n = 0;
    bool mapped = bs == 0 && bl == 5 && w[5] == 0xffff;
    for (int i = 0; i < 8; i++) {
        if (i == bs) {
            out[n++] = ':';
            out[n++] = ':';
            i += bl - 1;
            continue;
        }
        if (mapped && i == 6) {
            out[n++] = ':';
            for (int k = 0; k < 4; k++) {
                if (k) out[n++] = '.';
                unsigned b = k & 1 ? w[6 + k / 2] & 0xffu : (unsigned)w[6 + k / 2] >> 8;
                n += put_dec(out + n, b);
            }
            break;
        }
        if (i > 0 && i != bs + bl) out[n++] = ':';
        n += put_hex(out + n, w[i]);
    }
    out[n] = '\0';
    return n;
}

/* Are the bytes before start a word ending in letters (not a hex group)? */
static bool ipv6_left_ok(const struct vctx *v)
{
    int b = v_at(v, v->start - 1);
    if (is_word(b)) return false;
    if (b == '.' && is_digit(v_at(v, v->start - 2))) return false;
    if (b != ':') return true;
    /* "src:2001:db8::1" is fine, "1:2001:db8::1" and "::2001..." continue an address. */
    size_t j = v->start - 1, k = 0;
    while (k < 5 && is_hex(v_at(v, j - 1))) j--, k++;
    int c = v_at(v, j - 1);
    if (k == 0) return c != ':';
    return k > 4 || is_word(c);
}

bool v_ipv6(struct vctx *v)
{
    if (v->end <= v->start || v->end - v->start > 45) return false;
    const uint8_t *s = v->buf + v->start;
    size_t n = v->end - v->start;
    uint16_t w[8];

    /* "src:2001:db8::1" cut as "c:2001:db8::1": a hex-letter tail of a word is not a group. */
    int b = v_at(v, v->start - 1);
    if (is_word(b) && !is_hex(b)) {
        size_t k = 0;
        while (k < n && k < 5 && is_hex(s[k]) && !is_digit(s[k])) k++;
        if (k == 0 || k > 4 || k + 1 >= n || s[k] != ':' || s[k + 1] == ':') return false;
        v->start += k + 1;
        s += k + 1;
        n -= k + 1;
    }
    if (!parse_ipv6(s, n, w)) {
        /* A trailing ':' or '.' is punctuation, not part of the address. */
        if (n < 3 || (s[n - 1] != ':' && s[n - 1] != '.') || s[n - 2] == ':') return false;
        n--;
        if (!parse_ipv6(s, n, w)) return false;
        v->end--;
    }
    if (!ipv6_left_ok(v)) return false;
    int a = v_at(v, v->end);
    if (is_word(a) || (a == ':' && (is_hex(v_at(v, v->end + 1)) || v_at(v, v->end + 1) == ':')))
        return false;
    if (a == '.' && is_digit(v_at(v, v->end + 1))) return false;

    bool zero = true;
    for (int i = 0; i < 7; i++) zero = zero && w[i] == 0;
    if (zero && (w[7] == 0 || w[7] == 1)) return false; /* unspecified, loopback */
    /* "::fd", "::dead:beef": deprecated IPv4-compatible space written in hex is far more
     * often code ("std::fd") than an address; the dotted form stays accepted. */
    if (w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0 &&
        !memchr(v->buf + v->start, '.', v->end - v->start))
        return false;
    if ((w[0] == 0x2001 && w[1] == 0x0db8) || (w[0] & 0xfff0) == 0x3ff0)
        v->flags |= V_TEST; /* RFC 3849, RFC 9637 */
    if ((w[0] & 0xffc0) == 0xfe80 || (w[0] & 0xfe00) == 0xfc00) v->conf -= 10;

    char norm[48];
    size_t len = ipv6_canon(w, norm);
    v_set_norm(v, norm, len);
    return true;
}

/* ==== MAC (EUI-48) ====================================================================== */

bool v_mac(struct vctx *v)
{
    const uint8_t *s = v->buf + v->start;
    size_t n = v->end - v->start;
    uint8_t m[6];
    int sep;
    if (v->end <= v->start) return false;
    if (n == 17) {
        sep = s[2];
        if (sep != ':' && sep != '-') return false;
        for (size_t k = 0; k < 6; k++) {
            size_t i = k * 3;
            if (k < 5 && s[i + 2] != sep) return false;
            int h = hex_val(s[i]), l = hex_val(s[i + 1]);
            if (h < 0 || l < 0) return false;
            m[k] = (uint8_t)(h << 4 | l);
        }
    } else if (n == 14) {
        sep = '.';
        if (s[4] != '.' || s[9] != '.') return false;
        for (size_t k = 0, i = 0; k < 6; k++, i += 2) {
            if (i == 4 || i == 9) i++;
            int h = hex_val(s[i]), l = hex_val(s[i + 1]);
            if (h < 0 || l < 0) return false;
            m[k] = (uint8_t)(h << 4 | l);
        }
    } else {
        return false;
    }
    int b = v_at(v, v->start - 1), a = v_at(v, v->end);
    if (is_word(b) || is_word(a)) return false;
    if ((b == sep && is_hex(v_at(v, v->start - 2))) || (a == sep && is_hex(v_at(v, v->end + 1))))
        return false;

    bool all0 = true, all1 = true;
    for (int k = 0; k < 6; k++) all0 = all0 && m[k] == 0, all1 = all1 && m[k] == 0xff;
    if (all0 || all1) return false;
    if (m[0] == 0 && m[1] == 0 && m[2] == 0x5e && m[3] == 0 && m[4] == 0x53)
        v->flags |= V_TEST; /* RFC 7042 documentation block */

    char norm[17];
    for (int k = 0; k < 6; k++) {
        norm[3 * k] = "0123456789abcdef"[m[k] >> 4];
        norm[3 * k + 1] = "0123456789abcdef"[m[k] & 15];
        if (k < 5) norm[3 * k + 2] = ':';
    }
    v_set_norm(v, norm, 17);
    return true;
}

/* ==== e-mail ============================================================================ */

static bool match_at(const struct vctx *v, size_t at, const char *lit)
{
    size_t m = strlen(lit);
    if (at < v->lo || at > v->hi || v->hi - at < m) return false;
    return memcmp(v->buf + at, lit, m) == 0;
}

/* "://" earlier in the same whitespace-delimited token, before position j. */
static bool url_before(const struct vctx *v, size_t j)
{
    for (size_t k = 0; k < PII_MAX_LOOK && j >= v->lo + 3 + k; k++) {
        size_t p = j - k;
        int c = v_at(v, p - 1);
        if (c < 0 || c == ' ' || c == '\t' || c == '\n' || c == '\r') return false;
        if (c == '/' && match_at(v, p - 3, "://")) return true;
    }
    return false;
}

/* One past the run of letters, digits and '-' from q (stopping after 64 of them), buf readable
 * to hi: 16 bytes as one mask when they may be read (every '@' of a log walks the label after
 * it, "host-admin1", "999]": the byte loop's exit was a coin toss). */
static size_t label_end(const uint8_t *buf, size_t q, size_t hi)
{
    size_t p = q;
#if defined(__SSE2__)
    while (hi - p >= 16 && p - q <= 64) {
        __m128i v = _mm_loadu_si128((const __m128i *)(buf + p)), d, l;
        ascii_x16(v, &d, &l);
        __m128i w = _mm_or_si128(_mm_or_si128(d, l), _mm_cmpeq_epi8(v, _mm_set1_epi8('-')));
        unsigned k = (unsigned)__builtin_ctz(~(unsigned)_mm_movemask_epi8(w)); /* 0-16 */
        if (k < 16) return p + k;
        p += 16;
    }
#endif
    while (p < hi && p - q <= 64 && (is_alnum(buf[p]) || buf[p] == '-')) p++;
    return p;
}

/* The length of the e-mail marker ('@', "%40", "\u0040") ending at m, 0 when none does. */
static size_t marker_before(const struct vctx *v, size_t m)
{
    if (m >= v->lo + 1 && v->buf[m - 1] == '@') return 1;
    if (m >= v->lo + 3 && match_at(v, m - 3, "%40")) return 3;
    if (m >= v->lo + 6 && match_at(v, m - 6, "\\u0040")) return 6;
    return 0;
}

bool v_email(struct vctx *v)
{
    /* The built-in anchor ends at the marker itself (`@|%40|\u0040`): Hyperscan finds a bare
     * literal for half the cost of one followed by a class. An anchor one byte later, at the
     * domain's first character, is read as before. */
    size_t a = v->anchor, d = a, esc;
    if (a > v->hi) return false;
    if (!(esc = marker_before(v, a)) && a > v->lo) esc = marker_before(v, d = a - 1);
    if (!esc || d >= v->hi || !is_alnum(v->buf[d])) return false;
    size_t at = d - esc;

    /* Domain, walking forward, first: of the '@' in logs few are an address's ("user@host"
     * without a dot, "Worker@999]"), and the domain rejects them before the local part is
     * walked. */
    size_t p = d, dom_end = d, tld = d, labels = 0; /* d = at + esc */
    for (;;) {
        size_t q = p;
        p = label_end(v->buf, q, v->hi);
        if (p - q > 63) return false;
        if (p == q) break;
        if (v->buf[q] == '-' || v->buf[p - 1] == '-') return false;
        labels++;
        dom_end = p;
        tld = q;
        if (p + 1 < v->hi && v->buf[p] == '.' && is_alnum(v->buf[p + 1])) {
            p++;
            continue;
        }
        break;
    }
    if (labels < 2 || dom_end - d > 253) return false;
    int after = v_at(v, dom_end);
    if (after == '_' || after == '@') return false;
    bool test = v_reserved_host(v->buf + d, dom_end - d);
    if (!test) {
        if (!tld_known((const char *)v->buf + tld, dom_end - tld)) return false;
    }
    /* Local part, walking back from the '@'. */
    size_t j = at;
    while (at - j <= 64 && is_local(v_at(v, j - 1))) j--;
    if (at - j > 64) return false;
    int before = v_at(v, j - 1);
    if (before == '*') return false; /* a masked address: j***@example.com */
    if (esc == 3) {
        while (at - j >= 3 && v->buf[j] == '%' && is_hex(v->buf[j + 1]) && is_hex(v->buf[j + 2]))
            j += 3; /* %3Cjohn%40example.com: the encoded '<' is not part of it */
    } else if (esc == 6 && before == '\\' && at - j > 5 && v->buf[j] == 'u' &&
               is_hex(v->buf[j + 1]) && is_hex(v->buf[j + 2]) && is_hex(v->buf[j + 3]) &&
               is_hex(v->buf[j + 4])) {
        j += 5; /* \u003cjohn\u0040example.com */
    }
    if (j == at || v->buf[j] == '.' || v->buf[at - 1] == '.') return false;
    for (size_t k = j; k + 1 < at; k++) {
        if (v->buf[k] == '.' && v->buf[k + 1] == '.') return false;
    }
    if (v_at(v, j - 1) == ':' && url_before(v, j - 1)) return false; /* URL userinfo */
    if (j >= v->lo + 3 && match_at(v, j - 3, "://")) return false; /* sftp://user@host: a log-in */

    if (test) v->flags |= V_TEST;
    v->start = j;
    v->end = dom_end;

    char norm[256];
    size_t nl = at - j, nd = dom_end - d;
    if (nl + 1 + nd < sizeof norm) {
        for (size_t k = 0; k < nl; k++) norm[k] = (char)ascii_lower(v->buf[j + k]);
        norm[nl] = '@';
        for (size_t k = 0; k < nd; k++) norm[nl + 1 + k] = (char)ascii_lower(v->buf[d + k]);
        v_set_norm(v, norm, nl + 1 + nd);
    }
    return true;
}

/* ==== URL with user-specific query values =============================================== */

static const char *const click_keys[] = {
    "accesstoken", "account",  "accountid", "auth", "customerid", "dob",    "email",    "firstname",
    "id",          "lastname", "login",     "mail", "name",       "phone",  "session",  "sessionid",
    "sid",         "ssn",      "token",     "uid",  "user",       "userid", "username", "zip",
};

static bool click_key(const uint8_t *k, size_t n)
{
    char low[24];
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (k[i] == '_' || k[i] == '-') continue;
        if (m == sizeof low - 1) return false;
        low[m++] = (char)ascii_lower(k[i]);
    }
    low[m] = '\0';
    for (size_t i = 0; i < ARRAY_LEN(click_keys); i++) {
        if (strcmp(low, click_keys[i]) == 0) return true;
    }
    return false;
}

static bool url_stop(int c)
{
    return c < 0x21 || c == 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`';
}

size_t url_stop_at(const uint8_t *b, size_t from, size_t to)
{
    size_t i = from;
#if defined(__SSE2__)
    const __m128i sp = _mm_set1_epi8(0x20);
    for (; to - i >= 16; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(b + i));
        __m128i m = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(x, sp), x), /* <= 0x20 */
                                 _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f)));
        m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
                                         _mm_cmpeq_epi8(x, _mm_set1_epi8('\''))));
        m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('<')),
                                         _mm_cmpeq_epi8(x, _mm_set1_epi8('>'))));
        m = _mm_or_si128(m, _mm_cmpeq_epi8(x, _mm_set1_epi8('`')));
        unsigned k = (unsigned)_mm_movemask_epi8(m);
        if (k) return i + (size_t)__builtin_ctz(k);
    }
#endif
    for (; i < to; i++)
        if (url_stop(b[i])) return i;
    return to;
}

bool v_url_clickstream(struct vctx *v)
{
    size_t a = v->anchor;
    if (a < v->lo + 3 || a > v->hi || !match_at(v, a - 3, "://")) return false;
    size_t j = a - 3;
    while (a - 3 - j <= 16) {
        int c = v_at(v, j - 1);
        if (!is_alnum(c) && c != '+' && c != '.' && c != '-') break;
        j--;
    }
    size_t sl = a - 3 - j;
    if (!ascii_ieq(v->buf + j, sl, "http") && !ascii_ieq(v->buf + j, sl, "https")) return false;

    /* the token's end, at most PII_MAX_MATCH past its start: a line of "http://http://…" makes
     * every anchor walk that far, 16 bytes a step */
    size_t cap = j + PII_MAX_MATCH + 1 < v->hi ? j + PII_MAX_MATCH + 1 : v->hi;
    size_t p = url_stop_at(v->buf, a, cap);
    if (p == cap && v->hi > j + PII_MAX_MATCH) return false; /* longer than any finding */
    while (p > a && memchr(".,;:!)]", v->buf[p - 1], 7)) p--;

    /* Host: up to '/', '?' or '#', without userinfo and port. */
    size_t h = a, he = a;
    while (he < p && v->buf[he] != '/' && v->buf[he] != '?' && v->buf[he] != '#') he++;
    for (size_t k = a; k < he; k++) {
        if (v->buf[k] == '@') h = k + 1;
    }
    size_t hp = h;
    while (hp < he && v->buf[hp] != ':') hp++;
    if (hp == h) return false;

    size_t q = a;
    while (q < p && v->buf[q] != '?' && v->buf[q] != '#') q++;
    if (q >= p || v->buf[q] != '?') return false;
    bool found = false;
    for (size_t k = q + 1; k < p && v->buf[k] != '#' && !found;) {
        size_t ks = k;
        while (k < p && v->buf[k] != '&' && v->buf[k] != ';' && v->buf[k] != '#') k++;
        size_t eq = ks;
        while (eq < k && v->buf[eq] != '=') eq++;
        if (eq < k && eq + 1 < k && click_key(v->buf + ks, eq - ks)) found = true;
        if (k < p && v->buf[k] != '#') k++;
    }
    if (!found) return false;
    if (v_reserved_host(v->buf + h, hp - h)) v->flags |= V_TEST;
    v->start = j;
    v->end = p;
    v->norm_len = 0;
    return true;
}
