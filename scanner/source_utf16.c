/* source_utf16.c: UTF-16 text (a byte order mark first, little- or big-endian) as UTF-8, so that
 * a Windows export or event log is scanned as the text it is rather than skipped as binary (its
 * ASCII has a NUL in every other byte). Surrogate pairs become four-byte sequences; a lone
 * surrogate, and an odd last byte, become U+FFFD. Offsets, lines and columns in the findings
 * are those of the UTF-8 text. Knows nothing of archives, detectors or sinks. */
#include "source.h"

#include <stdlib.h>
#include <string.h>

#define U16_IN (64u * 1024u)

struct u16_layer {
    struct layer l;
    bool be;      /* big-endian */
    bool started; /* the byte order mark is behind */
    bool eof;
    uint8_t *in;
    size_t len, pos;
    unsigned hi;     /* a high surrogate waiting for its low half (0: none) */
    uint8_t pend[8]; /* a sequence that did not fit in the caller's room */
    size_t pend_len, pend_pos;
    pii_status pending; /* the stream below failed: its error, in perr, from now on */
    pii_error perr;
};

static pii_status u16_fill(struct u16_layer *u, pii_error *err)
{
    size_t rest = u->len - u->pos, got;
    memmove(u->in, u->in + u->pos, rest);
    u->len = rest;
    u->pos = 0;
    pii_status st = layer_read(u->l.parent, u->in + rest, U16_IN - rest, &got, err);
    if (st) return st;
    if (!got) u->eof = true;
    u->len += got;
    u->l.in_bytes += got;
    return PII_OK;
}

/* Appends code point c to out[*n] (room for four bytes is there). */
static void put_utf8(uint8_t *out, size_t *n, unsigned c)
{
    size_t k = *n;
    if (c < 0x80) {
        out[k++] = (uint8_t)c;
    } else if (c < 0x800) {
        out[k++] = (uint8_t)(0xc0 | c >> 6);
        out[k++] = (uint8_t)(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        out[k++] = (uint8_t)(0xe0 | c >> 12);
        out[k++] = (uint8_t)(0x80 | (c >> 6 & 0x3f));
        out[k++] = (uint8_t)(0x80 | (c & 0x3f));
    } else {
        out[k++] = (uint8_t)(0xf0 | c >> 18);
        out[k++] = (uint8_t)(0x80 | (c >> 12 & 0x3f));
        out[k++] = (uint8_t)(0x80 | (c >> 6 & 0x3f));
        out[k++] = (uint8_t)(0x80 | (c & 0x3f));
    }
    *n = k;
}

/* The UTF-8 of the next code unit (with a waiting high surrogate: 0 to 7 bytes) into t;
 * *end at the end of the stream. */
static pii_status u16_step(struct u16_layer *u, uint8_t *t, size_t *tn, bool *end, pii_error *err)
{
    *tn = 0;
    *end = false;
    while (u->len - u->pos < 2 && !u->eof) {
        pii_status st = u16_fill(u, err);
        if (st) return st;
    }
    if (u->len - u->pos < 2) { /* the end: inside a pair, or after an odd byte */
        if (u->hi) put_utf8(t, tn, 0xfffd);
        if (u->len > u->pos) put_utf8(t, tn, 0xfffd);
        u->hi = 0;
        u->pos = u->len;
        *end = !*tn;
        return PII_OK;
    }
    const uint8_t *p = u->in + u->pos;
    unsigned c = u->be ? (unsigned)p[0] << 8 | p[1] : (unsigned)p[1] << 8 | p[0];
    u->pos += 2;
    if (!u->started) {
        u->started = true;
        if (c == 0xfeff) return PII_OK;
    }
    if (u->hi) {
        unsigned hi = u->hi;
        u->hi = 0;
        if (c >= 0xdc00 && c <= 0xdfff) {
            put_utf8(t, tn, 0x10000 + ((hi - 0xd800) << 10) + (c - 0xdc00));
            return PII_OK;
        }
        put_utf8(t, tn, 0xfffd); /* the high half alone; c follows */
    }
    if (c >= 0xd800 && c <= 0xdbff)
        u->hi = c;
    else
        put_utf8(t, tn, c >= 0xdc00 && c <= 0xdfff ? 0xfffd : c);
    return PII_OK;
}

static pii_status u16_read(struct layer *l, uint8_t *buf, size_t cap, size_t *got, pii_error *err)
{
    struct u16_layer *u = (struct u16_layer *)l;
    if (u->pending) {
        *err = u->perr;
        return u->pending;
    }
    size_t out = 0;
    while (out < cap && u->pend_pos < u->pend_len) buf[out++] = u->pend[u->pend_pos++];
    while (out < cap) {
        uint8_t t[8];
        size_t tn;
        bool end;
        pii_status st = u16_step(u, t, &tn, &end, err);
        if (st) {
            u->pending = st;
            u->perr = *err;
            if (!out) return st;
            break; /* what was decoded goes out first, the error on the next call */
        }
        if (end) break;
        size_t k = tn < cap - out ? tn : cap - out;
        memcpy(buf + out, t, k);
        out += k;
        if (k < tn) {
            memcpy(u->pend, t + k, tn - k);
            u->pend_len = tn - k;
            u->pend_pos = 0;
        }
    }
    *got = out;
    return PII_OK;
}

static void u16_free(struct layer *l)
{
    struct u16_layer *u = (struct u16_layer *)l;
    free(u->in);
    free(u);
}

static const struct layer_ops u16_ops = {"utf-16", u16_read, u16_free};

struct layer *source_utf16_new(struct pii_source *s, struct layer *parent, bool big_endian)
{
    struct u16_layer *u = calloc(1, sizeof *u);
    if (!u) return NULL;
    layer_init(&u->l, &u16_ops, s, parent);
    u->be = big_endian;
    u->in = malloc(U16_IN);
    if (!u->in) {
        free(u);
        return NULL;
    }
    return &u->l;
}
