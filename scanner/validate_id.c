/* validate_id.c: national, tax, travel, health, vehicle, device and bank identifiers: each
 * scheme's published layout and check digits. Knows nothing of finders beyond what they hand in. */
#include "validate.h"

#include <string.h>

static bool in_list(const char *s, size_t n, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0) return true;
    }
    return false;
}

static bool all_same(const char *s, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (s[i] != s[0]) return false;
    }
    return true;
}

/* Neither end of [start, end) touches a word or continues a digit run ("-12" / ".5"). */
static bool clean_edges(const struct vctx *v, size_t start, size_t end, int sep)
{
    if (is_word(v_at(v, start - 1)) || is_word(v_at(v, end))) return false;
    return !v_digit_run_continues(v, start - 1, -1, sep) && !v_digit_run_continues(v, end, +1, sep);
}

/* The digits of a shape candidate that is either `n` bare digits or groups of the given
 * lengths joined by one separator from `seps` (same separator throughout). Fills d (n + 1
 * bytes), *sep (-1 for the bare form). */
static bool grouped(const uint8_t *s, size_t len, const uint8_t *groups, size_t ng,
                    const char *seps, char *d, size_t n, int *sep)
{
    *sep = -1;
    if (len == n) {
        for (size_t i = 0; i < n; i++) {
            if (!is_digit(s[i])) return false;
            d[i] = (char)s[i];
        }
        d[n] = '\0';
        return true;
    }
    if (len != n + ng - 1) return false;
    size_t i = 0, k = 0;
    for (size_t g = 0; g < ng; g++) {
        if (g > 0) {
            if (*sep < 0) {
                if (!strchr(seps, s[i]) || s[i] == '\0') return false;
                *sep = s[i];
            } else if (s[i] != *sep) {
                return false;
            }
            i++;
        }
        for (size_t j = 0; j < groups[g]; j++, i++) {
            if (!is_digit(s[i])) return false;
            d[k++] = (char)s[i];
        }
    }
    d[k] = '\0';
    return k == n && i == len;
}

/* grouped() on buf[s, e), whose edges must also be clean (clean_edges with its separator). */
static bool grouped_clean(const struct vctx *v, size_t s, size_t e, const uint8_t *groups,
                          size_t ng, const char *seps, char *d, size_t n, int *sep)
{
    return grouped(v->buf + s, e - s, groups, ng, seps, d, n, sep) && clean_edges(v, s, e, *sep);
}

/* ---- labelled values (anchor finders) -------------------------------------------------- */

/* Words that may stand between a label and its value: "passport no.: X", "USt-IdNr. X". */
static const char *const fillers[] = {"no",
                                      "nr",
                                      "num",
                                      "number",
                                      "id",
                                      "idnr",
                                      "is",
                                      "of",
                                      "reg",
                                      "registration",
                                      "identification",
                                      "card",
                                      "identifier",
                                      "beneficiary",
                                      "ident",
                                      "intracom",
                                      "intracommunautaire"};

size_t label_value(const struct vctx *v, size_t p)
{
    size_t lim = p + 40;
    /* the rest of the label's word when the anchor ends inside it: "vat_number", "passportNo" */
    if (is_alpha(v_at(v, p - 1))) {
        for (size_t k = 0; k < 16 && (is_alpha(v_at(v, p)) || v_at(v, p) == '_'); k++) p++;
    }
    while (p < lim) {
        int c = v_at(v, p);
        if (c == ' ' || c == '\t' || c == ':' || c == '=' || c == '#' || c == '"' || c == '\'' ||
            c == '.' || c == '-' || c == '_' || c == '(' || c == '[' || c == '\\') {
            p++;
            continue;
        }
        if (is_digit(c)) return p;
        if (!is_alpha(c)) return SIZE_MAX;
        size_t q = p;
        while (is_alpha(v_at(v, q))) q++;
        bool filler = false;
        if (!is_digit(v_at(v, q))) { /* "NR123456A" is a value, not the word "nr" */
            for (size_t i = 0; i < ARRAY_LEN(fillers) && !filler; i++)
                filler = ascii_ieq(v->buf + p, q - p, fillers[i]);
        }
        if (!filler) return p; /* the value itself may start with letters */
        p = q;
    }
    return SIZE_MAX;
}

/* The value's span: the finder's span, or (anchor finders) the `len_a` bytes after the label
 * when byte `probe` of them is `sep_a`/'-'/' ' as the layout needs, else `len_b` bytes. */
static bool value_span(const struct vctx *v, size_t probe, const char *seps, size_t len_a,
                       size_t len_b, size_t *s, size_t *e)
{
    if (v->end > v->start) {
        *s = v->start;
        *e = v->end;
        return true;
    }
    size_t p = label_value(v, v->anchor);
    if (p == SIZE_MAX) return false;
    int c = v_at(v, p + probe);
    size_t n = (c > 0 && strchr(seps, c)) ? len_a : len_b;
    if (p + n > v->hi) return false;
    *s = p;
    *e = p + n;
    return true;
}

/* A value token at p: alphanumerics, with single '-' between them ("S123-4567-8901"). Copies
 * the alphanumerics upper-cased into out (cap bytes incl. NUL), sets *end. 0 when too long. */
static size_t value_token_sp(const struct vctx *v, size_t p, char *out, size_t cap, size_t *end,
                             bool spaced)
{
    size_t n = 0;
    /* with `spaced`, single spaces join groups of a value that is digits so far */
    bool digits_only = spaced;
    while (true) {
        int c = v_at(v, p);
        if (is_alnum(c)) {
            if (n + 1 >= cap) return 0;
            out[n++] = (char)ascii_upper((uint8_t)c);
            digits_only = digits_only && is_digit(c);
            p++;
        } else if (c == '-' && n > 0 && is_alnum(v_at(v, p + 1))) {
            p++;
        } else if (c == ' ' && digits_only && n > 0 && is_digit(v_at(v, p + 1))) {
            p++; /* "123 456 789" (NY), "12 345 678" (PA) */
        } else {
            break;
        }
    }
    out[n] = '\0';
    *end = p;
    return n;
}

static size_t value_token(const struct vctx *v, size_t p, char *out, size_t cap, size_t *end)
{
    return value_token_sp(v, p, out, cap, end, false);
}

/* ==== bank account number =============================================================== */

bool v_bank_account(struct vctx *v)
{
    size_t p = label_value(v, v->anchor);
    if (p == SIZE_MAX || !is_digit(v_at(v, p))) return false;
    char d[20];
    size_t n = 0, q = p;
    while (is_digit(v_at(v, q))) {
        if (n == 17) return false;
        d[n++] = (char)v->buf[q++];
    }
    if (n < 6 || is_word(v_at(v, q)) || v_digit_run_continues(v, q, +1, -1)) return false;
    if (all_same(d, n)) return false;
    v->start = p;
    v->end = q;
    /* a bare digit run: a negative word (order, invoice, timestamp) is decisive */
    v->flags |= V_BARE;
    v_set_norm(v, d, n);
    return true;
}

/* ==== US ABA routing number ============================================================== */

bool v_aba_routing(struct vctx *v)
{
    char d[10];
    if (v->end <= v->start || v->end - v->start != 9) return false;
    for (size_t i = 0; i < 9; i++) {
        if (!is_digit(v->buf[v->start + i])) return false;
        d[i] = (char)v->buf[v->start + i];
    }
    if (!clean_edges(v, v->start, v->end, -1)) return false;
    /* Federal Reserve routing symbol: 00-12 banks, 21-32 thrifts, 61-72 electronic, 80
     * travellers' cheques. */
    int pre = (d[0] - '0') * 10 + (d[1] - '0');
    if (!((pre <= 12) || (pre >= 21 && pre <= 32) || (pre >= 61 && pre <= 72) || pre == 80))
        return false;
    static const uint8_t w[9] = {3, 7, 1, 3, 7, 1, 3, 7, 1};
    if (weighted_sum(d, w, 9) % 10 != 0 || all_same(d, 9)) return false;
    v->flags |= V_BARE;
    v_set_norm(v, d, 9);
    return true;
}

/* ==== US ITIN ============================================================================ */

bool v_itin(struct vctx *v)
{
    static const uint8_t g[3] = {3, 2, 4};
    char d[10];
    int sep;
    if (v->end <= v->start) return false;
    if (!grouped_clean(v, v->start, v->end, g, 3, "- ", d, 9, &sep)) return false;
    int grp = (d[3] - '0') * 10 + (d[4] - '0');
    if (d[0] != '9') return false;
    if (!((grp >= 50 && grp <= 65) || (grp >= 70 && grp <= 88) || (grp >= 90 && grp <= 92) ||
          (grp >= 94 && grp <= 99)))
        return false;
    /* 987-65-4320..4329: the SSA's advertising numbers, reported as us_ssn test values */
    if (!memcmp(d, "98765432", 8)) return false;
    if (sep < 0) v->flags |= V_BARE;
    v_set_norm(v, d, 9);
    return true;
}

/* ==== US EIN ============================================================================= */

/* IRS campus prefixes in use (Andover ... Internet, SBA); 00, 07-09, 17-19, 28, 29, 49, 69,
 * 70, 78, 79, 89, 96, 97 are not assigned. */
static bool ein_prefix_ok(int p)
{
    static const uint8_t bad[] = {0, 7, 8, 9, 17, 18, 19, 28, 29, 49, 69, 70, 78, 79, 89, 96, 97};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        if (bad[i] == p) return false;
    }
    return true;
}

bool v_ein(struct vctx *v)
{
    size_t p = label_value(v, v->anchor);
    if (p == SIZE_MAX) return false;
    static const uint8_t g[2] = {2, 7};
    char d[10];
    int sep;
    size_t n = 0;
    while (is_digit(v_at(v, p + n)) || v_at(v, p + n) == '-') n++;
    if (n != 9 && n != 10) return false;
    if (!grouped_clean(v, p, p + n, g, 2, "-", d, 9, &sep)) return false;
    if (!ein_prefix_ok((d[0] - '0') * 10 + (d[1] - '0')) || all_same(d + 2, 7)) return false;
    v->start = p;
    v->end = p + n;
    v_set_norm(v, d, 9);
    return true;
}

/* ==== UK National Insurance number ======================================================= */

bool v_nino(struct vctx *v)
{
    /* "QQ123456C" or "QQ 12 34 56 C" */
    size_t s, e;
    char c[10];
    if (!value_span(v, 2, " ", 13, 9, &s, &e)) return false;
    if (e - s == 13) {
        size_t k = 0;
        for (size_t i = s; i < e; i++) {
            size_t r = i - s;
            if (r == 2 || r == 5 || r == 8 || r == 11) {
                if (v->buf[i] != ' ') return false;
            } else {
                c[k++] = (char)v->buf[i];
            }
        }
    } else if (e - s == 9) {
        memcpy(c, v->buf + s, 9);
    } else {
        return false;
    }
    for (size_t i = 0; i < 9; i++) {
        bool letter = i < 2 || i == 8;
        if (letter ? !is_upper(c[i]) : !is_digit(c[i])) return false;
    }
    if (c[8] < 'A' || c[8] > 'D') return false;
    if (is_alnum(v_at(v, s - 1)) || is_alnum(v_at(v, e))) return false;
    c[9] = '\0';
    if (memcmp(c, "QQ", 2) == 0) {
        v->flags |= V_TEST; /* HMRC's example prefix, never issued */
    } else {
        /* HMRC: first letter not D F I Q U V, second not D F I O Q U V; some pairs unused. */
        if (strchr("DFIQUV", c[0]) || strchr("DFIOQUV", c[1])) return false;
        static const char *const unused[] = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"};
        for (size_t i = 0; i < ARRAY_LEN(unused); i++) {
            if (memcmp(c, unused[i], 2) == 0) return false;
        }
        if (memcmp(c + 2, "000000", 6) == 0) return false;
    }
    v->start = s;
    v->end = e;
    v_set_norm(v, c, 9);
    return true;
}

/* ==== Canadian Social Insurance Number =================================================== */

/* "046 454 286": the CRA's specimen SIN. */
static const char *const test_sins[] = {"046454286"};

bool v_sin(struct vctx *v)
{
    /* "123-456-789", "123 456 789" or 9 bare digits */
    size_t s, e;
    static const uint8_t g[3] = {3, 3, 3};
    char d[10];
    int sep = -1;
    if (!value_span(v, 3, "- ", 11, 9, &s, &e)) return false;
    if (!grouped_clean(v, s, e, g, 3, "- ", d, 9, &sep)) return false;
    bool test = in_list(d, 9, test_sins, ARRAY_LEN(test_sins));
    /* first digit: the province of registration (1-7), 9 temporary residents; 0 and 8 are
     * not issued to people */
    if (!test && (d[0] == '0' || d[0] == '8')) return false;
    if (!luhn_ok(d, 9) || all_same(d, 9)) return false;
    if (test) v->flags |= V_TEST;
    if (sep < 0) v->flags |= V_BARE;
    v->start = s;
    v->end = e;
    v_set_norm(v, d, 9);
    return true;
}

/* ==== India PAN ========================================================================== */

bool v_pan_in(struct vctx *v)
{
    size_t st, e;
    if (!value_span(v, 0, "", 10, 10, &st, &e) || e - st != 10) return false;
    const uint8_t *s = v->buf + st;
    for (size_t i = 0; i < 10; i++) {
        bool letter = i < 5 || i == 9;
        if (letter ? !is_upper(s[i]) : !is_digit(s[i])) return false;
    }
    if (is_alnum(v_at(v, st - 1)) || is_alnum(v_at(v, e))) return false;
    if (memcmp(s, "ABCDE1234F", 10) == 0) {
        v->flags |= V_TEST; /* the Income Tax Department's format example */
    } else {
        /* 4th letter: holder type (Association, Body of individuals, Company, Firm,
         * Government, HUF, Artificial juridical person, Local authority, Person, Trust) */
        if (!strchr("ABCFGHJLPT", s[3])) return false;
        if (memcmp(s + 5, "0000", 4) == 0) return false;
    }
    v->start = st;
    v->end = e;
    v_set_norm(v, (const char *)s, 10);
    return true;
}

/* ==== India Aadhaar ====================================================================== */

bool v_aadhaar(struct vctx *v)
{
    /* "2341 2341 2346", "2341-2341-2346" or 12 bare digits */
    size_t s, e;
    static const uint8_t g[3] = {4, 4, 4};
    char d[13];
    int sep = -1;
    if (!value_span(v, 4, "- ", 14, 12, &s, &e)) return false;
    if (!grouped_clean(v, s, e, g, 3, "- ", d, 12, &sep)) return false;
    /* 0 and 1 are reserved by UIDAI; the last digit is a Verhoeff check */
    if (d[0] < '2' || !verhoeff_ok(d, 12) || all_same(d, 12)) return false;
    if (sep < 0) v->flags |= V_BARE;
    v->start = s;
    v->end = e;
    v_set_norm(v, d, 12);
    return true;
}

/* ==== Brazil CPF and CNPJ ================================================================ */

/* The span minus its punctuation (". / -" at the given offsets), upper-cased. */
static bool strip_layout(const uint8_t *s, size_t n, const char *layout, char *out)
{
    size_t k = 0;
    if (strlen(layout) != n) return false;
    for (size_t i = 0; i < n; i++) {
        if (layout[i] == 'd') {
            if (!is_digit(s[i])) return false;
        } else if (layout[i] == 'x') {
            if (!is_digit(s[i]) && !is_upper(s[i])) return false;
        } else {
            if (s[i] != (uint8_t)layout[i]) return false;
            continue;
        }
        out[k++] = (char)s[i];
    }
    out[k] = '\0';
    return true;
}

/* The Brazilian number's span: the punctuated layout `punct` ending at the anchor (or the
 * finder's span), or after a "cpf"/"cnpj" label the same layout or its `bare` form (digits
 * only: V_BARE, so the label or a field must name it). Fills out with the characters. */
static bool br_span(struct vctx *v, const char *punct, const char *bare, char *out)
{
    size_t np = strlen(punct), nb = strlen(bare);
    if (v->end <= v->start) {
        size_t a = v->anchor;
        if (a >= np && a <= v->hi && strip_layout(v->buf + a - np, np, punct, out)) {
            v->start = a - np; /* the punctuated alternative of the finder */
            v->end = a;
        } else {
            size_t p = label_value(v, a);
            if (p == SIZE_MAX || p + nb > v->hi) return false;
            if (p + np <= v->hi && strip_layout(v->buf + p, np, punct, out)) return false;
            if (!strip_layout(v->buf + p, nb, bare, out)) return false;
            v->start = p;
            v->end = p + nb;
            v->flags |= V_BARE;
        }
    } else if (!strip_layout(v->buf + v->start, v->end - v->start, punct, out)) {
        /* the tokenizer's bare digit word */
        if (v->end - v->start != nb || !strip_layout(v->buf + v->start, nb, bare, out))
            return false;
        v->flags |= V_BARE;
    }
    return clean_edges(v, v->start, v->end, (v->flags & V_BARE) ? -1 : '.');
}

bool v_cpf(struct vctx *v)
{
    char d[12];
    if (!br_span(v, "ddd.ddd.ddd-dd", "ddddddddddd", d)) return false;
    if (all_same(d, 11)) return false;
    static const uint8_t w1[9] = {10, 9, 8, 7, 6, 5, 4, 3, 2};
    static const uint8_t w2[10] = {11, 10, 9, 8, 7, 6, 5, 4, 3, 2};
    if (mod11_check(weighted_sum(d, w1, 9)) != d[9] - '0') return false;
    if (mod11_check(weighted_sum(d, w2, 10)) != d[10] - '0') return false;
    v_set_norm(v, d, 11);
    return true;
}

bool v_cnpj(struct vctx *v)
{
    char d[15];
    /* Since July 2026 the first 12 characters may be letters, valued as ASCII minus '0'. */
    if (!br_span(v, "xx.xxx.xxx/xxxx-dd", "xxxxxxxxxxxxdd", d)) return false;
    if (all_same(d, 14)) return false;
    static const uint8_t w1[12] = {5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};
    static const uint8_t w2[13] = {6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};
    if (mod11_check(weighted_sum(d, w1, 12)) != d[12] - '0') return false;
    if (mod11_check(weighted_sum(d, w2, 13)) != d[13] - '0') return false;
    v_set_norm(v, d, 14);
    return true;
}

/* ==== US passport ======================================================================== */

bool v_passport_us(struct vctx *v)
{
    size_t p = label_value(v, v->anchor), end;
    if (p == SIZE_MAX) return false;
    char t[24];
    size_t n = value_token(v, p, t, sizeof t, &end);
    /* 9 digits, or a letter and 8 digits (the Next Generation Passport book) */
    if (n != 9 || (!is_digit(t[0]) && !is_upper(t[0]))) return false;
    for (size_t i = 1; i < 9; i++) {
        if (!is_digit(t[i])) return false;
    }
    if (end - p != 9 || v_digit_run_continues(v, end, +1, -1)) return false;
    if (all_same(t + 1, 8)) return false;
    v->start = p;
    v->end = end;
    v_set_norm(v, t, 9);
    return true;
}

/* ==== driver's licence =================================================================== */

/* US state layouts (AAMVA / state DMV formats), as runs of letters (L) and digits (D):
 * "L1D7" is one letter then seven digits. Letters-only layouts (old NY, WA's name codes) are
 * left out on purpose: a word after "license" is never a licence number. */
struct dl_form {
    char cls[6];
    uint8_t lo[5], hi[5];
};

static const struct dl_form dl_forms[] = {
    {"D", {5}, {16}},              /* most states: 5-16 digits */
    {"LD", {1, 4}, {1, 18}},       /* CA, FL, IL, MD, MI, NJ, NY, WI, ...: L + digits */
    {"LD", {2, 3}, {2, 7}},        /* CO, OH, WV: two letters + digits */
    {"LDL", {2, 6, 1}, {2, 6, 1}}, /* ID */
    {"DLD", {2, 3, 5}, {2, 3, 5}}, /* NH */
    {"DLD", {3, 2, 4}, {3, 2, 4}}, /* IA */
    {"LDLDL", {1, 1, 1, 1, 1}, {1, 1, 1, 1, 1}}, /* KS */
    {"LD", {3, 6}, {3, 6}},                      /* ND */
    {"DL", {7, 1}, {9, 1}},                      /* ME, VT, MO */
    {"DLD", {3, 1, 6}, {3, 1, 6}},               /* MO */
};

static bool dl_form_ok(const char *t, size_t n)
{
    /* the token as runs */
    char cls[8];
    size_t len[8], nr = 0;
    for (size_t i = 0; i < n;) {
        char c = is_digit(t[i]) ? 'D' : 'L';
        size_t j = i;
        while (j < n && (is_digit(t[j]) ? 'D' : 'L') == c) j++;
        if (nr == ARRAY_LEN(cls)) return false;
        cls[nr] = c;
        len[nr++] = j - i;
        i = j;
    }
    for (size_t f = 0; f < ARRAY_LEN(dl_forms); f++) {
        const struct dl_form *x = &dl_forms[f];
        if (strlen(x->cls) != nr) continue;
        bool ok = true;
        for (size_t r = 0; r < nr && ok; r++)
            ok = x->cls[r] == cls[r] && len[r] >= x->lo[r] && len[r] <= x->hi[r];
        if (ok) return true;
    }
    return false;
}

bool v_drivers_license(struct vctx *v)
{
    size_t p = label_value(v, v->anchor), end;
    if (p == SIZE_MAX) return false;
    char t[24];
    size_t n = value_token_sp(v, p, t, sizeof t, &end, true);
    /* Washington since 2018: WDL and nine letters or digits */
    bool wa = n == 12 && !memcmp(t, "WDL", 3);
    if (n < 5 || n > 19 || (!wa && !dl_form_ok(t, n))) return false;
    if (v_digit_run_continues(v, end, +1, -1)) return false;
    char d[24];
    size_t nd = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_digit(t[i])) d[nd++] = t[i];
    }
    if (nd >= 4 && all_same(d, nd)) return false; /* "00000000": a placeholder */
    v->start = p;
    v->end = end;
    v_set_norm(v, t, n);
    return true;
}

/* ==== US Medicare Beneficiary Identifier ================================================= */

static bool mbi_letter(int c)
{
    /* upper-case letters except S, L, O, I, B, Z */
    return is_upper(c) && !strchr("SLOIBZ", c);
}

bool v_mbi(struct vctx *v)
{
    /* "1EG4TE5MK73" or "1EG4-TE5-MK73" */
    size_t s, e;
    char c[12];
    if (!value_span(v, 4, "-", 13, 11, &s, &e)) return false;
    if (e - s == 13) {
        if (v->buf[s + 4] != '-' || v->buf[s + 8] != '-') return false;
        memcpy(c, v->buf + s, 4);
        memcpy(c + 4, v->buf + s + 5, 3);
        memcpy(c + 7, v->buf + s + 9, 4);
    } else if (e - s == 11) {
        memcpy(c, v->buf + s, 11);
    } else {
        return false;
    }
    /* CMS positions: 1 digit 1-9; 2, 5, 8, 9 letter; 3, 6 letter or digit; 4, 7, 10, 11 digit */
    static const char pos[] = "NAXNAXNAANN";
    for (size_t i = 0; i < 11; i++) {
        int ch = (unsigned char)c[i];
        bool ok = pos[i] == 'A'   ? mbi_letter(ch)
                  : pos[i] == 'X' ? (mbi_letter(ch) || is_digit(ch))
                                  : is_digit(ch);
        if (!ok) return false;
    }
    if (c[0] == '0' || is_alnum(v_at(v, s - 1)) || is_alnum(v_at(v, e)) ||
        (v_at(v, e) == '-' && is_alnum(v_at(v, e + 1))))
        return false;
    c[11] = '\0';
    if (memcmp(c, "1EG4TE5MK73", 11) == 0) v->flags |= V_TEST; /* CMS's documented example */
    v->start = s;
    v->end = e;
    v_set_norm(v, c, 11);
    return true;
}

/* ==== vehicle identification number ====================================================== */

static int vin_value(int c)
{
    if (is_digit(c)) return c - '0';
    /* ISO 3779 / 49 CFR 565 transliteration (I, O, Q are never used) */
    static const char map[] = "12345678-12345-7-923456789";
    if (c < 'A' || c > 'Z' || map[c - 'A'] == '-') return -1;
    return map[c - 'A'] - '0';
}

/* Published sample VINs (the Wikipedia / NHTSA examples). */
static const char *const test_vins[] = {"1M8GDM9AXKP042788", "1HGBH41JXMN109186"};

bool v_vin(struct vctx *v)
{
    size_t st, e;
    if (!value_span(v, 0, "", 17, 17, &st, &e) || e - st != 17) return false;
    v->start = st;
    v->end = e;
    if (is_alnum(v_at(v, st - 1)) || is_alnum(v_at(v, e))) return false;
    /* VINs are printed in capitals, but databases and URLs lower-case them: one case only */
    char s[18];
    unsigned upper = 0, lower = 0;
    for (size_t i = 0; i < 17; i++) {
        uint8_t c = v->buf[st + i];
        upper += is_upper(c);
        lower += c >= 'a' && c <= 'z';
        s[i] = (char)ascii_upper(c);
    }
    s[17] = '\0';
    if (upper && lower) return false;
    static const uint8_t w[17] = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};
    unsigned sum = 0, letters = upper + lower;
    for (size_t i = 0; i < 17; i++) {
        int x = vin_value((unsigned char)s[i]);
        if (x < 0) return false;
        sum += (unsigned)x * w[i];
    }
    unsigned r = sum % 11;
    if (s[8] != (r == 10 ? 'X' : (char)('0' + r))) return false;
    /* model year (position 10) is never U, Z or 0; the last three are a serial number */
    if (s[9] == 'U' || s[9] == 'Z' || s[9] == '0') return false;
    if (!is_digit(s[14]) || !is_digit(s[15]) || !is_digit(s[16])) return false;
    if (letters == 0 || all_same(s, 17)) return false;
    if (in_list(s, 17, test_vins, ARRAY_LEN(test_vins))) v->flags |= V_TEST;
    v_set_norm(v, s, 17);
    return true;
}

/* ==== IMEI =============================================================================== */

/* GSMA reporting body identifiers (the first two digits of the TAC) in use. */
static const char *const imei_rbi[] = {"00", "01", "10", "30", "33", "35", "44", "45", "49",
                                       "50", "51", "52", "53", "54", "86", "91", "98", "99"};

/* 490154203237518: the example IMEI of 3GPP TS 23.003 / Wikipedia. */
static const char *const test_imeis[] = {"490154203237518"};

bool v_imei(struct vctx *v)
{
    const uint8_t *s = v->buf + v->start;
    char d[16];
    if (v->end > v->start && v->end - v->start == 18) {
        /* the AA-BBBBBB-CCCCCC-D presentation of 3GPP TS 23.003 (reporting body, TAC rest,
         * serial, check digit), '-' or ' ' throughout */
        if ((s[2] != '-' && s[2] != ' ') || s[9] != s[2] || s[16] != s[2]) return false;
        size_t k = 0;
        for (size_t i = 0; i < 18; i++) {
            if (i == 2 || i == 9 || i == 16) continue;
            if (!is_digit(s[i])) return false;
            d[k++] = (char)s[i];
        }
        if (!clean_edges(v, v->start, v->end, s[2])) return false;
    } else {
        if (v->end <= v->start || v->end - v->start != 15) return false;
        for (size_t i = 0; i < 15; i++) {
            if (!is_digit(s[i])) return false;
            d[i] = (char)s[i];
        }
        if (!clean_edges(v, v->start, v->end, -1)) return false;
    }
    if (!in_list(d, 2, imei_rbi, ARRAY_LEN(imei_rbi))) return false;
    if (!luhn_ok(d, 15) || all_same(d + 2, 13)) return false;
    /* RBI 00 is the test-IMEI range */
    if (in_list(d, 15, test_imeis, ARRAY_LEN(test_imeis)) || memcmp(d, "00", 2) == 0)
        v->flags |= V_TEST;
    v_set_norm(v, d, 15);
    return true;
}
