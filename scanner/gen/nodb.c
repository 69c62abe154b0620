/* nodb.c: the empty built-in database that mkdb links while it builds the real one.
 * With length 0 the engine compiles its expressions, as it does for user patterns. */
#include "pii_internal.h"

const char pii_builtin_db_key[] = "";
const size_t pii_builtin_db_len = 0;
const unsigned char pii_builtin_db[1] = {0};
const unsigned pii_builtin_widths[1] = {0};
const size_t pii_builtin_widths_n = 0;
const struct detector pii_builtin_detectors[1] = {{0}};
const size_t pii_builtin_detectors_n = 0;
