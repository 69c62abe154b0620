/* cli_merge.c: `piiscan merge-summaries FILE...`: one report from the summaries of several runs
 * (the N shares of a --shard batch, or runs over several systems): totals and per-detector and
 * per-category counts added, inputs listed one after the other, and a batch with a share
 * missing or twice said so (exit 2), never passed off as complete. */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char merge_usage[] =
    "usage: piiscan merge-summaries FILE...\n"
    "Writes one summary (JSON) to stdout from the summaries of several runs: --summary-json\n"
    "files, or JSONL outputs whose last record is the summary. Counts are added, inputs listed\n"
    "in the order of the FILEs; the shares of a --shard batch must all be there, once each.\n"
    "Exit status: 0 merged, 2 an error (an unreadable FILE, a share missing or twice).\n";

/* The summary object of a file: the whole file as one JSON object, or the last line of JSONL
 * output when it is a summary record. NULL (with *why) when it is neither. */
static json_t *load_summary(const char *file, const char **why)
{
    FILE *f = fopen(file, "rb");
    if (!f) {
        *why = strerror(errno);
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        char *nb = grow_array(buf, &cap, len + 65536 + 1, 1, 65536);
        if (!nb) break;
        buf = nb;
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0) break;
    }
    bool bad = ferror(f) || !buf;
    fclose(f);
    if (bad) {
        free(buf);
        *why = "read error";
        return NULL;
    }
    buf[len] = 0;
    json_t *o = json_loadb(buf, len, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        o = NULL;
        size_t e = len;
        while (e && (buf[e - 1] == '\n' || buf[e - 1] == '\r')) e--;
        size_t s = e;
        while (s && buf[s - 1] != '\n') s--;
        json_t *last = e > s ? json_loadb(buf + s, e - s, JSON_REJECT_DUPLICATES, NULL) : NULL;
        json_t *type = json_object_get(last, "type");
        if (json_is_string(type) && !strcmp(json_string_value(type), "summary"))
            o = last;
        else
            json_decref(last);
    }
    free(buf);
    if (!o || !json_is_integer(json_object_get(o, "files")) ||
        !json_is_integer(json_object_get(o, "findings")) ||
        !json_is_object(json_object_get(o, "by_detector")) ||
        !json_is_array(json_object_get(o, "inputs"))) {
        json_decref(o);
        *why = "not a piiscan summary (--summary-json, or JSONL ending in a summary record)";
        return NULL;
    }
    return o;
}

/* *acc += v, v a count (absent: 0); false when v is not a count or the sum does not fit. */
static bool count_add(json_int_t *acc, json_t *v)
{
    if (!v) return true;
    json_int_t x = json_integer_value(v);
    if (!json_is_integer(v) || x < 0 || *acc > INT64_MAX - x) return false;
    *acc += x;
    return true;
}

/* dst[key] += v: one count of an object of counts (dst keeps first-seen order). */
static bool count_set(json_t *dst, const char *key, json_t *v)
{
    json_int_t have = json_integer_value(json_object_get(dst, key));
    return count_add(&have, v) && !json_object_set_new(dst, key, json_integer(have));
}

/* dst[key] += src[key] for every count of the object src. */
static bool add_counts(json_t *dst, json_t *src)
{
    const char *k;
    json_t *v;
    json_object_foreach(src, k, v) if (!v || !count_set(dst, k, v)) return false;
    return true;
}

/* by_directory entries of src added into dirs (an object keyed by path): the shares of one
 * tree hold the same directories. false: malformed. */
static bool add_dirs(json_t *dirs, json_t *src)
{
    size_t i;
    json_t *e;
    json_array_foreach(src, i, e)
    {
        const char *path = json_string_value(json_object_get(e, "path"));
        json_t *ccpa = json_object_get(e, "by_ccpa");
        if (!path || !json_is_object(ccpa)) return false;
        json_t *d = json_object_get(dirs, path);
        if (!d) {
            d = json_pack("{s:s,s:I,s:I,s:I,s:{}}", "path", path, "inputs", (json_int_t)0, "bytes",
                          (json_int_t)0, "findings", (json_int_t)0, "by_ccpa");
            if (!d || json_object_set_new(dirs, path, d)) return false;
        }
        static const char *const keys[] = {"inputs", "bytes", "findings"};
        for (size_t k = 0; k < 3; k++) {
            json_t *v = json_object_get(e, keys[k]);
            if (!v || !count_set(d, keys[k], v)) return false;
        }
        if (!add_counts(json_object_get(d, "by_ccpa"), ccpa)) return false;
    }
    return true;
}

/* A by_ccpa object in letter order, as a run writes it, whatever order the files gave. */
static json_t *letters(json_t *by_ccpa)
{
    json_t *o = json_object();
    for (char c = 'A'; o && c <= 'L'; c++) {
        char key[2] = {c, 0};
        json_t *v = json_object_get(by_ccpa, key);
        if (v && json_object_set(o, key, v)) {
            json_decref(o);
            o = NULL;
        }
    }
    return o;
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The directories as an array in bytewise path order, as a run lists them. */
static json_t *dirs_array(json_t *dirs)
{
    size_t n = json_object_size(dirs), k = 0;
    const char **keys = malloc((n ? n : 1) * sizeof *keys);
    json_t *out = json_array();
    if (!keys || !out) {
        free(keys);
        json_decref(out);
        return NULL;
    }
    const char *key;
    json_t *v;
    json_object_foreach(dirs, key, v) keys[k++] = key;
    qsort(keys, n, sizeof *keys, key_cmp);
    for (k = 0; out && k < n; k++) {
        json_t *d = json_object_get(dirs, keys[k]), *c = letters(json_object_get(d, "by_ccpa"));
        if (!c || json_object_set_new(d, "by_ccpa", c) || json_array_append(out, d)) {
            json_decref(out);
            out = NULL;
        }
    }
    free(keys);
    return out;
}

/* the summary's counts, added; "bytes" (TOTAL_BYTES) also gives the rate */
enum { TOTAL_BYTES = 2 };
static const char *const totals[] = {"files",          "members",  "bytes",   "compressed_bytes",
                                     "expanded_bytes", "findings", "allowed", "errors",
                                     "skipped"};
/* a count only some runs have (--glob): added, and given when a FILE had it */
#define GLOB_KEY "excluded_by_glob"

int merge_summaries(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help")) {
        fputs(merge_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    json_int_t sum[ARRAY_LEN(totals)] = {0}, globbed = 0;
    bool any_glob = false;
    json_t *by_det = json_object(), *by_ccpa = json_object(), *skip_by = json_object();
    json_t *inputs = json_array(), *dirs = json_object();
    double elapsed = 0;
    unsigned char *seen = NULL; /* seen[i]: share i + 1 of n_shares */
    json_int_t n_shares = 0;
    size_t unsharded = 0;
    int rc = 0;
    if (!by_det || !by_ccpa || !skip_by || !inputs || !dirs) goto nomem;
    for (int i = 1; i < argc; i++) {
        const char *why = NULL;
        json_t *o = load_summary(argv[i], &why);
        if (!o) {
            fprintf(stderr, "piiscan: merge-summaries: %s: %s\n", argv[i], why);
            rc = 2;
            continue;
        }
        bool ok = true;
        for (size_t t = 0; t < ARRAY_LEN(totals); t++)
            ok = ok && count_add(&sum[t], json_object_get(o, totals[t]));
        json_t *gx = json_object_get(o, GLOB_KEY);
        if (gx) ok = ok && count_add(&globbed, gx), any_glob = true;
        json_t *ccpa = json_object_get(o, "by_ccpa"), *sk = json_object_get(o, "skipped_by_reason");
        if (!ok || !add_counts(by_det, json_object_get(o, "by_detector")) ||
            (ccpa && !add_counts(by_ccpa, ccpa)) || (sk && !add_counts(skip_by, sk)) ||
            !add_dirs(dirs, json_object_get(o, "by_directory")) ||
            json_array_extend(inputs, json_object_get(o, "inputs"))) {
            fprintf(stderr,
                    "piiscan: merge-summaries: %s: a count that is not one, or too large to add\n",
                    argv[i]);
            rc = 2;
        }
        double e = json_number_value(json_object_get(o, "elapsed_s"));
        if (e > elapsed) elapsed = e;
        json_t *sh = json_object_get(o, "shard");
        json_int_t k = json_integer_value(json_object_get(sh, "index")),
                   n = json_integer_value(json_object_get(sh, "count"));
        if (!sh) {
            unsharded++;
        } else if (n < 1 || k < 1 || k > n || n > (1 << 20) || (n_shares && n != n_shares)) {
            fprintf(stderr,
                    "piiscan: merge-summaries: %s: share %lld/%lld does not fit the batch\n",
                    argv[i], (long long)k, (long long)n);
            rc = 2;
        } else {
            if (!seen && !(seen = calloc((size_t)n, 1))) {
                json_decref(o);
                goto nomem;
            }
            n_shares = n;
            if (seen[k - 1]++) {
                fprintf(stderr, "piiscan: merge-summaries: %s: share %lld/%lld given twice\n",
                        argv[i], (long long)k, (long long)n);
                rc = 2;
            }
        }
        json_decref(o);
    }
    if (n_shares && unsharded) {
        fputs("piiscan: merge-summaries: the shares of a --shard batch mixed with other runs\n",
              stderr);
        rc = 2;
    }
    json_t *ccpa_sorted = letters(by_ccpa);
    if (!ccpa_sorted) goto nomem;
    json_t *out = json_object();
    if (!out) {
        json_decref(ccpa_sorted);
        goto nomem;
    }
    for (size_t t = 0; t < ARRAY_LEN(totals); t++) {
        json_object_set_new(out, totals[t], json_integer(sum[t]));
        if (!strcmp(totals[t], "allowed")) { /* where a run's summary has them */
            json_object_set(out, "by_detector", by_det);
            json_object_set_new(out, "by_ccpa", ccpa_sorted);
        }
    }
    json_object_set(out, "skipped_by_reason", skip_by);
    if (any_glob) json_object_set_new(out, GLOB_KEY, json_integer(globbed));
    json_object_set_new(out, "elapsed_s", json_real(elapsed));
    json_object_set_new(out, "throughput_mb_s",
                        json_real(elapsed > 0 ? (double)sum[TOTAL_BYTES] / elapsed / 1e6 : 0.0));
    json_object_set_new(out, "summaries", json_integer(argc - 1));
    if (n_shares) {
        json_t *sh = json_object(), *merged = json_array(), *missing = json_array();
        for (json_int_t k = 1; k <= n_shares; k++)
            json_array_append_new(seen[k - 1] ? merged : missing, json_integer(k));
        json_object_set_new(sh, "count", json_integer(n_shares));
        json_object_set_new(sh, "merged", merged);
        json_object_set_new(sh, "missing", missing);
        if (json_array_size(missing)) {
            fprintf(stderr,
                    "piiscan: merge-summaries: %zu of %lld shares missing: the report is "
                    "incomplete\n",
                    json_array_size(missing), (long long)n_shares);
            rc = 2;
        }
        json_object_set_new(out, "shards", sh);
    }
    json_t *by_dir = dirs_array(dirs);
    if (!by_dir) {
        json_decref(out);
        goto nomem;
    }
    json_object_set_new(out, "by_directory", by_dir);
    json_object_set(out, "inputs", inputs);
    if (json_dumpf(out, stdout, JSON_PRESERVE_ORDER | JSON_COMPACT | JSON_REAL_PRECISION(10)) ||
        fputc('\n', stdout) == EOF || fflush(stdout)) {
        fprintf(stderr, "piiscan: merge-summaries: cannot write the report\n");
        rc = 2;
    }
    json_decref(out);
    goto done;
nomem:
    fputs("piiscan: merge-summaries: out of memory\n", stderr);
    rc = 2;
done:
    json_decref(by_det);
    json_decref(by_ccpa);
    json_decref(skip_by);
    json_decref(inputs);
    json_decref(dirs);
    free(seen);
    return rc;
}
