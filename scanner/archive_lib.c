/* archive_lib.c: loads libarchive on first use (archive_lib.h says why) and fills the table
 * of its functions. Knows nothing of sources or formats. */
#define _GNU_SOURCE
#define ARCHIVE_LIB_IMPL
#include "archive_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef PII_LIBARCHIVE_SONAME
#define PII_LIBARCHIVE_SONAME "libarchive.so.13"
#endif

/* Process-wide and written once, under pthread_once, like Hyperscan's compiler (hslib.c). */
struct archive_lib archive_lib;
static char lib_error[200];
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

static void lib_load(void)
{
    const char *name;
    void *h = lib_open("PIISCAN_LIBARCHIVE", PII_LIBARCHIVE_SONAME, "libarchive", &name, lib_error,
                       sizeof lib_error);
    if (!h) return;
    struct archive_lib l;
    const char *missing = NULL;
    /* POSIX: dlsym's data pointer converts to the function pointer */
#define ARCHIVE_LIB_SYM(f)                                                                         \
    if (!(*(void **)&l.f = dlsym(h, #f)) && !missing) missing = #f;
    ARCHIVE_LIB_FUNCS(ARCHIVE_LIB_SYM)
#undef ARCHIVE_LIB_SYM
    if (missing) {
        snprintf(lib_error, sizeof lib_error, "%s is too old: it lacks %s", name, missing);
        dlclose(h);
        return;
    }
    archive_lib = l; /* the handle stays open for the process */
}

pii_status archive_lib_load(pii_error *err)
{
    pthread_once(&lib_once, lib_load);
    if (archive_lib.archive_read_new) return PII_OK;
    return err_set(err, PII_ERR_IO, NULL, "%s (needed for archives and bzip2, xz, lz4)", lib_error);
}
