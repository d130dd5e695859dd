/* error.h — filling nidx_error_t: one helper so every module reports alike. */
#ifndef NIDX_LIB_ERROR_H
#define NIDX_LIB_ERROR_H

#include "nidx.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Records `status` and a printf-style message in `err` (which may be NULL)
 * and returns `status`, so callers can write `return error_set(err, ...)`.
 */
nidx_status_t error_set(nidx_error_t *err, nidx_status_t status,
                        const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif

#endif
