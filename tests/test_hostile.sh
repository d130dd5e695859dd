#!/bin/sh
# test_hostile.sh — hostile and careless input through the real commands:
# counts after removals, empty pages, oversized queries, terminal escapes,
# NUL bytes. Each check fails on the code before the hardening issue.
. "${srcdir:-.}/tests/cli_lib.sh"

# ---- counting after removals (Xapian 1.4.22 fails BoolWeight counts on
# a term in 2,000+ documents once some are deleted) ----
awk 'BEGIN { for (i = 1; i <= 2500; i++)
    printf "{\"id\": \"c%d\", \"title\": \"Report %d\", \"body\": \"common words%d and item %d\", \"lang\": \"en\"}\n", i, i, i, i }' >"$work/common.jsonl"
"$NIDX" --index "$idx" --shards 1 --quiet add "$work/common.jsonl" >/dev/null 2>&1
"$NIDX" --index "$idx" remove c1 c2 c3 c100 c2000 >/dev/null 2>&1
check "removed: --count is exact" test "$("$NSEARCH" --index "$idx" --count common 2>"$work/err")" = 2495
"$NSEARCH" --index "$idx" --facets --limit 1 common >"$work/out" 2>"$work/err"
check "removed: --facets counts (no 'damaged' error)" has "$work/out" "lang: en 2495"
"$NIDX" --index "$idx" check >/dev/null 2>&1
check "removed: the index checks sound" test $? -eq 0

# ---- --limit 0 and pages past the end: the total is exact and said ----
"$NSEARCH" --index "$idx" --limit 0 'common c7' >"$work/out" 2>&1
status=$?
check "--limit 0: exit 0 when articles match ($status)" test $status -eq 0
check "--limit 0: the text says how many" has "$work/out" '^2495 matches for "common c7"$'
"$NSEARCH" --index "$idx" --no-snippets --limit 5 'common c7' >"$work/out" 2>&1
check "a page filled, few matches: counted exactly" has "$work/out" '^2495 matches for "common c7"; showing 1-5$'
# Two words each in most of 12,000 articles: the bounds on how many hold
# both (10,000 to 11,000) are past what is counted at little cost, so the
# count is an estimate.
awk 'BEGIN { for (i = 1; i <= 12000; i++)
    printf "{\"id\": \"e%d\", \"body\": \"%s %s filler%d\"}\n", i, i % 12 ? "alpha" : "other", (i + 6) % 12 ? "beta" : "other", i }' >"$work/estimate.jsonl"
"$NIDX" --index "$work/estimate" --shards 1 --quiet add "$work/estimate.jsonl" >/dev/null 2>&1
"$NSEARCH" --index "$work/estimate" --no-snippets --limit 5 'alpha beta' >"$work/out" 2>&1
"$NSEARCH" --index "$work/estimate" --json --limit 5 'alpha beta' >"$work/json" 2>&1
check "a page filled: the text says the total is an estimate, as the JSON does" sh -c "grep -q '\"total_exact\":false' '$work/json' && grep -q '^About [0-9,]* matches for \"alpha beta\"; showing 1-5$' '$work/out'"
"$NSEARCH" --index "$idx" --json --limit 0 'words7 OR words8 OR words9 OR item' >"$work/out"
check "--limit 0 --json: the total is exact" has "$work/out" '"total":2495,"hits":\[\]'
"$NSEARCH" --index "$idx" --offset 3000 common >"$work/out" 2>&1
status=$?
check "--offset past the end: exit 0, articles match ($status)" test $status -eq 0
check "--offset past the end: the total and that the page is empty" has "$work/out" '^2495 matches for "common"; none from 3001 on$'
"$NSEARCH" --index "$idx" --json --offset 3000 'common words7' >"$work/out"
check "--offset past the end --json: the total is not the offset" has "$work/out" '"total":2495,'
"$NSEARCH" --index "$idx" --json --limit 3 --offset 2494 common >"$work/out"
check "the last page: total exact, one hit" test "$(grep -o '"total":[0-9]*' "$work/out")" = '"total":2495' -a "$(ids "$work/out" | wc -l)" -eq 1
"$NSEARCH" --index "$idx" --limit 0 nosuchwordanywhere >"$work/out" 2>&1
check "--limit 0 without matches: exit 1" test $? -eq 1

# ---- oversized queries: refused at once with the reason ----
words=$(awk 'BEGIN { for (i = 0; i < 1100; i++) printf "w%d ", i }')
"$NSEARCH" --index "$idx" "$words" >"$work/out" 2>"$work/err"
check "1,100 words: exit 2" test $? -eq 2
check "1,100 words: the limit and where" has "$work/err" "more than 1024 words (at position 5035)"
long=$(awk 'BEGIN { for (i = 0; i < 2100; i++) printf "abcdefg " }')
"$NSEARCH" --index "$idx" "$long" >"$work/out" 2>"$work/err"
check "16 KB+ query: refused by size" has "$work/err" "the query is 16800 bytes long; at most 16384 are taken"
pre=$(awk 'BEGIN { for (i = 0; i < 70; i++) printf "p%d* ", i }')
"$NSEARCH" --index "$idx" "$pre" >"$work/out" 2>"$work/err"
check "70 word*: refused" has "$work/err" "more than 64 word\*"
many=$(awk 'BEGIN { for (i = 0; i < 1000; i++) printf "%sunknown%d", (i ? " OR " : ""), i }')
"$NSEARCH" --index "$idx" --time-limit 0 --count "$many" >"$work/out" 2>"$work/err"
check "1,000 unknown words ORed: none found (forms the index lacks are left out)" test "$(cat "$work/out")" = 0
"$NSEARCH" --index "$idx" --time-limit 0.000000001 common >"$work/out" 2>"$work/err"
status=$?
check "a search past its time limit: no error, nothing seen: exit 1 ($status)" test $status -eq 1
check "a search past its time limit: said" has "$work/err" "stopped at its time limit of 1e-09 s"
# A cut that a test can place: after 40 candidates (NIDX_TEST_CUT_AFTER
# stands for the clock). The best of what was seen, in order, is returned.
NIDX_TEST_CUT_AFTER=40 "$NSEARCH" --index "$idx" --json --no-snippets --limit 5 common >"$work/out" 2>"$work/err"
status=$?
check "a cut search: exit 0, hits found ($status)" test $status -eq 0
check "a cut search: JSON says \"cut\":\"time\"" has "$work/out" '"total_exact":false,"offset":0,"cut":"time"'
check "a cut search: five hits" test "$(grep -o '"rank":' "$work/out" | wc -l)" -eq 5
check "a cut search: the total counts what was seen" has "$work/out" '"total":40,'
check "a cut search: warned on stderr" has "$work/err" "these are the best of the articles it looked at"
scores=$(grep -o '"score":[0-9.]*' "$work/out" | cut -d: -f2 | tr '\n' ' ')
check "a cut search: ranked best first ($scores)" sh -c "echo '$scores' | tr ' ' '\n' | grep . | sort -rn -c"
NIDX_TEST_CUT_AFTER=40 "$NSEARCH" --index "$idx" --time-limit 0 --count common >"$work/out" 2>"$work/err"
check "--time-limit 0: never cut" test "$(cat "$work/out")" = 2495
"$NSEARCH" --index "$idx" --time-limit -1 common >/dev/null 2>"$work/err"
check "--time-limit -1 refused" test $? -eq 2

# ---- terminal escapes in articles never reach the terminal ----
esc=$(printf '\033')
printf '{"id": "e1", "title": "Clear%s[2J%s]0;pwned%sscreen", "body": "escapade text\\u001b[31m red\\u0007 bell \\u009b more", "source": "Evil%s[5m"}\n' "$esc" "$esc" "$(printf '\007')" "$esc" | tr -d '\n' >"$work/esc.jsonl"
printf '\n' >>"$work/esc.jsonl"
"$NIDX" --index "$work/esc" --quiet add "$work/esc.jsonl" >"$work/out" 2>&1
check "escapes: the article is indexed" test $? -eq 0
"$NSEARCH" --index "$work/esc" escapade >"$work/out" 2>&1
check "escapes: found" has "$work/out" "Clear"
check "escapes: no ESC, BEL or other control byte but line ends in the text output" sh -c "! LC_ALL=C tr -d '\n' <'$work/out' | LC_ALL=C grep -q '[[:cntrl:]]'"
check "escapes: no C1 control (U+009B) either" sh -c "! grep -q \"$(printf '\302\233')\" '$work/out'"
"$NSEARCH" --index "$work/esc" --json escapade >"$work/out" 2>&1
check "escapes: JSON keeps them, escaped" has "$work/out" '\\u001b\[2J'

# ---- --batch: NUL bytes are reported, never searched cut or skipped ----
printf 'a\tcommon\000words\n\000b\tcommon\nc\tcommon\n' >"$work/nul.tsv"
"$NSEARCH" --index "$idx" --batch "$work/nul.tsv" --limit 1 >"$work/out" 2>"$work/err"
check "--batch NUL: exit 2" test $? -eq 2
check "--batch NUL: line 1 named" has "$work/err" "nul.tsv:1: a NUL byte in the line"
check "--batch NUL: line 2 named" has "$work/err" "nul.tsv:2: a NUL byte in the line"
check "--batch NUL: the next line answered" has "$work/out" '^{"qid":"c",'
check "--batch NUL: nothing answered for the bad lines" test "$(wc -l <"$work/out")" -eq 1


# ---- JSON Lines: numeric ids beyond 64 bits stay apart ----
printf '{"id": 123456789012345678901234567890, "title": "A", "body": "bigid first"}\n{"id": 123456789012345678901234567891, "title": "B", "body": "bigid second"}\n{"title": "C", "id" : -7, "body": "bigid third"}\n' >"$work/ids.jsonl"
"$NIDX" --index "$work/ids" add "$work/ids.jsonl" >"$work/out" 2>&1
check "big numeric ids: three articles, none replaced" has "$work/out" "^3 added, 0 replaced"
"$NSEARCH" --index "$work/ids" --json bigid >"$work/out"
check "big numeric ids: kept as written" has "$work/out" '"id":"123456789012345678901234567891"'
check "a negative numeric id as written" has "$work/out" '"id":"-7"'

# ---- HTML whose bytes stray from the declared charset ----
mkdir -p "$work/html"
printf '<html><head><meta charset="gb2312"><title>\326\320\316\304</title></head><body><p>\326\320\316\304 \230\100 after the stray character gbktail continues</p></body></html>' >"$work/html/gbk.html"
printf '<html><head><meta charset="windows-1251"><title>\315\356\342\356\361\362\350</title></head><body><p>\317\360\350\342\345\362 \230 cp1251tail goes on</p></body></html>' >"$work/html/cp.html"
printf '<html><head><meta charset="gb2312"><title>t</title></head><body><p>\326\320 \377\376 badbytes tail survives</p></body></html>' >"$work/html/bad.html"
"$NIDX" --index "$work/hx" add "$work/html" >"$work/out" 2>"$work/err"
check "stray bytes: the pages are indexed" has "$work/out" "^3 added"
check "stray bytes: a GBK-only character in a gb2312 page keeps the text after it" test "$("$NSEARCH" --index "$work/hx" --count gbktail)" = 1
check "stray bytes: 0x98 in a windows-1251 page keeps the text after it" test "$("$NSEARCH" --index "$work/hx" --count cp1251tail)" = 1
check "stray bytes: invalid ones are read as U+FFFD, the rest kept" test "$("$NSEARCH" --index "$work/hx" --count survives)" = 1
check "stray bytes: said, with the file's name" has "$work/err" "bad.html: 1 byte sequence not valid in gb2312, each read as U+FFFD"
check "stray bytes: nothing from libxml2 on stderr" sh -c "! grep -qi 'encoding error\|parser error' '$work/err'"

# ---- WARC: not an archive, empty pages ----
head -c 300000 /dev/urandom >"$work/random.warc"
"$NIDX" --index "$work/wr" add "$work/random.warc" >"$work/out" 2>"$work/err"
status=$?
check "random bytes named .warc: not exit 0 ($status)" test $status -ne 0
check "random bytes named .warc: said" has "$work/err" "random.warc: not a web archive"
page=$(printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body></body></html>')
len=$(printf '%s' "$page" | wc -c)
printf 'WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://empty.example/\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: %s\r\n\r\n%s\r\n\r\n' "$len" "$page" >"$work/empty.warc"
"$NIDX" --index "$work/we" add "$work/empty.warc" >"$work/out" 2>"$work/err"
check "an empty WARC page is reported" has "$work/err" "empty.warc: record 1 (https://empty.example/): no text in the page (record skipped)"

# ---- a run killed while creating the index left shards without a
# version file: the next run creates them again ----
mkdir -p "$work/killed/shard0" "$work/killed/shard1"
: >"$work/killed/shard0/flintlock"
: >"$work/killed/shard0/postlist.glass"
: >"$work/killed/shard0/termlist.glass"
"$NIDX" --index "$work/killed" --shards 2 add "$srcdir/corpus/en" >"$work/out" 2>"$work/err"
check "half-created shards: the next add works ($(head -n 1 "$work/err"))" test $? -eq 0
check "half-created shards: searchable after" test "$("$NSEARCH" --index "$work/killed" --count harvest)" -ge 1

# ---- a directory holding links to its parent: walked once ----
mkdir -p "$work/loop/a"
cp "$srcdir"/corpus/en/*.txt "$work/loop/a/"
ln -s .. "$work/loop/a/up1"
ln -s .. "$work/loop/a/up2"
articles=$(ls "$work/loop/a" | grep -c '\.txt$')
timeout 120 "$NIDX" --index "$work/lx" add "$work/loop" >"$work/out" 2>"$work/err"
status=$?
check "link loop: the walk ends ($status)" test $status -eq 0
check "link loop: each file read once" has "$work/out" "^$articles added, 0 replaced"
check "link loop: the links are named" has "$work/err" "up1: a directory already read through another path"

# ---- a FIFO named on the command line ----
if mkfifo "$work/fifo" 2>/dev/null; then
    timeout 60 "$NIDX" --index "$work/fx" add "$work/fifo" >"$work/out" 2>"$work/err"
    status=$?
    check "a FIFO nobody writes: nidx does not wait for one ($status)" test $status -eq 1
    check "a FIFO nobody writes: read as empty" has "$work/err" "fifo: empty file"
    # A writer that holds the FIFO open and writes nothing: SIGTERM ends nidx.
    sleep 300 >"$work/fifo" &
    holder=$!
    "$NIDX" --index "$work/fx2" add "$work/fifo" >"$work/out" 2>"$work/err" &
    pid=$!
    tries=0 # until nidx has the FIFO open (bounded)
    while ! ls -l /proc/$pid/fd 2>/dev/null | grep -q "$work/fifo" && [ $tries -lt 600 ]; do
        tries=$((tries + 1))
        sleep 0.1
    done
    kill -TERM $pid 2>/dev/null
    tries=0
    while kill -0 $pid 2>/dev/null && [ $tries -lt 600 ]; do
        tries=$((tries + 1))
        sleep 0.1
    done
    kill -0 $pid 2>/dev/null && { kill -KILL $pid; not_ok "one SIGTERM ends nidx reading a silent FIFO"; } || ok "one SIGTERM ends nidx reading a silent FIFO"
    wait $pid
    status=$?
    check "... with the status of SIGTERM ($status)" test $status -eq 143
    kill $holder 2>/dev/null
    wait $holder 2>/dev/null
else
    ok "a FIFO # SKIP mkfifo failed"
fi

# ---- an index this user may not write: said so, not "locked" ----
# Root is let write anywhere, so root runs nidx as nobody: installed in the
# scratch directory, since nobody cannot reach a build under /root.
"$NIDX" --index "$work/ro" --quiet add "$srcdir/corpus/en" >/dev/null 2>&1
chmod -R a-w "$work/ro"
ro_nidx="$NIDX"
prefix="$work/prefix"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
    if install_scratch; then
        chmod a+rx "$work"
        as_other="setpriv --reuid=nobody --regid=nogroup --clear-groups"
        ro_nidx="$prefix/bin/nidx"
    else
        not_ok "make install into a scratch prefix ($(tail -n 3 "$work/install.log"))"
        as_other="skip"
    fi
elif [ "$(id -u)" != 0 ]; then
    as_other=""
else
    as_other="skip"
fi
if [ "$as_other" != skip ]; then
    LD_LIBRARY_PATH="$prefix/lib" $as_other "$ro_nidx" --index "$work/ro" add "$srcdir/corpus/en" >"$work/out" 2>"$work/err"
    check "a read-only index: exit 2" test $? -eq 2
    check "a read-only index: permission denied, not locked" sh -c "grep -q 'cannot write the index: Permission denied' '$work/err' && ! grep -q locked '$work/err'"
else
    ok "a read-only index # SKIP no other user to be"
    ok "a read-only index # SKIP no other user to be"
fi
chmod -R u+w "$work/ro"


# ---- searches while eight shards commit every few articles: none fails
# (five immediate retries lost the race to 8 shards' commits) ----
awk 'BEGIN { for (i = 1; i <= 20000; i++) printf "{\"id\": \"k%d\", \"title\": \"Report %d on trade\", \"body\": \"market words%d trade and more words about item %d in the list of prices\", \"lang\": \"en\"}\n", i, i, i % 500, i }' >"$work/conc.jsonl"
awk 'BEGIN { for (i = 0; i < 50; i++) printf "q%d\tmarket words%d\nr%d\ttrade prices\n", i, i, i }' >"$work/conc.tsv"
"$NIDX" --index "$work/conc" --shards 8 --batch 100 --quiet add "$srcdir/corpus/en" >/dev/null 2>&1
("$NIDX" --index "$work/conc" --batch 100 --quiet add "$work/conc.jsonl" >/dev/null 2>"$work/conc.writer"; echo $? >"$work/conc.done") &
writer=$!
searches=0
failed=0
# Until the writer is done (it ends: 20,000 articles), then once more.
while :; do
    [ -f "$work/conc.done" ] && last=1 || last=0
    "$NSEARCH" --index "$work/conc" --batch "$work/conc.tsv" --limit 5 --facets >"$work/conc.out" 2>>"$work/conc.err"
    searches=$((searches + $(wc -l <"$work/conc.out")))
    failed=$((failed + $(grep -c '"error"' "$work/conc.out")))
    [ $last = 1 ] && break
done
wait $writer
check "concurrent commits: the writer finished ($(head -c 300 "$work/conc.writer"))" test "$(cat "$work/conc.done")" = 0
check "concurrent commits: $searches searches, none failed ($failed)" test $failed -eq 0 -a $searches -ge 100
check "concurrent commits: the last search sees every article" test "$("$NSEARCH" --index "$work/conc" --all --count trade)" -ge 20000

echo "1..$n"
