/* source_sniff.c: magic-byte format detection for sources (compressions and archives).
 * Looks at bytes only: never at file names, and knows nothing of how formats are decoded. */
#include "source.h"

#include <string.h>

static bool has(const uint8_t *p, size_t n, size_t off, const void *magic, size_t len)
{
    return n >= off + len && memcmp(p + off, magic, len) == 0;
}

/* A pre-POSIX (v7) tar header: no magic, but a checksum over the 512-byte block. */
static bool tar_v7(const uint8_t *p, size_t n)
{
    if (n < 512 || p[0] == 0) return false;
    unsigned long sum = 0, want = 0;
    for (size_t i = 0; i < 512; i++) sum += (i >= 148 && i < 156) ? ' ' : p[i];
    size_t i = 148;
    while (i < 156 && p[i] == ' ') i++;
    size_t digits = 0;
    for (; i < 156 && p[i] >= '0' && p[i] <= '7'; i++, digits++) want = want * 8 + (p[i] - '0');
    if (!digits || (i < 156 && p[i] != 0 && p[i] != ' ')) return false;
    /* the name field must be text, or anything with a valid-looking sum would pass */
    for (size_t j = 0; j < 100 && p[j]; j++)
        if (p[j] < 0x20 || p[j] == 0x7f) return false;
    return sum == want;
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i]) return false;
    return true;
}

enum sniff_kind source_sniff(const uint8_t *p, size_t n)
{
    if (has(p, n, 0, "\x1f\x8b\x08", 3)) return SNIFF_GZIP;
    if (has(p, n, 0, "\x28\xb5\x2f\xfd", 4)) return SNIFF_ZSTD;
    /* zstd skippable frame: 0x184D2A5? little-endian */
    if (n >= 4 && (p[0] & 0xf0) == 0x50 && p[1] == 0x2a && p[2] == 0x4d && p[3] == 0x18)
        return SNIFF_ZSTD;
    if (n >= 10 && p[0] == 'B' && p[1] == 'Z' && p[2] == 'h' && p[3] >= '1' && p[3] <= '9' &&
        (has(p, n, 4, "\x31\x41\x59\x26\x53\x59", 6) ||
         has(p, n, 4, "\x17\x72\x45\x38\x50\x90", 6)))
        return SNIFF_BZIP2;
    if (has(p, n, 0,
            "\xfd"
            "7zXZ\x00",
            6))
        return SNIFF_XZ;
    if (has(p, n, 0, "\x04\x22\x4d\x18", 4)) return SNIFF_LZ4;
    if (has(p, n, 0, "PK\x03\x04", 4) || has(p, n, 0, "PK\x05\x06", 4) ||
        has(p, n, 0, "PK\x07\x08", 4))
        return SNIFF_ZIP;
    if (has(p, n, 0, "7z\xbc\xaf\x27\x1c", 6)) return SNIFF_7Z;
    if (has(p, n, 0, "!<arch>\n", 8)) return SNIFF_AR;
    if (has(p, n, 0, "070707", 6) || has(p, n, 0, "070701", 6) || has(p, n, 0, "070702", 6))
        return SNIFF_CPIO;
    if (n >= 26 && ((p[0] == 0xc7 && p[1] == 0x71) || (p[0] == 0x71 && p[1] == 0xc7)))
        return SNIFF_CPIO;
    if (has(p, n, 257, "ustar", 5)) return SNIFF_TAR;
    if (has(p, n, 0x8001, "CD001", 5)) return SNIFF_ISO;
    if (tar_v7(p, n)) return SNIFF_TAR;
    /* an empty tar is only its end marker and padding: a short stream of zero blocks (a long
     * run of zeros is data, to be skipped as binary or scanned) */
    if (n >= 1024 && n < SNIFF_MAX && n % 512 == 0 && all_zero(p, n)) return SNIFF_TAR;
    /* UTF-16 text by its byte order mark (not UTF-32LE's, FF FE 00 00), and a code unit after */
    if (n >= 4 && p[0] == 0xff && p[1] == 0xfe && (p[2] || p[3])) return SNIFF_UTF16LE;
    if (n >= 4 && p[0] == 0xfe && p[1] == 0xff && (p[2] || p[3])) return SNIFF_UTF16BE;
    return SNIFF_PLAIN;
}

/* Every magic but ISO 9660's lies in the first SNIFF_TEXT_MIN bytes, and every header that
 * follows one, a tar's, a cpio's and an ISO's system area (zeros, or a hybrid image's boot
 * record and partition table) holds a NUL byte long before 32 KiB: bytes without one, with a
 * line end, that source_sniff() calls plain are text. */
#define SNIFF_TEXT_MIN 32

bool source_sniff_text(const uint8_t *p, size_t n)
{
    return n >= SNIFF_TEXT_MIN && !memchr(p, 0, n) && memchr(p, '\n', n) &&
           source_sniff(p, n) == SNIFF_PLAIN;
}

const char *source_sniff_name(enum sniff_kind k)
{
    static const char *const names[] = {"plain", "gzip",     "zstd",     "bzip2",  "xz",
                                        "lz4",   "utf-16le", "utf-16be", "zip",    "7z",
                                        "tar",   "cpio",     "ar",       "iso9660"};
    return (unsigned)k < ARRAY_LEN(names) ? names[k] : "?";
}
