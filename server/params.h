/*
 * params.h — a search's HTTP parameters, in the one vocabulary the
 * library, nsearch and the JSON share (doc/manual.md, "One vocabulary"):
 * each parameter is named as nidx_search_options_t names its field (lang
 * for each value of langs, date_from, exact_script...), the older names
 * kept as aliases. Anything else, or a value that cannot be right, is
 * refused with a message naming the parameter: never a silently different
 * answer.
 */
#ifndef NIDX_SERVER_PARAMS_H
#define NIDX_SERVER_PARAMS_H

#include <microhttpd.h>
#include <stdbool.h>

#include "nidx.h"

/* Values of one filter parameter taken (lang=en&lang=sr...). */
#define PARAMS_MAX_VALUES 32

/* The repeatable filters, in the order of params_t.values. */
enum { FILTER_LANG, FILTER_SOURCE, FILTER_SITE, FILTER_ID, N_FILTERS };

/* Who reads the parameters: the JSON API, or the page (which also takes
   article= and more=). */
typedef enum { PARAMS_API, PARAMS_PAGE } params_for_t;

typedef struct params {
    nidx_search_options_t options; /* filled; arrays point into values */
    const char *query;             /* q, "" when absent */
    const char *values[N_FILTERS][PARAMS_MAX_VALUES];
    size_t n[N_FILTERS];
    bool count_only; /* count=1: the number of matches, no hits */
    bool limit_given;
    const char *article; /* the page: article=ID, or NULL */
    const char *more;    /* the page: more=FACET, the facet shown whole */
} params_t;

/* The canonical names of the filters, as the address carries them. */
extern const char *const params_filter_names[N_FILTERS];

/*
 * Reads the request's parameters into *p, the options starting from the
 * library's defaults. Returns 0, or the HTTP status of a refusal with its
 * message in why[why_size] (an unknown parameter: the accepted ones
 * listed). The strings stay the connection's.
 */
unsigned params_read(struct MHD_Connection *c, params_for_t who, params_t *p,
                     char *why, size_t why_size);

/* Whether `code` is an ISO 639 language code (with an optional region or
   script: "sr", "sr-Latn", "pt-BR"). */
bool params_language_code(const char *code);

/* Whether `date` is YYYY, YYYY-MM or YYYY-MM-DD, a real day. */
bool params_date(const char *date);

#endif
