/* place.c — a shard's place in its index, checked against a listing. */
#include "place.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "hash.h"
#include "layout.h"

/* "K/N" into *k and *n; false when it is not that. */
static bool parse_place(const char *text, unsigned *k, unsigned *n)
{
    char *end;
    unsigned long a = strtoul(text, &end, 10);
    if (end == text || *end != '/')
        return false;
    const char *rest = end + 1;
    unsigned long b = strtoul(rest, &end, 10);
    if (end == rest || *end || a >= b || b > LAYOUT_MAX_SHARDS)
        return false;
    *k = (unsigned)a;
    *n = (unsigned)b;
    return true;
}

nidx_status_t place_check(place_get_fn get, void *context,
                          const char *const *names, unsigned n,
                          place_listing_t listing, char *cluster,
                          nidx_error_t *err)
{
    char place[32], id[PLACE_CLUSTER_LEN + 8];
    unsigned first_id = 0;
    int listed_at[LAYOUT_MAX_SHARDS]; /* where each place was listed */
    for (unsigned k = 0; k < LAYOUT_MAX_SHARDS; k++)
        listed_at[k] = -1;
    cluster[0] = '\0';
    for (unsigned i = 0; i < n; i++) {
        nidx_status_t st = get(context, i, PLACE_KEY, place, sizeof place, err);
        if (st == NIDX_OK)
            st = get(context, i, PLACE_CLUSTER_KEY, id, sizeof id, err);
        if (st != NIDX_OK)
            return st;
        unsigned k = 0, of = 0;
        bool known = *place && parse_place(place, &k, &of);
        if (*place && !known)
            return error_set(err, NIDX_ERROR_CORRUPT,
                             "%s: its place in its index is damaged "
                             "(%s '%s')",
                             names[i], PLACE_KEY, place);
        if (known && listed_at[k] >= 0)
            return error_set(err, NIDX_ERROR_CORRUPT,
                             "%s and %s are the same shard (shard %u of %u "
                             "of its index), listed twice: list each shard "
                             "once (nidx --force cluster)",
                             names[listed_at[k]], names[i], k, of);
        if (known)
            listed_at[k] = (int)i;
        if (known && listing.to_write &&
            (k != listing.first + i || of != listing.of))
            return error_set(
                err, NIDX_ERROR_CORRUPT,
                "%s is listed as shard %u of %u, but it was made as shard "
                "%u of %u: articles go to a shard by a hash of their id "
                "over the shards in their order, so list the shards in the "
                "order they were made, each once (nidx --force cluster)",
                names[i], listing.first + i, listing.of, k, of);
        if (!*id)
            continue;
        if (!*cluster) {
            snprintf(cluster, PLACE_CLUSTER_LEN + 1, "%.32s", id);
            first_id = i;
        } else if (strcmp(cluster, id) != 0) {
            return error_set(err, NIDX_ERROR_CORRUPT,
                             "%s and %s are shards of two different indexes: "
                             "list the shards of one index only",
                             names[first_id], names[i]);
        }
    }
    return NIDX_OK;
}

void place_new_cluster(char cluster[PLACE_CLUSTER_LEN + 1])
{
    unsigned char bytes[PLACE_CLUSTER_LEN / 2];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, bytes, sizeof bytes) : -1;
    if (fd >= 0)
        close(fd);
    if (got != (ssize_t)sizeof bytes) { /* no /dev/urandom: time and pid */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        uint64_t a =
            hash_mix((uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32));
        uint64_t b = hash_mix((uint64_t)ts.tv_sec ^ a);
        memcpy(bytes, &a, 8);
        memcpy(bytes + 8, &b, 8);
    }
    for (size_t i = 0; i < sizeof bytes; i++)
        snprintf(cluster + 2 * i, 3, "%02x", bytes[i]);
}
