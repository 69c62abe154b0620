/* test_detectors.c: each detector through the whole engine (finders, validators, context):
 * positives it must find, and hard negatives from real logs it must not (version strings, OIDs,
 * timestamps, UUIDs, git SHAs, block ids, order numbers failing Luhn). */
#include "testutil.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

/* Criterion re-executes its workers: parameters carry their bytes, not pointers. */
struct pos {
    char detector[24];
    char text[200];
    char match[120]; /* the exact span expected */
};

ParameterizedTestParameters(detectors, positives)
{
    static struct pos cases[] = {
        {"email", "contact: Jane.Doe+news@mail.acme-corp.co.uk today",
         "Jane.Doe+news@mail.acme-corp.co.uk"},
        {"email", "{\"to\":\"bob\\u0040acme.io\"}", "bob\\u0040acme.io"},
        {"email", "GET /u?mail=bob%40acme.io HTTP", "bob%40acme.io"},
        {"phone", "call (415) 872-2671 now", "(415) 872-2671"},
        {"phone", "tel 415-872-2671", "415-872-2671"},
        {"phone", "sms to +44 20 7946 0958 sent", "+44 20 7946 0958"},
        {"phone", "whatsapp +14158722671", "+14158722671"},
        {"phone", "phone: 4158722671", "4158722671"},
        {"credit_card", "card 4539 1488 0343 6467 ok", "4539 1488 0343 6467"},
        {"credit_card", "pan=5425233430109903;", "5425233430109903"},
        {"credit_card", "amex 3714-496353-98431 x", "3714-496353-98431"},
        {"iban", "iban DE62370400440532013001.", "DE62370400440532013001"},
        {"iban", "to GB02 NWBK 6016 1331 9268 20 today", "GB02 NWBK 6016 1331 9268 20"},
        {"us_ssn", "ssn=536-22-8142", "536-22-8142"},
        {"us_ssn", "SSN: 536228142", "536228142"},
        {"ipv4", "from 173.234.31.186 port", "173.234.31.186"},
        {"ipv4", "rhost=218.188.2.4 ", "218.188.2.4"},
        {"ipv6", "client 2a02:6b8:0:1:c6b3:1ff:fecd:467f up", "2a02:6b8:0:1:c6b3:1ff:fecd:467f"},
        {"ipv6", "peer fe80::c6b3:1ff:fecd:467f%en0", "fe80::c6b3:1ff:fecd:467f"},
        {"ipv6", "mapped ::ffff:81.2.69.160 ok", "::ffff:81.2.69.160"},
        {"mac_address", "mac 3c:5a:b4:11:22:33 up", "3c:5a:b4:11:22:33"},
        {"mac_address", "hw 84-41-67-32-DB-E1", "84-41-67-32-DB-E1"},
        {"geo_coordinates", "at 37.77493, -122.41942 now", "37.77493, -122.41942"},
        {"geo_coordinates", "buoy location 0.5271, 0.6905 ok", "0.5271, 0.6905"},
        {"aws_access_key", "id=AKIA2E3MNOPQ7RSTUVWX", "AKIA2E3MNOPQ7RSTUVWX"},
        {"api_token", "t ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5 x",
         "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"},
        {"jwt", "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl ok",
         "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"},
        {"private_key", "x\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn==\n",
         "-----BEGIN OPENSSH PRIVATE KEY-----"},
        {"password", "login password=Sup3rS3cret! next", "Sup3rS3cret!"},
        {"password", "{\"password\": \"\xd0\xbf\xd0\xb0\xd1\x80\xd0\xbe\xd0\xbb\xd1\x8c!\"}",
         "\xd0\xbf\xd0\xb0\xd1\x80\xd0\xbe\xd0\xbb\xd1\x8c!"}, /* UTF-8 letters only */
        {"password", "{\"password\": \"hunter2x\"}", "hunter2x"},
        {"password", "postgres://app:Tr0ub4dor@db:5432/x", "Tr0ub4dor"},
        {"url_clickstream", "GET https://shop.acme.io/p?id=123&email=x HTTP",
         "https://shop.acme.io/p?id=123&email=x"},
    };
    return cr_make_param_array(struct pos, cases, sizeof cases / sizeof *cases);
}

ParameterizedTest(struct pos *c, detectors, positives)
{
    t_expect_once(c->text, c->detector, c->match);
}

struct neg {
    char detector[24]; /* "" = no finding of any detector */
    char text[200];
};

ParameterizedTestParameters(detectors, hard_negatives)
{
    static struct neg cases[] = {
        {"ipv4", "Servicing Stack v6.1.7601.23505 loaded"},
        {"ipv4", "WcpInitialize (wcp.dll version 10.0.19041.1) called"},
        {"ipv4", "firmware version 1.2.3.4 installed"},
        {"ipv4", "agent v1.2.3.4 started"},
        {"ipv4", "snmp oid 1.3.6.1.4.1.2021.10.1 value"},
        {"ipv4", "at 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872"},
        {"", "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 RAS KERNEL INFO"},
        {"", "epoch=1700000000 duration_ms=4158722671"},
        {"", "request 38101a0b-2096-447d-96ea-a692162415ae done"},
        {"", "commit 3f786850e387550fdab836ed7e6dc881de23001b merged"},
        {"", "081111 044654 19 INFO dfs.FSDataset: Deleting block blk_-5014786445735476734 file"},
        {"", "081109 203615 148 INFO PacketResponder 1 for block blk_38865049064139660"},
        {"", "order 4539 1488 0343 6468 shipped"},
        {"", "2015-10-18 18:01:47,978 INFO [main] attempt_1445144423722_0020_m_000000_0"},
        {"", "17/06/09 20:10:40 INFO spark.SecurityManager: Changing view acls"},
        {"", "std::vector<int> and a::b::c in code"},
        {"", "Dec 10 06:55:46 LabSZ sshd[24200]: session opened"},
        {"", "tracking 1Z999AA10123456784 delivered"},
        {"", "sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"", "payload=aGVsbG8gd29ybGQgdGhpcyBpcyBiYXNlNjQgZGF0YQ== end"},
        {"", "metrics cpu=0.123, mem=0.456, disk=0.789"},
        {"", "step 2489 class weights 0.5271, 0.6905"},
        {"email", "get sftp://jdoe42@files.acme-corp.com/x"},
        {"", "password= next"},
        {"", "password=******** ok"},
        {"", "password=${DB_PASSWORD} ok"},
        {"password", "_p(\"password: \", \"pwd=\", \"db_password=\", \"secret: \")"},
        {"", "email=user@host without a real tld@x"},
        {"us_ssn", "ssn 000-12-3456 and 666-12-3456 and 536-00-8142"},
        {"us_ssn", "id 536228142 with no context"},
        {"phone", "count 4158722671 bytes"},
        {"credit_card", "id 4539148803436468 wrong luhn"},
        {"mac_address", "mac 00:00:00:00:00:00 unset"},
        {"jwt", "eyJub3Rqc29uIjoxfQ-but-not-a-token"},
        {"iban", "DE62370400440532013002 wrong check"},
    };
    return cr_make_param_array(struct neg, cases, sizeof cases / sizeof *cases);
}

ParameterizedTest(struct neg *c, detectors, hard_negatives)
{
    struct tfinds f = t_scan(t_engine(NULL), c->text, strlen(c->text), 0, 0);
    size_t n = t_count(&f, c->detector[0] ? c->detector : NULL, NULL);
    if (n) t_log_findings(&f);
    cr_expect_eq(n, 0, "'%s' must give no %s finding", c->text, c->detector[0] ? c->detector : "");
    t_free(&f);
}

Test(detectors, test_values_are_flagged)
{
    const char *s = "user@example.com 192.0.2.10 4111 1111 1111 1111 078-05-1120 "
                    "2001:db8::1 AKIAIOSFODNN7EXAMPLE (212) 555-0123\n";
    struct tfinds f = t_scan(t_engine(NULL), s, strlen(s), 0, 0);
    cr_expect_geq(f.n, 7);
    for (size_t i = 0; i < f.n; i++)
        cr_expect(f.v[i].test_value, "%s '%s' is a documented test value", f.v[i].detector,
                  f.v[i].match);
    t_free(&f);
}

Test(detectors, sensitivity_follows_the_statute)
{
    const char *s = "ssn 536-22-8142 at 37.77493, -122.41942 or 37.7, -122.4 lat\n"
                    "card 4539 1488 0343 6467 from 173.234.31.186\n";
    struct tfinds f = t_scan(t_engine(NULL), s, strlen(s), 0, 0);
    for (size_t i = 0; i < f.n; i++) {
        const struct tfind *x = &f.v[i];
        bool want = !strcmp(x->detector, "us_ssn") ||
                    (!strcmp(x->detector, "geo_coordinates") && strlen(x->match) > 14);
        cr_expect_eq(x->sensitive, want, "%s '%s'", x->detector, x->match);
        cr_expect_eq((x->ccpa & PII_CAT('L')) != 0, want, "L follows sensitive");
    }
    t_free(&f);
}
