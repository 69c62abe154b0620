/* detectors.c: the detector set: parsing pattern files (patterns/README.md), selection by id
 * or group, and read-only views. Knows nothing of scanning; Hyperscan is used only to check
 * expressions so that a bad pattern file fails at load time with file:line. */
#include "hslib.h"
#include "pii_internal.h"

#include <ctype.h>
#include <errno.h>
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char pii_builtin_patterns[];
extern const size_t pii_builtin_patterns_len;

enum {
    COL_ID,
    COL_GROUP,
    COL_FIND,
    COL_VALIDATOR,
    COL_CONTEXT,
    COL_WINDOW,
    COL_CCPA,
    COL_SPI,
    COL_RISK,
    COL_CONF,
    COL_DESC,
    COL_FIELDS, /* optional */
    NCOLS
};

static char *xstrndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

void detector_release(struct detector *d)
{
    if (!d) return;
    if (d->fixed) { /* its data is the library's */
        memset(d, 0, sizeof *d);
        return;
    }
    free(d->id);
    free(d->group);
    free(d->description);
    free(d->origin);
    free(d->expr);
    free(d->validator_name);
    ctx_set_release(&d->ctx);
    ctx_set_release(&d->neg);
    ctx_set_release(&d->fields);
    memset(d, 0, sizeof *d);
}

static char *dup_or_null(const char *s, bool *fail)
{
    if (!s) return NULL;
    char *p = xstrndup(s, strlen(s));
    if (!p) *fail = true;
    return p;
}

pii_status detector_copy(struct detector *dst, const struct detector *src)
{
    bool fail = false;
    *dst = *src;
    if (src->fixed) return PII_OK; /* read-only data: shared */
    dst->id = dup_or_null(src->id, &fail);
    dst->group = dup_or_null(src->group, &fail);
    dst->description = dup_or_null(src->description, &fail);
    dst->origin = dup_or_null(src->origin, &fail);
    dst->expr = dup_or_null(src->expr, &fail);
    dst->validator_name = dup_or_null(src->validator_name, &fail);
    if (!ctx_set_copy(&dst->ctx, &src->ctx)) fail = true;
    if (!ctx_set_copy(&dst->neg, &src->neg)) fail = true;
    if (!ctx_set_copy(&dst->fields, &src->fields)) fail = true;
    if (fail) {
        detector_release(dst);
        return PII_ERR_NOMEM;
    }
    return PII_OK;
}

void detector_info(const struct detector *d, pii_detector_info *out)
{
    out->id = d->id;
    out->group = d->group;
    out->description = d->description ? d->description : "";
    out->validator = d->validator_name ? d->validator_name : "";
    out->ccpa = d->ccpa;
    out->spi = d->spi;
    out->risk = d->risk;
    out->base_confidence = d->base_conf;
}

pii_status pii_detectors_new(pii_detectors **out, pii_error *err)
{
    if (!out) return err_set(err, PII_ERR_ARG, NULL, "NULL output pointer");
    *out = calloc(1, sizeof **out);
    if (!*out) return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
    return PII_OK;
}

void pii_detectors_free(pii_detectors *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->n; i++) detector_release(&d->v[i]);
    free(d->v);
    free(d);
}

size_t pii_detectors_count(const pii_detectors *d)
{
    return d ? d->n : 0;
}

int pii_detectors_info(const pii_detectors *d, size_t i, pii_detector_info *out)
{
    if (!d || i >= d->n || !out) return 0;
    detector_info(&d->v[i], out);
    return 1;
}

/* ---- parsing ------------------------------------------------------------------------- */

struct parse {
    const char *file; /* origin file name */
    size_t line;
    pii_error *err;
    char origin[300];
    /* the built-in catalogue with the widths mkdb measured: Hyperscan expression k (in file
     * order) is known to compile and has width widths[k], so start-up skips
     * hs_expression_info (about a third of it) */
    const unsigned *widths;
    size_t n_widths, k;
};

static pii_status bad(struct parse *p, const char *fmt, const char *arg)
{
    char msg[256];
    snprintf(msg, sizeof msg, fmt, arg ? arg : "");
    return err_set(p->err, PII_ERR_PATTERN, p->origin, "%s", msg);
}

static bool valid_id(const char *s)
{
    if (!*s || strlen(s) > 64) return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '-' || *s == '.')) return false;
    return true;
}

/* expr with every {KEYSEP} written out as KEYSEP_EXPR (malloc'd; NULL when out of memory) */
static char *keysep_expand(const char *expr)
{
    size_t n = 0, ml = strlen(KEYSEP_MACRO), el = strlen(KEYSEP_EXPR);
    for (const char *q = expr; (q = strstr(q, KEYSEP_MACRO)); q += ml) n++;
    char *out = malloc(strlen(expr) + n * el + 1), *o = out;
    if (!out) return NULL;
    for (const char *q = expr, *m; *q; q = m + ml) {
        m = strstr(q, KEYSEP_MACRO);
        size_t k = m ? (size_t)(m - q) : strlen(q);
        memcpy(o, q, k);
        o += k;
        if (!m) break;
        memcpy(o, KEYSEP_EXPR, el);
        o += el;
    }
    *o = 0;
    return out;
}

/* "/expr/flags" -> expr and HS flags */
static pii_status parse_expr(struct parse *p, const char *s, struct detector *d)
{
    size_t n = strlen(s);
    if (n < 2 || s[0] != '/') return bad(p, "expression must be written /regex/flags", NULL);
    const char *close = strrchr(s, '/');
    if (close == s) return bad(p, "expression has no closing '/'", NULL);
    unsigned flags = 0;
    for (const char *f = close + 1; *f; f++) {
        switch (*f) {
        case 'i':
            flags |= HS_FLAG_CASELESS;
            break;
        case 's':
            flags |= HS_FLAG_DOTALL;
            break;
        case 'm':
            flags |= HS_FLAG_MULTILINE;
            break;
        default: {
            char c[2] = {*f, 0};
            return bad(p, "unknown expression flag '%s' (known: i, s, m)", c);
        }
        }
    }
    if (close - s - 1 == 0) return bad(p, "empty expression", NULL);
    d->expr = xstrndup(s + 1, (size_t)(close - s - 1));
    if (!d->expr) return err_set(p->err, PII_ERR_NOMEM, p->origin, "out of memory");
    if (strstr(d->expr, KEYSEP_MACRO)) {
        if (d->kind != FIND_ANCHOR) return bad(p, "{KEYSEP} is for anchor: expressions", NULL);
        char *x = keysep_expand(d->expr);
        if (!x) return err_set(p->err, PII_ERR_NOMEM, p->origin, "out of memory");
        free(d->expr);
        d->expr = x;
        d->keysep = true;
    }
    d->hs_flags = flags;
    if (p->widths && p->k < p->n_widths) {
        d->width = p->widths[p->k++];
        return PII_OK;
    }

    /* Check it now: a pattern file must fail at load, naming its line. */
    const struct hslib *hsl = hslib_get(p->origin, p->err);
    if (!hsl) return PII_ERR_ENGINE;
    hs_expr_info_t *info = NULL;
    hs_compile_error_t *cerr = NULL;
    if (hsl->expression_info(d->expr, flags, &info, &cerr) != HS_SUCCESS) {
        pii_status st = bad(p, "bad expression: %s", cerr ? cerr->message : "unknown error");
        hsl->free_compile_error(cerr);
        return st;
    }
    bool unbounded = info->max_width == UINT32_MAX || info->max_width > PII_MAX_MATCH;
    bool empty = info->min_width == 0;
    d->width = info->min_width == info->max_width ? info->min_width : 0;
    free(info);
    if (unbounded)
        return bad(p,
                   "expression has no upper length bound (or one above 4096): bound every "
                   "repeat, e.g. {1,64}",
                   NULL);
    if (empty) return bad(p, "expression can match the empty string", NULL);
    return PII_OK;
}

static pii_status parse_find(struct parse *p, const char *s, struct detector *d)
{
    if (!strncmp(s, "re:", 3)) {
        d->kind = FIND_RE;
        return parse_expr(p, s + 3, d);
    }
    if (!strncmp(s, "anchor:", 7)) {
        d->kind = FIND_ANCHOR;
        return parse_expr(p, s + 7, d);
    }
    if (!strncmp(s, "shape:", 6)) {
        d->kind = FIND_SHAPE;
        d->shape = shape_by_name(s + 6);
        if (d->shape == SHAPE_NONE) return bad(p, "unknown shape '%s'", s + 6);
        return PII_OK;
    }
    return bad(p, "find must start with re:, anchor: or shape: (got '%s')", s);
}

static pii_status parse_context(struct parse *p, const char *s, struct detector *d)
{
    d->ctx_mode = CTX_OPTIONAL;
    if (!strcmp(s, "-")) return PII_OK;
    if (!strncmp(s, "required:", 9)) {
        d->ctx_mode = CTX_REQUIRED;
        s += 9;
    } else if (!strncmp(s, "bare:", 5)) {
        d->ctx_mode = CTX_BARE;
        s += 5;
    }
    while (*s) {
        const char *bar = strchr(s, '|');
        size_t len = bar ? (size_t)(bar - s) : strlen(s);
        bool neg = len > 0 && s[0] == '!';
        const char *w = s + neg;
        size_t wl = len - neg;
        if (wl == 0) return bad(p, "empty context word", NULL);
        if (wl > 64) return bad(p, "context word longer than 64 bytes", NULL);
        struct ctx_set *set = neg ? &d->neg : &d->ctx;
        if (set->n == 64) return bad(p, "more than 64 context words", NULL);
        if (!ctx_set_add(set, w, wl))
            return err_set(p->err, PII_ERR_NOMEM, p->origin, "out of memory");
        s += len + (bar != NULL);
    }
    if (d->ctx_mode != CTX_OPTIONAL && d->ctx.n == 0)
        return bad(p, "context is required but no context word is given", NULL);
    return PII_OK;
}

/* Column 12: `name|name|*suffix`, or '-' / absent for none. */
static pii_status parse_fields(struct parse *p, const char *s, struct detector *d)
{
    if (!*s || !strcmp(s, "-")) return PII_OK;
    while (*s) {
        const char *bar = strchr(s, '|');
        size_t len = bar ? (size_t)(bar - s) : strlen(s);
        if (len == 0) return bad(p, "empty field name", NULL);
        if (d->fields.n == 64) return bad(p, "more than 64 field names", NULL);
        if (!field_set_add(&d->fields, s, len)) {
            char w[80];
            snprintf(w, sizeof w, "%.*s", (int)(len < 64 ? len : 64), s);
            return bad(p,
                       "bad field name '%s' (letters, digits, _ - . and a leading * only, "
                       "at most 64)",
                       w);
        }
        s += len + (bar != NULL);
    }
    return PII_OK;
}

static bool parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return false;
    *out = v;
    return true;
}

static pii_status parse_window(struct parse *p, const char *s, struct detector *d)
{
    char a[32], b[32];
    const char *comma = strchr(s, ',');
    long before, after;
    if (comma) {
        snprintf(a, sizeof a, "%.*s", (int)(comma - s), s);
        snprintf(b, sizeof b, "%s", comma + 1);
    } else {
        snprintf(a, sizeof a, "%s", s);
        snprintf(b, sizeof b, "%s", s);
    }
    if (!parse_int(a, 0, PII_MAX_LOOK, &before) || !parse_int(b, 0, PII_MAX_LOOK, &after))
        return bad(p, "window must be BEFORE,AFTER bytes, each 0-256 (got '%s')", s);
    d->win_before = (int)before;
    d->win_after = (int)after;
    return PII_OK;
}

static pii_status parse_ccpa(struct parse *p, const char *s, struct detector *d)
{
    d->ccpa = 0;
    if (!strcmp(s, "-")) return PII_OK;
    for (const char *c = s; *c; c++) {
        if (*c == ';' || *c == ',') continue;
        if (*c < 'A' || *c > 'L') return bad(p, "CCPA categories are letters A-L (got '%s')", s);
        d->ccpa |= PII_CAT(*c);
    }
    if (d->ccpa & PII_CAT('L'))
        return bad(p, "L (sensitive) follows from the spi column; do not list it", NULL);
    return PII_OK;
}

static pii_status parse_row(struct parse *p, char **col, struct detector *d)
{
    pii_status st;
    if (!valid_id(col[COL_ID]))
        return bad(p, "bad detector id '%s' (letters, digits, _ - . only)", col[COL_ID]);
    d->id = xstrndup(col[COL_ID], strlen(col[COL_ID]));
    d->group = xstrndup(col[COL_GROUP], strlen(col[COL_GROUP]));
    d->credential = !strcmp(col[COL_GROUP], "credential");
    d->description = xstrndup(col[COL_DESC], strlen(col[COL_DESC]));
    d->origin = xstrndup(p->origin, strlen(p->origin));
    if (!d->id || !d->group || !d->description || !d->origin)
        return err_set(p->err, PII_ERR_NOMEM, p->origin, "out of memory");
    if (!valid_id(d->group)) return bad(p, "bad group name '%s'", d->group);
    if ((st = parse_find(p, col[COL_FIND], d))) return st;
    if (strcmp(col[COL_VALIDATOR], "-")) {
        d->validate = validator_find(col[COL_VALIDATOR]);
        if (!d->validate) return bad(p, "unknown validator '%s'", col[COL_VALIDATOR]);
        d->validator_name = xstrndup(col[COL_VALIDATOR], strlen(col[COL_VALIDATOR]));
        if (!d->validator_name) return err_set(p->err, PII_ERR_NOMEM, p->origin, "out of memory");
    } else if (d->kind == FIND_ANCHOR) {
        return bad(p, "an anchor: detector needs a validator to find its span", NULL);
    }
    if (d->kind == FIND_SHAPE && !d->validate)
        return bad(p, "a shape: detector needs a validator", NULL);
    if ((st = parse_context(p, col[COL_CONTEXT], d))) return st;
    if ((st = parse_window(p, col[COL_WINDOW], d))) return st;
    if ((st = parse_ccpa(p, col[COL_CCPA], d))) return st;
    if ((st = parse_fields(p, col[COL_FIELDS], d))) return st;
    const char *spi = col[COL_SPI];
    if (!strcmp(spi, "no"))
        d->spi = PII_SPI_NO;
    else if (!strcmp(spi, "yes"))
        d->spi = PII_SPI_YES;
    else if (!strcmp(spi, "combined"))
        d->spi = PII_SPI_COMBINED;
    else
        return bad(p, "spi must be yes, no or combined (got '%s')", spi);
    const char *risk = col[COL_RISK];
    if (!strcmp(risk, "low"))
        d->risk = PII_RISK_LOW;
    else if (!strcmp(risk, "medium"))
        d->risk = PII_RISK_MEDIUM;
    else if (!strcmp(risk, "high"))
        d->risk = PII_RISK_HIGH;
    else
        return bad(p, "risk must be low, medium or high (got '%s')", risk);
    long conf;
    if (!parse_int(col[COL_CONF], 0, 100, &conf))
        return bad(p, "confidence must be an integer 0-100 (got '%s')", col[COL_CONF]);
    d->base_conf = (int)conf;
    d->enabled = true;
    return PII_OK;
}

static struct detector *find_id(pii_detectors *d, const char *id)
{
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->v[i].id, id)) return &d->v[i];
    return NULL;
}

/* Parses all of text; adds nothing unless every line is good. */
static pii_status load_text(pii_detectors *set, const char *text, size_t len, const char *origin,
                            bool builtin, pii_error *err)
{
    struct parse p = {.file = origin, .line = 0, .err = err};
    if (builtin && pii_builtin_widths_n) {
        p.widths = pii_builtin_widths;
        p.n_widths = pii_builtin_widths_n;
    }
    struct detector *added = NULL;
    size_t n_added = 0, cap = 0;
    pii_status st = PII_OK;
    char file[256];
    snprintf(file, sizeof file, "%s", origin ? origin : "<patterns>");
    char *line = NULL;

    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t ll = end - pos;
        p.line++;
        free(line);
        line = xstrndup(text + pos, ll);
        pos = end + 1;
        if (!line) {
            st = err_set(err, PII_ERR_NOMEM, origin, "out of memory");
            goto out;
        }
        if (ll && line[ll - 1] == '\r') line[--ll] = 0;
        if (!strncmp(line, "#file ", 6)) { /* marker from the embedded catalogue */
            snprintf(file, sizeof file, "%s", line + 6);
            p.line = 0;
            continue;
        }
        snprintf(p.origin, sizeof p.origin, "%s:%zu", file, p.line);
        size_t k = 0;
        while (k < ll && (line[k] == ' ' || line[k] == '\t')) k++;
        if (k == ll || line[k] == '#') continue;
        if (memchr(line, 0, ll)) {
            st = bad(&p, "NUL byte in pattern file", NULL);
            goto out;
        }

        char *col[NCOLS];
        size_t nc = 0;
        char *s = line;
        while (nc < NCOLS) {
            col[nc++] = s;
            char *tab = strchr(s, '\t');
            if (!tab) break;
            *tab = 0;
            s = tab + 1;
            if (nc == NCOLS - 1) { /* fields: the rest of the line */
                col[nc++] = s;
                break;
            }
        }
        if (nc < NCOLS - 2) {
            char msg[64];
            snprintf(msg, sizeof msg, "%zu", nc);
            st = bad(&p, "expected 10 to 12 tab-separated columns, got %s", msg);
            goto out;
        }
        if (nc == NCOLS - 2) col[COL_DESC] = "";
        if (nc < NCOLS) col[COL_FIELDS] = "";
        static const char *const names[NCOLS] = {
            "1 (id)",      "2 (group)",       "3 (find)",         "4 (validator)",
            "5 (context)", "6 (window)",      "7 (ccpa)",         "8 (spi)",
            "9 (risk)",    "10 (confidence)", "11 (description)", "12 (fields)"};
        for (size_t c = 0; c < NCOLS - 2; c++)
            if (!*col[c]) {
                st = bad(&p, "empty column %s: use '-' for none", names[c]);
                goto out;
            }

        struct detector *nv = grow_array(added, &cap, n_added + 1, sizeof *nv, 16);
        if (!nv) {
            st = err_set(err, PII_ERR_NOMEM, origin, "out of memory");
            goto out;
        }
        added = nv;
        struct detector *d = &added[n_added];
        memset(d, 0, sizeof *d);
        n_added++;
        if ((st = parse_row(&p, col, d))) goto out;
        bool dup = find_id(set, d->id) != NULL;
        for (size_t i = 0; i + 1 < n_added && !dup; i++) dup = !strcmp(added[i].id, d->id);
        if (dup) {
            st = bad(&p, "duplicate detector id '%s'", d->id);
            goto out;
        }
    }
    if (p.widths && p.k != p.n_widths) { /* a build out of step with itself */
        st = err_set(err, PII_ERR_PATTERN, origin,
                     "built-in width table has %zu entries for %zu expressions", p.n_widths, p.k);
        goto out;
    }

    if (set->n + n_added > set->cap) {
        size_t ncap = set->n + n_added + 8;
        struct detector *nv = realloc(set->v, ncap * sizeof *nv);
        if (!nv) {
            st = err_set(err, PII_ERR_NOMEM, origin, "out of memory");
            goto out;
        }
        set->v = nv;
        set->cap = ncap;
    }
    if (n_added) /* an empty or comment-only file adds nothing (and set->v may be NULL) */
        memcpy(set->v + set->n, added, n_added * sizeof *added);
    set->n += n_added;
    n_added = 0;
out:
    for (size_t i = 0; i < n_added; i++) detector_release(&added[i]);
    free(added);
    free(line);
    return st;
}

pii_status pii_detectors_load_mem(pii_detectors *d, const char *text, size_t len,
                                  const char *origin, pii_error *err)
{
    if (!d || (!text && len)) return err_set(err, PII_ERR_ARG, origin, "NULL argument");
    return load_text(d, text, len, origin, false, err);
}

/* The catalogue mkdb parsed at build time: a copy of read-only detectors, nothing to parse or
 * allocate per detector (start-up). Same checks as load_text: all or nothing, no duplicate. */
static pii_status load_fixed(pii_detectors *set, pii_error *err)
{
    size_t n = pii_builtin_detectors_n;
    for (size_t i = 0; i < n; i++)
        if (find_id(set, pii_builtin_detectors[i].id))
            return err_set(err, PII_ERR_PATTERN, pii_builtin_detectors[i].origin,
                           "duplicate detector id '%s'", pii_builtin_detectors[i].id);
    if (set->n + n > set->cap) {
        size_t ncap = set->n + n + 8;
        struct detector *nv = realloc(set->v, ncap * sizeof *nv);
        if (!nv) return err_set(err, PII_ERR_NOMEM, "builtin", "out of memory");
        set->v = nv;
        set->cap = ncap;
    }
    for (size_t i = 0; i < n; i++) {
        struct detector *x = &set->v[set->n + i];
        *x = pii_builtin_detectors[i];
        x->validate = x->validator_name ? validator_find(x->validator_name) : NULL;
        if (x->validator_name && !x->validate) /* a registry out of step with the build */
            return err_set(err, PII_ERR_PATTERN, x->origin, "unknown validator '%s'",
                           x->validator_name);
    }
    set->n += n;
    return PII_OK;
}

pii_status pii_detectors_load_builtin(pii_detectors *d, pii_error *err)
{
    size_t before = d ? d->n : 0;
    if (!d) return err_set(err, PII_ERR_ARG, "builtin", "NULL argument");
    if (pii_builtin_detectors_n) return load_fixed(d, err);
    pii_status st =
        load_text(d, pii_builtin_patterns, pii_builtin_patterns_len, "builtin", true, err);
    if (!st)
        for (size_t i = before; i < d->n; i++) d->v[i].builtin = true;
    return st;
}

pii_status pii_detectors_load_file(pii_detectors *d, const char *path, pii_error *err)
{
    if (!d || !path) return err_set(err, PII_ERR_ARG, path, "NULL argument");
    FILE *f = fopen(path, "rb");
    if (!f) return err_errno(err, PII_ERR_IO, errno, path, "cannot open pattern file");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    pii_status st = PII_OK;
    for (;;) {
        if (cap - len < 4096) {
            if (cap > (1u << 24)) {
                st = err_set(err, PII_ERR_LIMIT, path, "pattern file larger than 16 MiB");
                goto out;
            }
            cap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, cap);
            if (!nb) {
                st = err_set(err, PII_ERR_NOMEM, path, "out of memory");
                goto out;
            }
            buf = nb;
        }
        size_t r = fread(buf + len, 1, cap - len, f);
        len += r;
        if (r == 0) break;
    }
    if (ferror(f)) {
        st = err_errno(err, PII_ERR_IO, errno, path, "cannot read pattern file");
        goto out;
    }
    st = load_text(d, buf, len, path, false, err);
out:
    free(buf);
    fclose(f);
    return st;
}

pii_status pii_detectors_select(pii_detectors *d, const char *spec, int exclude, pii_error *err)
{
    if (!d || !spec) return err_set(err, PII_ERR_ARG, NULL, "NULL argument");
    /* Validate every name first so that a typo changes nothing. */
    bool *hit = calloc(d->n ? d->n : 1, sizeof *hit);
    if (!hit) return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
    pii_status st = PII_OK;
    const char *s = spec;
    while (*s) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        char name[96];
        snprintf(name, sizeof name, "%.*s", (int)(len < 95 ? len : 95), s);
        s += len + (comma != NULL);
        if (!*name) continue;
        bool any = false;
        for (size_t i = 0; i < d->n; i++) {
            if (!strcmp(name, "all") || !strcmp(name, d->v[i].id) || !strcmp(name, d->v[i].group)) {
                hit[i] = true;
                any = true;
            }
        }
        if (!any) {
            st = err_set(err, PII_ERR_ARG, name, "unknown detector or group '%s'", name);
            goto out;
        }
    }
    for (size_t i = 0; i < d->n; i++) {
        if (exclude) {
            if (hit[i]) d->v[i].enabled = false;
        } else {
            d->v[i].enabled = hit[i];
        }
    }
out:
    free(hit);
    return st;
}
