/* test_sha256.c: SHA-256 and SHA-1 against FIPS 180-4 / NIST vectors (SHA-1 in both its round
 * implementations) and HMAC-SHA-256 against RFC 4231.
 * Knows only the hashing interface of pii_internal.h, nothing of the scanner around it. */
#include "pii_internal.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

/* Parses 2*n hex digits into out[0..n). */
static void unhex(const char *hex, uint8_t *out, size_t n)
{
    cr_assert_eq(strlen(hex), 2 * n, "bad vector length");
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char c = hex[2 * i + (size_t)k];
            unsigned d = 0;
            if (c >= '0' && c <= '9')
                d = (unsigned)(c - '0');
            else if (c >= 'a' && c <= 'f')
                d = (unsigned)(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                d = (unsigned)(c - 'A' + 10);
            else
                cr_assert_fail("bad hex digit");
            v = (v << 4) | d;
        }
        out[i] = (uint8_t)v;
    }
}

static void expect_digest(const uint8_t *got, const char *hex, size_t n)
{
    uint8_t want[32];
    unhex(hex, want, n);
    char shown[65];
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        shown[2 * i] = digits[got[i] >> 4];
        shown[2 * i + 1] = digits[got[i] & 0xF];
    }
    shown[2 * n] = '\0';
    cr_assert(memcmp(got, want, n) == 0, "got %s, want %s", shown, hex);
}

static void sha256_once(const void *msg, size_t len, uint8_t out[32])
{
    struct sha256 s;
    sha256_init(&s);
    sha256_update(&s, msg, len);
    sha256_final(&s, out);
}

static void check_sha(const char *msg, const char *hex)
{
    uint8_t d[32];
    sha256_once(msg, strlen(msg), d);
    expect_digest(d, hex, 32);

    /* The same message one byte at a time, with the portable rounds and the SHA extensions'
     * (where this CPU has them: sha256_init_ni() falls back to the portable ones) */
    for (int ni = 0; ni <= 1; ni++) {
        struct sha256 s;
        sha256_init_ni(&s, ni);
        for (size_t i = 0; msg[i]; i++) sha256_update(&s, msg + i, 1);
        sha256_final(&s, d);
        expect_digest(d, hex, 32);
    }
}

/* ---- FIPS 180-4 / NIST CAVS example vectors --------------------------------------------- */

Test(sha256, empty)
{
    check_sha("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

Test(sha256, empty_null_update)
{
    struct sha256 s;
    uint8_t d[32];
    sha256_init(&s);
    sha256_update(&s, NULL, 0);
    sha256_final(&s, d);
    expect_digest(d, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 32);
}

Test(sha256, abc)
{
    check_sha("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

Test(sha256, msg_448_bits)
{
    check_sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

Test(sha256, msg_896_bits)
{
    check_sha("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklm"
              "nopqrlmnopqrsmnopqrstnopqrstu",
              "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

Test(sha256, million_a_uneven_pieces)
{
    static const size_t pieces[] = {1, 63, 64, 65, 2, 127, 128, 129, 3, 1000, 55, 56, 57, 4093};
    const size_t total = 1000000;
    uint8_t *buf = malloc(4096);
    cr_assert_not_null(buf);
    memset(buf, 'a', 4096);

    struct sha256 s;
    sha256_init(&s);
    size_t done = 0, k = 0;
    while (done < total) {
        size_t n = pieces[k++ % ARRAY_LEN(pieces)];
        if (n > total - done) n = total - done;
        sha256_update(&s, buf, n);
        done += n;
    }
    uint8_t d[32];
    sha256_final(&s, d);
    expect_digest(d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", 32);

    /* And in one call. */
    uint8_t *big = malloc(total);
    cr_assert_not_null(big);
    memset(big, 'a', total);
    sha256_once(big, total, d);
    expect_digest(d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", 32);
    free(big);
    free(buf);
}

/* Every length 0..299 (all padding boundaries: 55, 56, 63, 64, 119, 120, ...): the digests of
 * all prefixes, hashed together, against a value from an independent implementation. */
Test(sha256, all_prefix_lengths)
{
    uint8_t pat[300];
    for (size_t i = 0; i < sizeof pat; i++) pat[i] = (uint8_t)(i * 7 + 3);

    struct sha256 chain;
    sha256_init(&chain);
    for (size_t n = 0; n < sizeof pat; n++) {
        uint8_t d[32], d2[32];
        sha256_once(pat, n, d);

        /* split at every third point: results must not depend on how input is fed */
        struct sha256 s;
        sha256_init(&s);
        sha256_update(&s, pat, n / 3);
        sha256_update(&s, pat + n / 3, n - n / 3);
        sha256_final(&s, d2);
        cr_assert(memcmp(d, d2, 32) == 0, "split mismatch at length %zu", n);

        sha256_update(&chain, d, sizeof d);
    }
    uint8_t d[32];
    sha256_final(&chain, d);
    expect_digest(d, "7b074096cabb18dd0d1b468a173cb2f97f80e952525bca29542e606fd6d0753a", 32);
}

Test(sha256, reinit_after_final)
{
    struct sha256 s;
    uint8_t d[32];
    sha256_init(&s);
    sha256_update(&s, "garbage", 7);
    sha256_final(&s, d);
    sha256_init(&s);
    sha256_update(&s, "abc", 3);
    sha256_final(&s, d);
    expect_digest(d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 32);
}

/* ---- RFC 4231 HMAC-SHA-256 --------------------------------------------------------------- */

static void check_hmac(const uint8_t *key, size_t key_len, const void *msg, size_t msg_len,
                       const char *hex, size_t n)
{
    uint8_t d[32];
    /* the key prepared once, then two messages under it; both sets of rounds */
    for (int ni = 0; ni <= 1; ni++) {
        struct hmac_sha256 k;
        hmac_sha256_key(&k, key, key_len, ni);
        memset(d, 0, sizeof d);
        hmac_sha256_mac(&k, msg, msg_len, d);
        expect_digest(d, hex, n);
        hmac_sha256_mac(&k, msg, msg_len, d);
        expect_digest(d, hex, n);
    }
}

Test(sha256, hmac_rfc4231_case1)
{
    uint8_t key[20];
    memset(key, 0x0b, sizeof key);
    check_hmac(key, sizeof key, "Hi There", 8,
               "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", 32);
}

Test(sha256, hmac_rfc4231_case2)
{
    const char *msg = "what do ya want for nothing?";
    check_hmac((const uint8_t *)"Jefe", 4, msg, strlen(msg),
               "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", 32);
}

Test(sha256, hmac_rfc4231_case3)
{
    uint8_t key[20], msg[50];
    memset(key, 0xaa, sizeof key);
    memset(msg, 0xdd, sizeof msg);
    check_hmac(key, sizeof key, msg, sizeof msg,
               "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe", 32);
}

Test(sha256, hmac_rfc4231_case4)
{
    uint8_t key[25], msg[50];
    for (size_t i = 0; i < sizeof key; i++) key[i] = (uint8_t)(i + 1);
    memset(msg, 0xcd, sizeof msg);
    check_hmac(key, sizeof key, msg, sizeof msg,
               "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b", 32);
}

Test(sha256, hmac_rfc4231_case5_truncated)
{
    /* RFC 4231 gives only the leftmost 128 bits for this case. */
    uint8_t key[20];
    memset(key, 0x0c, sizeof key);
    check_hmac(key, sizeof key, "Test With Truncation", 20, "a3b6167473100ee06e0c796c2955552b", 16);
}

Test(sha256, hmac_rfc4231_case6_long_key)
{
    uint8_t key[131];
    memset(key, 0xaa, sizeof key);
    const char *msg = "Test Using Larger Than Block-Size Key - Hash Key First";
    check_hmac(key, sizeof key, msg, strlen(msg),
               "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", 32);
}

Test(sha256, hmac_rfc4231_case7_long_key_long_data)
{
    uint8_t key[131];
    memset(key, 0xaa, sizeof key);
    const char *msg = "This is a test using a larger than block-size key and a larger than "
                      "block-size data. The key needs to be hashed before being used by the "
                      "HMAC algorithm.";
    check_hmac(key, sizeof key, msg, strlen(msg),
               "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2", 32);
}

/* Edge keys (values from an independent implementation): empty key and message, a key of
 * exactly one block (used as is) and one byte more (hashed first). */
Test(sha256, hmac_edge_keys)
{
    uint8_t key[65];
    for (size_t i = 0; i < sizeof key; i++) key[i] = (uint8_t)i;
    check_hmac(NULL, 0, NULL, 0, "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad",
               32);
    check_hmac(key, 64, "abc", 3,
               "6ab541b4869dca71c4ca11d8bb1b02533b789a557583161429292c7404bc21f6", 32);
    check_hmac(key, 65, "abc", 3,
               "dfbffee4671bad00ed5d1e1999d55ed3b0cc774ac357f9ebf649c1612414fcec", 32);
}

/* ---- SHA-1 (git object ids): FIPS 180-4 vectors, portable and SHA-extension rounds ------ */

static void sha1_once(bool ni, const void *msg, size_t len, uint8_t out[20])
{
    struct sha1 s;
    sha1_init(&s, ni);
    sha1_update(&s, msg, len);
    sha1_final(&s, out);
}

/* Both round implementations, where this CPU has the extensions (else the portable one twice). */
static void check_sha1(const char *msg, const char *hex)
{
    for (int ni = 0; ni <= (int)sha1_have_ni(); ni++) {
        uint8_t d[20];
        sha1_once(ni, msg, strlen(msg), d);
        expect_digest(d, hex, 20);
        struct sha1 s;
        sha1_init(&s, ni);
        for (size_t i = 0; msg[i]; i++) sha1_update(&s, msg + i, 1);
        sha1_final(&s, d);
        expect_digest(d, hex, 20);
    }
}

Test(sha1, fips_vectors)
{
    check_sha1("", "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    check_sha1("abc", "a9993e364706816aba3e25717850c26c9cd0d89d");
    check_sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
               "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    check_sha1("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklm"
               "nopqrlmnopqrsmnopqrstnopqrstu",
               "a49b2446a02c645bf419f995b67091253a04a259");
}

Test(sha1, million_a)
{
    char *m = malloc(1000000);
    memset(m, 'a', 1000000);
    for (int ni = 0; ni <= (int)sha1_have_ni(); ni++) {
        uint8_t d[20];
        sha1_once(ni, m, 1000000, d);
        expect_digest(d, "34aa973cd4c4daa4f61eeb2bdbad27316534016f", 20);
    }
    free(m);
}

/* Every length 0..300 and uneven pieces: the two round implementations agree, and a git blob
 * id ("blob <n>\0" + content) is what git computes for "hello\n". */
Test(sha1, portable_and_extension_rounds_agree)
{
    uint8_t buf[300];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)(i * 131 + 7);
    for (size_t n = 0; n <= sizeof buf; n++) {
        uint8_t a[20], b[20];
        sha1_once(false, buf, n, a);
        sha1_once(sha1_have_ni(), buf, n, b);
        cr_assert(!memcmp(a, b, 20), "length %zu", n);
    }
    struct sha1 s;
    sha1_init(&s, false);
    sha1_update(&s, "blob 6", 7);
    sha1_update(&s, "hello\n", 6);
    uint8_t d[20];
    sha1_final(&s, d);
    expect_digest(d, "ce013625030ba8dba906f756967f9e9ca394464a", 20);
}

/* The SHA extensions' rounds and the portable ones give the same digests and HMACs for every
 * length across several blocks, pseudo-random bytes and keys of every size class. */
Test(sha256, portable_and_extension_rounds_agree)
{
    if (!sha1_have_ni()) cr_skip_test("this CPU has no SHA extensions");
    uint8_t buf[300], key[100];
    uint64_t x = 0x243f6a8885a308d3ull;
    for (size_t i = 0; i < sizeof buf; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        buf[i] = (uint8_t)(x >> 24);
    }
    for (size_t i = 0; i < sizeof key; i++) key[i] = (uint8_t)(buf[i] ^ 0x5a);
    for (size_t n = 0; n <= sizeof buf; n++) {
        uint8_t a[32], b[32];
        struct sha256 s;
        sha256_init_ni(&s, false);
        sha256_update(&s, buf, n);
        sha256_final(&s, a);
        sha256_init_ni(&s, true);
        cr_assert(s.ni);
        sha256_update(&s, buf, n);
        sha256_final(&s, b);
        cr_assert_arr_eq(a, b, 32, "sha256 of %zu bytes", n);
        size_t kl = n % sizeof key;
        struct hmac_sha256 kp, kn;
        hmac_sha256_key(&kp, key, kl, false);
        hmac_sha256_key(&kn, key, kl, true);
        hmac_sha256_mac(&kp, buf, n, a);
        hmac_sha256_mac(&kn, buf, n, b);
        cr_assert_arr_eq(a, b, 32, "hmac of %zu bytes, key of %zu", n, kl);
    }
}
