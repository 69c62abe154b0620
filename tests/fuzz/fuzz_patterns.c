/* fuzz_patterns.c: libFuzzer target for the pattern-file parser and the engine compiler: bytes ->
 * pii_detectors_load_mem; when they load, compile and scan a sample line. Public API only. */
#include "piiscan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char SAMPLE[] = "2024-05-01 user=jane.doe@acme-corp.com ip=192.168.10.20 "
                             "card=4539 1488 0343 6467 ssn=078-05-1120 tel=+1 415 555 0132\n";

static int on_finding(const pii_finding *f, void *user)
{
    if (!f->detector || f->offset + f->length > sizeof SAMPLE - 1) abort();
    ++*(size_t *)user;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pii_error err = PII_ERROR_INIT;
    pii_detectors *d = NULL;
    if (pii_detectors_new(&d, &err) != PII_OK) abort();
    pii_status st = pii_detectors_load_mem(d, (const char *)data, size, "fuzz.tsv", &err);
    if (st == PII_OK) {
        for (size_t i = 0; i < pii_detectors_count(d); i++) {
            pii_detector_info info;
            if (!pii_detectors_info(d, i, &info) || !info.id || !info.validator) abort();
        }
        pii_engine *e = NULL;
        if (pii_engine_compile(d, NULL, &e, &err) == PII_OK) {
            pii_scanner *s = NULL;
            if (pii_scanner_new(e, NULL, &s, &err) == PII_OK) {
                size_t n = 0;
                (void)pii_scan_buffer(s, SAMPLE, sizeof SAMPLE - 1, on_finding, &n, &err);
                pii_scanner_free(s);
            }
            pii_engine_free(e);
        }
    } else if (st > 0 || err.msg[sizeof err.msg - 1] || err.origin[sizeof err.origin - 1]) {
        abort(); /* failures are negative, and their message and origin NUL-terminated */
    }
    pii_detectors_free(d);
    return 0;
}
