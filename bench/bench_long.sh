#!/bin/sh
# bench_long.sh — the cost of a hit on long articles (issue 13): BBC and
# Reuters joined 20 articles at a time into long ones (make_long), then
# nsearch --batch on bench/queries.txt: p50 and p99 at top 10 and top
# 1,000 without snippets, and top 10 with them; index size; then how
# bodies compress (bench_stored) on every news collection.
#
# NIDX_BENCH_BEFORE=DIR runs the same with the nidx and nsearch built in
# DIR (an older build), in the same run, for before and after.
#
#   make bench-long        (figures into bench/out/long.txt)
. "$(dirname "$0")/bench_lib.sh"

out="$builddir/bench/out/long"
rm -rf "$out" && mkdir -p "$out"
report="$builddir/bench/out/long.txt"
"$builddir/bench/make_long" 20 "$news/bbc_news.jsonl.gz" \
    "$news/reuters21578.jsonl.gz" >"$out/long.jsonl"
articles=$(wc -l <"$out/long.jsonl")
mb=$(du -m "$out/long.jsonl" | cut -f1)
grep -v '^#' "$srcdir/bench/queries.txt" | grep . |
    awk '{ for (r = 0; r < 5; r++) printf "q%d_%d\t%s\n", NR, r, $0 }' >"$out/batch.tsv"

# p50 and p99 of took_ms in nsearch --batch's output.
percentiles() {
    grep -o '"took_ms":[0-9.]*' "$1" | cut -d: -f2 | sort -n |
        awk '{ v[NR] = $1 } END { printf "%.2f %.2f", v[int(NR*.5)], v[int(NR*.99)] }'
}

run() { # NAME DIR
    name=$1 bin=$2 idx="$out/index-$1"
    /usr/bin/time -f "%e %M" -o "$out/time" "$bin/nidx" --index "$idx" --quiet \
        add "$out/long.jsonl" >/dev/null 2>&1
    read -r secs rss <"$out/time"
    "$bin/nidx" --index "$idx" compact >/dev/null 2>&1
    size=$(du -sm "$idx" | cut -f1)
    "$bin/nsearch" --index "$idx" --batch "$out/batch.tsv" --limit 10 --no-snippets >"$out/$name.10" 2>/dev/null
    "$bin/nsearch" --index "$idx" --batch "$out/batch.tsv" --limit 1000 --no-snippets >"$out/$name.1000" 2>/dev/null
    "$bin/nsearch" --index "$idx" --batch "$out/batch.tsv" --limit 10 >"$out/$name.snip" 2>/dev/null
    printf '%-8s %7s %7s | %7s %7s | %7s %7s | %6s MB %8s s %6s MB\n' "$name" \
        $(percentiles "$out/$name.10") $(percentiles "$out/$name.1000") \
        $(percentiles "$out/$name.snip") "$size" "$secs" "$((rss / 1024))"
}

{
    echo "long articles: $articles (BBC + Reuters, 20 joined into one), $mb MB;" \
        "$(wc -l <"$out/batch.tsv") queries (bench/queries.txt x5), one nsearch --batch"
    echo
    printf '%-8s %15s | %15s | %15s | %9s %10s %9s\n' "" "top 10, ms" "top 1000, ms" \
        "top 10+snip, ms" "index" "indexing" "peak RSS"
    printf '%-8s %7s %7s | %7s %7s | %7s %7s |\n' build p50 p99 p50 p99 p50 p99
    if [ -n "${NIDX_BENCH_BEFORE:-}" ]; then
        run before "$NIDX_BENCH_BEFORE"
    fi
    run after "$builddir"
    echo
    echo "How to keep bodies (bench_stored, every news collection): bytes an article"
    echo "and microseconds to read one back"
    "$builddir/bench/bench_stored" "$news"/*.jsonl.gz
} | tee "$report"
