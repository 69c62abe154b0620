/* test_scanner.c: the scanning core: the same findings whatever the chunk and feed sizes, exact
 * line/column/offset across chunk edges, a 1 MB single line, stop, and API misuse. */
#include "pii_internal.h"
#include "testutil.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Real log lines with personal data placed where chunk edges will fall. */
static char *mixed_text(size_t *len, int repeat)
{
    static const char *lines[] = {
        ("081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block "
         "blk_38865049064139660 terminating\n"),
        "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186\n",
        "2015-10-18 18:01:47,978 INFO user=jane.doe@acme-corp.com paid with 4539 1488 0343 6467\n",
        "ssn=536-22-8142 phone (415) 872-2671 iban DE62370400440532013001\n",
        "client fe80::1c2b:3cff:fe4d:5e6f mac 3c:5a:b4:11:22:33 at 37.77493, -122.41942\n",
        "token=ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5 key AKIA2E3MNOPQ7RSTUVWX\n",
        "GET https://shop.acme.io/p?id=123&email=bob%40acme.io HTTP/1.1 password=Sup3rS3cret\n",
        "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 RAS KERNEL INFO\n",
    };
    size_t cap = 0;
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) cap += strlen(lines[i]);
    cap *= (size_t)repeat;
    char *s = malloc(cap + 1), *p = s;
    for (int r = 0; r < repeat; r++)
        for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
            size_t n = strlen(lines[(i + (size_t)r) % (sizeof lines / sizeof *lines)]);
            memcpy(p, lines[(i + (size_t)r) % (sizeof lines / sizeof *lines)], n);
            p += n;
        }
    *p = 0;
    *len = (size_t)(p - s);
    return s;
}

Test(scanner, every_detector_fires_on_the_mixed_text)
{
    size_t len;
    char *s = mixed_text(&len, 1);
    struct tfinds f = t_scan(t_engine(NULL), s, len, 0, 0);
    static const char *want[] = {"email",     "credit_card",    "us_ssn",
                                 "phone",     "iban",           "ipv4",
                                 "ipv6",      "mac_address",    "geo_coordinates",
                                 "api_token", "aws_access_key", "url_clickstream",
                                 "password"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        cr_expect(t_count(&f, want[i], NULL) >= 1, "no %s finding", want[i]);
    /* the HDFS block id and BGL timestamps are not cards or phones */
    cr_expect_eq(t_count(&f, "credit_card", NULL), 1);
    cr_expect_eq(t_count(&f, "phone", NULL), 1);
    t_free(&f);
    free(s);
}

Test(scanner, same_findings_at_every_chunk_and_feed_size)
{
    size_t len;
    char *s = mixed_text(&len, 24); /* ~15 KB: several windows even at the default */
    struct tfinds ref = t_scan(t_engine(NULL), s, len, 0, 0);
    cr_assert_gt(ref.n, 24 * 10);
    static const size_t sizes[] = {1, 7, 64, 4096, 0};
    for (size_t c = 0; c < 5; c++)
        for (size_t f = 0; f < 5; f++) {
            struct tfinds got = t_scan(t_engine(NULL), s, len, sizes[f], sizes[c]);
            char what[64];
            snprintf(what, sizeof what, "chunk %zu feed %zu", sizes[c], sizes[f]);
            t_assert_same(&ref, &got, what);
            t_free(&got);
        }
    t_free(&ref);
    free(s);
}

Test(scanner, line_column_and_offset_are_exact)
{
    const char *s = "first line\r\nsecond 203.0.114.9\n\n  x jane@acme.io\n";
    for (size_t chunk = 1; chunk <= 8; chunk += 7) {
        struct tfinds f = t_scan(t_engine(NULL), s, strlen(s), 3, chunk);
        cr_assert_eq(f.n, 2);
        cr_expect_str_eq(f.v[0].detector, "ipv4");
        cr_expect_eq(f.v[0].line, 2);
        cr_expect_eq(f.v[0].column, 8);
        cr_expect_eq(f.v[0].offset, 19);
        cr_expect_str_eq(f.v[0].match, "203.0.114.9");
        cr_expect_str_eq(f.v[1].detector, "email");
        cr_expect_eq(f.v[1].line, 4);
        cr_expect_eq(f.v[1].column, 5);
        cr_expect_str_eq(f.v[1].match, "jane@acme.io");
        t_free(&f);
    }
}

Test(scanner, one_megabyte_single_line)
{
    /* minified JSON: one line, a value every ~100 bytes */
    size_t cap = 1100000, len = 0, expect = 0;
    char *s = malloc(cap);
    len += (size_t)snprintf(s, cap, "[");
    while (len < 1000000) {
        len += (size_t)snprintf(s + len, cap - len,
                                "{\"id\":%zu,\"ip\":\"10.%zu.%zu.7\",\"pad\":\"abcdefghij\"},",
                                expect, (expect / 200) % 250, expect % 200 + 1);
        expect++;
    }
    s[len - 1] = ']';
    static const size_t chunks[] = {0, 4096, 65536};
    for (size_t c = 0; c < 3; c++) {
        struct tfinds f = t_scan(t_engine("ipv4"), s, len, c == 1 ? 7 : 0, chunks[c]);
        cr_assert_eq(f.n, expect, "chunk %zu: %zu findings, want %zu", chunks[c], f.n, expect);
        for (size_t i = 0; i < f.n; i++) {
            cr_assert_eq(f.v[i].line, 1);
            cr_assert_eq(f.v[i].column, f.v[i].offset + 1);
            if (i) cr_assert_gt(f.v[i].offset, f.v[i - 1].offset, "duplicate or disorder");
        }
        t_free(&f);
    }
    free(s);
}

static int stop_first(const pii_finding *f, void *user)
{
    (void)f;
    (*(int *)user)++;
    return 1;
}

Test(scanner, callback_can_stop)
{
    const char *s = "a 203.0.114.9 b 203.0.114.10\n";
    pii_scanner *sc = NULL;
    pii_error err = PII_ERROR_INIT;
    cr_assert_eq(pii_scanner_new(t_engine(NULL), NULL, &sc, &err), PII_OK);
    int calls = 0;
    cr_expect_eq(pii_scan_buffer(sc, s, strlen(s), stop_first, &calls, &err), PII_STOP);
    cr_expect_eq(calls, 1);
    /* the scanner is reusable after begin() */
    calls = 0;
    struct tfinds f = t_scan(t_engine(NULL), s, strlen(s), 0, 0);
    cr_expect_eq(f.n, 2);
    t_free(&f);
    pii_scanner_free(sc);
}

Test(scanner, misuse_is_an_error_not_a_crash)
{
    pii_error err = PII_ERROR_INIT;
    cr_expect_eq(pii_scanner_new(NULL, NULL, NULL, &err), PII_ERR_ARG);
    cr_expect_eq(pii_engine_compile(NULL, NULL, NULL, NULL), PII_ERR_ARG);
    cr_expect_eq(pii_scanner_feed(NULL, "x", 1, NULL, NULL, &err), PII_ERR_ARG);
    cr_expect_eq(pii_scanner_end(NULL, NULL, NULL, NULL), PII_ERR_ARG);
    pii_scanner_free(NULL);
    pii_engine_free(NULL);
    pii_detectors_free(NULL);
    cr_expect_str_eq(pii_status_str(PII_ERR_IO), "I/O error");
    cr_expect_str_eq(pii_version(), PII_VERSION_STRING);
}

Test(scanner, empty_input_and_no_newline_at_end)
{
    struct tfinds f = t_scan(t_engine(NULL), "", 0, 0, 0);
    cr_expect_eq(f.n, 0);
    t_free(&f);
    f = t_scan(t_engine(NULL), "x@acme.io", 9, 0, 0);
    cr_expect_eq(f.n, 1);
    cr_expect_eq(f.v[0].offset, 0);
    t_free(&f);
}

/* The tokenizer works on 64-byte blocks with masks that look across block edges: every shape
 * must be found at every alignment (a bug here lost "2606:4700:db7a::" when its "::" fell at
 * the start of the next block). */
Test(scanner, every_shape_at_every_block_alignment)
{
    static const char *const vals[][2] = {
        {"credit_card", "4539 1488 0343 6467"},
        {"credit_card", "5425233430109903"},
        {"us_ssn", "536-22-8142"},
        {"phone", "(415) 872-2671"},
        {"phone", "+44 20 7946 0958"},
        {"phone", "1-415-872-2671"},
        {"ipv4", "173.234.31.186"},
        {"ipv6", "2606:4700:db7a::"},
        {"ipv6", "2a02:6b8:0:1:c6b3:1ff:fecd:467f"},
        {"ipv6", "fe80::1c2b:3cff:fe4d:5e6f"},
        {"mac_address", "00:11:43:e3:ba:c3"},
        {"mac_address", "84-41-67-32-db-e1"},
        {"mac_address", "0011.43e3.bac3"},
        {"iban", "DE62370400440532013001"},
        {"iban", "GB02 NWBK 6016 1331 9268 20"},
        {"geo_coordinates", "37.77493, -122.41942"},
        {"br_cpf", "529.982.247-25"},
        {"br_cnpj", "11.222.333/0001-81"},
        {"br_cnpj", "12.ABC.345/01DE-35"},
    };
    char text[512];
    for (size_t v = 0; v < sizeof vals / sizeof *vals; v++)
        for (int pad = 0; pad < 140; pad++) {
            int n = snprintf(text, sizeof text, "%*sval %s\r\nnext line\n", pad, "", vals[v][1]);
            struct tfinds f = t_scan(t_engine(NULL), text, (size_t)n, 0, 0);
            cr_assert_eq(t_count(&f, vals[v][0], vals[v][1]), 1, "%s '%s' at offset %d", vals[v][0],
                         vals[v][1], pad + 4);
            t_free(&f);
        }
}

/* The tokenizer has one build per instruction set; each this CPU runs must find exactly what the
 * portable one finds, at every alignment. */
Test(scanner, simd_variants_agree_with_scalar)
{
    size_t len;
    char *s = mixed_text(&len, 6);
    static const char *const names[] = {"scalar", "sse2", "avx2", "avx512bw", "avx512vbmi2"};
    enum { NV = sizeof names / sizeof *names };
    pii_engine *eng[NV] = {0};
    for (size_t v = 0; v < NV; v++) {
        setenv("PIISCAN_SIMD", names[v], 1);
        pii_detectors *d = NULL;
        pii_error err = PII_ERROR_INIT;
        cr_assert_eq(pii_detectors_new(&d, &err), PII_OK);
        cr_assert_eq(pii_detectors_load_builtin(d, &err), PII_OK);
        pii_status st = pii_engine_compile(d, NULL, &eng[v], &err);
        pii_detectors_free(d);
        cr_assert(st == PII_OK || (v > 0 && st == PII_ERR_PLATFORM), "%s: %s", names[v], err.msg);
    }
    unsetenv("PIISCAN_SIMD");
    for (size_t off = 0; off < 64; off += 7) {
        struct tfinds ref = t_scan(eng[0], s + off, len - off, 0, 0);
        cr_assert_gt(ref.n, 50);
        for (size_t v = 1; v < NV; v++) {
            if (!eng[v]) continue; /* this CPU lacks it */
            struct tfinds f = t_scan(eng[v], s + off, len - off, 0, 0);
            char what[64];
            snprintf(what, sizeof what, "%s at offset %zu", names[v], off);
            t_assert_same(&ref, &f, what);
            t_free(&f);
        }
        t_free(&ref);
    }
    for (size_t v = 0; v < NV; v++) pii_engine_free(eng[v]);
    free(s);
}

/* Shape-like tokens run together with random joiners, so that words of one shape touch words of
 * another ("12.34.56-00:1a:2b:3c:4d:5e"). Deterministic (xorshift, fixed seed). */
static char *token_soup(size_t want, size_t *len)
{
    static const char *const toks[] = {"37.7749, -122.4194",
                                       "37.77,-122.41",
                                       "-33.8688,151.2093",
                                       "12.5,3.25",
                                       "1.2.3.4",
                                       "10.0.0.1",
                                       "650.253.0000",
                                       "1.650.253.0000",
                                       "blk_-1234567890123",
                                       "id_1234567890",
                                       "x12.34, 5.6",
                                       "-12.345 , 67.890",
                                       "47.978,",
                                       "18:01:47,978",
                                       "4539148803436467",
                                       "536-22-8142",
                                       "536228142",
                                       "4158722671",
                                       "(415) 872-2671",
                                       "+1 415 872 2671",
                                       "fe80::1c2b:3cff:fe4d:5e6f",
                                       "00:1a:2b:3c:4d:5e",
                                       "84-41-67-32-db-e1",
                                       "0011.43e3.bac3",
                                       "DE62370400440532013001",
                                       "1.5",
                                       "v1.2.3.4",
                                       "12.34.56",
                                       "99.999999999999,1.1",
                                       "a-12.34,5.67",
                                       "_12.34,5.67",
                                       "2606:4700:db7a::",
                                       "3c:5a:b4:11:22:33",
                                       "529.982.247-25",
                                       "11.222.333/0001-81",
                                       "12.ABC.345/01DE-35",
                                       "a/0001-81",
                                       "DE136695976",
                                       "DE 136 695 976",
                                       "AT U13585627",
                                       "CHE-107.787.577",
                                       "GBGD001",
                                       "FRXX999999999",
                                       "BP-1088"};
    static const char seps[] = " \n,;=:\t-('\"x._";
    uint64_t x = 0x9e3779b97f4a7c15ull;
    char *s = malloc(want + 256), *p = s;
    while ((size_t)(p - s) < want) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        const char *t = toks[x % (sizeof toks / sizeof *toks)];
        size_t n = strlen(t);
        memcpy(p, t, n);
        /* change a digit now and then so the values vary */
        for (size_t i = 0; i < n; i++)
            if (p[i] >= '0' && p[i] <= '9' && ((x >> (i % 50)) & 15) == 0)
                p[i] = (char)('0' + (x >> 7) % 10);
        p += n;
        *p++ = seps[(x >> 20) % (sizeof seps - 1)];
        if ((x >> 40) % 64 == 0)
            for (size_t k = (x >> 48) % 70 + 1; k; k--) *p++ = 'q';
    }
    *len = (size_t)(p - s);
    return s;
}

/* Random bytes from the alphabet shapes are made of: every trigger rule fires somewhere, at
 * every bit position and across every block and eight-block group edge. */
static char *shape_noise(size_t len, uint64_t seed, const char *al)
{
    size_t n = strlen(al);
    char *s = malloc(len);
    uint64_t x = seed;
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        s[i] = al[(x >> 11) % n];
    }
    return s;
}

static void same_candidates(const pii_engine *e, shape_scan_fn ref, shape_scan_fn fn,
                            const char *name, const char *s, size_t len, size_t from, size_t to)
{
    struct cand_vec a = {0}, b = {0};
    cr_assert(ref(e, (const uint8_t *)s, len, from, to, &a));
    cr_assert(fn(e, (const uint8_t *)s, len, from, to, &b));
    cr_assert_eq(a.n, b.n, "%s [%zu,%zu): %zu candidates vs %zu", name, from, to, b.n, a.n);
    for (size_t i = 0; i < a.n; i++)
        cr_assert(a.v[i].start == b.v[i].start && a.v[i].end == b.v[i].end &&
                      a.v[i].det == b.v[i].det && a.v[i].anchor == b.v[i].anchor,
                  "%s [%zu,%zu): candidate %zu differs (%zu-%zu vs %zu-%zu)", name, from, to, i,
                  b.v[i].start, b.v[i].end, a.v[i].start, a.v[i].end);
    free(a.v);
    free(b.v);
}

/* Each instruction set's tokenizer proposes exactly the portable one's candidates, whatever
 * the window: the eight-block AVX-512 path computes its trigger rules on other data layouts. */
Test(scanner, tokenizer_candidates_identical_in_every_variant)
{
    static const char *const names[] = {"sse2", "avx2", "avx512bw", "avx512vbmi2"};
    const pii_engine *e = t_engine(NULL);
    shape_scan_fn ref = shape_select("scalar");
    cr_assert(ref);
    size_t soup_len, mixed_len;
    char *texts[5];
    size_t lens[5] = {0, 0, 70001, 90001, 0};
    texts[0] = token_soup(60000, &soup_len);
    lens[0] = soup_len;
    texts[1] = mixed_text(&mixed_len, 40);
    lens[1] = mixed_len;
    /* dense: every rule fires; sparse: colon and dash chains sit near their thresholds */
    texts[2] = shape_noise(lens[2], 0x2545f4914f6cdd1dull,
                           "0123456789012345678901234567890123456789abcdefABCDEFXYZ.....::::----,"
                           ",  __()+\n");
    texts[3] = shape_noise(lens[3], 0x9e3779b97f4a7c15ull,
                           "0123456789abcdefghijklmnopqrstuvwxyzabcdefabcdef0123456789:-.  ");
    /* lone addresses in prose, each the only colon chain of its blocks, at drifting offsets */
    texts[4] = malloc(200000);
    for (size_t k = 0; lens[4] < 199000; k++) {
        static const char *const lone[] = {"2001:0db8:85a3:0000:0000:8a2e:0370:7334",
                                           "fe80::1",
                                           "00:1a:2b:3c:4d:5e",
                                           "84-41-67-32-db-e1",
                                           "0011.43e3.bac3",
                                           "1:2:3:4:5:6:7:8",
                                           "37.7749  ,-122.4194",
                                           "0011.43e.bac3",
                                           "a011.43e3.bac3",
                                           "529.982.247-25",
                                           "11.222.333/0001-81",
                                           "12.ABC.345/01DE-35",
                                           "VAT DE 136 695 976",
                                           "CHE-107.787.577 MWST",
                                           "ust ATU13585627"};
        const char *v = lone[k % (sizeof lone / sizeof *lone)];
        lens[4] += (size_t)snprintf(texts[4] + lens[4], 1000, "%.*s %s ", (int)(k * 37 % 150),
                                    "the quick brown fox jumps over the lazy dog and the quick"
                                    " brown fox jumps over the lazy dog and the quick brown fox"
                                    " jumps over the lazy dog and the end",
                                    v);
    }
    for (size_t n = 0; n < sizeof names / sizeof *names; n++) {
        shape_scan_fn fn = shape_select(names[n]);
        if (!fn) continue; /* this CPU lacks it */
        for (size_t t = 0; t < 5; t++) {
            size_t len = lens[t];
            same_candidates(e, ref, fn, names[n], texts[t], len, 0, len);
            static const size_t cuts[] = {1, 63, 64, 65, 511, 512, 513, 4097};
            for (size_t c = 0; c < sizeof cuts / sizeof *cuts; c++) {
                size_t from = cuts[c], to = len - cuts[c] * 3;
                same_candidates(e, ref, fn, names[n], texts[t], len, from, to);
                same_candidates(e, ref, fn, names[n], texts[t], len, 0, from + 700);
            }
        }
    }
    for (size_t t = 0; t < 5; t++) free(texts[t]);
}

/* Where windows and 64-byte blocks fall must not change any finding (a '-' run examined before
 * the ':' run it touches once hid a MAC address, at some alignments only). */
Test(scanner, token_soup_is_independent_of_chunks_and_alignment)
{
    size_t len;
    char *s = token_soup(200000, &len);
    struct tfinds ref = t_scan(t_engine(NULL), s, len, 0, 0);
    cr_assert_gt(ref.n, 1000);
    static const size_t chunks[] = {4999, 65536, 1000};
    for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
        struct tfinds got = t_scan(t_engine(NULL), s, len, 0, chunks[c]);
        char what[64];
        snprintf(what, sizeof what, "chunk %zu", chunks[c]);
        t_assert_same(&ref, &got, what);
        t_free(&got);
    }
    /* the same text after 1..63 bytes of padding: the same findings, shifted */
    for (size_t pad = 1; pad < 64; pad += 5) {
        char *q = malloc(len + pad);
        memset(q, '\n', pad);
        memcpy(q + pad, s, len);
        struct tfinds got = t_scan(t_engine(NULL), q, len + pad, 0, 0);
        cr_assert_eq(got.n, ref.n, "pad %zu: %zu findings vs %zu", pad, got.n, ref.n);
        for (size_t i = 0; i < ref.n; i++) {
            cr_assert_str_eq(got.v[i].detector, ref.v[i].detector, "pad %zu #%zu", pad, i);
            cr_assert_eq(got.v[i].offset, ref.v[i].offset + pad, "pad %zu #%zu", pad, i);
            cr_assert_eq(got.v[i].length, ref.v[i].length, "pad %zu #%zu", pad, i);
        }
        t_free(&got);
        free(q);
    }
    t_free(&ref);
    free(s);
}

Test(scanner, mac_after_a_dashed_number_is_found)
{
    const char *s = "at 12.34.56-00:1a:2b:3c:4d:5e\n";
    struct tfinds f = t_scan(t_engine(NULL), s, strlen(s), 0, 0);
    cr_expect_eq(t_count(&f, "mac_address", "00:1a:2b:3c:4d:5e"), 1);
    t_free(&f);
}

/* Regression: the tokenizer visits a word from the 64-byte block holding its trigger (for an
 * IPv6 address, the hex digit before the first colon), which can lie past a window's limit
 * while the word starts before it; such a word was then decided by neither window. The first
 * window's limit is KEEP (256) + chunk: the IPv6 address is put at every offset around it. */
Test(scanner, word_starting_just_before_a_window_limit)
{
    static const char ip[] = "fe80::1c2b:3cff:fe4d:5e6f mac 3c:5a:b4:11:22:33 ok\n";
    static char s[8192];
    for (size_t at = 290; at < 340; at++) {
        /* followed by more than the overlap, so the first window is not the last */
        memset(s, ' ', sizeof s);
        s[0] = 'x';
        memcpy(s + at, ip, sizeof ip - 1);
        size_t len = sizeof s;
        struct tfinds ref = t_scan(t_engine(NULL), s, len, 0, 0);
        cr_assert_eq(ref.n, 2);
        for (size_t chunk = 30; chunk <= 90; chunk++) {
            struct tfinds got = t_scan(t_engine(NULL), s, len, 0, chunk);
            char what[64];
            snprintf(what, sizeof what, "address at %zu, chunk %zu", at, chunk);
            t_assert_same(&ref, &got, what);
            t_free(&got);
        }
        t_free(&ref);
    }
}

static int collect_allowed(const pii_finding *f, void *user)
{
    int *n = user;
    n[0]++;
    if (f->allowed) n[1]++;
    return 0;
}

/* Hyperscan reports the marker, so windows without one skip the per-finding search; an
 * engine without a Hyperscan database (shape detectors only) still honours markers. */
Test(scanner, allow_markers_with_and_without_a_database)
{
    const char *s = "host 203.0.114.9 # piiscan:allow ipv4 lab address\n"
                    "host 198.51.99.7\n"
                    "# piiscan:allow-next-line\n"
                    "host 198.51.99.8\n";
    static const char *const sets[] = {NULL, "ipv4"};
    for (size_t k = 0; k < 2; k++) {
        const pii_engine *e = t_engine(sets[k]);
        pii_scanner *sc = NULL;
        pii_error err = PII_ERROR_INIT;
        pii_scan_opts o;
        pii_scan_opts_init(&o);
        o.inline_allow = 1;
        cr_assert_eq(pii_scanner_new(e, &o, &sc, &err), PII_OK);
        int n[2] = {0, 0};
        cr_assert_eq(pii_scan_buffer(sc, s, strlen(s), collect_allowed, n, &err), PII_OK);
        cr_expect_eq(n[0], 3, "%s: findings", sets[k] ? sets[k] : "all");
        cr_expect_eq(n[1], 2, "%s: allowed", sets[k] ? sets[k] : "all");
        pii_scanner_free(sc);
    }
}

/* A bare 10- or 11-digit run is proposed as a phone only when it fits the NANP plan, the
 * phone validator's rule: epoch seconds and counters ("1131566461") cost no candidate, a
 * number does, and the findings are the validator's either way. */
Test(scanner, bare_digit_runs_proposed_as_phones_only_within_the_plan)
{
    const pii_engine *e = t_engine("phone");
    static const struct {
        const char *s;
        size_t n;
    } cases[] = {
        {"t=1131566461 x", 0},  {"n 0123456789 x", 0},
        {"n 2195550123 x", 1},  {"n 12195550123 x", 1},
        {"n 11315664612 x", 0}, {"n 2099110123 x", 0}, /* area 209, N11 exchange 911 */
        {"n 2115550123 x", 0},  {"n 2925550123 x", 0}, /* N11 area, middle digit 9 */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct cand_vec cv = {0};
        size_t len = strlen(cases[i].s);
        cr_assert(shape_scan(e, (const uint8_t *)cases[i].s, len, 0, len, &cv));
        cr_expect_eq(cv.n, cases[i].n, "%s: %zu candidates", cases[i].s, cv.n);
        free(cv.v);
    }
}

/* Line numbers and columns against a count made here, for lines of every length from empty to
 * past 64 bytes (the line counter reads 16 bytes a step and its tail as the 16 bytes ending at
 * a finding), "\r\n" endings, and several addresses on one line, at chunk sizes that put
 * window edges everywhere. */
Test(scanner, lines_and_columns_at_every_line_length)
{
    static char s[12000];
    struct {
        uint64_t off, line, col;
    } want[400];
    size_t len = 0, nw = 0;
    uint64_t line = 1, ls = 0;
    uint32_t r = 12345;
    for (int l = 0; l < 300 && len < sizeof s - 200; l++) {
        r = r * 1103515245u + 12345u;
        size_t pad = (r >> 8) % 90, ips = (r >> 20) % 3;
        for (size_t i = 0; i < pad; i++) s[len++] = (i % 7 == 6) ? ' ' : 'z';
        for (size_t k = 0; k < ips && nw < 400; k++) {
            if (len > ls && s[len - 1] != ' ') s[len++] = ' ';
            want[nw].off = len;
            want[nw].line = line;
            want[nw].col = len - ls + 1;
            nw++;
            len += (size_t)snprintf(s + len, 32, "11.%u.%u.%u", l % 200, (unsigned)k, l % 250 + 1);
        }
        if ((r >> 28) & 1) s[len++] = '\r';
        s[len++] = '\n';
        line++;
        ls = len;
    }
    static const size_t chunks[] = {1, 7, 64, 4096, 0};
    for (size_t c = 0; c < ARRAY_LEN(chunks); c++) {
        struct tfinds got = t_scan(t_engine("ipv4"), s, len, chunks[c] == 1 ? 333 : 0, chunks[c]);
        cr_assert_eq(got.n, nw, "chunk %zu: %zu findings, want %zu", chunks[c], got.n, nw);
        for (size_t i = 0; i < nw; i++) {
            cr_expect_eq(got.v[i].offset, want[i].off, "chunk %zu, #%zu", chunks[c], i);
            cr_expect_eq(got.v[i].line, want[i].line, "chunk %zu, #%zu", chunks[c], i);
            cr_expect_eq(got.v[i].column, want[i].col, "chunk %zu, #%zu", chunks[c], i);
        }
        t_free(&got);
    }
}

/* The marker search of engines without a Hyperscan database compares three of the marker's
 * bytes 16 positions at a time: the marker at every offset of buffers of every length around
 * that step (the tail is searched apart), and near misses that share those three bytes. */
Test(scanner, allow_mark_at_every_offset)
{
    char b[96];
    for (size_t len = 0; len <= sizeof b; len++) {
        for (size_t at = 0; at + ALLOW_MARK_LEN <= len; at++) {
            memset(b, 'p', sizeof b);
            memcpy(b + at, ALLOW_MARK, ALLOW_MARK_LEN);
            cr_assert(allow_mark_in((const uint8_t *)b, len), "len %zu at %zu", len, at);
            b[at + 3] = 'x'; /* "piixcan:allow": first, ':' and last bytes still there */
            cr_assert(!allow_mark_in((const uint8_t *)b, len), "len %zu at %zu", len, at);
        }
        memset(b, 'p', sizeof b);
        if (len >= ALLOW_MARK_LEN) memcpy(b + len - ALLOW_MARK_LEN, ALLOW_MARK, ALLOW_MARK_LEN - 1);
        cr_assert(!allow_mark_in((const uint8_t *)b, len), "cut marker, len %zu", len);
    }
}

/* pii_scan_buffer reads its windows in place from the caller's buffer instead of copying them:
 * the same findings as feeding the bytes (13 at a time), at chunk sizes that cut windows
 * everywhere, for an input whose length is and is not a whole number of windows, with a CSV
 * header (read from the first window) and without a Hyperscan database. */
Test(scanner, scan_buffer_in_place_equals_feeding)
{
    static const char *const rec[] = {
        "name,email,ip\n",
        "Ann Lee,ann.lee@northwind-mail.com,11.2.3.4\n",
        "ts=1 src=11.9.8.7 card 4539 1488 0343 6467 cvv 123 mac 3c:5a:b4:11:22:33\n",
        "{\"user\":\"kwalker\",\"password\":\"Sup3rS3cret!\",\"phone\":\"+1 650-825-5835\"}\n",
        "iban DE62370400440532013001 from 11.20.30.40 # piiscan:allow ipv4 lab\n",
    };
    static char s[9000];
    size_t len = 0;
    for (size_t i = 0; len + 200 < sizeof s; i++) {
        const char *r = rec[i == 0 ? 0 : 1 + i % (ARRAY_LEN(rec) - 1)];
        memcpy(s + len, r, strlen(r));
        len += strlen(r);
        for (size_t k = 0; k < i % 5; k++) s[len++] = ' ';
    }
    static const char *const sets[] = {NULL, "ipv4,mac_address"};
    static const size_t chunks[] = {1, 7, 64, 4096, 0};
    for (size_t k = 0; k < ARRAY_LEN(sets); k++)
        for (size_t c = 0; c < ARRAY_LEN(chunks); c++)
            for (size_t cut = 0; cut < 2; cut++) {
                const pii_engine *e = t_engine(sets[k]);
                size_t n = len - cut * 101;
                struct tfinds ref = t_scan(e, s, n, 13, chunks[c]);
                pii_scan_opts o;
                pii_scan_opts_init(&o);
                if (chunks[c]) o.chunk_size = chunks[c];
                pii_scanner *sc = NULL;
                pii_error err = PII_ERROR_INIT;
                cr_assert_eq(pii_scanner_new(e, &o, &sc, &err), PII_OK);
                struct tfinds got = {0};
                cr_assert_eq(pii_scan_buffer(sc, s, n, t_collect, &got, &err), PII_OK);
                cr_assert_eq(pii_scanner_bytes(sc), n);
                /* and the scanner's own window is back: feeding works as before */
                struct tfinds again = {0};
                cr_assert_eq(pii_scanner_begin(sc), PII_OK);
                cr_assert_eq(pii_scanner_feed(sc, s, n, t_collect, &again, &err), PII_OK);
                cr_assert_eq(pii_scanner_end(sc, t_collect, &again, &err), PII_OK);
                char what[96];
                snprintf(what, sizeof what, "%s, chunk %zu, %zu bytes", sets[k] ? sets[k] : "all",
                         chunks[c], n);
                cr_assert_gt(ref.n, 100, "%s", what);
                t_assert_same(&ref, &got, what);
                t_assert_same(&ref, &again, what);
                t_free(&ref);
                t_free(&got);
                t_free(&again);
                pii_scanner_free(sc);
            }
}

/* pii_scan_opts.no_lines: the same findings, streamed at several chunk sizes or scanned as
 * segments, with line 1 and column offset + 1 (nothing counts newlines), and no newlines in a
 * segment's info. */
Test(scanner, no_lines_gives_the_same_findings_on_line_one)
{
    size_t len;
    char *s = mixed_text(&len, 40);
    const pii_engine *e = t_engine(NULL);
    static const size_t chunks[] = {7, 4096, 0};
    for (size_t c = 0; c < ARRAY_LEN(chunks); c++) {
        struct tfinds ref = t_scan(e, s, len, 0, chunks[c]);
        cr_assert_gt(ref.n, 200);
        pii_scan_opts o;
        pii_scan_opts_init(&o);
        o.chunk_size = chunks[c];
        o.no_lines = 1;
        pii_scanner *sc = NULL;
        pii_error err = PII_ERROR_INIT;
        cr_assert_eq(pii_scanner_new(e, &o, &sc, &err), PII_OK);
        struct tfinds got = {0}, seg = {0};
        cr_assert_eq(pii_scan_buffer(sc, s, len, t_collect, &got, &err), PII_OK);
        pii_segment_info info;
        cr_assert_eq(pii_scan_segment(sc, s, len, 0, len, t_collect, &seg, &info, &err), PII_OK);
        cr_assert_eq(info.newlines, 0);
        cr_assert_eq(got.n, ref.n);
        cr_assert_eq(seg.n, ref.n);
        for (size_t i = 0; i < ref.n; i++) {
            cr_assert_eq(got.v[i].line, 1);
            cr_assert_eq(got.v[i].column, got.v[i].offset + 1);
            cr_assert_eq(seg.v[i].line, 1);
            cr_assert_eq(seg.v[i].column, seg.v[i].offset + 1);
            /* everything else as with line numbers */
            got.v[i].line = seg.v[i].line = ref.v[i].line;
            got.v[i].column = seg.v[i].column = ref.v[i].column;
        }
        t_assert_same(&ref, &got, "no_lines, streamed");
        t_assert_same(&ref, &seg, "no_lines, one segment");
        t_free(&ref);
        t_free(&got);
        t_free(&seg);
        pii_scanner_free(sc);
    }
    free(s);
}

/* pii_scan_opts.presence_only: the same findings (detector, place, sensitivity) as a full scan
 * at every min_confidence, structured records and context words included; a confidence may
 * be lower (context not looked at), never higher. */
Test(scanner, presence_only_reports_the_same_findings)
{
    static const char *const extra[] = {
        "{\"user\":\"kwalker\",\"password\":\"Sup3rS3cret!\",\"phone\":\"+1 650-825-5835\"}\n",
        "name,email,ip,ssn\nAnn Lee,ann.lee@northwind-mail.com,11.2.3.4,536228142\n",
        "order 4155550123 shipped; call 4155550123 or ip 10.1.2.3 version 10.0.19041.1\n",
        "card 4539 1488 0343 6467 cvv 123 exp 12/27 acct 000123456789 routing 021000021\n",
    };
    size_t len;
    char *base = mixed_text(&len, 6);
    size_t cap = len + 2048;
    char *s = malloc(cap);
    cr_assert(s);
    memcpy(s, base, len);
    for (size_t i = 0; i < ARRAY_LEN(extra); i++) {
        memcpy(s + len, extra[i], strlen(extra[i]));
        len += strlen(extra[i]);
    }
    free(base);
    const pii_engine *e = t_engine(NULL);
    static const int mins[] = {0, 50, 85, 95};
    for (size_t m = 0; m < ARRAY_LEN(mins); m++) {
        struct tfinds f[2] = {{0}, {0}};
        for (int p = 0; p < 2; p++) {
            pii_scan_opts o;
            pii_scan_opts_init(&o);
            o.min_confidence = mins[m];
            o.presence_only = p;
            f[p] = t_scan_opts(e, s, len, &o);
        }
        cr_assert_gt(f[0].n, mins[m] >= 95 ? 5 : 40, "min %d", mins[m]);
        cr_assert_eq(f[1].n, f[0].n, "min %d: %zu findings, %zu with presence_only", mins[m],
                     f[0].n, f[1].n);
        size_t lower = 0;
        for (size_t i = 0; i < f[0].n; i++) {
            const struct tfind *a = &f[0].v[i], *b = &f[1].v[i];
            lower += b->confidence < a->confidence;
            cr_assert_str_eq(a->detector, b->detector);
            cr_assert_eq(a->offset, b->offset);
            cr_assert_eq(a->length, b->length);
            cr_assert_eq(a->sensitive, b->sensitive);
            cr_assert_eq(a->ccpa, b->ccpa);
            cr_assert_leq(b->confidence, a->confidence);
            cr_assert_geq(b->confidence, mins[m]);
        }
        /* and context was left out somewhere: the case this option is for */
        if (mins[m] <= 50) cr_assert_gt(lower, 0, "min %d", mins[m]);
        t_free(&f[0]);
        t_free(&f[1]);
    }
    free(s);
}

/* The tokenizer visits only the words its trigger rules pick (the speed of the scan); a word
 * they pass over must be one dispatch() would propose nothing for. Every variant's findings
 * equal those of the reference that visits every word, on the soup of shapes, dense noise and
 * the cases the rules single out: an identifier's numeric tail ("host-10-105-162-178",
 * "R02-M1-15.42.50"), a group after '_', ten digits from a 0 or 1 (epoch seconds) and the same
 * after '+' or '(', a CPF or CNPJ after a tail. */
Test(scanner, trigger_rules_lose_no_finding_against_every_word)
{
    static const char *const cases[] = {
        "calvisitor-10-105-162-178 ",
        "R02-M1-N0 2005-06-03-15.42.50.675872 ",
        "x_536-22-8142 ",
        "a-536-22-8142 ",
        " 536-22-8142 ",
        "id-415-872-2671 ",
        "_415-872-2671 ",
        "- 1117838570 2005.06.03 ",
        "0123456789 ",
        "+1117838570 ",
        "(111) 783-8570 ",
        "call 2117838570 ",
        "tel 1 415 872 2671 ",
        "x-529.982.247-25 ",
        "_529.982.247-25 ",
        "a-11.222.333/0001-81 ",
        "q-81.5 ",
        "ip x-10.1.2.3 ",
        "ip _10.1.2.3 ",
        "n-4539-1488-0343-6467 ",
        "_4539 1488 0343 6467 ",
        "1-800-555-0199 ",
        "x-1-800-555-0199 ",
        "imei 35-209900-176148-1 ",
        "_35-209900-176148-1 ",
        "geo x-37.77,-122.41 ",
        "fe80::1c2b:3cff:fe4d:5e6f ",
        "mac host-3c-5a-b4-11-22-33 ",
        "call 14158722671 ",
        "ssn 012456789 ",
        "phone -415-872-2671 ",
        "tel .1-800-555-0199 ",
        "x -4539-1488-0343-6467 ",
        "call -1-800-555-0199 ",
        "id 123456789012 ",
        "tel +441234567890 ",
        "tel (441234567890) ",
        "ts 1117838570123 ",
    };
    size_t cl = 0;
    char *crafted = malloc(64 * 1024);
    cr_assert(crafted);
    for (size_t k = 0; cl < 60000; k++) {
        const char *c = cases[k % ARRAY_LEN(cases)];
        /* drift across block edges: 0-62 bytes of filler first */
        cl += (size_t)snprintf(crafted + cl, 4096, "%.*s%s\n", (int)(k * 29 % 63),
                               "word word word word word word word word word word word word word "
                               "word word word word word word ",
                               c);
    }
    size_t soup_len, mixed_len;
    char *texts[4] = {crafted, token_soup(80000, &soup_len), mixed_text(&mixed_len, 30),
                      shape_noise(90001, 0x5851f42d4c957f2dull,
                                  "0123456789012345678901234567890123456789abcdefAF.....::----__"
                                  "__,  ()+\n")};
    size_t lens[4] = {cl, soup_len, mixed_len, 90001};
    static const char *const names[] = {"scalar", "sse2", "avx2", "avx512bw", "avx512vbmi2"};
    static const char *const sets[] = {NULL, "phone,us_ssn,credit_card,ipv4"};
    for (size_t k = 0; k < ARRAY_LEN(sets); k++) {
        pii_engine *e = (pii_engine *)(uintptr_t)t_engine(sets[k]);
        shape_scan_fn keep = e->shape_scan;
        for (size_t t = 0; t < ARRAY_LEN(texts); t++) {
            e->shape_scan = shape_select("every-word");
            cr_assert(e->shape_scan);
            struct tfinds ref = t_scan(e, texts[t], lens[t], 0, 0);
            cr_assert_gt(ref.n, t == 3 ? 0 : 50, "text %zu: %zu findings", t, ref.n);
            for (size_t n = 0; n < ARRAY_LEN(names); n++) {
                if (!(e->shape_scan = shape_select(names[n]))) continue; /* not on this CPU */
                struct tfinds got = t_scan(e, texts[t], lens[t], 0, 0);
                char what[96];
                snprintf(what, sizeof what, "%s, %s, text %zu", names[n], sets[k] ? sets[k] : "all",
                         t);
                t_assert_same(&ref, &got, what);
                t_free(&got);
            }
            t_free(&ref);
        }
        e->shape_scan = keep;
    }
    for (size_t t = 0; t < ARRAY_LEN(texts); t++) free(texts[t]);
}
