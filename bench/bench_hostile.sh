#!/bin/sh
# bench_hostile.sh — what hostile input costs, on input it writes itself
# (no corpora needed): the writer's peak memory on random words (every
# word new: the memory budget's worst case), a page of nested <article>s,
# and a query of 1,000 unknown words. Figures for doc/manual.md's "Limits and
# hostile input" and "Memory".
#
#   srcdir=. builddir=. sh bench/bench_hostile.sh
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
NIDX="$builddir/nidx"
NSEARCH="$builddir/nsearch"
if [ ! -x /usr/bin/time ]; then
    echo "bench: needs GNU time for peak memory: apt-get install time"
    exit 2
fi
work=$(mktemp -d /tmp/nidx-bench-hostile-XXXXXX)
trap 'rm -rf "$work"' EXIT

# words N: N random words of 3 to 10 letters, the same every run.
words() {
    awk -v n="$1" -v seed="$2" 'BEGIN { srand(seed); for (i = 0; i < n; i++) {
        k = 3 + int(rand() * 8); w = ""
        for (j = 0; j < k; j++) w = w sprintf("%c", 97 + int(rand() * 26))
        printf "%s ", w } }'
}
# peak NAME ARGS...: nidx's peak RSS (MB) and seconds for one run.
peak() {
    name=$1
    shift
    rm -rf "$work/ix"
    /usr/bin/time -f "%M %e" -o "$work/time" "$NIDX" --index "$work/ix" --quiet "$@" \
        >/dev/null 2>"$work/err"
    read -r kb secs <"$work/time"
    printf '%-44s %6d MB peak %7.1f s  %s\n' "$name" $((kb / 1024)) "$secs" \
        "$(grep -o 'indexed on its first [0-9.]* MB' "$work/err" | head -n 1)"
}

echo "== the writer's memory on random words (every word new) =="
awk 'BEGIN { srand(7); for (i = 1; i <= 5000; i++) {
    printf "{\"id\": \"r%d\", \"title\": \"t\", \"lang\": \"en\", \"body\": \"", i
    for (n = 0; n < 1500; n++) {
        k = 3 + int(rand() * 8); w = ""
        for (j = 0; j < k; j++) w = w sprintf("%c", 97 + int(rand() * 26))
        printf "%s ", w }
    print "\"}" } }' >"$work/random.jsonl"
mb=$(($(wc -c <"$work/random.jsonl") / 1000000))
peak "$mb MB in 5,000 articles, --memory 1024" add "$work/random.jsonl"
peak "$mb MB in 5,000 articles, --memory 300" --memory 300 add "$work/random.jsonl"
{ echo "Random title"; words 7000000 1; } >"$work/one.txt"
mb=$(($(wc -c <"$work/one.txt") / 1000000))
peak "one article of $mb MB, --memory 1024" add "$work/one.txt"

echo "== a page of 250 nested <article>s around 100,000 paragraphs =="
awk 'BEGIN { printf "<html><head><title>Nested</title></head><body>"
    for (i = 0; i < 250; i++) printf "<article>"
    for (i = 0; i < 100000; i++) printf "<p>para %d words here</p>", i
    for (i = 0; i < 250; i++) printf "</article>"
    print "</body></html>" }' >"$work/nested.html"
peak "nested.html ($(($(wc -c <"$work/nested.html") / 1000000)) MB)" add "$work/nested.html"

echo "== a query of 1,000 unknown words, ORed =="
rm -rf "$work/ix"
"$NIDX" --index "$work/ix" --quiet add "$srcdir/corpus" >/dev/null 2>&1
q=$(awk 'BEGIN { for (i = 0; i < 1000; i++) printf "%sunknown%d", (i ? " OR " : ""), i }')
/usr/bin/time -f "%e" -o "$work/time" "$NSEARCH" --index "$work/ix" --count "$q" >/dev/null 2>&1
echo "1,000 unknown words ORed, on the sample corpus: $(tail -n 1 "$work/time") s"
