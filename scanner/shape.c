/* shape.c: the tokenizer: one pass that jumps from digit to digit (SIMD), cuts the text into
 * alphanumeric words and proposes shape candidates (cards, SSNs, phones, IPs, MACs, IBANs,
 * coordinates) for the validators. Knows nothing of checksums, context or output.
 *
 * Why not Hyperscan: shape-only patterns (digit runs with optional separators) fire millions
 * of callbacks per GB of digit-dense logs and pull a shared database to ~0.15 GB/s
 * (PERFORMANCE.md); visiting each digit-bearing word once and dispatching on its length and
 * neighbours costs a few ns per word.
 *
 * Every decision is local: a candidate depends only on bytes within SHAPE_MAX of it, and no
 * candidate is longer than SHAPE_MAX, so where a window starts cannot change any candidate
 * the scanner keeps (it keeps only candidates at least PII_MAX_LOOK > 2*SHAPE_MAX bytes into
 * a window). */
#include "pii_internal.h"

#include <stdlib.h>
#include <string.h>

#define SHAPE_MAX 64

enum { C_ALNUM = 1, C_DIGIT = 2, C_HEX = 4, C_UPPER = 8 };

static const uint8_t *cls_table(void)
{
    static const uint8_t t[256] = {
#define D  (C_ALNUM | C_DIGIT | C_HEX)
#define HU (C_ALNUM | C_HEX | C_UPPER)
#define HL (C_ALNUM | C_HEX)
#define U  (C_ALNUM | C_UPPER)
#define L  (C_ALNUM)
        ['0'] = D,  ['1'] = D,  ['2'] = D,  ['3'] = D,  ['4'] = D,  ['5'] = D,  ['6'] = D,
        ['7'] = D,  ['8'] = D,  ['9'] = D,  ['A'] = HU, ['B'] = HU, ['C'] = HU, ['D'] = HU,
        ['E'] = HU, ['F'] = HU, ['G'] = U,  ['H'] = U,  ['I'] = U,  ['J'] = U,  ['K'] = U,
        ['L'] = U,  ['M'] = U,  ['N'] = U,  ['O'] = U,  ['P'] = U,  ['Q'] = U,  ['R'] = U,
        ['S'] = U,  ['T'] = U,  ['U'] = U,  ['V'] = U,  ['W'] = U,  ['X'] = U,  ['Y'] = U,
        ['Z'] = U,  ['a'] = HL, ['b'] = HL, ['c'] = HL, ['d'] = HL, ['e'] = HL, ['f'] = HL,
        ['g'] = L,  ['h'] = L,  ['i'] = L,  ['j'] = L,  ['k'] = L,  ['l'] = L,  ['m'] = L,
        ['n'] = L,  ['o'] = L,  ['p'] = L,  ['q'] = L,  ['r'] = L,  ['s'] = L,  ['t'] = L,
        ['u'] = L,  ['v'] = L,  ['w'] = L,  ['x'] = L,  ['y'] = L,  ['z'] = L,
#undef D
#undef HU
#undef HL
#undef U
#undef L
    };
    return t;
}

static const char *const shape_names[SHAPE__COUNT] = {
    [SHAPE_NONE] = "",     [SHAPE_CARD] = "card", [SHAPE_SSN] = "ssn",   [SHAPE_PHONE] = "phone",
    [SHAPE_IPV4] = "ipv4", [SHAPE_IPV6] = "ipv6", [SHAPE_MAC] = "mac",   [SHAPE_IBAN] = "iban",
    [SHAPE_GEO] = "geo",   [SHAPE_CPF] = "cpf",   [SHAPE_CNPJ] = "cnpj", [SHAPE_VAT] = "vat",
};

int shape_by_name(const char *name)
{
    for (int s = 1; s < SHAPE__COUNT; s++)
        if (!strcmp(name, shape_names[s])) return s;
    return SHAPE_NONE;
}

const char *shape_name(int shape)
{
    return shape > 0 && shape < SHAPE__COUNT ? shape_names[shape] : "";
}

bool cand_push(struct cand_vec *cv, uint32_t det, size_t start, size_t end, size_t anchor)
{
    if (PII_UNLIKELY(cv->n == cv->cap)) {
        struct cand *nv = grow_array(cv->v, &cv->cap, cv->n + 1, sizeof *nv, 1024);
        if (!nv) return false;
        cv->v = nv;
    }
    cv->v[cv->n++] =
        (struct cand){.start = start, .end = end, .anchor = anchor, .det = det, .flags = 0};
    return true;
}

struct tok {
    const uint8_t *b;
    const uint8_t *cls;
    size_t len;
    const struct pii_engine *e;
    struct cand_vec *out;
    /* end of the last hex run examined, per separator (':', '-', '.'): each run is examined
     * once, and "56-00:1a:2b:3c:4d:5e" holds a '-' run and a ':' run */
    size_t run_end[3];
    size_t quad_end; /* end of the last dotted quad proposed: its inner words start nothing */
    bool oom;
};

static inline bool is_digit_at(const struct tok *t, size_t i)
{
    return i < t->len && (t->cls[t->b[i]] & C_DIGIT);
}

/* Length of the digit run starting at i (0 if none). Eight bytes a step, without a branch per
 * byte: the byte loop's exit was the tokenizer's most mispredicted branch. A byte y = b ^ '0'
 * is a digit when y <= 9: y + 0x76 sets bit 7 when y >= 10, y itself when y >= 0x80 (a carry
 * out of such a byte reaches only bytes after the first non-digit). */
static inline size_t digits_at(const struct tok *t, size_t i)
{
    size_t n = 0;
    while (i + n + 8 <= t->len) {
        uint64_t x;
        memcpy(&x, t->b + i + n, 8);
        uint64_t y = x ^ 0x3030303030303030ull;
        uint64_t non = ((y + 0x7676767676767676ull) | y) & 0x8080808080808080ull;
        if (non) return n + (size_t)__builtin_ctzll(non) / 8;
        n += 8;
    }
    while (i + n < t->len && (t->cls[t->b[i + n]] & C_DIGIT)) n++;
    return n;
}

static inline uint8_t at(const struct tok *t, size_t i)
{
    return i < t->len ? t->b[i] : 0;
}

static void emit(struct tok *t, int shape, size_t start, size_t end)
{
    const struct pii_engine *e = t->e;
    for (size_t k = 0; k < e->shape_n[shape]; k++)
        if (!cand_push(t->out, e->shape_det[shape][k], start, end, end)) t->oom = true;
}

static inline bool uses(const struct tok *t, int shape)
{
    return t->e->shape_mask & (1u << shape);
}

/* Digit groups joined by one separator from `seps`, starting with the group at [s, e0). Calls
 * emit for each prefix whose digit total lies in [lo, hi]. Returns nothing: candidates only. */
static void grouped_digits(struct tok *t, int shape, size_t span_start, size_t s, size_t e0,
                           const char *seps, size_t lo, size_t hi, size_t max_group)
{
    size_t total = e0 - s, pos = e0;
    uint8_t sep = at(t, pos);
    if (!sep || !strchr(seps, sep)) return;
    while (at(t, pos) == sep && is_digit_at(t, pos + 1)) {
        size_t g = digits_at(t, pos + 1);
        if (g > max_group) return;
        total += g;
        pos += 1 + g;
        if (total > hi || pos - span_start > SHAPE_MAX) return;
        if (total >= lo) emit(t, shape, span_start, pos);
    }
}

static void shape_card(struct tok *t, size_t ws, size_t we, size_t wl)
{
    if (wl >= 13 && wl <= 19) {
        emit(t, SHAPE_CARD, ws, we);
    } else if (wl == 4) {
        grouped_digits(t, SHAPE_CARD, ws, ws, we, " -", 13, 19, 6);
    } else if (wl == 2) {
        grouped_digits(t, SHAPE_CARD, ws, ws, we, " -", 15, 15, 6); /* IMEI AA-BBBBBB-CCCCCC-D */
    }
}

static void shape_ssn(struct tok *t, size_t ws, size_t we, size_t wl)
{
    if (wl == 9) {
        emit(t, SHAPE_SSN, ws, we);
        return;
    }
    uint8_t sep = at(t, we);
    if (wl == 3 && (sep == '-' || sep == ' ') && digits_at(t, we + 1) == 2 &&
        at(t, we + 3) == sep && digits_at(t, we + 4) == 4)
        emit(t, SHAPE_SSN, ws, we + 8);
}

/* 3-3-4 with one separator after a 3-digit group at [s, s+3); returns the end or 0. */
static size_t nanp_tail(const struct tok *t, size_t s, uint8_t sep)
{
    if (digits_at(t, s + 4) == 3 && at(t, s + 7) == sep && digits_at(t, s + 8) == 4) return s + 12;
    return 0;
}

static void shape_phone(struct tok *t, size_t ws, size_t we, size_t wl)
{
    uint8_t prv = ws ? t->b[ws - 1] : 0, nxt = at(t, we);
    if (prv == '+') {
        /* E.164: "+" then groups; every prefix of 8-15 digits is proposed, the validator
         * keeps the ones that fit the country's numbering plan, the scanner the longest. */
        if (wl > 15) return;
        if (wl >= 8) emit(t, SHAPE_PHONE, ws - 1, we);
        size_t total = wl, pos = we;
        while (pos < t->len && total < 15) {
            uint8_t s = t->b[pos];
            size_t g;
            if ((s == ' ' || s == '-' || s == '.') && is_digit_at(t, pos + 1)) {
                g = digits_at(t, pos + 1);
                pos += 1 + g;
            } else if (s == ' ' && at(t, pos + 1) == '(' && digits_at(t, pos + 2) == 3 &&
                       at(t, pos + 5) == ')') {
                g = 3;
                pos += 6;
            } else {
                break;
            }
            total += g;
            if (total > 15 || pos - ws > SHAPE_MAX) break;
            if (total >= 8) emit(t, SHAPE_PHONE, ws - 1, pos);
        }
        return;
    }
    if (wl == 10 || (wl == 11 && t->b[ws] == '1')) {
        /* bare: only NANP (the validator's rule, which rejects the rest) */
        if (nanp_plan_ok((const char *)t->b + we - 10)) emit(t, SHAPE_PHONE, ws, we);
        return;
    }
    if (wl == 3 && prv == '(' && nxt == ')') {
        size_t pos = we + 1;
        if (at(t, pos) == ' ') pos++;
        uint8_t sep = at(t, pos + 3);
        if (digits_at(t, pos) == 3 && (sep == '-' || sep == ' ' || sep == '.') &&
            digits_at(t, pos + 4) == 4)
            emit(t, SHAPE_PHONE, ws - 1, pos + 8);
        return;
    }
    if ((nxt == '-' || nxt == '.' || nxt == ' ')) {
        if (wl == 3) {
            size_t end = nanp_tail(t, ws, nxt);
            if (end) emit(t, SHAPE_PHONE, ws, end);
        } else if (wl == 1 && t->b[ws] == '1' && digits_at(t, we + 1) == 3) {
            size_t end = nanp_tail(t, we + 1, nxt);
            if (end) emit(t, SHAPE_PHONE, ws, end);
        }
    }
}

static void shape_ipv4(struct tok *t, size_t ws, size_t we, size_t wl)
{
    if (wl > 3 || at(t, we) != '.') return;
    if (ws >= 2 && t->b[ws - 1] == '.' && (t->cls[t->b[ws - 2]] & C_DIGIT)) return; /* OID */
    size_t pos = we;
    for (int g = 0; g < 3; g++) {
        if (at(t, pos) != '.') return;
        size_t n = digits_at(t, pos + 1);
        if (n < 1 || n > 3) return;
        pos += 1 + n;
    }
    if (at(t, pos) == '.' && is_digit_at(t, pos + 1)) return; /* a longer dotted run */
    emit(t, SHAPE_IPV4, ws, pos);
    t->quad_end = pos;
}

/* [-]d{1,3}.d{2,12} starting at the digits [ws, we); returns its end or 0. */
static size_t decimal_end(const struct tok *t, size_t ws, size_t we)
{
    if (we - ws > 3 || at(t, we) != '.') return 0;
    size_t f = digits_at(t, we + 1);
    if (f < 2 || f > 12) return 0;
    return we + 1 + f;
}

static void shape_geo(struct tok *t, size_t ws, size_t we)
{
    size_t e1 = decimal_end(t, ws, we);
    if (!e1) return;
    size_t start = (ws && t->b[ws - 1] == '-') ? ws - 1 : ws;
    size_t pos = e1;
    while (at(t, pos) == ' ' && pos - e1 < 2) pos++;
    if (at(t, pos) != ',') return;
    pos++;
    while (at(t, pos) == ' ' && pos - e1 < 5) pos++;
    if (at(t, pos) == '-') pos++;
    size_t d = digits_at(t, pos);
    if (!d) return;
    size_t e2 = decimal_end(t, pos, pos + d);
    if (!e2) return;
    emit(t, SHAPE_GEO, start, e2);
}

/* Visited at a fraction's digits [ws, ...) after '.': the latitude starts at the integer
 * part before the dot, a word of 1-3 digits that is not an identifier's tail. */
static void geo_fraction(struct tok *t, size_t ws)
{
    const uint8_t *b = t->b, *c = t->cls;
    size_t ie = ws - 1, is = ie; /* b[ie] == '.' */
    while (is > 0 && ie - is < 4 && (c[b[is - 1]] & C_DIGIT)) is--;
    if (is == ie || ie - is > 3 || is < t->quad_end) return;
    uint8_t p = is ? b[is - 1] : 0;
    if (is && ((c[p] & C_ALNUM) || p == '_')) return;
    if (p == '-' && is >= 2 && ((c[b[is - 2]] & C_ALNUM) || b[is - 2] == '_')) return;
    shape_geo(t, is, ie);
}

static void shape_iban(struct tok *t, size_t ws, size_t we, size_t wl)
{
    const uint8_t *b = t->b, *c = t->cls;
    if (wl < 4 || !(c[b[ws]] & C_UPPER) || !(c[b[ws + 1]] & C_UPPER) || !(c[b[ws + 2]] & C_DIGIT) ||
        !(c[b[ws + 3]] & C_DIGIT))
        return;
    for (size_t i = ws + 4; i < we; i++)
        if (!(c[b[i]] & (C_UPPER | C_DIGIT))) return;
    if (wl >= 15 && wl <= 34) {
        emit(t, SHAPE_IBAN, ws, we);
        return;
    }
    if (wl != 4 || at(t, we) != ' ') return;
    size_t total = 4, pos = we;
    while (at(t, pos) == ' ' && total < 34) {
        size_t g = 0;
        while (g < 5 && pos + 1 + g < t->len && (c[b[pos + 1 + g]] & (C_UPPER | C_DIGIT))) g++;
        if (g == 0 || g > 4 || (pos + 1 + g < t->len && (c[b[pos + 1 + g]] & C_ALNUM))) break;
        total += g;
        pos += 1 + g;
        if (g < 4) break;
    }
    if (total >= 15 && total <= 34) emit(t, SHAPE_IBAN, ws, pos);
}

/* A VAT number's country code (two capitals at a word start), proposed as [ws, ws + 2) for the
 * validator to read on: a word of 7+ alphanumerics with a digit at its 3rd, 4th or 5th byte
 * ("DE136695976", "ATU12345678", "FRXX999999999", "GBGD001"), or a code of two capitals then ' ',
 * '-' or
 * '.' and a digit or a capital and a digit ("DE 136 695 976", "AT U12345678"), or of three
 * capitals then one of those and a digit ("CHE-123.456.789"). The same rule as the trigger's
 * (trigger, trigger8): a word is proposed whatever else made the tokenizer visit it. */
static void shape_vat(struct tok *t, size_t ws, size_t we, size_t wl)
{
    const uint8_t *c = t->cls;
    if (wl < 2 || !(c[at(t, ws)] & C_UPPER) || !(c[at(t, ws + 1)] & C_UPPER)) return;
    bool ok;
    if (wl >= 7) {
        ok = (c[at(t, ws + 2)] | c[at(t, ws + 3)] | c[at(t, ws + 4)]) & C_DIGIT;
    } else {
        uint8_t s = at(t, we);
        bool sep = s == ' ' || s == '-' || s == '.';
        bool d1 = c[at(t, we + 1)] & C_DIGIT;
        ok = sep &&
             ((wl == 2 && (d1 || ((c[at(t, we + 1)] & C_UPPER) && (c[at(t, we + 2)] & C_DIGIT)))) ||
              (wl == 3 && (c[at(t, ws + 2)] & C_UPPER) && d1));
    }
    if (ok) emit(t, SHAPE_VAT, ws, ws + 2);
}

/* Hex runs joined by ':' (IPv6, MAC), '-' (MAC) or '.' (Cisco MAC). */
/* Whether the bytes at i follow `layout`: 'd' a digit, 'x' a digit or an upper-case letter,
 * anything else itself. */
static bool layout_at(const struct tok *t, size_t i, const char *layout)
{
    for (; *layout; layout++, i++) {
        uint8_t b = at(t, i), k = t->cls[b];
        if (*layout == 'd'   ? !(k & C_DIGIT)
            : *layout == 'x' ? !(k & (C_DIGIT | C_UPPER))
                             : b != (uint8_t)*layout)
            return false;
    }
    return true;
}

/* "ddd.ddd.ddd-dd" from its first group; the validator checks the edges. */
static void shape_cpf(struct tok *t, size_t ws)
{
    /* the separators first: every IPv4 address with a 3-digit first group comes here */
    if (at(t, ws + 11) == '-' && at(t, ws + 7) == '.' && layout_at(t, ws, "ddd.ddd.ddd-dd"))
        emit(t, SHAPE_CPF, ws, ws + 14);
}

/* "xx.xxx.xxx/xxxx-dd" from its check digits (the only part that must be digits). */
static void shape_cnpj(struct tok *t, size_t ws)
{
    if (ws >= 16 && layout_at(t, ws - 16, "xx.xxx.xxx/xxxx-dd"))
        emit(t, SHAPE_CNPJ, ws - 16, ws + 2);
}

static void hexrun_sep(struct tok *t, size_t ws, size_t we, uint8_t sep)
{
    const uint8_t *b = t->b, *c = t->cls;
    size_t rs = ws;
    while (rs > 0 && ws - rs < 48 && ((c[b[rs - 1]] & C_HEX) || b[rs - 1] == sep)) rs--;
    size_t *run_end = &t->run_end[sep == ':' ? 0 : sep == '-' ? 1 : 2];
    if (rs < *run_end) return; /* examined with an earlier word of the same run */
    size_t re = we;
    while (re < t->len && re - rs < 48 && ((c[b[re]] & C_HEX) || b[re] == sep)) re++;
    *run_end = re;
    if (rs && (c[b[rs - 1]] & C_ALNUM)) return;
    if (re < t->len && (c[b[re]] & C_ALNUM)) return;

    size_t n = re - rs;
    if (uses(t, SHAPE_MAC)) {
        bool mac = false;
        if ((sep == ':' || sep == '-') && n == 17) {
            mac = true;
            for (size_t i = 0; i < 17 && mac; i++)
                mac = (i % 3 == 2) ? b[rs + i] == sep : (c[b[rs + i]] & C_HEX) != 0;
        } else if (sep == '.' && n == 14) {
            mac = true;
            for (size_t i = 0; i < 14 && mac; i++)
                mac = (i % 5 == 4) ? b[rs + i] == '.' : (c[b[rs + i]] & C_HEX) != 0;
        }
        if (mac) {
            emit(t, SHAPE_MAC, rs, re);
            return;
        }
    }
    if (sep != ':' || !uses(t, SHAPE_IPV6)) return;
    size_t colons = 0;
    bool dbl = false;
    for (size_t i = rs; i < re; i++)
        if (b[i] == ':') {
            colons++;
            if (i + 1 < re && b[i + 1] == ':') dbl = true;
        }
    /* an embedded dotted quad: "::ffff:192.0.2.1" */
    size_t end = re;
    if (at(t, re) == '.' && (c[b[re - 1]] & C_DIGIT)) {
        size_t q = re;
        while (q > rs && (c[b[q - 1]] & C_DIGIT)) q--;
        size_t pos = re;
        int groups = 0;
        while (groups < 3 && at(t, pos) == '.' && is_digit_at(t, pos + 1)) {
            pos += 1 + digits_at(t, pos + 1);
            groups++;
        }
        if (groups == 3 && re - q <= 3) end = pos;
    }
    if (end - rs > SHAPE_MAX) return;
    if (dbl || colons == 7 || (colons == 6 && end != re)) emit(t, SHAPE_IPV6, rs, end);
}

/* A hex word next to ':', '-' or '.': the run of each separator it touches is examined on its
 * own ("…467:0011.43e3.bac3" holds a ':' run and a Cisco MAC), so which word of a run the
 * triggers happen to visit first cannot change what is found. */
static void shape_hexrun(struct tok *t, size_t ws, size_t we, size_t wl)
{
    uint8_t prv = ws ? t->b[ws - 1] : 0, nxt = at(t, we);
    if (nxt == ':' || prv == ':') hexrun_sep(t, ws, we, ':');
    if (wl == 2 && (nxt == '-' || prv == '-')) hexrun_sep(t, ws, we, '-');
    if (wl == 4 && (nxt == '.' || prv == '.')) hexrun_sep(t, ws, we, '.');
}

/* Class bitmasks of one 64-byte block: bit i describes byte i. */
struct masks {
    uint64_t alnum, digit, hex, upper, colon, dash, dot, sep, open, space, comma, under, slash;
    uint64_t low; /* '0' or '1' */
};

#if PII_X86
static inline uint64_t in_range(__m128i v, char lo, char n)
{
    __m128i t = _mm_sub_epi8(v, _mm_set1_epi8(lo));
    return (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(n)), t));
}

static inline uint64_t eq(__m128i v, char c)
{
    return (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
}

/* SSE2: the x86-64 baseline, four 16-byte steps. */
static inline void masks_sse2(const uint8_t *p, struct masks *m)
{
    uint64_t d = 0, l = 0, h = 0, u = 0, co = 0, da = 0, dt = 0, sp = 0, op = 0, cm = 0, us = 0,
             sl = 0, lo = 0;
    const __m128i x20 = _mm_set1_epi8(0x20);
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        __m128i f = _mm_or_si128(v, x20);
        int sh = 16 * k;
        d |= in_range(v, '0', 9) << sh;
        lo |= in_range(v, '0', 1) << sh;
        l |= in_range(f, 'a', 25) << sh;
        h |= in_range(f, 'a', 5) << sh;
        u |= in_range(v, 'A', 25) << sh;
        co |= eq(v, ':') << sh;
        da |= eq(v, '-') << sh;
        dt |= eq(v, '.') << sh;
        sp |= eq(v, ' ') << sh;
        op |= (eq(v, '+') | eq(v, '(')) << sh;
        cm |= eq(v, ',') << sh;
        us |= eq(v, '_') << sh;
        sl |= eq(v, '/') << sh;
    }
    *m = (struct masks){d | l, d, d | h, u, co, da, dt, dt | da | sp, op, sp, cm, us, sl, lo};
}

__attribute__((target("avx2"))) static inline uint64_t in_range32(__m256i v, char lo, char n)
{
    __m256i t = _mm256_sub_epi8(v, _mm256_set1_epi8(lo));
    return (uint32_t)_mm256_movemask_epi8(
        _mm256_cmpeq_epi8(_mm256_min_epu8(t, _mm256_set1_epi8(n)), t));
}

__attribute__((target("avx2"))) static inline uint64_t eq32(__m256i v, char c)
{
    return (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(c)));
}

/* AVX2: two 32-byte steps. */
__attribute__((target("avx2"))) static inline void masks_avx2(const uint8_t *p, struct masks *m)
{
    uint64_t d = 0, l = 0, h = 0, u = 0, co = 0, da = 0, dt = 0, sp = 0, op = 0, cm = 0, us = 0,
             sl = 0, lo = 0;
    const __m256i x20 = _mm256_set1_epi8(0x20);
    for (int k = 0; k < 2; k++) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(p + 32 * k));
        __m256i f = _mm256_or_si256(v, x20);
        int sh = 32 * k;
        d |= in_range32(v, '0', 9) << sh;
        lo |= in_range32(v, '0', 1) << sh;
        l |= in_range32(f, 'a', 25) << sh;
        h |= in_range32(f, 'a', 5) << sh;
        u |= in_range32(v, 'A', 25) << sh;
        co |= eq32(v, ':') << sh;
        da |= eq32(v, '-') << sh;
        dt |= eq32(v, '.') << sh;
        sp |= eq32(v, ' ') << sh;
        op |= (eq32(v, '+') | eq32(v, '(')) << sh;
        cm |= eq32(v, ',') << sh;
        us |= eq32(v, '_') << sh;
        sl |= eq32(v, '/') << sh;
    }
    *m = (struct masks){d | l, d, d | h, u, co, da, dt, dt | da | sp, op, sp, cm, us, sl, lo};
}

/* AVX-512BW: one 64-byte step; compares write the bitmasks directly. */
__attribute__((target("avx512bw"))) static inline void masks_avx512(const uint8_t *p,
                                                                    struct masks *m)
{
    __m512i v = _mm512_loadu_si512((const void *)p);
    __m512i f = _mm512_or_si512(v, _mm512_set1_epi8(0x20));
    uint64_t d =
        _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('0')), _mm512_set1_epi8(10));
    uint64_t l =
        _mm512_cmplt_epu8_mask(_mm512_sub_epi8(f, _mm512_set1_epi8('a')), _mm512_set1_epi8(26));
    uint64_t h =
        _mm512_cmplt_epu8_mask(_mm512_sub_epi8(f, _mm512_set1_epi8('a')), _mm512_set1_epi8(6));
    uint64_t u =
        _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('A')), _mm512_set1_epi8(26));
    uint64_t co = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(':'));
    uint64_t da = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('-'));
    uint64_t dt = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('.'));
    uint64_t sp = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(' '));
    uint64_t op = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('+')) |
                  _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('('));
    uint64_t cm = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(','));
    uint64_t us = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('_'));
    uint64_t sl = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('/'));
    uint64_t lo =
        _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('0')), _mm512_set1_epi8(2));
    *m = (struct masks){d | l, d, d | h, u, co, da, dt, dt | da | sp, op, sp, cm, us, sl, lo};
}
#endif

/* Portable: one byte at a time (and the reference the SIMD versions are tested against). */
static inline void masks_scalar(const uint8_t *p, struct masks *m)
{
    const uint8_t *cls = cls_table();
    struct masks r = {0};
    for (int i = 0; i < 64; i++) {
        uint8_t c = cls[p[i]], b = p[i];
        uint64_t bit = 1ull << i;
        if (c & C_ALNUM) r.alnum |= bit;
        if (c & C_DIGIT) r.digit |= bit;
        if (c & C_HEX) r.hex |= bit;
        if (c & C_UPPER) r.upper |= bit;
        if (b == ':') r.colon |= bit;
        if (b == '-') r.dash |= bit;
        if (b == '.') r.dot |= bit;
        if (b == '.' || b == '-' || b == ' ') r.sep |= bit;
        if (b == '+' || b == '(') r.open |= bit;
        if (b == ' ') r.space |= bit;
        if (b == ',') r.comma |= bit;
        if (b == '_') r.under |= bit;
        if (b == '/') r.slash |= bit;
        if (b == '0' || b == '1') r.low |= bit;
    }
    *m = r;
}

typedef void (*masks_fn)(const uint8_t *p, struct masks *m);

/* Masks of the 64 bytes at pos (which may lie partly before 0 or after len: NUL there). */
static inline __attribute__((always_inline)) void
masks_at(const uint8_t *buf, size_t len, int64_t pos, masks_fn fn, struct masks *m)
{
    if (pos >= 0 && (uint64_t)pos + 64 <= len) {
        fn(buf + pos, m);
        return;
    }
    uint8_t pad[64] = {0};
    for (int i = 0; i < 64; i++) {
        int64_t q = pos + i;
        if (q >= 0 && (uint64_t)q < len) pad[i] = buf[q];
    }
    fn(pad, m);
}

/* Bit i of the result is bit i+s of the 128-bit value next:cur (1 <= s <= 63). */
static inline uint64_t ahead(uint64_t cur, uint64_t next, unsigned s)
{
    return (cur >> s) | (next << (64 - s));
}

/* Bit i of the result is bit i-s of the 128-bit value cur:prev (1 <= s <= 63). */
static inline uint64_t behind(uint64_t cur, uint64_t prev, unsigned s)
{
    return (cur << s) | (prev >> (64 - s));
}

/* Bytes before a digit word that give it more to do than a dotted quad's first group: a
 * fraction ('.'), an E.164 or "(" phone, an identifier's tail or a hex run ('-', ':'), '_'. */
static const uint8_t dotted_other[256] = {
    ['.'] = 1, ['+'] = 1, ['('] = 1, ['-'] = 1, [':'] = 1, ['_'] = 1};

/* What may follow a digit word for it to start a multi-group shape: a separator and a digit. */
static const uint8_t joins[256] = {['.'] = 1, ['-'] = 1, [' '] = 1};

/* One digit-bearing word [ws, we). `hexrich`: its block has enough ':' or '-' for a MAC or an
 * IPv6 address (a timestamp's two colons are not). */
static inline void dispatch(struct tok *t, size_t ws, size_t we, unsigned all, const bool *use,
                            bool hexrich)
{
    const uint8_t *buf = t->b, *c = t->cls;
    size_t wl = we - ws;
    uint8_t prv = ws ? buf[ws - 1] : 0, nxt = we < t->len ? buf[we] : 0;
    /* The commonest visit in logs, an IPv4 address's first group: 1-3 digits, '.', a digit.
     * Only a dotted quad, a dotted NANP phone or a CPF can start there (after none of the
     * bytes in dotted_other, which start more); the general path below would call the card
     * and SSN shapes for nothing and mispredict on each of their length tests. */
    if ((all & C_DIGIT) && nxt == '.' && wl <= 3 && ws >= t->quad_end && !dotted_other[prv] &&
        we + 1 < t->len && (c[buf[we + 1]] & C_DIGIT)) {
        if (wl == 3 && use[SHAPE_CPF]) shape_cpf(t, ws);
        if (use[SHAPE_PHONE]) shape_phone(t, ws, we, wl);
        if (use[SHAPE_IPV4]) shape_ipv4(t, ws, we, wl);
        return;
    }
    if ((all & C_DIGIT) && prv == '.' && use[SHAPE_GEO]) geo_fraction(t, ws);
    if ((all & C_DIGIT) && wl == 3 && nxt == '.' && use[SHAPE_CPF]) shape_cpf(t, ws);
    if ((all & C_DIGIT) && wl == 2 && prv == '-' && use[SHAPE_CNPJ]) shape_cnpj(t, ws);
    if ((all & C_DIGIT) && ws >= t->quad_end) {
        /* One branch decides for most words: long enough to be a shape alone, or joined to
         * a further digit group, or after '+' / '('. */
        bool joined = joins[nxt] && we + 1 < t->len && (c[buf[we + 1]] & C_DIGIT);
        if ((wl >= 9 || joined || prv == '+' || prv == '(') && prv != '_' && nxt != '_') {
            /* "blk_-5014786445735476734", "id-123456789": an identifier's numeric tail */
            bool tail = prv == '-' && ws >= 2 && ((c[buf[ws - 2]] & C_ALNUM) || buf[ws - 2] == '_');
            if (!tail) {
                if (wl >= 9) {
                    if (use[SHAPE_CARD]) shape_card(t, ws, we, wl);
                    if (use[SHAPE_SSN] && wl == 9) emit(t, SHAPE_SSN, ws, we);
                    /* bare CPF / CNPJ: the validator wants their label or field */
                    if (use[SHAPE_CPF] && wl == 11) emit(t, SHAPE_CPF, ws, we);
                    if (use[SHAPE_CNPJ] && wl == 14) emit(t, SHAPE_CNPJ, ws, we);
                    if (use[SHAPE_PHONE] && wl <= 15) shape_phone(t, ws, we, wl);
                } else {
                    if (use[SHAPE_CARD] && (wl == 4 || wl == 2)) shape_card(t, ws, we, wl);
                    if (use[SHAPE_SSN] && wl == 3) shape_ssn(t, ws, we, wl);
                    if (use[SHAPE_PHONE]) shape_phone(t, ws, we, wl);
                    if (nxt == '.' && wl <= 3 && use[SHAPE_IPV4]) shape_ipv4(t, ws, we, wl);
                }
            }
        }
    } else if (!(all & C_DIGIT) && use[SHAPE_IBAN] && wl >= 4) {
        shape_iban(t, ws, we, wl);
    }
    if (!(all & C_DIGIT) && use[SHAPE_VAT]) shape_vat(t, ws, we, wl);
    if ((all & C_HEX) && wl <= 4 && (use[SHAPE_IPV6] || use[SHAPE_MAC])) {
        bool colon = nxt == ':' || prv == ':', dash = nxt == '-' || prv == '-';
        bool dot = wl == 4 && (nxt == '.' || prv == '.');
        if (((colon || dash) && hexrich) || dot) shape_hexrun(t, ws, we, wl);
    }
}

/* Class bits shared by every byte of [ws, we) (C_ALNUM always). */
static unsigned word_class(const struct tok *t, size_t ws, size_t we)
{
    unsigned all = C_ALNUM | C_DIGIT | C_HEX | C_UPPER;
    for (size_t i = ws; i < we; i++) all &= t->cls[t->b[i]];
    return all;
}

/* What the tokenizer knows of a block of 64 bytes when it visits its words. */
struct blk {
    uint64_t alnum, digit, hex, upper; /* this block's masks */
    uint64_t alnum_prev, alnum_next;   /* the neighbours' alnum masks */
};

/* Visits the words of the block at b0 holding a trigger bit of I. Returns 1 to go on, 0 when
 * the words reach `to` (done), -1 when out of memory. */
static inline __attribute__((always_inline)) int visit(struct tok *t, size_t b0, uint64_t I,
                                                       const struct blk *k, bool rich, size_t to,
                                                       const bool *use, size_t *resume)
{
    const uint8_t *buf = t->b, *c = t->cls;
    size_t len = t->len;
    if (*resume > b0) {
        if (*resume - b0 >= 64) return 1;
        I &= ~0ull << (*resume - b0);
    }
    if (!I) return 1;
    uint64_t A = k->alnum;
    uint64_t S = A & ~behind(A, k->alnum_prev, 1);
    uint64_t E = A & ~ahead(A, k->alnum_next, 1);
    while (I) {
        unsigned d = (unsigned)__builtin_ctzll(I);
        uint64_t below = d == 63 ? ~0ull : (2ull << d) - 1;
        uint64_t sb = S & below, eb = E & ~((1ull << d) - 1);
        size_t ws, we;
        if (sb) {
            ws = b0 + 63 - (size_t)__builtin_clzll(sb);
        } else { /* the word began in an earlier block */
            ws = b0;
            while (ws > 0 && (c[buf[ws - 1]] & C_ALNUM)) ws--;
        }
        if (ws >= to) return 0;
        unsigned all;
        if (eb) {
            we = b0 + (size_t)__builtin_ctzll(eb) + 1;
            if (sb) {
                size_t k0 = ws - b0, k1 = we - b0;
                uint64_t w = (k1 == 64 ? ~0ull : (1ull << k1) - 1) & (~0ull << k0);
                all = C_ALNUM | ((w & ~k->digit) ? 0 : C_DIGIT) | ((w & ~k->hex) ? 0 : C_HEX) |
                      ((w & ~k->upper) ? 0 : C_UPPER);
            } else {
                all = word_class(t, ws, we);
            }
        } else { /* the word runs into the next block */
            we = b0 + 64;
            while (we < len && (c[buf[we]] & C_ALNUM)) we++;
            all = word_class(t, ws, we);
        }
        dispatch(t, ws, we, all, use, rich);
        if (t->oom) return -1;
        size_t skip = we > t->quad_end ? we : t->quad_end;
        if (skip >= b0 + 64) {
            *resume = skip;
            return 1;
        }
        I &= ~0ull << (skip - b0);
    }
    return 1;
}

/* Which shapes a scan looks for, and the groups of trigger rules they need. */
struct uses {
    bool use[SHAPE__COUNT];
    bool digits9, joined, hexes;
};

static void uses_init(const struct tok *t, struct uses *u)
{
    for (int k = 0; k < SHAPE__COUNT; k++) u->use[k] = uses(t, k);
    u->digits9 = u->use[SHAPE_CARD] || u->use[SHAPE_SSN] || u->use[SHAPE_PHONE];
    u->joined = u->digits9 || u->use[SHAPE_IPV4] || u->use[SHAPE_GEO];
    u->hexes = u->use[SHAPE_IPV6] || u->use[SHAPE_MAC];
}

/* The trigger bits of one block (m) given its neighbours (mp, mn): see scan_core. The AVX-512
 * VBMI2 build computes the same bits for eight blocks at once (scan_avx512vbmi2). */
static inline __attribute__((always_inline)) uint64_t
trigger(const struct uses *u, const struct masks *mp, const struct masks *m, const struct masks *mn,
        unsigned *frac_carry, bool *rich)
{
    uint64_t D = m->digit, A = m->alnum;
    uint64_t I = 0;
    *rich = false;
    if (u->joined) {
        /* Digit groups that can start a shape, by exact length k (run ends at i, is k long)
         * and the length of the group after one separator: dotted 1-3 (IPv4, geo, phone
         * dots), 4 then 4 or 6 (cards), 3 then 2 or 3 (SSN, NANP), 1 then 3 ("1-800"). */
        uint64_t Dn = mn->digit, Dp = mp->digit;
        uint64_t b1 = behind(D, Dp, 1), b2 = behind(D, Dp, 2), b3 = behind(D, Dp, 3),
                 b4 = behind(D, Dp, 4);
        uint64_t end = D & ~ahead(D, Dn, 1);
        uint64_t e1 = end & ~b1, e3 = end & b1 & b2 & ~b3, e4 = end & b1 & b2 & b3 & ~b4;
        uint64_t e123 = end & ~(b1 & b2 & b3);
        uint64_t a2 = ahead(D, Dn, 2), a3 = ahead(D, Dn, 3), a4 = ahead(D, Dn, 4),
                 a5 = ahead(D, Dn, 5), a6 = ahead(D, Dn, 6), a7 = ahead(D, Dn, 7),
                 a8 = ahead(D, Dn, 8);
        uint64_t n2 = a2 & a3 & ~a4, n3 = a2 & a3 & a4 & ~a5, n4 = a2 & a3 & a4 & a5 & ~a6,
                 n6 = a2 & a3 & a4 & a5 & a6 & a7 & ~a8;
        uint64_t dot1 = ahead(m->dot, mn->dot, 1),
                 sd1 = ahead(m->sep & ~m->dot, mn->sep & ~mn->dot, 1);
        /* dotted chains d{1,3}.d{1,3}.d (IPv4, dotted phones), not every decimal: a time's
         * "47.978" or a version's "2.0" start nothing */
        uint64_t d3 = ahead(m->dot, mn->dot, 3), d4 = ahead(m->dot, mn->dot, 4),
                 d5 = ahead(m->dot, mn->dot, 5);
        /* A group that dispatch() would pass over: an identifier's numeric tail ("host-10-2",
         * "R02-M1-15.42") or after '_', for a group of k digits ending at the bit. Not for a
         * CPF's 3-digit or a CNPJ's 2-digit group, which have branches of their own. */
        uint64_t U = m->under, Up = mp->under, AU = A | U, AUp = mp->alnum | Up;
        uint64_t dead1 = (behind(m->dash, mp->dash, 1) & behind(AU, AUp, 2)) | behind(U, Up, 1),
                 dead3 = (behind(m->dash, mp->dash, 3) & behind(AU, AUp, 4)) | behind(U, Up, 3),
                 dead4 = (behind(m->dash, mp->dash, 4) & behind(AU, AUp, 5)) | behind(U, Up, 4);
        uint64_t dead2 = u->use[SHAPE_CNPJ] ? 0
                                            : (behind(m->dash, mp->dash, 2) & behind(AU, AUp, 3)) |
                                                  behind(U, Up, 2);
        uint64_t e2 = end & b1 & ~b2;
        uint64_t dead123 = (e1 & dead1) | (e2 & dead2) | (u->use[SHAPE_CPF] ? 0 : e3 & dead3);
        I |= e123 & ~dead123 & dot1 & a2 & ((d3 & a4) | (a3 & d4 & a5) | (a3 & a4 & d5 & a6));
        I |= sd1 & ((e4 & ~dead4 & (n4 | n6)) | (e3 & ~dead3 & (n2 | n3)) | (e1 & ~dead1 & n3));
        I |= sd1 & end & b1 & ~b2 & n6; /* 2 then 6: an IMEI's AA-BBBBBB-CCCCCC-D */
        if (u->digits9) {
            /* the first digit of a word of 9+ digits, unless it is an identifier's numeric
             * tail ("blk_-5014786445735476734", "id_123456789"): dead1 at the word's start */
            uint64_t r9 = D & ahead(D, Dn, 1) & a2 & a3 & a4 & a5 & a6 & a7 & a8;
            /* Lengths no shape takes (9 SSN, 10 or 11 phone, 11 CPF, 13-19 card, 14 CNPJ):
             * ten digits from a 0 or 1 (epoch seconds: a bare NANP number starts with 2-9),
             * twelve digits. After '+' the phone rule below fires for E.164. */
            uint64_t a9 = ahead(D, Dn, 9), a10 = ahead(D, Dn, 10);
            uint64_t ten01 = m->low & a9 & ~a10;
            uint64_t twelve = a9 & a10 & ahead(D, Dn, 11) & ~ahead(D, Dn, 12);
            I |= r9 & ~behind(A, mp->alnum, 1) & ~dead1 & ~ten01 & ~twelve;
        }
    }
    if (u->use[SHAPE_GEO]) {
        /* The last digit of a fraction (a digit run right after '.') followed by ',' or one or
         * two spaces and ','. Adding a run's first bit to the digit mask clears the run (and
         * carries past it), so D & ~(D + starts) is the fraction digits; the carry out of
         * bit 63 continues a fraction into the next block. */
        uint64_t st = D & behind(m->dot, mp->dot, 1), sum;
        unsigned char cout = __builtin_add_overflow(D, st, &sum);
        cout |= __builtin_add_overflow(sum, (uint64_t)*frac_carry, &sum);
        *frac_carry = cout;
        uint64_t CMa = ahead(m->comma, mn->comma, 1), SPa = ahead(m->space, mn->space, 1);
        uint64_t comma =
            CMa | (SPa & (ahead(m->comma, mn->comma, 2) |
                          (ahead(m->space, mn->space, 2) & ahead(m->comma, mn->comma, 3))));
        I |= D & ~sum & comma;
    }
    if (u->use[SHAPE_PHONE]) I |= D & behind(m->open, mp->open, 1);
    if (u->use[SHAPE_CNPJ]) {
        /* the check digits of "xx.xxx.xxx/xxxx-dd": exactly two digits after '-', four
         * alphanumerics and a '/' (the twelve before may be letters since 2026) */
        uint64_t Dn = mn->digit, Dp = mp->digit, Ap = mp->alnum;
        uint64_t two = D & ~ahead(D, Dn, 1) & behind(D, Dp, 1) & ~behind(D, Dp, 2);
        I |= two & behind(m->dash, mp->dash, 2) & behind(A, Ap, 3) & behind(A, Ap, 4) &
             behind(A, Ap, 5) & behind(A, Ap, 6) & behind(m->slash, mp->slash, 7);
    }
    if (u->hexes) {
        /* Only structures a MAC or an IPv6 address has: a chain of 4+ colons each 2-5 bytes
         * after the last (a timestamp has two), a "::", five dashes 3 apart, or
         * hhhh.hhhh.hhhh. The words next to them are visited. */
        uint64_t C = m->colon, Cn = mn->colon, H = m->hex, Hn = mn->hex;
        /* on the 128 bits of this block and the next: chains crossing the edge count (no
         * early exit on a colon count: the branch mispredicts more than it saves) */
        unsigned __int128 X = C | (unsigned __int128)Cn << 64;
        unsigned __int128 c2 = X & ((X >> 2) | (X >> 3) | (X >> 4) | (X >> 5));
        unsigned __int128 c3 = c2 & ((c2 >> 2) | (c2 >> 3) | (c2 >> 4) | (c2 >> 5));
        uint64_t c4 = (uint64_t)(c3 & ((c3 >> 2) | (c3 >> 3) | (c3 >> 4) | (c3 >> 5)));
        /* a "::" in this block, straddling either edge, or early in the next block */
        bool dbl =
            (C & ahead(C, Cn, 1)) || ((Cn & (Cn >> 1)) << 16) || ((C & 1) && (mp->colon >> 63));
        uint64_t Da = m->dash, Dan = mn->dash;
        uint64_t d5 =
            Da & ahead(Da, Dan, 3) & ahead(Da, Dan, 6) & ahead(Da, Dan, 9) & ahead(Da, Dan, 12);
        if (c4 || dbl || d5) {
            *rich = true;
            I |= H & (ahead(C, Cn, 1) | behind(C, mp->colon, 1) | ahead(Da, Dan, 1) |
                      behind(Da, mp->dash, 1));
        }
        uint64_t Dt = m->dot, Hp = mp->hex;
        uint64_t cisco = Dt & ahead(Dt, mn->dot, 5);
        if (cisco) {
            cisco &= behind(H, Hp, 1) & behind(H, Hp, 2) & behind(H, Hp, 3) & behind(H, Hp, 4) &
                     ahead(H, Hn, 1) & ahead(H, Hn, 2) & ahead(H, Hn, 3) & ahead(H, Hn, 4);
            I |= (cisco >> 1) | (cisco << 1); /* the word on either side of the dot */
        }
    }
    if (u->use[SHAPE_IBAN]) {
        uint64_t S = A & ~behind(A, mp->alnum, 1);
        I |= S & m->upper & ahead(m->upper, mn->upper, 1) & ahead(D, mn->digit, 2) &
             ahead(D, mn->digit, 3);
    }
    if (u->use[SHAPE_VAT]) { /* shape_vat's rule */
        uint64_t U = m->upper, Un = mn->upper, An = mn->alnum, Dn = mn->digit;
        uint64_t uu = A & ~behind(A, mp->alnum, 1) & U & ahead(U, Un, 1);
        uint64_t a7 =
            ahead(A, An, 2) & ahead(A, An, 3) & ahead(A, An, 4) & ahead(A, An, 5) & ahead(A, An, 6);
        uint64_t d234 = ahead(D, Dn, 2) | ahead(D, Dn, 3) | ahead(D, Dn, 4);
        uint64_t s2 = ahead(m->sep, mn->sep, 2), s3 = ahead(m->sep, mn->sep, 3);
        uint64_t two =
            ~ahead(A, An, 2) & s2 & (ahead(D, Dn, 3) | (ahead(U, Un, 3) & ahead(D, Dn, 4)));
        uint64_t three = ahead(U, Un, 2) & ~ahead(A, An, 3) & s3 & ahead(D, Dn, 4);
        I |= uu & ((a7 & d234) | two | three);
    }
    return I;
}

/* Words are maximal alphanumeric runs. Only words holding a trigger bit are visited: the end
 * of a digit group joined by '.', '-' or ' ' to another digit, a run of 9+ digits, a digit
 * after '+' or '(', a hex digit next to ':' or '-' (in blocks with enough of them), the start
 * of an IBAN. Logs have ~100k digit words per MB; most trigger nothing. */
static inline __attribute__((always_inline)) bool
scan_core(const struct pii_engine *e, const uint8_t *buf, size_t len, size_t from, size_t to,
          struct cand_vec *out, masks_fn fn, bool every_word)
{
    struct tok t = {.b = buf, .cls = cls_table(), .len = len, .e = e, .out = out};
    struct uses u;
    uses_init(&t, &u);
    size_t resume = from;    /* bytes before this belong to words already dispatched */
    unsigned frac_carry = 0; /* a fraction's digit run continues from the block before */
    struct masks ring[3];    /* previous, current and next block, rotating */
    masks_at(buf, len, (int64_t)from - 64, fn, &ring[0]);
    masks_at(buf, len, (int64_t)from, fn, &ring[1]);
    unsigned ip = 0, ic = 1, in = 2;
    for (size_t b0 = from; b0 < to; b0 += 64) {
        const struct masks *mp = &ring[ip], *m = &ring[ic], *mn = &ring[in];
        masks_at(buf, len, (int64_t)b0 + 64, fn, &ring[in]);
        bool rich;
        uint64_t I = trigger(&u, mp, m, mn, &frac_carry, &rich);
        if (every_word) I = m->alnum;
        if (I) {
            struct blk k = {m->alnum, m->digit, m->hex, m->upper, mp->alnum, mn->alnum};
            int r = visit(&t, b0, I, &k, rich, to, u.use, &resume);
            if (r <= 0) return r == 0;
        }
        unsigned o = ip;
        ip = ic, ic = in, in = o;
    }
    return true;
}

#if PII_X86
/* AVX-512 with VBMI2: the trigger rules of eight consecutive blocks at once. Each mask is kept
 * as an array over blocks ([0] the block before the group, [1..8] the group, [9] the block
 * after), so a rule's "the neighbouring block" is the same array loaded one lane over, and
 * ahead()/behind() are one funnel shift (VPSHRDQ/VPSHLDQ) for all eight. The words are then
 * visited block by block as in scan_core, which this must match bit for bit (the tests compare
 * every variant's candidates). */
#define V512 __attribute__((target("avx512f,avx512bw,avx512vbmi2")))
enum {
    M_ALNUM,
    M_DIGIT,
    M_HEX,
    M_UPPER,
    M_COLON,
    M_DASH,
    M_DOT,
    M_SEP,
    M_OPEN,
    M_SPACE,
    M_COMMA,
    M_UNDER,
    M_SLASH,
    M_LOW,
    M__N
};
#define AH(cur, next, s) _mm512_shrdi_epi64((cur), (next), (s))
#define BH(cur, prev, s) _mm512_shldi_epi64((cur), (prev), (s))

V512 static inline void put_masks(uint64_t (*M)[10], unsigned j, const struct masks *m)
{
    M[M_ALNUM][j] = m->alnum, M[M_DIGIT][j] = m->digit, M[M_HEX][j] = m->hex;
    M[M_UPPER][j] = m->upper, M[M_COLON][j] = m->colon, M[M_DASH][j] = m->dash;
    M[M_DOT][j] = m->dot, M[M_SEP][j] = m->sep, M[M_OPEN][j] = m->open;
    M[M_SPACE][j] = m->space, M[M_COMMA][j] = m->comma, M[M_UNDER][j] = m->under;
    M[M_SLASH][j] = m->slash, M[M_LOW][j] = m->low;
}

V512 static inline __m512i and3(__m512i a, __m512i b, __m512i c)
{
    return _mm512_and_si512(_mm512_and_si512(a, b), c);
}

V512 static inline __m512i or4(__m512i a, __m512i b, __m512i c, __m512i d)
{
    return _mm512_or_si512(_mm512_or_si512(a, b), _mm512_or_si512(c, d));
}

/* trigger() for the blocks [1..8] of M; *carry is frac_carry in and out; *rich gets a bit per
 * block. */
V512 static inline unsigned trigger8(const struct uses *u, uint64_t (*M)[10], uint64_t I8[8],
                                     unsigned *carry, unsigned *rich)
{
#define CUR(f)  _mm512_loadu_si512((const void *)&M[f][1])
#define PREV(f) _mm512_loadu_si512((const void *)&M[f][0])
#define NEXT(f) _mm512_loadu_si512((const void *)&M[f][2])
    const __m512i zero = _mm512_setzero_si512();
    __m512i D = CUR(M_DIGIT), Dp = PREV(M_DIGIT), Dn = NEXT(M_DIGIT);
    __m512i A = CUR(M_ALNUM), Ap = PREV(M_ALNUM);
    __m512i I = zero;
    *rich = 0;
    if (u->joined) {
        __m512i b1 = BH(D, Dp, 1), b2 = BH(D, Dp, 2), b3 = BH(D, Dp, 3), b4 = BH(D, Dp, 4);
        __m512i end = _mm512_andnot_si512(AH(D, Dn, 1), D);
        __m512i b12 = _mm512_and_si512(b1, b2), b123 = _mm512_and_si512(b12, b3);
        __m512i e1 = _mm512_andnot_si512(b1, end);
        __m512i e3 = _mm512_andnot_si512(b3, _mm512_and_si512(end, b12));
        __m512i e4 = _mm512_andnot_si512(b4, _mm512_and_si512(end, b123));
        __m512i e123 = _mm512_andnot_si512(b123, end);
        __m512i a2 = AH(D, Dn, 2), a3 = AH(D, Dn, 3), a4 = AH(D, Dn, 4), a5 = AH(D, Dn, 5),
                a6 = AH(D, Dn, 6), a7 = AH(D, Dn, 7), a8 = AH(D, Dn, 8);
        __m512i a23 = _mm512_and_si512(a2, a3), a234 = _mm512_and_si512(a23, a4),
                a2345 = _mm512_and_si512(a234, a5);
        __m512i n2 = _mm512_andnot_si512(a4, a23), n3 = _mm512_andnot_si512(a5, a234),
                n4 = _mm512_andnot_si512(a6, a2345),
                n6 = _mm512_andnot_si512(a8, and3(a2345, a6, a7));
        __m512i Dt = CUR(M_DOT), Dtn = NEXT(M_DOT);
        __m512i Sd = _mm512_andnot_si512(Dt, CUR(M_SEP)),
                Sdn = _mm512_andnot_si512(Dtn, NEXT(M_SEP));
        __m512i dot1 = AH(Dt, Dtn, 1), sd1 = AH(Sd, Sdn, 1);
        __m512i d3 = AH(Dt, Dtn, 3), d4 = AH(Dt, Dtn, 4), d5 = AH(Dt, Dtn, 5);
        __m512i chain = _mm512_or_si512(_mm512_or_si512(_mm512_and_si512(d3, a4), and3(a3, d4, a5)),
                                        _mm512_and_si512(and3(a3, a4, d5), a6));
        /* the groups dispatch() would pass over, as in trigger() */
        __m512i U = CUR(M_UNDER), Up = PREV(M_UNDER), Da = CUR(M_DASH), Dap = PREV(M_DASH);
        __m512i AU = _mm512_or_si512(A, U), AUp = _mm512_or_si512(Ap, Up);
        __m512i dead1 =
            _mm512_or_si512(_mm512_and_si512(BH(Da, Dap, 1), BH(AU, AUp, 2)), BH(U, Up, 1));
        __m512i dead3 =
            _mm512_or_si512(_mm512_and_si512(BH(Da, Dap, 3), BH(AU, AUp, 4)), BH(U, Up, 3));
        __m512i dead4 =
            _mm512_or_si512(_mm512_and_si512(BH(Da, Dap, 4), BH(AU, AUp, 5)), BH(U, Up, 4));
        __m512i dead2 =
            u->use[SHAPE_CNPJ]
                ? zero
                : _mm512_or_si512(_mm512_and_si512(BH(Da, Dap, 2), BH(AU, AUp, 3)), BH(U, Up, 2));
        __m512i e2 = _mm512_andnot_si512(b2, _mm512_and_si512(end, b1));
        __m512i dead123 = _mm512_or_si512(
            _mm512_or_si512(_mm512_and_si512(e1, dead1), _mm512_and_si512(e2, dead2)),
            u->use[SHAPE_CPF] ? zero : _mm512_and_si512(e3, dead3));
        I = _mm512_or_si512(
            I, _mm512_and_si512(and3(_mm512_andnot_si512(dead123, e123), dot1, a2), chain));
        __m512i grp = _mm512_or_si512(
            _mm512_or_si512(
                _mm512_and_si512(_mm512_andnot_si512(dead4, e4), _mm512_or_si512(n4, n6)),
                _mm512_and_si512(_mm512_andnot_si512(dead3, e3), _mm512_or_si512(n2, n3))),
            _mm512_and_si512(_mm512_andnot_si512(dead1, e1), n3));
        I = _mm512_or_si512(I, _mm512_and_si512(sd1, grp));
        /* 2 then 6: an IMEI's AA-BBBBBB-CCCCCC-D */
        I = _mm512_or_si512(I, and3(sd1, e2, n6));
        if (u->digits9) {
            __m512i r9 = _mm512_and_si512(and3(D, AH(D, Dn, 1), a2345), and3(a6, a7, a8));
            /* lengths no shape takes, as in trigger() */
            __m512i a9 = AH(D, Dn, 9), a10 = AH(D, Dn, 10);
            __m512i ten01 = _mm512_andnot_si512(a10, _mm512_and_si512(CUR(M_LOW), a9));
            __m512i twelve = _mm512_andnot_si512(AH(D, Dn, 12), and3(a9, a10, AH(D, Dn, 11)));
            I = _mm512_or_si512(I,
                                _mm512_andnot_si512(or4(BH(A, Ap, 1), dead1, ten01, twelve), r9));
        }
    }
    if (u->use[SHAPE_GEO]) {
        __m512i st = _mm512_and_si512(D, BH(CUR(M_DOT), PREV(M_DOT), 1));
        __m512i sum = _mm512_add_epi64(D, st);
        /* the carries between the eight 64-bit lanes: lane i generates one when D + st
         * overflowed, propagates the incoming one when it summed to all ones */
        unsigned g = _mm512_cmplt_epu64_mask(sum, D);
        unsigned pr = _mm512_cmpeq_epi64_mask(sum, _mm512_set1_epi64(-1));
        unsigned a = g | pr, t = a + g + (*carry & 1);
        unsigned cin = (t ^ a ^ g) & 0xff;
        *carry = (t >> 8) & 1;
        sum = _mm512_mask_add_epi64(sum, (__mmask8)cin, sum, _mm512_set1_epi64(1));
        __m512i Cm = CUR(M_COMMA), Cmn = NEXT(M_COMMA), Sp = CUR(M_SPACE), Spn = NEXT(M_SPACE);
        __m512i comma = _mm512_or_si512(
            AH(Cm, Cmn, 1),
            _mm512_and_si512(
                AH(Sp, Spn, 1),
                _mm512_or_si512(AH(Cm, Cmn, 2), _mm512_and_si512(AH(Sp, Spn, 2), AH(Cm, Cmn, 3)))));
        I = _mm512_or_si512(I, _mm512_and_si512(_mm512_andnot_si512(sum, D), comma));
    }
    if (u->use[SHAPE_PHONE])
        I = _mm512_or_si512(I, _mm512_and_si512(D, BH(CUR(M_OPEN), PREV(M_OPEN), 1)));
    if (u->use[SHAPE_CNPJ]) {
        __m512i two = _mm512_andnot_si512(_mm512_or_si512(AH(D, Dn, 1), BH(D, Dp, 2)),
                                          _mm512_and_si512(D, BH(D, Dp, 1)));
        __m512i al = and3(BH(A, Ap, 3), BH(A, Ap, 4), _mm512_and_si512(BH(A, Ap, 5), BH(A, Ap, 6)));
        I = _mm512_or_si512(I, and3(two, _mm512_and_si512(BH(CUR(M_DASH), PREV(M_DASH), 2), al),
                                    BH(CUR(M_SLASH), PREV(M_SLASH), 7)));
    }
    if (u->hexes) {
        __m512i C = CUR(M_COLON), Cn = NEXT(M_COLON), Cp = PREV(M_COLON);
        __m512i H = CUR(M_HEX), Hn = NEXT(M_HEX), Hp = PREV(M_HEX);
        /* the 128-bit chains of scan_core: low half from this block and the next, high half
         * from the next alone (zeros above it) */
        __m512i c2l =
            _mm512_and_si512(C, or4(AH(C, Cn, 2), AH(C, Cn, 3), AH(C, Cn, 4), AH(C, Cn, 5)));
        __m512i c2h = _mm512_and_si512(Cn, or4(_mm512_srli_epi64(Cn, 2), _mm512_srli_epi64(Cn, 3),
                                               _mm512_srli_epi64(Cn, 4), _mm512_srli_epi64(Cn, 5)));
        __m512i c3l = _mm512_and_si512(
            c2l, or4(AH(c2l, c2h, 2), AH(c2l, c2h, 3), AH(c2l, c2h, 4), AH(c2l, c2h, 5)));
        __m512i c3h =
            _mm512_and_si512(c2h, or4(_mm512_srli_epi64(c2h, 2), _mm512_srli_epi64(c2h, 3),
                                      _mm512_srli_epi64(c2h, 4), _mm512_srli_epi64(c2h, 5)));
        __m512i c4 = _mm512_and_si512(
            c3l, or4(AH(c3l, c3h, 2), AH(c3l, c3h, 3), AH(c3l, c3h, 4), AH(c3l, c3h, 5)));
        unsigned dbl = _mm512_test_epi64_mask(C, AH(C, Cn, 1)) |
                       _mm512_test_epi64_mask(_mm512_and_si512(Cn, _mm512_srli_epi64(Cn, 1)),
                                              _mm512_set1_epi64(0x0000ffffffffffffll)) |
                       (_mm512_test_epi64_mask(C, _mm512_set1_epi64(1)) &
                        _mm512_test_epi64_mask(Cp, _mm512_set1_epi64((long long)(1ull << 63))));
        __m512i Da = CUR(M_DASH), Dan = NEXT(M_DASH), Dap = PREV(M_DASH);
        __m512i d5 = _mm512_and_si512(and3(Da, AH(Da, Dan, 3), AH(Da, Dan, 6)),
                                      _mm512_and_si512(AH(Da, Dan, 9), AH(Da, Dan, 12)));
        unsigned r = _mm512_test_epi64_mask(c4, c4) | dbl | _mm512_test_epi64_mask(d5, d5);
        *rich = r;
        __m512i near = or4(AH(C, Cn, 1), BH(C, Cp, 1), AH(Da, Dan, 1), BH(Da, Dap, 1));
        I = _mm512_mask_or_epi64(I, (__mmask8)r, I, _mm512_and_si512(H, near));
        __m512i Dt = CUR(M_DOT), Dtn = NEXT(M_DOT);
        __m512i cisco = _mm512_and_si512(Dt, AH(Dt, Dtn, 5));
        if (_mm512_test_epi64_mask(cisco, cisco)) {
            cisco =
                _mm512_and_si512(and3(cisco, BH(H, Hp, 1), BH(H, Hp, 2)),
                                 _mm512_and_si512(and3(BH(H, Hp, 3), BH(H, Hp, 4), AH(H, Hn, 1)),
                                                  and3(AH(H, Hn, 2), AH(H, Hn, 3), AH(H, Hn, 4))));
            I = _mm512_or_si512(
                I, _mm512_or_si512(_mm512_srli_epi64(cisco, 1), _mm512_slli_epi64(cisco, 1)));
        }
    }
    if (u->use[SHAPE_IBAN]) {
        __m512i Su = CUR(M_UPPER), Sun = NEXT(M_UPPER);
        __m512i S = _mm512_andnot_si512(BH(A, Ap, 1), A);
        I = _mm512_or_si512(I, _mm512_and_si512(and3(S, Su, AH(Su, Sun, 1)),
                                                _mm512_and_si512(AH(D, Dn, 2), AH(D, Dn, 3))));
    }
    if (u->use[SHAPE_VAT]) { /* shape_vat's rule, as in trigger() */
        __m512i U = CUR(M_UPPER), Un = NEXT(M_UPPER), An = NEXT(M_ALNUM);
        __m512i Se = CUR(M_SEP), Sen = NEXT(M_SEP);
        __m512i uu = and3(_mm512_andnot_si512(BH(A, Ap, 1), A), U, AH(U, Un, 1));
        __m512i a7 = _mm512_and_si512(and3(AH(A, An, 2), AH(A, An, 3), AH(A, An, 4)),
                                      _mm512_and_si512(AH(A, An, 5), AH(A, An, 6)));
        __m512i d234 = _mm512_or_si512(_mm512_or_si512(AH(D, Dn, 2), AH(D, Dn, 3)), AH(D, Dn, 4));
        __m512i two = _mm512_andnot_si512(
            AH(A, An, 2),
            _mm512_and_si512(
                AH(Se, Sen, 2),
                _mm512_or_si512(AH(D, Dn, 3), _mm512_and_si512(AH(U, Un, 3), AH(D, Dn, 4)))));
        __m512i three =
            _mm512_andnot_si512(AH(A, An, 3), and3(AH(U, Un, 2), AH(Se, Sen, 3), AH(D, Dn, 4)));
        I = _mm512_or_si512(I, _mm512_and_si512(uu, _mm512_or_si512(_mm512_and_si512(a7, d234),
                                                                    _mm512_or_si512(two, three))));
    }
    _mm512_storeu_si512((void *)I8, I);
    return _mm512_test_epi64_mask(I, I);
#undef CUR
#undef PREV
#undef NEXT
}

V512 static bool scan_avx512vbmi2(const struct pii_engine *e, const uint8_t *buf, size_t len,
                                  size_t from, size_t to, struct cand_vec *out)
{
    struct tok t = {.b = buf, .cls = cls_table(), .len = len, .e = e, .out = out};
    struct uses u;
    uses_init(&t, &u);
    size_t resume = from;
    unsigned carry = 0, rich;
    uint64_t M[M__N][10] __attribute__((aligned(64)));
    uint64_t I8[8] __attribute__((aligned(64)));
    struct masks m;
    masks_at(buf, len, (int64_t)from - 64, masks_avx512, &m);
    put_masks(M, 0, &m);
    masks_at(buf, len, (int64_t)from, masks_avx512, &m);
    put_masks(M, 1, &m);
    for (size_t g = from; g < to; g += 512) {
        for (unsigned j = 2; j < 10; j++) {
            masks_at(buf, len, (int64_t)(g + 64 * (j - 1)), masks_avx512, &m);
            put_masks(M, j, &m);
        }
        /* the blocks with a trigger, before `to`: one loop over their bits, not a branch per
         * block on whether it has one (taken at random, about every other block in logs) */
        unsigned live = trigger8(&u, M, I8, &carry, &rich);
        if (to - g < 512) live &= (1u << ((to - g + 63) / 64)) - 1;
        while (live) {
            unsigned j = (unsigned)__builtin_ctz(live);
            live &= live - 1;
            size_t b0 = g + 64 * j;
            struct blk k = {M[M_ALNUM][j + 1], M[M_DIGIT][j + 1], M[M_HEX][j + 1],
                            M[M_UPPER][j + 1], M[M_ALNUM][j],     M[M_ALNUM][j + 2]};
            int r = visit(&t, b0, I8[j], &k, (rich >> j) & 1, to, u.use, &resume);
            if (r <= 0) return r == 0;
        }
        for (unsigned f = 0; f < M__N; f++) M[f][0] = M[f][8], M[f][1] = M[f][9];
    }
    return true;
}
#undef AH
#undef BH
#endif

/* One copy of the loop per instruction set, so each inlines its own mask step. */
static bool scan_scalar(const struct pii_engine *e, const uint8_t *buf, size_t len, size_t from,
                        size_t to, struct cand_vec *out)
{
    return scan_core(e, buf, len, from, to, out, masks_scalar, false);
}

#if PII_X86
/* Every word visited, whatever the trigger rules say: not a tokenizer to run (the rules are
 * the speed), the reference they are tested against. Selected only by name (PIISCAN_SIMD=
 * every-word): the trigger rules may skip a word only where dispatch() proposes nothing, so
 * the findings must be the same (tests/test_scanner.c). */
static bool scan_every_word(const struct pii_engine *e, const uint8_t *buf, size_t len, size_t from,
                            size_t to, struct cand_vec *out)
{
    return scan_core(e, buf, len, from, to, out, masks_scalar, true);
}

static bool scan_sse2(const struct pii_engine *e, const uint8_t *buf, size_t len, size_t from,
                      size_t to, struct cand_vec *out)
{
    return scan_core(e, buf, len, from, to, out, masks_sse2, false);
}

__attribute__((target("avx2"))) static bool scan_avx2(const struct pii_engine *e,
                                                      const uint8_t *buf, size_t len, size_t from,
                                                      size_t to, struct cand_vec *out)
{
    return scan_core(e, buf, len, from, to, out, masks_avx2, false);
}

__attribute__((target("avx512bw"))) static bool scan_avx512(const struct pii_engine *e,
                                                            const uint8_t *buf, size_t len,
                                                            size_t from, size_t to,
                                                            struct cand_vec *out)
{
    return scan_core(e, buf, len, from, to, out, masks_avx512, false);
}
#endif

static const struct {
    const char *name;
    shape_scan_fn fn;
} variants[] = {
#if PII_X86
    {"avx512vbmi2", scan_avx512vbmi2},
    {"avx512bw", scan_avx512},
    {"avx2", scan_avx2},
    {"sse2", scan_sse2},
#endif
    {"scalar", scan_scalar},
    {"every-word", scan_every_word}, /* never chosen by default: scalar always runs */
};

bool cpu_runs(const char *set)
{
    if (!strcmp(set, "scalar") || !strcmp(set, "every-word")) return true;
#if PII_X86
    __builtin_cpu_init();
    if (!strcmp(set, "sse2")) return true; /* x86-64's baseline */
    if (!strcmp(set, "avx2"))
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
    if (!strcmp(set, "avx512bw")) return __builtin_cpu_supports("avx512bw");
    if (!strcmp(set, "avx512vbmi2"))
        return __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi2");
#endif
    return false;
}

bool cpu_variant(const char *name, const char *want)
{
    return (!want || !*want || !strcmp(want, name)) && cpu_runs(name);
}

shape_scan_fn shape_select(const char *want)
{
    for (size_t i = 0; i < ARRAY_LEN(variants); i++)
        if (cpu_variant(variants[i].name, want)) return variants[i].fn;
    return want && *want ? NULL : scan_scalar;
}

bool shape_scan(const struct pii_engine *e, const uint8_t *buf, size_t len, size_t from, size_t to,
                struct cand_vec *out)
{
    if (to > len) to = len;
    if (!e->shape_mask || from >= to) return true;
    return e->shape_scan(e, buf, len, from, to, out);
}
