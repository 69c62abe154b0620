/* test_api.c: the shared library's surface: only the documented pii_ functions are exported,
 * and each of them is declared in include/piiscan.h. */
#define _GNU_SOURCE
#include "testutil.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Test(api, shared_library_exports_only_the_public_api)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "nm -D --defined-only '%s'", PII_SHARED_LIB);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    FILE *h = fopen(PII_SOURCE_DIR "/include/piiscan.h", "r");
    cr_assert(h);
    static char header[1 << 16];
    size_t hl = fread(header, 1, sizeof header - 1, h);
    header[hl] = 0;
    fclose(h);
    char line[512];
    size_t n = 0;
    while (fgets(line, sizeof line, p)) {
        char addr[64], type[8], name[256];
        if (sscanf(line, "%63s %7s %255s", addr, type, name) != 3) continue;
        if (!strcmp(name, "_init") || !strcmp(name, "_fini")) continue;
        cr_expect_eq(strncmp(name, "pii_", 4), 0, "exported non-API symbol %s", name);
        char decl[300];
        snprintf(decl, sizeof decl, "%s(", name);
        cr_expect(strstr(header, decl), "%s is exported but not declared in piiscan.h", name);
        n++;
    }
    pclose(p);
    cr_expect_geq(n, 20, "only %zu symbols exported", n);
}
