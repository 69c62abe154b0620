/* segment.c: joining the findings of segments scanned apart (pii_scan_segment) into those of
 * one streaming pass: input offsets, lines and columns, and the per-detector overlap rule. */
#include "pii_internal.h"

#include <stdlib.h>
#include <string.h>

_Static_assert(PII_SEGMENT_BEFORE == PII_ROW_LOOK, "segment look-behind is the window's KEEP");
_Static_assert(PII_SEGMENT_AFTER == PII_OVERLAP, "segment look-ahead is the window's overlap");

struct pii_join {
    size_t n_det;
    uint64_t *last_end;  /* per detector: end of the last kept finding (input offset) */
    uint64_t offset;     /* input offset of the current segment's first byte */
    uint64_t line;       /* line number at that offset */
    uint64_t line_start; /* input offset of that line's first byte */
    size_t from;         /* buffer offset of the current segment's first byte */
};

pii_status pii_join_new(const pii_engine *e, pii_join **out, pii_error *err)
{
    if (!e || !out) return err_set(err, PII_ERR_ARG, NULL, "NULL argument");
    pii_join *j = calloc(1, sizeof *j);
    if (j) j->last_end = calloc(e->n_det ? e->n_det : 1, sizeof *j->last_end);
    if (!j || !j->last_end) {
        pii_join_free(j);
        *out = NULL;
        return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
    }
    j->n_det = e->n_det;
    pii_join_begin(j);
    *out = j;
    return PII_OK;
}

void pii_join_begin(pii_join *j)
{
    memset(j->last_end, 0, (j->n_det ? j->n_det : 1) * sizeof *j->last_end);
    j->offset = j->line_start = 0;
    j->line = 1;
    j->from = 0;
}

void pii_join_segment_begin(pii_join *j, size_t from)
{
    j->from = from;
}

/* The input offset of a finding at buffer offset `offset`, and whether it is kept. */
static int keep(pii_join *j, size_t det, uint64_t offset, size_t length, uint64_t *input_off)
{
    uint64_t off = j->offset + (offset - j->from);
    *input_off = off;
    if (det < j->n_det) {
        /* the rule report() applies in a streaming pass: earliest, then longest, wins */
        if (off < j->last_end[det]) return 0;
        j->last_end[det] = off + length;
    }
    return 1;
}

int pii_join_keep(pii_join *j, size_t detector_index, uint64_t offset, size_t length)
{
    uint64_t off;
    return keep(j, detector_index, offset, length, &off);
}

int pii_join_finding(pii_join *j, pii_finding *f)
{
    uint64_t off;
    if (!keep(j, f->detector_index, f->offset, f->length, &off)) return 0;
    if (f->line == 1) f->column = off - j->line_start + 1;
    f->line += j->line - 1;
    f->offset = off;
    return 1;
}

void pii_join_segment_end(pii_join *j, size_t to, const pii_segment_info *info)
{
    if (info->newlines) {
        j->line += info->newlines;
        j->line_start = j->offset + (info->line_start - j->from);
    }
    j->offset += to - j->from;
}

void pii_join_free(pii_join *j)
{
    if (!j) return;
    free(j->last_end);
    free(j);
}
