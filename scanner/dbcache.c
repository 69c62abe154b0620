/* dbcache.c: the on-disk cache of compiled Hyperscan databases (user patterns, or a CPU the
 * embedded database does not fit): keyed by the expressions, the Hyperscan version and the
 * platform, written atomically, and ignored when corrupt, foreign or stale. */
#define _GNU_SOURCE
#include "pii_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC     "piiscan-hsdb-1\n"
#define MAGIC_LEN 15
#define MAX_DB    (256u << 20)

/* magic | key (32 bytes) | length of the serialized database (8 bytes, little end first) |
 * the database. The key is in the name and in the header, so a file renamed or copied from
 * elsewhere (foreign) is also refused. */
struct hdr {
    char magic[MAGIC_LEN];
    uint8_t key[32];
    uint8_t len[8];
};

/* The instruction sets Hyperscan compiles for (its platform's cpu_features) and those the
 * runtime dispatches on, read without the compiler library, so that a warm start never loads
 * it. A database compiled on one CPU is refused by hs_alloc_scratch on a lesser one anyway. */
static uint32_t cpu_bits(void)
{
    uint32_t b = 0;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    b |= (uint32_t)__builtin_cpu_supports("ssse3") << 0;
    b |= (uint32_t)__builtin_cpu_supports("sse4.2") << 1;
    b |= (uint32_t)__builtin_cpu_supports("popcnt") << 2;
    b |= (uint32_t)__builtin_cpu_supports("avx2") << 3;
    b |= (uint32_t)__builtin_cpu_supports("bmi2") << 4;
    b |= (uint32_t)__builtin_cpu_supports("avx512f") << 5;
    b |= (uint32_t)__builtin_cpu_supports("avx512bw") << 6;
    b |= (uint32_t)__builtin_cpu_supports("avx512vl") << 7;
    b |= (uint32_t)__builtin_cpu_supports("avx512vbmi") << 8;
#endif
    return b;
}

void dbcache_key(const char *const *exprs, const unsigned *flags, size_t n, uint8_t key[32])
{
    struct sha256 h;
    sha256_init(&h);
    const char *ver = hs_version();
    sha256_update(&h, ver, strlen(ver) + 1);
    uint32_t cpu = cpu_bits();
    sha256_update(&h, &cpu, sizeof cpu);
    uint64_t count = n;
    sha256_update(&h, &count, sizeof count);
    for (size_t i = 0; i < n; i++) {
        uint32_t meta[2] = {flags[i], (uint32_t)i}; /* ids are the positions */
        sha256_update(&h, exprs[i], strlen(exprs[i]) + 1);
        sha256_update(&h, meta, sizeof meta);
    }
    sha256_final(&h, key);
}

static bool cache_path(const char *dir, const uint8_t key[32], char *out, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    char k[65];
    for (int i = 0; i < 32; i++) {
        k[2 * i] = hex[key[i] >> 4];
        k[2 * i + 1] = hex[key[i] & 15];
    }
    k[64] = 0;
    int n = snprintf(out, cap, "%s/%s.hsdb", dir, k);
    return n > 0 && (size_t)n < cap;
}

struct hs_database *dbcache_load(const char *dir, const uint8_t key[32])
{
    char path[4096];
    if (!dir || !*dir || !cache_path(dir, key, path, sizeof path)) return NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct hdr h;
    hs_database_t *db = NULL;
    char *buf = NULL;
    if (read(fd, &h, sizeof h) != (ssize_t)sizeof h) goto out;
    if (memcmp(h.magic, MAGIC, MAGIC_LEN) || memcmp(h.key, key, 32)) goto out;
    uint64_t len = 0;
    for (int i = 7; i >= 0; i--) len = len << 8 | h.len[i];
    if (!len || len > MAX_DB) goto out;
    buf = malloc((size_t)len);
    if (!buf) goto out;
    size_t got = 0;
    while (got < len) {
        ssize_t r = read(fd, buf + got, (size_t)len - got);
        if (r <= 0) goto out;
        got += (size_t)r;
    }
    char extra;
    if (read(fd, &extra, 1) != 0) goto out; /* trailing bytes: not a file this code wrote */
    /* Hyperscan checks its own header, version and platform, and refuses a database it
     * cannot run */
    if (hs_deserialize_database(buf, (size_t)len, &db) != HS_SUCCESS) db = NULL;
out:
    free(buf);
    close(fd);
    return (struct hs_database *)db;
}

static bool mkdirs(const char *dir)
{
    char p[4096];
    int n = snprintf(p, sizeof p, "%s", dir);
    if (n <= 0 || (size_t)n >= sizeof p) return false;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(p, 0700) != 0 && errno != EEXIST) return false;
        *s = '/';
    }
    return mkdir(p, 0700) == 0 || errno == EEXIST;
}

bool dbcache_store(const char *dir, const uint8_t key[32], const struct hs_database *db)
{
    char path[4096], tmp[4200];
    if (!dir || !*dir || !cache_path(dir, key, path, sizeof path)) return false;
    char *bytes = NULL;
    size_t len = 0;
    if (hs_serialize_database((const hs_database_t *)db, &bytes, &len) != HS_SUCCESS) return false;
    bool ok = false;
    int fd = -1;
    if (!mkdirs(dir)) goto out;
    /* a private temporary name in the same directory, renamed over the final one: readers
     * see the old file or the whole new one, never a part */
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0) goto out;
    struct hdr h;
    memcpy(h.magic, MAGIC, MAGIC_LEN);
    memcpy(h.key, key, 32);
    for (int i = 0; i < 8; i++) h.len[i] = (uint8_t)((uint64_t)len >> (8 * i));
    ok = write(fd, &h, sizeof h) == (ssize_t)sizeof h;
    for (size_t off = 0; ok && off < len;) {
        ssize_t w = write(fd, bytes + off, len - off);
        if (w <= 0)
            ok = false;
        else
            off += (size_t)w;
    }
    ok = close(fd) == 0 && ok;
    fd = -1;
    if (ok) ok = rename(tmp, path) == 0;
    if (!ok) unlink(tmp);
out:
    free(bytes); /* hs_serialize_database uses the misc allocator: malloc by default */
    return ok;
}
