/* test_newlines.c: the newline counters behind line numbers: every variant this CPU runs gives
 * the scalar reference's count and last offset, on random bytes of every length and alignment
 * and every newline density, the bytes around the range untouched by the result. */
#include "pii_internal.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static const char *const variants[] = {"avx512bw", "avx2", "sse2", "scalar"};

static uint64_t rnd(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

Test(newlines, best_is_a_variant)
{
    newlines_fn best = newlines_select(NULL);
    cr_assert(best);
    bool known = false;
    for (size_t v = 0; v < ARRAY_LEN(variants); v++)
        known = known || newlines_select(variants[v]) == best;
    cr_expect(known);
    cr_expect(newlines_select("scalar"));
    cr_expect(!newlines_select("no-such-isa"));
}

Test(newlines, variants_agree_with_scalar)
{
    newlines_fn ref = newlines_select("scalar");
    cr_assert(ref);
    enum { CAP = 600 };
    /* newlines outside the counted range (guard bytes) must not count */
    uint8_t *buf = malloc(CAP + 128);
    cr_assert(buf);
    uint64_t x = 0x9e3779b97f4a7c15ull;
    int tried = 0;
    for (size_t v = 0; v < ARRAY_LEN(variants); v++) {
        newlines_fn fn = newlines_select(variants[v]);
        if (!fn) continue; /* not on this CPU */
        tried++;
        for (int round = 0; round < 4000; round++) {
            /* density from none to every byte a newline */
            unsigned per = (unsigned)(rnd(&x) % 5);
            for (size_t i = 0; i < CAP + 128; i++) {
                uint64_t r = rnd(&x);
                unsigned mod = per == 1 ? 97 : per == 2 ? 9 : 2;
                bool nl = per == 4 || (per != 0 && r % mod == 0);
                uint8_t b = (uint8_t)(r >> 8);
                buf[i] = nl ? '\n' : b == '\n' ? 'a' : b;
            }
            size_t off = 64 + (size_t)(rnd(&x) % 64);
            size_t n = round < CAP ? (size_t)round : (size_t)(rnd(&x) % CAP);
            if (off + n > CAP + 128) n = CAP + 128 - off;
            size_t l1, l2;
            uint64_t c1 = ref(buf + off, n, &l1), c2 = fn(buf + off, n, &l2);
            cr_assert_eq(c2, c1, "%s: count, n %zu off %zu", variants[v], n, off);
            cr_assert_eq(l2, l1, "%s: last, n %zu off %zu", variants[v], n, off);
        }
    }
    cr_expect(tried >= 1);
    free(buf);
}

Test(newlines, reference_by_hand)
{
    newlines_fn ref = newlines_select("scalar");
    size_t last;
    cr_expect_eq(ref((const uint8_t *)"ab\ncd\n", 6, &last), 2);
    cr_expect_eq(last, 5);
    cr_expect_eq(ref((const uint8_t *)"abc", 3, &last), 0);
    cr_expect_eq(last, 3, "n when there is none");
    cr_expect_eq(ref((const uint8_t *)"", 0, &last), 0);
    cr_expect_eq(last, 0);
}
