/* test_zip.c: zip read through its central directory (source_zip.c) against libarchive's
 * reading of the same bytes, with ISA-L and with zlib: stored and deflated members, data
 * descriptors, zip64, odd names, CRC and size mismatches, damage and truncation at many
 * offsets, fallbacks (other methods, several disks), limits. Zips are built here byte by byte. */
#define _GNU_SOURCE
#include "testutil.h"

#include <archive.h>
#include <archive_entry.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

TestSuite(zip, .init = t_dir_setup, .fini = t_dir_teardown, .timeout = 300);

/* ---- a zip writer with every knob ------------------------------------------------------- */

struct zent {
    const char *name;
    const void *data;
    size_t len;
    int method;      /* 0 stored, 8 deflate, else `raw` is the member's data as is */
    bool descriptor; /* sizes and CRC after the data (flag bit 3) */
    bool zip64;      /* sizes and offset in zip64 extra fields */
    bool bad_cd_crc; /* the directory's CRC is off by one (the local header's is right) */
    bool bad_crc;    /* both CRCs wrong */
    bool bad_size;   /* the directory's uncompressed size is off by one */
    bool encrypted;  /* flag bit 0 (the data is left as is) */
    uint32_t mode;   /* Unix mode in the external attributes (0: none) */
    const void *raw; /* method not 0 or 8, or 8 with `raw` set: these bytes */
    size_t raw_len;
    const char *unicode; /* an Info-ZIP Unicode Path field with this name */
};

struct zbuf {
    uint8_t *p;
    size_t n, cap;
};

static void put(struct zbuf *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 4096;
        b->p = realloc(b->p, b->cap);
        cr_assert(b->p);
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void p16(struct zbuf *b, unsigned v)
{
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    put(b, x, 2);
}

static void p32(struct zbuf *b, uint32_t v)
{
    p16(b, v & 0xffff);
    p16(b, v >> 16);
}

static void p64(struct zbuf *b, uint64_t v)
{
    p32(b, (uint32_t)v);
    p32(b, (uint32_t)(v >> 32));
}

static uint8_t *deflate_raw(const void *in, size_t n, size_t *out_n)
{
    z_stream z = {0};
    cr_assert_eq(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, n) + 16;
    uint8_t *out = malloc(cap);
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    *out_n = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

/* Writes a zip of n entries to path; zip64_end: a zip64 end record and locator. */
static void zip_write(const char *path, const struct zent *e, size_t n, bool zip64_end,
                      unsigned eocd_disk)
{
    struct zbuf b = {0}, cd = {0};
    for (size_t i = 0; i < n; i++) {
        uint32_t crc = (uint32_t)crc32(0, e[i].data, (uInt)e[i].len);
        size_t cl;
        uint8_t *comp = NULL;
        const void *cdata = e[i].data;
        if (e[i].method == 8 && !e[i].raw) {
            comp = deflate_raw(e[i].data, e[i].len, &cl);
            cdata = comp;
        } else if (e[i].method == 0) {
            cl = e[i].len;
        } else {
            cdata = e[i].raw;
            cl = e[i].raw_len;
        }
        if (e[i].bad_crc) crc ^= 1;
        uint64_t lho = b.n;
        size_t nl = strlen(e[i].name);
        unsigned flags = (e[i].descriptor ? 8u : 0u) | (e[i].encrypted ? 1u : 0u);
        bool z64 = e[i].zip64;
        p32(&b, 0x04034b50);
        p16(&b, z64 ? 45 : 20);
        p16(&b, flags);
        p16(&b, (unsigned)e[i].method);
        p32(&b, 0); /* time, date */
        p32(&b, e[i].descriptor ? 0 : crc);
        p32(&b, z64 ? 0xffffffffu : e[i].descriptor ? 0 : (uint32_t)cl);
        p32(&b, z64 ? 0xffffffffu : e[i].descriptor ? 0 : (uint32_t)e[i].len);
        p16(&b, (unsigned)nl);
        p16(&b, z64 ? 20 : 0);
        put(&b, e[i].name, nl);
        if (z64) {
            p16(&b, 1);
            p16(&b, 16);
            p64(&b, e[i].len);
            p64(&b, cl);
        }
        put(&b, cdata, cl);
        if (e[i].descriptor) {
            p32(&b, 0x08074b50);
            p32(&b, crc);
            if (z64) {
                p64(&b, cl);
                p64(&b, e[i].len);
            } else {
                p32(&b, (uint32_t)cl);
                p32(&b, (uint32_t)e[i].len);
            }
        }
        free(comp);
        /* the directory entry */
        size_t ul = e[i].unicode ? strlen(e[i].unicode) : 0;
        p32(&cd, 0x02014b50);
        p16(&cd, e[i].mode ? (3u << 8) | 45 : 45);
        p16(&cd, z64 ? 45 : 20);
        p16(&cd, flags);
        p16(&cd, (unsigned)e[i].method);
        p32(&cd, 0);
        p32(&cd, e[i].bad_cd_crc ? crc ^ 1 : crc);
        p32(&cd, z64 ? 0xffffffffu : (uint32_t)cl);
        p32(&cd, z64 ? 0xffffffffu : (uint32_t)(e[i].len + (e[i].bad_size ? 1 : 0)));
        p16(&cd, (unsigned)nl);
        p16(&cd, (z64 ? 28u : 0u) + (e[i].unicode ? 9u + (unsigned)ul : 0u));
        p16(&cd, 0); /* comment */
        p16(&cd, 0); /* disk */
        p16(&cd, 0);
        p32(&cd, e[i].mode << 16);
        p32(&cd, z64 ? 0xffffffffu : (uint32_t)lho);
        put(&cd, e[i].name, nl);
        if (z64) {
            p16(&cd, 1);
            p16(&cd, 24);
            p64(&cd, e[i].len + (e[i].bad_size ? 1 : 0));
            p64(&cd, cl);
            p64(&cd, lho);
        }
        if (e[i].unicode) {
            p16(&cd, 0x7075);
            p16(&cd, 5 + (unsigned)ul);
            uint8_t v = 1;
            put(&cd, &v, 1);
            p32(&cd, (uint32_t)crc32(0, (const Bytef *)e[i].name, (uInt)nl));
            put(&cd, e[i].unicode, ul);
        }
    }
    uint64_t cd_off = b.n;
    put(&b, cd.p, cd.n);
    if (zip64_end) {
        uint64_t z64_off = b.n;
        p32(&b, 0x06064b50);
        p64(&b, 44);
        p16(&b, 45);
        p16(&b, 45);
        p32(&b, 0);
        p32(&b, 0);
        p64(&b, n);
        p64(&b, n);
        p64(&b, cd.n);
        p64(&b, cd_off);
        p32(&b, 0x07064b50);
        p32(&b, 0);
        p64(&b, z64_off);
        p32(&b, 1);
    }
    p32(&b, 0x06054b50);
    p16(&b, eocd_disk);
    p16(&b, eocd_disk);
    p16(&b, zip64_end ? 0xffff : (unsigned)n);
    p16(&b, zip64_end ? 0xffff : (unsigned)n);
    p32(&b, zip64_end ? 0xffffffffu : (uint32_t)cd.n);
    p32(&b, zip64_end ? 0xffffffffu : (uint32_t)cd_off);
    p16(&b, 0);
    t_write(path, (const char *)b.p, b.n);
    free(b.p);
    free(cd.p);
}

/* ---- reading ---------------------------------------------------------------------------- */

struct got {
    char name[16][256];
    char skip[16][32];
    char *data[16];
    size_t len[16];
    size_t n;
    char errmem[8][256];
    char errmsg[8][256];
    size_t nerr;
};

static struct got *read_all(const char *path, unsigned flags, const pii_source_opts *base)
{
    struct got *g = calloc(1, sizeof *g);
    pii_source_opts o;
    if (base)
        o = *base;
    else
        pii_source_opts_init(&o);
    o.flags |= flags;
    o.tmp_dir = t_dir;
    pii_source *s = NULL;
    pii_error err = PII_ERROR_INIT;
    cr_assert_eq(pii_source_open_path(path, &o, &s, &err), PII_OK);
    const pii_member *m;
    for (int guard = 0; guard < 200; guard++) {
        pii_status st = pii_source_next_member(s, &m, &err);
        if (st == PII_END) break;
        if (st < 0) {
            if (g->nerr < 8) {
                snprintf(g->errmem[g->nerr], 256, "%s", pii_source_error_member(s));
                snprintf(g->errmsg[g->nerr], 256, "%s", err.msg);
            }
            g->nerr++;
            continue;
        }
        cr_assert(g->n < 16);
        size_t i = g->n++;
        snprintf(g->name[i], 256, "%s", m->name);
        if (m->skip) {
            snprintf(g->skip[i], 32, "%s", m->skip);
            continue;
        }
        const void *b;
        size_t len;
        while ((st = pii_source_read(s, &b, &len, &err)) == PII_OK) {
            g->data[i] = realloc(g->data[i], g->len[i] + len + 1);
            memcpy(g->data[i] + g->len[i], b, len);
            g->len[i] += len;
            g->data[i][g->len[i]] = 0;
        }
        if (st < 0) {
            if (g->nerr < 8) {
                snprintf(g->errmem[g->nerr], 256, "%s", pii_source_error_member(s));
                snprintf(g->errmsg[g->nerr], 256, "%s", err.msg);
            }
            g->nerr++;
        }
    }
    pii_source_free(s);
    return g;
}

static void got_free(struct got *g)
{
    for (size_t i = 0; i < 16; i++) free(g->data[i]);
    free(g);
}

static char *big_text(size_t n)
{
    char *p = malloc(n + 1);
    uint32_t seed = 7;
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (seed >> 16) % 11 == 0 ? '\n' : (char)('a' + (seed >> 20) % 26);
    }
    p[n] = 0;
    return p;
}

static const char TEXT[] = "mail jane.doe@acme-corp.com card 4539 1488 0343 6467\n";

/* The flags under which a zip is read: the directory reader with ISA-L (when built with it)
 * and with zlib, and libarchive. */
static const unsigned FLAGS[] = {0, PII_SOURCE_FORCE_ZLIB, PII_SOURCE_ZIP_LIBARCHIVE};

/* Every variant of a member, each read the three ways: same names, same bytes, no errors. */
Test(zip, variants_read_like_libarchive)
{
    size_t bl = 3u << 20;
    char *big = big_text(bl);
    struct zent e[] = {
        {.name = "deflate.log", .data = TEXT, .len = strlen(TEXT), .method = 8},
        {.name = "stored.log", .data = TEXT, .len = strlen(TEXT), .method = 0},
        {.name = "desc.log", .data = big, .len = bl, .method = 8, .descriptor = true},
        {.name = "desc-stored.log", .data = TEXT, .len = strlen(TEXT), .descriptor = true},
        {.name = "z64.log", .data = big, .len = bl, .method = 8, .zip64 = true},
        {.name = "z64-desc.log",
         .data = TEXT,
         .len = strlen(TEXT),
         .method = 8,
         .zip64 = true,
         .descriptor = true},
        {.name = "ctl\x01\x1b[31m\nname\xff.log", .data = TEXT, .len = strlen(TEXT), .method = 8},
        {.name = "empty.log", .data = "", .len = 0, .method = 8},
        {.name = "empty-stored", .data = "", .len = 0, .method = 0},
        {.name = "dir/", .data = "", .len = 0, .method = 0},
        {.name = "unix.log", .data = TEXT, .len = strlen(TEXT), .method = 8, .mode = 0100644},
        {.name = "caf\x82.log",
         .data = TEXT,
         .len = strlen(TEXT),
         .method = 8,
         .unicode = "caf\xc3\xa9.log"},
    };
    size_t n = sizeof e / sizeof e[0];
    for (int z64end = 0; z64end < 2; z64end++) {
        zip_write(t_path("v.zip"), e, n, z64end, 0);
        struct got *ref = read_all(t_path("v.zip"), PII_SOURCE_ZIP_LIBARCHIVE, NULL);
        cr_expect_eq(ref->nerr, 0, "libarchive: %s", ref->errmsg[0]);
        for (size_t f = 0; f < 2; f++) {
            struct got *g = read_all(t_path("v.zip"), FLAGS[f], NULL);
            cr_expect_eq(g->nerr, 0, "flags %u: %s: %s", FLAGS[f], g->errmem[0], g->errmsg[0]);
            cr_assert_eq(g->n, n - 1, "flags %u: %zu members (the directory is not one)", FLAGS[f],
                         g->n);
            for (size_t i = 0, j = 0; i < n; i++) {
                if (!strcmp(e[i].name, "dir/")) continue;
                const char *want = e[i].unicode ? e[i].unicode : e[i].name;
                cr_expect_str_eq(g->name[j], want);
                cr_expect_eq(g->len[j], e[i].len, "%s: %zu bytes", want, g->len[j]);
                cr_expect(!e[i].len || !memcmp(g->data[j], e[i].data, e[i].len), "%s", want);
                j++;
            }
            /* libarchive reads the same bytes (names may be converted: only the data) */
            cr_expect_eq(ref->n, g->n);
            for (size_t i = 0; i < g->n && i < ref->n; i++)
                cr_expect_eq(ref->len[i], g->len[i], "%s", g->name[i]);
            got_free(g);
        }
        got_free(ref);
    }

    /* each variant with only the directory's CRC wrong: libarchive (which streams from the
     * local headers) does not see it, the directory reader does, for the right member, after
     * delivering its data; the rest goes on */
    for (size_t v = 0; v < n; v++) {
        if (!strcmp(e[v].name, "dir/")) continue;
        struct zent w[2] = {e[v], {.name = "after.log", .data = TEXT, .len = strlen(TEXT)}};
        w[0].bad_cd_crc = true;
        zip_write(t_path("crc.zip"), w, 2, false, 0);
        for (size_t f = 0; f < 2; f++) {
            struct got *g = read_all(t_path("crc.zip"), FLAGS[f], NULL);
            cr_assert_eq(g->nerr, 1, "%s, flags %u: not read through the directory", e[v].name,
                         FLAGS[f]);
            cr_expect(strstr(g->errmsg[0], "CRC-32 mismatch"), "%s", g->errmsg[0]);
            cr_expect_str_eq(g->errmem[0], e[v].unicode ? e[v].unicode : e[v].name);
            /* an empty member fails before it has anything to deliver */
            size_t a = e[v].len ? 1 : 0;
            if (a)
                cr_expect_eq(g->len[0], e[v].len, "%s: the data before the check is delivered",
                             e[v].name);
            cr_expect_str_eq(g->name[a], "after.log", "%s: %zu members", e[v].name, g->n);
            cr_expect_eq(g->len[a], strlen(TEXT));
            got_free(g);
        }
    }
    free(big);
}

Test(zip, crc_and_size_mismatch_name_the_member)
{
    struct zent e[] = {
        {.name = "bad.log", .data = TEXT, .len = strlen(TEXT), .method = 8, .bad_crc = true},
        {.name = "short.log", .data = TEXT, .len = strlen(TEXT), .method = 8, .bad_size = true},
        {.name = "ok.log", .data = TEXT, .len = strlen(TEXT), .method = 0},
    };
    zip_write(t_path("m.zip"), e, 3, false, 0);
    for (size_t f = 0; f < 3; f++) {
        struct got *g = read_all(t_path("m.zip"), FLAGS[f], NULL);
        cr_assert_geq(g->nerr, 1, "flags %u: a wrong CRC is an error", FLAGS[f]);
        cr_expect_str_eq(g->errmem[0], "bad.log");
        if (FLAGS[f] != PII_SOURCE_ZIP_LIBARCHIVE) {
            cr_assert_eq(g->nerr, 2);
            cr_expect(strstr(g->errmsg[0], "CRC-32"), "%s", g->errmsg[0]);
            cr_expect_str_eq(g->errmem[1], "short.log");
            cr_expect(strstr(g->errmsg[1], "directory says"), "%s", g->errmsg[1]);
            cr_expect_str_eq(g->name[2], "ok.log");
            cr_expect_eq(g->len[2], strlen(TEXT));
        }
        cr_expect_eq(g->len[0], strlen(TEXT), "what came before the check is kept");
        got_free(g);
    }
}

/* A deflate stream that, after "PI", refers back past its own start. zlib stops there
 * ("invalid distance too far back"); ISA-L 2.30 went on and returned 89 more bytes copied from
 * its state's memory, which had never been written: whatever the heap held before, another
 * input's bytes in a scanning thread. (Found by fuzz_source comparing a reused source with a
 * new one.) Whatever the inflater, the member gives at most "PI", then its error. */
static const uint8_t LOOKBACK[] = {
    0x0b, 0xf0, 0xa4, 0x99, 0xee, 0x9e, 0x60, 0x60, 0xe0, 0x00, 0x62, 0xc5, 0x88, 0x73, 0xa7, 0x12,
    0x96, 0xc8, 0x02, 0x59, 0x20, 0xcc, 0x05, 0xc4, 0x29, 0xa9, 0xa9, 0x05, 0xfa, 0xc9, 0x7a, 0xc9,
    0xc5, 0x65, 0xa7, 0xbd, 0xcf, 0xf8, 0x5e, 0xf5, 0x3c, 0xeb, 0x7b, 0xe6, 0xcc, 0xc3, 0x4f, 0x5e,
    0x67, 0xbc, 0xaf, 0x9e, 0x64, 0x12, 0xe2, 0xeb, 0x3c, 0xb9, 0x73, 0x65, 0xd5, 0xcc, 0x9f, 0x30,
    0x0c, 0x01, 0xde, 0x8c, 0x4c, 0x22, 0xcc, 0xb8, 0x8d, 0x81, 0x81, 0x06, 0x46, 0x06, 0x14, 0x43,
    0x03, 0xbc, 0x59, 0xd9, 0x40, 0x22, 0x8c, 0x40, 0x68, 0x01, 0xa4, 0x5d, 0xc1, 0xaa, 0x00};

Test(zip, distance_past_the_start_gives_nothing_from_memory)
{
    struct zent e[] = {
        {.name = "a.log", .method = 8, .raw = LOOKBACK, .raw_len = sizeof LOOKBACK},
        {.name = "b.log", .method = 8, .raw = LOOKBACK, .raw_len = sizeof LOOKBACK},
    };
    zip_write(t_path("lb.zip"), e, 2, false, 0);
    for (size_t f = 0; f < 2; f++) {
        /* the heap full of a marker first, so that memory read unwritten would show it */
        for (int k = 0; k < 8; k++) {
            char *junk = malloc(256u << 10);
            cr_assert(junk);
            memset(junk, 'Z', 256u << 10);
            free(junk);
        }
        struct got *g = read_all(t_path("lb.zip"), FLAGS[f], NULL);
        /* each member's damage is reported; one found before its first byte (while it is
         * sniffed) is not a member */
        cr_expect_eq(g->nerr, 2, "flags %u: %zu errors", FLAGS[f], g->nerr);
        for (size_t i = 0; i < g->n; i++) {
            cr_expect_leq(g->len[i], 2, "flags %u, %s: %zu bytes", FLAGS[f], g->name[i], g->len[i]);
            cr_expect(!g->len[i] || !memcmp(g->data[i], "PI", g->len[i]), "flags %u: %s", FLAGS[f],
                      g->name[i]);
        }
        got_free(g);
    }
}

/* Damage anywhere and truncation anywhere: never a crash, never lost data without an error,
 * and data delivered before the damage is a prefix of the truth. */
Test(zip, damage_and_truncation_at_many_offsets)
{
    size_t bl = 150000;
    char *big = big_text(bl);
    struct zent e[] = {
        {.name = "one.log", .data = big, .len = bl, .method = 8},
        {.name = "two.log", .data = big, .len = 5000, .method = 0, .descriptor = true},
        {.name = "three.log", .data = TEXT, .len = strlen(TEXT), .method = 8, .zip64 = true},
    };
    for (int z64end = 0; z64end < 2; z64end++) {
        zip_write(t_path("d.zip"), e, 3, z64end, 0);
        size_t n;
        char *orig = t_slurp(t_path("d.zip"), &n);
        char *bad = malloc(n);
        size_t step = n / 97 + 1;
        for (size_t off = 0; off < n; off += (off + 200 > n ? 1 : step)) {
            for (int mode = 0; mode < 2; mode++) {
                size_t len = n;
                memcpy(bad, orig, n);
                if (mode == 0)
                    bad[off] ^= 0x5a;
                else
                    len = off;
                t_write(t_path("b.zip"), bad, len);
                for (size_t f = 0; f < 2; f++) {
                    struct got *g = read_all(t_path("b.zip"), FLAGS[f], NULL);
                    bool whole = g->n >= 3 && g->len[0] == bl && !memcmp(g->data[0], big, bl) &&
                                 g->len[1] == 5000 && g->len[2] == strlen(TEXT);
                    /* no longer a zip (its signature hit, or nothing left): a plain input */
                    bool plain = g->n == 1 && !g->name[0][0];
                    cr_expect(g->nerr >= 1 || whole || plain,
                              "%s at %zu of %zu (flags %u): lost data, no error",
                              mode ? "cut" : "flip", off, n, FLAGS[f]);
                    /* a flipped bit in deflate data may decode to other bytes until the CRC
                     * check: only a cut keeps what came before it exact */
                    for (size_t i = 0; i < g->n && mode == 1; i++)
                        if (!strcmp(g->name[i], "one.log") && g->len[i] <= bl)
                            cr_expect(!memcmp(g->data[i], big, g->len[i]),
                                      "data before the damage is intact (at %zu)", off);
                    got_free(g);
                }
            }
        }
        free(bad);
        free(orig);
    }
    free(big);
}

/* What the directory reader does not take goes to libarchive: the same result as libarchive
 * alone. */
Test(zip, fallbacks_give_libarchive_results)
{
    /* a bzip2 member (method 12): libarchive inflates it */
    struct archive *a = archive_write_new();
    archive_write_set_format_raw(a);
    archive_write_add_filter_bzip2(a);
    size_t cap = 1 << 16, used = 0;
    char *bz = malloc(cap);
    cr_assert_eq(archive_write_open_memory(a, bz, cap, &used), ARCHIVE_OK);
    struct archive_entry *ae = archive_entry_new();
    archive_entry_set_filetype(ae, AE_IFREG);
    archive_entry_set_size(ae, (la_int64_t)strlen(TEXT));
    cr_assert_eq(archive_write_header(a, ae), ARCHIVE_OK);
    archive_write_data(a, TEXT, strlen(TEXT));
    archive_entry_free(ae);
    archive_write_close(a);
    archive_write_free(a);
    cr_assert(used > 4 && !memcmp(bz, "BZh", 3));
    struct zent e[] = {
        {.name = "a.log", .data = TEXT, .len = strlen(TEXT), .method = 8},
        {.name = "b.log",
         .data = TEXT,
         .len = strlen(TEXT),
         .method = 12,
         .raw = bz,
         .raw_len = used},
    };
    zip_write(t_path("bz.zip"), e, 2, false, 0);
    zip_write(t_path("disk.zip"), e, 1, false, 1);
    const char *names[] = {"bz.zip", "disk.zip"};
    for (int k = 0; k < 2; k++) {
        struct got *ref = read_all(t_path(names[k]), PII_SOURCE_ZIP_LIBARCHIVE, NULL);
        struct got *g = read_all(t_path(names[k]), 0, NULL);
        cr_expect_eq(g->n, ref->n, "%s", names[k]);
        cr_expect_eq(g->nerr, ref->nerr, "%s: %s / %s", names[k], g->errmsg[0], ref->errmsg[0]);
        for (size_t i = 0; i < g->n && i < ref->n; i++) {
            cr_expect_str_eq(g->name[i], ref->name[i]);
            cr_expect_eq(g->len[i], ref->len[i]);
        }
        for (size_t i = 0; i < g->nerr && i < ref->nerr && i < 8; i++)
            cr_expect_str_eq(g->errmsg[i], ref->errmsg[i]);
        if (k == 0) {
            cr_expect_eq(g->nerr, 0, "%s", g->errmsg[0]);
            cr_expect(g->n == 2 && g->len[1] == strlen(TEXT), "the bzip2 member is read");
        }
        got_free(g);
        got_free(ref);
    }
    free(bz);
}

Test(zip, skips_limits_and_nesting)
{
    /* encrypted, a symlink and a fifo: skipped with their reasons, like libarchive */
    struct zent e[] = {
        {.name = "enc.log", .data = TEXT, .len = strlen(TEXT), .method = 0, .encrypted = true},
        {.name = "link", .data = "target", .len = 6, .method = 0, .mode = 0120777},
        {.name = "fifo", .data = "", .len = 0, .method = 0, .mode = 0010644},
        {.name = "ok.log", .data = TEXT, .len = strlen(TEXT), .method = 8},
    };
    zip_write(t_path("s.zip"), e, 4, false, 0);
    for (size_t f = 0; f < 3; f++) {
        struct got *g = read_all(t_path("s.zip"), FLAGS[f], NULL);
        cr_assert_eq(g->n, 4, "flags %u", FLAGS[f]);
        cr_expect_str_eq(g->skip[0], "encrypted");
        cr_expect_str_eq(g->skip[1], "symlink");
        /* libarchive reads a fifo's (empty) data as a regular file's */
        if (FLAGS[f] != PII_SOURCE_ZIP_LIBARCHIVE) cr_expect_str_eq(g->skip[2], "special file");
        cr_expect_str_eq(g->skip[3], "");
        cr_expect_eq(g->len[3], strlen(TEXT));
        cr_expect_eq(g->nerr, 0, "%s", g->errmsg[0]);
        got_free(g);
    }

    /* the member count and the ratio limit */
    size_t zl = 4u << 20;
    char *zeros = calloc(1, zl);
    struct zent b[] = {
        {.name = "zeros.bin", .data = zeros, .len = zl, .method = 8},
        {.name = "a", .data = TEXT, .len = strlen(TEXT), .method = 8},
        {.name = "b", .data = TEXT, .len = strlen(TEXT), .method = 8},
        {.name = "c", .data = TEXT, .len = strlen(TEXT), .method = 8},
    };
    zip_write(t_path("bomb.zip"), b, 4, false, 0);
    free(zeros);
    pii_source_opts o;
    pii_source_opts_init(&o);
    o.ratio_min = 1u << 20;
    o.max_ratio = 100;
    o.max_members = 3;
    for (size_t f = 0; f < 2; f++) {
        struct got *g = read_all(t_path("bomb.zip"), FLAGS[f], &o);
        cr_assert_eq(g->nerr, 2, "flags %u: %s / %s", FLAGS[f], g->errmsg[0], g->errmsg[1]);
        cr_expect_str_eq(g->errmem[0], "zeros.bin");
        cr_expect(strstr(g->errmsg[0], "ratio"), "%s", g->errmsg[0]);
        cr_expect(strstr(g->errmsg[1], "member count"), "%s", g->errmsg[1]);
        cr_expect_eq(g->n, 3);
        got_free(g);
    }

    /* a zip (stored and deflated) inside a deflated zip member, and a tar.gz in a zip */
    struct t_entry te[] = {{"t.log", TEXT, strlen(TEXT), 0, NULL}};
    t_archive(t_path("in.tgz"), "tar", "gzip", te, 1, NULL, NULL);
    size_t tl;
    char *tgz = t_slurp(t_path("in.tgz"), &tl);
    struct zent in[] = {{.name = "deep.log", .data = TEXT, .len = strlen(TEXT), .method = 8},
                        {.name = "in.tgz", .data = tgz, .len = tl, .method = 0}};
    zip_write(t_path("inner.zip"), in, 2, true, 0);
    size_t il;
    char *inner = t_slurp(t_path("inner.zip"), &il);
    struct zent out[] = {{.name = "inner.zip", .data = inner, .len = il, .method = 8},
                         {.name = "inner-stored.zip", .data = inner, .len = il, .method = 0}};
    zip_write(t_path("outer.zip"), out, 2, false, 0);
    for (size_t f = 0; f < 3; f++) {
        struct got *g = read_all(t_path("outer.zip"), FLAGS[f], NULL);
        cr_expect_eq(g->nerr, 0, "flags %u: %s", FLAGS[f], g->errmsg[0]);
        cr_assert_eq(g->n, 4, "flags %u", FLAGS[f]);
        cr_expect_str_eq(g->name[0], "inner.zip!deep.log");
        cr_expect_str_eq(g->name[1], "inner.zip!in.tgz!t.log");
        cr_expect_str_eq(g->name[3], "inner-stored.zip!in.tgz!t.log");
        cr_expect_eq(g->len[1], strlen(TEXT));
        got_free(g);
    }
    free(tgz);
    free(inner);
}
