/* cli_repo.c: the repository modes' policy: the config file (.piiscan.json), the baseline
 * (.piiscan-baseline.json), and the verdict on each finding (allowed, blocking or a note).
 * Both files are JSON parsed with jansson; neither is ever read from a scanned archive. */
#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <jansson.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONFIG_FILE   ".piiscan.json"
#define BASELINE_FILE ".piiscan-baseline.json"
#define VALUE_MAX     4096 /* the longest match a detector reports */

struct repo_cfg {
    char *detectors, *exclude_detectors;
    int risk; /* -1: not set */
    char **exclude_paths;
    size_t n_excl;
    char **allow_values;
    size_t n_vals;
    regex_t *allow_re;
    size_t n_re;
};

struct bl_entry {
    char *detector, *fp, *path;
};

struct baseline {
    char *salt;
    struct bl_entry *v;
    size_t n;
};

static bool cfg_error(const char *file, const char *what)
{
    fprintf(stderr, "piiscan: %s: %s\n", file, what);
    return false;
}

/* The JSON document in file (duplicate keys rejected), or NULL after printing why. */
static json_t *load_json(const char *file)
{
    json_error_t je;
    json_t *root = json_load_file(file, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        char msg[300];
        snprintf(msg, sizeof msg, "line %d: %s", je.line, je.text);
        cfg_error(file, msg);
    }
    return root;
}

/* A string or an array of strings, joined with ',' (for --detectors specs). */
static bool spec_string(json_t *v, char **out)
{
    if (json_is_string(v)) return (*out = strdup(json_string_value(v))) != NULL;
    if (!json_is_array(v)) return false;
    size_t len = 1, i;
    json_t *x;
    json_array_foreach(v, i, x)
    {
        if (!json_is_string(x)) return false;
        len += json_string_length(x) + 1;
    }
    char *s = calloc(1, len), *p = s;
    if (!s) return false;
    json_array_foreach(v, i, x)
    {
        size_t n = json_string_length(x);
        if (p != s) *p++ = ',';
        memcpy(p, json_string_value(x), n);
        p += n;
    }
    *out = s;
    return true;
}

static bool string_list(json_t *v, char ***out, size_t *n)
{
    if (!json_is_array(v)) return false;
    *out = calloc(json_array_size(v) + 1, sizeof **out);
    if (!*out) return false;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x)
    {
        if (!json_is_string(x)) return false;
        if (!((*out)[(*n)++] = strdup(json_string_value(x)))) return false;
    }
    return true;
}

int risk_by_name(const char *s)
{
    static const char *const names[] = {"low", "medium", "high", NULL};
    static const pii_risk risks[] = {PII_RISK_LOW, PII_RISK_MEDIUM, PII_RISK_HIGH};
    int i = cli_keyword(s, names);
    return i < 0 ? -1 : (int)risks[i];
}

static void cfg_free(struct repo_cfg *c)
{
    if (!c) return;
    free(c->detectors);
    free(c->exclude_detectors);
    for (size_t i = 0; i < c->n_excl; i++) free(c->exclude_paths[i]);
    free(c->exclude_paths);
    for (size_t i = 0; i < c->n_vals; i++) free(c->allow_values[i]);
    free(c->allow_values);
    for (size_t i = 0; i < c->n_re; i++) regfree(&c->allow_re[i]);
    free(c->allow_re);
    free(c);
}

/* Unknown keys are errors: a misspelt "exclude_path" must not silently scan everything. */
static bool cfg_load(const char *file, struct repo_cfg **out)
{
    json_t *root = load_json(file);
    if (!root) return false;
    struct repo_cfg *c = calloc(1, sizeof *c);
    bool ok = c && json_is_object(root);
    if (!c) {
        json_decref(root);
        return cfg_error(file, "out of memory");
    }
    c->risk = -1;
    const char *key;
    json_t *v;
    char msg[300] = "the top level must be an object";
    if (ok) json_object_foreach(root, key, v)
        {
            if (!strcmp(key, "detectors"))
                ok = spec_string(v, &c->detectors);
            else if (!strcmp(key, "exclude_detectors"))
                ok = spec_string(v, &c->exclude_detectors);
            else if (!strcmp(key, "risk_threshold"))
                ok = (c->risk = risk_by_name(json_string_value(v))) >= 0;
            else if (!strcmp(key, "exclude_paths"))
                ok = string_list(v, &c->exclude_paths, &c->n_excl);
            else if (!strcmp(key, "allow_values"))
                ok = string_list(v, &c->allow_values, &c->n_vals);
            else if (!strcmp(key, "allow_patterns")) {
                ok = json_is_array(v) &&
                     (c->allow_re = calloc(json_array_size(v) + 1, sizeof *c->allow_re));
                size_t i;
                json_t *x;
                json_array_foreach(v, i, x)
                {
                    if (!ok) break;
                    ok = json_is_string(x) && regcomp(&c->allow_re[c->n_re], json_string_value(x),
                                                      REG_EXTENDED | REG_NOSUB) == 0;
                    if (ok) c->n_re++;
                }
            } else if (strcmp(key, "$comment") != 0) {
                snprintf(msg, sizeof msg, "unknown key '%s'", key);
                ok = false;
                break;
            }
            if (!ok) {
                if (!strncmp(msg, "the top", 7))
                    snprintf(msg, sizeof msg, "bad value for '%s' (see README.md)", key);
                break;
            }
        }
    json_decref(root);
    if (!ok) {
        cfg_free(c);
        return cfg_error(file, msg);
    }
    *out = c;
    return true;
}

static int entry_cmp(const void *a, const void *b)
{
    const struct bl_entry *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    if (!c) c = strcmp(x->detector, y->detector);
    if (!c) c = strcmp(x->fp, y->fp);
    return c;
}

static void bl_free(struct baseline *b)
{
    if (!b) return;
    for (size_t i = 0; i < b->n; i++) {
        free(b->v[i].detector);
        free(b->v[i].fp);
        free(b->v[i].path);
    }
    free(b->v);
    free(b->salt);
    free(b);
}

static bool bl_load(const char *file, struct baseline **out)
{
    json_t *root = load_json(file);
    if (!root) return false;
    struct baseline *b = calloc(1, sizeof *b);
    json_t *salt = json_object_get(root, "salt"), *ents = json_object_get(root, "entries");
    bool ok = b && json_is_string(salt) && json_string_length(salt) >= 16 && json_is_array(ents) &&
              json_integer_value(json_object_get(root, "version")) == 1;
    if (ok) {
        b->salt = strdup(json_string_value(salt));
        b->v = calloc(json_array_size(ents) + 1, sizeof *b->v);
        ok = b->salt && b->v;
    }
    size_t i;
    json_t *e;
    if (ok) json_array_foreach(ents, i, e)
        {
            const char *d = json_string_value(json_object_get(e, "detector"));
            const char *f = json_string_value(json_object_get(e, "fingerprint"));
            const char *p = json_string_value(json_object_get(e, "path"));
            if (!d || !f || !p) {
                ok = false;
                break;
            }
            struct bl_entry *x = &b->v[b->n++];
            x->detector = strdup(d);
            x->fp = strdup(f);
            x->path = strdup(p);
            if (!x->detector || !x->fp || !x->path) {
                ok = false;
                break;
            }
        }
    json_decref(root);
    if (!ok) {
        bl_free(b);
        return cfg_error(file, "not a piiscan baseline (version 1: salt, entries)");
    }
    if (b->n) qsort(b->v, b->n, sizeof *b->v, entry_cmp);
    *out = b;
    return true;
}

bool baseline_has(const struct baseline *b, const char *detector, const char *fp, const char *path)
{
    if (!b || !b->n) return false;
    struct bl_entry k = {(char *)detector, (char *)fp, (char *)path};
    return bsearch(&k, b->v, b->n, sizeof *b->v, entry_cmp) != NULL;
}

size_t baseline_count(const struct baseline *b)
{
    return b ? b->n : 0;
}

void baseline_entry(const struct baseline *b, size_t i, const char **detector, const char **fp,
                    const char **path)
{
    *detector = b->v[i].detector;
    *fp = b->v[i].fp;
    *path = b->v[i].path;
}

const char *baseline_salt(const struct baseline *b)
{
    return b ? b->salt : NULL;
}

bool repo_salt(char out[65])
{
    uint8_t r[32];
    size_t got = 0;
    while (got < sizeof r) {
        ssize_t n = getrandom(r + got, sizeof r - got, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        got += (size_t)n;
    }
    for (size_t i = 0; i < sizeof r; i++) snprintf(out + 2 * i, 3, "%02x", r[i]);
    return true;
}

static bool exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* root/name into buf ("name" alone when root is ""). */
static const char *in_root(const char *root, const char *name, char *buf, size_t cap)
{
    if (!root || !*root) return name;
    snprintf(buf, cap, "%s/%s", root, name);
    return buf;
}

bool repo_setup(struct cli_opts *o, pii_detectors *d, const char **fingerprint_key)
{
    struct hook_opts *h = &o->h;
    h->repo_root = "";
    h->repo = h->pre_commit || h->git_staged || h->baseline_cmd;
    if (!h->repo && o->n_paths == 1 && !o->files_from && o->format != FMT_REDACT) {
        /* a scan of a repository's root is a repository mode too (not a copy: --redact
         * replaces every finding, whatever a config or baseline allows) */
        char g[4096];
        struct stat st;
        if (stat(o->paths[0], &st) == 0 && S_ISDIR(st.st_mode) &&
            exists(in_root(o->paths[0], ".git", g, sizeof g))) {
            h->repo = true;
            h->repo_root = strcmp(o->paths[0], ".") ? o->paths[0] : "";
        }
    }
    if (h->git_staged && !exists(".git")) {
        /* the index's paths are relative to the top level: work from there (a hook already
         * runs there, and is spared the extra git process) */
        char *top = NULL;
        size_t n = 0;
        const char *const av[] = {"rev-parse", "--show-toplevel", NULL};
        if (git_capture(av, &top, &n) != 0 || !n) {
            free(top);
            fputs("piiscan: git --staged: not inside a git work tree\n", stderr);
            return false;
        }
        top[strcspn(top, "\n")] = 0;
        int rc = chdir(top);
        free(top);
        if (rc != 0) {
            fprintf(stderr, "piiscan: git --staged: cannot enter the work tree: %s\n",
                    strerror(errno));
            return false;
        }
    }
    if (!h->repo) {
        if (h->risk_threshold < 0) h->risk_threshold = PII_RISK_MEDIUM;
        return true;
    }
    char buf[4096];
    const char *cf =
        h->config_path ? h->config_path : in_root(h->repo_root, CONFIG_FILE, buf, sizeof buf);
    if ((h->config_path || exists(cf)) && !cfg_load(cf, &h->cfg)) return false;
    struct repo_cfg *c = h->cfg;
    pii_error err = PII_ERROR_INIT;
    if (c && c->detectors && !o->detectors && pii_detectors_select(d, c->detectors, 0, &err))
        return cfg_error(cf, err.msg);
    if (c && c->exclude_detectors && !o->exclude &&
        pii_detectors_select(d, c->exclude_detectors, 1, &err))
        return cfg_error(cf, err.msg);
    if (h->risk_threshold < 0) h->risk_threshold = c && c->risk >= 0 ? c->risk : PII_RISK_MEDIUM;

    const char *bf =
        h->baseline_path ? h->baseline_path : in_root(h->repo_root, BASELINE_FILE, buf, sizeof buf);
    if (h->baseline_cmd == BL_CREATE) {
        if (!h->baseline_path) h->baseline_path = BASELINE_FILE;
        char salt[65];
        if (!repo_salt(salt) || !(h->bl = calloc(1, sizeof *h->bl)) ||
            !(h->bl->salt = strdup(salt)))
            return cfg_error(bf, "cannot make a salt");
    } else if (h->baseline_cmd || h->baseline_path || exists(bf)) {
        if (!h->baseline_path) h->baseline_path = BASELINE_FILE;
        if (!bl_load(bf, &h->bl)) return false;
    }
    /* the baseline's salt keys the fingerprints, so that its entries match */
    if (h->bl) *fingerprint_key = h->bl->salt;
    return true;
}

void repo_free(struct cli_opts *o)
{
    cfg_free(o->h.cfg);
    o->h.cfg = NULL;
    bl_free(o->h.bl);
    o->h.bl = NULL;
}

const char *repo_rel(const struct cli_opts *o, const char *path)
{
    const char *root = o->h.repo_root;
    size_t rl = root ? strlen(root) : 0;
    if (rl && !strncmp(path, root, rl) && path[rl] == '/') path += rl + 1;
    while (path[0] == '.' && path[1] == '/') path += 2;
    return path;
}

bool repo_excluded(const struct cli_opts *o, const char *path)
{
    const struct repo_cfg *c = o->h.cfg;
    const char *p = repo_rel(o, path);
    /* a scan of the repository's root does not read git's own store */
    if (o->h.repo && !strncmp(p, ".git", 4) && (!p[4] || p[4] == '/')) return true;
    if (!c || !c->n_excl) return false;
    for (size_t i = 0; i < c->n_excl; i++) {
        const char *pat = c->exclude_paths[i];
        size_t n = strlen(pat);
        /* "dir/" excludes a tree; otherwise a glob over the whole relative path, where '*'
         * also crosses a slash ("tests/ *.csv" without the space covers tests/a/b.csv) */
        if (n && pat[n - 1] == '/' && !strncmp(p, pat, n)) return true;
        if (n && pat[n - 1] == '/' && !strncmp(p, pat, n - 1) && !p[n - 1]) return true;
        if (fnmatch(pat, p, 0) == 0) return true;
    }
    return false;
}

static bool cfg_allows(const struct repo_cfg *c, const pii_finding *f)
{
    if (!c || (!c->n_vals && !c->n_re)) return false;
    char v[VALUE_MAX + 1];
    size_t n = f->length < VALUE_MAX ? f->length : VALUE_MAX;
    memcpy(v, f->match, n);
    v[n] = 0;
    for (size_t i = 0; i < c->n_vals; i++) {
        const char *a = c->allow_values[i];
        if (!strcmp(a, v)) return true;
        if (strlen(a) == f->normalized_len && !memcmp(a, f->normalized, f->normalized_len))
            return true;
    }
    for (size_t i = 0; i < c->n_re; i++)
        if (regexec(&c->allow_re[i], v, 0, NULL, 0) == 0) return true;
    return false;
}

bool repo_finding(struct run *r, const pii_finding *f, pii_finding *out)
{
    *out = *f;
    if (r->lines && !line_filter_has(r->lines, f->line)) return false;
    const struct hook_opts *h = &r->o->h;
    if (!out->allowed && cfg_allows(h->cfg, f)) {
        out->allowed = 1;
        out->allow_reason = "allowed by " CONFIG_FILE;
        out->allow_reason_len = strlen(out->allow_reason);
    }
    if (!out->allowed && h->bl && !h->baseline_cmd) {
        char fp[80];
        run_fingerprint(r, f, fp);
        if (baseline_has(h->bl, f->detector, fp, repo_rel(r->o, r->cur_path))) {
            out->allowed = 1;
            out->allow_reason = "in the baseline";
            out->allow_reason_len = strlen(out->allow_reason);
        }
    }
    bool hook = h->pre_commit || h->git_staged;
    if (out->allowed)
        r->allowed++;
    else if (!hook || (!f->test_value && (int)f->risk >= h->risk_threshold))
        r->blocking++;
    else
        r->notes++;
    return true;
}
