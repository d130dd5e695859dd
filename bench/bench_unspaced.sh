#!/bin/sh
# bench_unspaced.sh — queries typed without spaces: Thai, Chinese and
# Japanese news (th_dailynews, zh_news2018, livedoor_news_ja) in one index,
# 200 known-item queries of three kinds per language (bench/bench_unspaced.c:
# a title, a stretch of the body, three title words in another order), each
# run together as typed and with spaces between its words. MRR@10 of nidx
# (query syntax, as the search box takes it) beside Lucene 8 with the ICU
# analyzer (Elasticsearch's match query) on the same index and queries.
# A benchmark, not a test: it skips cleanly when the corpora are absent.
#   make bench-unspaced    (or: srcdir=. builddir=. sh bench/bench_unspaced.sh)
. "${srcdir:-.}/bench/bench_lib.sh"
out="$builddir/bench/out/unspaced"
idx="$out/index"
mkdir -p "$out/news"
set -- th:th_dailynews zh:zh_news2018 ja:livedoor_news_ja
for pair; do
    f=${pair#*:}
    [ -f "$news/$f.jsonl.gz" ] && ln -sf "$news/$f.jsonl.gz" "$out/news/"
done
if [ ! -d "$idx" ] || [ -n "${NIDX_BENCH_REINDEX:-}" ]; then
    rm -rf "$idx"
    /usr/bin/time -f "nidx indexed in %e s, peak %M KB" \
        "$builddir/nidx" --quiet --index "$idx" add "$out/news"
fi
lucene="$builddir/bench/out/lucene"
[ -x "$lucene/lucene_icu_peer" ] ||
    srcdir="$srcdir" builddir="$builddir" sh "$srcdir/bench/peers/setup.sh" "$lucene"
peer=""
if [ -x "$lucene/lucene_icu_peer" ] && [ "$(cat "$lucene/status")" = icu ]; then
    peer="$lucene/lucene_icu_peer"
    if [ ! -d "$out/lucene-icu" ]; then
        "$peer" index "$out/lucene-icu" "$out"/news/*.jsonl.gz >/dev/null
    fi
else
    echo "Lucene with ICU: not available (bench/peers/setup.sh); nidx alone"
fi

mrr() { sed -n 's/.*MRR@10 \([0-9.]*\).*/\1/p'; }

echo "MRR@10, 200 queries a row: run together as typed / with spaces"
printf '%-4s %-9s %8s %8s %8s %8s\n' lang kind nidx spaced lucene spaced
for pair; do
    lang=${pair%%:*} f=${pair#*:}
    [ -f "$out/news/$f.jsonl.gz" ] || continue
    "$builddir/bench/bench_unspaced" -n 200 "$out" "$lang" "$out/news/$f.jsonl.gz"
    for kind in title sentence words; do
        printf '%-4s %-9s' "$lang" "$kind"
        for way in unspaced spaced; do
            q="$out/$lang-$kind-$way.tsv"
            printf ' %8s' "$("$builddir/bench/bench_qrels" "$idx" "$q" \
                "$out/$lang.qrels" --syntax | mrr)"
        done
        for way in unspaced spaced; do
            q="$out/$lang-$kind-$way.tsv"
            if [ -n "$peer" ]; then
                "$peer" search "$out/lucene-icu" "$q" 100 plain \
                    >"$out/run" 2>/dev/null
                printf ' %8s' "$("$builddir/bench/bench_qrels" --run "$out/run" \
                    "$q" "$out/$lang.qrels" | mrr)"
            fi
        done
        printf '\n'
    done
done
