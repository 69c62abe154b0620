/* fuzz_source.c: libFuzzer target for the source layer: bytes -> a source over a memfd or a pipe,
 * every member and every byte read. Knows only the public pii_source_* API; no scanning. */
#define _GNU_SOURCE
#include "piiscan.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* libarchive (3.6) allocates what a header claims before it finds the input short: a cpio
 * member name of up to 4 GiB. In a release build that is an untouched virtual allocation (and a
 * header whose bytes do follow is stopped at 64 MiB, source_archive.c); under ASan each such
 * allocation and its free take seconds of shadow memory, and inputs that make one time out.
 * Here an allocation over 1 GiB fails instead, as it may on any machine: this harness bounds
 * every piiscan buffer far below that (the options below), so only libarchive asks for one,
 * and the error path it then takes is the one fuzzed. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1:max_allocation_size_mb=1024";
}

/* Byte 0 picks how the rest is presented:
 *   bit 0  PII_SOURCE_FORCE_ZLIB (gzip through zlib rather than ISA-L)
 *   bit 1  a pipe (not seekable: zip and 7z are spooled) rather than a memfd
 *   bit 2  max_depth 1 (an archive inside an archive is a limit error) rather than 4
 *   bit 3  PII_SOURCE_ZIP_LIBARCHIVE (zip through libarchive, not the central-directory reader,
 *          source_zip.c, which every other input with a zip in it exercises)
 *   bit 4  the kept source (below) is left in the middle of a member for the next input
 * Each input is read twice, by a new source and by the kept one, and both must agree. */
#define PIPE_MAX 60000u /* what fits in a pipe's buffer without a writer thread */

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* An fd reading exactly data[0..n) from its start, or -1. */
static int open_input(const uint8_t *data, size_t n, int as_pipe)
{
    if (as_pipe && n <= PIPE_MAX) {
        int p[2];
        if (pipe2(p, O_CLOEXEC)) return -1;
        if (fcntl(p[1], F_SETPIPE_SZ, 65536) < 0 || write_all(p[1], data, n)) {
            close(p[0]);
            close(p[1]);
            return -1;
        }
        close(p[1]);
        return p[0];
    }
    int fd = memfd_create("fuzz_source", MFD_CLOEXEC);
    if (fd < 0) return -1;
    if (write_all(fd, data, n) || lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads every member of s to its end; returns a digest of what came out (names, formats,
 * bytes, statuses, stats) so that two sources over the same bytes can be compared. */
static uint64_t drain(pii_source *s, const pii_source_opts *o, size_t size)
{
    uint64_t h = 1469598103934665603ull;
#define MIX(v) (h = (h ^ (uint64_t)(v)) * 1099511628211ull)
    pii_error err = PII_ERROR_INIT;
    /* Every call must end: a bounded number of members, each read to its end or error. */
    const pii_member *m;
    for (unsigned guard = 0; guard < 10000; guard++) {
        pii_status st = pii_source_next_member(s, &m, &err);
        MIX(st);
        if (st == PII_END || st == PII_ERR_NOMEM) break;
        if (st < 0) continue;
        if (st != PII_OK || !m || !m->name || !m->format) abort();
        for (const char *c = m->name; *c; c++) MIX(*c);
        for (const char *c = m->format; *c; c++) MIX(*c);
        MIX(m->depth);
        if (m->skip) continue;
        const void *buf;
        size_t len;
        while ((st = pii_source_read(s, &buf, &len, &err)) == PII_OK) {
            if (!len || !buf) abort();
            const uint8_t *b = buf;
            for (size_t i = 0; i < len; i++) MIX(b[i]); /* ASan checks every byte returned */
        }
        MIX(st);
        for (const char *c = pii_source_error_member(s); *c; c++) MIX(*c);
    }
    pii_source_stats st;
    pii_source_stats_get(s, &st);
    /* decoders' output is bounded by max_input_size; a plain input's own bytes are not */
    if (st.expanded_bytes > o->max_input_size + size) abort();
    MIX(st.members);
    MIX(st.compressed_bytes);
    MIX(st.expanded_bytes);
    MIX(st.skipped);
    MIX(st.errors);
    MIX(st.max_depth_seen);
#undef MIX
    return h;
}

/* One source kept from input to input (pii_source_reopen_fd, as a scanning thread keeps one):
 * whatever the last input left in it, it must give what a new source gives. */
static pii_source *kept;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    unsigned sel = data[0];
    data++;
    size--;

    pii_source_opts o;
    pii_source_opts_init(&o);
    o.flags =
        ((sel & 1u) ? PII_SOURCE_FORCE_ZLIB : 0) | ((sel & 8u) ? PII_SOURCE_ZIP_LIBARCHIVE : 0);
    o.max_depth = (sel & 4u) ? 1 : 4;
    o.max_member_size = 1u << 20;
    o.max_input_size = 4u << 20;
    o.ratio_min = 64u << 10;
    o.max_ratio = 200;
    o.max_members = 64;

    int fd = open_input(data, size, (sel & 2u) != 0);
    int fd2 = open_input(data, size, (sel & 2u) != 0);
    if (fd < 0 || fd2 < 0) abort(); /* the harness itself failed: not an input's fault */

    pii_source *s = NULL;
    pii_error err = PII_ERROR_INIT;
    if (pii_source_open_fd(fd, "fuzz", &o, &s, &err) != PII_OK) abort();
    uint64_t fresh = drain(s, &o, size);
    pii_source_free(s);
    close(fd);

    if (kept ? pii_source_reopen_fd(kept, fd2, "fuzz", &o, &err)
             : pii_source_open_fd(fd2, "fuzz", &o, &kept, &err))
        abort();
    if (drain(kept, &o, size) != fresh) abort();
    /* bit 4: leave the next input a source in the middle of its first member */
    if (sel & 16u) {
        pii_source_reopen_fd(kept, fd2, "fuzz", &o, &err);
        const pii_member *m;
        const void *buf;
        size_t len;
        if (lseek(fd2, 0, SEEK_SET) == 0 && pii_source_next_member(kept, &m, &err) == PII_OK &&
            !m->skip)
            (void)pii_source_read(kept, &buf, &len, &err);
    }
    close(fd2);
    return 0;
}
