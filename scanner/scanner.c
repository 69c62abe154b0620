/* scanner.c: one thread's scanner: windows over the byte stream, Hyperscan and the tokenizer
 * on each window, validation, context, confidence, ordering and line numbers. Knows nothing of
 * files, archives or output formats.
 *
 * Windows overlap so that no finding is lost or doubled at an edge. A window is
 *   [base, base+len) = KEEP bytes already decided | new bytes | OVERLAP bytes not yet decided
 * Candidates starting in [committed, limit) are decided in this window, where limit leaves
 * OVERLAP (>= longest match + look-ahead) bytes for the next one; the next window starts KEEP
 * (= PII_ROW_LOOK) bytes before limit so validators, context and CSV columns still see what
 * precedes. */
#include "pii_internal.h"

#include <hs/hs.h>
#include <stdlib.h>
#include <string.h>

#define KEEP PII_ROW_LOOK
_Static_assert(PII_ROW_LOOK >= PII_MAX_LOOK, "the window keeps every look-behind");

/* A confirmed candidate waiting to be ordered and reported. */
struct conf {
    uint64_t start; /* absolute */
    size_t len;
    uint32_t det;
    int confidence;
    unsigned flags;   /* V_* from the validator */
    unsigned reasons; /* PII_REASON_* */
    size_t norm_off, norm_len;
};

struct pii_scanner {
    const pii_engine *e;
    hs_scratch_t *scratch;
    uint8_t *win;
    size_t cap, len, chunk;
    uint64_t base, committed, total;
    struct cand_vec cands;
    struct conf *conf, *conf_tmp; /* conf_tmp: merge sort's second buffer, same capacity */
    size_t n_conf, cap_conf;
    char *norm; /* arena for normalised values of this window */
    size_t norm_len, norm_cap;
    uint64_t *last_end; /* per detector: end of the last reported finding (absolute) */
    uint64_t line_pos, line_no, line_start;
    int min_conf;
    int inline_allow;
    bool allow_seen;      /* the window holds an allow marker (or there is no database to tell) */
    bool borrowed;        /* win points into the caller's buffer (pii_scan_buffer): moved, not
                           * copied, from one window to the next */
    struct field_hdr hdr; /* CSV/TSV header of the current stream (field.c) */
    newlines_fn newlines; /* the best newline counter this CPU runs */
    bool no_lines;        /* pii_scan_opts.no_lines: lines_to() counts nothing */
    bool presence_only;   /* pii_scan_opts.presence_only */
};

void pii_scan_opts_init(pii_scan_opts *o)
{
    if (!o) return;
    memset(o, 0, sizeof *o);
    o->chunk_size = PII_DEFAULT_CHUNK;
}

pii_status pii_scanner_new(const pii_engine *e, const pii_scan_opts *o, pii_scanner **out,
                           pii_error *err)
{
    if (!e || !out) return err_set(err, PII_ERR_ARG, NULL, "NULL argument");
    *out = NULL;
    pii_scanner *s = calloc(1, sizeof *s);
    if (!s) return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
    s->e = e;
    s->chunk = (o && o->chunk_size) ? o->chunk_size : PII_DEFAULT_CHUNK;
    if (s->chunk > (64u << 20)) s->chunk = 64u << 20;
    s->min_conf = o ? o->min_confidence : 0;
    s->inline_allow = o ? o->inline_allow : 0;
    s->no_lines = o && o->no_lines;
    s->presence_only = o && o->presence_only;
    s->newlines = newlines_select(NULL);
    s->cap = KEEP + s->chunk + PII_OVERLAP;
    s->win = malloc(s->cap);
    s->last_end = calloc(e->n_det ? e->n_det : 1, sizeof *s->last_end);
    if (!s->win || !s->last_end) goto nomem;
    if (e->scratch_proto && hs_clone_scratch(e->scratch_proto, &s->scratch) != HS_SUCCESS)
        goto nomem;
    pii_scanner_begin(s);
    *out = s;
    return PII_OK;
nomem:
    pii_scanner_free(s);
    return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
}

void pii_scanner_free(pii_scanner *s)
{
    if (!s) return;
    hs_free_scratch(s->scratch);
    free(s->win);
    free(s->cands.v);
    free(s->conf);
    free(s->conf_tmp);
    free(s->norm);
    free(s->last_end);
    free(s);
}

pii_status pii_scanner_begin(pii_scanner *s)
{
    if (!s) return PII_ERR_ARG;
    s->len = 0;
    s->base = s->committed = s->total = 0;
    s->line_pos = 0;
    s->line_no = 1;
    s->line_start = 0;
    field_hdr_reset(&s->hdr);
    memset(s->last_end, 0, (s->e->n_det ? s->e->n_det : 1) * sizeof *s->last_end);
    return PII_OK;
}

uint64_t pii_scanner_bytes(const pii_scanner *s)
{
    return s ? s->total : 0;
}

struct hs_ctx {
    pii_scanner *s;
    bool oom;
};

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                    void *ctx)
{
    (void)flags;
    struct hs_ctx *h = ctx;
    const struct hs_map *m = &h->s->e->map[id];
    if (m->det >= HS_MAP_ALLOW) {
        if (m->det == HS_MAP_ALLOW) h->s->allow_seen = true;
        return 0; /* HS_MAP_OFF: a built-in detector not enabled in this engine */
    }
    size_t start, end = (size_t)to;
    if (m->keysep && !(end = keysep_end(h->s->win, h->s->len, end))) return 0;
    if (m->kind == FIND_ANCHOR)
        start = end; /* the validator finds the span */
    else
        start = m->width ? end - m->width : (size_t)from;
    if (!cand_push(&h->s->cands, m->det, start, end, end)) {
        h->oom = true;
        return 1;
    }
    return 0;
}

static bool conf_push(pii_scanner *s, const struct conf *c, const char *norm, size_t nl)
{
    if (s->n_conf == s->cap_conf) {
        /* conf_tmp (the sort's scratch) keeps the same capacity as conf */
        size_t cap = s->cap_conf;
        struct conf *nt = grow_array(s->conf_tmp, &cap, s->n_conf + 1, sizeof *nt, 256);
        if (!nt) return false;
        s->conf_tmp = nt;
        cap = s->cap_conf;
        struct conf *nv = grow_array(s->conf, &cap, s->n_conf + 1, sizeof *nv, 256);
        if (!nv) return false;
        s->conf = nv;
        s->cap_conf = cap;
    }
    if (s->norm_len + nl > s->norm_cap) {
        char *nb = grow_array(s->norm, &s->norm_cap, s->norm_len + nl, 1, 8192);
        if (!nb) return false;
        s->norm = nb;
    }
    struct conf *d = &s->conf[s->n_conf++];
    *d = *c;
    d->norm_off = s->norm_len;
    d->norm_len = nl;
    if (nl) memcpy(s->norm + s->norm_len, norm, nl); /* the arena is NULL until first used */
    s->norm_len += nl;
    return true;
}

static int conf_cmp(const void *a, const void *b)
{
    const struct conf *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->len != y->len) return x->len > y->len ? -1 : 1;
    return x->det < y->det ? -1 : x->det > y->det;
}

/* Sorts s->conf by conf_cmp. The confirmed list is a few ascending runs (Hyperscan's
 * candidates in end order, the tokenizer's in start order), so a natural merge sort does it in
 * one or two passes, without qsort's allocation and per-element calls. Stable. */
static void conf_sort(pii_scanner *s)
{
    size_t n = s->n_conf;
    struct conf *a = s->conf, *b = s->conf_tmp;
    for (;;) {
        size_t runs = 0, i = 0, out = 0;
        while (i < n) {
            size_t m = i + 1;
            while (m < n && conf_cmp(&a[m - 1], &a[m]) <= 0) m++;
            size_t e = m;
            if (e < n) {
                e = m + 1;
                while (e < n && conf_cmp(&a[e - 1], &a[e]) <= 0) e++;
            }
            size_t x = i, y = m;
            while (x < m && y < e) b[out++] = conf_cmp(&a[y], &a[x]) < 0 ? a[y++] : a[x++];
            while (x < m) b[out++] = a[x++];
            while (y < e) b[out++] = a[y++];
            runs++;
            i = e;
        }
        struct conf *t = a;
        a = b;
        b = t;
        if (runs <= 1) break;
    }
    s->conf = a;
    s->conf_tmp = b;
}

/* Validate one candidate and score it; false when it is not a finding. */
static bool confirm(pii_scanner *s, const struct cand *c, uint64_t limit, struct conf *out,
                    struct vctx *v)
{
    const struct detector *d = &s->e->det[c->det];
    memset(v, 0, offsetof(struct vctx, norm));
    v->norm_len = 0;
    v->buf = s->win;
    v->lo = 0;
    v->hi = s->len;
    v->start = c->start;
    v->end = c->end;
    v->anchor = c->anchor;
    v->flags = c->flags;
    if (d->validate && !d->validate(v)) return false;
    if (v->end <= v->start || v->end - v->start > PII_MAX_MATCH || v->end > s->len) return false;
    uint64_t abs = s->base + v->start;
    if (abs < s->committed || abs >= limit) return false;

    int conf = d->base_conf + v->conf;
    unsigned reasons = d->validate ? PII_REASON_VALIDATED : 0;
    /* Context words and field names only raise the confidence of a value in a well-formed
     * shape (not bare) whose context is optional: when it is reported without them, and
     * only whether it is reported matters, they are not looked at. */
    bool look = !s->presence_only || d->ctx_mode == CTX_REQUIRED || (v->flags & V_BARE) ||
                conf - ((d->neg.n || (v->flags & V_NEG_CONTEXT)) ? 15 : 0) < s->min_conf;
    bool ctx =
        look && d->ctx.n &&
        context_has(&d->ctx, s->win, 0, s->len, v->start, v->end, d->win_before, d->win_after);
    /* the value sits in a field named for this detector: like a context word, on top of one */
    bool named = false;
    bool field = look && d->fields.n &&
                 field_in(&s->hdr, &d->fields, s->win, 0, s->len, s->base, v->start, &named);
    /* a bare form (digits without separators) in a field named for something else is that
     * something else: {"order_number": 2065550123} is no phone, whatever the line says */
    if (named && !field && (v->flags & V_BARE)) return false;
    if (field) {
        conf += 10;
        reasons |= PII_REASON_CONTEXT;
    }
    if (ctx) {
        conf += 10;
        reasons |= PII_REASON_CONTEXT;
    } else if (!field &&
               (d->ctx_mode == CTX_REQUIRED || (d->ctx_mode == CTX_BARE && (v->flags & V_BARE)))) {
        return false;
    }
    if ((v->flags & V_NEG_CONTEXT) ||
        (d->neg.n &&
         context_has(&d->neg, s->win, 0, s->len, v->start, v->end, d->win_before, d->win_after))) {
        /* decisive against a bare digit run, a doubt against a well-formed value ("size 64
         * msisdn=650-825-5835"); only a doubt too when the value's own field is named for the
         * detector and the word is another key's (`"service":"x","user":"jdoe"`) */
        conf -= (v->flags & V_BARE) && !field ? 30 : 15;
        reasons |= PII_REASON_NEG_CONTEXT;
    }
    if (v->flags & V_TEST) reasons |= PII_REASON_TEST;
    if (d->spi == PII_SPI_COMBINED &&
        field_record_sensitive(s->win, 0, s->len, v->start, v->end, d->credential))
        v->flags |= V_RECORD_SENSITIVE;
    if (conf > 100) conf = 100;
    if (conf < 0) conf = 0;
    if (conf < s->min_conf) return false;
    *out = (struct conf){.start = abs,
                         .len = v->end - v->start,
                         .det = c->det,
                         .confidence = conf,
                         .flags = v->flags,
                         .reasons = reasons};
    return true;
}

/* Newlines in p[0..n) and the offset of the last one (n when there is none), in one pass:
 * findings are a line or two apart in logs, so a call per finding must be cheap (no memchr or
 * memrchr calls, no byte loop for the tail), and all calls together read the whole input once.
 * The straightforward version, and the reference the others are tested against. */
static uint64_t newlines_scalar(const uint8_t *p, size_t n, size_t *last)
{
    uint64_t total = 0;
    *last = n;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '\n') total++, *last = i;
    return total;
}

#if PII_X86
/* c ? a : b as a conditional move, not a branch (GCC makes one of the ternary and of the
 * mask arithmetic: a coin toss when about one block in five holds a newline). */
static inline size_t pick(uint64_t c, size_t a, size_t b)
{
    __asm__("test %1, %1\n\tcmovne %2, %0" : "+r"(b) : "r"(c), "r"(a) : "cc");
    return b;
}

/* 16 bytes a step; a short tail is read as the 16 bytes ending at p + n with the part already
 * counted masked off. The popcount instruction is not baseline x86-64: a table of nibbles. */
static uint64_t newlines_sse2(const uint8_t *p, size_t n, size_t *last)
{
    static const uint8_t bits4[16] = {0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4};
    uint64_t total = 0;
    size_t i = 0;
    *last = n;
    const __m128i nl = _mm_set1_epi8('\n');
    for (; n - i >= 16; i += 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + i)), nl));
        if (!m) continue;
        *last = i + 31 - (size_t)__builtin_clz(m);
        total += bits4[m & 15] + bits4[m >> 4 & 15] + bits4[m >> 8 & 15] + bits4[m >> 12];
    }
    if (i < n && n >= 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(
                         _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + n - 16)), nl)) >>
                     (16 - (n - i));
        if (m) *last = i + 31 - (size_t)__builtin_clz(m);
        total += bits4[m & 15] + bits4[m >> 4 & 15] + bits4[m >> 8 & 15] + bits4[m >> 12];
        i = n;
    }
    for (; i < n; i++)
        if (p[i] == '\n') total++, *last = i;
    return total;
}

/* 32 bytes a step, the tail as the 32 bytes ending at p + n; under 32 bytes, SSE2's way. */
__attribute__((target("avx2,popcnt"))) static uint64_t newlines_avx2(const uint8_t *p, size_t n,
                                                                     size_t *last)
{
    if (n < 32) return newlines_sse2(p, n, last);
    uint64_t total = 0;
    size_t i = 0, l = n;
    const __m256i nl = _mm256_set1_epi8('\n');
    for (; n - i >= 32; i += 32) {
        uint32_t m = (uint32_t)_mm256_movemask_epi8(
            _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + i)), nl));
        size_t at = i + 31 - (size_t)__builtin_clz(m | 1);
        l = pick(m, at, l);
        total += (uint64_t)__builtin_popcount(m);
    }
    if (i < n) {
        uint32_t m = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
                         _mm256_loadu_si256((const __m256i *)(p + n - 32)), nl)) >>
                     (32 - (n - i));
        size_t at = i + 31 - (size_t)__builtin_clz(m | 1);
        l = pick(m, at, l);
        total += (uint64_t)__builtin_popcount(m);
    }
    *last = l;
    return total;
}

/* 64 bytes a step, the tail with a masked load (masked-off bytes are not read, so it may not
 * fault): no scalar part at all. */
__attribute__((target("avx512bw,popcnt"))) static uint64_t newlines_avx512(const uint8_t *p,
                                                                           size_t n, size_t *last)
{
    uint64_t total = 0;
    size_t i = 0, l = n;
    const __m512i nl = _mm512_set1_epi8('\n');
    for (; n - i >= 64; i += 64) {
        uint64_t m = _mm512_cmpeq_epi8_mask(_mm512_loadu_si512((const void *)(p + i)), nl);
        size_t at = i + 63 - (size_t)__builtin_clzll(m | 1);
        l = pick(m, at, l);
        total += (uint64_t)__builtin_popcountll(m);
    }
    if (i < n) {
        __mmask64 k = ~0ull >> (64 - (n - i));
        uint64_t m = _mm512_mask_cmpeq_epi8_mask(k, _mm512_maskz_loadu_epi8(k, p + i), nl);
        size_t at = i + 63 - (size_t)__builtin_clzll(m | 1);
        l = pick(m, at, l);
        total += (uint64_t)__builtin_popcountll(m);
    }
    *last = l;
    return total;
}
#endif

static const struct {
    const char *name;
    newlines_fn fn;
} newline_variants[] = {
#if PII_X86
    {"avx512bw", newlines_avx512},
    {"avx2", newlines_avx2},
    {"sse2", newlines_sse2},
#endif
    {"scalar", newlines_scalar},
};

newlines_fn newlines_select(const char *want)
{
    for (size_t i = 0; i < ARRAY_LEN(newline_variants); i++)
        if (cpu_variant(newline_variants[i].name, want)) return newline_variants[i].fn;
    return want && *want ? NULL : newlines_scalar;
}

/* Advance the line cursor to absolute offset `to` (within the window). */
static void lines_to(pii_scanner *s, uint64_t to)
{
    if (to <= s->line_pos || s->no_lines) return;
    const uint8_t *p = s->win + (s->line_pos - s->base);
    size_t n = (size_t)(to - s->line_pos), last;
    uint64_t k = s->newlines(p, n, &last);
    if (k) {
        s->line_no += k;
        s->line_start = s->line_pos + last + 1;
    }
    s->line_pos = to;
}

static bool same_span(const struct conf *a, const struct conf *b)
{
    return a->start == b->start && a->len == b->len;
}

/* Whether the finding sits in a field (key or CSV column) named for its detector, or has one
 * of its context words around it. */
static bool named_for(const pii_scanner *s, const struct conf *c)
{
    const struct detector *d = &s->e->det[c->det];
    size_t vs = (size_t)(c->start - s->base);
    bool named;
    return (d->fields.n && field_in(&s->hdr, &d->fields, s->win, 0, s->len, s->base, vs, &named)) ||
           (d->ctx.n &&
            context_has(&d->ctx, s->win, 0, s->len, vs, vs + c->len, d->win_before, d->win_after));
}

/* One value confirmed by several detectors (a CNPJ's 14 digits pass Luhn one time in ten, as
 * a Diners card's): when its field or context words name some of them, the others yield, so
 * that {"cnpj": "..."} and "empresa cnpj ..." are no card number. Decided here, for the few
 * values found twice, rather than in confirm(), which under presence_only does not look at
 * every field name and context word. */
static bool yields(const pii_scanner *s, size_t i)
{
    const struct conf *c = &s->conf[i];
    size_t a = i, b = i + 1;
    while (a > 0 && same_span(&s->conf[a - 1], c)) a--;
    while (b < s->n_conf && same_span(&s->conf[b], c)) b++;
    if (PII_LIKELY(b - a < 2) || named_for(s, c)) return false;
    for (size_t j = a; j < b; j++)
        if (s->conf[j].det != c->det && named_for(s, &s->conf[j])) return true;
    return false;
}

static pii_status report(pii_scanner *s, bool dedupe, pii_finding_fn fn, void *user, pii_error *err)
{
    if (s->n_conf > 1) conf_sort(s);
    for (size_t i = 0; i < s->n_conf; i++) {
        const struct conf *c = &s->conf[i];
        /* overlapping findings of one detector: the earliest (then longest) wins */
        if (dedupe && c->start < s->last_end[c->det]) continue;
        if (yields(s, i)) continue;
        s->last_end[c->det] = c->start + c->len;
        const struct detector *d = &s->e->det[c->det];
        lines_to(s, c->start);
        bool sensitive = (d->spi == PII_SPI_YES && !(c->flags & V_NOT_SENSITIVE)) ||
                         (d->spi == PII_SPI_COMBINED && (c->flags & V_RECORD_SENSITIVE));
        const uint8_t *m = s->win + (c->start - s->base);
        pii_finding f = {
            .detector = d->id,
            .detector_index = c->det,
            .ccpa = d->ccpa | (sensitive ? PII_CAT('L') : 0),
            .sensitive = sensitive,
            .risk = d->risk,
            .confidence = c->confidence,
            .test_value = (c->flags & V_TEST) != 0,
            .reasons = c->reasons,
            .offset = c->start,
            .line = s->line_no,
            .column = c->start - s->line_start + 1,
            .length = c->len,
            .match = m,
            .normalized = c->norm_len ? s->norm + c->norm_off : (const char *)m,
            .normalized_len = c->norm_len ? c->norm_len : c->len,
        };
        if (s->inline_allow && s->allow_seen)
            allow_inline(s->e, s->win, s->len, c->start - s->base, c->len, &f);
        if (fn && fn(&f, user)) {
            err_set(err, PII_STOP, NULL, "stopped by the finding callback");
            return PII_STOP;
        }
    }
    return PII_OK;
}

/* Match the window and confirm the candidates starting in [committed, limit) into s->conf.
 * final: the window holds the end of the stream. */
static pii_status decide(pii_scanner *s, uint64_t limit, bool final, pii_error *err)
{
    s->cands.n = 0;
    s->n_conf = 0;
    s->norm_len = 0;
    /* without a database (a subset of tokenizer-only detectors) nothing reports the marker:
     * one search of the window stands in, instead of one per finding in allow_inline() */
    s->allow_seen = !s->e->db && s->inline_allow && allow_mark_in(s->win, s->len);
    if (s->e->db && s->len) {
        struct hs_ctx h = {.s = s};
        hs_error_t r = hs_scan((const hs_database_t *)s->e->db, (const char *)s->win,
                               (unsigned)s->len, 0, s->scratch, on_match, &h);
        if (h.oom) return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
        if (r != HS_SUCCESS && r != HS_SCAN_TERMINATED)
            return err_set(err, PII_ERR_ENGINE, NULL, "Hyperscan scan failed (%d)", (int)r);
    }
    /* Words starting past limit can only give candidates that the next window decides; words
     * well before committed only candidates this one already decided. The tokenizer visits a
     * word from the 64-byte block holding its trigger, which may lie past the word's start:
     * two blocks more, so a word starting just before limit is not lost (confirm() drops what
     * starts at or past limit). */
    size_t from = s->committed - s->base > 2 * 64 ? (size_t)(s->committed - s->base) - 2 * 64 : 0;
    size_t to = (size_t)(limit - s->base) + SHAPE_LEAD + 2 * 64;
    if (to > s->len) to = s->len;
    if (!shape_scan(s->e, s->win, s->len, from, to, &s->cands))
        return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
    if (!s->hdr.tried && s->base == 0) field_hdr_detect(&s->hdr, s->e, s->win, s->len, final);
    if (!field_cells(&s->hdr, s->win, s->len, s->base, (size_t)(s->committed - s->base),
                     (size_t)(limit - s->base), &s->cands))
        return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");

    struct vctx v;
    for (size_t i = 0; i < s->cands.n; i++) {
        struct conf c;
        if (!confirm(s, &s->cands.v[i], limit, &c, &v)) continue;
        /* presence_only: no normal form kept (a call to copy it per finding) */
        size_t nl = s->presence_only ? 0 : v.norm_len;
        if (!conf_push(s, &c, nl ? v.norm : "", nl))
            return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
    }
    return PII_OK;
}

/* Decide every candidate starting before limit (absolute). */
static pii_status process(pii_scanner *s, bool final, pii_finding_fn fn, void *user, pii_error *err)
{
    uint64_t limit = final ? s->base + s->len : s->base + s->len - PII_OVERLAP;
    if (limit <= s->committed && !final) return PII_OK;
    pii_status st = decide(s, limit, final, err);
    if (!st) st = report(s, true, fn, user, err);
    if (st) return st;
    lines_to(s, limit);
    s->committed = limit;
    if (!final) {
        /* keep KEEP bytes before limit and everything after it */
        uint64_t nb = limit - KEEP > s->base ? limit - KEEP : s->base;
        size_t drop = (size_t)(nb - s->base);
        if (s->borrowed)
            s->win += drop;
        else
            memmove(s->win, s->win + drop, s->len - drop);
        s->len -= drop;
        s->base = nb;
    }
    return PII_OK;
}

pii_status pii_scanner_feed(pii_scanner *s, const void *buf, size_t len, pii_finding_fn fn,
                            void *user, pii_error *err)
{
    if (!s || (!buf && len)) return err_set(err, PII_ERR_ARG, NULL, "NULL argument");
    const uint8_t *p = buf;
    while (len) {
        size_t room = s->cap - s->len;
        size_t n = len < room ? len : room;
        memcpy(s->win + s->len, p, n);
        s->len += n;
        s->total += n;
        p += n;
        len -= n;
        if (s->len == s->cap) {
            pii_status st = process(s, false, fn, user, err);
            if (st) return st;
        }
    }
    return PII_OK;
}

pii_status pii_scanner_end(pii_scanner *s, pii_finding_fn fn, void *user, pii_error *err)
{
    if (!s) return err_set(err, PII_ERR_ARG, NULL, "NULL argument");
    return process(s, true, fn, user, err);
}

/* begin + feed + end without copying: the windows are those feed() would fill (cap bytes, then
 * the rest), read in place from the caller's buffer, which stands in for the window buffer as
 * in pii_scan_segment(). The copy was a tenth of a whole-buffer scan's instructions. */
pii_status pii_scan_buffer(pii_scanner *s, const void *buf, size_t len, pii_finding_fn fn,
                           void *user, pii_error *err)
{
    pii_status st = pii_scanner_begin(s);
    if (st) return st;
    if (!buf && len) return err_set(err, PII_ERR_ARG, NULL, "NULL argument");
    uint8_t *own = s->win;
    s->win = (uint8_t *)(uintptr_t)buf;
    s->borrowed = true;
    for (;;) {
        size_t n = len - s->base < s->cap ? (size_t)(len - s->base) : s->cap;
        s->len = n;
        s->total = s->base + n;
        if (n < s->cap) break;
        if ((st = process(s, false, fn, user, err))) break;
    }
    if (!st) st = process(s, true, fn, user, err);
    s->win = own;
    s->borrowed = false;
    s->len = 0;
    return st;
}

/* The segment is decided by the code that decides a window: the caller's buffer stands in for
 * the window (read only: validators, context and Hyperscan never write to it), with the same
 * look-behind (KEEP) and look-ahead (PII_OVERLAP) as a window gives. Offsets are buffer
 * offsets, lines are counted from `from`. */
pii_status pii_scan_segment(pii_scanner *s, const void *buf, size_t len, size_t from, size_t to,
                            pii_finding_fn fn, void *user, pii_segment_info *info, pii_error *err)
{
    if (!s || (!buf && len) || from > to || to > len)
        return err_set(err, PII_ERR_ARG, NULL, "bad segment arguments");
    size_t lo = from > KEEP ? from - KEEP : 0;
    size_t hi = len - to > PII_OVERLAP ? to + PII_OVERLAP : len;
    uint8_t *own = s->win;
    /* the stream's CSV/TSV header comes from pii_scan_segment_head(), never from here: a
     * segment's bytes are not the stream's start */
    struct field_hdr hdr = s->hdr;
    pii_scanner_begin(s);
    s->hdr = hdr;
    s->hdr.tried = true;
    s->win = (uint8_t *)(uintptr_t)buf + lo;
    s->len = hi - lo;
    s->base = lo;
    s->committed = s->line_pos = s->line_start = from;
    s->n_conf = 0;
    pii_status st = to > from ? decide(s, to, hi == len, err) : PII_OK;
    if (!st) st = report(s, false, fn, user, err);
    if (info) {
        lines_to(s, to);
        info->newlines = s->line_no - 1;
        info->line_start = s->line_start;
    }
    s->win = own;
    pii_scanner_begin(s);
    s->hdr = hdr;
    return st;
}

void pii_scan_segment_head(pii_scanner *s, const void *head, size_t len, int final)
{
    if (!s || (!head && len)) return;
    field_hdr_reset(&s->hdr);
    field_hdr_detect(&s->hdr, s->e, head, len, final != 0);
}
