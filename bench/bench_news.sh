#!/bin/sh
# bench_news.sh — indexing and query figures on ../shared/corpora/news:
# analyzer MB/s; nidx add MB/s, articles/s, peak RSS, index size (and after
# xapian-compact); query latency p50/p95/p99 with and without snippets, with
# facets, exact counts; near-duplicate groups.
# A benchmark, not a test: it skips cleanly when the corpora are absent.
#   make bench      (or: srcdir=. builddir=. sh bench/bench_news.sh)
. "${srcdir:-.}/bench/bench_lib.sh"
out="$builddir/bench/out"
idx="$out/news-index"
mkdir -p "$out"
rm -rf "$idx" "$idx.compact"

echo "== machine"
echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(uname -sr)"
echo "xapian $(pkg-config --modversion xapian-core), ICU $(pkg-config --modversion icu-uc), json-c $(pkg-config --modversion json-c), zlib $(pkg-config --modversion zlib)"

echo "== analyzer (one core, titles and bodies)"
"$builddir/bench/bench_analyzer" "$news"/*.jsonl.gz | tail -n 1

echo "== language identification (CLD2, labeled articles)"
"$builddir/bench/bench_langid" "$news"/*.jsonl.gz | tee "$out/langid.txt" | tail -n 1
if "$builddir/bench/bench_langid" --textcat /dev/null >/dev/null 2>&1; then
    echo "libexttextcat, same articles:"
    "$builddir/bench/bench_langid" --textcat "$news"/*.jsonl.gz | tee "$out/langid-textcat.txt" | tail -n 1
fi

echo "== Korean particles (the ko articles)"
"$builddir/bench/bench_korean" "$news"/ko_*.jsonl.gz "$news"/masakhanews.jsonl.gz

echo "== nidx add (all of $news)"
/usr/bin/time -v "$builddir/nidx" --index "$idx" add "$news" \
    >"$out/add.out" 2>"$out/add.err"
cat "$out/add.out"
grep -v -e '^	' "$out/add.err" | head -n 5
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/add.err")
cpu_s=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u + s}' "$out/add.err")
input_mb=$(sed -n 's/.* files; \([0-9.]*\) MB read.*/\1/p' "$out/add.out")
size_mb=$(du -sk "$idx" | awk '{printf "%.1f", $1 / 1024}')
echo "peak RSS $((rss_kb / 1024)) MB; CPU $cpu_s s; index $size_mb MB"
"$builddir/nidx" --index "$idx" stats | grep -e '^copies' -e '^size' 
if command -v xapian-compact >/dev/null 2>&1; then
    xapian-compact -q "$idx" "$idx.compact" >/dev/null
    compact_mb=$(du -sk "$idx.compact" | awk '{printf "%.1f", $1 / 1024}')
    echo "after xapian-compact: $compact_mb MB ($(echo "$compact_mb $input_mb" | awk '{printf "%.2f", $1 / $2}') x the input)"
fi

echo "== queries ($(grep -c -v -e '^#' -e '^$' "$srcdir/bench/queries.txt") queries, top 10, warm, one process)"
"$builddir/bench/bench_query" "$idx" "$srcdir/bench/queries.txt" 5
"$builddir/bench/bench_query" "$idx" "$srcdir/bench/queries.txt" 5 --no-snippets
"$builddir/bench/bench_query" "$idx" "$srcdir/bench/queries.txt" 5 --facets
echo "exact counts (--count), collapsed and with --all:"
"$builddir/bench/bench_query" "$idx" "$srcdir/bench/queries.txt" 5 --no-snippets --exact
"$builddir/bench/bench_query" "$idx" "$srcdir/bench/queries.txt" 5 --no-snippets --exact --all

echo "== near-duplicates (MinHash groups, as the writer forms them)"
"$builddir/bench/bench_duplicates" "$news"/*.jsonl.gz | tail -n 2
