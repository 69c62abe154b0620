/* test_cli_archive.c: the piiscan binary over compressed files and archives: member names in
 * every format, positions within members, limits, corrupt inputs, skipped members, the summary.
 * Fixtures are generated at test time. */
#define _GNU_SOURCE
#include "testutil.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SAMPLE[] = "nothing here\n"
                             "pay card=4539 1488 0343 6467 mail jane.doe@acme-corp.com\n";

TestSuite(cli_archive, .init = t_dir_setup, .fini = t_dir_teardown, .timeout = 120);

static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "(none)";
}

Test(cli_archive, members_named_and_positions_within_member)
{
    t_gzip(t_path("g.gz"), SAMPLE, strlen(SAMPLE));
    size_t gl;
    char *g = t_slurp(t_path("g.gz"), &gl);
    struct t_entry e[] = {{"logs/app.log", SAMPLE, strlen(SAMPLE), 0, NULL},
                          {"logs/old.log.gz", g, gl, 0, NULL}};
    t_archive(t_path("a.tar.gz"), "tar", "gzip", e, 2, NULL, NULL);
    size_t al;
    char *a = t_slurp(t_path("a.tar.gz"), &al);
    struct t_entry z[] = {{"inner.tar.gz", a, al, 0, NULL}};
    t_archive(t_path("outer.zip"), "zip", "none", z, 1, NULL, NULL);

    const char *argv[] = {t_path("outer.zip"), NULL};
    struct t_run r = t_exec(argv, NULL, 0);
    cr_expect_eq(r.status, 1, "stderr: %s", r.err);
    json_t *recs = t_jsonl(r.out, r.out_len);
    json_t *f[8];
    size_t n = t_records(recs, "finding", f, 8);
    cr_assert_eq(n, 4, "card and email in each member; got %zu", n);
    cr_expect_str_eq(str(f[0], "path"), t_path("outer.zip"));
    cr_expect_str_eq(str(f[0], "member"), "inner.tar.gz!logs/app.log");
    cr_expect_str_eq(str(f[0], "detector"), "credit_card");
    cr_expect_eq(json_integer_value(json_object_get(f[0], "line")), 2);
    cr_expect_eq(json_integer_value(json_object_get(f[0], "column")), 10);
    cr_expect_eq(json_integer_value(json_object_get(f[0], "offset")), 22);
    cr_expect_str_eq(str(f[2], "member"), "inner.tar.gz!logs/old.log.gz");
    cr_expect_eq(json_integer_value(json_object_get(f[2], "offset")), 22);
    json_t *s[1];
    cr_assert_eq(t_records(recs, "summary", s, 1), 1);
    cr_expect_eq(json_integer_value(json_object_get(s[0], "files")), 1);
    cr_expect_eq(json_integer_value(json_object_get(s[0], "members")), 2);
    cr_expect_eq(json_integer_value(json_object_get(s[0], "expanded_bytes")),
                 (json_int_t)(2 * strlen(SAMPLE)));
    size_t ol;
    free(t_slurp(t_path("outer.zip"), &ol));
    cr_expect_eq(json_integer_value(json_object_get(s[0], "compressed_bytes")), (json_int_t)ol);
    json_decref(recs);
    t_run_free(&r);

    const char *text[] = {"--format", "text", t_path("outer.zip"), NULL};
    r = t_exec(text, NULL, 0);
    char want[800];
    snprintf(want, sizeof want, "%s!inner.tar.gz!logs/app.log:2:10: credit_card [B]",
             t_path("outer.zip"));
    cr_expect(strstr(r.out, want), "missing '%s' in:\n%s", want, r.out);
    t_run_free(&r);

    /* the same through stdin (a zip is spooled), and with zlib forced */
    setenv("PIISCAN_GZIP", "zlib", 1);
    const char *in[] = {"--format", "text", "--stdin-name", "up.zip", NULL};
    r = t_exec(in, a, al);
    unsetenv("PIISCAN_GZIP");
    cr_expect_eq(r.status, 1, "%s", r.err);
    cr_expect(strstr(r.out, "up.zip!logs/old.log.gz:2:10: credit_card"), "%s", r.out);
    t_run_free(&r);
    free(a);
    free(g);
}

Test(cli_archive, corrupt_input_keeps_findings_and_goes_on)
{
    /* a big member whose end is lost: findings from its start are kept */
    size_t len = 400000;
    char *big = malloc(len);
    uint32_t seed = 7;
    for (size_t i = 0; i < len; i++) {
        seed = seed * 1103515245u + 12345u;
        big[i] = (seed >> 16) % 9 == 0 ? '\n' : (char)('a' + (seed >> 20) % 26);
    }
    memcpy(big, SAMPLE, strlen(SAMPLE));
    t_gzip(t_path("c.gz"), big, len);
    size_t n;
    char *gz = t_slurp(t_path("c.gz"), &n);
    t_write(t_path("c.gz"), gz, n / 2);
    t_write(t_path("clean.log"), SAMPLE, strlen(SAMPLE));

    const char *argv[] = {t_path("c.gz"), t_path("clean.log"), NULL};
    struct t_run r = t_exec(argv, NULL, 0);
    cr_expect_eq(r.status, 2, "a truncated input is exit 2");
    json_t *recs = t_jsonl(r.out, r.out_len);
    json_t *f[8], *e[4];
    cr_expect_eq(t_records(recs, "finding", f, 8), 4, "before the damage, and the next file");
    cr_assert_eq(t_records(recs, "error", e, 4), 1);
    cr_expect_str_eq(str(e[0], "path"), t_path("c.gz"));
    cr_expect(strstr(str(e[0], "message"), "truncated gzip"), "%s", str(e[0], "message"));
    json_t *s[1];
    cr_assert_eq(t_records(recs, "summary", s, 1), 1);
    cr_expect_eq(json_integer_value(json_object_get(s[0], "errors")), 1);
    json_decref(recs);
    t_run_free(&r);

    /* a damaged member inside a zip: named, its sibling still scanned */
    struct t_entry ze[] = {{"bad.log", big, len, 0, NULL},
                           {"good.log", SAMPLE, strlen(SAMPLE), 0, NULL}};
    t_archive(t_path("z.zip"), "zip", "none", ze, 2, NULL, NULL);
    char *z = t_slurp(t_path("z.zip"), &n);
    z[n / 4] ^= 0x5a;
    t_write(t_path("z.zip"), z, n);
    const char *zargv[] = {t_path("z.zip"), NULL};
    r = t_exec(zargv, NULL, 0);
    cr_expect_eq(r.status, 2);
    recs = t_jsonl(r.out, r.out_len);
    cr_assert_geq(t_records(recs, "error", e, 4), 1);
    cr_expect_str_eq(str(e[0], "member"), "bad.log");
    cr_expect_geq(t_records(recs, "finding", f, 8), 2, "good.log still scanned: %s", r.out);
    json_decref(recs);
    t_run_free(&r);
    free(z);
    free(gz);
    free(big);
}

Test(cli_archive, bomb_limits_and_flags)
{
    size_t zl = 16u << 20;
    char *zeros = calloc(1, zl);
    struct t_entry e[] = {{"zeros.txt", zeros, zl, 0, NULL},
                          {"after.log", SAMPLE, strlen(SAMPLE), 0, NULL}};
    t_archive(t_path("bomb.zip"), "zip", "none", e, 2, NULL, NULL);
    free(zeros);
    /* the default ratio applies only over 64 MiB: here a small limit trips it quickly */
    const char *argv[] = {"--max-member-size", "2M", "--binary", t_path("bomb.zip"), NULL};
    struct t_run r = t_exec(argv, NULL, 0);
    cr_expect_eq(r.status, 2);
    json_t *recs = t_jsonl(r.out, r.out_len);
    json_t *er[4], *f[4];
    cr_assert_eq(t_records(recs, "error", er, 4), 1, "%s", r.out);
    cr_expect_str_eq(str(er[0], "member"), "zeros.txt");
    cr_expect(strstr(str(er[0], "message"), "--max-member-size"), "%s", str(er[0], "message"));
    cr_expect_eq(t_records(recs, "finding", f, 4), 2, "after.log is still scanned");
    json_decref(recs);
    t_run_free(&r);

    const char *members[] = {"--max-members", "1", t_path("bomb.zip"), NULL};
    r = t_exec(members, NULL, 0);
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.out, "--max-members"), "%s", r.out);
    t_run_free(&r);

    const char *bad[] = {"--max-member-size", "lots", t_path("bomb.zip"), NULL};
    r = t_exec(bad, NULL, 0);
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "--max-member-size"));
    t_run_free(&r);
}

Test(cli_archive, odd_names_are_escaped_and_skips_have_reasons)
{
    char zeros[64] = "bin\0ary";
    struct t_entry e[] = {
        {"evil\n{\"type\":\"finding\"}\x1b[31m.log", SAMPLE, strlen(SAMPLE), 0, NULL},
        {"bad\xff.log", SAMPLE, strlen(SAMPLE), 0, NULL},
        {"link", NULL, 0, 'l', "/etc/shadow"},
        {"blob.bin", zeros, sizeof zeros, 0, NULL},
    };
    t_archive(t_path("odd.tar"), "tar", "none", e, 4, NULL, NULL);
    const char *argv[] = {t_path("odd.tar"), NULL};
    struct t_run r = t_exec(argv, NULL, 0);
    cr_expect_eq(r.status, 1);
    json_t *recs = t_jsonl(r.out, r.out_len); /* every line is one JSON record */
    json_t *f[8], *sk[4], *s[1];
    cr_assert_eq(t_records(recs, "finding", f, 8), 4);
    cr_expect_str_eq(str(f[0], "member"), "evil\n{\"type\":\"finding\"}\x1b[31m.log");
    cr_expect_str_eq(str(f[2], "member"), "bad\xef\xbf\xbd.log");
    cr_expect_str_eq(str(f[2], "member_bytes"), "YmFk/y5sb2c=");
    cr_assert_eq(t_records(recs, "skipped", sk, 4), 2);
    cr_expect_str_eq(str(sk[0], "member"), "link");
    cr_expect_str_eq(str(sk[0], "reason"), "symlink");
    cr_expect_str_eq(str(sk[1], "member"), "blob.bin");
    cr_expect_str_eq(str(sk[1], "reason"), "binary");
    cr_assert_eq(t_records(recs, "summary", s, 1), 1);
    json_t *by = json_object_get(s[0], "skipped_by_reason");
    cr_expect_eq(json_integer_value(json_object_get(by, "symlink")), 1);
    cr_expect_eq(json_integer_value(json_object_get(by, "binary")), 1);
    json_decref(recs);
    t_run_free(&r);

    const char *text[] = {"--format", "text", t_path("odd.tar"), NULL};
    r = t_exec(text, NULL, 0);
    cr_expect(strstr(r.out, "odd.tar!evil\\x0a{\"type\":\"finding\"}\\x1b[31m.log:2:10:"), "%s",
              r.out);
    for (const char *p = r.out; *p; p++)
        cr_expect(*p == '\n' || (unsigned char)*p >= 0x20, "raw control byte in text output");
    cr_expect_eq(strstr(r.out, "\n{\"type\""), NULL);
    t_run_free(&r);

    struct t_entry z[] = {{"secret.log", SAMPLE, strlen(SAMPLE), 0, NULL}};
    t_archive(t_path("enc.zip"), "zip", "none", z, 1, "zip:encryption=zipcrypt", "pw");
    const char *enc[] = {"--format", "summary", t_path("enc.zip"), NULL};
    r = t_exec(enc, NULL, 0);
    cr_expect_eq(r.status, 0, "skipped is not an error");
    cr_expect(strstr(r.out, "encrypted 1"), "%s", r.out);
    t_run_free(&r);
}

/* The summary's per-member entries: parsed back, each field checked; the same at -j1 and -j4;
 * a member skipped before anything else of its input is still that input's. */
static json_t *member_entry(json_t *in, const char *name)
{
    json_t *ms = json_object_get(in, "members");
    for (size_t i = 0; i < json_array_size(ms); i++)
        if (!strcmp(str(json_array_get(ms, i), "member"), name)) return json_array_get(ms, i);
    return NULL;
}

static json_int_t jint(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

Test(cli_archive, summary_has_member_entries)
{
    struct t_entry in[] = {{"deep.log", SAMPLE, strlen(SAMPLE), 0, NULL}};
    t_archive(t_path("inner.zip"), "zip", "none", in, 1, NULL, NULL);
    size_t il;
    char *inner = t_slurp(t_path("inner.zip"), &il);
    char bin[64] = "bin\0ary";
    struct t_entry e[] = {
        {"link", NULL, 0, 'l', "/etc/passwd"}, /* before the input's first scanned byte */
        {"z.log", SAMPLE, strlen(SAMPLE), 0, NULL},
        {"a.log", "nothing\n", 8, 0, NULL},
        {"in.zip", inner, il, 0, NULL},
        {"blob.bin", bin, sizeof bin, 0, NULL},
    };
    t_archive(t_path("s.tar"), "tar", "none", e, 5, NULL, NULL);
    free(inner);
    t_write(t_path("plain.log"), SAMPLE, strlen(SAMPLE));
    char *j[2];
    for (int k = 0; k < 2; k++) {
        char out[600];
        snprintf(out, sizeof out, "%s", t_path(k ? "s4.json" : "s1.json"));
        const char *argv[] = {
            "-j", k ? "4" : "1",   "--format",          "summary", "--summary-json",
            out,  t_path("s.tar"), t_path("plain.log"), NULL};
        struct t_run r = t_exec(argv, NULL, 0);
        cr_expect_eq(r.status, 1, "%s", r.err);
        if (!k) {
            cr_expect(strstr(r.out, "by archive member:"), "%s", r.out);
            cr_expect(strstr(r.out, "s.tar!in.zip!deep.log"), "%s", r.out);
            cr_expect(strstr(r.out, "s.tar!link  (skipped: symlink)"), "%s", r.out);
        }
        t_run_free(&r);
        size_t n;
        j[k] = t_slurp(out, &n);
    }
    json_error_t jerr;
    json_t *s = json_loads(j[0], 0, &jerr);
    cr_assert(s, "%s", jerr.text);
    json_t *inputs = json_object_get(s, "inputs");
    cr_assert_eq(json_array_size(inputs), 2);
    json_t *t = json_array_get(inputs, 0), *p = json_array_get(inputs, 1);
    cr_expect_str_eq(str(t, "path"), t_path("s.tar"));
    cr_expect_eq(jint(t, "findings"), 4);
    cr_expect_eq(jint(json_object_get(t, "by_ccpa"), "A"), 2);
    cr_expect_eq(jint(json_object_get(t, "by_ccpa"), "B"), 2);
    cr_expect_eq(json_array_size(json_object_get(p, "members")), 0, "a plain input has none");
    cr_expect_eq(jint(json_object_get(p, "by_detector"), "email"), 1);
    /* sorted by name: a.log, blob.bin, in.zip!deep.log, link, z.log */
    json_t *ms = json_object_get(t, "members");
    cr_assert_eq(json_array_size(ms), 5);
    const char *order[] = {"a.log", "blob.bin", "in.zip!deep.log", "link", "z.log"};
    for (size_t i = 0; i < 5; i++) {
        cr_expect_str_eq(str(json_array_get(ms, i), "member"), order[i]);
        cr_expect_str_eq(str(json_array_get(ms, i), "path"), t_path("s.tar"));
    }
    json_t *z = member_entry(t, "z.log"), *d = member_entry(t, "in.zip!deep.log");
    json_t *a = member_entry(t, "a.log"), *l = member_entry(t, "link");
    json_t *b = member_entry(t, "blob.bin");
    cr_assert(z && d && a && l && b);
    cr_expect_eq(jint(z, "bytes"), (json_int_t)strlen(SAMPLE));
    cr_expect_eq(jint(z, "findings"), 2);
    cr_expect_eq(jint(json_object_get(z, "by_detector"), "credit_card"), 1);
    cr_expect_eq(jint(json_object_get(z, "by_detector"), "email"), 1);
    cr_expect_eq(jint(json_object_get(z, "by_ccpa"), "B"), 1);
    cr_expect(json_is_null(json_object_get(z, "skipped")));
    cr_expect_eq(json_array_size(json_object_get(z, "errors")), 0);
    cr_expect_eq(jint(d, "findings"), 2);
    cr_expect_eq(jint(a, "bytes"), 8);
    cr_expect_eq(jint(a, "findings"), 0);
    cr_expect_str_eq(str(l, "skipped"), "symlink");
    cr_expect_str_eq(str(b, "skipped"), "binary");
    json_decref(s);
    /* the same whatever the thread count, but for the clock */
    for (int k = 0; k < 2; k++) {
        char *e1 = strstr(j[k], "\"elapsed_s\""), *e2 = strstr(j[k], "\"inputs\"");
        cr_assert(e1 && e2);
        memmove(e1, e2, strlen(e2) + 1);
    }
    cr_expect_str_eq(j[0], j[1]);
    free(j[0]);
    free(j[1]);
}

/* A zip member whose CRC-32 does not match: its findings are kept, the error names it, the
 * summary entry carries it, the next member is scanned. */
Test(cli_archive, zip_crc_mismatch_keeps_findings)
{
    struct t_entry e[] = {{"bad.log", SAMPLE, strlen(SAMPLE), 0, NULL},
                          {"next.log", SAMPLE, strlen(SAMPLE), 0, NULL}};
    t_archive(t_path("c.zip"), "zip", "none", e, 2, NULL, NULL);
    size_t n;
    char *z = t_slurp(t_path("c.zip"), &n);
    /* the first directory entry's CRC field */
    char *cd = memmem(z, n, "PK\x01\x02", 4);
    cr_assert(cd);
    cd[16] ^= 1;
    t_write(t_path("c.zip"), z, n);
    free(z);
    const char *argv[] = {"--summary-json", t_path("c.json"), t_path("c.zip"), NULL};
    struct t_run r = t_exec(argv, NULL, 0);
    cr_expect_eq(r.status, 2, "an error: %s", r.err);
    json_t *recs = t_jsonl(r.out, r.out_len);
    json_t *f[8], *er[2];
    cr_expect_eq(t_records(recs, "finding", f, 8), 4, "both members' findings");
    cr_assert_eq(t_records(recs, "error", er, 2), 1);
    cr_expect_str_eq(str(er[0], "member"), "bad.log");
    cr_expect(strstr(str(er[0], "message"), "CRC-32"), "%s", str(er[0], "message"));
    json_decref(recs);
    t_run_free(&r);
    json_error_t jerr;
    json_t *s = json_load_file(t_path("c.json"), 0, &jerr);
    cr_assert(s, "%s", jerr.text);
    json_t *m = member_entry(json_array_get(json_object_get(s, "inputs"), 0), "bad.log");
    cr_assert(m);
    cr_expect_eq(jint(m, "findings"), 2);
    cr_assert_eq(json_array_size(json_object_get(m, "errors")), 1);
    cr_expect(strstr(json_string_value(json_array_get(json_object_get(m, "errors"), 0)), "CRC"));
    json_decref(s);
}
