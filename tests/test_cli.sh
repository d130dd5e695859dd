#!/bin/sh
# test_cli.sh — end-to-end tests of nidx and nsearch on corpus/ and on bad
# input, printing TAP lines.
. "${srcdir:-.}/tests/cli_lib.sh"

# ---- indexing corpus/ ----
"$NIDX" --index "$idx" add "$srcdir/corpus" >"$work/out" 2>"$work/err"
check "nidx add corpus/ exits 0" test $? -eq 0
check "summary counts the added articles" has "$work/out" "^52 added, 0 replaced, 0 skipped from 13 files"
check "nothing is reported on stderr" test ! -s "$work/err"

"$NSEARCH" --index "$idx" --json Bayraktar Serbia >"$work/json"
check "nsearch exits 0 when there are hits" test $? -eq 0
first=$(ids "$work/json" | head -n 1)
check "Bayraktar Serbia: an article about Serbia ranks first ($first)" \
    sh -c "echo '$first' | grep -q serbia"
check "JSON: query, total and hits in order" has "$work/json" '^{"query":"Bayraktar Serbia","total":[0-9]*,"hits":\['
check "JSON: every hit key, in order" has "$work/json" '{"rank":1,"id":"[^"]*","score":[0-9.]*,"title":"[^"]*","date":[^,]*,"source":[^,]*,"lang":[^,]*,"url":[^,]*,"snippet":"'
check "JSON: matched words in <b>" has "$work/json" '<b>Bayraktar</b>'

"$NSEARCH" --index "$idx" Bayraktar Serbia >"$work/text"
check "text output: rank and title" has "$work/text" "^1\. Serbia weighs buying Turkish Bayraktar TB2 drones"
check "text output: date, source and id line" has "$work/text" "2022-03-15 · Балканский вестник · ru-2022-03-serbia"

total_before=$(grep -o '"total":[0-9]*' "$work/json")
"$NIDX" --index "$idx" --force add "$srcdir/corpus" >"$work/out" 2>&1
check "adding again (--force) replaces: no duplicates" has "$work/out" "^0 added, 52 replaced"
"$NSEARCH" --index "$idx" --json Bayraktar Serbia >"$work/json2"
check "same matches after re-adding" test "$total_before" = "$(grep -o '"total":[0-9]*' "$work/json2")"

# ---- scripts and phrases ----
for q in 塞尔维亚 Šabac Шапцу "İzmir'deki" Köln Қазақстан セルビア 서울에서 กรุงเทพมหานคร صربيا; do
    "$NSEARCH" --index "$idx" --json "$q" >"$work/q" 2>&1
    check "finds '$q'" has "$work/q" '"rank":1'
done
"$NSEARCH" --index "$idx" --json '"cup final"' >"$work/q"
check "a phrase finds its article" test "$(ids "$work/q")" = "$(realpath "$srcdir/corpus/en/football-final.txt")"
"$NSEARCH" --index "$idx" --json '"final cup"' >"$work/q"
check "a phrase in the wrong order finds nothing" test $? -eq 1

# ---- multilingual matching, capability by capability: each query must
# find the article named (typed as a reader would, in any script) ----
while IFS='|' read -r q want; do
    "$NSEARCH" --index "$idx" --json --limit 3 "$q" >"$work/q" 2>&1
    check "'$q' finds $want" has "$work/q" "\"id\":\"$want\""
done <<'QUERIES'
Sabac|sr-latn-2022-07-sabac
Шабац|sr-latn-2022-07-sabac
ŠABAC|sr-latn-2022-07-sabac
Izmir|tr-2022-08-izmir
İZMİR|tr-2022-08-izmir
izmir'deki|tr-2022-08-izmir
Turkiye|tr-2022-03-baykar
Europe|fr-2022-03-drones
Malaga|fr-2022-06-malaga
Koln|de-2022-11-koeln
KÖLN|de-2022-11-koeln
서울|ko-2022-05-market
國防部|zh-2022-03-serbia
無人機|zh-2022-03-serbia
беспилотник|ru-2022-03-serbia
Москве|ru-2022-06-moscow-metro
طائرات|ar-2022-03-serbia
Drohne|de-2022-03-drohnen
chinois|fr-2022-03-drones
Αθηνα|el-2022-05-athens
ΑΘΗΝΑΣ|el-2022-05-athens
שלום|he-2022-06-niqqud
הנמל|he-2022-06-haifa
क़ानून|hi-2022-07-qanoon
unione|it-2022-04-unione
Ucraina|ca-2022-03-ucraina
Ucraïna|ca-2022-03-ucraina
п'ять|uk-2022-09-apostrophe
пʼять|uk-2022-09-apostrophe
м’ясокомбінат|uk-2022-09-apostrophe
مكتبة|ar-2022-10-harakat
مَكْتَبَةٌ|ar-2022-10-harakat
الصحة|ar-2022-10-tatweel
ابراهيمية|ar-2022-10-tatweel
Ankara|tr-2022-11-ankara
AKP|tr-2022-11-ankara
ısınma|tr-2022-11-ankara
台北市|zh-hant-2022-12-taipei
预算|zh-hant-2022-12-taipei
ドローン|ja-2022-12-hankaku
ﾄﾞﾛｰﾝ|ja-2022-03-drone
กรุงเทพ|th-2022-07-bangkok
เทพมหา|th-2022-07-bangkok
นนทบุรี|th-2022-12-market
ตลาด|th-2022-12-market
elecciones|es-2022-08-elecciones
Cordoba|es-2022-08-elecciones
QUERIES
"$NSEARCH" --index "$idx" --json --limit 1 'wheat' >"$work/q"
check "a text file's language is identified and returned" has "$work/q" '"lang":"en"'
"$NSEARCH" --index "$idx" --json 'harvests' >"$work/q"
check "... and its words are stemmed: harvests finds harvest" has "$work/q" 'wheat-harvest.txt'
"$NSEARCH" --index "$idx" --no-stemming harvests >/dev/null
check "--no-stemming matches the word's own forms only" test $? -eq 1
"$NSEARCH" --index "$idx" --json 'Málaga' >"$work/q"
check "a query with diacritics still finds the article" has "$work/q" '"id":"fr-2022-06-malaga"'

# ---- paging ----
"$NSEARCH" --index "$idx" --json --limit 3 drones >"$work/p1"
"$NSEARCH" --index "$idx" --json --limit 2 --offset 1 drones >"$work/p2"
check "--limit caps the hits" test "$(ids "$work/p1" | wc -l)" -eq 3
check "--offset pages on" test "$(ids "$work/p1" | tail -n 2)" = "$(ids "$work/p2")"
check "--offset numbers ranks from the page's start" has "$work/p2" '"rank":2,'

# ---- sorting and counting ----
"$NSEARCH" --index "$idx" --json --sort -date --limit 20 drones >"$work/q"
dates=$(grep -o '"date":[^,]*' "$work/q" | sed 's/"date"://' | tr '\n' ' ')
check "--sort -date: newest first, undated last ($dates)" \
    test "$dates" = '"2022-03-20" "2022-03-18" "2022-03-17" null null null '
"$NSEARCH" --index "$idx" --json --sort date --limit 20 drones >"$work/q"
dates=$(grep -o '"date":[^,]*' "$work/q" | sed 's/"date"://' | tr '\n' ' ')
check "--sort date: oldest first, undated last ($dates)" \
    test "$dates" = '"2022-03-17" "2022-03-18" "2022-03-20" null null null '
check "--count prints the exact number alone" test "$("$NSEARCH" --index "$idx" --count drones)" = 6
"$NSEARCH" --index "$idx" --json --count drones >"$work/q"
check "--json --count: the exact total, no hits" has "$work/q" '^{"query":"drones","total":6,"hits":\[\],"suggestion":null,"total_exact":true,"offset":0,"revision":[0-9]*}$'
"$NSEARCH" --index "$idx" --count zzyzxnotaword >/dev/null
check "--count of nothing: exit 1" test $? -eq 1
"$NSEARCH" --index "$idx" --json --facets --limit 1 Bayraktar >"$work/q"
check "--facets: months in calendar order, with counts" has "$work/q" '"month":{"2022-03":7,"2022-04":1,"2022-05":1}'
check "--facets: languages, given or identified, most frequent first" has "$work/q" '"lang":{"en":3,"sr":2,'
check "--facets: sources" has "$work/q" '"source":{[^}]*"Novosadski list":1'
"$NSEARCH" --index "$idx" --json --facets --count "Bayraktar Serbia" >"$work/q"
total=$(grep -o '"total":[0-9]*' "$work/q" | cut -d: -f2)
langs=$(grep -o '"lang":{[^}]*}' "$work/q" | grep -o ':[0-9]*' | tr -d : | awk '{s += $1} END {print s}')
check "--facets count both tiers: languages add up to the exact total ($langs of $total)" test "$langs" = "$total"
"$NSEARCH" --index "$idx" --facets --limit 1 Bayraktar >"$work/q"
check "--facets on a terminal: one line a facet" has "$work/q" '^month: 2022-03 7, 2022-04 1, 2022-05 1$'
"$NSEARCH" --index "$idx" --sort newest drones >/dev/null 2>&1
check "--sort with an unknown order: exit 2" test $? -eq 2

# ---- exit codes ----
"$NSEARCH" --index "$idx" zzyzxnotaword >/dev/null 2>&1
check "no hits: exit 1" test $? -eq 1
"$NSEARCH" --index "$work/none" drones >/dev/null 2>"$work/err"
check "missing index: exit 2" test $? -eq 2
check "missing index: the message names it" has "$work/err" "no index at $work/none"
"$NSEARCH" --index "$idx" --bogus drones >/dev/null 2>&1
check "bad option: exit 2" test $? -eq 2
"$NSEARCH" --index "$idx" --limit x drones >/dev/null 2>&1
check "bad --limit: exit 2" test $? -eq 2
"$NSEARCH" --index "$idx" '"unclosed' >/dev/null 2>"$work/err"
check "unbalanced quote: exit 2" test $? -eq 2
check "unbalanced quote: position given" has "$work/err" "position 1"
"$NIDX" --index "$idx" frobnicate x >/dev/null 2>&1
check "nidx unknown command: exit 2" test $? -eq 2

# ---- bad input: reported, the rest indexed, exit 1 ----
bad="$work/bad"
mkdir -p "$bad/sub"
printf '{"id":"good-1","title":"Alpha","body":"marmalade"}\n{"id":"broken","title":"oops\n{"id":"good-2","title":"Beta","body":"marmalade"}\n' >"$bad/mixed.jsonl"
: >"$bad/empty.txt"
printf 'PK\003\004\000\000binary' >"$bad/sub/archive.txt"
i=0; while [ $i -lt 2000 ]; do echo "{\"id\":\"gz-$i\",\"title\":\"record $i marmalade\"}"; i=$((i + 1)); done | gzip >"$work/full.gz"
head -c $(($(wc -c <"$work/full.gz") / 2)) "$work/full.gz" >"$bad/cut.jsonl.gz"
printf 'not an article' >"$bad/notes.md"
"$NIDX" --index "$work/bad-index" add "$bad" "$work/missing-path" >"$work/out" 2>"$work/err"
check "bad input: exit 1" test $? -eq 1
check "malformed JSON: file and line" has "$work/err" "mixed.jsonl:2: malformed JSON"
check "empty file named" has "$work/err" "empty.txt: empty file (file skipped)"
check "binary file named" has "$work/err" "archive.txt: binary file"
check "truncated gzip named" has "$work/err" "cut.jsonl.gz: truncated gzip data (rest of file skipped)"
check "missing path named" has "$work/err" "missing-path: No such file or directory"
check "a count of what was skipped" has "$work/err" "1 records and 4 files were skipped"
check "files of other types are ignored, not errors" has "$work/out" "1 files of other types ignored"
"$NSEARCH" --index "$work/bad-index" --json --limit 10000 marmalade >"$work/q"
got=$(ids "$work/q" | wc -l)
check "the rest of the input is indexed ($got articles)" sh -c "[ $got -gt 2 ] && grep -q good-2 '$work/q' && grep -q gz-0 '$work/q'"

# ---- a record over the 64 MB line limit: reported, the next one read ----
{
    printf '{"id":"huge","title":"'
    head -c 67200000 /dev/zero | tr '\0' a
    printf '"}\n{"id":"after-huge","title":"pangolin"}\n'
} >"$work/huge.jsonl"
"$NIDX" --index "$work/huge-index" add "$work/huge.jsonl" >"$work/out" 2>"$work/err"
check "a line over 64 MB: exit 1" test $? -eq 1
check "a line over 64 MB: file and line named" has "$work/err" "huge.jsonl:1: line longer than 64 MB (record skipped)"
"$NSEARCH" --index "$work/huge-index" --json pangolin >"$work/q"
check "the record after it is indexed" has "$work/q" '"id":"after-huge"'
rm -f "$work/huge.jsonl"

# ---- standard input, escaping, repair ----
printf '{"id":"in-1","title":"From <stdin> & pipes","body":"An article with \\"quotes\\", <b>tags</b> & ampersands about okapis."}\n' |
    "$NIDX" --index "$idx" add - >"$work/out" 2>&1
check "nidx add - reads JSON Lines from standard input" has "$work/out" "^1 added"
"$NSEARCH" --index "$idx" --json okapis >"$work/q"
check "snippet is HTML-escaped around the highlight" has "$work/q" '&lt;b&gt;tags&lt;/b&gt; &amp; ampersands about <b>okapis</b>.'
check "title comes back as stored" has "$work/q" '"title":"From <stdin> & pipes"'
printf '{"id":"latin1","title":"Caf\351 cr\350me"}\n' | "$NIDX" --index "$idx" add - >"$work/out" 2>"$work/err"
check "Latin-1 on standard input is read as such" has "$work/err" "-: not UTF-8; read as ISO-8859-1"
"$NSEARCH" --index "$idx" --json creme >"$work/q"
check "... and its words are found" has "$work/q" '"title":"Café crème"'
printf '{"id":"stray","title":"Привет мир, это тест \377 строка"}\n' | "$NIDX" --index "$idx" add - >"$work/out" 2>&1
check "a stray invalid byte in UTF-8 is repaired and reported" has "$work/out" "1 bytes of invalid UTF-8 replaced"

# ---- legacy encodings: detected, converted, reported, never mojibake ----
enc="$work/encodings"
mkdir -p "$enc"
while IFS='|' read -r charset name word text; do
    printf '%s\n\n%s\n' "$word" "$text" | iconv -f UTF-8 -t "$charset" >"$enc/$name"
done <<'TEXTS'
WINDOWS-1251|ru.txt|Москве|Жители Москвы голосовали за новый городской совет.
KOI8-R|koi8.txt|Казани|Жители города голосовали за новый совет.
ISO-8859-9|tr.txt|İzmir'de|Şehirde oy kullanıldı, sonuçlar yarın açıklanacak.
SHIFT_JIS|ja.txt|東京|東京都民は新しい知事を選ぶために投票した。
GB18030|zh.txt|北京|北京市民投票选举新的代表。
BIG5|zh-hant.txt|台北|台北市民投票選舉新的市長。
TEXTS
printf '{"id":"enc-jsonl","title":"Голосование","body":"Голосование в Москве прошло спокойно."}\n' |
    iconv -f UTF-8 -t WINDOWS-1251 >"$enc/ru.jsonl"
"$NIDX" --index "$work/enc-index" add "$enc" >"$work/out" 2>"$work/err"
check "legacy encodings: exit 0, nothing skipped" test $? -eq 0
for pair in "ru.txt|windows-1251" "koi8.txt|KOI8-R" "tr.txt|ISO-8859-9" \
    "ja.txt|Shift_JIS" "zh.txt|GB18030" "zh-hant.txt|Big5" "ru.jsonl|windows-1251"; do
    check "${pair%%|*} is reported as read from ${pair##*|}" \
        has "$work/err" "${pair%%|*}: not UTF-8; read as ${pair##*|}"
done
for word in Москве Казани İzmir 東京 北京 台北 Голосование; do
    "$NSEARCH" --index "$work/enc-index" --json "$word" >"$work/q"
    check "'$word' is found in its converted article" has "$work/q" "\"title\":\"[^\"]*$word"
done

# ---- the default index ----
NIDX_INDEX="$work/env-index" "$NIDX" add "$srcdir/corpus/en" >/dev/null 2>&1
check "NIDX_INDEX chooses the index" test -d "$work/env-index"
env -u NIDX_INDEX XDG_DATA_HOME="$work/xdg" "$NIDX" add "$srcdir/corpus/en" >/dev/null 2>&1
check "else XDG_DATA_HOME/nidx/index" test -d "$work/xdg/nidx/index"
env -u NIDX_INDEX -u XDG_DATA_HOME HOME="$work/home" "$NSEARCH" wheat >/dev/null 2>&1
check "else ~/.local/share/nidx/index (none there: exit 2)" test $? -eq 2
env -u NIDX_INDEX -u XDG_DATA_HOME HOME="$work/home" "$NIDX" add "$srcdir/corpus/en" >/dev/null 2>&1
env -u NIDX_INDEX -u XDG_DATA_HOME HOME="$work/home" "$NSEARCH" wheat >/dev/null 2>&1
check "~/.local/share/nidx/index is used by both commands" test $? -eq 0

# ---- the library exports its public API only ----
so=$(ls "$builddir"/.libs/libnidx.so.* 2>/dev/null | head -n 1)
if [ -n "$so" ] && command -v nm >/dev/null 2>&1; then
    others=$(nm -D --defined-only "$so" | awk '$2 != "A" {print $3}' | grep -v '^nidx_' | head -n 3)
    check "libnidx.so exports nidx_* only${others:+ (also: $others)}" test -z "$others"
    check "libnidx.so exports the whole public API" \
        test "$(nm -D --defined-only "$so" | grep -c ' T nidx_')" -eq "$(grep -c '^[a-z].* \**nidx_[a-z_]*(' "$srcdir/include/nidx.h")"
fi

# ---- the lock ----
mkfifo "$work/fifo"
"$NIDX" --index "$idx" add - <"$work/fifo" >"$work/first" 2>&1 &
first_pid=$!
exec 3>"$work/fifo" # keep the first writer waiting on its input
printf '{"id":"locked-1","title":"written by the first writer"}\n' >&3
sleep 1
"$NIDX" --index "$idx" add "$srcdir/corpus/en" >"$work/out" 2>"$work/err"
status=$?
check "a second writer: exit 2" test $status -eq 2
check "a second writer: 'index is locked'" has "$work/err" "index is locked"
exec 3>&-
wait $first_pid
check "the first writer finishes" test $? -eq 0
"$NSEARCH" --index "$idx" --json "first writer" >"$work/q"
check "the first writer's article is there" has "$work/q" '"id":"locked-1"'


# ---- HTML ----
"$NSEARCH" --index "$idx" --json --limit 1 'title:most Dunava' >"$work/q"
check "HTML: og:title, og:site_name, article:published_time, canonical url as id" has "$work/q" '"id":"https://www.novosadski-list.example/grad/novi-most","score":[0-9.]*,"title":"Novi most preko Dunava otvoren za saobraćaj","date":"2023-05-04T09:30:00+02:00","source":"Novosadski list","lang":"sr-Latn","url":"https://www.novosadski-list.example/grad/novi-most"'
for word in trackingpixel Naslovna Tvituj Najčitanije zadržana Bulevaru Главная cookie ランキング 天気予報; do
    check "HTML: boilerplate not indexed ($word)" test "$("$NSEARCH" --index "$idx" --count --exact-script "$word")" = 0
done
"$NSEARCH" --index "$idx" --json 'Коломны' >"$work/q"
check "HTML: declared windows-1251 read, JSON-LD @graph headline, date and publisher" has "$work/q" '"title":"Паводок на Оке: вода отступает","date":"2023-04-18","source":"Приокские вести","lang":"ru"'
"$NSEARCH" --index "$idx" --json '紅葉' >"$work/q"
check "HTML: <main>-less page, meta name=date, the body's text" has "$work/q" '"date":"2022-11-21","source":null,"lang":"ja_JP"'
check "HTML: text found in a page without <article>" has "$work/q" '<b>紅葉</b>が見頃を迎え'
mkdir -p "$work/html"
cp "$srcdir/corpus/html/novi-most.html" "$work/html/saved-page.txt"
"$NIDX" --index "$work/hix" add "$work/html/saved-page.txt" >/dev/null 2>&1
check "HTML recognized by its content, whatever the name" test "$("$NSEARCH" --index "$work/hix" --count Naslovna)" = 0 -a "$("$NSEARCH" --index "$work/hix" --count Dunava)" = 1
awk 'BEGIN { printf "<html><body><p>shallow words</p>"; for (i = 0; i < 200000; i++) printf "<div>"; print "buried</body></html>" }' >"$work/html/deep.html"
"$NIDX" --index "$work/hix" add "$work/html/deep.html" >"$work/out" 2>"$work/err"
check "HTML nested 200,000 deep: indexed, with a warning" sh -c "grep -q 'deeper than 256' '$work/err' && grep -q '^1 added' '$work/out'"
check "HTML nested deep: the text above the cut is searchable" test "$("$NSEARCH" --index "$work/hix" --count shallow)" = 1
printf '<html><body>' >"$work/html/empty.html"
"$NIDX" --index "$work/hix" add "$work/html/empty.html" >"$work/out" 2>"$work/err"
check "HTML without text: skipped, named" has "$work/err" "empty.html: no text in the page (file skipped)"

# ---- WARC ----
sh "$srcdir/tests/mkwarc.sh" "$work/crawl.warc"
mkdir -p "$work/gzw"
sh "$srcdir/tests/mkwarc.sh" "$work/gzw/crawl.warc.gz" gz
for f in "$work/crawl.warc" "$work/gzw/crawl.warc.gz"; do
    rm -rf "$work/wix"
    "$NIDX" --index "$work/wix" add "$f" >"$work/out" 2>"$work/err"
    name=$(basename "$f")
    check "$name: HTML and text pages indexed, other records skipped" has "$work/out" "^4 added, 0 replaced, 0 skipped"
    check "$name: nothing reported" test ! -s "$work/err"
    "$NSEARCH" --index "$work/wix" --json --no-snippets cranes >"$work/q"
    check "$name: id and url are the target URI, date the WARC-Date, source the host" has "$work/q" '"id":"https://port.example/harbour","score":[0-9.]*,"title":"Harbour cranes back at work","date":"2023-06-01T10:00:00Z","source":"port.example","lang":"en","url":"https://port.example/harbour"'
    check "$name: a resource record of plain text" test "$("$NSEARCH" --index "$work/wix" --count 'title:ferry timetable')" = 1
    check "$name: charset from the HTTP header, chunked body" test "$("$NSEARCH" --index "$work/wix" --count 'пирс')" = 1
    check "$name: a gzip Content-Encoding" test "$("$NSEARCH" --index "$work/wix" --count lighthouse)" = 1
    check "$name: no 404 page, no navigation, no image" test "$("$NSEARCH" --index "$work/wix" --count 'notfoundword OR Home OR binary')" = 0
done
mkdir -p "$work/crawl"
cp "$srcdir/corpus/html/novi-most.html" "$work/crawl/page-0001"
cp "$work/crawl.warc" "$work/crawl/segment-7"
printf 'just some notes\n' >"$work/crawl/notes"
"$NIDX" --index "$work/crawlix" add "$work/crawl" >"$work/out" 2>&1
check "in a folder, files without a suffix are read by their content (HTML, WARC)" has "$work/out" "^5 added, 0 replaced, 0 skipped from 2 files"
check "in a folder, other files without a suffix are ignored" has "$work/out" "^1 files of other types ignored"
# A length that lies short: the reader finds the next header.
awk 'BEGIN { RS = "\r\n"; ORS = "\r\n" } /^WARC-Type: response$/ { r = 1 } r && /^WARC-Target-URI: https:\/\/port.example\/harbour$/ { t = 1 } t && /^Content-Length:/ && !done { $0 = "Content-Length: 40"; done = 1 } { print }' "$work/crawl.warc" | head -c -2 >"$work/short.warc"
"$NIDX" --index "$work/wix2" add "$work/short.warc" >"$work/out" 2>"$work/err"
check "WARC length too short: the record is reported" has "$work/err" "short.warc: record 3: not followed by a WARC header where its Content-Length ends; skipped to the next one (record skipped)"
check "WARC length too short: the records after it are indexed" has "$work/out" "^3 added, 0 replaced, 1 skipped"
# A length that runs past the end.
head -c -40 "$work/crawl.warc" >"$work/cut.warc"
"$NIDX" --index "$work/wix3" add "$work/cut.warc" >"$work/out" 2>"$work/err"
check "WARC cut short: named, the records before it kept" sh -c "grep -q 'cut.warc: record 8 (https://port.example/lighthouse): Content-Length [0-9]* runs past the end of the file (rest of file skipped)' '$work/err' && grep -q '^3 added' '$work/out'"
# A length that is not a number.
sed 's/^Content-Length: \([0-9]*\)\r$/Content-Length: many\r/' "$work/crawl.warc" >"$work/bad.warc"
"$NIDX" --index "$work/wix4" add "$work/bad.warc" >"$work/out" 2>"$work/err"
check "WARC without valid lengths: each record reported once, no crash" test "$(grep -c 'no valid Content-Length' "$work/err")" = 8
# A gzip bomb inside an HTTP response.
{
    printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n'
    head -c 200000000 /dev/zero | gzip -c
} >"$work/bomb.http"
len=$(wc -c <"$work/bomb.http")
{ printf 'WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://bomb.example/\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: %s\r\n\r\n' "$len"; cat "$work/bomb.http"; printf '\r\n\r\n'; cat "$work/crawl.warc"; } >"$work/bomb.warc"
"$NIDX" --index "$work/wix5" add "$work/bomb.warc" >"$work/out" 2>"$work/err"
check "WARC gzip bomb: refused past 32 MB, the other records indexed" sh -c "grep -q 'bomb.example/): page inflates past 32 MB (record skipped)' '$work/err' && grep -q '^4 added' '$work/out'"

# ---- memory budget: an article larger than the budget allows ----
awk 'BEGIN { printf "{\"id\": \"huge\", \"title\": \"Huge\", \"body\": \"firstword"; for (i = 0; i < 2500000; i++) printf " filler%d", i % 1000; print " lastwordhere\"}" }' >"$work/huge.jsonl"
"$NIDX" --index "$work/mem" --memory 200 add "$work/huge.jsonl" >"$work/out" 2>"$work/err"
check "--memory: a body over the budget is cut, with a warning" has "$work/err" "huge.jsonl:1: a body of 2[0-9].[0-9] MB, kept and indexed on its first [0-9.]* MB (the memory budget; --memory raises it)"
check "--memory: its start is searchable" test "$("$NSEARCH" --index "$work/mem" --count firstword)" = 1
check "--memory: its end is not" test "$("$NSEARCH" --index "$work/mem" --count lastwordhere)" = 0
"$NIDX" --index "$work/mem2" --memory 4000 add "$work/huge.jsonl" >"$work/out" 2>"$work/err"
check "a budget of 4 GB takes it whole" test "$("$NSEARCH" --index "$work/mem2" --count lastwordhere)" = 1
"$NIDX" --index "$work/mem3" --memory 50 add "$work/huge.jsonl" >/dev/null 2>&1
check "--memory below 200 MB is refused" test $? -eq 2

# ---- incremental adds: unchanged files skipped, changed ones re-read ----
inc="$work/inc"
mkdir -p "$inc/src/sub"
cp "$srcdir"/corpus/en/*.txt "$inc/src/"
cp "$srcdir"/corpus/wire/koper-port-strike.jsonl "$inc/src/sub/"
"$NIDX" --index "$inc/ix" add "$inc/src" >"$work/out" 2>&1
check "incremental: the first run reads everything" has "$work/out" "^10 added, 0 replaced, 0 skipped from 7 files"
"$NIDX" --index "$inc/ix" add "$inc/src" >"$work/out" 2>&1
check "incremental: a second run skips unchanged files" has "$work/out" "^7 files unchanged since they were read"
check "incremental: and reads none" has "$work/out" "^0 added, 0 replaced, 0 skipped from 0 files"
head -n 2 "$inc/src/sub/koper-port-strike.jsonl" >"$work/two"
cat "$work/two" >"$inc/src/sub/koper-port-strike.jsonl"
"$NIDX" --index "$inc/ix" add "$inc/src" >"$work/out" 2>&1
check "incremental: a changed file is read again" has "$work/out" "^0 added, 2 replaced, 0 skipped from 1 files"
check "incremental: its records now gone are removed" has "$work/out" "^2 articles removed"
check "incremental: they are not found" test "$("$NSEARCH" --index "$inc/ix" --count 'id:koper-strike-ends OR id:daily-koper-strike')" = 0
touch "$inc/src/wheat-harvest.txt"
"$NIDX" --index "$inc/ix" add "$inc/src" >"$work/out" 2>&1
check "incremental: a touched file is read again, its article replaced" has "$work/out" "^0 added, 1 replaced"
rm "$inc/src/river-cleanup.txt"
"$NIDX" --index "$inc/ix" add "$inc/src" >"$work/out" 2>&1
check "without --prune, a deleted file's articles stay" test "$("$NSEARCH" --index "$inc/ix" --count plastic)" = 1
"$NIDX" --index "$inc/ix" --prune add "$inc/src" >"$work/out" 2>&1
check "--prune: the deleted file is counted" has "$work/out" "^1 files gone since they were read"
check "--prune: its articles are removed" test "$("$NSEARCH" --index "$inc/ix" --count plastic)" = 0
"$NIDX" --index "$inc/ix" --prune add "$inc/src/sub" >/dev/null 2>&1
check "--prune keeps the files outside the path" test "$("$NSEARCH" --index "$inc/ix" --count harvest)" = 1
"$NIDX" --index "$inc/ix" --force add "$inc/src" >"$work/out" 2>&1
check "--force reads unchanged files again" has "$work/out" "^0 added, 7 replaced, 0 skipped from 6 files"

# ---- remove, stats, compact, check ----
m="$work/maint"
"$NIDX" --index "$m" --quiet add "$srcdir/corpus" >/dev/null 2>&1
"$NIDX" --index "$m" --json stats >"$work/q"
check "stats --json: articles" has "$work/q" '^{"index":"[^"]*","articles":52,"words":[0-9]*,"occurrences":[0-9]*,"first_date":"2022-03-15","last_date":"2023-05-04","bytes":[0-9]*,'
check "stats --json: languages, most frequent first" has "$work/q" '"languages":{"en":10,'
check "stats --json: sources" has "$work/q" '"sources":{[^}]*"Adriatic Wire":2'
check "stats --json: near-duplicate groups" has "$work/q" '"copy_groups":[1-9][0-9]*,"copies":[1-9]'
"$NIDX" --index "$m" stats >"$work/q"
check "stats: a summary for people" has "$work/q" "^articles   52$"
check "stats: near-duplicates counted" has "$work/q" "^copies     [1-9][0-9]* near-duplicates of [1-9][0-9]* articles"
"$NIDX" --index "$m" remove koper-strike-ends no-such-id >"$work/out" 2>"$work/err"
check "remove: exit 1 when an id is not found" test $? -eq 1
check "remove: counts" has "$work/out" "^1 removed, 1 not found$"
check "remove: names the missing id" has "$work/err" "no article with id 'no-such-id'"
check "remove: the article is gone" test "$("$NSEARCH" --index "$m" --count id:koper-strike-ends)" = 0
"$NIDX" --index "$m" remove wire-koper-strike >/dev/null 2>&1
check "remove: exit 0 when all are found" test $? -eq 0
before=$(du -sk "$m" | cut -f1)
"$NIDX" --index "$m" compact >"$work/out" 2>&1
check "compact: exit 0" test $? -eq 0
after=$(du -sk "$m" | cut -f1)
check "compact: smaller ($before KB -> $after KB)" test "$after" -lt "$before"
check "compact: searches still work" test "$("$NSEARCH" --index "$m" --count 'Bayraktar Serbia')" -gt 5
check "compact: no leftovers" test ! -e "$m.compacting" -a ! -e "$m.old"
"$NIDX" --index "$m" --quiet --force add "$srcdir/corpus/wire" >/dev/null 2>&1
check "compact: the index takes new articles after" test "$("$NSEARCH" --index "$m" --count --all 'koper strike')" = 4
"$NIDX" --index "$m" check >"$work/out" 2>&1
check "check: a sound index" sh -c "grep -q 'no problems found' '$work/out'"
cp -r "$m" "$work/broken"
f=$(find "$work/broken" -name '*.glass' -exec ls -S {} + | head -n 1)
blocks=$(($(wc -c <"$f") / 8192))
dd if=/dev/urandom of="$f" bs=8192 count=$blocks conv=notrunc 2>/dev/null
"$NIDX" --index "$work/broken" check >"$work/out" 2>&1
status=$?
check "check: a damaged index is reported ($status: $(head -c 80 "$work/out"))" test $status -ne 0
"$NIDX" --index "$work/none" check >/dev/null 2>&1
check "check: no index, exit 2" test $? -eq 2

# ---- interruptions: SIGINT, SIGTERM, SIGKILL ----
# Enough small articles that nidx add takes seconds; kills land mid-run.
awk 'BEGIN { for (i = 1; i <= 150000; i++)
    printf "{\"id\": \"k%d\", \"title\": \"Article %d\", \"body\": \"word%d common text about number %d and more words\", \"lang\": \"en\"}\n", i, i, i % 500, i }' >"$work/many.jsonl"
# The articles an index holds: one number, 0 when it has none or no index
# yet (nsearch --count prints "0" and exits 1 on no hits).
count_all() {
    c=$("$NSEARCH" --index "$1" --count lang:en 2>/dev/null)
    echo "${c:-0}"
}
for sig in INT TERM; do
    rm -rf "$work/sig"
    "$NIDX" --index "$work/sig" --batch 1000 add "$work/many.jsonl" >"$work/out" 2>"$work/err" &
    pid=$!
    # Signal once a first batch is committed (bounded: 60 s), so that
    # something is always there to keep, whatever the machine's speed.
    polls=0
    while kill -0 $pid 2>/dev/null && [ "$(count_all "$work/sig")" -eq 0 ] &&
        [ $polls -lt 600 ]; do
        polls=$((polls + 1))
        sleep 0.1
    done
    kill -$sig $pid
    wait $pid
    status=$?
    got=$(count_all "$work/sig")
    want=$([ $sig = INT ] && echo 130 || echo 143)
    if [ $status -eq 0 ]; then
        ok "SIG$sig: # SKIP the run ended before the signal"
    else
        check "SIG$sig: exit status $want ($status)" test $status -eq $want
        check "SIG$sig: says it stops and commits" has "$work/err" "stopping; what was added is being committed"
        check "SIG$sig: what was added is searchable ($got articles)" test "$got" -gt 0
        "$NIDX" --index "$work/sig" --batch 1000 --quiet add "$work/many.jsonl" >/dev/null 2>&1
        check "SIG$sig: the same command again finishes the job" test "$(count_all "$work/sig")" = 150000
    fi
done
# Searching while nidx add writes: no error, and each commit seen.
rm -rf "$work/live"
"$NIDX" --index "$work/live" --batch 1000 --quiet add "$work/many.jsonl" >/dev/null 2>&1 &
pid=$!
errors=0 partial=0 polls=0 last=0 grew=0
while kill -0 $pid 2>/dev/null && [ $polls -lt 200 ]; do
    polls=$((polls + 1))
    got=$("$NSEARCH" --index "$work/live" --count lang:en 2>"$work/err")
    status=$?
    if [ $status -eq 2 ] && ! grep -q "no index at" "$work/err"; then
        errors=$((errors + 1))
        cp "$work/err" "$work/live-error"
    fi
    got=${got:-0}
    [ "$got" -gt 0 ] && [ "$got" -lt 150000 ] && partial=$((partial + 1))
    [ "$got" -gt "$last" ] && [ "$last" -gt 0 ] && grew=$((grew + 1))
    last=$got
    sleep 0.1
done
wait $pid
check "nsearch while nidx add writes: no errors in $polls searches $(cat "$work/live-error" 2>/dev/null)" test $errors -eq 0
if [ $partial -gt 1 ]; then
    check "nsearch while nidx add writes: sees commits as they come ($grew times more)" test $grew -gt 0
else
    ok "nsearch while nidx add writes: # SKIP the run was too quick to watch"
fi
rm -rf "$work/kill"
kills=0 bad=0 partial=0
: >"$work/kill-counts"
for delay in 0.2 0.5 0.9 1.3 1.8 2.4 0.05 3.1; do
    "$NIDX" --index "$work/kill" --shards 2 --batch 1000 --quiet add "$work/many.jsonl" >/dev/null 2>"$work/kill-err" &
    pid=$!
    sleep $delay
    kill -KILL $pid 2>/dev/null && kills=$((kills + 1))
    wait $pid 2>/dev/null
    # A run that stopped on an error of its own (a reader racing a shard's
    # commits once took an overwritten block for damage) is a failure too.
    if grep -q . "$work/kill-err"; then
        bad=$((bad + 1))
        cat "$work/kill-err" >>"$work/kill-errors"
    fi
    # The index opens after each kill (a kill before Xapian made it leaves
    # none). Each shard commits whole batches, its half of a batch of 1,000,
    # except its last, which ends its share of the articles: checked per
    # shard below, once the shares are known.
    got=$("$NSEARCH" --index "$work/kill" --count lang:en 2>"$work/err")
    status=$?
    if [ $status -eq 2 ] && ! grep -q "no index at" "$work/err"; then bad=$((bad + 1)); fi
    got=${got:-0}
    [ "$got" -gt 0 ] && [ "$got" -lt 150000 ] && partial=$((partial + 1))
    for s in 0 1; do
        # Nothing printed when there is no shard yet; "0" (exit 1) when
        # it is empty: one number either way.
        c=$("$NSEARCH" --index "$work/kill/shard$s" --count lang:en 2>/dev/null)
        echo "${c:-0}"
    done | tr '\n' ' ' >>"$work/kill-counts"
    echo >>"$work/kill-counts"
done
"$NIDX" --index "$work/kill" --batch 1000 --quiet add "$work/many.jsonl" >/dev/null 2>&1
check "after the kills, re-running finishes the job without duplicates" test "$(count_all "$work/kill")" = 150000
share0=$("$NSEARCH" --index "$work/kill/shard0" --count lang:en)
share1=$("$NSEARCH" --index "$work/kill/shard1" --count lang:en)
while read -r c0 c1; do
    [ $((c0 % 500)) -eq 0 ] || [ "$c0" -eq "$share0" ] || bad=$((bad + 1))
    [ $((c1 % 500)) -eq 0 ] || [ "$c1" -eq "$share1" ] || bad=$((bad + 1))
done <"$work/kill-counts"
check "SIGKILL at $kills moments: the index opens, each shard holds whole batches ($partial partial: $(tr '\n' ';' <"$work/kill-counts")$(cat "$work/kill-errors" 2>/dev/null))" test $bad -eq 0
# ---- progress ----
"$NIDX" --index "$work/prog" add "$srcdir/corpus" >"$work/out" 2>"$work/err"
check "no progress line when output is not a terminal" sh -c "! grep -q \"\$(printf '\\033')\" '$work/out' '$work/err'"
"$NIDX" --index "$work/prog2" --verbose add "$srcdir/corpus" >"$work/out" 2>"$work/err"
check "--verbose: a line per file" test "$(grep -c ': [0-9]* articles, [0-9.]* MB in ' "$work/err")" = 13
# Each file's own count, though the shards store its articles later (they
# were counted from the shards' totals: 231 for a file of 2,000 records).
awk 'BEGIN { for (i = 0; i < 2000; i++) printf "{\"id\": \"va%d\", \"title\": \"T %d\", \"body\": \"w%d and more\"}\n", i, i, i }' >"$work/v1.jsonl"
awk 'BEGIN { for (i = 0; i < 580; i++) printf "{\"id\": \"vb%d\", \"title\": \"T %d\", \"body\": \"w%d and more\"}\n", i, i, i }' >"$work/v2.jsonl"
"$NIDX" --index "$work/prog3" --shards 4 --verbose add "$work/v1.jsonl" "$work/v2.jsonl" >"$work/out" 2>"$work/err"
check "--verbose: each file's own count of articles" sh -c "grep -q 'v1.jsonl: 2000 articles' '$work/err' && grep -q 'v2.jsonl: 580 articles' '$work/err'"
# script(1) gives the command a terminal; where it cannot (no pty), skip.
if command -v script >/dev/null 2>&1 && script -qc true /dev/null >/dev/null 2>&1 &&
    [ "$(script -qc 'test -t 2 && echo tty' /dev/null 2>/dev/null | tr -d '\r')" = tty ]; then
    script -qc "'$NIDX' --index '$work/prog3' add '$work/many.jsonl'" /dev/null >"$work/tty" 2>&1
    check "on a terminal: a live progress line" has "$work/tty" "articles, [0-9.]* MB read, [0-9.]* MB/s, [0-9]*% of the files, ETA [0-9]*:[0-9][0-9]"
    script -qc "'$NIDX' --index '$work/prog4' --quiet add '$work/many.jsonl'" /dev/null >"$work/tty" 2>&1
    check "--quiet: no progress line on a terminal either" test ! -s "$work/tty"
else
    ok "on a terminal: a live progress line # SKIP no terminal to be had (script)"
fi

echo "1..$n"
