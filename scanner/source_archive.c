/* source_archive.c: libarchive behind the source layer: archive readers fed through read
 * callbacks over the parent stream (or a seekable file / bounded spool file), member data as a
 * layer, and bzip2/xz/lz4 through libarchive's filters. Knows nothing of detectors or sinks. */
#define _GNU_SOURCE
#include "archive_lib.h"
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- archive readers --------------------------------------------------------------------- */

/* What libarchive may hold of its stream at once, read and not yet consumed, in MiB. A format
 * reads a header whole, at the size the header claims: libarchive 3.6 takes a cpio member name
 * of up to 4 GiB, an ar name table of up to 10 GB. A cpio, ar or tar header is a name or a
 * table of names; a 7z, zip or iso directory grows with the number of members. */
static unsigned ahead_max_mib(enum sniff_kind k)
{
    return k == SNIFF_CPIO || k == SNIFF_AR || k == SNIFF_TAR ? 64 : 1024;
}

static la_ssize_t arc_read(struct archive *a, void *ud, const void **out)
{
    struct frame *f = ud;
    size_t got = 0;
    if (f->fail) return ARCHIVE_FATAL;
    /* what libarchive read and has not consumed: a header it gathers whole */
    int64_t taken = archive_filter_bytes(a, -1);
    unsigned max = ahead_max_mib(f->kind);
    if (taken >= 0 && f->arc_pos > (uint64_t)taken &&
        f->arc_pos - (uint64_t)taken > (uint64_t)max << 20) {
        f->fail = err_set(&f->ferr, PII_ERR_LIMIT, NULL,
                          "%s: a header larger than %u MiB (a member name, a name table or a "
                          "directory): the rest of the archive is not read",
                          source_sniff_name(f->kind), max);
        archive_set_error(a, EFBIG, "%s", f->ferr.msg);
        return ARCHIVE_FATAL;
    }
    if (f->afd >= 0) {
        ssize_t n;
        do n = read(f->afd, f->abuf, ABUF_SIZE);
        while (n < 0 && errno == EINTR);
        if (n < 0) {
            f->fail = err_errno(&f->ferr, PII_ERR_IO, errno, NULL, "read error");
            archive_set_error(a, EIO, "%s", f->ferr.msg);
            return ARCHIVE_FATAL;
        }
        got = (size_t)n;
    } else {
        pii_status st = layer_read(f->layers[f->n_layers - 1], f->abuf, ABUF_SIZE, &got, &f->ferr);
        if (st) {
            f->fail = st;
            archive_set_error(a, EIO, "%s", f->ferr.msg);
            return ARCHIVE_FATAL;
        }
    }
    f->arc_in += got;
    f->arc_pos += got;
    *out = f->abuf;
    return (la_ssize_t)got;
}

static la_int64_t arc_seek(struct archive *a, void *ud, la_int64_t off, int whence)
{
    struct frame *f = ud;
    off_t r = lseek(f->afd, whence == SEEK_SET ? off + f->afd_base : off, whence);
    if (r < 0) {
        archive_set_error(a, errno, "seek failed");
        return ARCHIVE_FATAL;
    }
    f->arc_pos = (uint64_t)(r - f->afd_base);
    return (la_int64_t)(r - f->afd_base);
}

/* Copies the frame's stream into an unlinked temporary file, bounded by max_input_size. */
static pii_status spool(struct pii_source *s, struct frame *f, pii_error *err)
{
    const char *dir = s->o.tmp_dir ? s->o.tmp_dir : getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    int fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        char tmpl[4096];
        snprintf(tmpl, sizeof tmpl, "%s/piiscan-spool-XXXXXX", dir);
        fd = mkostemp(tmpl, O_CLOEXEC);
        if (fd < 0)
            return err_errno(err, PII_ERR_IO, errno, NULL, "cannot create a spool file in %s", dir);
        unlink(tmpl);
    }
    uint64_t total = 0;
    for (;;) {
        size_t got;
        pii_status st = layer_read(f->layers[f->n_layers - 1], f->abuf, ABUF_SIZE, &got, err);
        if (st) {
            close(fd);
            return st;
        }
        if (!got) break;
        total += got;
        if (total > s->o.max_input_size) {
            close(fd);
            return err_set(err, PII_ERR_LIMIT, NULL,
                           "spool limit: archive larger than %llu bytes (--max-input-size)",
                           (unsigned long long)s->o.max_input_size);
        }
        for (size_t off = 0; off < got;) {
            ssize_t w = write(fd, f->abuf + off, got - off);
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) {
                int e = errno;
                close(fd);
                return err_errno(err, PII_ERR_IO, e, NULL, "cannot write the spool file");
            }
            off += (size_t)w;
        }
    }
    if (lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return err_errno(err, PII_ERR_IO, errno, NULL, "cannot rewind the spool file");
    }
    f->afd = fd;
    f->afd_owned = true;
    f->afd_base = 0;
    return PII_OK;
}

/* A libarchive reader over the frame's stream or afd. */
static pii_status archive_start(struct frame *f, enum sniff_kind k, pii_error *err)
{
    pii_status loaded = archive_lib_load(err);
    if (loaded) return loaded;
    struct archive *a = archive_read_new();
    if (!a) return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
    switch (k) {
    case SNIFF_ZIP:
        archive_read_support_format_zip(a);
        break;
    case SNIFF_7Z:
        archive_read_support_format_7zip(a);
        break;
    case SNIFF_TAR:
        archive_read_support_format_tar(a);
        break;
    case SNIFF_CPIO:
        archive_read_support_format_cpio(a);
        break;
    case SNIFF_AR:
        archive_read_support_format_ar(a);
        break;
    case SNIFF_ISO:
        archive_read_support_format_iso9660(a);
        break;
    default:
        archive_read_free(a);
        return err_set(err, PII_ERR_FORMAT, NULL, "not an archive");
    }
    f->fail = PII_OK;
    f->arc_pos = 0; /* the stream, or afd at afd_base */
    archive_read_set_read_callback(a, arc_read);
    archive_read_set_callback_data(a, f);
    if (f->afd >= 0) archive_read_set_seek_callback(a, arc_seek);
    if (archive_read_open1(a) != ARCHIVE_OK) {
        pii_status st;
        if (f->fail) {
            *err = f->ferr;
            st = f->fail;
        } else {
            const char *m = archive_error_string(a);
            st = err_set(err, PII_ERR_FORMAT, NULL, "%s: %s", source_sniff_name(k),
                         m ? m : "cannot open the archive");
        }
        archive_read_free(a);
        return st;
    }
    f->ar = a;
    return PII_OK;
}

pii_status source_archive_reopen(struct pii_source *s, unsigned fi, pii_error *err)
{
    struct frame *f = &s->fr[fi];
    if (f->ar) archive_read_free(f->ar);
    f->ar = NULL;
    f->ar_fatal = false;
    if (lseek(f->afd, f->afd_base, SEEK_SET) < 0)
        return err_errno(err, PII_ERR_IO, errno, NULL, "cannot seek");
    pii_status st = archive_start(f, f->kind, err);
    if (st) return st;
    /* skip the members already seen, the damaged one included */
    for (uint64_t i = 0; i < f->n_entries; i++) {
        struct archive_entry *e;
        if (archive_read_next_header(f->ar, &e) < ARCHIVE_WARN)
            return err_set(err, PII_ERR_FORMAT, NULL, "%s: cannot resume after a damaged member",
                           source_sniff_name(f->kind));
    }
    return PII_OK;
}

pii_status source_archive_open(struct pii_source *s, unsigned fi, enum sniff_kind k, pii_error *err)
{
    struct frame *f = &s->fr[fi];
    if (!f->abuf && !(f->abuf = malloc(ABUF_SIZE)))
        return err_set(err, PII_ERR_NOMEM, NULL, "out of memory");
    bool needs_seek = k == SNIFF_ZIP || k == SNIFF_7Z;
    if (fi == 0 && f->n_codecs == 0 && s->seekable) {
        /* the file itself: read it directly, with seeks (zip's central directory) */
        if (lseek(s->fd, s->fd_start, SEEK_SET) < 0)
            return err_errno(err, PII_ERR_IO, errno, NULL, "cannot seek");
        /* the archive reader seeks about (zip's central directory): count the file once */
        struct stat sb;
        s->st.compressed_bytes = fstat(s->fd, &sb) == 0 ? (uint64_t)(sb.st_size - s->fd_start) : 0;
        f->afd = s->fd;
        f->afd_owned = false;
        f->afd_base = s->fd_start;
    } else if (needs_seek) {
        pii_status st = spool(s, f, err);
        if (st) return st;
    }
    if (k == SNIFF_ZIP) {
        pii_status st = source_zip_open(s, fi, err);
        if (st != PII_END) return st;
    }
    return archive_start(f, k, err);
}

void source_archive_close(struct frame *f)
{
    source_zip_close(f);
    if (f->ar) archive_read_free(f->ar);
    f->ar = NULL;
    if (f->afd >= 0 && f->afd_owned) close(f->afd);
    f->afd = -1;
    f->afd_owned = false;
}

/* ---- member data ------------------------------------------------------------------------- */

struct entry_layer {
    struct layer l;
    unsigned pf;    /* the frame whose archive this member belongs to */
    uint64_t start; /* that archive's arc_in when the member began */
};

static pii_status entry_read(struct layer *l, uint8_t *buf, size_t cap, size_t *got, pii_error *err)
{
    struct entry_layer *el = (struct entry_layer *)l;
    struct frame *pf = &l->src->fr[el->pf];
    la_ssize_t r = archive_read_data(pf->ar, buf, cap);
    if (r < 0) {
        if (pf->fail) {
            *err = pf->ferr;
            return pf->fail;
        }
        const char *m = archive_error_string(pf->ar);
        pii_status st = err_set(err, PII_ERR_FORMAT, NULL, "%s: %s", source_sniff_name(pf->kind),
                                m ? m : "cannot read the member");
        /* the reader is unusable after this: a seekable archive is reopened past the damaged
         * member, a streamed one ends here */
        if (r == ARCHIVE_FATAL) {
            if (pf->afd >= 0)
                pf->ar_fatal = true;
            else
                pf->dead = true;
        }
        return st;
    }
    *got = (size_t)r;
    l->in_bytes = pf->arc_in - el->start;
    return PII_OK;
}

static const struct layer_ops entry_ops = {"archive member", entry_read, layer_free_plain};

struct layer *source_entry_layer(struct pii_source *s, unsigned parent_frame)
{
    struct entry_layer *el = calloc(1, sizeof *el);
    if (!el) return NULL;
    layer_init(&el->l, &entry_ops, s, NULL);
    el->pf = parent_frame;
    el->start = s->fr[parent_frame].arc_in;
    return &el->l;
}

/* ---- bzip2, xz, lz4: libarchive filters with the "raw" format ------------------------------ */

struct raw_layer {
    struct layer l;
    struct archive *a;
    uint8_t *buf;
    bool opened;
    pii_status fail;
    pii_error ferr;
};

static la_ssize_t raw_cb(struct archive *a, void *ud, const void **out)
{
    struct raw_layer *rl = ud;
    size_t got;
    if (rl->fail) return ARCHIVE_FATAL;
    pii_status st = layer_read(rl->l.parent, rl->buf, ABUF_SIZE, &got, &rl->ferr);
    if (st) {
        rl->fail = st;
        archive_set_error(a, EIO, "%s", rl->ferr.msg);
        return ARCHIVE_FATAL;
    }
    rl->l.in_bytes += got;
    *out = rl->buf;
    return (la_ssize_t)got;
}

static pii_status raw_error(struct raw_layer *rl, pii_error *err, const char *what)
{
    if (rl->fail) {
        *err = rl->ferr;
        return rl->fail;
    }
    const char *m = archive_error_string(rl->a);
    rl->fail = err_set(err, PII_ERR_FORMAT, NULL, "%s: %s", what, m ? m : "corrupt data");
    rl->ferr = *err;
    return rl->fail;
}

static pii_status raw_read(struct layer *l, uint8_t *buf, size_t cap, size_t *got, pii_error *err)
{
    struct raw_layer *rl = (struct raw_layer *)l;
    if (rl->fail) {
        *err = rl->ferr;
        return rl->fail;
    }
    if (!rl->opened) {
        rl->opened = true;
        struct archive_entry *e;
        archive_read_set_read_callback(rl->a, raw_cb);
        archive_read_set_callback_data(rl->a, rl);
        if (archive_read_open1(rl->a) != ARCHIVE_OK) return raw_error(rl, err, "decompression");
        if (archive_read_next_header(rl->a, &e) != ARCHIVE_OK)
            return raw_error(rl, err, "decompression");
    }
    la_ssize_t r = archive_read_data(rl->a, buf, cap);
    if (r < 0) return raw_error(rl, err, "decompression");
    *got = (size_t)r;
    return PII_OK;
}

static void raw_free(struct layer *l)
{
    struct raw_layer *rl = (struct raw_layer *)l;
    if (rl->a) archive_read_free(rl->a);
    free(rl->buf);
    free(rl);
}

static const struct layer_ops raw_ops = {"decompression", raw_read, raw_free};

struct layer *source_rawfilter_new(struct pii_source *s, struct layer *parent)
{
    struct raw_layer *rl = calloc(1, sizeof *rl);
    if (!rl) return NULL;
    layer_init(&rl->l, &raw_ops, s, parent);
    rl->buf = malloc(ABUF_SIZE);
    /* without libarchive the layer is made all the same: its first read reports why */
    if ((rl->fail = archive_lib_load(&rl->ferr))) return &rl->l;
    rl->a = archive_read_new();
    if (!rl->buf || !rl->a) {
        raw_free(&rl->l);
        return NULL;
    }
    archive_read_support_filter_bzip2(rl->a);
    archive_read_support_filter_xz(rl->a);
    archive_read_support_filter_lz4(rl->a);
    archive_read_support_format_raw(rl->a);
    return &rl->l;
}
