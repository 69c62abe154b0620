/* validate_vat.c: VAT identification numbers of the EU member states, GB/XI, CH and NO: the
 * country prefix, each country's length and its own check. Knows nothing of finders. */
#include "validate.h"

#include <string.h>

/* Each check gets the body after the country prefix (upper-case alphanumerics, separators
 * removed) and returns the length of the number proper (a trailing "MVA" / "MWST" is not part
 * of it), or 0 when the body is not a valid number of that country. */
typedef size_t (*vat_fn)(const char *b, size_t n);

static bool digits(const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(b[i])) return false;
    }
    return n > 0;
}

static unsigned dval(char c)
{
    return (unsigned)(c - '0');
}

/* Luhn sum mod 10 of b[0..n), the rightmost digit not doubled (0 = a valid Luhn number). */
static unsigned luhn_sum(const char *b, size_t n)
{
    unsigned s = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = dval(b[n - 1 - i]);
        if (i % 2) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        s += d;
    }
    return s % 10;
}

static uint64_t num(const char *b, size_t n)
{
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) x = x * 10 + dval(b[i]);
    return x;
}

static size_t vat_at(const char *b, size_t n)
{
    if (n != 9 || b[0] != 'U' || !digits(b + 1, 8)) return 0;
    return (10 + 6 - luhn_sum(b + 1, 7)) % 10 == dval(b[8]) ? n : 0;
}

static size_t vat_be(const char *b, size_t n)
{
    char t[10] = {'0'};
    if (n == 9)
        memcpy(t + 1, b, 9);
    else if (n == 10)
        memcpy(t, b, 10);
    else
        return 0;
    if (!digits(t, 10) || (t[0] != '0' && t[0] != '1')) return 0;
    return 97 - num(t, 8) % 97 == num(t + 8, 2) ? n : 0;
}

static size_t vat_bg(const char *b, size_t n)
{
    if (!digits(b, n)) return 0;
    if (n == 9) {
        unsigned s = 0;
        for (size_t i = 0; i < 8; i++) s += (unsigned)(i + 1) * dval(b[i]);
        if (s % 11 == 10) {
            s = 0;
            for (size_t i = 0; i < 8; i++) s += (unsigned)(i + 3) * dval(b[i]);
        }
        return s % 11 % 10 == dval(b[8]) ? n : 0;
    }
    if (n != 10) return 0;
    /* a person's EGN (with a valid month), a foreigner's PNF, or another 10-digit number */
    static const uint8_t egn[9] = {2, 4, 8, 5, 10, 9, 7, 3, 6};
    static const uint8_t pnf[9] = {21, 19, 17, 13, 11, 9, 7, 3, 1};
    static const uint8_t oth[9] = {4, 3, 2, 7, 6, 5, 4, 3, 2};
    unsigned m = dval(b[2]) * 10 + dval(b[3]);
    if (m > 40) m -= 40;
    if (m > 20) m -= 20;
    if (m >= 1 && m <= 12 && weighted_sum(b, egn, 9) % 11 % 10 == dval(b[9])) return n;
    if (weighted_sum(b, pnf, 9) % 10 == dval(b[9])) return n;
    return (11 - weighted_sum(b, oth, 9) % 11) % 11 == dval(b[9]) ? n : 0;
}

static size_t vat_cy(const char *b, size_t n)
{
    if (n != 9 || !digits(b, 8) || !is_upper(b[8]) || memcmp(b, "12", 2) == 0) return 0;
    static const uint8_t odd[10] = {1, 0, 5, 7, 9, 13, 15, 17, 19, 21};
    unsigned s = 0;
    for (size_t i = 0; i < 8; i++) s += i % 2 ? dval(b[i]) : odd[dval(b[i])];
    return (unsigned)(b[8] - 'A') == s % 26 ? n : 0;
}

static size_t vat_cz(const char *b, size_t n)
{
    if (!digits(b, n)) return 0;
    if (n == 8) {
        if (b[0] == '9') return 0;
        unsigned s = 0;
        for (size_t i = 0; i < 7; i++) s += (unsigned)(8 - i) * dval(b[i]);
        unsigned c = (11 - s % 11) % 11;
        return (c ? c : 1) % 10 == dval(b[7]) ? n : 0;
    }
    if (n == 9 && b[0] == '6') {
        unsigned s = 0;
        for (size_t i = 0; i < 7; i++) s += (unsigned)(8 - i) * dval(b[1 + i]);
        int c = (8 - (int)((10 - s % 11) % 11)) % 10;
        if (c < 0) c += 10;
        return (unsigned)c == dval(b[8]) ? n : 0;
    }
    if (n != 9 && n != 10) return 0;
    /* rodné číslo: YYMMDD (women +50, +20 since 2004), then a serial; 10 digits since 1954 */
    unsigned yy = dval(b[0]) * 10 + dval(b[1]), m = dval(b[2]) * 10 + dval(b[3]);
    unsigned d = dval(b[4]) * 10 + dval(b[5]);
    if (m > 50) m -= 50;
    if (m > 20) m -= 20;
    if (m < 1 || m > 12 || d < 1 || d > 31) return 0;
    if (n == 9) return yy < 54 ? n : 0;
    return num(b, 9) % 11 % 10 == dval(b[9]) ? n : 0;
}

static size_t vat_de(const char *b, size_t n)
{
    return n == 9 && digits(b, n) && b[0] != '0' && iso7064_11_10_ok(b, n) ? n : 0;
}

static size_t vat_dk(const char *b, size_t n)
{
    static const uint8_t w[8] = {2, 7, 6, 5, 4, 3, 2, 1};
    return n == 8 && digits(b, n) && b[0] != '0' && weighted_sum(b, w, 8) % 11 == 0 ? n : 0;
}

static size_t vat_ee(const char *b, size_t n)
{
    static const uint8_t w[9] = {3, 7, 1, 3, 7, 1, 3, 7, 1};
    return n == 9 && digits(b, n) && memcmp(b, "10", 2) == 0 && weighted_sum(b, w, 9) % 10 == 0 ? n
                                                                                                : 0;
}

static size_t vat_el(const char *b, size_t n)
{
    char t[9] = {'0'};
    if (n == 8)
        memcpy(t + 1, b, 8);
    else if (n == 9)
        memcpy(t, b, 9);
    else
        return 0;
    if (!digits(t, 9)) return 0;
    unsigned s = 0;
    for (size_t i = 0; i < 8; i++) s += dval(t[i]) << (8 - i);
    return s % 11 % 10 == dval(t[8]) ? n : 0;
}

static size_t vat_es(const char *b, size_t n)
{
    static const char dni[] = "TRWAGMYFPDXBNJZSQVHLCKE";
    if (n != 9 || !digits(b + 1, 7)) return 0;
    if (is_digit(b[0]) || strchr("XYZ", b[0])) {
        /* DNI (8 digits) or NIE (X/Y/Z for 0/1/2), then a check letter */
        uint64_t x =
            (is_digit(b[0]) ? dval(b[0]) : (unsigned)(b[0] - 'X')) * 10000000u + num(b + 1, 7);
        return b[8] == dni[x % 23] ? n : 0;
    }
    if (strchr("KLM", b[0])) return b[8] == dni[num(b + 1, 7) % 23] ? n : 0;
    if (!strchr("ABCDEFGHJNPQRSUVW", b[0])) return 0;
    /* CIF: a Luhn check over the 7 digits, written as a digit or as a letter of JABCDEFGHI */
    char t[8];
    memcpy(t, b + 1, 7);
    t[7] = '0';
    unsigned c = (10 - luhn_sum(t, 8)) % 10;
    return b[8] == (char)('0' + c) || b[8] == "JABCDEFGHI"[c] ? n : 0;
}

static size_t vat_fi(const char *b, size_t n)
{
    static const uint8_t w[8] = {7, 9, 10, 5, 8, 4, 2, 1};
    return n == 8 && digits(b, n) && weighted_sum(b, w, 8) % 11 == 0 ? n : 0;
}

static size_t vat_fr(const char *b, size_t n)
{
    static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    if (n != 11 || !digits(b + 2, 9)) return 0;
    const char *k0 = strchr(alpha, b[0]), *k1 = strchr(alpha, b[1]);
    if (!k0 || !k1 || !b[0] || !b[1]) return 0;
    /* the SIREN is a Luhn number (except Monaco's, 000...) */
    if (memcmp(b + 2, "000", 3) != 0 && luhn_sum(b + 2, 9) != 0) return 0;
    if (is_digit(b[0]) && is_digit(b[1])) {
        char t[11];
        memcpy(t, b + 2, 9);
        memcpy(t + 9, "12", 2);
        return (unsigned)mod97(t, 11) == dval(b[0]) * 10 + dval(b[1]) ? n : 0;
    }
    long c = is_digit(b[0]) ? (k0 - alpha) * 24 + (k1 - alpha) - 10
                            : (k0 - alpha) * 34 + (k1 - alpha) - 100;
    if (c < 0) return 0;
    return ((long)num(b + 2, 9) + 1 + c / 11) % 11 == c % 11 ? n : 0;
}

static size_t vat_hr(const char *b, size_t n)
{
    return n == 11 && digits(b, n) && iso7064_11_10_ok(b, n) ? n : 0;
}

static size_t vat_hu(const char *b, size_t n)
{
    static const uint8_t w[8] = {9, 7, 3, 1, 9, 7, 3, 1};
    return n == 8 && digits(b, n) && weighted_sum(b, w, 8) % 10 == 0 ? n : 0;
}

static size_t vat_ie(const char *b, size_t n)
{
    static const char alpha[] = "WABCDEFGHIJKLMNOPQRSTUV";
    if ((n != 8 && n != 9) || !is_digit(b[0]) || !digits(b + 2, 5) || !is_upper(b[7])) return 0;
    unsigned s = 0;
    if (is_digit(b[1])) {
        /* 7 digits, a check letter, since 2013 optionally a second letter (weight 9) */
        for (size_t i = 0; i < 7; i++) s += (unsigned)(8 - i) * dval(b[i]);
        if (n == 9) {
            const char *x = strchr(alpha, b[8]);
            if (!x || !b[8]) return 0;
            s += 9 * (unsigned)(x - alpha);
        }
    } else {
        /* old style: digit, letter, 5 digits, check letter; checked as 0 + 5 digits + digit */
        if (n != 8 || !is_upper(b[1])) return 0;
        for (size_t i = 0; i < 5; i++) s += (unsigned)(7 - i) * dval(b[2 + i]);
        s += 2 * dval(b[0]);
    }
    return b[7] == alpha[s % 23] ? n : 0;
}

static size_t vat_it(const char *b, size_t n)
{
    if (n != 11 || !digits(b, n) || memcmp(b, "0000000", 7) == 0) return 0;
    unsigned office = (unsigned)num(b + 7, 3);
    if (!((office >= 1 && office <= 100) || office == 120 || office == 121 || office == 888 ||
          office == 999))
        return 0;
    return luhn_ok(b, 11) ? n : 0;
}

static size_t vat_lt(const char *b, size_t n)
{
    if (!digits(b, n) || !((n == 9 && b[7] == '1') || (n == 12 && b[10] == '1'))) return 0;
    unsigned s = 0;
    for (size_t i = 0; i + 1 < n; i++) s += (unsigned)(1 + i % 9) * dval(b[i]);
    if (s % 11 == 10) {
        s = 0;
        for (size_t i = 0; i + 1 < n; i++) s += (unsigned)(1 + (i + 2) % 9) * dval(b[i]);
    }
    return s % 11 % 10 == dval(b[n - 1]) ? n : 0;
}

static size_t vat_lu(const char *b, size_t n)
{
    return n == 8 && digits(b, n) && num(b, 6) % 89 == num(b + 6, 2) ? n : 0;
}

static size_t vat_lv(const char *b, size_t n)
{
    if (n != 11 || !digits(b, n)) return 0;
    if (b[0] > '3') {
        static const uint8_t w[11] = {9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1};
        return weighted_sum(b, w, 11) % 11 == 3 ? n : 0;
    }
    /* personal code: DDMMYY, century digit, serial, check */
    unsigned d = dval(b[0]) * 10 + dval(b[1]), m = dval(b[2]) * 10 + dval(b[3]);
    if (d < 1 || d > 31 || m < 1 || m > 12) return 0;
    static const uint8_t w[10] = {10, 5, 8, 4, 2, 1, 6, 3, 7, 9};
    return (1 + weighted_sum(b, w, 10)) % 11 % 10 == dval(b[10]) ? n : 0;
}

static size_t vat_mt(const char *b, size_t n)
{
    static const uint8_t w[8] = {3, 4, 6, 7, 8, 9, 10, 1};
    return n == 8 && digits(b, n) && b[0] != '0' && weighted_sum(b, w, 8) % 37 == 0 ? n : 0;
}

static size_t vat_nl(const char *b, size_t n)
{
    if (n != 12 || !digits(b, 9) || b[9] != 'B' || !digits(b + 10, 2) || !memcmp(b + 10, "00", 2))
        return 0;
    /* the RSIN/BSN "11-proof", or (sole traders since 2020) ISO 7064 mod 97 over "NL" + number */
    static const uint8_t w[8] = {9, 8, 7, 6, 5, 4, 3, 2};
    unsigned s = weighted_sum(b, w, 8);
    if (s % 11 == dval(b[8]) % 11 && s > 0) return n;
    char t[14] = {'N', 'L'};
    memcpy(t + 2, b, 12);
    return mod97_ok(t, 14) ? n : 0;
}

static size_t vat_pl(const char *b, size_t n)
{
    static const uint8_t w[9] = {6, 5, 7, 2, 3, 4, 5, 6, 7};
    return n == 10 && digits(b, n) && weighted_sum(b, w, 9) % 11 == dval(b[9]) ? n : 0;
}

static size_t vat_pt(const char *b, size_t n)
{
    static const uint8_t w[8] = {9, 8, 7, 6, 5, 4, 3, 2};
    if (n != 9 || !digits(b, n) || b[0] == '0') return 0;
    return (11 - weighted_sum(b, w, 8) % 11) % 11 % 10 == dval(b[8]) ? n : 0;
}

static size_t vat_ro(const char *b, size_t n)
{
    if (n < 2 || n > 10 || !digits(b, n) || b[0] == '0') return 0;
    static const uint8_t w[9] = {7, 5, 3, 2, 1, 7, 5, 3, 2};
    char t[10];
    memset(t, '0', sizeof t);
    memcpy(t + 10 - n, b, n);
    return weighted_sum(t, w, 9) * 10 % 11 % 10 == dval(t[9]) ? n : 0;
}

static size_t vat_se(const char *b, size_t n)
{
    return n == 12 && digits(b, n) && memcmp(b + 10, "01", 2) == 0 && luhn_ok(b, 10) ? n : 0;
}

static size_t vat_si(const char *b, size_t n)
{
    static const uint8_t w[7] = {8, 7, 6, 5, 4, 3, 2};
    if (n != 8 || !digits(b, n) || b[0] == '0') return 0;
    unsigned r = weighted_sum(b, w, 7) % 11;
    if (r == 0) return 0; /* the check would be 11 */
    return (11 - r) % 10 == dval(b[7]) ? n : 0;
}

static size_t vat_sk(const char *b, size_t n)
{
    if (n != 10 || !digits(b, n) || b[0] == '0' || !strchr("234789", b[2])) return 0;
    return num(b, 10) % 11 == 0 ? n : 0;
}

static size_t vat_gb(const char *b, size_t n)
{
    if (n == 5 && digits(b + 2, 3)) {
        /* government departments GD000-GD499, health authorities HA500-HA999 */
        unsigned x = (unsigned)num(b + 2, 3);
        return (memcmp(b, "GD", 2) == 0 && x < 500) || (memcmp(b, "HA", 2) == 0 && x >= 500) ? n
                                                                                             : 0;
    }
    if ((n != 9 && n != 12) || !digits(b, n)) return 0;
    static const uint8_t w[9] = {8, 7, 6, 5, 4, 3, 2, 10, 1};
    unsigned r = weighted_sum(b, w, 9) % 97;
    if (num(b, 3) >= 100) return r == 0 || r == 42 || r == 55 ? n : 0;
    return r == 0 ? n : 0;
}

/* A trailing language tag or "MVA" may follow the number: its length, else 0. */
static size_t suffix(const char *b, size_t n, size_t at, const char *const *tags, size_t nt)
{
    if (n == at) return at;
    for (size_t i = 0; i < nt; i++) {
        if (strlen(tags[i]) == n - at && memcmp(b + at, tags[i], n - at) == 0) return at;
    }
    return 0;
}

static size_t vat_ch(const char *b, size_t n)
{
    static const char *const tags[] = {"MWST", "TVA", "IVA", "TPV"};
    static const uint8_t w[8] = {5, 4, 3, 2, 7, 6, 5, 4};
    if (n < 10 || b[0] != 'E' || !digits(b + 1, 9)) return 0;
    size_t len = suffix(b, n, 10, tags, ARRAY_LEN(tags));
    if (!len) return 0;
    unsigned c = 11 - weighted_sum(b + 1, w, 8) % 11;
    if (c == 11) c = 0;
    return c != 10 && c == dval(b[9]) ? len : 0;
}

static size_t vat_no(const char *b, size_t n)
{
    static const char *const tags[] = {"MVA"};
    static const uint8_t w[9] = {3, 2, 7, 6, 5, 4, 3, 2, 1};
    if (n < 9 || !digits(b, 9)) return 0;
    size_t len = suffix(b, n, 9, tags, ARRAY_LEN(tags));
    return len && weighted_sum(b, w, 9) % 11 == 0 ? len : 0;
}

struct vat_country {
    char cc[3];
    vat_fn fn;
};

/* Sorted by code (bisected). EL is Greece's VAT prefix; XI is Northern Ireland (GB rules). */
static const struct vat_country countries[] = {
    {"AT", vat_at}, {"BE", vat_be}, {"BG", vat_bg}, {"CH", vat_ch}, {"CY", vat_cy}, {"CZ", vat_cz},
    {"DE", vat_de}, {"DK", vat_dk}, {"EE", vat_ee}, {"EL", vat_el}, {"ES", vat_es}, {"FI", vat_fi},
    {"FR", vat_fr}, {"GB", vat_gb}, {"HR", vat_hr}, {"HU", vat_hu}, {"IE", vat_ie}, {"IT", vat_it},
    {"LT", vat_lt}, {"LU", vat_lu}, {"LV", vat_lv}, {"MT", vat_mt}, {"NL", vat_nl}, {"NO", vat_no},
    {"PL", vat_pl}, {"PT", vat_pt}, {"RO", vat_ro}, {"SE", vat_se}, {"SI", vat_si}, {"SK", vat_sk},
    {"XI", vat_gb},
};

static vat_fn country_fn(const uint8_t *cc)
{
    size_t lo = 0, hi = ARRAY_LEN(countries);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = memcmp(countries[mid].cc, cc, 2);
        if (c == 0) return countries[mid].fn;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

#define VAT_MAX 16

bool v_vat(struct vctx *v)
{
    /* The number starts with its country code: at the finder's span, or after a label
     * ("VAT no.: DE 136 695 976", "USt-IdNr.: DE136695976", "TVA FR40303265045"). */
    size_t p = v->end > v->start ? v->start : label_value(v, v->anchor);
    if (p == SIZE_MAX || !is_upper(v_at(v, p)) || !is_upper(v_at(v, p + 1)) ||
        is_alnum(v_at(v, p - 1)))
        return false;
    vat_fn fn = country_fn(v->buf + p);
    if (!fn) return false;

    /* The body: alphanumerics, groups joined by one ' ', '-' or '.'; every group end is a
     * possible end of the number (it may be followed by a word: "DE136695976 ok"). */
    char b[VAT_MAX + 1];
    size_t pos[VAT_MAX + 1], n = 0, i = p + 2;
    size_t ends[VAT_MAX + 1], ne = 0; /* body lengths at group ends */
    if (v_at(v, i) == ' ' || v_at(v, i) == '-') i++;
    while (n < VAT_MAX) {
        int c = v_at(v, i);
        if (is_upper(c) || is_digit(c)) {
            b[n] = (char)c;
            pos[n++] = ++i;
            continue;
        }
        if (is_lower(c)) break;
        if (n > 0 && (c == ' ' || c == '-' || c == '.') &&
            (is_upper(v_at(v, i + 1)) || is_digit(v_at(v, i + 1)))) {
            ends[ne++] = n;
            i++;
            continue;
        }
        break;
    }
    if (n == 0) return false;
    if (!is_alnum(v_at(v, pos[n - 1]))) ends[ne++] = n;
    for (size_t k = ne; k-- > 0;) {
        size_t len = fn(b, ends[k]);
        if (!len) continue;
        size_t end = pos[ends[k] - 1];
        /* not a piece of a longer dotted or dashed number */
        if (v_digit_run_continues(v, end, +1, -1)) return false;
        char norm[2 + VAT_MAX];
        memcpy(norm, v->buf + p, 2);
        memcpy(norm + 2, b, len);
        v->start = p;
        v->end = end;
        v_set_norm(v, norm, 2 + len);
        return true;
    }
    return false;
}
