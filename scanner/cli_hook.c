/* cli_hook.c: the pre-commit hook's report (short, human, on stderr: where, what, masked
 * value, what to replace it with) and `piiscan install-hook`. The verdicts themselves are
 * decided in cli_repo.c; this file only words them. */
#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HOOK_MARK "Written by 'piiscan install-hook'"

static void value(FILE *e, const struct run *r, const pii_finding *f)
{
    char m[4097]; /* longest match (PII_MAX_MATCH) and its NUL */
    size_t n;
    const char *s;
    match_text(r, f, m, sizeof m, &s, &n);
    text_bytes(e, s, n);
}

void hook_finding(struct run *r, const pii_finding *f)
{
    FILE *e = stderr;
    int thr = r->o->h.risk_threshold;
    text_name(e, r->cur_path, r->cur_member);
    fprintf(e, ":%" PRIu64 ":%" PRIu64 ": ", f->line, f->column);
    const char *verdict = f->allowed           ? "allowed"
                          : f->test_value      ? "note"
                          : (int)f->risk < thr ? "note"
                                               : "error";
    fprintf(e, "%s: %s ", verdict, f->detector);
    value(e, r, f);
    if (f->allowed) {
        fputs(" (", e);
        if (f->allow_reason_len) {
            for (size_t i = 0; i < f->allow_reason_len; i++) {
                unsigned char c = (unsigned char)f->allow_reason[i];
                fputc(c < 0x20 || c == 0x7f ? '?' : c, e);
            }
        } else {
            fputs("piiscan:allow", e);
        }
        fputs(")\n", e);
        return;
    }
    if (f->test_value) {
        fputs(" is a documented test value\n", e);
        return;
    }
    char sug[512];
    bool have = suggest_replacement(f, sug, sizeof sug);
    if ((int)f->risk < thr)
        fprintf(e, " (risk %s, below the threshold %s)", pii_risk_name(f->risk),
                pii_risk_name((pii_risk)thr));
    /* the suggestion is a public test value (printable ASCII): shown whole, never masked */
    if (have) fprintf(e, " -> replace with %s", sug);
    fputc('\n', e);
}

void hook_finish(struct run *r)
{
    FILE *e = stderr;
    if (!r->findings && !r->errors) return;
    if (r->blocking) {
        fprintf(e, "piiscan: %" PRIu64 " finding%s block%s this commit (risk %s or higher)",
                r->blocking, r->blocking == 1 ? "" : "s", r->blocking == 1 ? "s" : "",
                pii_risk_name((pii_risk)r->o->h.risk_threshold));
    } else {
        fputs("piiscan: nothing blocks this commit", e);
    }
    fprintf(e, "; %" PRIu64 " note%s, %" PRIu64 " allowed.\n", r->notes, r->notes == 1 ? "" : "s",
            r->allowed);
    if (r->blocking)
        fputs("  Replace each value with the suggested test value, or mark an intended one with\n"
              "  'piiscan:allow DETECTOR reason' on its line (or 'piiscan:allow-next-line' on the\n"
              "  line before), or record it with 'piiscan baseline update'.\n",
              e);
}

/* The path as one single-quoted shell word. */
static void sh_quote(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++)
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    fputc('\'', f);
}

int hook_install(int argc, char **argv)
{
    bool force = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--force")) {
            force = true;
        } else {
            fprintf(stderr,
                    "piiscan: install-hook: unknown argument '%s'\n"
                    "usage: piiscan install-hook [--force]\n",
                    argv[i]);
            return 2;
        }
    }
    char *path = NULL;
    size_t n = 0;
    const char *const av[] = {"rev-parse", "--git-path", "hooks/pre-commit", NULL};
    if (git_capture(av, &path, &n) != 0 || !n) {
        free(path);
        fputs("piiscan: install-hook: not inside a git repository\n", stderr);
        return 2;
    }
    path[strcspn(path, "\n")] = 0;
    char exe[4096];
    ssize_t el = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (el <= 0) {
        snprintf(exe, sizeof exe, "piiscan");
        el = 7;
    }
    exe[el] = 0;

    int rc = 2;
    char *old = NULL;
    FILE *f = fopen(path, "r");
    if (f) {
        size_t cap = 0;
        ssize_t k = getdelim(&old, &cap, 0, f);
        fclose(f);
        if (k > 0 && !strstr(old, HOOK_MARK) && !force) {
            fprintf(stderr,
                    "piiscan: install-hook: %s exists and is not piiscan's; keeping it "
                    "(--force replaces it)\n",
                    path);
            goto out;
        }
    }
    /* the hooks directory may not exist (core.hooksPath, a bare template) */
    char *slash = strrchr(path, '/');
    if (slash) {
        *slash = 0;
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "piiscan: install-hook: %s: %s\n", path, strerror(errno));
            goto out;
        }
        *slash = '/';
    }
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.piiscan-tmp", path);
    f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "piiscan: install-hook: %s: %s\n", tmp, strerror(errno));
        goto out;
    }
    fputs("#!/bin/sh\n"
          "# " HOOK_MARK ": blocks a commit that adds personal data.\n"
          "# It scans what is staged (piiscan git --staged); the next install-hook replaces it.\n"
          "# Skip it once with 'git commit --no-verify'.\n"
          "PIISCAN=${PIISCAN:-",
          f);
    sh_quote(f, exe);
    fputs("}\n"
          "command -v \"$PIISCAN\" >/dev/null 2>&1 || PIISCAN=piiscan\n"
          "exec \"$PIISCAN\" git --staged\n",
          f);
    bool ok = !ferror(f);
    ok = fclose(f) == 0 && ok;
    if (!ok || chmod(tmp, 0755) != 0 || rename(tmp, path) != 0) {
        fprintf(stderr, "piiscan: install-hook: cannot write %s: %s\n", path, strerror(errno));
        unlink(tmp);
        goto out;
    }
    fprintf(stderr, "piiscan: installed %s\n", path);
    rc = 0;
out:
    free(old);
    free(path);
    return rc;
}
