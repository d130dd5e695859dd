# cli_lib.sh — what the end-to-end test scripts share: the programs, a
# scratch directory removed on exit, and TAP helpers. Sourced, not run.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
NIDX="$builddir/nidx"
NSEARCH="$builddir/nsearch"
work=$(mktemp -d /tmp/nidx-test-cli-XXXXXX)
trap 'rm -rf "$work"' EXIT
idx="$work/index"
n=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
# check NAME COMMAND...: ok when the command succeeds.
check() {
    name=$1
    shift
    if "$@"; then ok "$name"; else not_ok "$name"; fi
}
has() { grep -q -- "$2" "$1"; }
# The ids of the hits in a JSON answer, one per line, in rank order.
ids() { grep -o '"rank":[0-9]*,"id":"[^"]*"' "$1" | sed 's/.*"id":"//; s/"$//'; }

# serve_start LOG [OPTIONS...]: nidx serve on the index $idx, on a free
# loopback port, in the background; sets $pid, $port and $base once its
# "listening" line is in LOG (a bounded wait: 10 s, or until it exits).
serve_start() {
    log=$1
    shift
    "$NIDX" --index "$idx" serve --listen 127.0.0.1:0 "$@" 2>"$log" &
    pid=$!
    port=""
    for _ in $(seq 1 200); do
        port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$log")
        [ -n "$port" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    base="http://127.0.0.1:$port"
}

# install_scratch: make install into $work/prefix, once; sets $prefix. The
# programs there can be run by another user, unlike a build under /root
# (mode 0700 on Debian), and as a program outside the tree would use them.
install_scratch() {
    prefix="$work/prefix"
    [ -x "$prefix/bin/nidx" ] && return 0
    make -s -C "$builddir" install prefix="$prefix" >"$work/install.log" 2>&1
}
