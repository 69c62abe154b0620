/* cli_main.c: the piiscan command: options, inputs (files, directories, stdin, --files-from),
 * reading, binary detection, and the exit status. Only this file exits. It uses the public API
 * (include/piiscan.h) and the sinks in cli_sink.c. */
#define _GNU_SOURCE
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BINARY_SNIFF 8192

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- options ------------------------------------------------------------------------- */

enum {
    OPT_FORMAT = 256,
    OPT_SHOW_MATCH,
    OPT_DETECTORS,
    OPT_EXCLUDE,
    OPT_MIN_CONF,
    OPT_SUMMARY_JSON,
    OPT_STDIN_NAME,
    OPT_FILES_FROM,
    OPT_EXIT_FINDINGS,
    OPT_HELP,
    OPT_VERSION,
    OPT_BINARY,
    OPT_PATTERNS,
    OPT_KEY,
    OPT_CHUNK,
    OPT_LINE_BUF,
    OPT_LIST,
    OPT_MAX_DEPTH,
    OPT_MAX_MEMBER,
    OPT_MAX_INPUT,
    OPT_MAX_RATIO,
    OPT_MAX_MEMBERS,
    OPT_NO_CACHE,
    /* issue 6 */
    OPT_PRE_COMMIT,
    OPT_STAGED,
    OPT_ALL_LINES,
    OPT_NO_INLINE_ALLOW,
    OPT_RISK,
    OPT_BASELINE,
    OPT_CONFIG,
    OPT_REDACT,
    OPT_PROGRESS,
    OPT_NO_PROGRESS,
    OPT_SHARD,
    OPT_GLOB,
};

static const struct option long_opts[] = {
    {"all-lines", no_argument, NULL, OPT_ALL_LINES},
    {"baseline", required_argument, NULL, OPT_BASELINE},
    {"binary", no_argument, NULL, OPT_BINARY},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"chunk-size", required_argument, NULL, OPT_CHUNK},
    {"detectors", required_argument, NULL, OPT_DETECTORS},
    {"exclude-detectors", required_argument, NULL, OPT_EXCLUDE},
    {"exit-code-findings", required_argument, NULL, OPT_EXIT_FINDINGS},
    {"files-from", required_argument, NULL, OPT_FILES_FROM},
    {"fingerprint-key", required_argument, NULL, OPT_KEY},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"glob", required_argument, NULL, 'g'},
    {"help", no_argument, NULL, OPT_HELP},
    {"line-buffered", no_argument, NULL, OPT_LINE_BUF},
    {"list-detectors", no_argument, NULL, OPT_LIST},
    {"max-archive-depth", required_argument, NULL, OPT_MAX_DEPTH},
    {"max-input-size", required_argument, NULL, OPT_MAX_INPUT},
    {"max-member-size", required_argument, NULL, OPT_MAX_MEMBER},
    {"max-members", required_argument, NULL, OPT_MAX_MEMBERS},
    {"max-ratio", required_argument, NULL, OPT_MAX_RATIO},
    {"min-confidence", required_argument, NULL, OPT_MIN_CONF},
    {"no-cache", no_argument, NULL, OPT_NO_CACHE},
    {"no-inline-allow", no_argument, NULL, OPT_NO_INLINE_ALLOW},
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
    {"null", no_argument, NULL, '0'},
    {"patterns", required_argument, NULL, OPT_PATTERNS},
    {"pre-commit", no_argument, NULL, OPT_PRE_COMMIT},
    {"progress", optional_argument, NULL, OPT_PROGRESS},
    {"redact", optional_argument, NULL, OPT_REDACT},
    {"risk-threshold", required_argument, NULL, OPT_RISK},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"show-match", no_argument, NULL, OPT_SHOW_MATCH},
    {"staged", no_argument, NULL, OPT_STAGED},
    {"stdin-name", required_argument, NULL, OPT_STDIN_NAME},
    {"summary-json", required_argument, NULL, OPT_SUMMARY_JSON},
    {"threads", required_argument, NULL, 'j'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

static const char usage_text[] =
    "usage: piiscan [OPTIONS] [PATH...]\n"
    "       piiscan --pre-commit [OPTIONS] FILE...     (the pre-commit hook's mode)\n"
    "       piiscan git --staged [--all-lines] [OPTIONS]\n"
    "       piiscan install-hook [--force]\n"
    "       piiscan merge-summaries FILE...              (one report from several runs)\n"
    "       piiscan baseline create|update|audit [OPTIONS] [PATH...]\n"
    "Finds personal data in files, directories (recursively) and standard input ('-', or no\n"
    "PATH with piped input), and maps each finding to its CCPA category.\n"
    "\n"
    "Output:\n"
    "  --format jsonl|text|summary|sarif\n"
    "                               records (default jsonl), grep-like lines, totals, or\n"
    "                               SARIF 2.1.0 (one rule per detector)\n"
    "  --show-match                 print matched values unmasked (default: masked)\n"
    "  --redact[=token|mask]        instead of records, copy the inputs to stdout with each\n"
    "                               finding replaced by [detector] (token, the default) or\n"
    "                               by '*' for each byte but its first and last one or two\n"
    "                               (mask: the same length); decompressed, in input order;\n"
    "                               archive members are not copied (an error each)\n"
    "  --summary-json FILE          also write the run's summary as JSON to FILE\n"
    "  --line-buffered              flush after every record, and scan a pipe's input whenever\n"
    "                               it waits (for log pipelines)\n"
    "  --progress[=SECONDS]         a progress line on stderr: inputs done, bytes, rate,\n"
    "                               findings (redrawn on a terminal, else a line every\n"
    "                               SECONDS, default 10); on by default when stderr is a\n"
    "                               terminal and the records go to a file, or are a\n"
    "                               summary; --no-progress\n"
    "  --fingerprint-key KEY        HMAC key for fingerprints (default: $PIISCAN_FINGERPRINT_KEY,\n"
    "                               else the public \"" PII_DEFAULT_FINGERPRINT_KEY "\")\n"
    "Detectors:\n"
    "  --detectors LIST             only these ids or groups (comma-separated; 'all')\n"
    "  --exclude-detectors LIST     not these ids or groups\n"
    "  --patterns FILE              add detectors from FILE (format: patterns/README.md)\n"
    "  --min-confidence X           report findings with confidence >= X (0..1, default 0.5)\n"
    "  --list-detectors             list the detectors and exit\n"
    "Inputs:\n"
    "  --stdin-name NAME            name standard input NAME in the output (default '-')\n"
    "  --files-from FILE|-          read the paths to scan from FILE, one per line\n"
    "  -0, --null                   with --files-from: paths are NUL-separated\n"
    "  --shard K/N                  scan only the K-th of N shares of the files (1 <= K <=\n"
    "                               N), so N runs on N machines split the same PATHs;\n"
    "                               a file's share is a hash of its path below the\n"
    "                               directory argument (or its path as given)\n"
    "  -g, --glob GLOB              walk only files whose name (a GLOB without '/') or path\n"
    "                               below the directory argument matches; '!GLOB' leaves\n"
    "                               files and directories out; '*' stays in one directory,\n"
    "                               '**' crosses them, 'GLOB/' is for directories; the last\n"
    "                               glob that matches decides (repeatable; named files are\n"
    "                               always scanned)\n"
    "  --binary                     scan files that look binary (default: skip them)\n"
    "  -j, --threads N              scan with N threads (default: the number of cores); the\n"
    "                               output is the same for any N\n"
    "  --no-cache                   do not read or write the compiled-pattern cache\n"
    "                               ($XDG_CACHE_HOME/piiscan, else ~/.cache/piiscan)\n"
    "Compressed files and archives (format sniffed from content: gzip, zstd, bzip2, xz, lz4,\n"
    "tar, zip, 7z, cpio, ar, iso; nested; members named path!member; UTF-16 with a byte\n"
    "order mark is read as UTF-8):\n"
    "  --max-archive-depth N        archives inside archives, 1-64 (default 8)\n"
    "  --max-member-size SIZE       expanded bytes of one member (default 8G)\n"
    "  --max-input-size SIZE        bytes expanded from one input, all levels (default 64G)\n"
    "  --max-ratio N                expansion ratio of a stream over 64 MiB (default 1000)\n"
    "  --max-members N              archive members in one input (default 1000000)\n"
    "                               SIZE takes K, M, G, T suffixes (powers of 1024). A limit\n"
    "                               hit is an error record; the rest is still scanned.\n"
    "                               PIISCAN_GZIP=zlib in the environment decodes gzip with\n"
    "                               zlib instead of ISA-L (zip members too);\n"
    "                               PIISCAN_ZIP=libarchive reads zip with libarchive.\n"
    "Repository modes (README.md, 'Pre-commit hook'):\n"
    "  --pre-commit                 hook mode: a short report on stderr with a suggested test\n"
    "                               value for each finding; test values and findings below\n"
    "                               the risk threshold are notes and do not block\n"
    "  git --staged                 scan the index (not the working tree): only the lines the\n"
    "                               staged diff adds; archives and compressed files whole\n"
    "  --all-lines                  with git --staged: whole staged files\n"
    "  --risk-threshold low|medium|high\n"
    "                               lowest risk that blocks (default: config, else medium)\n"
    "  --no-inline-allow            ignore piiscan:allow markers (audits)\n"
    "  --baseline FILE              baseline (default .piiscan-baseline.json in the root)\n"
    "  --config FILE                config (default .piiscan.json in the root)\n"
    "  install-hook [--force]       write .git/hooks/pre-commit (runs 'piiscan git --staged')\n"
    "  baseline create|update|audit record current findings (create: new salt; update: keep\n"
    "                               the salt, add new, drop gone) or list the baseline's state\n"
    "Exit status:\n"
    "  0 nothing found (or every finding allowed; in hook modes: nothing blocks),\n"
    "  1 findings, 2 an error (what could be read is still reported)\n"
    "  --exit-code-findings N       exit N instead of 1 when there are findings\n"
    "  --help, --version\n";

int cli_keyword(const char *s, const char *const *names)
{
    for (int i = 0; s && names[i]; i++)
        if (!strcmp(s, names[i])) return i;
    return -1;
}

static void glob_parse(const char *s, struct glob *g)
{
    g->neg = *s == '!';
    s += g->neg;
    const char *e = s + strlen(s);
    g->dir_only = e > s + 1 && e[-1] == '/';
    e -= g->dir_only;
    const char *slash = memchr(s, '/', (size_t)(e - s));
    g->path = slash != NULL;
    g->p = s + (slash == s);
    g->pe = e;
}

static bool parse_conf(const char *s, int *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v < 0 || v > 1) return false;
    *out = (int)(v * 100 + 0.5);
    return true;
}

static bool parse_uint(const char *s, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > max) return false;
    *out = v;
    return true;
}

/* A byte count with an optional K, M, G or T suffix (powers of 1024). */
static bool parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (*s == '-') return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s) return false;
    unsigned shift = 0;
    switch (*end) {
    case 'k':
    case 'K':
        shift = 10;
        break;
    case 'm':
    case 'M':
        shift = 20;
        break;
    case 'g':
    case 'G':
        shift = 30;
        break;
    case 't':
    case 'T':
        shift = 40;
        break;
    case 0:
        break;
    default:
        return false;
    }
    if (shift) end++;
    if (*end == 'i' && shift) end++;
    if ((*end == 'B' || *end == 'b') && shift) end++;
    if (*end || v == 0 || v > (UINT64_MAX >> shift)) return false;
    *out = (uint64_t)v << shift;
    return true;
}

static bool usage_error(const char *fmt, const char *arg)
{
    fputs("piiscan: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'piiscan --help'.\n", stderr);
    return false;
}

bool cli_parse(int argc, char **argv, struct cli_opts *o, bool *done)
{
    memset(o, 0, sizeof *o);
    pii_source_opts_init(&o->src);
    const char *gz = getenv("PIISCAN_GZIP");
    if (gz && !strcmp(gz, "zlib")) o->src.flags |= PII_SOURCE_FORCE_ZLIB;
    const char *zip = getenv("PIISCAN_ZIP");
    if (zip && !strcmp(zip, "libarchive")) o->src.flags |= PII_SOURCE_ZIP_LIBARCHIVE;
    o->format = FMT_JSONL;
    o->min_conf = 50;
    o->exit_findings = 1;
    o->h.risk_threshold = -1;
    o->progress = -1;
    bool format_set = false, redact = false;
    *done = false;
    /* issue 6: subcommands that scan (install-hook is handled by main) */
    int shift = 0;
    if (argc > 1 && !strcmp(argv[1], "git")) {
        shift = 1;
    } else if (argc > 1 && !strcmp(argv[1], "baseline")) {
        const char *c = argc > 2 ? argv[2] : "";
        o->h.baseline_cmd = !strcmp(c, "create")   ? BL_CREATE
                            : !strcmp(c, "update") ? BL_UPDATE
                            : !strcmp(c, "audit")  ? BL_AUDIT
                                                   : BL_NONE;
        if (o->h.baseline_cmd == BL_NONE)
            return usage_error("baseline takes create, update or audit, not '%s'", c);
        shift = 2;
    }
    argc -= shift;
    argv += shift;
    /* --patterns and --glob lists, each at most argc long, in one allocation (one free) */
    size_t list = ((size_t)argc + 1) * sizeof *o->patterns;
    o->patterns = calloc(1, list + ((size_t)argc + 1) * sizeof *o->globs);
    if (!o->patterns) return usage_error("%s", "out of memory");
    o->globs = (struct glob *)((char *)o->patterns + list); /* both pointer-aligned */
    opterr = 0;
    int c;
    long v;
    while ((c = getopt_long(argc, argv, "0j:g:", long_opts, NULL)) != -1) {
        switch (c) {
        case OPT_FORMAT: {
            static const char *const names[] = {"jsonl", "text", "summary", "sarif", NULL};
            static const enum out_format fmts[] = {FMT_JSONL, FMT_TEXT, FMT_SUMMARY, FMT_SARIF};
            int i = cli_keyword(optarg, names);
            if (i < 0)
                return usage_error("unknown format '%s' (jsonl, text, summary, sarif)", optarg);
            o->format = fmts[i];
            format_set = true;
            break;
        }
        case OPT_PRE_COMMIT:
            o->h.pre_commit = true;
            break;
        case OPT_REDACT: {
            static const char *const names[] = {"token", "mask", NULL};
            static const enum redact_style styles[] = {REDACT_TOKEN, REDACT_MASK};
            int i = optarg ? cli_keyword(optarg, names) : 0;
            if (i < 0) return usage_error("--redact takes token or mask, not '%s'", optarg);
            o->redact = styles[i];
            redact = true;
            break;
        }
        case OPT_STAGED:
            o->h.git_staged = true;
            break;
        case OPT_ALL_LINES:
            o->h.all_lines = true;
            break;
        case OPT_NO_INLINE_ALLOW:
            o->h.no_inline_allow = true;
            break;
        case OPT_BASELINE:
            o->h.baseline_path = optarg;
            break;
        case OPT_CONFIG:
            o->h.config_path = optarg;
            break;
        case OPT_RISK:
            if ((o->h.risk_threshold = risk_by_name(optarg)) < 0)
                return usage_error("--risk-threshold takes low, medium or high, not '%s'", optarg);
            break;
        case OPT_SHOW_MATCH:
            o->show_match = true;
            break;
        case OPT_BINARY:
            o->binary = true;
            break;
        case OPT_LINE_BUF:
            o->line_buffered = true;
            break;
        case OPT_LIST:
            o->list_detectors = true;
            break;
        case '0':
            o->null_sep = true;
            break;
        case 'j':
            if (!parse_uint(optarg, 1024, &v) || v < 1)
                return usage_error("--threads takes 1 to 1024, not '%s'", optarg);
            o->threads = (unsigned)v;
            break;
        case OPT_NO_CACHE:
            o->no_cache = true;
            break;
        case OPT_PROGRESS:
            o->progress = 1;
            if (optarg && (!parse_uint(optarg, 86400, &v) || v < 1))
                return usage_error("--progress takes 1 to 86400 seconds, not '%s'", optarg);
            if (optarg) o->progress_every = (unsigned)v;
            break;
        case 'g':
            if (!*optarg || !strcmp(optarg, "!"))
                return usage_error("--glob takes a pattern, not '%s'", optarg);
            glob_parse(optarg, &o->globs[o->n_globs++]);
            if (optarg[0] != '!') o->glob_includes = true;
            break;
        case OPT_NO_PROGRESS:
            o->progress = 0;
            break;
        case OPT_SHARD: {
            char *slash = strchr(optarg, '/');
            long k = 0, n = 0;
            if (slash) *slash = 0;
            bool ok =
                slash && parse_uint(optarg, 1 << 20, &k) && parse_uint(slash + 1, 1 << 20, &n);
            if (slash) *slash = '/';
            if (!ok || k < 1 || n < 1 || k > n)
                return usage_error("--shard takes K/N with 1 <= K <= N <= 1048576, not '%s'",
                                   optarg);
            o->shard_k = (unsigned)k;
            o->shard_n = (unsigned)n;
            break;
        }
        case OPT_DETECTORS:
            o->detectors = optarg;
            break;
        case OPT_EXCLUDE:
            o->exclude = optarg;
            break;
        case OPT_SUMMARY_JSON:
            o->summary_json = optarg;
            break;
        case OPT_STDIN_NAME:
            o->stdin_name = optarg;
            break;
        case OPT_FILES_FROM:
            o->files_from = optarg;
            break;
        case OPT_KEY:
            o->fingerprint_key = optarg;
            break;
        case OPT_PATTERNS:
            o->patterns[o->n_patterns++] = optarg;
            break;
        case OPT_MIN_CONF:
            if (!parse_conf(optarg, &o->min_conf))
                return usage_error("--min-confidence takes a number from 0 to 1, not '%s'", optarg);
            break;
        case OPT_EXIT_FINDINGS:
            if (!parse_uint(optarg, 255, &v))
                return usage_error("--exit-code-findings takes 0-255, not '%s'", optarg);
            o->exit_findings = (int)v;
            break;
        case OPT_CHUNK:
            if (!parse_uint(optarg, 64L << 20, &v) || v < 1)
                return usage_error("--chunk-size takes 1 to 67108864 bytes, not '%s'", optarg);
            o->chunk_size = (size_t)v;
            break;
        case OPT_MAX_DEPTH:
            if (!parse_uint(optarg, 64, &v) || v < 1)
                return usage_error("--max-archive-depth takes 1 to 64, not '%s'", optarg);
            o->src.max_depth = (unsigned)v;
            break;
        case OPT_MAX_MEMBER:
            if (!parse_size(optarg, &o->src.max_member_size))
                return usage_error("--max-member-size takes a positive size, not '%s'", optarg);
            break;
        case OPT_MAX_INPUT:
            if (!parse_size(optarg, &o->src.max_input_size))
                return usage_error("--max-input-size takes a positive size, not '%s'", optarg);
            break;
        case OPT_MAX_RATIO:
            if (!parse_size(optarg, &o->src.max_ratio))
                return usage_error("--max-ratio takes a positive number, not '%s'", optarg);
            break;
        case OPT_MAX_MEMBERS:
            if (!parse_size(optarg, &o->src.max_members))
                return usage_error("--max-members takes a positive number, not '%s'", optarg);
            break;
        case OPT_HELP:
            fputs(usage_text, stdout);
            *done = true;
            return true;
        case OPT_VERSION:
            printf("piiscan %s\n", pii_version());
            *done = true;
            return true;
        case '?':
        default:
            if (optopt) {
                char s[2] = {(char)optopt, 0};
                return usage_error("unknown or incomplete option '-%s'", s);
            }
            return usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    o->paths = argv + optind;
    o->n_paths = (size_t)(argc - optind);
    if (o->null_sep && !o->files_from) return usage_error("%s", "-0 goes with --files-from");
    for (size_t i = 0; o->files_from && !strcmp(o->files_from, "-") && i < o->n_paths; i++)
        if (!strcmp(o->paths[i], "-"))
            return usage_error("%s", "standard input is the --files-from list: '-' cannot "
                                     "also be an input");
    /* issue 6 */
    if (shift == 1 && !o->h.git_staged) return usage_error("%s", "git takes --staged");
    if (o->h.git_staged && shift != 1) return usage_error("%s", "--staged goes with 'git'");
    if (o->h.git_staged && (o->n_paths || o->files_from))
        return usage_error("%s", "git --staged takes no PATH");
    if (o->h.all_lines && !o->h.git_staged)
        return usage_error("%s", "--all-lines goes with 'git --staged'");
    bool repo_mode = o->h.pre_commit || shift || o->h.baseline_path || o->h.config_path;
    if (redact) {
        /* the copy is the output: nothing else goes to stdout */
        if (format_set) return usage_error("%s", "--redact writes the copy, not --format records");
        if (o->show_match) return usage_error("%s", "--redact and --show-match contradict");
        if (repo_mode) return usage_error("%s", "--redact is not for the repository modes");
        o->format = FMT_REDACT;
    }
    if (o->shard_n) {
        /* a share of the files: standard input has no path to split by */
        if (repo_mode) return usage_error("%s", "--shard is not for the repository modes");
        if (!o->n_paths && !o->files_from)
            return usage_error("%s", "--shard splits PATHs or --files-from, not standard input");
        for (size_t i = 0; i < o->n_paths; i++)
            if (!strcmp(o->paths[i], "-"))
                return usage_error("%s", "--shard cannot split standard input ('-')");
    }
    if (repo_mode && o->progress > 0)
        return usage_error("%s", "--progress is not for the repository modes");
    if (repo_mode) o->progress = 0;
    if ((o->h.pre_commit || o->h.git_staged) && !format_set) o->format = FMT_PRECOMMIT;
    if (o->h.baseline_cmd) o->format = FMT_BASELINE;
    if (o->h.pre_commit && !o->n_paths && !o->files_from) {
        *done = true; /* the framework ran us with no file: nothing to check */
        return true;
    }
    return true;
}

/* ---- walking the inputs (scanning is in cli_par.c) ------------------------------------- */

#define DET_BLOCK 256

struct det_block {
    struct det_block *next;
    uint64_t v[]; /* DET_BLOCK arrays of n_det counts */
};

/* A zeroed array of n_det counts, freed with the run (det_counts_free). */
static uint64_t *det_counts_new(struct run *r)
{
    size_t n = r->n_det ? r->n_det : 1;
    if (!r->det_left) {
        struct det_block *b = calloc(1, sizeof *b + DET_BLOCK * n * sizeof(uint64_t));
        if (!b) return NULL;
        b->next = r->det_blocks;
        r->det_blocks = b;
        r->det_left = DET_BLOCK;
    }
    return r->det_blocks->v + (DET_BLOCK - r->det_left--) * n;
}

static void det_counts_free(struct run *r)
{
    while (r->det_blocks) {
        struct det_block *b = r->det_blocks;
        r->det_blocks = b->next;
        free(b);
    }
    r->det_left = 0;
}

struct input_stats *run_input_new(struct run *r, const char *path)
{
    struct input_stats *nv = grow_array(r->inputs, &r->cap_inputs, r->n_inputs + 1, sizeof *nv, 64);
    if (!nv) return NULL;
    r->inputs = nv;
    struct input_stats *in = &r->inputs[r->n_inputs];
    in->path = strdup(path);
    in->bytes = in->findings = 0;
    in->by_det = det_counts_new(r);
    if (!in->path || !in->by_det) {
        free(in->path);
        return NULL;
    }
    summary_input_init(r, in);
    r->n_inputs++;
    return in;
}

/* A directory entry: its name and its type as readdir says it (DT_UNKNOWN: ask lstat). */
struct dent {
    char *name;
    unsigned char type;
};

static void scan_path(struct run *r, const char *path, bool explicit_arg, unsigned char dtype,
                      struct par_dir *dir, size_t base);

/* --shard K/N: whether this run's share holds the path whose key is `key`: the path below the
 * directory argument it was found under (machines that mount the tree in different places
 * split it alike), or the path as given. FNV-1a over the key's bytes, then a 64-bit finalizer
 * (FNV's low bits alone follow the last bytes, a file's extension). Never to change: runs of
 * two versions on two machines must still split a tree into disjoint shares. */
static bool shard_mine(const struct run *r, const char *key)
{
    if (!r->o->shard_n) return true;
    uint64_t h = 0xcbf29ce484222325u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 0x100000001b3u;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53u;
    h ^= h >> 33;
    return h % r->o->shard_n == r->o->shard_k - 1u;
}

/* Whether s matches the glob [p, pe), as .gitignore reads one: '*' and '?' stay within a path
 * component, '**' crosses them ("**" + "/" is zero or more whole directories), [...] is a class
 * ([!...] negated), '\\' quotes the next byte. */
static bool glob_match(const char *p, const char *pe, const char *s)
{
    while (p < pe) {
        if (*p == '*') {
            bool deep = p + 1 < pe && p[1] == '*';
            p += deep ? 2 : 1;
            if (deep && p < pe && *p == '/') { /* zero or more directories */
                p++;
                for (const char *t = s;;) {
                    if (glob_match(p, pe, t)) return true;
                    const char *sl = strchr(t, '/');
                    if (!sl) return false;
                    t = sl + 1;
                }
            }
            for (const char *t = s;; t++) {
                if (glob_match(p, pe, t)) return true;
                if (!*t || (*t == '/' && !deep)) return false;
            }
        }
        if (!*s) return false;
        if (*p == '?') {
            if (*s == '/') return false;
        } else if (*p == '[') {
            const char *q = p + 1;
            bool neg = q < pe && (*q == '!' || *q == '^');
            q += neg;
            bool in = false;
            const char *start = q;
            for (; q < pe && (*q != ']' || q == start); q++) {
                if (q + 2 < pe && q[1] == '-' && q[2] != ']') {
                    in = in || ((unsigned char)*s >= (unsigned char)q[0] &&
                                (unsigned char)*s <= (unsigned char)q[2]);
                    q += 2;
                } else {
                    in = in || *s == *q;
                }
            }
            if (q >= pe) { /* no closing ']': a plain '[' */
                if (*s != '[') return false;
            } else {
                if (in == neg || *s == '/') return false;
                p = q;
            }
        } else {
            if (*p == '\\' && p + 1 < pe) p++;
            if (*p != *s) return false;
        }
        p++, s++;
    }
    return !*s;
}

/* --glob: whether a walked path is left out. rel: the path below the directory argument; name:
 * its last component (struct glob says which a glob matches). The last glob that matches
 * decides; a file no glob takes in is out when some glob takes files in. */
static bool glob_out(const struct cli_opts *o, const char *rel, const char *name, bool dir)
{
    int verdict = 0; /* 1: in, -1: out */
    for (size_t i = 0; i < o->n_globs; i++) {
        const struct glob *g = &o->globs[i];
        if (g->dir_only && !dir) continue;
        if (glob_match(g->p, g->pe, g->path ? rel : name)) verdict = g->neg ? -1 : 1;
    }
    return verdict < 0 || (!dir && o->glob_includes && verdict == 0);
}

static int dent_cmp(const void *a, const void *b)
{
    return strcmp(((const struct dent *)a)->name, ((const struct dent *)b)->name);
}

static void scan_dir(struct run *r, const char *path, const char *key)
{
    DIR *d = opendir(path);
    if (!d) {
        char msg[300];
        snprintf(msg, sizeof msg, "cannot open directory: %s", strerror(errno));
        if (shard_mine(r, key)) par_record(r, false, path, NULL, msg);
        return;
    }
    struct dent *ents = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        struct dent *nv = grow_array(ents, &cap, n + 1, sizeof *nv, 64);
        if (!nv) break;
        ents = nv;
        if (!(ents[n].name = strdup(de->d_name))) break;
        ents[n].type = de->d_type;
        n++;
    }
    /* its files are opened relative to it (cheaper path lookups), whatever thread opens them */
    struct par_dir *dir = n ? par_dir_new(dirfd(d)) : NULL;
    closedir(d);
    /* sorted, so output does not depend on the file system's order */
    if (n) qsort(ents, n, sizeof *ents, dent_cmp); /* an empty directory: ents is NULL */
    size_t pl = strlen(path);
    bool slash = pl && path[pl - 1] == '/';
    char *child = NULL;
    size_t child_cap = 0;
    for (size_t i = 0; i < n && !r->out_broken; i++) {
        size_t nl = strlen(ents[i].name);
        char *nc = grow_array(child, &child_cap, pl + 1 + nl + 1, 1, 256);
        if (!nc) break;
        child = nc;
        memcpy(child, path, pl);
        size_t at = pl;
        if (!slash) child[at++] = '/';
        memcpy(child + at, ents[i].name, nl + 1);
        scan_path(r, child, false, ents[i].type, dir, at);
    }
    par_dir_put(dir);
    free(child);
    for (size_t i = 0; i < n; i++) free(ents[i].name);
    free(ents);
}

/* dtype: the entry's type from readdir inside a walk, which spares a stat of each file
 * (DT_UNKNOWN, and for explicit arguments: stat it). dir: the walked directory that holds it
 * (its name at path + base), or NULL. */
static void scan_path(struct run *r, const char *path, bool explicit_arg, unsigned char dtype,
                      struct par_dir *dir, size_t base)
{
    /* --shard: every record about a path comes from the run whose share holds it */
    const char *key = explicit_arg ? path : path + r->walk_root;
    bool mine = shard_mine(r, key);
    if (!strcmp(path, "-") && explicit_arg) {
        if (!r->o->shard_n)
            par_input(r, r->o->stdin_name ? r->o->stdin_name : "-", STDIN_FILENO);
        else if (mine) /* --files-from named it: --shard has no path to split it by */
            par_record(r, false, "-", NULL, "--shard cannot split standard input");
        return;
    }
    mode_t mode;
    if (!explicit_arg && dtype != DT_UNKNOWN) {
        mode = DTTOIF(dtype); /* <dirent.h>: the DT_ type as st_mode's S_IF bits */
    } else {
        struct stat st;
        /* inside a walk, symbolic links are not followed (no loops, no escaping the tree) */
        if ((explicit_arg ? stat(path, &st) : lstat(path, &st)) != 0) {
            char msg[300];
            snprintf(msg, sizeof msg, "cannot access: %s", strerror(errno));
            if (mine) par_record(r, false, path, NULL, msg);
            return;
        }
        mode = st.st_mode;
    }
    if (S_ISLNK(mode)) return;
    if (!explicit_arg && r->o->n_globs &&
        glob_out(r->o, path + r->walk_root, path + base, S_ISDIR(mode))) {
        /* chosen by the user, like a file outside the PATHs: no record, only a count (by one
         * share: added up over N shares it is the whole walk's) */
        r->glob_excluded += mine;
        return;
    }
    if (S_ISDIR(mode) && explicit_arg) {
        /* the shares of its files are keyed below it */
        size_t pl = strlen(path);
        r->walk_root = pl + (pl && path[pl - 1] != '/');
    }
    if (!S_ISDIR(mode) && !mine) {
        r->shard_elsewhere++;
        return;
    }
    if (repo_excluded(r->o, path)) { /* issue 6: the config's path excludes */
        par_record(r, true, path, NULL, "excluded");
        return;
    }
    if (S_ISDIR(mode)) {
        scan_dir(r, path, key);
        return;
    }
    if (!S_ISREG(mode) && !explicit_arg) {
        par_record(r, true, path, NULL, "not a regular file");
        return;
    }
    if (!explicit_arg)
        par_input_at(r, path, dir, base);
    else
        par_input(r, path, -1);
}

static bool scan_files_from(struct run *r, const char *list)
{
    FILE *f = strcmp(list, "-") ? fopen(list, "r") : stdin;
    if (!f) {
        progress_hold(r);
        fprintf(stderr, "piiscan: %s: cannot open: %s\n", list, strerror(errno));
        progress_release(r);
        return false;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int delim = r->o->null_sep ? 0 : '\n';
    while ((n = getdelim(&line, &cap, delim, f)) > 0 && !r->out_broken) {
        if (line[n - 1] == delim) line[--n] = 0;
        if (!delim && n == 0) continue;
        if (delim && n && line[n - 1] == '\r') line[--n] = 0;
        if (n == 0) continue;
        if (f == stdin && !strcmp(line, "-")) {
            /* a worker reading it would take the rest of the list as data */
            par_record(r, false, "-", NULL,
                       "standard input is the --files-from list, not an input");
            continue;
        }
        scan_path(r, line, true, DT_UNKNOWN, NULL, 0);
    }
    bool ok = !ferror(f);
    if (!ok) {
        progress_hold(r);
        fprintf(stderr, "piiscan: %s: read error\n", list);
        progress_release(r);
    }
    free(line);
    if (f != stdin) fclose(f);
    return ok;
}

static void list_detectors(const pii_engine *e)
{
    for (size_t i = 0; i < pii_engine_detector_count(e); i++) {
        pii_detector_info d;
        pii_engine_detector(e, i, &d);
        char cats[32];
        pii_category_letters(d.ccpa, cats, sizeof cats);
        printf("%-18s %-11s ccpa=%-5s spi=%-8s risk=%-6s %s\n", d.id, d.group, cats[0] ? cats : "-",
               d.spi == PII_SPI_YES        ? "yes"
               : d.spi == PII_SPI_COMBINED ? "combined"
                                           : "no",
               pii_risk_name(d.risk), d.description);
    }
}

/* The cores this process may run on (-j's default): one system call, where sysconf's count of
 * the online ones opens and reads a file in /sys (start-up). */
static unsigned cores(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return (unsigned)CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "install-hook")) /* issue 6 */
        return hook_install(argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "merge-summaries")) return merge_summaries(argc - 1, argv + 1);
    struct cli_opts o;
    bool done;
    bool parsed = cli_parse(argc, argv, &o, &done);
    if (!parsed || done) {
        free(o.patterns);
        return parsed ? 0 : 2;
    }

    pii_error err = PII_ERROR_INIT;
    if (pii_platform_check(&err)) {
        fprintf(stderr, "piiscan: %s\n", err.msg);
        free(o.patterns);
        return 2;
    }
    /* A reader that goes away (piiscan | head) ends the run quietly, not with SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);

    pii_detectors *dets = NULL;
    pii_engine *eng = NULL;
    int rc = 2;
    if (pii_detectors_new(&dets, &err) || pii_detectors_load_builtin(dets, &err)) goto fail;
    for (size_t i = 0; i < o.n_patterns; i++)
        if (pii_detectors_load_file(dets, o.patterns[i], &err)) goto fail;
    if (o.detectors && pii_detectors_select(dets, o.detectors, 0, &err)) goto fail;
    if (o.exclude && pii_detectors_select(dets, o.exclude, 1, &err)) goto fail;

    pii_engine_opts eo;
    pii_engine_opts_init(&eo);
    eo.fingerprint_key = o.fingerprint_key ? o.fingerprint_key : getenv("PIISCAN_FINGERPRINT_KEY");
    if (!repo_setup(&o, dets, &eo.fingerprint_key)) { /* issue 6: config and baseline */
        pii_detectors_free(dets);
        repo_free(&o);
        free(o.patterns);
        return 2;
    }
    if (o.h.git_staged) git_staged_start(&o); /* issue 6: git diffs while the engine loads */
    if (eo.fingerprint_key && !*eo.fingerprint_key) eo.fingerprint_key = NULL;
    /* XDG base directories: $XDG_CACHE_HOME when absolute, else ~/.cache */
    char cache_dir[4096];
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (o.no_cache)
        eo.cache_dir = NULL;
    else if (xdg && xdg[0] == '/')
        eo.cache_dir =
            snprintf(cache_dir, sizeof cache_dir, "%s/piiscan", xdg) < (int)sizeof cache_dir
                ? cache_dir
                : NULL;
    else if (home && home[0] == '/')
        eo.cache_dir =
            snprintf(cache_dir, sizeof cache_dir, "%s/.cache/piiscan", home) < (int)sizeof cache_dir
                ? cache_dir
                : NULL;
    if (pii_engine_compile(dets, &eo, &eng, &err)) goto fail;
    pii_detectors_free(dets);
    dets = NULL;
    if (o.list_detectors) {
        list_detectors(eng);
        pii_engine_free(eng);
        free(o.patterns);
        return 0;
    }

    pii_scan_opts so;
    pii_scan_opts_init(&so);
    so.min_confidence = o.min_conf;
    so.inline_allow = !o.h.no_inline_allow;
    unsigned threads = o.threads ? o.threads : cores();
    /* issue 6: git --staged filters each blob's findings by its added lines, set around the
     * blob's scan (r->lines): one thread, so the blob is scanned and reported in that span */
    if (o.h.git_staged) threads = 1;

    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    /* one thread writes the records at a time, the one that owns the sinks, handed over under
     * the output lock (cli_par.c): stdio's own lock on each call only costs (a tenth of a JSONL
     * run when a record was a dozen calls) */
    __fsetlocking(stdout, FSETLOCKING_BYCALLER);
    static char errbuf[1 << 16]; /* issue 6: the hook's report is one write, not one per note */
    if (o.format == FMT_PRECOMMIT) setvbuf(stderr, errbuf, _IOFBF, sizeof errbuf);
    struct run r = {.o = &o,
                    .eng = eng,
                    .n_det = pii_engine_detector_count(eng),
                    .out = stdout,
                    .cur_member = ""};
    r.by_det = calloc(r.n_det ? r.n_det : 1, sizeof *r.by_det);
    if (!r.by_det) {
        fprintf(stderr, "piiscan: out of memory\n");
        goto out;
    }
    r.t0 = now();
    /* before the pool: its threads read r.prog */
    if (!progress_start(&r)) fputs("piiscan: cannot show progress (out of resources)\n", stderr);
    if (!par_start(&r, threads, o.chunk_size, &so, &err)) {
        progress_stop(&r);
        fprintf(stderr, "piiscan: %s\n", err.msg);
        goto out;
    }
    bool list_ok = true;
    if (o.h.git_staged) list_ok = git_scan_staged(&r); /* issue 6 */
    if (o.h.baseline_cmd && !o.n_paths && !o.files_from) {
        /* issue 6: a baseline covers the repository's tracked files */
        char *ls = NULL;
        size_t ln = 0;
        const char *const av[] = {"ls-files", "-z", NULL};
        list_ok = git_capture(av, &ls, &ln) == 0;
        if (!list_ok) fputs("piiscan: baseline: 'git ls-files' failed (run at the root)\n", stderr);
        for (size_t i = 0; list_ok && i < ln; i += strlen(ls + i) + 1)
            scan_path(&r, ls + i, true, DT_UNKNOWN, NULL, 0);
        free(ls);
    } else if (o.h.git_staged || o.h.baseline_cmd) {
    } else if (o.files_from)
        list_ok = scan_files_from(&r, o.files_from);
    for (size_t i = 0; i < o.n_paths && !r.out_broken; i++)
        scan_path(&r, o.paths[i], true, DT_UNKNOWN, NULL, 0);
    if (!o.files_from && o.n_paths == 0 && !o.h.git_staged && !o.h.baseline_cmd) {
        if (isatty(STDIN_FILENO)) {
            progress_stop(&r);
            fputs("piiscan: no input: give PATHs, or pipe data to standard input\n"
                  "Try 'piiscan --help'.\n",
                  stderr);
            goto out;
        }
        par_input(&r, o.stdin_name ? o.stdin_name : "-", STDIN_FILENO);
    }
    par_finish(&r);
    progress_stop(&r); /* the line is gone before the summary or any last message */
    double elapsed = now() - r.t0;
    sink_finish(&r, elapsed);
    bool sum_ok = !o.summary_json || sink_summary_json(&r, elapsed, o.summary_json);
    if (o.h.baseline_cmd && !baseline_finish(&r)) sum_ok = false; /* issue 6 */
    if (fflush(stdout) != 0 && errno != EPIPE) r.errors++;
    if (r.errors || !list_ok || !sum_ok)
        rc = 2;
    else if (o.h.baseline_cmd)
        rc = baseline_exit(&r);
    else
        rc = r.blocking ? o.exit_findings : 0; /* allowed findings, hook notes: exit 0 */
out:
    par_finish(&r);
    progress_stop(&r);
    sarif_free(&r);
    sink_free(&r);
    baseline_collect_free(&r);
    repo_free(&o);
    for (size_t i = 0; i < r.n_inputs; i++) summary_input_release(&r.inputs[i]);
    summary_input_release(&r.pend);
    free(r.inputs);
    det_counts_free(&r);
    free(r.by_det);
    pii_engine_free(eng);
    free(o.patterns);
    return rc;
fail:
    fprintf(stderr, "piiscan: %s%s%s\n", err.origin, err.origin[0] ? ": " : "", err.msg);
    pii_engine_free(eng);
    pii_detectors_free(dets);
    repo_free(&o);
    free(o.patterns);
    return 2;
}
