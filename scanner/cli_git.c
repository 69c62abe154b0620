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

/* Starts git with argv; *in / *out are the child's stdin / stdout pipes (NULL: inherited). */
static pid_t git_spawn(const char *const *argv, int *in, int *out)
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
    if (posix_spawnp(&pid, "git", &fa, NULL, av, environ) != 0) pid = -1;
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
    pid_t pid = git_spawn(argv, NULL, &fd);
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

/* One staged file. */
struct staged {
    char mode[7];
    char sha[65];
    const char *path;
    size_t first, n; /* its added-line runs in the shared vector */
    bool binary;     /* git shows no text diff for it */
};

struct staged_list {
    struct staged *v;
    size_t n, cap;
    uint64_t (*runs)[2];
    size_t n_runs, cap_runs;
};

static bool push_run(struct staged_list *l, uint64_t a, uint64_t b)
{
    if (l->n_runs == l->cap_runs) {
        size_t nc = l->cap_runs ? l->cap_runs * 2 : 256;
        uint64_t(*nv)[2] = realloc(l->runs, nc * sizeof *nv);
        if (!nv) return false;
        l->runs = nv;
        l->cap_runs = nc;
    }
    l->runs[l->n_runs][0] = a;
    l->runs[l->n_runs][1] = b;
    l->n_runs++;
    return true;
}

/* `git diff --cached --raw -z`: ":old new oldsha newsha S\0path\0" per file. */
static bool parse_raw(char *raw, size_t len, struct staged_list *l)
{
    size_t i = 0;
    while (i < len) {
        char *rec = raw + i;
        size_t rl = strlen(rec);
        if (rec[0] != ':' || i + rl + 1 >= len) return false;
        char *path = rec + rl + 1;
        i += rl + 1 + strlen(path) + 1;
        char om[7], nm[7], os[65], ns[65], st[4];
        if (sscanf(rec, ":%6s %6s %64s %64s %3s", om, nm, os, ns, st) != 5) return false;
        if (l->n == l->cap) {
            size_t nc = l->cap ? l->cap * 2 : 64;
            struct staged *nv = realloc(l->v, nc * sizeof *nv);
            if (!nv) return false;
            l->v = nv;
            l->cap = nc;
        }
        struct staged *s = &l->v[l->n++];
        memset(s, 0, sizeof *s);
        memcpy(s->mode, nm, sizeof s->mode);
        memcpy(s->sha, ns, sizeof s->sha);
        s->path = path;
    }
    return true;
}

/* `git diff --cached -U0`: the same files in the same order, one "diff --git" section each;
 * "@@ -a,b +c,d @@" gives d added lines from c (d omitted: 1). */
static bool parse_patch(char *p, size_t len, struct staged_list *l)
{
    ptrdiff_t cur = -1;
    char *end = p + len;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (ll >= 11 && !memcmp(p, "diff --git ", 11)) {
            if (cur >= 0) l->v[cur].n = l->n_runs - l->v[cur].first;
            if ((size_t)++cur >= l->n) return false;
            l->v[cur].first = l->n_runs;
        } else if (cur >= 0 && ll >= 4 && !memcmp(p, "@@ -", 4)) {
            char *plus = memchr(p, '+', ll);
            if (!plus) return false;
            char *e;
            uint64_t c = strtoull(plus + 1, &e, 10), d = 1;
            if (*e == ',') d = strtoull(e + 1, &e, 10);
            if (d && !push_run(l, c, c + d - 1)) return false;
        } else if (cur >= 0 && ll >= 13 && !memcmp(p, "Binary files ", 13)) {
            l->v[cur].binary = true;
        } else if (cur >= 0 && ll >= 12 && !memcmp(p, "GIT binary p", 12)) {
            l->v[cur].binary = true;
        }
        p = nl ? nl + 1 : end;
    }
    if (cur >= 0) l->v[cur].n = l->n_runs - l->v[cur].first;
    return (size_t)(cur + 1) == l->n;
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

/* Copies one blob from cat-file's output into a memfd; -1 on failure. */
static int fetch_blob(FILE *out, int req, const struct staged *s, const char *path)
{
    char line[256];
    size_t sl = strlen(s->sha);
    char q[72];
    memcpy(q, s->sha, sl);
    q[sl] = '\n';
    if (write(req, q, sl + 1) != (ssize_t)(sl + 1) || !fgets(line, sizeof line, out)) return -1;
    char type[16];
    uint64_t size;
    if (sscanf(line, "%*s %15s %" SCNu64, type, &size) != 2 || strcmp(type, "blob")) return -1;
    int fd = memfd_create("piiscan-blob", MFD_CLOEXEC);
    if (fd < 0) return -1;
    char buf[65536];
    while (size) {
        size_t k = fread(buf, 1, size < sizeof buf ? (size_t)size : sizeof buf, out);
        if (!k || write(fd, buf, k) != (ssize_t)k) {
            close(fd);
            return -1;
        }
        size -= k;
    }
    (void)path;
    if (fgetc(out) != '\n' || lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

bool git_scan_staged(struct run *r)
{
    const bool all = r->o->h.all_lines;
    const char *const raw_av[] = {
        "diff",         "--cached",          "--raw",         "-z", "--no-abbrev",
        "--no-renames", "--diff-filter=AMT", "--no-ext-diff", NULL};
    const char *const patch_av[] = {"diff",
                                    "--cached",
                                    "-U0",
                                    "--no-color",
                                    "--no-ext-diff",
                                    "--no-textconv",
                                    "--no-renames",
                                    "--diff-filter=AMT",
                                    "--src-prefix=a/",
                                    "--dst-prefix=b/",
                                    NULL};
    char *raw = NULL, *patch = NULL;
    size_t rawn, patchn;
    struct staged_list l = {0};
    bool ok = false;
    FILE *out = NULL;
    int req = -1, ofd = -1;
    pid_t pid = -1;
    if (git_capture(raw_av, &raw, &rawn) != 0 || !parse_raw(raw, rawn, &l)) {
        fputs("piiscan: git --staged: cannot list the staged files\n", stderr);
        goto done;
    }
    if (!all && (git_capture(patch_av, &patch, &patchn) != 0 || !parse_patch(patch, patchn, &l))) {
        fputs("piiscan: git --staged: cannot read the staged diff\n", stderr);
        goto done;
    }
    ok = true;
    if (!l.n) goto done;
    const char *const cat_av[] = {"cat-file", "--batch", NULL};
    if ((pid = git_spawn(cat_av, &req, &ofd)) < 0 || !(out = fdopen(ofd, "r"))) {
        fputs("piiscan: git --staged: cannot run git cat-file\n", stderr);
        ok = false;
        goto done;
    }
    ofd = -1;
    for (size_t i = 0; i < l.n && !r->out_broken; i++) {
        const struct staged *s = &l.v[i];
        /* gitlinks (submodules) and symbolic links hold no file content */
        if (!strcmp(s->mode, "160000") || !strcmp(s->mode, "120000")) continue;
        if (repo_excluded(r->o, s->path)) {
            sink_skipped(r, s->path, NULL, "excluded");
            continue;
        }
        int fd = fetch_blob(out, req, s, s->path);
        if (fd < 0) {
            sink_error(r, s->path, NULL, "cannot read the staged blob");
            ok = false;
            break; /* the cat-file stream is out of step */
        }
        struct line_filter lf = {l.runs ? l.runs + s->first : NULL, s->n};
        if (!all && !s->binary && !container(fd)) r->lines = &lf;
        par_input(r, s->path, fd);
        r->lines = NULL;
        close(fd);
    }
done:
    if (req >= 0) close(req);
    if (out) fclose(out);
    if (ofd >= 0) close(ofd);
    if (pid > 0 && git_wait(pid) != 0 && ok) {
        fputs("piiscan: git cat-file failed\n", stderr);
        ok = false;
    }
    free(l.v);
    free(l.runs);
    free(raw);
    free(patch);
    return ok;
}
