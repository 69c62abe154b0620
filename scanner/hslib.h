/* hslib.h: the Hyperscan compiler functions piiscan uses, loaded on first use (hslib.c). The
 * scanning runtime (hs_scan, scratch, (de)serialization) is called directly. */
#ifndef PII_HSLIB_H
#define PII_HSLIB_H

#include "pii_internal.h"

#include <hs/hs.h>

struct hslib {
    hs_error_t (*compile_multi)(const char *const *expressions, const unsigned *flags,
                                const unsigned *ids, unsigned elements, unsigned mode,
                                const hs_platform_info_t *platform, hs_database_t **db,
                                hs_compile_error_t **error);
    hs_error_t (*expression_info)(const char *expression, unsigned flags, hs_expr_info_t **info,
                                  hs_compile_error_t **error);
    hs_error_t (*free_compile_error)(hs_compile_error_t *error);
};

/* The compiler (libhs.so.5, or $PIISCAN_LIBHS), loaded by the first call of the process and
 * kept; thread-safe. NULL with PII_ERR_ENGINE in err (origin: what needed it) when it cannot be
 * loaded or is not the release of the linked runtime. */
const struct hslib *hslib_get(const char *origin, pii_error *err);

#endif
