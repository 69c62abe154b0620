/* cli_progress.c: --progress, a line on standard error that says how far a long run has got
 * (inputs done, bytes scanned and their rate, findings, errors, time), redrawn in place on a
 * terminal and written as a line every few seconds elsewhere (a batch job's log). */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct progress {
    pthread_t th;
    pthread_mutex_t lock; /* the line on stderr, and `stop` */
    pthread_cond_t cond;  /* stop */
    bool stop, drawn, tty;
    double t0, first, every; /* monotonic seconds */
    _Atomic uint64_t scanned, done, findings, errors;
};

static double mono(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void put(const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return; /* stderr gone: the line is only a courtesy */
        s += w;
        n -= (size_t)w;
    }
}

/* 1234567 -> "1.23 MB" (powers of 1000, as the summary's rates) */
static void human(char *out, size_t cap, double v, const char *unit)
{
    static const char *const pre[] = {"", "k", "M", "G", "T", "P"};
    int i = 0;
    while (v >= 1000 && i < 5) v /= 1000, i++;
    snprintf(out, cap, i ? "%.2f %s%s" : "%.0f %s%s", v, pre[i], unit);
}

static void draw_locked(struct progress *g, double now)
{
    double el = now - g->t0;
    uint64_t b = atomic_load_explicit(&g->scanned, memory_order_relaxed);
    uint64_t d = atomic_load_explicit(&g->done, memory_order_relaxed);
    uint64_t f = atomic_load_explicit(&g->findings, memory_order_relaxed);
    uint64_t e = atomic_load_explicit(&g->errors, memory_order_relaxed);
    char bytes[32], rate[32], errs[48] = "";
    human(bytes, sizeof bytes, (double)b, "B");
    human(rate, sizeof rate, el > 0 ? (double)b / el : 0, "B/s");
    if (e) snprintf(errs, sizeof errs, ", %" PRIu64 " error%s", e, e == 1 ? "" : "s");
    unsigned s = (unsigned)el;
    char line[256];
    int n = snprintf(line, sizeof line,
                     "%spiiscan: %u:%02u:%02u  %" PRIu64 " input%s done, %s scanned (%s), %" PRIu64
                     " finding%s%s%s",
                     g->tty ? "\r" : "", s / 3600, s / 60 % 60, s % 60, d, d == 1 ? "" : "s", bytes,
                     rate, f, f == 1 ? "" : "s", errs, g->tty ? "\x1b[K" : "\n");
    if (n < 0) return;
    put(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    g->drawn = g->tty;
}

static void *progress_main(void *arg)
{
    struct progress *g = arg;
    pthread_mutex_lock(&g->lock);
    double next = g->t0 + g->first;
    while (!g->stop) {
        double now = mono();
        if (now >= next) {
            draw_locked(g, now);
            while (next <= now) next += g->every;
            continue;
        }
        double at = next;
        struct timespec ts = {.tv_sec = (time_t)at,
                              .tv_nsec = (long)((at - (double)(time_t)at) * 1e9)};
        pthread_cond_timedwait(&g->cond, &g->lock, &ts);
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

bool progress_start(struct run *r)
{
    const struct cli_opts *o = r->o;
    bool tty = isatty(STDERR_FILENO);
    if (o->progress == 0) return true;
    if (o->progress < 0) {
        /* auto: on a terminal that can erase a line, when the records go to a file (or
         * nowhere), or when they are a summary printed at the end, after the line is gone. Not
         * when they go down a pipe: it may end in a pager on the same terminal. */
        const char *term = getenv("TERM");
        if (!tty || (term && !strcmp(term, "dumb"))) return true;
        struct stat so;
        bool out_tty = isatty(STDOUT_FILENO);
        bool out_file = !out_tty && fstat(STDOUT_FILENO, &so) == 0 &&
                        (S_ISREG(so.st_mode) || S_ISCHR(so.st_mode)); /* a file, /dev/null */
        if (!out_file && !(out_tty && o->format == FMT_SUMMARY)) return true;
    }
    struct progress *g = calloc(1, sizeof *g);
    if (!g) return false;
    g->tty = tty;
    g->t0 = r->t0;
    g->every = o->progress_every ? o->progress_every : tty ? 0.25 : 10.0;
    /* a short run shows no line at all */
    g->first = tty ? 1.0 : g->every;
    pthread_condattr_t ca;
    bool ok = pthread_condattr_init(&ca) == 0;
    ok = ok && pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 &&
         pthread_cond_init(&g->cond, &ca) == 0;
    if (ok) pthread_condattr_destroy(&ca);
    if (!ok) {
        free(g);
        return false;
    }
    pthread_mutex_init(&g->lock, NULL);
    if (pthread_create(&g->th, NULL, progress_main, g) != 0) {
        pthread_cond_destroy(&g->cond);
        pthread_mutex_destroy(&g->lock);
        free(g);
        return false;
    }
    r->prog = g;
    return true;
}

void progress_scanned(struct run *r, uint64_t n)
{
    if (r->prog) atomic_fetch_add_explicit(&r->prog->scanned, n, memory_order_relaxed);
}

void progress_publish(struct run *r, bool input_done)
{
    struct progress *g = r->prog;
    if (!g) return;
    if (input_done) atomic_fetch_add_explicit(&g->done, 1, memory_order_relaxed);
    atomic_store_explicit(&g->findings, r->findings, memory_order_relaxed);
    atomic_store_explicit(&g->errors, r->errors, memory_order_relaxed);
}

void progress_hold(struct run *r)
{
    struct progress *g = r->prog;
    if (!g) return;
    pthread_mutex_lock(&g->lock);
    if (g->drawn) put("\r\x1b[K", 4);
    g->drawn = false;
}

void progress_release(struct run *r)
{
    if (r->prog) pthread_mutex_unlock(&r->prog->lock);
}

void progress_stop(struct run *r)
{
    struct progress *g = r->prog;
    if (!g) return;
    pthread_mutex_lock(&g->lock);
    g->stop = true;
    pthread_cond_signal(&g->cond);
    pthread_mutex_unlock(&g->lock);
    pthread_join(g->th, NULL);
    if (g->drawn) put("\r\x1b[K", 4);
    pthread_cond_destroy(&g->cond);
    pthread_mutex_destroy(&g->lock);
    free(g);
    r->prog = NULL;
}
