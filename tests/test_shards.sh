#!/bin/sh
# test_shards.sh — an index as shards written in parallel: the layout on
# disk, the same answers as one shard, replacing and incremental adds
# across shards, near-duplicates across shards, indexes from before shards.
. "${srcdir:-.}/tests/cli_lib.sh"

one="$work/one"
four="$work/four"
"$NIDX" --index "$one" --shards 1 add "$srcdir/corpus" >"$work/out1" 2>&1
"$NIDX" --index "$four" --shards 4 add "$srcdir/corpus" >"$work/out4" 2>&1
check "4 shards: nidx add exits 0" test $? -eq 0
check "4 shards: every article added" has "$work/out4" "^52 added, 0 replaced, 0 skipped from 13 files"
check "4 shards: the stub lists them" test "$(cat "$four/XAPIANDB")" = "$(printf 'auto shard0\nauto shard1\nauto shard2\nauto shard3')"
check "4 shards: each a database" test -f "$four/shard3/iamglass"
"$NIDX" --index "$four" stats >"$work/stats"
check "4 shards: stats counts the articles" has "$work/stats" "^articles   52$"
check "4 shards: stats names the shards" has "$work/stats" "in 4 shards, format 4$"
"$NIDX" --index "$four" --json stats >"$work/stats"
check "4 shards: stats --json" has "$work/stats" '"shards":4'
"$NIDX" --index "$one" stats >"$work/stats"
check "1 shard: stats says so" has "$work/stats" "in 1 shard, format 4$"

# The same answers, whatever the shards: BM25 statistics are the whole
# index's, so hits and totals agree (ties may come in another order).
same=0 differ=""
for q in Bayraktar "Bayraktar Serbia" '"cup final"' Izmir 塞尔维亚 "koper strike" \
    'source:"Adriatic Wire"' 'date:2022-03..2022-06' 'drone* -serbia' lang:ja; do
    "$NSEARCH" --index "$one" --json --limit 100 "$q" >"$work/a"
    "$NSEARCH" --index "$four" --json --limit 100 "$q" >"$work/b"
    if [ "$(ids "$work/a" | sort)" = "$(ids "$work/b" | sort)" ] &&
        [ "$(grep -o '"total":[0-9]*' "$work/a")" = "$(grep -o '"total":[0-9]*' "$work/b")" ] &&
        [ "$(grep -o '"id":"[^"]*","score":[0-9.]*' "$work/a" | sort)" = \
            "$(grep -o '"id":"[^"]*","score":[0-9.]*' "$work/b" | sort)" ]; then
        same=$((same + 1))
    else
        differ="$differ '$q'"
    fi
done
check "4 shards answer as 1 does: hits, totals and scores ($same of 10 same;$differ)" test $same -eq 10
"$NSEARCH" --index "$one" --json --limit 100 "koper strike" | grep -o '"id":"[^"]*".*"duplicates":[0-9]*' | sed 's/",.*"duplicates"/ /' | sort >"$work/a"
"$NSEARCH" --index "$four" --json --limit 100 "koper strike" | grep -o '"id":"[^"]*".*"duplicates":[0-9]*' | sed 's/",.*"duplicates"/ /' | sort >"$work/b"
check "4 shards: near-duplicates found across shards, as with 1" cmp -s "$work/a" "$work/b"
check "4 shards: and there are some" sh -c "grep -q ':[1-9]' '$work/b'"

# ---- replacing and incremental adds across shards ----
"$NIDX" --index "$four" --force add "$srcdir/corpus" >"$work/out" 2>&1
check "4 shards: adding again replaces, no duplicates" has "$work/out" "^0 added, 52 replaced"
check "4 shards: still 52 articles" test "$("$NSEARCH" --index "$four" --count --all 'lang:en OR lang:ar OR lang:ja OR lang:sr OR lang:ru OR lang:th OR lang:tr OR lang:uk OR lang:zh OR lang:de OR lang:fr OR lang:es OR lang:it OR lang:ko OR lang:he OR lang:kk OR lang:pl OR lang:el OR lang:hi')" = "$("$NSEARCH" --index "$one" --count --all 'lang:en OR lang:ar OR lang:ja OR lang:sr OR lang:ru OR lang:th OR lang:tr OR lang:uk OR lang:zh OR lang:de OR lang:fr OR lang:es OR lang:it OR lang:ko OR lang:he OR lang:kk OR lang:pl OR lang:el OR lang:hi')"
"$NIDX" --index "$four" add "$srcdir/corpus" >"$work/out" 2>&1
check "4 shards: unchanged files are skipped" has "$work/out" "^13 files unchanged since they were read"

inc="$work/inc"
mkdir -p "$inc"
awk 'BEGIN { for (i = 1; i <= 40; i++)
    printf "{\"id\": \"s%d\", \"title\": \"Harbour report %d\", \"body\": \"the harbour of town %d reopened\", \"lang\": \"en\"}\n", i, i, i }' >"$inc/a.jsonl"
"$NIDX" --index "$inc/ix" --shards 3 add "$inc/a.jsonl" >/dev/null 2>&1
head -n 25 "$inc/a.jsonl" >"$work/t" && cat "$work/t" >"$inc/a.jsonl"
"$NIDX" --index "$inc/ix" add "$inc/a.jsonl" >"$work/out" 2>&1
check "3 shards: a shortened file is read again" has "$work/out" "^0 added, 25 replaced"
check "3 shards: its vanished records are removed from every shard" has "$work/out" "^15 articles removed"
check "3 shards: 25 left" test "$("$NSEARCH" --index "$inc/ix" --count harbour)" = 25
# A shard that did not commit the file's record (a crash between two
# shards' commits) makes the file read again: shard 2 goes back to before.
cp -r "$inc/ix/shard2" "$work/shard2-before"
awk 'BEGIN { for (i = 41; i <= 60; i++)
    printf "{\"id\": \"s%d\", \"title\": \"Harbour report %d\", \"body\": \"the harbour of town %d reopened\", \"lang\": \"en\"}\n", i, i, i }' >>"$inc/a.jsonl"
"$NIDX" --index "$inc/ix" add "$inc/a.jsonl" >/dev/null 2>&1
check "3 shards: 45 after appending" test "$("$NSEARCH" --index "$inc/ix" --count harbour)" = 45
rm -rf "$inc/ix/shard2" && cp -r "$work/shard2-before" "$inc/ix/shard2"
lost=$("$NSEARCH" --index "$inc/ix" --count harbour)
"$NIDX" --index "$inc/ix" add "$inc/a.jsonl" >"$work/out" 2>&1
check "3 shards: a file one shard did not record is read again ($lost before)" has "$work/out" "from 1 files"
check "3 shards: and nothing is missing" test "$("$NSEARCH" --index "$inc/ix" --count harbour)" = 45
rm "$inc/a.jsonl"
"$NIDX" --index "$inc/ix" --prune add "$inc" >"$work/out" 2>&1
check "3 shards: --prune counts the file once" has "$work/out" "^1 files gone since they were read"
check "3 shards: --prune removes its articles from every shard" test "$("$NSEARCH" --index "$inc/ix" --count harbour)" = 0
"$NIDX" --index "$four" remove wire-koper-strike no-such-id >"$work/out" 2>&1
check "4 shards: remove finds the article in its shard" has "$work/out" "^1 removed, 1 not found$"

# ---- parts built apart (nidx add --only-shards), assembled locally ----
# Two "machines" build shards 0-1 and 2-3 of a 4-shard index from the same
# input; their shards, put together under one stub, answer as the index
# written in one run once nidx regroup has joined the near copies they
# hold apart. (test_bulk.sh does the same served by xapian-tcpsrv.)
parts="$work/parts"
near_copies_input "$parts/input"
mkdir -p "$parts/empty"
"$NIDX" --index "$parts/whole" --shards 4 --quiet add "$parts/input" >/dev/null 2>&1
"$NIDX" --index "$parts/plan" --shards 4 --quiet add "$parts/empty" >/dev/null 2>&1
"$NIDX" --index "$parts/plan" --only-shards 0-1 --into "$parts/m1" add "$parts/input" >"$work/out" 2>&1
check "a part of an index built apart: exit 0" test $? -eq 0
check "... its share added, the rest passed over" has "$work/out" "articles passed over: other shards of the cluster"
"$NIDX" --index "$parts/plan" --only-shards 2-3 --into "$parts/m2" add "$parts/input" >/dev/null 2>&1
mkdir -p "$parts/joined"
mv "$parts/m1/shard0" "$parts/m1/shard1" "$parts/m2/shard2" "$parts/m2/shard3" "$parts/joined/"
printf 'auto shard0\nauto shard1\nauto shard2\nauto shard3\n' >"$parts/joined/XAPIANDB"
whole_copies=$("$NIDX" --index "$parts/whole" stats | grep '^copies')
before=$("$NIDX" --index "$parts/joined" stats | grep '^copies')
check "the parts put together: copies held apart not yet grouped ($before)" test "$before" != "$whole_copies"
"$NIDX" --index "$parts/joined" regroup >"$work/out" 2>&1
check "nidx regroup on local shards: exit 0, copies joined ($(cat "$work/out"))" grep -q '^[1-9][0-9]* articles joined' "$work/out"
check "... the same groups as written in one run ($whole_copies)" test "$("$NIDX" --index "$parts/joined" stats | grep '^copies')" = "$whole_copies"
for q in kalo edited20 'date:2024-03-01..2024-04-30'; do
    "$NSEARCH" --index "$parts/whole" --json --limit 100 "$q" | sed 's/,"revision":[0-9]*//' >"$work/a"
    "$NSEARCH" --index "$parts/joined" --json --limit 100 "$q" | sed 's/,"revision":[0-9]*//' >"$work/b"
    check "... and the same answer to $q" cmp -s "$work/a" "$work/b"
done
cp "$parts/joined/XAPIANDB" "$work/stub"
printf 'auto shard0\nauto shard0\nauto shard2\nauto shard3\n' >"$parts/joined/XAPIANDB"
"$NIDX" --index "$parts/joined" regroup >"$work/out" 2>&1
check "nidx regroup with a shard listed twice: refused, exit 2" test $? -eq 2
check "... saying so" has "$work/out" "listed twice"
cp "$work/stub" "$parts/joined/XAPIANDB"
"$NIDX" --index "$parts/joined" add "$parts/input" >"$work/out" 2>&1
check "... the files the parts read are known to it as read" has "$work/out" "^2 files unchanged since they were read"
"$NIDX" --index "$parts/joined" --force add "$parts/input" >"$work/out" 2>&1
check "... read again, every article replaces itself in its shard" has "$work/out" "^0 added, 72 replaced"

# ---- options and damage ----
"$NIDX" --index "$four" --shards 2 --force add "$srcdir/corpus/en" >"$work/out" 2>"$work/err"
check "--shards on an existing index: it keeps its own" has "$work/err" "has 4 shards; --shards applies to a new index"
check "--shards on an existing index: still adds" test $? -eq 0
for bad in 0 65 x; do
    "$NIDX" --index "$work/bad" --shards $bad add "$srcdir/corpus/en" >/dev/null 2>&1
    check "--shards $bad is refused" test $? -eq 2
done
cp -r "$four" "$work/broken"
echo "auto shard9" >>"$work/broken/XAPIANDB"
"$NIDX" --index "$work/broken" add "$srcdir/corpus/en" >/dev/null 2>"$work/err"
check "a stub naming a missing shard: exit 2" test $? -eq 2
check "a stub naming a missing shard: said so" has "$work/err" "XAPIANDB:5: shard shard9 is missing"
"$NIDX" --index "$four" compact >/dev/null 2>&1
check "4 shards: compact" test $? -eq 0
check "4 shards: compacted, still answers" test "$("$NSEARCH" --index "$four" --count Bayraktar)" = "$("$NSEARCH" --index "$one" --count Bayraktar)"
"$NIDX" --index "$four" check >"$work/out" 2>&1
check "4 shards: check reads every shard" has "$work/out" "no problems found"

# ---- an index from before shards: one database in the directory ----
old="$work/old"
"$NIDX" --index "$old" --shards 1 add "$srcdir/corpus" >/dev/null 2>&1
mv "$old"/shard0/* "$old"/ && rmdir "$old/shard0" && rm "$old/XAPIANDB"
check "an index from before shards: searched" test "$("$NSEARCH" --index "$old" --count Bayraktar)" = "$("$NSEARCH" --index "$one" --count Bayraktar)"
"$NIDX" --index "$old" --force add "$srcdir/corpus" >"$work/out" 2>&1
check "an index from before shards: written as one shard" has "$work/out" "^0 added, 52 replaced"
check "an index from before shards: left as it was" test ! -e "$old/XAPIANDB" -a ! -e "$old/shard0"
# ---- xapian-compact merging the shards into one database, as a Xapian
# user would: each shard's body dictionary keeps a number of its own, so
# every body reads back in the merged database ----
if command -v xapian-compact >/dev/null 2>&1; then
    awk 'BEGIN { for (i = 0; i < 3000; i++) { printf "{\"id\": \"m%d\", \"title\": \"Dispatch %d\", \"body\": \"", i, i
        for (k = 0; k < 14; k++) printf "Shipping line %d reported %d tonnes of cargo bound for Vienna. ", (i + k) % 97, (i * 13 + k) % 900
        printf "Dispatch %d ends here.\", \"lang\": \"en\"}\n", i } }' >"$work/many.jsonl"
    "$NIDX" --index "$work/m2" --shards 2 --quiet add "$work/many.jsonl" >/dev/null 2>&1
    xapian-compact "$work/m2/shard0" "$work/m2/shard1" "$work/merged" >"$work/out" 2>&1
    check "xapian-compact merges the two shards ($(tail -n 1 "$work/out"))" test -f "$work/merged/iamglass"
    "$NSEARCH" --index "$work/merged" --json --all --limit 3000 cargo >"$work/q" 2>"$work/err"
    check "the merged database: every article found" has "$work/q" '"total":3000,'
    check "the merged database: every body reads, both shards' dictionaries kept" sh -c "! grep -q -e unreadable -e '\"snippet\":null' '$work/q' && test ! -s '$work/err'"
    "$NIDX" --index "$work/merged" check >"$work/out" 2>&1
    check "the merged database checks sound, every body read ($(tail -n 1 "$work/out"))" has "$work/out" "no problems found"
else
    ok "xapian-compact merging shards # SKIP xapian-tools not installed"
    ok "the merged database # SKIP"
    ok "the merged database # SKIP"
    ok "the merged database # SKIP"
fi

# ---- a full disk: said, exit 2, the index keeps its commits (each of the
# two shards commits 100 of every batch of 200) ----
full="$work/full"
mkdir -p "$full"
if mount -t tmpfs -o size=2m tmpfs "$full" 2>/dev/null; then
    awk 'BEGIN { for (i = 1; i <= 20000; i++)
        printf "{\"id\": \"f%d\", \"title\": \"Report %d\", \"body\": \"words%d and more words about item %d in the list\", \"lang\": \"en\"}\n", i, i, i, i }' >"$work/fill.jsonl"
    "$NIDX" --index "$full/ix" --shards 2 --batch 200 add "$work/fill.jsonl" >"$work/out" 2>"$work/err"
    status=$?
    check "full disk: exit 2 ($status)" test $status -eq 2
    check "full disk: the error names the cause" has "$work/err" "No space left on device"
    check "full disk: said once a shard at most" test "$(grep -c 'No space left' "$work/err")" -le 2
    check "full disk: what to do next" has "$work/err" "the same command, run again, adds the rest"
    got=$("$NSEARCH" --index "$full/ix" --count report 2>/dev/null)
    check "full disk: the index opens with whole batches (${got:-none})" test "${got:-1}" -ge 0 -a $((${got:-1} % 100)) -eq 0
    said=$(sed -n 's/^\([0-9]*\) added.*/\1/p' "$work/out")
    check "full disk: the summary counts what the index holds, not what was read (${said:-none} added, ${got:-none} held)" test "${said:-x}" = "${got:-y}"
    "$NIDX" --index "$full/ix" check >/dev/null 2>&1
    check "full disk: the index checks sound" test $? -eq 0
    umount "$full"
else
    ok "full disk: # SKIP cannot mount a small tmpfs here"
fi
echo "1..$n"
