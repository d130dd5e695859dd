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
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:print_stacktrace=1:halt_on_error=1"
status=0
for name in jsonl text html warc warc_gz charset analyzer query search; do
    seeds=$srcdir/tests/fuzz/seeds/${name%_gz}
    mkdir -p "$corpora/$name"
    "$builddir/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        "$corpora/$name" "$seeds" >"$corpora/$name.log" 2>&1
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
