/* source_zstd.c: the zstd layer (libzstd streaming): concatenated frames and skippable frames,
 * truncation and corruption reported. Knows nothing of archives, detectors or sinks. */
#include "source.h"

#include <stdlib.h>
#include <zstd.h>

struct zst_layer {
    struct layer l;
    ZSTD_DCtx *d;
    uint8_t *in;
    size_t in_cap, len, pos;
    size_t hint; /* last ZSTD_decompressStream result: 0 when a frame is complete */
    bool eof;
    pii_status pending;
    pii_error perr;
};

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
        if (z->pos == z->len) {
            if (z->eof) {
                if (z->hint)
                    st = err_set(err, PII_ERR_FORMAT, NULL,
                                 "truncated zstd stream: input ends inside a frame after %llu "
                                 "bytes",
                                 (unsigned long long)l->in_bytes);
                break;
            }
            size_t n;
            st = layer_read(l->parent, z->in, z->in_cap, &n, err);
            if (st) break;
            z->len = n;
            z->pos = 0;
            l->in_bytes += n;
            if (!n) z->eof = true;
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
