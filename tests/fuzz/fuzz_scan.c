/* fuzz_scan.c: libFuzzer target for the scanner: bytes -> pii_scan_buffer (built-in engine), mask
 * and fingerprint per finding; two uneven tiny-chunk feeds must agree, and so must the
 * tokenizer's reference that visits every word (PIISCAN_SIMD=every-word: the trigger rules
 * lose nothing) and a scan for counting (no_lines, presence_only: the same findings). Public
 * API, no sources. */
#include "piiscan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static pii_engine *engine, *every;
static pii_scanner *whole, *tiny, *ref, *counting;

struct tally {
    size_t n;
    uint64_t hash; /* of (detector, offset, length) in the order reported */
};

static void need(int ok)
{
    if (!ok) abort();
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h;
}

static int on_finding(const pii_finding *f, void *user)
{
    struct tally *t = user;
    need(f->detector && f->match && f->length > 0);
    need(f->confidence >= 0 && f->confidence <= 100);
    need(!f->normalized_len || f->normalized);
    char mask[4200], small[4], fp[68];
    size_t n = pii_finding_mask(f, mask, sizeof mask);
    need(n == strlen(mask) && n <= f->length);
    n = pii_finding_mask(f, small, sizeof small);
    need(n < sizeof small && n == strlen(small));
    n = pii_finding_fingerprint(engine, f, fp, sizeof fp);
    need(n == 67 && fp[67] == 0 && memcmp(fp, "v1:", 3) == 0);
    t->n++;
    t->hash = mix(mix(mix(t->hash, f->detector_index), f->offset), f->length);
    return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    pii_error err = PII_ERROR_INIT;
    pii_detectors *d = NULL;
    need(pii_detectors_new(&d, &err) == PII_OK);
    need(pii_detectors_load_builtin(d, &err) == PII_OK);
    need(pii_engine_compile(d, NULL, &engine, &err) == PII_OK);
    need(setenv("PIISCAN_SIMD", "every-word", 1) == 0);
    need(pii_engine_compile(d, NULL, &every, &err) == PII_OK);
    need(unsetenv("PIISCAN_SIMD") == 0);
    pii_detectors_free(d);
    pii_scan_opts o;
    pii_scan_opts_init(&o);
    o.min_confidence = 0;
    need(pii_scanner_new(engine, &o, &whole, &err) == PII_OK);
    need(pii_scanner_new(every, &o, &ref, &err) == PII_OK);
    o.no_lines = o.presence_only = 1;
    need(pii_scanner_new(engine, &o, &counting, &err) == PII_OK);
    o.no_lines = o.presence_only = 0;
    o.chunk_size = 7;
    need(pii_scanner_new(engine, &o, &tiny, &err) == PII_OK);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pii_error err = PII_ERROR_INIT;
    struct tally a = {0, 0}, b = {0, 0};
    need(pii_scan_buffer(whole, data, size, on_finding, &a, &err) == PII_OK);
    need(pii_scanner_bytes(whole) == size);

    /* the split point follows the data, so the fuzzer explores it too */
    size_t cut = size ? (size_t)data[0] * size / 256 : 0;
    if (cut == size / 2 && cut) cut--; /* uneven */
    need(pii_scanner_begin(tiny) == PII_OK);
    need(pii_scanner_feed(tiny, data, cut, on_finding, &b, &err) == PII_OK);
    need(pii_scanner_feed(tiny, data + cut, size - cut, on_finding, &b, &err) == PII_OK);
    need(pii_scanner_end(tiny, on_finding, &b, &err) == PII_OK);
    need(pii_scanner_bytes(tiny) == size);
    need(a.n == b.n);
    need(a.hash == b.hash);

    struct tally c = {0, 0}, e = {0, 0};
    need(pii_scan_buffer(ref, data, size, on_finding, &c, &err) == PII_OK);
    need(a.n == c.n && a.hash == c.hash);
    need(pii_scan_buffer(counting, data, size, on_finding, &e, &err) == PII_OK);
    need(a.n == e.n && a.hash == e.hash);
    return 0;
}
