#!/bin/sh
# bench_peers.sh — nidx beside the engines people would otherwise use, on
# all of ../shared/corpora/news, in one run: indexing (MB/s, CPU s, peak
# RSS, index size after compaction where the tool has one) and the fixed
# query set bench/queries.txt (top 10, warm, one process per tool, 5
# rounds: p50, p95, p99, queries/s). Peers: Xapian out of the box
# (bench/peers/xapian_peer) and SQLite FTS5 (bench/peers/fts5_peer, when
# configure found sqlite3). Lucene is not installed here. The table goes
# to bench/out/peers.md. A benchmark, not a test: skips without corpora.
#   srcdir=. builddir=. sh bench/bench_peers.sh
. "${srcdir:-.}/bench/bench_lib.sh"
out="$builddir/bench/out/peers"
rm -rf "$out"
mkdir -p "$out"
input_mb=$(zcat "$news"/*.jsonl.gz | wc -c | awk '{printf "%.1f", $1 / 1e6}')
# The query set as "qid<TAB>query", five rounds.
grep -v -e '^#' -e '^$' "$srcdir/bench/queries.txt" |
    awk '{ q[NR] = $0 } END { for (r = 1; r <= 5; r++) for (i = 1; i <= NR; i++) printf "r%dq%d\t%s\n", r, i, q[i] }' \
        >"$out/queries.tsv"
n_queries=$(grep -c . "$out/queries.tsv")

# latency FILE: p50 p95 p99 and queries/s from one number (ms) a line.
latency() {
    sort -n "$1" | awk '{ v[NR] = $1; s += $1 }
        END { printf "%.2f %.2f %.2f %.0f", v[int(NR * 0.50 + 0.5)], v[int(NR * 0.95 + 0.5)], v[int(NR * 0.99 + 0.5)], NR / (s / 1000) }'
}

# indexing NAME COMMAND...: timed with GNU time into $out/NAME.time
indexing() {
    name=$1
    shift
    /usr/bin/time -v "$@" >"$out/$name.index-out" 2>"$out/$name.time"
    awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 }
        /Elapsed/ { n = split($2, t, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + t[i] }
        /Maximum resident/ { r = $2 }
        END { printf "%.1f %.1f %d", w, u + s, r / 1024 }' "$out/$name.time"
}

row() { # NAME WALL CPU RSS INDEX_MB P50 P95 P99 QPS
    printf '| %s | %.2f | %.0f | %d | %.2f | %s | %s | %s | %s |\n' "$1" \
        "$(echo "$input_mb $2" | awk '{print $1 / $2}')" "$3" "$4" \
        "$(echo "$5 $input_mb" | awk '{print $1 / $2}')" "$6" "$7" "$8" "$9" >>"$out/peers.md"
}

{
    echo "All of ../shared/corpora/news ($input_mb MB, 143,862 articles); $n_queries queries (bench/queries.txt x 5), top 10, warm, one process per tool."
    echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(uname -sr); Xapian $(pkg-config --modversion xapian-core), ICU $(pkg-config --modversion icu-uc), SQLite $(pkg-config --modversion sqlite3 2>/dev/null || echo -)."
    echo
    echo "| tool | MB/s | CPU s | peak RSS MB | index / input | p50 ms | p95 ms | p99 ms | queries/s |"
    echo "|---|---|---|---|---|---|---|---|---|"
} >"$out/peers.md"

echo "== nidx"
set -- $(indexing nidx "$builddir/nidx" --quiet --index "$out/nidx" add "$news")
xapian-compact -q "$out/nidx" "$out/nidx.c" >/dev/null && rm -rf "$out/nidx" && mv "$out/nidx.c" "$out/nidx"
idx_mb=$(du -sm "$out/nidx" | cut -f1)
for mode in "" --no-snippets; do
    "$builddir/nsearch" --index "$out/nidx" --batch "$out/queries.tsv" $mode \
        | grep -o '"took_ms":[0-9.]*' | cut -d: -f2 >"$out/nidx$mode.ms"
    row "nidx${mode:+ (no snippets)}" "$1" "$2" "$3" "$idx_mb" $(latency "$out/nidx$mode.ms")
done

echo "== Xapian out of the box"
set -- $(indexing xapian "$builddir/bench/peers/xapian_peer" index "$out/xapian" "$news"/*.jsonl.gz)
xapian-compact -q "$out/xapian" "$out/xapian.c" >/dev/null && rm -rf "$out/xapian" && mv "$out/xapian.c" "$out/xapian"
"$builddir/bench/peers/xapian_peer" search "$out/xapian" "$out/queries.tsv" 10 2>&1 >/dev/null \
    | sed -n 's/^# ms //p' >"$out/xapian.ms"
row "Xapian TermGenerator + QueryParser" "$1" "$2" "$3" "$(du -sm "$out/xapian" | cut -f1)" $(latency "$out/xapian.ms")

if [ -x "$builddir/bench/peers/fts5_peer" ]; then
    echo "== SQLite FTS5"
    set -- $(indexing fts5 "$builddir/bench/peers/fts5_peer" index "$out/fts5.db" "$news"/*.jsonl.gz)
    "$builddir/bench/peers/fts5_peer" search "$out/fts5.db" "$out/queries.tsv" 10 2>&1 >/dev/null \
        | sed -n 's/^# ms //p' >"$out/fts5.ms"
    row "SQLite FTS5 (stores the text)" "$1" "$2" "$3" "$(du -sm "$out/fts5.db" | cut -f1)" $(latency "$out/fts5.ms")
else
    echo "SQLite FTS5: skipped (apt-get install libsqlite3-dev, then ./configure)"
fi
# Ratios: nidx (with snippets) over each peer, > 1 where nidx has more.
awk -F' [|] ' '/^[|] nidx [|]/ { for (i = 2; i <= 9; i++) n[i] = $i }
    /^[|] (Xapian|SQLite)/ && n[2] { printf "| nidx / %s |", $1; for (i = 2; i <= 9; i++) printf " %.2f |", ($i > 0 ? n[i] / $i : 0); printf "\n" }' \
    "$out/peers.md" | sed 's/^| nidx \/ | /| nidx \/ /' >"$out/ratios.md"
cat "$out/ratios.md" >>"$out/peers.md"

{
    echo "# Benchmarks beside the peers"
    echo
    echo "Written by bench/bench_peers.sh (part of \`make bench\`); the ranking comparison is"
    echo "bench/bench_qrels.sh's (README, Ranking quality). nidx's query times include fetching"
    echo "each hit's stored fields (and cutting its snippet); the peers' stop at the ranked ids."
    echo
    cat "$out/peers.md"
} >"$srcdir/bench/RESULTS.md"
echo
cat "$out/peers.md"
