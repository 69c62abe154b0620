/* test_sarif.c: --format sarif (issue 6): valid against the OASIS SARIF 2.1.0 schema (checked
 * offline with python3-jsonschema), one rule per detector, one result per finding, the keyed
 * fingerprint in partialFingerprints, archive members in the message, never a raw value. */
#define _GNU_SOURCE
#include "testutil.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define REAL_LINE "ssn=536-22-8841 card=4539 1488 0343 6467 mail=jane.doe@acme-corp.com\n"

TestSuite(sarif, .init = t_dir_setup, .fini = t_dir_teardown, .timeout = 120);

/* Validates the file against the schema in ../shared/data/sarif; true when valid. */
static bool schema_valid(const char *file)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "python3 -c 'import json,sys,jsonschema; "
             "jsonschema.Draft4Validator(json.load(open(sys.argv[1]))).validate("
             "json.load(open(sys.argv[2])))' '%s/data/sarif/sarif-schema-2.1.0.json' '%s'",
             PII_SHARED_DIR, file);
    int st = system(cmd);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

Test(sarif, schema_valid_rules_results_fingerprints)
{
    char a[600], z[600], out[600];
    snprintf(a, sizeof a, "%s/users file.txt", t_dir);
    snprintf(z, sizeof z, "%s/fixtures.tar.gz", t_dir);
    t_write(a, REAL_LINE "ok=987-65-4321 # piiscan:allow us_ssn generated\n",
            strlen(REAL_LINE) + 47);
    struct t_entry e[] = {{"inner/u.csv", REAL_LINE, strlen(REAL_LINE), 0, NULL}};
    t_archive(z, "tar", "gzip", e, 1, NULL, NULL);
    const char *argv[] = {"--format", "sarif", a, z, NULL};
    struct t_run r = t_exec(argv, NULL, 0);
    cr_assert_eq(r.status, 1, "%s", r.err);
    snprintf(out, sizeof out, "%s/out.sarif", t_dir);
    t_write(out, r.out, r.out_len);
    cr_expect(schema_valid(out), "the output is valid SARIF 2.1.0");
    cr_expect_null(strstr(r.out, "536-22-8841"), "no raw value");
    cr_expect_null(strstr(r.out, "jane.doe@"), "no raw value");

    json_error_t je;
    json_t *doc = json_loads(r.out, 0, &je);
    cr_assert(doc, "JSON: %s", je.text);
    cr_expect_str_eq(json_string_value(json_object_get(doc, "version")), "2.1.0");
    json_t *run = json_array_get(json_object_get(doc, "runs"), 0);
    json_t *rules =
        json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
    const char *lav[] = {"--list-detectors", NULL};
    struct t_run l = t_exec(lav, NULL, 0);
    size_t ndet = 0;
    for (size_t k = 0; k < l.out_len; k++) ndet += l.out[k] == '\n';
    t_run_free(&l);
    cr_expect_eq(json_array_size(rules), ndet, "one rule per detector");
    json_t *rule0 = json_array_get(rules, 0);
    json_t *props = json_object_get(rule0, "properties");
    cr_expect(json_is_string(json_object_get(props, "security-severity")));
    cr_expect(json_is_string(json_object_get(props, "precision")));
    cr_expect(json_is_object(json_object_get(rule0, "help")));
    json_t *res = json_object_get(run, "results");
    cr_assert_eq(json_array_size(res), 7, "3 + 1 allowed in the file, 3 in the member");
    size_t i, suppressed = 0, in_member = 0;
    json_t *x;
    json_array_foreach(res, i, x)
    {
        const char *fp = json_string_value(
            json_object_get(json_object_get(x, "partialFingerprints"), "piiscan/v1"));
        cr_expect(fp && strlen(fp) == 67 && !strncmp(fp, "v1:", 3));
        const char *rid = json_string_value(json_object_get(x, "ruleId"));
        size_t ri = (size_t)json_integer_value(json_object_get(x, "ruleIndex"));
        cr_expect_str_eq(json_string_value(json_object_get(json_array_get(rules, ri), "id")), rid);
        if (json_object_get(x, "suppressions")) suppressed++;
        const char *msg = json_string_value(json_object_get(json_object_get(x, "message"), "text"));
        if (strstr(msg, "in archive member inner/u.csv, line 1")) in_member++;
        const char *uri = json_string_value(json_object_get(
            json_object_get(json_object_get(json_array_get(json_object_get(x, "locations"), 0),
                                            "physicalLocation"),
                            "artifactLocation"),
            "uri"));
        cr_expect(uri && !strncmp(uri, "file://", 7) && !strchr(uri, ' '), "%s", uri);
    }
    cr_expect_eq(suppressed, 1, "the inline allow is a suppression, not hidden");
    cr_expect_eq(in_member, 3);
    json_decref(doc);
    t_run_free(&r);
}

Test(sarif, empty_run_is_valid)
{
    char a[600], out[600];
    snprintf(a, sizeof a, "%s/clean.txt", t_dir);
    t_write(a, "nothing\n", 8);
    const char *argv[] = {"--format", "sarif", a, NULL};
    struct t_run r = t_exec(argv, NULL, 0);
    cr_assert_eq(r.status, 0, "%s", r.err);
    snprintf(out, sizeof out, "%s/out.sarif", t_dir);
    t_write(out, r.out, r.out_len);
    cr_expect(schema_valid(out));
    t_run_free(&r);
}
