/* source.c: the pii_source core: opening a path or fd, the stack of nested members (frames),
 * member name chains, sniffing and layering decoders, limits and error attribution.
 * Knows nothing of detectors, scanners or sinks; libarchive only through source_archive.c. */
#define _GNU_SOURCE
#include "source.h"
#include "archive_lib.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_SIZE   (256u * 1024u)
#define MAX_DEPTH   64u
#define CHAIN_LIMIT (64u * 1024u) /* a longer member chain is cut (its end replaced by "...") */

void pii_source_opts_init(pii_source_opts *o)
{
    if (o) memset(o, 0, sizeof *o);
}

static void opts_fill(pii_source_opts *o)
{
    if (!o->max_depth) o->max_depth = PII_SOURCE_DEFAULT_DEPTH;
    if (o->max_depth > MAX_DEPTH) o->max_depth = MAX_DEPTH;
    if (!o->max_member_size) o->max_member_size = PII_SOURCE_DEFAULT_MEMBER_SIZE;
    if (!o->max_input_size) o->max_input_size = PII_SOURCE_DEFAULT_INPUT_SIZE;
    if (!o->max_ratio) o->max_ratio = PII_SOURCE_DEFAULT_RATIO;
    if (!o->ratio_min) o->ratio_min = PII_SOURCE_DEFAULT_RATIO_MIN;
    if (!o->max_members) o->max_members = PII_SOURCE_DEFAULT_MEMBERS;
}

const char *pii_source_gzip_impl(const pii_source_opts *o)
{
    return source_gzip_impl(o && (o->flags & PII_SOURCE_FORCE_ZLIB));
}

/* ---- layers ------------------------------------------------------------------------------ */

void layer_init(struct layer *l, const struct layer_ops *ops, struct pii_source *s,
                struct layer *parent)
{
    l->ops = ops;
    l->parent = parent;
    l->src = s;
}

pii_status layer_read(struct layer *l, uint8_t *buf, size_t cap, size_t *got, pii_error *err)
{
    *got = 0;
    pii_status st = l->ops->read(l, buf, cap, got, err);
    if (st) return st;
    l->out_bytes += *got;
    struct pii_source *s = l->src;
    /* decoders and archive members: the bomb limits */
    if (l->in_bytes != UINT64_MAX) {
        {
            s->decoded += *got;
            if (s->decoded > s->o.max_input_size) {
                s->input_fatal = true;
                return err_set(err, PII_ERR_LIMIT, NULL,
                               "input size limit: more than %llu bytes expanded "
                               "(--max-input-size)",
                               (unsigned long long)s->o.max_input_size);
            }
            if (l->out_bytes > s->o.ratio_min &&
                l->out_bytes / (l->in_bytes ? l->in_bytes : 1) >= s->o.max_ratio)
                return err_set(err, PII_ERR_LIMIT, NULL,
                               "expansion ratio limit: %s expanded %llu bytes to %llu "
                               "(ratio over %llu, --max-ratio)",
                               l->ops->name, (unsigned long long)l->in_bytes,
                               (unsigned long long)l->out_bytes,
                               (unsigned long long)s->o.max_ratio);
        }
    }
    return PII_OK;
}

static pii_status fd_read(struct layer *l, uint8_t *buf, size_t cap, size_t *got, pii_error *err)
{
    /* A regular file that gave as many bytes as it had when it was opened is at its end
     * (whatever its start, it cannot have given more): no read to be told so, which is one
     * syscall of the four a small file costs. One that grew since is read as it was then. */
    int64_t size = l->src->fd_size;
    if ((size > 0 && l->out_bytes >= (uint64_t)size) || l->src->fd_eof) {
        *got = 0;
        return PII_OK;
    }
    for (;;) {
        ssize_t n = read(l->src->fd, buf, cap);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            return err_errno(err, PII_ERR_IO, errno, NULL, "read error after %llu bytes",
                             (unsigned long long)l->out_bytes);
        *got = (size_t)n;
        /* a regular file known as such (no fstat): a short read was its end */
        if ((l->src->o.flags & PII_SOURCE_REGULAR_FILE) && (size_t)n < cap) l->src->fd_eof = true;
        l->src->st.compressed_bytes += (uint64_t)n;
        return PII_OK;
    }
}

void layer_free_plain(struct layer *l)
{
    free(l);
}

static const struct layer_ops fd_ops = {"file", fd_read, layer_free_plain};

struct layer *source_fd_layer(struct pii_source *s)
{
    struct layer *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    l->ops = &fd_ops;
    l->src = s;
    l->in_bytes = UINT64_MAX; /* not a decoder: no bomb accounting */
    return l;
}

/* Replays the bytes the sniffer read, then reads through. */
struct prefix_layer {
    struct layer l;
    const uint8_t *p;
    size_t len, pos;
    bool eof;           /* the stream below ended within these bytes: no read after them */
    pii_status pending; /* the stream failed after these bytes: the error, after them */
    pii_error perr;
};

static pii_status prefix_read(struct layer *l, uint8_t *buf, size_t cap, size_t *got,
                              pii_error *err)
{
    struct prefix_layer *pl = (struct prefix_layer *)l;
    if (pl->pos < pl->len) {
        size_t n = pl->len - pl->pos < cap ? pl->len - pl->pos : cap;
        memcpy(buf, pl->p + pl->pos, n);
        pl->pos += n;
        *got = n;
        return PII_OK;
    }
    if (pl->pending) {
        *err = pl->perr;
        return pl->pending;
    }
    if (pl->eof) return PII_OK; /* *got is 0: a small file costs no second read at its end */
    return layer_read(l->parent, buf, cap, got, err);
}

static const struct layer_ops prefix_ops = {"prefix", prefix_read, layer_free_plain};

/* The sniffed bytes not yet delivered, when l replays them (pii_source_read hands them out
 * where they are: no copy, and a file within them needs no read buffer). */
static size_t prefix_left(struct layer *l, const uint8_t **p)
{
    if (l->ops != &prefix_ops) return 0;
    struct prefix_layer *pl = (struct prefix_layer *)l;
    *p = pl->p + pl->pos;
    return pl->len - pl->pos;
}

/* Whether l replays sniffed bytes that were all delivered and the stream below ended within
 * them (no error after them): the member's end, known without a read buffer. */
static bool prefix_ended(struct layer *l)
{
    if (l->ops != &prefix_ops) return false;
    struct prefix_layer *pl = (struct prefix_layer *)l;
    return pl->pos == pl->len && pl->eof && !pl->pending;
}

static void prefix_take(struct layer *l, size_t n)
{
    ((struct prefix_layer *)l)->pos += n;
    l->out_bytes += n;
}

/* ---- frames ------------------------------------------------------------------------------ */

static struct layer *top_layer(struct frame *f)
{
    return f->n_layers ? f->layers[f->n_layers - 1] : NULL;
}

static void frame_release(struct frame *f)
{
    source_archive_close(f);
    for (int i = f->n_layers - 1; i >= 0; i--) f->layers[i]->ops->free(f->layers[i]);
    f->n_layers = f->n_codecs = 0;
    f->dead = f->delivered = f->ar_fatal = false;
    f->n_entries = 0;
    f->fail = PII_OK;
    f->fmt[0] = 0;
}

static void pop(pii_source *s)
{
    frame_release(&s->fr[--s->n_fr]);
    size_t len = s->n_fr ? s->fr[s->n_fr - 1].chain_len : 0;
    s->chain[len] = 0;
}

static bool chain_reserve(pii_source *s, size_t need)
{
    if (need <= s->chain_cap) return true;
    size_t cap = s->chain_cap * 2 > need ? s->chain_cap * 2 : need;
    char *p = realloc(s->chain, cap);
    if (!p) return false;
    s->chain = p;
    s->chain_cap = cap;
    return true;
}

/* Pushes a frame for a member called `name` (NULL for the input itself). */
static pii_status push(pii_source *s, const char *name, pii_error *err)
{
    struct frame *f = &s->fr[s->n_fr];
    size_t base = s->n_fr ? s->fr[s->n_fr - 1].chain_len : 0;
    size_t len = base;
    if (name) {
        size_t nl = strlen(name);
        if (nl > CHAIN_LIMIT) nl = CHAIN_LIMIT;
        if (!chain_reserve(s, base + nl + 2))
            return err_set(err, PII_ERR_NOMEM, s->path, "out of memory");
        if (base) s->chain[len++] = '!';
        memcpy(s->chain + len, name, nl);
        len += nl;
    }
    s->chain[len] = 0;
    memset(&f->ferr, 0, sizeof f->ferr);
    f->chain_len = len;
    f->afd = -1;
    f->afd_owned = false;
    f->arc_in = 0;
    f->src = s;
    s->n_fr++;
    return PII_OK;
}

static bool frame_add(struct frame *f, struct layer *l)
{
    if (!l) return false;
    if (f->n_layers == MAX_LAYERS) {
        l->ops->free(l);
        return false;
    }
    f->layers[f->n_layers++] = l;
    return true;
}

static void fmt_add(struct frame *f, const char *name)
{
    size_t n = strlen(f->fmt);
    snprintf(f->fmt + n, sizeof f->fmt - n, "%s%s", n ? "+" : "", name);
}

/* Reports an error met while working on frame `cur`: the member named is cur's, the frames
 * that cannot go on (from the lowest failed stream, or all for an input-wide limit) die. */
static pii_status fail(pii_source *s, unsigned cur, pii_status st, pii_error *err)
{
    unsigned from = cur;
    for (unsigned j = 0; j < cur; j++)
        if (s->fr[j].fail) {
            from = j;
            break;
        }
    if (s->input_fatal || st == PII_ERR_NOMEM) from = 0;
    for (unsigned j = from; j < s->n_fr; j++) s->fr[j].dead = true;
    size_t len = s->fr[cur].chain_len;
    if (len + 1 > s->err_member_cap) {
        char *p = realloc(s->err_member, len + 1);
        if (p) {
            s->err_member = p;
            s->err_member_cap = len + 1;
        }
    }
    if (s->err_member_cap >= len + 1) {
        memcpy(s->err_member, s->chain, len);
        s->err_member[len] = 0;
    }
    if (err) {
        err->code = st;
        snprintf(err->origin, sizeof err->origin, "%s%s%.*s", s->path, len ? "!" : "", (int)len,
                 s->chain);
    }
    s->st.errors++;
    return st;
}

/* Sniffs frame fi's stream and stacks decoders until it is plain (PII_OK: a member to return)
 * or an archive (PII_END: iterate it), or fails. */
static pii_status classify(pii_source *s, unsigned fi, pii_error *err)
{
    struct frame *f = &s->fr[fi];
    for (;;) {
        int lvl = f->n_codecs;
        if (!f->pre[lvl] && !(f->pre[lvl] = malloc(SNIFF_MAX)))
            return fail(s, fi, err_set(err, PII_ERR_NOMEM, NULL, "out of memory"), err);
        size_t n = 0, got, want;
        pii_status st;
        do {
            want = SNIFF_MAX - n;
            st = layer_read(top_layer(f), f->pre[lvl] + n, want, &got, err);
            n += got;
            /* a short read: a pipe that may wait (tail -f); text decided on what came */
        } while (!st && got && n < SNIFF_MAX && !(got < want && source_sniff_text(f->pre[lvl], n)));
        /* a stream that fails after some bytes (a small member with a bad CRC) still gives
         * them, then its error: what it held before the damage is scanned */
        if (st && (!n || st == PII_ERR_NOMEM || s->input_fatal)) return fail(s, fi, st, err);
        struct prefix_layer *pl = calloc(1, sizeof *pl);
        if (pl) {
            layer_init(&pl->l, &prefix_ops, s, top_layer(f));
            pl->l.in_bytes = UINT64_MAX;
            pl->p = f->pre[lvl];
            pl->len = n;
            pl->eof = !st && !got;
            pl->pending = st;
            if (st) pl->perr = *err;
        }
        if (!frame_add(f, pl ? &pl->l : NULL))
            return fail(s, fi, err_set(err, PII_ERR_NOMEM, NULL, "out of memory"), err);
        enum sniff_kind k = source_sniff(f->pre[lvl], n);
        if (sniff_is_codec(k)) {
            if (f->n_codecs == MAX_CODECS)
                return fail(s, fi,
                            err_set(err, PII_ERR_LIMIT, NULL,
                                    "more than %d compressions stacked in one member", MAX_CODECS),
                            err);
            struct layer *parent = top_layer(f), *l;
            if (k == SNIFF_GZIP)
                l = source_gzip_new(s, parent, s->o.flags & PII_SOURCE_FORCE_ZLIB);
            else if (k == SNIFF_ZSTD)
                l = source_zstd_new(s, parent);
            else if (k == SNIFF_UTF16LE || k == SNIFF_UTF16BE)
                l = source_utf16_new(s, parent, k == SNIFF_UTF16BE);
            else
                l = source_rawfilter_new(s, parent);
            if (!frame_add(f, l))
                return fail(s, fi, err_set(err, PII_ERR_NOMEM, NULL, "out of memory"), err);
            f->n_codecs++;
            fmt_add(f, source_sniff_name(k));
            continue;
        }
        if (k == SNIFF_PLAIN) {
            if (!f->fmt[0]) fmt_add(f, "plain");
            return PII_OK;
        }
        unsigned depth = 1;
        for (unsigned j = 0; j < fi; j++)
            if (s->fr[j].ar || s->fr[j].zip) depth++;
        fmt_add(f, source_sniff_name(k));
        if (depth > s->o.max_depth)
            return fail(s, fi,
                        err_set(err, PII_ERR_LIMIT, NULL,
                                "archive nesting deeper than %u (--max-archive-depth)",
                                s->o.max_depth),
                        err);
        f->kind = k;
        if (fi == 0 && f->n_codecs == 0 && s->seekable && s->fd_start < 0) {
            /* the file itself is the archive: read with seeks from where the input began,
             * which is where it is now less what the sniffer read */
            off_t pos = lseek(s->fd, 0, SEEK_CUR);
            s->fd_start =
                pos >= (off_t)s->st.compressed_bytes ? pos - (off_t)s->st.compressed_bytes : 0;
            if (pos < (off_t)s->st.compressed_bytes) s->seekable = false;
        }
        st = source_archive_open(s, fi, k, err);
        if (st) return fail(s, fi, st, err);
        return PII_END;
    }
}

static pii_status deliver(pii_source *s, unsigned fi, const pii_member **out, const char *skip,
                          int64_t size)
{
    struct frame *f = &s->fr[fi];
    f->delivered = true;
    s->member_bytes = 0;
    s->m.name = s->chain;
    s->m.name_len = f->chain_len;
    s->m.depth = fi;
    s->m.format = f->fmt[0] ? f->fmt : "-";
    s->m.size = size;
    s->m.skip = skip;
    if (fi) s->st.members++;
    if (skip) s->st.skipped++;
    if (fi > s->st.max_depth_seen) s->st.max_depth_seen = fi;
    if (out) *out = &s->m;
    return PII_OK;
}

/* ---- public ------------------------------------------------------------------------------ */

/* A source reading fd (not owned): an empty one set up as pii_source_reopen_fd sets up a used
 * one, so there is one way to start an input. */
static pii_status source_new(int fd, const char *name, const pii_source_opts *o, pii_source **out,
                             pii_error *err)
{
    pii_source *s = calloc(1, sizeof *s);
    if (!s) return err_set(err, PII_ERR_NOMEM, name, "out of memory");
    s->fd = -1;
    pii_status st = chain_reserve(s, 256) ? pii_source_reopen_fd(s, fd, name, o, err)
                                          : err_set(err, PII_ERR_NOMEM, name, "out of memory");
    if (st) {
        pii_source_free(s);
        return st;
    }
    *out = s;
    return PII_OK;
}

pii_status pii_source_open_path(const char *path, const pii_source_opts *o, pii_source **out,
                                pii_error *err)
{
    if (!out || !path) return err_set(err, PII_ERR_ARG, path, "no path or no output pointer");
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return err_errno(err, PII_ERR_IO, errno, path, "cannot open");
    struct stat sb;
    if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        close(fd);
        return err_set(err, PII_ERR_IO, path, "is a directory");
    }
    pii_source *s = NULL;
    pii_status st = source_new(fd, path, o, &s, err);
    if (st) {
        close(fd);
        return st;
    }
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    s->own_fd = true;
    s->fd_start = 0; /* opened here: its start is offset 0 */
    *out = s;
    return PII_OK;
}

pii_status pii_source_open_fd(int fd, const char *name, const pii_source_opts *o, pii_source **out,
                              pii_error *err)
{
    if (!out || fd < 0) return err_set(err, PII_ERR_ARG, name, "bad fd or no output pointer");
    *out = NULL;
    return source_new(fd, name, o, out, err);
}

pii_status pii_source_reopen_fd(pii_source *s, int fd, const char *name, const pii_source_opts *o,
                                pii_error *err)
{
    if (!s || fd < 0) return err_set(err, PII_ERR_ARG, name, "bad fd or no source");
    while (s->n_fr) pop(s);
    if (s->own_fd && s->fd >= 0) close(s->fd);
    s->fd = -1;
    s->own_fd = false;
    pii_source_opts no = {0};
    if (o) no = *o;
    opts_fill(&no);
    if (no.max_depth + 2 > s->cap_fr) { /* deeper than before: more frames */
        struct frame *nf = realloc(s->fr, (no.max_depth + 2) * sizeof *nf);
        if (!nf) return err_set(err, PII_ERR_NOMEM, name, "out of memory");
        memset(nf + s->cap_fr, 0, (no.max_depth + 2 - s->cap_fr) * sizeof *nf);
        for (unsigned i = s->cap_fr; i < no.max_depth + 2; i++) nf[i].afd = -1;
        s->fr = nf;
        s->cap_fr = no.max_depth + 2;
    }
    const char *nm = name ? name : "-";
    size_t nl = strlen(nm);
    if (nl + 1 > s->path_cap) {
        char *np = malloc(nl + 1);
        if (!np) return err_set(err, PII_ERR_NOMEM, name, "out of memory");
        free(s->path);
        s->path = np;
        s->path_cap = nl + 1;
    }
    memcpy(s->path, nm, nl + 1);
    /* the buffers stay; everything else as in a new source (fd_start: not yet known) */
    pii_source keep = *s;
    memset(s, 0, sizeof *s);
    s->fr = keep.fr;
    s->cap_fr = keep.cap_fr;
    s->chain = keep.chain;
    s->chain_cap = keep.chain_cap;
    s->err_member = keep.err_member;
    s->err_member_cap = keep.err_member_cap;
    s->buf = keep.buf;
    s->path = keep.path;
    s->path_cap = keep.path_cap;
    s->o = no;
    s->fd = fd;
    s->fd_start = -1;
    s->chain[0] = 0;
    if (s->err_member) s->err_member[0] = 0;
    return PII_OK;
}

/* After an archive's end: reads its stream to the end, so that a damaged or truncated
 * compression around it (a tar.gz's trailer) is reported, and so is data hidden after a tar's
 * end marker. */
static pii_status drain_tail(pii_source *s, struct frame *f, pii_error *err)
{
    if (f->afd >= 0) return PII_OK;
    for (;;) {
        size_t got;
        pii_status st = layer_read(top_layer(f), f->abuf, ABUF_SIZE, &got, err);
        if (st) return st;
        if (!got) return PII_OK;
        if (f->kind != SNIFF_TAR) continue;
        for (size_t i = 0; i < got; i++)
            if (f->abuf[i])
                return err_set(err, PII_ERR_FORMAT, NULL,
                               "data after the end of the tar archive (not scanned)");
    }
    (void)s;
}

/* An archive entry, from libarchive or the zip reader. */
struct entry_info {
    const char *name;
    int64_t size;
    const char *skip;
    bool dir;
};

static pii_status zip_entry(struct frame *f, struct entry_info *ei, pii_error *err)
{
    const struct zip_entry *e;
    pii_status st = source_zip_next(f, &e, err);
    if (st) return st;
    *ei = (struct entry_info){e->name, (int64_t)e->usize, e->skip, e->dir};
    return PII_OK;
}

static pii_status archive_entry_next(pii_source *s, unsigned fi, struct entry_info *ei,
                                     pii_error *err)
{
    struct frame *f = &s->fr[fi];
    if (f->ar_fatal) {
        pii_status st = source_archive_reopen(s, fi, err);
        if (st) return st;
    }
    struct archive_entry *e;
    int r = archive_read_next_header(f->ar, &e);
    if (r == ARCHIVE_EOF) return PII_END;
    if (r == ARCHIVE_RETRY) r = archive_read_next_header(f->ar, &e);
    if (r < ARCHIVE_WARN || r == ARCHIVE_RETRY) {
        if (f->fail) {
            *err = f->ferr;
            return f->fail;
        }
        const char *msg = archive_error_string(f->ar);
        return err_set(err, PII_ERR_FORMAT, NULL, "%s: %s", source_sniff_name(f->kind),
                       msg ? msg : "cannot read the next member");
    }
    unsigned type = archive_entry_filetype(e);
    ei->dir = type == AE_IFDIR;
    ei->name = archive_entry_pathname(e);
    ei->size = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
    ei->skip = NULL;
    if (type == AE_IFLNK)
        ei->skip = "symlink";
    else if (archive_entry_hardlink(e) && ei->size <= 0)
        ei->skip = "hardlink";
    else if (type != AE_IFREG && type != 0)
        ei->skip = "special file";
    else if (archive_entry_is_encrypted(e))
        ei->skip = "encrypted";
    return PII_OK;
}

pii_status pii_source_next_member(pii_source *s, const pii_member **m, pii_error *err)
{
    if (m) *m = NULL;
    if (!s) return err_set(err, PII_ERR_ARG, NULL, "no source");
    if (!s->started) {
        s->started = true;
        struct stat sb;
        /* where the input starts in the file is asked only when an archive needs it (classify) */
        if (s->o.flags & PII_SOURCE_REGULAR_FILE) {
            s->seekable = true; /* its size unknown: a short read ends it (fd_read) */
        } else {
            s->seekable = fstat(s->fd, &sb) == 0 && S_ISREG(sb.st_mode);
            s->fd_size = s->seekable ? sb.st_size : 0;
        }
        pii_status st = push(s, NULL, err);
        if (st) return st;
        if (!frame_add(&s->fr[0], source_fd_layer(s)))
            return fail(s, 0, err_set(err, PII_ERR_NOMEM, NULL, "out of memory"), err);
        st = classify(s, 0, err);
        if (st == PII_OK) return deliver(s, 0, m, NULL, -1);
        if (st < 0) return st;
    }
    for (;;) {
        if (!s->n_fr) return PII_END;
        unsigned fi = s->n_fr - 1;
        struct frame *f = &s->fr[fi];
        if (f->dead || !(f->ar || f->zip)) {
            pop(s);
            continue;
        }
        if (fi + 1 >= s->cap_fr) { /* cannot happen: depth is checked before opening */
            f->dead = true;
            continue;
        }
        struct entry_info ei = {0};
        pii_status st = f->zip ? zip_entry(f, &ei, err) : archive_entry_next(s, fi, &ei, err);
        if (st == PII_END) {
            f->dead = true;
            st = drain_tail(s, f, err);
            if (st) return fail(s, fi, st, err);
            continue;
        }
        if (st) return fail(s, fi, st, err);
        f->n_entries++;
        if (++s->entries > s->o.max_members) {
            s->input_fatal = true;
            return fail(s, fi,
                        err_set(err, PII_ERR_LIMIT, NULL,
                                "member count limit: more than %llu members (--max-members)",
                                (unsigned long long)s->o.max_members),
                        err);
        }
        if (ei.dir) continue;
        st = push(s, ei.name ? ei.name : "?", err);
        if (st) return st;
        struct frame *c = &s->fr[fi + 1];
        if (ei.skip) {
            c->dead = true;
            return deliver(s, fi + 1, m, ei.skip, ei.size);
        }
        if (!frame_add(c, f->zip ? source_zip_layer(s, fi) : source_entry_layer(s, fi)))
            return fail(s, fi + 1, err_set(err, PII_ERR_NOMEM, NULL, "out of memory"), err);
        int64_t size = ei.size;
        st = classify(s, fi + 1, err);
        if (st == PII_OK) return deliver(s, fi + 1, m, NULL, size);
        if (st < 0) return st;
    }
}

pii_status pii_source_read(pii_source *s, const void **buf, size_t *len, pii_error *err)
{
    if (!s || !buf || !len) return err_set(err, PII_ERR_ARG, NULL, "no source or output");
    *buf = NULL;
    *len = 0;
    if (!s->n_fr) return PII_END;
    unsigned fi = s->n_fr - 1;
    struct frame *f = &s->fr[fi];
    if (f->dead || f->ar || f->zip || !f->delivered || s->m.skip) return PII_END;
    uint64_t left = s->o.max_member_size - s->member_bytes;
    size_t cap = left < READ_SIZE ? (left ? (size_t)left : 1) : READ_SIZE;
    size_t got;
    const uint8_t *pre;
    size_t npre = prefix_left(top_layer(f), &pre);
    if (npre) { /* the sniffed bytes, where they are */
        got = npre < cap ? npre : cap;
        prefix_take(top_layer(f), got);
    } else if (prefix_ended(top_layer(f))) { /* a small file: no read buffer for its end */
        got = 0;
    } else {
        if (!s->buf && !(s->buf = malloc(READ_SIZE)))
            return fail(s, fi, err_set(err, PII_ERR_NOMEM, NULL, "out of memory"), err);
        pii_status st = layer_read(top_layer(f), s->buf, cap, &got, err);
        if (st) return fail(s, fi, st, err);
        pre = s->buf;
    }
    if (!got) {
        f->dead = true;
        return PII_END;
    }
    if (!left)
        return fail(s, fi,
                    err_set(err, PII_ERR_LIMIT, NULL,
                            "member size limit: more than %llu bytes (--max-member-size)",
                            (unsigned long long)s->o.max_member_size),
                    err);
    s->member_bytes += got;
    s->st.expanded_bytes += got;
    *buf = pre;
    *len = got;
    return PII_OK;
}

const char *pii_source_error_member(const pii_source *s)
{
    return s && s->err_member ? s->err_member : "";
}

void pii_source_stats_get(const pii_source *s, pii_source_stats *out)
{
    if (!out) return;
    if (s)
        *out = s->st;
    else
        memset(out, 0, sizeof *out);
}

void pii_source_free(pii_source *s)
{
    if (!s) return;
    while (s->n_fr) pop(s);
    if (s->fr)
        for (unsigned i = 0; i < s->cap_fr; i++) {
            for (int j = 0; j <= MAX_CODECS; j++) free(s->fr[i].pre[j]);
            free(s->fr[i].abuf);
        }
    if (s->own_fd && s->fd >= 0) close(s->fd);
    free(s->fr);
    free(s->chain);
    free(s->err_member);
    free(s->buf);
    free(s->path);
    free(s);
}
