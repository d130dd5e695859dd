#!/bin/sh
# bench_qrels.sh — ranking quality (MAP, nDCG@10, P@10) on the collections
# in ../shared/corpora/qrels, in one run: nidx as shipped, nidx without
# stemming and with classic BM25 parameters, and the peers on the same
# documents and queries (Xapian's TermGenerator + QueryParser out of the
# box; SQLite FTS5 when built; Lucene 8 with the ICU analyzer and with
# StandardAnalyzer, set up by bench/peers/setup.sh). Then the price of
# stemming queries in every language of a multilingual index: cranfield
# alone, and among news in nine other languages. NIDX_BENCH_SWEEP=1 adds the BM25 k1 x b grid and
# the title weights that chose the defaults. A benchmark, not a test:
# skips when the corpora are absent. The table goes to bench/out/qrels.md.
#   srcdir=. builddir=. sh bench/bench_qrels.sh
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
qrels=${NIDX_BENCH_QRELS:-"$srcdir/../shared/corpora/qrels"}
news=${NIDX_BENCH_NEWS:-"$srcdir/../shared/corpora/news"}
if [ ! -d "$qrels" ]; then
    echo "bench: skipped: no collections at $qrels"
    exit 0
fi
out="$builddir/bench/out"
mkdir -p "$out"
table="$out/qrels.md"
collections=$(cd "$qrels" && ls *.jsonl.gz | sed 's/\.jsonl\.gz$//')

# row NAME: "| NAME | MAP nDCG@10 | ..." from the result lines in $out/row.
row() {
    printf '| %s |' "$1"
    for c in $collections; do
        grep "^$c " "$out/row" | sed 's/.*MAP \([0-9.]*\)  nDCG@10 \([0-9.]*\).*/ \1 \/ \2 |/' | tr -d '\n'
    done
    awk '{ for (i = 1; i <= NF; i++) if ($i == "MAP") { s += $(i + 1); n++ } }
         END { printf " %.4f |\n", n ? s / n : 0 }' "$out/row"
}

# nidx_run NAME INDEX-SUFFIX ARGS...: every collection, one table row.
nidx_run() {
    name=$1 suffix=$2
    shift 2
    : >"$out/row"
    for c in $collections; do
        printf '%s ' "$c" >>"$out/row"
        "$builddir/bench/bench_qrels" "$out/qrels-$c$suffix" \
            "$qrels/$c.queries.tsv" "$qrels/$c.qrels" "$@" >>"$out/row"
    done
    sed 's/^/  /' "$out/row"
    row "$name" >>"$table"
}

# peer_run NAME PROGRAM: the peer indexes and searches every collection.
peer_run() {
    name=$1 peer=$2
    : >"$out/row"
    for c in $collections; do
        db="$out/qrels-$c.$(basename "$peer")"
        rm -rf "$db"
        "$peer" index "$db" "$qrels/$c.jsonl.gz" >/dev/null
        # Plain words, as nidx gets them (bench_qrels without --syntax).
        "$peer" search "$db" "$qrels/$c.queries.tsv" 1000 plain >"$db.run" 2>/dev/null
        printf '%s ' "$c" >>"$out/row"
        "$builddir/bench/bench_qrels" --run "$db.run" "$qrels/$c.queries.tsv" \
            "$qrels/$c.qrels" >>"$out/row"
    done
    sed 's/^/  /' "$out/row"
    row "$name" >>"$table"
}

for c in $collections; do
    for tw in 3 ${NIDX_BENCH_SWEEP:+1 2 5}; do
        suffix=$([ "$tw" = 3 ] || echo "-tw$tw")
        rm -rf "$out/qrels-$c$suffix"
        "$builddir/nidx" --quiet --title-weight "$tw" \
            --index "$out/qrels-$c$suffix" add "$qrels/$c.jsonl.gz" 2>/dev/null
    done
done

{
    echo "MAP / nDCG@10 per collection, then the mean MAP (bench/bench_qrels.sh)."
    echo
    printf '| run |'
    for c in $collections; do printf ' %s |' "$c"; done
    echo ' mean MAP |'
    printf '|---|'
    for c in $collections; do printf -- '---|'; done
    echo '---|'
} >"$table"
echo "nidx (k1 2.0, b 0.75, title x3, stemming):"
nidx_run "nidx" ""
echo "nidx without stemming:"
nidx_run "nidx, no stemming" "" --no-stemming
echo "nidx without name keys (--exact-script):"
nidx_run "nidx, exact script" "" --exact-script
echo "nidx with classic BM25 (k1 1.2, b 0.75):"
nidx_run "nidx, k1 1.2 b 0.75" "" --k1 1.2 --b 0.75
echo "nidx with Xapian's BM25 defaults (k1 1, b 0.5):"
nidx_run "nidx, k1 1 b 0.5" "" --k1 1 --b 0.5
echo "Xapian out of the box (TermGenerator + QueryParser, English stemmer):"
peer_run "Xapian TermGenerator + QueryParser" "$builddir/bench/peers/xapian_peer"
if [ -x "$builddir/bench/peers/fts5_peer" ]; then
    echo "SQLite FTS5 (unicode61 remove_diacritics 2, bm25):"
    peer_run "SQLite FTS5" "$builddir/bench/peers/fts5_peer"
else
    echo "SQLite FTS5: skipped (configure found no sqlite3; apt-get install libsqlite3-dev)"
fi
lucene="$builddir/bench/out/lucene"
[ -x "$lucene/lucene_standard_peer" ] ||
    srcdir="$srcdir" builddir="$builddir" sh "$srcdir/bench/peers/setup.sh" "$lucene"
if [ -x "$lucene/lucene_icu_peer" ]; then
    echo "Lucene 8 with the ICU analyzer (nfkc_cf, ICUTokenizer, ICUFoldingFilter; BM25):"
    peer_run "Lucene 8 + ICU analyzer" "$lucene/lucene_icu_peer"
fi
if [ -x "$lucene/lucene_standard_peer" ]; then
    echo "Lucene 8 with StandardAnalyzer (BM25):"
    peer_run "Lucene 8 StandardAnalyzer" "$lucene/lucene_standard_peer"
fi
if [ -n "${NIDX_BENCH_SWEEP:-}" ]; then
    for k1 in 0.9 1.2 1.6 2.0 3.0; do
        for b in 0.3 0.5 0.75 0.9; do
            echo "nidx k1 $k1 b $b:"
            nidx_run "nidx, k1 $k1 b $b" "" --k1 "$k1" --b "$b"
        done
    done
    for tw in 1 2 5; do
        echo "nidx, title x$tw:"
        nidx_run "nidx, title x$tw" "-tw$tw"
    done
fi
echo
cat "$table"

if [ -d "$news" ]; then
    idx="$out/qrels-cranfield-multilingual"
    rm -rf "$idx"
    "$builddir/nidx" --quiet --index "$idx" add "$qrels/cranfield.jsonl.gz" \
        "$news/es_conll2002_efe.jsonl.gz" "$news/gnad10k_test_de.jsonl.gz" \
        "$news/tr_financial_news.jsonl.gz" "$news/wmt_newstest_src.jsonl.gz" \
        "$news/ud_sr_set.jsonl.gz" 2>/dev/null
    for mode in "" --no-stemming; do
        printf '%-10s ' "cranfield among de es fr is ja ru sr tr uk news:"
        "$builddir/bench/bench_qrels" "$idx" "$qrels/cranfield.queries.tsv" \
            "$qrels/cranfield.qrels" $mode
    done
fi
