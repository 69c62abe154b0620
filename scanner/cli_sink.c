/* cli_sink.c: the CLI's output formats (OUTPUT.md): JSONL records, grep-like text, the
 * summary in text and JSON. Raw matches are printed only with --show-match. Knows nothing of
 * how findings are found; uses the library's JSON string writer (json.c). */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void check_out(struct run *r)
{
    if (ferror(r->out)) r->out_broken = true;
}

/* path, or path!member, with control bytes escaped so a name cannot forge output lines */
void text_bytes(FILE *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            fprintf(o, "\\x%02x", c);
        else
            fputc(c, o);
    }
}

void text_name(FILE *o, const char *path, const char *member)
{
    if (path && *path) text_bytes(o, path, strlen(path));
    if (member && *member) {
        fputc('!', o);
        text_bytes(o, member, strlen(member));
    }
}

/* s appended to b at n (the caller's buffer has room: short literals and names) */
static size_t put_str(char *b, size_t n, const char *s)
{
    size_t l = strlen(s);
    memcpy(b + n, s, l);
    return n + l;
}

/* v in decimal appended to b at n */
static size_t put_u64(char *b, size_t n, uint64_t v)
{
    char t[20];
    size_t k = 0;
    do t[k++] = (char)('0' + v % 10);
    while (v /= 10);
    while (k) b[n++] = t[--k];
    return n;
}

/* Room for field_put's output for a string of len bytes under a name of up to 16 bytes. */
#define FIELD_ROOM(len) (48 + JSON_STR_ROOM(len) + ((size_t)(len) + 2) / 3 * 4)

/* ,"name":"s" at b + n, and ,"name_bytes":"<base64>" when s is not UTF-8 (OUTPUT.md: the bytes
 * as they are when a name or value is not text); the caller made FIELD_ROOM(len) of room.
 * Returns the new length. */
static size_t field_put(char *b, size_t n, const char *name, const char *s, size_t len)
{
    n = put_str(b, n, ",\"");
    n = put_str(b, n, name);
    n = put_str(b, n, "\":");
    bool ok = true;
    n += json_put_str(b + n, JSON_STR_ROOM(len), s, len, &ok);
    if (!ok) {
        n = put_str(b, n, ",\"");
        n = put_str(b, n, name);
        n = put_str(b, n, "_bytes\":\"");
        n += base64_encode((const uint8_t *)s, len, b + n, (len + 2) / 3 * 4 + 1);
        b[n++] = '"';
    }
    return n;
}

/* field_put to f: a field of an error, skipped or summary record. */
static void str_field(FILE *f, const char *name, const char *s, size_t len)
{
    char small[FIELD_ROOM(32)], *b = len <= 32 ? small : malloc(FIELD_ROOM(len));
    if (!b) { /* out of memory: the field without its bytes rather than none */
        fputs(",\"", f);
        fputs(name, f);
        fputs("\":", f);
        json_write_str(f, s, len);
        return;
    }
    fwrite(b, 1, field_put(b, 0, name, s, len), f);
    if (b != small) free(b);
}

static void member_field(FILE *f, const char *member)
{
    if (member && *member) str_field(f, "member", member, strlen(member));
}

void match_text(const struct run *r, const pii_finding *f, char *buf, size_t cap, const char **s,
                size_t *len)
{
    if (r->o->show_match) {
        *s = (const char *)f->match;
        *len = f->length;
    } else {
        *len = pii_finding_mask(f, buf, cap);
        *s = buf;
    }
}

/* ---- per-input and per-member accounting for the summary ---------------------------------- */

static void strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

static void strv_add(char ***v, size_t *n, const char *s)
{
    char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv) return;
    *v = nv;
    if ((nv[*n] = strdup(s))) (*n)++;
}

static void member_release(struct member_stats *m)
{
    free(m->name);
    free(m->by_det);
    free(m->skip);
    strv_free(m->errors, m->n_errors);
}

void summary_input_release(struct input_stats *in)
{
    free(in->path); /* by_det is the run's (det_counts_new) */
    strv_free(in->errors, in->n_errors);
    for (size_t i = 0; i < in->n_members; i++) member_release(&in->members[i]);
    free(in->members);
    memset(in, 0, sizeof *in);
}

void summary_input_init(struct run *r, struct input_stats *in)
{
    memset(in->by_cat, 0, sizeof in->by_cat);
    in->errors = NULL;
    in->n_errors = 0;
    in->members = NULL;
    in->n_members = in->cap_members = 0;
    struct input_stats *p = &r->pend;
    if (p->path && !strcmp(p->path, in->path)) { /* adopt what came before the input */
        in->errors = p->errors;
        in->n_errors = p->n_errors;
        in->members = p->members;
        in->n_members = p->n_members;
        in->cap_members = p->cap_members;
        p->errors = NULL;
        p->n_errors = 0;
        p->members = NULL;
        p->n_members = p->cap_members = 0;
    }
}

/* The entry a record of (path, member) counts in: the current input's, or, before its first
 * record, a pending one. NULL when out of memory. */
static struct input_stats *input_for(struct run *r, const char *path)
{
    if (!path) return r->cur;
    if (r->cur && !strcmp(r->cur->path, path)) return r->cur;
    struct input_stats *p = &r->pend;
    if (!p->path || strcmp(p->path, path)) {
        summary_input_release(p);
        if (!(p->path = strdup(path))) return NULL;
    }
    return p;
}

/* The member's entry: the last one when it has the same name (the records of one member come
 * together), else a new one. */
static struct member_stats *member_for(struct run *r, const char *path, const char *member)
{
    if (!member || !*member) return NULL;
    struct input_stats *in = input_for(r, path);
    if (!in) return NULL;
    if (in->n_members && !strcmp(in->members[in->n_members - 1].name, member))
        return &in->members[in->n_members - 1];
    struct member_stats *nv =
        grow_array(in->members, &in->cap_members, in->n_members + 1, sizeof *nv, 16);
    if (!nv) return NULL;
    in->members = nv;
    struct member_stats *m = &in->members[in->n_members];
    memset(m, 0, sizeof *m);
    if (!(m->name = strdup(member))) return NULL;
    m->seq = in->n_members++;
    return m;
}

/* n findings of detector det with the categories ccpa. */
static void member_count(struct member_stats *m, size_t det, pii_category ccpa, uint64_t n)
{
    m->findings += n;
    for (int i = 0; i < 12; i++)
        if (ccpa & (1u << i)) m->by_cat[i] += n;
    size_t i = 0;
    while (i < m->n_det && m->by_det[i].det != det) i++;
    if (i == m->n_det) {
        struct det_count *nv = grow_array(m->by_det, &m->cap_det, m->n_det + 1, sizeof *nv, 8);
        if (!nv) return;
        m->by_det = nv;
        nv[m->n_det++] = (struct det_count){(uint32_t)det, 0};
    }
    m->by_det[i].n += n;
}

void sink_bytes(struct run *r, const char *member, uint64_t n)
{
    r->bytes += n;
    if (!r->cur) return;
    r->cur->bytes += n;
    struct member_stats *m = member_for(r, r->cur->path, member);
    if (m) m->bytes += n;
}

/* n findings of detector det with the categories ccpa, in the current input and member. */
static void count(struct run *r, size_t det, pii_category ccpa, uint64_t n)
{
    r->findings += n;
    r->by_det[det] += n;
    for (int i = 0; i < 12; i++)
        if (ccpa & (1u << i)) r->by_cat[i] += n;
    if (r->cur) {
        r->cur->findings += n;
        r->cur->by_det[det] += n;
        for (int i = 0; i < 12; i++)
            if (ccpa & (1u << i)) r->cur->by_cat[i] += n;
        struct member_stats *m = member_for(r, r->cur->path, r->cur_member);
        if (m) member_count(m, det, ccpa, n);
    }
}

bool sink_counts_only(const struct run *r)
{
    const struct hook_opts *h = &r->o->h;
    if (r->o->format == FMT_REDACT) return true; /* the copy needs each finding's span alone */
    return r->o->format == FMT_SUMMARY && !h->cfg && !h->bl && !h->pre_commit && !h->git_staged;
}

void sink_data(struct run *r, const char *data, size_t n)
{
    if (r->out_broken || !n) return;
    fwrite(data, 1, n, r->out);
    if (r->o->line_buffered) fflush(r->out);
    check_out(r);
}

void sink_count(struct run *r, size_t det, pii_category ccpa, uint64_t n, uint64_t allowed)
{
    count(r, det, ccpa, n);
    /* repo_finding's tally with no hook, staged lines, config or baseline */
    r->allowed += allowed;
    r->blocking += n - allowed;
}

/* ---- fingerprints: one HMAC per distinct value -------------------------------------------
 * Logs repeat their values: the 146,130 findings of the bench corpus's first 64 MiB hold
 * 11,878 distinct ones (a few addresses on most lines). A fingerprint costs two SHA-256
 * compressions, a seventh of a jsonl run; this direct-mapped cache keeps, per slot, the last
 * value hashed there with its fingerprint, and a value is compared in full (detector and normal
 * form) before its fingerprint is reused. The sinks run one at a time (cli_par.c), so it needs
 * no lock. It holds normal forms, personal data kept in memory as the segments are: it is
 * wiped when freed. */
enum { FP_SLOTS = 1024, FP_NORM = 55 };
struct fp_slot {
    uint32_t det; /* detector index + 1; 0: empty */
    uint8_t len;
    uint8_t norm[FP_NORM];
    char fp[68];
};
struct fp_cache {
    struct fp_slot slot[FP_SLOTS];
};

/* The slot of a normal form (the same for every detector: one value found by two detectors
 * takes turns in its slot, and the detector is compared, not trusted to the hash). */
static unsigned fp_slot_of(const char *s, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 29;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    return (unsigned)(h >> 32) % FP_SLOTS;
}

void run_fingerprint(struct run *r, const pii_finding *f, char out[68])
{
    size_t n = f->normalized_len;
    if (n > FP_NORM || (!r->fpc && !(r->fpc = calloc(1, sizeof *r->fpc)))) {
        pii_finding_fingerprint(r->eng, f, out, 68);
        return;
    }
    struct fp_slot *e = &r->fpc->slot[fp_slot_of(f->normalized, n)];
    if (e->det != f->detector_index + 1 || e->len != n ||
        (n && memcmp(e->norm, f->normalized, n))) {
        pii_finding_fingerprint(r->eng, f, e->fp, sizeof e->fp);
        e->det = (uint32_t)f->detector_index + 1;
        e->len = (uint8_t)n;
        if (n) memcpy(e->norm, f->normalized, n);
    }
    memcpy(out, e->fp, sizeof e->fp);
}

void sink_free(struct run *r)
{
    if (r->fpc) explicit_bzero(r->fpc, sizeof *r->fpc);
    free(r->fpc);
    r->fpc = NULL;
    if (r->rec) explicit_bzero(r->rec, r->rec_cap); /* the last record's match, --show-match */
    free(r->rec);
    r->rec = NULL;
    r->rec_cap = 0;
}

/* A finding's JSONL record, formatted in r->rec and written at once: its dozen fields as
 * separate stdio writes, each escaping as it went, were a sixth of a jsonl run. */
static void jsonl_finding(struct run *r, const pii_finding *f)
{
    char masked[PII_MAX_MATCH + 1];
    const char *m, *member = r->cur_member ? r->cur_member : "";
    size_t ml, pl = strlen(r->cur_path), mbl = strlen(member), dl = strlen(f->detector);
    match_text(r, f, masked, sizeof masked, &m, &ml);
    size_t need = 512 + FIELD_ROOM(pl) + FIELD_ROOM(mbl) + FIELD_ROOM(dl) + FIELD_ROOM(ml);
    if (need > r->rec_cap) {
        char *nb = realloc(r->rec, need);
        if (!nb) {
            sink_error(r, r->cur_path, r->cur_member, "out of memory: a finding was not written");
            return;
        }
        r->rec = nb;
        r->rec_cap = need;
    }
    char *b = r->rec, fp[68];
    size_t n = put_str(b, 0, "{\"type\":\"finding\"");
    n = field_put(b, n, "path", r->cur_path, pl);
    if (mbl) n = field_put(b, n, "member", member, mbl);
    n = put_str(b, n, ",\"line\":");
    n = put_u64(b, n, f->line);
    n = put_str(b, n, ",\"column\":");
    n = put_u64(b, n, f->column);
    n = put_str(b, n, ",\"offset\":");
    n = put_u64(b, n, f->offset);
    n = put_str(b, n, ",\"length\":");
    n = put_u64(b, n, f->length);
    n = put_str(b, n, ",\"detector\":");
    n += json_put_str(b + n, JSON_STR_ROOM(dl), f->detector, dl, NULL);
    n = put_str(b, n, ",\"ccpa\":[");
    for (int i = 0, first = 1; i < 12; i++) {
        if (!(f->ccpa & (1u << i))) continue;
        if (!first) b[n++] = ',';
        b[n++] = '"', b[n++] = (char)('A' + i), b[n++] = '"';
        first = 0;
    }
    run_fingerprint(r, f, fp);
    n = put_str(b, n, f->sensitive ? "],\"sensitive\":true" : "],\"sensitive\":false");
    n = put_str(b, n, ",\"risk\":\"");
    n = put_str(b, n, pii_risk_name(f->risk));
    n = put_str(b, n, "\",\"confidence\":");
    n = put_u64(b, n, (uint64_t)(f->confidence / 100)); /* 0..100 */
    b[n++] = '.', b[n++] = (char)('0' + f->confidence % 100 / 10);
    b[n++] = (char)('0' + f->confidence % 10);
    n = put_str(b, n, f->test_value ? ",\"test_value\":true" : ",\"test_value\":false");
    n = put_str(b, n, ",\"fingerprint\":\"");
    n = put_str(b, n, fp);
    b[n++] = '"';
    n = field_put(b, n, "match", m, ml);
    if (f->allowed) n = put_str(b, n, ",\"allowed\":true"); /* issue 6 */
    n = put_str(b, n, "}\n");
    fwrite(b, 1, n, r->out);
}

void sink_finding(struct run *r, const pii_finding *f)
{
    pii_finding g; /* issue 6: staged lines, config allow lists, baseline (cli_repo.c) */
    if (!repo_finding(r, f, &g)) return;
    f = &g;
    count(r, f->detector_index, f->ccpa, 1);
    if (r->out_broken) return;
    FILE *o = r->out;
    char masked[PII_MAX_MATCH + 1];
    const char *m;
    size_t ml;
    switch (r->o->format) {
    case FMT_SUMMARY:
    case FMT_REDACT: /* counted: the copy is written from the segments (cli_par.c) */
        return;
    case FMT_SARIF: /* issue 6 */
        sarif_finding(r, f);
        return;
    case FMT_PRECOMMIT:
        hook_finding(r, f);
        return;
    case FMT_BASELINE:
        baseline_finding(r, f);
        return;
    case FMT_TEXT: {
        char cats[32];
        pii_category_letters(f->ccpa, cats, sizeof cats);
        match_text(r, f, masked, sizeof masked, &m, &ml);
        /* escape control bytes so a name or match cannot forge output lines */
        text_name(o, r->cur_path, r->cur_member);
        fprintf(o, ":%" PRIu64 ":%" PRIu64 ": %s [%s] ", f->line, f->column, f->detector, cats);
        text_bytes(o, m, ml);
        fputc('\n', o);
        break;
    }
    case FMT_JSONL:
        jsonl_finding(r, f);
        break;
    }
    if (r->o->line_buffered) fflush(o);
    check_out(r);
}

void sink_error(struct run *r, const char *path, const char *member, const char *msg)
{
    r->errors++;
    struct member_stats *m = member_for(r, path, member);
    if (m) {
        strv_add(&m->errors, &m->n_errors, msg);
    } else if (path && (!member || !*member) && r->cur && !strcmp(r->cur->path, path)) {
        strv_add(&r->cur->errors, &r->cur->n_errors, msg);
    }
    fflush(r->out);
    /* errors go to stderr in every format, and into the record stream for JSONL */
    progress_hold(r);
    fputs("piiscan: ", stderr);
    text_name(stderr, path, member);
    fputs(": ", stderr);
    text_name(stderr, msg, NULL);
    fputc('\n', stderr);
    progress_release(r);
    if (r->o->format == FMT_JSONL && !r->out_broken) {
        fputs("{\"type\":\"error\"", r->out);
        str_field(r->out, "path", path, strlen(path));
        member_field(r->out, member);
        str_field(r->out, "message", msg, strlen(msg));
        fputs("}\n", r->out);
        check_out(r);
    }
}

static void count_skip(struct run *r, const char *reason)
{
    const size_t last = ARRAY_LEN(r->skip_by) - 1;
    size_t i = 0;
    while (i < last && r->skip_by[i].reason[0] && strcmp(r->skip_by[i].reason, reason)) i++;
    if (i < last && !r->skip_by[i].reason[0])
        snprintf(r->skip_by[i].reason, sizeof r->skip_by[i].reason, "%s", reason);
    if (i == last) snprintf(r->skip_by[i].reason, sizeof r->skip_by[i].reason, "other");
    r->skip_by[i].n++;
}

void sink_skipped(struct run *r, const char *path, const char *member, const char *reason)
{
    r->skipped++;
    count_skip(r, reason);
    struct member_stats *m = member_for(r, path, member);
    if (m && !m->skip) m->skip = strdup(reason);
    if (r->o->format == FMT_JSONL && !r->out_broken) {
        fputs("{\"type\":\"skipped\"", r->out);
        str_field(r->out, "path", path, strlen(path));
        member_field(r->out, member);
        str_field(r->out, "reason", reason, strlen(reason));
        fputs("}\n", r->out);
        check_out(r);
    } else if (r->o->format == FMT_TEXT || r->o->format == FMT_REDACT) {
        progress_hold(r);
        fputs("piiscan: ", stderr);
        text_name(stderr, path, member);
        fprintf(stderr, ": skipped (%s)\n", reason);
        progress_release(r);
    }
}

static void by_det_json(FILE *f, const struct run *r, const uint64_t *v)
{
    fputc('{', f);
    bool first = true;
    for (size_t i = 0; i < r->n_det; i++) {
        if (!v[i]) continue;
        pii_detector_info info;
        pii_engine_detector(r->eng, i, &info);
        fprintf(f, "%s\"%s\":%" PRIu64, first ? "" : ",", info.id, v[i]);
        first = false;
    }
    fputc('}', f);
}

static void by_ccpa_json(FILE *f, const uint64_t *v)
{
    fputc('{', f);
    bool first = true;
    for (int i = 0; i < 12; i++) {
        if (!v[i]) continue;
        fprintf(f, "%s\"%c\":%" PRIu64, first ? "" : ",", 'A' + i, v[i]);
        first = false;
    }
    fputc('}', f);
}

static void strv_json(FILE *f, const char *name, char *const *v, size_t n)
{
    fprintf(f, ",\"%s\":[", name);
    for (size_t i = 0; i < n; i++) {
        if (i) fputc(',', f);
        json_write_str(f, v[i], strlen(v[i])); /* not UTF-8: U+FFFD for bad bytes */
    }
    fputc(']', f);
}

static int member_cmp(const void *a, const void *b)
{
    const struct member_stats *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c) return c;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Members by name (byte order), then arrival: the same at any thread count. */
static void members_sort(struct input_stats *in)
{
    if (in->n_members > 1) qsort(in->members, in->n_members, sizeof *in->members, member_cmp);
}

static void member_json(FILE *f, const struct run *r, const char *path,
                        const struct member_stats *m)
{
    fputc('{', f);
    fputs("\"path\":", f);
    json_write_str(f, path, strlen(path));
    str_field(f, "member", m->name, strlen(m->name));
    fprintf(f, ",\"bytes\":%" PRIu64 ",\"findings\":%" PRIu64 ",\"by_detector\":{", m->bytes,
            m->findings);
    /* detectors in catalogue order, as everywhere else */
    bool first = true;
    for (size_t d = 0; d < r->n_det; d++)
        for (size_t i = 0; i < m->n_det; i++) {
            if (m->by_det[i].det != d) continue;
            pii_detector_info info;
            pii_engine_detector(r->eng, d, &info);
            fprintf(f, "%s\"%s\":%" PRIu64, first ? "" : ",", info.id, m->by_det[i].n);
            first = false;
        }
    fputs("},\"by_ccpa\":", f);
    by_ccpa_json(f, m->by_cat);
    strv_json(f, "errors", m->errors, m->n_errors);
    fputs(",\"skipped\":", f);
    if (m->skip)
        json_write_str(f, m->skip, strlen(m->skip));
    else
        fputs("null", f);
    fputc('}', f);
}

/* ---- the rollup by directory: a compliance report's "by system" ------------------------- */

/* The directory an input sits in: its path up to its last '/' ("/" for one at the root, "."
 * for a bare name, standard input included). */
static void input_dir(const char *path, const char **d, size_t *n)
{
    const char *sl = strrchr(path, '/');
    if (!sl) {
        *d = ".", *n = 1;
    } else {
        *d = path, *n = sl == path ? 1 : (size_t)(sl - path);
    }
}

struct dir_roll {
    const char *path; /* not NUL-terminated: len bytes */
    size_t len;
    uint64_t inputs, bytes, findings, by_cat[12];
};

static int dir_cmp(const void *a, const void *b)
{
    const struct dir_roll *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->path, y->path, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* The inputs' directories with their totals, in bytewise path order (*n of them; NULL with *n
 * 0 when there are no inputs or no memory, and the rollup is left out). */
static struct dir_roll *dirs_roll(const struct run *r, size_t *n)
{
    *n = 0;
    struct dir_roll *v = r->n_inputs ? malloc(r->n_inputs * sizeof *v) : NULL;
    if (!v) return NULL;
    for (size_t i = 0; i < r->n_inputs; i++) {
        const struct input_stats *in = &r->inputs[i];
        struct dir_roll *d = &v[i];
        input_dir(in->path, &d->path, &d->len);
        d->inputs = 1, d->bytes = in->bytes, d->findings = in->findings;
        memcpy(d->by_cat, in->by_cat, sizeof d->by_cat);
    }
    qsort(v, r->n_inputs, sizeof *v, dir_cmp);
    size_t k = 0;
    for (size_t i = 0; i < r->n_inputs; i++) {
        if (k && !dir_cmp(&v[k - 1], &v[i])) {
            struct dir_roll *d = &v[k - 1];
            d->inputs++, d->bytes += v[i].bytes, d->findings += v[i].findings;
            for (int c = 0; c < 12; c++) d->by_cat[c] += v[i].by_cat[c];
        } else {
            v[k++] = v[i];
        }
    }
    *n = k;
    return v;
}

static void summary_json(FILE *f, struct run *r, double elapsed, bool record)
{
    fprintf(f,
            "{%s\"files\":%" PRIu64 ",\"members\":%" PRIu64 ",\"bytes\":%" PRIu64
            ",\"compressed_bytes\":%" PRIu64 ",\"expanded_bytes\":%" PRIu64 ",\"findings\":%" PRIu64
            ",\"allowed\":%" PRIu64 ",\"by_detector\":",
            record ? "\"type\":\"summary\"," : "", r->files, r->members, r->bytes,
            r->compressed_bytes, r->expanded_bytes, r->findings, r->allowed);
    by_det_json(f, r, r->by_det);
    fputs(",\"by_ccpa\":{", f);
    bool first = true;
    for (int i = 0; i < 12; i++) {
        if (!r->by_cat[i]) continue;
        fprintf(f, "%s\"%c\":%" PRIu64, first ? "" : ",", 'A' + i, r->by_cat[i]);
        first = false;
    }
    fprintf(f, "},\"errors\":%" PRIu64 ",\"skipped\":%" PRIu64 ",\"skipped_by_reason\":{",
            r->errors, r->skipped);
    first = true;
    for (size_t i = 0; i < ARRAY_LEN(r->skip_by) && r->skip_by[i].reason[0]; i++) {
        fputs(first ? "" : ",", f);
        json_write_str(f, r->skip_by[i].reason, strlen(r->skip_by[i].reason));
        fprintf(f, ":%" PRIu64, r->skip_by[i].n);
        first = false;
    }
    fprintf(f, "},\"elapsed_s\":%.6f,\"throughput_mb_s\":%.1f,", elapsed,
            elapsed > 0 ? (double)r->bytes / elapsed / 1e6 : 0.0);
    if (r->o->n_globs) /* --glob: what the walk left out (no record each) */
        fprintf(f, "\"excluded_by_glob\":%" PRIu64 ",", r->glob_excluded);
    if (r->o->shard_n) /* --shard: which share this is, so that a merged report can tell */
        fprintf(f, "\"shard\":{\"index\":%u,\"count\":%u,\"paths_elsewhere\":%" PRIu64 "},",
                r->o->shard_k, r->o->shard_n, r->shard_elsewhere);
    size_t nd;
    struct dir_roll *dirs = dirs_roll(r, &nd);
    fputs("\"by_directory\":[", f);
    for (size_t i = 0; i < nd; i++) {
        fputs(i ? ",{\"path\":" : "{\"path\":", f);
        json_write_str(f, dirs[i].path, dirs[i].len);
        fprintf(f,
                ",\"inputs\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"findings\":%" PRIu64
                ",\"by_ccpa\":",
                dirs[i].inputs, dirs[i].bytes, dirs[i].findings);
        by_ccpa_json(f, dirs[i].by_cat);
        fputc('}', f);
    }
    free(dirs);
    fputs("],\"inputs\":[", f);
    for (size_t i = 0; i < r->n_inputs; i++) {
        const struct input_stats *in = &r->inputs[i];
        fputs(i ? ",{" : "{", f);
        fputs("\"path\":", f);
        json_write_str(f, in->path, strlen(in->path));
        fprintf(f, ",\"bytes\":%" PRIu64 ",\"findings\":%" PRIu64 ",\"by_detector\":", in->bytes,
                in->findings);
        by_det_json(f, r, in->by_det);
        fputs(",\"by_ccpa\":", f);
        by_ccpa_json(f, in->by_cat);
        strv_json(f, "errors", in->errors, in->n_errors);
        fputs(",\"members\":[", f);
        members_sort(&r->inputs[i]);
        for (size_t j = 0; j < in->n_members; j++) {
            if (j) fputc(',', f);
            member_json(f, r, in->path, &in->members[j]);
        }
        fputs("]}", f);
    }
    fputs("]}\n", f);
}

bool sink_summary_json(struct run *r, double elapsed, const char *file)
{
    FILE *f = fopen(file, "w");
    if (!f) {
        fprintf(stderr, "piiscan: %s: cannot write summary: %s\n", file, strerror(errno));
        return false;
    }
    summary_json(f, r, elapsed, false);
    bool ok = !ferror(f);
    if (fclose(f) != 0) ok = false;
    if (!ok) fprintf(stderr, "piiscan: %s: cannot write summary\n", file);
    return ok;
}

/* One line per archive member: findings, bytes, categories, name, and what went wrong. */
static void members_text(FILE *f, struct run *r)
{
    bool any = false;
    for (size_t i = 0; i < r->n_inputs && !any; i++) any = r->inputs[i].n_members > 0;
    if (!any) return;
    fprintf(f, "by archive member:\n  %8s %14s  %-12s %s\n", "findings", "bytes", "ccpa", "member");
    for (size_t i = 0; i < r->n_inputs; i++) {
        struct input_stats *in = &r->inputs[i];
        members_sort(in);
        for (size_t j = 0; j < in->n_members; j++) {
            const struct member_stats *m = &in->members[j];
            char cats[32];
            pii_category cat = 0;
            for (int c = 0; c < 12; c++)
                if (m->by_cat[c]) cat |= 1u << c;
            pii_category_letters(cat, cats, sizeof cats);
            fprintf(f, "  %8" PRIu64 " %14" PRIu64 "  %-12s ", m->findings, m->bytes,
                    cats[0] ? cats : "-");
            text_name(f, in->path, m->name);
            if (m->skip) {
                fputs("  (skipped: ", f);
                text_bytes(f, m->skip, strlen(m->skip));
                fputc(')', f);
            }
            for (size_t e = 0; e < m->n_errors; e++) {
                fputs(e ? "; " : "  (ERROR: ", f);
                text_bytes(f, m->errors[e], strlen(m->errors[e]));
            }
            fputs(m->n_errors ? ")\n" : "\n", f);
        }
    }
}

static void summary_text(FILE *f, struct run *r, double elapsed)
{
    fprintf(f, "piiscan %s summary\n", pii_version());
    fprintf(f, "  inputs scanned   %" PRIu64 "\n", r->files);
    fprintf(f, "  archive members  %" PRIu64 "\n", r->members);
    fprintf(f, "  compressed bytes %" PRIu64 " (expanded to %" PRIu64 ")\n", r->compressed_bytes,
            r->expanded_bytes);
    fprintf(f, "  bytes scanned    %" PRIu64 " (%.1f MB/s)\n", r->bytes,
            elapsed > 0 ? (double)r->bytes / elapsed / 1e6 : 0.0);
    fprintf(f, "  findings         %" PRIu64 "\n", r->findings);
    fprintf(f, "  allowed          %" PRIu64 "\n", r->allowed); /* issue 6 */
    fprintf(f, "  errors           %" PRIu64 "%s\n", r->errors,
            r->errors ? "  (INCOMPLETE: some input could not be read)" : "");
    fprintf(f, "  skipped          %" PRIu64, r->skipped);
    for (size_t i = 0; i < ARRAY_LEN(r->skip_by) && r->skip_by[i].reason[0]; i++)
        fprintf(f, "%s%s %" PRIu64, i ? ", " : " (", r->skip_by[i].reason, r->skip_by[i].n);
    fputs(r->skip_by[0].reason[0] ? ")\n" : "\n", f);
    fprintf(f, "  elapsed          %.3f s\n", elapsed);
    if (r->o->n_globs) fprintf(f, "  left out         %" PRIu64 " (by --glob)\n", r->glob_excluded);
    if (r->o->shard_n)
        fprintf(f, "  shard            %u/%u (%" PRIu64 " paths left to the other shares)\n",
                r->o->shard_k, r->o->shard_n, r->shard_elsewhere);
    if (r->findings) {
        fputs("by CCPA category (Cal. Civ. Code 1798.140(v)(1)):\n", f);
        for (int i = 0; i < 12; i++)
            if (r->by_cat[i]) fprintf(f, "  %c  %" PRIu64 "\n", 'A' + i, r->by_cat[i]);
        fputs("by detector:\n", f);
        for (size_t i = 0; i < r->n_det; i++) {
            if (!r->by_det[i]) continue;
            pii_detector_info info;
            pii_engine_detector(r->eng, i, &info);
            fprintf(f, "  %-18s %" PRIu64 "\n", info.id, r->by_det[i]);
        }
        size_t nd;
        struct dir_roll *dirs = dirs_roll(r, &nd);
        if (nd > 1) { /* a batch over several directories: where the findings are */
            fprintf(f, "by directory:\n  %8s %8s %14s  %-12s %s\n", "findings", "inputs", "bytes",
                    "ccpa", "directory");
            for (size_t i = 0; i < nd; i++) {
                char cats[32];
                pii_category cat = 0;
                for (int c = 0; c < 12; c++)
                    if (dirs[i].by_cat[c]) cat |= 1u << c;
                pii_category_letters(cat, cats, sizeof cats);
                fprintf(f, "  %8" PRIu64 " %8" PRIu64 " %14" PRIu64 "  %-12s ", dirs[i].findings,
                        dirs[i].inputs, dirs[i].bytes, cats[0] ? cats : "-");
                text_bytes(f, dirs[i].path, dirs[i].len);
                fputc('\n', f);
            }
        }
        free(dirs);
        fputs("by input:\n", f);
        for (size_t i = 0; i < r->n_inputs; i++)
            if (r->inputs[i].findings)
                fprintf(f, "  %" PRIu64 "\t%s\n", r->inputs[i].findings, r->inputs[i].path);
    }
    members_text(f, r);
}

void sink_finish(struct run *r, double elapsed)
{
    if (r->out_broken) return;
    if (r->o->format == FMT_JSONL)
        summary_json(r->out, r, elapsed, true);
    else if (r->o->format == FMT_SUMMARY)
        summary_text(r->out, r, elapsed);
    else if (r->o->format == FMT_SARIF) /* issue 6 */
        sarif_finish(r);
    else if (r->o->format == FMT_PRECOMMIT)
        hook_finish(r);
    fflush(r->out);
    check_out(r);
}
