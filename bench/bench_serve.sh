#!/bin/sh
# bench_serve.sh — nidx serve under load: queries per second and latency
# (p50, p95, p99) at 1, 4 and 16 concurrent clients, without and with a
# writer committing meanwhile, beside nsearch --batch on the same queries
# in one process; and the CPU a query costs in the server against the
# engine alone (the server's CPU time over the run, from /proc).
#
#   make bench-serve        (figures into bench/out/serve.txt)
. "$(dirname "$0")/bench_lib.sh"

out="$builddir/bench/out/serve"
rm -rf "$out" && mkdir -p "$out"
idx="$out/index"
NIDX="$builddir/nidx"
NSEARCH="$builddir/nsearch"
LOAD="$builddir/bench/load_http"
requests=${NIDX_BENCH_REQUESTS:-4000}
report="$builddir/bench/out/serve.txt"

# The index: BBC and Reuters (about 24,000 articles in English).
"$NIDX" --index "$idx" --quiet add "$news/bbc_news.jsonl.gz" \
    "$news/reuters21578.jsonl.gz" >/dev/null 2>&1
"$NIDX" --index "$idx" compact >/dev/null 2>&1
articles=$("$NIDX" --index "$idx" stats --json | sed 's/.*"articles":\([0-9]*\).*/\1/')

# The queries: bench/queries.txt, over and over.
grep -v '^#' "$srcdir/bench/queries.txt" | grep . >"$out/queries"
awk -v n="$requests" '{ q[NR] = $0 } END { for (i = 0; i < n; i++) printf "q%d\t%s\n", i, q[i % NR + 1] }' \
    "$out/queries" >"$out/batch.tsv"

cpu_of() { # user+system clock ticks of a process
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}
ticks=$(getconf CLK_TCK)

# The engine alone: one nsearch --batch process, the same queries; prints
# "q/s p50/p95/p99 cpu_ms".
engine() {
    /usr/bin/time -f "%e %U %S" -o "$out/time" "$NSEARCH" --index "$idx" \
        --batch "$out/batch.tsv" --limit 10 >"$out/batch.out"
    read -r wall user sys <"$out/time"
    p=$(grep -o '"took_ms":[0-9.]*' "$out/batch.out" | cut -d: -f2 | sort -n |
        awk '{ v[NR] = $1 } END { printf "%.2f/%.2f/%.2f", v[int(NR*.5)], v[int(NR*.95)], v[int(NR*.99)] }')
    echo "$wall $user $sys $requests $p" |
        awk '{ printf "%.0f q/s; per query p50/p95/p99 %s ms; CPU %.3f ms a query", $4 / $1, $5, ($2 + $3) * 1000 / $4 }'
}

serve() {
    "$NIDX" --index "$idx" serve --listen 127.0.0.1:0 --threads 2 2>"$out/serve.log" &
    pid=$!
    port=""
    for _ in $(seq 1 200); do
        port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$out/serve.log")
        [ -n "$port" ] && break
        sleep 0.05
    done
}

# A writer committing all along: Reuters added again and again (each
# article replaced), 200 articles a commit.
writer_loop() {
    while [ ! -f "$out/stop" ]; do
        "$NIDX" --index "$idx" --quiet --force --batch 200 add \
            "$news/reuters21578.jsonl.gz" >/dev/null 2>&1
    done
}

{
    echo "nidx serve under load: $articles articles (BBC + Reuters), $requests queries a run"
    echo "from bench/queries.txt, top 10 with snippets; 2 server threads, 2 cores."
    echo
    echo "engine alone (nsearch --batch, one process): $(engine)"
    rm -f "$out/stop"
    writer_loop &
    writer=$!
    echo "engine alone, a writer committing: $(engine)"
    touch "$out/stop"
    wait "$writer"
    echo
    printf '%-8s %-8s %8s %8s %8s %8s %8s %12s\n' writer clients q/s p50_ms p95_ms p99_ms failed cpu_ms/query
    for writing in no yes; do
        serve
        if [ "$writing" = yes ]; then
            rm -f "$out/stop"
            writer_loop &
            writer=$!
        fi
        "$LOAD" "$port" "$out/queries" 2 200 >/dev/null # warm up
        for clients in 1 4 16; do
            before=$(cpu_of "$pid")
            line=$("$LOAD" "$port" "$out/queries" "$clients" "$requests")
            after=$(cpu_of "$pid")
            cpu=$(echo "$before $after $ticks $requests" | awk '{ printf "%.3f", ($2 - $1) * 1000 / $3 / $4 }')
            v() { echo "$line" | sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
            printf '%-8s %-8s %8s %8s %8s %8s %8s %12s\n' "$writing" "$clients" \
                "$(v qps)" "$(v p50_ms)" "$(v p95_ms)" "$(v p99_ms)" "$(v failed)" "$cpu"
        done
        if [ "$writing" = yes ]; then
            touch "$out/stop"
            wait "$writer"
        fi
        kill -TERM "$pid"
        wait "$pid"
    done
} | tee "$report"
