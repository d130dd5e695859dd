#!/bin/sh
# test_query.sh — the query language end to end: operators, signs,
# wildcards, proximity, fields, and the messages for malformed queries.
. "${srcdir:-.}/tests/cli_lib.sh"

"$NIDX" --index "$idx" add "$srcdir/corpus" >/dev/null 2>&1
check "the corpus is indexed" test $? -eq 0

# hits QUERY...: the hit ids (file names for .txt articles), space-separated.
hits() {
    "$NSEARCH" --index "$idx" --json --limit 100 --no-snippets "$@" >"$work/q" 2>"$work/err"
    ids "$work/q" | sed 's|.*/||' | tr '\n' ' ' | sed 's/ $//'
}
# expect NAME "IDS" QUERY...: the query's hits are exactly IDS, in any order.
expect() {
    name=$1 want=$2
    shift 2
    got=$(hits "$@" | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')
    want=$(echo "$want" | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')
    if [ "$got" = "$want" ]; then ok "$name"; else not_ok "$name: got '$got', want '$want'"; fi
}
# refused NAME POSITION QUERY...: exit 2 and a message naming the position.
refused() {
    name=$1 pos=$2
    shift 2
    "$NSEARCH" --index "$idx" "$@" >"$work/out" 2>"$work/err"
    status=$?
    if [ $status -eq 2 ] && grep -q "(at position $pos)" "$work/err" && [ ! -s "$work/out" ]; then
        ok "$name"
    else
        not_ok "$name: status $status, stderr: $(head -n 1 "$work/err")"
    fi
}

# ---- operators and signs ----
expect "OR: either word" "wheat-harvest.txt river-cleanup.txt" 'harvest OR plastic'
"$NSEARCH" --index "$idx" or >/dev/null 2>&1
check "lower-case or is a word, not an operator" test $? -ne 2
expect "AND: both words" "wheat-harvest.txt" 'wheat AND harvest'
expect "AND binds tighter than OR" "wheat-harvest.txt river-cleanup.txt" 'wheat AND harvest OR plastic'
expect "parentheses group" "serbia-weighs-bayraktar.txt" --exact-script '(drone OR drones) AND serbia'
all_bayraktar=$(hits Bayraktar)
without=$(hits Bayraktar -serbia)
check "-word excludes, typed as its own argument" sh -c "! echo '$without' | grep -q serbia-weighs && echo '$all_bayraktar' | grep -q serbia-weighs"
check "NOT word is -word" test "$(hits 'Bayraktar NOT serbia')" = "$without"
check "AND NOT is -word" test "$(hits 'Bayraktar AND NOT serbia')" = "$without"
expect "-(a OR b) excludes either" "" 'drones -(serbia OR kazakhstan OR ukraine OR ukraine'"'"'s OR drohnen OR drones)'
expect "+word is required, other words optional" "serbia-weighs-bayraktar.txt" --exact-script 'drones +serbia'
expect "+word: articles without it are left out" "wheat-harvest.txt" '+harvest plastic'
expect "without +, either word finds its article" "wheat-harvest.txt river-cleanup.txt" 'harvest plastic'
first=$(hits '+drones serbia' | cut -d' ' -f1)
check "+drones serbia: the article with both ranks first ($first)" test "$first" = serbia-weighs-bayraktar.txt
check "a signed phrase" sh -c "! echo '$(hits 'drones -"Batman before"')' | grep -q ukraine-drones-batman"
check "a minus inside a word is not a sign" test "$(hits 'drones-Astana')" = "$(hits 'drones Astana')"

# ---- prefixes ----
expect "word* finds every word it starts" "wheat-harvest.txt" 'harv*'
expect "title:word* in titles only" "wheat-harvest.txt" 'title:harv*'
"$NSEARCH" --index "$idx" --json 'harv*' >"$work/q"
check "word* highlights the words it found" has "$work/q" '<b>harvest</b>'
expect "a prefix in another script" "sr-cyrl-2022-03-dron" 'Бајрак*'

# ---- proximity ----
expect "NEAR/0: adjacent, either order" "ukraine-drones-batman.txt" 'crews NEAR/0 drone'
expect "NEAR/0 refuses a word between" "" 'drone NEAR/0 trained'
expect "NEAR/1 allows one" "ukraine-drones-batman.txt" 'drone NEAR/1 trained'
expect "NEAR is NEAR/10" "ukraine-drones-batman.txt" 'drone NEAR trained'

# ---- fields ----
expect "title: in titles only" "wheat-harvest.txt" 'title:wheat'
expect "title:\"phrase\"" "serbia-weighs-bayraktar.txt" 'title:"Turkish Bayraktar"'
expect "title: also matches inflections" "serbia-weighs-bayraktar.txt" 'title:drone AND title:serbia'
expect "lang:" "ja-2022-12-hankaku ja-2022-03-drone ja-2022-04-sakura kyoto-kouyou.html" 'lang:ja'
expect "lang: OR lang:, tags normalized" "ja-2022-12-hankaku ja-2022-03-drone ja-2022-04-sakura kyoto-kouyou.html ko-2022-03-drone ko-2022-05-market" 'lang:JA OR lang:ko-KR'
expect "lang: with words" "sr-cyrl-2022-03-dron sr-latn-2022-03-dron" 'lang:sr dron'
expect "id:" "uk-2022-04-bayraktar" 'id:uk-2022-04-bayraktar'
expect "source: a word of the name" "novi-most sr-latn-2022-03-dron sr-latn-2022-07-sabac" 'source:novosadski'
expect "source:\"name\" in any case and script" "uk-2022-04-bayraktar uk-2022-09-apostrophe" 'source:"КИЇВСЬКИЙ огляд"'
expect "site: the url's host" "novi-most sr-latn-2022-03-dron sr-latn-2022-07-sabac" 'site:novosadski-list.example'
expect "site: a pasted url, www. dropped" "novi-most sr-latn-2022-03-dron sr-latn-2022-07-sabac" 'site:https://WWW.novosadski-list.example/a/b'
expect "site: a parent domain" "uk-2022-04-bayraktar" 'site:kyiv.example'
expect "-site: excludes" "sr-cyrl-2022-03-dron" 'lang:sr -site:novosadski-list.example'
expect "date:FROM..TO, days inclusive" "tr-2022-03-baykar ru-2022-03-serbia sr-cyrl-2022-03-dron" 'date:2022-03-15..2022-03-17'
expect "date:..TO" "tr-2022-03-baykar ru-2022-03-serbia" 'date:..2022-03-16'
expect "date:YYYY-MM is that month" "kk-2022-05-astana el-2022-05-athens ko-2022-05-market" 'date:2022-05'
expect "date:FROM.. with words" "uk-2022-10-lviv" 'date:2022-10.. Львові'
d=$(hits 'date:2022-12..' | wc -w)
check "date:FROM.. to the end ($d articles)" test "$d" -eq 7
expect "a filter alone lists its articles" "de-2022-03-drohnen de-2022-11-koeln" 'lang:de'

# ---- malformed queries: exit 2, the position ----
refused "unclosed quote" 7 'drone "cup final'
refused "unclosed parenthesis" 7 'drone (a OR b'
refused "a parenthesis nothing opened" 6 'drone) x'
refused "OR with nothing after" 7 'drone OR'
refused "OR with nothing before" 1 'OR drone'
refused "AND with nothing after" 7 'drone AND )'
refused "NOT with nothing after" 7 'drone NOT'
refused "an unknown field" 7 'drone colour:red'
refused "a bad date" 12 'drone date:2022-13'
refused "a range that ends before it starts" 12 'drone date:2023..2022'
refused "a range with no end" 12 'drone date:..'
refused "a bad language code" 12 'drone lang:english'
refused "NEAR/n with a bad number" 7 'drone NEAR/x crews'
refused "NEAR joins words only" 7 'drone NEAR "cup final"'
refused "NEAR does not take word*" 7 'drone NEAR cr*'
refused "OR cannot join an exclusion" 7 'drone OR -crews'
refused "only exclusions" 1 '-drone -crews'
refused "a wildcard on two words" 1 'U.S.-m*'
"$NSEARCH" --index "$idx" 'drone AND (serbia OR' 2>"$work/err"
check "the message shows the query with a caret" sh -c "grep -q '^  drone AND (serbia OR\$' '$work/err' && grep -q '^                    ^\$' '$work/err'"
"$NSEARCH" --index "$idx" --json 'foo:bar' >"$work/out" 2>"$work/err"
check "--json: a malformed query prints nothing on stdout" test ! -s "$work/out"
"$NSEARCH" --index "$idx" 'drone 10:30' >/dev/null 2>&1
check "a colon inside a word is not a field" test $? -ne 2
expect "a quoted field name is text" "" '"colour:red"'
deep=$(printf '%.0s(' $(seq 1 100))drone$(printf '%.0s)' $(seq 1 100))
refused "parentheses nested too deep" 65 "$deep"

# ---- near-duplicates ----
expect "copies collapse to the best one" "koper-strike-ends wire-koper-strike" 'koper strike'
"$NSEARCH" --index "$idx" --json 'koper strike' >"$work/q"
check "JSON: duplicates on the copy shown" has "$work/q" '"id":"wire-koper-strike",[^}]*"duplicates":2,'
check "JSON: duplicates 0 on an article without copies" has "$work/q" '"id":"koper-strike-ends",[^}]*"duplicates":0,'
check "total counts stories, not copies" has "$work/q" '"total":2,'
"$NSEARCH" --index "$idx" 'koper strike' >"$work/q"
check "text: the number of copies not shown" has "$work/q" "wire-koper-strike · 2 similar articles not shown"
expect "--all shows every copy" "koper-strike-ends wire-koper-strike coastal-koper-strike daily-koper-strike" --all 'koper strike'
expect "the best copy for the query is the one shown" "daily-koper-strike" '"some 600"'
expect "a copy's own words still find it, collapsed" "daily-koper-strike" 'title:"crane operators walk out"'
"$NSEARCH" --index "$idx" --json --all 'koper strike' >"$work/q"
check "--all: no duplicates counted" sh -c "! grep -q '\"duplicates\":[1-9]' '$work/q'"
"$NSEARCH" --index "$idx" --count 'koper strike' >"$work/q"
check "--count counts stories" test "$(cat "$work/q")" = 2
"$NSEARCH" --index "$idx" --count --all 'koper strike' >"$work/q"
check "--count --all counts every copy" test "$(cat "$work/q")" = 4
"$NSEARCH" --index "$idx" --json --facets 'koper strike' >"$work/q"
check "--facets count every copy, each with its source" has "$work/q" '"source":{"Adriatic Wire":2,"Central Europe Daily":1,"Coastal Courier":1}'
"$NIDX" --index "$idx" add "$srcdir/corpus/wire" >/dev/null 2>&1
expect "re-adding the copies keeps them collapsed" "koper-strike-ends wire-koper-strike" 'koper strike'

# ---- spelling ----
suggestion() {
    "$NSEARCH" --index "$idx" --json "$@" 2>/dev/null | grep -o '"suggestion":\("[^"]*"\|null\)'
}
check "a word not in the index: corrected (one letter replaced)" test "$(suggestion baynaktar)" = '"suggestion":"bayraktar"'
# A typo that keeps a name's consonants finds the name by its key
# (namekey.h), flagged as another spelling: the search has found it
# written otherwise, and says so instead of correcting it.
check "a typo that keeps the name's consonants: found by its key, not corrected" \
    sh -c "'$NSEARCH' --index '$idx' --json bayraktr | grep -q '\"transliterated\":\[\"bayraktr\"\].*\"suggestion\":null'"
check "two letters swapped, the case kept" test "$(suggestion 'Havrest')" = '"suggestion":"Harvest"'
check "one word of several corrected, the rest kept as typed" test "$(suggestion 'sebria drones')" = '"suggestion":"serbia drones"'
check "two edits away, in a long word" test "$(suggestion baynaktarr)" = '"suggestion":"bayraktar"'
# A word the index holds, however rare, is not searched two edits away (the
# term scan that would need costs milliseconds): only words it lacks are.
awk 'BEGIN { for (i = 1; i <= 25; i++)
        printf "{\"id\": \"lh%d\", \"title\": \"Notes %d\", \"body\": \"the lighthouse keeper wrote\", \"lang\": \"en\"}\n", i, i
    print "{\"id\": \"rare\", \"title\": \"Notes\", \"body\": \"a note on lightxhousx\", \"lang\": \"en\"}" }' |
    "$NIDX" --index "$work/sug" --quiet add - >/dev/null 2>&1
sug2() { "$NSEARCH" --index "$work/sug" --json "$1" 2>/dev/null | grep -o '"suggestion":\("[^"]*"\|null\)'; }
check "a rare word the index holds: no two-edit correction ($(sug2 lightxhousx))" test "$(sug2 lightxhousx)" = '"suggestion":null'
check "a word it lacks: corrected two edits away ($(sug2 lightyhousy))" test "$(sug2 lightyhousy)" = '"suggestion":"lighthouse"'
check "a Cyrillic word, its capital kept" test "$(suggestion 'Себрия')" = '"suggestion":"Сербия"'
check "operators and fields are kept" test "$(suggestion 'lang:en AND (havrest OR plastic)')" = '"suggestion":"lang:en AND (harvest OR plastic)"'
check "no suggestion for words the index holds" test "$(suggestion 'wheat harvest')" = '"suggestion":null'
check "no suggestion for excluded words" test "$(suggestion 'harvest -bayraktr')" = '"suggestion":null'
check "no suggestion for numbers" test "$(suggestion 'harvest 20225')" = '"suggestion":null'
check "no suggestion in a script without spelling edits" test "$(suggestion '塞尔维')" = '"suggestion":null'
"$NSEARCH" --index "$idx" baynaktar >"$work/q"
check "text: did you mean" has "$work/q" "^Did you mean: bayraktar"

# ---- plain queries, ranking knobs ----
first=$(hits --plain 'harvest AND (title:wheat' | cut -d' ' -f1)
check "--plain: operators and fields are words ($first first)" test "$first" = wheat-harvest.txt
check "--plain: AND is the word 'and'" test "$(hits --plain 'AND' | wc -w)" -gt 3
"$NSEARCH" --index "$idx" --plain '"unclosed' >/dev/null 2>&1
check "--plain: a stray quote is text, not an error" test $? -ne 2
s1=$("$NSEARCH" --index "$idx" --json --bm25 1.2,0.75 drones | grep -o '"score":[0-9.]*' | head -n 1)
s2=$("$NSEARCH" --index "$idx" --json --bm25 2.0,0.0 drones | grep -o '"score":[0-9.]*' | head -n 1)
check "--bm25 changes the scores ($s1, $s2)" test "$s1" != "$s2"
"$NSEARCH" --index "$idx" --bm25 1,2 drones >/dev/null 2>&1
check "--bm25 with b out of [0, 1] is refused" test $? -eq 2
"$NIDX" --index "$work/tw1" --quiet --title-weight 1 add "$srcdir/corpus/en" >/dev/null 2>&1
"$NIDX" --index "$work/tw9" --quiet --title-weight 9 add "$srcdir/corpus/en" >/dev/null 2>&1
t1=$("$NSEARCH" --index "$work/tw1" --json harvest | grep -o '"score":[0-9.]*' | head -n 1)
t9=$("$NSEARCH" --index "$work/tw9" --json harvest | grep -o '"score":[0-9.]*' | head -n 1)
check "--title-weight raises a title word's score ($t1 < $t9)" awk "BEGIN { exit !(${t1#*:} < ${t9#*:}) }"
"$NIDX" --index "$work/tw0" --title-weight 0 add "$srcdir/corpus/en" >/dev/null 2>&1
check "--title-weight 0 is refused" test $? -eq 2

# ---- --batch: many queries, one process ----
printf 'q1\tkoper strike\nq2\tBayraktar -serbia\n\nq3\tharv*\n' >"$work/batch.tsv"
"$NSEARCH" --index "$idx" --batch "$work/batch.tsv" --limit 3 --no-snippets >"$work/out" 2>"$work/err"
check "--batch: exit 0 when every query ran" test $? -eq 0
check "--batch: one JSON line per query, in order" test "$(grep -o '^{"qid":"q[0-9]*"' "$work/out" | tr -d '{":qid' | tr '\n' ' ')" = "1 2 3 "
check "--batch: qid, took_ms, then the --json keys" has "$work/out" '^{"qid":"q1","took_ms":[0-9.]*,"query":"koper strike","total":[0-9]*,"hits":\[{"rank":1,"id":"[^"]*koper[^"]*"'
printf 'a\t"unclosed\nno tab here\nb\twheat\n' | "$NSEARCH" --index "$idx" --batch - >"$work/out" 2>"$work/err"
check "--batch: exit 2 when a line failed" test $? -eq 2
check "--batch: a malformed query answered with its error" has "$work/out" '^{"qid":"a","query":"\\"unclosed","error":"unbalanced quote: this phrase is never closed (at position 1)"}$'
check "--batch: a line without a tab named on stderr" has "$work/err" "nsearch: -:2: no tab between the query id and the query"
check "--batch: the queries after a bad line still answered" has "$work/out" '^{"qid":"b","took_ms"'
"$NSEARCH" --index "$idx" --batch "$work/batch.tsv" extra words >/dev/null 2>&1
check "--batch with query words is refused" test $? -eq 2

# ---- runs typed without spaces: words, the run as written first ----
first_of() { hits "$@" | cut -d' ' -f1; }
check "a Japanese run: the article holding every word first ($(first_of 'ドローンの購入'))" \
    test "$(first_of 'ドローンの購入')" = ja-2022-03-drone
expect "a run sharing only a kana with articles finds nothing" "" '潮田ックの'
check "a Chinese run: the article holding all its words first" \
    test "$(first_of '塞尔维亚购买无人机')" = zh-2022-03-serbia
cat >"$work/runs.jsonl" <<'RUNS'
{"id": "r-written", "title": "ข่าวเกษตร", "body": "สหกรณ์การเกษตรในภาคเหนือรวมกลุ่มกันผลิตน้ำหมักไล่แมลงขายทั่วประเทศ สมาชิกหลายร้อยคนได้รับรายได้เพิ่มขึ้นจากการขายสินค้าชุมชนทุกเดือน และยังมีการอบรมความรู้ด้านการตลาดให้กับเกษตรกรรุ่นใหม่ในหมู่บ้านอีกด้วย", "lang": "th"}
{"id": "r-apart", "title": "น้ำหมัก", "body": "ผลิต ผลิต น้ำหมัก น้ำหมัก ไล่ แมลง แมลง", "lang": "th"}
{"id": "r-some", "title": "ตลาด", "body": "น้ำหมัก ชนิดใหม่ ขาย ใน ตลาด", "lang": "th"}
{"id": "r-date", "title": "ประชุม", "body": "ประชุมวันที่ 31 พ.ค. 60 ที่สหกรณ์ จ.ร้อยเอ็ด", "lang": "th"}
{"id": "r-kata", "title": "新サービス", "body": "ツイッターの新しいサービスが始まった", "lang": "ja"}
{"id": "r-particle", "title": "天気", "body": "今日の天気は晴れ", "lang": "ja"}
RUNS
"$NIDX" --index "$work/runs" --quiet add "$work/runs.jsonl" >/dev/null 2>&1
# fixture_hits INDEX PREFIX QUERY...: the hits' ids without "PREFIX-", in rank order.
fixture_hits() {
    fixture=$1 prefix=$2
    shift 2
    "$NSEARCH" --index "$fixture" --json --no-snippets "$@" 2>/dev/null |
        grep -o "\"id\":\"$prefix-[a-z-]*\"" | sed "s/\"id\":\"$prefix-//; s/\"//" | tr '\n' ' '
}
as_set() { tr ' ' '\n' | grep . | sort | tr '\n' ' '; }
runs() { fixture_hits "$work/runs" r "$@"; }
# r-apart, short and holding each word twice, outranks r-written by BM25
# (the spaced query shows it); typed as one run, r-written holds the run
# as written and comes first.
check "a Thai run typed without spaces: every word, the run as written first, then some words ($(runs 'ผลิตน้ำหมักไล่แมลง'))" \
    test "$(runs 'ผลิตน้ำหมักไล่แมลง')" = "written apart some "
check "... the same words spaced: by their weight ($(runs 'ผลิต น้ำหมัก ไล่ แมลง'))" \
    test "$(runs 'ผลิต น้ำหมัก ไล่ แมลง')" = "apart written some "
check "... quoted: a phrase, the run as written only" test "$(runs '"ผลิตน้ำหมักไล่แมลง"')" = "written "
check "a Thai run with digits: the article that spaces them ($(runs 'วันที่31พ.ค60'))" \
    test "$(runs 'วันที่31พ.ค60')" = "date "
check "a Thai run with an abbreviation's dot: cut on both sides ($(runs 'สหกรณ์จ.ร้อยเอ็ด'))" \
    test "$(runs 'สหกรณ์จ.ร้อยเอ็ด' | cut -d' ' -f1)" = "date"
check "katakana words run together: cut again by the index's words ($(runs 'サービスツイッター'))" \
    test "$(runs 'サービスツイッター')" = "kata "
check "a particle of a run never matches alone ($(runs 'ツイッターのアプリ'))" \
    test "$(runs 'ツイッターのアプリ')" = "kata "

# ---- what must keep matching whatever the index stores less of ----
cat >"$work/kept.jsonl" <<'KEPT'
{"id": "k-suffix", "title": "The minister's harbour plan", "body": "A plan for the port was shown.", "lang": "en"}
{"id": "k-elision", "title": "L'armée recule", "body": "Le gouvernement a parlé hier.", "lang": "fr"}
{"id": "k-thai", "title": "ตลาดน้ำเปิดใหม่ที่นนทบุรี", "body": "ข่าวท้องถิ่น", "lang": "th"}
{"id": "k-phrase", "title": "Quiet lighthouse keepers retire", "body": "The keepers left after forty years.", "lang": "en"}
{"id": "k-body", "title": "Harbour news today", "body": "Lighthouse keepers retire at last, said the harbour master.", "lang": "en"}
{"id": "k-apart", "title": "Keepers of the old lighthouse", "body": "Nothing else to say.", "lang": "en"}
{"id": "k-thaibody", "title": "Local market", "body": "ตลาดน้ำเปิดใหม่ที่นนทบุรี", "lang": "th"}
KEPT
"$NIDX" --index "$work/kept" --quiet add "$work/kept.jsonl" >/dev/null 2>&1
kept() { "$NSEARCH" --index "$work/kept" --json --no-snippets --no-stemming "$@" 2>/dev/null | grep -o '"id":"k-[a-z]*"' | tr '\n' ' '; }
kept_set() { kept "$@" | as_set; }
check "a phrase through a title: found ($(kept '"quiet lighthouse keepers"'))" test "$(kept '"quiet lighthouse keepers"')" = '"id":"k-phrase" '
check "a title: phrase: found" test "$(kept 'title:"lighthouse keepers retire"')" = '"id":"k-phrase" '
check "a phrase across title and body: not found" test "$(kept '"retire the keepers"')" = ''
# Title terms keep no positions (format 3): a title phrase is placed by
# the words' own terms and kept to the title by the title terms.
check "a title: phrase: not found where only the body has it ($(kept 'title:"lighthouse keepers"'))" test "$(kept 'title:"lighthouse keepers"')" = '"id":"k-phrase" '
check "a title: phrase: not found where the title has its words apart" test "$(kept 'title:"keepers lighthouse"')" = ''
check "a title: phrase through a split-off suffix" test "$(kept 'title:"minister harbour"')" = '"id":"k-suffix" '
check "title: words NEAR each other: in the title only ($(kept 'title:lighthouse NEAR/1 title:retire'))" test "$(kept 'title:lighthouse NEAR/1 title:retire')" = '"id":"k-phrase" '
check "a title: word NEAR a word anywhere" test "$(kept 'title:harbour NEAR/12 master')" = '"id":"k-body" '
check "a Thai title: run: not found where only the body has it" test "$(kept title:ตลาดน้ำ)" = '"id":"k-thai" '
check "a Thai title: phrase" test "$(kept 'title:"ตลาดน้ำเปิดใหม่"')" = '"id":"k-thai" '
check "title: phrase scores as the title words do ($(kept 'title:"lighthouse keepers" OR title:lighthouse'))" test "$(kept 'title:"lighthouse keepers" OR title:lighthouse')" = '"id":"k-phrase" "id":"k-apart" '
check "an apostrophe suffix split off: minister finds minister's" test "$(kept minister)" = '"id":"k-suffix" '
check "... and in the title only" test "$(kept title:minister)" = '"id":"k-suffix" '
check "an elision split off: armée finds L'armée" test "$(kept armée)" = '"id":"k-elision" '
check "a Thai word inside a Thai title: found" test "$(kept title:นนทบุรี)" = '"id":"k-thai" '
check "a Thai word inside a Thai title: found anywhere too" test "$(kept_set ตลาดน้ำ)" = '"id":"k-thai" "id":"k-thaibody" '
# Folding drops tone marks and vowel signs: a run's letter pairs still
# continue from one dictionary word to the next.
check "a Thai run across words with marks (น้ำ, เปิด): found ($(kept_set 'ตลาดน้ำเปิดใหม่ที่นนท'))" test "$(kept_set 'ตลาดน้ำเปิดใหม่ที่นนท')" = '"id":"k-thai" "id":"k-thaibody" '
check "... a run the articles do not hold as written: found by its words" test "$(kept_set 'ตลาดเปิดใหม่')" = '"id":"k-thai" "id":"k-thaibody" '
check "a hyphenated Latin piece still counts its words apart (harbour-zebra finds harbour)" test "$(kept_set harbour-zebra)" = '"id":"k-body" "id":"k-suffix" '

# ---- Names across scripts (issue 16): one name, six spellings ----
names="$work/names"
cat >"$work/names.jsonl" <<'JSON'
{"id":"n-ru","lang":"ru","title":"Переговоры в столице","body":"Президент Зеленский встретился с министрами и обсудил поставки зерна."}
{"id":"n-el","lang":"el","title":"Συνάντηση στην Αθήνα","body":"Ο πρόεδρος Ερντογάν συναντήθηκε με τον πρωθυπουργό για το εμπόριο."}
{"id":"n-de","lang":"de","title":"Besuch im Kanzleramt","body":"Der ukrainische Präsident Selenskyj traf den Bundeskanzler am Morgen."}
{"id":"n-en","lang":"en","title":"Visit to the grain port","body":"President Zelenskyy toured the port where grain ships load."}
{"id":"n-en2","lang":"en","title":"Talks on trade","body":"The Turkish president, Erdogan, said trade with Greece would grow."}
{"id":"n-fr","lang":"fr","title":"Rencontre au port","body":"Le président Zelensky a rencontré des agriculteurs du sud."}
{"id":"n-low","lang":"en","title":"Green hills","body":"the zelensky fields are green in spring, and sellers of seeds come."}
{"id":"n-pl","lang":"pl","title":"Wizyta","body":"Prezydent Zelensky przyjechał do Warszawy we wtorek."}
{"id":"n-it","lang":"it","title":"Visita","body":"Il presidente Zelensky ha parlato a Roma con i sindaci."}
{"id":"n-ar","lang":"ar","title":"زيارة","body":"زار الرئيس صربيا الأسبوع الماضي."}
{"id":"n-ar2","lang":"ar","title":"صحة","body":"قال الأطباء إن تسريب المياه مشكلة."}
{"id":"n-press","lang":"en","title":"Agencies","body":"Reporters of the Associated Press wrote about the Price of bread."}
{"id":"n-paris","lang":"el","title":"Ταξίδι","body":"Ο υπουργός ταξίδεψε στο Παρίσι την Τρίτη."}
{"id":"n-goran","lang":"en","title":"Cup win","body":"The coach, Goran Ivanovic, praised the defence after the final."}
{"id":"n-ko","lang":"ko","title":"계약","body":"서울에서 새 계약이 체결되었다."}
{"id":"n-hadi","lang":"ar","title":"عودة","body":"عاد الرئيس هادي إلى عدن أمس."}
{"id":"n-hatha","lang":"ar","title":"قرار","body":"قال الوزير إن هذا القرار وهذه الخطة مهمان."}
{"id":"n-hindi","lang":"ar","title":"سوق","body":"ارتفع سعر الأرز الهندي في السوق."}
{"id":"n-hadi-en","lang":"en","title":"Return","body":"Yemen's president, Hadi, returned to Aden."}
{"id":"n-rouhani","lang":"ar","title":"طهران","body":"قال الرئيس روحاني إن المحادثات مستمرة."}
{"id":"n-rahin","lang":"ar","title":"اقتصاد","body":"الوضع الراهن صعب على الأسواق."}
{"id":"n-rouhani-en","lang":"en","title":"Talks","body":"Iran's president, Rouhani, said the talks go on."}
{"id":"n-hamas-en","lang":"en","title":"Truce","body":"Leaders of Hamas met in Cairo."}
{"id":"n-hamas-ru","lang":"ru","title":"Перемирие","body":"Лидеры Хамас встретились в Каире."}
{"id":"n-humus1","lang":"en","title":"Soil","body":"The shop sells Humus and clay."}
{"id":"n-humus2","lang":"en","title":"Garden","body":"Add humus to the beds in spring."}
{"id":"n-humus3","lang":"en","title":"Compost","body":"Compost turns into humus within a year."}
{"id":"n-putin-en","lang":"en","title":"Kremlin","body":"Russia's president, Putin, spoke on Monday."}
{"id":"n-putin-ar","lang":"ar","title":"موسكو","body":"قال الرئيس بوتين إن الاتفاق قريب."}
{"id":"n-batin","lang":"ar","title":"تحليل","body":"المعنى الباطن للنص واضح."}
{"id":"n-trump-en","lang":"en","title":"Rally","body":"The former president, Trump, held a rally."}
{"id":"n-trump-ar","lang":"ar","title":"تجمع","body":"عقد الرئيس السابق ترامب تجمعا انتخابيا."}
{"id":"n-hamas-ar","lang":"ar","title":"هدنة","body":"التقى قادة حماس في القاهرة."}
{"id":"n-khams","lang":"ar","title":"ميناء","body":"وصلت خمس سفن إلى الميناء."}
{"id":"n-hamish","lang":"ar","title":"قمة","body":"على هامش القمة التقى الوزراء."}
{"id":"n-homs","lang":"ar","title":"قافلة","body":"وصلت القافلة إلى حمص مساء."}
{"id":"n-reagan-en","lang":"en","title":"Budget","body":"President Reagan signed the budget."}
{"id":"n-reagan-ar","lang":"ar","title":"ميزانية","body":"وقع الرئيس ريغان الميزانية."}
{"id":"n-rakan","lang":"ar","title":"لقاء","body":"التقى الأمير راكان بالوفد."}
{"id":"n-biden-en","lang":"en","title":"Visit","body":"President Biden visited the plant."}
{"id":"n-biden-ar","lang":"ar","title":"زيارة","body":"زار الرئيس بايدن المصنع."}
{"id":"n-baidin","lang":"ar","title":"سفر","body":"كان الرجال بعيدين عن المدينة."}
{"id":"n-bidiwan","lang":"ar","title":"اجتماع","body":"اجتمع الوزراء بديوان الأمير."}
{"id":"n-diwan1","lang":"ar","title":"زيارة","body":"زار الوفد ديوان الوزارة."}
{"id":"n-diwan2","lang":"ar","title":"شعر","body":"صدر ديوان شعر جديد."}
{"id":"n-diwan3","lang":"ar","title":"قرار","body":"أعلن ديوان المحاسبة قراره."}
{"id":"n-opec-en","lang":"en","title":"Oil","body":"Ministers of OPEC cut output."}
{"id":"n-opec-ar","lang":"ar","title":"نفط","body":"خفض وزراء أوبك الإنتاج."}
{"id":"n-abwaq","lang":"ar","title":"حفل","body":"عزفت الأبواق في الحفل."}
{"id":"n-aipac","lang":"ar","title":"مؤتمر","body":"عقدت منظمة أيباك مؤتمرها."}
{"id":"n-assad-en","lang":"en","title":"Damascus","body":"President Assad spoke in Damascus."}
{"id":"n-assad-ar","lang":"ar","title":"دمشق","body":"تحدث الرئيس الأسد في دمشق."}
{"id":"n-ajsad","lang":"ar","title":"مقبرة","body":"دفنت الأجساد في المقبرة."}
{"id":"n-clinton","lang":"en","title":"Senate","body":"Senator Clinton spoke on trade."}
{"id":"n-clayton","lang":"en","title":"Bridge","body":"Mayor Clayton opened the bridge."}
{"id":"n-gary","lang":"en","title":"Cup","body":"The coach, Gary, praised the team."}
{"id":"n-juncker-de","lang":"de","title":"Rede","body":"Kommissionspräsident Juncker sprach am Montag in Brüssel über den Haushalt der Union."}
{"id":"n-juncker-ru","lang":"ru","title":"Речь","body":"Председатель комиссии Юнкер выступил в понедельник в Брюсселе с речью о бюджете союза."}
{"id":"n-junger","lang":"en","title":"Arrest","body":"Junger arrested. Police said Junger left."}
{"id":"n-washington-en","lang":"en","title":"Talks","body":"Officials in Washington met the envoys."}
{"id":"n-washington-ar","lang":"ar","title":"محادثات","body":"التقى المسؤولون في واشنطن المبعوثين."}
{"id":"n-abbas-en","lang":"en","title":"Talks","body":"President Abbas met the envoys."}
{"id":"n-abbas-ar","lang":"ar","title":"لقاء","body":"التقى الرئيس عباس المبعوثين."}
{"id":"n-bas","lang":"ar","title":"حافلة","body":"توقف الباص عند المحطة، قال سائق باس."}
{"id":"n-google-en","lang":"en","title":"Search","body":"Shares of Google rose after it opened an office in the city."}
{"id":"n-google-ar","lang":"ar","title":"بحث","body":"افتتحت جوجل مكتبا في المدينة."}
{"id":"n-negm-en","lang":"en","title":"Film","body":"The actor Negm spoke of his film."}
{"id":"n-negm-ar","lang":"ar","title":"حريق","body":"قال إن الضرر ناجم عن الحريق."}
{"id":"n-negm-ar2","lang":"ar","title":"مطر","body":"حذر من الخطر الناجم عن المطر."}
{"id":"n-nazarbayev-en","lang":"en","title":"Visit","body":"President Nazarbayev met the envoys."}
{"id":"n-nazarbayev-kk","lang":"kk","title":"Сапар","body":"Елші Нұрсұлтан Назарбаевтың сөзін тыңдады."}
JSON
"$NIDX" --index "$names" --quiet add "$work/names.jsonl" 2>/dev/null
ranked() { "$NSEARCH" --index "$names" --json --limit 20 --no-snippets "$@" | ids /dev/stdin | tr '\n' ' ' | sed 's/ $//'; }
got=$(ranked Zelensky)
check "Zelensky finds the Cyrillic, German and English spellings ($got)" \
    sh -c "echo '$got' | grep -q n-ru && echo '$got' | grep -q n-de && echo '$got' | grep -q n-en"
check "... the articles with the spelling as typed first" \
    test "$(echo "$got" | cut -d' ' -f1-4 | tr ' ' '\n' | sort | tr '\n' ' ')" = "n-fr n-it n-low n-pl "
r=$(ranked Зеленский)
check "Зеленский finds the Latin spellings, its own first ($r)" \
    sh -c "echo '$r' | grep -q '^n-ru ' && echo '$r' | grep -q n-fr && echo '$r' | grep -q n-de"
r=$(ranked Selenskyj)
check "a lower-case word is no name: Selenskyj finds the capitalized Zelensky, not the fields' zelensky ($r)" \
    sh -c "echo '$r' | grep -q n-fr && ! echo '$r' | grep -q n-low"
check "Ερντογάν finds Erdogan and Erdogan finds Ερντογάν" \
    sh -c "[ '$(ranked Ερντογάν)' = 'n-el n-en2' ] && [ '$(ranked erdogan)' = 'n-en2 n-el' ]"
check "--exact-script: only the spelling typed ($(ranked --exact-script Zelensky))" \
    test "$(ranked --exact-script Zelensky | tr ' ' '\n' | sort | tr '\n' ' ')" = "n-fr n-it n-low n-pl "
check "--exact-script: a Cyrillic name finds only Cyrillic" test "$(ranked --exact-script Зеленский)" = "n-ru"
check "a phrase matches the spelling as typed only (no name keys in phrases)" \
    test "$(ranked '"president selenskyj"')" = "" -a "$(ranked '"president zelenskyy"')" = "n-en"
check "a word the articles write in lower case is no name: grain does not find Goran (both KRN)" \
    test "$(ranked grain)" = "n-en"
echo '{"id":"n-low2","lang":"en","title":"Fields","body":"more zelensky fields, and zelensky barns."}' >"$work/low2.jsonl"
cp -r "$names" "$work/names-low"
"$NIDX" --index "$work/names-low" --quiet add "$work/low2.jsonl" 2>/dev/null
check "a word written in lower case in 2 of its 5 articles (under 70 %) is no name: Zelensky then finds Зеленский no more" \
    test "$("$NSEARCH" --index "$work/names-low" --json --limit 20 --no-snippets Zelensky | ids /dev/stdin | grep -c n-ru)" = 0
check "... but goran, written with a capital where it is written, finds Goran" test "$(ranked goran)" = "n-goran"
check "Arabic spellings are checked by the vowels they write: serbia finds صربيا, not تسريب (a vowel where serbia has none), both SRB" \
    test "$(ranked serbia)" = "n-ar"
check "... and alphabets' by where their vowels stand: paris finds Παρίσι, not Press nor Price (all PRS)" \
    test "$(ranked paris)" = "n-paris"
check "an Arabic spelling ends in the vowel the name ends in: Hadi finds هادي, not هذا nor هذه (HD), nor الهندي (a nasal Hadi has not)" \
    test "$(ranked hadi)" = "n-hadi-en n-hadi"
check "... and writes the vowels the name has, of their quality: Rouhani finds روحاني, not الراهن (RHN, a where Rouhani has ou)" \
    test "$(ranked rouhani)" = "n-rouhani-en n-rouhani"
sorted() { ranked "$@" | as_set | sed 's/ $//'; }
check "a spelling the articles write in lower case is no name: Hamas finds Хамас, not humus, capitalized in 1 of its 3 articles (HMS, vowels alike)" \
    sh -c "echo '$(ranked hamas)' | grep -q '^n-hamas-en n-hamas-ru' && ! echo '$(ranked hamas)' | grep -q humus"
check "Arabic letters the key joins are told apart: Hamas finds حماس, not خمس (kh for h) nor هامش (sh for s); and a spelling without vowels, حمص, is another word where the archive writes the name with them ($(sorted hamas))" \
    test "$(sorted hamas)" = "n-hamas-ar n-hamas-en n-hamas-ru"
check "... Reagan finds ريغان, not راكان (k for g)" test "$(sorted reagan)" = "n-reagan-ar n-reagan-en"
check "... Biden finds بايدن, not بعيدين (an ayin where Biden writes one vowel letter), nor بديوان (ب, at, on ديوان, a word of another key the archive holds more often)" \
    test "$(sorted biden)" = "n-biden-ar n-biden-en"
check "... OPEC finds أوبك, not الأبواق (q for c) nor أيباك (a first vowel i for o)" \
    test "$(sorted opec)" = "n-opec-ar n-opec-en"
check "... Assad finds الأسد, not الأجساد (a j where Assad has none)" \
    test "$(sorted assad)" = "n-assad-ar n-assad-en"
check "a spelling of the word's own script with another vowel is another word: Clinton does not find Clayton (KLTN, i and ay)" \
    test "$(ranked clinton)" = "n-clinton"
check "Arabic writes the ng of Washington before a consonant as n: Washington finds واشنطن" \
    test "$(sorted washington)" = "n-washington-ar n-washington-en"
check "... and a first vowel as an ayin, which keys leave out: Abbas finds عباس, not باس (the same key without it)" \
    test "$(sorted abbas)" = "n-abbas-ar n-abbas-en"
check "in the word's own script a g where it has a k weighs less: Juncker ranks Юнкер above Junger ($(ranked juncker))" \
    test "$(ranked juncker)" = "n-juncker-de n-juncker-ru n-junger"
r=$(ranked cairo)
check "a place's key spellings are sought in other scripts only (its own script's are the gazetteer's): Cairo finds Каире, not Gary (KR) ($r)" \
    sh -c "echo '$r' | grep -q n-hamas-ru && ! echo '$r' | grep -q n-gary"
check "Arabic writes p as b: Putin finds بوتين (BTN), not الباطن (a where Putin has u)" \
    test "$(ranked putin)" = "n-putin-en n-putin-ar"
check "... and the English u of Trump as a: Trump finds ترامب" \
    test "$(ranked trump)" = "n-trump-en n-trump-ar"
check "Arabic writes a foreign g with ج: Google finds جوجل" test "$(sorted google)" = "n-google-ar n-google-en"
"$NSEARCH" --index "$names" --json google >"$work/q"
check "... and shows it highlighted" has "$work/q" '<b>جوجل</b>'
check "... but not in a word of Arabic's own, which takes the article: Negm does not find ناجم, resulting (الناجم)" \
    test "$(sorted negm)" = "n-negm-en"
check "... and جوجل finds Google" test "$(sorted جوجل)" = "n-google-ar n-google-en"
check "a name in Kazakh with its endings, whose key is longer: Nazarbayev finds Назарбаевтың" \
    test "$(sorted nazarbayev)" = "n-nazarbayev-en n-nazarbayev-kk"
"$NSEARCH" --index "$names" --json nazarbayev >"$work/q"
check "... and shows it highlighted" has "$work/q" '<b>Назарбаевтың</b>'
check "a word no article holds, with a key of two classes, tries no key: cookie does not find 계약이 (both KK)" \
    test "$(ranked cookie)" = ""
r=$(ranked Zelenskiy)
check "a word no article holds, with a longer key, tries it: Zelenskiy finds the others ($r)" \
    sh -c "echo '$r' | grep -q n-ru && echo '$r' | grep -q n-de && echo '$r' | grep -q n-fr"
# A word no article holds: its name's other spellings above the words its
# stems in other languages find (Turkish stems Astana to "asta").
cat >"$work/astana.jsonl" <<'JSON'
{"id":"as-en","lang":"en","title":"ASTA GROUP BUYS RECEIVABLES","body":"Asta Group said it bought receivables. Asta shares rose."}
{"id":"as-ru","lang":"ru","title":"Саммит","body":"В Астане прошла встреча министров. Астана приняла делегации."}
{"id":"as-tr","lang":"tr","title":"Toplantı","body":"Bakanlar bugün başkentte bir araya geldi ve ticareti konuştu."}
JSON
"$NIDX" --index "$work/astana" --quiet add "$work/astana.jsonl" 2>/dev/null
r=$(fixture_hits "$work/astana" as Astana)
check "a word no article holds: its other spellings as a name (Астана) rank above a word another language's stem finds (Turkish asta: Asta Group), which is still found ($r)" \
    test "$r" = "ru en "

# Own script first: Serbian articles are matched in Latin letters whatever
# their script, and keep their words as written for ranking.
cat >"$work/sr.jsonl" <<'JSON'
{"id":"sr-lat","lang":"sr","title":"Sastanak u Beogradu","body":"Predsednik Vučić se sastao sa ministrima u Beogradu i razgovarao o izvozu žita."}
{"id":"sr-cyr","lang":"sr","title":"Састанак у Београду","body":"Председник Вучић се састао са министрима у Београду и разговарао о извозу жита."}
{"id":"sr-en","lang":"en","title":"Talks","body":"President Vucic met ministers in Belgrade on grain exports."}
JSON
"$NIDX" --index "$work/sr" --quiet add "$work/sr.jsonl" 2>/dev/null
sr_first() { "$NSEARCH" --index "$work/sr" --json --limit 5 --no-snippets "$1" | ids /dev/stdin | head -1; }
check "own script first: Вучић ranks the Cyrillic Serbian article first, Vučić the Latin one ($(sr_first Вучић), $(sr_first Vučić))" \
    test "$(sr_first Вучић) $(sr_first Vučić)" = "sr-cyr sr-lat"
check "... and so for common words: Председник, Predsednik ($(sr_first Председник), $(sr_first Predsednik))" \
    test "$(sr_first Председник) $(sr_first Predsednik)" = "sr-cyr sr-lat"
# The index itself (xapian-delve, from xapian-tools): a name's term counts
# once in an article's length however often it comes back, and the words
# written with a capital mid-sentence have their C term.
if command -v xapian-delve >/dev/null 2>&1; then
    echo '{"id":"n-thrice","lang":"en","title":"x","body":"Yesterday Putin spoke. Then Putin left, and Putin came back."}' >"$work/thrice.jsonl"
    "$NIDX" --index "$work/thrice" --shards 1 --quiet add "$work/thrice.jsonl" 2>/dev/null
    xapian-delve "$work/thrice/shard0" -r 1 -v 2>&1 | tr ' ' '\n' | paste -sd' ' >"$work/terms"
    check "a name's term has wdf 1 however often the name comes (putin 3 times, NPTN once)" \
        sh -c "grep -q ' putin 3 ' '$work/terms' && grep -q ' NPTN:a[0-9a-f]*:putin 1 ' '$work/terms'"
    check "... and the C term of a word written with a capital" has "$work/terms" ' Cputin 0 '
else
    ok "name terms in the index # SKIP xapian-delve not installed (apt-get install xapian-tools)"
    ok "C terms in the index # SKIP xapian-delve not installed"
fi
# Each hit's id, its transliterated words, and its snippet's highlights.
flagged() {
    "$NSEARCH" --index "$names" --json --limit 20 "$@" | sed 's/},{"rank"/\n/g' |
        while IFS= read -r h; do
            id=$(printf '%s' "$h" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
            words=$(printf '%s' "$h" | sed -n 's/.*"transliterated":\[\([^]]*\)\].*/\1/p' | tr -d '"')
            marks=$(printf '%s' "$h" | grep -o '<b>[^<]*</b>' | sed 's|</*b>||g' | paste -sd, -)
            echo "$id ${words:--} ${marks:--}"
        done
}
flagged Zelensky >"$work/flagged"
check "JSON: hits matched only through another spelling say so, with the word as typed" \
    sh -c "grep -qx 'n-ru Zelensky Зеленский' '$work/flagged' && grep -qx 'n-de Zelensky Selenskyj' '$work/flagged' && grep -qx 'n-en Zelensky Zelenskyy' '$work/flagged'"
check "JSON: hits with the spelling as typed are not flagged" \
    sh -c "grep -qx 'n-fr - Zelensky' '$work/flagged' && grep -qx 'n-low - zelensky' '$work/flagged'"
flagged 'Зеленский grain' >"$work/flagged"
check "a Cyrillic query flags the Latin hits, and only the name, not the other word" \
    sh -c "grep -qx 'n-ru - Зеленский' '$work/flagged' && grep -qx 'n-en Зеленский Zelenskyy,grain' '$work/flagged'"
check "--exact-script flags nothing" \
    test "$(flagged --exact-script Zelensky | awk '$2 != "-"')" = ""
"$NSEARCH" --index "$names" --limit 20 Zelensky >"$work/flagged"
check "the text output says which hits hold another spelling" \
    sh -c "grep -B1 -A1 'n-ru · another spelling of Zelensky' '$work/flagged' | grep -q Зеленский && ! grep -q 'n-fr · another' '$work/flagged'"

# ---- places: their names in every language, from ICU's CLDR data ----
# 22 articles: a small archive, whose statistics say nothing of names.
cat >"$work/places.jsonl" <<'PLACES'
{"id": "p-en", "title": "Kazakhstan signs a grain deal", "body": "Kazakhstan will export more wheat this autumn, officials said.", "lang": "en"}
{"id": "p-ru", "title": "Казахстан подписал зерновое соглашение", "body": "В Казахстане начали уборку пшеницы раньше обычного.", "lang": "ru"}
{"id": "p-kk", "title": "Қазақстан астық келісіміне қол қойды", "body": "Қазақстан биыл бидайды көбірек экспорттайды.", "lang": "kk"}
{"id": "p-el", "title": "Το Καζακστάν υπογράφει συμφωνία για τα σιτηρά", "body": "Το Καζακστάν θα εξάγει περισσότερο σιτάρι φέτος.", "lang": "el"}
{"id": "p-ar", "title": "كازاخستان توقع اتفاقية للحبوب", "body": "ستصدر كازاخستان مزيدا من القمح هذا الخريف.", "lang": "ar"}
{"id": "p-zh", "title": "哈萨克斯坦签署粮食协议", "body": "哈萨克斯坦今年秋天将出口更多小麦。", "lang": "zh"}
{"id": "p-de", "title": "Kasachstan unterzeichnet ein Getreideabkommen", "body": "Kasachstan will in diesem Herbst mehr Weizen ausführen.", "lang": "de"}
{"id": "p-dam-ar", "title": "دمشق تستضيف معرض الكتاب", "body": "افتتح في دمشق معرض الكتاب السنوي بمشاركة واسعة.", "lang": "ar"}
{"id": "p-dam-ru", "title": "Книжная ярмарка открылась", "body": "В Дамаске открылась ежегодная книжная ярмарка.", "lang": "ru"}
{"id": "p-merkel", "title": "Меркель приехала в Москву", "body": "Канцлер Меркель провела переговоры в Москве.", "lang": "ru"}
{"id": "p-merkle", "title": "How a Merkle tree stores hashes", "body": "A Merkle tree lets a client check one block without the rest.", "lang": "en"}
{"id": "p-wheat", "title": "Wheat prices fall in Chicago", "body": "Wheat futures fell on news of a large harvest.", "lang": "en"}
{"id": "p-scholz", "title": "Шольц встретился с Макроном", "body": "Канцлер Шольц провёл встречу в Берлине.", "lang": "ru"}
{"id": "p-school", "title": "A new school opens", "body": "The school will take two hundred pupils.", "lang": "en"}
{"id": "p-hamas", "title": "Israel und die Hamas", "body": "Die Hamas kündigte eine Waffenruhe an.", "lang": "de"}
{"id": "p-ham", "title": "El West Ham gana", "body": "El West Ham venció al Lyon; Hamed marcó dos goles.", "lang": "es"}
{"id": "p-ny-en", "title": "Markets", "body": "Shares rose in New York on Monday.", "lang": "en"}
{"id": "p-ny-ar", "title": "أسواق", "body": "ارتفعت الأسهم في نيويورك يوم الاثنين.", "lang": "ar"}
{"id": "p-ny-zh", "title": "市场", "body": "周一纽约股市上涨。", "lang": "zh"}
{"id": "p-york", "title": "Minster", "body": "The minster in York is old; its roof is done.", "lang": "en"}
{"id": "p-riyadh", "title": "زيارة", "body": "وصل الوفد بالرياض أمس.", "lang": "ar"}
{"id": "p-sport", "title": "ملعب", "body": "افتتح النادي الرياضي ملعبا جديدا.", "lang": "ar"}
{"id": "p-baghdad", "title": "وصول", "body": "قال البغدادي إن الوفد وصل إلى بغداد.", "lang": "ar"}
{"id": "p-kkgen", "title": "Егін", "body": "Қазақстанның солтүстігінде егін жиналды.", "lang": "kk"}
{"id": "p-kkloc", "title": "Ауа райы", "body": "Ертең Қазақстанда жаңбыр жауады.", "lang": "kk"}
{"id": "p-kkadj", "title": "Фермерлер", "body": "Қазақстандық фермерлер жаңа техника сатып алды.", "lang": "kk"}
PLACES
"$NIDX" --index "$work/places" --quiet add "$work/places.jsonl" >/dev/null 2>&1
places() { fixture_hits "$work/places" p "$@"; }
places_set() { places "$@" | as_set; }
check "a country in every language on 25 articles ($(places Kazakhstan))" \
    test "$(places_set Kazakhstan)" = "ar de el en kk kkgen kkloc ru zh "
check "... the spelling as typed first" test "$(places Kazakhstan | cut -d' ' -f1)" = en
check "... in Kazakh with its endings (Қазақстанның, of; Қазақстанда, in), not a word made from it (қазақстандық, Kazakhstani: $(places Kazakhstan))" \
    sh -c "echo '$(places Kazakhstan)' | grep -q kkgen && echo '$(places Kazakhstan)' | grep -q kkloc && ! echo '$(places Kazakhstan)' | grep -q kkadj"
kk=$(places Қазақстан)
check "a Kazakh word finds its forms with endings as itself (Қазақстанның, Қазақстанда), not a word made from it ($kk)" \
    sh -c "echo '$kk' | grep -q kkgen && echo '$kk' | grep -q kkloc && ! echo '$kk' | grep -q kkadj"
"$NSEARCH" --index "$work/places" --json Қазақстан >"$work/q"
check "... highlighted in the snippet" has "$work/q" '<b>Қазақстанның</b>'
check "... and Қазақстанда, which has its own, does not take more ($(places Қазақстанда))" test "$(places Қазақстанда)" = "kkloc "
check "... from Cyrillic: the Cyrillic article first ($(places Казахстан))" \
    test "$(places Казахстан | cut -d' ' -f1)" = ru
check "a city by its names, inflected as its language inflects them ($(places Damascus))" \
    test "$(places_set Damascus)" = "dam-ar dam-ru "
check "a place named by several words typed together: New York finds نيويورك and 纽约, as typed first ($(places 'New York'))" \
    test "$(places 'New York' | cut -d' ' -f1-3 | tr ' ' '\n' | sort | tr '\n' ' ')" = "ny-ar ny-en ny-zh " -a \
    "$(places 'New York' | cut -d' ' -f1)" = ny-en
"$NSEARCH" --index "$work/places" --json --limit 20 'New York' >"$work/q"
check "... the hits found through its other names flagged by its first word, the name highlighted" \
    sh -c "grep -q '\"id\":\"p-ny-ar\".*\"transliterated\":\[\"New\"\]' '$work/q' && grep -q '<b>نيويورك</b>' '$work/q'"
check "an Arabic place name with its clitics, not its stem: Riyadh finds بالرياض, not الرياضي, sports ($(places Riyadh))" \
    test "$(places_set Riyadh)" = "riyadh "
"$NSEARCH" --index "$work/places" --json Baghdad >"$work/q"
check "... and the snippet highlights the name, not a word of its stem (بغداد, not البغدادي)" \
    sh -c "grep -q '<b>بغداد</b>' '$work/q' && ! grep -q '<b>البغدادي</b>' '$work/q'"
york=$(places York)
apart=$(places 'new OR york')
check "... not by its words apart: York alone, new OR york ($york; $apart)" \
    sh -c "echo '$york' | grep -q ny-en && ! echo '$york $apart' | grep -q ny-ar"
check "--exact-script: the country as typed only" test "$(places --exact-script Kazakhstan)" = "en "
"$NSEARCH" --index "$work/places" --json --limit 20 Kazakhstan >"$work/q"
check "hits found through a place's other name say so" has "$work/q" '"id":"p-zh".*"transliterated":\["Kazakhstan"\]'
check "... and show it highlighted" has "$work/q" '<b>Казахстане</b>'
"$NSEARCH" --index "$work/places" --json Scholz >"$work/q"
check "no 'did you mean' turning a name with hits in another script into a word (Scholz, not school)" \
    sh -c "grep -q '\"id\":\"p-scholz\"' '$work/q' && grep -q '\"suggestion\":null' '$work/q'"
"$NSEARCH" --index "$work/places" --json Damascus >"$work/q"
check "no 'did you mean' for a place with hits under its other names" has "$work/q" '"suggestion":null'
check "a name is not cut to another word by a language's stemmer (Hamas, not West Ham: Spanish stems it to ham) ($(places Hamas))" \
    test "$(places Hamas)" = "hamas "

# ---- a word's forms ending together in one shard of several ----
# Xapian 1.4.22's OP_MAX read freed memory when its last sub-queries ended
# on one article in a shard of several, the shards then merged (found by
# fuzz_search): "Drohnene" is its stem and its cognate, both in a5 alone,
# in the first shard; counted exactly and with facets, past the first hit.
cat >"$work/max.jsonl" <<'JSON'
{"id": "m1", "title": "Drones over the river", "body": "Farmers saw drones inspect the wheat.", "lang": "en"}
{"id": "m2", "title": "Drohnen über dem Fluss", "body": "Die Bauern sahen Drohnen über dem Weizen.", "lang": "de"}
{"id": "m3", "title": "Drohnen am Himmel", "body": "Neue Drohnen fliegen über der Stadt.", "lang": "de"}
{"id": "m4", "title": "Weizen und Regen", "body": "Der Regen hilft dem Weizen.", "lang": "de"}
JSON
"$NIDX" --index "$work/max" add --shards 2 "$work/max.jsonl" >/dev/null 2>&1
for opts in "--facets --exact-total --offset 1" "--exact-total" "--limit 1 --sort date" "--limit 1"; do
    # shellcheck disable=SC2086 # the options are words
    "$NSEARCH" --index "$work/max" --json $opts Drohnene >"$work/q" 2>"$work/err"
    check "a word whose forms end on one article of a shard of two ($opts)" \
        sh -c "[ $? -eq 0 ] && grep -q '\"total\":2' '$work/q'"
done
