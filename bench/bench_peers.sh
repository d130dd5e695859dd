#!/bin/sh
# bench_peers.sh — nidx beside the engines people would otherwise use, on
# the same input, the same queries and the same machine, in one run:
#   indexing: MB/s, articles/s, CPU s, peak RSS, index size after compaction
#     where the tool has one, on all of ../shared/corpora/news (and, with
#     NIDX_BENCH_1GB=1, on 1 GB: the news three times with new ids);
#   queries: 200 sampled from the titles (bench/bench_titles: one, two and
#     three words, phrases, rare words; every file's language and script),
#     5 rounds, top 10, warm, one process per tool: p50, p95, p99, queries/s.
# Peers (bench/peers/setup.sh installs them from Debian when run as root):
# Lucene 8 with Elasticsearch's ICU analyzer chain and with StandardAnalyzer,
# SQLite FTS5, Xapian out of the box. Ratios nidx/peer under the table; the
# whole written to bench/RESULTS.md. Ranking quality on the qrels
# collections is bench/bench_qrels.sh's. A benchmark, not a test: skips
# without corpora.
#   srcdir=. builddir=. sh bench/bench_peers.sh
. "${srcdir:-.}/bench/bench_lib.sh"
out="$builddir/bench/out/peers"
rm -rf "$out"
mkdir -p "$out"

echo "== set-up"
srcdir="$srcdir" builddir="$builddir" sh "$srcdir/bench/peers/setup.sh" "$builddir/bench/out/lucene"
lucene_cp=$(cat "$builddir/bench/out/lucene/classpath" 2>/dev/null)
lucene_icu=$(cat "$builddir/bench/out/lucene/status" 2>/dev/null)
java_opts="-Xmx2g"

files=$(ls "$news"/*.jsonl.gz)
input_mb=$(zcat $files | wc -c | awk '{printf "%.1f", $1 / 1e6}')
articles=$(zcat $files | grep -c .)
"$builddir/bench/bench_titles" $files >"$out/titles.tsv"
awk -F'\t' '{ q[NR] = $2 } END { for (r = 1; r <= 5; r++) for (i = 1; i <= NR; i++) printf "r%dq%d\t%s\n", r, i, q[i] }' \
    "$out/titles.tsv" >"$out/queries.tsv"
n_queries=$(grep -c . "$out/queries.tsv")

# latency FILE: p50 p95 p99 and queries/s from one number (ms) a line.
latency() {
    sort -n "$1" | awk '{ v[NR] = $1; s += $1 }
        END { printf "%.2f %.2f %.2f %.0f", v[int(NR * 0.50 + 0.5)], v[int(NR * 0.95 + 0.5)], v[int(NR * 0.99 + 0.5)], NR / (s / 1000) }'
}

# indexing NAME COMMAND...: timed with GNU time; prints "wall cpu rss_mb".
indexing() {
    name=$1
    shift
    /usr/bin/time -v "$@" >"$out/$name.index-out" 2>"$out/$name.time" ||
        echo "bench_peers: $name failed: $(tail -n 3 "$out/$name.time")" >&2
    awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 }
        /Elapsed/ { n = split($2, t, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + t[i] }
        /Maximum resident/ { r = $2 }
        END { printf "%.1f %.1f %d", w, u + s, r / 1024 }' "$out/$name.time"
}

# row TABLE NAME MB ARTICLES WALL CPU RSS INDEX_MB [P50 P95 P99 QPS]
row() {
    t=$1 name=$2 mb=$3 docs=$4 wall=$5 cpu=$6 rss=$7 idx=$8
    shift 8
    printf '| %s | %.2f | %.0f | %.0f | %d | %.2f |' "$name" \
        "$(echo "$mb $wall" | awk '{print $1 / $2}')" \
        "$(echo "$docs $wall" | awk '{print $1 / $2}')" "$cpu" "$rss" \
        "$(echo "$idx $mb" | awk '{print $1 / $2}')" >>"$t"
    [ $# -gt 0 ] && printf ' %s | %s | %s | %s |' "$@" >>"$t"
    echo >>"$t"
}

# ratios TABLE: nidx's row over each peer's, under the table.
ratios() {
    awk -F' [|] ' '/^[|] nidx [|]/ { for (i = 2; i <= NF; i++) n[i] = $i }
        /^[|] (Lucene|SQLite|Xapian)/ && n[2] != "" { printf "| nidx / %s |", $1; for (i = 2; i <= NF; i++) printf " %.2f |", ($i > 0 ? n[i] / $i : 0); printf "\n" }' \
        "$1" | sed 's/^| nidx \/ | /| nidx \/ /' >"$1.ratios"
    cat "$1.ratios" >>"$1"
}

# peer_row NAME COMMAND...: with queries, "COMMAND QUERIES 10" (a peer's
# search, one "# ms N" line a query on stderr), then the tool's row; the
# indexing figures are run_all's $r and $idx.
peer_row() {
    name=$1
    shift
    if [ -n "$queries" ]; then
        "$@" "$queries" 10 2>&1 >/dev/null | sed -n 's/^# ms //p' >"$out/peer.ms"
        row "$t" "$name" "$mb" "$docs" $r "$idx" $(latency "$out/peer.ms")
    else
        row "$t" "$name" "$mb" "$docs" $r "$idx"
    fi
}

# Each tool on one input: index, compact, size; with QUERIES, search too.
# run_all TABLE LABEL MB ARTICLES QUERIES INPUT-DIR FILES...
run_all() {
    t=$1 label=$2 mb=$3 docs=$4 queries=$5 dir=$6
    shift 6
    echo "== nidx ($label)"
    r=$(indexing "nidx-$label" "$builddir/nidx" --quiet --index "$out/nidx-$label" add "$dir")
    "$builddir/nidx" --index "$out/nidx-$label" compact >/dev/null
    idx=$(du -sm "$out/nidx-$label" | cut -f1)
    if [ -n "$queries" ]; then
        for mode in "" --no-snippets; do
            "$builddir/nsearch" --index "$out/nidx-$label" --batch "$queries" $mode |
                grep -o '"took_ms":[0-9.]*' | cut -d: -f2 >"$out/nidx$mode.ms"
            row "$t" "nidx${mode:+ (no snippets)}" "$mb" "$docs" $r "$idx" $(latency "$out/nidx$mode.ms")
        done
    else
        row "$t" nidx "$mb" "$docs" $r "$idx"
    fi

    if [ -n "$lucene_cp" ]; then
        for kind in icu standard; do
            [ $kind = icu ] && [ "$lucene_icu" != icu ] && continue
            flag=$([ $kind = standard ] && echo --standard)
            name=$([ $kind = icu ] && echo "Lucene 8 + ICU analyzer" || echo "Lucene 8 StandardAnalyzer")
            echo "== $name ($label)"
            db="$out/lucene-$kind-$label"
            r=$(indexing "lucene-$kind-$label" java $java_opts -cp "$lucene_cp" LucenePeer $flag index "$db" "$@")
            java $java_opts -cp "$lucene_cp" LucenePeer compact "$db"
            idx=$(du -sm "$db" | cut -f1)
            peer_row "$name" java $java_opts -cp "$lucene_cp" LucenePeer $flag search "$db"
        done
    fi

    if [ -x "$builddir/bench/peers/fts5_peer" ]; then
        echo "== SQLite FTS5 ($label)"
        r=$(indexing "fts5-$label" "$builddir/bench/peers/fts5_peer" index "$out/fts5-$label.db" "$@")
        idx=$(du -sm "$out/fts5-$label.db" | cut -f1)
        peer_row "SQLite FTS5 (stores the text)" "$builddir/bench/peers/fts5_peer" search "$out/fts5-$label.db"
        rm -f "$out/fts5-$label.db"
    else
        echo "SQLite FTS5: skipped (apt-get install libsqlite3-dev, then ./configure)"
    fi

    echo "== Xapian out of the box ($label)"
    db="$out/xapian-$label"
    r=$(indexing "xapian-$label" "$builddir/bench/peers/xapian_peer" index "$db" "$@")
    xapian-compact -q "$db" "$db.c" >/dev/null && rm -rf "$db" && mv "$db.c" "$db"
    idx=$(du -sm "$db" | cut -f1)
    peer_row "Xapian TermGenerator + QueryParser" "$builddir/bench/peers/xapian_peer" search "$db"
    rm -rf "$out"/*-"$label" "$out"/*-"$label".db
    ratios "$t"
}

header() {
    echo "| tool | MB/s | articles/s | CPU s | peak RSS MB | index / input |${1:+ p50 ms | p95 ms | p99 ms | queries/s |}"
    echo "|---|---|---|---|---|---|${1:+---|---|---|---|}"
}

news_table="$out/news.md"
header q >"$news_table"
run_all "$news_table" news "$input_mb" "$articles" "$out/queries.tsv" "$news" $files

gb_table=""
if [ "${NIDX_BENCH_1GB:-0}" = 1 ]; then
    gb="$out/1g"
    mkdir -p "$gb"
    for f in $files; do
        for copy in 1 2 3; do
            zcat "$f" | sed "s/^{\"id\": \"/{\"id\": \"copy$copy-/" >"$gb/$(basename "$f" .jsonl.gz)-$copy.jsonl"
        done
    done
    gb_mb=$(cat "$gb"/*.jsonl | wc -c | awk '{printf "%.1f", $1 / 1e6}')
    gb_articles=$(cat "$gb"/*.jsonl | grep -c .)
    gb_table="$out/1g.md"
    header >"$gb_table"
    run_all "$gb_table" 1g "$gb_mb" "$gb_articles" "" "$gb" "$gb"/*.jsonl
    rm -rf "$gb"
fi

{
    echo "# Benchmarks beside the peers"
    echo
    echo "Written by bench/bench_peers.sh (part of \`make bench\`); ranking quality on the test"
    echo "collections is bench/bench_qrels.sh's (bench/MEASUREMENTS.md, Ranking quality)."
    echo
    echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(uname -sr)."
    echo "Versions: nidx $(git -C "$srcdir" describe --always --dirty 2>/dev/null || echo -); Xapian $(pkg-config --modversion xapian-core); ICU $(pkg-config --modversion icu-uc);" \
        "SQLite $(pkg-config --modversion sqlite3 2>/dev/null || echo -); Lucene $(dpkg-query -W -f '${Version}' liblucene8-java 2>/dev/null || echo -)" \
        "(jars $(basename "$(ls /usr/share/java/lucene-core-*.jar 2>/dev/null | head -n 1)" .jar)), ICU4J $(dpkg-query -W -f '${Version}' libicu4j-java 2>/dev/null || echo -)," \
        "$(java -version 2>&1 | head -n 1)."
    echo "Lucene's ICU analyzer: $([ "$lucene_icu" = icu ] && echo "Debian's jar with its ICU data rebuilt for ICU4J by bench/peers/lucene_setup.sh" || echo "not available; StandardAnalyzer only")."
    echo
    echo "## All of ../shared/corpora/news"
    echo
    echo "$input_mb MB of JSON Lines, $articles articles; $n_queries queries (200 sampled from the titles by bench/bench_titles, 5 rounds), top 10, warm, one process per tool."
    echo "Index size after compaction (nidx compact, xapian-compact, Lucene forceMerge); nidx and SQLite store the text, Lucene and Xapian here only the ids."
    echo "nidx's query times include fetching each hit's stored fields (and cutting its snippet); the peers' stop at the ranked ids."
    echo "Ratios: nidx's figure over the peer's (> 1: nidx's is larger)."
    echo
    cat "$news_table"
    if [ -n "$gb_table" ]; then
        echo
        echo "## 1 GB (the news three times, new ids), indexing only"
        echo
        cat "$gb_table"
    fi
} >"$srcdir/bench/RESULTS.md"
echo
cat "$srcdir/bench/RESULTS.md"
