/* test_context.c: context word sets: every word found whatever its first byte or case, at most
 * 64 words, copies independent of their source, an empty set matching nothing. */
#include "pii_internal.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

/* 64 words over 64 distinct first bytes (26 letters in both cases of the input, digits,
 * symbols): the most slots a set can need. */
static void fill(struct ctx_set *s, char words[64][8])
{
    static const char firsts[] = "abcdefghijklmnopqrstuvwxyz0123456789#$%&*+/<=>?@^~"
                                 "ABCDEFGHIJKLMN";
    for (int i = 0; i < 64; i++) {
        snprintf(words[i], 8, "%cw%02d", firsts[i], i);
        cr_assert(ctx_set_add(s, words[i], strlen(words[i])), "word %d", i);
    }
}

static bool found(const struct ctx_set *s, const char *word)
{
    char line[64];
    int n = snprintf(line, sizeof line, "%s 4242", word);
    size_t start = (size_t)n - 4;
    return context_has(s, (const uint8_t *)line, 0, (size_t)n, start, (size_t)n, 32, 0);
}

Test(context, every_word_any_first_byte_any_case)
{
    struct ctx_set s = {0};
    char words[64][8];
    fill(&s, words);
    cr_expect(!ctx_set_add(&s, "more", 4), "at most 64 words");
    for (int i = 0; i < 64; i++) {
        cr_expect(found(&s, words[i]), "%s", words[i]);
        char up[8];
        memcpy(up, words[i], sizeof up);
        for (char *c = up; *c; c++)
            if (*c >= 'a' && *c <= 'z') *c = (char)(*c - 32);
        cr_expect(found(&s, up), "%s (upper case)", up);
    }
    cr_expect(!found(&s, "zz99"), "not a word of the set");
    cr_expect(!found(&s, "xaw00"), "whole words only");

    struct ctx_set c;
    cr_assert(ctx_set_copy(&c, &s));
    ctx_set_release(&s);
    for (int i = 0; i < 64; i++) cr_expect(found(&c, words[i]), "copy: %s", words[i]);
    ctx_set_release(&c);

    /* a copy is one block; adding to it still works */
    struct ctx_set two = {0}, t2;
    cr_assert(ctx_set_add(&two, "Card", 4) && ctx_set_add(&two, "iban", 4));
    cr_assert(ctx_set_copy(&t2, &two));
    cr_assert(ctx_set_add(&t2, "ssn", 3));
    cr_expect(found(&t2, "card") && found(&t2, "IBAN") && found(&t2, "ssn"));
    cr_expect(!found(&two, "ssn"), "the source is unchanged");
    ctx_set_release(&two);
    ctx_set_release(&t2);

    struct ctx_set empty = {0};
    cr_expect(!found(&empty, "aw00"));
    cr_assert(ctx_set_copy(&c, &empty));
    cr_expect(!c.slot, "an empty set allocates nothing");
    ctx_set_release(&c);
}

/* ---- the one-pass search against the previous one ---------------------------------------- */

/* The search context_has() had before it became one pass a side (memrchr and memchr to clip
 * the window to the line, the cut word at the window's edge skipped, then a byte loop a side),
 * kept here as the reference the rewrite must agree with. */
static bool ref_alnum(uint8_t c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static bool ref_word_at(const struct ctx_word *cw, const uint8_t *s, size_t n, size_t i, size_t *ml)
{
    const uint8_t *w = (const uint8_t *)cw->text;
    size_t k = 0, j = i;
    while (k < cw->len) {
        if (j >= n) return false;
        if (w[k] == ' ') {
            if (s[j] != ' ' && s[j] != '_' && s[j] != '-') return false;
            while (j < n && (s[j] == ' ' || s[j] == '_' || s[j] == '-')) j++;
            k++;
            continue;
        }
        uint8_t c = s[j] >= 'A' && s[j] <= 'Z' ? (uint8_t)(s[j] | 0x20) : s[j];
        if (c != w[k]) return false;
        j++;
        k++;
    }
    *ml = j - i;
    return true;
}

static bool ref_scan(const struct ctx_set *set, const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && ref_alnum(s[i - 1]) && ref_alnum(s[i])) continue;
        for (size_t k = 0; k < set->n; k++) {
            const struct ctx_word *cw = &set->w[k];
            size_t ml;
            if (cw->len > n - i || !ref_word_at(cw, s, n, i, &ml)) continue;
            if (ref_alnum((uint8_t)cw->text[cw->len - 1]) && i + ml < n && ref_alnum(s[i + ml]))
                continue;
            return true;
        }
    }
    return false;
}

static bool ref_context_has(const struct ctx_set *set, const uint8_t *buf, size_t lo, size_t hi,
                            size_t start, size_t end, int before, int after)
{
    if (!set->n || (!before && !after)) return false;
    size_t a = start - lo > (size_t)before ? start - (size_t)before : lo;
    size_t z = hi - end > (size_t)after ? end + (size_t)after : hi;
    for (size_t i = start; i > a; i--)
        if (buf[i - 1] == '\n') {
            a = i;
            break;
        }
    for (size_t i = end; i < z; i++)
        if (buf[i] == '\n') {
            z = i;
            break;
        }
    while (a < start && a > lo && ref_alnum(buf[a - 1]) && ref_alnum(buf[a])) a++;
    if (ref_scan(set, buf + a, start - a)) return true;
    return z > end && ref_scan(set, buf + end, z - end);
}

/* Random lines made of the set's words, their pieces and neighbours (case, '_', '-', symbols,
 * newlines), cut at random windows, sides and reading limits. */
Test(context, one_pass_agrees_with_the_reference)
{
    static const char *const words[] = {"ip",   "addr", "host", "ss#", "a/c", "social security",
                                        "from", "src",  "#x"};
    static const char *const toks[] = {"ip",
                                       "IP",
                                       "Ip",
                                       "addr",
                                       "address",
                                       "host",
                                       "hostname",
                                       "ss#",
                                       "SS",
                                       "#",
                                       "a/c",
                                       "a",
                                       "social",
                                       "Security",
                                       "social security",
                                       "social_security",
                                       "social--security",
                                       "from",
                                       "src",
                                       "dip",
                                       "x",
                                       "#x",
                                       "1.2.3.4",
                                       "42",
                                       " ",
                                       "  ",
                                       "_",
                                       "-",
                                       "\n",
                                       ".",
                                       ":",
                                       "=",
                                       "/"};
    /* pass 1 leaves out "#x": a set whose words all start with a letter or a digit looks only
     * at those (context_has reads 16 bytes a step, windows up to 80 bytes a side) */
    for (int pass = 0; pass < 2; pass++) {
        struct ctx_set s = {0};
        for (size_t i = 0; i < ARRAY_LEN(words); i++)
            if (pass == 0 || words[i][0] != '#')
                cr_assert(ctx_set_add(&s, words[i], strlen(words[i])));
        cr_assert_eq(s.sym, pass == 0);
        uint32_t r = 7 + (uint32_t)pass;
#define RND(n) ((r = r * 1103515245u + 12345u), (size_t)((r >> 8) % (n)))
        uint8_t buf[160];
        for (int iter = 0; iter < 40000; iter++) {
            size_t len = 0, want = RND(sizeof buf);
            while (len < want) {
                const char *t = toks[RND(ARRAY_LEN(toks))];
                size_t n = strlen(t);
                if (len + n > sizeof buf) break;
                memcpy(buf + len, t, n);
                len += n;
            }
            size_t lo = RND(len + 1), hi = lo + RND(len - lo + 1);
            size_t start = lo + RND(hi - lo + 1), end = start + RND(hi - start + 1);
            int before = (int)RND(80), after = (int)RND(60);
            bool got = context_has(&s, buf, lo, hi, start, end, before, after);
            bool ref = ref_context_has(&s, buf, lo, hi, start, end, before, after);
            cr_assert_eq(got, ref, "iter %d: \"%.*s\" [%zu,%zu) in [%zu,%zu) %d/%d", iter, (int)len,
                         (const char *)buf, start, end, lo, hi, before, after);
        }
#undef RND
        ctx_set_release(&s);
    }
}
