/* cli_git.c: `piiscan git --staged`: scans the blobs in git's index (never the working tree),
 * by default only the lines the staged diff adds. Runs git as a child process (no shell);
 * each blob goes through a memfd into the source layer, so staged archives are opened. */
#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct line_filter {
    uint64_t (*v)[2]; /* [first, last] of each added run, in order */
    size_t n;
};

bool line_filter_has(const struct line_filter *lf, uint64_t line)
{
    size_t lo = 0, hi = lf->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (line < lf->v[mid][0])
            hi = mid;
        else if (line > lf->v[mid][1])
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

/* Starts git with argv and env; *in / *out are the child's stdin / stdout pipes (NULL:
 * inherited). */
static pid_t git_spawn(const char *const *argv, char **env, int *in, int *out)
{
    size_t n = 0;
    while (argv[n]) n++;
    char **av = calloc(n + 2, sizeof *av);
    if (!av) return -1;
    av[0] = "git";
    for (size_t i = 0; i < n; i++) av[i + 1] = (char *)argv[i];
    int pi[2] = {-1, -1}, po[2] = {-1, -1};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    pid_t pid = -1;
    if ((in && pipe2(pi, O_CLOEXEC) != 0) || (out && pipe2(po, O_CLOEXEC) != 0)) goto out;
    if (in) posix_spawn_file_actions_adddup2(&fa, pi[0], 0);
    if (out) posix_spawn_file_actions_adddup2(&fa, po[1], 1);
    if (posix_spawnp(&pid, "git", &fa, NULL, av, env) != 0) pid = -1;
out:
    posix_spawn_file_actions_destroy(&fa);
    free(av);
    if (pi[0] >= 0) close(pi[0]);
    if (po[1] >= 0) close(po[1]);
    if (pid < 0) {
        if (pi[1] >= 0) close(pi[1]);
        if (po[0] >= 0) close(po[0]);
        return -1;
    }
    if (in) *in = pi[1];
    if (out) *out = po[0];
    return pid;
}

static int git_wait(pid_t pid)
{
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int git_capture(const char *const *argv, char **out, size_t *len)
{
    int fd;
    *out = NULL;
    *len = 0;
    pid_t pid = git_spawn(argv, environ, NULL, &fd);
    if (pid < 0) return -1;
    size_t cap = 0, n = 0;
    char *b = NULL;
    for (;;) {
        if (cap - n < 65536) {
            size_t nc = cap ? cap * 2 : 65536 * 2;
            char *nb = realloc(b, nc);
            if (!nb) break;
            b = nb;
            cap = nc;
        }
        ssize_t k = read(fd, b + n, cap - n - 1);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        n += (size_t)k;
    }
    close(fd);
    int rc = git_wait(pid);
    if (!b) return -1;
    b[n] = 0;
    *out = b;
    *len = n;
    return rc;
}

/* ---- blob ids ------------------------------------------------------------------------------
 * The staged file is rebuilt from the diff's text; it is scanned only when its git object id
 * matches the index's, so whatever git's output turns out to hold (a configuration or an
 * environment this parser did not foresee), the bytes scanned are the blob's. SHA-1 (the usual
 * object format) and SHA-256 come from util.h. */

/* Whether p[0..n) is the blob whose id (hex) is `id`: the hash of "blob <n>\0" + content. */
static bool blob_is(const char *id, const uint8_t *p, size_t n, bool ni)
{
    char hdr[32];
    int hl = snprintf(hdr, sizeof hdr, "blob %zu", n);
    uint8_t md[32];
    size_t mdn;
    if (strlen(id) == 40) {
        struct sha1 s;
        sha1_init(&s, ni);
        sha1_update(&s, hdr, (size_t)hl + 1);
        sha1_update(&s, p, n);
        sha1_final(&s, md);
        mdn = 20;
    } else if (strlen(id) == 64) {
        struct sha256 s;
        sha256_init(&s);
        sha256_update(&s, hdr, (size_t)hl + 1);
        sha256_update(&s, p, n);
        sha256_final(&s, md);
        mdn = 32;
    } else {
        return false;
    }
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < mdn; i++)
        if (id[2 * i] != hex[md[i] >> 4] || id[2 * i + 1] != hex[md[i] & 15]) return false;
    return true;
}

/* ---- the staged diff -------------------------------------------------------------------- */

/* One staged file, from the raw part of the diff. */
struct staged {
    char mode[7];
    char sha[65];
    char *path;
};

/* What the patch part says of the file being read. */
struct section {
    bool open;     /* a file's section (not the deleted half of a type change) */
    bool want;     /* its content is kept (a scanned regular file) */
    bool binary;   /* git shows no text diff for it */
    bool last_new; /* the last hunk line was on the new side (for "\ No newline") */
    uint64_t old_left, new_left, line;
    uint8_t *buf; /* the new side rebuilt: context and added lines */
    size_t len, cap;
    uint64_t (*runs)[2]; /* the added lines, as runs */
    size_t n_runs, cap_runs;
};

static bool sec_add(struct section *s, const char *p, size_t n)
{
    if (!n) return true;
    uint8_t *nb = grow_array(s->buf, &s->cap, s->len + n, 1, 65536);
    if (!nb) return false;
    s->buf = nb;
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    return true;
}

static bool sec_added_line(struct section *s, uint64_t line)
{
    if (s->n_runs && s->runs[s->n_runs - 1][1] + 1 == line) {
        s->runs[s->n_runs - 1][1] = line;
        return true;
    }
    uint64_t(*nv)[2] = grow_array(s->runs, &s->cap_runs, s->n_runs + 1, sizeof *nv, 64);
    if (!nv) return false;
    s->runs = nv;
    s->runs[s->n_runs][0] = s->runs[s->n_runs][1] = line;
    s->n_runs++;
    return true;
}

/* One line inside a hunk (counts left on either side). */
static bool sec_hunk_line(struct section *s, const char *ln, size_t k)
{
    char c = k ? ln[0] : '\n';
    if (c == '\\') { /* "\ No newline at end of file": the line before had none */
        if (s->last_new && s->want && s->len && s->buf[s->len - 1] == '\n') s->len--;
        return true;
    }
    bool ctx = c == ' ' || c == '\n'; /* diff.suppressBlankEmpty: a blank context line is "\n" */
    if (ctx || c == '+') {
        if (!s->new_left || (ctx && !s->old_left)) return false;
        if (s->want) {
            if (!(c == '\n' ? sec_add(s, "\n", 1) : sec_add(s, ln + 1, k - 1))) return false;
            if (c == '+' && !sec_added_line(s, s->line)) return false;
        }
        s->line++;
        s->new_left--;
        if (ctx) s->old_left--;
        s->last_new = true;
        return true;
    }
    if (c != '-' || !s->old_left) return false;
    s->old_left--;
    s->last_new = false;
    return true;
}

/* "@@ -a[,b] +c[,d] @@" */
static bool sec_hunk_start(struct section *s, const char *ln)
{
    char *e;
    strtoull(ln + 4, &e, 10);
    uint64_t b = 1, c, d = 1;
    if (*e == ',') b = strtoull(e + 1, &e, 10);
    if (e[0] != ' ' || e[1] != '+') return false;
    c = strtoull(e + 2, &e, 10);
    if (*e == ',') d = strtoull(e + 1, &e, 10);
    if (*e != ' ') return false;
    s->old_left = b;
    s->new_left = d;
    s->line = c;
    s->last_new = false;
    return true;
}

/* Compressed files and archives are scanned whole: their lines are not the diff's lines. */
static bool container(int fd)
{
    uint8_t h[264] = {0};
    ssize_t n = pread(fd, h, sizeof h, 0);
    if (n < 4) return false;
    static const struct {
        const char *m;
        size_t n;
    } magic[] = {{"\x1f\x8b", 2},
                 {"\x28\xb5\x2f\xfd", 4},
                 {"BZh", 3},
                 {"\xfd"
                  "7zXZ",
                  5},
                 {"\x04\x22\x4d\x18", 4},
                 {"PK\x03\x04", 4},
                 {"PK\x05\x06", 4},
                 {"7z\xbc\xaf", 4},
                 {"070701", 6},
                 {"!<arch>\n", 8}};
    for (size_t i = 0; i < sizeof magic / sizeof magic[0]; i++)
        if ((size_t)n >= magic[i].n && !memcmp(h, magic[i].m, magic[i].n)) return true;
    return n >= 262 && !memcmp(h + 257, "ustar", 5);
}

/* `git cat-file --batch`, started at the first blob the diff's text does not give. */
struct blobs {
    pid_t pid;
    int req;
    FILE *out;
};

/* Copies one blob from cat-file's output into fd (emptied first); false on failure. */
static bool fetch_blob(struct blobs *b, const char *sha, int fd)
{
    if (!b->out) {
        const char *const av[] = {"cat-file", "--batch", NULL};
        int ofd = -1;
        if ((b->pid = git_spawn(av, environ, &b->req, &ofd)) < 0) return false;
        if (!(b->out = fdopen(ofd, "r"))) {
            close(ofd);
            close(b->req);
            b->req = -1;
            return false;
        }
    }
    char line[256];
    size_t sl = strlen(sha);
    char q[72];
    memcpy(q, sha, sl);
    q[sl] = '\n';
    if (write(b->req, q, sl + 1) != (ssize_t)(sl + 1) || !fgets(line, sizeof line, b->out))
        return false;
    char type[16];
    uint64_t size;
    if (sscanf(line, "%*s %15s %" SCNu64, type, &size) != 2 || strcmp(type, "blob")) return false;
    if (ftruncate(fd, 0) != 0) return false;
    char buf[65536];
    off_t at = 0;
    while (size) {
        size_t k = fread(buf, 1, size < sizeof buf ? (size_t)size : sizeof buf, b->out);
        if (!k || pwrite(fd, buf, k, at) != (ssize_t)k) return false;
        at += (off_t)k;
        size -= k;
    }
    return fgetc(b->out) == '\n';
}

/* The environment for git diff: GIT_DIFF_OPTS would override -U (git's documentation: it
 * "takes precedence over any -U or --unified option"), GIT_EXTERNAL_DIFF is off anyway. */
static char **diff_env(void)
{
    size_t n = 0;
    while (environ[n]) n++;
    char **env = malloc((n + 1) * sizeof *env);
    if (!env) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "GIT_DIFF_OPTS=", 14) &&
            strncmp(environ[i], "GIT_EXTERNAL_DIFF=", 18))
            env[k++] = environ[i];
    env[k] = NULL;
    return env;
}

struct staged_run {
    struct run *r;
    bool all;
    struct staged *v;
    size_t n, cap;
    struct section sec;
    struct blobs blobs;
    int fd;      /* one memfd, refilled for each file */
    bool sha_ni; /* SHA-1 in hardware */
};

/* The file's section has ended: scan it. false: an error stops the staged scan. */
static bool finish_file(struct staged_run *g, const struct staged *s)
{
    struct run *r = g->r;
    struct section *sec = &g->sec;
    /* gitlinks (submodules) and symbolic links hold no file content */
    if (!strcmp(s->mode, "160000") || !strcmp(s->mode, "120000")) return true;
    if (repo_excluded(r->o, s->path)) {
        sink_skipped(r, s->path, NULL, "excluded");
        return true;
    }
    if (g->fd < 0 && (g->fd = memfd_create("piiscan-blob", MFD_CLOEXEC)) < 0) {
        sink_error(r, s->path, NULL, "cannot make a memory file");
        return false;
    }
    /* the diff's text when it is the blob (it always is for a text file), else the blob */
    bool ok;
    if (!sec->binary && blob_is(s->sha, sec->buf, sec->len, g->sha_ni))
        ok = ftruncate(g->fd, 0) == 0 &&
             (!sec->len || pwrite(g->fd, sec->buf, sec->len, 0) == (ssize_t)sec->len);
    else
        ok = fetch_blob(&g->blobs, s->sha, g->fd);
    if (!ok || lseek(g->fd, 0, SEEK_SET) != 0) {
        sink_error(r, s->path, NULL, "cannot read the staged blob");
        return false; /* the cat-file stream is out of step */
    }
    struct line_filter lf = {sec->runs, sec->n_runs};
    if (!g->all && !sec->binary && !container(g->fd)) r->lines = &lf;
    par_input(r, s->path, g->fd);
    r->lines = NULL;
    return true;
}

/* ":oldmode newmode oldsha newsha S" (the path is the next NUL-terminated field) */
static bool parse_raw(const char *rec, struct staged *s)
{
    const char *p = rec + 1;
    if (rec[0] != ':') return false;
    const char *f[4];
    size_t fl[4];
    for (int i = 0; i < 4; i++) {
        f[i] = p;
        fl[i] = strcspn(p, " ");
        if (!p[fl[i]]) return false;
        p += fl[i] + 1;
    }
    if (fl[1] >= sizeof s->mode || fl[3] >= sizeof s->sha || !*p) return false;
    memcpy(s->mode, f[1], fl[1]);
    s->mode[fl[1]] = 0;
    memcpy(s->sha, f[3], fl[3]);
    s->sha[fl[3]] = 0;
    return true;
}

static bool starts(const char *ln, size_t k, const char *lit)
{
    size_t n = strlen(lit);
    return k >= n && !memcmp(ln, lit, n);
}

static const char *const diff_av[] = {
    "diff", "--cached", "--patch-with-raw", "-z", "--no-abbrev", "--no-renames",
    "--diff-filter=AMT", "--no-color", "--no-ext-diff", "--no-textconv", "--no-relative",
    "--submodule=short", "--src-prefix=a/", "--dst-prefix=b/", "--unified=999999999",
    /* the user's diff.context, diff.noprefix, diff.mnemonicPrefix, color.ui, diff.external,
     * diff.submodule, diff.relative and textconv drivers are all overridden above */
    NULL};

void git_staged_start(struct cli_opts *o)
{
    char **env = diff_env();
    int fd = -1;
    pid_t pid = env ? git_spawn(diff_av, env, NULL, &fd) : -1;
    free(env);
    if (pid <= 0) return;
    /* room for a commit's diff, so that git is done before the engine is (best effort) */
    (void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
    o->h.diff_pid = pid;
    o->h.diff_fd = fd;
}

/* One git process in the common case: `git diff --cached --patch-with-raw -z` with a context
 * wide enough to hold every staged file whole. The raw part lists the files (modes, blob ids,
 * paths unquoted), the patch part gives, per file and in the same order, the new side's lines
 * (the file itself) and which of them are added. Only files the text does not give (binary,
 * mode-only changes) are read through one `git cat-file --batch`. Each file is scanned as soon
 * as its section ends, while git writes the next. */
bool git_scan_staged(struct run *r)
{
    struct staged_run g = {.r = r,
                           .all = r->o->h.all_lines,
                           .fd = -1,
                           .blobs = {.pid = -1, .req = -1},
                           .sha_ni = sha1_have_ni()};
    bool ok = false, stopped = false;
    char *ln = NULL;
    size_t lcap = 0;
    int ofd = r->o->h.diff_fd;
    pid_t pid = r->o->h.diff_pid;
    FILE *in = NULL;
    if (pid <= 0) {
        char **env = diff_env();
        pid = env ? git_spawn(diff_av, env, NULL, &ofd) : -1;
        free(env);
    }
    if (pid < 0 || !(in = fdopen(ofd, "r"))) {
        fputs("piiscan: git --staged: cannot run git diff\n", stderr);
        if (pid > 0) close(ofd);
        goto done;
    }
    static char inbuf[1 << 16];
    setvbuf(in, inbuf, _IOFBF, sizeof inbuf);

    /* the raw part: one record and one path per file, then an empty record */
    ssize_t k;
    while ((k = getdelim(&ln, &lcap, 0, in)) > 1) {
        struct staged *nv = grow_array(g.v, &g.cap, g.n + 1, sizeof *nv, 64);
        if (!nv) goto bad;
        g.v = nv;
        struct staged *s = &g.v[g.n];
        if (!parse_raw(ln, s) || getdelim(&ln, &lcap, 0, in) <= 1 || !(s->path = strdup(ln)))
            goto bad;
        g.n++;
    }

    /* the patch part: "diff --git" opens each file's section, in the raw part's order; a type
     * change shows its deleted half first, as a section of its own */
    struct section *sec = &g.sec;
    size_t next = 0;
    ptrdiff_t cur = -1;
    while ((k = getline(&ln, &lcap, in)) > 0) {
        if (sec->old_left || sec->new_left) {
            if (!sec_hunk_line(sec, ln, (size_t)k)) goto bad;
        } else if (ln[0] == '\\') {
            if (!sec_hunk_line(sec, ln, (size_t)k)) goto bad;
        } else if (starts(ln, (size_t)k, "diff --git ")) {
            if (sec->open && !finish_file(&g, &g.v[cur])) goto done;
            if (r->out_broken) {
                stopped = true;
                break;
            }
            if (next == g.n) goto bad;
            cur = (ptrdiff_t)next++;
            const struct staged *s = &g.v[cur];
            sec->open = true;
            sec->want = strcmp(s->mode, "160000") && strcmp(s->mode, "120000") &&
                        !repo_excluded(r->o, s->path);
            sec->binary = sec->last_new = false;
            sec->len = sec->n_runs = 0;
        } else if (starts(ln, (size_t)k, "deleted file mode ")) {
            if (!sec->open) goto bad;
            sec->open = sec->want = false;
            next--;
        } else if (starts(ln, (size_t)k, "@@ -")) {
            if (cur < 0 || !sec_hunk_start(sec, ln)) goto bad;
        } else if (starts(ln, (size_t)k, "Binary files ") ||
                   starts(ln, (size_t)k, "GIT binary patch")) {
            sec->binary = true;
        }
    }
    if (!stopped) {
        if (sec->old_left || sec->new_left || next != g.n) goto bad;
        if (sec->open && !finish_file(&g, &g.v[cur])) goto done;
    }
    ok = true;
    goto done;
bad:
    fputs("piiscan: git --staged: cannot read the staged diff\n", stderr);
done:
    if (in) fclose(in); /* before the wait: a git still writing gets EPIPE */
    if (pid > 0) {
        int rc = git_wait(pid);
        if (rc != 0 && ok && !stopped && !r->out_broken) {
            fputs("piiscan: git --staged: git diff failed\n", stderr);
            ok = false;
        }
    }
    if (g.blobs.req >= 0) close(g.blobs.req);
    if (g.blobs.out) fclose(g.blobs.out);
    if (g.blobs.pid > 0 && git_wait(g.blobs.pid) != 0 && ok) {
        fputs("piiscan: git cat-file failed\n", stderr);
        ok = false;
    }
    if (g.fd >= 0) close(g.fd);
    for (size_t i = 0; i < g.n; i++) free(g.v[i].path);
    free(g.v);
    free(g.sec.buf);
    free(g.sec.runs);
    free(ln);
    return ok;
}
