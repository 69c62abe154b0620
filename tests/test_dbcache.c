/* test_dbcache.c: the compiled-pattern cache: written on a cold start, used on a warm one,
 * a corrupt or foreign file rebuilt, an unwritable directory no error, --no-cache writes
 * nothing. */
#define _GNU_SOURCE
#include "pii_internal.h"
#include "testutil.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char ROW[] = "employee_id\tcustom\tre:/EMP-[0-9]{6}/\t-\temployee|staff\t32,8\tA\tno\t"
                          "medium\t80\temployee number\n";
static const char TEXT[] = "staff EMP-123456 mail jane.doe@acme-corp.com\n";

static char *dir;
static char cache[600];

static void setup(void)
{
    dir = t_tmpdir();
    snprintf(cache, sizeof cache, "%s/c/piiscan", dir);
}

static void teardown(void)
{
    t_rmrf(dir);
    free(dir);
}

TestSuite(dbcache, .init = setup, .fini = teardown);

/* Compiles the built-in catalogue plus ROW with the cache in `cdir`; returns where the
 * database came from, and checks that the engine finds both detectors. */
static enum db_origin compile(const char *cdir)
{
    pii_error err = PII_ERROR_INIT;
    pii_detectors *d = NULL;
    cr_assert_eq(pii_detectors_new(&d, &err), PII_OK);
    cr_assert_eq(pii_detectors_load_builtin(d, &err), PII_OK);
    cr_assert_eq(pii_detectors_load_mem(d, ROW, strlen(ROW), "my.tsv", &err), PII_OK, "%s",
                 err.msg);
    pii_engine_opts o;
    pii_engine_opts_init(&o);
    o.cache_dir = cdir;
    pii_engine *e = NULL;
    cr_assert_eq(pii_engine_compile(d, &o, &e, &err), PII_OK, "%s", err.msg);
    pii_detectors_free(d);
    struct tfinds f = t_scan(e, TEXT, strlen(TEXT), 0, 0);
    cr_expect_eq(t_count(&f, "employee_id", "EMP-123456"), 1);
    cr_expect_eq(t_count(&f, "email", NULL), 1);
    t_free(&f);
    enum db_origin got = engine_db_origin(e);
    pii_engine_free(e);
    return got;
}

/* The one cache file's path into out; the number of files in the cache directory. */
static size_t cache_files(char *out, size_t cap)
{
    DIR *d = opendir(cache);
    if (!d) return 0;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        if (de->d_name[0] != '.') {
            n++;
            if (out) snprintf(out, cap, "%s/%s", cache, de->d_name);
        }
    closedir(d);
    return n;
}

Test(dbcache, cold_start_writes_warm_start_reads)
{
    cr_assert_eq(compile(cache), DB_CACHE_WRITTEN);
    char file[1200];
    cr_assert_eq(cache_files(file, sizeof file), 1);
    cr_expect(strstr(file, ".hsdb"));
    cr_assert_eq(compile(cache), DB_CACHE_LOADED);
    cr_assert_eq(compile(cache), DB_CACHE_LOADED);
    cr_expect_eq(cache_files(NULL, 0), 1, "no temporary file left behind");
}

Test(dbcache, builtin_catalogue_needs_no_cache)
{
    pii_detectors *d = NULL;
    pii_engine *e = NULL;
    cr_assert_eq(pii_detectors_new(&d, NULL), PII_OK);
    cr_assert_eq(pii_detectors_load_builtin(d, NULL), PII_OK);
    pii_engine_opts o;
    pii_engine_opts_init(&o);
    o.cache_dir = cache;
    cr_assert_eq(pii_engine_compile(d, &o, &e, NULL), PII_OK);
    cr_expect_eq(engine_db_origin(e), DB_BUILTIN);
    cr_expect_eq(cache_files(NULL, 0), 0);
    pii_engine_free(e);
    pii_detectors_free(d);
}

Test(dbcache, corrupt_truncated_and_foreign_files_are_rebuilt)
{
    cr_assert_eq(compile(cache), DB_CACHE_WRITTEN);
    char file[1200];
    cr_assert_eq(cache_files(file, sizeof file), 1);
    size_t len;
    char *good = t_slurp(file, &len);
    cr_assert_gt(len, 100);

    /* a flipped byte inside Hyperscan's bytes */
    char *bad = malloc(len);
    memcpy(bad, good, len);
    bad[len / 2] ^= 0x5a;
    bad[len / 2 + 1] ^= 0x5a;
    t_write(file, bad, len);
    enum db_origin o = compile(cache);
    cr_expect(o == DB_CACHE_WRITTEN || o == DB_CACHE_LOADED, "origin %d", (int)o);
    /* Hyperscan has no checksum of its bytecode; a flip it accepts must still scan right
     * (checked in compile()). A flip in the header is always caught: */
    memcpy(bad, good, len);
    bad[20] ^= 1; /* the key */
    t_write(file, bad, len);
    cr_expect_eq(compile(cache), DB_CACHE_WRITTEN, "foreign key");
    t_write(file, good, len / 2);
    cr_expect_eq(compile(cache), DB_CACHE_WRITTEN, "truncated");
    t_write(file, "garbage", 7);
    cr_expect_eq(compile(cache), DB_CACHE_WRITTEN, "garbage");
    /* a good file with bytes appended */
    char *longer = malloc(len + 1);
    memcpy(longer, good, len);
    longer[len] = 'x';
    t_write(file, longer, len + 1);
    cr_expect_eq(compile(cache), DB_CACHE_WRITTEN, "trailing bytes");
    cr_expect_eq(compile(cache), DB_CACHE_LOADED, "rebuilt file is good");
    free(longer);
    free(bad);
    free(good);
}

Test(dbcache, unwritable_directory_is_not_an_error)
{
    char blocker[700];
    snprintf(blocker, sizeof blocker, "%s/file", dir);
    t_write(blocker, "x", 1);
    char under[800];
    snprintf(under, sizeof under, "%s/piiscan", blocker); /* below a regular file */
    cr_expect_eq(compile(under), DB_COMPILED);
    cr_expect_eq(compile(NULL), DB_COMPILED);
}

Test(dbcache, cli_uses_xdg_cache_home_and_no_cache_writes_nothing)
{
    char xdg[700], pat[700], in[700];
    snprintf(xdg, sizeof xdg, "%s/c", dir);
    snprintf(pat, sizeof pat, "%s/my.tsv", dir);
    snprintf(in, sizeof in, "%s/in.log", dir);
    t_write(pat, ROW, strlen(ROW));
    t_write(in, TEXT, strlen(TEXT));
    setenv("XDG_CACHE_HOME", xdg, 1);
    const char *a1[] = {"--no-cache", "--patterns", pat, in, NULL};
    struct t_run r = t_exec(a1, NULL, 0);
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_expect_eq(cache_files(NULL, 0), 0, "--no-cache wrote a file");
    char *ref = strndup(r.out, r.out_len);
    t_run_free(&r);
    const char *a2[] = {"--patterns", pat, in, NULL};
    for (int i = 0; i < 2; i++) { /* cold, then warm: the same records */
        r = t_exec(a2, NULL, 0);
        cr_assert_eq(r.status, 1, "%s", r.err);
        cr_expect_eq(cache_files(NULL, 0), 1);
        cr_expect(r.out_len > 100 && !strncmp(r.out, ref, strcspn(ref, "\n")));
        t_run_free(&r);
    }
    free(ref);
}

static const char SUBSET_TEXT[] = "mail jane.doe@acme-corp.com from 173.234.31.186 call (415) "
                                  "872-2671 token ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5\n";

/* The built-in catalogue narrowed to `spec`, compiled with the cache in cdir (NULL: none);
 * returns where its database came from and the number of findings in SUBSET_TEXT. */
static enum db_origin subset(const char *spec, const char *cdir, size_t *found)
{
    pii_error err = PII_ERROR_INIT;
    pii_detectors *d = NULL;
    cr_assert_eq(pii_detectors_new(&d, &err), PII_OK);
    cr_assert_eq(pii_detectors_load_builtin(d, &err), PII_OK);
    cr_assert_eq(pii_detectors_select(d, spec, 0, &err), PII_OK, "%s", err.msg);
    pii_engine_opts o;
    pii_engine_opts_init(&o);
    o.cache_dir = cdir;
    pii_engine *e = NULL;
    cr_assert_eq(pii_engine_compile(d, &o, &e, &err), PII_OK, "%s", err.msg);
    pii_detectors_free(d);
    struct tfinds f = t_scan(e, SUBSET_TEXT, strlen(SUBSET_TEXT), 0, 0);
    *found = f.n;
    cr_expect_eq(t_count(&f, "api_token", NULL), strstr(spec, "api_token") ? 1 : 0);
    cr_expect_eq(t_count(&f, "aws_access_key", NULL), 0);
    t_free(&f);
    enum db_origin got = engine_db_origin(e);
    pii_engine_free(e);
    return got;
}

/* A subset of the built-in detectors scans a database of its own (not the whole catalogue,
 * masked): compiled once into the cache, then loaded; the same findings either way. */
Test(dbcache, builtin_subset_gets_its_own_database)
{
    const char *spec = "email,phone,ipv4,api_token";
    size_t masked, cold, warm;
    cr_assert_eq(subset(spec, NULL, &masked), DB_BUILTIN);
    cr_assert_eq(masked, 4);
    cr_assert_eq(subset(spec, cache, &cold), DB_CACHE_WRITTEN);
    cr_assert_eq(subset(spec, cache, &warm), DB_CACHE_LOADED);
    cr_expect_eq(cold, masked);
    cr_expect_eq(warm, masked);
    cr_expect_eq(cache_files(NULL, 0), 1);
}

/* A warm start needs no compiler (the first call compiled: a new process is needed to show
 * the compiler is not loaded, see the CLI test below); a cold one without it falls back to
 * the built-in database, masked. */
Test(dbcache, builtin_subset_cold_without_the_compiler_is_masked)
{
    setenv("PIISCAN_LIBHS", "/nonexistent/libhs.so.5", 1);
    size_t n;
    cr_assert_eq(subset("email,phone", cache, &n), DB_BUILTIN);
    cr_expect_eq(n, 2);
    cr_expect_eq(cache_files(NULL, 0), 0);
    unsetenv("PIISCAN_LIBHS");
}

/* Through the binary: the second run of a subset loads the cache and never maps libhs. */
Test(dbcache, cli_builtin_subset_warm_start_loads_no_compiler)
{
    char in[700], xdg[700];
    snprintf(in, sizeof in, "%s/in.log", dir);
    snprintf(xdg, sizeof xdg, "%s/c", dir);
    t_write(in, SUBSET_TEXT, strlen(SUBSET_TEXT));
    setenv("XDG_CACHE_HOME", xdg, 1);
    setenv("LD_DEBUG", "files", 1);
    const char *argv[] = {"--detectors", "email,ipv4", "--format", "summary", in, NULL};
    for (int run = 0; run < 2; run++) {
        struct t_run r = t_exec(argv, NULL, 0);
        cr_expect_eq(r.status, 1, "%.300s", r.err);
        cr_expect(strstr(r.err, "file=libc.so"), "LD_DEBUG shows what is loaded");
        if (run == 0)
            cr_expect(strstr(r.err, "libhs.so"), "cold: the compiler is loaded");
        else
            cr_expect(!strstr(r.err, "libhs.so"), "warm: no compiler");
        t_run_free(&r);
    }
    unsetenv("LD_DEBUG");
    unsetenv("XDG_CACHE_HOME");
    cr_expect_eq(cache_files(NULL, 0), 1);
}
