/* source_gzip.c: the gzip layer: ISA-L's inflate when built with it (PII_HAVE_ISAL), zlib
 * otherwise or when forced; multi-member and concatenated streams, truncation and trailing
 * garbage reported. Knows nothing of archives, detectors or sinks. */
#include "source.h"

#include "isal_lib.h"
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#define GZ_IN (128u * 1024u)

struct gz_layer {
    struct layer l;
    bool isal;
    z_stream z;
#ifdef PII_HAVE_ISAL
    struct inflate_state *is;
#endif
    uint8_t *in;
    size_t len, pos;
    bool eof;
    bool between;  /* a member just ended: another, zero padding, or the end */
    bool need_hdr; /* ISA-L: the member's header is read here, not by isal_inflate */
    bool finished;
    uint64_t members;
    pii_status pending;
    pii_error perr;
};

const char *source_gzip_impl(bool force_zlib)
{
    return !force_zlib && isal_lib_load() ? "isa-l" : "zlib";
}

/* Makes at least `want` unread input bytes available, unless the stream ends first. */
static pii_status fill(struct gz_layer *g, size_t want, pii_error *err)
{
    while (!g->eof && g->len - g->pos < want) {
        if (g->pos) {
            memmove(g->in, g->in + g->pos, g->len - g->pos);
            g->len -= g->pos;
            g->pos = 0;
        }
        size_t got;
        pii_status st = layer_read(g->l.parent, g->in + g->len, GZ_IN - g->len, &got, err);
        if (st) return st;
        if (!got) g->eof = true;
        g->len += got;
        g->l.in_bytes += got;
    }
    return PII_OK;
}

static void reset_member(struct gz_layer *g)
{
#ifdef PII_HAVE_ISAL
    if (g->isal) {
        isal_inflate_reset(g->is);
        g->is->crc_flag = ISAL_GZIP_NO_HDR_VER;
        g->need_hdr = true;
        return;
    }
#endif
    inflateReset(&g->z);
}

#ifdef PII_HAVE_ISAL
/* The member's header (RFC 1952 2.3), read and checked here: ISA-L (2.30) loses its place in a
 * name or comment that spans its calls and then reports valid data corrupt. The extra field,
 * name and comment are skipped as they stream by, however long; the header CRC, when present,
 * is checked as zlib checks it. ISA-L then inflates the body and checks the trailer. */
static pii_status isal_header(struct gz_layer *g, pii_error *err)
{
    pii_status st = fill(g, 10, err);
    if (st) return st;
    if (g->len - g->pos < 10) goto truncated;
    const uint8_t *h = g->in + g->pos;
    if (h[0] != 0x1f || h[1] != 0x8b || h[2] != 8 || (h[3] & 0xe0))
        return err_set(err, PII_ERR_FORMAT, NULL, "corrupt gzip data at byte %llu: %s",
                       (unsigned long long)(g->l.in_bytes - (g->len - g->pos)),
                       h[2] != 8 && h[0] == 0x1f && h[1] == 0x8b ? "unsupported method"
                                                                 : "invalid gzip header");
    unsigned flg = h[3];
    uLong crc = crc32(0L, h, 10);
    g->pos += 10;
    if (flg & 4) { /* FEXTRA: two length bytes, then that many */
        if ((st = fill(g, 2, err))) return st;
        if (g->len - g->pos < 2) goto truncated;
        size_t xlen = g->in[g->pos] | (size_t)g->in[g->pos + 1] << 8;
        crc = crc32(crc, g->in + g->pos, 2);
        g->pos += 2;
        while (xlen) {
            if (g->pos == g->len) {
                if ((st = fill(g, 1, err))) return st;
                if (g->pos == g->len) goto truncated;
            }
            size_t k = g->len - g->pos < xlen ? g->len - g->pos : xlen;
            crc = crc32(crc, g->in + g->pos, (uInt)k);
            g->pos += k;
            xlen -= k;
        }
    }
    for (unsigned bit = 8; bit <= 16; bit <<= 1) { /* FNAME, FCOMMENT: up to a zero byte */
        if (!(flg & bit)) continue;
        for (;;) {
            if (g->pos == g->len) {
                if ((st = fill(g, 1, err))) return st;
                if (g->pos == g->len) goto truncated;
            }
            const uint8_t *z = memchr(g->in + g->pos, 0, g->len - g->pos);
            size_t k = z ? (size_t)(z - (g->in + g->pos)) + 1 : g->len - g->pos;
            crc = crc32(crc, g->in + g->pos, (uInt)k);
            g->pos += k;
            if (z) break;
        }
    }
    if (flg & 2) { /* FHCRC: the low 16 bits of the CRC-32 of the header's bytes */
        if ((st = fill(g, 2, err))) return st;
        if (g->len - g->pos < 2) goto truncated;
        unsigned want = g->in[g->pos] | (unsigned)g->in[g->pos + 1] << 8;
        g->pos += 2;
        if (want != (crc & 0xffff))
            return err_set(err, PII_ERR_FORMAT, NULL, "corrupt gzip data at byte %llu: %s",
                           (unsigned long long)(g->l.in_bytes - (g->len - g->pos)),
                           "header crc mismatch");
    }
    return PII_OK;
truncated:
    return err_set(err, PII_ERR_FORMAT, NULL,
                   "truncated gzip stream: input ends inside member %llu",
                   (unsigned long long)g->members + 1);
}
#endif

#ifdef PII_HAVE_ISAL
static const char *isal_msg(int r)
{
    switch (r) {
    case ISAL_INVALID_BLOCK:
        return "invalid deflate block";
    case ISAL_INVALID_SYMBOL:
        return "invalid deflate symbol";
    case ISAL_INVALID_LOOKBACK:
        return "invalid distance";
    case ISAL_INVALID_WRAPPER:
        return "invalid gzip header";
    case ISAL_UNSUPPORTED_METHOD:
        return "unsupported method";
    case ISAL_INCORRECT_CHECKSUM:
        return "checksum mismatch";
    }
    return "invalid data";
}
#endif

/* One inflate step over the available input. *end is set when a member ended. */
static pii_status step(struct gz_layer *g, uint8_t *out, size_t cap, size_t *made, bool *end,
                       pii_error *err)
{
    *end = false;
    size_t avail = g->len - g->pos;
#ifdef PII_HAVE_ISAL
    if (g->isal) {
        struct inflate_state *is = g->is;
        is->next_in = g->in + g->pos;
        is->avail_in = (uint32_t)avail;
        is->next_out = out;
        is->avail_out = (uint32_t)(cap > UINT32_MAX ? UINT32_MAX : cap);
        uint32_t before = is->avail_out;
        int r = isal_inflate(is);
        g->pos += avail - is->avail_in;
        *made = before - is->avail_out;
        if (r < 0)
            return err_set(err, PII_ERR_FORMAT, NULL, "corrupt gzip data at byte %llu: %s",
                           (unsigned long long)(g->l.in_bytes - (g->len - g->pos)), isal_msg(r));
        if (is->block_state == ISAL_BLOCK_FINISH) *end = true;
        return PII_OK;
    }
#endif
    g->z.next_in = g->in + g->pos;
    g->z.avail_in = (uInt)avail;
    g->z.next_out = out;
    g->z.avail_out = (uInt)(cap > UINT32_MAX ? UINT32_MAX : cap);
    uInt before = g->z.avail_out;
    int r = inflate(&g->z, Z_NO_FLUSH);
    g->pos += avail - g->z.avail_in;
    *made = before - g->z.avail_out;
    if (r == Z_STREAM_END) {
        *end = true;
        return PII_OK;
    }
    if (r == Z_OK || r == Z_BUF_ERROR) return PII_OK;
    if (r == Z_MEM_ERROR) return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
    return err_set(err, PII_ERR_FORMAT, NULL, "corrupt gzip data at byte %llu: %s",
                   (unsigned long long)(g->l.in_bytes - (g->len - g->pos)),
                   g->z.msg ? g->z.msg : "invalid data");
}

static pii_status gz_read(struct layer *l, uint8_t *buf, size_t cap, size_t *got, pii_error *err)
{
    struct gz_layer *g = (struct gz_layer *)l;
    if (g->pending) {
        *err = g->perr;
        return g->pending;
    }
    size_t out = 0;
    pii_status st = PII_OK;
    while (out == 0 && !g->finished) {
        if (g->between) {
            st = fill(g, 2, err);
            if (st) break;
            size_t avail = g->len - g->pos;
            if (!avail) {
                g->finished = true;
                break;
            }
            if (avail >= 2 && g->in[g->pos] == 0x1f && g->in[g->pos + 1] == 0x8b) {
                reset_member(g);
                g->between = false;
                continue;
            }
            /* zero padding after the last member (tape blocks) is allowed, anything else not */
            while (g->pos < g->len && g->in[g->pos] == 0) g->pos++;
            if (g->pos == g->len) continue;
            st = err_set(err, PII_ERR_FORMAT, NULL,
                         "trailing data after gzip member %llu at byte %llu",
                         (unsigned long long)g->members,
                         (unsigned long long)(g->l.in_bytes - (g->len - g->pos)));
            break;
        }
        if (g->pos == g->len) {
            st = fill(g, 1, err);
            if (st) break;
            if (g->pos == g->len) {
                st = err_set(err, PII_ERR_FORMAT, NULL,
                             "truncated gzip stream: input ends inside member %llu after %llu "
                             "bytes",
                             (unsigned long long)g->members + 1, (unsigned long long)g->l.in_bytes);
                break;
            }
        }
#ifdef PII_HAVE_ISAL
        if (g->need_hdr) {
            if ((st = isal_header(g, err))) break;
            g->need_hdr = false;
            continue;
        }
#endif
        size_t made;
        bool end;
        size_t pos0 = g->pos;
        st = step(g, buf + out, cap - out, &made, &end, err);
        if (st) break;
        out += made;
        if (end) {
            g->members++;
            g->between = true;
        } else if (!made && g->pos == pos0) {
            /* the decoder wants more input than is buffered (a header split across reads) */
            if (g->eof) {
                st = err_set(err, PII_ERR_FORMAT, NULL,
                             "truncated gzip stream: input ends inside member %llu",
                             (unsigned long long)g->members + 1);
                break;
            }
            if (g->len - g->pos >= GZ_IN) {
                st = err_set(err, PII_ERR_FORMAT, NULL, "gzip decoder made no progress");
                break;
            }
            st = fill(g, g->len - g->pos + 1, err);
            if (st) break;
        }
    }
    if (st) {
        if (!out) return st;
        g->pending = st; /* what was decoded before the damage goes out first */
        g->perr = *err;
    }
    *got = out;
    return PII_OK;
}

static void gz_free(struct layer *l)
{
    struct gz_layer *g = (struct gz_layer *)l;
    if (!g->isal) inflateEnd(&g->z);
#ifdef PII_HAVE_ISAL
    free(g->is);
#endif
    free(g->in);
    free(g);
}

static const struct layer_ops gz_ops = {"gzip", gz_read, gz_free};

struct layer *source_gzip_new(struct pii_source *s, struct layer *parent, bool force_zlib)
{
    struct gz_layer *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    layer_init(&g->l, &gz_ops, s, parent);
    g->in = malloc(GZ_IN);
    if (!g->in) {
        free(g);
        return NULL;
    }
#ifdef PII_HAVE_ISAL
    if (!force_zlib && isal_lib_load()) {
        g->isal = true;
        /* zeroed: on a distance past the stream's start ISA-L copies bytes of its state it
         * never wrote (zlib reports the distance instead), which must not be what this heap
         * held before (another input's bytes) */
        g->is = calloc(1, sizeof *g->is);
        if (!g->is) {
            free(g->in);
            free(g);
            return NULL;
        }
        isal_inflate_init(g->is);
        g->is->crc_flag = ISAL_GZIP_NO_HDR_VER;
        g->need_hdr = true;
        return &g->l;
    }
#endif
    (void)force_zlib;
    if (inflateInit2(&g->z, 16 + 15) != Z_OK) {
        free(g->in);
        free(g);
        return NULL;
    }
    return &g->l;
}
