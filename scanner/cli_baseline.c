/* cli_baseline.c: `piiscan baseline create|update|audit`: collects the findings of a scan and
 * writes them as .piiscan-baseline.json entries keyed by (detector, keyed fingerprint, path),
 * sorted, so that a re-run writes the same bytes; or compares them with the file (audit).
 * The pre-commit modes only read the baseline (cli_repo.c). */
#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct bent {
    char *path, *detector, *value;
    char fp[68];
    uint64_t line, column;
};

struct bl_collect {
    struct bent *v;
    size_t n, cap;
    uint64_t new_entries, stale;
};

void baseline_finding(struct run *r, const pii_finding *f)
{
    /* what would not block anyway needs no entry */
    if (f->allowed || f->test_value) return;
    if (!r->blc && !(r->blc = calloc(1, sizeof *r->blc))) return;
    struct bl_collect *c = r->blc;
    struct bent *nv = grow_array(c->v, &c->cap, c->n + 1, sizeof *nv, 64);
    if (!nv) return;
    c->v = nv;
    struct bent *e = &c->v[c->n];
    char m[PII_MAX_MATCH + 1];
    pii_finding_mask(f, m, sizeof m);
    e->path = strdup(repo_rel(r->o, r->cur_path));
    e->detector = strdup(f->detector);
    e->value = strdup(m);
    e->line = f->line;
    e->column = f->column;
    run_fingerprint(r, f, e->fp);
    if (!e->path || !e->detector || !e->value) {
        free(e->path);
        free(e->detector);
        free(e->value);
        return;
    }
    c->n++;
}

void baseline_collect_free(struct run *r)
{
    struct bl_collect *c = r->blc;
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].path);
        free(c->v[i].detector);
        free(c->v[i].value);
    }
    free(c->v);
    free(c);
    r->blc = NULL;
}

static int bent_cmp(const void *a, const void *b)
{
    const struct bent *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    if (!c) c = strcmp(x->detector, y->detector);
    if (!c) c = strcmp(x->fp, y->fp);
    return c;
}

static void jstr(FILE *f, const char *s)
{
    json_write_str(f, s, strlen(s));
}

static bool write_file(const char *file, const char *salt, const struct bl_collect *c)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", file);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "piiscan: %s: %s\n", tmp, strerror(errno));
        return false;
    }
    fputs("{\n  \"version\": 1,\n  \"tool\": \"piiscan\",\n  \"salt\": ", f);
    jstr(f, salt);
    fputs(",\n  \"entries\": [", f);
    size_t written = 0;
    for (size_t i = 0; c && i < c->n; i++) {
        const struct bent *e = &c->v[i];
        if (i && !bent_cmp(e, &c->v[i - 1])) continue; /* one entry per key */
        fputs(written++ ? ",\n    {\"path\": " : "\n    {\"path\": ", f);
        jstr(f, e->path);
        fputs(", \"detector\": ", f);
        jstr(f, e->detector);
        fprintf(f, ", \"fingerprint\": \"%s\"}", e->fp);
    }
    fputs(written ? "\n  ]\n}\n" : "]\n}\n", f);
    bool ok = !ferror(f);
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, file) != 0) {
        fprintf(stderr, "piiscan: %s: cannot write the baseline\n", file);
        unlink(tmp);
        return false;
    }
    fprintf(stderr, "piiscan: %s: %zu entr%s\n", file, written, written == 1 ? "y" : "ies");
    return true;
}

static bool in_collect(const struct bl_collect *c, const char *det, const char *fp,
                       const char *path)
{
    if (!c || !c->n) return false;
    struct bent k = {.path = (char *)path, .detector = (char *)det};
    snprintf(k.fp, sizeof k.fp, "%s", fp);
    return bsearch(&k, c->v, c->n, sizeof *c->v, bent_cmp) != NULL;
}

static void audit(struct run *r)
{
    struct bl_collect *c = r->blc;
    const struct baseline *b = r->o->h.bl;
    FILE *o = r->out;
    uint64_t present = 0, stale = 0, fresh = 0;
    for (size_t i = 0; c && i < c->n; i++) {
        const struct bent *e = &c->v[i];
        bool known = baseline_has(b, e->detector, e->fp, e->path);
        fputs(known ? "baselined " : "new       ", o);
        text_name(o, e->path, NULL);
        fprintf(o, ":%" PRIu64 ":%" PRIu64 ": %s %s\n", e->line, e->column, e->detector, e->value);
        if (known)
            present++;
        else
            fresh++;
    }
    for (size_t i = 0; i < baseline_count(b); i++) {
        const char *d, *fp, *p;
        baseline_entry(b, i, &d, &fp, &p);
        if (in_collect(c, d, fp, p)) continue;
        fputs("stale     ", o);
        text_name(o, p, NULL);
        fprintf(o, ": %s %.15s… (no longer found)\n", d, fp);
        stale++;
    }
    fprintf(o,
            "baseline %s: %zu entries; %" PRIu64 " findings baselined, %" PRIu64
            " new (not in the baseline), %" PRIu64 " stale entries\n",
            r->o->h.baseline_path, baseline_count(b), present, fresh, stale);
    if (c) {
        c->new_entries = fresh;
        c->stale = stale;
    } else if (stale && (r->blc = calloc(1, sizeof *r->blc))) {
        r->blc->stale = stale;
    }
}

bool baseline_finish(struct run *r)
{
    const struct hook_opts *h = &r->o->h;
    if (r->blc && r->blc->n) qsort(r->blc->v, r->blc->n, sizeof *r->blc->v, bent_cmp);
    if (h->baseline_cmd == BL_AUDIT) {
        audit(r);
        return true;
    }
    struct stat st;
    if (h->baseline_cmd == BL_CREATE && stat(h->baseline_path, &st) == 0) {
        fprintf(stderr, "piiscan: %s exists: 'piiscan baseline update' refreshes it\n",
                h->baseline_path);
        return false;
    }
    return write_file(h->baseline_path, baseline_salt(h->bl), r->blc);
}

int baseline_exit(const struct run *r)
{
    if (r->o->h.baseline_cmd != BL_AUDIT) return 0;
    return r->blc && (r->blc->new_entries || r->blc->stale) ? 1 : 0;
}
