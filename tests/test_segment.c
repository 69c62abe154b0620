/* test_segment.c: segments scanned apart (pii_scan_segment) and joined (pii_join) give exactly
 * the findings of one streaming pass, offsets, lines and columns included, at random cuts. */
#include "testutil.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* splitmix64: seeded, the same cuts on every run */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Log lines with personal data, in a seeded order, some joined without a newline so that
 * lines of several KB (and a private key block) cross segment edges. */
static char *text(size_t *len, size_t target)
{
    static const char *lines[] = {
        "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186",
        "2015-10-18 18:01:47,978 INFO user=jane.doe@acme-corp.com paid with 4539 1488 0343 6467",
        "ssn=536-22-8142 phone (415) 872-2671 iban DE62370400440532013001",
        "client fe80::1c2b:3cff:fe4d:5e6f mac 3c:5a:b4:11:22:33 at 37.77493, -122.41942",
        "token=ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5 key AKIA2E3MNOPQ7RSTUVWX",
        "GET https://shop.acme.io/p?id=123&email=bob%40acme.io HTTP/1.1 password=Sup3rS3cret",
        "mail a.b@x-y.org,c.d@x-y.org;e.f@x-y.org tel +44 20 7946 0958 +49 30 901820",
        "-----BEGIN RSA PRIVATE "
        "KEY-----\\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0"
        "gunVTLw7onLRnrq0/"
        "IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMg"
        "hRniWaoLcyehkd3qqGElvW/"
        "VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu26"
        "9V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/"
        "XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGo"
        "XbAAEgAqeGUxrcIlbjXfbcmwIDAQAB\\n-----END RSA PRIVATE KEY-----",
        "081109 203615 148 INFO dfs.DataNode$PacketResponder: blk_38865049064139660 terminating",
        "nothing to see here 12345 0.0.0.0 a@b",
        "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEZ "
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
        ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
        ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    };
    const size_t n = sizeof lines / sizeof *lines;
    char *s = malloc(target + 4096), *p = s;
    cr_assert(s);
    while ((size_t)(p - s) < target) {
        const char *l = lines[rnd() % n];
        size_t k = strlen(l);
        memcpy(p, l, k);
        p += k;
        uint64_t r = rnd() % 16;
        *p++ = r == 0 ? ' ' : r == 1 ? '\t' : '\n'; /* 1 in 8: the line goes on */
    }
    *len = (size_t)(p - s);
    return s;
}

struct collected {
    struct tfinds f;
    pii_join *j;
    pii_join *k; /* joins the same segments by pii_join_keep(), as a counting caller does */
};

static int collect_joined(const pii_finding *f, void *user)
{
    struct collected *c = user;
    pii_finding g = *f;
    int kept = pii_join_keep(c->k, f->detector_index, f->offset, f->length);
    cr_assert_eq(pii_join_finding(c->j, &g), kept, "%s at %llu: pii_join_keep disagrees",
                 f->detector, (unsigned long long)f->offset);
    if (!kept) return 0;
    if (c->f.n == c->f.cap) {
        c->f.cap = c->f.cap ? c->f.cap * 2 : 64;
        c->f.v = realloc(c->f.v, c->f.cap * sizeof *c->f.v);
        cr_assert(c->f.v);
    }
    struct tfind *t = &c->f.v[c->f.n++];
    memset(t, 0, sizeof *t);
    snprintf(t->detector, sizeof t->detector, "%s", g.detector);
    t->offset = g.offset;
    t->line = g.line;
    t->column = g.column;
    t->length = g.length;
    t->confidence = g.confidence;
    size_t n = g.length < sizeof t->match - 1 ? g.length : sizeof t->match - 1;
    memcpy(t->match, g.match, n);
    return 0;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Scans s cut at `cuts` (sorted, inside (0, len)), each segment in its own heap buffer holding
 * exactly the bytes the contract promises, so ASan sees any read outside them; with no_ahead,
 * none after the segment (it is decided as if the input ended there). */
static struct tfinds scan_cut_as(pii_scanner *sc, pii_join *j, const char *s, size_t len,
                                 const size_t *cuts, size_t n_cuts, bool no_ahead)
{
    struct collected c = {.j = j};
    cr_assert_eq(pii_join_new(t_engine(NULL), &c.k, NULL), PII_OK);
    pii_join_begin(j);
    /* the input's head, as a streaming pass sees its start (a CSV header row) */
    size_t hl = len < PII_SEGMENT_HEAD ? len : PII_SEGMENT_HEAD;
    char *head = malloc(hl ? hl : 1);
    cr_assert(head);
    memcpy(head, s, hl);
    size_t from = 0;
    for (size_t k = 0; k <= n_cuts; k++) {
        size_t to = k < n_cuts ? cuts[k] : len;
        size_t lo = from > PII_SEGMENT_BEFORE ? from - PII_SEGMENT_BEFORE : 0;
        size_t hi = no_ahead ? to : len - to > PII_SEGMENT_AFTER ? to + PII_SEGMENT_AFTER : len;
        char *buf = malloc(hi - lo ? hi - lo : 1);
        cr_assert(buf);
        memcpy(buf, s + lo, hi - lo);
        pii_segment_info info;
        pii_error err = PII_ERROR_INIT;
        pii_join_segment_begin(j, from - lo);
        pii_join_segment_begin(c.k, from - lo);
        pii_scan_segment_head(sc, head, hl, len <= PII_SEGMENT_HEAD);
        cr_assert_eq(
            pii_scan_segment(sc, buf, hi - lo, from - lo, to - lo, collect_joined, &c, &info, &err),
            PII_OK, "%s", err.msg);
        pii_join_segment_end(j, to - lo, &info);
        pii_join_segment_end(c.k, to - lo, &info);
        free(buf);
        from = to;
    }
    free(head);
    pii_join_free(c.k);
    return c.f;
}

/* One streaming pass over s (the reference), and a scanner and a join for its segments. */
struct fixture {
    const pii_engine *e;
    struct tfinds ref;
    pii_scanner *sc;
    pii_join *j;
};

static struct fixture fixture(const char *s, size_t len)
{
    struct fixture f = {.e = t_engine(NULL)};
    f.ref = t_scan(f.e, s, len, 0, 0);
    cr_assert_eq(pii_scanner_new(f.e, NULL, &f.sc, NULL), PII_OK);
    cr_assert_eq(pii_join_new(f.e, &f.j, NULL), PII_OK);
    return f;
}

/* A fixture over seeded random text of about `size` bytes (*s, *len), whose streaming pass
 * holds more than `floor` findings. */
static struct fixture fixture_text(unsigned seed, size_t size, size_t floor, char **s, size_t *len)
{
    rng_state = seed;
    *s = text(len, size);
    struct fixture f = fixture(*s, *len);
    cr_assert_gt(f.ref.n, floor);
    return f;
}

/* Segments cut at cuts[0..n) (with no look-ahead when no_ahead) give the streaming pass's
 * findings; `what` names the case in a failure. */
static void expect_cuts(struct fixture *f, const char *s, size_t len, const size_t *cuts, size_t n,
                        bool no_ahead, const char *what)
{
    struct tfinds got = scan_cut_as(f->sc, f->j, s, len, cuts, n, no_ahead);
    t_assert_same(&f->ref, &got, what);
    t_free(&got);
}

static void fixture_free(struct fixture *f)
{
    pii_join_free(f->j);
    pii_scanner_free(f->sc);
    t_free(&f->ref);
}

Test(segment, random_cuts_equal_one_streaming_pass)
{
    size_t len;
    char *s;
    struct fixture f = fixture_text(20261121, 96 * 1024, 1000, &s, &len);
    size_t cuts[64];
    for (int round = 0; round < 200; round++) {
        /* few cuts far apart, many cuts closer than the look-ahead, or cuts a few bytes apart */
        size_t n = 1 + rnd() % 63;
        size_t span = round % 3 == 0 ? len : round % 3 == 1 ? 8192 : 64;
        size_t base = span < len ? rnd() % (len - span) : 0;
        for (size_t k = 0; k < n; k++) cuts[k] = 1 + base + rnd() % (span - 1);
        qsort(cuts, n, sizeof *cuts, cmp_size);
        char what[64];
        snprintf(what, sizeof what, "round %d, %zu cuts", round, n);
        expect_cuts(&f, s, len, cuts, n, false, what);
    }
    fixture_free(&f);
    free(s);
}

/* A quiet live input has its whole lines decided as if it ended there (cli_par.c, settled()):
 * that holds only while every decision is line-local. Cut after every line, and after every
 * few, with nothing after each segment: the findings of one streaming pass. */
Test(segment, whole_lines_need_no_look_ahead)
{
    size_t len;
    char *s;
    struct fixture f = fixture_text(20261123, 64 * 1024, 500, &s, &len);
    size_t cap = 4096, *cuts = malloc(cap * sizeof *cuts);
    cr_assert(cuts);
    for (int every = 1; every <= 7; every += 3) {
        size_t n = 0, k = 0;
        for (size_t i = 0; i + 1 < len && n < cap; i++)
            if (s[i] == '\n' && ++k % (size_t)every == 0) cuts[n++] = i + 1;
        char what[64];
        snprintf(what, sizeof what, "a cut after every %d lines (%zu cuts)", every, n);
        expect_cuts(&f, s, len, cuts, n, true, what);
    }
    free(cuts);
    fixture_free(&f);
    free(s);
}

Test(segment, empty_segments_and_a_cut_at_every_byte)
{
    const char *s = "id 173.234.31.186\nmail jane.doe@acme-corp.com\r\n\n card 4539 1488 0343 6467";
    size_t len = strlen(s);
    struct fixture f = fixture(s, len);
    cr_assert_eq(f.ref.n, 3);
    size_t cuts[256];
    size_t n = 0;
    for (size_t k = 1; k < len; k++) {
        cuts[n++] = k;
        if (k % 5 == 0) cuts[n++] = k; /* an empty segment */
    }
    expect_cuts(&f, s, len, cuts, n, false, "a cut at every byte");
    /* a segment scan leaves the scanner ready for streaming */
    struct tfinds again = t_scan(f.e, s, len, 0, 0);
    t_assert_same(&f.ref, &again, "streaming after segments");
    t_free(&again);
    fixture_free(&f);
}

Test(segment, bad_arguments_are_errors)
{
    pii_scanner *sc = NULL;
    cr_assert_eq(pii_scanner_new(t_engine(NULL), NULL, &sc, NULL), PII_OK);
    pii_error err = PII_ERROR_INIT;
    cr_expect_eq(pii_scan_segment(sc, "abc", 3, 2, 1, NULL, NULL, NULL, &err), PII_ERR_ARG);
    cr_expect_eq(pii_scan_segment(sc, "abc", 3, 0, 4, NULL, NULL, NULL, &err), PII_ERR_ARG);
    cr_expect_eq(pii_scan_segment(NULL, "abc", 3, 0, 3, NULL, NULL, NULL, &err), PII_ERR_ARG);
    cr_expect_eq(pii_scan_segment(sc, "abc", 3, 0, 3, NULL, NULL, NULL, &err), PII_OK);
    pii_scanner_free(sc);
}

/* A CSV header row names the columns of every row after it: segments far from the start know
 * it from pii_scan_segment_head() (person_name cells are proposed only from the header). */
Test(segment, csv_header_reaches_every_segment)
{
    static const char *const names[] = {"Maria Garcia", "James Smith", "Linda Johnson",
                                        "Robert Brown", "Patricia Miller"};
    size_t cap = 300000, len = 0;
    char *s = malloc(cap);
    cr_assert(s);
    len += (size_t)snprintf(s, cap, "id,first_last,full_name,city\n");
    for (int i = 0; len + 100 < cap; i++)
        len += (size_t)snprintf(s + len, cap - len, "%d,x,%s,Springfield\n", i, names[i % 5]);
    struct fixture f = fixture(s, len);
    cr_assert_gt(t_count(&f.ref, "person_name", NULL), 1000, "the header enables person_name");
    size_t cuts[] = {4000, 65536, 100001, 250000};
    expect_cuts(&f, s, len, cuts, 4, false, "csv in 5 segments");
    fixture_free(&f);
    free(s);
}

/* The overlap rule by itself: a finding starting inside an earlier kept one of the same
 * detector is dropped, whichever segment either came from; pii_join_keep() and
 * pii_join_finding() decide alike. */
Test(segment, join_drops_an_overlap_across_segments)
{
    const pii_engine *e = t_engine(NULL);
    pii_join *j = NULL, *k = NULL;
    cr_assert_eq(pii_join_new(e, &j, NULL), PII_OK);
    cr_assert_eq(pii_join_new(e, &k, NULL), PII_OK);
    /* {segment, detector, offset in the segment's buffer, length, kept} */
    static const struct {
        int seg;
        size_t det, off, len;
        int kept;
    } v[] = {
        {0, 0, 90, 30, 1}, /* input 90-120, running past the first segment's end (100) */
        {0, 1, 95, 4, 1},  /* another detector: kept */
        {1, 0, 12, 5, 0},  /* input 104: inside the first */
        {1, 1, 12, 5, 1},  /* input 104: after detector 1's 95-99 */
        {1, 0, 28, 5, 1},  /* input 120: where the first ended */
        {1, 0, 30, 10, 0}, /* input 122: inside the one before */
    };
    pii_segment_info info = {0};
    for (int s = 0; s < 2; s++) {
        /* segment 0: buffer offsets 0-100 are input 0-100; segment 1 starts at input 100, at
         * offset 8 of its buffer (after 8 bytes of look-behind) */
        size_t from = s ? 8 : 0;
        pii_join_segment_begin(j, from);
        pii_join_segment_begin(k, from);
        for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
            if (v[i].seg != s) continue;
            pii_finding f = {.detector = "x",
                             .detector_index = v[i].det,
                             .offset = v[i].off,
                             .length = v[i].len,
                             .line = 1};
            cr_expect_eq(pii_join_keep(k, v[i].det, v[i].off, v[i].len), v[i].kept, "row %zu", i);
            cr_expect_eq(pii_join_finding(j, &f), v[i].kept, "row %zu", i);
            if (v[i].kept) cr_expect_eq(f.offset, (s ? 100 - 8 : 0) + v[i].off, "row %zu", i);
        }
        pii_join_segment_end(j, s ? 58 : 100, &info);
        pii_join_segment_end(k, s ? 58 : 100, &info);
    }
    pii_join_free(j);
    pii_join_free(k);
}
