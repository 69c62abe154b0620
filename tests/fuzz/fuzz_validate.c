/* fuzz_validate.c: libFuzzer target for the validators: byte 0 picks one, the rest is a buffer
 * checked as a shape candidate and at anchors. Knows them only by validator_find() and vctx. */
#include "pii_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t n_names;

static void need(int ok)
{
    if (!ok) abort();
}

/* One call as a finder would make it, on buf[0..len) (an exact heap copy: ASan sees any read
 * outside it), then the contract of what an accepting validator returns. */
static void run(validate_fn fn, const uint8_t *buf, size_t len, size_t start, size_t end,
                size_t anchor)
{
    struct vctx v;
    memset(&v, 0, sizeof v);
    v.buf = buf;
    v.lo = 0;
    v.hi = len;
    v.start = start;
    v.end = end;
    v.anchor = anchor;
    if (!fn(&v)) return;
    need(v.lo == 0 && v.hi == len && v.buf == buf);
    need(v.start <= v.end && v.end <= len);
    /* a candidate longer than PII_MAX_MATCH never comes from a finder: no bound to check then */
    if (end - start <= PII_MAX_MATCH) need(v.end - v.start <= PII_MAX_MATCH);
    need(v.norm_len < sizeof v.norm);
    need(v.conf >= -100 && v.conf <= 100);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *const *names = validator_names();
    while (names[n_names]) {
        need(validator_find(names[n_names]) != NULL);
        n_names++;
    }
    need(n_names > 0);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    const char *name = validator_names()[data[0] % n_names];
    validate_fn fn = validator_find(name);
    size_t len = size - 1;
    uint8_t *buf = malloc(len ? len : 1);
    need(buf != NULL);
    if (len) memcpy(buf, data + 1, len);

    /* a shape candidate: the whole buffer, and the buffer less one byte at each end */
    run(fn, buf, len, 0, len, 0);
    if (len > 2) run(fn, buf, len, 1, len - 1, 0);
    /* an anchor: start = end = anchor, at both ends, the middle, and after the first few bytes
     * an anchor expression typically ends with */
    run(fn, buf, len, 0, 0, 0);
    run(fn, buf, len, len / 2, len / 2, len / 2);
    run(fn, buf, len, len, len, len);
    unsigned tries = 0;
    for (size_t i = 0; i < len && tries < 16; i++) {
        if (!memchr("@=:/ -_\"'", buf[i], 9)) continue;
        run(fn, buf, len, i + 1, i + 1, i + 1);
        tries++;
    }
    free(buf);
    return 0;
}
