/* allow.c: inline allow markers: `piiscan:allow [DETECTOR[,…]] [reason]` on a finding's line,
 * or `piiscan:allow-next-line …` alone (in a comment) on the line before. Knows nothing of
 * files, sinks or baselines; reads only the bytes around one match.
 *
 * Only PII_ALLOW_LOOK bytes each side of the match are read. The scanner's window always holds
 * at least PII_MAX_LOOK (= PII_ALLOW_LOOK) bytes before a candidate and more after it, so the
 * outcome is the same whatever the chunk size: a marker further away is not seen. */
#define _GNU_SOURCE /* memmem */
#include "pii_internal.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

_Static_assert(PII_ALLOW_LOOK <= PII_MAX_LOOK, "the scanner keeps PII_MAX_LOOK bytes of context");

#define MARK       ALLOW_MARK
#define MARK_LEN   ALLOW_MARK_LEN
#define NEXT       "-next-line"
#define NEXT_LEN   (sizeof NEXT - 1)
#define REASON_MAX 200

static bool id_char(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}

static bool alnum(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_det(const struct pii_engine *e, const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < e->n_det; i++)
        if (strlen(e->det[i].id) == n && memcmp(e->det[i].id, s, n) == 0) return true;
    return false;
}

/* The marker's arguments in p[0..end): whether they cover `detector`, and the reason. */
static bool marker_covers(const struct pii_engine *e, const uint8_t *p, const uint8_t *end,
                          const char *detector, pii_finding *f)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == ':' || *p == '=')) p++;
    /* a first word made only of detector ids (comma-separated) restricts the marker */
    const uint8_t *w = p;
    while (w < end && (id_char(*w) || *w == ',')) w++;
    bool ids = w > p, covers = false;
    for (const uint8_t *q = p; ids && q < w;) {
        const uint8_t *c = q;
        while (c < w && *c != ',') c++;
        if (c == q || !is_det(e, q, (size_t)(c - q)))
            ids = false;
        else if (strlen(detector) == (size_t)(c - q) && !memcmp(detector, q, (size_t)(c - q)))
            covers = true;
        q = c < w ? c + 1 : c;
    }
    if (ids && !covers) return false;
    if (ids) p = w;
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    /* the reason ends with the line, less a comment's closing and trailing blanks */
    const uint8_t *r = end;
    for (;;) {
        while (r > p && (r[-1] == ' ' || r[-1] == '\t' || r[-1] == '\r')) r--;
        if (r - p >= 2 && r[-2] == '*' && r[-1] == '/')
            r -= 2;
        else if (r - p >= 3 && !memcmp(r - 3, "-->", 3))
            r -= 3;
        else if (r - p >= 2 && (!memcmp(r - 2, "#}", 2) || !memcmp(r - 2, "%>", 2)))
            r -= 2;
        else
            break;
    }
    size_t rl = (size_t)(r - p);
    f->allowed = 1;
    f->allow_reason = (const char *)p;
    f->allow_reason_len = rl > REASON_MAX ? REASON_MAX : rl;
    return true;
}

/* Looks for markers in line[ls, le); next_line selects the -next-line form, which must be
 * the only thing on its line but comment punctuation. */
static bool scan_line(const struct pii_engine *e, const uint8_t *buf, size_t ls, size_t le,
                      bool next_line, const char *detector, pii_finding *f)
{
    size_t p = ls;
    while (p + MARK_LEN <= le) {
        const uint8_t *m = memmem(buf + p, le - p, MARK, MARK_LEN);
        if (!m) return false;
        size_t at = (size_t)(m - buf), after = at + MARK_LEN;
        p = after;
        bool is_next = le - after >= NEXT_LEN && !memcmp(buf + after, NEXT, NEXT_LEN);
        if (is_next) after += NEXT_LEN;
        if (is_next != next_line) continue;
        if (after < le && (alnum(buf[after]) || buf[after] == '-' || buf[after] == '_'))
            continue; /* piiscan:allowed, piiscan:allow_x: not a marker */
        if (at > 0 && at > ls && alnum(buf[at - 1])) continue;
        if (next_line) {
            bool alone = true;
            for (size_t i = ls; i < at && alone; i++) alone = !alnum(buf[i]);
            if (!alone) continue;
        }
        if (marker_covers(e, buf + after, buf + le, detector, f)) return true;
    }
    return false;
}

void allow_inline(const struct pii_engine *e, const uint8_t *buf, size_t buf_len, size_t start,
                  size_t len, pii_finding *f)
{
    f->allowed = 0;
    f->allow_reason = NULL;
    f->allow_reason_len = 0;
    size_t lo = start > PII_ALLOW_LOOK ? start - PII_ALLOW_LOOK : 0;
    size_t hi = start + len + PII_ALLOW_LOOK < buf_len ? start + len + PII_ALLOW_LOOK : buf_len;
    size_t ls = start;
    while (ls > lo && buf[ls - 1] != '\n') ls--;
    size_t le = start + len;
    while (le < hi && buf[le] != '\n') le++;
    if (scan_line(e, buf, ls, le, false, f->detector, f)) return;
    if (ls == lo || ls == 0) return; /* the line before is out of reach */
    size_t pe = ls - 1, ps = pe;
    if (pe > lo && buf[pe - 1] == '\r') pe--;
    while (ps > lo && buf[ps - 1] != '\n') ps--;
    if (ps == lo && lo > 0) return; /* its start is out of reach: "alone" cannot be checked */
    scan_line(e, buf, ps, pe, true, f->detector, f);
}

/* Without a Hyperscan database nothing reports the marker, so every window is searched: glibc's
 * memmem (two-way) ran at a few GB/s and was a tenth of an IPv4-only scan. Three bytes of the
 * marker (the first, the ':' and the last) are compared 16 positions at a time and only the
 * positions holding all three are compared in full. */
bool allow_mark_in(const uint8_t *buf, size_t len)
{
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i a = _mm_set1_epi8(MARK[0]), b = _mm_set1_epi8(MARK[7]),
                  c = _mm_set1_epi8(MARK[MARK_LEN - 1]);
    /* the loads reach buf[i + MARK_LEN - 1 + 15] */
    for (; i + MARK_LEN + 15 <= len; i += 16) {
        __m128i m = _mm_and_si128(
            _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(buf + i)), a),
            _mm_and_si128(
                _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(buf + i + 7)), b),
                _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(buf + i + MARK_LEN - 1)), c)));
        for (unsigned bits = (unsigned)_mm_movemask_epi8(m); bits; bits &= bits - 1)
            if (!memcmp(buf + i + (unsigned)__builtin_ctz(bits), MARK, MARK_LEN)) return true;
    }
#endif
    return len - i >= MARK_LEN && memmem(buf + i, len - i, MARK, MARK_LEN) != NULL;
}
