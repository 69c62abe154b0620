/* readtree.c: the reading-alone reference for many small files: walks each PATH as piiscan's
 * walker does (readdir, openat relative to the directory, one read into a reused buffer until a
 * short read, close) and scans nothing. bench/suite.sh runs it as one process over all the files
 * and as two processes over halves, to show how far the kernel's part of the work scales on
 * this machine with no shared memory, lock or queue between the two. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static unsigned char buf[1u << 16];
static unsigned long long files, bytes, sum;

static void read_file(int fd)
{
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) break;
        bytes += (unsigned long long)n;
        for (ssize_t i = 0; i < n; i += 64) sum += buf[i]; /* touched, as a scan would */
        if ((size_t)n < sizeof buf) break;
    }
    files++;
}

static int walk(int dfd, const char *name)
{
    DIR *d = fdopendir(dfd);
    if (!d) {
        fprintf(stderr, "readtree: %s: %s\n", name, strerror(errno));
        close(dfd);
        return 1;
    }
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0) {
            rc = 1;
            continue;
        }
        if (e->d_type == DT_DIR)
            rc |= walk(fd, e->d_name);
        else {
            read_file(fd);
            close(fd);
        }
    }
    closedir(d);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: readtree PATH...\n");
        return 2;
    }
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            fprintf(stderr, "readtree: %s: %s\n", argv[i], strerror(errno));
            rc = 2;
            continue;
        }
        DIR *probe = fdopendir(dup(fd));
        if (probe) {
            closedir(probe);
            rc |= walk(fd, argv[i]) ? 2 : 0;
        } else {
            read_file(fd);
            close(fd);
        }
    }
    printf("%llu files, %llu bytes (%llu)\n", files, bytes, sum & 1);
    return rc;
}
