#!/bin/sh
# test_replicas.sh — a shard with two servers, on loopback: a 4-shard
# cluster whose shards each have a replica kept by Xapian's replication
# (xapian-replicate-server on the primaries' directory, xapian-replicate
# one-shot into the replicas' directories, each served by xapian-tcpsrv).
# 10,000 searches run while the server one of them reads from is killed:
# none fails, none is partial. Writes go to the primaries, and a replica
# catches up and answers for its shard. Skips without xapian-tools.
. "${srcdir:-.}/tests/cli_lib.sh"

needs_servers "replicas" xapian-tcpsrv xapian-replicate xapian-replicate-server

primary="$work/primary"
replica="$work/replica"
cluster="$work/cluster"
"$NIDX" --index "$primary" --shards 4 --quiet add "$srcdir/corpus" >/dev/null 2>&1

# The replication server over the primaries' directory (its databases are
# shard0..shard3), on a port of this run: ready once a replica can be
# taken from it (a bounded wait).
replicate_all() {
    for s in 0 1 2 3; do
        timeout 60 xapian-replicate -q -h 127.0.0.1 -p "$rport" -m "shard$s" -o "$replica/shard$s" >>"$work/replicate.log" 2>&1 || return 1
    done
}
rport=$(($(cat "$work/next-port" 2>/dev/null || echo $((20000 + ($$ % 1000) * 40 + 30)))))
setsid xapian-replicate-server -I 127.0.0.1 -p "$rport" "$primary" >"$work/repserver.log" 2>&1 &
echo "$rport $!" >>"$work/servers"
mkdir -p "$replica"
replicated=false
for _ in $(seq 1 100); do
    replicate_all && replicated=true && break
    sleep 0.1
done
check "replicas taken from the primaries (xapian-replicate)" $replicated

: >"$work/primaries"
conf="shard-timeout 2"
for s in 0 1 2 3; do
    p=$(serve_shard "$primary/shard$s" --writable)
    r=$(serve_shard "$replica/shard$s")
    echo "$p" >>"$work/primaries"
    conf="$conf
replica $s 127.0.0.1:$r"
    eval "primary_$s=$p replica_$s=$r"
done
# shellcheck disable=SC2046
"$NIDX" --index "$cluster" cluster $(sed 's/^/127.0.0.1:/' "$work/primaries") >"$work/out" 2>&1
check "a 4-shard cluster of the primaries ($(tail -1 "$work/out"))" test $? -eq 0
printf '%s\n' "$conf" >"$cluster/nidx.conf"
"$NIDX" --index "$cluster" stats >"$work/stats" 2>&1
check "nidx stats: each shard's servers, the primary answering" sh -c "[ \$(grep -c '^shard .*articles (servers: 127.0.0.1:[0-9]* 127.0.0.1:[0-9]*)' '$work/stats') = 4 ] && grep -q '^shard 2    127.0.0.1:$primary_2, ' '$work/stats'"

cp "$cluster/nidx.conf" "$work/conf"
echo "replica 4 127.0.0.1:1" >>"$cluster/nidx.conf"
"$NSEARCH" --index "$cluster" quarry >"$work/out" 2>&1
check "nidx.conf: a replica of a shard the index has not is refused, its line named" has "$work/out" "nidx.conf:6: shard 4 is not a shard on another machine of this index (it has 4 shards)"
cp "$work/conf" "$cluster/nidx.conf"
echo "replica 1 127.0.0.1" >>"$cluster/nidx.conf"
"$NSEARCH" --index "$cluster" quarry >"$work/out" 2>&1
check "nidx.conf: a replica that is no server is refused" has "$work/out" "nidx.conf:6: '127.0.0.1' is not a server (HOST:PORT or :PROGRAM ARGS)"
cp "$work/conf" "$cluster/nidx.conf"

# ---- 10,000 searches, the server of shard 2 killed in their midst ----
# Two searchers at once (the machine's two cores), 5,000 each, of queries
# whose answers the local index gives first.
for q in bayraktar drones serbia koper harbour; do
    printf 'x\t%s\n' "$q" >"$work/one"
    "$NSEARCH" --index "$primary" --no-snippets --exact-script --batch "$work/one" | sed 's/.*"total":\([0-9]*\),.*/\1/' >"$work/want-$q"
done
for b in a b; do
    awk 'BEGIN { split("bayraktar drones serbia koper harbour", q, " ");
                 for (i = 0; i < 5000; i++) printf "%d\t%s\n", i, q[i % 5 + 1] }' >"$work/batch"
    "$NSEARCH" --index "$cluster" --no-snippets --exact-script --batch "$work/batch" >"$work/run-$b" 2>"$work/err-$b" &
    eval "searcher_$b=\$!"
done
for _ in $(seq 1 600); do # until both have answered some (60 s at most)
    [ "$(wc -l <"$work/run-a")" -ge 200 ] && [ "$(wc -l <"$work/run-b")" -ge 200 ] && break
    sleep 0.1
done
before=$(($(wc -l <"$work/run-a") + $(wc -l <"$work/run-b")))
stop_server "$primary_2"
wait "$searcher_a"
status_a=$?
wait "$searcher_b"
status_b=$?
cat "$work/run-a" "$work/run-b" >"$work/run"
lines=$(wc -l <"$work/run")
check "10,000 searches, shard 2's server killed after $before: all answered ($lines, exit $status_a $status_b)" sh -c "[ $lines = 10000 ] && [ $status_a = 0 ] && [ $status_b = 0 ]"
# Killed in their midst, or the searches never had to move.
check "... the server was killed with searches still to come ($before of 10,000 answered)" test "$before" -lt 9000
check "... none failed" sh -c "! grep -q '\"error\"' '$work/run'"
check "... none partial (no shards_failed)" sh -c "! grep -q 'shards_failed' '$work/run'"
wrong=0
for q in bayraktar drones serbia koper harbour; do
    want=$(cat "$work/want-$q")
    got=$(grep -c "\"query\":\"$q\",\"total\":$want," "$work/run")
    [ "$got" = 2000 ] || wrong=$((wrong + 1))
done
check "... each the local index's answer" test "$wrong" = 0
"$NIDX" --index "$cluster" stats >"$work/stats" 2>&1
check "nidx stats: shard 2 answered by its replica" grep -q "^shard 2    127.0.0.1:$replica_2, [0-9]* articles (servers: 127.0.0.1:$primary_2 127.0.0.1:$replica_2)" "$work/stats"

# ---- writes go to the primaries; the replicas follow ----
# Shard 2's primary served again (on another port: listed anew).
primary_2=$(serve_shard "$primary/shard2" --writable)
awk -v p="$primary_2" 'NR == 3 { $0 = p } { print }' "$work/primaries" >"$work/listed"
mv "$work/listed" "$work/primaries"
# shellcheck disable=SC2046
"$NIDX" --index "$cluster" --force cluster $(sed 's/^/127.0.0.1:/' "$work/primaries") >"$work/out" 2>&1
check "shard 2's primary back, listed anew ($(tail -1 "$work/out"))" test $? -eq 0
awk 'BEGIN { for (i = 1; i <= 8; i++) printf "{\"id\": \"late-%d\", \"title\": \"Quarry %d\", \"body\": \"The granite quarry reopened, part %d.\", \"lang\": \"en\"}\n", i, i, i }' >"$work/late.jsonl"
"$NIDX" --index "$cluster" --quiet add "$work/late.jsonl" >"$work/out" 2>&1
check "articles added through the cluster: to the primaries ($(head -c 200 "$work/out"))" test $? -eq 0
replicate_all
check "the replicas catch up (xapian-replicate)" test $? -eq 0
while read -r p; do stop_server "$p"; done <"$work/primaries"
"$NSEARCH" --index "$cluster" --json --no-snippets quarry >"$work/out" 2>&1
check "every primary down: the replicas answer, the new articles in ($(head -c 120 "$work/out"))" sh -c "grep -q '\"total\":8,' '$work/out' && ! grep -q shards_failed '$work/out'"
echo "1..$n"
