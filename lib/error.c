/* error.c — status names, the error-filling helper and the version. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

const char *nidx_status_string(nidx_status_t status)
{
    switch (status) {
    case NIDX_OK: return "success";
    case NIDX_ERROR_NOMEM: return "out of memory";
    case NIDX_ERROR_IO: return "input/output error";
    case NIDX_ERROR_INPUT: return "malformed input";
    case NIDX_ERROR_LOCKED: return "index is locked";
    case NIDX_ERROR_NO_INDEX: return "no index";
    case NIDX_ERROR_CORRUPT: return "index is damaged";
    case NIDX_ERROR_QUERY: return "malformed query";
    case NIDX_ERROR_ARGUMENT: return "invalid argument";
    case NIDX_ERROR_INTERNAL: return "internal error";
    case NIDX_ERROR_INTERRUPTED: return "interrupted";
    case NIDX_ERROR_TIMEOUT: return "time limit reached";
    case NIDX_ERROR_NOT_FOUND: return "not found";
    case NIDX_ERROR_UNAVAILABLE: return "a shard does not answer";
    }
    return "unknown status";
}

nidx_status_t error_set(nidx_error_t *err, nidx_status_t status,
                        const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->status = status;
        err->position = 0;
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

unsigned nidx_version_number(void)
{
    return NIDX_VERSION_NUMBER;
}

const char *nidx_version_string(void)
{
    return NIDX_VERSION;
}
