/* cli_sink.c: the CLI's output formats (OUTPUT.md): JSONL records, grep-like text, the
 * summary in text and JSON. Raw matches are printed only with --show-match. Knows nothing of
 * how findings are found; uses the library's JSON string writer (json.c). */
#include "cli.h"
#include "pii_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void check_out(struct run *r)
{
    if (ferror(r->out)) r->out_broken = true;
}

/* A string field; when the bytes are not UTF-8, also "<name>_bytes" with their base64. */
static void str_field(FILE *f, const char *name, const char *s, size_t len)
{
    fprintf(f, ",\"%s\":", name);
    if (!json_write_str(f, s, len)) {
        size_t cap = (len + 2) / 3 * 4 + 1;
        char *b = malloc(cap);
        if (b && base64_encode((const uint8_t *)s, len, b, cap))
            fprintf(f, ",\"%s_bytes\":\"%s\"", name, b);
        free(b);
    }
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

static void count(struct run *r, const pii_finding *f)
{
    r->findings++;
    r->by_det[f->detector_index]++;
    for (int i = 0; i < 12; i++)
        if (f->ccpa & (1u << i)) r->by_cat[i]++;
    if (r->cur) {
        r->cur->findings++;
        r->cur->by_det[f->detector_index]++;
    }
}

void sink_finding(struct run *r, const pii_finding *f)
{
    pii_finding g; /* issue 6: staged lines, config allow lists, baseline (cli_repo.c) */
    if (!repo_finding(r, f, &g)) return;
    f = &g;
    count(r, f);
    if (r->out_broken) return;
    FILE *o = r->out;
    char masked[PII_MAX_MATCH + 1];
    const char *m;
    size_t ml;
    switch (r->o->format) {
    case FMT_SUMMARY:
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
    case FMT_JSONL: {
        fputs("{\"type\":\"finding\"", o);
        str_field(o, "path", r->cur_path, strlen(r->cur_path));
        member_field(o, r->cur_member);
        fprintf(o,
                ",\"line\":%" PRIu64 ",\"column\":%" PRIu64 ",\"offset\":%" PRIu64
                ",\"length\":%zu,\"detector\":",
                f->line, f->column, f->offset, f->length);
        json_write_str(o, f->detector, strlen(f->detector));
        fputs(",\"ccpa\":[", o);
        bool first = true;
        for (int i = 0; i < 12; i++) {
            if (!(f->ccpa & (1u << i))) continue;
            fprintf(o, "%s\"%c\"", first ? "" : ",", 'A' + i);
            first = false;
        }
        char fp[80];
        pii_finding_fingerprint(r->eng, f, fp, sizeof fp);
        fprintf(o,
                "],\"sensitive\":%s,\"risk\":\"%s\",\"confidence\":%d.%02d,\"test_value\":%s,"
                "\"fingerprint\":\"%s\"",
                f->sensitive ? "true" : "false", pii_risk_name(f->risk), f->confidence / 100,
                f->confidence % 100, f->test_value ? "true" : "false", fp);
        match_text(r, f, masked, sizeof masked, &m, &ml);
        str_field(o, "match", m, ml);
        if (f->allowed) fputs(",\"allowed\":true", o); /* issue 6 */
        fputs("}\n", o);
        break;
    }
    }
    if (r->o->line_buffered) fflush(o);
    check_out(r);
}

void sink_error(struct run *r, const char *path, const char *member, const char *msg)
{
    r->errors++;
    fflush(r->out);
    /* errors go to stderr in every format, and into the record stream for JSONL */
    fputs("piiscan: ", stderr);
    text_name(stderr, path, member);
    fputs(": ", stderr);
    text_name(stderr, msg, NULL);
    fputc('\n', stderr);
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
    if (r->o->format == FMT_JSONL && !r->out_broken) {
        fputs("{\"type\":\"skipped\"", r->out);
        str_field(r->out, "path", path, strlen(path));
        member_field(r->out, member);
        str_field(r->out, "reason", reason, strlen(reason));
        fputs("}\n", r->out);
        check_out(r);
    } else if (r->o->format == FMT_TEXT) {
        fputs("piiscan: ", stderr);
        text_name(stderr, path, member);
        fprintf(stderr, ": skipped (%s)\n", reason);
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
    fprintf(f, "},\"elapsed_s\":%.6f,\"throughput_mb_s\":%.1f,\"inputs\":[", elapsed,
            elapsed > 0 ? (double)r->bytes / elapsed / 1e6 : 0.0);
    for (size_t i = 0; i < r->n_inputs; i++) {
        const struct input_stats *in = &r->inputs[i];
        fputs(i ? ",{" : "{", f);
        fputs("\"path\":", f);
        json_write_str(f, in->path, strlen(in->path));
        fprintf(f, ",\"bytes\":%" PRIu64 ",\"findings\":%" PRIu64 ",\"by_detector\":", in->bytes,
                in->findings);
        by_det_json(f, r, in->by_det);
        fputc('}', f);
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
        fputs("by input:\n", f);
        for (size_t i = 0; i < r->n_inputs; i++)
            if (r->inputs[i].findings)
                fprintf(f, "  %" PRIu64 "\t%s\n", r->inputs[i].findings, r->inputs[i].path);
    }
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
