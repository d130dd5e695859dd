#!/bin/sh
# setup.sh — the benchmark's own set-up step for the peers, all from Debian
# packages: Xapian's tools (xapian-compact), SQLite (FTS5; configure must
# run after it for bench/peers/fts5_peer), GNU time, and Lucene 8 with ICU4J
# (bench/peers/lucene_setup.sh, which also rebuilds the ICU analyzer's data
# for Debian's ICU4J). Installs only when run as root; otherwise it uses
# what is there.
#   sh bench/peers/setup.sh [LUCENE-OUT]
set -u
srcdir=${srcdir:-.}
if [ "$(id -u)" = 0 ]; then
    apt-get install -y -q xapian-tools libsqlite3-dev time >/dev/null 2>&1 ||
        echo "setup: apt-get install xapian-tools libsqlite3-dev time failed" >&2
fi
srcdir="$srcdir" sh "$srcdir/bench/peers/lucene_setup.sh" "$@"
