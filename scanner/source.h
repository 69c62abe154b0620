/* source.h: private structures of the source layer (source*.c): byte-stream layers, the frame
 * stack of nested archives, and the sniffer. Knows nothing of detectors, scanners or sinks. */
#ifndef PII_SOURCE_H
#define PII_SOURCE_H

#include "pii_internal.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct archive;
struct zip_reader;

/* ---- sniffing (source_sniff.c) ------------------------------------------------------------ */

enum sniff_kind {
    SNIFF_PLAIN = 0,
    /* compressions: a codec layer, then sniff again */
    SNIFF_GZIP,
    SNIFF_ZSTD,
    SNIFF_BZIP2,
    SNIFF_XZ,
    SNIFF_LZ4,
    SNIFF_UTF16LE, /* text after a byte order mark: a transcoding layer */
    SNIFF_UTF16BE,
    /* containers: libarchive */
    SNIFF_ZIP,
    SNIFF_7Z,
    SNIFF_TAR,
    SNIFF_CPIO,
    SNIFF_AR,
    SNIFF_ISO,
};

/* Bytes the sniffer may need (ISO 9660's magic sits at 0x8001). Fewer are enough at EOF. */
#define SNIFF_MAX 0x8010u

/* Classifies the first n bytes of a stream (n < SNIFF_MAX only when the stream is shorter). */
enum sniff_kind source_sniff(const uint8_t *p, size_t n);
/* Whether the first n bytes of a stream, fewer than SNIFF_MAX, already tell that it is plain
 * text, whatever follows: for a pipe that waits for more (a live log), so that it is not held
 * back until 32 KiB have come. */
bool source_sniff_text(const uint8_t *p, size_t n);
const char *source_sniff_name(enum sniff_kind k);
static inline bool sniff_is_codec(enum sniff_kind k)
{
    return k >= SNIFF_GZIP && k <= SNIFF_UTF16BE;
}

/* ---- layers: one byte stream stacked on another ------------------------------------------ */

struct layer;
struct layer_ops {
    const char *name;
    /* Reads up to cap bytes; *got == 0 with PII_OK is the end of the stream. Output produced
     * before an error is returned first and the error on the next call. The message goes into
     * err (origin left empty: source.c names the member). */
    pii_status (*read)(struct layer *l, uint8_t *buf, size_t cap, size_t *got, pii_error *err);
    void (*free)(struct layer *l);
};

struct layer {
    const struct layer_ops *ops;
    struct layer *parent; /* the stream below; NULL for a base layer */
    struct pii_source *src;
    uint64_t in_bytes;  /* bytes this decoder consumed; UINT64_MAX: not a decoder (no limits) */
    uint64_t out_bytes; /* bytes it produced */
};

/* Sets up the common part of a layer (the rest of *l must be zeroed): ops, the stream below
 * (NULL for a base layer) and the source. */
void layer_init(struct layer *l, const struct layer_ops *ops, struct pii_source *s,
                struct layer *parent);

/* layer_ops.free for a layer that owns nothing but its own allocation. */
void layer_free_plain(struct layer *l);

/* Reads from l, updates out_bytes and applies the expansion-ratio limit. */
pii_status layer_read(struct layer *l, uint8_t *buf, size_t cap, size_t *got, pii_error *err);

/* Codec constructors (source_gzip.c, source_zstd.c, source_archive.c). NULL when out of
 * memory. The layer reads from parent, which it does not own. */
struct layer *source_gzip_new(struct pii_source *s, struct layer *parent, bool force_zlib);
struct layer *source_zstd_new(struct pii_source *s, struct layer *parent);
/* UTF-16 (after its byte order mark) as UTF-8 (source_utf16.c). */
struct layer *source_utf16_new(struct pii_source *s, struct layer *parent, bool big_endian);
/* bzip2, xz, lz4 through libarchive's filters and its "raw" format. */
struct layer *source_rawfilter_new(struct pii_source *s, struct layer *parent);
/* Which inflate the gzip layer uses ("isa-l" or "zlib"). */
const char *source_gzip_impl(bool force_zlib);

/* ---- the frame stack ---------------------------------------------------------------------- */

#define MAX_CODECS 4 /* compressions stacked in one member (gz of gz of …) */
#define MAX_LAYERS (2 * MAX_CODECS + 2)
#define ABUF_SIZE  (64u * 1024u)

/* One level of nesting: a byte stream (the input, or an archive member) and, when that stream
 * is an archive, the libarchive reader over it. Slots are reused from member to member. */
struct frame {
    struct layer *layers[MAX_LAYERS]; /* owned, bottom first; the last one is the top */
    int n_layers, n_codecs;
    uint8_t *pre[MAX_CODECS + 1]; /* sniff buffers, one per codec level (kept across members) */
    struct archive *ar;           /* this stream is an archive being iterated */
    struct zip_reader *zip;       /* or a zip read through its directory (source_zip.c) */
    uint8_t *abuf;                /* the archive read callback's buffer (kept) */
    int afd;                      /* >= 0: the archive reads this fd with seeks (file or spool) */
    bool afd_owned;               /* a spool file, closed with the frame */
    int64_t afd_base;
    uint64_t arc_in;  /* bytes the archive took from its stream */
    uint64_t arc_pos; /* where in its stream the archive reads next (seeks included) */
    enum sniff_kind kind;
    struct pii_source *src;
    pii_status fail; /* the stream below the archive failed: the error, in ferr */
    pii_error ferr;
    size_t chain_len;   /* length of the name chain up to and including this frame's name */
    bool dead;          /* failed or finished: popped by the next next_member */
    bool delivered;     /* a leaf frame already returned as a member */
    bool ar_fatal;      /* libarchive failed for good on a member: reopen (seekable) or end */
    uint64_t n_entries; /* headers read from this archive */
    char fmt[64];       /* codec chain, "gzip+tar" */
};

struct pii_source {
    pii_source_opts o;
    char *path; /* how the input is named */
    size_t path_cap;
    int fd;
    bool own_fd;
    int64_t fd_start;
    bool started;
    struct frame *fr;
    unsigned n_fr, cap_fr;
    char *chain; /* member names joined with '!' */
    size_t chain_cap;
    char *err_member; /* member chain of the last error */
    size_t err_member_cap;
    uint8_t *buf; /* pii_source_read's buffer */
    pii_member m;
    pii_source_stats st;
    uint64_t member_bytes; /* delivered for the current member */
    uint64_t entries;      /* archive entries seen (all depths, incl. directories) */
    uint64_t decoded;      /* bytes produced by decoders and archive members, all levels */
    bool input_fatal;      /* an input-wide limit was hit: nothing more is read */
    bool seekable;         /* the fd is a regular file */
    int64_t fd_size;       /* its size when the input began (0: not a regular file, or not asked) */
    bool fd_eof;           /* PII_SOURCE_REGULAR_FILE: a read came short, the file has ended */
};

/* Base layers: the input's fd, and an archive member's data. */
struct layer *source_fd_layer(struct pii_source *s);
struct layer *source_entry_layer(struct pii_source *s, unsigned parent_frame);
/* An archive reader over frame fi's stream (or its afd); fills f->ar. */
pii_status source_archive_open(struct pii_source *s, unsigned fi, enum sniff_kind k,
                               pii_error *err);
void source_archive_close(struct frame *f);
/* Reopens a seekable archive after a fatal member error, positioned after that member. */
pii_status source_archive_reopen(struct pii_source *s, unsigned fi, pii_error *err);

/* ---- zip through its central directory (source_zip.c) ------------------------------------ */

/* One directory entry, borrowed from the reader until the next source_zip_next. */
struct zip_entry {
    const char *name; /* raw bytes (or the Info-ZIP Unicode Path), NUL-terminated */
    size_t name_len;
    uint16_t made_by, flags, method, disk;
    uint32_t crc, mode;
    uint64_t csize, usize, lho;
    bool zip64_missing; /* a field overflowed and its zip64 value is missing */
    bool dir;
    const char *skip; /* "encrypted", "symlink", "special file", or NULL */
};

/* Reads frame fi's zip (its afd: the file or a spool file) through its central directory,
 * setting f->zip. PII_END when it is not for this reader (no afd, several disks, a damaged
 * directory, a method other than stored and deflate, PII_SOURCE_ZIP_LIBARCHIVE): libarchive
 * reads it then. Other errors are I/O or memory. */
pii_status source_zip_open(struct pii_source *s, unsigned fi, pii_error *err);
/* The next directory entry (PII_OK), PII_END, or an error (the archive cannot go on). */
pii_status source_zip_next(struct frame *f, const struct zip_entry **e, pii_error *err);
/* The current entry's data: inflated or copied, its size and CRC-32 checked at its end. */
struct layer *source_zip_layer(struct pii_source *s, unsigned fi);
void source_zip_close(struct frame *f);

#endif
