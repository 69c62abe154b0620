/* runstat.c: runs a command N times and prints its median/min/max wall time, peak RSS and exit
 * status as one machine-readable line; knows nothing of piiscan or of what the command does. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(
        stderr,
        "usage: runstat [-n N] [-w WARMUP] [-o FILE] [--stdin FILE | --stdin-pipe FILE]\n"
        "               [--stdout FILE] -- CMD ARGS...\n"
        "  prints: wall_med=S wall_min=S wall_max=S rss_kb=KB exit=CODE runs=N cpu_med=S\n"
        "  --stdin FILE       the command reads FILE (a regular file) as stdin\n"
        "  --stdin-pipe FILE  FILE is copied into a pipe by a feeder process (like cat FILE |)\n"
        "  --stdout FILE      the command's stdout goes to FILE (truncated each run)\n"
        "  -o FILE            also append the result line to FILE\n");
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

/* Copies path into fd until EOF or a closed reader, then exits: the "cat FILE |" of a pipeline. */
static void feeder(const char *path, int fd)
{
    static char buf[1 << 17];
    int in = open(path, O_RDONLY);
    if (in < 0) _exit(1);
    for (;;) {
        ssize_t k = read(in, buf, sizeof buf);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) _exit(k < 0);
        for (ssize_t done = 0; done < k;) {
            ssize_t w = write(fd, buf + done, (size_t)(k - done));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) _exit(errno == EPIPE ? 0 : 1);
            done += w;
        }
    }
}

typedef struct run_result {
    double wall;
    double cpu; /* user + system seconds of the command (threads included) */
    long rss_kb;
    int status; /* exit code, or 128 + signal */
} run_result;

/* One run. Returns 0, or -1 when the command could not be started (message printed). */
static int run_once(char **cmd, const char *in_path, int in_pipe, const char *out_path,
                    run_result *res)
{
    int errpipe[2], data[2] = {-1, -1};
    if (pipe(errpipe) != 0) return -1;
    /* close-on-exec: a successful exec closes it, so the parent reads EOF instead of an errno */
    fcntl(errpipe[1], F_SETFD, FD_CLOEXEC);
    if (in_pipe && pipe(data) != 0) return -1;

    double t0 = now();
    pid_t feed = -1;
    if (in_pipe) {
        feed = fork();
        if (feed == 0) {
            close(data[0]);
            close(errpipe[0]);
            close(errpipe[1]);
            feeder(in_path, data[1]);
        }
        if (feed < 0) return -1;
    }
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        close(errpipe[0]);
        int in = in_pipe ? data[0] : open(in_path ? in_path : "/dev/null", O_RDONLY);
        int out = out_path ? open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644)
                           : open("/dev/null", O_WRONLY);
        int e = 0;
        if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0) e = errno ? errno : EIO;
        if (!e) {
            if (in > 2) close(in);
            if (out > 2) close(out);
            if (in_pipe) close(data[1]);
            signal(SIGPIPE, SIG_DFL);
            execvp(cmd[0], cmd);
            e = errno;
        }
        ssize_t w = write(errpipe[1], &e, sizeof e);
        (void)w;
        _exit(127);
    }
    close(errpipe[1]);
    if (in_pipe) {
        close(data[0]);
        close(data[1]);
    }
    int e = 0;
    ssize_t got;
    do got = read(errpipe[0], &e, sizeof e);
    while (got < 0 && errno == EINTR);
    close(errpipe[0]);

    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
    }
    double t1 = now();
    if (feed > 0) {
        int fs;
        while (waitpid(feed, &fs, 0) < 0 && errno == EINTR) {
        }
        t1 = now(); /* the pipeline ends when both ends are done */
    }
    if (got == (ssize_t)sizeof e) {
        fprintf(stderr, "runstat: cannot run %s: %s\n", cmd[0], strerror(e));
        return -1;
    }
    res->wall = t1 - t0;
    res->cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
               (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    res->rss_kb = ru.ru_maxrss;
    res->status = WIFEXITED(status)     ? WEXITSTATUS(status)
                  : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                        : 255;
    return 0;
}

int main(int argc, char **argv)
{
    long n = 3, warm = 0;
    const char *outfile = NULL, *in_path = NULL, *out_path = NULL;
    int in_pipe = 0, i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage();
            return 0;
        }
        if (i + 1 >= argc) {
            usage();
            return 2;
        }
        const char *v = argv[++i];
        if (!strcmp(a, "-n")) {
            if (parse_int(v, 1, 100000, &n)) {
                fprintf(stderr, "runstat: bad -n %s\n", v);
                return 2;
            }
        } else if (!strcmp(a, "-w")) {
            if (parse_int(v, 0, 100000, &warm)) {
                fprintf(stderr, "runstat: bad -w %s\n", v);
                return 2;
            }
        } else if (!strcmp(a, "-o")) {
            outfile = v;
        } else if (!strcmp(a, "--stdin")) {
            in_path = v;
            in_pipe = 0;
        } else if (!strcmp(a, "--stdin-pipe")) {
            in_path = v;
            in_pipe = 1;
        } else if (!strcmp(a, "--stdout")) {
            out_path = v;
        } else {
            usage();
            return 2;
        }
    }
    if (i >= argc) {
        usage();
        return 2;
    }
    char **cmd = argv + i;
    signal(SIGPIPE, SIG_IGN); /* a feeder whose reader quits early must not kill us */

    run_result *r = calloc((size_t)n, sizeof *r);
    double *walls = calloc((size_t)n, sizeof *walls), *cpus = calloc((size_t)n, sizeof *cpus);
    if (!r || !walls || !cpus) return 2;
    for (long k = 0; k < warm; k++) {
        run_result w;
        if (run_once(cmd, in_path, in_pipe, out_path, &w)) return 2;
    }
    long rss = 0;
    int status = 0, varied = 0;
    for (long k = 0; k < n; k++) {
        if (run_once(cmd, in_path, in_pipe, out_path, &r[k])) return 2;
        walls[k] = r[k].wall;
        cpus[k] = r[k].cpu;
        if (r[k].rss_kb > rss) rss = r[k].rss_kb;
        if (k && r[k].status != status) varied = 1;
        if (r[k].status > status) status = r[k].status;
    }
    qsort(walls, (size_t)n, sizeof *walls, cmp_double);
    qsort(cpus, (size_t)n, sizeof *cpus, cmp_double);
    double med = n % 2 ? walls[n / 2] : (walls[n / 2 - 1] + walls[n / 2]) / 2;
    double cmed = n % 2 ? cpus[n / 2] : (cpus[n / 2 - 1] + cpus[n / 2]) / 2;

    char line[256];
    int len = snprintf(
        line, sizeof line,
        "wall_med=%.6f wall_min=%.6f wall_max=%.6f rss_kb=%ld exit=%d runs=%ld cpu_med=%.6f%s\n",
        med, walls[0], walls[n - 1], rss, status, n, cmed, varied ? " exit_varied=1" : "");
    if (len < 0 || (size_t)len >= sizeof line) return 2;
    fputs(line, stdout);
    if (outfile) {
        FILE *f = fopen(outfile, "a");
        if (!f || fputs(line, f) == EOF || fclose(f) != 0) {
            fprintf(stderr, "runstat: cannot write %s\n", outfile);
            return 2;
        }
    }
    free(r);
    free(walls);
    free(cpus);
    return 0;
}
