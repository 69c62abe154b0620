/* finding.c: what a sink may show of a finding: the masked match and the keyed fingerprint.
 * Knows nothing of how findings are found or written. */
#include "pii_internal.h"

#include <string.h>

size_t pii_mask_keep(size_t length)
{
    return length >= 8 ? 2 : length >= 5 ? 1 : 0;
}

size_t pii_finding_mask(const pii_finding *f, char *out, size_t cap)
{
    if (!f || !out || !cap) return 0;
    size_t n = f->length, keep = pii_mask_keep(n);
    if (n > cap - 1) n = cap - 1;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = f->match[i];
        bool shown = (i < keep || i >= f->length - keep) && c >= 0x21 && c < 0x7f;
        out[i] = shown ? (char)c : '*';
    }
    out[n] = 0;
    return n;
}

size_t pii_finding_fingerprint(const pii_engine *e, const pii_finding *f, char *out, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    if (!e || !f || !out || cap < 68) return 0;
    uint8_t msg[64 + 1 + 4096 + 256], mac[32];
    size_t il = strlen(f->detector), nl = f->normalized_len;
    if (il > 64) il = 64;
    if (nl > sizeof msg - il - 1) nl = sizeof msg - il - 1;
    memcpy(msg, f->detector, il);
    msg[il] = 0;
    memcpy(msg + il + 1, f->normalized, nl);
    hmac_sha256_mac(&e->hmac, msg, il + 1 + nl, mac);
    memcpy(out, "v1:", 3);
    for (int i = 0; i < 32; i++) {
        out[3 + 2 * i] = hex[mac[i] >> 4];
        out[4 + 2 * i] = hex[mac[i] & 15];
    }
    out[67] = 0;
    return 67;
}
