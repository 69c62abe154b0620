/* cli_redact.c: --redact, the input copied with each finding replaced. The reader hands over
 * each segment's own bytes and its findings (joined: in order of offset, as a streaming pass
 * reports them); the copy of a segment is complete when its call returns, so that the copy of
 * a stream of any length goes out segment by segment in constant memory. A finding may run
 * past its segment's end (into the next one's bytes): it is kept until the copy passes it. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

void redact_begin(struct redactor *x, enum redact_style style)
{
    x->style = style;
    x->base = x->pos = x->cover = 0;
    x->n_act = 0;
}

void redact_free(struct redactor *x)
{
    free(x->out);
    free(x->act);
    *x = (struct redactor){0};
}

static bool put(struct redactor *x, const void *p, size_t n)
{
    if (!n) return true;
    char *nb = grow_array(x->out, &x->cap, x->len + n, 1, 1 << 16);
    if (!nb) return false;
    x->out = nb;
    memcpy(x->out + x->len, p, n);
    x->len += n;
    return true;
}

/* The copy of [a, b) (input offsets; seg holds the bytes from seg_off on). */
static bool copy(struct redactor *x, const uint8_t *seg, uint64_t seg_off, uint64_t a, uint64_t b)
{
    if (x->style == REDACT_TOKEN) {
        /* bytes inside the last token's findings are gone */
        if (a < x->cover) a = x->cover < b ? x->cover : b;
        return put(x, seg + (a - seg_off), (size_t)(b - a));
    }
    while (a < b) {
        /* the findings still ahead of a; every one of them starts at or before a */
        size_t k = 0;
        uint64_t z = a;
        for (size_t i = 0; i < x->n_act; i++)
            if (x->act[i].end > a) {
                x->act[k++] = x->act[i];
                if (x->act[i].end > z) z = x->act[i].end;
            }
        x->n_act = k;
        if (!k) return put(x, seg + (a - seg_off), (size_t)(b - a));
        if (z > b) z = b;
        /* [a, z) is covered: a byte stays only where every finding over it keeps it (its
         * first or last bytes, printable ASCII), as pii_finding_mask shows a match */
        char *nb = grow_array(x->out, &x->cap, x->len + (size_t)(z - a), 1, 1 << 16);
        if (!nb) return false;
        x->out = nb;
        for (uint64_t i = a; i < z; i++) {
            uint8_t c = seg[i - seg_off];
            bool shown = c >= 0x21 && c < 0x7f;
            for (size_t j = 0; j < k && shown; j++) {
                const struct redact_span *f = &x->act[j];
                if (i < f->end && i >= f->start + f->keep && i < f->end - f->keep) shown = false;
            }
            x->out[x->len++] = shown ? (char)c : '*';
        }
        a = z;
    }
    return true;
}

bool redact_finding(struct redactor *x, const uint8_t *seg, uint64_t seg_off, uint64_t start,
                    uint64_t len, const char *detector)
{
    if (start < x->pos) start = x->pos; /* cannot happen with joined findings; stay in order */
    if (!copy(x, seg, seg_off, x->pos, start)) return false;
    x->pos = start;
    uint64_t end = start + len;
    if (x->style == REDACT_TOKEN) {
        if (start >= x->cover) { /* a new run of overlapping findings: its first one names it */
            if (!put(x, "[", 1) || !put(x, detector, strlen(detector)) || !put(x, "]", 1))
                return false;
        }
        if (end > x->cover) x->cover = end;
        return true;
    }
    struct redact_span *nv = grow_array(x->act, &x->cap_act, x->n_act + 1, sizeof *nv, 8);
    if (!nv) return false;
    x->act = nv;
    x->act[x->n_act++] = (struct redact_span){start, end, pii_mask_keep((size_t)len)};
    return true;
}

void redact_next(struct redactor *x, uint64_t seg_len)
{
    x->len = 0;
    x->base += seg_len;
    if (x->pos < x->base) x->pos = x->base; /* a segment not copied (out of memory): a gap */
}

bool redact_to(struct redactor *x, const uint8_t *seg, uint64_t seg_off, uint64_t end)
{
    if (end <= x->pos) return true;
    if (!copy(x, seg, seg_off, x->pos, end)) return false;
    x->pos = end;
    return true;
}
