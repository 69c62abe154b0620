/* test_redact.c: --redact end to end through the built binary: the copy is the input with
 * exactly the findings a scan reports replaced (checked against the JSONL findings applied to
 * the input, at several segment sizes and thread counts), byte for byte elsewhere; compressed
 * inputs copied decompressed, archive members refused with an error, inputs in order. */
#define _GNU_SOURCE
#include "testutil.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

TestSuite(redact, .init = t_dir_setup, .fini = t_dir_teardown);

static const char SAMPLE[] = "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user from 173.234.31.186\n"
                             "pay card=4539 1488 0343 6467 mail jane.doe@acme-corp.com\n"
                             "nothing here\n";

Test(redact, tokens_and_masks_replace_the_findings)
{
    const char *tok[] = {"--redact", NULL};
    struct t_run r = t_exec(tok, SAMPLE, strlen(SAMPLE));
    cr_expect_eq(r.status, 1, "findings: exit 1 (stderr: %s)", r.err);
    cr_expect_str_eq(r.out, "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user from [ipv4]\n"
                            "pay card=[credit_card] mail [email]\n"
                            "nothing here\n");
    cr_expect_eq(r.err_len, 0, "nothing on stderr: %s", r.err);
    t_run_free(&r);
    const char *mask[] = {"--redact=mask", NULL};
    r = t_exec(mask, SAMPLE, strlen(SAMPLE));
    cr_expect_eq(r.status, 1);
    cr_expect_str_eq(r.out, "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user from 17**********86\n"
                            "pay card=45***************67 mail ja******************om\n"
                            "nothing here\n");
    cr_expect_eq(r.out_len, strlen(SAMPLE), "a mask keeps every byte's place");
    t_run_free(&r);
    const char *token[] = {"--redact=token", "--detectors", "email", NULL};
    r = t_exec(token, SAMPLE, strlen(SAMPLE));
    cr_expect(
        strstr(r.out, "user from 173.234.31.186\npay card=4539 1488 0343 6467 mail [email]\n"),
        "only the chosen detectors: %s", r.out);
    t_run_free(&r);
}

/* Log lines with personal data, in a seeded order, some joined without a newline, some
 * findings overlapping others (an e-mail inside a URL, an IPv4 inside an IPv6). */
static char *text(size_t *len, size_t target, unsigned seed)
{
    static const char *lines[] = {
        "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186",
        "2015-10-18 18:01:47,978 INFO user=jane.doe@acme-corp.com paid with 4539 1488 0343 6467",
        "ssn=536-22-8142 phone (415) 872-2671 iban DE62370400440532013001",
        "client ::ffff:10.12.13.14 mac 3c:5a:b4:11:22:33 at 37.77493, -122.41942",
        "token=ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5 key AKIA2E3MNOPQ7RSTUVWX",
        "GET https://shop.acme.io/p?id=123&email=bob%40acme.io HTTP/1.1 password=Sup3rS3cret",
        "mail a.b@x-y.org,c.d@x-y.org;e.f@x-y.org tel +44 20 7946 0958 +49 30 901820",
        "{\"first_name\": \"Maria\", \"dob\": \"1984-03-07\", \"passport\": \"C03005988\"}",
        "nothing to see here 12345 0.0.0.0 a@b \xc3\xa9t\xc3\xa9 \t tab",
        "caf\xc3\xa9 user j\xc3\xb6rg@m\xc3\xbcller.de at 192.168.1.20\r",
    };
    const size_t n = sizeof lines / sizeof *lines;
    char *s = malloc(target + 4096), *p = s;
    cr_assert(s);
    unsigned x = seed;
    while ((size_t)(p - s) < target) {
        x = x * 1103515245u + 12345u;
        const char *l = lines[(x >> 16) % n];
        size_t k = strlen(l);
        memcpy(p, l, k);
        p += k;
        *p++ = (x >> 8) % 8 == 0 ? ' ' : '\n';
    }
    *len = (size_t)(p - s);
    return s;
}

struct span {
    uint64_t start, end;
    char det[64];
};

/* The findings of a JSONL scan of the one input, in output order (by offset). */
static struct span *findings(const char *out, size_t out_len, size_t *n)
{
    json_t *recs = t_jsonl(out, out_len);
    size_t total = json_array_size(recs);
    struct span *v = calloc(total + 1, sizeof *v);
    cr_assert(v);
    *n = 0;
    for (size_t i = 0; i < total; i++) {
        json_t *rec = json_array_get(recs, i);
        if (strcmp(json_string_value(json_object_get(rec, "type")), "finding")) continue;
        struct span *f = &v[(*n)++];
        f->start = (uint64_t)json_integer_value(json_object_get(rec, "offset"));
        f->end = f->start + (uint64_t)json_integer_value(json_object_get(rec, "length"));
        snprintf(f->det, sizeof f->det, "%s", json_string_value(json_object_get(rec, "detector")));
    }
    json_decref(recs);
    return v;
}

/* The copy as the contract says it, straight from the findings: a token per run of
 * overlapping findings (the first one's), or each byte masked where some finding over it
 * masks it. */
static char *oracle(const char *in, size_t len, const struct span *f, size_t n, bool mask,
                    size_t *out_len)
{
    char *o = malloc(len * 2 + n * 80 + 1);
    cr_assert(o);
    size_t k = 0;
    if (mask) {
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)in[i];
            bool covered = false, shown = c >= 0x21 && c < 0x7f;
            for (size_t j = 0; j < n; j++) {
                if (i < f[j].start || i >= f[j].end) continue;
                covered = true;
                size_t kp = pii_mask_keep((size_t)(f[j].end - f[j].start));
                if (i >= f[j].start + kp && i < f[j].end - kp) shown = false;
            }
            o[k++] = !covered || shown ? (char)c : '*';
        }
    } else {
        uint64_t pos = 0, cover = 0;
        for (size_t j = 0; j < n; j++) {
            uint64_t from = pos > cover ? pos : cover;
            if (f[j].start > from) {
                memcpy(o + k, in + from, f[j].start - from);
                k += f[j].start - from;
            }
            if (f[j].start >= cover) k += (size_t)snprintf(o + k, 80, "[%s]", f[j].det);
            if (f[j].end > cover) cover = f[j].end;
            pos = f[j].start;
        }
        uint64_t from = pos > cover ? pos : cover;
        if (from < len) {
            memcpy(o + k, in + from, len - from);
            k += len - from;
        }
    }
    *out_len = k;
    return o;
}

Test(redact, the_copy_is_the_findings_applied_at_any_segment_size_and_thread_count)
{
    size_t len;
    char *s = text(&len, 600 * 1024, 20261123);
    const char *path = t_path("in.log");
    t_write(path, s, len);
    const char *scan[] = {"-j1", path, NULL};
    struct t_run r = t_exec(scan, NULL, 0);
    cr_assert_eq(r.status, 1, "%s", r.err);
    size_t n;
    struct span *f = findings(r.out, r.out_len, &n);
    t_run_free(&r);
    cr_assert_gt(n, 5000);
    size_t overlapping = 0;
    for (size_t j = 1; j < n; j++) overlapping += f[j].start < f[j - 1].end;
    cr_assert_gt(overlapping, 50, "the text has overlapping findings (%zu)", overlapping);
    for (int m = 0; m < 2; m++) {
        size_t want_len;
        char *want = oracle(s, len, f, n, m == 1, &want_len);
        static const char *const chunks[] = {"4096", "65536", "1048576"};
        static const char *const threads[] = {"-j1", "-j3"};
        for (size_t c = 0; c < 3; c++)
            for (size_t t = 0; t < 2; t++) {
                const char *argv[] = {m ? "--redact=mask" : "--redact",
                                      "--chunk-size",
                                      chunks[c],
                                      threads[t],
                                      path,
                                      NULL};
                struct t_run got = t_exec(argv, NULL, 0);
                cr_expect_eq(got.status, 1, "%s", got.err);
                cr_expect_eq(got.out_len, want_len, "%s, chunk %s, %s: %zu bytes, want %zu",
                             argv[0], chunks[c], threads[t], got.out_len, want_len);
                bool same = got.out_len == want_len && !memcmp(got.out, want, want_len);
                size_t at = 0;
                while (!same && at < got.out_len && at < want_len && got.out[at] == want[at]) at++;
                cr_expect(same, "%s, chunk %s, %s: first difference at byte %zu", argv[0],
                          chunks[c], threads[t], at);
                t_run_free(&got);
            }
        free(want);
    }
    free(f);
    free(s);
}

Test(redact, no_finding_means_the_same_bytes)
{
    /* CRLF, a tab, UTF-8, no newline at the end; then bytes with a NUL under --binary */
    const char clean[] = "status ok\r\nversion 10.0.19041.1 \tcaf\xc3\xa9 build 2.3.4.5\r\nend";
    const char *argv[] = {"--redact", NULL};
    struct t_run r = t_exec(argv, clean, sizeof clean - 1);
    cr_expect_eq(r.status, 0, "no finding: exit 0 (%s)", r.err);
    cr_expect_eq(r.out_len, sizeof clean - 1);
    cr_expect(!memcmp(r.out, clean, sizeof clean - 1));
    t_run_free(&r);
    const char bin[] = "\x00\x01\x02 plain\x00 mail bob@acme-corp.com\xff\x00";
    const char *b[] = {"--redact", "--binary", NULL};
    r = t_exec(b, bin, sizeof bin - 1);
    cr_expect_eq(r.status, 1);
    const char want[] = "\x00\x01\x02 plain\x00 mail [email]\xff\x00";
    cr_expect_eq(r.out_len, sizeof want - 1);
    cr_expect(!memcmp(r.out, want, sizeof want - 1));
    t_run_free(&r);
    /* without --binary it is skipped: nothing copied, said on stderr */
    const char *nb[] = {"--redact", NULL};
    r = t_exec(nb, bin, sizeof bin - 1);
    cr_expect_eq(r.status, 0);
    cr_expect_eq(r.out_len, 0);
    cr_expect(strstr(r.err, "skipped (binary)"), "%s", r.err);
    t_run_free(&r);
}

Test(redact, inputs_in_order_compressed_decoded_archives_refused)
{
    const char *a = t_path("a.log"), *gz = t_path("b.log.gz"), *tar = t_path("c.tar"),
               *missing = t_path("none.log"), *d = t_path("d.log");
    t_write(a, "a 173.234.31.186\n", 17);
    t_gzip(gz, "b jane.doe@acme-corp.com\n", 25);
    struct t_entry e[] = {{"in/x.log", "x 4539 1488 0343 6467\n", 22, 0, NULL}};
    t_archive(tar, "tar", "none", e, 1, NULL, NULL);
    t_write(d, "d fine\n", 7);
    for (int j = 0; j < 2; j++) {
        const char *argv[] = {j ? "-j4" : "-j1", "--redact", a, gz, tar, missing, d, NULL};
        struct t_run r = t_exec(argv, NULL, 0);
        cr_expect_eq(r.status, 2, "an error: exit 2");
        cr_expect_str_eq(r.out, "a [ipv4]\nb [email]\nd fine\n");
        cr_expect(strstr(r.err, "c.tar!in/x.log: not redacted"), "%s", r.err);
        cr_expect(strstr(r.err, "none.log: cannot "), "%s", r.err);
        cr_expect(!strstr(r.err, "4539"), "no value on stderr: %s", r.err);
        t_run_free(&r);
    }
}

/* A repository's root is scanned in repository mode (its config and baseline apply); a copy
 * replaces every finding whatever they allow, and is made all the same. */
Test(redact, a_repository_root_is_copied_too)
{
    const char *repo = t_path("repo");
    cr_assert_eq(mkdir(repo, 0755), 0);
    cr_assert_eq(mkdir(t_path("repo/.git"), 0755), 0);
    t_write(t_path("repo/a.log"), "a 173.234.31.186\n", 17);
    t_write(t_path("repo/.piiscan.json"), "{\"exclude_detectors\":[\"ipv4\"]}", 31);
    const char *argv[] = {"--redact", repo, NULL};
    struct t_run r = t_exec(argv, NULL, 0);
    cr_expect_eq(r.status, 1, "%s", r.err);
    cr_expect(strstr(r.out, "a [ipv4]\n"), "%s", r.out);
    t_run_free(&r);
}

Test(redact, counted_in_the_summary_and_refused_with_record_formats)
{
    const char *sum = t_path("sum.json");
    const char *argv[] = {"--redact", "--summary-json", sum, NULL};
    struct t_run r = t_exec(argv, SAMPLE, strlen(SAMPLE));
    cr_expect_eq(r.status, 1);
    size_t n;
    char *js = t_slurp(sum, &n);
    json_t *j = json_loads(js, 0, NULL);
    cr_assert(j, "%s", js);
    cr_expect_eq(json_integer_value(json_object_get(j, "findings")), 3);
    json_decref(j);
    free(js);
    t_run_free(&r);
    static const char *const bad[][4] = {{"--redact", "--format", "jsonl", NULL},
                                         {"--redact=all", NULL},
                                         {"--redact", "--show-match", NULL},
                                         {"--redact", "--pre-commit", "x", NULL}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        r = t_exec((const char *const *)bad[i], SAMPLE, strlen(SAMPLE));
        cr_expect_eq(r.status, 2, "%s %s: usage error", bad[i][0], bad[i][1] ? bad[i][1] : "");
        cr_expect_eq(r.out_len, 0);
        t_run_free(&r);
    }
}

Test(redact, broken_pipe_exits_quietly)
{
    const char *big = t_path("big.log");
    FILE *f = fopen(big, "w");
    cr_assert(f);
    for (int i = 0; i < 100000; i++) fprintf(f, "user%d@acme-corp.com logged in\n", i);
    fclose(f);
    char cmd[2000];
    snprintf(cmd, sizeof cmd,
             "bash -c '\"%s\" --redact \"%s\" 2>\"%s\" | head -n 1 >/dev/null; "
             "exit ${PIPESTATUS[0]}'",
             PII_BIN, big, t_path("err"));
    int st = system(cmd);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 1, "status %d", st);
    size_t n;
    free(t_slurp(t_path("err"), &n));
    cr_expect_eq(n, 0, "nothing on stderr");
}

/* ---- the redactor itself (cli_redact.c, compiled in): runs of findings and segment edges -- */

#include "../scanner/cli_redact.c"

/* in redacted with the findings f (sorted by start), fed in segments of seg bytes as the
 * reader feeds them: each finding in the segment where it starts, then the segment's end */
static char *redacted(enum redact_style st, const char *in, const struct span *f, size_t n,
                      size_t seg)
{
    struct redactor x = {0};
    redact_begin(&x, st);
    size_t len = strlen(in), cap = 4 * len + 64, k = 0, j = 0;
    char *o = calloc(1, cap);
    cr_assert(o);
    for (size_t a = 0; a < len; a += seg) {
        size_t b = a + seg < len ? a + seg : len;
        for (; j < n && f[j].start < b; j++)
            cr_assert(redact_finding(&x, (const uint8_t *)in + a, a, f[j].start,
                                     f[j].end - f[j].start, f[j].det));
        cr_assert(redact_to(&x, (const uint8_t *)in + a, a, b));
        cr_assert(k + x.len < cap);
        memcpy(o + k, x.out, x.len);
        k += x.len;
        redact_next(&x, b - a);
    }
    redact_free(&x);
    return o;
}

static void expect_redacted(enum redact_style st, const char *in, const struct span *f, size_t n,
                            const char *want)
{
    for (size_t seg = 1; seg <= strlen(in); seg++) {
        char *got = redacted(st, in, f, n, seg);
        cr_expect_str_eq(got, want, "segments of %zu bytes: \"%s\", want \"%s\"", seg, got, want);
        free(got);
    }
}

Test(redact, runs_of_findings_and_segment_edges)
{
    /* adjacent findings are two runs, overlapping ones one (named by its first) */
    const struct span adj[] = {{2, 6, "a"}, {6, 10, "b"}};
    expect_redacted(REDACT_TOKEN, "..AAAABBBB..", adj, 2, "..[a][b]..");
    const struct span chain[] = {{1, 7, "a"}, {5, 12, "b"}, {10, 14, "c"}, {15, 16, "d"}};
    expect_redacted(REDACT_TOKEN, "xaaaaaabbbbbcc.d.", chain, 4, "x[a].[d].");
    /* a mask shows a byte only where every finding over it shows it */
    const struct span two[] = {{0, 10, "a"}, {5, 20, "b"}};
    expect_redacted(REDACT_MASK, "0123456789abcdefghij--", two, 2,
                    "01********"
                    "********ij--");
    /* short matches keep less, and never a byte that is not printable ASCII */
    const struct span small[] = {{1, 5, "a"}, {6, 11, "b"}, {12, 20, "c"}};
    expect_redacted(REDACT_MASK, "-abcd-efghi-\tjklmno\x01-", small, 3, "-****-e***i-*j****o*-");
}

/* ---- a live pipe: --line-buffered scans what has arrived whenever the input waits -------- */

#include <unistd.h>

/* A live run: its stdin a pipe we write, its stdout a pipe we read, its stderr ours. */
static struct t_proc live_start(const char *const *args)
{
    return t_spawn(args, T_PIPE, T_INHERIT, NULL);
}

/* Reads l's output into *out until `want` is in it, or 30 s pass; returns the bytes read. */
static size_t take_until(struct t_proc *l, char **out, size_t *len, const char *want)
{
    for (int i = 0; i < 60 && !(*out && memmem(*out, *len, want, strlen(want))); i++)
        t_drain(l->out, out, len, 500);
    return *len;
}

Test(redact, a_live_pipe_is_copied_while_it_waits, .timeout = 120)
{
    /* 40 KB of lines, the first with an address; the input then stays open */
    char *in = malloc(40000);
    cr_assert(in);
    size_t n = (size_t)snprintf(in, 40000, "first 173.234.31.186 here\n");
    while (n + 40 < 40000) n += (size_t)snprintf(in + n, 40000 - n, "an ordinary line, no data\n");
    const char *args[] = {"--redact", "--line-buffered", NULL};
    struct t_proc l = live_start(args);
    t_put(l.in, in, n);
    char *out = NULL;
    size_t got = 0;
    /* the copy up to the look-ahead comes while the input is still open (a liveness bound,
     * not a speed test: without live cutting nothing comes before the end) */
    take_until(&l, &out, &got, "first [ipv4] here");
    cr_expect(memmem(out, got, "first [ipv4] here\n", 18), "%zu bytes before the end", got);
    cr_expect_lt(got, n, "the last look-ahead waits for more input or the end");
    cr_expect_eq(t_wait(&l), 1);
    free(out);
    free(in);
}

/* A quiet log: far less than the format sniff's 32 KiB has come and the input waits. Text is
 * decided on what came, so the first finding goes out once its look-ahead (4,352 bytes) is in. */
/* in[0..n) into a live --line-buffered text run that then waits: `want` comes while the input
 * is still open. */
static void expect_while_open(const char *in, size_t n, const char *want)
{
    const char *args[] = {"--line-buffered", "--format", "text", NULL};
    struct t_proc l = live_start(args);
    t_put(l.in, in, n);
    char *out = NULL;
    size_t got = 0;
    take_until(&l, &out, &got, want);
    cr_expect(memmem(out, got, want, strlen(want)), "%zu bytes while open: %.*s", got, (int)got,
              out);
    cr_expect_eq(t_wait(&l), 1);
    free(out);
}

Test(redact, a_quiet_live_log_is_not_held_for_the_sniff, .timeout = 120)
{
    char in[8192];
    size_t n = (size_t)snprintf(in, sizeof in, "first mail a.person@corp-mail.com here\n");
    while (n + 40 < sizeof in) n += (size_t)snprintf(in + n, sizeof in - n, "a quiet line\n");
    expect_while_open(in, n, "-:1:12: email [A] ");
}

/* A quiet log's last lines: well under the look-ahead has come, and the input stays quiet for a
 * second. Its whole lines are decided as if it ended there and go out. */
Test(redact, a_quiet_live_log_gives_its_last_lines, .timeout = 120)
{
    static const char in[] = "one\nmail a.person@corp-mail.com here\nthree\n";
    expect_while_open(in, sizeof in - 1, "-:2:6: email [A] ");
}

/* What a line leaves open is not decided at a pause: a private key's fingerprint is its body's,
 * which comes after the armour line. The output is the whole input's, pause or not. */
Test(redact, a_pause_after_a_key_armour_waits_for_the_body, .timeout = 120)
{
    static const char part1[] = "first line\nloaded key -----BEGIN RSA PRIVATE KEY-----\n";
    static const char part2[] = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0\n"
                                "-----END RSA PRIVATE KEY-----\nlast line\n";
    char whole[512];
    snprintf(whole, sizeof whole, "%s%s", part1, part2);
    const char *args[] = {"--line-buffered", "--format", "jsonl", NULL};
    struct t_run want = t_exec(args, whole, strlen(whole));
    cr_assert_eq(want.status, 1);
    struct t_proc l = live_start(args);
    t_put(l.in, part1, sizeof part1 - 1);
    char *out = NULL;
    size_t got = 0;
    t_drain(l.out, &out, &got, 1600); /* quiet for longer than a flush waits */
    t_put(l.in, part2, sizeof part2 - 1);
    close(l.in);
    l.in = -1;
    t_drain(l.out, &out, &got, 5000);
    t_wait(&l);
    /* the records before the summary: the same bytes */
    const char *a = memmem(want.out, want.out_len, "{\"type\":\"summary\"", 17);
    const char *b = memmem(out, got, "{\"type\":\"summary\"", 17);
    cr_assert(a && b);
    cr_expect_eq(b - out, a - want.out);
    cr_expect(!memcmp(out, want.out, (size_t)(a - want.out)), "[%.*s]\n[%.*s]", (int)(b - out), out,
              (int)(a - want.out), want.out);
    free(out);
    t_run_free(&want);
}

/* Cut wherever the input happened to wait, the output is the one of the whole input: the copy
 * in both styles, and every finding's line, column and detector (text format). */
Test(redact, a_live_pipe_gives_what_the_whole_input_gives, .timeout = 300)
{
    size_t len;
    char *s = text(&len, 400 * 1024, 7);
    static const char *const modes[][3] = {
        {"--redact", NULL}, {"--redact=mask", NULL}, {"--format", "text", NULL}};
    for (int m = 0; m < 3; m++) {
        const char *whole[4] = {modes[m][0], modes[m][1], NULL};
        struct t_run want = t_exec(whole, s, len);
        const char *args[5] = {modes[m][0], modes[m][1] ? modes[m][1] : "--line-buffered",
                               modes[m][1] ? "--line-buffered" : NULL, NULL};
        struct t_proc l = live_start(args);
        char *out = NULL;
        size_t got = 0;
        for (size_t at = 0; at < len;) {
            size_t k = (at * 7919 + 13) % 30000 + 1; /* uneven pieces, a pause after each */
            if (k > len - at) k = len - at;
            t_put(l.in, s + at, k);
            at += k;
            /* a third of the pauses long enough for a cut (the input waits 50 ms) */
            t_drain(l.out, &out, &got, k % 3 ? 5 : 120);
        }
        close(l.in);
        l.in = -1;
        t_drain(l.out, &out, &got, 30000);
        int st = t_wait(&l);
        cr_expect_eq(st, 1, "%s: status %d", args[0], st);
        cr_expect_eq(got, want.out_len, "%s live: %zu bytes, whole: %zu", args[0], got,
                     want.out_len);
        cr_expect(got == want.out_len && !memcmp(out, want.out, got), "%s: the same bytes",
                  args[0]);
        free(out);
        t_run_free(&want);
    }
    free(s);
}
