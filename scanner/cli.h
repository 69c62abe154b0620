/* cli.h: what the CLI's files share: options, per-input accounting and the output sinks.
 * The CLI is one user of include/piiscan.h; it never reaches into the library's internals. */
#ifndef PII_CLI_H
#define PII_CLI_H

#include "piiscan.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum out_format { FMT_JSONL, FMT_TEXT, FMT_SUMMARY };

struct cli_opts {
    enum out_format format;
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
    int min_conf; /* 0..100 */
    int exit_findings;
    size_t chunk_size;
    unsigned threads; /* -j: 0 = the number of cores */
    bool no_cache;
    pii_source_opts src; /* --max-archive-depth, --max-member-size, … (0: library default) */
    char **paths;
    size_t n_paths;
};

/* Parses argv; on a usage error prints it to stderr and returns false. *done is set when
 * --help or --version was handled. */
bool cli_parse(int argc, char **argv, struct cli_opts *o, bool *done);

/* Per-detector counts for one input. */
struct input_stats {
    char *path;
    uint64_t bytes;
    uint64_t findings;
    uint64_t *by_det; /* [n_det] */
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
    struct input_stats *cur;
    const char *cur_path;
    const char *cur_member; /* "" for the input itself */
    double t0;
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
/* A record of the walk itself (an error, or a skipped path), in order with the inputs. */
void par_record(struct run *r, bool skipped, const char *path, const char *member, const char *msg);
/* Waits for every input, releases their records, stops the pool. */
void par_finish(struct run *r);

/* Sinks (cli_sink.c). */
void sink_finding(struct run *r, const pii_finding *f);
/* member: the archive member chain ("a.tar!b.csv"), "" or NULL for the input itself. */
void sink_error(struct run *r, const char *path, const char *member, const char *msg);
void sink_skipped(struct run *r, const char *path, const char *member, const char *reason);
void sink_finish(struct run *r, double elapsed);
bool sink_summary_json(struct run *r, double elapsed, const char *file);

#endif
