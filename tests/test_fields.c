/* test_fields.c: structured-field context (JSON keys, nested and escaped JSON, logfmt, CSV/TSV
 * headers remembered across windows), the field-driven and text detectors, and the record
 * rule for `combined` sensitivity. All values are synthetic. */
#include "pii_internal.h"
#include "testutil.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct tfind *find(const struct tfinds *f, const char *id, const char *match)
{
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->v[i].detector, id) && (!match || !strcmp(f->v[i].match, match)))
            return &f->v[i];
    return NULL;
}

/* ---- the seven detectors: positives -------------------------------------------------- */

struct pos {
    char detector[24];
    char text[240];
    char match[160];
};

ParameterizedTestParameters(fields, positives)
{
    static struct pos cases[] = {
        /* person_name: named fields, nested paths, escaped JSON, logfmt, "Key: value" */
        {"person_name", "{\"first_name\": \"Maria\", \"last_name\": \"Hernandez\"}", "Maria"},
        {"person_name", "{\"first_name\": \"Maria\", \"last_name\": \"Hernandez\"}", "Hernandez"},
        {"person_name", "{\"user\":{\"id\":7,\"name\":\"Maria Hernandez\"}}", "Maria Hernandez"},
        {"person_name", "ts=1 msg=\"{\\\"customerName\\\":\\\"Robert Miller\\\"}\" ok",
         "Robert Miller"},
        {"person_name", "level=info name=Jennifer action=login", "Jennifer"},
        {"person_name", "Full Name: Thomas Anderson\n", "Thomas Anderson"},
        {"person_name", "firstName=Xochitl plan=pro", "Xochitl"},
        {"person_name", "{\"name\": \"Smith, John\"}", "Smith, John"},
        {"person_name", "Dear Mr. Johnson, your order shipped", "Johnson"},
        {"person_name", "Dear Patricia Wong,", "Patricia Wong"},
        /* username */
        {"username", "auth.login user=mhernandez from 81.2.69.160", "mhernandez"},
        {"username", "{\"login\":\"jsmith42\",\"ok\":true}", "jsmith42"},
        {"username", "clone https://kwalker@git.acme.io/repo.git", "kwalker"},
        {"username", "ftp://dlee:pw1234x@files.acme.io/in", "dlee"},
        {"username", "db_user=analytics_rw host=db1", "analytics_rw"},
        {"username", "msg=\"request body {\\\"user\\\":\\\"kevbro\\\",\\\"source\\\":1}\"",
         "kevbro"},
        {"aws_secret_key",
         "{\"msg\":\"request body "
         "{\\\"aws_secret_access_key\\\":\\\"Zq8vR2mT5nW1xY4bC7dF0gH3jK6lP9sA2eU5iO8r\\\"}\"}",
         "Zq8vR2mT5nW1xY4bC7dF0gH3jK6lP9sA2eU5iO8r"},
        /* sshd and PAM name the log-in in fixed phrases (OpenSSH_2k, Linux_2k of loghub) */
        {"username", "sshd[24497]: Invalid user zhangyan from 103.99.0.122", "zhangyan"},
        {"username", "sshd[24497]: input_userauth_request: invalid user test9 [preauth]", "test9"},
        {"username", "Failed password for invalid user k.ward from 10.1.2.3 port 55028 ssh2",
         "k.ward"},
        {"username", "Disconnected from authenticating user mkim 2001:db8::7 port 22 [preauth]",
         "mkim"},
        {"username", "Connection closed by invalid user ingrid 187.141.143.180 port 4022",
         "ingrid"},
        {"username", "pam_unix(sshd:session): session opened for user jdoe by (uid=0)", "jdoe"},
        {"username", "pam_unix(sshd:session): session opened for user jdoe(uid=1000) by (uid=0)",
         "jdoe"},
        {"username", "pam_unix(cron:session): session closed for user sandeep\n", "sandeep"},
        /* and an existing account's log-in, successful or not */
        {"username", "sshd[24680]: Accepted password for kbauer from 203.0.113.42 port 49116 ssh2",
         "kbauer"},
        {"username", "sshd[9]: Failed password for m.weber from 10.0.0.8 port 2201 ssh2",
         "m.weber"},
        {"username", "sshd[9]: Accepted publickey for deploy_ci from 10.0.0.9 port 50022 ssh2",
         "deploy_ci"},
        /* another key's name ("service") is no negative word for a value in a "user" field */
        {"username", "{\"level\":\"info\",\"service\":\"support\",\"user\":\"olivia_lars\"}",
         "olivia_lars"},
        /* date_of_birth */
        {"date_of_birth", "kyc ssn=x dob=1984-07-12 status=pending", "1984-07-12"},
        {"date_of_birth", "{\"dateOfBirth\": \"07/12/1984\"}", "07/12/1984"},
        {"date_of_birth", "patient born on 12 March 1990 in Ohio", "12 March 1990"},
        {"date_of_birth", "Date of Birth: 1990-02-28\n", "1990-02-28"},
        {"date_of_birth", "{\"birth_date\":\"19840712\"}", "19840712"},
        {"date_of_birth", "D.O.B. 03.11.1975 verified", "03.11.1975"},
        {"date_of_birth", "birthday: March 3, 1962", "March 3, 1962"},
        /* street_address */
        {"street_address", "ship to 1847 Oak Ridge Dr, Columbus, OH 43215 today",
         "1847 Oak Ridge Dr, Columbus, OH 43215"},
        {"street_address", "address=55 W 42nd St floor 3", "55 W 42nd St"},
        {"street_address", "{\"street\": \"9 Elm Avenue\"}", "9 Elm Avenue"},
        {"street_address", "lives at 221B Ashford Lane.", "221B Ashford Lane"},
        {"street_address", "100021,+442035589160,9119 Franklin Ct,active", "9119 Franklin Ct"},
        /* a 3-digit house number after a phone's 4-digit group: no amount has such a group */
        {"street_address", "100063,(404) 386-0139,759 Chestnut St,Marco", "759 Chestnut St"},
        {"street_address", "1\t4155550123\t88 Hill Dr\tx", "88 Hill Dr"},
        /* device_id */
        {"device_id", "ad_event idfa=6D92078A-8246-4BA4-AE5B-76104861E7DC ok",
         "6D92078A-8246-4BA4-AE5B-76104861E7DC"},
        {"device_id", "{\"gaid\":\"3f2c1a0b-9e8d-4c7b-a6f5-e4d3c2b1a090\"}",
         "3f2c1a0b-9e8d-4c7b-a6f5-e4d3c2b1a090"},
        {"device_id", "android_id=8af3c0e91b2d4f57 app=x", "8af3c0e91b2d4f57"},
        {"device_id", "worker left; advertising id 7CF843E6-C7B1-4E06-902D-B1326D807888",
         "7CF843E6-C7B1-4E06-902D-B1326D807888"},
        {"device_id", "{\"deviceId\": \"0a1b2c3d4e5f60718293a4b5c6d7e8f9\"}",
         "0a1b2c3d4e5f60718293a4b5c6d7e8f9"},
        /* user_agent */
        {"user_agent",
         "1.2.3.4 - - \"GET / HTTP/1.1\" 200 5 \"-\" \"Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
         "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36\"",
         "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/120.0.0.0 Safari/537.36"},
        {"user_agent", "ua=Dalvik/2.1.0 (Linux; U; Android 13; Pixel 7 Build/TQ3A) status=200",
         "Dalvik/2.1.0 (Linux; U; Android 13; Pixel 7 Build/TQ3A)"},
        /* password in escaped JSON inside a log string */
        {"password",
         "{\"msg\":\"request body {\\\"user_password\\\":\\\"Tr0ub4dor463?\\\",\\\"x\\\":1}\"}",
         "Tr0ub4dor463?"},
        /* cookie_id */
        {"cookie_id", "Cookie: SESSIONID=a8f3k29dk3l0x9q2; theme=dark\n",
         "SESSIONID=a8f3k29dk3l0x9q2; theme=dark"},
        {"cookie_id", "Set-Cookie: sid=Zk29xL0q8Pw3nB7c; Path=/; HttpOnly", "Zk29xL0q8Pw3nB7c"},
        {"cookie_id", "auth ok session_id=4f9a2c71b0e34d5f8a6b user=x", "4f9a2c71b0e34d5f8a6b"},
        {"cookie_id", "{\"PHPSESSID\": \"q8r7s6t5u4v3w2x1y0z9\"}", "q8r7s6t5u4v3w2x1y0z9"},
        {"cookie_id", "{\"cookie_id\": \"GA1.2.1321938307.1614984723\"}",
         "GA1.2.1321938307.1614984723"},
        {"cookie_id", "level=info cookie_id=F69EA8AB6E1F2AEB67133BACF9846505 msg=x",
         "F69EA8AB6E1F2AEB67133BACF9846505"},
    };
    return cr_make_param_array(struct pos, cases, sizeof cases / sizeof *cases);
}

ParameterizedTest(struct pos *c, fields, positives)
{
    t_expect_once(c->text, c->detector, c->match);
}

/* ---- hard negatives ------------------------------------------------------------------ */

struct neg {
    char detector[24];
    char text[240];
};

ParameterizedTestParameters(fields, hard_negatives)
{
    static struct neg cases[] = {
        /* system accounts are not people; ids are not user names */
        {"username", "sshd: session opened for user=root by (uid=0)"},
        {"username", "sudo: user=admin command=/bin/ls"},
        {"username", "{\"login\": \"nobody\"}"},
        {"username", "{\"user\": \"www-data\"}"},
        {"username", "user=12345 action=view"},
        {"username", "git clone ssh://git@github.com/acme/x.git"},
        {"username", "user=${USER} user=<username> user=null"},
        {"username", "User-Agent: curl/8.0"},
        {"username", "hostname=web01 servername=api"},
        /* the sshd and PAM phrases only: their accounts, numeric ids and prose are not log-ins */
        {"username", "sshd[1]: Invalid user admin from 1.2.3.4; invalid user ubnt [preauth]"},
        {"username", "session opened for user cyrus by (uid=0); session closed for user news"},
        {"username", "Invalid user 1234 from 5.6.7.8; for user 501 on console"},
        {"username", "waiting for user input from the form; settings from user preferences"},
        {"username", "the invalid user interface; valid user jsmith from 1.2.3.4"},
        {"username", "session opened for user jdoe today"},
        {"username", "sshd[24200]: Invalid user  from 173.234.31.186; invalid user from 1.2.3.4"},
        {"username",
         "Failed password for root from 1.2.3.4 port 22 ssh2; publickey for git from x"},
        {"username", "please reset the password for alice today; publickey for bob was rotated"},
        /* "Name: Node-42" is not a person, nor are products, acronyms and prose */
        {"person_name", "Name: Node-42"},
        {"person_name", "{\"name\": \"INTRODUCTORY OFFER\"}"},
        {"person_name", "INTRODUCTORY PRICING for Johnson & Co"},
        {"person_name", "name=INTRODUCTORY"},
        {"person_name", "hostname=Maria filename=Robert.txt"},
        {"person_name", "app_name=Jennifer service_name=Thomas"},
        {"person_name", "Dear Customer, Dear Valued Member"},
        {"person_name", "project name: Apollo Gateway"},
        {"person_name", "{\"name\": \"nginx\"}"},
        {"person_name", "{\"name\": \"Acme Router\"}"},
        {"person_name", "the user name field was empty; name: unknown"},
        {"person_name", "Mary had a little lamb, said John Smith on the radio"},
        /* a version, build or release date is no date of birth */
        {"date_of_birth", "version=2021-03-04 build=2021-03-05"},
        {"date_of_birth", "{\"dob_schema_version\": \"2021-03-04\"}"},
        {"date_of_birth", "birth certificate parser v2021.03.04 released"},
        {"date_of_birth", "dob=2021-02-30"},
        {"date_of_birth", "adobe reader 2021-03-04 stillborn 2020-01-01"},
        {"date_of_birth", "DOB field added in release 2021-03-04"},
        {"date_of_birth", "dob=1984-07-12-99"},
        /* street addresses need a number and named street words */
        {"street_address", "at 10:42 Main St the store opened"},
        {"street_address", "the Way we were, Dr Who"},
        {"street_address", "v1.2.3 Main St"},
        {"street_address", "the main st was closed"},
        {"street_address", "paid 3,500 Main St rent"},
        {"street_address", "paid 12,500 Main St rent; 1,234,567 Main St shares"},
        /* device ids need their key and a real value */
        {"device_id", "idfa=00000000-0000-0000-0000-000000000000"},
        {"device_id", "request_id=38101a0b-2096-447d-96ea-a692162415ae"},
        {"device_id", "device_id=42 model=x"},
        {"device_id", "advertising idea 7CF843E6-C7B1-4E06-902D-B1326D807888"},
        {"device_id", "device_id=38101a0b-2096-447d-96ea-a692162415aeff"},
        /* crawlers are not a consumer's device */
        {"user_agent",
         "\"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)\""},
        {"user_agent", "Mozilla/5.0 is the prefix"},
        {"user_agent", "ua=\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
                       "Gecko) HeadlessChrome/120.0.0.0 Safari/537.36\""},
        {"user_agent",
         "ua=\"Mozilla/5.0 (compatible; Yahoo! SLURP; http://help.yahoo.com/help/us/ysearch)\""},
        {"user_agent",
         "ua=\"Mozilla/5.0 (compatible; UptimeMONITOR/1.0; +https://uptime.example)\""},
        {"user_agent",
         "ua=\"Mozilla/5.0 (Windows NT 10.0; Win64; x64; SomeCrawler 2.0) examplebot\""},
        {"user_agent",
         "ua=\"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 Spider/1.0 (x)\""},
        /* an actor system's address names a service, not a log-in (Spark, Akka) */
        {"username", "Connecting to driver: spark://CoarseGrainedScheduler@10.10.34.11:48069"},
        {"username", "akka.tcp://sparkExecutorActorSystem@mesos-slave-13:55904/user/Executor"},
        {"username", "at AKKA.SSL.TCP://clusterNode7@host-3:2552"},
        /* cookies: placeholders and words */
        {"cookie_id", "Dec 10 06:55:46 LabSZ sshd[24200]: session opened"},
        {"cookie_id", "session_id=null session_id=******** sid=abc"},
        {"cookie_id", "Set-Cookie: sid=deleted; Expires=Thu, 01 Jan 1970 00:00:00 GMT"},
        {"cookie_id", "visid=Zk29xL0q8Pw3nB7c"},
        /* a server's session handle (ZooKeeper) is not a browser's cookie */
        {"cookie_id", "- Processed session termination for sessionid: 0x34ed9ac1c1e007a"},
    };
    return cr_make_param_array(struct neg, cases, sizeof cases / sizeof *cases);
}

ParameterizedTest(struct neg *c, fields, hard_negatives)
{
    struct tfinds f = t_scan(t_engine(NULL), c->text, strlen(c->text), 0, 0);
    size_t n = t_count(&f, c->detector, NULL);
    if (n) t_log_findings(&f);
    cr_expect_eq(n, 0, "'%s' must give no %s finding", c->text, c->detector);
    t_free(&f);
}

/* ---- documented placeholders are test values ------------------------------------------ */

Test(fields, placeholders_are_test_values)
{
    const char *s = "{\"name\": \"John Doe\"}\n{\"full_name\": \"Jane Doe\"}\n"
                    "address=123 Main St\n"
                    "https://jdoe@example.com/x\n";
    struct tfinds f = t_scan(t_engine(NULL), s, strlen(s), 0, 0);
    const struct tfind *a = find(&f, "person_name", "John Doe"),
                       *b = find(&f, "person_name", "Jane Doe"),
                       *c = find(&f, "street_address", "123 Main St"),
                       *d = find(&f, "username", "jdoe");
    if (!a || !b || !c || !d) t_log_findings(&f);
    cr_assert(a && b && c && d);
    cr_expect(a->test_value && b->test_value && c->test_value && d->test_value);
    const char *real = "{\"name\": \"Maria Hernandez\"}\naddress=1847 Oak Ridge Dr\n";
    struct tfinds g = t_scan(t_engine(NULL), real, strlen(real), 0, 0);
    cr_expect_eq(g.n, 2);
    for (size_t i = 0; i < g.n; i++) cr_expect(!g.v[i].test_value, "%s", g.v[i].detector);
    t_free(&f);
    t_free(&g);
}

/* ---- fields raise confidence and satisfy required context ------------------------------- */

Test(fields, field_names_raise_confidence)
{
    const char *with = "{\"customer_email\": \"maria.h@northwind-mail.com\"}";
    const char *without = "note maria.h@northwind-mail.com";
    struct tfinds a = t_scan(t_engine(NULL), with, strlen(with), 0, 0);
    struct tfinds b = t_scan(t_engine(NULL), without, strlen(without), 0, 0);
    const struct tfind *x = find(&a, "email", NULL), *y = find(&b, "email", NULL);
    cr_assert(x && y);
    cr_expect_gt(x->confidence, y->confidence, "%d vs %d", x->confidence, y->confidence);
    t_free(&a);
    t_free(&b);
}

/* A bare 9-digit SSN needs context; a camelCase key has no context word but is the field. */
Test(fields, a_field_satisfies_bare_context)
{
    const char *cases[] = {
        "{\"socialSecurityNumber\": \"536228142\"}",
        "ts=1 msg=\"{\\\"socialSecurityNumber\\\":\\\"536228142\\\"}\"",
        "{\"applicant\":{\"taxpayer\":{\"socialSecurityNumber\":536228142}}}",
        "SocialSecurityNumber: 536228142\n",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct tfinds f = t_scan(t_engine(NULL), cases[i], strlen(cases[i]), 0, 0);
        if (t_count(&f, "us_ssn", "536228142") != 1) t_log_findings(&f);
        cr_expect_eq(t_count(&f, "us_ssn", "536228142"), 1, "%s", cases[i]);
        t_free(&f);
    }
    const char *no = "{\"orderNumber\": \"536228142\"}";
    struct tfinds f = t_scan(t_engine(NULL), no, strlen(no), 0, 0);
    cr_expect_eq(t_count(&f, "us_ssn", NULL), 0);
    t_free(&f);
}

/* ---- CSV / TSV headers ------------------------------------------------------------------ */

static const char *const gn[] = {"Maria", "Robert", "Jennifer", "Thomas", "Olivia", "Daniel"};
static const char *const sn[] = {"Hernandez", "Miller", "Anderson", "Nguyen", "Patel", "Kowalski"};

/* A CSV export: header, then rows (some quoted, some with a comma inside quotes). */
static char *csv(size_t rows, size_t *len)
{
    size_t cap = 128 + rows * 160, n = 0;
    char *s = malloc(cap);
    n += (size_t)snprintf(s + n, cap - n, "id,first_name,last_name,dob,username,notes\n");
    for (size_t i = 0; i < rows; i++) {
        const char *g = gn[i % 6], *l = sn[(i / 6) % 6];
        int y = 1950 + (int)(i % 50), m = 1 + (int)(i % 12), d = 1 + (int)(i % 28);
        if (i % 3 == 0)
            n += (size_t)snprintf(s + n, cap - n,
                                  "%zu,\"%s\",%s,%04d-%02d-%02d,%c%s%zu,\"late, again\"\n", i + 1,
                                  g, l, y, m, d, g[0] + 32, l, i);
        else
            n += (size_t)snprintf(s + n, cap - n, "%zu,%s,%s,%02d/%02d/%04d,%c%s%zu,ok\n", i + 1, g,
                                  l, m, d, y, g[0] + 32, l, i);
    }
    *len = n;
    return s;
}

Test(fields, csv_header_names_columns)
{
    size_t len;
    char *s = csv(6, &len);
    struct tfinds f = t_scan(t_engine(NULL), s, len, 0, 0);
    cr_expect_eq(t_count(&f, "person_name", NULL), 12);
    cr_expect_eq(t_count(&f, "date_of_birth", NULL), 6);
    cr_expect_eq(t_count(&f, "username", NULL), 6);
    cr_expect_eq(t_count(&f, "person_name", "Maria"), 1);
    cr_expect_eq(t_count(&f, "person_name", "first_name"), 0, "the header is no value");
    cr_expect_eq(t_count(&f, "person_name", "late, again"), 0);
    if (t_count(&f, "person_name", NULL) != 12) t_log_findings(&f);
    free(s);
    t_free(&f);
}

static void same(const struct tfinds *a, const struct tfinds *b, const char *what)
{
    cr_assert_eq(a->n, b->n, "%s: %zu findings vs %zu", what, a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        cr_assert_str_eq(a->v[i].detector, b->v[i].detector, "%s #%zu", what, i);
        cr_assert_eq(a->v[i].offset, b->v[i].offset, "%s #%zu", what, i);
        cr_assert_eq(a->v[i].length, b->v[i].length, "%s #%zu", what, i);
        cr_assert_eq(a->v[i].confidence, b->v[i].confidence, "%s #%zu", what, i);
        cr_assert_eq(a->v[i].sensitive, b->v[i].sensitive, "%s #%zu", what, i);
    }
}

/* The header is remembered per stream: rows many windows later still have their columns, and
 * every chunk and feed size gives the same findings. */
Test(fields, csv_header_survives_windows_and_chunk_sizes)
{
    size_t len, rows = 700;
    char *s = csv(rows, &len);
    cr_assert_gt(len, 6 * 4700, "several windows of the smallest chunk");
    struct tfinds ref = t_scan(t_engine(NULL), s, len, 0, 0);
    cr_expect_eq(t_count(&ref, "person_name", NULL), 2 * rows);
    cr_expect_eq(t_count(&ref, "date_of_birth", NULL), rows);
    cr_expect_eq(t_count(&ref, "username", NULL), rows);
    static const size_t chunks[] = {1, 7, 64, 4096};
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
        struct tfinds f = t_scan(t_engine(NULL), s, len, chunks[i], chunks[i]);
        char what[64];
        snprintf(what, sizeof what, "chunk %zu", chunks[i]);
        same(&ref, &f, what);
        t_free(&f);
    }
    free(s);
    t_free(&ref);
}

/* A cell far into its row (here after a 1.5 KB note) still has its column, at every chunk
 * size: the window keeps PII_ROW_LOOK bytes before what it decides. Past that the column is
 * not known, whatever the chunking (bug: a password cell 300+ bytes into a TSV row was lost). */
Test(fields, tsv_cell_far_into_its_row)
{
    char *note = malloc(6000);
    size_t k = 0;
    while (k < 1500) k += (size_t)snprintf(note + k, 6000 - k, "the quick brown fox %zu ", k);
    size_t cap = 20000;
    char *tsv = malloc(cap);
    int n = snprintf(tsv, cap,
                     "id\tnote\tpassword\tstatus\n"
                     "1\t%s\tZq7mPl2rT9vw\tactive\n"
                     "2\tshort\tHb4nKe8sW3qa\tactive\n"
                     "3\t%s\tXc5jRt1uY6zo\tlocked\n",
                     note, note);
    static const size_t chunks[] = {0, 1000, 4999, 65536};
    for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
        struct tfinds f = t_scan(t_engine(NULL), tsv, (size_t)n, 0, chunks[c]);
        cr_expect_eq(t_count(&f, "password", NULL), 3, "chunk %zu", chunks[c]);
        t_free(&f);
    }
    /* a row whose cell starts more than PII_ROW_LOOK in: no column, at any chunk size */
    while (k < 5000) k += (size_t)snprintf(note + k, 6000 - k, "the quick brown fox %zu ", k);
    n = snprintf(tsv, cap, "id\tnote\tpassword\tstatus\n1\t%s\tZq7mPl2rT9vw\tactive\n", note);
    for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
        struct tfinds f = t_scan(t_engine(NULL), tsv, (size_t)n, 0, chunks[c]);
        cr_expect_eq(t_count(&f, "password", NULL), 0, "chunk %zu", chunks[c]);
        t_free(&f);
    }
    free(tsv);
    free(note);
}

Test(fields, tsv_header_and_a_new_stream_forgets_it)
{
    const char *tsv = "full_name\tbirth_date\tcity\nMaria Hernandez\t1984-07-12\tAustin\n"
                      "Robert Miller\t1979-01-30\tDenver\n";
    struct tfinds f = t_scan(t_engine(NULL), tsv, strlen(tsv), 0, 0);
    cr_expect_eq(t_count(&f, "person_name", "Maria Hernandez"), 1);
    cr_expect_eq(t_count(&f, "person_name", "Robert Miller"), 1);
    cr_expect_eq(t_count(&f, "date_of_birth", NULL), 2);
    t_free(&f);
    /* the same rows without the header: nothing names the columns */
    const char *rows = "Maria Hernandez\t1984-07-12\tAustin\nRobert Miller\t1979-01-30\tDenver\n";
    f = t_scan(t_engine(NULL), rows, strlen(rows), 0, 0);
    cr_expect_eq(t_count(&f, "person_name", NULL), 0);
    cr_expect_eq(t_count(&f, "date_of_birth", NULL), 0);
    t_free(&f);
}

Test(fields, csv_column_names_bare_values)
{
    const char *s = "id,ssn,note\n1,536228142,x\n2,536228143,y\n";
    struct tfinds f = t_scan(t_engine(NULL), s, strlen(s), 0, 0);
    cr_expect_eq(t_count(&f, "us_ssn", NULL), 2);
    t_free(&f);
    const char *o = "id,order,note\n1,536228142,x\n";
    f = t_scan(t_engine(NULL), o, strlen(o), 0, 0);
    cr_expect_eq(t_count(&f, "us_ssn", NULL), 0);
    t_free(&f);
}

Test(fields, log_first_line_is_no_header)
{
    const char *s = "2026-11-21T08:00:01Z INFO a=1, b=2\n7,Maria,Hernandez\n";
    struct tfinds f = t_scan(t_engine(NULL), s, strlen(s), 0, 0);
    cr_expect_eq(t_count(&f, "person_name", NULL), 0);
    t_free(&f);
}

/* ---- combined sensitivity ---------------------------------------------------------------- */

struct sens {
    char text[200];
    char detector[24];
    int sensitive;
};

ParameterizedTestParameters(fields, combined_sensitivity)
{
    static struct sens cases[] = {
        {"card=4539 1488 0343 6467 cvv=123", "credit_card", 1},
        {"card 4539 1488 0343 6467 cvv 123", "credit_card", 1},
        {"{\"card\":\"4539148803436467\",\"cvc\":\"123\"}", "credit_card", 1},
        {"card 4539 1488 0343 6467 exp 12/27", "credit_card", 0},
        /* without a separator: security-code words (any case) and "Bearer" only */
        {"card 4539 1488 0343 6467 CSC 1234", "credit_card", 1},
        {"card 4539 1488 0343 6467 Cid 123", "credit_card", 1},
        {"card 4539 1488 0343 6467 pin 1234", "credit_card", 0},
        {"iban DE62370400440532013001 Bearer a8f3k2", "iban", 1},
        {"iban DE62370400440532013001 bearer -", "iban", 0},
        {"card=4539 1488 0343 6467 cvv=***", "credit_card", 0},
        {"card=4539 1488 0343 6467\ncvv=123", "credit_card", 0},
        {"iban=DE62370400440532013001 pin=4821", "iban", 1},
        {"iban=DE62370400440532013001 bic=COBADEFF", "iban", 0},
        {"user=mhernandez password=Sup3rS3cret!", "password", 1},
        {"password=Sup3rS3cret! next", "password", 0},
        {"{\"email\":\"m.h@northwind-mail.com\",\"password\":\"Sup3rS3cret!\"}", "password", 1},
        {"postgres://analytics:Tr0ub4dor@db.internal:5432/x", "password", 1},
        {"aws_access_key_id=AKIA2E3MNOPQ7RSTUVWX "
         "aws_secret_access_key=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",
         "aws_secret_key", 1},
        {"aws_access_key_id=AKIA2E3MNOPQ7RSTUVWX", "aws_access_key", 0},
        {"Authorization: Bearer ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5", "api_token", 0},
        {"login=kwalker token=ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5", "api_token", 1},
    };
    return cr_make_param_array(struct sens, cases, sizeof cases / sizeof *cases);
}

ParameterizedTest(struct sens *c, fields, combined_sensitivity)
{
    struct tfinds f = t_scan(t_engine(NULL), c->text, strlen(c->text), 0, 0);
    const struct tfind *x = find(&f, c->detector, NULL);
    if (!x) t_log_findings(&f);
    cr_assert(x, "%s: no %s finding", c->text, c->detector);
    cr_expect_eq(x->sensitive, c->sensitive, "%s: %s sensitive", c->text, c->detector);
    cr_expect_eq((x->ccpa & PII_CAT('L')) != 0, c->sensitive, "L follows sensitive");
    t_free(&f);
}

/* ---- the fields column ------------------------------------------------------------------- */

Test(fields, pattern_fields_column)
{
    pii_error err = PII_ERROR_INIT;
    pii_detectors *d = NULL;
    cr_assert_eq(pii_detectors_new(&d, &err), PII_OK);
    const char *ok = "emp\tcustom\tre:/EMP-[0-9]{6}/\t-\trequired:employee\t16\tA\tno\tlow\t60\t"
                     "employee id\temp_id|*employee_id\n"
                     "old\tcustom\tre:/OLD-[0-9]{6}/\t-\t-\t8\tA\tno\tlow\t60\tan 11-column row\n";
    cr_assert_eq(pii_detectors_load_mem(d, ok, strlen(ok), "my.tsv", &err), PII_OK, "%s: %s",
                 err.origin, err.msg);
    pii_engine *e = NULL;
    cr_assert_eq(pii_engine_compile(d, NULL, &e, &err), PII_OK, "%s", err.msg);
    /* required context satisfied by the field alone (camelCase, and a '*' suffix entry) */
    const char *s = "{\"empId\": \"EMP-123456\", \"managerEmployeeId\": \"EMP-654321\", "
                    "\"ref\": \"EMP-111111\"}";
    struct tfinds f = t_scan(e, s, strlen(s), 0, 0);
    cr_expect_eq(t_count(&f, "emp", "EMP-123456"), 1);
    cr_expect_eq(t_count(&f, "emp", "EMP-654321"), 1);
    cr_expect_eq(t_count(&f, "emp", "EMP-111111"), 0);
    t_free(&f);
    pii_engine_free(e);

    const char *bad = "x\tcustom\tre:/X-[0-9]{6}/\t-\t-\t8\tA\tno\tlow\t60\tdesc\tgood|b@d\n";
    cr_expect_eq(pii_detectors_load_mem(d, bad, strlen(bad), "bad.tsv", &err), PII_ERR_PATTERN);
    cr_expect_str_eq(err.origin, "bad.tsv:1");
    cr_expect(strstr(err.msg, "field"), "%s", err.msg);
    pii_detectors_free(d);
}

/* A bare digit run sitting in a field named for something else is that something else, even
 * with a context word of the detector on the line ("mobile-api" is no phone context here). */
Test(fields, bare_value_in_another_named_field_is_not_a_finding)
{
    const char *s =
        "{\"service\":\"mobile-api\",\"order_number\":2065550123,\"phone\":2065550124}\n";
    struct tfinds f = t_scan(t_engine(NULL), s, strlen(s), 0, 0);
    cr_expect_eq(t_count(&f, "phone", "2065550123"), 0);
    cr_expect_eq(t_count(&f, "phone", "2065550124"), 1);
    t_free(&f);
    const char *ssn = "{\"ssn_number\":\"536228142\",\"member_id\":\"536228143\"}\n";
    f = t_scan(t_engine(NULL), ssn, strlen(ssn), 0, 0);
    cr_expect_eq(t_count(&f, "us_ssn", "536228142"), 1);
    cr_expect_eq(t_count(&f, "us_ssn", "536228143"), 0);
    t_free(&f);
}

/* 36231948000103 is a valid CNPJ and, by chance, passes Luhn as a 14-digit Diners card: in a
 * field named for one of the two, or by a context word of one, the other yields; words naming
 * both, or neither, keep both. `presence`: the same holds when only presence matters
 * (--format summary, counts). */
Test(fields, a_value_two_detectors_confirm_goes_to_the_one_its_field_names)
{
    static const struct {
        const char *text, *cnpj; /* NULL: any value */
        size_t n_cnpj;
        const char *card;
        size_t n_card;
        bool presence;
    } cases[] = {
        {"{\"cnpj_number\": \"36231948000103\"}\n", "36231948000103", 1, NULL, 0, true},
        {"ts=1 cnpj=36231948000103 ok\n", "36231948000103", 1, NULL, 0, true},
        {"id,cnpj,note\n1,36231948000103,x\n", "36231948000103", 1, NULL, 0, true},
        {"{\"card_number\": \"36231948000103\", \"cnpj\": \"36049746000137\"}\n", "36049746000137",
         1, "36231948000103", 1, false},
        {"empresa CNPJ 36231948000103 ok\n", "36231948000103", 1, "36231948000103", 0, true},
        {"cnpj or card? 36231948000103\n", "36231948000103", 1, "36231948000103", 1, false},
    };
    pii_scan_opts presence;
    pii_scan_opts_init(&presence);
    presence.presence_only = 1;
    presence.no_lines = 1;
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const char *s = cases[i].text;
        for (int p = 0; p < 1 + cases[i].presence; p++) {
            struct tfinds f = p ? t_scan_opts(t_engine(NULL), s, strlen(s), &presence)
                                : t_scan(t_engine(NULL), s, strlen(s), 0, 0);
            cr_expect_eq(t_count(&f, "br_cnpj", cases[i].cnpj), cases[i].n_cnpj, "%s", s);
            cr_expect_eq(t_count(&f, "credit_card", cases[i].card), cases[i].n_card, "%s", s);
            t_free(&f);
        }
    }
}

/* Columns named for anchor detectors whose validators read a value after a key: the cell is
 * the value (password, device_id). */
Test(fields, password_and_device_id_columns)
{
    const char *s = "id\tpassword\tdevice_id\n"
                    "1\tS3cr3t-Pa55\t38400000-8cf0-11bd-b23e-10b96e40000d\n";
    struct tfinds f = t_scan(t_engine(NULL), s, strlen(s), 0, 0);
    cr_expect_eq(t_count(&f, "password", "S3cr3t-Pa55"), 1);
    cr_expect_eq(t_count(&f, "device_id", "38400000-8cf0-11bd-b23e-10b96e40000d"), 1);
    t_free(&f);
}

Test(fields, cookie_column)
{
    const char *s = "id,cookie_id,status\n"
                    "1,3j5nuyzdub7tvxfu6kkkyt64ysy0a2k5,active\n"
                    "2,\"GA1.2.990616584.1705176193\",closed\n";
    struct tfinds f = t_scan(t_engine(NULL), s, strlen(s), 0, 0);
    cr_expect_eq(t_count(&f, "cookie_id", "3j5nuyzdub7tvxfu6kkkyt64ysy0a2k5"), 1);
    cr_expect_eq(t_count(&f, "cookie_id", "GA1.2.990616584.1705176193"), 1);
    cr_expect_eq(t_count(&f, "cookie_id", NULL), 2);
    t_free(&f);
}

Test(fields, url_password_is_no_user_key)
{
    /* "app_user:" in a URL's userinfo is the user and its password, not a "user:" key */
    const char *s = "dsn postgres://app_user:Pa55887$@db.acme-corp.com:5432/app\n";
    struct tfinds f = t_scan(t_engine(NULL), s, strlen(s), 0, 0);
    cr_expect_eq(t_count(&f, "username", "Pa55887$"), 0);
    cr_expect_eq(t_count(&f, "username", "Pa55887"), 0);
    cr_expect_eq(t_count(&f, "password", "Pa55887$"), 1);
    t_free(&f);
}

/* ---- field_key against the previous scalar walk ----------------------------------------- */

/* field_key() as it was before its walk back to the separator read 16 bytes a step (and its
 * blank rule went back from the value), kept as the reference the rewrite must agree with. */
static bool ref_alpha(uint8_t c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static bool ref_blank(uint8_t c)
{
    return c == ' ' || c == '\t';
}

static bool ref_key_char(uint8_t c)
{
    return ((c >= '0' && c <= '9') || ref_alpha(c)) || c == '_' || c == '-' || c == '.' ||
           c == '$' || c == '@' || c == '/';
}

static bool ref_value_stop(uint8_t c)
{
    return c == '"' || c == '\'' || c == '=' || c == ':' || c == '\n' || c == ',' || c == '{' ||
           c == '[' || c == ';' || c == '&' || c == '?' || c == '\t' || c == '|' || c == '(';
}

static bool ref_field_key(const uint8_t *buf, size_t lo, size_t hi, size_t vs,
                          struct field_name *out)
{
    if (vs < lo || vs > hi) return false;
    size_t floor = vs - lo > PII_MAX_LOOK ? vs - PII_MAX_LOOK : lo;
    /* 1. back to where the value starts (a value's prefix: "Dr. ", "+", a quote) */
    size_t p = vs, lim = vs - floor > 64 ? vs - 64 : floor;
    while (p > lim && !ref_value_stop(buf[p - 1])) p--;
    if (p == floor || (p == lim && !ref_value_stop(buf[p - 1]))) return false;
    uint8_t c = buf[p - 1];
    if (c == '"' || c == '\'') {
        p--;
        if (p > floor && buf[p - 1] == '\\') p--; /* \"key\":\"value\" */
        while (p > floor && ref_blank(buf[p - 1])) p--;
        if (p > floor && buf[p - 1] == '[') { /* the first element of an array */
            p--;
            while (p > floor && ref_blank(buf[p - 1])) p--;
        }
        if (p == floor) return false;
        c = buf[p - 1];
    } else {
        /* unquoted: spaces only between the separator and the value ("ts=1 level=info card
         * 4539…" does not put the card in field "level") */
        size_t q = p;
        while (q < vs && buf[q] == ' ') q++;
        for (; q < vs; q++)
            if (ref_blank(buf[q])) return false;
    }
    if (c != ':' && c != '=') return false;
    p--;
    if (p > floor) {
        uint8_t b = buf[p - 1];
        if (c == ':' && b == ':') return false; /* a::b, IPv6 */
        if (c == '=' && (b == '=' || b == '!' || b == '<' || b == '>')) return false;
        if (c == '=' && b == ':') p--; /* := */
    }
    size_t sp = 0;
    while (p > floor && ref_blank(buf[p - 1]) && sp < 8) p--, sp++;
    bool quoted = false;
    if (p > floor && (buf[p - 1] == '"' || buf[p - 1] == '\'')) {
        quoted = true;
        p--;
        if (p > floor && buf[p - 1] == '\\') p--;
    }
    size_t e = p;
    while (p > floor && e - p <= FIELD_NAME_MAX && ref_key_char(buf[p - 1])) p--;
    if (p == e || e - p > FIELD_NAME_MAX) return false;
    /* "Date of Birth: …", "customer name: …": up to three more words of letters, unquoted */
    size_t ks = p;
    for (int w = 0; w < 3 && !quoted; w++) {
        if (p < floor + 2 || buf[p - 1] != ' ' || !ref_alpha(buf[p - 2])) break;
        size_t q = p - 1;
        while (q > floor && ref_alpha(buf[q - 1]) && e - q < FIELD_NAME_MAX) q--;
        if (q > floor && !ref_blank(buf[q - 1]) && buf[q - 1] != '"' && buf[q - 1] != '{' &&
            buf[q - 1] != ',' && buf[q - 1] != '\n')
            break;
        ks = p = q;
    }
    return field_name_set(out, buf + ks, e - ks);
}

/* Random records of keys, separators, quotes, blanks and running text, long enough for the
 * 64-byte walk and the PII_MAX_LOOK floor, with the value's start and the readable range cut
 * anywhere. */
Test(fields, field_key_agrees_with_the_reference)
{
    /* mostly text without a stop byte, so that walks of 64 bytes and more happen */
    static const char *const text[] = {"ip",
                                       "user_ip",
                                       "Date of Birth",
                                       "src",
                                       " ",
                                       "   ",
                                       "x",
                                       "1.2.3.4",
                                       "$",
                                       "@",
                                       "/",
                                       "-",
                                       "connection from",
                                       "abcdefghijklmnopqrstuvwxyz0123456789",
                                       "customer name"};
    static const char *const punct[] = {"\"", "'",  "=",  ":",  "\t", ",",  "{",
                                        "[",  "\\", "\n", "::", ":=", "==", "!=",
                                        "<=", "(",  "|",  "&",  "?",  ";",  "\\\"key\\\":\\\"",
                                        "[ "};
    static const char *const names[] = {"ip", "*ip",  "*addr", "user_ip", "date_of_birth",
                                        "x2", "*Name"};
    struct ctx_set fields = {0};
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        cr_assert(field_set_add(&fields, names[i], strlen(names[i])));
    struct field_hdr hdr;
    field_hdr_reset(&hdr);
    uint32_t r = 11;
#define RND(n) ((r = r * 1103515245u + 12345u), (size_t)((r >> 8) % (n)))
    static uint8_t buf[420];
    for (int iter = 0; iter < 60000; iter++) {
        size_t len = 0, want = RND(sizeof buf);
        while (len < want) {
            const char *t = RND(6) ? text[RND(ARRAY_LEN(text))] : punct[RND(ARRAY_LEN(punct))];
            size_t n = strlen(t);
            if (len + n > sizeof buf) break;
            memcpy(buf + len, t, n);
            len += n;
        }
        size_t lo = RND(len / 4 + 1), hi = len - RND(len / 4 + 1);
        if (hi < lo) hi = lo;
        size_t vs = lo + RND(hi - lo + 1);
        struct field_name a, b;
        bool got = field_key(buf, lo, hi, vs, &a), ref = ref_field_key(buf, lo, hi, vs, &b);
        cr_assert_eq(got, ref, "iter %d: value at %zu of \"%.*s\" [%zu,%zu)", iter, vs, (int)len,
                     (const char *)buf, lo, hi);
        if (got)
            cr_assert(a.n == b.n && !memcmp(a.s, b.s, a.n) && a.hard == b.hard && a.soft == b.soft,
                      "iter %d: key", iter);
        /* field_in decides most keys before normalising them: the same answer as normalising */
        bool named, in = field_in(&hdr, &fields, buf, lo, hi, 0, vs, &named);
        cr_assert_eq(named, ref, "iter %d: named", iter);
        cr_assert_eq(in, ref && field_name_in(&fields, &b), "iter %d: in the fields", iter);
    }
    ctx_set_release(&fields);
#undef RND
}

/* field_record_sensitive() finds word starts 16 bytes at a time: the same answers as the byte
 * loop on random records of keys, separators, codes and text, with the finding and the
 * readable range cut anywhere (both sides: a credential looking for an account, and the
 * other way). */
Test(fields, record_sensitive_agrees_with_the_reference)
{
    static const char *const parts[] = {
        "cvv",      "CVV2",  "pin",  "password", "user", "Email", "card_number", "bearer",
        "Bearer",   "token", "acct", "x",        "abc",  "7",     "123",         "4567",
        "12345",    "null",  "****", "xx",       "=",    ":",     " ",           "  ",
        "\"",       "'",     "\\",   ",",        ";",    "&",     "}",           "\n",
        "\t",       "_",     "-",    "é",        "://",  "@",     "u:p@h",       "https://a:b@c",
        "secretKey"};
    uint32_t r = 7;
#define RND(n) ((r = r * 1103515245u + 12345u), (size_t)((r >> 8) % (n)))
    static uint8_t buf[1200];
    int yes = 0;
    for (int iter = 0; iter < 40000; iter++) {
        size_t len = 0, want = RND(sizeof buf);
        while (len < want) {
            const char *t = parts[RND(ARRAY_LEN(parts))];
            size_t n = strlen(t);
            if (len + n > sizeof buf) break;
            memcpy(buf + len, t, n);
            len += n;
        }
        size_t lo = RND(len / 4 + 1), hi = len - RND(len / 4 + 1);
        if (hi <= lo) continue;
        size_t start = lo + RND(hi - lo), end = start + 1 + RND(hi - start < 40 ? hi - start : 40);
        for (int cred = 0; cred < 2; cred++) {
            bool got = field_record_sensitive(buf, lo, hi, start, end, cred);
            bool ref = field_record_sensitive_ref(buf, lo, hi, start, end, cred);
            cr_assert_eq(got, ref, "iter %d cred %d: [%zu,%zu) of [%zu,%zu) in \"%.*s\"", iter,
                         cred, start, end, lo, hi, (int)len, (const char *)buf);
            yes += got;
        }
    }
    cr_expect(yes > 1000, "the records hold both answers (%d sensitive)", yes);
#undef RND
}
