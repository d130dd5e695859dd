# test_page.sh — nidx serve's search page: rendered by the server (curl and
# a browser with scripts off see every hit, facet and page link), its
# script driven as a reader would (links without reloads, back, the form),
# laid out
# in headless Chromium (Debian's chromium) at a desktop and a phone width
# (on a phone the hits come first and the facets fold behind one control;
# Arabic and Hebrew read right to left), readable details (dates, untitled
# articles, facets by count with "More", one error message), and markup
# inside articles never running, with scripts on and off.
. "$srcdir/tests/cli_lib.sh"

browser=""
for b in chromium chromium-browser google-chrome; do
    command -v "$b" >/dev/null 2>&1 && browser=$b && break
done

"$NIDX" --index "$idx" --quiet add "$srcdir/corpus" >/dev/null 2>&1
cat >"$work/xss.jsonl" <<'JSONL'
{"id": "xss", "title": "Lighthouse <script>document.title='pwned'</script> <img src=x onerror=\"document.body.setAttribute('data-pwned','title')\">", "body": "The lighthouse body <img src=x onerror=\"document.body.setAttribute('data-pwned','body')\"> and <b>bold</b> and <a href=\"javascript:alert(1)\">a link</a>.\nA second line.", "date": "2024-05-03", "source": "Evil <i onmouseover=alert(1)>Source</i>", "lang": "en", "url": "javascript:document.body.setAttribute('data-pwned','url')"}
{"id": "untitled", "body": "Harbour cranes stood idle on Tuesday as the dockers of the northern quay walked out over the new shift rota, and ships queued offshore.", "date": "2023-11-07", "source": "Quay Post", "lang": "en"}
JSONL
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
    printf '{"id": "kiosk-%s", "title": "Kiosk report %s", "body": "The kiosk zebrafish column number %s.", "date": "2021-%s-01", "source": "Kiosk Paper %s", "lang": "en"}\n' "$i" "$i" "$i" "$i" "$i"
done >>"$work/xss.jsonl"
"$NIDX" --index "$idx" --quiet add "$work/xss.jsonl" >/dev/null 2>&1

serve_start "$work/serve.log"
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT

# ---- the server's page, as curl (or a crawler) gets it ----
get() { curl -s -o "$work/page" -w '%{http_code}' "$base$1"; }
code=$(get "/?q=bayraktar")
hits=$(grep -o 'class="hit"' "$work/page" | wc -l)
check "GET /?q= is a complete page from the server ($code, $hits hits)" test "$code" = 200 -a "$hits" -ge 5
check "... with the query in the form" has "$work/page" 'name="q" type="search" dir="auto" autocomplete="off" placeholder="[^"]*" value="bayraktar"'
check "... matched words highlighted" has "$work/page" '<b>Bayraktar</b>'
check "... the count said exactly when counted (12 matches)" has "$work/page" '>12 matches; showing 1–10<'
check "... facets are links to the narrowed search" has "$work/page" '<a href="/?q=bayraktar&amp;lang=sr" data-facet="lang" data-value="sr">'
check "... languages by name" has "$work/page" '<span class="value" dir="auto">Serbian</span>'
check "... a next page, linked" has "$work/page" '<a rel="next" href="/?q=bayraktar&amp;offset=10">'
get "/?q=bayraktar&offset=10" >/dev/null
check "the next page: hits 11-12 and a link back" sh -c "grep -q 'showing 11–12' '$work/page' && grep -q '<a rel=\"prev\" href=\"/?q=bayraktar\">' '$work/page'"
get "/?q=bayraktar&lang=sr" >/dev/null
check "a facet's address narrows the hits, the filter removable" sh -c "grep -q 'aria-label=\"Remove filter lang sr\"' '$work/page' && ! grep -q '<span class=\"lang\">[^s]' '$work/page'"
check "... and the form keeps the filter for a new query" has "$work/page" '<input type="hidden" name="lang" value="sr">'
get "/?q=drones&sort=-date" >/dev/null
dates=$(grep -o '<time datetime="[0-9-]*"' "$work/page" | sed 's/.*="//; s/"//' | tr '\n' ' ')
check "sorted by date: newest first ($dates)" sh -c "[ -n '$dates' ] && echo '$dates' | tr ' ' '\n' | grep . | sort -r -c"
check "... the order chosen in the form" has "$work/page" '<option value="-date" selected>'
check "dates read as dates, the ISO value in the markup" has "$work/page" '<time datetime="2022-03-20">20 March 2022</time>'
get "/?q=koper%20strike" >/dev/null
check "facets counting copies that the total folds: the page says which is which" has "$work/page" '<p class="basis">Counts of articles: 4 match, republished copies included.</p>'
get "/?q=harbour%20cranes" >/dev/null
check "an untitled article shows its first words" has "$work/page" '>Harbour cranes stood idle on Tuesday as the dockers of the northern…</a>'
get "/?q=zebrafish" >/dev/null
sources=$(grep -o 'data-facet="source"' "$work/page" | wc -l)
check "a long facet shows ten values ($sources) and a More link" sh -c "[ $sources -eq 10 ] && grep -q '<a href=\"/?q=zebrafish&amp;more=source\">More (12)</a>' '$work/page'"
get "/?q=zebrafish&more=source" >/dev/null
sources=$(grep -o 'data-facet="source"' "$work/page" | wc -l)
check "... which shows them all ($sources)" test "$sources" -eq 12
check "months newest first" sh -c "grep -o 'data-facet=\"month\" data-value=\"[0-9-]*' '$work/page' | sed 's/.*\"//' | sort -r -c"
code=$(get "/?q=drones%20CD:UK")
check "a malformed query: 400, its position said once ($code)" sh -c "[ $code = 400 ] && [ \$(grep -o 'position' '$work/page' | wc -l) = 1 ] && grep -q 'at position 8)' '$work/page'"
code=$(get "/?q=drones&langs=xx")
check "a parameter that cannot be right: 400 naming it ($code)" sh -c "[ $code = 400 ] && grep -q 'langs: &#39;xx&#39; is not an ISO 639 language code' '$work/page'"
code=$(get "/?q=drones&colour=red")
check "an unknown parameter: 400 listing the accepted ones ($code)" sh -c "[ $code = 400 ] && grep -q 'unknown parameter &#39;colour&#39;: the page takes q, lang, source' '$work/page'"
code=$(get "/?q=drones&limit=101")
check "the page shows at most 100 hits ($code)" sh -c "[ $code = 400 ] && grep -q 'limit: the page shows at most 100 hits' '$work/page'"
code=$(get "/?article=no-such-id")
check "an unknown article: 404 and the message ($code)" sh -c "[ $code = 404 ] && grep -q 'no article has the id no-such-id' '$work/page'"
code=$(get "/?q=%20%20")
check "a query of spaces: the welcome, not an error ($code)" sh -c "[ $code = 200 ] && grep -q 'articles in the archive. Type words to search' '$work/page'"
code=$(get "/?lang=ar")
check "filters without words list the articles ($code)" sh -c "[ $code = 200 ] && grep -q '>4 matches; showing 1–4<' '$work/page'"
get "/?q=lang:ar%20OR%20lang:he" >/dev/null
check "Arabic hits carry their direction (dir=rtl)" sh -c "grep -q '<h3 lang=\"ar\" dir=\"rtl\">' '$work/page' && grep -q '<p class=\"snippet\" lang=\"ar\" dir=\"rtl\">' '$work/page'"
check "... and Hebrew ones" has "$work/page" '<h3 lang="he" dir="rtl">'
get "/?article=ar-2022-10-harakat" >/dev/null
check "an Arabic article's page: right to left" has "$work/page" '<article id="article" lang="ar" dir="rtl">'
get "/?q=lighthouse" >/dev/null
check "article markup is escaped by the server" sh -c "grep -q \"Lighthouse &lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;\" '$work/page' && ! grep -q '<img src=x' '$work/page' && ! grep -q '<i onmouseover' '$work/page'"
get "/?article=xss" >/dev/null
check "an article page escapes its body; a javascript: url is no link" sh -c "grep -q 'The lighthouse body &lt;img src=x onerror=' '$work/page' && ! grep -q 'href=\"javascript' '$work/page'"
check "the page's CSP forbids inline script" sh -c "curl -sI '$base/?q=x' | grep -qi \"content-security-policy: default-src 'none'; script-src 'self'\""

if [ -z "$browser" ]; then
    echo "ok $((n + 1)) - # SKIP Chromium is not installed (apt-get install chromium): the page in a browser"
    exit 0
fi

# ---- in a browser ----
# The page's DOM after a bounded virtual time; with scripts on, the page
# marks <body data-ready="1"> when its script has run.
dom() { # ADDRESS [WIDTH,HEIGHT] [chromium options...]
    address=$1 size=${2:-1280,900}
    shift
    [ $# -gt 0 ] && shift
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
        --no-first-run --user-data-dir="$work/profile" --hide-scrollbars \
        --window-size="$size" "$@" \
        --virtual-time-budget=10000 --dump-dom "$address" 2>/dev/null >"$work/dom"
}
# Scripts off: Chromium's --dump-dom needs scripts, so the page is the
# server's with its script taken out, loaded from a file (and so without
# the CSP header either: article markup that got through would run).
nojs() { # ADDRESS [WIDTH,HEIGHT]
    curl -s "$base$1" | sed -e "s|<head>|<head><base href=\"$base/\">|" \
        -e "s|<script src=\"/app.js\" defer></script>||" >"$work/nojs.html"
    dom "file://$work/nojs.html" "${2:-1280,900}"
}

dom "$base/?q=bayraktar"
check "scripts on: the page renders and its script runs" has "$work/dom" 'data-ready="1"'
check "scripts on: hits and highlights" sh -c "[ \$(grep -o 'class=\"hit\"' '$work/dom' | wc -l) -ge 5 ] && grep -q '<b>Bayraktar</b>' '$work/dom'"
check "scripts on: the count exact when counted, dates and languages in words" sh -c "grep -q '>12 matches; showing 1–10<' '$work/dom' && grep -q '<time datetime=\"2022-04-03\">3 April 2022</time>' '$work/dom' && grep -q '>Serbian</span>' '$work/dom'"
nojs "/?q=bayraktar"
check "scripts off: the same hits, facets and pages" sh -c "[ \$(grep -o 'class=\"hit\"' '$work/dom' | wc -l) -ge 5 ] && grep -q 'data-facet=\"lang\"' '$work/dom' && grep -q 'rel=\"next\"' '$work/dom' && ! grep -q 'data-ready' '$work/dom'"
check "scripts off: the count, dates and languages the same" sh -c "grep -q '>12 matches; showing 1–10<' '$work/dom' && grep -q '<time datetime=\"2022-04-03\">3 April 2022</time>' '$work/dom' && grep -q '>Serbian</span>' '$work/dom'"
dom "$base/?q=zebrafish" 390,844
check "phone, scripts on: ten sources and a More link" sh -c "[ \$(grep -o 'data-facet=\"source\"' '$work/dom' | wc -l) -eq 10 ] && grep -q '>More (12)</a>' '$work/dom'"
dom "$base/?q=serbia"
check "a hit found through another spelling says so" has "$work/dom" 'another spelling of serbia'
check "... and its snippet highlights that spelling" has "$work/dom" '<b>Сербии</b>'
for mode in on off; do
    if [ $mode = on ]; then dom "$base/?q=lighthouse"; else nojs "/?q=lighthouse"; fi
    check "scripts $mode: no handler from a title, snippet or source ran" sh -c "! grep -q 'data-pwned=\"' '$work/dom' && grep -q '<title>lighthouse — nidx' '$work/dom'"
    if [ $mode = on ]; then dom "$base/?article=xss"; else nojs "/?article=xss"; fi
    check "scripts $mode: the article's page shows its body as text" sh -c "grep -q 'The lighthouse body &lt;img src=x onerror=' '$work/dom' && grep -q 'A second line.' '$work/dom' && ! grep -q 'data-pwned=\"' '$work/dom'"
done

# The script, driven as a reader would (tests/page_drive: the DevTools
# protocol on a pipe): links, facets, the form and the order move without
# a reload (window.kept survives), and the back button returns.
drive() { # NAME WIDTH,HEIGHT ADDRESS STEP...
    name=$1 size=$2 address=$3
    shift 3
    if timeout 120 "$builddir/tests/page_drive" "$browser" "$size" "$base$address" \
        "wait:document.body.dataset.ready === '1'" "do:window.kept = 42" "$@" 2>"$work/drive"; then
        ok "scripts on: $name"
    else
        not_ok "scripts on: $name ($(cat "$work/drive"))"
    fi
}
status_is() { echo "/$1/.test(document.getElementById('status').textContent)"; }
drive "Next moves without a reload, Back returns" 1280,900 "/?q=bayraktar" \
    "do:document.querySelector('a[rel=next]').click()" \
    "wait:location.search === '?q=bayraktar&offset=10' && $(status_is 'showing 11–12') && window.kept === 42" \
    "do:history.back()" \
    "wait:location.search === '?q=bayraktar' && $(status_is 'showing 1–10') && window.kept === 42"
drive "a facet narrows without a reload" 1280,900 "/?q=bayraktar" \
    "do:document.querySelector('a[data-facet=lang][data-value=sr]').click()" \
    "wait:location.search === '?q=bayraktar&lang=sr' && $(status_is '^2 matches') && !!document.querySelector('[aria-label=\"Remove filter lang sr\"]') && window.kept === 42"
drive "the form searches, keeping the filter; a new order searches at once" 1280,900 "/?q=bayraktar&lang=sr" \
    "do:document.getElementById('q').value = 'drones'; document.getElementById('search').requestSubmit()" \
    "wait:location.search === '?q=drones&lang=sr' && window.kept === 42" \
    "do:const s = document.getElementById('sort'); s.value = '-date'; s.dispatchEvent(new Event('change', {bubbles: true}))" \
    "wait:location.search === '?q=drones&sort=-date&lang=sr' && document.getElementById('sort').value === '-date' && window.kept === 42"
drive "/ goes to the search box" 1280,900 "/?q=bayraktar" \
    "do:document.body.dispatchEvent(new KeyboardEvent('keydown', {key: '/', bubbles: true}))" \
    "wait:document.activeElement.id === 'q'"
drive "an article, and its Back link returns to the hits" 390,844 "/?q=bayraktar" \
    "do:document.querySelector('.hit h3 a').click()" \
    "wait:location.search.startsWith('?article=') && !!document.querySelector('#article .body') && window.kept === 42" \
    "do:document.querySelector('a.back').click()" \
    "wait:location.search === '?q=bayraktar' && document.querySelectorAll('.hit').length === 10"
drive "phone: the facets unfold from their control" 390,844 "/?q=bayraktar" \
    "wait:document.querySelector('#facets .lists').offsetHeight === 0" \
    "do:document.querySelector('.fold-label').click()" \
    "wait:document.querySelector('#facets .lists').offsetHeight > 100"

# Layout: the server's page with its script replaced by a probe that
# measures where things are (a copy of the page, loaded from a file: the
# probe is no part of the product).
cat >"$work/probe.js" <<'JS'
const box = (e) => e ? e.getBoundingClientRect() : {top: -1, left: -1, right: -1, height: 0};
const hit = document.querySelector('.hit');
const lists = document.querySelector('#facets .lists');
const fold = document.querySelector('.fold-label');
const rtl = document.querySelector('.hit h3[dir=rtl]');
const out = {
  hit_top: Math.round(box(hit).top), hit_left: Math.round(box(hit).left),
  lists_height: Math.round(box(lists).height), lists_left: Math.round(box(lists).left),
  fold_height: Math.round(box(fold).height), view: innerHeight,
  rtl: rtl ? getComputedStyle(rtl).direction : 'none',
  rtl_flush_right: rtl ? Math.round(box(rtl).right - box(rtl.querySelector('a')).right) : -1,
};
document.body.setAttribute('data-probe', Object.entries(out).map(([k, v]) => k + '=' + v).join(' '));
JS
probe() { # ADDRESS WIDTH,HEIGHT: sets $probe
    curl -s "$base$1" | sed -e "s|<head>|<head><base href=\"$base/\">|" \
        -e "s|<script src=\"/app.js\" defer></script>||" \
        -e "s|</body>|<script src=\"file://$work/probe.js\"></script></body>|" >"$work/probe.html"
    dom "file://$work/probe.html" "$2" --allow-file-access-from-files
    probe=$(grep -o 'data-probe="[^"]*"' "$work/dom")
}
val() { echo "$probe" | tr ' "' '\n\n' | sed -n "s/^$1=//p"; }
probe "/?q=lang:ar%20OR%20lang:he" 1280,900
check "desktop: facets beside the hits ($probe)" sh -c "[ $(val lists_height) -gt 100 ] && [ $(val lists_left) -lt $(val hit_left) ] && [ $(val fold_height) = 0 ]"
check "desktop: an Arabic title runs right to left, flush right" sh -c "[ '$(val rtl)' = rtl ] && [ $(val rtl_flush_right) -le 1 ]"
probe "/?q=lang:ar%20OR%20lang:he" 390,844
check "phone: the hits come first, facets folded behind one control ($probe)" sh -c "[ $(val lists_height) = 0 ] && [ $(val fold_height) -gt 0 ] && [ $(val fold_height) -lt 60 ] && [ $(val hit_top) -lt 300 ]"
check "phone: an Arabic title runs right to left" test "$(val rtl)" = rtl
probe "/?q=bayraktar" 390,844
check "phone: Latin and Cyrillic hits on the first screen ($probe)" sh -c "[ $(val hit_top) -lt 300 ] && [ '$(val rtl)' = none ]"

# Part of the archive down (a shard on a machine that refuses): the page
# says so beside the counts, as the JSON does with "shards_failed".
kill $pid 2>/dev/null
wait $pid 2>/dev/null
for s in "$idx"/shard*; do printf 'auto %s\n' "$(basename "$s")"; done >"$work/stub"
{ cat "$work/stub"; echo "remote 127.0.0.1:1"; } >"$idx/XAPIANDB"
serve_start "$work/serve2.log"
dom "$base/?q=bayraktar"
check "a shard down: the page says part of the archive did not answer" has "$work/dom" 'Part of the archive did not answer: 1 shard is left out'
