#!/bin/sh
# bench_names.sh — names across scripts on real news. First, for each of
# 74 names of bench/names.tsv (places, people, organisations, each with its
# spellings in every script), judged on the articles' text by
# bench/bench_names.c: precision of the first ten hits, recall, flags,
# "did you mean", with name keys and places and with --exact-script. Then,
# for a few names, the hits of a query as typed, and of those, the hits
# whose snippet shows a spelling of the name (a pattern written here).
# Indexes the Latin, Cyrillic, Arabic and Chinese news (Reuters, BBC,
# SaudiNewsNet, Russian, Ukrainian, German, Spanish, Kazakh, Turkish, WMT,
# Chinese).
# A benchmark, not a test: it skips cleanly when the corpora are absent.
#   make bench-names    (or: srcdir=. builddir=. sh bench/bench_names.sh)
. "${srcdir:-.}/bench/bench_lib.sh"
out="$builddir/bench/out"
idx="$out/names-index"
mkdir -p "$out/names-news"
rm -rf "$idx"
for f in ru_nerel_wikinews ru_factrueval uk_bruk_press uk_nashigroshi bbc_news \
    reuters21578 ar_saudinewsnet wmt_newstest_src tr_financial_news \
    gnad10k_test_de es_conll2002_efe kk_kaznerd_sentences zh_news2018; do
    [ -f "$news/$f.jsonl.gz" ] && ln -sf "$news/$f.jsonl.gz" "$out/names-news/"
done
/usr/bin/time -f "indexed in %U s of CPU, peak %M KB" \
    "$builddir/nidx" --quiet --index "$idx" add "$out/names-news"
"$builddir/nidx" --index "$idx" stats | grep -e '^articles' -e '^size'

"$builddir/bench/bench_names" "$idx" "$srcdir/bench/names.tsv" "$out"/names-news/*.jsonl.gz

# row QUERY PATTERN: hits, and hits showing a spelling, both ways.
row() {
    for mode in "" --exact-script; do
        "$builddir/nsearch" --index "$idx" --json --limit 10000 $mode "$1" |
            sed 's/},{"rank"/\n/g' >"$out/names.json"
        hits=$(grep -c '"id"' "$out/names.json")
        shown=$(grep -o '"snippet":"[^"]*"' "$out/names.json" |
            grep -c "<b>[^<]*\($2\)")
        printf ' %6s / %-6s' "$hits" "$shown"
    done
    printf '  %s\n' "$1"
}
echo "hits / showing the name: with keys, then --exact-script"
row serbia 'صرب\|Serb\|serb\|SERB\|Серб\|Сърб\|Срб\|Srb'
row paris 'باريس\|Paris\|PARIS\|París\|Париж\|paris'
row london 'لندن\|London\|LONDON\|Лондон\|Londres\|london'
row moscow 'موسكو\|Moscow\|MOSCOW\|Москв\|Moskau\|Moscú\|moscow'
row obama 'أوباما\|اوباما\|Obama\|OBAMA\|Обам\|obama'
row merkel 'ميركل\|Merkel\|MERKEL\|Меркель\|merkel'
row erdogan 'إردوغان\|أردوغان\|اردوغان\|Erdoğan\|Erdogan\|ERDOGAN\|Эрдоган\|Ердоган\|Ердоған\|erdogan'
row yemen 'اليمن\|Yemen\|YEMEN\|Йемен\|yemen'
row Путин 'بوتين\|Putin\|PUTIN\|Путин\|Путін\|putin'
