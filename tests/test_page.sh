# test_page.sh — nidx serve's search page in a real browser (headless
# Chromium, Debian's chromium): hits render, a facet's link narrows them,
# hits found through another spelling of a name say so,
# an article's page shows its text, and markup inside articles never runs.
. "$srcdir/tests/cli_lib.sh"

browser=""
for b in chromium chromium-browser google-chrome; do
    command -v "$b" >/dev/null 2>&1 && browser=$b && break
done
if [ -z "$browser" ]; then
    echo "ok 1 - # SKIP Chromium is not installed (apt-get install chromium)"
    exit 0
fi

"$NIDX" --index "$idx" --quiet add "$srcdir/corpus" >/dev/null 2>&1
cat >"$work/xss.jsonl" <<'EOF'
{"id": "xss", "title": "Lighthouse <script>document.title='pwned'</script> <img src=x onerror=\"document.body.setAttribute('data-pwned','title')\">", "body": "The lighthouse body <img src=x onerror=\"document.body.setAttribute('data-pwned','body')\"> and <b>bold</b> and <a href=\"javascript:alert(1)\">a link</a>.\nA second line.", "date": "2024-05-03", "source": "Evil <i onmouseover=alert(1)>Source</i>", "lang": "en", "url": "javascript:document.body.setAttribute('data-pwned','url')"}
EOF
"$NIDX" --index "$idx" --quiet add "$work/xss.jsonl" >/dev/null 2>&1

serve_start "$work/serve.log"
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT

# The page's DOM once its script has run (a bounded virtual time: the page
# marks <body data-ready="1"> when it has rendered).
dom() {
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
        --no-first-run --user-data-dir="$work/profile" \
        --virtual-time-budget=10000 --dump-dom "$base$1" 2>/dev/null >"$work/dom"
}

dom "/?q=bayraktar"
check "the page renders (its script ran to the end)" has "$work/dom" 'data-ready="1"'
hits=$(grep -o 'class="hit"' "$work/dom" | wc -l)
check "hits render ($hits)" test "$hits" -ge 5
check "matched words highlighted" has "$work/dom" '<b>Bayraktar</b>'
check "the status says how many" has "$work/dom" 'match'
check "facets render with counts" has "$work/dom" 'data-facet="lang" data-value="sr"'
facet=$(grep -o '<a href="[^"]*" data-facet="lang" data-value="sr"' "$work/dom" | sed 's/<a href="//; s/".*//; s/&amp;/\&/g')
check "a facet links to the narrowed search ($facet)" test "$facet" = "/?q=bayraktar&lang=sr"

dom "/?q=serbia"
check "a hit found through another spelling says so" has "$work/dom" 'another spelling of serbia'
check "... and its snippet highlights that spelling" has "$work/dom" '<b>Сербии</b>'
dom "$facet"
narrowed=$(grep -o 'class="hit"' "$work/dom" | wc -l)
check "the facet narrows the hits ($hits to $narrowed)" test "$narrowed" -ge 1 -a "$narrowed" -lt "$hits"
check "narrowed: only that language" sh -c "grep -o 'class=\"meta\">[^<]*' '$work/dom' | grep -v ' · sr' | grep -q . && exit 1 || exit 0"
check "narrowed: the filter shows, removable" has "$work/dom" 'aria-label="Remove filter lang sr"'
dom "/?q=drones&sort=-date"
dates=$(grep -o 'class="meta">[0-9-]*' "$work/dom" | sed 's/.*>//' | tr '\n' ' ')
check "sorted by date: newest first ($dates)" sh -c "[ -n '$dates' ] && echo '$dates' | tr ' ' '\n' | grep . | sort -r -c"

# ---- markup inside articles never runs ----
dom "/?q=lighthouse"
check "an article with markup is found" has "$work/dom" 'class="hit"'
check "its title's <script> shows as text" has "$work/dom" "Lighthouse &lt;script&gt;document.title='pwned'&lt;/script&gt;"
check "no handler from a title, snippet or source ran" sh -c "! grep -q 'data-pwned=\"' '$work/dom'"
check "the document's title is the page's own" has "$work/dom" '<title>nidx — news archive search</title>'
check "no element came from article text" sh -c "! grep -q '<img src=\"x\"' '$work/dom' && ! grep -q '<script>document' '$work/dom' && ! grep -q '<i onmouseover' '$work/dom'"
dom "/?article=xss"
check "the article's page shows its body" has "$work/dom" 'The lighthouse body &lt;img src=x onerror='
check "the article's page: no handler ran" sh -c "! grep -q 'data-pwned=\"' '$work/dom'"
check "the article's page: a javascript: url is not a link" sh -c "! grep -q '<a href=\"javascript' '$work/dom'"
check "the article's page: line breaks kept" has "$work/dom" 'A second line.'
dom "/?q=drones%20CD:UK"
check "a malformed query: its position said once ($(grep -o 'unknown field[^<]*' "$work/dom" | head -c 200))" sh -c "grep -q 'at position 8)' '$work/dom' && ! grep -q 'at character' '$work/dom'"
dom "/?article=no-such-id"
check "an unknown article: the error shown" has "$work/dom" 'no article has the id no-such-id'

# Part of the archive down (a shard on a machine that refuses): the page
# says so beside the counts, as the JSON does with "shards_failed".
kill $pid 2>/dev/null
wait $pid 2>/dev/null
for s in "$idx"/shard*; do printf 'auto %s\n' "$(basename "$s")"; done >"$work/stub"
{ cat "$work/stub"; echo "remote 127.0.0.1:1"; } >"$idx/XAPIANDB"
serve_start "$work/serve2.log"
dom "/?q=bayraktar"
check "a shard down: the page says part of the archive did not answer" has "$work/dom" 'Part of the archive did not answer: 1 shard is left out'
