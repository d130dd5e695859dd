#!/bin/sh
# bench_scale.sh — does indexing stay linear? nidx add on about 100 MB and
# on about 1 GB of the same mix of news (all of ../shared/corpora/news
# sampled, and repeated three times with new ids), from an empty index each
# time: MB/s, articles/s, CPU s, peak RSS, index size as written and
# compacted; one shard per core (the default), and one writer alone on the
# 100 MB for comparison. Also a second run over the 1 GB, which finds every
# file unchanged.
# A benchmark, not a test: skips when the corpora are absent.
#   srcdir=. builddir=. sh bench/bench_scale.sh
. "${srcdir:-.}/bench/bench_lib.sh"
out="$builddir/bench/out/scale"
rm -rf "$out"
mkdir -p "$out/100m" "$out/1g"
for f in "$news"/*.jsonl.gz; do
    name=$(basename "$f" .jsonl.gz)
    # 2 lines of 7: the same mix of languages and sizes, about 100 MB.
    zcat "$f" | awk 'NR % 7 < 2' >"$out/100m/$name.jsonl"
    for copy in 1 2 3; do
        zcat "$f" | sed "s/^{\"id\": \"/{\"id\": \"copy$copy-/" \
            >"$out/1g/$name-$copy.jsonl"
    done
done

# run NAME DIR [OPTION...]: one nidx add, its figures on one line.
run() {
    name=$1 dir=$2
    shift 2
    idx="$out/index-$name"
    rm -rf "$idx"
    /usr/bin/time -v "$builddir/nidx" --quiet --index "$idx" "$@" add "$dir" \
        2>"$out/time-$name" >/dev/null
    mb=$(du -smL "$dir" | cut -f1)
    idx_mb=$(du -sm "$idx" | cut -f1)
    "$builddir/nidx" --index "$idx" compact
    awk -v name="$name" -v mb="$mb" -v idx_mb="$idx_mb" -v small_mb="$(du -sm "$idx" | cut -f1)" \
        -v docs="$("$builddir/nidx" --index "$idx" --json stats | grep -o '"articles":[0-9]*' | cut -d: -f2)" -F': ' '
        /User time/ { u = $2 } /System time/ { s = $2 }
        /Elapsed/ { n = split($2, t, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + t[i] }
        /Maximum resident/ { rss = $2 }
        END { printf "%-12s %5d MB, %7d articles in %6.1f s: %5.2f MB/s, %4.0f articles/s, CPU %6.1f s, peak RSS %4d MB, index %5d MB, compacted %5d MB\n",
              name, mb, docs, w, mb / w, docs / w, u + s, rss / 1024, idx_mb, small_mb }' "$out/time-$name"
}
echo "== nidx add ($(nproc) cores; one shard per core unless said)"
run 100MB-1shard "$out/100m" --shards 1
run 100MB "$out/100m"
run 1GB "$out/1g"
echo "== the same 1 GB again (every file unchanged)"
/usr/bin/time -f "%e s, peak RSS %M KB" "$builddir/nidx" --index "$out/index-1GB" add "$out/1g" 2>&1 | tail -n 2
rm -rf "$out/100m" "$out/1g"
