/* testutil.h: helpers shared by the tests: scanning a buffer through the library, running the
 * built piiscan binary, and parsing its JSONL output. Not part of the product. */
#ifndef PII_TESTUTIL_H
#define PII_TESTUTIL_H

#include "piiscan.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* One finding as copied out of the callback (the raw match kept for assertions only). */
struct tfind {
    char detector[64];
    uint64_t offset, line, column;
    size_t length;
    int confidence, sensitive, test_value;
    pii_category ccpa;
    char match[512];
    char fp[68]; /* its fingerprint, when the scan knew its engine (t_scan) */
};

struct tfinds {
    struct tfind *v;
    size_t n, cap;
    const pii_engine *e; /* set: t_collect fingerprints each finding with it */
};

/* A compiled engine over the built-in catalogue (optionally only `detectors`), cached per
 * process. */
const pii_engine *t_engine(const char *detectors);
/* Scans data with the given engine, feeding `feed` bytes at a time (0 = all at once) and using
 * an internal chunk size of `chunk` (0 = default). */
struct tfinds t_scan(const pii_engine *e, const char *data, size_t len, size_t feed, size_t chunk);
/* Scans data in one pii_scan_buffer() call with the given options. */
struct tfinds t_scan_opts(const pii_engine *e, const char *data, size_t len,
                          const pii_scan_opts *o);
void t_free(struct tfinds *f);
/* A pii_finding_fn copying each finding into the struct tfinds at user (t_scan's). */
int t_collect(const pii_finding *f, void *user);
/* Number of findings of detector `id` (NULL: all) whose match equals `match` (NULL: any). */
size_t t_count(const struct tfinds *f, const char *id, const char *match);
/* Logs every finding (detector, match, confidence): context for a failed expectation. */
void t_log_findings(const struct tfinds *f);
/* Asserts a and b hold the same findings in the same order (detector, offset, length, line,
 * column, confidence, match); `what` names the comparison in a failure. */
void t_assert_same(const struct tfinds *a, const struct tfinds *b, const char *what);
/* Expects exactly one finding of `id` matching `match` when the built-in catalogue scans text;
 * logs what was found otherwise. */
void t_expect_once(const char *text, const char *id, const char *match);

struct t_run {
    int status; /* exit status, or 128+signal */
    char *out;
    size_t out_len;
    char *err;
    size_t err_len;
};
/* Runs the built binary with argv (NULL-terminated, without argv[0]) and the given stdin
 * (NULL: /dev/null). */
struct t_run t_exec(const char *const *argv, const char *in, size_t in_len);
void t_run_free(struct t_run *r);

/* Where a spawned run's standard output or error goes: a pipe we read, a pseudo-terminal we
 * read (stdout on the one stderr is on), the file t_spawn names, or this process's own. */
enum t_to { T_PIPE, T_PTY, T_FILE, T_INHERIT };
/* A running binary: our ends of its stdin (a pipe), stdout and stderr (-1 where we have none;
 * out == err when both are the terminal). */
struct t_proc {
    pid_t pid;
    int in, out, err;
};
/* Starts the built binary with argv (as t_exec), stdout and stderr as `out` and `err` say
 * (out == T_PTY needs err == T_PTY; T_FILE writes `file`); TERM is xterm when one is a
 * terminal. SIGPIPE is ignored from then on: a test may write to a run that has ended. */
struct t_proc t_spawn(const char *const *argv, enum t_to out, enum t_to err, const char *file);
/* Writes all of p[0..n) to fd. */
void t_put(int fd, const char *p, size_t n);
/* Appends to *buf (grown, NUL-terminated) what fd gives until `ms` milliseconds pass without
 * any, or it ends (EOF, or EIO from a terminal whose other side closed); returns *len. */
size_t t_drain(int fd, char **buf, size_t *len, int ms);
/* Closes our ends of p, waits for it: its exit status, or 128+signal. */
int t_wait(struct t_proc *p);
/* Parses JSONL output; returns a JSON array of the records (caller json_decref). Fails the
 * test on a line that is not JSON. */
json_t *t_jsonl(const char *out, size_t len);
/* The records of a given type. */
size_t t_records(json_t *arr, const char *type, json_t **out, size_t max);
/* A temporary directory (removed by the caller with t_rmrf). */
char *t_tmpdir(void);
void t_write(const char *path, const char *data, size_t len);
void t_rmrf(const char *path);

/* A suite whose every test gets a fresh temporary directory t_dir, removed afterwards:
 * TestSuite(name, .init = t_dir_setup, .fini = t_dir_teardown). */
extern char *t_dir;
void t_dir_setup(void);
void t_dir_teardown(void);
/* "<t_dir>/<name>", in one of eight rotating buffers (several may be used in one call). */
const char *t_path(const char *name);

/* ---- validators, called as a finder calls them (test_validate*.c) ---------------------- */

struct t_vres {
    bool ok;
    unsigned flags;
    int conf;
    size_t start, end;
    char span[1024]; /* the accepted span (truncated), NUL-terminated */
    char norm[257];
    size_t norm_len;
};
/* Runs validator `name` on a heap copy of text sized exactly (so ASan sees any read outside
 * [lo, hi)), with the given candidate. */
struct t_vres t_validate(const char *name, const char *text, size_t start, size_t end,
                         size_t anchor);
/* A shape or re: finder: the candidate is the first occurrence of span (NULL: all of text). */
struct t_vres t_validate_span(const char *name, const char *text, const char *span);
/* An anchor finder: start = end = anchor = just after the first occurrence of label. */
struct t_vres t_validate_after(const char *name, const char *text, const char *label);

/* ---- fixtures for compressed inputs and archives (generated at test time) ----------------- */

/* One archive entry: type 0 a regular file, 'l' a symlink to `link`, 'h' a hard link to
 * `link`, 'c' a character device, 'd' a directory. */
struct t_entry {
    const char *name;
    const void *data;
    size_t len;
    int type;
    const char *link;
};
/* Writes an archive with libarchive: format "tar", "zip", "7z", "cpio", "ar", "iso";
 * filter "none", "gzip", "bzip2", "xz", "zstd", "lz4"; options as archive_write_set_options
 * takes them (NULL: none); passphrase for encrypted zip (NULL: none). */
void t_archive(const char *path, const char *format, const char *filter, const struct t_entry *e,
               size_t n, const char *options, const char *passphrase);
/* gzip (zlib, one member) and zstd (one frame) of data, written to path. */
void t_gzip(const char *path, const void *data, size_t len);
void t_zstd(const char *path, const void *data, size_t len);
/* The file's bytes (malloc'ed, NUL-terminated); *len set. */
char *t_slurp(const char *path, size_t *len);

#endif
