/* cli_sarif.c: `--format sarif`: SARIF 2.1.0, one rule per detector, one result per finding,
 * the keyed fingerprint in partialFingerprints, the archive member in the message. Results are
 * collected and written at the end (SARIF is one JSON document). Never a raw value, unless
 * --show-match. */
#include "cli.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct sres {
    char *path, *member, *value, *reason;
    uint64_t line, column, offset;
    size_t length, det;
    int confidence;
    bool allowed, test_value;
    pii_risk risk;
    pii_category ccpa;
    char fp[68];
};

struct sarif {
    struct sres *v;
    size_t n, cap;
};

static char *dupn(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        if (n) memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

void sarif_finding(struct run *r, const pii_finding *f)
{
    if (!r->sarif && !(r->sarif = calloc(1, sizeof *r->sarif))) return;
    struct sarif *s = r->sarif;
    struct sres *nv = grow_array(s->v, &s->cap, s->n + 1, sizeof *nv, 64);
    if (!nv) return;
    s->v = nv;
    struct sres *x = &s->v[s->n];
    memset(x, 0, sizeof *x);
    char masked[PII_MAX_MATCH + 1];
    size_t ml;
    const char *m;
    match_text(r, f, masked, sizeof masked, &m, &ml);
    x->path = strdup(r->cur_path);
    x->member = strdup(r->cur_member ? r->cur_member : "");
    x->value = dupn(m, ml);
    x->reason =
        f->allowed ? dupn(f->allow_reason ? f->allow_reason : "", f->allow_reason_len) : NULL;
    if (!x->path || !x->member || !x->value || (f->allowed && !x->reason)) {
        free(x->path);
        free(x->member);
        free(x->value);
        free(x->reason);
        return;
    }
    x->line = f->line;
    x->column = f->column;
    x->offset = f->offset;
    x->length = f->length;
    x->det = f->detector_index;
    x->confidence = f->confidence;
    x->allowed = f->allowed;
    x->test_value = f->test_value;
    x->risk = f->risk;
    x->ccpa = f->ccpa;
    run_fingerprint(r, f, x->fp);
    s->n++;
}

void sarif_free(struct run *r)
{
    struct sarif *s = r->sarif;
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].path);
        free(s->v[i].member);
        free(s->v[i].value);
        free(s->v[i].reason);
    }
    free(s->v);
    free(s);
    r->sarif = NULL;
}

static void jstr(FILE *f, const char *s)
{
    json_write_str(f, s, strlen(s));
}

/* A URI reference for a path: RFC 3986 unreserved bytes and '/' kept, the rest %XX; an
 * absolute path becomes a file:// URI. */
static void uri(FILE *f, const char *p)
{
    static const char hex[] = "0123456789ABCDEF";
    fputc('"', f);
    if (p[0] == '/') fputs("file://", f);
    while (p[0] == '.' && p[1] == '/') p += 2;
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || c == '/')
            fputc(c, f);
        else
            fprintf(f, "%%%c%c", hex[c >> 4], hex[c & 15]);
    }
    fputc('"', f);
}

static const char *level(pii_risk r, bool test)
{
    if (test) return "note";
    return r == PII_RISK_HIGH ? "error" : r == PII_RISK_MEDIUM ? "warning" : "note";
}

static void rule(FILE *f, const pii_detector_info *d)
{
    char cats[32];
    pii_category_letters(d->ccpa, cats, sizeof cats);
    fputs("{\"id\":", f);
    jstr(f, d->id);
    fputs(",\"shortDescription\":{\"text\":", f);
    jstr(f, d->description && *d->description ? d->description : d->id);
    char full[600];
    snprintf(full, sizeof full,
             "%s. Group %s; CCPA categories %s; sensitive personal information: %s; risk %s.",
             d->description && *d->description ? d->description : d->id, d->group,
             cats[0] ? cats : "none",
             d->spi == PII_SPI_YES        ? "yes"
             : d->spi == PII_SPI_COMBINED ? "with its credential"
                                          : "no",
             pii_risk_name(d->risk));
    fputs("},\"fullDescription\":{\"text\":", f);
    jstr(f, full);
    fputs("},\"help\":{\"text\":", f);
    jstr(f, "Replace the value with a documented test value of the same shape (piiscan "
            "--pre-commit suggests one), or, when it is intended, mark it with "
            "'piiscan:allow DETECTOR reason' on its line or record it in the baseline "
            "(piiscan baseline update).");
    fprintf(f,
            "},\"defaultConfiguration\":{\"level\":\"%s\"},\"properties\":{"
            "\"security-severity\":\"%s\",\"precision\":\"%s\",\"tags\":[\"privacy\",\"pii\"",
            level(d->risk, false),
            d->risk == PII_RISK_HIGH     ? "8.0"
            : d->risk == PII_RISK_MEDIUM ? "5.0"
                                         : "2.0",
            d->base_confidence >= 80   ? "high"
            : d->base_confidence >= 60 ? "medium"
                                       : "low");
    for (const char *c = cats; *c; c++)
        if (*c != ',') fprintf(f, ",\"ccpa-%c\"", *c);
    fputs("]}}", f);
}

static void result(FILE *f, const struct run *r, const struct sres *x)
{
    pii_detector_info d;
    pii_engine_detector(r->eng, x->det, &d);
    char cats[32];
    pii_category_letters(x->ccpa, cats, sizeof cats);
    fputs("{\"ruleId\":", f);
    jstr(f, d.id);
    fprintf(f, ",\"ruleIndex\":%zu,\"level\":\"%s\",\"message\":{\"text\":", x->det,
            level(x->risk, x->test_value));
    /* the message: detector, categories, masked value, and where in an archive */
    size_t cap = strlen(x->value) + strlen(x->member) + 256;
    char *msg = malloc(cap);
    if (msg) {
        int k = snprintf(msg, cap, "%s [CCPA %s] %s%s", d.id, cats[0] ? cats : "-", x->value,
                         x->test_value ? " (a documented test value)" : "");
        if (*x->member && k > 0 && (size_t)k < cap)
            snprintf(msg + k, cap - (size_t)k,
                     " in archive member %s, line %" PRIu64 ", column %" PRIu64, x->member, x->line,
                     x->column);
        jstr(f, msg);
        free(msg);
    } else {
        jstr(f, d.id);
    }
    fputs("},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":", f);
    uri(f, x->path);
    fputc('}', f);
    /* a member's lines and offsets are not the archive file's */
    if (!*x->member)
        fprintf(f,
                ",\"region\":{\"startLine\":%" PRIu64 ",\"startColumn\":%" PRIu64
                ",\"byteOffset\":%" PRIu64 ",\"byteLength\":%zu}",
                x->line, x->column, x->offset, x->length);
    fprintf(f, "}}],\"partialFingerprints\":{\"piiscan/v1\":\"%s\"}", x->fp);
    if (x->allowed) {
        fputs(",\"suppressions\":[{\"kind\":\"inSource\",\"justification\":", f);
        jstr(f, x->reason[0] ? x->reason : "piiscan:allow");
        fputs("}]", f);
    }
    fprintf(f, ",\"properties\":{\"confidence\":%d.%02d,\"testValue\":%s,\"risk\":\"%s\"",
            x->confidence / 100, x->confidence % 100, x->test_value ? "true" : "false",
            pii_risk_name(x->risk));
    if (*x->member) {
        fputs(",\"member\":", f);
        jstr(f, x->member);
    }
    fputs("}}", f);
}

void sarif_finish(struct run *r)
{
    FILE *f = r->out;
    fputs("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
          "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"piiscan\",\"version\":",
          f);
    jstr(f, pii_version());
    fputs(",\"rules\":[", f);
    for (size_t i = 0; i < r->n_det; i++) {
        pii_detector_info d;
        pii_engine_detector(r->eng, i, &d);
        if (i) fputc(',', f);
        rule(f, &d);
    }
    fputs("]}},\"results\":[", f);
    const struct sarif *s = r->sarif;
    for (size_t i = 0; s && i < s->n; i++) {
        if (i) fputc(',', f);
        result(f, r, &s->v[i]);
    }
    fprintf(f, "],\"invocations\":[{\"executionSuccessful\":%s}]}]}\n",
            r->errors ? "false" : "true");
}
