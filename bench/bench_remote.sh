#!/bin/sh
# bench_remote.sh — shards on other machines through Xapian's remote
# backend, on loopback (issue 14): for 1, 2, 4, 8 and 16 shards
# (NIDX_BENCH_SHARDS), the 54 MB news
# set (Reuters + BBC + livedoor) indexed locally and through xapian-tcpsrv
# --writable (articles/s, MB/s), then bench_titles' title queries (200 x5,
# top 10, one nsearch --batch) on the same compacted shards held locally
# and served by xapian-tcpsrv: p50 and p99 without and with snippets; then
# bulk loads in two parts with nidx regroup, and failover to a shard's
# second server (also alone: bench_remote.sh bulk | failover). The
# figures behind doc/sizing.md.
#
#   make bench-remote        (figures into bench/out/remote.txt)
. "$(dirname "$0")/bench_lib.sh"

if ! command -v xapian-tcpsrv >/dev/null 2>&1; then
    echo "bench: skipped: no xapian-tcpsrv (apt-get install xapian-tools)"
    exit 0
fi
out="$builddir/bench/out/remote"
rm -rf "$out" && mkdir -p "$out"
report="$builddir/bench/out/remote.txt"
set54="$news/reuters21578.jsonl.gz $news/bbc_news.jsonl.gz $news/livedoor_news_ja.jsonl.gz"
mb=$(zcat $set54 | wc -c | awk '{ printf "%.1f", $1 / 1e6 }')
articles=$(zcat $set54 | grep -c .)
"$builddir/bench/bench_titles" $set54 |
    awk -F'\t' '{ for (r = 1; r <= 5; r++) printf "r%d%s\t%s\n", r, $1, $2 }' >"$out/titles.tsv"

port=$((30000 + $$ % 1000 * 20))
# The servers started, a process group each: in a file, not a variable,
# since most are started in the piped block below (a subshell).
pids="$out/servers.pids"
: >"$pids"
trap 'while read -r p; do kill -TERM -"$p" 2>/dev/null; done <"$pids"' EXIT

# serve DIR [--writable]: xapian-tcpsrv on the next port, $port (run in
# this shell, not in $(...), so that the port and the servers are kept).
serve() {
    port=$((port + 1))
    log="$out/srv-$port.log"
    setsid xapian-tcpsrv ${2:-} --quiet --interface 127.0.0.1 --port "$port" "$1" >"$log" 2>&1 &
    echo $! >>"$pids"
    for _ in $(seq 1 100); do
        # --quiet prints nothing: ready once a search gets through.
        printf 'remote 127.0.0.1:%s\n' "$port" >"$out/probe/XAPIANDB"
        "$builddir/nsearch" --index "$out/probe" --count x >/dev/null 2>&1
        [ $? -ne 2 ] && break
        sleep 0.05
    done
}
mkdir -p "$out/probe"

# p50 and p99 of took_ms in nsearch --batch's output.
percentiles() {
    grep -o '"took_ms":[0-9.]*' "$1" | cut -d: -f2 | sort -n |
        awk '{ v[NR] = $1 } END { printf "%6.2f %6.2f", v[int(NR*.5)], v[int(NR*.99)] }'
}

# indexing INDEX [OPTIONS]: nidx add of the set, timed; "seconds
# articles/s MB/s"
indexing() {
    i=$1
    shift
    /usr/bin/time -f "%e" -o "$out/time" "$builddir/nidx" --index "$i" "$@" \
        --quiet add $set54 >/dev/null 2>"$out/add.err" ||
        echo "bench_remote: nidx add into $i: $(tail -n 2 "$out/add.err")" >&2
    tail -n 1 "$out/time" | awk -v a="$articles" -v mb="$mb" \
        '{ printf "%6.1f s %7.0f articles/s %5.2f MB/s", $1, a / $1, mb / $1 }'
}
zcat $set54 >/dev/null # the corpora in the page cache for every run

# bulk N: the set loaded as a cluster of N shards built in two parts
# (nidx add --only-shards, as two machines would, here one after the
# other), served, then nidx regroup; against the local index of N shards:
# seconds of each part, the load's articles/s with the parts in parallel
# (the slower part), regroup's seconds, and the near-duplicates and their
# groups against the local index's (a chain of copies A~B~C can group
# otherwise in one run, where the first copy met decides).
bulk() {
    n=$1
    half=$((n / 2))
    [ -d "$out/local$n" ] || indexing "$out/local$n" --shards $n >/dev/null
    "$builddir/nidx" --index "$out/bulk$n" cluster $(seq -f '127.0.0.1:%g' 1 $n) >/dev/null 2>&1
    for part in "0-$((half - 1))" "$half-$((n - 1))"; do
        /usr/bin/time -f "%e" -o "$out/time" "$builddir/nidx" --index "$out/bulk$n" \
            --only-shards "$part" --into "$out/parts$n" --quiet add $set54 >/dev/null 2>&1
        tail -n 1 "$out/time"
    done >"$out/parts.time"
    shards=""
    for i in $(seq 0 $((n - 1))); do
        serve "$out/parts$n/shard$i" --writable
        shards="$shards 127.0.0.1:$port"
    done
    "$builddir/nidx" --index "$out/bulk$n" --force cluster $shards >/dev/null 2>&1
    /usr/bin/time -f "%e" -o "$out/time" "$builddir/nidx" --index "$out/bulk$n" regroup >"$out/regroup.out" 2>&1
    # "copies/groups" of the cluster so built, and of the local index.
    copies() { "$builddir/nidx" --index "$1" stats | sed -n 's|^copies *\([0-9]*\) near-duplicates of \([0-9]*\).*|\1/\2|p'; }
    same="$(copies "$out/bulk$n") vs $(copies "$out/local$n")"
    set -- $(cat "$out/parts.time")
    awk -v n="$n" -v a="$1" -v b="$2" -v r="$(tail -n 1 "$out/time")" -v arts="$articles" \
        -v j="$(sed -n 's/^\([0-9]*\) articles joined.*/\1/p' "$out/regroup.out")" -v same="$same" \
        'BEGIN { m = a > b ? a : b
                 printf "%-6s | %5.1f s + %5.1f s | %7.0f articles/s | %5.1f s, %6d joined | %s\n", n, a, b, arts / m, r, j, same }'
}
# failover: a 4-shard cluster whose every shard has a second server (the
# same directory served twice, read-only: what a replica kept by
# xapian-replicate answers), shard-timeout 1 s; the title queries run in
# one nsearch --batch while, after 300 answers, the server shard 2 is
# read from is killed (SIGTERM: connections refused), and in a second run
# stopped (SIGSTOP: it accepts and never answers). Said: failed and
# partial answers, the p50, p99 and slowest search of the run.
failover() {
    idx="$out/local4"
    [ -d "$idx" ] || indexing "$idx" --shards 4 >/dev/null
    for how in TERM STOP; do
        f="$out/failover-$how"
        mkdir -p "$f"
        : >"$f/XAPIANDB"
        echo "shard-timeout 1" >"$f/nidx.conf"
        for i in 0 1 2 3; do
            serve "$idx/shard$i"
            echo "remote 127.0.0.1:$port" >>"$f/XAPIANDB"
            [ $i = 2 ] && victim=$(tail -n 1 "$pids")
            serve "$idx/shard$i"
            echo "replica $i 127.0.0.1:$port" >>"$f/nidx.conf"
        done
        "$builddir/nsearch" --index "$f" --batch "$out/titles.tsv" --limit 10 --no-snippets >"$f/q" 2>"$f/err" &
        batch=$!
        for _ in $(seq 1 600); do
            [ "$(grep -c took_ms "$f/q")" -ge 300 ] && break
            sleep 0.05
        done
        kill -$how -"$victim"
        wait $batch
        kill -CONT -"$victim" 2>/dev/null
        kill -TERM -"$victim" 2>/dev/null
        printf 'SIG%-4s | %5d answers, %3d failed, %3d partial | p50/p99 %s ms | slowest %s ms\n' "$how" \
            "$(grep -c took_ms "$f/q")" "$(grep -c '"error"' "$f/q")" "$(grep -c shards_failed "$f/q")" \
            "$(percentiles "$f/q")" "$(grep -o '"took_ms":[0-9.]*' "$f/q" | cut -d: -f2 | sort -n | tail -n 1)"
    done
}
if [ "${1:-}" = failover ]; then
    failover
    exit 0
fi
if [ "${1:-}" = bulk ]; then # the bulk loads alone
    for n in 4 8; do
        echo "$n shards, local: $(indexing "$out/local$n" --shards $n)"
        bulk $n
    done
    exit 0
fi

{
    echo "Reuters + BBC + livedoor: $mb MB, $articles articles; $(wc -l <"$out/titles.tsv") title queries"
    echo "(bench_titles' 200 x5), top 10, one nsearch --batch; shards on loopback (2 cores shared"
    echo "by client and servers)."
    echo
    printf '%-6s %-7s | %-40s | %-15s | %-15s\n' shards where indexing "no snippets p50/p99" "snippets p50/p99"
    for n in ${NIDX_BENCH_SHARDS:-1 2 4 8 16}; do
        local_idx="$out/local$n"
        idx_local=$(indexing "$local_idx" --shards $n)
        "$builddir/nidx" --index "$local_idx" compact >/dev/null 2>&1
        # The same set into n shards served writable.
        mkdir -p "$out/w$n"
        shards=""
        for i in $(seq 0 $((n - 1))); do
            serve "$out/w$n/shard$i" --writable
            shards="$shards 127.0.0.1:$port"
        done
        "$builddir/nidx" --index "$out/cluster$n" cluster $shards >/dev/null 2>&1
        idx_remote=$(indexing "$out/cluster$n")
        # Searching: the compacted local shards, held locally and served.
        mkdir -p "$out/served$n"
        for i in $(seq 0 $((n - 1))); do
            serve "$local_idx/shard$i"
            echo "remote 127.0.0.1:$port" >>"$out/served$n/XAPIANDB"
        done
        for where in local remote; do
            idx=$local_idx
            [ $where = remote ] && idx="$out/served$n"
            "$builddir/nsearch" --index "$idx" --batch "$out/titles.tsv" --limit 10 --no-snippets >"$out/q" 2>/dev/null
            ns=$(percentiles "$out/q")
            "$builddir/nsearch" --index "$idx" --batch "$out/titles.tsv" --limit 10 >"$out/q" 2>/dev/null
            sn=$(percentiles "$out/q")
            ix=$idx_local
            [ $where = remote ] && ix=$idx_remote
            printf '%-6s %-7s | %-40s | %-15s | %-15s\n' $n $where "$ix" "$ns" "$sn"
        done
    done
    echo
    echo "Bulk loads where the shards live: the cluster's shards built in two parts"
    echo "(nidx add --only-shards; each part reads the whole set), then nidx regroup"
    echo "over the served parts. articles/s: the parts in parallel (the slower one)."
    printf '%-6s | %-17s | %-18s | %-21s | %s\n' shards "parts" "load" "regroup" "copies/groups vs local"
    for n in 4 8; do
        bulk $n
    done
    echo
    echo "Failover: 4 shards, each with a second server; the server shard 2 is read from"
    echo "killed (TERM) or stopped (STOP) after 300 of the $(wc -l <"$out/titles.tsv") title queries; shard-timeout 1 s."
    failover
} | tee "$report"
