/* source_zstd.c: the zstd layer (libzstd streaming): concatenated frames and skippable frames,
 * truncation and corruption reported. Knows nothing of archives, detectors or sinks. */
#include "source.h"

#include <stdlib.h>
#include <string.h>
#include <zstd.h>

struct zst_layer {
    struct layer l;
    ZSTD_DCtx *d;
    uint8_t *in;
    size_t in_cap, len, pos;
    size_t hint;      /* last ZSTD_decompressStream result: 0 when a frame is complete */
    bool frame_start; /* the next input byte starts a frame: its magic is checked first */
    bool eof;
    pii_status pending;
    pii_error perr;
};

/* A frame of the format libzstd is built for, or a skippable one. Legacy frames (zstd 0.x,
 * magics 0xFD2FB522-7) are refused: the decoders libzstd keeps for them trust their input, and
 * one fuzzed frame came out as 26 KB that the decoder never wrote (uninitialised memory: other
 * inputs' bytes, scanned and reported as this one's). */
static bool frame_magic_ok(const uint8_t *p)
{
    uint32_t m = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return m == 0xFD2FB528u || (m & 0xFFFFFFF0u) == 0x184D2A50u;
}

/* More input after what is left unread (moved to the front: a frame's magic split by a read). */
static pii_status refill(struct zst_layer *z, pii_error *err)
{
    size_t rest = z->len - z->pos, n;
    memmove(z->in, z->in + z->pos, rest);
    z->len = rest;
    z->pos = 0;
    pii_status st = layer_read(z->l.parent, z->in + rest, z->in_cap - rest, &n, err);
    if (st) return st;
    z->len += n;
    z->l.in_bytes += n;
    if (!n) z->eof = true;
    return PII_OK;
}

static pii_status zst_read(struct layer *l, uint8_t *buf, size_t cap, size_t *got, pii_error *err)
{
    struct zst_layer *z = (struct zst_layer *)l;
    if (z->pending) {
        *err = z->perr;
        return z->pending;
    }
    ZSTD_outBuffer ob = {buf, cap, 0};
    pii_status st = PII_OK;
    while (ob.pos == 0) {
        if (z->frame_start && z->len - z->pos < 4 && !z->eof) {
            if ((st = refill(z, err))) break;
            continue;
        }
        if (z->frame_start && z->pos < z->len) {
            if (z->len - z->pos < 4 || !frame_magic_ok(z->in + z->pos)) {
                st = err_set(err, PII_ERR_FORMAT, NULL,
                             "corrupt zstd data near byte %llu: not a zstd frame (zstd 0.x "
                             "legacy frames are not read)",
                             (unsigned long long)(l->in_bytes - (z->len - z->pos)));
                break;
            }
            z->frame_start = false;
        }
        if (z->pos == z->len) {
            if (z->eof) {
                if (z->hint)
                    st = err_set(err, PII_ERR_FORMAT, NULL,
                                 "truncated zstd stream: input ends inside a frame after %llu "
                                 "bytes",
                                 (unsigned long long)l->in_bytes);
                break;
            }
            if ((st = refill(z, err))) break;
            continue;
        }
        ZSTD_inBuffer ib = {z->in, z->len, z->pos};
        size_t r = ZSTD_decompressStream(z->d, &ob, &ib);
        z->pos = ib.pos;
        if (ZSTD_isError(r)) {
            st = err_set(err, PII_ERR_FORMAT, NULL, "corrupt zstd data near byte %llu: %s",
                         (unsigned long long)(l->in_bytes - (z->len - z->pos)),
                         ZSTD_getErrorName(r));
            break;
        }
        z->hint = r;
        if (!r) z->frame_start = true;
    }
    if (st) {
        if (!ob.pos) return st;
        z->pending = st;
        z->perr = *err;
    }
    *got = ob.pos;
    return PII_OK;
}

static void zst_free(struct layer *l)
{
    struct zst_layer *z = (struct zst_layer *)l;
    ZSTD_freeDCtx(z->d);
    free(z->in);
    free(z);
}

static const struct layer_ops zst_ops = {"zstd", zst_read, zst_free};

struct layer *source_zstd_new(struct pii_source *s, struct layer *parent)
{
    struct zst_layer *z = calloc(1, sizeof *z);
    if (!z) return NULL;
    layer_init(&z->l, &zst_ops, s, parent);
    z->hint = 1;
    z->frame_start = true;
    z->in_cap = ZSTD_DStreamInSize();
    z->in = malloc(z->in_cap);
    z->d = ZSTD_createDCtx();
    if (!z->in || !z->d) {
        zst_free(&z->l);
        return NULL;
    }
    /* bounded window memory: 128 MiB, zstd's own default limit */
    ZSTD_DCtx_setParameter(z->d, ZSTD_d_windowLogMax, 27);
    return &z->l;
}
