/* test_batch.c: the nightly batch's options through the built binary: --shard K/N (shares that
 * are disjoint and cover every file, keyed below the directory argument, every record in one
 * share) and --progress (on a terminal by default, a line every N seconds elsewhere, cleared
 * before other messages and at the end, never changing stdout). */
#define _GNU_SOURCE
#include "testutil.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

TestSuite(batch, .init = t_dir_setup, .fini = t_dir_teardown);

#define NFILES 60

/* NFILES files under t_dir/tree (some in subdirectories), file i holding one address
 * 10.1.<i/200>.<i%200+1> at its first line. */
static void make_tree(void)
{
    mkdir(t_path("tree"), 0755);
    mkdir(t_path("tree/sub"), 0755);
    mkdir(t_path("tree/sub/deeper"), 0755);
    for (int i = 0; i < NFILES; i++) {
        char name[64], body[128];
        snprintf(name, sizeof name, "tree/%sf%02d.log",
                 i % 3 == 0   ? ""
                 : i % 3 == 1 ? "sub/"
                              : "sub/deeper/",
                 i);
        int n = snprintf(body, sizeof body, "peer 10.1.%d.%d connected\n", i / 200, i % 200 + 1);
        t_write(t_path(name), body, (size_t)n);
    }
}

/* The files one run reports findings in (their path with `strip` bytes left out), as a
 * bitmap over the file numbers; and its summary record's shard object. */
struct share {
    int status;
    unsigned char has[NFILES];
    json_int_t files, elsewhere, index, count;
};

static struct share run_share(const char *const *argv, size_t strip)
{
    struct t_run r = t_exec(argv, NULL, 0);
    struct share s = {.status = r.status};
    json_t *recs = t_jsonl(r.out, r.out_len);
    json_t *f[NFILES + 1], *sum[1];
    size_t n = t_records(recs, "finding", f, NFILES + 1);
    cr_assert_leq(n, NFILES);
    for (size_t i = 0; i < n; i++) {
        const char *p = json_string_value(json_object_get(f[i], "path"));
        cr_assert(p && strlen(p) > strip);
        const char *base = strrchr(p, '/');
        int k = -1;
        cr_assert(base && sscanf(base, "/f%d.log", &k) == 1 && k >= 0 && k < NFILES, "%s", p);
        cr_expect_eq(s.has[k], 0, "%s reported twice", p);
        s.has[k] = 1;
    }
    cr_assert_eq(t_records(recs, "summary", sum, 1), 1);
    s.files = json_integer_value(json_object_get(sum[0], "files"));
    json_t *sh = json_object_get(sum[0], "shard");
    if (sh) {
        s.index = json_integer_value(json_object_get(sh, "index"));
        s.count = json_integer_value(json_object_get(sh, "count"));
        s.elsewhere = json_integer_value(json_object_get(sh, "paths_elsewhere"));
    }
    json_decref(recs);
    t_run_free(&r);
    return s;
}

Test(batch, shares_are_disjoint_and_cover_every_file)
{
    make_tree();
    const char *tree = t_path("tree");
    const char *all_argv[] = {"-j2", tree, NULL};
    struct share all = run_share(all_argv, 0);
    cr_assert_eq(all.files, NFILES);
    cr_expect_eq(all.count, 0, "no shard object without --shard");
    for (unsigned n = 1; n <= 4; n++) {
        unsigned char seen[NFILES] = {0};
        json_int_t files = 0;
        for (unsigned k = 1; k <= n; k++) {
            char spec[16];
            snprintf(spec, sizeof spec, "%u/%u", k, n);
            const char *argv[] = {"--shard", spec, "-j2", tree, NULL};
            struct share s = run_share(argv, 0);
            cr_expect_eq(s.index, k);
            cr_expect_eq(s.count, n);
            cr_expect_eq(s.files + s.elsewhere, NFILES, "share %s: every file counted once", spec);
            files += s.files;
            for (int i = 0; i < NFILES; i++) {
                cr_expect(!(seen[i] && s.has[i]), "f%02d in two shares of %u", i, n);
                seen[i] |= s.has[i];
            }
            if (n == 3) cr_expect_gt(s.files, 5, "share %s holds %lld of 60", spec, s.files);
        }
        cr_expect_eq(files, NFILES);
        cr_expect_eq(memcmp(seen, all.has, NFILES), 0, "the %u shares together: every file", n);
    }
}

/* Machines that mount the tree elsewhere, or spell the argument differently, split it the
 * same way: the key is the path below the argument. */
Test(batch, a_share_is_keyed_below_the_directory_argument)
{
    make_tree();
    cr_assert_eq(symlink(t_path("tree"), t_path("mount")), 0);
    char slash[600], dslash[600];
    snprintf(slash, sizeof slash, "%s/", t_path("tree"));
    snprintf(dslash, sizeof dslash, "%s//", t_path("tree"));
    const char *spellings[] = {t_path("tree"), slash, dslash, t_path("mount")};
    struct share first = {0};
    for (size_t i = 0; i < 4; i++) {
        const char *argv[] = {"--shard", "2/3", spellings[i], NULL};
        struct share s = run_share(argv, 0);
        if (i == 0) {
            first = s;
            cr_assert_gt(s.files, 0);
        }
        cr_expect_eq(memcmp(s.has, first.has, NFILES), 0, "'%s' splits as the first", spellings[i]);
    }
}

/* An error or a skipped path is reported by one share only: N merged reports count it once. */
Test(batch, a_record_about_a_path_comes_from_one_share)
{
    make_tree();
    t_write(t_path("list"), "", 0);
    FILE *l = fopen(t_path("list"), "w");
    cr_assert(l);
    fprintf(l, "%s\n%s\n-\n", t_path("missing.log"), t_path("tree/f00.log"));
    fclose(l);
    int errors = 0, with_missing = 0, with_stdin = 0, twos = 0;
    for (int k = 1; k <= 4; k++) {
        char spec[8];
        snprintf(spec, sizeof spec, "%d/4", k);
        const char *argv[] = {"--shard", spec, "--files-from", t_path("list"), NULL};
        struct t_run r = t_exec(argv, "not to be read", 14);
        json_t *recs = t_jsonl(r.out, r.out_len);
        json_t *e[4];
        size_t n = t_records(recs, "error", e, 4);
        errors += (int)n;
        for (size_t i = 0; i < n; i++) {
            const char *p = json_string_value(json_object_get(e[i], "path"));
            const char *m = json_string_value(json_object_get(e[i], "message"));
            if (strstr(p, "missing.log")) with_missing++;
            if (!strcmp(p, "-")) {
                with_stdin++;
                cr_expect(strstr(m, "--shard"), "%s", m);
            }
        }
        if (n) cr_expect_eq(r.status, 2, "share %s has an error: exit 2", spec);
        twos += r.status == 2;
        json_decref(recs);
        t_run_free(&r);
    }
    cr_expect_eq(with_missing, 1);
    cr_expect_eq(with_stdin, 1);
    cr_expect_eq(errors, 2);
    cr_expect_geq(twos, 1);
}

Test(batch, shard_usage_errors)
{
    make_tree();
    static const char *const bad[] = {"0/3", "4/3", "3", "1/0", "a/b", "1/2/3", "-1/2", "", "1/"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *argv[] = {"--shard", bad[i], t_path("tree"), NULL};
        struct t_run r = t_exec(argv, NULL, 0);
        cr_expect_eq(r.status, 2, "--shard '%s'", bad[i]);
        cr_expect(strstr(r.err, "--shard takes K/N"), "--shard '%s': %s", bad[i], r.err);
        cr_expect_eq(r.out_len, 0);
        t_run_free(&r);
    }
    const char *const cases[][5] = {
        {"--shard", "1/2", NULL},                       /* piped standard input */
        {"--shard", "1/2", "-", NULL},                  /* '-' */
        {"--shard", "1/2", "--pre-commit", "x", NULL},  /* a repository mode */
        {"--progress", "--pre-commit", "x", NULL, NULL} /* neither is progress */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct t_run r = t_exec(cases[i], "a@b.example.com\n", 16);
        cr_expect_eq(r.status, 2, "case %zu: %s", i, r.err);
        cr_expect(strstr(r.err, "Try 'piiscan --help'"), "case %zu: %s", i, r.err);
        t_run_free(&r);
    }
    const char *ok[] = {"--shard", "1/1", "--format", "summary", t_path("tree"), NULL};
    struct t_run r = t_exec(ok, NULL, 0);
    cr_expect_eq(r.status, 1);
    cr_expect(strstr(r.out, "shard            1/1 (0 paths left to the other shares)"), "%s",
              r.out);
    cr_expect(strstr(r.out,
                     "by directory:\n  findings   inputs          bytes  ccpa         directory\n"
                     "        20       20"),
              "%s", r.out);
    t_run_free(&r);
}

/* ---- --glob ------------------------------------------------------------------------------ */

/* The files a run over t_dir/gt reports (findings' paths below gt/, sorted, space-joined). */
static void glob_run(const char *const *globs, char *out, size_t cap, json_int_t *excluded)
{
    const char *argv[16];
    size_t n = 0;
    for (size_t i = 0; globs[i]; i++) argv[n++] = "-g", argv[n++] = globs[i];
    argv[n++] = t_path("gt");
    argv[n] = NULL;
    struct t_run r = t_exec(argv, NULL, 0);
    json_t *recs = t_jsonl(r.out, r.out_len), *f[16], *sum[1];
    size_t k = t_records(recs, "finding", f, 16);
    const char *names[16];
    size_t root = strlen(t_path("gt")) + 1;
    for (size_t i = 0; i < k; i++)
        names[i] = json_string_value(json_object_get(f[i], "path")) + root;
    for (size_t i = 1; i < k; i++) /* sorted: insertion */
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            const char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    out[0] = 0;
    for (size_t i = 0; i < k; i++)
        snprintf(out + strlen(out), cap - strlen(out), "%s%s", i ? " " : "", names[i]);
    cr_assert_eq(t_records(recs, "summary", sum, 1), 1);
    *excluded = json_integer_value(json_object_get(sum[0], "excluded_by_glob"));
    json_decref(recs);
    t_run_free(&r);
}

Test(batch, globs_choose_the_walked_files_as_gitignore_reads_them)
{
    static const char *const files[] = {"a/x.log", "a/y.txt", "a/b/z.log", "a/b/w.gz",
                                        "c/v.log", "top.log", ".hid/h.log"};
    mkdir(t_path("gt"), 0755);
    static const char *const dirs[] = {"gt/a", "gt/a/b", "gt/c", "gt/.hid"};
    for (size_t i = 0; i < 4; i++) mkdir(t_path(dirs[i]), 0755);
    for (size_t i = 0; i < 7; i++) {
        char p[64];
        snprintf(p, sizeof p, "gt/%s", files[i]);
        t_write(t_path(p), "mail m@corp-mail.com\n", 21);
    }
    static const struct {
        const char *globs[4];
        const char *want;
        json_int_t excluded;
    } cases[] = {
        {{"*.log"}, ".hid/h.log a/b/z.log a/x.log c/v.log top.log", 2},
        {{"!*.log"}, "a/b/w.gz a/y.txt", 5},
        {{"a/**/*.log"}, "a/b/z.log a/x.log", 5},
        {{"**/*.gz"}, "a/b/w.gz", 6},
        {{"/c/*"}, "c/v.log", 6},
        {{"a/*"}, "a/x.log a/y.txt", 5},
        {{"!a/"}, ".hid/h.log c/v.log top.log", 1}, /* a directory, pruned */
        {{"!b/"}, ".hid/h.log a/x.log a/y.txt c/v.log top.log", 1},
        {{"!a/b"}, ".hid/h.log a/x.log a/y.txt c/v.log top.log", 1},
        {{"*.log", "!a/b/"}, ".hid/h.log a/x.log c/v.log top.log", 2},
        {{"*.log", "!top.log"}, ".hid/h.log a/b/z.log a/x.log c/v.log", 3},
        {{"!*.log", "*.log"}, ".hid/h.log a/b/z.log a/x.log c/v.log top.log", 2}, /* last wins */
        {{"[tv]*.log"}, "c/v.log top.log", 5},
        {{"[!tv]*.log"}, ".hid/h.log a/b/z.log a/x.log", 4},
        {{"?.log"}, ".hid/h.log a/b/z.log a/x.log c/v.log", 3},
        {{"!.*"}, "a/b/w.gz a/b/z.log a/x.log a/y.txt c/v.log top.log", 1},
        {{"*.LOG"}, "", 7}, /* bytes, as .gitignore on Linux */
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        char got[512];
        json_int_t excluded;
        glob_run(cases[c].globs, got, sizeof got, &excluded);
        cr_expect_str_eq(got, cases[c].want, "case %zu (%s%s%s)", c, cases[c].globs[0],
                         cases[c].globs[1] ? " " : "", cases[c].globs[1] ? cases[c].globs[1] : "");
        cr_expect_eq(excluded, cases[c].excluded, "case %zu: %lld left out", c,
                     (long long)excluded);
    }
    /* a file named on the command line is scanned whatever the globs say */
    const char *named[] = {"-g", "*.log", t_path("gt/a/y.txt"), NULL};
    struct t_run r = t_exec(named, NULL, 0);
    cr_expect_eq(r.status, 1, "%s", r.err);
    t_run_free(&r);
    /* with --shard: the shares split what the globs keep */
    json_int_t kept = 0, excl = 0;
    for (int k = 1; k <= 2; k++) {
        const char *argv[] = {"--shard", k == 1 ? "1/2" : "2/2", "-g", "*.log", t_path("gt"), NULL};
        r = t_exec(argv, NULL, 0);
        json_t *recs = t_jsonl(r.out, r.out_len), *sum[1];
        cr_assert_eq(t_records(recs, "summary", sum, 1), 1);
        json_int_t f = json_integer_value(json_object_get(sum[0], "files"));
        json_int_t e = json_integer_value(
            json_object_get(json_object_get(sum[0], "shard"), "paths_elsewhere"));
        cr_expect_eq(f + e, 5, "share %d/2: %lld + %lld", k, (long long)f, (long long)e);
        excl += json_integer_value(json_object_get(sum[0], "excluded_by_glob"));
        kept += f;
        json_decref(recs);
        t_run_free(&r);
    }
    cr_expect_eq(kept, 5);
    cr_expect_eq(excl, 2, "each left-out path counted by one share");
    const char *bad[] = {"-g", "", t_path("gt"), NULL};
    r = t_exec(bad, NULL, 0);
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "--glob takes a pattern"), "%s", r.err);
    t_run_free(&r);
}

/* ---- merge-summaries --------------------------------------------------------------------- */

static json_t *load(const char *path)
{
    json_t *o = json_load_file(path, 0, NULL);
    cr_assert(json_is_object(o), "%s", path);
    return o;
}

/* The shares' summaries merged are the whole run's: every count, and the inputs. */
Test(batch, merged_shares_are_the_whole_run)
{
    make_tree();
    const char *tree = t_path("tree");
    const char *all_argv[] = {"--format",         "summary", "--summary-json",
                              t_path("all.json"), tree,      NULL};
    struct t_run r = t_exec(all_argv, NULL, 0);
    cr_assert_eq(r.status, 1);
    t_run_free(&r);
    for (int k = 1; k <= 3; k++) {
        char spec[8], out[32];
        snprintf(spec, sizeof spec, "%d/3", k);
        snprintf(out, sizeof out, "s%d.json", k);
        /* share 2 as JSONL output: its last record is the summary */
        const char *argv[] = {"--shard", spec, "--summary-json", t_path(out), tree, NULL};
        r = t_exec(argv, NULL, 0);
        if (k == 2) t_write(t_path(out), r.out, r.out_len);
        t_run_free(&r);
    }
    const char *m_argv[] = {"merge-summaries", t_path("s3.json"), t_path("s1.json"),
                            t_path("s2.json"), NULL};
    r = t_exec(m_argv, NULL, 0);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_eq(r.err_len, 0);
    t_write(t_path("merged.json"), r.out, r.out_len);
    t_run_free(&r);
    json_t *all = load(t_path("all.json")), *m = load(t_path("merged.json"));
    static const char *const keys[] = {"files",          "members",  "bytes",   "compressed_bytes",
                                       "expanded_bytes", "findings", "allowed", "by_detector",
                                       "by_ccpa",        "errors",   "skipped", "skipped_by_reason",
                                       "by_directory"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        cr_expect(json_equal(json_object_get(all, keys[i]), json_object_get(m, keys[i])), "%s",
                  keys[i]);
    cr_expect_eq(json_integer_value(json_object_get(m, "files")), NFILES);
    /* the tree's three directories, 20 files and findings each, in path order */
    json_t *dirs = json_object_get(all, "by_directory");
    cr_assert_eq(json_array_size(dirs), 3);
    static const char *const want_dirs[] = {"/tree", "/tree/sub", "/tree/sub/deeper"};
    for (size_t d = 0; d < 3; d++) {
        json_t *e = json_array_get(dirs, d);
        const char *p = json_string_value(json_object_get(e, "path"));
        size_t pl = p ? strlen(p) : 0, wl = strlen(want_dirs[d]);
        cr_expect(pl >= wl && !strcmp(p + pl - wl, want_dirs[d]), "%s", p);
        cr_expect_eq(json_integer_value(json_object_get(e, "inputs")), 20);
        cr_expect_eq(json_integer_value(json_object_get(e, "findings")), 20);
        cr_expect_eq(json_integer_value(json_object_get(json_object_get(e, "by_ccpa"), "A")), 20);
    }
    json_t *sh = json_object_get(m, "shards");
    cr_expect_eq(json_integer_value(json_object_get(sh, "count")), 3);
    cr_expect_eq(json_array_size(json_object_get(sh, "merged")), 3);
    cr_expect_eq(json_array_size(json_object_get(sh, "missing")), 0);
    cr_expect_eq(json_integer_value(json_object_get(m, "summaries")), 3);
    /* the same inputs, each once */
    json_t *ia = json_object_get(all, "inputs"), *im = json_object_get(m, "inputs");
    cr_assert_eq(json_array_size(ia), json_array_size(im));
    size_t i;
    json_t *x;
    json_array_foreach(ia, i, x)
    {
        const char *p = json_string_value(json_object_get(x, "path"));
        size_t hits = 0, j;
        json_t *y;
        json_array_foreach(im, j, y)
        {
            if (strcmp(p, json_string_value(json_object_get(y, "path")))) continue;
            hits++;
            cr_expect(json_equal(x, y), "%s: the same entry", p);
        }
        cr_expect_eq(hits, 1, "%s", p);
    }
    json_decref(all);
    json_decref(m);
}

/* A merged batch never looks complete when it is not: a share missing, twice, of another N, or
 * mixed with other runs; and a file that is not a summary. Each is exit 2 with its reason. */
Test(batch, an_incomplete_merge_says_so)
{
    make_tree();
    for (int k = 1; k <= 3; k++) {
        char spec[8], out[32];
        snprintf(spec, sizeof spec, "%d/3", k);
        snprintf(out, sizeof out, "s%d.json", k);
        const char *argv[] = {"--shard",  spec,      "--summary-json", t_path(out),
                              "--format", "summary", t_path("tree"),   NULL};
        struct t_run r = t_exec(argv, NULL, 0);
        t_run_free(&r);
    }
    const char *four[] = {"--shard",  "1/4",     "--summary-json", t_path("f1.json"),
                          "--format", "summary", t_path("tree"),   NULL};
    struct t_run r = t_exec(four, NULL, 0);
    t_run_free(&r);
    const char *whole[] = {"--summary-json", t_path("w.json"), "--format",
                           "summary",        t_path("tree"),   NULL};
    r = t_exec(whole, NULL, 0);
    t_run_free(&r);
    t_write(t_path("junk.json"), "{\"files\": 1}\n", 14);
    /* counts that are not counts, or whose sum does not fit (signed overflow before) */
    static const char *const bad_counts[] = {
        "{\"files\":1,\"findings\":1,\"by_detector\":{\"email\":-1},\"inputs\":[]}",
        "{\"files\":1,\"findings\":1,\"by_detector\":{\"email\":\"x\"},\"inputs\":[]}",
        "{\"files\":9223372036854775807,\"findings\":1,\"by_detector\":{},\"inputs\":[]}",
        ("{\"files\":1,\"findings\":1,\"by_detector\":{},\"inputs\":[],\"by_directory\":[{\"path\":"
         "\"a\",\"inputs\":1,\"bytes\":-5,\"findings\":0,\"by_ccpa\":{}}]}"),
    };
    for (size_t i = 0; i < sizeof bad_counts / sizeof *bad_counts; i++) {
        char name[32];
        snprintf(name, sizeof name, "bad%zu.json", i);
        t_write(t_path(name), bad_counts[i], strlen(bad_counts[i]));
    }
    struct {
        const char *files[4];
        const char *says;
    } cases[] = {
        {{"s1.json", "s3.json"}, "1 of 3 shares missing"},
        {{"s1.json", "s2.json", "s3.json", "s2.json"}, "share 2/3 given twice"},
        {{"s1.json", "s2.json", "s3.json", "f1.json"}, "share 1/4 does not fit"},
        {{"s1.json", "s2.json", "s3.json", "w.json"}, "mixed with other runs"},
        {{"w.json", "junk.json"}, "junk.json: not a piiscan summary"},
        {{"w.json", "nothing.json"}, "nothing.json: No such file"},
        {{"w.json", "bad0.json"}, "bad0.json: a count that is not one"},
        {{"w.json", "bad1.json"}, "bad1.json: a count that is not one"},
        {{"w.json", "bad2.json"}, "bad2.json: a count that is not one, or too large to add"},
        {{"w.json", "bad3.json"}, "bad3.json: a count that is not one"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        const char *argv[6] = {"merge-summaries"};
        for (int i = 0; i < 4 && cases[c].files[i]; i++) argv[i + 1] = t_path(cases[c].files[i]);
        r = t_exec(argv, NULL, 0);
        cr_expect_eq(r.status, 2, "case %zu", c);
        cr_expect(strstr(r.err, cases[c].says), "case %zu: %s", c, r.err);
        if (c == 0) { /* still written, with what is missing */
            json_t *m = json_loadb(r.out, r.out_len, 0, NULL);
            json_t *miss = json_object_get(json_object_get(m, "shards"), "missing");
            cr_expect_eq(json_array_size(miss), 1);
            cr_expect_eq(json_integer_value(json_array_get(miss, 0)), 2);
            json_decref(m);
        }
        t_run_free(&r);
    }
    const char *none[] = {"merge-summaries", NULL};
    r = t_exec(none, NULL, 0);
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "usage: piiscan merge-summaries"), "%s", r.err);
    t_run_free(&r);
}

/* ---- --progress --------------------------------------------------------------------------- */

/* A run whose stdin is fed by prun_feed, stderr on a pseudo-terminal (or on a pipe when err_tty
 * is false) and stdout as `to` says (T_FILE: t_path("stdout.txt"), read back with out_file()). */
static struct t_proc prun_start(const char *const *args, bool err_tty, enum t_to to)
{
    return t_spawn(args, to, err_tty ? T_PTY : T_PIPE, t_path("stdout.txt"));
}

/* What the last T_FILE run wrote (malloc'ed, NUL-terminated). */
static char *out_file(size_t *len)
{
    return t_slurp(t_path("stdout.txt"), len);
}

/* Reads stdout and stderr for `ms` of quiet each; both into *err when they are the one
 * terminal. */
static void prun_read(struct t_proc *p, char **out, size_t *out_len, char **err, size_t *err_len,
                      int ms)
{
    if (p->out >= 0 && p->out != p->err) t_drain(p->out, out, out_len, ms);
    t_drain(p->err, err, err_len, ms);
}

/* Feeds `in` in two parts, split at `split`, with a pause of `pause_ms` between them, and
 * collects stdout and stderr (a terminal's both in *err); returns the exit status. */
static int prun_feed(struct t_proc *p, const char *in, size_t n, size_t split, int pause_ms,
                     char **out, size_t *out_len, char **err, size_t *err_len)
{
    *out = calloc(1, 1);
    *err = calloc(1, 1);
    *out_len = *err_len = 0;
    for (int half = 0; half < 2; half++) {
        const char *s = in + (half ? split : 0);
        size_t k = half ? n - split : split;
        while (k) {
            ssize_t w = write(p->in, s, k);
            cr_assert(w > 0);
            s += w;
            k -= (size_t)w;
            prun_read(p, out, out_len, err, err_len, 0);
        }
        if (half) break;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (;;) { /* the pause, reading both sides meanwhile */
            prun_read(p, out, out_len, err, err_len, 20);
            clock_gettime(CLOCK_MONOTONIC, &t1);
            if ((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 >= pause_ms)
                break;
        }
    }
    close(p->in);
    p->in = -1;
    int st; /* reaped while reading: a run blocked on a full pipe would never end */
    for (;;) {
        prun_read(p, out, out_len, err, err_len, 20);
        pid_t w = waitpid(p->pid, &st, WNOHANG);
        cr_assert(w >= 0);
        if (w == p->pid) break;
    }
    prun_read(p, out, out_len, err, err_len, 100);
    if (p->out >= 0 && p->out != p->err) close(p->out);
    close(p->err);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* 400 KB of log lines with an address every 40 lines */
static char *log_text(size_t *n)
{
    size_t cap = 400 * 1024;
    char *s = malloc(cap + 100);
    cr_assert(s);
    size_t len = 0;
    for (int i = 0; len < cap; i++)
        len += (size_t)snprintf(
            s + len, 100,
            i % 40 ? "line %d of the log, nothing here\n" : "line %d from 192.168.7.9 ok\n", i);
    *n = len;
    return s;
}

Test(batch, progress_is_drawn_on_a_terminal_and_changes_nothing_else, .timeout = 120)
{
    size_t n;
    char *in = log_text(&n);
    const char *plain_argv[] = {"-j2", "-", NULL};
    struct t_run want = t_exec(plain_argv, in, n);
    cr_assert_eq(want.status, 1);

    /* auto: stderr is a terminal, the records go to a file */
    struct t_proc p = prun_start(plain_argv, true, T_FILE);
    char *out, *err;
    size_t out_len, err_len;
    int st = prun_feed(&p, in, n, n / 2, 2500, &out, &out_len, &err, &err_len);
    cr_expect_eq(st, 1);
    free(out);
    out = out_file(&out_len);
    /* the records are the same but for the summary's elapsed time and rate */
    const char *sum = memmem(out, out_len, "{\"type\":\"summary\"", 17);
    cr_assert(sum);
    cr_expect_eq(memcmp(out, want.out, (size_t)(sum - out)), 0, "records unchanged");
    /* from the first second on (a loaded machine may draw it a little late) */
    cr_expect(strstr(err, "\rpiiscan: 0:00:0"), "drawn: [%s]", err);
    cr_expect(strstr(err, "  0 inputs done, "), "[%s]", err);
    cr_expect(strstr(err, " scanned ("), "[%s]", err);
    cr_expect(strstr(err, "B/s), "), "[%s]", err);
    cr_expect(strstr(err, "\x1b[K"), "drawn in place: [%s]", err);
    /* cleared at the end: nothing after the last erase */
    size_t el = strlen("\r\x1b[K");
    cr_expect(err_len >= el && !memcmp(err + err_len - el, "\r\x1b[K", el), "[%s]", err);
    cr_expect(!strstr(err, "192.168"), "no value in the line");
    free(out);
    free(err);

    /* auto is off when the records go to the terminal too, or down a pipe (a pager may be
     * on the terminal); on for a summary; --no-progress */
    static const struct {
        const char *args[4];
        enum t_to to;
        bool drawn;
    } cases[] = {
        {{"-", NULL}, T_PTY, false},
        {{"--format", "summary", "-", NULL}, T_PTY, true},
        {{"-", NULL}, T_PIPE, false},
        {{"--no-progress", "-", NULL}, T_FILE, false},
        {{"--progress", "-", NULL}, T_PIPE, true},
    };
    for (int c = 0; c < 5; c++) {
        p = prun_start(cases[c].args, true, cases[c].to);
        prun_feed(&p, in, n, n / 2, 2000, &out, &out_len, &err, &err_len);
        /* a terminal's output is all in `err` */
        bool drawn = memmem(err, err_len, "\rpiiscan: 0:00:0", 16) != NULL;
        cr_expect_eq(drawn, cases[c].drawn, "case %d: %s", c, drawn ? "drawn" : "not drawn");
        if (c == 1)
            cr_expect(memmem(err, err_len, "\r\x1b[Kpiiscan 0.1.0 summary", 25),
                      "the summary comes after the line is gone: [%s]", err);
        free(out);
        free(err);
    }
    t_run_free(&want);
    free(in);
}

/* --progress=SECONDS where stderr is not a terminal: a plain line each period, no escapes. */
Test(batch, progress_lines_for_a_log, .timeout = 120)
{
    size_t n;
    char *in = log_text(&n);
    const char *argv[] = {"--progress=1", "--format", "summary", "-", NULL};
    struct t_proc p = prun_start(argv, false, T_PIPE);
    char *out, *err;
    size_t out_len, err_len;
    cr_expect_eq(prun_feed(&p, in, n, n / 2, 3500, &out, &out_len, &err, &err_len), 1);
    /* a line a second while the input waits: at least two in 3.5 s, seconds apart */
    const char *l1 = strstr(err, "piiscan: 0:00:0"),
               *l2 = l1 ? strstr(l1 + 1, "piiscan: 0:00:0") : NULL;
    cr_expect(l1 && l2 && l1[15] != l2[15], "[%s]", err);
    cr_expect(strstr(err, "  0 inputs done, "), "[%s]", err);
    cr_expect(!strchr(err, '\r') && !strchr(err, '\x1b'), "[%s]", err);
    cr_expect(err_len && err[err_len - 1] == '\n');
    cr_expect(strstr(out, "inputs scanned   1"), "%s", out);
    free(out);
    free(err);
    static const char *const bad[] = {"--progress=0", "--progress=x", "--progress=86401"};
    for (int i = 0; i < 3; i++) {
        const char *a[] = {bad[i], "-", NULL};
        struct t_run r = t_exec(a, "x\n", 2);
        cr_expect_eq(r.status, 2, "%s", bad[i]);
        t_run_free(&r);
    }
    free(in);
}

/* A message while the line is drawn starts on a cleared line, not after the progress text. */
Test(batch, a_message_clears_the_line_first, .timeout = 120)
{
    size_t n;
    char *big = log_text(&n);
    t_write(t_path("big.log"), big, n);
    free(big);
    char list[1200];
    int len = snprintf(list, sizeof list, "%s\n%s\n", t_path("big.log"), t_path("gone.log"));
    const char *argv[] = {"-j1", "--files-from", "-", NULL};
    struct t_proc p = prun_start(argv, true, T_FILE);
    char *out, *err;
    size_t out_len, err_len;
    /* the first name, a pause in which the line is drawn, then the missing one */
    size_t first = strlen(t_path("big.log")) + 1;
    int st = prun_feed(&p, list, (size_t)len, first, 2500, &out, &out_len, &err, &err_len);
    cr_expect_eq(st, 2);
    char want[1200];
    snprintf(want, sizeof want, "\x1b[K\r\x1b[Kpiiscan: %s: cannot access", t_path("gone.log"));
    cr_expect(strstr(err, want), "[%s]", err);
    free(out);
    free(err);
}
