#!/bin/sh
# smoke.sh — runs each libFuzzer harness for $seconds from its seeds
# (make fuzz-smoke). Fails on the first crash, leak, sanitizer report or
# input slower than 10 s; the finding is left in the working directory
# (crash-*, leak-*, timeout-*), to be added to the seeds once fixed.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
seconds=${seconds:-30}
corpora=$(mktemp -d /tmp/nidx-fuzz-XXXXXX)
trap 'rm -rf "$corpora"' EXIT
# As tests/run.sh: the one Xapian report that is off, and why, is there.
export ASAN_OPTIONS="new_delete_type_mismatch=0:detect_leaks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
status=0
# The seed folders of a harness: the sample corpus where it has inputs of
# that kind, the tests' own web archive, and tests/fuzz/seeds for edge
# cases and what the corpus lacks.
mkdir -p "$corpora/mkwarc" "$corpora/warc-seeds"
sh "$srcdir/tests/mkwarc.sh" "$corpora/mkwarc/crawl.warc" &&
    mv "$corpora/mkwarc/crawl.warc" "$corpora/warc-seeds/"
seeds_of() {
    seeds=$srcdir/tests/fuzz/seeds
    case $1 in
    jsonl) echo "$seeds/jsonl $srcdir/corpus/multilingual" ;;
    text) echo "$srcdir/corpus/en" ;;
    html) echo "$srcdir/corpus/html" ;;
    warc | warc_gz) echo "$corpora/warc-seeds" ;;
    charset) echo "$seeds/charset $srcdir/corpus/html" ;;
    *) echo "$seeds/$1" ;;
    esac
}
for name in jsonl text html warc warc_gz charset analyzer query search; do
    mkdir -p "$corpora/$name"
    # shellcheck disable=SC2046 # the folders are words
    "$builddir/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        "$corpora/$name" $(seeds_of $name) >"$corpora/$name.log" 2>&1
    got=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$corpora/$name.log" | grep -o '[0-9]*$')
    if [ $got -eq 0 ]; then
        echo "fuzz_$name: ${runs:-?} runs in $seconds s, clean"
    else
        echo "fuzz_$name: FAILED (exit $got) after ${runs:-?} runs:"
        grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$corpora/$name.log" | head -n 20
        status=1
    fi
done
exit $status
