# test_warc.sh — web archives as crawlers write them: WARC 1.0's bracketed
# URIs, a crawler's own records (warcinfo, request, its log and arguments
# under metadata:// URIs), revisit records, records gzipped one by one,
# chunked bodies. Hand-made archives always; one made by wget itself,
# crawling pages served on loopback, when wget and python3 are there.
. "$srcdir/tests/cli_lib.sh"

# warc_record TYPE URI CONTENT-TYPE BLOCK-FILE [EXTRA-HEADER-LINES]: one
# WARC/1.0 record on standard output, URIs in brackets as 1.0 has them.
warc_record() {
    printf 'WARC/1.0\r\nWARC-Type: %s\r\nWARC-Target-URI: <%s>\r\nWARC-Date: 2024-02-0%sT08:00:00Z\r\n%bContent-Type: %s\r\nContent-Length: %s\r\n\r\n' \
        "$1" "$2" "${6:-1}" "${5:-}" "$3" "$(wc -c <"$4")"
    cat "$4"
    printf '\r\n\r\n'
}
http_page() { # TITLE TEXT: an HTTP response holding an HTML page
    printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><head><title>%s</title></head><body><p>%s</p></body></html>' "$1" "$2"
}

# ---- revisits, by hand: the capture earlier in the same file ----
w="$work/rv"
mkdir -p "$w"
http_page "Tram line opens" "The new tram line to the airport carries its first passengers tramwayword." >"$w/b1"
printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n' >"$w/b2" # a revisit's block: headers only
{
    warc_record warcinfo "" application/warc-fields "$w/b2"
    warc_record response "https://city.example/tram" "application/http; msgtype=response" "$w/b1" \
        'WARC-Record-ID: <urn:uuid:0001>\r\nWARC-Payload-Digest: sha1:TRAMTRAMTRAM\r\n'
    # The same page again: nothing new.
    warc_record revisit "https://city.example/tram" "application/http; msgtype=response" "$w/b2" \
        'WARC-Record-ID: <urn:uuid:0002>\r\nWARC-Refers-To: <urn:uuid:0001>\r\nWARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest\r\n' 3
    # The same payload at another URI, named by its record id ...
    warc_record revisit "https://city.example/news/tram-opens" "application/http; msgtype=response" "$w/b2" \
        'WARC-Record-ID: <urn:uuid:0003>\r\nWARC-Refers-To: <urn:uuid:0001>\r\nWARC-Refers-To-Target-URI: <https://city.example/tram>\r\n' 4
    # ... and by its payload digest alone.
    warc_record revisit "https://mirror.example/tram" "application/http; msgtype=response" "$w/b2" \
        'WARC-Record-ID: <urn:uuid:0004>\r\nWARC-Payload-Digest: sha1:TRAMTRAMTRAM\r\n' 5
    # A capture in another file.
    warc_record revisit "https://city.example/bus" "application/http; msgtype=response" "$w/b2" \
        'WARC-Record-ID: <urn:uuid:0005>\r\nWARC-Refers-To: <urn:uuid:9999>\r\n' 6
    # A crawler's own log, as wget stores it.
    printf 'Resolving city.example... tramwayword in the log\n' >"$w/log"
    warc_record resource "metadata://gnu.org/software/wget/warc/wget.log" text/plain "$w/log"
} >"$w/rv.warc"
# The same, each record its own gzip member.
awk 'BEGIN { RS = "WARC/1.0\r\n"; ORS = "" } NR > 1 { f = sprintf("'"$w"'/part%03d", NR); printf "WARC/1.0\r\n%s", $0 > f; close(f) }' "$w/rv.warc"
for p in "$w"/part*; do gzip -c "$p"; done >"$w/rv.warc.gz"
check "the hand-made archive has its records gzipped one by one" test "$(ls "$w"/part* | wc -l)" = 7

for f in "$w/rv.warc" "$w/rv.warc.gz"; do
    arc=$(basename "$f")
    rm -rf "$work/rix"
    "$NIDX" --index "$work/rix" add "$f" >"$work/out" 2>"$work/err"
    check "$arc: the capture and two revisits at other URIs are articles" has "$work/out" "^3 added, 0 replaced, 0 skipped"
    check "$arc: the revisit of a capture elsewhere is said once, at the end" sh -c "test \$(wc -l <'$work/err') = 1 && grep -q '$arc: 1 revisit records refer to captures in other files (WARC-Refers-To)' '$work/err'"
    "$NSEARCH" --index "$work/rix" --json --no-snippets --all --sort date tramwayword >"$work/q"
    check "$arc: URIs bare, without WARC 1.0's brackets" test "$(ids "$work/q" | tr '\n' ' ')" = "https://city.example/tram https://city.example/news/tram-opens https://mirror.example/tram "
    check "$arc: a revisit's page has its own url and its WARC-Date" has "$work/q" '"id":"https://mirror.example/tram","score":[0-9.]*,"title":"Tram line opens","date":"2024-02-05T08:00:00Z","source":"mirror.example","lang":"en","url":"https://mirror.example/tram"'
    check "$arc: the crawler's log is no article" test "$("$NSEARCH" --index "$work/rix" --count 'resolving')" = 0
    check "$arc: found by its real URL" test "$("$NSEARCH" --index "$work/rix" --count 'id:"https://city.example/news/tram-opens"')" = 1
done

# ---- a crawl by wget itself ----
if ! command -v wget >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
    for _ in $(seq 1 13); do ok "a crawl by wget # SKIP wget or python3 not installed"; done
    echo "1..$n"
    exit 0
fi
site="$work/site"
mkdir -p "$site/news"
cat >"$site/index.html" <<'EOF'
<html><head><title>Harbour Gazette</title></head><body>
<p>Front page of the harbour gazette, with today's stories.</p>
<a href="news/ferry.html">Ferry</a> <a href="news/cranes.html">Cranes</a>
<a href="news/cranes-copy.html">Cranes again</a> <a href="notes.txt">Notes</a>
<a href="news/missing.html">Missing</a>
</body></html>
EOF
cat >"$site/news/ferry.html" <<'EOF'
<html><head><title>Night ferry returns</title><meta name="date" content="2024-03-02"></head>
<body><article><p>The night ferry to the islands returns for the summer ferrywordx season.</p></article></body></html>
EOF
cat >"$site/news/cranes.html" <<'EOF'
<html><head><title>Cranes at work</title></head>
<body><article><p>The harbour cranes unload container ships again craneswordx after the strike.</p></article></body></html>
EOF
cp "$site/news/cranes.html" "$site/news/cranes-copy.html"
printf 'Timetable notes\nThe winter timetable starts in November notesword.\n' >"$site/notes.txt"

# The server on a free loopback port: it prints the port it took.
(cd "$site" && exec python3 -u -m http.server 0 --bind 127.0.0.1) >"$work/http.log" 2>&1 &
http_pid=$!
trap 'kill $http_pid 2>/dev/null; rm -rf "$work"' EXIT
port=""
for _ in $(seq 1 200); do
    port=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$work/http.log" | head -n 1)
    [ -n "$port" ] && break
    kill -0 $http_pid 2>/dev/null || break
    sleep 0.05
done
check "a page server on loopback ($(head -c 200 "$work/http.log"))" test -n "$port"
root="http://127.0.0.1:$port"
crawl() { # NAME [WGET OPTIONS]: a recursive crawl into $work/NAME.warc.gz
    crawl_name=$1
    shift
    (cd "$work" && wget -q -r -l 2 --no-directories --delete-after -e robots=off \
        --tries=1 --timeout=10 --warc-file="$crawl_name" "$@" "$root/") >/dev/null 2>&1
    test -s "$work/$crawl_name.warc.gz"
}
check "wget --warc-file writes an archive" crawl wg1 --warc-cdx
check "wget's archive holds its own records (warcinfo, the log)" sh -c "gzip -dc '$work/wg1.warc.gz' | grep -aq 'metadata://gnu.org/software/wget/warc/wget.log'"
"$NIDX" --index "$work/wix" add "$work/wg1.warc.gz" >"$work/out" 2>"$work/err"
check "wget's crawl: the five pages are articles, nothing else ($(cat "$work/out" "$work/err" | head -c 300))" has "$work/out" "^5 added, 0 replaced, 0 skipped"
check "wget's crawl: nothing reported" test ! -s "$work/err"
"$NSEARCH" --index "$work/wix" --json --no-snippets ferrywordx >"$work/q"
check "wget's crawl: id and url are the bare URI" has "$work/q" "\"id\":\"$root/news/ferry.html\",.*\"url\":\"$root/news/ferry.html\""
check "wget's crawl: wget's arguments and log are no articles" test "$("$NSEARCH" --index "$work/wix" --count 'warc OR wget OR robots')" = 0
check "wget's crawl: a plain text page" test "$("$NSEARCH" --index "$work/wix" --count notesword)" = 1
# Served: the article is found by its real URL.
idx="$work/wix"
serve_start "$work/serve.log"
enc=$(printf '%s' "$root/news/ferry.html" | sed 's|:|%3A|g; s|/|%2F|g')
code=$(curl -s -o "$work/art" -w '%{http_code}' "$base/articles/$enc")
check "nidx serve: /articles/{the page's URL} answers ($code)" test "$code" = 200
check "nidx serve: ... with the page" has "$work/art" "Night ferry returns"
kill $pid
wait $pid 2>/dev/null

# A second crawl deduplicated against the first: unchanged pages become
# revisit records of captures in the first file; a changed page is new.
sed -i 's/again craneswordx/again craneswordx and a new line/' "$site/news/cranes.html"
check "wget --warc-dedup writes revisit records" sh -c "cd '$work' && wget -q -r -l 2 --no-directories --delete-after -e robots=off --tries=1 --timeout=10 --warc-file=wg2 --warc-dedup=wg1.cdx '$root/' >/dev/null 2>&1; gzip -dc wg2.warc.gz | grep -aq 'WARC-Type: revisit'"
"$NIDX" --index "$work/wix" add "$work/wg2.warc.gz" >"$work/out" 2>"$work/err"
check "the second crawl: the changed page replaces its article, revisits add none ($(cat "$work/out" "$work/err" | head -c 300))" has "$work/out" "^0 added, 1 replaced, 0 skipped"
check "the second crawl: its revisits of the first file are said once" sh -c "test \$(wc -l <'$work/err') = 1 && grep -q 'revisit records refer to captures in other files' '$work/err'"
echo "1..$n"
