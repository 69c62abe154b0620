/* grow.c: the one array-growth rule (util.h), for the library and the CLI alike. */
#include "util.h"

#include <stdint.h>
#include <stdlib.h>

void *grow_array(void *v, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap) return v;
    size_t n = *cap ? *cap : first;
    while (n < need) {
        if (n > SIZE_MAX / 2 / size) return NULL;
        n *= 2;
    }
    void *nv = realloc(v, n * size);
    if (nv) *cap = n;
    return nv;
}
