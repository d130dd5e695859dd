#!/bin/sh
# bench_long.sh — the cost of a hit on long articles (issue 13): BBC and
# Reuters joined 20 articles at a time into long ones (make_long), then
# nsearch --batch on bench/queries.txt: p50 and p99 at top 10 and top
# 1,000 without snippets, and top 10 with them; index size; the 54 MB
# news set by table beside Xapian out of the box, and bench_titles' title
# queries on it; the time limit's cost in instructions (callgrind);
# then how bodies compress (bench_stored) on every news collection.
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

set54="$news/reuters21578.jsonl.gz $news/bbc_news.jsonl.gz $news/livedoor_news_ja.jsonl.gz"

# tables NAME DIR: the 54 MB set indexed by DIR's nidx, by table, with
# the indexing's time and peak memory.
tables() {
    t="$out/tables-$1"
    rm -rf "$t"
    /usr/bin/time -f "%e %M" -o "$out/time" "$2/nidx" --index "$t" --quiet \
        --shards 2 add $set54 >/dev/null 2>&1
    read -r secs rss <"$out/time"
    "$2/nidx" --index "$t" compact >/dev/null 2>&1
    printf '  %-7s total %4s MB' "$1" "$(du -sm "$t" | cut -f1)"
    for table in position postlist termlist docdata; do
        printf ', %s %s' "$table" "$(cat "$t"/shard*/$table.glass | wc -c |
            awk '{ printf "%.1f MB", $1 / 1e6 }')"
    done
    printf '; indexed in %s s, peak RSS %s MB\n' "$secs" "$((rss / 1024))"
}

titles() { # NAME DIR: title queries on the tables' index, two runs
    for run in 1 2; do
        "$2/nsearch" --index "$out/tables-$1" --batch "$out/titles.tsv" --limit 10 \
            --no-snippets >"$out/$1.t" 2>/dev/null
        "$2/nsearch" --index "$out/tables-$1" --batch "$out/titles.tsv" --limit 10 \
            >"$out/$1.ts" 2>/dev/null
        printf '  %-7s run %d: no snippets p50 %s p99 %s | snippets p50 %s p99 %s\n' \
            "$1" $run $(percentiles "$out/$1.t") $(percentiles "$out/$1.ts")
    done
}

# instructions ORDER TIME_LIMIT: callgrind's count for the 300 queries.
instructions() {
    "$builddir/libtool" --mode=execute valgrind --tool=callgrind \
        --callgrind-out-file=/dev/null "$builddir/nsearch" \
        --index "$out/tables-after" --batch "$out/b300.tsv" --limit 10 \
        --no-snippets --sort "$1" --time-limit "$2" 2>&1 >/dev/null |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
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
    echo "Index by table, Reuters + BBC + livedoor ($(zcat "$news/reuters21578.jsonl.gz" \
        "$news/bbc_news.jsonl.gz" "$news/livedoor_news_ja.jsonl.gz" | wc -c |
        awk '{ printf "%.1f", $1 / 1e6 }') MB), 2 shards, compacted:"
    [ -n "${NIDX_BENCH_BEFORE:-}" ] && tables before "$NIDX_BENCH_BEFORE"
    tables after "$builddir"
    if [ -x "$builddir/bench/peers/xapian_peer" ]; then
        x="$out/xapian54"
        /usr/bin/time -f "%e %M" -o "$out/time" \
            "$builddir/bench/peers/xapian_peer" index "$x" $set54 >/dev/null 2>&1
        read -r secs rss <"$out/time"
        xapian-compact -q "$x" "$x.c" >/dev/null 2>&1 && rm -rf "$x" && mv "$x.c" "$x"
        printf '  %-7s total %4s MB' Xapian "$(du -sm "$x" | cut -f1)"
        for table in position postlist termlist docdata; do
            printf ', %s %s' "$table" "$(wc -c <"$x/$table.glass" |
                awk '{ printf "%.1f MB", $1 / 1e6 }')"
        done
        printf '; indexed in %s s, peak RSS %s MB (out of the box: ids only, no text)\n' \
            "$secs" "$((rss / 1024))"
    fi
    echo
    "$builddir/bench/bench_titles" $set54 |
        awk -F'\t' '{ for (r = 1; r <= 5; r++) printf "r%d%s\t%s\n", r, $1, $2 }' >"$out/titles.tsv"
    echo "Title queries on that index ($(wc -l <"$out/titles.tsv"): bench_titles' 200 x5), top 10, ms:"
    [ -n "${NIDX_BENCH_BEFORE:-}" ] && titles before "$NIDX_BENCH_BEFORE"
    titles after "$builddir"
    if [ -x "$builddir/bench/peers/xapian_peer" ]; then
        for run in 1 2; do
            "$builddir/bench/peers/xapian_peer" search "$out/xapian54" "$out/titles.tsv" 10 \
                2>&1 >/dev/null | sed -n 's/^# ms //p' | sort -n |
                awk -v run=$run '{ v[NR] = $1 } END { printf "  Xapian  run %d: p50 %.2f p99 %.2f (TermGenerator + QueryParser, no snippets)\n", run, v[int(NR*.5)], v[int(NR*.99)] }'
        done
    fi
    if command -v valgrind >/dev/null 2>&1; then
        echo
        echo "The time limit's cost (decider and keeper), instructions under callgrind,"
        echo "300 queries by relevance and by date, no snippets, on the index above:"
        for order in relevance -date; do
            head -n 300 "$out/batch.tsv" >"$out/b300.tsv"
            on=$(instructions "$order" 10)
            off=$(instructions "$order" 0)
            echo "$order $on $off" |
                awk '{ printf "  %-10s %d with, %d without: %+.2f %%\n", $1, $2, $3, ($2 - $3) * 100 / $3 }'
        done
    fi
    echo
    echo "How to keep bodies (bench_stored, every news collection): bytes an article"
    echo "and microseconds to read one back"
    "$builddir/bench/bench_stored" "$news"/*.jsonl.gz
} | tee "$report"
