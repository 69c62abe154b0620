/* test_detectors_id.c: the identifier detectors through the whole engine (finders, validators,
 * context): positives, hard negatives, context rules, test values and sensitivity. */
#include "testutil.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

/* Criterion re-executes its workers: parameters carry their bytes, not pointers. */
struct pos {
    char detector[24];
    char text[200];
    char match[64]; /* the exact span expected */
};

ParameterizedTestParameters(detectors_id, positives)
{
    static struct pos cases[] = {
        {"bank_account", "wire to account number: 12345678901 today", "12345678901"},
        {"bank_account", "{\"acct_no\": \"00123456\"}", "00123456"},
        {"us_bank_routing", "routing number 021000021 acct", "021000021"},
        {"us_bank_routing", "ABA: 011000015", "011000015"},
        {"us_itin", "ITIN 912-70-1234 on file", "912-70-1234"},
        {"us_itin", "taxpayer id 912701234", "912701234"},
        {"us_ein", "EIN: 12-3456789", "12-3456789"},
        {"us_ein", "employer id number 45-1234567 (LLC)", "45-1234567"},
        {"vat_id", "VAT no. DE 136 695 976", "DE 136 695 976"},
        {"vat_id", "{\"vat_id\":\"FR40303265045\"}", "FR40303265045"},
        {"vat_id", "USt-IdNr.: ATU13585627", "ATU13585627"},
        {"vat_id", "MWST CHE-107.787.577 MWST", "CHE-107.787.577 MWST"},
        {"vat_id", "vat GB980780684", "GB980780684"},
        {"vat_id", "vat: NO995525828MVA", "NO995525828MVA"},
        {"uk_nino", "NINO: AB123456D", "AB123456D"},
        {"uk_nino", "national insurance number JG 10 37 59 A", "JG 10 37 59 A"},
        {"ca_sin", "SIN: 130 692 544", "130 692 544"},
        {"ca_sin", "social insurance number 130692544", "130692544"},
        {"in_pan", "PAN: ABCPE1234F", "ABCPE1234F"},
        {"in_aadhaar", "Aadhaar 2341 2341 2346", "2341 2341 2346"},
        {"br_cpf", "cliente 111.444.777-35 ok", "111.444.777-35"},
        {"br_cnpj", "empresa 11.222.333/0001-81 ok", "11.222.333/0001-81"},
        {"br_cnpj", "cnpj 12.ABC.345/01DE-35", "12.ABC.345/01DE-35"},
        /* bare digits after their label (or in their field) */
        {"br_cpf", "documento CPF 11144477735", "11144477735"},
        {"br_cpf", "{\"cpf\":11144477735,\"ok\":1}", "11144477735"},
        {"br_cnpj", "fornecedor CNPJ: 11222333000181", "11222333000181"},
        {"br_cnpj", "cnpj_number=11222333000181", "11222333000181"},
        {"vin", "vin=1hgcm82633a004352 ok", "1hgcm82633a004352"},
        {"vat_id", "TVA intracom FR40303265045", "FR40303265045"},
        {"us_passport", "passport no: 963545637", "963545637"},
        {"us_passport", "\"passportNumber\":\"A12345678\"", "A12345678"},
        {"drivers_license", "driver's license: D1234567", "D1234567"},
        {"drivers_license", "DL# 123456789 exp 2027", "123456789"},
        {"drivers_license", "{\"license\": {\"number\": \"D1234567\"}}", "D1234567"},
        {"us_mbi", "medicare id 9AA0A00AA00", "9AA0A00AA00"},
        {"vin", "VIN: 1HGCM82633A004352", "1HGCM82633A004352"},
        {"vin", "vehicle 5YJSA1E27GF123456 parked", "5YJSA1E27GF123456"},
        {"imei", "device imei 352099001761481", "352099001761481"},
        {"imei", "handset=861234567890127", "861234567890127"},
        {"imei", "device imei 35-209900-176148-1", "35-209900-176148-1"},
        {"imei", "{\"imei\":\"35 209900 176148 1\"}", "35 209900 176148 1"},
    };
    return cr_make_param_array(struct pos, cases, sizeof cases / sizeof *cases);
}

ParameterizedTest(struct pos *c, detectors_id, positives)
{
    t_expect_once(c->text, c->detector, c->match);
    /* a byte at a time through the chunker gives the same */
    struct tfinds g = t_scan(t_engine(NULL), c->text, strlen(c->text), 1, 0);
    cr_expect_eq(t_count(&g, c->detector, c->match), 1, "%s fed bytewise", c->text);
    t_free(&g);
}

struct neg {
    char detector[24]; /* the detector that must not fire */
    char text[200];
};

ParameterizedTestParameters(detectors_id, hard_negatives)
{
    static struct neg cases[] = {
        /* context required, and whole words only */
        {"drivers_license", "duplicate D1234567 found"},
        {"drivers_license", "public D1234567 licensed"},
        {"drivers_license", "driver license INTRODUCTORY offer"},
        {"drivers_license", "INTRODUCTORY 12345678"},
        {"drivers_license", "Apache License, Version 2.0 (build 20240101)"},
        {"drivers_license", "{\"number\": \"D1234567\"}"},
        {"drivers_license", "{\"license\": {\"type\": \"MIT\", \"year\": \"20240101\"}}"},
        {"bank_account", "id 12345678901 processed"},
        {"bank_account", "account locked after 12345678 attempts"},
        {"bank_account", "accountant 12345678"},
        {"bank_account", "account 2015-10-18 12:00:01"},
        {"bank_account", "account 12345678 order 5"},
        {"us_bank_routing", "ref 021000021 done"},
        {"ca_sin", "ref 046454286 done"},
        {"ca_sin", "pid 130 692 544 up"},
        {"ca_sin", "using 130692544 bytes"},
        {"us_passport", "passport office opens at 123456789"},
        {"us_passport", "id 123456789"},
        {"us_ein", "being 12-3456789"},
        {"us_ein", "EIN 00-3456789"},
        {"us_itin", "duration 912701234 ms"},
        {"us_itin", "itin 912-93-1234"},
        {"us_itin", "ad 987-65-4321 (the SSA advertising number is us_ssn's test value)"},
        {"in_pan", "span ABCPE1234F"},
        {"in_pan", "ABCPE1234F without a label"},
        {"in_aadhaar", "order 2341 2341 2346"},
        {"in_aadhaar", "aadhaar 2341 2341 2347"},
        {"uk_nino", "ni no DA123456C"},
        {"uk_nino", "AB123456D without a label"},
        {"us_mbi", "combine 1EG4TE5MK73"},
        {"vin", "moving 1HGCM82633A004352"},
        {"vin", "vin 3F2504E04F8911D39A0C0305E82C3301"},
        {"vat_id", "vat DE136695977"},
        {"vat_id", "vat 136695976"},
        {"vat_id", "DE136695976 without a label"},
        {"br_cpf", "v 111.444.777-36"},
        {"br_cpf", "111.111.111-11"},
        {"br_cnpj", "11.222.333/0001-82"},
        {"br_cpf", "11144477735 without a label"},
        {"br_cpf", "cpf 111444777350"},
        {"br_cpf", "cpf 11144477736"},
        {"br_cnpj", "order 11222333000181"},
        {"br_cnpj", "cnpj 11222333000182"},
        {"vin", "vin 1HGCM82633a004352"},
        {"imei", "order 352099001761481 shipped"},
        {"imei", "blk_352099001761481 x"},
        {"imei", "n 352099001761482"},
        {"imei", "imei 35-209900-176148-2"},
        {"imei", "imei 35-209900 176148-1"},
        {"imei", "ref 135-209900-176148-1"},
        /* real log lines: none of the identifier detectors may fire */
        {"", "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block "
             "blk_38865049064139660 terminating"},
        {"", "2015-10-18 18:01:47,978 INFO [main] attempt_1445144423722_0020_m_000000_0"},
        {"", "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; uid=0"},
        {"", "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872"},
        {"", "03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogsopening"},
    };
    return cr_make_param_array(struct neg, cases, sizeof cases / sizeof *cases);
}

static bool mine(const char *id)
{
    static const char *const ids[] = {
        "bank_account",    "us_bank_routing", "us_itin",    "us_ein", "vat_id",  "uk_nino",
        "ca_sin",          "in_pan",          "in_aadhaar", "br_cpf", "br_cnpj", "us_passport",
        "drivers_license", "us_mbi",          "vin",        "imei"};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
        if (!strcmp(ids[i], id)) return true;
    return false;
}

ParameterizedTest(struct neg *c, detectors_id, hard_negatives)
{
    struct tfinds f = t_scan(t_engine(NULL), c->text, strlen(c->text), 0, 0);
    size_t n = 0;
    for (size_t i = 0; i < f.n; i++) {
        /* what the CLI reports by default (--min-confidence 0.5): a negative word demotes */
        if (f.v[i].confidence < 50) continue;
        bool hit = c->detector[0] ? !strcmp(f.v[i].detector, c->detector) : mine(f.v[i].detector);
        if (hit) {
            n++;
            cr_log_error("found %s '%s'", f.v[i].detector, f.v[i].match);
        }
    }
    cr_expect_eq(n, 0, "'%s' must give no %s finding", c->text,
                 c->detector[0] ? c->detector : "identifier");
    t_free(&f);
}

Test(detectors_id, test_values_are_flagged)
{
    const char *s = "NINO QQ123456C\nSIN 046 454 286\nMBI 1EG4-TE5-MK73\nPAN ABCDE1234F\n"
                    "VIN 1M8GDM9AXKP042788\nimei 490154203237518\n";
    struct tfinds f = t_scan(t_engine(NULL), s, strlen(s), 0, 0);
    cr_expect_eq(f.n, 6);
    for (size_t i = 0; i < f.n; i++)
        cr_expect(f.v[i].test_value, "%s '%s' is a documented example", f.v[i].detector,
                  f.v[i].match);
    t_free(&f);
}

Test(detectors_id, context_raises_confidence)
{
    const char *a = "x 352099001761481 y\n", *b = "imei 352099001761481 y\n";
    struct tfinds f = t_scan(t_engine("imei"), a, strlen(a), 0, 0);
    struct tfinds g = t_scan(t_engine("imei"), b, strlen(b), 0, 0);
    cr_assert_eq(f.n, 1);
    cr_assert_eq(g.n, 1);
    cr_expect_gt(g.v[0].confidence, f.v[0].confidence);
    t_free(&f);
    t_free(&g);
}

Test(detectors_id, sensitivity_follows_the_statute)
{
    /* passport, driver's licence and the Medicare id are sensitive; a bank account only with
     * its credential (spi combined), the rest never */
    const char *s = "passport 963545637\ndriver license D1234567\nmedicare 9AA0A00AA00\n"
                    "account 12345678901\nNINO AB123456D\nvat DE136695976\nitin 912-70-1234\n";
    struct tfinds f = t_scan(t_engine(NULL), s, strlen(s), 0, 0);
    cr_expect_eq(f.n, 7);
    for (size_t i = 0; i < f.n; i++) {
        const struct tfind *x = &f.v[i];
        bool want = !strcmp(x->detector, "us_passport") ||
                    !strcmp(x->detector, "drivers_license") || !strcmp(x->detector, "us_mbi");
        cr_expect_eq(x->sensitive, want, "%s '%s'", x->detector, x->match);
        cr_expect_eq((x->ccpa & PII_CAT('L')) != 0, want, "L follows sensitive");
    }
    t_free(&f);
}

/* A CSV header names the column: label-found detectors get the cells of their column (the
 * cell's start stands in for the label's end), and JSON keys end in '"'. */
Test(detectors_id, csv_columns_and_json_keys_stand_in_for_labels)
{
    const char *csv = "id,nino,passport_number,city\n"
                      "1,AB123456C,123456789,Leeds\n"
                      "2,AB123456D,C12345678,York\n";
    struct tfinds f = t_scan(t_engine(NULL), csv, strlen(csv), 0, 0);
    cr_expect_eq(t_count(&f, "uk_nino", "AB123456C"), 1);
    cr_expect_eq(t_count(&f, "uk_nino", "AB123456D"), 1);
    cr_expect_eq(t_count(&f, "us_passport", "123456789"), 1);
    cr_expect_eq(t_count(&f, "us_passport", "C12345678"), 1);
    t_free(&f);
    /* the same values under a header that does not name them: nothing */
    const char *other = "id,code,ref,city\n1,AB123456C,123456789,Leeds\n";
    f = t_scan(t_engine(NULL), other, strlen(other), 0, 0);
    cr_expect_eq(t_count(&f, "uk_nino", NULL), 0);
    cr_expect_eq(t_count(&f, "us_passport", NULL), 0);
    t_free(&f);
    const char *json = "{\"company\":{\"ein\":\"12-3456789\",\"vin\":\"1M8GDM9AXKP042788\"}}\n";
    f = t_scan(t_engine(NULL), json, strlen(json), 0, 0);
    cr_expect_eq(t_count(&f, "us_ein", "12-3456789"), 1);
    cr_expect_eq(t_count(&f, "vin", "1M8GDM9AXKP042788"), 1);
    t_free(&f);
    const char *ein = "{\"employer_ein\":\"12-3456789\"}\n";
    t_expect_once(ein, "us_ein", "12-3456789");
    const char *sin = "tratum 7 ca_sin=046454286 ok\n";
    t_expect_once(sin, "ca_sin", "046454286");
    /* an escaped JSON payload inside a log line: the label ends in \" */
    const char *esc = "{\"msg\":\"request body {\\\"vat\\\":\\\"DE136695976\\\"}\"}\n";
    t_expect_once(esc, "vat_id", "DE136695976");
    const char *mbi = "took 9 ms medicare beneficiary identifier 1EG4-TE5-MK72 ok\n";
    t_expect_once(mbi, "us_mbi", "1EG4-TE5-MK72");
    const char *acct = "{\"payout\":{\"bank_account\":\"12345678901\"}}\n";
    t_expect_once(acct, "bank_account", "12345678901");
}

/* Spaced digit layouts (New York, Pennsylvania) and Washington's WDL form after a label; a
 * word after the number is not part of it. */
Test(detectors_id, licence_spaced_and_washington_layouts)
{
    const char *s = "driver's license 123 456 789 on file\n"
                    "DL# 12 345 678 ok\n"
                    "drivers_license=WDLAB12CD34E\n"
                    "license number 123 456 789 and more text\n"
                    "DL#WDLNH9FWYBVS dl_number=D1234567\n";
    struct tfinds f = t_scan(t_engine(NULL), s, strlen(s), 0, 0);
    cr_expect_eq(t_count(&f, "drivers_license", "123 456 789"), 2);
    cr_expect_eq(t_count(&f, "drivers_license", "12 345 678"), 1);
    cr_expect_eq(t_count(&f, "drivers_license", "WDLAB12CD34E"), 1);
    cr_expect_eq(t_count(&f, "drivers_license", "WDLNH9FWYBVS"), 1);
    cr_expect_eq(t_count(&f, "drivers_license", "D1234567"), 1);
    t_free(&f);
}
