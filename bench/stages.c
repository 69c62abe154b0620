/* stages.c: where the scan's time goes, per stage, on a file held in memory.
 *
 *   stages FILE [DETECTORS] [RUNS]
 *
 * Prints, for the whole scan and for each stage run alone over the same windows, the best of
 * RUNS (3) times (thread CPU time; STAGES_CLOCK=wall for wall time) and the GB/s they mean: the
 * tokenizer (shape_scan), Hyperscan (hs_scan) and the full library scan (pii_scan_buffer: both
 * finders, validation, context, ordering, line numbers; findings only counted). Reading and output
 * are not included: bench/run.sh measures the CLI end to end. */
#include "pii_internal.h"

#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The stages run on one thread: its CPU time is their cost, whether or not the shared machine
 * lets it run all the while (wall time here moved by 2-7x under the load of other builds, CPU
 * time by 5-15 %). STAGES_CLOCK=wall measures wall time instead. */
static clockid_t stage_clock = CLOCK_THREAD_CPUTIME_ID;

static double now(void)
{
    struct timespec ts;
    clock_gettime(stage_clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int count_finding(const pii_finding *f, void *user)
{
    (void)f;
    (*(uint64_t *)user)++;
    return 0;
}

static int count_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                       void *user)
{
    (void)id, (void)from, (void)to, (void)flags;
    (*(uint64_t *)user)++;
    return 0;
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1u << 20, n = 0;
    uint8_t *b = malloc(cap);
    for (;;) {
        if (n == cap) {
            uint8_t *nb = realloc(b, cap *= 2);
            if (!nb) break;
            b = nb;
        }
        size_t k = fread(b + n, 1, cap - n, f);
        if (!k) break;
        n += k;
    }
    fclose(f);
    *len = n;
    return b;
}

static void row(const char *what, double best, size_t len, uint64_t count, const char *unit)
{
    printf("%-28s %8.1f ms %7.3f GB/s %12llu %s\n", what, best * 1e3, (double)len / best / 1e9,
           (unsigned long long)count, unit);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: stages FILE [DETECTORS] [RUNS]\n");
        return 2;
    }
    const char *clk = getenv("STAGES_CLOCK");
    if (clk && !strcmp(clk, "wall")) stage_clock = CLOCK_MONOTONIC;
    const char *spec = argc > 2 ? argv[2] : "all";
    int runs = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 3;
    if (runs < 1) runs = 1;
    size_t len;
    uint8_t *buf = slurp(argv[1], &len);
    if (!buf) {
        fprintf(stderr, "stages: cannot read %s\n", argv[1]);
        return 2;
    }
    pii_error err;
    pii_detectors *d;
    pii_engine *e;
    if (pii_detectors_new(&d, &err) || pii_detectors_load_builtin(d, &err) ||
        pii_detectors_select(d, spec, 0, &err) || pii_engine_compile(d, NULL, &e, &err)) {
        fprintf(stderr, "stages: %s\n", err.msg);
        return 2;
    }
    pii_scanner *s;
    pii_scan_opts so;
    pii_scan_opts_init(&so);
    so.min_confidence = 50;
    if (pii_scanner_new(e, &so, &s, &err)) return 2;
    hs_scratch_t *scratch = NULL;
    if (e->db) hs_clone_scratch(e->scratch_proto, &scratch);
    struct cand_vec cv = {0};
    const size_t W = PII_DEFAULT_CHUNK;

    double best_full = 1e9, best_tok = 1e9, best_hs = 1e9;
    uint64_t n_find = 0, n_cand = 0, n_hs = 0;
    /* STAGES_ONLY=hs|tok|full: run one stage (for valgrind / perf record) */
    const char *only = getenv("STAGES_ONLY");
    bool do_full = !only || !strcmp(only, "full"), do_tok = !only || !strcmp(only, "tok"),
         do_hs = !only || !strcmp(only, "hs");
    for (int r = 0; r < runs; r++) {
        uint64_t k = 0;
        double t = now();
        if (do_full) pii_scan_buffer(s, buf, len, count_finding, &k, &err);
        t = now() - t;
        if (t < best_full) best_full = t;
        n_find = k;

        k = 0;
        t = now();
        for (size_t off = 0; do_tok && off < len; off += W) {
            size_t n = len - off < W ? len - off : W;
            cv.n = 0;
            shape_scan(e, buf + off, n, 0, n, &cv);
            k += cv.n;
        }
        t = now() - t;
        if (t < best_tok) best_tok = t;
        n_cand = k;

        if (e->db && do_hs) {
            k = 0;
            t = now();
            for (size_t off = 0; off < len; off += W) {
                size_t n = len - off < W ? len - off : W;
                hs_scan((const hs_database_t *)e->db, (const char *)buf + off, (unsigned)n, 0,
                        scratch, count_match, &k);
            }
            t = now() - t;
            if (t < best_hs) best_hs = t;
            n_hs = k;
        }
    }
    printf("%s: %zu bytes, detectors %s, best of %d, %s time\n", argv[1], len, spec, runs,
           stage_clock == CLOCK_MONOTONIC ? "wall" : "thread CPU");
    row("full scan (no I/O, no output)", best_full, len, n_find, "findings");
    row("tokenizer alone", best_tok, len, n_cand, "candidates");
    if (e->db) row("hyperscan alone", best_hs, len, n_hs, "matches");
    free(cv.v);
    hs_free_scratch(scratch);
    pii_scanner_free(s);
    pii_engine_free(e);
    pii_detectors_free(d);
    free(buf);
    return 0;
}
