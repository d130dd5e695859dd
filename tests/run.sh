#!/bin/sh
# run.sh — runs every test (unit test programs and end-to-end scripts), each
# printing TAP lines, and ends with one line "N passed, N failed".
#
#   srcdir=. builddir=. sh tests/run.sh       (make check sets both)
#   NIDX_VALGRIND=1 ...                       unit tests under valgrind
#   NIDX_TESTS="test_reader test_query.sh" ... only the tests named
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Runs one test command; counts its "ok" and "not ok" lines. A test that
# exits non-zero without reporting a failure (a crash) counts as failed.
run() {
    name=$1
    shift
    "$@" >"$log" 2>&1
    status=$?
    ok=$(grep -c '^ok ' "$log")
    bad=$(grep -c '^not ok ' "$log")
    if [ "$status" -ne 0 ] && [ "$bad" -eq 0 ]; then
        bad=1
        echo "not ok - $name exited with status $status" >>"$log"
    fi
    passed=$((passed + ok))
    failed=$((failed + bad))
    if [ "$bad" -gt 0 ]; then
        echo "FAIL $name: $ok passed, $bad failed"
        grep -v '^ok ' "$log" | sed 's/^/    /'
    else
        echo "PASS $name: $ok passed"
    fi
}

# Sanitizer builds (./configure --enable-sanitizers): Xapian 1.4.22's
# Database::check frees with a size other than it allocated with, inside
# libxapian (nidx check aborted on "new-delete-type-mismatch"); that one
# kind of report is off, every other stays fatal. Leaks are checked.
export ASAN_OPTIONS="new_delete_type_mismatch=0:detect_leaks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"

# Whether the test is one of NIDX_TESTS (all when unset).
# shellcheck disable=SC2086 # split on any whitespace, newlines too
chosen_tests=" $(echo ${NIDX_TESTS:-}) "
chosen() {
    [ "$chosen_tests" = "  " ] && return 0
    case "$chosen_tests" in *" $1 "*) return 0 ;; esac
    return 1
}

vg=""
if [ "${NIDX_VALGRIND:-0}" = 1 ]; then
    vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
fi
for t in "$builddir"/tests/test_*; do
    case "$t" in *.c | *.sh | *.o | *.log) continue ;; esac
    [ -x "$t" ] || continue
    chosen "$(basename "$t")" || continue
    run "$(basename "$t")" $vg "$t"
done
for t in "$srcdir"/tests/test_*.sh; do
    [ -f "$t" ] || continue
    chosen "$(basename "$t")" || continue
    run "$(basename "$t")" env srcdir="$srcdir" builddir="$builddir" sh "$t"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
