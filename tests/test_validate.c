/* test_validate.c: Criterion tests of the validator registry and every validator, with
 * published test vectors. Knows validators only through validator_find() and validate.h. */
#include "pii_internal.h"
#include "testutil.h"
#include "validate.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define NORM_EQ(r, s)                                                                              \
    do {                                                                                           \
        cr_assert_eq((r).norm_len, strlen(s), "norm '%s' (%zu), want '%s'", (r).norm,              \
                     (r).norm_len, (s));                                                           \
        cr_assert_str_eq((r).norm, (s));                                                           \
    } while (0)

/* A text, the span a shape finder would cut (NULL = the whole text), and the expected flags
 * (checked only on valid vectors). */
struct vec {
    const char *text;
    const char *span;
    unsigned flags;
};

/* Criterion may run each test in a fresh process (another address layout), so parameters
 * are indices into the static vector tables, never pointers. */
#define VEC_TEST(suite, name, arr, check, validator)                                               \
    ParameterizedTestParameters(suite, name)                                                       \
    {                                                                                              \
        static size_t idx[ARRAY_LEN(arr)];                                                         \
        for (size_t i = 0; i < ARRAY_LEN(arr); i++) idx[i] = i;                                    \
        return cr_make_param_array(size_t, idx, ARRAY_LEN(arr));                                   \
    }                                                                                              \
    ParameterizedTest(size_t *i, suite, name)                                                      \
    {                                                                                              \
        check(validator, &arr[*i]);                                                                \
    }

static void expect_valid(const char *validator, const struct vec *c)
{
    struct t_vres r = t_validate_span(validator, c->text, c->span);
    cr_assert(r.ok, "%s should accept '%s' in '%s'", validator, c->span ? c->span : c->text,
              c->text);
    cr_assert_eq(r.flags, c->flags, "%s '%s': flags %#x, want %#x", validator, c->text, r.flags,
                 c->flags);
}

static void expect_invalid(const char *validator, const struct vec *c)
{
    struct t_vres r = t_validate_span(validator, c->text, c->span);
    cr_assert_not(r.ok, "%s should reject '%s' in '%s'", validator, c->span ? c->span : c->text,
                  c->text);
}

/* Anchor vectors: text, anchor literal, the span expected (NULL: rejected), flags. */
struct avec {
    const char *text;
    const char *anc;
    const char *span;
    unsigned flags;
};

static void expect_anchor(const char *validator, const struct avec *c)
{
    struct t_vres r = t_validate_after(validator, c->text, c->anc);
    if (!c->span) {
        cr_assert_not(r.ok, "%s should reject '%s' (span '%s')", validator, c->text, r.span);
        return;
    }
    cr_assert(r.ok, "%s should accept '%s'", validator, c->text);
    cr_assert_str_eq(r.span, c->span, "%s '%s': span '%s', want '%s'", validator, c->text, r.span,
                     c->span);
    cr_assert_eq(r.flags, c->flags, "%s '%s': flags %#x, want %#x", validator, c->text, r.flags,
                 c->flags);
}

/* ---- registry and helpers -------------------------------------------------------------- */

Test(validate_registry, names_sorted_and_found)
{
    const char *const *names = validator_names();
    size_t n = 0;
    for (; names[n]; n++) {
        cr_assert_not_null(validator_find(names[n]), "%s not found", names[n]);
        if (n > 0) cr_assert_lt(strcmp(names[n - 1], names[n]), 0, "%s", names[n]);
    }
    static const char *const want[] = {
        "card",        "ssn",        "phone",          "ipv4",
        "ipv6",        "mac",        "email",          "url_clickstream",
        "geo",         "iban",       "aws_access_key", "aws_secret_key",
        "api_token",   "jwt",        "private_key",    "password",
        "person_name", "username",   "date_of_birth",  "street_address",
        "device_id",   "user_agent", "cookie_id"};
    cr_assert_geq(n, ARRAY_LEN(want));
    for (size_t i = 0; i < ARRAY_LEN(want); i++) cr_assert_not_null(validator_find(want[i]));
    cr_assert_null(validator_find("luhn"));
    cr_assert_null(validator_find(""));
    cr_assert_null(validator_find("CARD"));
    cr_assert_null(validator_find(NULL));
}

Test(validate_registry, checksums)
{
    cr_assert(luhn_ok("79927398713", 11));
    cr_assert_not(luhn_ok("79927398710", 11));
    cr_assert_not(luhn_ok("7992739871a", 11));
    cr_assert_not(luhn_ok("", 0));
    /* GB82WEST12345698765432 rearranged */
    cr_assert(mod97_ok("WEST12345698765432GB82", 22));
    cr_assert_not(mod97_ok("WEST12345698765433GB82", 22));
    cr_assert_eq(mod97("3214282912345698765432161182", 28), 1);
    cr_assert_eq(mod97("12-3", 4), -1);
    cr_assert_eq(hex_val('f'), 15);
    cr_assert_eq(hex_val('G'), -1);
    cr_assert(is_alnum('z') && is_alnum('0') && !is_alnum('_') && !is_alnum(0xc3));
    cr_assert(is_word('_') && !is_word('-') && !is_word(-1));
    cr_assert_eq(ascii_lower('Q'), 'q');
    cr_assert_eq(ascii_lower('['), '[');
}

Test(validate_registry, tld_table)
{
    size_t n;
    const char *const *t = tld_table(&n);
    cr_assert_gt(n, 300);
    for (size_t i = 1; i < n; i++) cr_assert_lt(strcmp(t[i - 1], t[i]), 0, "%s", t[i]);
    cr_assert(tld_known("com", 3));
    cr_assert(tld_known("COM", 3));
    cr_assert(tld_known("uk", 2));
    cr_assert(tld_known("io", 2));
    cr_assert(tld_known("museum", 6));
    cr_assert(tld_known("email", 5));
    cr_assert_not(tld_known("zip", 3));
    cr_assert_not(tld_known("notatld", 7));
    cr_assert_not(tld_known("c", 1));
    cr_assert_not(tld_known("c0m", 3));
    cr_assert_not(tld_known("abcdefghijklmnopqrstuvwxyz", 26));
}

/* ---- card ------------------------------------------------------------------------------ */

static struct vec card_test_cards[] = {
    {"4111111111111111", NULL, V_TEST},
    {"4242424242424242", NULL, V_TEST},
    {"4012888888881881", NULL, V_TEST},
    {"4000056655665556", NULL, V_TEST},
    {"4222222222222", NULL, V_TEST},
    {"5555555555554444", NULL, V_TEST},
    {"5105105105105100", NULL, V_TEST},
    {"5200828282828210", NULL, V_TEST},
    {"2223003122003222", NULL, V_TEST},
    {"378282246310005", NULL, V_TEST},
    {"371449635398431", NULL, V_TEST},
    {"378734493671000", NULL, V_TEST},
    {"6011111111111117", NULL, V_TEST},
    {"6011000990139424", NULL, V_TEST},
    {"6011000400000000", NULL, V_TEST},
    {"3530111333300000", NULL, V_TEST},
    {"3566002020360505", NULL, V_TEST},
    {"30569309025904", NULL, V_TEST},
    {"38520000023237", NULL, V_TEST},
    {"36227206271667", NULL, V_TEST},
    {"6200000000000005", NULL, V_TEST},
    {"4007000000027", NULL, V_TEST},
    {"4012888818888", NULL, V_TEST},
    {"4000000000000002", NULL, V_TEST},
    {"4000000000009995", NULL, V_TEST},
    {"4000002500003155", NULL, V_TEST},
    {"4000002760003184", NULL, V_TEST},
    {"4217651111111119", NULL, V_TEST},
    {"5454545454545454", NULL, V_TEST},
    {"5424000000000015", NULL, V_TEST},
    {"2223000048400011", NULL, V_TEST},
    {"370000000000002", NULL, V_TEST},
    {"6011000000000012", NULL, V_TEST},
    {"6555900000604105", NULL, V_TEST},
    {"3056930009020004", NULL, V_TEST},
    {"6205500000000000004", NULL, V_TEST},
    {"6759649826438453", NULL, V_TEST},
    {"2200000000000004", NULL, V_TEST},
    {"4000000000000077", NULL, V_TEST},
    {"4000000000000093", NULL, V_TEST},
    {"4000000000000127", NULL, V_TEST},
    {"4000000000003220", NULL, V_TEST},
    {"4000000000000341", NULL, V_TEST},
    {"4000000000000069", NULL, V_TEST},
    {"4000000000000119", NULL, V_TEST},
    {"4000003720000278", NULL, V_TEST},
    {"4000000760000002", NULL, V_TEST},
    {"4000001240000000", NULL, V_TEST},
    {"4000004840008001", NULL, V_TEST},
    {"4500600000000061", NULL, V_TEST},
    {"4009348888881881", NULL, V_TEST},
    {"4012000033330026", NULL, V_TEST},
    {"4012000077777777", NULL, V_TEST},
    {"4111111145551142", NULL, V_TEST},
    {"4917610000000000", NULL, V_TEST},
    {"4444333322221111", NULL, V_TEST},
    {"5431111111111111", NULL, V_TEST},
    {"5555341244441115", NULL, V_TEST},
    {"2223000010309703", NULL, V_TEST},
    {"2223000010309711", NULL, V_TEST},
    {"340000000000009", NULL, V_TEST},
    {"371111111111114", NULL, V_TEST},
    {"6011981111111113", NULL, V_TEST},
    {"6445644564456445", NULL, V_TEST},
    {"3566111111111113", NULL, V_TEST},
    {"3528000700000000", NULL, V_TEST},
    {"36006666333344", NULL, V_TEST},
    {"38000000000006", NULL, V_TEST},
    {"6243030000000001", NULL, V_TEST},
    {"5000000000000611", NULL, V_TEST},
    {"4111 1111 1111 1111", NULL, V_TEST},
    {"4111-1111-1111-1111", NULL, V_TEST},
    {"3782 822463 10005", NULL, V_TEST},
    {"3056 930902 5904", NULL, V_TEST},
    {"card: 4242 4242 4242 4242, exp 12/30", "4242 4242 4242 4242", V_TEST},
    /* a space does not join: a card next to another number is still a card */
    {"4111 1111 1111 1111 1", "4111 1111 1111 1111", V_TEST},
    {"1 4111 1111 1111 1111", "4111 1111 1111 1111", V_TEST},
};
VEC_TEST(validate_card, test_cards, card_test_cards, expect_valid, "card")

/* Luhn-valid numbers in each network's IIN range and length (not published test cards). */
static struct vec card_valid[] = {
    {"4526018159083012", NULL, 0},        /* Visa 16 */
    {"4661318609133", NULL, 0},           /* Visa 13 */
    {"4909960308246281946", NULL, 0},     /* Visa 19 */
    {"5182199351819098", NULL, 0},        /* Mastercard 51 */
    {"5537865797543235", NULL, 0},        /* Mastercard 55 */
    {"2221194875749111", NULL, 0},        /* Mastercard 2221 */
    {"2720862527601890", NULL, 0},        /* Mastercard 2720 */
    {"345559797114716", NULL, 0},         /* Amex 34 */
    {"370497465075299", NULL, 0},         /* Amex 37 */
    {"6011170342366718", NULL, 0},        /* Discover */
    {"6011276842684656328", NULL, 0},     /* Discover 19 */
    {"6451223307924406", NULL, 0},        /* Discover 645 */
    {"65268599528907869", NULL, 0},       /* Discover 65, 17 */
    {"6221266661760311", NULL, 0},        /* Discover 622126 */
    {"6229253721590109280", NULL, 0},     /* Discover 622925, 19 */
    {"3528159013962452", NULL, 0},        /* JCB */
    {"3589957117777412150", NULL, 0},     /* JCB 19 */
    {"30047280385282", NULL, 0},          /* Diners 300 */
    {"3050841485253884", NULL, 0},        /* Diners 305, 16 */
    {"36853933633877", NULL, 0},          /* Diners 36 */
    {"38500474395758", NULL, 0},          /* Diners 38 */
    {"3951313735379907516", NULL, 0},     /* Diners 39, 19 */
    {"6216372651676124", NULL, 0},        /* UnionPay */
    {"6222029729975288205", NULL, 0},     /* UnionPay 19 */
    {"5001826330436", NULL, 0},           /* Maestro 13 */
    {"5648395486205793", NULL, 0},        /* Maestro 56 */
    {"5886828288072902222", NULL, 0},     /* Maestro 58, 19 */
    {"639791805888719", NULL, 0},         /* Maestro 639, 15 */
    {"678033401878017593", NULL, 0},      /* Maestro 67, 18 */
    {"2200898347887839", NULL, 0},        /* Mir */
    {"2204848372616751363", NULL, 0},     /* Mir 19 */
    {"4526 0181 5908 3012", NULL, 0},     /* 4-4-4-4 */
    {"4526-0181-5908-3012", NULL, 0},     /* 4-4-4-4 */
    {"4909 9603 0824 6281 946", NULL, 0}, /* 4-4-4-4-3 */
    {"3455 597971 14716", NULL, 0},       /* Amex 4-6-5 */
    {"3685 393363 3877", NULL, 0},        /* Diners 4-6-4 */
    {"pan=4526018159083012;", "4526018159083012", 0},
    {"(4526018159083012)", "4526018159083012", 0},
    {"4526018159083012 2030", "4526018159083012", 0}, /* a space then another number */
    {"1.5,4526018159083012", "4526018159083012", 0},

    /* digit groups before it that do not begin an IBAN */
    {"exp 0425 4526 0181 5908 3012", "4526 0181 5908 3012", 0},
    /* after groups beginning with two capitals and two digits that are no IBAN country */
    {"ref AB12 4526 0181 5908 3012", "4526 0181 5908 3012", 0},
};
VEC_TEST(validate_card, valid, card_valid, expect_valid, "card")

static struct vec card_invalid[] = {
    {"4111111111111112", NULL, 0},     /* Luhn */
    {"4526018159083013", NULL, 0},     /* Luhn */
    {"3713412524273165", NULL, 0},     /* Amex prefix, 16 digits */
    {"47232686563556", NULL, 0},       /* Visa, 14 digits */
    {"415058770658943", NULL, 0},      /* Visa, 15 digits */
    {"518113114402429", NULL, 0},      /* Mastercard, 15 digits */
    {"51646288975140264", NULL, 0},    /* Mastercard, 17 digits */
    {"2221140141931417052", NULL, 0},  /* Mastercard 2-series, 19 digits */
    {"30686492083126", NULL, 0},       /* 306: not Diners */
    {"3000014620162", NULL, 0},        /* Diners, 13 digits */
    {"1402344834782454", NULL, 0},     /* no issuer 1 */
    {"9040008838737167", NULL, 0},     /* no issuer 9 */
    {"7786843353265026", NULL, 0},     /* no issuer 7 */
    {"0000000000000000", NULL, 0},     /* all same */
    {"8888888888888888", NULL, 0},     /* all same, Luhn-valid */
    {"411111111111", NULL, 0},         /* 12 digits */
    {"41111111111111111111", NULL, 0}, /* 20 digits */
    {"4111 1111-1111 1111", NULL, 0},  /* mixed separators */
    {"4111  1111 1111 1111", NULL, 0}, /* doubled separator */
    {"41111 1111 1111 111", NULL, 0},  /* non-standard grouping */
    {"4111 1111 1111 1111 ", NULL, 0}, /* trailing separator */
    {"4111.1111.1111.1111", NULL, 0},  /* '.' is not a card separator */
    {"4111111111111111-5", "4111111111111111", 0},
    {"4111111111111111.5", "4111111111111111", 0},
    {"5-4111111111111111", "4111111111111111", 0},
    {"12.4111111111111111", "4111111111111111", 0},
    {"x4111111111111111", "4111111111111111", 0},
    {"4111111111111111_id", "4111111111111111", 0},
    {"4111111111111111a", "4111111111111111", 0},
    {"4111-1111-1111-1111-2", "4111-1111-1111-1111", 0},
    /* Luhn-valid by chance: an E.164 phone, an IBAN's groups */
    {"phone=+4917697842327", "4917697842327", 0},
    {"SE28 2309 1115 1057 2232 9030", "2309 1115 1057 2232", 0},
    {"iban=\"PL80 3965 4084 0316 0130 8618 2181\"", "3965 4084 0316 0130", 0},
};
VEC_TEST(validate_card, invalid, card_invalid, expect_invalid, "card")

Test(validate_card, norm_is_digits)
{
    struct t_vres r = t_validate_span("card", "4526 0181 5908 3012", NULL);
    cr_assert(r.ok);
    NORM_EQ(r, "4526018159083012");
    r = t_validate_span("card", "x 3782-822463-10005 y", "3782-822463-10005");
    cr_assert(r.ok);
    cr_assert_eq(r.flags, V_TEST);
    NORM_EQ(r, "378282246310005");
    cr_assert_eq(r.start, 2);
    cr_assert_eq(r.end, 19);
}

/* ---- ssn ------------------------------------------------------------------------------- */

static struct vec ssn_valid[] = {
    {"536-22-1234", NULL, 0},
    {"536 22 1234", NULL, 0},
    {"536221234", NULL, V_BARE},
    {"ssn=536-22-1234;", "536-22-1234", 0},
    {"899-99-9999", NULL, 0},
    {"001-01-0001", NULL, 0},
    {"665-12-3456", NULL, 0},
    {"078-05-1120", NULL, V_TEST},
    {"219-09-9999", NULL, V_TEST},
    {"123-45-6789", NULL, V_TEST},
    {"123456789", NULL, V_TEST | V_BARE},
    {"987-65-4320", NULL, V_TEST},
    {"987-65-4325", NULL, V_TEST},
    {"987-65-4329", NULL, V_TEST},
    {"536-22-1234.", "536-22-1234", 0},
};
VEC_TEST(validate_ssn, valid, ssn_valid, expect_valid, "ssn")

static struct vec ssn_invalid[] = {
    {"000-12-3456", NULL, 0},
    {"666-12-3456", NULL, 0},
    {"900-12-3456", NULL, 0},
    {"999-12-3456", NULL, 0},
    {"987-65-4330", NULL, 0}, /* just past the advertising range: area 9xx */
    {"536-00-1234", NULL, 0},
    {"536-22-0000", NULL, 0},
    {"000000000", NULL, 0},
    {"666221234", NULL, 0},
    {"536-22 1234", NULL, 0},
    {"536.22.1234", NULL, 0},
    {"53-622-1234", NULL, 0},
    {"536-22-123", NULL, 0},
    {"536-22-1234-1", "536-22-1234", 0},
    {"1-536-22-1234", "536-22-1234", 0},
    {"536 22 1234 5", "536 22 1234", 0},
    {"4 536 22 1234", "536 22 1234", 0},
    {"x536-22-1234", "536-22-1234", 0},
    {"536-22-1234z", "536-22-1234", 0},
    {"5362212345", "536221234", 0},
    {"536221234.5", "536221234", 0},
};
VEC_TEST(validate_ssn, invalid, ssn_invalid, expect_invalid, "ssn")

Test(validate_ssn, norm_is_nine_digits)
{
    struct t_vres r = t_validate_span("ssn", "SSN: 536 22 1234", "536 22 1234");
    cr_assert(r.ok);
    NORM_EQ(r, "536221234");
}

/* ---- phone ----------------------------------------------------------------------------- */

static struct vec phone_valid[] = {
    {"415-555-2671", NULL, 0},
    {"415.555.2671", NULL, 0},
    {"415 555 2671", NULL, 0},
    {"(415) 555-2671", NULL, 0},
    {"(415)555-2671", NULL, 0},
    {"(415) 555 2671", NULL, 0},
    {"1-415-555-2671", NULL, 0},
    {"1 415 555 2671", NULL, 0},
    {"1 (415) 555-2671", NULL, 0},
    {"+1 415-555-2671", NULL, 0},
    {"+1-415-555-2671", NULL, 0},
    {"+1.415.555.2671", NULL, 0},
    {"+1 (415) 555-2671", NULL, 0},
    {"+14155552671", NULL, 0},
    {"+1 415 555 2671", NULL, 0},
    {"+44 20 7123 4567", NULL, 0},
    {"+447911123456", NULL, 0},
    {"+49 30 901820", NULL, 0},
    {"+33 1 42 68 53 00", NULL, 0},
    {"+81 3-1234-5678", NULL, 0},
    {"+353-1-234-5678", NULL, 0},
    {"+380.44.123.4567", NULL, 0},
    {"4155552671", NULL, V_BARE},
    {"14155552671", NULL, V_BARE},
    {"415-555-0123", NULL, V_TEST},
    {"(212) 555-0199", NULL, V_TEST},
    {"+1 202-555-0100", NULL, V_TEST},
    {"2025550150", NULL, V_TEST | V_BARE},
    {"+44 20 7946 0958", NULL, V_TEST},
    {"+44 7700 900123", NULL, V_TEST},
    {"tel:+14155552671,", "+14155552671", 0},
    {"call (415) 555-2671.", "(415) 555-2671", 0},
};
VEC_TEST(validate_phone, valid, phone_valid, expect_valid, "phone")

static struct vec phone_invalid[] = {
    {"115-555-2671", NULL, 0},      /* NPA starts with 1 */
    {"015-555-2671", NULL, 0},      /* NPA starts with 0 */
    {"911-555-2671", NULL, 0},      /* NPA N11 */
    {"495-555-2671", NULL, 0},      /* NPA x9x */
    {"415-155-2671", NULL, 0},      /* exchange starts with 1 */
    {"415-411-2671", NULL, 0},      /* exchange N11 */
    {"415-555.2671", NULL, 0},      /* mixed separators */
    {"415--555-2671", NULL, 0},     /* doubled separator */
    {"(415 555-2671", NULL, 0},     /* unbalanced */
    {"(415) 555.2671", NULL, 0},    /* '.' after parentheses */
    {"1700000000", NULL, 0},        /* epoch timestamp shape */
    {"1650000000", NULL, 0},        /* epoch timestamp shape */
    {"24155552671", NULL, 0},       /* 11 digits not starting with 1 */
    {"+999 1234 5678", NULL, 0},    /* unassigned country code */
    {"+28 1234 5678", NULL, 0},     /* unassigned country code */
    {"+44 20 794", NULL, 0},        /* too short */
    {"+44 020 7946 0958", NULL, 0}, /* trunk prefix kept */
    {"+44 20 7946 09581", NULL, 0}, /* UK national 11 digits */
    {"+1 115 555 2671", NULL, 0},   /* +1 with NANP rules */
    {"+1 415 555 267", NULL, 0},    /* +1 with 9 national digits */
    {"+1234567890123456", NULL, 0}, /* 16 digits */
    {"+49-30 901820", NULL, 0},     /* inconsistent separators */
    {"+4 930 901820", NULL, 0},     /* group cuts the country code */
    {"x415-555-2671", "415-555-2671", 0},
    {"415-555-2671x", "415-555-2671", 0},
    {"415-555-2671-5", "415-555-2671", 0},
    {"9-415-555-2671", "415-555-2671", 0},
    {"+415-555-2671", "415-555-2671", 0},
    {"1+44 20 7123 4567", "+44 20 7123 4567", 0},
    {"4155552671.5", "4155552671", 0},
};
VEC_TEST(validate_phone, invalid, phone_invalid, expect_invalid, "phone")

Test(validate_phone, norm_e164)
{
    struct t_vres r = t_validate_span("phone", "(415) 555-2671", NULL);
    cr_assert(r.ok);
    NORM_EQ(r, "+14155552671");
    r = t_validate_span("phone", "1-415-555-2671", NULL);
    NORM_EQ(r, "+14155552671");
    r = t_validate_span("phone", "+1.415.555.2671", NULL);
    NORM_EQ(r, "+14155552671");
    r = t_validate_span("phone", "+44 20 7123 4567", NULL);
    NORM_EQ(r, "+442071234567");
    r = t_validate_span("phone", "+49 30 901820", NULL);
    NORM_EQ(r, "+4930901820");
}

/* ---- ipv4 ------------------------------------------------------------------------------ */

static struct vec ipv4_valid[] = {
    {"8.8.8.8", NULL, 0},
    {"93.184.216.34", NULL, 0},
    {"src=93.184.216.34 dst", "93.184.216.34", 0},
    {"[93.184.216.34]:443", "93.184.216.34", 0},
    {"93.184.216.34:443", "93.184.216.34", 0},
    {"from 93.184.216.34.", "93.184.216.34", 0},
    {"host:93.184.216.34", "93.184.216.34", 0},
    {"192.0.2.1", NULL, V_TEST},
    {"192.0.2.255", NULL, V_TEST},
    {"198.51.100.23", NULL, V_TEST},
    {"203.0.113.7", NULL, V_TEST},
    {"10.0.0.1", NULL, 0},
    {"192.168.1.1", NULL, 0},
    {"172.16.0.5", NULL, 0},
    {"version of host 8.8.4.4", "8.8.4.4", 0},
    {"server 8.8.4.4", "8.8.4.4", 0},
    {"255.255.255.254", NULL, 0},
};
VEC_TEST(validate_ipv4, valid, ipv4_valid, expect_valid, "ipv4")

static struct vec ipv4_invalid[] = {
    {"256.1.1.1", NULL, 0},
    {"1.2.3.256", NULL, 0},
    {"1.2.3", NULL, 0},
    {"1.2.3.4.", NULL, 0},
    {"1..2.3", NULL, 0},
    {"1234.1.1.1", NULL, 0},
    {"1.2.3.1234", NULL, 0},
    {"1.2.3.4a", NULL, 0},
    {"1.2.3.", NULL, 0},
    {".1.2.3", NULL, 0},
    {"1.2.3.-4", NULL, 0},
    {"0.0.0.0", NULL, 0},
    {"255.255.255.255", NULL, 0},
    {"v1.2.3.4", "1.2.3.4", 0},
    {"V1.2.3.4", "1.2.3.4", 0},
    {"version 1.2.3.4", "1.2.3.4", 0},
    {"Version: 1.2.3.4", "1.2.3.4", 0},
    {"ver=1.2.3.4", "1.2.3.4", 0},
    {"fw=1.2.3.4", "1.2.3.4", 0},
    {"firmware/1.2.3.4", "1.2.3.4", 0},
    {"kernel 5.15.0.1", "5.15.0.1", 0},
    {"BUILD: 10.0.19041.1", "10.0.19041.1", 0},
    {"release \"1.2.3.4\"", "1.2.3.4", 0},
    {"oid 1.3.6.1.4.1.311", "1.3.6.1", 0},
    {"oid 1.3.6.1.4.1.311", "6.1.4.1", 0},
    {"8.8.4.4.7", "8.8.4.4", 0},
    {"a8.8.4.4", "8.8.4.4", 0},
    {"8.8.4.4x", "8.8.4.4", 0},
    {"8.8.4.4_", "8.8.4.4", 0},
    {"::ffff:8.8.4.4", "8.8.4.4", 0},
    {"64:ff9b::8.8.4.4", "8.8.4.4", 0},
};
VEC_TEST(validate_ipv4, invalid, ipv4_invalid, expect_invalid, "ipv4")

Test(validate_ipv4, norm_and_conf)
{
    struct t_vres r = t_validate_span("ipv4", "010.001.002.003", NULL);
    cr_assert(r.ok);
    NORM_EQ(r, "10.1.2.3");
    cr_assert_eq(r.conf, -10);
    r = t_validate_span("ipv4", "8.8.8.8", NULL);
    cr_assert_eq(r.conf, 0);
    NORM_EQ(r, "8.8.8.8");
    /* a leading zero in any group (the normal form is then built, not copied) */
    r = t_validate_span("ipv4", "8.8.8.08", NULL);
    cr_assert(r.ok);
    NORM_EQ(r, "8.8.8.8");
    r = t_validate_span("ipv4", "8.00.8.8", NULL);
    cr_assert(r.ok);
    NORM_EQ(r, "8.0.8.8");
    r = t_validate_span("ipv4", "203.0.113.255", NULL);
    cr_assert(r.ok);
    NORM_EQ(r, "203.0.113.255");
    r = t_validate_span("ipv4", "127.0.0.1", NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.conf, -10);
    r = t_validate_span("ipv4", "mask 255.255.255.0", "255.255.255.0");
    cr_assert(r.ok);
    cr_assert_lt(r.conf, -10);
}

/* ---- ipv6 ------------------------------------------------------------------------------ */

/* text, span, flags + the RFC 5952 form it must normalise to. */
struct v6vec {
    const char *text;
    const char *span;
    unsigned flags;
    const char *canon;
};

static struct v6vec ipv6_valid[] = {
    /* RFC 4291 section 2.2 */
    {"ABCD:EF01:2345:6789:ABCD:EF01:2345:6789", NULL, 0, "abcd:ef01:2345:6789:abcd:ef01:2345:6789"},
    {"2001:DB8:0:0:8:800:200C:417A", NULL, V_TEST, "2001:db8::8:800:200c:417a"},
    {"2001:DB8::8:800:200C:417A", NULL, V_TEST, "2001:db8::8:800:200c:417a"},
    {"FF01:0:0:0:0:0:0:101", NULL, 0, "ff01::101"},
    {"FF01::101", NULL, 0, "ff01::101"},
    {"0:0:0:0:0:0:13.1.68.3", NULL, 0, "::d01:4403"},
    {"::13.1.68.3", NULL, 0, "::d01:4403"},
    {"0:0:0:0:0:FFFF:129.144.52.38", NULL, 0, "::ffff:129.144.52.38"},
    {"::FFFF:129.144.52.38", NULL, 0, "::ffff:129.144.52.38"},
    /* RFC 5952 section 4 */
    {"2001:db8:0:0:1:0:0:1", NULL, V_TEST, "2001:db8::1:0:0:1"},
    {"2001:0db8:0:0:1:0:0:1", NULL, V_TEST, "2001:db8::1:0:0:1"},
    {"2001:db8::1:0:0:1", NULL, V_TEST, "2001:db8::1:0:0:1"},
    {"2001:db8::0:1:0:0:1", NULL, V_TEST, "2001:db8::1:0:0:1"},
    {"2001:0db8::1:0:0:1", NULL, V_TEST, "2001:db8::1:0:0:1"},
    {"2001:db8:0:0:1::1", NULL, V_TEST, "2001:db8::1:0:0:1"},
    {"2001:DB8:0000:0:1::1", NULL, V_TEST, "2001:db8::1:0:0:1"},
    {"2001:db8::0001", NULL, V_TEST, "2001:db8::1"},
    {"2001:db8:0:1:1:1:1:1", NULL, V_TEST, "2001:db8:0:1:1:1:1:1"},
    {"2001:0:0:1:0:0:0:1", NULL, 0, "2001:0:0:1::1"},
    {"2001:db8:aaaa:bbbb:cccc:dddd:eeee:AAAA", NULL, V_TEST,
     "2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa"},
    {"2606:4700:4700::1111", NULL, 0, "2606:4700:4700::1111"},
    {"3fff:123::5", NULL, V_TEST, "3fff:123::5"},
    {"1::", NULL, 0, "1::"},
    {"1:2:3:4:5:6:7::", NULL, 0, "1:2:3:4:5:6:7:0"},
    {"::2:3:4:5:6:7:8", NULL, 0, "0:2:3:4:5:6:7:8"},
    /* context */
    {"[2606:4700:4700::1111]:443", "2606:4700:4700::1111", 0, "2606:4700:4700::1111"},
    {"fe80::1%eth0", "fe80::1", 0, "fe80::1"},
    {"addr fe80::1: link up", "fe80::1:", 0, "fe80::1"},
    {"src:2606:4700::1111 x", "2606:4700::1111", 0, "2606:4700::1111"},
    {"src:2606:4700::1111 x", "c:2606:4700::1111", 0, "2606:4700::1111"},
};

static void expect_v6(const char *validator, const struct v6vec *c)
{
    struct t_vres r = t_validate_span(validator, c->text, c->span);
    cr_assert(r.ok, "ipv6 should accept '%s'", c->text);
    cr_assert_eq(r.flags, c->flags, "'%s': flags %#x", c->text, r.flags);
    NORM_EQ(r, c->canon);
}
VEC_TEST(validate_ipv6, valid, ipv6_valid, expect_v6, "ipv6")

static struct vec ipv6_invalid[] = {
    {"::", NULL, 0},
    {"::1", NULL, 0},
    {"0:0:0:0:0:0:0:1", NULL, 0},
    {"0:0:0:0:0:0:0:0", NULL, 0},
    {"2001:db8::1::1", NULL, 0},
    {"2001:db8:::1", NULL, 0},
    {"1:2:3:4:5:6:7:8:9", NULL, 0},
    {"1:2:3:4:5:6:7", NULL, 0},
    {"1::2:3:4:5:6:7:8", NULL, 0},
    {"12345::1", NULL, 0},
    {"2001:db8::g", NULL, 0},
    {":2001:db8::1", NULL, 0},
    {"::ffff:1.2.3.256", NULL, 0},
    {"::ffff:1.2.3", NULL, 0},
    {"::ffff:01.2.3.4", NULL, 0},
    {"1.2.3.4::", NULL, 0},
    {"::1.2.3.4:5", NULL, 0},
    {"12:34:56", NULL, 0},
    {"::fd", NULL, 0},
    {"::dead:beef", NULL, 0},
    {"0:0:0:0:0:0:a:b", NULL, 0},
    {"00:1a:2b:3c:4d:5e", NULL, 0},
    {"x2606:4700::1111", "2606:4700::1111", 0},
    {"1:2606:4700::1111", "2606:4700::1111", 0},
    {"2606:4700::1111g", "2606:4700::1111", 0},
    {"2606:4700::1111:ab", "2606:4700::1111", 0},
    {"2606:4700::1.2.3.4.5", "2606:4700::1.2.3.4", 0},
};
VEC_TEST(validate_ipv6, invalid, ipv6_invalid, expect_invalid, "ipv6")

Test(validate_ipv6, trims_and_moves)
{
    struct t_vres r = t_validate_span("ipv6", "addr fe80::1: link up", "fe80::1:");
    cr_assert(r.ok);
    cr_assert_str_eq(r.span, "fe80::1");
    cr_assert_eq(r.conf, -10);
    r = t_validate_span("ipv6", "src:2606:4700::1111 x", "c:2606:4700::1111");
    cr_assert(r.ok);
    cr_assert_str_eq(r.span, "2606:4700::1111");
    cr_assert_eq(r.start, 4);
    r = t_validate_span("ipv6", "fd12:3456:789a::1", NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.conf, -10);
}

/* ---- mac ------------------------------------------------------------------------------- */

static struct vec mac_valid[] = {
    {"00:1A:2B:3C:4D:5E", NULL, 0},      {"00-1a-2b-3c-4d-5e", NULL, 0},
    {"001a.2b3c.4d5e", NULL, 0},         {"ether 3c:22:fb:12:34:56 txq", "3c:22:fb:12:34:56", 0},
    {"00:00:5E:00:53:01", NULL, V_TEST}, {"00-00-5e-00-53-ff", NULL, V_TEST},
    {"0000.5e00.5300", NULL, V_TEST},    {"mac=00:1a:2b:3c:4d:5e,", "00:1a:2b:3c:4d:5e", 0},
};
VEC_TEST(validate_mac, valid, mac_valid, expect_valid, "mac")

static struct vec mac_invalid[] = {
    {"00:00:00:00:00:00", NULL, 0},
    {"ff:ff:ff:ff:ff:ff", NULL, 0},
    {"FF-FF-FF-FF-FF-FF", NULL, 0},
    {"00:1A:2B-3C:4D:5E", NULL, 0},
    {"00:1A:2B:3C:4D:5G", NULL, 0},
    {"00:1A:2B:3C:4D", NULL, 0},
    {"001a.2b3c-4d5e", NULL, 0},
    {"001a:2b3c:4d5e", NULL, 0},
    {"11:00:1A:2B:3C:4D:5E", "00:1A:2B:3C:4D:5E", 0},
    {"00:1A:2B:3C:4D:5E:7F", "00:1A:2B:3C:4D:5E", 0},
    {"x00:1A:2B:3C:4D:5E", "00:1A:2B:3C:4D:5E", 0},
    {"00:1A:2B:3C:4D:5Eg", "00:1A:2B:3C:4D:5E", 0},
    {"2001:db8:aa:bb:cc:dd:ee:ff", "aa:bb:cc:dd:ee:ff", 0},
};
VEC_TEST(validate_mac, invalid, mac_invalid, expect_invalid, "mac")

Test(validate_mac, norm_lower_colon)
{
    struct t_vres r = t_validate_span("mac", "001A.2B3C.4D5E", NULL);
    cr_assert(r.ok);
    NORM_EQ(r, "00:1a:2b:3c:4d:5e");
    r = t_validate_span("mac", "00-1A-2B-3C-4D-5E", NULL);
    NORM_EQ(r, "00:1a:2b:3c:4d:5e");
}

/* ---- email ----------------------------------------------------------------------------- */

static struct avec email_vecs[] = {
    {"john.doe@gmail.com", "@g", "john.doe@gmail.com", 0},
    {"to: <Bob.Smith+news@Corp.CO.UK>", "@C", "Bob.Smith+news@Corp.CO.UK", 0},
    {"mailto:alice@sub.domain.io?subject=x", "@s", "alice@sub.domain.io", 0},
    {"write to bob@corp.com.", "@c", "bob@corp.com", 0},
    {"\"email\":\"o'neil@corp.com\"", "@c", "neil@corp.com", 0},
    {"user_1-x@my-host.info", "@m", "user_1-x@my-host.info", 0},
    {"?email=jane.roe%40yahoo.com&x=1", "%40y", "jane.roe%40yahoo.com", 0},
    {"{\"e\":\"jane\\u0040yahoo.com\"}", "\\u0040y", "jane\\u0040yahoo.com", 0},
    {"q=%3Cjane%40yahoo.com%3E", "%40y", "jane%40yahoo.com", 0},
    {"x@example.com", "@e", "x@example.com", V_TEST},
    {"x@mail.Example.ORG", "@m", "x@mail.Example.ORG", V_TEST},
    {"x@example.net", "@e", "x@example.net", V_TEST},
    {"a@b.test", "@b", "a@b.test", V_TEST},
    {"a@host.example", "@h", "a@host.example", V_TEST},
    {"a@foo.invalid", "@f", "a@foo.invalid", V_TEST},
    {"a@foo.localhost", "@f", "a@foo.localhost", V_TEST},
    /* rejected */
    {"john..doe@gmail.com", "@g", NULL, 0},
    {".john@gmail.com", "@g", NULL, 0},
    {"john.@gmail.com", "@g", NULL, 0},
    {"@gmail.com", "@g", NULL, 0},
    {"john@localhost", "@l", NULL, 0},
    {"john@gmail.notatld", "@g", NULL, 0},
    {"john@gmail.c", "@g", NULL, 0},
    {"john@gmail.c0m", "@g", NULL, 0},
    {"john@-gmail.com", "@-", NULL, 0},
    {"john@gmail-.com", "@g", NULL, 0},
    {"john@report.zip", "@r", NULL, 0},
    {"john@gmail.com_old", "@g", NULL, 0},
    {"a@b.com@c.com", "@b", NULL, 0},
    {"j***@gmail.com", "@g", NULL, 0},
    {"ver@1.2", "@1", NULL, 0},
    {"https://user:pa55@host.com/x", "@h", NULL, 0},
    {"redis://:hunter2@cache.io/0", "@c", NULL, 0},
    {"a@b", "@b", NULL, 0},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@gmail.com", "@g", NULL, 0},
    {"x@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com", "@a", NULL, 0},
};
VEC_TEST(validate_email, vectors, email_vecs, expect_anchor, "email")

Test(validate_email, norm_lower_and_unescaped)
{
    struct t_vres r = t_validate_after("email", "to: <Bob.Smith+news@Corp.CO.UK>", "@C");
    cr_assert(r.ok);
    NORM_EQ(r, "bob.smith+news@corp.co.uk");
    r = t_validate_after("email", "?email=Jane.Roe%40Yahoo.com&x=1", "%40Y");
    cr_assert(r.ok);
    NORM_EQ(r, "jane.roe@yahoo.com");
    r = t_validate_after("email", "{\"e\":\"jane\\u0040yahoo.com\"}", "\\u0040y");
    cr_assert(r.ok);
    NORM_EQ(r, "jane@yahoo.com");
    cr_assert_eq(r.start, 6);
}

Test(validate_email, local_part_at_64)
{
    char text[128];
    memset(text, 'a', 64);
    memcpy(text + 64, "@gmail.com", 11);
    struct t_vres r = t_validate_after("email", text, "@g");
    cr_assert(r.ok);
    cr_assert_eq(r.end - r.start, 74);
}

/* ---- url_clickstream ------------------------------------------------------------------- */

static struct avec url_vecs[] = {
    {"GET https://shop.acme.com/cart?user_id=12345&x=1 HTTP/1.1", "://",
     "https://shop.acme.com/cart?user_id=12345&x=1", 0},
    {"http://a.io/?Email=x%40y.com", "://", "http://a.io/?Email=x%40y.com", 0},
    {"HTTPS://ACME.COM/?uid=7", "://", "HTTPS://ACME.COM/?uid=7", 0},
    {"see <https://api.acme.io/v1?a=1&session-id=abc#frag>", "://",
     "https://api.acme.io/v1?a=1&session-id=abc#frag", 0},
    {"\"https://acme.com/p?firstName=Ann\"", "://", "https://acme.com/p?firstName=Ann", 0},
    {"(https://acme.com/p?token=abc).", "://", "https://acme.com/p?token=abc", 0},
    {"https://example.com/p?token=abc", "://", "https://example.com/p?token=abc", V_TEST},
    {"https://u:p@www.example.org:8443/p?login=ann", "://",
     "https://u:p@www.example.org:8443/p?login=ann", V_TEST},
    /* rejected */
    {"https://acme.com/?q=shoes", "://", NULL, 0},
    {"https://acme.com/?user=", "://", NULL, 0},
    {"https://acme.com/?user&x=1", "://", NULL, 0},
    {"https://acme.com/user=5", "://", NULL, 0},
    {"https://acme.com/#?user=5", "://", NULL, 0},
    {"https://acme.com/?q=1#user=5", "://", NULL, 0},
    {"ftp://acme.com/?user=5", "://", NULL, 0},
    {"xhttps://acme.com/?user=5", "://", NULL, 0},
    {"https:///?user=5", "://", NULL, 0},
};
VEC_TEST(validate_url_clickstream, vectors, url_vecs, expect_anchor, "url_clickstream")

/* url_stop_at reads 16 bytes a step: the first stop byte of every kind, at every offset of
 * windows of every length, as the byte walk finds it */
Test(validate_url_clickstream, stop_search_agrees_with_the_byte_walk)
{
    static const uint8_t stops[] = {0, '\t', '\n', ' ', 0x20, 0x7f, '"', '\'', '<', '>', '`'};
    static const uint8_t goes[] = {'a', '/', '?', '=', '&', 0x21, 0x7e, 0x80, 0xff, '%', '#'};
    uint8_t b[200];
    uint64_t x = 88172645463325252ull;
    for (int round = 0; round < 4000; round++) {
        for (size_t i = 0; i < sizeof b; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            b[i] =
                (x >> 20) % 23 == 0 ? stops[(x >> 8) % sizeof stops] : goes[(x >> 8) % sizeof goes];
        }
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t from = (x >> 3) % 100, to = from + (x >> 12) % 100;
        size_t want = from;
        while (want < to &&
               !(b[want] < 0x21 || b[want] == 0x7f || b[want] == '"' || b[want] == '\'' ||
                 b[want] == '<' || b[want] == '>' || b[want] == '`'))
            want++;
        cr_assert_eq(url_stop_at(b, from, to), want, "round %d [%zu, %zu)", round, from, to);
    }
}

/* A URL may run to PII_MAX_MATCH bytes and no further, whatever lies past the limit; a line of
 * URLs joined without a stop ("http://http://…") has none, and each anchor stops there */
Test(validate_url_clickstream, length_limit_and_joined_schemes)
{
    enum { MAX = PII_MAX_MATCH };
    static char text[MAX + 64];
    const char *head = "https://acme.com/p?user_id=1&pad=";
    for (size_t len = MAX - 2; len <= MAX + 2; len++) {
        memset(text, 0, sizeof text);
        memcpy(text, head, strlen(head));
        memset(text + strlen(head), 'x', len - strlen(head));
        text[len] = ' ';
        memcpy(text + len + 1, "tail", 5);
        struct t_vres r = t_validate_after("url_clickstream", text, "://");
        cr_expect_eq(r.ok, len <= MAX, "a URL of %zu bytes", len);
        if (r.ok) cr_expect_eq(r.end - r.start, len);
    }
    static char chain[3 * MAX];
    for (size_t i = 0; i + 7 <= sizeof chain - 1; i += 7) memcpy(chain + i, "http://", 7);
    struct t_vres r = t_validate_after("url_clickstream", chain, "://");
    cr_expect(!r.ok, "no query, no stop: nothing");
}

/* ---- geo ------------------------------------------------------------------------------- */

static struct vec geo_valid[] = {
    {"40.7128,-74.0060", NULL, 0},
    {"40.7128, -74.0060", NULL, 0},
    {"40.7128 ,  -74.0060", NULL, 0},
    {"-33.8688,151.2093", NULL, 0},
    {"loc=(48.858,2.294)", "48.858,2.294", 0},
    {"90.0000,180.0000", NULL, 0},
    {"-90.000,-180.000", NULL, 0},
    {"0.000,0.001", NULL, V_BARE},  /* within 2 degrees of 0,0: needs a context word */
    {"1.9999,45.123", NULL, 0},     /* one axis away from 0,0 is enough */
    {"51.50,-0.12", NULL, V_BARE},  /* 2 decimals above 36.3 degrees */
    {"-36.31,-0.12", NULL, V_BARE}, /* 2 decimals, south of -36.3 */
    {"10.50,-66.91", NULL, V_BARE | V_NOT_SENSITIVE}, /* 2 decimals, low latitude */
    {"36.30,1.00", NULL, V_BARE | V_NOT_SENSITIVE},   /* not above 36.3 */
    {"10.50,-66.913", NULL, V_BARE},                  /* one axis 3 decimals: small cell */
};
VEC_TEST(validate_geo, valid, geo_valid, expect_valid, "geo")

static struct vec geo_invalid[] = {
    {"91.0000,10.0000", NULL, 0},
    {"-90.0001,0.0000", NULL, 0},
    {"45.0000,180.0001", NULL, 0},
    {"45.0000,-180.00001", NULL, 0},
    {"0.000,0.000", NULL, 0},
    {"40.7,-74.0060", NULL, 0},
    {"40.7128,-74", NULL, 0},
    {"40,-74.0060", NULL, 0},
    {"1234.5678,1.5678", NULL, 0},
    {"40.7128;-74.0060", NULL, 0},
    {"1.5, 40.7128, -74.0060", "40.7128, -74.0060", 0},
    {"40.7128,-74.0060, 12.5", "40.7128,-74.0060", 0},
    {"40.7128,-74.0060,-12.5", "40.7128,-74.0060", 0},
    {"40.7128,-74.0060.5", "40.7128,-74.0060", 0},
    {"a40.7128,-74.0060", "40.7128,-74.0060", 0},
    {"1.40.7128,-74.0060", "40.7128,-74.0060", 0},
    {"40.7128,-74.0060x", "40.7128,-74.0060", 0},
};
VEC_TEST(validate_geo, invalid, geo_invalid, expect_invalid, "geo")

Test(validate_geo, norm_and_sign)
{
    struct t_vres r = t_validate_span("geo", "40.7128 , -74.0060", NULL);
    cr_assert(r.ok);
    NORM_EQ(r, "40.7128,-74.0060");
    /* a finder that left out the sign: the validator takes it */
    r = t_validate_span("geo", "at -33.8688,151.2093", "33.8688,151.2093");
    cr_assert(r.ok);
    cr_assert_eq(r.start, 3);
    NORM_EQ(r, "-33.8688,151.2093");
}

/* ---- iban ------------------------------------------------------------------------------ */

static struct vec iban_valid[] = {
    {"GB82WEST12345698765432", NULL, V_TEST},
    {"DE89370400440532013000", NULL, V_TEST},
    {"FR1420041010050500013M02606", NULL, V_TEST},
    {"GB29NWBK60161331926819", NULL, V_TEST},
    {"NL91ABNA0417164300", NULL, V_TEST},
    {"CH9300762011623852957", NULL, V_TEST},
    {"BE68539007547034", NULL, V_TEST},
    {"NO9386011117947", NULL, V_TEST},
    {"MT84MALT011000012345MTLCAST001S", NULL, V_TEST},
    {"LC55HEMM000100010012001200023015", NULL, V_TEST},
    {"RU0204452560040702810412345678901", NULL, V_TEST},
    {"GB82 WEST 1234 5698 7654 32", NULL, V_TEST},
    {"DE89 3704 0044 0532 0130 00", NULL, V_TEST},
    {"DE12500105170648489890", NULL, 0},
    {"FR7630006000011234567890189", NULL, 0},
    {"FR76 3000 6000 0112 3456 7890 189", NULL, 0},
    {"NL44RABO0123456789", NULL, 0},
    {"ES6000491500051234567892", NULL, 0},
    {"iban: DE12500105170648489890.", "DE12500105170648489890", 0},
};
VEC_TEST(validate_iban, valid, iban_valid, expect_valid, "iban")

static struct vec iban_invalid[] = {
    {"GB82WEST12345698765433", NULL, 0}, /* one digit changed */
    {"DE89370400440532013001", NULL, 0},
    {"DE12500105170648489891", NULL, 0},
    {"GB28WEST12345698765432", NULL, 0}, /* check digits changed */
    {"gb82west12345698765432", NULL, 0},
    {"GB82west12345698765432", NULL, 0},
    {"GB82WEST1234569876543", NULL, 0},  /* 21 for GB */
    {"XX82WEST12345698765432", NULL, 0}, /* not an IBAN country */
    {"US82WEST12345698765432", NULL, 0},
    {"GB82 WEST12 3456 9876 5432", NULL, 0},   /* bad grouping */
    {"GB82  WEST 1234 5698 7654 32", NULL, 0}, /* doubled space */
    {"GB82-WEST-1234-5698-7654-32", NULL, 0},
    {"GB82WEST12345698765432A", NULL, 0}, /* alnum continues */
    {"xGB82WEST12345698765432", "GB82WEST12345698765432", 0},
    {"GB82WEST12345698765432_", "GB82WEST12345698765432", 0},
    {"NL91 ABNA 0417 1643 0012 34", NULL, 0}, /* cut would fall inside a group */
};
VEC_TEST(validate_iban, invalid, iban_invalid, expect_invalid, "iban")

Test(validate_iban, shortens_and_normalises)
{
    struct t_vres r = t_validate_span("iban", "NL91ABNA0417164300 1234", NULL);
    cr_assert(r.ok);
    cr_assert_str_eq(r.span, "NL91ABNA0417164300");
    NORM_EQ(r, "NL91ABNA0417164300");
    r = t_validate_span("iban", "NL91 ABNA 0417 1643 00 12", NULL);
    cr_assert(r.ok);
    cr_assert_str_eq(r.span, "NL91 ABNA 0417 1643 00");
    r = t_validate_span("iban", "FR76 3000 6000 0112 3456 7890 189", NULL);
    NORM_EQ(r, "FR7630006000011234567890189");
}

/* ---- aws_access_key -------------------------------------------------------------------- */

static struct vec akid_valid[] = {
    {"AKIAB7AYYAEFFHQ2VY54", NULL, 0},
    {"ASIAY34FZKBOKMUTVV7A", NULL, 0},
    {"key=AROAB7AYYAEFFHQ2VY54;", "AROAB7AYYAEFFHQ2VY54", 0},
    {"AKIAIOSFODNN7EXAMPLE", NULL, V_TEST},
};

Test(validate_aws_access_key, valid)
{
    for (size_t i = 0; i < ARRAY_LEN(akid_valid); i++)
        expect_valid("aws_access_key", &akid_valid[i]);
    struct t_vres r = t_validate_after("aws_access_key", "id: AKIAB7AYYAEFFHQ2VY54 ok", "AKIA");
    cr_assert(r.ok);
    cr_assert_str_eq(r.span, "AKIAB7AYYAEFFHQ2VY54");
    r = t_validate_after("aws_access_key", "id: AKIAB7AYYAEFFHQ2VY54 ok", "AKIAB7AYYAEFFHQ2VY54");
    cr_assert(r.ok);
    cr_assert_eq(r.start, 4);
    r = t_validate_span("aws_access_key", "ACCAB7AYYAEFFEXAMPLE", NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.flags, V_TEST);
}

static struct vec akid_invalid[] = {
    {"AKIAIOSFODNN7EXAMPL", NULL, 0},
    {"AKIA1OSFODNN7EXAMPLE", NULL, 0}, /* '1' is not base32 */
    {"AKIAIOSFODNN7EXAMPLe", NULL, 0},
    {"AKIAAAAAAAAAAAAAAAAA", NULL, 0}, /* placeholder */
    {"XKIAB7AYYAEFFHQ2VY54", NULL, 0},
    {"AKIB7AYYAEFFHQ2VY54X", NULL, 0},
    {"xAKIAB7AYYAEFFHQ2VY54", "AKIAB7AYYAEFFHQ2VY54", 0},
    {"AKIAB7AYYAEFFHQ2VY542", "AKIAB7AYYAEFFHQ2VY54", 0},
};
VEC_TEST(validate_aws_access_key, invalid, akid_invalid, expect_invalid, "aws_access_key")

/* ---- aws_secret_key -------------------------------------------------------------------- */

static struct avec secret_vecs[] = {
    {"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
     "aws_secret_access_key = ", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", V_TEST},
    {"aws_secret_access_key=6J0kGODKdinZnLXicaBAg8WY1jzIRlNQb0prFmbh\n",
     "aws_secret_access_key=", "6J0kGODKdinZnLXicaBAg8WY1jzIRlNQb0prFmbh", 0},
    {"{\"secretAccessKey\": \"6J0kGODKdinZnLXicaBAg8WY1jzIRlNQb0prFmbh\"}",
     "\"secretAccessKey\":", "6J0kGODKdinZnLXicaBAg8WY1jzIRlNQb0prFmbh", 0},
    {"AWS_SECRET_KEY='6J0kGODKdinZnLXicaBAg8WY1jzIRlNQb0prFmbh'",
     "AWS_SECRET_KEY=", "6J0kGODKdinZnLXicaBAg8WY1jzIRlNQb0prFmbh", 0},
    {"aws-secret-key: 6J0kGODKdinZnLXicaBAg8WY1jzIRlNQb0prFmb", "aws-secret-key: ", NULL, 0},
    {"aws-secret-key: 6J0kGODKdinZnLXicaBAg8WY1jzIRlNQb0prFmbhQ", "aws-secret-key: ", NULL, 0},
    {"aws-secret-key: 6J0kGODKdinZnLXicaBAg8WY1jzIRlNQb0prFmbh/", "aws-secret-key: ", NULL, 0},
    {"aws-secret-key: abcdefghijklmnopqrstuvwxyzabcdefghijklmn", "aws-secret-key: ", NULL, 0},
    {"aws-secret-key: ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLM1", "aws-secret-key: ", NULL, 0},
    {"aws-secret-key: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "aws-secret-key: ", NULL, 0},
    {"aws-secret-key: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxX", "aws-secret-key: ", NULL, 0},
    {"aws-secret-key: Ab1xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "aws-secret-key: ", NULL, 0},
};
VEC_TEST(validate_aws_secret_key, vectors, secret_vecs, expect_anchor, "aws_secret_key")

/* ---- api_token ------------------------------------------------------------------------- */

static struct avec token_vecs[] = {
    {"token=ghp_DZFlRJmCGmUXiAPyhzAnar3ZLt4bnlz2MPKg", "ghp_",
     "ghp_DZFlRJmCGmUXiAPyhzAnar3ZLt4bnlz2MPKg", 0},
    {"gho_DZFlRJmCGmUXiAPyhzAnar3ZLt4bnlz2MPKg.", "gho_",
     "gho_DZFlRJmCGmUXiAPyhzAnar3ZLt4bnlz2MPKg", 0},
    {"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"
     " "
     "x",
     "github_pat_",
     "github_pat_"
     "cjnCqaXNv1syeefnLOpaMxxNDi9LE1Ki3ylOjt6o0NpUmkVO8JmR8y4EMfAdggcG9qpVTzqA05MFsHl7U_",
     0},
    {"SLACK=xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "xoxb-",
     "xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", 0},
    {"xoxp-1234567890-abcdef- done", "xoxp-", "xoxp-1234567890-abcdef", 0},
    {"\"sk_live_eioEJP2NNern66nVberACpdc\"", "sk_live_", "sk_live_eioEJP2NNern66nVberACpdc", 0},
    {"rk_live_eioEJP2NNern66nVberACpdcQQ", "rk_live_", "rk_live_eioEJP2NNern66nVberACpdcQQ", 0},
    {"key=AIzawKVqlUr5Qrec8TNecj9iNOrjj5VfqRTk8j1&x", "AIza",
     "AIzawKVqlUr5Qrec8TNecj9iNOrjj5VfqRTk8j1", 0},
    /* rejected */
    {"ghp_DZFlRJmCGmUXiAPyhzAnar3ZLt4bnlz2MPK", "ghp_", NULL, 0},
    {"ghp_DZFlRJmCGmUXiAPyhzAnar3ZLt4bnlz2MPKgZ", "ghp_", NULL, 0},
    {"aghp_DZFlRJmCGmUXiAPyhzAnar3ZLt4bnlz2MPKg", "ghp_", NULL, 0},
    {"ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "ghp_", NULL, 0},
    {"ghp_AbCdXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "ghp_", NULL, 0},
    {"ghp_000000000000000000000000000000000000", "ghp_", NULL, 0},
    {"xoxb-12345", "xoxb-", NULL, 0},
    {"sk_live_eioEJP2NNern66nVberACpd", "sk_live_", NULL, 0},
    {"AIzawKVqlUr5Qrec8TNecj9iNOrjj5VfqRTk8j1Z", "AIza", NULL, 0},
    {"AIzawKVqlUr5Qrec8TNecj9iNOrjj5VfqRTk8j", "AIza", NULL, 0},
};
VEC_TEST(validate_api_token, vectors, token_vecs, expect_anchor, "api_token")

/* ---- jwt ------------------------------------------------------------------------------- */

#define JWT_IO                                                                                     \
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwia"   \
    "WF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
#define JWT_MINE                                                                                   \
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiIsImVtYWlsIjoiYW5uQGNvcnAuaW8ifQ.5-7nYV"   \
    "7zXzDkm0guFcrnUAcgHhJhew_tp-Fkd5b_Ais"
#define JWT_SPACED "eyJ0eXAiOiJKV1QiLCAiYWxnIiA6ICJSUzI1NiJ9.eyJzdWIiOiI0MiJ9."
#define JWT_NOALG                                                                                  \
    "eyJ0eXAiOiJKV1QiLCJraWQiOiJhYmMxMjM0NSJ9.eyJzdWIiOiI0MiJ9.5-7nYV7zXzDkm0guFcrnUAcgHhJhew_"    \
    "tp-Fkd5b_Ais"
#define JWT_BADPAY                                                                                 \
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.bm90IGpzb24gYXQgYWxs.5-7nYV7zXzDkm0guFcrnUAcgHhJhew_"    \
    "tp-Fkd5b_Ais"

static struct avec jwt_vecs[] = {
    {"Authorization: Bearer " JWT_MINE "\r\n", "Bearer eyJhbGciOi", JWT_MINE, 0},
    {"token=" JWT_IO "&x=1", "=eyJhbGciOi", JWT_IO, V_TEST},
    {"\"" JWT_SPACED "\"", "\"eyJ0eXAiOi", JWT_SPACED, 0}, /* unsigned: empty third part */
    {JWT_NOALG, "eyJ0eXAiOi", NULL, 0},                    /* header without "alg" */
    {JWT_BADPAY, "eyJhbGciOi", NULL, 0},                   /* payload not JSON */
    {"x" JWT_MINE, "xeyJhbGciOi", NULL, 0},                /* inside a base64url run */
    {"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiJ9", "eyJhbGciOi", NULL, 0}, /* 2 parts */
    {"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..abc", "eyJhbGciOi", NULL, 0}, /* empty payload */
    {"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9A.eyJzdWIiOiI0MiJ9.x", "eyJhbGciOi", NULL, 0}, /* 4n+1 */
};
/* The anchor literal may carry leading context: the anchor is 11 bytes after its 'e'. */
static void expect_jwt(const char *validator, const struct avec *c)
{
    const char *p = strstr(c->text, c->anc);
    cr_assert_not_null(p);
    const char *e = strstr(p, "eyJ");
    cr_assert_not_null(e);
    size_t a = (size_t)(e - c->text) + 11;
    struct t_vres r = t_validate(validator, c->text, a, a, a);
    if (!c->span) {
        cr_assert_not(r.ok, "jwt should reject '%s'", c->text);
        return;
    }
    cr_assert(r.ok, "jwt should accept '%s'", c->text);
    cr_assert_str_eq(r.span, c->span);
    cr_assert_eq(r.flags, c->flags);
}
VEC_TEST(validate_jwt, vectors, jwt_vecs, expect_jwt, "jwt")

/* ---- private_key ----------------------------------------------------------------------- */

static struct avec pk_vecs[] = {
    {"-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n", "PRIVATE KEY-----",
     "-----BEGIN RSA PRIVATE KEY-----", 0},
    {"x=\"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\"", "PRIVATE KEY-----",
     "-----BEGIN PRIVATE KEY-----", 0},
    {"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n", "PRIVATE KEY-----",
     "-----BEGIN OPENSSH PRIVATE KEY-----", 0},
    {"-----BEGIN EC PRIVATE KEY-----", "PRIVATE KEY-----", "-----BEGIN EC PRIVATE KEY-----", 0},
    {"-----BEGIN ENCRYPTED PRIVATE KEY-----", "PRIVATE KEY-----",
     "-----BEGIN ENCRYPTED PRIVATE KEY-----", 0},
    {"-----BEGIN PGP PRIVATE KEY BLOCK-----", "PRIVATE KEY BLOCK-----",
     "-----BEGIN PGP PRIVATE KEY BLOCK-----", 0},
    {"-----BEGIN DSA PRIVATE KEY", "PRIVATE KEY", NULL, 0}, /* no closing dashes */
    {"-----BEGIN PUBLIC KEY-----", "KEY-----", NULL, 0},
    {"-----BEGIN rsa PRIVATE KEY-----", "PRIVATE KEY-----", NULL, 0},
    {"BEGIN RSA PRIVATE KEY-----", "PRIVATE KEY-----", NULL, 0},
};
VEC_TEST(validate_private_key, vectors, pk_vecs, expect_anchor, "private_key")

Test(validate_private_key, body_fingerprint)
{
    struct t_vres a = t_validate_after(
        "private_key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAxyz\n", "KEY-----");
    struct t_vres b = t_validate_after(
        "private_key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAabc\n", "KEY-----");
    cr_assert(a.ok && b.ok);
    cr_assert_neq(strcmp(a.norm, b.norm), 0);
    NORM_EQ(a, "MIIEowIBAAKCAQEAxyz");
    struct t_vres c = t_validate_after("private_key", "-----BEGIN RSA PRIVATE KEY", "PRIVATE KEY");
    cr_assert_not(c.ok);
    c = t_validate_after("private_key", "-----BEGIN RSA PRIVATE KEY-----", "PRIVATE KEY");
    cr_assert(c.ok);
    cr_assert_str_eq(c.span, "-----BEGIN RSA PRIVATE KEY-----");
}

/* ---- password -------------------------------------------------------------------------- */

static struct avec pw_vecs[] = {
    {"postgres://admin:S3cr3t!@db.internal:5432/app", "://", "S3cr3t!", 0},
    {"redis://:hunter2@cache.local/0", "://", "hunter2", 0},
    {"amqp://guest:p@ss@mq/", "://", "p@ss", 0},
    {"password=hunter2&x=1", "password=", "hunter2", 0},
    {"\"password\": \"p@ss w0rd\",", "\"password\":", "p@ss w0rd", 0},
    {"\"password\":\"a\\\"b\"", "\"password\":", "a\\\"b", 0},
    {"pwd: changeme", "pwd:", "changeme", 0},
    {"secret='abc def'", "secret=", "abc def", 0},
    {"User{name=x, password=abc}", "password=", "abc", 0},
    {"pass=a(b)c;", "pass=", "a(b)c", 0},
    {"passphrase=correct-horse\n", "passphrase=", "correct-horse", 0},
    /* rejected */
    {"https://user@host.com/", "://", NULL, 0},
    {"https://user:@host.com/", "://", NULL, 0},
    {"https://host.com/a:b@c", "://", NULL, 0},
    {"https://user:${DB_PASS}@host", "://", NULL, 0},
    {"password=", "password=", NULL, 0},
    {"password=&x=1", "password=", NULL, 0},
    {"password=\"\"", "password=", NULL, 0},
    {"password=\"unterminated", "password=", NULL, 0},
    {"password=****", "password=", NULL, 0},
    {"password=*", "password=", NULL, 0},
    {"password=xxxx", "password=", NULL, 0},
    {"password=<your-password>", "password=", NULL, 0},
    {"password=${DB_PASSWORD}", "password=", NULL, 0},
    {"password: {{ vault_pw }}", "password:", NULL, 0},
    {"password=%s", "password=", NULL, 0},
    {"password=?", "password=", NULL, 0},
    {"password=$DB_PASSWORD", "password=", NULL, 0},
    {"password=null", "password=", NULL, 0},
    {"\"password\": None", "\"password\":", NULL, 0},
    {"password=NIL", "password=", NULL, 0},
    {"password=undefined", "password=", NULL, 0},
    {"password=true", "password=", NULL, 0},
    {"password=False", "password=", NULL, 0},
    {"password=[REDACTED]", "password=", NULL, 0},
    {"password=[filtered]", "password=", NULL, 0},
    {"password=redacted", "password=", NULL, 0},
    {"password=hidden", "password=", NULL, 0},
    {"password=MASKED", "password=", NULL, 0},
    {"password=secret", "password=", NULL, 0},
    {"secret=password", "secret=", NULL, 0},
    {"password hunter2", "password ", NULL, 0}, /* no separator before the anchor */
    {"DB_PASSWORD=hunter2", "DB_PASSWORD=", "hunter2", 0},
    {"dbPassword: hunter2", "dbPassword:", "hunter2", 0},
    {"client_secret=s3kr1t", "client_secret=", "s3kr1t", 0},
    {"'pass' = 'hunter2'", "'pass' =", "hunter2", 0},
    {"bypass=enabled", "bypass=", NULL, 0},
    {"compass: north", "compass:", NULL, 0},
    {"password = \"hunter2\"", "password = ", "hunter2", 0},
};
VEC_TEST(validate_password, vectors, pw_vecs, expect_anchor, "password")

/* Each placeholder word, in any case, and nothing one byte longer or shorter: the table keeps
 * each word's length, and a wrong one would pass the vectors above for most words. */
Test(validate_password, placeholder_words)
{
    static const char *const words[] = {
        "null",       "none",     "nil",      "undefined", "true",       "false",    "[redacted]",
        "[filtered]", "redacted", "hidden",   "masked",    "secret",     "password", "%s",
        "?",          "[hidden]", "[masked]", "(hidden)",  "(redacted)", "filtered",
    };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        char up[16], longer[16];
        size_t n = strlen(words[i]);
        for (size_t k = 0; k <= n; k++) up[k] = (char)toupper((unsigned char)words[i][k]);
        memcpy(longer, words[i], n);
        longer[n] = 'a';
        cr_assert(v_placeholder((const uint8_t *)words[i], n), "%s", words[i]);
        cr_assert(v_placeholder((const uint8_t *)up, n), "%s", up);
        cr_assert_not(v_placeholder((const uint8_t *)longer, n + 1), "%s+a", words[i]);
        if (n > 1) /* "?" shortened is empty, and an empty value is one too */
            cr_assert_not(v_placeholder((const uint8_t *)words[i], n - 1), "%s-1", words[i]);
    }
}

Test(validate_password, too_long)
{
    char text[400];
    memcpy(text, "password=", 9);
    memset(text + 9, 'a', 300);
    text[309] = '\0';
    struct t_vres r = t_validate_after("password", text, "password=");
    cr_assert_not(r.ok);
    text[9 + 256] = ' ';
    r = t_validate_after("password", text, "password=");
    cr_assert(r.ok);
    cr_assert_eq(r.end - r.start, 256);
}

/* ---- contract: no validator reads outside [lo, hi) or reports outside it --------------- */

Test(validate_registry, empty_and_tiny_inputs)
{
    static const char *const texts[] = {"", "@", "x@y", "://", "eyJ", "1", "-----", "a:b@"};
    for (const char *const *n = validator_names(); *n; n++) {
        for (size_t i = 0; i < ARRAY_LEN(texts); i++) {
            size_t len = strlen(texts[i]);
            struct t_vres r = t_validate(*n, texts[i], 0, len, len);
            cr_assert_not(r.ok, "%s accepted '%s'", *n, texts[i]);
            r = t_validate(*n, texts[i], len, len, len);
            cr_assert_not(r.ok, "%s accepted '%s' (anchor)", *n, texts[i]);
        }
    }
}

#if defined(__SSE2__)
/* The IPv4 parser without a branch per digit gives the byte walk's answer, octets and
 * leading-zero flag on random near-addresses: groups of 0-4 digits, dots, other bytes. */
Test(validate, ipv4_parse16_agrees_with_the_reference)
{
    uint32_t r = 5;
#define RND(n) ((r = r * 1103515245u + 12345u), (unsigned)((r >> 8) % (n)))
    int accepted = 0, lead = 0;
    for (int iter = 0; iter < 400000; iter++) {
        uint8_t buf[32];
        size_t n = 0;
        int groups = 3 + (int)RND(3);
        for (int g = 0; g < groups && n < 20; g++) {
            if (g) buf[n++] = RND(40) ? '.' : (uint8_t) "-:a,"[RND(4)];
            unsigned len = RND(10) ? 1 + RND(3) : RND(5);
            for (unsigned k = 0; k < len; k++)
                buf[n++] = (uint8_t)(RND(6) ? '0' + RND(10) : RND(2) ? '0' : '2' + RND(4));
        }
        while (n < sizeof buf) buf[n++] = (uint8_t) "0.9 x"[RND(5)]; /* what follows */
        size_t len = RND(4) ? 7 + RND(9) : RND(17);
        uint8_t a[4] = {0}, b[4] = {0};
        bool la = false, lb = false;
        bool ref = ipv4_parse(buf, len, a, false, &la), got = ipv4_parse16(buf, len, b, &lb);
        cr_assert_eq(got, ref, "iter %d: \"%.*s\"", iter, (int)len, (const char *)buf);
        if (ref) {
            cr_assert(!memcmp(a, b, 4), "iter %d: octets of \"%.*s\"", iter, (int)len, buf);
            cr_assert_eq(lb, la, "iter %d: leading zero of \"%.*s\"", iter, (int)len, buf);
            accepted++;
            lead += la;
        }
    }
    cr_expect(accepted > 10000 && lead > 1000, "%d accepted, %d with a leading zero", accepted,
              lead);
#undef RND
}
#endif

/* v_ipv4 reads 16 bytes at a time when it may (the address and the separators before it):
 * the same answers as the byte walks it takes near the edge of what it may read. The bytes
 * outside are newlines, which end a run of separators and a word as the edge does. */
Test(validate, ipv4_wide_reads_agree_with_byte_walks)
{
    static const char *const pre[] = {" ",  "=",   ":",     "/", "\"",     "'",  "\t", "version",
                                      "fw", "ver", "Build", "x", "kernel", "ip", ".",  "a:"};
    static const char *const addr[] = {"1.2.3.4", "10.0.0.1",  "192.168.001.20", "255.255.255.0",
                                       "8.8.8.8", "01.2.3.4",  "300.1.1.1",      "192.0.2.17",
                                       "1.2.3",   "1.2.3.4.5", "172.16.254.254"};
    static const char *const post[] = {"", " ", ":80", ".", ".5", "x", "\n"};
    uint32_t r = 3;
#define RND(n) ((r = r * 1103515245u + 12345u), (unsigned)((r >> 8) % (n)))
    int accepted = 0;
    for (int iter = 0; iter < 100000; iter++) {
        char t[64];
        size_t n = 0;
        while (n < 15 && RND(5)) {
            const char *p = pre[RND(ARRAY_LEN(pre))];
            size_t k = strlen(p);
            if (n + k > 15) break;
            memcpy(t + n, p, k);
            n += k;
        }
        size_t start = n;
        const char *a = addr[RND(ARRAY_LEN(addr))];
        memcpy(t + n, a, strlen(a));
        n += strlen(a);
        size_t end = n;
        const char *p = post[RND(ARRAY_LEN(post))];
        memcpy(t + n, p, strlen(p));
        n += strlen(p);
        /* narrow: every read near an edge */
        struct vctx x = {.buf = (const uint8_t *)t, .lo = 0, .hi = n, .start = start, .end = end};
        uint8_t wide[128];
        memset(wide, '\n', sizeof wide);
        memcpy(wide + 32, t, n);
        struct vctx y = {
            .buf = wide, .lo = 0, .hi = sizeof wide, .start = start + 32, .end = end + 32};
        bool ok1 = v_ipv4(&x), ok2 = v_ipv4(&y);
        cr_assert_eq(ok2, ok1, "iter %d: \"%.*s\" at %zu", iter, (int)n, t, start);
        if (!ok1) continue;
        accepted++;
        cr_assert(x.flags == y.flags && x.conf == y.conf && x.norm_len == y.norm_len &&
                      !memcmp(x.norm, y.norm, x.norm_len),
                  "iter %d: \"%.*s\"", iter, (int)n, t);
    }
    cr_expect(accepted > 10000, "%d accepted", accepted);
#undef RND
}

/* v_email walks a domain's labels 16 bytes at a time when it may read them: the same answers
 * as the byte walk it takes near the end of what it may read (newlines outside stand for the
 * edge: they end a label, a local part and a URL as the edge does). */
Test(validate, email_wide_reads_agree_with_byte_walks)
{
    static const char *const parts[] = {
        "john",    "j.doe",
        "x",       "@",
        "@",       "%40",
        "\\u0040", ".",
        "-",       "com",
        "org",     "io",
        "example", "a-b",
        "host1",   "tbird-admin1",
        "999",     "]",
        " ",       "_",
        "*",       "://",
        ":",       "mail.example.com",
        "co.uk",   "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789"};
    uint32_t r = 9;
#define RND(n) ((r = r * 1103515245u + 12345u), (unsigned)((r >> 8) % (n)))
    int accepted = 0;
    for (int iter = 0; iter < 100000; iter++) {
        char t[200];
        size_t n = 0, at = 0;
        bool have_at = false;
        while (n < 120) {
            const char *p = parts[RND(ARRAY_LEN(parts))];
            size_t k = strlen(p);
            if (!have_at && (p[0] == '@' || p[0] == '%' || p[0] == '\\'))
                have_at = true, at = n + k;
            memcpy(t + n, p, k);
            n += k;
            if (have_at && !RND(4)) break;
        }
        if (!have_at) continue;
        struct vctx x = {.buf = (const uint8_t *)t, .lo = 0, .hi = n, .anchor = at};
        x.start = x.end = at;
        uint8_t wide[300];
        memset(wide, '\n', sizeof wide);
        memcpy(wide + 32, t, n);
        struct vctx y = {.buf = wide, .lo = 0, .hi = n + 64, .anchor = at + 32};
        y.start = y.end = at + 32;
        bool ok1 = v_email(&x), ok2 = v_email(&y);
        cr_assert_eq(ok2, ok1, "iter %d: \"%.*s\" anchor %zu", iter, (int)n, t, at);
        if (!ok1) continue;
        accepted++;
        cr_assert(x.start + 32 == y.start && x.end + 32 == y.end && x.flags == y.flags &&
                      x.norm_len == y.norm_len && !memcmp(x.norm, y.norm, x.norm_len),
                  "iter %d: \"%.*s\"", iter, (int)n, t);
    }
    cr_expect(accepted > 1000, "%d accepted", accepted);
#undef RND
}
