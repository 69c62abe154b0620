/* context.c: context words around a candidate: whole-word, case-insensitive, symbols kept
 * ("ss#", "a/c"), inside a byte window clipped to the candidate's line. Knows nothing of
 * detectors beyond their word lists. */
#include "pii_internal.h"

#include <stdlib.h>
#include <string.h>

static inline uint8_t lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c | 0x20) : c;
}

static inline bool alnum(uint8_t c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Marks word `bit` as starting with byte c. */
static bool set_first(struct ctx_set *set, uint8_t c, unsigned bit)
{
    if (!set->slot[c]) {
        /* at most 64 words, each starting with at most two bytes (its cases): 129 slots */
        uint64_t *nm = realloc(set->mask, (set->n_mask + 1) * sizeof *nm);
        if (!nm) return false;
        set->mask = nm;
        nm[set->n_mask] = 0;
        set->slot[c] = (uint8_t)set->n_mask++;
    }
    set->mask[set->slot[c]] |= 1ull << bit;
    if (!alnum(c)) set->sym = true;
    return true;
}

/* A set built word by word grows each part separately; a copy is one block (below). */
static bool unpack(struct ctx_set *set)
{
    struct ctx_set t = {0};
    for (size_t i = 0; i < set->n; i++)
        if (!ctx_set_add(&t, set->w[i].text, set->w[i].len)) {
            ctx_set_release(&t);
            return false;
        }
    ctx_set_release(set);
    *set = t;
    return true;
}

bool ctx_set_add(struct ctx_set *set, const char *w, size_t len)
{
    if (set->n >= 64 || !len) return false;
    if (set->block && !unpack(set)) return false;
    if (!set->slot) {
        set->slot = calloc(256, 1);
        set->mask = calloc(1, sizeof *set->mask);
        if (!set->slot || !set->mask) return false;
        set->n_mask = 1;
    }
    struct ctx_word *nv = set->w;
    if (set->n >= 4 && !(set->n & (set->n - 1))) /* full at 4, 8, 16, 32 */
        nv = realloc(set->w, 2 * set->n * sizeof *nv);
    else if (!set->n)
        nv = malloc(4 * sizeof *nv);
    if (!nv) return false;
    set->w = nv;
    char *t = malloc(len + 1);
    if (!t) return false;
    for (size_t i = 0; i < len; i++) t[i] = (char)lower((uint8_t)w[i]);
    t[len] = 0;
    uint8_t f = (uint8_t)t[0];
    if (!set_first(set, f, (unsigned)set->n) ||
        (f >= 'a' && f <= 'z' && !set_first(set, (uint8_t)(f - 32), (unsigned)set->n))) {
        free(t);
        return false;
    }
    nv[set->n++] = (struct ctx_word){.text = t, .len = len};
    return true;
}

void ctx_set_release(struct ctx_set *set)
{
    if (set->block) {
        free(set->block);
    } else {
        for (size_t i = 0; i < set->n; i++) free(set->w[i].text);
        free(set->w);
        free(set->slot);
        free(set->mask);
    }
    memset(set, 0, sizeof *set);
}

/* One allocation, exactly sized: mask, words, slot, texts (the engine copies every detector at
 * start-up; fewer, denser allocations are fewer pages touched). */
bool ctx_set_copy(struct ctx_set *dst, const struct ctx_set *src)
{
    memset(dst, 0, sizeof *dst);
    if (!src->n) return true;
    size_t text = 0;
    for (size_t i = 0; i < src->n; i++) text += src->w[i].len + 1;
    size_t mask_sz = src->n_mask * sizeof *src->mask, w_sz = src->n * sizeof *src->w;
    char *b = malloc(mask_sz + w_sz + 256 + text);
    if (!b) return false;
    dst->block = b;
    dst->mask = memcpy(b, src->mask, mask_sz);
    dst->w = (struct ctx_word *)(b + mask_sz);
    dst->slot = memcpy(b + mask_sz + w_sz, src->slot, 256);
    char *t = b + mask_sz + w_sz + 256;
    for (size_t i = 0; i < src->n; i++) {
        dst->w[i] = (struct ctx_word){.text = memcpy(t, src->w[i].text, src->w[i].len + 1),
                                      .len = src->w[i].len};
        t += src->w[i].len + 1;
    }
    dst->n = src->n;
    dst->n_mask = src->n_mask;
    dst->sym = src->sym;
    return true;
}

/* The word at s[i..]: a space in the word matches a run of spaces, '_' or '-' ("social
 * security" ~ "social_security"). Sets *mlen to the bytes matched. */
static bool word_at(const struct ctx_word *cw, const uint8_t *s, size_t n, size_t i, size_t *mlen)
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
        if (lower(s[j]) != w[k]) return false;
        j++;
        k++;
    }
    *mlen = j - i;
    return true;
}

/* The words of `m` (bits into set->w) tried at buf[i], a word start; a match must end by n.
 * Whole word: an alphanumeric edge of the word must not touch an alphanumeric neighbour, so
 * "lic" does not match inside "duplicate"; a symbol edge ("ss#") needs no boundary, nor does
 * n (the candidate's own start, or the end of what may be read). */
static bool words_at(const struct ctx_set *set, uint64_t m, const uint8_t *buf, size_t i, size_t n)
{
    do {
        const struct ctx_word *cw = &set->w[__builtin_ctzll(m)];
        m &= m - 1;
        size_t ml;
        if (cw->len > n - i || !word_at(cw, buf, n, i, &ml)) continue;
        if (alnum((uint8_t)cw->text[cw->len - 1]) && i + ml < n && alnum(buf[i + ml])) continue;
        return true;
    } while (m);
    return false;
}

#if defined(__SSE2__)
/* Bit k: p[k] is a letter or a digit (alnum() on 16 bytes). */
static inline unsigned alnum16(const uint8_t *p)
{
    __m128i d, l;
    ascii_x16(_mm_loadu_si128((const __m128i *)p), &d, &l);
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(d, l));
}

/* Bit k: p[k] is a newline. */
static inline unsigned newline16(const uint8_t *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
}

/* The positions of buf[q..q+16) where a word may start (bit k for q + k): not a letter or digit
 * after one. `prev`: whether the byte before q counts as one. Only letters and digits unless
 * the set has a word starting with a symbol. */
static inline unsigned starts16(const struct ctx_set *set, const uint8_t *buf, size_t q, bool prev,
                                unsigned *nl)
{
    unsigned A = alnum16(buf + q);
    *nl = newline16(buf + q);
    unsigned pa = (A << 1) | (prev ? 1u : 0u);
    return (set->sym ? 0xffffu : A) & ~(A & pa) & 0xffffu;
}
#endif

#if defined(__SSE2__)
/* A context word of set starting at q + k for a bit k of m and ending by lim. */
static inline bool block_has(const struct ctx_set *set, const uint8_t *buf, size_t q, unsigned m,
                             size_t lim)
{
    for (; m; m &= m - 1) {
        size_t p = q + (size_t)__builtin_ctz(m);
        uint8_t c = buf[p];
        if (set->slot[c] && words_at(set, set->mask[set->slot[c]], buf, p, lim)) return true;
    }
    return false;
}
#endif

/* Called for every candidate of a detector with context words (every IPv4 address of a log),
 * so each side of the window is one pass with no library calls: the line's edge is found in
 * the same pass (no word holds a newline, so none crosses one), and a word start is told from
 * the byte before it in buf, which also makes a word cut by the window's edge no word. Sixteen
 * bytes a step, the word starts as a bit mask: a test per byte on whether a context word can
 * start with it was a coin toss in text (a dozen mispredicted branches per candidate). Which
 * side or word matches first does not change the answer. */
bool context_has(const struct ctx_set *set, const uint8_t *buf, size_t lo, size_t hi, size_t start,
                 size_t end, int before, int after)
{
    if (!set->n || (!before && !after)) return false;
    size_t a = start - lo > (size_t)before ? start - (size_t)before : lo;
    size_t z = hi - end > (size_t)after ? end + (size_t)after : hi;
    const uint8_t *slot = set->slot;
    /* before: right to left, to the line's start; a word there must end by `start` */
    size_t i = start;
    bool line_start = false;
#if defined(__SSE2__)
    /* 16 bytes a step; the last step, under 16 bytes from a, as one block with what precedes a
     * masked off when 16 bytes may be read there (a byte loop was a mispredicted branch every
     * few bytes) */
    while (!line_start && i > a && i - lo >= 16) {
        size_t q = i - 16;
        unsigned keep = i - a >= 16 ? 0xffffu : ~((1u << (16 - (i - a))) - 1) & 0xffffu;
        unsigned nl, m = starts16(set, buf, q, q > lo && alnum(buf[q - 1]), &nl);
        nl &= keep;
        m &= keep;
        if (nl) m &= ~((2u << (31 - __builtin_clz(nl))) - 1); /* after the line's last newline */
        if (block_has(set, buf, q, m, start)) return true;
        line_start = nl || keep != 0xffffu; /* nothing left before */
        i = q;
    }
#endif
    while (!line_start && i > a) {
        uint8_t c = buf[--i];
        if (c == '\n') break;
        if (PII_LIKELY(!slot[c])) continue;
        if (i > lo && alnum(buf[i - 1]) && alnum(c)) continue;
        if (words_at(set, set->mask[slot[c]], buf, i, start)) return true;
    }
    /* after: left to right, to the line's end; `end` itself always starts a word */
    i = end;
#if defined(__SSE2__)
    /* likewise, the last step with what follows z masked off */
    while (i < z && hi - i >= 16) {
        unsigned keep = z - i >= 16 ? 0xffffu : (1u << (z - i)) - 1;
        unsigned nl, m = starts16(set, buf, i, i > end && alnum(buf[i - 1]), &nl);
        nl &= keep;
        m &= keep;
        if (nl) m &= (1u << __builtin_ctz(nl)) - 1; /* before the line's first newline */
        if (block_has(set, buf, i, m, z)) return true;
        if (nl || keep != 0xffffu) return false;
        i += 16;
    }
#endif
    for (; i < z; i++) {
        uint8_t c = buf[i];
        if (c == '\n') break;
        if (PII_LIKELY(!slot[c])) continue;
        if (i > end && alnum(buf[i - 1]) && alnum(c)) continue;
        if (words_at(set, set->mask[slot[c]], buf, i, z)) return true;
    }
    return false;
}
