#!/bin/sh
# test_bulk.sh — bulk loads where the shards live, on loopback: the parts
# of a 4-shard cluster built apart (nidx add --only-shards, as two
# machines would), served by xapian-tcpsrv, their near copies joined
# (nidx regroup), answer exactly as the same articles written through the
# remote backend and as a local index of 4 shards; an article added later
# through the cluster replaces its earlier version in its shard. Skips
# where xapian-tools is absent (.ci/run installs it).
. "${srcdir:-.}/tests/cli_lib.sh"

needs_servers "bulk loads" xapian-tcpsrv

# The input: 48 stories and near copies of 24 (cli_lib.sh).
input="$work/input"
near_copies_input "$input"

# The reference: a local index of 4 shards.
ref="$work/local"
"$NIDX" --index "$ref" --shards 4 --quiet add "$input" >/dev/null 2>&1
check "the reference holds 72 articles" sh -c "'$NIDX' --index '$ref' stats | grep -q '^articles   72'"

# Through the remote backend: 4 empty shards served writable.
through="$work/through"
remote_stub "$through" "$work/through-shards" 4 --writable
"$NIDX" --index "$through" --quiet add "$input" >/dev/null 2>&1
check "written through the remote backend (exit 0)" test $? -eq 0

# Built apart: the cluster's description first (its servers not up yet),
# then each "machine" builds its part from the whole input.
bulk="$work/bulk"
"$NIDX" --index "$bulk" cluster 127.0.0.1:1 127.0.0.1:2 127.0.0.1:3 127.0.0.1:4 >/dev/null 2>&1
check "a cluster's description records its identity" grep -q '^# nidx-cluster [0-9a-f]\{32\}$' "$bulk/XAPIANDB"
"$NIDX" --index "$bulk" --only-shards 0-1 --into "$work/machine1" add "$input" >"$work/part1.out" 2>&1
check "part 0-1 built (exit 0)" test $? -eq 0
"$NIDX" --index "$bulk" --only-shards 2-3 --into "$work/machine2" add "$input" >"$work/part2.out" 2>&1
check "part 2-3 built (exit 0)" test $? -eq 0
a1=$(sed -n 's/^\([0-9]*\) added.*/\1/p' "$work/part1.out")
p1=$(sed -n 's/^\([0-9]*\) articles passed over.*/\1/p' "$work/part1.out")
a2=$(sed -n 's/^\([0-9]*\) added.*/\1/p' "$work/part2.out")
check "each part adds its share and passes over the rest ($a1 + $p1; $a2)" \
    test "$((a1 + p1))" = 72 -a "$((a1 + a2))" = 72
check "... each shard in the part's directory" test -f "$work/machine1/shard1/iamglass" -a -f "$work/machine2/shard2/iamglass" -a ! -e "$work/machine1/shard2"

# Served from where they were built, and listed at their places.
specs=""
for s in 0 1 2 3; do
    dir="$work/machine1/shard$s"
    [ "$s" -ge 2 ] && dir="$work/machine2/shard$s"
    specs="$specs 127.0.0.1:$(serve_shard "$dir" --writable)"
done
# shellcheck disable=SC2086
"$NIDX" --index "$bulk" --force cluster $specs >"$work/listed" 2>&1
check "the parts served and listed (exit 0)" test $? -eq 0

# same NAME ARGS...: nsearch --json gives the same bytes on the three
# indexes (the revision aside, which the remote protocol does not carry).
same() {
    name=$1
    shift
    for i in "$ref" "$through" "$bulk"; do
        "$NSEARCH" --index "$i" --json --limit 100 "$@" 2>&1 | sed 's/,"revision":[0-9]*//' >"$i.json"
    done
    if cmp -s "$ref.json" "$through.json" && cmp -s "$ref.json" "$bulk.json" && grep -q '"hits":\[{\|"total":[1-9]' "$ref.json"; then
        ok "built apart as built locally and through the cluster: $name"
    else
        not_ok "built apart as built locally and through the cluster: $name ($(head -c 300 "$bulk.json") / $(head -c 300 "$ref.json"))"
    fi
}

# Before regroup: the parts never saw each other's copies.
every='date:2024-03-01..2024-04-30' # every article, copies folded
"$NSEARCH" --index "$ref" --json --limit 100 "$every" | sed 's/,"revision":[0-9]*//' >"$work/ref-copies.json"
"$NSEARCH" --index "$bulk" --json --limit 100 "$every" | sed 's/,"revision":[0-9]*//' >"$work/bulk-copies.json"
check "before regroup, copies in the other part are not folded" sh -c "! cmp -s '$work/ref-copies.json' '$work/bulk-copies.json'"
"$NIDX" --index "$bulk" stats | grep '^copies' >"$work/bulk.stats"
check "... nor counted as copies ($(cat "$work/bulk.stats"))" sh -c "! grep -q '^copies     24 ' '$work/bulk.stats'"
"$NIDX" --index "$bulk" regroup >"$work/regroup.out" 2>&1
check "nidx regroup (exit 0)" test $? -eq 0
joined=$(sed -n 's/^\([0-9]*\) articles joined.*/\1/p' "$work/regroup.out")
check "... joins copies across the parts ($joined articles)" test "${joined:-0}" -gt 0
"$NIDX" --index "$bulk" regroup >"$work/regroup.out" 2>&1
check "... and a second run has nothing left to join" grep -q '^0 articles joined' "$work/regroup.out"

same "a word of every copy" edited20
same "a word of many stories" kalo
same "every copy shown (--all)" --all edited60
same "--count" --count edited20
same "--facets" --facets kalo
same "every article, copies folded" "$every"
"$NIDX" --index "$ref" stats | grep '^copies' >"$work/ref.stats"
"$NIDX" --index "$bulk" stats | grep '^copies' >"$work/bulk.stats"
check "the same near-duplicate groups ($(cat "$work/bulk.stats"))" cmp -s "$work/ref.stats" "$work/bulk.stats"

# Later, through the cluster: a new version of an article lands in the
# shard holding the earlier one (replaced, not added).
echo '{"id":"story-7","title":"Story 7 rewritten","date":"2024-05-01","lang":"en","body":"A rewritten story about zeppelins over the harbour."}' >"$work/late.jsonl"
for i in "$ref" "$through" "$bulk"; do
    "$NIDX" --index "$i" add "$work/late.jsonl" >"$i.late" 2>&1
done
check "a later version through the cluster replaces the earlier one" grep -q '^0 added, 1 replaced' "$bulk.late"
"$NIDX" --index "$bulk" stats | grep '^articles' >"$work/bulk.count"
check "... the count unchanged ($(cat "$work/bulk.count"))" grep -q '^articles   72' "$work/bulk.count"
same "... and found where the local index finds it" zeppelins
same "... the earlier text gone" 'title:"Story 7"'

# Refusals, before anything is written.
"$NIDX" --index "$bulk" --only-shards 3-4 --into "$work/m3" add "$input" >"$work/out" 2>&1
check "shards the cluster does not have: refused, exit 2" test $? -eq 2
check "... saying how many it has ($(cat "$work/out"))" has "$work/out" "has 4 shards (0 to 3)"
check "... nothing made" test ! -e "$work/m3/shard3"
"$NIDX" --index "$bulk" --only-shards 2 add "$input" >"$work/out" 2>&1
check "--only-shards without --into: refused, exit 2" test $? -eq 2
other="$work/other"
"$NIDX" --index "$other" cluster 127.0.0.1:1 127.0.0.1:2 127.0.0.1:3 127.0.0.1:4 >/dev/null 2>&1
"$NIDX" --index "$other" --only-shards 0-1 --into "$work/machine1" add "$input" >"$work/out" 2>&1
check "building into shards of another cluster: refused, exit 2" test $? -eq 2
check "... saying so ($(cat "$work/out"))" has "$work/out" "shards of another index"
mkdir -p "$work/m4"
cp -a "$work/machine1/shard0" "$work/m4/shard1"
"$NIDX" --index "$bulk" --only-shards 1 --into "$work/m4" add "$input" >"$work/out" 2>&1
check "a shard directory holding another place: refused, exit 2" test $? -eq 2
check "... saying which ($(cat "$work/out"))" has "$work/out" "made as shard 0 of 4"

echo "1..$n"
