/* validate_rules.c: numbering-plan validators: payment cards, US SSN, telephone numbers,
 * coordinates and IBAN. Knows each scheme's published rules; nothing of finders or output. */
#include "validate.h"

#include <string.h>

static bool in_list(const char *s, size_t n, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0) return true;
    }
    return false;
}

/* ==== payment cards ===================================================================== */

#define LEN(n)       (1u << (n))
#define LENS(lo, hi) (((1u << ((hi) + 1)) - 1u) & ~((1u << (lo)) - 1u))

struct iin {
    uint32_t lo, hi; /* prefix range, inclusive */
    uint8_t plen;    /* digits in the prefix */
    uint32_t lens;   /* LEN(n) bit per allowed length */
};

static const struct iin iins[] = {
    {4, 4, 1, LEN(13) | LEN(16) | LEN(19)}, /* Visa */
    {51, 55, 2, LEN(16)},                   /* Mastercard */
    {2221, 2720, 4, LEN(16)},               /* Mastercard 2-series */
    {34, 34, 2, LEN(15)},                   /* American Express */
    {37, 37, 2, LEN(15)},                   /* American Express */
    {6011, 6011, 4, LENS(16, 19)},          /* Discover */
    {644, 649, 3, LENS(16, 19)},            /* Discover */
    {65, 65, 2, LENS(16, 19)},              /* Discover */
    {622126, 622925, 6, LENS(16, 19)},      /* Discover (China UnionPay co-brand) */
    {3528, 3589, 4, LENS(16, 19)},          /* JCB */
    {300, 305, 3, LENS(14, 19)},            /* Diners Club */
    {36, 36, 2, LENS(14, 19)},              /* Diners Club */
    {38, 39, 2, LENS(14, 19)},              /* Diners Club */
    {62, 62, 2, LENS(16, 19)},              /* UnionPay */
    {50, 50, 2, LENS(12, 19)},              /* Maestro */
    {56, 58, 2, LENS(12, 19)},              /* Maestro */
    {639, 639, 3, LENS(12, 19)},            /* Maestro */
    {67, 67, 2, LENS(12, 19)},              /* Maestro */
    {2200, 2204, 4, LENS(16, 19)},          /* Mir */
};

/* The networks' and the big processors' (Stripe, Braintree, Adyen, Authorize.net) published
 * test numbers. Every entry passes Luhn and the IIN table (the tests check that). */
static const char *const test_cards[] = {
    "4111111111111111", "4242424242424242",    "4012888888881881", "4000056655665556",
    "4222222222222",    "4007000000027",       "4012888818888",    "4000000000000002",
    "4000000000000077", "4000000000000093",    "4000000000000127", "4000000000009995",
    "4000000000003220", "4000002500003155",    "4000002760003184", "4000000000000341",
    "4000000000000069", "4000000000000119",    "4000003720000278", "4000000760000002",
    "4000001240000000", "4000004840008001",    "4217651111111119", "4500600000000061",
    "4009348888881881", "4012000033330026",    "4012000077777777", "4111111145551142",
    "4917610000000000", "4444333322221111",    "5555555555554444", "5105105105105100",
    "5200828282828210", "5454545454545454",    "5424000000000015", "5431111111111111",
    "5555341244441115", "2223003122003222",    "2223000048400011", "2223000010309703",
    "2223000010309711", "378282246310005",     "371449635398431",  "378734493671000",
    "370000000000002",  "340000000000009",     "371111111111114",  "6011111111111117",
    "6011000990139424", "6011000400000000",    "6011000000000012", "6011981111111113",
    "6555900000604105", "6445644564456445",    "3530111333300000", "3566002020360505",
    "3566111111111113", "3528000700000000",    "30569309025904",   "38520000023237",
    "36227206271667",   "3056930009020004",    "36006666333344",   "38000000000006",
    "6200000000000005", "6205500000000000004", "6243030000000001", "5000000000000611",
    "6759649826438453", "2200000000000004",
};

static bool iin_ok(const char *d, size_t n)
{
    for (size_t i = 0; i < ARRAY_LEN(iins); i++) {
        const struct iin *r = &iins[i];
        if (!(r->lens & LEN(n))) continue;
        uint32_t p = 0;
        for (size_t k = 0; k < r->plen; k++) p = p * 10 + (uint32_t)(d[k] - '0');
        if (p >= r->lo && p <= r->hi) return true;
    }
    return false;
}

/* Group lengths of a separated card number; 0-terminated. */
static const uint8_t card_groupings[][6] = {
    {4, 4, 4, 4, 0}, {4, 4, 4, 4, 3, 0}, {4, 6, 5, 0}, {4, 6, 4, 0}};

static size_t iban_country_len(const uint8_t *cc);

/* Whether the space-separated groups before `at` begin an IBAN: back over up to seven groups of
 * four letters or digits to a first one of an IBAN country's two capitals and two digits ("SE28
 * 2309 1115 1057 2232 9030": the card shape "2309 1115 1057 2232" passes Luhn one time in ten). */
static bool in_iban_groups(const struct vctx *v, size_t at)
{
    size_t p = at;
    for (int g = 0; g < 7; g++) {
        if (p < v->lo + 5 || v->buf[p - 1] != ' ') return false;
        const uint8_t *w = v->buf + p - 5;
        for (int k = 0; k < 4; k++)
            if (!is_alnum(w[k])) return false;
        if (p - 5 > v->lo && is_alnum(v->buf[p - 6])) return false;
        if (is_upper(w[0]) && is_upper(w[1]) && is_digit(w[2]) && is_digit(w[3]))
            return iban_country_len(w) != 0; /* a country's IBAN, not a reference "AB12" */
        p -= 5;
    }
    return false;
}

bool v_card(struct vctx *v)
{
    const uint8_t *s = v->buf + v->start;
    size_t n = v->end - v->start;
    if (v->end <= v->start || n > 23 || !is_digit(s[0]) || !is_digit(s[n - 1])) return false;

    char d[20];
    size_t nd = 0;
    uint8_t groups[8];
    size_t ng = 0, glen = 0;
    int sep = -1;
    for (size_t i = 0; i < n; i++) {
        if (is_digit(s[i])) {
            if (nd == 19) return false;
            d[nd++] = (char)s[i];
            glen++;
            continue;
        }
        if ((s[i] != ' ' && s[i] != '-') || (sep >= 0 && s[i] != sep) || ng == 6) return false;
        sep = s[i];
        groups[ng++] = (uint8_t)glen; /* a doubled separator makes a 0 group: no match */
        glen = 0;
    }
    groups[ng++] = (uint8_t)glen;
    if (nd < 13) return false;
    if (sep >= 0) {
        bool ok = false;
        for (size_t g = 0; g < ARRAY_LEN(card_groupings) && !ok; g++) {
            size_t k = 0;
            while (k < ng && card_groupings[g][k] == groups[k]) k++;
            ok = k == ng && card_groupings[g][k] == 0;
        }
        if (!ok) return false;
    }

    /* Boundaries: not inside a word, not a piece of a longer digit run, not after '+' (an
     * E.164 phone number: "+4917697842327" passes Luhn and Visa's 13 digits by chance). */
    int before = v_at(v, v->start - 1);
    if (is_word(before) || before == '+' || is_word(v_at(v, v->end))) return false;
    if (sep == ' ' && in_iban_groups(v, v->start)) return false;
    /* A space is not a join: "card 4111 1111 1111 1111 2024" is a card and a year. */
    int join = sep == ' ' ? -1 : sep;
    if (v_digit_run_continues(v, v->start - 1, -1, join) ||
        v_digit_run_continues(v, v->end, +1, join))
        return false;

    size_t same = 1;
    while (same < nd && d[same] == d[0]) same++;
    if (same == nd) return false;
    if (!luhn_ok(d, nd) || !iin_ok(d, nd)) return false;

    if (in_list(d, nd, test_cards, ARRAY_LEN(test_cards))) v->flags |= V_TEST;
    v_set_norm(v, d, nd);
    return true;
}

/* ==== US Social Security Number ========================================================= */

static const char *const test_ssns[] = {
    "078051120", /* Woolworth wallet card, voided by the SSA */
    "219099999", /* SSA advertisement, 1940 */
    "123456789",
};

bool v_ssn(struct vctx *v)
{
    const uint8_t *s = v->buf + v->start;
    size_t n = v->end - v->start;
    int sep = -1;
    char d[10];
    if (v->end <= v->start) return false;
    if (n == 11) {
        sep = s[3];
        if ((sep != '-' && sep != ' ') || s[6] != sep) return false;
        for (size_t i = 0, k = 0; i < n; i++) {
            if (i == 3 || i == 6) continue;
            if (!is_digit(s[i])) return false;
            d[k++] = (char)s[i];
        }
    } else if (n == 9) {
        for (size_t i = 0; i < n; i++) {
            if (!is_digit(s[i])) return false;
            d[i] = (char)s[i];
        }
    } else {
        return false;
    }
    d[9] = '\0';

    if (is_word(v_at(v, v->start - 1)) || is_word(v_at(v, v->end))) return false;
    if (v_digit_run_continues(v, v->start - 1, -1, sep) ||
        v_digit_run_continues(v, v->end, +1, sep))
        return false;

    bool test = in_list(d, 9, test_ssns, ARRAY_LEN(test_ssns)) ||
                (memcmp(d, "98765432", 8) == 0); /* 987-65-4320..4329: SSA advertising */
    if (!test) {
        if (memcmp(d, "000", 3) == 0 || memcmp(d, "666", 3) == 0 || d[0] == '9') return false;
        if (memcmp(d + 3, "00", 2) == 0 || memcmp(d + 5, "0000", 4) == 0) return false;
    }
    if (test) v->flags |= V_TEST;
    if (sep < 0) v->flags |= V_BARE;
    v_set_norm(v, d, 9);
    return true;
}

/* ==== telephone numbers ================================================================= */

/* ITU-T E.164 assigned country calling codes (prefix-free). */
static const uint16_t cc_codes[] = {
    1,   7,   20,  27,  30,  31,  32,  33,  34,  36,  39,  40,  41,  43,  44,  45,  46,  47,
    48,  49,  51,  52,  53,  54,  55,  56,  57,  58,  60,  61,  62,  63,  64,  65,  66,  81,
    82,  84,  86,  90,  91,  92,  93,  94,  95,  98,  211, 212, 213, 216, 218, 220, 221, 222,
    223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239, 240,
    241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255, 256, 257, 258,
    260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 290, 291, 297, 298, 299, 350, 351, 352,
    353, 354, 355, 356, 357, 358, 359, 370, 371, 372, 373, 374, 375, 376, 377, 378, 379, 380,
    381, 382, 383, 385, 386, 387, 389, 420, 421, 423, 500, 501, 502, 503, 504, 505, 506, 507,
    508, 509, 590, 591, 592, 593, 594, 595, 596, 597, 598, 599, 670, 672, 673, 674, 675, 676,
    677, 678, 679, 680, 681, 682, 683, 685, 686, 687, 688, 689, 690, 691, 692, 800, 808, 850,
    852, 853, 855, 856, 870, 881, 882, 883, 886, 888, 960, 961, 962, 963, 964, 965, 966, 967,
    968, 970, 971, 972, 973, 974, 975, 976, 977, 979, 992, 993, 994, 995, 996, 998,
};

static bool cc_assigned(unsigned code)
{
    size_t lo = 0, hi = ARRAY_LEN(cc_codes);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cc_codes[mid] == code) return true;
        if (cc_codes[mid] < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* NANP rules on 10 digits (NPA NXX XXXX); sets V_TEST for 555-01XX. */
static bool nanp_ok(struct vctx *v, const char *d)
{
    if (!nanp_plan_ok(d)) return false;
    if (memcmp(d + 3, "55501", 5) == 0) v->flags |= V_TEST;
    return true;
}

/* NANP layouts without the country prefix: NXX-NXX-XXXX ('-', '.', ' '), (NXX) NXX-XXXX,
 * (NXX)NXX-XXXX, (NXX) NXX XXXX. Fills d[10]; *sep gets the last separator. */
static bool nanp_layout(const uint8_t *s, size_t n, char *d, int *sep)
{
    size_t i = 0, k = 0;
    if (n > 0 && s[0] == '(') {
        if (n < 13 || s[4] != ')') return false;
        for (i = 1; i < 4; i++) {
            if (!is_digit(s[i])) return false;
            d[k++] = (char)s[i];
        }
        i = 5;
        bool sp = s[i] == ' ';
        if (sp) i++;
        if (n != i + 8) return false;
        *sep = s[i + 3];
        if (*sep != '-' && !(sp && *sep == ' ')) return false;
    } else {
        if (n != 12) return false;
        *sep = s[3];
        if ((*sep != '-' && *sep != '.' && *sep != ' ') || s[7] != *sep) return false;
        for (i = 0; i < 3; i++) {
            if (!is_digit(s[i])) return false;
            d[k++] = (char)s[i];
        }
        i = 4;
    }
    for (size_t j = 0; j < 3; j++, i++) {
        if (!is_digit(s[i])) return false;
        d[k++] = (char)s[i];
    }
    i++; /* separator */
    for (size_t j = 0; j < 4; j++, i++) {
        if (!is_digit(s[i])) return false;
        d[k++] = (char)s[i];
    }
    return k == 10 && i == n;
}

/* "+" then 8-15 digits, optionally grouped by one consistent single separator. */
static bool e164(struct vctx *v, const uint8_t *s, size_t n, int *sep)
{
    char d[16];
    size_t nd = 0, first_group = 0;
    int first_sep = -1;
    bool in_first = true;
    *sep = -1;
    for (size_t i = 1; i < n; i++) {
        if (is_digit(s[i])) {
            if (nd == 15) return false;
            d[nd++] = (char)s[i];
            if (in_first) first_group++;
            continue;
        }
        if (s[i] != ' ' && s[i] != '-' && s[i] != '.') return false;
        if (!is_digit(s[i - 1]) || i + 1 >= n) return false;
        /* One separator style, except that a space may follow the country code alone:
         * "+81 3-1234-5678". */
        if (in_first) {
            first_sep = s[i];
            in_first = false;
        } else {
            if (*sep >= 0 && s[i] != *sep) return false;
            *sep = s[i];
        }
    }
    if (nd < 8 || !is_digit(s[1])) return false;
    if (*sep >= 0 && first_sep != *sep && first_sep != ' ') return false;
    if (*sep < 0) *sep = first_sep;

    unsigned cc = (unsigned)(d[0] - '0');
    size_t cl = 1;
    if (!cc_assigned(cc)) {
        cc = cc * 10 + (unsigned)(d[1] - '0');
        cl = 2;
        if (!cc_assigned(cc)) {
            cc = cc * 10 + (unsigned)(d[2] - '0');
            cl = 3;
            if (!cc_assigned(cc)) return false;
        }
    }
    if (*sep >= 0 && first_group < cl) return false;
    const char *nat = d + cl;
    size_t nn = nd - cl;
    if (cc == 1) {
        if (nn != 10 || !nanp_ok(v, nat)) return false;
    } else if (cc == 44) {
        if (nn < 9 || nn > 10 || nat[0] == '0') return false;
        /* Ofcom's numbers reserved for drama: 020 7946 0xxx, 07700 900xxx, 01632 960xxx. */
        if (nn == 10 && (memcmp(nat, "2079460", 7) == 0 || memcmp(nat, "7700900", 7) == 0 ||
                         memcmp(nat, "1632960", 7) == 0))
            v->flags |= V_TEST;
    }
    char norm[17];
    norm[0] = '+';
    memcpy(norm + 1, d, nd);
    v_set_norm(v, norm, nd + 1);
    return true;
}

bool v_phone(struct vctx *v)
{
    const uint8_t *s = v->buf + v->start;
    size_t n = v->end - v->start;
    if (v->end <= v->start || n < 10 || n > 24) return false;

    char d[11];
    int sep = -1;
    bool ok = false, done = false;
    if (s[0] == '+') {
        if (n > 3 && s[1] == '1' && (s[2] == ' ' || s[2] == '-' || s[2] == '.')) {
            ok = nanp_layout(s + 3, n - 3, d, &sep) && nanp_ok(v, d);
        }
        if (!ok) {
            v->flags &= ~V_TEST;
            ok = e164(v, s, n, &sep);
            done = true;
        }
    } else if (n > 2 && s[0] == '1' && (s[1] == ' ' || s[1] == '-' || s[1] == '.')) {
        ok = nanp_layout(s + 2, n - 2, d, &sep) && nanp_ok(v, d);
    } else if (is_digit(s[0]) && (n == 10 || n == 11)) {
        size_t k = v_digits(s, 0, n, d, 11);
        if (k != n) return false;
        if (n == 11 && s[0] != '1') return false;
        if (n == 11) memmove(d, d + 1, 10);
        ok = nanp_ok(v, d);
        v->flags |= V_BARE;
    } else {
        ok = nanp_layout(s, n, d, &sep) && nanp_ok(v, d);
    }
    if (!ok) {
        v->flags = 0;
        v->norm_len = 0;
        return false;
    }

    int before = v_at(v, v->start - 1);
    if (is_word(before) || is_word(v_at(v, v->end)) || (before == '+' && s[0] != '+') ||
        v_digit_run_continues(v, v->start - 1, -1, sep) ||
        v_digit_run_continues(v, v->end, +1, sep)) {
        v->flags = 0;
        v->norm_len = 0;
        return false;
    }
    if (!done) {
        char norm[12] = {'+', '1'};
        memcpy(norm + 2, d, 10);
        v_set_norm(v, norm, 12);
    }
    return true;
}

/* ==== geographic coordinates ============================================================ */

struct coord {
    int64_t micro; /* absolute value in 1e-6 degrees, rounded up past the sixth decimal */
    size_t decimals;
    bool zero;
};

/* Optional '-', 1-3 digits, '.', 1+ digits. Advances *i. */
static bool parse_coord(const uint8_t *s, size_t n, size_t *i, struct coord *c)
{
    size_t p = *i;
    if (p < n && s[p] == '-') p++;
    size_t intd = 0;
    int64_t ip = 0;
    c->zero = true;
    while (p < n && is_digit(s[p])) {
        if (++intd > 3) return false;
        ip = ip * 10 + (s[p] - '0');
        if (s[p] != '0') c->zero = false;
        p++;
    }
    if (intd == 0 || p >= n || s[p] != '.') return false;
    p++;
    int64_t frac = 0;
    bool beyond = false;
    c->decimals = 0;
    while (p < n && is_digit(s[p])) {
        if (c->decimals < 6)
            frac = frac * 10 + (s[p] - '0');
        else if (s[p] != '0')
            beyond = true;
        if (s[p] != '0') c->zero = false;
        c->decimals++;
        p++;
    }
    if (c->decimals == 0) return false;
    for (size_t k = c->decimals; k < 6; k++) frac *= 10;
    c->micro = ip * 1000000 + frac + (beyond ? 1 : 0);
    *i = p;
    return true;
}

bool v_geo(struct vctx *v)
{
    if (v->end <= v->start) return false;
    /* A sign the finder left out belongs to the latitude. */
    if (v_at(v, v->start - 1) == '-' && v->buf[v->start] != '-') v->start--;
    const uint8_t *s = v->buf + v->start;
    size_t n = v->end - v->start, i = 0;
    struct coord lat, lon;
    if (!parse_coord(s, n, &i, &lat)) return false;
    while (i < n && s[i] == ' ') i++;
    if (i >= n || s[i] != ',') return false;
    i++;
    while (i < n && s[i] == ' ') i++;
    size_t lon_at = i;
    if (!parse_coord(s, n, &i, &lon) || i != n) return false;

    if (lat.micro > 90000000 || lon.micro > 180000000 || (lat.zero && lon.zero)) return false;

    /* Not inside a word or a longer number; not two members of a longer list of numbers. */
    int b = v_at(v, v->start - 1), a = v_at(v, v->end);
    if (is_word(b) || b == '.' || is_word(a) || (a == '.' && is_digit(v_at(v, v->end + 1))))
        return false;
    size_t j = v->start - 1;
    while (v_at(v, j) == ' ') j--;
    if (v_at(v, j) == ',') {
        j--;
        while (v_at(v, j) == ' ') j--;
        if (is_digit(v_at(v, j))) return false;
    }
    j = v->end;
    while (v_at(v, j) == ' ') j++;
    if (v_at(v, j) == ',') {
        j++;
        while (v_at(v, j) == ' ') j++;
        if (v_at(v, j) == '-') j++;
        if (is_digit(v_at(v, j))) return false;
    }

    size_t lo_dec = lat.decimals < lon.decimals ? lat.decimals : lon.decimals;
    size_t hi_dec = lat.decimals < lon.decimals ? lon.decimals : lat.decimals;
    if (lo_dec < 2) return false;
    if (lo_dec < 3) v->flags |= V_BARE;
    /* both within 2 degrees of 0,0 (open sea off West Africa): far likelier a pair of metrics
     * ("class weights 0.5271, 0.6905") than a place, unless a context word says so */
    if (lat.micro < 2000000 && lon.micro < 2000000) v->flags |= V_BARE;
    /* Precise = the cell the decimals leave open is no larger than a circle of radius 1,850
     * ft: a 0.01 x 0.01 degree cell is small enough only north/south of about 36.3 degrees,
     * a 0.01 x 0.001 one everywhere. */
    bool precise = lo_dec >= 3 || hi_dec >= 3 || lat.micro > 36300000;
    if (!precise) v->flags |= V_NOT_SENSITIVE;

    char norm[256];
    size_t l1 = 0;
    while (l1 < lon_at && s[l1] != ' ' && s[l1] != ',') l1++;
    size_t l2 = n - lon_at;
    if (l1 + 1 + l2 < sizeof norm) {
        memcpy(norm, s, l1);
        norm[l1] = ',';
        memcpy(norm + l1 + 1, s + lon_at, l2);
        v_set_norm(v, norm, l1 + 1 + l2);
    }
    return true;
}

/* ==== IBAN ============================================================================== */

struct iban_len {
    char cc[3];
    uint8_t len;
};

/* SWIFT IBAN registry: country -> total length. Sorted by country code. */
static const struct iban_len iban_lens[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
    {"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26},
    {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20},
    {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20},
    {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24},
    {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25},
    {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
    {"YE", 30},
};

static const char *const test_ibans[] = {
    "GB82WEST12345698765432",
    "DE89370400440532013000",
    "FR1420041010050500013M02606",
    "GB29NWBK60161331926819",
    "NL91ABNA0417164300",
    "CH9300762011623852957",
    "BE68539007547034",
    "NO9386011117947",
    "SE4550000000058398257466",
    "ES9121000418450200051332",
    "IT60X0542811101000000123456",
    "PL61109010140000071219812874",
    "MT84MALT011000012345MTLCAST001S",
    "LC55HEMM000100010012001200023015",
    "RU0204452560040702810412345678901",
    "AT611904300234573201",
    "DK5000400440116243",
    "FI2112345600000785",
    "IE29AIBK93115212345678",
    "PT50000201231234567890154",
    "SA0380000000608010167519",
    "BR1800360305000010009795493C1",
    "TR330006100519786457841326",
    "IL620108000000099999999",
    "KW81CBKU0000000000001234560101",
    "SC18SSCB11010000000000001497USD",
};

static size_t iban_country_len(const uint8_t *cc)
{
    size_t lo = 0, hi = ARRAY_LEN(iban_lens);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = memcmp(iban_lens[mid].cc, cc, 2);
        if (c == 0) return iban_lens[mid].len;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

bool v_iban(struct vctx *v)
{
    const uint8_t *s = v->buf + v->start;
    size_t n = v->end - v->start;
    if (v->end <= v->start || n < 15) return false;
    if (!is_upper(s[0]) || !is_upper(s[1]) || !is_digit(s[2]) || !is_digit(s[3])) return false;
    size_t want = iban_country_len(s);
    if (want == 0) return false;

    char c[36];
    size_t nc = 0, glen = 0, i = 0;
    bool spaced = false;
    for (; i < n && nc < want; i++) {
        if (s[i] == ' ') {
            if (glen != 4) return false;
            spaced = true;
            glen = 0;
            continue;
        }
        if (!is_upper(s[i]) && !is_digit(s[i])) return false;
        c[nc++] = (char)s[i];
        glen++;
        if (spaced && glen > 4) return false;
    }
    if (nc != want) return false;
    if (i < n) {
        if (s[i] != ' ') return false;
        v->end = v->start + i; /* the rest of the span is not part of this IBAN */
    }
    if (is_word(v_at(v, v->start - 1)) || is_word(v_at(v, v->end))) return false;

    char r[36];
    memcpy(r, c + 4, nc - 4);
    memcpy(r + nc - 4, c, 4);
    if (!mod97_ok(r, nc)) return false;

    if (in_list(c, nc, test_ibans, ARRAY_LEN(test_ibans))) v->flags |= V_TEST;
    v_set_norm(v, c, nc);
    return true;
}
