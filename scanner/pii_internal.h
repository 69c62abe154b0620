/* pii_internal.h: private structures and cross-file prototypes of libpiiscan.
 * Nothing here is part of the public API; the CLI must use include/piiscan.h only. */
#ifndef PII_INTERNAL_H
#define PII_INTERNAL_H

#include "piiscan.h"
#include "util.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* x86-64: the SIMD variants (shape.c, scanner.c) are built, chosen at run time (cpu_runs) */
#if defined(__x86_64__)
#include <immintrin.h>
#define PII_X86 1
#else
#define PII_X86 0
#endif

#if defined(__SSE2__)
#include <emmintrin.h>
/* Byte masks of the 16 bytes of v: 0xff where an ASCII digit (*digit) or letter (*letter).
 * The one class test the 16-byte walks (context words, field keys, e-mail labels) build on. */
static inline void ascii_x16(__m128i v, __m128i *digit, __m128i *letter)
{
    __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    __m128i l = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
    *digit = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
    *letter = _mm_cmpeq_epi8(_mm_min_epu8(l, _mm_set1_epi8(25)), l);
}
#endif

#define PII_LIKELY(x)   __builtin_expect(!!(x), 1)
#define PII_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* ---- limits that make chunked scanning exact ------------------------------------------- */

/* PII_MAX_MATCH (piiscan.h): the longest span any detector may report (validators clamp
 * their extents to it). */
/* Longest distance a validator or context rule may look before a candidate's start or
 * after its end. Context windows are clamped to it. */
#define PII_MAX_LOOK 256
/* How far back the start of a CSV/TSV row is looked for, to know a cell's column: a window
 * keeps this much before what it decides (a row's cells past it have no known column). */
#define PII_ROW_LOOK 4096
/* Bytes at the end of a window whose candidates are deferred to the next window. */
#define PII_OVERLAP       (PII_MAX_MATCH + PII_MAX_LOOK)
#define PII_DEFAULT_CHUNK (256u * 1024u)

/* ---- errors (error.c) ------------------------------------------------------------------ */

pii_status err_set(pii_error *err, pii_status code, const char *origin, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
pii_status err_errno(pii_error *err, pii_status code, int e, const char *origin, const char *fmt,
                     ...) __attribute__((format(printf, 5, 6)));

/* ---- validators (validate*.c) ---------------------------------------------------------- */

/* Flags a validator sets in vctx.flags. */
#define V_TEST          0x1u /* a documented test / example value */
#define V_BARE          0x2u /* a bare form (e.g. 9 digits, no separators): needs context */
#define V_NOT_SENSITIVE 0x4u /* e.g. imprecise coordinates */
#define V_NEG_CONTEXT                                                                              \
    0x8u /* the validator saw disqualifying context (treated like a                                \
          * negative context word) */
/* Set by the scanner, not by validators: a `combined` detector's record also holds the other
 * half (credential or account), so the finding is sensitive (field.c). */
#define V_RECORD_SENSITIVE 0x100u

/* Set by the scanner before validating, from the candidate: it is a CSV/TSV cell of a column
 * whose header names one of the detector's fields (field.c). A validator that takes cells
 * (validator_cells) gets the cell's content as [start, end); any other gets start = end =
 * anchor = the cell's start, where an anchor expression would have ended after a label. */
#define V_CELL 0x200u

/* What a validator sees and returns. buf[lo..hi) is readable: lo is at most PII_MAX_LOOK
 * bytes before start (less at the start of input), hi at least PII_MAX_LOOK bytes after end
 * when the input has them. A validator may move start/end (anchor detectors must: they
 * receive the end of the anchor match in `anchor`), but never outside [lo, hi) and never
 * to a span longer than PII_MAX_MATCH. */
struct vctx {
    const uint8_t *buf;
    size_t lo, hi;
    size_t start, end;
    size_t anchor;  /* end offset of the Hyperscan match (anchor detectors) */
    unsigned flags; /* out: V_* */
    int conf;       /* out: added to the detector's base confidence (may be negative) */
    char norm[256]; /* out: normalised value for the fingerprint; norm_len 0 = raw bytes */
    size_t norm_len;
};

/* Returns true to accept the candidate. Must not allocate; must be thread-safe. */
typedef bool (*validate_fn)(struct vctx *v);

/* NULL when no validator has that name. */
validate_fn validator_find(const char *name);
/* Names of all validators, NULL-terminated (for --list and error messages). */
const char *const *validator_names(void);

/* ---- shapes (shape.c): detectors found by the tokenizer, not Hyperscan ------------------- */

enum shape_kind {
    SHAPE_NONE = 0,
    SHAPE_CARD,  /* 13-19 digits, contiguous or grouped by ' ' or '-' */
    SHAPE_SSN,   /* 3-2-4 digits joined by '-' or ' ', or 9 bare digits (V_BARE) */
    SHAPE_PHONE, /* NANP and E.164 / international layouts */
    SHAPE_IPV4,  /* dotted quad of 1-3 digit groups */
    SHAPE_IPV6,  /* hex groups joined by ':' (with '::' and an embedded dotted quad) */
    SHAPE_MAC,   /* six hex pairs joined by ':' or '-', or three quads joined by '.' */
    SHAPE_IBAN,  /* two letters, two digits, 11-30 alphanumerics, optionally grouped by 4 */
    SHAPE_GEO,   /* decimal latitude, comma, decimal longitude */
    SHAPE_CPF,   /* ddd.ddd.ddd-dd (Brazil CPF) */
    SHAPE_CNPJ,  /* xx.xxx.xxx/xxxx-dd, x alphanumeric (Brazil CNPJ) */
    SHAPE_VAT,   /* two capitals starting a VAT number: CC + 7+ alphanumerics, or CC grouped */
    SHAPE__COUNT
};

int shape_by_name(const char *name); /* SHAPE_NONE when unknown */

/* The NANP numbering plan on 10 ASCII digits (area code, exchange, line): NXX NXX XXXX with N
 * 2-9, an area code's middle digit not 9, neither part an N11 service code. The phone
 * validator's rule, and the tokenizer's for a bare 10- or 11-digit run: of the ~1.4 M such
 * runs per GB of logs (epoch seconds, counters) it proposes only the ones that can be a
 * number. */
static inline bool nanp_plan_ok(const char *d)
{
    return d[0] >= '2' && d[1] != '9' && !(d[1] == '1' && d[2] == '1') && d[3] >= '2' &&
           !(d[4] == '1' && d[5] == '1');
}

struct pii_engine;
struct cand_vec;
typedef bool (*shape_scan_fn)(const struct pii_engine *e, const uint8_t *buf, size_t len,
                              size_t from, size_t to, struct cand_vec *out);
/* The tokenizer built for the best instruction set this CPU has (AVX-512BW, AVX2, SSE2,
 * scalar), or the one named by `want` (NULL when this CPU cannot run it). */
shape_scan_fn shape_select(const char *want);
/* Whether this CPU runs the instruction set a variant is named for: "avx512vbmi2" (with
 * avx512bw), "avx512bw", "avx2" (with popcnt), "sse2", "scalar"; false for another name. The
 * one test of the tokenizer's and the newline counters' variants (shape_select,
 * newlines_select). */
bool cpu_runs(const char *set);
/* Whether the variant `name` is the one asked for (want; NULL or "": any) and this CPU runs it:
 * the variant tables pick their first such entry. */
bool cpu_variant(const char *name, const char *want);
const char *shape_name(int shape);

/* ---- detectors (detectors.c) ----------------------------------------------------------- */

enum find_kind {
    FIND_RE = 1,     /* Hyperscan expression; its match is the finding's span */
    FIND_ANCHOR = 2, /* Hyperscan expression locating a literal anchor; the validator finds
                      * the span from the anchor's end */
    FIND_SHAPE = 3,  /* a tokenizer shape */
};

enum ctx_mode {
    CTX_OPTIONAL = 0, /* context words raise confidence */
    CTX_REQUIRED = 1, /* no finding without a context word */
    CTX_BARE = 2,     /* a context word is required when the validator says V_BARE */
};

struct ctx_word {
    char *text; /* lower-case */
    size_t len;
};

/* A word list with, for each byte, the words that start with it (bit i = word i; at most 64
 * words), so a window is searched in one pass: mask[slot[byte]]. Two levels keep a set small
 * (an empty one costs nothing, a typical one a few hundred bytes): every detector has three
 * sets, and start-up time is the memory it touches. */
struct ctx_set {
    struct ctx_word *w;
    size_t n;
    uint8_t *slot;  /* [256]: index into mask, 0 for a byte no word starts with; NULL if empty */
    uint64_t *mask; /* [n_mask], mask[0] == 0 */
    size_t n_mask;
    bool sym;    /* a word starts with a byte that is neither a letter nor a digit */
    void *block; /* a copy (ctx_set_copy) holds all of the above in this one allocation */
};

struct detector {
    char *id;
    char *group;
    char *description;
    char *origin; /* "file:line" it was defined at */
    enum find_kind kind;
    char *expr;        /* FIND_RE / FIND_ANCHOR */
    unsigned hs_flags; /* HS_FLAG_* chosen from the expression's /flags */
    uint32_t width;    /* the expression's match width when fixed, else 0 (measured at load) */
    bool keysep;       /* FIND_ANCHOR written with {KEYSEP}: matches are completed by keysep_end */
    int shape;         /* FIND_SHAPE */
    char *validator_name;
    validate_fn validate; /* NULL: accept as matched */
    struct ctx_set ctx;
    struct ctx_set neg;
    struct ctx_set fields; /* normalised field names (field.c); '*' prefix: a key suffix */
    enum ctx_mode ctx_mode;
    int win_before, win_after;
    pii_category ccpa;
    pii_spi spi;
    pii_risk risk;
    int base_conf;
    bool enabled;
    bool builtin;    /* from the catalogue compiled into the library */
    bool credential; /* group "credential": its record sensitivity looks for an account */
    bool fixed;      /* strings and word sets are read-only data (pii_builtin_detectors): shared
                      * by copies, never freed */
};

struct pii_detectors {
    struct detector *v;
    size_t n, cap;
};

/* Deep copy of one detector into dst (dst is overwritten). */
pii_status detector_copy(struct detector *dst, const struct detector *src);
void detector_release(struct detector *d);
void detector_info(const struct detector *d, pii_detector_info *out);

/* ---- engine (engine.c) ----------------------------------------------------------------- */

struct hs_database;
struct hs_scratch;

/* For each Hyperscan expression id: which detector (HS_MAP_OFF: a built-in detector that is
 * not enabled, present because the database was compiled at build time), and how to derive
 * the start. */
#define HS_MAP_OFF UINT32_MAX
/* The last expression of every database: the inline allow marker "piiscan:allow" (allow.c),
 * so a window without one skips the per-finding marker search. */
#define HS_MAP_ALLOW   (UINT32_MAX - 1)
#define ALLOW_MARK     "piiscan:allow"
#define ALLOW_MARK_LEN (sizeof ALLOW_MARK - 1)
struct hs_map {
    uint32_t det;
    uint32_t width; /* fixed match width, or 0 when SOM is used / anchor */
    enum find_kind kind;
    bool keysep; /* the detector's keysep: complete the match's end with keysep_end */
};

/* A field name's separator in an anchor expression, `\\?["']?\s{0,3}[:=]` (an optional
 * backslash and quote, up to three white-space bytes, then ':' or '='), written {KEYSEP}:
 * Hyperscan is given only its first byte, KEYSEP_EXPR, and keysep_end checks the rest. The
 * built-in label anchors (user, session, name, password…) cost Hyperscan 10 % less so: a
 * literal followed by one of a few bytes is cheaper than one followed by a repeat. */
#define KEYSEP_MACRO "{KEYSEP}"
#define KEYSEP_EXPR  "(=|:|\"|'|\\\\|\\s)"
/* The end of the anchor a {KEYSEP} match ending at `end` (exclusive) stands for: after the
 * ':' or '=' that completes it in buf[0, len), or 0 when nothing does (no match then). A match
 * ending in any other byte (another branch of the expression) is returned unchanged. */
size_t keysep_end(const uint8_t *buf, size_t len, size_t end);

struct pii_engine {
    struct detector *det; /* enabled detectors only, in catalogue order */
    size_t n_det;
    struct hs_database *db; /* NULL when no Hyperscan detector is enabled */
    struct hs_scratch *scratch_proto;
    struct hs_map *map;
    size_t n_map;
    bool builtin_db;
    int db_origin; /* enum db_origin */
    /* shape -> detectors using it */
    uint32_t *shape_det[SHAPE__COUNT];
    size_t shape_n[SHAPE__COUNT];
    unsigned shape_mask; /* bit s set when shape s is used */
    shape_scan_fn shape_scan;
    /* the fingerprints' HMAC-SHA-256 key, prepared (its padded blocks hashed) */
    struct hmac_sha256 hmac;
};

/* The built-in catalogue's Hyperscan database, compiled at build time and laid out as
 * hs_deserialize_database_at() leaves it (64-byte aligned), so it is scanned in place
 * (builtin_db.c, written by scanner/gen/mkdb.c, which itself links scanner/gen/nodb.c:
 * length 0). */
extern const unsigned char pii_builtin_db[];
extern const size_t pii_builtin_db_len;
extern const char pii_builtin_db_key[];
/* The built-in catalogue as parsed by mkdb at build time (`fixed` detectors, validate NULL
 * until loaded); none in nodb.c: the loader then parses pii_builtin_patterns. */
extern const struct detector pii_builtin_detectors[];
extern const size_t pii_builtin_detectors_n;
/* The match width (0: variable) of each built-in Hyperscan expression, in catalogue order,
 * measured by mkdb (none in nodb.c: the loader then asks Hyperscan). */
extern const unsigned pii_builtin_widths[];
extern const size_t pii_builtin_widths_n;
/* Identifies the built-in Hyperscan expressions of d (all of them, enabled or not) and the
 * Hyperscan version: 32 hex digits into key[33]. */
void engine_builtin_key(const pii_detectors *d, char key[33]);
/* Whether e came from the embedded database (for tests and --version). */
bool engine_used_builtin_db(const pii_engine *e);

/* ---- the on-disk cache of compiled databases (dbcache.c) --------------------------------- */

/* Identifies a database: Hyperscan version, this CPU's instruction sets, the expressions and
 * flags in id order. Needs no compiler: a warm start does not load it. */
void dbcache_key(const char *const *exprs, const unsigned *flags, size_t n, uint8_t key[32]);
/* The cached database of that key in dir, or NULL (missing, corrupt, foreign, stale). */
struct hs_database *dbcache_load(const char *dir, const uint8_t key[32]);
/* Writes it atomically (creating dir); false on any failure, which callers ignore. */
bool dbcache_store(const char *dir, const uint8_t key[32], const struct hs_database *db);

/* Where an engine's Hyperscan database came from (for tests and benchmarks). */
enum db_origin { DB_NONE = 0, DB_BUILTIN, DB_COMPILED, DB_CACHE_LOADED, DB_CACHE_WRITTEN };
enum db_origin engine_db_origin(const struct pii_engine *e);

/* ---- candidates ------------------------------------------------------------------------ */

/* A span some finder proposed; offsets are window-relative until confirmed. */
struct cand {
    size_t start, end;
    size_t anchor;
    uint32_t det;
    uint32_t flags; /* V_CELL, handed to the validator */
};

struct cand_vec {
    struct cand *v;
    size_t n, cap;
};

/* Append; false when out of memory. */
bool cand_push(struct cand_vec *cv, uint32_t det, size_t start, size_t end, size_t anchor);

/* The tokenizer: proposes the engine's shapes for the words of buf (readable in [0, len))
 * that start in [from, to), appending candidates with buf-relative offsets. Decisions are
 * local: a candidate depends only on bytes within 64 of it, so window edges do not change the
 * result. A candidate starts at most SHAPE_LEAD bytes before the word that proposed it ('+',
 * '(', '-' before a number; "-122." before a longitude's fraction; a CNPJ's 16 bytes before
 * its check digits). */
#define SHAPE_LEAD 16
bool shape_scan(const struct pii_engine *e, const uint8_t *buf, size_t len, size_t from, size_t to,
                struct cand_vec *out);

/* ---- line numbers (scanner.c) ---------------------------------------------------------- */

/* Counts the newlines of p[0..n) and sets *last to the offset of the last one (n when there is
 * none). Variants by instruction set, all with the same results (tests compare them). */
typedef uint64_t (*newlines_fn)(const uint8_t *p, size_t n, size_t *last);
/* The variant named want ("avx512bw", "avx2", "sse2", "scalar"; NULL when this CPU cannot run
 * it or there is none of that name), or for want NULL (or "") the best this CPU runs. */
newlines_fn newlines_select(const char *want);

/* ---- context (context.c) --------------------------------------------------------------- */

/* Whole-word, case-insensitive search of the set's words in the window around [start, end)
 * clipped to the line. Returns true when any word occurs. */
bool context_has(const struct ctx_set *set, const uint8_t *buf, size_t lo, size_t hi, size_t start,
                 size_t end, int before, int after);
/* Adds a word (lower-cased copy) to the set; false when out of memory or full (64). */
bool ctx_set_add(struct ctx_set *set, const char *w, size_t len);
void ctx_set_release(struct ctx_set *set);
bool ctx_set_copy(struct ctx_set *dst, const struct ctx_set *src);

/* ---- inline allow markers (allow.c) ------------------------------------------------------ */

/* Sets f->allowed (and the reason) when a piiscan:allow marker covers the finding whose match
 * is buf[start, start + len). buf must be readable from PII_ALLOW_LOOK bytes before start (or
 * from 0) to PII_ALLOW_LOOK bytes after the match (or to buf_len): only those are read. */
void allow_inline(const struct pii_engine *e, const uint8_t *buf, size_t buf_len, size_t start,
                  size_t len, pii_finding *f);
/* Whether buf[0, len) holds the marker ALLOW_MARK anywhere (a window without a Hyperscan
 * database to report it). */
bool allow_mark_in(const uint8_t *buf, size_t len);

/* ---- structured fields (field.c) ------------------------------------------------------- */

/* A field name normalised: lower-case letters and digits only ("firstName", "first_name" and
 * "First-Name" are "firstname"), with the positions where a word starts: `hard` after a space
 * or '.', or at 0 ("Date of Birth", "user.name"), `soft` after '_' / '-' or at a camelCase
 * step. */
#define FIELD_NAME_MAX 64
struct field_name {
    char s[FIELD_NAME_MAX];
    uint8_t n;
    uint64_t hard, soft;
};

/* Normalises s[0..n) into out; false when it has no letter or is longer than FIELD_NAME_MAX. */
bool field_name_set(struct field_name *out, const uint8_t *s, size_t n);
/* True when the name is in the set: an entry matches the whole name or its last words from a
 * hard word start; an entry written '*entry' also from a soft one ("customer_first_name"). */
bool field_name_in(const struct ctx_set *fields, const struct field_name *name);
/* Adds one entry of a pattern file's fields column; false when it is not a field name. */
bool field_set_add(struct ctx_set *fields, const char *w, size_t len);

/* The key naming the value that starts at (or a few bytes after the start of) `vs`: JSON
 * "key": value, escaped \"key\":\"value\", logfmt key=value, "key: value", "Key Words: value".
 * Looks back at most PII_MAX_LOOK bytes, within the line. */
bool field_key(const uint8_t *buf, size_t lo, size_t hi, size_t vs, struct field_name *out);

/* CSV/TSV header of a stream: the first line, when it looks like one (field.c). */
#define FIELD_MAX_COLS 64
#define FIELD_COL_DETS 4
/* col_det flag: the detector's validator finds its value after a label (an anchor detector
 * that does not take cells): its candidate is the cell's start as the label's end */
#define FIELD_AFTER_LABEL 0x80000000u
struct field_hdr {
    bool tried, ok, cells; /* cells: some column proposes candidates */
    uint8_t delim, ncols;
    struct field_name col[FIELD_MAX_COLS];
    uint32_t col_det[FIELD_MAX_COLS][FIELD_COL_DETS]; /* UINT32_MAX: none */
};

void field_hdr_reset(struct field_hdr *h);
/* Looks at the first line of a stream (buf[0..len) starts at offset 0); `final`: no more
 * bytes will come. Runs once per stream. */
void field_hdr_detect(struct field_hdr *h, const struct pii_engine *e, const uint8_t *buf,
                      size_t len, bool final);
/* Proposes the cells of header-named columns whose detectors take cells (validator_cells),
 * for cells starting in [from, to) of buf (window-relative; `base` is buf[0]'s stream offset).
 * Cheap when no column does. False when out of memory. */
bool field_cells(const struct field_hdr *h, const uint8_t *buf, size_t len, uint64_t base,
                 size_t from, size_t to, struct cand_vec *out);
/* True when the value at buf[vs] sits in a field (key or CSV column) named in `fields`;
 * *named tells whether it sits in a named field at all. */
bool field_in(const struct field_hdr *h, const struct ctx_set *fields, const uint8_t *buf,
              size_t lo, size_t hi, uint64_t base, size_t vs, bool *named);
/* Sensitivity of a `combined` finding at [start, end): true when its record (the line, within
 * PII_MAX_LOOK bytes) also holds the other half: for an account, card or log-in a security
 * code, password or credential; for a credential (`credential` true) an account or log-in. */
bool field_record_sensitive(const uint8_t *buf, size_t lo, size_t hi, size_t start, size_t end,
                            bool credential);
/* The same, a byte at a time (the reference the tests compare it with). */
bool field_record_sensitive_ref(const uint8_t *buf, size_t lo, size_t hi, size_t start, size_t end,
                                bool credential);

/* Validators that take whole CSV cells as candidates (validate_text.c). */
bool validator_cells(validate_fn fn);

#endif
