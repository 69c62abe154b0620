/* hslib.c: the Hyperscan compiler (libhs.so), loaded with dlopen() the first time a pattern must
 * be checked or compiled. Scanning needs only the runtime, linked in statically; a start-up on
 * the built-in database therefore maps no C++ library. Knows nothing of detectors or inputs. */
#define _GNU_SOURCE
#include "hslib.h"

#include <dlfcn.h>
#include <hs/hs.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#ifndef PII_LIBHS_SONAME
#define PII_LIBHS_SONAME "libhs.so.5"
#endif

/* Filled once (pthread_once) and read-only afterwards: process-wide like hs_valid_platform. A
 * library opened RTLD_LOCAL keeps its own hs_* symbols; ours (the static runtime) stay ours. */
static struct hslib lib;
static char lib_error[200];
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

static void lib_load(void)
{
    const char *name;
    void *h = lib_open("PIISCAN_LIBHS", PII_LIBHS_SONAME, "the Hyperscan compiler", &name,
                       lib_error, sizeof lib_error);
    if (!h) return;
    struct hslib l;
    /* POSIX: a data pointer converts to a function pointer (dlsym's contract) */
    *(void **)&l.compile_multi = dlsym(h, "hs_compile_multi");
    *(void **)&l.expression_info = dlsym(h, "hs_expression_info");
    *(void **)&l.free_compile_error = dlsym(h, "hs_free_compile_error");
    const char *(*version)(void) = NULL;
    *(void **)&version = dlsym(h, "hs_version");
    if (!l.compile_multi || !l.expression_info || !l.free_compile_error || !version) {
        snprintf(lib_error, sizeof lib_error, "%s is not a Hyperscan compiler (missing symbols)",
                 name);
        dlclose(h);
        return;
    }
    /* the databases it writes are scanned by the runtime linked here: same release only */
    if (strcmp(version(), hs_version()) != 0) {
        snprintf(lib_error, sizeof lib_error,
                 "Hyperscan compiler %s (%.40s) does not match the runtime (%.40s)", name,
                 version(), hs_version());
        dlclose(h);
        return;
    }
    lib = l; /* the handle stays open for the process: the compiler's code is in use */
}

const struct hslib *hslib_get(const char *origin, pii_error *err)
{
    pthread_once(&lib_once, lib_load);
    if (lib.compile_multi) return &lib;
    err_set(err, PII_ERR_ENGINE, origin, "%s", lib_error);
    return NULL;
}
