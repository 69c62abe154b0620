/* decode.c: the decompression-alone reference for the compressed-input benchmark: reads every
 * member of an input through the same source layer piiscan uses, and scans nothing. */
#include "piiscan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr,
                "usage: decode FILE   (PIISCAN_GZIP=zlib forces zlib, PIISCAN_ZIP=libarchive)\n");
        return 2;
    }
    pii_source_opts o;
    pii_source_opts_init(&o);
    const char *gz = getenv("PIISCAN_GZIP");
    if (gz && !strcmp(gz, "zlib")) o.flags |= PII_SOURCE_FORCE_ZLIB;
    const char *zip = getenv("PIISCAN_ZIP");
    if (zip && !strcmp(zip, "libarchive")) o.flags |= PII_SOURCE_ZIP_LIBARCHIVE;
    pii_source *s = NULL;
    pii_error err = PII_ERROR_INIT;
    if (pii_source_open_path(argv[1], &o, &s, &err)) {
        fprintf(stderr, "decode: %s: %s\n", argv[1], err.msg);
        return 2;
    }
    unsigned long long bytes = 0;
    int rc = 0;
    const pii_member *m;
    pii_status st;
    while ((st = pii_source_next_member(s, &m, &err)) != PII_END) {
        if (st < 0) {
            fprintf(stderr, "decode: %s: %s\n", err.origin, err.msg);
            rc = 2;
            if (st == PII_ERR_NOMEM) break;
            continue;
        }
        if (m->skip) continue;
        const void *buf;
        size_t len;
        while ((st = pii_source_read(s, &buf, &len, &err)) == PII_OK) bytes += len;
        if (st < 0) {
            fprintf(stderr, "decode: %s: %s\n", err.origin, err.msg);
            rc = 2;
        }
    }
    printf("%llu bytes (%s)\n", bytes, pii_source_gzip_impl(&o));
    pii_source_free(s);
    return rc;
}
