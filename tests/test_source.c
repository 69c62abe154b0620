/* test_source.c: the source layer (pii_source_*): sniffing, every decoder and archive format,
 * nesting, names, limits, corrupt and truncated inputs, skipped members. Fixtures are
 * generated at test time with zlib, zstd and libarchive's writer. */
#define _GNU_SOURCE
#include "source.h"
#include "testutil.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

TestSuite(source, .init = t_dir_setup, .fini = t_dir_teardown, .timeout = 120);

static const char TEXT[] = "line one jane.doe@acme-corp.com\nline two 4539 1488 0343 6467\n";

/* What a whole source yielded: members (with up to 1 MiB of their data) and errors. */
struct rm {
    char name[512];
    char skip[32];
    char fmt[64];
    unsigned depth;
    char *data;
    size_t len;
};
struct res {
    struct rm m[64];
    size_t n;
    pii_status err[16];
    char errmem[16][512];
    char errmsg[16][256];
    char errorigin[16][256];
    size_t nerr;
    pii_source_stats st;
};

static void add_err(struct res *r, pii_source *s, pii_status st, const pii_error *e)
{
    if (r->nerr < 16) {
        r->err[r->nerr] = st;
        snprintf(r->errmem[r->nerr], sizeof r->errmem[0], "%s", pii_source_error_member(s));
        snprintf(r->errmsg[r->nerr], sizeof r->errmsg[0], "%s", e->msg);
        snprintf(r->errorigin[r->nerr], sizeof r->errorigin[0], "%s", e->origin);
    }
    r->nerr++;
}

static struct res *drain_src(pii_source *s)
{
    struct res *r = calloc(1, sizeof *r);
    cr_assert(r);
    pii_error err = PII_ERROR_INIT;
    const pii_member *m;
    for (int guard = 0; guard < 1000; guard++) {
        pii_status st = pii_source_next_member(s, &m, &err);
        if (st == PII_END) break;
        if (st < 0) {
            add_err(r, s, st, &err);
            continue;
        }
        cr_assert_eq(st, PII_OK);
        cr_assert(r->n < 64);
        struct rm *x = &r->m[r->n++];
        snprintf(x->name, sizeof x->name, "%s", m->name);
        snprintf(x->fmt, sizeof x->fmt, "%s", m->format);
        cr_expect_eq(strlen(m->name), m->name_len);
        x->depth = m->depth;
        if (m->skip) {
            snprintf(x->skip, sizeof x->skip, "%s", m->skip);
            continue;
        }
        const void *b;
        size_t len;
        size_t kept = 0;
        while ((st = pii_source_read(s, &b, &len, &err)) == PII_OK) {
            cr_assert(len > 0);
            size_t take = len < (1u << 20) - kept ? len : (1u << 20) - kept;
            if (take) {
                x->data = realloc(x->data, kept + take + 1);
                memcpy(x->data + kept, b, take);
                kept += take;
                x->data[kept] = 0;
            }
            x->len += len;
        }
        if (st < 0) add_err(r, s, st, &err);
    }
    pii_source_stats_get(s, &r->st);
    return r;
}

static struct res *drain(const char *path, const pii_source_opts *o)
{
    pii_source *s = NULL;
    pii_error err = PII_ERROR_INIT;
    cr_assert_eq(pii_source_open_path(path, o, &s, &err), PII_OK, "%s", err.msg);
    struct res *r = drain_src(s);
    pii_source_free(s);
    return r;
}

static void res_free(struct res *r)
{
    for (size_t i = 0; i < r->n; i++) free(r->m[i].data);
    free(r);
}

static const struct rm *find(const struct res *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->m[i].name, name)) return &r->m[i];
    return NULL;
}

Test(source, plain_and_name_is_ignored)
{
    t_write(t_path("a.gz"), TEXT, strlen(TEXT)); /* a .gz that is plain text */
    struct res *r = drain(t_path("a.gz"), NULL);
    cr_assert_eq(r->n, 1);
    cr_expect_str_eq(r->m[0].name, "");
    cr_expect_str_eq(r->m[0].fmt, "plain");
    cr_expect_eq(r->m[0].depth, 0);
    cr_expect_str_eq(r->m[0].data, TEXT);
    cr_expect_eq(r->nerr, 0);
    cr_expect_eq(r->st.members, 0);
    cr_expect_eq(r->st.compressed_bytes, strlen(TEXT));
    res_free(r);

    t_write(t_path("empty.log"), "", 0);
    r = drain(t_path("empty.log"), NULL);
    cr_assert_eq(r->n, 1);
    cr_expect_eq(r->m[0].len, 0);
    cr_expect_eq(r->nerr, 0);
    res_free(r);
}

Test(source, gzip_both_inflaters_and_multi_member)
{
    /* a .log that is really gzip, and two members concatenated */
    t_gzip(t_path("a.log"), TEXT, strlen(TEXT));
    size_t n;
    char *one = t_slurp(t_path("a.log"), &n);
    char *two = malloc(2 * n);
    memcpy(two, one, n);
    memcpy(two + n, one, n);
    t_write(t_path("two.gz"), two, 2 * n);
    /* a big one, to cross buffer edges */
    size_t big_len = 3u << 20;
    char *big = malloc(big_len);
    for (size_t i = 0; i < big_len; i++) big[i] = (char)('a' + (i * 7 + i / 13) % 26);
    t_gzip(t_path("big.gz"), big, big_len);
    for (int force = 0; force < 2; force++) {
        pii_source_opts o;
        pii_source_opts_init(&o);
        if (force) o.flags = PII_SOURCE_FORCE_ZLIB;
        if (force) cr_expect_str_eq(pii_source_gzip_impl(&o), "zlib");
        struct res *r = drain(t_path("a.log"), &o);
        cr_assert_eq(r->n, 1);
        cr_expect_str_eq(r->m[0].fmt, "gzip");
        cr_expect_str_eq(r->m[0].data, TEXT);
        cr_expect_eq(r->nerr, 0, "%s", r->errmsg[0]);
        cr_expect_eq(r->st.compressed_bytes, n);
        cr_expect_eq(r->st.expanded_bytes, strlen(TEXT));
        res_free(r);
        r = drain(t_path("two.gz"), &o);
        cr_assert_eq(r->n, 1);
        cr_expect_eq(r->m[0].len, 2 * strlen(TEXT), "both members (%s)", pii_source_gzip_impl(&o));
        cr_expect_eq(r->nerr, 0, "%s", r->errmsg[0]);
        res_free(r);
        r = drain(t_path("big.gz"), &o);
        cr_assert_eq(r->n, 1);
        cr_expect_eq(r->m[0].len, big_len);
        cr_expect_eq(memcmp(r->m[0].data, big, 1u << 20), 0);
        cr_expect_eq(r->nerr, 0, "%s", r->errmsg[0]);
        res_free(r);
    }
    free(big);
    free(one);
    free(two);
}

Test(source, zstd_frames)
{
    t_zstd(t_path("a.zst"), TEXT, strlen(TEXT));
    size_t n;
    char *one = t_slurp(t_path("a.zst"), &n);
    char *two = malloc(2 * n);
    memcpy(two, one, n);
    memcpy(two + n, one, n);
    t_write(t_path("two.zst"), two, 2 * n);
    struct res *r = drain(t_path("two.zst"), NULL);
    cr_assert_eq(r->n, 1);
    cr_expect_str_eq(r->m[0].fmt, "zstd");
    cr_expect_eq(r->m[0].len, 2 * strlen(TEXT));
    cr_expect_eq(r->nerr, 0, "%s", r->errmsg[0]);
    res_free(r);
    free(one);
    free(two);
}

/* Many frames of varied sizes, so that some frame's magic is split between two reads of the
 * layer's input; then a zstd 0.7 ("legacy") frame after a good one: refused with an error, the
 * good frame's bytes kept (libzstd's legacy decoder returned uninitialised memory for one). */
Test(source, zstd_frame_magics_are_checked)
{
    size_t cap = 24 << 20, len = 0, want_len = 0;
    char *all = malloc(cap), *want = malloc(cap);
    cr_assert(all && want);
    char line[64];
    for (int i = 0; i < 20000; i++) {
        int k = snprintf(line, sizeof line, "frame %d %.*s\n", i, i % 11, "abcdefghijk");
        memcpy(want + want_len, line, (size_t)k);
        want_len += (size_t)k;
        size_t n = ZSTD_compress(all + len, cap - len, line, (size_t)k, 3);
        cr_assert(!ZSTD_isError(n));
        len += n;
    }
    t_write(t_path("many.zst"), all, len);
    struct res *r = drain(t_path("many.zst"), NULL);
    cr_assert_eq(r->n, 1);
    cr_expect_eq(r->nerr, 0, "%s", r->errmsg[0]);
    cr_expect_eq(r->m[0].len, want_len);
    cr_expect(r->m[0].len == want_len && !memcmp(r->m[0].data, want, want_len));
    res_free(r);
    /* one RLE block of 6025 bytes 0x95, then a frame with the v0.7 magic 0xFD2FB527 */
    static const unsigned char legacy[] = {0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x50, 0x4b, 0xbc, 0x00,
                                           0x95, 0x27, 0xb5, 0x2f, 0xfd, 0x00, 0x50, 0x4b, 0xbc,
                                           0x00, 0x0b, 0xd0, 0xff, 0xff, 0xff, 0x0b};
    t_write(t_path("legacy.zst"), (const char *)legacy, sizeof legacy);
    r = drain(t_path("legacy.zst"), NULL);
    cr_assert_eq(r->n, 1);
    cr_expect_eq(r->m[0].len, 6025, "the good frame's bytes, nothing more");
    bool same = true;
    for (size_t i = 0; i < r->m[0].len && i < 6025; i++) same = same && r->m[0].data[i] == '\x95';
    cr_expect(same);
    cr_assert_eq(r->nerr, 1);
    cr_expect(strstr(r->errmsg[0], "not a zstd frame"), "%s", r->errmsg[0]);
    res_free(r);
    free(all);
    free(want);
}

struct fmt_case {
    char format[8];
    char filter[8];
    char want_fmt[32];
};

static struct fmt_case fmt_cases[] = {
    {"tar", "none", "tar"},  {"tar", "gzip", "gzip+tar"}, {"tar", "bzip2", "bzip2+tar"},
    {"tar", "xz", "xz+tar"}, {"tar", "zstd", "zstd+tar"}, {"tar", "lz4", "lz4+tar"},
    {"zip", "none", "zip"},  {"7z", "none", "7z"},        {"cpio", "gzip", "gzip+cpio"},
    {"ar", "none", "ar"},    {"iso", "none", "iso9660"},  {"zip", "gzip", "gzip+zip"},
};

ParameterizedTestParameters(source, every_format)
{
    return cr_make_param_array(struct fmt_case, fmt_cases, sizeof fmt_cases / sizeof fmt_cases[0]);
}

ParameterizedTest(struct fmt_case *c, source, every_format)
{
    const char *n1 = strcmp(c->format, "ar") ? "logs/app.log" : "app.log";
    const char *n2 = strcmp(c->format, "ar") ? "logs/b.txt" : "b.txt";
    struct t_entry e[] = {{n1, TEXT, strlen(TEXT), 0, NULL}, {n2, "hello\n", 6, 0, NULL}};
    t_archive(t_path("x.bin"), c->format, c->filter, e, 2, NULL, NULL);
    struct res *r = drain(t_path("x.bin"), NULL);
    cr_expect_eq(r->nerr, 0, "%s/%s: %s", c->format, c->filter, r->errmsg[0]);
    const struct rm *a = find(r, n1), *b = find(r, n2);
    cr_assert(a && b, "%s/%s: %zu members, first '%s'", c->format, c->filter, r->n,
              r->n ? r->m[0].name : "");
    cr_expect_str_eq(a->data, TEXT);
    cr_expect_eq(b->len, 6);
    cr_expect_eq(a->depth, 1);
    cr_expect_eq(r->st.members, 2);
    res_free(r);
}

/* A pipe that waits is decided on what came (source_sniff_text): never for the first bytes of
 * a compressed stream or an archive, whatever their length, and for a log once a line and 32
 * bytes are in. */
Test(source, an_early_text_decision_is_never_an_archive)
{
    size_t checked = 0;
    for (size_t i = 0; i < sizeof fmt_cases / sizeof *fmt_cases; i++) {
        const struct fmt_case *c = &fmt_cases[i];
        struct t_entry e[] = {{"logs/app.log", TEXT, strlen(TEXT), 0, NULL},
                              {"logs/b.txt", "hello\n", 6, 0, NULL}};
        t_archive(t_path("x.bin"), c->format, c->filter, e, 2, NULL, NULL);
        FILE *f = fopen(t_path("x.bin"), "rb");
        cr_assert(f);
        static uint8_t buf[SNIFF_MAX];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        cr_assert_neq(source_sniff(buf, n), SNIFF_PLAIN, "%s/%s", c->format, c->filter);
        for (size_t k = 0; k <= n && k < SNIFF_MAX; k++, checked++)
            cr_assert(!source_sniff_text(buf, k), "%s/%s: text after %zu bytes", c->format,
                      c->filter, k);
    }
    /* the fuzz seeds of every compression and archive the source reads */
    static const char *const seeds[] = {"gzip-isal", "gzip-of-gzip", "zstd",       "zstd-of-gzip",
                                        "tar",       "tar-gz",       "zip",        "zip64",
                                        "nested",    "zip-in-zip",   "tar-of-zstd"};
    for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/corpora/fuzz/fuzz_source/%s", PII_SOURCE_DIR, seeds[i]);
        FILE *f = fopen(path, "rb");
        cr_assert(f, "%s", path);
        static uint8_t buf[SNIFF_MAX];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        for (size_t k = 0; k <= n && k < SNIFF_MAX; k++, checked++)
            cr_assert(!source_sniff_text(buf, k), "%s: text after %zu bytes", seeds[i], k);
    }
    cr_expect_gt(checked, 10000);
    /* a log: once it has a line end and 32 bytes */
    static const char log[] = "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user\nnext";
    for (size_t k = 0; k <= sizeof log - 1; k++)
        cr_expect_eq(source_sniff_text((const uint8_t *)log, k), k >= 48, "%zu bytes of a log line",
                     k);
    cr_expect(!source_sniff_text((const uint8_t *)"a log line with a NUL\0 in it, and more\n", 40));
}

/* a zip inside a tar.gz inside a zip, and a .gz member inside the tar */
static void make_nested(void)
{
    struct t_entry in[] = {{"deep/c.csv", TEXT, strlen(TEXT), 0, NULL}};
    t_archive(t_path("inner.zip"), "zip", "none", in, 1, NULL, NULL);
    size_t zl, gl;
    char *z = t_slurp(t_path("inner.zip"), &zl);
    t_gzip(t_path("m.gz"), TEXT, strlen(TEXT));
    char *g = t_slurp(t_path("m.gz"), &gl);
    struct t_entry mid[] = {{"inner.zip", z, zl, 0, NULL}, {"m.log.gz", g, gl, 0, NULL}};
    t_archive(t_path("mid.tgz"), "tar", "gzip", mid, 2, NULL, NULL);
    size_t ml;
    char *m = t_slurp(t_path("mid.tgz"), &ml);
    struct t_entry out[] = {{"mid.tar.gz", m, ml, 0, NULL}, {"top.txt", "x\n", 2, 0, NULL}};
    t_archive(t_path("outer.zip"), "zip", "none", out, 2, NULL, NULL);
    free(z);
    free(g);
    free(m);
}

Test(source, nested_archives_and_names)
{
    make_nested();
    struct res *r = drain(t_path("outer.zip"), NULL);
    cr_expect_eq(r->nerr, 0, "%s", r->errmsg[0]);
    const struct rm *c = find(r, "mid.tar.gz!inner.zip!deep/c.csv");
    cr_assert(c, "nested member missing (%zu members, first %s)", r->n, r->n ? r->m[0].name : "");
    cr_expect_str_eq(c->data, TEXT);
    cr_expect_eq(c->depth, 3);
    const struct rm *g = find(r, "mid.tar.gz!m.log.gz");
    cr_assert(g);
    cr_expect_str_eq(g->fmt, "gzip");
    cr_expect_str_eq(g->data, TEXT);
    cr_expect(find(r, "top.txt"));
    cr_expect_eq(r->st.max_depth_seen, 3);
    res_free(r);

    /* depth 2 allowed: the innermost zip is an error, its siblings are still read */
    pii_source_opts o;
    pii_source_opts_init(&o);
    o.max_depth = 2;
    r = drain(t_path("outer.zip"), &o);
    cr_assert_eq(r->nerr, 1);
    cr_expect_eq(r->err[0], PII_ERR_LIMIT);
    cr_expect_str_eq(r->errmem[0], "mid.tar.gz!inner.zip");
    cr_expect(strstr(r->errmsg[0], "max-archive-depth"));
    cr_expect(find(r, "mid.tar.gz!m.log.gz"));
    cr_expect(find(r, "top.txt"));
    res_free(r);
}

Test(source, stdin_zip_is_spooled)
{
    make_nested();
    size_t n;
    char *data = t_slurp(t_path("outer.zip"), &n);
    int p[2];
    cr_assert_eq(pipe(p), 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        for (size_t off = 0; off < n;) {
            ssize_t w = write(p[1], data + off, n - off);
            if (w <= 0) _exit(1);
            off += (size_t)w;
        }
        _exit(0);
    }
    close(p[1]);
    pii_source *s = NULL;
    pii_error err = PII_ERROR_INIT;
    pii_source_opts o;
    pii_source_opts_init(&o);
    o.tmp_dir = t_dir;
    cr_assert_eq(pii_source_open_fd(p[0], "-", &o, &s, &err), PII_OK);
    struct res *r = drain_src(s);
    pii_source_free(s);
    close(p[0]);
    waitpid(pid, NULL, 0);
    cr_expect_eq(r->nerr, 0, "%s", r->errmsg[0]);
    cr_expect(find(r, "mid.tar.gz!inner.zip!deep/c.csv"));
    cr_expect(find(r, "top.txt"));
    res_free(r);
    free(data);
}

/* An fd handed over part-way into a file: the source starts there. The end of a regular file
 * is known from its size (no read to be told), and an archive's start from where the fd was,
 * so both must hold when the fd did not start at 0. */
static struct res *drain_fd_at(const char *path, const char *skip, size_t skip_len)
{
    size_t n;
    char *data = t_slurp(path, &n);
    char *joined = malloc(skip_len + n);
    cr_assert(joined);
    memcpy(joined, skip, skip_len);
    memcpy(joined + skip_len, data, n);
    t_write(t_path("joined"), joined, skip_len + n);
    free(joined);
    free(data);
    int fd = open(t_path("joined"), O_RDONLY);
    cr_assert(fd >= 0);
    cr_assert_eq(lseek(fd, (off_t)skip_len, SEEK_SET), (off_t)skip_len);
    pii_source *s = NULL;
    pii_error err = PII_ERROR_INIT;
    cr_assert_eq(pii_source_open_fd(fd, "j", NULL, &s, &err), PII_OK);
    struct res *r = drain_src(s);
    pii_source_free(s);
    close(fd);
    return r;
}

Test(source, fd_not_at_the_start)
{
    static const char skip[] = "not part of the input\n";
    t_write(t_path("t.txt"), TEXT, strlen(TEXT));
    struct res *r = drain_fd_at(t_path("t.txt"), skip, strlen(skip));
    cr_assert_eq(r->n, 1);
    cr_expect_eq(r->m[0].len, strlen(TEXT));
    cr_expect_str_eq(r->m[0].data, TEXT);
    cr_expect_eq(r->nerr, 0);
    res_free(r);

    /* the file's size exactly as the fd starts (a size equal to what was read means the end
     * only when the fd started at 0) */
    r = drain_fd_at(t_path("t.txt"), TEXT, strlen(TEXT));
    cr_assert_eq(r->n, 1);
    cr_expect_str_eq(r->m[0].data, TEXT);
    res_free(r);

    make_nested(); /* a zip read with seeks: they are relative to where the fd started */
    r = drain_fd_at(t_path("outer.zip"), skip, strlen(skip));
    cr_expect_eq(r->nerr, 0, "%s", r->errmsg[0]);
    const struct rm *c = find(r, "mid.tar.gz!inner.zip!deep/c.csv");
    cr_assert(c);
    cr_expect_str_eq(c->data, TEXT);
    cr_expect(find(r, "top.txt"));
    res_free(r);

    struct t_entry e[] = {{"a.log", TEXT, strlen(TEXT), 0, NULL}};
    t_archive(t_path("a.tar"), "tar", "none", e, 1, NULL, NULL);
    r = drain_fd_at(t_path("a.tar"), skip, strlen(skip));
    cr_expect_eq(r->nerr, 0, "%s", r->errmsg[0]);
    cr_assert(find(r, "a.log"));
    cr_expect_str_eq(find(r, "a.log")->data, TEXT);
    res_free(r);
}

/* A file larger than the sniffer's buffer and the read size: its bytes come from the sniffed
 * prefix without a copy, then from reads, all of them once and in order. */
Test(source, large_plain_in_order)
{
    size_t n = 3u * 256u * 1024u + 12345u;
    char *big = malloc(n);
    cr_assert(big);
    for (size_t i = 0; i < n; i++) big[i] = (char)('a' + (i * 7 + i / 4099) % 26);
    t_write(t_path("big.txt"), big, n);
    pii_source *s = NULL;
    pii_error err = PII_ERROR_INIT;
    cr_assert_eq(pii_source_open_path(t_path("big.txt"), NULL, &s, &err), PII_OK);
    const pii_member *m;
    cr_assert_eq(pii_source_next_member(s, &m, &err), PII_OK);
    size_t at = 0;
    const void *b;
    size_t len;
    pii_status st;
    while ((st = pii_source_read(s, &b, &len, &err)) == PII_OK) {
        cr_assert(at + len <= n);
        cr_assert_eq(memcmp(b, big + at, len), 0, "bytes at %zu", at);
        at += len;
    }
    cr_expect_eq(st, PII_END);
    cr_expect_eq(at, n);
    pii_source_free(s);
    free(big);
}

/* PII_SOURCE_REGULAR_FILE (a walk's regular file: no fstat, a short read is its end): every
 * byte of files around the sniffer's and the read size's edges, and an archive (read with
 * seeks from where the input began) is still one. */
Test(source, regular_file_flag)
{
    const size_t sizes[] = {
        0, 1, 4000, 0x8010 - 1, 0x8010, 0x8010 + 1, 256u * 1024u + 77u, 3u * 256u * 1024u};
    char *big = malloc(3u * 256u * 1024u);
    cr_assert(big);
    for (size_t i = 0; i < 3u * 256u * 1024u; i++) big[i] = (char)('a' + (i * 7 + i / 4099) % 26);
    pii_source_opts o;
    pii_source_opts_init(&o);
    o.flags = PII_SOURCE_REGULAR_FILE;
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        t_write(t_path("r.txt"), big, sizes[k]);
        int fd = open(t_path("r.txt"), O_RDONLY);
        cr_assert(fd >= 0);
        pii_source *s = NULL;
        pii_error err = PII_ERROR_INIT;
        cr_assert_eq(pii_source_open_fd(fd, "r.txt", &o, &s, &err), PII_OK);
        struct res *r = drain_src(s);
        cr_assert_eq(r->n, 1, "size %zu", sizes[k]);
        cr_expect_eq(r->m[0].len, sizes[k], "size %zu: %zu bytes", sizes[k], r->m[0].len);
        size_t kept = sizes[k] < (1u << 20) ? sizes[k] : (1u << 20);
        cr_expect(!kept || !memcmp(r->m[0].data, big, kept), "size %zu: bytes differ", sizes[k]);
        cr_expect_eq(r->st.compressed_bytes, sizes[k]);
        cr_expect_eq(r->nerr, 0);
        res_free(r);
        pii_source_free(s);
        close(fd);
    }
    free(big);
    struct t_entry e[] = {{"a.txt", TEXT, strlen(TEXT), 0, NULL},
                          {"b.txt", "second\n", 7, 0, NULL}};
    t_archive(t_path("r.tar"), "tar", "none", e, 2, NULL, NULL);
    t_archive(t_path("r.zip"), "zip", "none", e, 2, NULL, NULL);
    const char *arcs[] = {"r.tar", "r.zip"};
    for (int i = 0; i < 2; i++) {
        int fd = open(t_path(arcs[i]), O_RDONLY);
        cr_assert(fd >= 0);
        pii_source *s = NULL;
        pii_error err = PII_ERROR_INIT;
        cr_assert_eq(pii_source_open_fd(fd, arcs[i], &o, &s, &err), PII_OK);
        struct res *r = drain_src(s);
        cr_assert_eq(r->n, 2, "%s", arcs[i]);
        cr_expect_str_eq(r->m[0].data, TEXT, "%s", arcs[i]);
        cr_expect_eq(r->nerr, 0, "%s: %s", arcs[i], r->errmsg[0]);
        res_free(r);
        pii_source_free(s);
        close(fd);
    }
}

/* ISA-L is loaded on first use; when it cannot be, gzip falls back to zlib and says so. */
Test(source, gzip_without_isal_is_zlib)
{
    setenv("PIISCAN_LIBISAL", "/nonexistent/libisal.so.2", 1);
    cr_expect_str_eq(pii_source_gzip_impl(NULL), "zlib");
    t_gzip(t_path("z.gz"), TEXT, strlen(TEXT));
    struct res *r = drain(t_path("z.gz"), NULL);
    cr_assert_eq(r->n, 1);
    cr_expect_str_eq(r->m[0].data, TEXT);
    cr_expect_eq(r->nerr, 0);
    res_free(r);
}

Test(source, empty_archives)
{
    t_archive(t_path("e.tar"), "tar", "none", NULL, 0, NULL, NULL);
    t_archive(t_path("e.zip"), "zip", "none", NULL, 0, NULL, NULL);
    t_archive(t_path("e.tgz"), "tar", "gzip", NULL, 0, NULL, NULL);
    t_gzip(t_path("e.gz"), "", 0);
    const char *names[] = {"e.tar", "e.zip", "e.tgz"};
    for (int i = 0; i < 3; i++) {
        struct res *r = drain(t_path(names[i]), NULL);
        cr_expect_eq(r->n, 0, "%s", names[i]);
        cr_expect_eq(r->nerr, 0, "%s: %s", names[i], r->errmsg[0]);
        res_free(r);
    }
    struct res *r = drain(t_path("e.gz"), NULL);
    cr_assert_eq(r->n, 1);
    cr_expect_eq(r->m[0].len, 0);
    cr_expect_eq(r->nerr, 0);
    res_free(r);
}

Test(source, odd_names_special_members_and_encryption)
{
    struct t_entry e[] = {
        {"a\nb\x01.log", TEXT, strlen(TEXT), 0, NULL},
        {"../../etc/evil", "x\n", 2, 0, NULL},
        {"bad\xff\xfe.txt", "y\n", 2, 0, NULL},
        {"dir", NULL, 0, 'd', NULL},
        {"link", NULL, 0, 'l', "../../etc/passwd"},
        {"hard", NULL, 0, 'h', "../../etc/evil"},
        {"dev", NULL, 0, 'c', NULL},
    };
    t_archive(t_path("odd.tar"), "tar", "none", e, 7, NULL, NULL);
    struct res *r = drain(t_path("odd.tar"), NULL);
    cr_expect_eq(r->nerr, 0, "%s", r->errmsg[0]);
    cr_expect(find(r, "a\nb\x01.log"), "names are raw bytes");
    cr_expect(find(r, "../../etc/evil"));
    cr_expect(find(r, "bad\xff\xfe.txt"));
    cr_expect_null(find(r, "dir"), "directories are not members");
    const struct rm *l = find(r, "link"), *h = find(r, "hard"), *d = find(r, "dev");
    cr_assert(l && h && d);
    cr_expect_str_eq(l->skip, "symlink");
    cr_expect_str_eq(h->skip, "hardlink");
    cr_expect_str_eq(d->skip, "special file");
    cr_expect_eq(r->st.skipped, 3);
    res_free(r);

    struct t_entry z[] = {{"secret.log", TEXT, strlen(TEXT), 0, NULL}};
    t_archive(t_path("enc.zip"), "zip", "none", z, 1, "zip:encryption=zipcrypt", "pw");
    r = drain(t_path("enc.zip"), NULL);
    cr_assert_eq(r->n, 1);
    cr_expect_str_eq(r->m[0].skip, "encrypted");
    cr_expect_eq(r->nerr, 0, "%s", r->errmsg[0]);
    res_free(r);
}

/* Corrupt one byte at several offsets of each compressed form: an error, never a clean pass,
 * and what was decoded before the damage is a prefix of the truth. */
Test(source, corrupt_and_truncated)
{
    size_t big_len = 200000;
    char *big = malloc(big_len);
    uint32_t seed = 12345;
    for (size_t i = 0; i < big_len; i++) {
        seed = seed * 1103515245u + 12345u;
        big[i] = (seed >> 16) % 9 == 0 ? '\n' : (char)('a' + (seed >> 20) % 26);
    }
    t_gzip(t_path("c.gz"), big, big_len);
    t_zstd(t_path("c.zst"), big, big_len);
    struct t_entry e[] = {{"one.log", big, big_len, 0, NULL}, {"two.log", "tail\n", 5, 0, NULL}};
    t_archive(t_path("c.zip"), "zip", "none", e, 2, NULL, NULL);
    t_archive(t_path("c.tgz"), "tar", "gzip", e, 2, NULL, NULL);
    const char *names[] = {"c.gz", "c.zst", "c.zip", "c.tgz"};
    for (int f = 0; f < 4; f++) {
        size_t n;
        char *orig = t_slurp(t_path(names[f]), &n);
        /* truncated at several points */
        double cuts[] = {0.1, 0.5, 0.9, 0.999};
        for (int c = 0; c < 4; c++) {
            size_t cut = (size_t)((double)n * cuts[c]);
            t_write(t_path("t.bin"), orig, cut);
            for (int force = 0; force < 2; force++) {
                pii_source_opts o;
                pii_source_opts_init(&o);
                o.flags = force ? PII_SOURCE_FORCE_ZLIB : 0;
                struct res *r = drain(t_path("t.bin"), &o);
                /* no error only when nothing was lost (a zip cut in its central directory
                 * still yields every member, read from the local headers) */
                const struct rm *one = find(r, f < 2 ? "" : "one.log");
                bool whole = one && one->len == big_len && (f < 2 || find(r, "two.log"));
                cr_expect(r->nerr >= 1 || whole, "%s cut at %zu of %zu: lost data, no error",
                          names[f], cut, n);
                for (size_t i = 0; i < r->n; i++)
                    if (r->m[i].data && r->m[i].len <= big_len && r->m[i].len > 5)
                        cr_expect_eq(memcmp(r->m[i].data, big, r->m[i].len), 0,
                                     "%s: data before the damage is intact", names[f]);
                if (r->nerr) cr_expect(strstr(r->errorigin[0], "t.bin"), "%s", r->errorigin[0]);
                res_free(r);
            }
        }
        /* one corrupted byte, inside the compressed data */
        size_t offs[] = {40, n / 3, n / 2, n - 30};
        for (int k = 0; k < 4; k++) {
            char *bad = malloc(n);
            memcpy(bad, orig, n);
            bad[offs[k]] ^= 0x55;
            t_write(t_path("b.bin"), bad, n);
            struct res *r = drain(t_path("b.bin"), NULL);
            bool changed = false;
            for (size_t i = 0; i < r->n; i++)
                if (!strcmp(r->m[i].name, "") || !strcmp(r->m[i].name, "one.log"))
                    changed |= r->m[i].len != big_len || memcmp(r->m[i].data, big, big_len);
            cr_expect(r->nerr >= 1 || !changed, "%s byte %zu: silent damage", names[f], offs[k]);
            res_free(r);
            free(bad);
        }
        free(orig);
    }
    free(big);
}

Test(source, limits)
{
    /* a small bomb: 16 MiB of zeros; ratio limit over 1 MiB of output */
    size_t zl = 16u << 20;
    char *zeros = calloc(1, zl);
    t_gzip(t_path("bomb.gz"), zeros, zl);
    t_zstd(t_path("bomb.zst"), zeros, zl);
    struct t_entry e[] = {{"zeros.bin", zeros, zl, 0, NULL},
                          {"after.log", TEXT, strlen(TEXT), 0, NULL}};
    t_archive(t_path("bomb.zip"), "zip", "none", e, 2, NULL, NULL);
    free(zeros);
    pii_source_opts o;
    pii_source_opts_init(&o);
    o.ratio_min = 1u << 20;
    o.max_ratio = 100;
    const char *names[] = {"bomb.gz", "bomb.zst", "bomb.zip"};
    for (int i = 0; i < 3; i++) {
        struct res *r = drain(t_path(names[i]), &o);
        cr_assert_eq(r->nerr, 1, "%s: %zu errors: %s / %s", names[i], r->nerr, r->errmsg[0],
                     r->errmsg[1]);
        cr_expect_eq(r->err[0], PII_ERR_LIMIT);
        cr_expect(strstr(r->errmsg[0], "ratio"), "%s", r->errmsg[0]);
        cr_expect(r->n >= 1 && r->m[0].len >= (512u << 10), "what came before is delivered");
        if (i == 2) {
            cr_expect_str_eq(r->errmem[0], "zeros.bin");
            cr_expect(find(r, "after.log"), "the rest goes on");
        }
        res_free(r);
    }

    /* member size: the member stops at the limit, its sibling is read */
    struct t_entry m[] = {{"big.log", TEXT, strlen(TEXT), 0, NULL},
                          {"small.log", "ok\n", 3, 0, NULL}};
    t_archive(t_path("m.tar"), "tar", "none", m, 2, NULL, NULL);
    pii_source_opts_init(&o);
    o.max_member_size = 10;
    struct res *r = drain(t_path("m.tar"), &o);
    cr_assert_eq(r->nerr, 1);
    cr_expect_eq(r->err[0], PII_ERR_LIMIT);
    cr_expect_str_eq(r->errmem[0], "big.log");
    cr_expect_eq(find(r, "big.log")->len, 10);
    cr_expect_eq(find(r, "small.log")->len, 3);
    cr_expect(strstr(r->errorigin[0], "m.tar!big.log"));
    res_free(r);

    /* member count: input-wide, the rest of the input is not read */
    struct t_entry many[5];
    char nm[5][8];
    for (int i = 0; i < 5; i++) {
        snprintf(nm[i], sizeof nm[i], "f%d", i);
        many[i] = (struct t_entry){nm[i], "x\n", 2, 0, NULL};
    }
    t_archive(t_path("many.tar"), "tar", "none", many, 5, NULL, NULL);
    pii_source_opts_init(&o);
    o.max_members = 3;
    r = drain(t_path("many.tar"), &o);
    cr_expect_eq(r->n, 3);
    cr_assert_eq(r->nerr, 1);
    cr_expect_eq(r->err[0], PII_ERR_LIMIT);
    res_free(r);

    /* input size, over all levels */
    pii_source_opts_init(&o);
    o.max_input_size = 100;
    t_gzip(t_path("t.gz"), TEXT, strlen(TEXT));
    struct t_entry two[] = {{"a", TEXT, strlen(TEXT), 0, NULL}, {"b", TEXT, strlen(TEXT), 0, NULL}};
    t_archive(t_path("two.tgz"), "tar", "gzip", two, 2, NULL, NULL);
    r = drain(t_path("two.tgz"), &o);
    cr_expect_geq(r->nerr, 1);
    cr_expect_eq(r->err[0], PII_ERR_LIMIT);
    res_free(r);
}

/* utf8 as UTF-16 code units, little- or big-endian, after a byte order mark; `extra` code
 * units (raw) are appended, then `odd` bytes. Returns the length. */
static size_t to_utf16(char *out, const char *utf8, bool be, const unsigned *extra, size_t n_extra,
                       size_t odd)
{
    size_t k = 0;
    unsigned units[4];
#define PUT(u) (out[k + !be] = (char)((u) >> 8), out[k + be] = (char)((u)&0xff), k += 2)
    PUT(0xfeffu);
    for (const unsigned char *p = (const unsigned char *)utf8; *p;) {
        unsigned c, len = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
        c = len == 1 ? *p : len == 2 ? *p & 0x1f : len == 3 ? *p & 0x0f : *p & 0x07;
        for (unsigned i = 1; i < len; i++) c = c << 6 | (p[i] & 0x3f);
        p += len;
        size_t nu = 0;
        if (c >= 0x10000) {
            units[nu++] = 0xd800 + ((c - 0x10000) >> 10);
            units[nu++] = 0xdc00 + ((c - 0x10000) & 0x3ff);
        } else {
            units[nu++] = c;
        }
        for (size_t i = 0; i < nu; i++) PUT(units[i]);
    }
    for (size_t i = 0; i < n_extra; i++) PUT(extra[i]);
#undef PUT
    for (size_t i = 0; i < odd; i++) out[k++] = 'z';
    return k;
}

/* UTF-16 text with a byte order mark is read as UTF-8, both byte orders, plain or compressed:
 * pairs are joined, a lone surrogate and an odd last byte are U+FFFD, and a sequence that does
 * not fit in the reader's room comes whole in the next read (20,000 three-byte characters
 * cross the sniffer's 32 KiB). Without a mark, or with UTF-32's, it is not UTF-16. */
Test(source, utf16_with_a_byte_order_mark_is_text)
{
    const char *text = "mail a.person@corp-mail.com caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\r\n";
    static const unsigned lone[] = {'x', 0xd83d, 'y', 0xde00, 0xd800};
    char *buf = malloc(1u << 20), *want = malloc(1u << 20);
    cr_assert(buf && want);
    for (int be = 0; be < 2; be++) {
        size_t n = to_utf16(buf, text, be, lone, 5, 1);
        t_write(t_path("u.txt"), buf, n);
        t_gzip(t_path("u.txt.gz"), buf, n);
        snprintf(want, 1024, "%sx\xef\xbf\xbdy\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", text);
        const char *names[] = {"u.txt", "u.txt.gz"};
        for (int g = 0; g < 2; g++) {
            struct res *r = drain(t_path(names[g]), NULL);
            cr_assert_eq(r->n, 1);
            cr_expect_eq(r->nerr, 0, "%s", r->errmsg[0]);
            cr_expect_str_eq(r->m[0].fmt, g ? (be ? "gzip+utf-16be" : "gzip+utf-16le")
                                            : (be ? "utf-16be" : "utf-16le"));
            cr_expect_str_eq(r->m[0].data, want, "%s %s", names[g], be ? "BE" : "LE");
            res_free(r);
        }
    }
    /* three-byte characters across the sniffer's buffer (32,784 bytes, a multiple of 2, 3 and 4:
     * one byte first) */
    size_t k = (size_t)snprintf(want, 8, "a");
    for (int i = 0; i < 20000; i++) k += (size_t)snprintf(want + k, 8, "\xe2\x82\xac");
    size_t n = to_utf16(buf, want, false, NULL, 0, 0);
    t_write(t_path("euro.txt"), buf, n);
    struct res *r = drain(t_path("euro.txt"), NULL);
    cr_assert_eq(r->n, 1);
    cr_expect_eq(r->m[0].len, k);
    cr_expect(r->m[0].len == k && !memcmp(r->m[0].data, want, k), "the same 60,001 bytes");
    res_free(r);
    /* no mark, and UTF-32LE's mark: not UTF-16 */
    t_write(t_path("nomark.txt"), buf + 2, n - 2);
    t_write(t_path("u32.txt"), "\xff\xfe\x00\x00m\x00\x00\x00", 8);
    const char *other[] = {"nomark.txt", "u32.txt"};
    for (int i = 0; i < 2; i++) {
        r = drain(t_path(other[i]), NULL);
        cr_assert_eq(r->n, 1);
        cr_expect_str_eq(r->m[0].fmt, "plain", "%s", other[i]);
        res_free(r);
    }
    free(buf);
    free(want);
}

/* One gzip member of `text` with the given header fields (flg: RFC 1952's FEXTRA 4, FNAME 8,
 * FCOMMENT 16, FHCRC 2; `field` bytes of extra, name and comment each), appended at out + *n. */
static void gz_member(char *out, size_t *n, const char *text, unsigned flg, size_t field)
{
    size_t at = *n, k = *n;
    const unsigned char h[10] = {0x1f, 0x8b, 8, (unsigned char)flg, 0, 0, 0, 0, 0, 3};
    memcpy(out + k, h, 10);
    k += 10;
    if (flg & 4) {
        out[k++] = (char)(field & 0xff);
        out[k++] = (char)(field >> 8);
        memset(out + k, 'x', field);
        k += field;
    }
    for (unsigned bit = 8; bit <= 16; bit <<= 1)
        if (flg & bit) {
            memset(out + k, bit == 8 ? 'n' : 'c', field);
            k += field;
            out[k++] = 0;
        }
    if (flg & 2) {
        uLong c = crc32(0L, (const Bytef *)out + at, (uInt)(k - at));
        out[k++] = (char)(c & 0xff);
        out[k++] = (char)((c >> 8) & 0xff);
    }
    z_stream z = {0};
    cr_assert_eq(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (Bytef *)(uintptr_t)text;
    z.avail_in = (uInt)strlen(text);
    z.next_out = (Bytef *)out + k;
    z.avail_out = 1u << 16;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    k += z.total_out;
    deflateEnd(&z);
    uLong c = crc32(0L, (const Bytef *)text, (uInt)strlen(text));
    for (int i = 0; i < 4; i++) out[k++] = (char)((c >> (8 * i)) & 0xff);
    for (int i = 0; i < 4; i++) out[k++] = (char)((strlen(text) >> (8 * i)) & 0xff);
    *n = k;
}

/* A gzip header's extra field, name and comment may be as long as they like and span any
 * number of reads: both inflaters give the member's bytes (ISA-L 2.30, left to read headers
 * itself, lost its place in a name of 60,000 or 70,000 bytes and called the data corrupt). The
 * header CRC is checked when present, and a damaged header or trailer is an error. */
Test(source, gzip_headers_of_any_length, .timeout = 120)
{
    static const size_t lens[] = {1, 100, 65535, 70000, 131077, 300000};
    char *buf = malloc(4u << 20);
    cr_assert(buf);
    for (int force = 0; force < 2; force++) {
        pii_source_opts o;
        pii_source_opts_init(&o);
        if (force) o.flags = PII_SOURCE_FORCE_ZLIB;
        const char *impl = pii_source_gzip_impl(&o);
        for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
            for (unsigned flg = 2; flg <= 30; flg += 2) {
                size_t fl = (flg & 4) && lens[i] > 65535 ? 65535 : lens[i];
                size_t n = 0;
                gz_member(buf, &n, TEXT, flg, fl);
                gz_member(buf, &n, TEXT, flg ^ 8, fl); /* a second member, the name flipped */
                t_write(t_path("h.gz"), buf, n);
                struct res *r = drain(t_path("h.gz"), &o);
                cr_expect_eq(r->nerr, 0, "%s, flags %u, %zu: %s", impl, flg, fl, r->errmsg[0]);
                cr_expect(r->n == 1 && r->m[0].len == 2 * strlen(TEXT), "%s, flags %u, %zu", impl,
                          flg, fl);
                res_free(r);
            }
        }
        /* damage: the header CRC, a reserved flag, the trailer's CRC, a cut inside the name;
         * each inflater words it its own way (a build without ISA-L has only zlib's) */
        static const char *const want[][2] = {{"header crc mismatch", "header crc mismatch"},
                                              {"invalid gzip header", "unknown header flags set"},
                                              {"checksum mismatch", "incorrect data check"},
                                              {"truncated", "truncated"}};
        for (int d = 0; d < 4; d++) {
            size_t n = 0;
            gz_member(buf, &n, TEXT, 8 | 2, 70000);
            if (d == 0) buf[10 + 70001] ^= 1;
            if (d == 1) buf[3] |= 0x20;
            if (d == 2) buf[n - 8] ^= 1;
            if (d == 3) n = 10 + 50000;
            t_write(t_path("bad.gz"), buf, n);
            struct res *r = drain(t_path("bad.gz"), &o);
            cr_expect_eq(r->nerr, 1, "%s, damage %d", impl, d);
            cr_expect(strstr(r->errmsg[0], want[d][strcmp(impl, "isa-l") != 0]),
                      "%s, damage %d: %s", impl, d, r->errmsg[0]);
            res_free(r);
        }
    }
    free(buf);
}

/* A cpio (newc) member header: the name's size and the data's as the header says them. */
static size_t cpio_header(char *out, const char *name, size_t name_size, size_t data_size)
{
    int n = snprintf(out, 111, "070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x", 1,
                     0100644, 0, 0, 1, 0, data_size, 0, 0, 0, 0, name_size, 0);
    memcpy(out + n, name, strlen(name) + 1);
    return (size_t)n + strlen(name) + 1;
}

/* libarchive reads a header whole, however large it says it is: a cpio member name or an ar
 * name table of 128 MiB, followed by 66 MiB, once held 2 GB of memory for a 1 GiB name. It ends
 * the archive with a limit error once 64 MiB are held, after the members before it, whether the
 * archive is read from the file (with seeks) or from a stream (here gzip). */
Test(source, an_oversized_archive_header_is_not_held_whole, .timeout = 120)
{
    size_t tail = 66u << 20;
    char *buf = malloc(tail + 4096);
    cr_assert(buf);
    for (int kind = 0; kind < 2; kind++) {
        size_t n = 0;
        if (kind == 0) { /* cpio: a.log, then a member whose name is 128 MiB */
            n = cpio_header(buf, "a.log", 6, 3);
            while (n % 4) buf[n++] = 0;
            memcpy(buf + n, "ok\n", 3);
            n += 3;
            while (n % 4) buf[n++] = 0;
            n += cpio_header(buf + n, "", 128u << 20, 0) - 1; /* the name follows */
        } else { /* ar: a.log, then a GNU name table of 128 MiB */
            n = (size_t)snprintf(buf, 200, "!<arch>\n%-16s%-12s%-6s%-6s%-8s%-10d`\nok\n", "a.log/",
                                 "0", "0", "0", "644", 3);
            buf[n++] = '\n'; /* data padded to even */
            n += (size_t)snprintf(buf + n, 200, "%-16s%-12s%-6s%-6s%-8s%-10u`\n", "//", "0", "0",
                                  "0", "0", 128u << 20);
        }
        memset(buf + n, 'a', tail);
        const char *arc = kind ? "t.a" : "t.cpio";
        t_write(t_path(arc), buf, n + tail);
        char gz[64];
        snprintf(gz, sizeof gz, "%s.gz", arc);
        t_gzip(t_path(gz), buf, n + tail);
        const char *paths[] = {arc, gz};
        for (int p = 0; p < 2; p++) {
            pii_source_opts o;
            pii_source_opts_init(&o);
            struct res *r = drain(t_path(paths[p]), &o);
            cr_expect(find(r, "a.log") && find(r, "a.log")->len == 3, "%s: the member before",
                      paths[p]);
            cr_assert_eq(r->nerr, 1, "%s: %zu errors: %s", paths[p], r->nerr, r->errmsg[0]);
            cr_expect_eq(r->err[0], PII_ERR_LIMIT, "%s", paths[p]);
            cr_expect(strstr(r->errmsg[0], "a header larger than 64 MiB"), "%s: %s", paths[p],
                      r->errmsg[0]);
            res_free(r);
        }
    }
    free(buf);
}

Test(source, api_misuse)
{
    pii_error err = PII_ERROR_INIT;
    pii_source *s = NULL;
    cr_expect_eq(pii_source_open_path(NULL, NULL, &s, &err), PII_ERR_ARG);
    cr_expect_eq(pii_source_open_fd(-1, "x", NULL, &s, &err), PII_ERR_ARG);
    cr_expect_eq(pii_source_open_path(t_path("missing"), NULL, &s, &err), PII_ERR_IO);
    cr_expect_null(s);
    cr_expect_eq(pii_source_open_path(t_dir, NULL, &s, &err), PII_ERR_IO, "a directory");
    pii_source_free(NULL);
    const void *b;
    size_t len;
    cr_expect_eq(pii_source_read(NULL, &b, &len, &err), PII_ERR_ARG);
    t_write(t_path("p"), "abc", 3);
    cr_assert_eq(pii_source_open_path(t_path("p"), NULL, &s, &err), PII_OK);
    cr_expect_eq(pii_source_read(s, &b, &len, &err), PII_END, "no member yet");
    const pii_member *m;
    cr_expect_eq(pii_source_next_member(s, &m, &err), PII_OK);
    cr_expect_eq(pii_source_next_member(s, &m, &err), PII_END, "unread member skipped");
    cr_expect_eq(pii_source_next_member(s, &m, &err), PII_END);
    pii_source_free(s);
}

/* Two results are the same: members, their data and formats, errors, stats. */
static void expect_same(const struct res *a, const struct res *b, const char *what)
{
    cr_assert_eq(a->n, b->n, "%s: %zu members vs %zu", what, a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        cr_expect_str_eq(a->m[i].name, b->m[i].name, "%s", what);
        cr_expect_str_eq(a->m[i].skip, b->m[i].skip, "%s", what);
        cr_expect_str_eq(a->m[i].fmt, b->m[i].fmt, "%s", what);
        cr_expect_eq(a->m[i].depth, b->m[i].depth, "%s", what);
        cr_expect_eq(a->m[i].len, b->m[i].len, "%s: %s", what, a->m[i].name);
        size_t kept = a->m[i].len < (1u << 20) ? a->m[i].len : (1u << 20);
        cr_expect(!kept || !memcmp(a->m[i].data, b->m[i].data, kept), "%s: %s", what, a->m[i].name);
    }
    cr_assert_eq(a->nerr, b->nerr, "%s: %zu errors vs %zu", what, a->nerr, b->nerr);
    for (size_t i = 0; i < a->nerr && i < 16; i++) {
        cr_expect_eq(a->err[i], b->err[i], "%s", what);
        cr_expect_str_eq(a->errmem[i], b->errmem[i], "%s", what);
        cr_expect_str_eq(a->errmsg[i], b->errmsg[i], "%s", what);
        cr_expect_str_eq(a->errorigin[i], b->errorigin[i], "%s", what);
    }
    cr_expect_eq(memcmp(&a->st, &b->st, sizeof a->st), 0, "%s: stats differ", what);
}

/* One source reused input after input (pii_source_reopen_fd) gives what a new source per
 * input gives, whatever the last input left behind: nested archives, a member read halfway, an
 * error, a deeper limit, a longer name, the regular-file flag. */
Test(source, reopen_is_a_new_source)
{
    make_nested();
    size_t big_len = 300000;
    char *big = malloc(big_len);
    cr_assert(big);
    for (size_t i = 0; i < big_len; i++) big[i] = (char)('a' + (i * 13 + i / 777) % 26);
    t_write(t_path("big.txt"), big, big_len);
    t_write(t_path("small.txt"), TEXT, strlen(TEXT));
    t_gzip(t_path("s.gz"), big, big_len);
    size_t gl;
    char *g = t_slurp(t_path("s.gz"), &gl);
    t_write(t_path("cut.gz"), g, gl / 2);
    free(g);
    struct t_entry e[] = {{"one.log", big, big_len, 0, NULL}, {"two.log", "tail\n", 5, 0, NULL}};
    t_archive(t_path("two.tgz"), "tar", "gzip", e, 2, NULL, NULL);
    free(big);
    pii_source_opts deep, shallow, regular;
    pii_source_opts_init(&deep);
    pii_source_opts_init(&shallow);
    pii_source_opts_init(&regular);
    shallow.max_depth = 2;
    regular.flags = PII_SOURCE_REGULAR_FILE;
    struct {
        const char *file, *name;
        const pii_source_opts *o;
        bool halfway; /* stop in the middle of the first member */
    } seq[] = {
        {"outer.zip", "outer.zip", &deep, false},
        {"two.tgz", "two.tgz", &deep, true},
        {"small.txt", "a/much/longer/name/than/before/small.txt", &regular, false},
        {"cut.gz", "cut.gz", &deep, false},
        {"outer.zip", "o.zip", &shallow, false},
        {"big.txt", "b", &regular, false},
        {"s.gz", "s.gz", NULL, false},
        {"two.tgz", "two.tgz", &deep, false},
        {"outer.zip", "outer.zip", &deep, false},
    };
    pii_source *reused = NULL;
    for (size_t k = 0; k < sizeof seq / sizeof seq[0]; k++) {
        int fd = open(t_path(seq[k].file), O_RDONLY);
        int fd2 = open(t_path(seq[k].file), O_RDONLY);
        cr_assert(fd >= 0 && fd2 >= 0);
        pii_error err = PII_ERROR_INIT;
        if (reused)
            cr_assert_eq(pii_source_reopen_fd(reused, fd, seq[k].name, seq[k].o, &err), PII_OK);
        else
            cr_assert_eq(pii_source_open_fd(fd, seq[k].name, seq[k].o, &reused, &err), PII_OK);
        pii_source *fresh = NULL;
        cr_assert_eq(pii_source_open_fd(fd2, seq[k].name, seq[k].o, &fresh, &err), PII_OK);
        if (seq[k].halfway) { /* one read of the first member, then the next input */
            const pii_member *m;
            const void *b;
            size_t len;
            cr_assert_eq(pii_source_next_member(reused, &m, &err), PII_OK);
            cr_assert_eq(pii_source_read(reused, &b, &len, &err), PII_OK);
        } else {
            struct res *a = drain_src(reused), *b = drain_src(fresh);
            expect_same(a, b, seq[k].name);
            res_free(a);
            res_free(b);
        }
        pii_source_free(fresh);
        close(fd);
        close(fd2);
    }
    pii_source_free(reused);

    /* a source opened on a path closes that file when reused */
    pii_source *s = NULL;
    pii_error err = PII_ERROR_INIT;
    cr_assert_eq(pii_source_open_path(t_path("small.txt"), NULL, &s, &err), PII_OK);
    int probe = open(t_path("small.txt"), O_RDONLY);
    cr_assert(probe >= 0);
    close(probe); /* the lowest free fd now; the source's is below it */
    int fd = open(t_path("big.txt"), O_RDONLY);
    cr_assert_eq(pii_source_reopen_fd(s, fd, "big.txt", NULL, &err), PII_OK);
    int again = open(t_path("small.txt"), O_RDONLY);
    cr_expect(again < probe, "the path's fd was not closed (%d, %d)", again, probe);
    close(again);
    struct res *r = drain_src(s);
    cr_expect_eq(r->n, 1);
    cr_expect_eq(r->m[0].len, big_len);
    res_free(r);
    pii_source_free(s);
    close(fd);
}
