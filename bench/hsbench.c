/* hsbench.c: one Hyperscan database of given expressions, timed on a file, for experiments with
 * the catalogue's anchors outside piiscan (bench/README.md, "Hyperscan's literal matcher").
 *
 *   hsbench PATTERNS FILE [RUNS]
 *
 * PATTERNS: one expression a line, "FLAGS<TAB>EXPR" (FLAGS: any of i caseless, s single
 * match, l start of match; "-" for none); '#' lines and empty lines are skipped. FILE is read
 * into memory and scanned in 1 MiB blocks, as piiscan scans segments; prints the best thread
 * CPU time of RUNS (default 5) and the number of matches. Links the whole libhs (the compiler),
 * not piiscan. */
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned long long matches;

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                    void *ctx)
{
    (void)id, (void)from, (void)to, (void)flags, (void)ctx;
    matches++;
    return 0;
}

static double thread_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: hsbench PATTERNS FILE [RUNS]\n", stderr);
        return 2;
    }
    FILE *pf = fopen(argv[1], "r");
    if (!pf) {
        perror(argv[1]);
        return 2;
    }
    char line[8192];
    const char **expr = NULL;
    unsigned *flags = NULL, *ids = NULL, n = 0;
    while (fgets(line, sizeof line, pf)) {
        line[strcspn(line, "\r\n")] = 0;
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !line[0]) continue;
        if (!tab) {
            fprintf(stderr, "%s: no tab in '%s'\n", argv[1], line);
            return 2;
        }
        *tab = 0;
        unsigned f = 0;
        for (const char *c = line; *c; c++)
            f |= *c == 'i'   ? HS_FLAG_CASELESS
                 : *c == 's' ? HS_FLAG_SINGLEMATCH
                 : *c == 'l' ? HS_FLAG_SOM_LEFTMOST
                             : 0;
        expr = realloc(expr, (n + 1) * sizeof *expr);
        flags = realloc(flags, (n + 1) * sizeof *flags);
        ids = realloc(ids, (n + 1) * sizeof *ids);
        if (!expr || !flags || !ids || !(expr[n] = strdup(tab + 1))) return 2;
        flags[n] = f;
        ids[n] = n;
        n++;
    }
    fclose(pf);
    hs_database_t *db;
    hs_compile_error_t *ce;
    if (hs_compile_multi(expr, flags, ids, n, HS_MODE_BLOCK, NULL, &db, &ce) != HS_SUCCESS) {
        fprintf(stderr, "%s: expression %d: %s\n", argv[1], ce->expression, ce->message);
        return 2;
    }
    FILE *df = fopen(argv[2], "rb");
    if (!df || fseek(df, 0, SEEK_END)) {
        perror(argv[2]);
        return 2;
    }
    long size = ftell(df);
    rewind(df);
    char *buf = malloc(size > 0 ? (size_t)size : 1);
    if (!buf || fread(buf, 1, (size_t)size, df) != (size_t)size) return 2;
    fclose(df);
    hs_scratch_t *scratch = NULL;
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) return 2;
    int runs = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 5;
    double best = 0;
    for (int r = 0; r < (runs > 0 ? runs : 1); r++) {
        matches = 0;
        double t0 = thread_ms();
        for (long off = 0; off < size; off += 1 << 20) {
            long len = size - off < (1 << 20) ? size - off : (1 << 20);
            hs_scan(db, buf + off, (unsigned)len, 0, scratch, on_match, NULL);
        }
        double ms = thread_ms() - t0;
        if (r == 0 || ms < best) best = ms;
    }
    printf("%.1f ms %llu matches (%u expressions, best of %d)\n", best, matches, n, runs);
    return 0;
}
