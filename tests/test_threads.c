/* test_threads.c: the binary's output is byte-identical with -j1 and -jN in every format, on
 * many files, a file of many segments, a .gz, a tar.gz of many members, stdin, errors and
 * skipped inputs, and 300 mixed small inputs (the summary's elapsed time and throughput
 * aside). */
#define _GNU_SOURCE
#include "testutil.h"

#include <criterion/criterion.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dir;

static const char *lines[] = {
    "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186\n",
    "2015-10-18 18:01:47,978 INFO user=jane.doe@acme-corp.com paid with 4539 1488 0343 6467\n",
    "ssn=536-22-8142 phone (415) 872-2671 iban DE62370400440532013001\n",
    "client fe80::1c2b:3cff:fe4d:5e6f mac 3c:5a:b4:11:22:33 at 37.77493, -122.41942 ",
    "token=ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5 key AKIA2E3MNOPQ7RSTUVWX\n",
    "GET https://shop.acme.io/p?id=123&email=bob%40acme.io HTTP/1.1 password=Sup3rS3cret\n",
    "081109 203615 148 INFO dfs.DataNode$PacketResponder: blk_38865049064139660 done\n",
    /* an allowed finding: its reason must survive buffering across segments and inputs */
    "fixture ssn=536-22-8841 # piiscan:allow us_ssn generated fixture value\n",
};

/* n lines picked by a seeded generator (the same text on every run) */
static char *gen(size_t n, unsigned seed, size_t *len)
{
    size_t cap = n * 128 + 1, k = 0;
    char *s = malloc(cap);
    cr_assert(s);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        const char *l = lines[(seed >> 16) % (sizeof lines / sizeof *lines)];
        size_t m = strlen(l);
        memcpy(s + k, l, m);
        k += m;
    }
    s[k] = 0;
    *len = k;
    return s;
}

static void path_in(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

static void setup(void)
{
    dir = t_tmpdir();
    char p[600];
    size_t len;
    /* many small files in a tree */
    path_in(p, sizeof p, "tree");
    cr_assert(mkdir(p, 0700) == 0);
    for (int i = 0; i < 40; i++) {
        char name[64];
        snprintf(name, sizeof name, "tree/f%02d.log", i);
        path_in(p, sizeof p, name);
        char *s = gen((size_t)(i % 9) * 3, (unsigned)i, &len);
        t_write(p, s, len);
        free(s);
    }
    path_in(p, sizeof p, "tree/blob.bin");
    static const char blob[] = "\x7f"
                               "ELF\0\0\0 jane.doe@acme-corp.com";
    t_write(p, blob, sizeof blob - 1);
    /* one file of many segments (with --chunk-size 16384), its gzip, a tar.gz of members */
    char *big = gen(6000, 7, &len);
    path_in(p, sizeof p, "big.log");
    t_write(p, big, len);
    path_in(p, sizeof p, "big.log.gz");
    t_gzip(p, big, len);
    struct t_entry e[30];
    char names[30][32];
    for (int i = 0; i < 30; i++) {
        snprintf(names[i], sizeof names[i], "m/%02d.log", i);
        e[i] = (struct t_entry){.name = names[i], .data = big + (size_t)i * 997, .len = 5000};
    }
    path_in(p, sizeof p, "many.tar.gz");
    t_archive(p, "tar", "gzip", e, 30, NULL, NULL);
    /* members the reader skips or finds binary between ones it matches: their records ride
     * behind the segments still being matched */
    static const char bin[] = "\x7f"
                              "ELF\0\0 ssn=536-22-8142";
    struct t_entry mixed[60];
    char mnames[60][32];
    for (int i = 0; i < 60; i++) {
        snprintf(mnames[i], sizeof mnames[i], "x/%02d.log", i);
        mixed[i] = (struct t_entry){
            .name = mnames[i], .data = big + (size_t)i * 331, .len = (size_t)(i % 7) * 900};
        if (i % 9 == 4) mixed[i] = (struct t_entry){.name = mnames[i], .type = 'l', .link = "a"};
        if (i % 11 == 5)
            mixed[i] = (struct t_entry){.name = mnames[i], .data = bin, .len = sizeof bin - 1};
    }
    path_in(p, sizeof p, "mixed.tar.gz");
    t_archive(p, "tar", "gzip", mixed, 60, NULL, NULL);
    /* 300 small inputs in 10 directories: text with findings, empty, binary, .gz, truncated
     * .gz, unreadable (unless root), one of several segments; and a list naming some of them
     * between paths that do not exist */
    path_in(p, sizeof p, "many");
    cr_assert(mkdir(p, 0700) == 0);
    for (int d = 0; d < 10; d++) {
        snprintf(p, sizeof p, "%s/many/d%d", dir, d);
        cr_assert(mkdir(p, 0700) == 0);
    }
    for (int i = 0; i < 300; i++) {
        char name[600];
        snprintf(name, sizeof name, "%s/many/d%d/f%03d%s", dir, i % 10, i,
                 i % 11 == 3 || i % 37 == 8 ? ".gz" : ".log");
        size_t n;
        char *s = gen(i == 150 ? 900 : (size_t)(i % 13) * 2, 1000u + (unsigned)i, &n);
        if (i % 17 == 2)
            t_write(name, blob, sizeof blob - 1);
        else if (i % 37 == 8) { /* truncated: an error after what could be read */
            t_gzip(name, s, n);
            size_t gl;
            char *g = t_slurp(name, &gl);
            t_write(name, g, gl / 2);
            free(g);
        } else if (i % 11 == 3)
            t_gzip(name, s, n);
        else
            t_write(name, s, n);
        if (i % 23 == 7) cr_assert(chmod(name, 0) == 0);
        free(s);
    }
    path_in(p, sizeof p, "list.txt");
    FILE *l = fopen(p, "w");
    cr_assert(l);
    for (int i = 0; i < 300; i += 7) {
        fprintf(l, "%s/many/d%d/f%03d%s\n", dir, i % 10, i,
                i % 11 == 3 || i % 37 == 8 ? ".gz" : ".log");
        if (i % 3 == 0) fprintf(l, "%s/many/no-such-%d\n", dir, i);
    }
    fclose(l);
    free(big);
}

static void teardown(void)
{
    t_rmrf(dir);
    free(dir);
}

TestSuite(threads, .init = setup, .fini = teardown);

/* Removes what legitimately differs between runs: elapsed time and throughput. */
static char *stable(const char *out, size_t len)
{
    char *s = strndup(out, len);
    cr_assert(s);
    regex_t re[3];
    cr_assert(regcomp(&re[0], "\"elapsed_s\":[0-9.]*,\"throughput_mb_s\":[0-9.]*", REG_EXTENDED) ==
              0);
    cr_assert(regcomp(&re[1], "\\([0-9.]* MB/s\\)", REG_EXTENDED) == 0);
    cr_assert(regcomp(&re[2], "elapsed +[0-9.]* s", REG_EXTENDED) == 0);
    for (int k = 0; k < 3; k++) {
        /* each match becomes one '#': "(9.5 MB/s)" and "(118.1 MB/s)" differ in length */
        regmatch_t m;
        size_t at = 0;
        while (regexec(&re[k], s + at, 1, &m, 0) == 0) {
            size_t x = at + (size_t)m.rm_so, y = at + (size_t)m.rm_eo;
            s[x] = '#';
            memmove(s + x + 1, s + y, strlen(s + y) + 1);
            at = x + 1;
        }
        regfree(&re[k]);
    }
    return s;
}

/* Runs the same inputs with -j1, -j2 and -j4 in every format (and, with sj, with
 * --summary-json FILE, whose content joins the output compared). */
static void same_output_sj(const char *what, const char *const *args, size_t n_args, const char *in,
                           size_t in_len, bool sj)
{
    static const char *formats[] = {"jsonl", "text", "summary", "sarif"};
    for (size_t f = 0; f < 4; f++) {
        char *ref = NULL;
        int ref_status = 0;
        static const char *jobs[] = {"-j1", "-j2", "-j4"};
        for (size_t j = 0; j < 3; j++) {
            const char *argv[32];
            size_t k = 0;
            argv[k++] = jobs[j];
            argv[k++] = "--format";
            argv[k++] = formats[f];
            argv[k++] = "--chunk-size";
            argv[k++] = "16384";
            char sjf[600];
            path_in(sjf, sizeof sjf, "summary.json");
            if (sj) {
                argv[k++] = "--summary-json";
                argv[k++] = sjf;
            }
            for (size_t i = 0; i < n_args; i++) argv[k++] = args[i];
            argv[k] = NULL;
            struct t_run r = t_exec(argv, in, in_len);
            cr_assert(r.status == 1 || r.status == 2, "%s %s %s: exit %d (%s)", what, formats[f],
                      jobs[j], r.status, r.err);
            if (sj) { /* the summary file after the output, compared with it */
                size_t sl;
                char *sjs = t_slurp(sjf, &sl);
                cr_assert_gt(sl, 50, "%s: empty --summary-json", what);
                r.out = realloc(r.out, r.out_len + sl + 1);
                cr_assert(r.out);
                memcpy(r.out + r.out_len, sjs, sl + 1);
                r.out_len += sl;
                free(sjs);
                unlink(sjf);
            }
            char *got = stable(r.out, r.out_len);
            if (!ref) {
                ref = got;
                ref_status = r.status;
                cr_assert_gt(strlen(ref), 100, "%s %s: output too short", what, formats[f]);
            } else {
                cr_assert_eq(r.status, ref_status, "%s %s %s: exit status", what, formats[f],
                             jobs[j]);
                cr_assert_str_eq(got, ref, "%s %s %s differs from -j1", what, formats[f], jobs[j]);
                free(got);
            }
            t_run_free(&r);
        }
        free(ref);
    }
}

static void same_output(const char *what, const char *const *args, size_t n_args, const char *in,
                        size_t in_len)
{
    same_output_sj(what, args, n_args, in, in_len, false);
}

Test(threads, many_files_big_file_gz_tar_errors)
{
    char tree[600], big[600], gz[600], tgz[600], missing[600];
    path_in(tree, sizeof tree, "tree");
    path_in(big, sizeof big, "big.log");
    path_in(gz, sizeof gz, "big.log.gz");
    path_in(tgz, sizeof tgz, "many.tar.gz");
    path_in(missing, sizeof missing, "no-such-file");
    const char *args[] = {tree, big, missing, gz, tgz, tree};
    same_output("all inputs", args, 6, NULL, 0);
}

Test(threads, stdin_between_files)
{
    char big[600], tree[600];
    path_in(big, sizeof big, "big.log");
    path_in(tree, sizeof tree, "tree");
    size_t len;
    char *in = gen(3000, 99, &len);
    const char *args[] = {tree, "-", big};
    same_output("stdin", args, 3, in, len);
    free(in);
}

Test(threads, one_segment_equals_many)
{
    /* the same file scanned as 1 MiB segments and as 16 KiB ones gives the same records */
    char big[600];
    path_in(big, sizeof big, "big.log");
    const char *a1[] = {"-j1", big, NULL};
    const char *a2[] = {"-j3", "--chunk-size", "8192", big, NULL};
    struct t_run r1 = t_exec(a1, NULL, 0), r2 = t_exec(a2, NULL, 0);
    char *s1 = stable(r1.out, r1.out_len), *s2 = stable(r2.out, r2.out_len);
    json_t *recs = t_jsonl(r1.out, r1.out_len);
    json_t *f[2];
    cr_assert_gt(t_records(recs, "finding", f, 2), 1);
    json_decref(recs);
    cr_assert_str_eq(s1, s2);
    free(s1);
    free(s2);
    t_run_free(&r1);
    t_run_free(&r2);
}

Test(threads, many_small_inputs_mixed)
{
    /* 300 small inputs: the walker scans the first ones, then the pool takes whole inputs; an
     * archive of members skipped, binary and matched goes first, so the pool starts while it
     * is read; a list with missing paths, and a directory that is not there */
    char many[600], mixed[600], list[600], missing[600];
    path_in(many, sizeof many, "many");
    path_in(mixed, sizeof mixed, "mixed.tar.gz");
    path_in(list, sizeof list, "list.txt");
    path_in(missing, sizeof missing, "no-such-dir");
    const char *args[] = {"--files-from", list, mixed, many, missing, many};
    same_output_sj("300 small inputs", args, 6, NULL, 0, true);
}

Test(threads, one_archive_alone)
{
    /* one input: its members are read on the walker while the pool matches earlier ones */
    char mixed[600], tgz[600];
    path_in(mixed, sizeof mixed, "mixed.tar.gz");
    path_in(tgz, sizeof tgz, "many.tar.gz");
    const char *a1[] = {mixed};
    same_output_sj("mixed.tar.gz", a1, 1, NULL, 0, true);
    const char *a2[] = {tgz};
    same_output("many.tar.gz", a2, 1, NULL, 0);
}

Test(threads, tiny_record_budget_no_deadlock, .timeout = 300)
{
    /* every input but the oldest waits for its turn at its first record (the budget is one
     * byte): the oldest must always progress, whichever thread holds it, and the output stays
     * that of one thread */
    char many[600], mixed[600], big[600];
    path_in(many, sizeof many, "many");
    path_in(mixed, sizeof mixed, "mixed.tar.gz");
    path_in(big, sizeof big, "big.log");
    cr_assert(setenv("PIISCAN_TEST_RECORD_BUDGET", "1", 1) == 0);
    const char *args[] = {big, mixed, many, big};
    same_output_sj("tiny budget", args, 4, NULL, 0, true);
    unsetenv("PIISCAN_TEST_RECORD_BUDGET");
}

Test(threads, batches_of_inputs, .timeout = 300)
{
    /* threads take up to 16 queued inputs at once (PIISCAN_TEST_TAKE: always as many as are
     * queued): batches that straddle directories and hold unreadable, binary, empty, .gz and
     * truncated .gz files, from a walk and from a list, give -j1's output; and with a record
     * budget of one byte (every input but the oldest waits for its turn) none deadlocks */
    char many[600], list[600], mixed[600];
    path_in(many, sizeof many, "many");
    path_in(list, sizeof list, "list.txt");
    path_in(mixed, sizeof mixed, "mixed.tar.gz");
    cr_assert(setenv("PIISCAN_TEST_TAKE", "16", 1) == 0);
    const char *args[] = {many, "--files-from", list, mixed, many};
    same_output("batches", args, 5, NULL, 0);
    cr_assert(setenv("PIISCAN_TEST_RECORD_BUDGET", "1", 1) == 0);
    same_output("batches, tiny budget", args, 5, NULL, 0);
    unsetenv("PIISCAN_TEST_RECORD_BUDGET");
    unsetenv("PIISCAN_TEST_TAKE");
}

Test(threads, walk_opens_relative_to_directories)
{
    /* files found by a walk are opened relative to their directory, and past the directories
     * kept open at once (64) by their whole path: either way the same files under the same
     * names as when each is named on its own, with any -j */
    char deep[600], list[600], p[700];
    path_in(deep, sizeof deep, "deep");
    cr_assert(mkdir(deep, 0700) == 0);
    path_in(list, sizeof list, "deep-list.txt");
    FILE *l = fopen(list, "w");
    cr_assert(l);
    for (int d = 0; d < 80; d++) {
        snprintf(p, sizeof p, "%s/d%02d", deep, d);
        cr_assert(mkdir(p, 0700) == 0);
        snprintf(p, sizeof p, "%s/d%02d/s", deep, d);
        cr_assert(mkdir(p, 0700) == 0);
        const char *names[] = {"f.log", "s/g.log"};
        for (int k = 0; k < 2; k++) {
            size_t n;
            char *s = gen((size_t)(d % 5) + 1, 500u + (unsigned)(d * 2 + k), &n);
            snprintf(p, sizeof p, "%s/d%02d/%s", deep, d, names[k]);
            t_write(p, s, n);
            free(s);
            fprintf(l, "%s\n", p); /* the walk's order: f.log sorts before s */
        }
    }
    fclose(l);
    char slash[700];
    snprintf(slash, sizeof slash, "%s/", deep); /* its children are named deep/dNN */
    const char *a1[] = {"-j1", slash, NULL};
    const char *a2[] = {"-j1", "--files-from", list, NULL};
    struct t_run r1 = t_exec(a1, NULL, 0), r2 = t_exec(a2, NULL, 0);
    cr_assert_eq(r1.status, 1, "walk: exit %d (%s)", r1.status, r1.err);
    cr_assert_eq(r2.status, 1, "list: exit %d (%s)", r2.status, r2.err);
    char *s1 = stable(r1.out, r1.out_len), *s2 = stable(r2.out, r2.out_len);
    json_t *recs = t_jsonl(r1.out, r1.out_len);
    json_t *f[200];
    cr_assert_gt(t_records(recs, "finding", f, 200), 100);
    json_decref(recs);
    cr_assert_str_eq(s1, s2, "a walk differs from the same files named one by one");
    free(s1);
    free(s2);
    t_run_free(&r1);
    t_run_free(&r2);
    const char *args[] = {slash};
    same_output("a walk of 80 directories", args, 1, NULL, 0);
}

Test(threads, plain_file_in_place_equals_source_reads)
{
    /* a plain file opened by the scanner is read straight into its segments past its first
     * one, or (PIISCAN_TEST_NO_DIRECT) all through the source's buffer as before: the same
     * records, byte counts and limit errors, in segments of 16 KiB and 1 MiB, with any -j; and
     * a binary file (a NUL in its first 8 KiB, skipped) counts the bytes the source counts.
     * The text file also equals itself on stdin (a pipe: the source reads it). */
    char big[600], bin[600];
    path_in(big, sizeof big, "big.log");
    path_in(bin, sizeof bin, "big.bin");
    size_t len;
    char *data = t_slurp(big, &len);
    cr_assert_gt(len, 100000);    /* past the sniffed start, many 16 KiB segments */
    const size_t blen = 3u << 20; /* over 1 MiB and its look-ahead */
    char *bdata = malloc(blen);
    cr_assert(bdata);
    for (size_t i = 0; i < blen; i += len) memcpy(bdata + i, data, blen - i < len ? blen - i : len);
    bdata[100] = 0;
    t_write(bin, bdata, blen);
    static const char *extra[][2] = {
        {"--format", "jsonl"},
        {"--format", "summary"},
        {"--chunk-size", "16384"},
        {"--max-member-size", "70000"}, /* the source reports the limit */
    };
    static const char *jobs[] = {"-j1", "-j3"};
    for (size_t in = 0; in < 2; in++)
        for (size_t e = 0; e < sizeof extra / sizeof *extra; e++)
            for (size_t j = 0; j < 2; j++) {
                const char *file = in ? bin : big;
                const char *a1[] = {
                    jobs[j], "--summary-json", "/dev/stdout", extra[e][0], extra[e][1], file, NULL};
                const char *a2[] = {jobs[j],     "--summary-json", "/dev/stdout", extra[e][0],
                                    extra[e][1], "--stdin-name",   file,          "-",
                                    NULL};
                struct t_run r[3];
                r[0] = t_exec(a1, NULL, 0);
                cr_assert(setenv("PIISCAN_TEST_NO_DIRECT", "1", 1) == 0);
                r[1] = t_exec(a1, NULL, 0);
                unsetenv("PIISCAN_TEST_NO_DIRECT");
                r[2] = in ? (struct t_run){0} : t_exec(a2, data, len);
                char *s0 = stable(r[0].out, r[0].out_len);
                cr_assert_gt(strlen(s0), 100);
                for (int k = 1; k < (in ? 2 : 3); k++) {
                    cr_assert_eq(r[0].status, r[k].status, "%s %s %s (%d): exit %d vs %d (%s)",
                                 file, extra[e][0], jobs[j], k, r[0].status, r[k].status, r[0].err);
                    cr_assert_str_eq(r[0].err ? r[0].err : "", r[k].err ? r[k].err : "",
                                     "%s %s %s (%d): stderr", file, extra[e][0], jobs[j], k);
                    char *sk = stable(r[k].out, r[k].out_len);
                    cr_assert_str_eq(s0, sk,
                                     "%s %s %s: in place and through the source (%d) differ", file,
                                     extra[e][0], jobs[j], k);
                    free(sk);
                }
                free(s0);
                for (int k = 0; k < (in ? 2 : 3); k++) t_run_free(&r[k]);
            }
    free(bdata);
    free(data);
}

/* The summary format counts findings in the scanning threads (a few records per segment, no
 * values kept, no line numbers, context looked at only where it decides a finding): its
 * --summary-json equals the one of a format that keeps every finding, on files, many segments,
 * archives of members (the per-member counts), allowed and sensitive findings, errors and
 * skipped inputs, with one thread and several, and with a --min-confidence that context words
 * decide (an IPv4 address is 0.80 alone, 0.90 with one). */
static void summary_counts(const char *min_conf)
{
    char tree[600], big[600], tgz[600], mixed[600], many[600], sjf[600];
    path_in(tree, sizeof tree, "tree");
    path_in(big, sizeof big, "big.log");
    path_in(tgz, sizeof tgz, "many.tar.gz");
    path_in(mixed, sizeof mixed, "mixed.tar.gz");
    path_in(many, sizeof many, "many");
    path_in(sjf, sizeof sjf, "counts.json");
    static const char *jobs[] = {"-j1", "-j3"};
    static const char *formats[] = {"summary", "jsonl"};
    char *ref = NULL;
    for (size_t j = 0; j < 2; j++) {
        for (size_t f = 0; f < 2; f++) {
            const char *argv[] = {jobs[j],    "--format",
                                  formats[f], "--chunk-size",
                                  "8192",     "--min-confidence",
                                  min_conf,   "--summary-json",
                                  sjf,        tree,
                                  big,        tgz,
                                  mixed,      many,
                                  NULL};
            struct t_run r = t_exec(argv, NULL, 0);
            cr_assert_eq(r.status, 2, "%s %s: exit %d (%s)", jobs[j], formats[f], r.status, r.err);
            size_t sl;
            char *sjs = t_slurp(sjf, &sl);
            char *got = stable(sjs, sl);
            unlink(sjf);
            if (!ref) {
                /* what is compared holds what the counting must get right */
                json_error_t je;
                json_t *o = json_loads(sjs, 0, &je);
                cr_assert(o, "--summary-json: %s", je.text);
                json_t *fc = json_object_get(o, "findings");
                cr_assert(json_is_integer(fc) && json_integer_value(fc) > 500, "%s", min_conf);
                json_decref(o);
                cr_assert(strstr(got, "\"allowed\":") && strstr(got, "\"L\":"), "%s", got);
                cr_assert(strstr(got, "m/07.log"), "per-member counts");
                ref = got;
            } else {
                cr_assert_str_eq(got, ref, "%s %s differs from -j1 summary", jobs[j], formats[f]);
                free(got);
            }
            free(sjs);
            t_run_free(&r);
        }
    }
    free(ref);
}

Test(threads, summary_counts_equal_finding_records)
{
    summary_counts("0.5");
    summary_counts("0.85");
}
