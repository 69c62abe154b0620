/* source_zip.c: a seekable zip (a file, or a spool file) read through its central directory,
 * zip64 included: deflate members inflated by ISA-L (zlib when built without it or forced),
 * stored members copied, CRC-32 of every member checked. Anything it does not take (other
 * methods, several disks, a damaged directory) is left to libarchive (source_archive.c).
 * Knows nothing of detectors or sinks; reads with pread only, so nested readers never share
 * a file offset. */
#define _GNU_SOURCE
#include "source.h"

#include "isal_lib.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#define ZIP_IN      (128u * 1024u)
#define CD_WINDOW   (64u * 1024u)
#define CD_HDR      46u
#define LOCAL_HDR   30u
#define EOCD_LEN    22u
#define EOCD_SEARCH (EOCD_LEN + 65535u)
#define MAX_ENTRY   (CD_HDR + 3u * 65535u) /* a header with the longest name, extra, comment */

struct zip_reader {
    int fd;
    int64_t base;      /* the archive's first byte in fd */
    uint64_t cd_start; /* relative to base */
    uint64_t cd_end;
    uint64_t cd_pos; /* the next directory entry */
    bool force_zlib;
    /* a window over the central directory */
    uint8_t *win;
    size_t win_cap, win_len;
    uint64_t win_off;
    /* the current entry */
    struct zip_entry e;
    char *name;
    size_t name_cap;
    /* decoding state, reused from member to member */
    uint8_t *in;
    z_stream z;
    bool z_ready;
#ifdef PII_HAVE_ISAL
    struct inflate_state *is;
#endif
};

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* Reads exactly n bytes at off (relative to the archive's start); a short file is FORMAT. */
static pii_status zread(struct zip_reader *z, uint64_t off, void *buf, size_t n, pii_error *err)
{
    uint8_t *p = buf;
    while (n) {
        ssize_t r = pread(z->fd, p, n, (off_t)(z->base + (int64_t)off));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return err_errno(err, PII_ERR_IO, errno, NULL, "zip: read error");
        if (r == 0) return err_set(err, PII_ERR_FORMAT, NULL, "zip: truncated archive");
        p += r;
        off += (uint64_t)r;
        n -= (size_t)r;
    }
    return PII_OK;
}

/* CRC-32 of stored members and of zlib's output: ISA-L's when built with it and not forced
 * to zlib (so that forcing zlib tests what a build without ISA-L runs). */
static uint32_t crc_update(const struct zip_reader *z, uint32_t crc, const uint8_t *p, size_t n)
{
#ifdef PII_HAVE_ISAL
    if (!z->force_zlib) return crc32_gzip_refl(crc, p, n);
#endif
    (void)z;
    while (n) { /* zlib's length is a uInt */
        uInt k = n > (1u << 30) ? 1u << 30 : (uInt)n;
        crc = (uint32_t)crc32(crc, p, k);
        p += k;
        n -= k;
    }
    return crc;
}

/* ---- the central directory ---------------------------------------------------------------- */

/* Makes [off, off + n) of the directory readable in the window; returns it. */
static const uint8_t *cd_get(struct zip_reader *z, uint64_t off, size_t n, pii_error *err)
{
    if (off < z->win_off || off + n > z->win_off + z->win_len) {
        if (n > z->win_cap) {
            uint8_t *w = realloc(z->win, n);
            if (!w) {
                err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
                return NULL;
            }
            z->win = w;
            z->win_cap = n;
        }
        uint64_t left = z->cd_end - off;
        size_t want = left < z->win_cap ? (size_t)left : z->win_cap;
        if (want < n || zread(z, off, z->win, want, err)) {
            if (want < n) err_set(err, PII_ERR_FORMAT, NULL, "zip: damaged central directory");
            z->win_len = 0;
            return NULL;
        }
        z->win_off = off;
        z->win_len = want;
    }
    return z->win + (off - z->win_off);
}

/* Parses the directory entry at cd_pos into z->e (name into z->name) and advances. */
static pii_status cd_entry(struct zip_reader *z, pii_error *err)
{
    const uint8_t *h = cd_get(z, z->cd_pos, CD_HDR, err);
    if (!h) return err->code ? err->code : PII_ERR_FORMAT;
    if (le32(h) != 0x02014b50u)
        return err_set(err, PII_ERR_FORMAT, NULL, "zip: damaged central directory");
    struct zip_entry *e = &z->e;
    memset(e, 0, sizeof *e);
    e->made_by = le16(h + 4);
    e->flags = le16(h + 8);
    e->method = le16(h + 10);
    e->crc = le32(h + 16);
    e->csize = le32(h + 20);
    e->usize = le32(h + 24);
    size_t nl = le16(h + 28), xl = le16(h + 30), cl = le16(h + 32);
    uint16_t disk = le16(h + 34);
    e->mode = le32(h + 38) >> 16;
    e->lho = le32(h + 42);
    size_t total = CD_HDR + nl + xl + cl;
    if (z->cd_pos + total > z->cd_end)
        return err_set(err, PII_ERR_FORMAT, NULL, "zip: damaged central directory");
    h = cd_get(z, z->cd_pos, total, err);
    if (!h) return err->code ? err->code : PII_ERR_FORMAT;
    const uint8_t *name = h + CD_HDR, *x = name + nl, *xend = x + xl;
    /* the header name, unless an Info-ZIP Unicode Path field (0x7075) for it gives UTF-8 */
    const uint8_t *un = NULL;
    size_t unl = 0;
    while (xend - x >= 4) {
        uint16_t id = le16(x), len = le16(x + 2);
        const uint8_t *d = x + 4;
        if ((size_t)(xend - d) < len) break;
        if (id == 0x0001) { /* zip64: the fields that overflowed, in this order */
            const uint8_t *q = d, *qe = d + len;
            if (e->usize == 0xffffffffu && qe - q >= 8) e->usize = le64(q), q += 8;
            if (e->csize == 0xffffffffu && qe - q >= 8) e->csize = le64(q), q += 8;
            if (e->lho == 0xffffffffu && qe - q >= 8) e->lho = le64(q), q += 8;
            if (disk == 0xffffu && qe - q >= 4) disk = le32(q) ? 1 : 0;
        } else if (id == 0x7075 && len >= 5 && d[0] == 1 &&
                   le32(d + 1) == (uint32_t)crc32(0, name, (uInt)nl)) {
            un = d + 5;
            unl = len - 5u;
        }
        x = d + len;
    }
    if (e->usize == 0xffffffffu || e->csize == 0xffffffffu || e->lho == 0xffffffffu)
        e->zip64_missing = true;
    e->disk = disk;
    if (un) {
        name = un;
        nl = unl;
    }
    if (nl + 1 > z->name_cap) {
        char *p = realloc(z->name, nl + 1);
        if (!p) return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
        z->name = p;
        z->name_cap = nl + 1;
    }
    memcpy(z->name, name, nl);
    z->name[nl] = 0;
    e->name_len = nl;
    z->cd_pos += total;
    return PII_OK;
}

/* What the fast path takes: a stored or deflated member (or an encrypted one, skipped), on
 * this disk, inside the archive before the directory. */
static bool entry_ok(const struct zip_reader *z)
{
    const struct zip_entry *e = &z->e;
    if (e->zip64_missing || e->disk != 0) return false;
    if (e->lho >= z->cd_start || e->csize > z->cd_start) return false;
    if (e->flags & 0x1) return true; /* encrypted: skipped whatever the method */
    return e->method == 0 || e->method == 8;
}

/* Finds the end of central directory record (and the zip64 one) and checks every directory
 * entry once. PII_END: not for this reader. */
static pii_status locate(struct zip_reader *z, uint64_t size, uint64_t max_entries, pii_error *err)
{
    if (size < EOCD_LEN) return PII_END;
    size_t tail = size < EOCD_SEARCH ? (size_t)size : EOCD_SEARCH;
    uint8_t *t = malloc(tail);
    if (!t) return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
    pii_status st = zread(z, size - tail, t, tail, err);
    if (st) {
        free(t);
        return st == PII_ERR_IO ? st : PII_END;
    }
    /* the last signature whose comment fits in what follows it */
    const uint8_t *eocd = NULL;
    for (size_t i = tail - EOCD_LEN + 1; i-- > 0;)
        if (t[i] == 'P' && le32(t + i) == 0x06054b50u && i + EOCD_LEN + le16(t + i + 20) <= tail) {
            eocd = t + i;
            break;
        }
    if (!eocd) {
        free(t);
        return PII_END;
    }
    uint64_t eocd_pos = size - tail + (uint64_t)(eocd - t);
    uint16_t disk = le16(eocd + 4), cd_disk = le16(eocd + 6);
    uint64_t n_here = le16(eocd + 8), n = le16(eocd + 10);
    uint64_t cd_size = le32(eocd + 12), cd_off = le32(eocd + 16);
    uint64_t cd_limit = eocd_pos;
    bool z64 = false;
    if (eocd_pos >= 20) {
        uint8_t loc[20], r[56];
        st = zread(z, eocd_pos - 20, loc, sizeof loc, err);
        if (!st && le32(loc) == 0x07064b50u) {
            uint64_t off = le64(loc + 8);
            if (le32(loc + 4) != 0 || le32(loc + 16) > 1 || off + sizeof r > eocd_pos - 20 ||
                zread(z, off, r, sizeof r, err) || le32(r) != 0x06064b50u) {
                free(t);
                return PII_END;
            }
            z64 = true;
            disk = le32(r + 16) ? 1 : 0;
            cd_disk = le32(r + 20) ? 1 : 0;
            n_here = le64(r + 24);
            n = le64(r + 32);
            cd_size = le64(r + 40);
            cd_off = le64(r + 48);
            cd_limit = off;
        }
    }
    free(t);
    /* several disks, or a directory that is not where the records say: libarchive decides */
    if (disk || cd_disk || n_here != n || cd_off > cd_limit || cd_size > cd_limit - cd_off)
        return PII_END;
    z->cd_start = z->cd_pos = cd_off;
    z->cd_end = cd_off + cd_size;
    uint64_t seen = 0;
    while (z->cd_pos < z->cd_end && seen <= max_entries) {
        pii_error e2 = PII_ERROR_INIT;
        st = cd_entry(z, &e2);
        if (st == PII_ERR_NOMEM || st == PII_ERR_IO) {
            *err = e2;
            return st;
        }
        if (st || !entry_ok(z)) return PII_END;
        seen++;
    }
    /* every entry counted (a writer without zip64 may give the count modulo 65536) */
    if (seen <= max_entries && (z64 ? seen != n : (seen & 0xffffu) != n)) return PII_END;
    z->cd_pos = z->cd_start;
    return PII_OK;
}

static void zip_free(struct zip_reader *z)
{
    if (!z) return;
    if (z->z_ready) inflateEnd(&z->z);
#ifdef PII_HAVE_ISAL
    free(z->is);
#endif
    free(z->in);
    free(z->win);
    free(z->name);
    free(z);
}

pii_status source_zip_open(struct pii_source *s, unsigned fi, pii_error *err)
{
    struct frame *f = &s->fr[fi];
    if (f->afd < 0 || (s->o.flags & PII_SOURCE_ZIP_LIBARCHIVE)) return PII_END;
    struct stat sb;
    if (fstat(f->afd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size < f->afd_base) return PII_END;
    struct zip_reader *z = calloc(1, sizeof *z);
    if (!z) return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
    z->fd = f->afd;
    z->base = f->afd_base;
    /* zlib when forced, or when ISA-L cannot be loaded */
    z->force_zlib = (s->o.flags & PII_SOURCE_FORCE_ZLIB) || !isal_lib_load();
    z->win_cap = CD_WINDOW;
    z->win = malloc(z->win_cap);
    if (!z->win) {
        free(z);
        return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
    }
    uint64_t left = s->o.max_members > s->entries ? s->o.max_members - s->entries : 0;
    pii_status st = locate(z, (uint64_t)(sb.st_size - f->afd_base), left, err);
    if (st) {
        zip_free(z);
        return st;
    }
    f->zip = z;
    return PII_OK;
}

void source_zip_close(struct frame *f)
{
    zip_free(f->zip);
    f->zip = NULL;
}

pii_status source_zip_next(struct frame *f, const struct zip_entry **out, pii_error *err)
{
    struct zip_reader *z = f->zip;
    *out = NULL;
    if (z->cd_pos >= z->cd_end) return PII_END;
    pii_status st = cd_entry(z, err);
    if (st) return st;
    /* the check made when the archive was opened stopped at the member limit */
    if (!entry_ok(z))
        return err_set(err, PII_ERR_FORMAT, NULL, "zip: unsupported member (method %u)",
                       z->e.method);
    struct zip_entry *e = &z->e;
    e->name = z->name;
    unsigned host = e->made_by >> 8, type = e->mode & S_IFMT;
    e->dir = (e->name_len && z->name[e->name_len - 1] == '/') || (host == 3 && type == S_IFDIR);
    e->skip = NULL;
    if (host == 3 && type == S_IFLNK)
        e->skip = "symlink";
    else if (host == 3 && type && type != S_IFREG && type != S_IFDIR)
        e->skip = "special file";
    else if (e->flags & 0x1)
        e->skip = "encrypted";
    *out = e;
    return PII_OK;
}

/* ---- member data ------------------------------------------------------------------------- */

struct zip_layer {
    struct layer l;
    struct zip_reader *z;
    struct zip_entry e; /* a copy: the reader's moves on with the next header */
    uint64_t data;      /* the compressed data's offset */
    uint64_t cleft;     /* compressed bytes not yet read */
    size_t len, pos;    /* unread input in z->in */
    uint32_t crc;
    bool started, isal, ended;
    pii_status pending;
    pii_error perr;
};

static pii_status member_start(struct zip_layer *zl, pii_error *err)
{
    struct zip_reader *z = zl->z;
    uint8_t h[LOCAL_HDR];
    pii_status st = zread(z, zl->e.lho, h, sizeof h, err);
    if (st) return st;
    if (le32(h) != 0x04034b50u)
        return err_set(err, PII_ERR_FORMAT, NULL, "zip: bad local header at byte %llu",
                       (unsigned long long)zl->e.lho);
    zl->data = zl->e.lho + LOCAL_HDR + le16(h + 26) + le16(h + 28);
    if (zl->data > z->cd_start || zl->e.csize > z->cd_start - zl->data)
        return err_set(err, PII_ERR_FORMAT, NULL,
                       "zip: member data runs into the central directory");
    zl->cleft = zl->e.csize;
    if (zl->e.method != 8) return PII_OK;
#ifdef PII_HAVE_ISAL
    if (!z->force_zlib) {
        if (!z->is && !(z->is = malloc(sizeof *z->is)))
            return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
        /* zeroed for each member: on a distance past the member's start ISA-L copies bytes of
         * its state it never wrote, which must be neither the heap's old contents (another
         * input's bytes) nor the member before */
        memset(z->is, 0, sizeof *z->is);
        isal_inflate_init(z->is);
        z->is->crc_flag = ISAL_GZIP_NO_HDR; /* raw deflate, CRC-32 of the output kept */
        zl->isal = true;
    }
#endif
    if (!zl->isal) {
        if (!z->z_ready) {
            if (inflateInit2(&z->z, -15) != Z_OK)
                return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
            z->z_ready = true;
        } else {
            inflateReset(&z->z);
        }
    }
    if (!z->in && !(z->in = malloc(ZIP_IN)))
        return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
    return PII_OK;
}

/* The member is complete (`last` bytes still to be returned): its size and CRC-32 against
 * the directory's. */
static pii_status member_check(struct zip_layer *zl, size_t last, pii_error *err)
{
    zl->ended = true;
    uint64_t size = zl->l.out_bytes + last;
    if (size != zl->e.usize)
        return err_set(err, PII_ERR_FORMAT, NULL,
                       "zip: member expands to %llu bytes, the directory says %llu",
                       (unsigned long long)size, (unsigned long long)zl->e.usize);
    if (zl->crc != zl->e.crc)
        return err_set(err, PII_ERR_FORMAT, NULL,
                       "zip: CRC-32 mismatch (data %08x, directory %08x)", (unsigned)zl->crc,
                       (unsigned)zl->e.crc);
    return PII_OK;
}

static pii_status stored_read(struct zip_layer *zl, uint8_t *buf, size_t cap, size_t *got,
                              pii_error *err)
{
    size_t n = zl->cleft < cap ? (size_t)zl->cleft : cap;
    if (!n) return member_check(zl, 0, err);
    pii_status st = zread(zl->z, zl->data + (zl->e.csize - zl->cleft), buf, n, err);
    if (st) return st;
    zl->cleft -= n;
    zl->l.in_bytes += n;
    zl->crc = crc_update(zl->z, zl->crc, buf, n);
    *got = n;
    return PII_OK;
}

/* One inflate call over what is buffered; *end when the deflate stream ended. */
static pii_status inflate_step(struct zip_layer *zl, uint8_t *buf, size_t cap, size_t *made,
                               bool *end, pii_error *err)
{
    struct zip_reader *z = zl->z;
    size_t avail = zl->len - zl->pos;
    uint32_t ocap = cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap;
#ifdef PII_HAVE_ISAL
    if (zl->isal) {
        struct inflate_state *is = z->is;
        is->next_in = z->in + zl->pos;
        is->avail_in = (uint32_t)avail;
        is->next_out = buf;
        is->avail_out = ocap;
        int r = isal_inflate(is);
        zl->pos += avail - is->avail_in;
        *made = ocap - is->avail_out;
        *end = is->block_state == ISAL_BLOCK_FINISH;
        if (*end) zl->crc = is->crc;
        if (r < 0) { /* what it made in this call may include such bytes: none is kept (as in
                      * the gzip layer) */
            *made = 0;
            return err_set(err, PII_ERR_FORMAT, NULL, "zip: corrupt deflate data");
        }
        return PII_OK;
    }
#endif
    z->z.next_in = z->in + zl->pos;
    z->z.avail_in = (uInt)avail;
    z->z.next_out = buf;
    z->z.avail_out = ocap;
    int r = inflate(&z->z, Z_NO_FLUSH);
    zl->pos += avail - z->z.avail_in;
    *made = ocap - z->z.avail_out;
    zl->crc = crc_update(z, zl->crc, buf, *made);
    *end = r == Z_STREAM_END;
    if (r == Z_OK || r == Z_BUF_ERROR || r == Z_STREAM_END) return PII_OK;
    if (r == Z_MEM_ERROR) return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
    return err_set(err, PII_ERR_FORMAT, NULL, "zip: corrupt deflate data: %s",
                   z->z.msg ? z->z.msg : "invalid data");
}

static pii_status deflate_read(struct zip_layer *zl, uint8_t *buf, size_t cap, size_t *got,
                               pii_error *err)
{
    size_t out = 0;
    while (!out) {
        if (zl->pos == zl->len && zl->cleft) {
            size_t n = zl->cleft < ZIP_IN ? (size_t)zl->cleft : ZIP_IN;
            pii_status st = zread(zl->z, zl->data + (zl->e.csize - zl->cleft), zl->z->in, n, err);
            if (st) return st;
            zl->cleft -= n;
            zl->l.in_bytes += n;
            zl->len = n;
            zl->pos = 0;
        }
        size_t made;
        bool end;
        size_t pos0 = zl->pos;
        pii_status st = inflate_step(zl, buf + out, cap - out, &made, &end, err);
        out += made;
        if (st) {
            *got = out;
            return st;
        }
        if (end) {
            *got = out;
            return member_check(zl, out, err);
        }
        if (!made && zl->pos == pos0 && zl->pos == zl->len && !zl->cleft) {
            *got = out;
            return err_set(err, PII_ERR_FORMAT, NULL,
                           "zip: deflate data ends before the member does");
        }
    }
    *got = out;
    return PII_OK;
}

static pii_status zl_read(struct layer *l, uint8_t *buf, size_t cap, size_t *got, pii_error *err)
{
    struct zip_layer *zl = (struct zip_layer *)l;
    if (zl->pending) {
        *err = zl->perr;
        return zl->pending;
    }
    if (zl->ended) return PII_OK;
    pii_status st = PII_OK;
    if (!zl->started) {
        zl->started = true;
        st = member_start(zl, err);
    }
    size_t n = 0;
    if (!st)
        st = zl->e.method == 8 ? deflate_read(zl, buf, cap, &n, err)
                               : stored_read(zl, buf, cap, &n, err);
    if (st) {
        zl->ended = true;
        if (n) { /* what came before the damage goes out first */
            zl->pending = st;
            zl->perr = *err;
            st = PII_OK;
        }
    }
    *got = n;
    return st;
}

static const struct layer_ops zip_ops = {"zip member", zl_read, layer_free_plain};

struct layer *source_zip_layer(struct pii_source *s, unsigned fi)
{
    struct zip_layer *zl = calloc(1, sizeof *zl);
    if (!zl) return NULL;
    layer_init(&zl->l, &zip_ops, s, NULL);
    zl->z = s->fr[fi].zip;
    zl->e = zl->z->e;
    zl->e.name = NULL;
    return &zl->l;
}
