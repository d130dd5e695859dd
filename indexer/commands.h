/*
 * commands.h — the nidx commands other than add: each takes the index path
 * and its arguments, prints its result, and returns the exit status.
 */
#ifndef NIDX_INDEXER_COMMANDS_H
#define NIDX_INDEXER_COMMANDS_H

#include <stdbool.h>

/* nidx remove ID...: 0 all removed, 1 some not found, 2 error. */
int command_remove(const char *index, int n, char **ids);

/* nidx stats [--json] */
int command_stats(const char *index, bool json);

/* nidx compact */
int command_compact(const char *index);

/* nidx cluster SHARD...: writes the stub of an index whose shards are on
   other machines, then says what each holds; 0 when every shard answers,
   1 when some does not (the stub is written), 2 error. */
int command_cluster(const char *index, int n, char **shards, bool force);

/* nidx check: 0 sound, 1 problems found, 2 error. */
int command_check(const char *index);

/* nidx regroup: joins near-duplicates that shards built apart hold. */
int command_regroup(const char *index);

#endif
