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

# ---- Xapian's servers (xapian-tools), for the tests of remote shards ----

# needs_servers WHAT TOOL...: the test of WHAT ends here, skipped, where a
# tool is missing (xapian-tools; .ci/run installs it); else the servers
# it starts are stopped on exit.
needs_servers() {
    what=$1
    shift
    for tool in "$@"; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            ok "$what # SKIP $tool not installed (apt-get install xapian-tools)"
            echo "1..$n"
            exit 0
        fi
    done
    trap 'stop_servers; rm -rf "$work"' EXIT
}

# xapian-tcpsrv signals its whole process group on SIGTERM: each runs in a
# session of its own, stopped by its group ($work/servers: "PORT PID").
stop_servers() {
    [ -f "$work/servers" ] || return 0
    while read -r _ p; do kill -CONT "$p" 2>/dev/null; kill -TERM -"$p" 2>/dev/null; done <"$work/servers"
    while read -r _ p; do
        for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
    done <"$work/servers"
}
server_pid() { awk -v p="$1" '$1 == p { print $2 }' "$work/servers"; }

# serve_on PORT DIR [--writable]: xapian-tcpsrv on DIR at PORT on
# loopback; true once it answers (a bounded wait).
serve_on() {
    p=$1
    # A log of its own: a server that failed to bind leaves the log of the
    # one that holds the port alone.
    slog=$(mktemp "$work/srv-$p-XXXXXX")
    setsid xapian-tcpsrv ${3:-} --interface 127.0.0.1 --port "$p" "$2" \
        >"$slog" 2>&1 &
    spid=$!
    for _ in $(seq 1 100); do
        grep -q "^Listening" "$slog" && break
        kill -0 "$spid" 2>/dev/null || break
        sleep 0.05
    done
    if grep -q "^Listening" "$slog" && kill -0 "$spid" 2>/dev/null; then
        echo "$p $spid" >>"$work/servers"
        return 0
    fi
    kill -TERM -"$spid" 2>/dev/null
    return 1
}

# serve_shard DIR [--writable]: serve_on a port no server of this run has
# had (one taken by another program is skipped); prints the port.
serve_shard() {
    for _ in $(seq 1 20); do
        p=$(cat "$work/next-port" 2>/dev/null || echo $((20000 + ($$ % 1000) * 40)))
        echo $((p + 1)) >"$work/next-port"
        if serve_on "$p" "$@"; then
            echo "$p"
            return
        fi
    done
}

# remote_stub STUB DIR N [--writable]: STUB made an index of the shards
# DIR/shard0 .. DIR/shard(N-1), each served on loopback by serve_shard;
# a shard whose server did not start is left out of it.
remote_stub() {
    stub=$1 dir=$2 shards=$3
    shift 3
    mkdir -p "$stub" "$dir"
    : >"$stub/XAPIANDB"
    for s in $(seq 0 $((shards - 1))); do
        port=$(serve_shard "$dir/shard$s" "$@")
        [ -n "$port" ] && echo "remote 127.0.0.1:$port" >>"$stub/XAPIANDB"
    done
}

# stop_server PORT: the server at PORT stopped, and gone (bounded wait).
stop_server() {
    sp=$(server_pid "$1")
    kill -CONT "$sp" 2>/dev/null
    kill -TERM -"$sp" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$sp" 2>/dev/null || break; sleep 0.05; done
    awk -v p="$1" '$1 != p' "$work/servers" >"$work/servers.new"
    mv "$work/servers.new" "$work/servers"
}

# near_copies_input DIR: DIR/stories.jsonl, 48 stories of made-up words
# (a fixed generator, Park and Miller's, whose products stay below 2^53:
# the same words from mawk and gawk), and DIR/copies.jsonl, a near copy of each of 24 of
# them with 4 of its 160 words changed (each holding "edited20"); the ids
# spread over any number of shards, so that many copies land in another
# shard than their story.
near_copies_input() {
    mkdir -p "$1"
    awk -v dir="$1" 'BEGIN {
    split("ka lo mi ter san vu re pol dan ise mor tal en gri bo has", syl, " ")
    seed = 12345
    for (s = 0; s < 48; s++) {
        body = ""
        for (w = 0; w < 160; w++) {
            word = ""
            for (k = 0; k < 2 + w % 2; k++) {
                seed = (seed * 16807) % 2147483647 # exact in any awk
                word = word syl[1 + int(seed / 65536) % 16]
            }
            words[w] = word
            body = body (w ? " " : "") word
        }
        printf "{\"id\":\"story-%d\",\"title\":\"Story %d %s\",\"date\":\"2024-03-%02d\",\"lang\":\"en\",\"body\":\"%s\"}\n", s, s, words[0], 1 + s % 28, body >(dir "/stories.jsonl")
        if (s % 2)
            continue
        copy = ""
        for (w = 0; w < 160; w++)
            copy = copy (w ? " " : "") (w % 40 == 20 ? "edited" w : words[w])
        printf "{\"id\":\"copy-%d\",\"title\":\"Copy of story %d\",\"date\":\"2024-04-%02d\",\"lang\":\"en\",\"body\":\"%s\"}\n", s, s, 1 + s % 28, copy >(dir "/copies.jsonl")
    }
}'
}
