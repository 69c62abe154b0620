/* testutil.c: helpers shared by the tests (see testutil.h).
 * Not part of the product. */
#define _GNU_SOURCE
#include "testutil.h"
#include "pii_internal.h"
#include "validate.h"

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>
#include <zstd.h>

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

const pii_engine *t_engine(const char *detectors)
{
    static struct {
        char spec[256];
        pii_engine *e;
    } cache[16];
    static size_t n;
    const char *key = detectors ? detectors : "";
    for (size_t i = 0; i < n; i++)
        if (!strcmp(cache[i].spec, key)) return cache[i].e;
    pii_error err = PII_ERROR_INIT;
    pii_detectors *d = NULL;
    cr_assert_eq(pii_detectors_new(&d, &err), PII_OK);
    cr_assert_eq(pii_detectors_load_builtin(d, &err), PII_OK, "%s: %s", err.origin, err.msg);
    if (detectors) cr_assert_eq(pii_detectors_select(d, detectors, 0, &err), PII_OK, "%s", err.msg);
    pii_engine *e = NULL;
    cr_assert_eq(pii_engine_compile(d, NULL, &e, &err), PII_OK, "%s: %s", err.origin, err.msg);
    pii_detectors_free(d);
    if (n < 16) {
        snprintf(cache[n].spec, sizeof cache[n].spec, "%s", key);
        cache[n++].e = e;
    }
    return e;
}

int t_collect(const pii_finding *f, void *user)
{
    struct tfinds *fs = user;
    if (fs->n == fs->cap) { /* geometric: ASan's realloc always copies */
        fs->cap = fs->cap ? fs->cap * 2 : 64;
        fs->v = realloc(fs->v, fs->cap * sizeof *fs->v);
        cr_assert(fs->v);
    }
    struct tfind *t = &fs->v[fs->n++];
    memset(t, 0, sizeof *t);
    snprintf(t->detector, sizeof t->detector, "%s", f->detector);
    t->offset = f->offset;
    t->line = f->line;
    t->column = f->column;
    t->length = f->length;
    t->confidence = f->confidence;
    t->sensitive = f->sensitive;
    t->test_value = f->test_value;
    t->ccpa = f->ccpa;
    size_t n = f->length < sizeof t->match - 1 ? f->length : sizeof t->match - 1;
    memcpy(t->match, f->match, n);
    if (fs->e) pii_finding_fingerprint(fs->e, f, t->fp, sizeof t->fp);
    return 0;
}

struct tfinds t_scan(const pii_engine *e, const char *data, size_t len, size_t feed, size_t chunk)
{
    struct tfinds fs = {.e = e};
    pii_scan_opts o;
    pii_scan_opts_init(&o);
    if (chunk) o.chunk_size = chunk;
    pii_scanner *s = NULL;
    pii_error err = PII_ERROR_INIT;
    cr_assert_eq(pii_scanner_new(e, &o, &s, &err), PII_OK);
    cr_assert_eq(pii_scanner_begin(s), PII_OK);
    if (!feed) feed = len ? len : 1;
    for (size_t p = 0; p < len; p += feed) {
        size_t n = len - p < feed ? len - p : feed;
        cr_assert_eq(pii_scanner_feed(s, data + p, n, t_collect, &fs, &err), PII_OK, "%s", err.msg);
    }
    cr_assert_eq(pii_scanner_end(s, t_collect, &fs, &err), PII_OK, "%s", err.msg);
    pii_scanner_free(s);
    return fs;
}

struct tfinds t_scan_opts(const pii_engine *e, const char *data, size_t len, const pii_scan_opts *o)
{
    struct tfinds fs = {.e = e};
    pii_scanner *s = NULL;
    pii_error err = PII_ERROR_INIT;
    cr_assert_eq(pii_scanner_new(e, o, &s, &err), PII_OK);
    cr_assert_eq(pii_scan_buffer(s, data, len, t_collect, &fs, &err), PII_OK, "%s", err.msg);
    pii_scanner_free(s);
    return fs;
}

void t_free(struct tfinds *f)
{
    free(f->v);
    f->v = NULL;
    f->n = f->cap = 0;
}

size_t t_count(const struct tfinds *f, const char *id, const char *match)
{
    size_t n = 0;
    for (size_t i = 0; i < f->n; i++)
        if ((!id || !strcmp(f->v[i].detector, id)) && (!match || !strcmp(f->v[i].match, match)))
            n++;
    return n;
}

void t_assert_same(const struct tfinds *a, const struct tfinds *b, const char *what)
{
    cr_assert_eq(a->n, b->n, "%s: %zu findings vs %zu", what, a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        const struct tfind *x = &a->v[i], *y = &b->v[i];
        cr_assert_str_eq(x->detector, y->detector, "%s: #%zu", what, i);
        cr_assert_eq(x->offset, y->offset, "%s: #%zu %s offset", what, i, x->detector);
        cr_assert_eq(x->length, y->length, "%s: #%zu length", what, i);
        cr_assert_eq(x->line, y->line, "%s: #%zu line", what, i);
        cr_assert_eq(x->column, y->column, "%s: #%zu column", what, i);
        cr_assert_eq(x->confidence, y->confidence, "%s: #%zu confidence", what, i);
        cr_assert_str_eq(x->match, y->match, "%s: #%zu match", what, i);
    }
}

void t_log_findings(const struct tfinds *f)
{
    for (size_t i = 0; i < f->n; i++)
        cr_log_error("found %s '%s' conf %d", f->v[i].detector, f->v[i].match, f->v[i].confidence);
}

void t_expect_once(const char *text, const char *id, const char *match)
{
    struct tfinds f = t_scan(t_engine(NULL), text, strlen(text), 0, 0);
    size_t n = t_count(&f, id, match);
    if (n != 1) t_log_findings(&f);
    cr_expect_eq(n, 1, "%s: want %s '%s'", text, id, match);
    t_free(&f);
}

static void append(char **buf, size_t *len, const char *data, size_t n)
{
    *buf = realloc(*buf, *len + n + 1);
    cr_assert(*buf);
    memcpy(*buf + *len, data, n);
    *len += n;
    (*buf)[*len] = 0;
}

static int pty_open(int *slave)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    cr_assert(m >= 0);
    cr_assert(grantpt(m) == 0 && unlockpt(m) == 0);
    const char *name = ptsname(m);
    cr_assert(name);
    *slave = open(name, O_RDWR | O_NOCTTY);
    cr_assert(*slave >= 0);
    return m;
}

/* Our end and the child's of one of its standard streams, as `to` says (-1 where none). */
static void stream_open(enum t_to to, int ends[2], bool child_reads)
{
    ends[0] = ends[1] = -1;
    if (to == T_PIPE) {
        int p[2];
        cr_assert(pipe(p) == 0);
        ends[0] = child_reads ? p[1] : p[0];
        ends[1] = child_reads ? p[0] : p[1];
    } else if (to == T_PTY) {
        ends[0] = pty_open(&ends[1]);
    }
}

struct t_proc t_spawn(const char *const *argv, enum t_to out, enum t_to err, const char *file)
{
    cr_assert(out != T_PTY || err == T_PTY, "stdout goes on stderr's terminal");
    int in[2], o[2], e[2]; /* [0] ours, [1] the child's */
    stream_open(T_PIPE, in, true);
    stream_open(err, e, false);
    if (out == T_PTY)
        o[0] = e[0], o[1] = e[1];
    else
        stream_open(out, o, false);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        dup2(in[1], 0);
        if (out == T_FILE) {
            int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            dup2(fd, 1);
            close(fd);
        } else if (o[1] >= 0) {
            dup2(o[1], 1);
        }
        if (e[1] >= 0) dup2(e[1], 2);
        int fds[] = {in[0], in[1], o[0], o[1], e[0], e[1]};
        for (size_t i = 0; i < sizeof fds / sizeof *fds; i++)
            if (fds[i] > 2) close(fds[i]);
        if (out == T_PTY || err == T_PTY) setenv("TERM", "xterm", 1);
        size_t n = 0;
        while (argv[n]) n++;
        char **av = calloc(n + 2, sizeof *av);
        if (!av) _exit(127);
        av[0] = (char *)PII_BIN;
        for (size_t i = 0; i < n; i++) av[i + 1] = (char *)argv[i];
        execv(PII_BIN, av);
        _exit(127);
    }
    close(in[1]);
    if (o[1] >= 0 && o[1] != e[1]) close(o[1]);
    if (e[1] >= 0) close(e[1]);
    signal(SIGPIPE, SIG_IGN);
    return (struct t_proc){pid, in[0], o[0], e[0]};
}

void t_put(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        cr_assert(w > 0);
        p += w;
        n -= (size_t)w;
    }
}

size_t t_drain(int fd, char **buf, size_t *len, int ms)
{
    if (!*buf) {
        *buf = calloc(1, 1);
        cr_assert(*buf);
    }
    struct pollfd pf = {.fd = fd, .events = POLLIN};
    while (poll(&pf, 1, ms) > 0) {
        char tmp[65536];
        ssize_t r = read(fd, tmp, sizeof tmp);
        if (r <= 0) break;
        append(buf, len, tmp, (size_t)r);
    }
    return *len;
}

int t_wait(struct t_proc *p)
{
    if (p->in >= 0) close(p->in);
    if (p->out >= 0) close(p->out);
    if (p->err >= 0 && p->err != p->out) close(p->err);
    p->in = p->out = p->err = -1;
    int st;
    cr_assert_eq(waitpid(p->pid, &st, 0), p->pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

struct t_run t_exec(const char *const *argv, const char *in, size_t in_len)
{
    struct t_proc p = t_spawn(argv, T_PIPE, T_PIPE, NULL);
    struct t_run r = {0};
    r.out = calloc(1, 1);
    r.err = calloc(1, 1);
    size_t off = 0;
    if (!in) {
        close(p.in);
        p.in = -1;
    } else {
        /* a blocking write of the whole input would deadlock with a child that writes its
         * output before it reads stdin (stdin named after other inputs) */
        fcntl(p.in, F_SETFL, O_NONBLOCK);
    }
    while (p.out >= 0 || p.err >= 0 || p.in >= 0) {
        struct pollfd pf[3];
        int np = 0;
        if (p.out >= 0) pf[np++] = (struct pollfd){.fd = p.out, .events = POLLIN};
        if (p.err >= 0) pf[np++] = (struct pollfd){.fd = p.err, .events = POLLIN};
        if (p.in >= 0) pf[np++] = (struct pollfd){.fd = p.in, .events = POLLOUT};
        poll(pf, (nfds_t)np, 10000);
        for (int i = 0; i < np; i++) {
            if (!pf[i].revents) continue;
            if (pf[i].fd == p.in) {
                ssize_t w = write(p.in, in + off, in_len - off);
                if (w > 0) off += (size_t)w;
                if ((w < 0 && errno != EAGAIN) || off == in_len) {
                    close(p.in);
                    p.in = -1;
                }
                continue;
            }
            bool is_out = pf[i].fd == p.out;
            char tmp[65536];
            ssize_t n = read(pf[i].fd, tmp, sizeof tmp);
            if (n > 0) {
                append(is_out ? &r.out : &r.err, is_out ? &r.out_len : &r.err_len, tmp, (size_t)n);
            } else {
                close(pf[i].fd);
                *(is_out ? &p.out : &p.err) = -1;
            }
        }
    }
    r.status = t_wait(&p);
    return r;
}

void t_run_free(struct t_run *r)
{
    free(r->out);
    free(r->err);
}

json_t *t_jsonl(const char *out, size_t len)
{
    json_t *arr = json_array();
    const char *p = out, *end = out + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        cr_assert(nl, "JSONL output must end every record with a newline");
        json_error_t je;
        json_t *v = json_loadb(p, (size_t)(nl - p), 0, &je);
        cr_assert(v, "not JSON: %.*s (%s)", (int)(nl - p), p, je.text);
        cr_assert(json_is_object(v));
        cr_assert(json_is_string(json_object_get(v, "type")), "record without a type");
        json_array_append_new(arr, v);
        p = nl + 1;
    }
    return arr;
}

size_t t_records(json_t *arr, const char *type, json_t **out, size_t max)
{
    size_t n = 0, i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (strcmp(json_string_value(json_object_get(v, "type")), type)) continue;
        if (n < max) out[n] = v;
        n++;
    }
    return n;
}

char *t_tmpdir(void)
{
    char *d = strdup("/tmp/piiscan-test-XXXXXX");
    cr_assert(mkdtemp(d));
    return d;
}

void t_write(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f, "cannot write %s", path);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

void t_rmrf(const char *path)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    cr_assert_eq(system(cmd), 0);
}

char *t_dir;

void t_dir_setup(void)
{
    t_dir = t_tmpdir();
}

void t_dir_teardown(void)
{
    t_rmrf(t_dir);
    free(t_dir);
    t_dir = NULL;
}

const char *t_path(const char *name)
{
    static char p[8][600];
    static int i;
    i = (i + 1) % 8;
    snprintf(p[i], sizeof p[i], "%s/%s", t_dir, name);
    return p[i];
}

void t_archive(const char *path, const char *format, const char *filter, const struct t_entry *e,
               size_t n, const char *options, const char *passphrase)
{
    struct archive *a = archive_write_new();
    cr_assert(a);
    int r = ARCHIVE_OK;
    if (!strcmp(format, "tar"))
        r = archive_write_set_format_pax_restricted(a);
    else if (!strcmp(format, "zip"))
        r = archive_write_set_format_zip(a);
    else if (!strcmp(format, "7z"))
        r = archive_write_set_format_7zip(a);
    else if (!strcmp(format, "cpio"))
        r = archive_write_set_format_cpio_newc(a);
    else if (!strcmp(format, "ar"))
        r = archive_write_set_format_ar_svr4(a);
    else if (!strcmp(format, "iso"))
        r = archive_write_set_format_iso9660(a);
    else
        cr_assert_fail("unknown format %s", format);
    cr_assert_eq(r, ARCHIVE_OK, "%s", archive_error_string(a));
    if (filter && strcmp(filter, "none")) {
        cr_assert_eq(archive_write_add_filter_by_name(a, filter), ARCHIVE_OK, "%s",
                     archive_error_string(a));
    }
    if (options)
        cr_assert_eq(archive_write_set_options(a, options), ARCHIVE_OK, "%s",
                     archive_error_string(a));
    if (passphrase) cr_assert_eq(archive_write_set_passphrase(a, passphrase), ARCHIVE_OK);
    cr_assert_eq(archive_write_open_filename(a, path), ARCHIVE_OK, "%s", archive_error_string(a));
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *en = archive_entry_new();
        archive_entry_set_pathname(en, e[i].name);
        archive_entry_set_perm(en, 0644);
        archive_entry_set_mtime(en, 1700000000, 0);
        size_t len = e[i].len;
        switch (e[i].type) {
        case 'l':
            archive_entry_set_filetype(en, AE_IFLNK);
            archive_entry_set_symlink(en, e[i].link);
            len = 0;
            break;
        case 'h':
            archive_entry_set_filetype(en, AE_IFREG);
            archive_entry_set_hardlink(en, e[i].link);
            len = 0;
            break;
        case 'c':
            archive_entry_set_filetype(en, AE_IFCHR);
            archive_entry_set_rdev(en, 0x0103);
            len = 0;
            break;
        case 'd':
            archive_entry_set_filetype(en, AE_IFDIR);
            archive_entry_set_perm(en, 0755);
            len = 0;
            break;
        default:
            archive_entry_set_filetype(en, AE_IFREG);
        }
        archive_entry_set_size(en, (la_int64_t)len);
        cr_assert(archive_write_header(a, en) >= ARCHIVE_WARN, "%s", archive_error_string(a));
        if (len) cr_assert_eq(archive_write_data(a, e[i].data, len), (la_ssize_t)len);
        archive_entry_free(en);
    }
    cr_assert_eq(archive_write_close(a), ARCHIVE_OK, "%s", archive_error_string(a));
    archive_write_free(a);
}

void t_gzip(const char *path, const void *data, size_t len)
{
    z_stream z = {0};
    cr_assert_eq(deflateInit2(&z, 1, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, len) + 64;
    uint8_t *out = malloc(cap);
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    t_write(path, (const char *)out, z.total_out);
    deflateEnd(&z);
    free(out);
}

void t_zstd(const char *path, const void *data, size_t len)
{
    size_t cap = ZSTD_compressBound(len);
    char *out = malloc(cap);
    ZSTD_CCtx *c = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1); /* as the zstd command does */
    size_t n = ZSTD_compress2(c, out, cap, data, len);
    ZSTD_freeCCtx(c);
    cr_assert(!ZSTD_isError(n));
    t_write(path, out, n);
    free(out);
}

char *t_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot read %s", path);
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 65536) {
            cap = cap ? cap * 2 : 65536;
            buf = realloc(buf, cap + 1);
            cr_assert(buf);
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (!r) break;
    }
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
}

/* ---- validators ------------------------------------------------------------------------- */

struct t_vres t_validate(const char *name, const char *text, size_t start, size_t end,
                         size_t anchor)
{
    validate_fn fn = validator_find(name);
    cr_assert_not_null(fn, "no validator %s", name);
    size_t len = strlen(text);
    uint8_t *buf = malloc(len ? len : 1);
    cr_assert_not_null(buf);
    memcpy(buf, text, len);
    struct vctx v;
    memset(&v, 0, sizeof v);
    v.buf = buf;
    v.lo = 0;
    v.hi = len;
    v.start = start;
    v.end = end;
    v.anchor = anchor;

    struct t_vres r;
    memset(&r, 0, sizeof r);
    r.ok = fn(&v);
    r.flags = v.flags;
    r.conf = v.conf;
    r.start = v.start;
    r.end = v.end;
    if (r.ok) {
        cr_assert(v.start <= v.end && v.end <= len, "%s: span [%zu,%zu) outside [0,%zu)", name,
                  v.start, v.end, len);
        cr_assert(v.end - v.start <= PII_MAX_MATCH);
        size_t n = v.end - v.start;
        if (n >= sizeof r.span) n = sizeof r.span - 1;
        memcpy(r.span, buf + v.start, n);
        cr_assert(v.norm_len < sizeof v.norm);
        memcpy(r.norm, v.norm, v.norm_len);
        r.norm_len = v.norm_len;
    }
    free(buf);
    return r;
}

struct t_vres t_validate_span(const char *name, const char *text, const char *span)
{
    if (!span) return t_validate(name, text, 0, strlen(text), 0);
    const char *p = strstr(text, span);
    cr_assert_not_null(p, "'%s' not in '%s'", span, text);
    size_t st = (size_t)(p - text);
    return t_validate(name, text, st, st + strlen(span), 0);
}

struct t_vres t_validate_after(const char *name, const char *text, const char *label)
{
    const char *p = strstr(text, label);
    cr_assert_not_null(p, "'%s' not in '%s'", label, text);
    size_t a = (size_t)(p - text) + strlen(label);
    return t_validate(name, text, a, a, a);
}
