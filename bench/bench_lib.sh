# bench_lib.sh — what the benchmark scripts on the news share: where the
# sources, the build and the corpora are, and a clean skip when the
# corpora are absent (a fresh clone has no ../shared). Sourced, not run.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
news=${NIDX_BENCH_NEWS:-"$srcdir/../shared/corpora/news"}
if [ ! -d "$news" ]; then
    echo "bench: skipped: no corpora at $news"
    exit 0
fi
news=$(cd "$news" && pwd) # symbolic links to it work from anywhere
if [ ! -x /usr/bin/time ]; then
    echo "bench: needs GNU time for peak memory: apt-get install time"
    exit 2
fi
