/* piiscan.h: the public API of libpiiscan, a scanner for personal data in logs and datasets.
 * Detector sets are compiled into an immutable engine; each thread scans through its own scanner.
 */
#ifndef PIISCAN_H
#define PIISCAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define PII_API __attribute__((visibility("default")))
#else
#define PII_API
#endif

#define PII_VERSION_STRING "0.1.0"

/* ---- status and errors ------------------------------------------------------------------ */

/* 0 is success; positive values are signals, negative values are errors. */
typedef enum pii_status {
    PII_OK = 0,
    PII_END = 1,  /* no more data / members */
    PII_STOP = 2, /* a callback asked to stop */
    PII_ERR_NOMEM = -1,
    PII_ERR_ARG = -2,
    PII_ERR_MISUSE = -3,
    PII_ERR_IO = -4,
    PII_ERR_FORMAT = -5,
    PII_ERR_LIMIT = -6,
    PII_ERR_PATTERN = -7,
    PII_ERR_ENGINE = -8,
    PII_ERR_PLATFORM = -9,
} pii_status;

/* Error detail, owned by the caller (usually on the stack), never heap-allocated.
 * Written only when a call fails. `origin` names the file, member or pattern file:line. */
typedef struct pii_error {
    pii_status code;
    int sys_errno;
    char msg[256];
    char origin[256];
    uint64_t offset;
} pii_error;

#define PII_ERROR_INIT                                                                             \
    {                                                                                              \
        PII_OK, 0, {0}, {0}, 0                                                                     \
    }

/* Library version ("0.1.0"); static storage. */
PII_API const char *pii_version(void);
/* Short name of a status ("ok", "io error", …); static storage. */
PII_API const char *pii_status_str(pii_status st);
/* PII_OK when this CPU can run the matcher, PII_ERR_PLATFORM (with a message) otherwise. */
PII_API pii_status pii_platform_check(pii_error *err);

/* ---- CCPA categories ------------------------------------------------------------------- */

/* Bit i is the letter 'A'+i of Cal. Civ. Code 1798.140(v)(1). */
typedef uint32_t pii_category;
#define PII_CAT(letter) ((pii_category)1u << ((letter) - 'A'))
/* Writes the letters of `mask` as a JSON-ready list into out ("A,B"), returns its length. */
PII_API size_t pii_category_letters(pii_category mask, char *out, size_t cap);

typedef enum pii_risk { PII_RISK_LOW = 0, PII_RISK_MEDIUM = 1, PII_RISK_HIGH = 2 } pii_risk;
PII_API const char *pii_risk_name(pii_risk r);

/* How a detector's sensitivity (1798.140(ae)) is decided. */
typedef enum pii_spi {
    PII_SPI_NO = 0,       /* never sensitive */
    PII_SPI_YES = 1,      /* always sensitive (SSN, passport, …) */
    PII_SPI_COMBINED = 2, /* sensitive only together with its credential in the same record */
} pii_spi;

/* ---- detectors ------------------------------------------------------------------------- */

typedef struct pii_detectors pii_detectors;

/* Read-only view of one detector. Strings are owned by the detector set / engine. */
typedef struct pii_detector_info {
    const char *id;
    const char *group;
    const char *description;
    const char *validator; /* name in the validator registry, "" for none */
    pii_category ccpa;
    pii_spi spi;
    pii_risk risk;
    int base_confidence; /* 0..100 */
} pii_detector_info;

/* A new empty detector set. */
PII_API pii_status pii_detectors_new(pii_detectors **out, pii_error *err);
/* The built-in catalogue (compiled into the library from patterns/). */
PII_API pii_status pii_detectors_load_builtin(pii_detectors *d, pii_error *err);
/* Add the detectors of a pattern file (format: patterns/README.md). On a bad line the
 * error's origin is "file:line" and nothing from that file is added. */
PII_API pii_status pii_detectors_load_file(pii_detectors *d, const char *path, pii_error *err);
PII_API pii_status pii_detectors_load_mem(pii_detectors *d, const char *text, size_t len,
                                          const char *origin, pii_error *err);
/* Enable exactly the detectors named by `spec` (comma-separated ids or group names,
 * "all"), or, with exclude != 0, disable them. Unknown names are PII_ERR_ARG. */
PII_API pii_status pii_detectors_select(pii_detectors *d, const char *spec, int exclude,
                                        pii_error *err);
PII_API size_t pii_detectors_count(const pii_detectors *d);
PII_API int pii_detectors_info(const pii_detectors *d, size_t i, pii_detector_info *out);
PII_API void pii_detectors_free(pii_detectors *d);

/* ---- engine ---------------------------------------------------------------------------- */

typedef struct pii_engine pii_engine;

typedef struct pii_engine_opts {
    const char *fingerprint_key; /* HMAC key; NULL selects PII_DEFAULT_FINGERPRINT_KEY */
    /* Directory of the compiled-pattern cache, NULL for none. A pattern set the built-in
     * database does not cover (user patterns, or a CPU it does not fit) is compiled once and
     * kept there, keyed by the expressions, the Hyperscan version and the CPU; a cache file
     * that is corrupt, foreign or stale is ignored and rewritten. Failing to read or write
     * the cache is never an error. */
    const char *cache_dir;
} pii_engine_opts;

#define PII_DEFAULT_FINGERPRINT_KEY "piiscan-fingerprint-v1"

PII_API void pii_engine_opts_init(pii_engine_opts *o);
/* Compile the enabled detectors of `d` (which is copied: it may be freed afterwards).
 * The engine is immutable and may be shared by any number of threads. */
PII_API pii_status pii_engine_compile(const pii_detectors *d, const pii_engine_opts *o,
                                      pii_engine **out, pii_error *err);
PII_API size_t pii_engine_detector_count(const pii_engine *e);
PII_API int pii_engine_detector(const pii_engine *e, size_t i, pii_detector_info *out);
PII_API void pii_engine_free(pii_engine *e);

/* ---- findings -------------------------------------------------------------------------- */

#define PII_REASON_VALIDATED   0x1u /* a checksum or structural validator confirmed it */
#define PII_REASON_CONTEXT     0x2u /* a context word raised its confidence */
#define PII_REASON_TEST        0x4u /* a documented test / example value */
#define PII_REASON_NEG_CONTEXT 0x8u

/* One finding, borrowed for the duration of the callback. Offsets are within the
 * (decompressed) member; line and column are 1-based, column counts bytes. */
typedef struct pii_finding {
    const char *detector;
    size_t detector_index;
    pii_category ccpa; /* includes L when sensitive */
    int sensitive;
    pii_risk risk;
    int confidence; /* 0..100 */
    int test_value;
    unsigned reasons;
    uint64_t offset;
    uint64_t line;
    uint64_t column;
    size_t length;
    const uint8_t *match;   /* raw bytes: never print them unless the user asked */
    const char *normalized; /* the value the fingerprint is computed from */
    size_t normalized_len;
    /* With pii_scan_opts.inline_allow: an inline marker covers this finding (`piiscan:allow
     * [DETECTOR[,DETECTOR…]] [reason]` on its line, or `piiscan:allow-next-line …` alone on
     * the line before, in any comment syntax). The marker is seen only within PII_ALLOW_LOOK
     * bytes before the match's first byte and after its last one, so that the result never
     * depends on how the input was chunked. allow_reason (borrowed, not NUL-terminated) is
     * the marker's free text, allow_reason_len 0 when it has none. */
    int allowed;
    const char *allow_reason;
    size_t allow_reason_len;
} pii_finding;

/* How far before and after a match an inline allow marker is looked for. */
#define PII_ALLOW_LOOK 256
/* The longest match any finding has (f->len <= PII_MAX_MATCH): a masked match fits in
 * PII_MAX_MATCH + 1 bytes. */
#define PII_MAX_MATCH 4096

/* Return non-zero to stop the scan (the scan call then returns PII_STOP). */
typedef int (*pii_finding_fn)(const pii_finding *f, void *user);

/* How many leading and as many trailing bytes of a match of `length` bytes its masked form
 * keeps (when printable ASCII): 2 from 8 bytes on, 1 from 5, else none. */
PII_API size_t pii_mask_keep(size_t length);
/* Writes the masked form of f->match into out (NUL-terminated): at most the first two and
 * last two characters kept, '*' for the rest. Returns the length. */
PII_API size_t pii_finding_mask(const pii_finding *f, char *out, size_t cap);
/* Writes "v1:" + hex HMAC-SHA-256(key, detector id || 0 || normalized value). 68 bytes. */
PII_API size_t pii_finding_fingerprint(const pii_engine *e, const pii_finding *f, char *out,
                                       size_t cap);

/* ---- scanner --------------------------------------------------------------------------- */

typedef struct pii_scanner pii_scanner;

typedef struct pii_scan_opts {
    size_t chunk_size;  /* bytes matched per step; 0 selects the default (256 KiB) */
    int min_confidence; /* 0..100; findings below are not reported */
    int inline_allow;   /* non-zero: mark findings covered by a piiscan:allow marker as allowed
                         * (pii_finding.allowed); 0: markers are ordinary text */
    int no_lines;       /* non-zero: newlines are not counted (the caller needs no line
                         * numbers): findings carry line 1 and column offset + 1, and
                         * pii_segment_info no newlines */
    int presence_only;  /* non-zero: the caller uses whether a finding is reported, not its
                         * confidence or reasons: context words and field names are looked at
                         * only where they decide that (required context, a bare form,
                         * min_confidence), so confidence and reasons may understate them;
                         * and a finding's normalized value is its match */
} pii_scan_opts;

PII_API void pii_scan_opts_init(pii_scan_opts *o);
/* A scanner for one thread. It borrows the engine, which must outlive it. */
PII_API pii_status pii_scanner_new(const pii_engine *e, const pii_scan_opts *o, pii_scanner **out,
                                   pii_error *err);
PII_API void pii_scanner_free(pii_scanner *s);

/* Push streaming. begin() resets offsets and line numbers for a new input or member; feed()
 * takes any number of bytes (the data is copied) and reports findings as they are
 * confirmed, in order of offset; end() flushes the tail. Findings are never lost or doubled
 * at chunk edges, whatever the sizes fed. A callback's non-zero return gives PII_STOP. */
PII_API pii_status pii_scanner_begin(pii_scanner *s);
PII_API pii_status pii_scanner_feed(pii_scanner *s, const void *buf, size_t len, pii_finding_fn fn,
                                    void *user, pii_error *err);
PII_API pii_status pii_scanner_end(pii_scanner *s, pii_finding_fn fn, void *user, pii_error *err);
/* Convenience: begin + feed + end over one buffer. */
PII_API pii_status pii_scan_buffer(pii_scanner *s, const void *buf, size_t len, pii_finding_fn fn,
                                   void *user, pii_error *err);
/* Bytes seen since begin(). */
PII_API uint64_t pii_scanner_bytes(const pii_scanner *s);

/* ---- segments: one input scanned by several threads (issue 5) ------------------------------ */

/* An input cut into segments can be scanned by several scanners at once and give exactly the
 * findings (offsets, lines, columns) of one streaming pass. A segment [from, to) is scanned in
 * a buffer that also holds the PII_SEGMENT_BEFORE bytes of the input before `from` (fewer only
 * at the start of the input) and the PII_SEGMENT_AFTER bytes after `to` (fewer only at its
 * end): all a decision about a finding starting in the segment may depend on. Bytes outside
 * [from - BEFORE, to + AFTER) are not read. */
#define PII_SEGMENT_BEFORE 4096u
#define PII_SEGMENT_AFTER  4352u

/* What the joiner needs to know of a segment besides its findings. */
typedef struct pii_segment_info {
    uint64_t newlines;   /* '\n' bytes in buf[from, to) */
    uint64_t line_start; /* buffer offset just after the last of them (from when none) */
} pii_segment_info;

/* Reports every finding starting in buf[from, to), in order of offset, with offset relative to
 * buf, line counted from `from` (1 = the line `from` is on) and column relative to `from` on
 * that first line. Unlike the streaming calls, overlapping findings of one detector are all
 * reported: pii_join_finding() keeps the ones a streaming pass keeps. Ends any stream in
 * progress on s (as pii_scanner_begin). info may be NULL. */
PII_API pii_status pii_scan_segment(pii_scanner *s, const void *buf, size_t len, size_t from,
                                    size_t to, pii_finding_fn fn, void *user,
                                    pii_segment_info *info, pii_error *err);

/* The first bytes of the input (or member) that the following segments belong to, for what a
 * streaming pass learns from the start of a stream (a CSV/TSV header row naming the columns):
 * at least min(PII_SEGMENT_HEAD, input length) bytes; `final` when they are the whole input.
 * Holds until pii_scanner_begin(); pii_scan_segment() keeps it. Without it, segments are
 * scanned as if the input had no header row. */
#define PII_SEGMENT_HEAD 4608u
PII_API void pii_scan_segment_head(pii_scanner *s, const void *head, size_t len, int final);

/* Puts segments back together, in order: turns segment-relative findings into the offsets,
 * lines and columns of the whole input, and drops those a streaming pass would not report
 * (a finding overlapping an earlier one of the same detector). One per input being joined. */
typedef struct pii_join pii_join;

PII_API pii_status pii_join_new(const pii_engine *e, pii_join **out, pii_error *err);
/* Starts a new input (or member): offset 0, line 1. */
PII_API void pii_join_begin(pii_join *j);
/* Starts the next segment, scanned as buf[from, to) with `from` at buffer offset `from`. */
PII_API void pii_join_segment_begin(pii_join *j, size_t from);
/* For a finding of the current segment: fixes f's offset, line and column in place and returns
 * 1 when it is to be reported, 0 when a streaming pass would have dropped it. Findings must
 * come in the order pii_scan_segment reported them. */
PII_API int pii_join_finding(pii_join *j, pii_finding *f);
/* pii_join_finding() for a finding known by its detector_index, its segment-relative offset and
 * its length alone (a caller that only counts findings need not keep the rest): 1 when a
 * streaming pass reports it, 0 when not. */
PII_API int pii_join_keep(pii_join *j, size_t detector_index, uint64_t offset, size_t length);
/* Ends the current segment; the next one starts where it ended (its `to`). */
PII_API void pii_join_segment_end(pii_join *j, size_t to, const pii_segment_info *info);
PII_API void pii_join_free(pii_join *j);

/* ---- sources: files, compressed streams and archives (issue 4) ---------------------------- */

/* A source reads one input (a path or an fd) and yields its members as decoded byte streams.
 * The format is sniffed from magic bytes, never from the name: plain, gzip (multi-member and
 * concatenated), zstd, bzip2, xz and lz4, and the archives tar, zip, 7z, cpio, ar and ISO 9660
 * (through libarchive), stacked in any order: a .zip inside a .tar.gz inside a .zip. Memory
 * is bounded whatever the input: members are streamed, never read whole. A zip or 7z that is
 * not a seekable file (stdin, or nested in another archive) is spooled to an unlinked
 * temporary file, bounded by max_input_size.
 *
 * The loop: pii_source_next_member() until PII_END; for each member whose `skip` is NULL,
 * pii_source_read() until PII_END. A per-member or per-input failure (PII_ERR_IO, _FORMAT,
 * _LIMIT) is returned by whichever call met it, with err->origin = "path!member" and the
 * member chain also in pii_source_error_member(); what was read before it stays valid, and
 * the next pii_source_next_member() goes on with whatever can still be read (the next member
 * of the enclosing archive), or returns PII_END. PII_ERR_NOMEM stops the source.
 * A source is used by one thread at a time. */

typedef struct pii_source pii_source;

/* Decompression limits. Zero in any field selects its default (today's behaviour). */
typedef struct pii_source_opts {
    unsigned max_depth;       /* archives nested in archives; default 8 */
    uint64_t max_member_size; /* expanded bytes of one member; default 8 GiB */
    uint64_t max_input_size;  /* expanded bytes produced by one input at any level, and the
                               * bound of a spool file; default 64 GiB */
    uint64_t max_ratio;       /* output / input of any decoder or archive member; default 1000 */
    uint64_t ratio_min;       /* the ratio applies once a stream's output exceeds this;
                               * default 64 MiB */
    uint64_t max_members;     /* archive entries in one input (all depths); default 1,000,000 */
    const char *tmp_dir;      /* for spool files; NULL: $TMPDIR, else /tmp */
    unsigned flags;           /* PII_SOURCE_* */
} pii_source_opts;

#define PII_SOURCE_DEFAULT_DEPTH       8u
#define PII_SOURCE_DEFAULT_MEMBER_SIZE (8ull << 30)
#define PII_SOURCE_DEFAULT_INPUT_SIZE  (64ull << 30)
#define PII_SOURCE_DEFAULT_RATIO       1000ull
#define PII_SOURCE_DEFAULT_RATIO_MIN   (64ull << 20)
#define PII_SOURCE_DEFAULT_MEMBERS     1000000ull

/* Decode gzip with zlib even when the library was built with ISA-L (the CLI sets it when the
 * environment has PIISCAN_GZIP=zlib; tests use it to cover both paths). */
#define PII_SOURCE_FORCE_ZLIB 0x1u
/* Read every zip through libarchive, as before the central-directory reader (which inflates
 * with ISA-L when built with it): for comparisons (PIISCAN_ZIP=libarchive in the CLI). */
#define PII_SOURCE_ZIP_LIBARCHIVE 0x2u
/* The caller knows the fd is a regular file (a directory walk's d_type): the source does not
 * fstat it, and takes a read that returns fewer bytes than asked for as its end (what a local
 * file system does), which spares the read that would return 0. One system call less per
 * file, of the four a small file costs. */
#define PII_SOURCE_REGULAR_FILE 0x4u

/* Fills o with the defaults (all zero: every limit at its default). */
PII_API void pii_source_opts_init(pii_source_opts *o);

/* The current member, borrowed from the source until the next pii_source_next_member() or
 * pii_source_free(). */
typedef struct pii_member {
    const char *name; /* archive member names joined with '!' ("a.tar!b.zip!c.csv"): raw bytes
                       * from the archive, NUL-terminated, possibly not UTF-8 and possibly with
                       * control bytes (escape before printing); "" for the input itself */
    size_t name_len;
    unsigned depth;     /* 0: the input itself; 1: a member of the input; … */
    const char *format; /* the decoders of this member: "plain", "gzip", "zstd+gzip", … */
    int64_t size;       /* expanded size when an archive declares it, else -1 */
    const char *skip;   /* NULL: readable. Else why it is not read: "encrypted", "symlink",
                         * "hardlink", "special file" (device, fifo, socket) */
} pii_member;

/* Counters of one source, cumulative since it was opened. */
typedef struct pii_source_stats {
    uint64_t compressed_bytes; /* read from the file or fd */
    uint64_t expanded_bytes;   /* returned by pii_source_read */
    uint64_t members;          /* archive members returned (skipped ones included) */
    uint64_t skipped;          /* members returned with a skip reason */
    uint64_t errors;           /* failures returned */
    unsigned max_depth_seen;   /* deepest member */
} pii_source_stats;

/* Opens `path` (the file is opened here and closed by pii_source_free). Nothing is read until
 * the first pii_source_next_member(). o may be NULL (defaults) and is copied; tmp_dir is
 * borrowed for the source's lifetime. PII_ERR_IO when the file cannot be opened. */
PII_API pii_status pii_source_open_path(const char *path, const pii_source_opts *o,
                                        pii_source **out, pii_error *err);
/* Same over an open fd, which stays the caller's (not closed); `name` names it in errors
 * ("-" for stdin) and is copied. A seekable fd is read from its current offset. */
PII_API pii_status pii_source_open_fd(int fd, const char *name, const pii_source_opts *o,
                                      pii_source **out, pii_error *err);
/* Reuses s for another input over fd, as pii_source_free() then pii_source_open_fd() would
 * (the fd s opened itself, if any, is closed), but keeps its buffers: a run over many small
 * files costs no allocation per file. On failure s stays valid for pii_source_free(). */
PII_API pii_status pii_source_reopen_fd(pii_source *s, int fd, const char *name,
                                        const pii_source_opts *o, pii_error *err);
/* Advances to the next member: PII_OK with *m filled (borrowed), PII_END when there are no
 * more, or an error (see above; calling again goes on). A plain or merely compressed input
 * has one member, the input itself (name ""); an archive has one per regular file, at any
 * depth (directories are not returned). */
PII_API pii_status pii_source_next_member(pii_source *s, const pii_member **m, pii_error *err);
/* Next bytes of the current member: PII_OK with *len > 0, PII_END at its end, or an error.
 * *buf is the source's and valid until the next call on s. */
PII_API pii_status pii_source_read(pii_source *s, const void **buf, size_t *len, pii_error *err);
/* The member chain of the last error ("" when it concerns the input as a whole), borrowed
 * until the next call on s. */
PII_API const char *pii_source_error_member(const pii_source *s);
PII_API void pii_source_stats_get(const pii_source *s, pii_source_stats *out);
/* Which inflate decodes gzip for these options: "isa-l" or "zlib" (static storage). */
PII_API const char *pii_source_gzip_impl(const pii_source_opts *o);
/* Frees s and closes what it opened. NULL is a no-op. */
PII_API void pii_source_free(pii_source *s);

#ifdef __cplusplus
}
#endif
#endif
