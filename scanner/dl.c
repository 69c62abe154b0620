/* dl.c: opening a library piiscan loads only when it needs it (util.h). */
#define _GNU_SOURCE
#include "util.h"

#include <dlfcn.h>
#include <stdlib.h>

void *lib_open(const char *env, const char *soname, const char *what, const char **name, char *err,
               size_t cap)
{
    /* the variable names another file (tests: a missing one; odd installs: a path) */
    const char *n = getenv(env);
    if (!n || !*n) n = soname;
    *name = n;
    void *h = dlopen(n, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        snprintf(err, cap, "cannot load %s (%s): %s", what, n, why ? why : "unknown error");
    }
    return h;
}
