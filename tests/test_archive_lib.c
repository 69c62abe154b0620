/* test_archive_lib.c: libarchive is loaded only when an input needs it: a plain input never
 * maps it, an archive does, and without it an archive or bzip2 input is an error record while
 * the other inputs are still scanned. */
#define _GNU_SOURCE
#include "testutil.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SAMPLE[] = "nothing here\n"
                             "pay card=4539 1488 0343 6467 mail jane.doe@acme-corp.com\n";

static char *dir;
static char plain[600], tar[600], tbz[600];

static void setup(void)
{
    dir = t_tmpdir();
    snprintf(plain, sizeof plain, "%s/a.log", dir);
    snprintf(tar, sizeof tar, "%s/b.tar", dir);
    snprintf(tbz, sizeof tbz, "%s/c.tar.bz2", dir);
    t_write(plain, SAMPLE, strlen(SAMPLE));
    struct t_entry e[] = {{"in.log", SAMPLE, strlen(SAMPLE), 0, NULL}};
    t_archive(tar, "tar", "none", e, 1, NULL, NULL);
    t_archive(tbz, "tar", "bzip2", e, 1, NULL, NULL);
}

static void teardown(void)
{
    t_rmrf(dir);
    free(dir);
}

TestSuite(archive_lib, .init = setup, .fini = teardown, .timeout = 120);

/* The dynamic loader's account (LD_DEBUG=files, on stderr) of a run over one input. */
static struct t_run traced(const char *path)
{
    setenv("LD_DEBUG", "files", 1);
    const char *argv[] = {path, NULL};
    struct t_run r = t_exec(argv, NULL, 0);
    unsetenv("LD_DEBUG");
    return r;
}

Test(archive_lib, loaded_only_for_an_archive)
{
    struct t_run r = traced(plain);
    cr_expect_eq(r.status, 1);
    cr_expect(strstr(r.err, "file=libc.so"), "LD_DEBUG shows what is loaded: %.300s", r.err);
    cr_expect(!strstr(r.err, "libarchive"), "a plain input loads no libarchive");
    t_run_free(&r);

    r = traced(tar);
    cr_expect_eq(r.status, 1);
    cr_expect(strstr(r.err, "file=libarchive.so"), "an archive loads it");
    t_run_free(&r);
}

Test(archive_lib, missing_library_is_an_error_record_per_input)
{
    setenv("PIISCAN_LIBARCHIVE", "/nonexistent/libarchive.so.13", 1);
    const char *argv[] = {tar, plain, tbz, NULL};
    struct t_run r = t_exec(argv, NULL, 0);
    unsetenv("PIISCAN_LIBARCHIVE");
    cr_expect_eq(r.status, 2, "stderr: %s", r.err);
    json_t *recs = t_jsonl(r.out, r.out_len);
    json_t *f[8], *e[4];
    cr_expect_eq(t_records(recs, "finding", f, 8), 2, "the plain file is scanned");
    cr_assert_eq(t_records(recs, "error", e, 4), 2, "%s", r.out);
    const char *paths[] = {tar, tbz};
    for (int i = 0; i < 2; i++) {
        const char *p = json_string_value(json_object_get(e[i], "path"));
        const char *m = json_string_value(json_object_get(e[i], "message"));
        cr_expect(p && !strcmp(p, paths[i]), "%s", p ? p : "(none)");
        cr_expect(m && strstr(m, "cannot load libarchive (/nonexistent/libarchive.so.13)"), "%s",
                  m ? m : "(none)");
    }
    json_decref(recs);
    t_run_free(&r);
}
