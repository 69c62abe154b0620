/* isal_lib.c: loads ISA-L on first use (isal_lib.h says why) and fills the table of its
 * functions. Knows nothing of gzip streams or zip members. */
#define _GNU_SOURCE
#define ISAL_LIB_IMPL
#include "isal_lib.h"

#ifdef PII_HAVE_ISAL
#include "util.h"

#include <dlfcn.h>
#include <pthread.h>

#ifndef PII_LIBISAL_SONAME
#define PII_LIBISAL_SONAME "libisal.so.2"
#endif

/* Process-wide and written once, under pthread_once, like libarchive's (archive_lib.c). */
struct isal_lib isal_lib;
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
static bool lib_ok;

static void lib_load(void)
{
    const char *name;
    char why[200];
    void *h = lib_open("PIISCAN_LIBISAL", PII_LIBISAL_SONAME, "ISA-L", &name, why, sizeof why);
    if (!h) return;
    struct isal_lib l;
    bool missing = false;
    /* POSIX: dlsym's data pointer converts to the function pointer */
#define ISAL_LIB_SYM(f)                                                                            \
    if (!(*(void **)&l.f = dlsym(h, #f))) missing = true;
    ISAL_LIB_FUNCS(ISAL_LIB_SYM)
#undef ISAL_LIB_SYM
    if (missing) {
        dlclose(h);
        return;
    }
    isal_lib = l; /* the handle stays open for the process */
    lib_ok = true;
}

bool isal_lib_load(void)
{
    pthread_once(&lib_once, lib_load);
    return lib_ok;
}
#else
typedef int isal_lib_unused; /* ISO C wants a translation unit to declare something */
#endif
