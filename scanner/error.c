/* error.c: filling the caller's pii_error, and status names.
 * Knows nothing of detectors or sources. */
#include "pii_internal.h"

#include <stdio.h>
#include <string.h>

static void fill(pii_error *err, pii_status code, int e, const char *origin, const char *fmt,
                 va_list ap)
{
    err->code = code;
    err->sys_errno = e;
    err->offset = 0;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    if (e) {
        size_t n = strlen(err->msg);
        snprintf(err->msg + n, sizeof err->msg - n, ": %s", strerror(e));
    }
    snprintf(err->origin, sizeof err->origin, "%s", origin ? origin : "");
}

pii_status err_set(pii_error *err, pii_status code, const char *origin, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        fill(err, code, 0, origin, fmt, ap);
        va_end(ap);
    }
    return code;
}

pii_status err_errno(pii_error *err, pii_status code, int e, const char *origin, const char *fmt,
                     ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        fill(err, code, e, origin, fmt, ap);
        va_end(ap);
    }
    return code;
}

const char *pii_version(void)
{
    return PII_VERSION_STRING;
}

const char *pii_status_str(pii_status st)
{
    switch (st) {
    case PII_OK:
        return "ok";
    case PII_END:
        return "end";
    case PII_STOP:
        return "stopped";
    case PII_ERR_NOMEM:
        return "out of memory";
    case PII_ERR_ARG:
        return "invalid argument";
    case PII_ERR_MISUSE:
        return "API misuse";
    case PII_ERR_IO:
        return "I/O error";
    case PII_ERR_FORMAT:
        return "format error";
    case PII_ERR_LIMIT:
        return "limit exceeded";
    case PII_ERR_PATTERN:
        return "bad pattern";
    case PII_ERR_ENGINE:
        return "engine error";
    case PII_ERR_PLATFORM:
        return "unsupported platform";
    }
    return "unknown status";
}
