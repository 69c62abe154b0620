/* sha256.c: SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104), portable and endian-safe, with
 * the x86 SHA extensions' rounds where the CPU has them (the same digests: the tests compare).
 * Knows nothing of detectors, findings or keys' meaning: bytes in, digest out. */
#include "pii_internal.h"

#include <string.h>

static const uint32_t K[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u,
    0xab1c5ed5u, 0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu,
    0x9bdc06a7u, 0xc19bf174u, 0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu,
    0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau, 0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u,
    0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu,
    0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u, 0xa2bfe8a1u, 0xa81a664bu,
    0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u, 0x19a4c116u,
    0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u,
    0xc67178f2u,
};

static inline uint32_t rotr(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32u - n));
}

static inline uint32_t load_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* FIPS 180-4 §6.2.2: one 512-bit block. */
static void compress(uint32_t h[8], const uint8_t blk[64])
{
    uint32_t w[64];
    for (unsigned t = 0; t < 16; t++) w[t] = load_be32(blk + 4 * t);
    for (unsigned t = 16; t < 64; t++) {
        uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
        uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }

    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    uint32_t e = h[4], f = h[5], g = h[6], k = h[7];
    for (unsigned t = 0; t < 64; t++) {
        uint32_t S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = k + S1 + ch + K[t] + w[t];
        uint32_t S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = S0 + maj;
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += k;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

/* compress() with the SHA extensions: two rounds per instruction. The state lives as (A, B,
 * E, F) and (C, D, G, H), the message as four groups of four words, each next group from the
 * four before it (SHA256MSG1 adds sigma0 of W[t-15], SHA256MSG2 sigma1 of W[t-2]). A
 * fingerprint's HMAC costs two blocks: ~0.1 us here instead of ~1 us. */
__attribute__((target("sha,sse4.1"))) static void compress_ni(uint32_t h[8], const uint8_t blk[64])
{
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i dcba = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)h), 0xb1);
    __m128i efgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)(h + 4)), 0x1b);
    __m128i abef = _mm_alignr_epi8(dcba, efgh, 8), cdgh = _mm_blend_epi16(efgh, dcba, 0xf0);
    const __m128i abef0 = abef, cdgh0 = cdgh;
    __m128i w[4];
    for (int g = 0; g < 16; g++) {
        __m128i x;
        if (g < 4) {
            x = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(blk + 16 * g)),
                                 bswap);
        } else {
            __m128i prev = w[(g - 1) & 3];
            x = _mm_add_epi32(_mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]),
                              _mm_alignr_epi8(prev, w[(g - 2) & 3], 4));
            x = _mm_sha256msg2_epu32(x, prev);
        }
        w[g & 3] = x;
        __m128i m = _mm_add_epi32(x, _mm_loadu_si128((const __m128i *)(const void *)(K + 4 * g)));
        cdgh = _mm_sha256rnds2_epu32(cdgh, abef, m);
        abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(m, 0x0e));
    }
    abef = _mm_add_epi32(abef, abef0);
    cdgh = _mm_add_epi32(cdgh, cdgh0);
    __m128i feba = _mm_shuffle_epi32(abef, 0x1b), dchg = _mm_shuffle_epi32(cdgh, 0xb1);
    _mm_storeu_si128((__m128i *)(void *)h, _mm_blend_epi16(feba, dchg, 0xf0));
    _mm_storeu_si128((__m128i *)(void *)(h + 4), _mm_alignr_epi8(dchg, feba, 8));
}
#else
static void compress_ni(uint32_t h[8], const uint8_t blk[64])
{
    compress(h, blk);
}
#endif

static inline void block(struct sha256 *s, const uint8_t blk[64])
{
    if (s->ni)
        compress_ni(s->h, blk);
    else
        compress(s->h, blk);
}

/* A wipe the compiler may not drop as a dead store. */
static void wipe(void *p, size_t n)
{
    memset(p, 0, n);
    __asm__ __volatile__("" : : "r"(p) : "memory"); /* the stores are kept: p's bytes may be read */
}

void sha256_init_ni(struct sha256 *s, bool ni)
{
    static const uint32_t iv[8] = {0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
                                   0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u};
    memcpy(s->h, iv, sizeof iv);
    s->len = 0;
    s->n = 0;
    s->ni = ni && sha1_have_ni();
}

void sha256_init(struct sha256 *s)
{
    sha256_init_ni(s, true);
}

void sha256_update(struct sha256 *s, const void *data, size_t len)
{
    const uint8_t *p = data;
    if (len == 0) return; /* data may be NULL */
    s->len += (uint64_t)len;
    if (s->n > 0) {
        size_t take = 64 - s->n;
        if (take > len) take = len;
        memcpy(s->blk + s->n, p, take);
        s->n += take;
        p += take;
        len -= take;
        if (s->n < 64) return;
        block(s, s->blk);
        s->n = 0;
    }
    while (len >= 64) {
        block(s, p);
        p += 64;
        len -= 64;
    }
    if (len > 0) {
        memcpy(s->blk, p, len);
        s->n = len;
    }
}

void sha256_final(struct sha256 *s, uint8_t out[32])
{
    /* FIPS 180-4 §5.1.1: append 0x80, zero-pad to 56 mod 64, then the bit length (64-bit BE).
     * Message lengths are < 2^61 bytes in practice; the bit count wraps modulo 2^64. */
    uint64_t bits = s->len << 3;
    s->blk[s->n++] = 0x80;
    if (s->n > 56) {
        memset(s->blk + s->n, 0, 64 - s->n);
        block(s, s->blk);
        s->n = 0;
    }
    memset(s->blk + s->n, 0, 56 - s->n);
    store_be32(s->blk + 56, (uint32_t)(bits >> 32));
    store_be32(s->blk + 60, (uint32_t)bits);
    block(s, s->blk);
    for (unsigned i = 0; i < 8; i++) store_be32(out + 4 * i, s->h[i]);
    wipe(s, sizeof *s); /* leave no message state behind */
}

void hmac_sha256_key(struct hmac_sha256 *k, const uint8_t *key, size_t key_len, bool ni)
{
    /* RFC 2104: H((K ^ opad) || H((K ^ ipad) || msg)), B = 64, keys longer than B hashed. The
     * states after the two padded key blocks are kept: a message then costs its own blocks
     * and one more (a fingerprint two, not four). */
    uint8_t k0[64] = {0}, pad[64];
    struct sha256 s;
    if (key_len > sizeof k0) {
        sha256_init_ni(&s, ni);
        sha256_update(&s, key, key_len);
        sha256_final(&s, k0);
    } else if (key_len > 0) {
        memcpy(k0, key, key_len);
    }
    for (unsigned i = 0; i < 64; i++) pad[i] = (uint8_t)(k0[i] ^ 0x36u);
    sha256_init_ni(&s, ni);
    sha256_update(&s, pad, sizeof pad);
    memcpy(k->ih, s.h, sizeof k->ih);
    for (unsigned i = 0; i < 64; i++) pad[i] = (uint8_t)(k0[i] ^ 0x5cu);
    sha256_init_ni(&s, ni);
    sha256_update(&s, pad, sizeof pad);
    memcpy(k->oh, s.h, sizeof k->oh);
    k->ni = s.ni;
    wipe(&s, sizeof s);
    wipe(k0, sizeof k0);
    wipe(pad, sizeof pad);
}

void hmac_sha256_mac(const struct hmac_sha256 *k, const uint8_t *msg, size_t msg_len,
                     uint8_t out[32])
{
    uint8_t inner[32];
    struct sha256 s = {.len = 64, .ni = k->ni};
    memcpy(s.h, k->ih, sizeof s.h);
    sha256_update(&s, msg, msg_len);
    sha256_final(&s, inner);
    s = (struct sha256){.len = 64, .ni = k->ni};
    memcpy(s.h, k->oh, sizeof s.h);
    sha256_update(&s, inner, sizeof inner);
    sha256_final(&s, out);
    wipe(inner, sizeof inner);
}
