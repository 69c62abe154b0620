/* test_hslib.c: Hyperscan's compiler (libhs.so) is loaded only to compile: the built-in
 * catalogue scans without it, and user patterns without it fail with a clear error. */
#define _GNU_SOURCE
#include "hslib.h"
#include "pii_internal.h"
#include "testutil.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char ROW[] = "employee_id\tcustom\tre:/EMP-[0-9]{6}/\t-\temployee|staff\t32,8\tA\tno\t"
                          "medium\t80\temployee number\n";
static const char TEXT[] = "staff EMP-123456 mail jane.doe@acme-corp.com\n";
#define NO_LIBHS "/nonexistent/libhs.so.5"

Test(hslib, loads_and_matches_the_runtime)
{
    pii_error err = PII_ERROR_INIT;
    const struct hslib *h = hslib_get(NULL, &err);
    cr_assert(h, "%s", err.msg);
    cr_expect(hslib_get(NULL, &err) == h, "loaded once");
    hs_expr_info_t *info = NULL;
    hs_compile_error_t *cerr = NULL;
    cr_assert_eq(h->expression_info("ab[0-9]{3}", 0, &info, &cerr), HS_SUCCESS);
    cr_expect_eq(info->min_width, 5);
    free(info);
    cr_expect_neq(h->expression_info("a(", 0, &info, &cerr), HS_SUCCESS);
    cr_expect(cerr && cerr->message[0]);
    h->free_compile_error(cerr);
}

Test(hslib, builtin_catalogue_needs_no_compiler)
{
    setenv("PIISCAN_LIBHS", NO_LIBHS, 1);
    pii_error err = PII_ERROR_INIT;
    pii_detectors *d = NULL;
    pii_engine *e = NULL;
    cr_assert_eq(pii_detectors_new(&d, &err), PII_OK);
    cr_assert_eq(pii_detectors_load_builtin(d, &err), PII_OK, "%s", err.msg);
    cr_assert_eq(pii_engine_compile(d, NULL, &e, &err), PII_OK, "%s", err.msg);
    cr_expect(engine_used_builtin_db(e), "scanned in place, not compiled");
    struct tfinds f = t_scan(e, TEXT, strlen(TEXT), 0, 0);
    cr_expect_eq(t_count(&f, "email", NULL), 1);
    t_free(&f);
    pii_engine_free(e);

    /* a user pattern needs the compiler: a clear error naming the file and line */
    size_t n = pii_detectors_count(d);
    cr_expect_eq(pii_detectors_load_mem(d, ROW, strlen(ROW), "my.tsv", &err), PII_ERR_ENGINE);
    cr_expect_str_eq(err.origin, "my.tsv:1");
    cr_expect(strstr(err.msg, "cannot load the Hyperscan compiler (" NO_LIBHS ")"), "%s", err.msg);
    cr_expect_eq(pii_detectors_count(d), n, "nothing added");
    pii_detectors_free(d);
    unsetenv("PIISCAN_LIBHS");
}

Test(hslib, cli_without_compiler)
{
    char *dir = t_tmpdir();
    char pat[600], log[600];
    snprintf(pat, sizeof pat, "%s/my.tsv", dir);
    snprintf(log, sizeof log, "%s/a.log", dir);
    t_write(pat, ROW, strlen(ROW));
    t_write(log, TEXT, strlen(TEXT));
    setenv("PIISCAN_LIBHS", NO_LIBHS, 1);
    const char *builtin[] = {log, NULL};
    struct t_run r = t_exec(builtin, NULL, 0);
    cr_expect_eq(r.status, 1, "the built-in catalogue scans: %s", r.err);
    cr_expect(strstr(r.out, "\"detector\":\"email\""), "%s", r.out);
    t_run_free(&r);

    const char *user[] = {"--patterns", pat, "--no-cache", log, NULL};
    r = t_exec(user, NULL, 0);
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "my.tsv:1: cannot load the Hyperscan compiler"), "%s", r.err);
    t_run_free(&r);
    unsetenv("PIISCAN_LIBHS");

    /* and with it, the start-up on the built-in catalogue still does not map it */
    setenv("LD_DEBUG", "files", 1);
    r = t_exec(builtin, NULL, 0);
    unsetenv("LD_DEBUG");
    cr_expect_eq(r.status, 1);
    cr_expect(strstr(r.err, "file=libc.so"), "LD_DEBUG shows what is loaded: %.300s", r.err);
    cr_expect(!strstr(r.err, "libhs.so"), "no compiler for the built-in catalogue");
    t_run_free(&r);
    t_rmrf(dir);
    free(dir);
}

Test(hslib, a_library_that_is_not_the_compiler_is_refused)
{
    setenv("PIISCAN_LIBHS", "libz.so.1", 1);
    pii_error err = PII_ERROR_INIT;
    cr_expect_null(hslib_get("x.tsv:3", &err));
    cr_expect_eq(err.code, PII_ERR_ENGINE);
    cr_expect_str_eq(err.origin, "x.tsv:3");
    cr_expect(strstr(err.msg, "libz.so.1 is not a Hyperscan compiler"), "%s", err.msg);
    unsetenv("PIISCAN_LIBHS");
}
