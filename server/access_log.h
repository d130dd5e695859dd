/*
 * access_log.h — each request's id (X-Request-Id) and its line in the
 * access log (nidx serve --access-log FILE; off by default).
 */
#ifndef NIDX_SERVER_ACCESS_LOG_H
#define NIDX_SERVER_ACCESS_LOG_H

#include "server_impl.h"

/* At a request's headers: its id (the client's X-Request-Id when sane,
   else made here), its start, and what its log line will say of it. */
void access_log_begin(server_t *s, struct MHD_Connection *c, request_t *r,
                      const char *method, const char *version);

/* At its end: its line, when the log is on. */
void access_log_write(server_t *s, const request_t *r);

#endif
