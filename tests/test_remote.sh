#!/bin/sh
# test_remote.sh — shards on other machines through Xapian's remote
# backend, on loopback: three xapian-tcpsrv serving the shards of an index,
# a stub listing them as "remote 127.0.0.1:PORT", and the same answers as
# the shards held locally for every kind of query nsearch takes. Skips
# where xapian-tools is absent (.ci/run installs it).
. "${srcdir:-.}/tests/cli_lib.sh"

if ! command -v xapian-tcpsrv >/dev/null 2>&1; then
    ok "remote shards # SKIP xapian-tcpsrv not installed (apt-get install xapian-tools)"
    echo "1..$n"
    exit 0
fi

servers=""
# xapian-tcpsrv signals its whole process group on SIGTERM: each runs in a
# session of its own, stopped by its group.
stop_servers() {
    for p in $servers; do kill -TERM -"$p" 2>/dev/null; done
    for p in $servers; do
        for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
    done
}
trap 'stop_servers; rm -rf "$work"' EXIT

# serve_shard DIR: xapian-tcpsrv on DIR, on a free loopback port; prints
# the port once the server answers (a bounded wait), or nothing.
serve_shard() {
    for try in $(seq 1 20); do
        p=$((20000 + ($$ * 7 + try * 131 + $(date +%N | cut -c1-4)) % 40000))
        setsid xapian-tcpsrv --interface 127.0.0.1 --port "$p" "$1" \
            >"$work/srv-$p.log" 2>&1 &
        spid=$!
        for _ in $(seq 1 100); do
            grep -q "^Listening" "$work/srv-$p.log" && break
            kill -0 "$spid" 2>/dev/null || break
            sleep 0.05
        done
        if grep -q "^Listening" "$work/srv-$p.log" && kill -0 "$spid" 2>/dev/null; then
            servers="$servers $spid"
            echo "$p"
            return
        fi
        kill -TERM -"$spid" 2>/dev/null
    done
}

local_idx="$work/local"
remote_idx="$work/remote"
"$NIDX" --index "$local_idx" --shards 3 --quiet add "$srcdir/corpus" >/dev/null 2>&1
mkdir -p "$remote_idx"
: >"$remote_idx/XAPIANDB"
for s in 0 1 2; do
    port=$(serve_shard "$local_idx/shard$s")
    [ -n "$port" ] && echo "remote 127.0.0.1:$port" >>"$remote_idx/XAPIANDB"
done
check "three shards served on loopback" test "$(grep -c '^remote' "$remote_idx/XAPIANDB")" = 3

# same NAME ARGS...: nsearch --json on both indexes gives the same bytes
# (the revision aside: Xapian's remote protocol does not carry it; the
# writers' count of commits stands in, which is another number). With
# $estimated set, the totals aside too: on a page cut short they are
# estimates, and each remote shard makes its own.
estimated=""
same() {
    name=$1
    shift
    strip='s/,"revision":[0-9]*//'
    [ -n "$estimated" ] && strip="$strip; s/\"total\":[0-9]*,//"
    "$NSEARCH" --index "$local_idx" --json "$@" 2>&1 | sed "$strip" >"$work/local.json"
    "$NSEARCH" --index "$remote_idx" --json "$@" 2>&1 | sed "$strip" >"$work/remote.json"
    if cmp -s "$work/local.json" "$work/remote.json" && grep -q '"hits"' "$work/local.json"; then
        ok "remote as local: $name"
    else
        not_ok "remote as local: $name ($(head -c 300 "$work/remote.json") / $(head -c 300 "$work/local.json"))"
    fi
}

# A page longer than any answer here: totals are exact on both sides
# (estimates, on a page cut short, are each shard's own).
L="--limit 60"
same "words" $L drone
same "two words, every tier" $L Bayraktar Serbia
same "a phrase" $L '"drone crews"'
same "title: phrase" $L 'title:"drone crews"'
same "NEAR" $L 'drone NEAR/3 crews'
same "word*" $L 'dron*'
same "OR, NOT, groups" $L '(drone OR strike) -Koper'
same "required and excluded" $L '+drone -batman'
same "a Cyrillic query and its Latin spelling" $L 'дрон'
same "Japanese" $L 'ドローンの購入'
same "Chinese" $L '塞尔维亚购买无人机'
same "Thai" $L 'ตลาด'
same "a spelling suggestion" $L harbr
same "lang: filter" $L 'lang:fr drone'
same "filters alone browse" $L 'lang:sr'
same "date: range" $L 'date:2022-03-17..2022-03-19'
same "source: and site:" $L 'source:"Le Courrier" OR site:beograd.example'
same "--sort date (undated last)" $L --sort date drone
same "--sort -date" $L --sort -date drone
estimated=1
same "--sort date, a page within" --limit 2 --offset 3 --sort date drone
estimated=
same "--facets" $L --facets drone
same "--count" --count drone
same "--all (every copy)" $L --all strike
same "collapsed near-duplicates" $L strike
estimated=1
same "--offset and --limit (a page cut short: the hits)" --offset 2 --limit 3 drone
same "a page of two tiers cut short" --limit 2 Bayraktar Serbia
estimated=
same "--no-stemming" $L --no-stemming drones
same "--plain" $L --plain 'drone (crews'
same "--bm25" $L --bm25 1.2,0.5 drone
same "--no-snippets" $L --no-snippets drone
same "--time-limit" $L --time-limit 5 drone

"$NSEARCH" --index "$remote_idx" --batch - --limit 3 >"$work/batch" 2>&1 <<'Q'
a	drone
b	Bayraktar
Q
check "--batch over remote shards" test "$(grep -c '"took_ms"' "$work/batch")" = 2

# The revision: Xapian's remote protocol lacks it; the writers count their
# commits in each shard's metadata instead.
rev() { "$NSEARCH" --index "$1" --json --limit 1 "$2" | sed -n 's/.*"revision":\([0-9]*\).*/\1/p'; }
r1=$(rev "$remote_idx" drone)
check "remote shards have a revision ($r1)" test "${r1:-0}" -gt 0
echo '{"id": "late-news", "title": "A late dispatch about zeppelins", "body": "Zeppelins return to the harbour.", "lang": "en"}' >"$work/late.jsonl"
"$NIDX" --index "$local_idx" --quiet add "$work/late.jsonl" >/dev/null 2>&1
r2=$(rev "$remote_idx" zeppelins)
check "a commit to a served shard: the remote revision moves ($r1 -> $r2)" test "${r2:-0}" -gt "${r1:-0}"
same "... and the new article is found" $L zeppelins

"$NIDX" --index "$remote_idx" add "$srcdir/corpus" >"$work/out" 2>&1
check "nidx add into remote shards: refused, exit 2 ($(cat "$work/out"))" test $? -eq 2
check "... saying why" has "$work/out" "served by other machines"
"$NIDX" --index "$remote_idx" compact >"$work/out" 2>&1
check "compact over remote shards: refused, exit 2" test $? -eq 2

echo "1..$n"
