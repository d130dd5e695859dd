#!/bin/sh
# lucene_setup.sh — makes the Lucene peer runnable: installs Debian's Lucene 8
# and ICU4J (and what the rebuild needs) when run as root, rebuilds the ICU
# data files of Lucene's ICU analyzer for Debian's ICU4J, and compiles
# bench/peers/LucenePeer.java. Writes into OUT (default bench/out/lucene):
#   OUT/classpath   the class path to run the peer with
#   OUT/status      "icu" when the ICU analyzer works, else "standard"
#   OUT/lucene_icu_peer, OUT/lucene_standard_peer
#                   the peer as the other peers are run: PEER index DIR FILE...,
#                   PEER search DIR QUERIES [DEPTH]
# Debian's lucene-analyzers-icu jar carries a break-rule file (Default.brk)
# and a normalization file (utr30.nrm) built by an older ICU, which ICU4J 72
# refuses ("Header authentication failed"). Lucene's own build regenerates
# them (ant regenerate: gennorm2 + icupkg for utr30.nrm, RBBIRuleCompiler for
# the .brk files); the sources come from Debian's lucene8 source package.
#   sh bench/peers/lucene_setup.sh [OUT]
set -u
srcdir=${srcdir:-.}
out=${1:-${builddir:-.}/bench/out/lucene}
mkdir -p "$out"
out=$(cd "$out" && pwd)
say() { echo "lucene_setup: $*" >&2; }

if [ "$(id -u)" = 0 ]; then
    apt-get install -y -q liblucene8-java libicu4j-java libjackson2-core-java \
        icu-devtools default-jdk-headless >"$out/apt.log" 2>&1 ||
        say "apt-get install failed (see $out/apt.log)"
fi
J=/usr/share/java
for jar in lucene-core lucene-analyzers-common lucene-analyzers-icu lucene-queryparser \
    lucene-queries icu4j jackson-core; do
    f=$(ls "$J"/$jar.jar "$J"/$jar-[0-9]*.jar 2>/dev/null | head -n 1)
    if [ -z "$f" ]; then
        say "missing $jar in $J (apt-get install liblucene8-java libicu4j-java libjackson2-core-java)"
        exit 1
    fi
    eval "jar_$(echo "$jar" | tr - _)=\$f"
done
command -v javac >/dev/null || { say "no javac (apt-get install default-jdk-headless)"; exit 1; }

# The ICU analyzer's data, rebuilt for this ICU4J.
fixed="$out/lucene-analyzers-icu-rebuilt.jar"
status=standard
if [ ! -s "$fixed" ]; then
    src="$out/src"
    rm -rf "$src" && mkdir -p "$src/apt/lists/partial" "$src/parts"
    printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        >"$src/parts/src.sources"
    apt_src="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$src/parts -o Dir::State::Lists=$src/apt/lists"
    # The upstream tarball is what is needed; the Debian diff may be missing.
    (cd "$src" && apt-get $apt_src update >/dev/null 2>&1 &&
        apt-get $apt_src source --download-only lucene8 >/dev/null 2>&1)
    tarball=$(ls "$src"/lucene8_*.orig.tar.* 2>/dev/null | head -n 1)
    if [ -n "$tarball" ] && command -v gennorm2 >/dev/null && command -v icupkg >/dev/null; then
        top=$(tar tf "$tarball" | head -n 1 | cut -d/ -f1)
        tar xf "$tarball" -C "$src" "$top/analysis/icu/src/data" "$top/analysis/icu/src/tools"
        icu="$src/$top/analysis/icu"
        res="$src/res/org/apache/lucene/analysis/icu"
        mkdir -p "$res/segmentation" "$src/classes"
        (cd "$icu/src/data/utr30" && gennorm2 -s . nfc.txt nfkc.txt nfkc_cf.txt \
            BasicFoldings.txt DiacriticFolding.txt DingbatFolding.txt \
            HanRadicalFolding.txt NativeDigitFolding.txt -o "$src/utr30.tmp" >/dev/null 2>&1) &&
            icupkg -tb "$src/utr30.tmp" "$res/utr30.nrm" &&
            javac -nowarn -d "$src/classes" -cp "$jar_icu4j" \
                "$icu/src/tools/java/org/apache/lucene/analysis/icu/RBBIRuleCompiler.java" &&
            java -cp "$src/classes:$jar_icu4j" org.apache.lucene.analysis.icu.RBBIRuleCompiler \
                "$icu/src/data/uax29" "$res/segmentation" 2>"$src/rbbi.log" &&
            cp "$jar_lucene_analyzers_icu" "$fixed.tmp" &&
            (cd "$src/res" && jar uf "$fixed.tmp" \
                org/apache/lucene/analysis/icu/utr30.nrm \
                org/apache/lucene/analysis/icu/segmentation/*.brk) &&
            mv "$fixed.tmp" "$fixed"
    fi
    [ -s "$fixed" ] || say "could not rebuild the ICU data (no source package, gennorm2 or icupkg); the ICU analyzer is left out"
fi
icu_jar=$jar_lucene_analyzers_icu
[ -s "$fixed" ] && icu_jar=$fixed
cp="$jar_lucene_core:$jar_lucene_analyzers_common:$icu_jar:$jar_lucene_queryparser:$jar_lucene_queries:$jar_icu4j:$jar_jackson_core"
mkdir -p "$out/classes"
javac -nowarn -d "$out/classes" -cp "$cp" "$srcdir/bench/peers/LucenePeer.java" || exit 1
echo "$cp:$out/classes" >"$out/classpath"
# Does the ICU analyzer start?
if java -cp "$cp:$out/classes" LucenePeer check >/dev/null 2>"$out/check.log"; then
    status=icu
else
    say "Lucene's ICU analyzer fails to start ($(head -c 200 "$out/check.log")); StandardAnalyzer only"
fi
echo "$status" >"$out/status"
for kind in icu standard; do
    flag=$([ $kind = standard ] && echo --standard)
    [ $kind = icu ] && [ $status != icu ] && continue
    printf '#!/bin/sh\nexec java -Xmx2g -cp "%s" LucenePeer %s "$@"\n' "$cp:$out/classes" "$flag" \
        >"$out/lucene_${kind}_peer"
    chmod +x "$out/lucene_${kind}_peer"
done
say "ready ($status): $out"
