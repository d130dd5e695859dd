#!/bin/sh
# bench_qrels.sh — ranking quality (MAP, nDCG@10, P@10) on the collections
# in ../shared/corpora/qrels, with and without stemming; and the price of
# stemming queries in every language of a multilingual index (the query's
# language is unknown): cranfield indexed alone, then among news in nine
# other languages. A benchmark, not a test: skips when the corpora are
# absent.
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
for c in "$qrels"/*.jsonl.gz; do
    name=$(basename "$c" .jsonl.gz)
    idx="$out/qrels-$name"
    rm -rf "$idx"
    "$builddir/nidx" --quiet --index "$idx" add "$c" 2>/dev/null
    for mode in "" --no-stemming; do
        printf '%-10s ' "$name"
        "$builddir/bench/bench_qrels" "$idx" "$qrels/$name.queries.tsv" \
            "$qrels/$name.qrels" $mode
    done
done
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
