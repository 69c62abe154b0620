/* engine.c: compiling a detector set into an immutable engine: one Hyperscan database for the
 * re:/anchor: detectors, the shape table for the tokenizer, the fingerprint key. Knows nothing
 * of inputs, chunks or output formats. */
#include "hslib.h"
#include "pii_internal.h"

#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pii_status pii_platform_check(pii_error *err)
{
#ifdef PII_HS_RUNTIME_STATIC
    /* Debian's libhs_runtime.a lacks hs_valid_platform(); this is its whole test */
    bool ok = __builtin_cpu_supports("ssse3");
#else
    bool ok = hs_valid_platform() == HS_SUCCESS;
#endif
    if (!ok)
        return err_set(err, PII_ERR_PLATFORM, NULL,
                       "this CPU lacks the instructions Hyperscan needs (SSSE3 or later)");
    return PII_OK;
}

void pii_engine_opts_init(pii_engine_opts *o)
{
    if (o) memset(o, 0, sizeof *o);
}

size_t pii_category_letters(pii_category mask, char *out, size_t cap)
{
    size_t n = 0;
    for (int i = 0; i < 12; i++) {
        if (!(mask & (1u << i))) continue;
        if (n && n + 1 < cap) out[n++] = ',';
        if (n + 1 < cap) out[n++] = (char)('A' + i);
    }
    if (cap) out[n < cap ? n : cap - 1] = 0;
    return n;
}

const char *pii_risk_name(pii_risk r)
{
    switch (r) {
    case PII_RISK_HIGH:
        return "high";
    case PII_RISK_MEDIUM:
        return "medium";
    case PII_RISK_LOW:
        return "low";
    }
    return "low";
}

void pii_engine_free(pii_engine *e)
{
    if (!e) return;
    for (size_t i = 0; i < e->n_det; i++) detector_release(&e->det[i]);
    free(e->det);
    if (!e->builtin_db) hs_free_database(e->db); /* the built-in one is read-only data */
    hs_free_scratch(e->scratch_proto);
    free(e->map);
    for (int s = 0; s < SHAPE__COUNT; s++) free(e->shape_det[s]);
    memset(&e->hmac, 0, sizeof e->hmac);
    free(e);
}

size_t pii_engine_detector_count(const pii_engine *e)
{
    return e ? e->n_det : 0;
}

int pii_engine_detector(const pii_engine *e, size_t i, pii_detector_info *out)
{
    if (!e || i >= e->n_det || !out) return 0;
    detector_info(&e->det[i], out);
    return 1;
}

static bool is_hs(const struct detector *d)
{
    return d->kind == FIND_RE || d->kind == FIND_ANCHOR;
}

void engine_builtin_key(const pii_detectors *d, char key[33])
{
    static const char hex[] = "0123456789abcdef";
    struct sha256 h;
    sha256_init(&h);
    const char *ver = hs_version();
    sha256_update(&h, ver, strlen(ver) + 1);
    sha256_update(&h, ALLOW_MARK, ALLOW_MARK_LEN + 1); /* the database's last expression */
    for (size_t i = 0; i < d->n; i++) {
        const struct detector *x = &d->v[i];
        if (!x->builtin || !is_hs(x)) continue;
        char meta[32];
        int n = snprintf(meta, sizeof meta, "%u/%d", x->hs_flags, (int)x->kind);
        sha256_update(&h, x->id, strlen(x->id) + 1);
        sha256_update(&h, x->expr, strlen(x->expr) + 1);
        sha256_update(&h, meta, (size_t)n + 1);
    }
    uint8_t out[32];
    sha256_final(&h, out);
    for (int i = 0; i < 16; i++) {
        key[2 * i] = hex[out[i] >> 4];
        key[2 * i + 1] = hex[out[i] & 15];
    }
    key[32] = 0;
}

bool engine_used_builtin_db(const pii_engine *e)
{
    return e && e->builtin_db;
}

enum db_origin engine_db_origin(const pii_engine *e)
{
    return e ? (enum db_origin)e->db_origin : DB_NONE;
}

/* How a match of detector x gives its start: a fixed width (measured when the pattern was
 * loaded), or SOM for a variable-width re:. */
static void hs_entry(const struct detector *x, uint32_t det, struct hs_map *m, unsigned *flags)
{
    uint32_t width = x->width;
    /* Start of match costs up to 50x (PERFORMANCE.md): only a variable-width re: needs it;
     * anchors hand their end to the validator, fixed widths give the start. */
    *flags = x->hs_flags | ((x->kind == FIND_RE && !width) ? HS_FLAG_SOM_LEFTMOST : 0);
    *m = (struct hs_map){.det = det, .width = width, .kind = x->kind, .keysep = x->keysep};
}

static bool keysep_space(uint8_t c)
{
    return c == ' ' || (c >= '\t' && c <= '\r'); /* Hyperscan's \s */
}

size_t keysep_end(const uint8_t *buf, size_t len, size_t end)
{
    uint8_t c = buf[end - 1];
    size_t p = end, spaces = 0;
    if (c == '\\') {
        if (p < len && (buf[p] == '"' || buf[p] == '\'')) p++;
    } else if (keysep_space(c)) {
        spaces = 1;
    } else if (c != '"' && c != '\'') {
        return end; /* ':' or '=' itself, or another branch's match */
    }
    for (; spaces < 3 && p < len && keysep_space(buf[p]); spaces++) p++;
    return p < len && (buf[p] == ':' || buf[p] == '=') ? p + 1 : 0;
}

/* The database compiled at build time serves when every enabled Hyperscan detector is a
 * built-in one and the catalogue and Hyperscan are the ones it was built from. Its ids are the
 * built-in Hyperscan detectors in catalogue order, enabled or not. */
static bool try_builtin_db(pii_engine *e, const pii_detectors *d)
{
    if (!pii_builtin_db_len) return false;
    /* PIISCAN_COMPILE_DB=1: compile what is enabled (bench/stages measures detectors alone) */
    const char *force = getenv("PIISCAN_COMPILE_DB");
    if (force && *force == '1') return false;
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (!is_hs(&d->v[i])) continue;
        if (!d->v[i].builtin && d->v[i].enabled) return false;
        n += d->v[i].builtin;
    }
    char key[33];
    engine_builtin_key(d, key);
    if (strcmp(key, pii_builtin_db_key) != 0) return false;
    struct hs_map *map = calloc(n + 1, sizeof *map);
    if (!map) return false;
    /* Scanned in place: a database is position-independent and only read by scans. Hyperscan
     * checks it when allocating the scratch (magic, release, this CPU's platform, CRC) and
     * refuses it on another CPU or build: then the caller compiles. */
    const hs_database_t *db = (const hs_database_t *)pii_builtin_db;
    size_t k = 0, idx = 0;
    for (size_t i = 0; i < d->n; i++) {
        const struct detector *x = &d->v[i];
        uint32_t det = x->enabled ? (uint32_t)idx : HS_MAP_OFF;
        idx += x->enabled;
        if (!x->builtin || !is_hs(x)) continue;
        unsigned flags;
        hs_entry(x, det, &map[k], &flags);
        k++;
    }
    map[n] = (struct hs_map){.det = HS_MAP_ALLOW, .kind = FIND_ANCHOR};
    if (hs_alloc_scratch(db, &e->scratch_proto) != HS_SUCCESS) {
        free(map);
        return false;
    }
    e->db = (struct hs_database *)db; /* never freed nor written: see pii_engine_free */
    e->map = map;
    e->n_map = n + 1;
    e->builtin_db = true;
    return true;
}

/* Every enabled Hyperscan detector is built in, and some built-in one is not enabled
 * (--detectors, --exclude-detectors, a repository's list): the built-in database would scan
 * for all of them and mask the rest in the callback. */
static bool builtin_subset(const pii_detectors *d)
{
    bool off = false;
    for (size_t i = 0; i < d->n; i++) {
        const struct detector *x = &d->v[i];
        if (!is_hs(x)) continue;
        if (!x->builtin && x->enabled) return false;
        off = off || (x->builtin && !x->enabled);
    }
    return off;
}

static pii_status compile_hs(pii_engine *e, const pii_detectors *d, const char *cache_dir,
                             pii_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < e->n_det; i++) n += is_hs(&e->det[i]);
    if (!n) return PII_OK;
    /* A subset of the built-in catalogue gets a database of its own through the cache (the
     * first run compiles it, later ones load it without the compiler): scanning only for
     * what is enabled is cheaper than masking, e.g. 16 detectors of 39. Without a cache the
     * built-in database serves, masked. */
    bool subset = cache_dir && builtin_subset(d);
    if (!subset && try_builtin_db(e, d)) {
        e->db_origin = DB_BUILTIN;
        return PII_OK;
    }

    /* one more: the allow marker, last */
    const char **exprs = calloc(n + 1, sizeof *exprs);
    unsigned *flags = calloc(n + 1, sizeof *flags);
    unsigned *ids = calloc(n + 1, sizeof *ids);
    e->map = calloc(n + 1, sizeof *e->map);
    pii_status st = PII_OK;
    if (!exprs || !flags || !ids || !e->map) {
        st = err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
        goto out;
    }
    for (size_t i = 0, k = 0; i < e->n_det; i++) {
        const struct detector *x = &e->det[i];
        if (!is_hs(x)) continue;
        hs_entry(x, (uint32_t)i, &e->map[k], &flags[k]);
        exprs[k] = x->expr;
        ids[k] = (unsigned)k;
        k++;
    }
    exprs[n] = ALLOW_MARK;
    flags[n] = HS_FLAG_SINGLEMATCH;
    ids[n] = (unsigned)n;
    e->map[n] = (struct hs_map){.det = HS_MAP_ALLOW, .kind = FIND_ANCHOR};
    n++;
    e->n_map = n;
    uint8_t key[32];
    if (cache_dir) {
        dbcache_key(exprs, flags, n, key);
        e->db = dbcache_load(cache_dir, key);
        if (e->db && hs_alloc_scratch(e->db, &e->scratch_proto) != HS_SUCCESS) {
            hs_free_database((hs_database_t *)e->db); /* another CPU's: rebuilt below */
            e->db = NULL;
        }
        if (e->db) {
            e->db_origin = DB_CACHE_LOADED;
            goto out;
        }
    }
    /* user patterns, a cold cache, or a CPU the built-in database does not fit: the compiler
     * is needed */
    const struct hslib *hsl = hslib_get(NULL, err);
    if (!hsl) {
        if (subset) { /* no compiler: the built-in database, masked, still serves */
            free(e->map);
            e->map = NULL;
            e->n_map = 0;
            if (try_builtin_db(e, d)) {
                e->db_origin = DB_BUILTIN;
                st = PII_OK;
                goto out;
            }
        }
        st = PII_ERR_ENGINE;
        goto out;
    }
    hs_compile_error_t *cerr = NULL;
    if (hsl->compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL,
                           (hs_database_t **)&e->db, &cerr) != HS_SUCCESS) {
        const char *origin = NULL;
        if (cerr && cerr->expression >= 0 && (size_t)cerr->expression + 1 < n)
            origin = e->det[e->map[cerr->expression].det].origin;
        st =
            err_set(err, PII_ERR_PATTERN, origin, "cannot compile: %s", cerr ? cerr->message : "?");
        hsl->free_compile_error(cerr);
        goto out;
    }
    e->db_origin = DB_COMPILED;
    if (cache_dir && dbcache_store(cache_dir, key, e->db)) e->db_origin = DB_CACHE_WRITTEN;
    if (hs_alloc_scratch(e->db, &e->scratch_proto) != HS_SUCCESS) {
        st = err_set(err, PII_ERR_NOMEM, NULL, "cannot allocate Hyperscan scratch");
        goto out;
    }
out:
    free(exprs);
    free(flags);
    free(ids);
    return st;
}

pii_status pii_engine_compile(const pii_detectors *d, const pii_engine_opts *o, pii_engine **out,
                              pii_error *err)
{
    if (!d || !out) return err_set(err, PII_ERR_ARG, NULL, "NULL argument");
    *out = NULL;
    pii_status st = pii_platform_check(err);
    if (st) return st;
    pii_engine *e = calloc(1, sizeof *e);
    if (!e) return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++) n += d->v[i].enabled;
    e->det = calloc(n ? n : 1, sizeof *e->det);
    if (!e->det) {
        st = err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < d->n; i++) {
        if (!d->v[i].enabled) continue;
        if (detector_copy(&e->det[e->n_det], &d->v[i])) {
            st = err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
            goto fail;
        }
        e->n_det++;
    }
    for (size_t i = 0; i < e->n_det; i++) {
        struct detector *dt = &e->det[i];
        if (dt->kind != FIND_SHAPE) continue;
        int s = dt->shape;
        uint32_t *nv = realloc(e->shape_det[s], (e->shape_n[s] + 1) * sizeof *nv);
        if (!nv) {
            st = err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
            goto fail;
        }
        nv[e->shape_n[s]++] = (uint32_t)i;
        e->shape_det[s] = nv;
        e->shape_mask |= 1u << s;
    }
    if ((st = compile_hs(e, d, o ? o->cache_dir : NULL, err))) goto fail;
    /* PIISCAN_SIMD=avx512vbmi2|avx512bw|avx2|sse2|scalar forces a tokenizer (tests compare them),
     * every-word the reference that visits every word (bench/README.md) */
    const char *simd = getenv("PIISCAN_SIMD");
    e->shape_scan = shape_select(simd);
    if (!e->shape_scan) {
        st = err_set(err, PII_ERR_PLATFORM, NULL, "PIISCAN_SIMD=%s: not available on this CPU",
                     simd);
        goto fail;
    }

    const char *key = (o && o->fingerprint_key) ? o->fingerprint_key : PII_DEFAULT_FINGERPRINT_KEY;
    size_t kl = strlen(key);
    hmac_sha256_key(&e->hmac, (const uint8_t *)key, kl, true);
    *out = e;
    return PII_OK;
fail:
    pii_engine_free(e);
    return st;
}
