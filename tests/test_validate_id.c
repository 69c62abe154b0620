/* test_validate_id.c: Criterion tests of the identifier validators (validate_id.c,
 * validate_vat.c) and their checksum helpers, with published vectors, valid and invalid. */
#include "pii_internal.h"
#include "testutil.h"
#include "validate.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

/* One vector: validator, text, label (NULL: the finder hands `span` in), the span expected
 * (NULL: rejected), normalised value, flags. */
struct idvec {
    const char *validator;
    const char *text;
    const char *label;
    const char *span;
    const char *norm;
    unsigned flags;
};

static void check(const struct idvec *c)
{
    struct t_vres r;
    if (c->label) {
        r = t_validate_after(c->validator, c->text, c->label);
    } else {
        r = t_validate_span(c->validator, c->text, c->span ? c->span : c->norm);
    }
    if (!c->span) {
        cr_assert_not(r.ok, "%s should reject '%s' (span '%s')", c->validator, c->text, r.span);
        return;
    }
    cr_assert(r.ok, "%s should accept '%s'", c->validator, c->text);
    cr_assert_str_eq(r.span, c->span, "%s '%s'", c->validator, c->text);
    cr_assert_str_eq(r.norm, c->norm, "%s '%s'", c->validator, c->text);
    cr_assert_eq(r.flags, c->flags, "%s '%s': flags %#x, want %#x", c->validator, c->text, r.flags,
                 c->flags);
}

/* For a rejected span vector, span_in needs the text the finder would hand in: `norm`. */
#define REJ(val, text, cand)                                                                       \
    {                                                                                              \
        val, text, NULL, NULL, cand, 0                                                             \
    }
#define REJL(val, text, label)                                                                     \
    {                                                                                              \
        val, text, label, NULL, NULL, 0                                                            \
    }

static const struct idvec vecs[] = {
    /* ABA routing numbers (Federal Reserve banks' published numbers) */
    {"aba_routing", "routing 021000021", NULL, "021000021", "021000021", V_BARE},
    {"aba_routing", "aba 011000015.", NULL, "011000015", "011000015", V_BARE},
    REJ("aba_routing", "routing 021000022", "021000022"), /* checksum */
    REJ("aba_routing", "routing 131000022", "131000022"), /* prefix 13 unassigned */
    REJ("aba_routing", "routing 000000000", "000000000"),
    REJ("aba_routing", "routing 0210000210", "021000021"), /* inside a longer run */
    /* ITIN: 9XX, group 50-65, 70-88, 90-92, 94-99 */
    {"itin", "itin 912-70-1234", NULL, "912-70-1234", "912701234", 0},
    {"itin", "itin 900 50 0001", NULL, "900 50 0001", "900500001", 0},
    {"itin", "itin 999990000", NULL, "999990000", "999990000", V_BARE},
    REJ("itin", "itin 912-93-1234", "912-93-1234"),
    REJ("itin", "itin 912-89-1234", "912-89-1234"),
    REJ("itin", "itin 912-49-1234", "912-49-1234"),
    REJ("itin", "ssn 536-70-1234", "536-70-1234"),
    REJ("itin", "itin 912-70 1234", "912-70 1234"), /* mixed separators */
    /* EIN after its label: IRS campus prefixes */
    {"ein", "EIN: 12-3456789 filed", "EIN", "12-3456789", "123456789", 0},
    {"ein", "fein#953456789", "fein", "953456789", "953456789", 0},
    {"ein", "Employer ID number 45-1234567", "Employer ID", "45-1234567", "451234567", 0},
    REJL("ein", "EIN: 07-3456789", "EIN"), /* 07 is not a prefix */
    REJL("ein", "EIN: 89-3456789", "EIN"),
    REJL("ein", "EIN: 12-34567890", "EIN"), /* too long */
    REJL("ein", "EIN: pending", "EIN"),
    /* UK NINO: HMRC's QQ example is a test value; prefix letter rules; suffix A-D */
    {"nino", "NINO: QQ123456C", "NINO", "QQ123456C", "QQ123456C", V_TEST},
    {"nino", "NI number QQ 12 34 56 C", "NI number", "QQ 12 34 56 C", "QQ123456C", V_TEST},
    {"nino", "nino AB123456D", "nino", "AB123456D", "AB123456D", 0},
    {"nino", "national insurance no. JG103759A", "national insurance", "JG103759A", "JG103759A", 0},
    {"nino", "x PR123456A y", NULL, "PR123456A", "PR123456A", 0},
    REJL("nino", "nino DA123456C", "nino"), /* D never first */
    REJL("nino", "nino AO123456C", "nino"), /* O never second */
    REJL("nino", "nino GB123456C", "nino"), /* unallocated pair */
    REJL("nino", "nino TN123456C", "nino"),
    REJL("nino", "nino AB123456E", "nino"), /* suffix A-D */
    REJL("nino", "nino AB12345C", "nino"),
    REJL("nino", "nino AB 123456 C", "nino"),
    /* Canadian SIN: Luhn; the CRA's specimen is a test value */
    {"sin", "SIN: 046 454 286", "SIN", "046 454 286", "046454286", V_TEST},
    {"sin", "sin 130-692-544 ok", "sin", "130-692-544", "130692544", 0},
    {"sin", "SIN# 130692544", "SIN", "130692544", "130692544", V_BARE},
    REJL("sin", "SIN: 046 454 287", "SIN"),
    REJL("sin", "SIN: 130-692 544", "SIN"), /* mixed separators */
    REJL("sin", "SIN: 812345674", "SIN"),   /* 8 is not issued to people */
    REJL("sin", "SIN: 1306925440", "SIN"),
    /* India PAN: 4th letter a holder type; the department's ABCDE1234F example */
    {"pan_in", "PAN: ABCPE1234F", "PAN", "ABCPE1234F", "ABCPE1234F", 0},
    {"pan_in", "pan AAACT2727Q.", "pan", "AAACT2727Q", "AAACT2727Q", 0},
    {"pan_in", "PAN ABCDE1234F", "PAN", "ABCDE1234F", "ABCDE1234F", V_TEST},
    REJL("pan_in", "PAN: ABCXE1234F", "PAN"),
    REJL("pan_in", "PAN: ABCPE1234", "PAN"),
    REJL("pan_in", "PAN: abcpe1234f", "PAN"),
    REJL("pan_in", "PAN: ABCPE1234FG", "PAN"),
    /* Aadhaar: Verhoeff, first digit 2-9 */
    {"aadhaar", "aadhaar 2341 2341 2346", "aadhaar", "2341 2341 2346", "234123412346", 0},
    {"aadhaar", "Aadhaar no: 2341-2341-2346", "Aadhaar", "2341-2341-2346", "234123412346", 0},
    {"aadhaar", "aadhaar=234123412346", "aadhaar", "234123412346", "234123412346", V_BARE},
    REJL("aadhaar", "aadhaar 2341 2341 2347", "aadhaar"),
    REJL("aadhaar", "aadhaar 1341 2341 2346", "aadhaar"),
    REJL("aadhaar", "aadhaar 2341 2341-2346", "aadhaar"),
    /* CPF / CNPJ: two mod-11 check digits; Receita's alphanumeric CNPJ example */
    {"cpf", "cpf 111.444.777-35 ok", NULL, "111.444.777-35", "11144477735", 0},
    REJ("cpf", "cpf 111.444.777-36", "111.444.777-36"),
    REJ("cpf", "cpf 111.111.111-11", "111.111.111-11"), /* all same: passes mod 11 */
    REJ("cpf", "v1.111.444.777-35", "111.444.777-35"),
    {"cnpj", "cnpj 11.222.333/0001-81", NULL, "11.222.333/0001-81", "11222333000181", 0},
    {"cnpj", "cnpj 12.ABC.345/01DE-35", NULL, "12.ABC.345/01DE-35", "12ABC34501DE35", 0},
    REJ("cnpj", "cnpj 11.222.333/0001-82", "11.222.333/0001-82"),
    REJ("cnpj", "cnpj 00.000.000/0000-00", "00.000.000/0000-00"),
    /* US passport after its label */
    {"passport_us", "passport no: 123456789", "passport", "123456789", "123456789", 0},
    {"passport_us", "Passport Number A12345678.", "Passport", "A12345678", "A12345678", 0},
    {"passport_us", "passport_number=\"963545637\"", "passport", "963545637", "963545637", 0},
    REJL("passport_us", "passport expired 123456789", "passport"),
    REJL("passport_us", "passport 12345", "passport"),
    REJL("passport_us", "passport 1234567890", "passport"),
    REJL("passport_us", "passport 111111111", "passport"),
    /* driver's licence: US state layouts, never a word */
    {"drivers_license", "driver's license: D1234567", "driver's license", "D1234567", "D1234567",
     0},
    {"drivers_license", "DL# 123456789", "DL#", "123456789", "123456789", 0},
    {"drivers_license", "license number S123-4567-8901 IL", "license number", "S123-4567-8901",
     "S12345678901", 0},
    {"drivers_license", "driving licence 12ABC34567", "driving licence", "12ABC34567", "12ABC34567",
     0},
    REJL("drivers_license", "driver license INTRODUCTORY", "driver license"),
    REJL("drivers_license", "driver license 1234", "driver license"),
    REJL("drivers_license", "driver license 00000000", "driver license"),
    REJL("drivers_license", "driver license revoked 12345678", "driver license"),
    /* MBI: CMS character positions; CMS's example is a test value */
    {"mbi", "MBI 1EG4-TE5-MK73", "MBI", "1EG4-TE5-MK73", "1EG4TE5MK73", V_TEST},
    {"mbi", "medicare: 1EG4TE5MK73", "medicare", "1EG4TE5MK73", "1EG4TE5MK73", V_TEST},
    {"mbi", "mbi 9AA0A00AA00", "mbi", "9AA0A00AA00", "9AA0A00AA00", 0},
    REJL("mbi", "MBI 0EG4-TE5-MK73", "MBI"),
    REJL("mbi", "MBI 1SG4-TE5-MK73", "MBI"), /* S is excluded */
    REJL("mbi", "MBI 1EG4-TE5-MK7", "MBI"),
    REJL("mbi", "MBI 1EG4-TE5-MK73-9", "MBI"),
    /* VIN: ISO 3779 / 49 CFR 565 check digit */
    {"vin", "vin 1HGCM82633A004352", "vin", "1HGCM82633A004352", "1HGCM82633A004352", 0},
    {"vin", "VIN: 1M8GDM9AXKP042788", "VIN", "1M8GDM9AXKP042788", "1M8GDM9AXKP042788", V_TEST},
    {"vin", "x 5YJSA1E27GF123456 y", NULL, "5YJSA1E27GF123456", "5YJSA1E27GF123456", 0},
    REJL("vin", "vin 1HGCM82634A004352", "vin"), /* check digit */
    REJL("vin", "vin 1HGCM8263OA004352", "vin"), /* O */
    REJL("vin", "vin 11111111111111111", "vin"),
    REJL("vin", "vin 1HGCM82633A004352A", "vin"),
    /* IMEI: Luhn and the reporting body; 3GPP's example is a test value */
    {"imei", "imei 490154203237518", NULL, "490154203237518", "490154203237518", V_TEST},
    {"imei", "imei 352099001761481", NULL, "352099001761481", "352099001761481", 0},
    {"imei", "imei 012345678901237", NULL, "012345678901237", "012345678901237", 0},
    REJ("imei", "imei 490154203237519", "490154203237519"),
    REJ("imei", "imei 200154203237516", "200154203237516"), /* RBI 20 unassigned */
    REJ("imei", "imei 3520990017614810", "352099001761481"),
    /* bank account after its label: 6-17 digits */
    {"bank_account", "account number: 12345678901", "account", "12345678901", "12345678901",
     V_BARE},
    {"bank_account", "a/c no. 00123456", "a/c", "00123456", "00123456", V_BARE},
    {"bank_account", "acct#987654", "acct", "987654", "987654", V_BARE},
    REJL("bank_account", "acct 12345", "acct"),
    REJL("bank_account", "account 123456789012345678", "account"),
    REJL("bank_account", "account locked 12345678", "account"),
    REJL("bank_account", "account 12345678.5", "account"),
    REJL("bank_account", "account 00000000", "account"),
};

ParameterizedTestParameters(validate_id, vectors)
{
    static size_t idx[ARRAY_LEN(vecs)];
    for (size_t i = 0; i < ARRAY_LEN(vecs); i++) idx[i] = i;
    return cr_make_param_array(size_t, idx, ARRAY_LEN(vecs));
}

ParameterizedTest(size_t *i, validate_id, vectors)
{
    check(&vecs[*i]);
}

/* ---- VAT: one published number per country and layout --------------------------------- */

/* python-stdnum doctest vectors, one per layout, behind a label as the finder sees them */
static const char *const vat_valid[] = {
    "VAT ATU13585627",    "VAT BE0403019261",   "VAT BE 428759497",  "VAT BG175074752",
    "VAT CY10259033P",    "VAT CZ25123891",     "VAT CZ7103192745",  "VAT CZ640903926",
    "VAT DE136695976",    "VAT DK13585628",     "VAT EE100931558",   "VAT EL094259216",
    "VAT ES B64717838",   "VAT ES54362315K",    "VAT ESX5253868R",   "VAT ESJ99216582",
    "VAT FI20774740",     "VAT FR40303265045",  "VAT FR23334175221", "VAT FRK7399859412",
    "VAT FR4Z123456782",  "VAT HR33392005961",  "VAT HU12892312",    "VAT IE6433435F",
    "VAT IE8D79739I",     "VAT IT00743110157",  "VAT LT119511515",   "VAT LT100001919017",
    "VAT LT100004801610", "VAT LU15027442",     "VAT LV40003521600", "VAT LV16117519997",
    "VAT MT11679112",     "VAT NL004495445B01", "VAT PL8567346215",  "VAT PT501964843",
    "VAT RO18547290",     "VAT SE123456789701", "VAT SI50223054",    "VAT SK2022749619",
    "VAT GB980780684",    "VAT XI980780684",    "VAT GBGD001",       "VAT CHE-107.787.577 IVA",
    "MVA NO995525828MVA",
};

/* the same with the check digit changed (NL: the RSIN; GB: a GD number >= 500) */
static const char *const vat_invalid[] = {
    "VAT ATU13585628",    "VAT BE0403019262",   "VAT BE 428759498",  "VAT BG175074753",
    "VAT CY10259034P",    "VAT CZ25123892",     "VAT CZ7103192746",  "VAT CZ640903927",
    "VAT DE136695977",    "VAT DK13585629",     "VAT EE100931559",   "VAT EL094259217",
    "VAT ES B64717839",   "VAT ES54362316K",    "VAT ESX5253869R",   "VAT ESJ99216583",
    "VAT FI20774741",     "VAT FR40303265046",  "VAT FR23334175222", "VAT FRK7399859413",
    "VAT FR4Z123456783",  "VAT HR33392005962",  "VAT HU12892313",    "VAT IE6433436F",
    "VAT IE8D79730I",     "VAT IT00743110158",  "VAT LT119511516",   "VAT LT100001919018",
    "VAT LT100004801611", "VAT LU15027443",     "VAT LV40003521601", "VAT LV16117519998",
    "VAT MT11679113",     "VAT NL004495446B01", "VAT PL8567346216",  "VAT PT501964844",
    "VAT RO18547291",     "VAT SE123456789702", "VAT SI50223055",    "VAT SK2022749610",
    "VAT GB980780685",    "VAT XI980780685",    "VAT GBGD500",       "VAT CHE-107.787.578 IVA",
    "MVA NO995525829MVA",
};

ParameterizedTestParameters(validate_id, vat_valid)
{
    static size_t idx[ARRAY_LEN(vat_valid)];
    for (size_t i = 0; i < ARRAY_LEN(vat_valid); i++) idx[i] = i;
    return cr_make_param_array(size_t, idx, ARRAY_LEN(vat_valid));
}

ParameterizedTest(size_t *i, validate_id, vat_valid)
{
    const char *t = vat_valid[*i];
    struct t_vres r = t_validate_after("vat", t, t[0] == 'M' ? "MVA" : "VAT");
    cr_assert(r.ok, "vat should accept '%s'", t);
    /* the span is the number as written; the norm is the code and the bare number */
    cr_assert_str_eq(r.span, t + 4, "'%s'", t);
    cr_assert_null(strpbrk(r.norm, " -."), "norm '%s'", r.norm);
    cr_assert_eq(memcmp(r.norm, t + 4, 2), 0, "norm '%s' starts with the country", r.norm);
}

ParameterizedTestParameters(validate_id, vat_invalid)
{
    static size_t idx[ARRAY_LEN(vat_invalid)];
    for (size_t i = 0; i < ARRAY_LEN(vat_invalid); i++) idx[i] = i;
    return cr_make_param_array(size_t, idx, ARRAY_LEN(vat_invalid));
}

ParameterizedTest(size_t *i, validate_id, vat_invalid)
{
    const char *t = vat_invalid[*i];
    struct t_vres r = t_validate_after("vat", t, t[0] == 'M' ? "MVA" : "VAT");
    cr_assert_not(r.ok, "vat should reject '%s' (span '%s')", t, r.span);
}

Test(validate_id, vat_norm_ignores_layout)
{
    struct t_vres a = t_validate_after("vat", "VAT: DE 136 695 976", "VAT");
    struct t_vres b = t_validate_after("vat", "vat_id=DE136695976;", "vat");
    cr_assert(a.ok && b.ok);
    cr_assert_str_eq(a.norm, "DE136695976");
    cr_assert_str_eq(b.norm, "DE136695976");
    cr_assert_str_eq(a.span, "DE 136 695 976");
    /* a word after the number is not part of it; CH's language tag is */
    struct t_vres c = t_validate_after("vat", "MWST CHE-107.787.577 MWST ok", "MWST");
    cr_assert(c.ok);
    cr_assert_str_eq(c.span, "CHE-107.787.577 MWST");
    cr_assert_str_eq(c.norm, "CHE107787577");
    struct t_vres d = t_validate_after("vat", "VAT DE136695976 2024", "VAT");
    cr_assert(d.ok);
    cr_assert_str_eq(d.span, "DE136695976");
    cr_assert_not(t_validate_after("vat", "VAT US136695976", "VAT").ok, "US has no VAT");
    cr_assert_not(t_validate_after("vat", "VAT de136695976", "VAT").ok);
}

/* ---- checksum helpers ------------------------------------------------------------------ */

Test(validate_id, checksum_helpers)
{
    /* Verhoeff's own examples: 236 -> 3, 12345 -> 1, 142857 -> 0 */
    cr_assert(verhoeff_ok("2363", 4));
    cr_assert(verhoeff_ok("123451", 6));
    cr_assert(verhoeff_ok("1428570", 7));
    cr_assert_not(verhoeff_ok("2364", 4));
    cr_assert_not(verhoeff_ok("2633", 4)); /* transposition: what Verhoeff catches */
    cr_assert_not(verhoeff_ok("", 0));
    cr_assert_not(verhoeff_ok("23a3", 4));
    /* ISO 7064 MOD 11,10: the German and Croatian examples */
    cr_assert(iso7064_11_10_ok("136695976", 9));
    cr_assert(iso7064_11_10_ok("33392005961", 11));
    cr_assert_not(iso7064_11_10_ok("136695977", 9));
    cr_assert_not(iso7064_11_10_ok("1", 1));
    static const uint8_t w[3] = {1, 2, 3};
    cr_assert_eq(weighted_sum("123", w, 3), 14);
    cr_assert_eq(mod11_check(11), 0);
    cr_assert_eq(mod11_check(12), 0);
    cr_assert_eq(mod11_check(13), 9);
}

Test(validate_id, label_value_skips_fillers_only)
{
    static const struct {
        const char *text, *label, *value; /* value NULL: no value */
    } c[] = {
        {"passport no.: 123", "passport", "123"}, {"acct number #: 42", "acct", "42"},
        {"USt-IdNr.: DE1", "USt", "DE1"},         {"vat_number=DE1", "vat", "DE1"},
        {"nino NR123456A", "nino", "NR123456A"},  {"account\n123456", "account", NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(c); i++) {
        size_t len = strlen(c[i].text);
        struct vctx v;
        memset(&v, 0, sizeof v);
        v.buf = (const uint8_t *)c[i].text;
        v.hi = len;
        size_t a = (size_t)(strstr(c[i].text, c[i].label) - c[i].text) + strlen(c[i].label);
        size_t p = label_value(&v, a);
        if (!c[i].value) {
            cr_expect_eq(p, SIZE_MAX, "'%s'", c[i].text);
            continue;
        }
        cr_assert_neq(p, SIZE_MAX, "'%s'", c[i].text);
        cr_expect_str_eq(c[i].text + p, c[i].value, "'%s'", c[i].text);
    }
}
