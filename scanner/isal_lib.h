/* isal_lib.h: ISA-L's inflate and CRC-32, loaded with dlopen() when the first gzip stream or
 * zip member is met (isal_lib.c), so a start-up on plain input maps no libisal. Include it
 * instead of <isa-l/igzip_lib.h>: the calls below then go through the loaded table. When it
 * cannot be loaded, gzip and zip fall back to zlib (same output, slower). */
#ifndef PII_ISAL_LIB_H
#define PII_ISAL_LIB_H

#include <stdbool.h>

#ifdef PII_HAVE_ISAL
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>

/* Every ISA-L function piiscan calls; a new one is added here. */
#define ISAL_LIB_FUNCS(X)                                                                          \
    X(crc32_gzip_refl)                                                                             \
    X(isal_inflate)                                                                                \
    X(isal_inflate_init)                                                                           \
    X(isal_inflate_reset)

/* Each member has the type the ISA-L headers declare for the function of the same name. */
struct isal_lib {
#define ISAL_LIB_MEMBER(f) __typeof__(f) *f;
    ISAL_LIB_FUNCS(ISAL_LIB_MEMBER)
#undef ISAL_LIB_MEMBER
};

/* Loads libisal.so.2 (or $PIISCAN_LIBISAL) once per process; thread-safe. false: it cannot
 * be loaded (the caller uses zlib). Must be true before any call below. */
bool isal_lib_load(void);

/* Filled by isal_lib_load() and read-only afterwards. */
extern struct isal_lib isal_lib;

#ifndef ISAL_LIB_IMPL
#define crc32_gzip_refl    (isal_lib.crc32_gzip_refl)
#define isal_inflate       (isal_lib.isal_inflate)
#define isal_inflate_init  (isal_lib.isal_inflate_init)
#define isal_inflate_reset (isal_lib.isal_inflate_reset)
#endif

#else
static inline bool isal_lib_load(void)
{
    return false;
}
#endif

#endif
