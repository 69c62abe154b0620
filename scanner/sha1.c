/* sha1.c: SHA-1 (FIPS 180-4), with the x86 SHA extensions when the CPU has them; git object
 * ids of the usual format (cli_git.c). Not for anything that needs collision resistance. */
#include "util.h"

#include <stdatomic.h>
#include <string.h>

static inline uint32_t rol32(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32u - n));
}

static void sha1_block(uint32_t h[5], const uint8_t *p)
{
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = ((uint32_t)p[4 * i] << 24) | ((uint32_t)p[4 * i + 1] << 16) |
               ((uint32_t)p[4 * i + 2] << 8) | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 80; i++) w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5a827999u;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ed9eba1u;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8f1bbcdcu;
        } else {
            f = b ^ c ^ d;
            k = 0xca62c1d6u;
        }
        uint32_t t = rol32(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rol32(b, 30);
        b = a;
        a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>

/* The x86 SHA extensions: a commit's files hashed in a few tens of microseconds rather than
 * most of a millisecond. Four rounds per instruction; the lanes hold the big-endian words in
 * reverse order (A, and the first message word, in the top lane). */
#define SHA1_NI_ROUNDS(i, f)                                                                       \
    do {                                                                                           \
        if ((i) >= 4)                                                                              \
            w[(i)&3] = _mm_sha1msg2_epu32(                                                         \
                _mm_xor_si128(_mm_sha1msg1_epu32(w[(i)&3], w[((i) + 1) & 3]), w[((i) + 2) & 3]),   \
                w[((i) + 3) & 3]);                                                                 \
        __m128i x = (i) ? _mm_sha1nexte_epu32(prev, w[(i)&3]) : _mm_add_epi32(e0, w[0]);           \
        prev = abcd;                                                                               \
        abcd = _mm_sha1rnds4_epu32(abcd, x, f);                                                    \
    } while (0)

__attribute__((target("sha,sse4.1"))) static void sha1_blocks_ni(uint32_t h[5], const uint8_t *p,
                                                                 size_t nblk)
{
    const __m128i bswap = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
    __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)h), 0x1b);
    __m128i e = _mm_set_epi32((int)h[4], 0, 0, 0);
    for (; nblk; nblk--, p += 64) {
        __m128i abcd0 = abcd, e0 = e, prev = abcd, w[4];
        for (int i = 0; i < 4; i++)
            w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i)),
                                    bswap);
        SHA1_NI_ROUNDS(0, 0);
        SHA1_NI_ROUNDS(1, 0);
        SHA1_NI_ROUNDS(2, 0);
        SHA1_NI_ROUNDS(3, 0);
        SHA1_NI_ROUNDS(4, 0);
        SHA1_NI_ROUNDS(5, 1);
        SHA1_NI_ROUNDS(6, 1);
        SHA1_NI_ROUNDS(7, 1);
        SHA1_NI_ROUNDS(8, 1);
        SHA1_NI_ROUNDS(9, 1);
        SHA1_NI_ROUNDS(10, 2);
        SHA1_NI_ROUNDS(11, 2);
        SHA1_NI_ROUNDS(12, 2);
        SHA1_NI_ROUNDS(13, 2);
        SHA1_NI_ROUNDS(14, 2);
        SHA1_NI_ROUNDS(15, 3);
        SHA1_NI_ROUNDS(16, 3);
        SHA1_NI_ROUNDS(17, 3);
        SHA1_NI_ROUNDS(18, 3);
        SHA1_NI_ROUNDS(19, 3);
        e = _mm_sha1nexte_epu32(prev, e0);
        abcd = _mm_add_epi32(abcd, abcd0);
    }
    _mm_storeu_si128((__m128i *)(void *)h, _mm_shuffle_epi32(abcd, 0x1b));
    h[4] = (uint32_t)_mm_extract_epi32(e, 3);
}

static bool ask_cpu(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1) || !(c & bit_SSSE3)) return false;
    return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29)); /* SHA */
}

bool sha1_have_ni(void)
{
    static _Atomic int known; /* 0: not asked yet, 1: no, 2: yes */
    int k = atomic_load_explicit(&known, memory_order_relaxed);
    if (!k) {
        k = ask_cpu() ? 2 : 1;
        atomic_store_explicit(&known, k, memory_order_relaxed);
    }
    return k == 2;
}
#else
static void sha1_blocks_ni(uint32_t h[5], const uint8_t *p, size_t nblk)
{
    for (; nblk; nblk--, p += 64) sha1_block(h, p);
}

bool sha1_have_ni(void)
{
    return false;
}
#endif

static void sha1_blocks(struct sha1 *s, const uint8_t *p, size_t nblk)
{
    if (s->ni)
        sha1_blocks_ni(s->h, p, nblk);
    else
        for (; nblk; nblk--, p += 64) sha1_block(s->h, p);
}

void sha1_init(struct sha1 *s, bool ni)
{
    static const uint32_t iv[5] = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u, 0xc3d2e1f0u};
    memcpy(s->h, iv, sizeof iv);
    s->len = 0;
    s->n = 0;
    s->ni = ni;
}

void sha1_update(struct sha1 *s, const void *data, size_t len)
{
    const uint8_t *p = data;
    if (!len) return;
    s->len += len;
    if (s->n) {
        size_t k = 64 - s->n < len ? 64 - s->n : len;
        memcpy(s->blk + s->n, p, k);
        s->n += k;
        p += k;
        len -= k;
        if (s->n < 64) return;
        sha1_blocks(s, s->blk, 1);
        s->n = 0;
    }
    sha1_blocks(s, p, len / 64);
    p += len / 64 * 64;
    len %= 64;
    memcpy(s->blk, p, len);
    s->n = len;
}

void sha1_final(struct sha1 *s, uint8_t out[20])
{
    uint64_t bits = s->len * 8;
    uint8_t pad[72] = {0x80};
    size_t padn = (s->n < 56 ? 56 : 120) - s->n;
    for (int i = 0; i < 8; i++) pad[padn + (size_t)i] = (uint8_t)(bits >> (56 - 8 * i));
    sha1_update(s, pad, padn + 8);
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 4; j++) out[4 * i + j] = (uint8_t)(s->h[i] >> (24 - 8 * j));
}
