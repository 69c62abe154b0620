/* cli.h: what the CLI's files share: options, per-input accounting and the output sinks.
 * The CLI is one user of include/piiscan.h; it never reaches into the library's internals. */
#ifndef PII_CLI_H
#define PII_CLI_H

#include "piiscan.h"
#include "util.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum out_format {
    FMT_JSONL,
    FMT_TEXT,
    FMT_SUMMARY,
    FMT_SARIF,     /* issue 6: cli_sarif.c */
    FMT_PRECOMMIT, /* issue 6: the hook's report on stderr, cli_hook.c */
    FMT_BASELINE,  /* issue 6: piiscan baseline create|update|audit, cli_baseline.c */
    FMT_REDACT,    /* --redact: the inputs to stdout, each finding replaced (cli_par.c) */
};

/* --redact[=STYLE]: what replaces a finding in the copy */
enum redact_style {
    REDACT_TOKEN, /* "[detector]", once for overlapping findings */
    REDACT_MASK,  /* '*' for each byte but the ends pii_mask_keep() keeps: the same length */
};

/* ---- issue 6: repository modes (pre-commit hook, git --staged, baselines, config) -------- */

enum baseline_cmd { BL_NONE, BL_CREATE, BL_UPDATE, BL_AUDIT };
struct repo_cfg;
struct baseline;
struct line_filter;
struct sarif;
struct bl_collect;

struct hook_opts {
    bool pre_commit;      /* --pre-commit: test values and low risk are notes; report on stderr */
    bool git_staged;      /* piiscan git --staged */
    bool all_lines;       /* --all-lines: whole staged files, not only the added lines */
    bool no_inline_allow; /* --no-inline-allow */
    bool repo;            /* the repository's config and baseline apply */
    enum baseline_cmd baseline_cmd;
    int risk_threshold;        /* pii_risk; -1: the config's, else medium */
    const char *baseline_path; /* --baseline FILE */
    const char *config_path;   /* --config FILE */
    const char *repo_root;     /* "" for the current directory */
    struct repo_cfg *cfg;
    struct baseline *bl;
    int diff_pid, diff_fd; /* git --staged: the git diff started early (cli_git.c); 0: not */
};

/* A --glob as .gitignore reads one: [p, pe) is matched against a walked path's name, or its
 * path below the directory argument when `path` (a '/' before its end; a leading '/' only
 * anchors it); "GLOB/" matches directories only; "!GLOB" leaves out. */
struct glob {
    const char *p, *pe;
    bool neg, dir_only, path;
};

struct cli_opts {
    enum out_format format;
    enum redact_style redact; /* with FMT_REDACT */
    bool show_match;
    bool binary;
    bool null_sep;
    bool line_buffered;
    bool list_detectors;
    const char *detectors;
    const char *exclude;
    const char *summary_json;
    const char *stdin_name;
    const char *files_from;
    const char *fingerprint_key;
    const char **patterns;
    size_t n_patterns;
    struct glob *globs; /* --glob, taken apart once: in the same allocation as patterns */
    size_t n_globs;
    bool glob_includes; /* some glob is not a '!' one: a walked file must match one */
    int min_conf;       /* 0..100 */
    int exit_findings;
    size_t chunk_size;
    unsigned threads; /* -j: 0 = the number of cores */
    bool no_cache;
    int progress; /* --progress / --no-progress: 1, 0; -1: on a terminal (progress_start) */
    unsigned
        progress_every; /* --progress=SECONDS: the period (0: 0.25 s on a terminal, else 10 s) */
    unsigned shard_k, shard_n; /* --shard K/N: this run scans the K-th of N shares (n 0: all) */
    pii_source_opts src; /* --max-archive-depth, --max-member-size, … (0: library default) */
    char **paths;
    size_t n_paths;
    struct hook_opts h; /* issue 6 */
};

/* The index of s among names (NULL-terminated), or -1 (for s NULL too): an option's or a
 * config key's value chosen from a list (cli_main.c). */
int cli_keyword(const char *s, const char *const *names);
/* "low", "medium", "high" as a pii_risk, or -1 (cli_repo.c). */
int risk_by_name(const char *s);

/* Parses argv; on a usage error prints it to stderr and returns false. *done is set when
 * --help or --version was handled. */
bool cli_parse(int argc, char **argv, struct cli_opts *o, bool *done);

/* Counts of one archive member (its name chain), for the summary (cli_sink.c). */
struct det_count {
    uint32_t det;
    uint64_t n;
};
struct member_stats {
    char *name; /* member chain, "a.tar!b.csv" */
    size_t seq; /* arrival order: the sort's tie-break */
    uint64_t bytes, findings;
    struct det_count *by_det; /* sparse: the detectors found in it */
    size_t n_det, cap_det;
    uint64_t by_cat[12];
    char *skip;    /* the reason it was skipped, or NULL */
    char **errors; /* its error messages */
    size_t n_errors;
};

/* Per-detector counts for one input. */
struct input_stats {
    char *path;
    uint64_t bytes;
    uint64_t findings;
    uint64_t *by_det; /* [n_det] */
    uint64_t by_cat[12];
    char **errors; /* errors of the input as a whole (not of a member) */
    size_t n_errors;
    struct member_stats *members; /* in arrival order; sorted by name when printed */
    size_t n_members, cap_members;
};

struct run {
    const struct cli_opts *o;
    const pii_engine *eng;
    size_t n_det;
    FILE *out;
    _Atomic bool out_broken; /* stdout went away (EPIPE): stop quietly (read by workers) */
    struct par *par;         /* the worker pool and the output order (cli_par.c) */
    uint64_t files, bytes, findings, errors, skipped;
    uint64_t members, compressed_bytes, expanded_bytes;
    struct {
        char reason[32];
        uint64_t n;
    } skip_by[8]; /* skipped inputs and members by reason; the last slot is "other" */
    uint64_t by_cat[12];
    uint64_t *by_det;
    struct input_stats *inputs;
    size_t n_inputs, cap_inputs;
    /* the inputs' by_det arrays, carved from blocks of DET_BLOCK inputs: one allocation per
     * block, not per input (a worker thread's malloc arena grows a page at a time, each step a
     * system call, when 10,000 small files each ask for a few hundred bytes) */
    struct det_block *det_blocks;
    size_t det_left; /* arrays left in the newest block */
    struct input_stats *cur;
    struct input_stats pend; /* member records that came before their input's first record */
    const char *cur_path;
    const char *cur_member; /* "" for the input itself */
    double t0;
    /* issue 6 */
    uint64_t allowed, blocking, notes;
    const struct line_filter *lines; /* git --staged: only these lines of the current input */
    struct sarif *sarif;
    struct bl_collect *blc;
    /* the length of the walked directory argument's path and its '/': a walked path less that
     * is what --glob matches and --shard keys on */
    size_t walk_root;
    uint64_t shard_elsewhere; /* --shard: paths that are another run's share */
    uint64_t glob_excluded;   /* --glob: walked files and directories it left out */
    struct progress *prog;    /* --progress (cli_progress.c), or NULL */
    struct fp_cache *fpc;     /* run_fingerprint's (cli_sink.c), made on first use */
    char *rec;                /* a JSONL finding's record being formatted (cli_sink.c) */
    size_t rec_cap;
};

/* A new entry of the per-input summary (cli_main.c). */
struct input_stats *run_input_new(struct run *r, const char *path);

/* Threads (cli_par.c). Every record reaches the sinks through it, in input order whatever the
 * thread count. par_start builds the pool (threads 1: no thread, the caller scans); segment
 * is the bytes matched per step (0: 1 MiB). */
bool par_start(struct run *r, unsigned threads, size_t segment, const pii_scan_opts *so,
               pii_error *err);
/* Scans an input: the file `name` (opened by a worker), or the open fd (not closed) named so. */
void par_input(struct run *r, const char *name, int fd);
/* A directory being walked, kept open so that its files are opened relative to it (one path
 * component to look up, not the whole path): counted references, the walker's and one per
 * queued input; the last one closes it. par_dir_new duplicates fd; NULL when it cannot or
 * when many are open already (open files by their path then). */
struct par_dir;
struct par_dir *par_dir_new(int fd);
void par_dir_put(struct par_dir *d);
/* par_input of a regular file found by a directory walk (readdir's type: not asked again),
 * `name`, opened by a worker relative to d as name + base (its last component), or by its
 * whole name when d is NULL, and reported as name. On a local file system (d known) it is read
 * without fstat, a short read being its end (PII_SOURCE_REGULAR_FILE). */
void par_input_at(struct run *r, const char *name, struct par_dir *d, size_t base);
/* A record of the walk itself (an error, or a skipped path), in order with the inputs. */
void par_record(struct run *r, bool skipped, const char *path, const char *member, const char *msg);
/* Waits for every input, releases their records, stops the pool. */
void par_finish(struct run *r);

/* Sinks (cli_sink.c). */
void sink_finding(struct run *r, const pii_finding *f);
/* f's fingerprint (pii_finding_fingerprint) into out, computed once per distinct value seen
 * lately; from the sinks only. */
void run_fingerprint(struct run *r, const pii_finding *f, char out[68]);
/* Frees what the sinks kept between records (wiping the values run_fingerprint kept). */
void sink_free(struct run *r);
/* Whether the sinks use nothing of a finding but its detector, categories and allowed flag:
 * the summary format with no hook, staged lines, config or baseline looking at its line or
 * value. Then sink_count(r, det, ccpa, n, allowed) counts n such findings as n calls of
 * sink_finding would (`allowed` of them allowed). */
bool sink_counts_only(const struct run *r);
void sink_count(struct run *r, size_t det, pii_category ccpa, uint64_t n, uint64_t allowed);
/* --redact (cli_redact.c): one member's copy, built segment by segment. */
struct redact_span {
    uint64_t start, end; /* input offsets */
    size_t keep;         /* bytes kept at either end (mask) */
};
struct redactor {
    enum redact_style style;
    uint64_t base;           /* the caller's: input offset of the current segment's first byte */
    uint64_t pos;            /* input offset the copy has reached */
    uint64_t cover;          /* token: the end of the findings the last token stands for */
    struct redact_span *act; /* mask: findings the copy has not passed */
    size_t n_act, cap_act;
    char *out; /* the copy of the current segment */
    size_t len, cap;
};
/* A new member (input offset 0). */
void redact_begin(struct redactor *x, enum redact_style style);
/* A finding at input offset start, after any before it: the copy up to it, then its
 * replacement. seg holds the input's bytes from offset seg_off on, through the finding's end.
 * false: out of memory. */
bool redact_finding(struct redactor *x, const uint8_t *seg, uint64_t seg_off, uint64_t start,
                    uint64_t len, const char *detector);
/* The copy up to input offset end (a segment's end). false: out of memory. */
bool redact_to(struct redactor *x, const uint8_t *seg, uint64_t seg_off, uint64_t end);
/* The segment's copy (out) is taken, or lost; the next segment starts seg_len bytes on. */
void redact_next(struct redactor *x, uint64_t seg_len);
void redact_free(struct redactor *x);
/* --redact: n bytes of the redacted copy, in input order. */
void sink_data(struct run *r, const char *data, size_t n);
/* member: the archive member chain ("a.tar!b.csv"), "" or NULL for the input itself. */
void sink_error(struct run *r, const char *path, const char *member, const char *msg);
void sink_skipped(struct run *r, const char *path, const char *member, const char *reason);
void sink_finish(struct run *r, double elapsed);
/* path, or path!member, with control bytes escaped (\xNN) */
void text_name(FILE *o, const char *path, const char *member);
/* s[0..n) with control bytes escaped (\xNN), so a value cannot forge output lines */
void text_bytes(FILE *o, const char *s, size_t n);
/* The finding's value as output shows it: masked (into buf) unless --show-match. */
void match_text(const struct run *r, const pii_finding *f, char *buf, size_t cap, const char **s,
                size_t *len);
bool sink_summary_json(struct run *r, double elapsed, const char *file);
/* Bytes scanned of the current input's member ("" or NULL: the input itself). */
void sink_bytes(struct run *r, const char *member, uint64_t n);
/* A new input entry (fields after by_det zeroed): takes the member records its path had
 * before it (an archive whose first member was skipped). */
void summary_input_init(struct run *r, struct input_stats *in);
void summary_input_release(struct input_stats *in);

/* cli_progress.c: a progress line on standard error for long runs (--progress). Counts are
 * published by whoever has them: bytes by the threads that scan, the rest by the sinks; each
 * call does nothing when the line is off (r->prog NULL). */
/* Starts the line when --progress asks for it, or on a terminal (auto); false: out of memory or
 * no thread (the run goes on without it). */
bool progress_start(struct run *r);
/* n more bytes scanned (any thread). */
void progress_scanned(struct run *r, uint64_t n);
/* The sinks' counts after a record (the thread that owns the sinks). */
void progress_publish(struct run *r, bool input_done);
/* Around any other write to standard error: the line is cleared and kept from redrawing. */
void progress_hold(struct run *r);
void progress_release(struct run *r);
/* Stops the thread and clears the line; r->prog is NULL again. */
void progress_stop(struct run *r);

/* cli_merge.c: piiscan merge-summaries FILE... (argv[0] is "merge-summaries"). */
int merge_summaries(int argc, char **argv);

/* ---- issue 6 ---------------------------------------------------------------------------- */

/* cli_repo.c: the repository config (.piiscan.json) and baseline (.piiscan-baseline.json).
 * repo_setup() runs after option parsing and before the engine is compiled: it decides
 * whether a repository mode applies, loads both files and may narrow the detector set and
 * set the fingerprint key (the baseline's salt). false: an error was printed (exit 2). */
bool repo_setup(struct cli_opts *o, pii_detectors *d, const char **fingerprint_key);
void repo_free(struct cli_opts *o);
/* true when the config excludes this input path */
bool repo_excluded(const struct cli_opts *o, const char *path);
/* The path as the baseline and config see it: relative to the repository root. */
const char *repo_rel(const struct cli_opts *o, const char *path);
/* Decides a finding before any sink sees it: false to drop it (outside the staged lines);
 * else *out is f, with `allowed` set when the config or baseline allows it. Counts allowed,
 * blocking and notes. */
bool repo_finding(struct run *r, const pii_finding *f, pii_finding *out);
size_t baseline_count(const struct baseline *b);
void baseline_entry(const struct baseline *b, size_t i, const char **detector, const char **fp,
                    const char **path);
const char *baseline_salt(const struct baseline *b);
/* A random 32-byte salt in hex (65 bytes). */
bool repo_salt(char out[65]);
/* Baseline lookup (cli_repo.c). */
bool baseline_has(const struct baseline *b, const char *detector, const char *fp, const char *path);

/* cli_hook.c: the pre-commit report on stderr, and install-hook. */
void hook_finding(struct run *r, const pii_finding *f);
void hook_finish(struct run *r);
int hook_install(int argc, char **argv);

/* cli_suggest.c: a replacement of the same shape that is itself a documented test value,
 * written into out; false when the detector has no reserved range. */
bool suggest_replacement(const pii_finding *f, char *out, size_t cap);

/* cli_git.c: scans what is staged in the repository of the current directory.
 * git_staged_start() may start its git process early (after repo_setup), so that git works
 * while the engine loads; a failure there is reported by git_scan_staged(). */
void git_staged_start(struct cli_opts *o);
bool git_scan_staged(struct run *r);
/* Runs git with argv (NULL-terminated, without "git"); its stdout into *out (malloc'ed,
 * NUL-terminated). Returns git's exit status, or -1 when it could not run. */
int git_capture(const char *const *argv, char **out, size_t *len);
/* Whether a line number is one the staged diff adds. */
bool line_filter_has(const struct line_filter *lf, uint64_t line);

/* cli_sarif.c */
void sarif_finding(struct run *r, const pii_finding *f);
void sarif_finish(struct run *r);
void sarif_free(struct run *r);

/* cli_baseline.c: piiscan baseline create|update|audit. */
void baseline_finding(struct run *r, const pii_finding *f);
bool baseline_finish(struct run *r); /* false: could not write (exit 2) */
int baseline_exit(const struct run *r);
void baseline_collect_free(struct run *r);

#endif
