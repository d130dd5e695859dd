#!/bin/sh
# test_docs.sh — the manual pages against the programs and the header: every
# option the commands' --help lists is in their manual page, every option
# a manual page lists is one the command takes, every command of nidx is
# described, every file suffix the readers know is in nidx(1)'s FORMATS,
# every function of include/nidx.h is in libnidx(3), every operator and
# field of the query language is in nsearch(1) and the manual, whose
# examples nsearch takes. Also the README's opening: the two set-up
# commands, first.
. "${srcdir:-.}/tests/cli_lib.sh"

# The long options a text names: --name, or \-\-name in a manual page
# (not on lines about Xapian's servers, whose options they are).
options_of() { sed '/xapian/d; s/\\-/-/g' "$1" | grep -o -- '--[a-z][a-z0-9-]*' | sort -u; }

for prog in nidx nsearch; do
    bin=$([ $prog = nidx ] && echo "$NIDX" || echo "$NSEARCH")
    page="$srcdir/doc/$prog.1"
    "$bin" --help >"$work/help" 2>&1
    options_of "$work/help" >"$work/help.opts"
    options_of "$page" >"$work/page.opts"
    missing=$(comm -23 "$work/help.opts" "$work/page.opts" | tr '\n' ' ')
    check "$prog(1) describes every option of $prog --help (missing: $missing)" test -z "$missing"
    # What the page names must be an option the program takes.
    unknown=""
    for o in $(comm -13 "$work/help.opts" "$work/page.opts"); do
        "$bin" "$o" --help >/dev/null 2>"$work/err"
        grep -q "unrecognized option\|unknown option" "$work/err" && unknown="$unknown $o"
    done
    check "$prog(1) names no option $prog refuses (refused:$unknown)" test -z "$unknown"
    check "$prog --version prints the library's version" \
        sh -c "'$bin' --version | grep -q '^$prog [0-9][0-9.]*\$'"
done
for command in add remove cluster stats compact check serve; do
    check "nidx(1) describes nidx $command" grep -q "^\\.B.* $command\\b\\|\\\\fB$command\\\\fR\\|^\\.BR* $command\\b" "$srcdir/doc/nidx.1"
done

# Every file suffix the readers recognize is in nidx(1)'s FORMATS.
suffixes=$(grep -o 'ends_with(path, n, "\.[a-z]*")' "$srcdir/indexer/reader.c" | sed 's/.*"\(.*\)")/\1/' | sort -u)
sed -n '/^\.SH FORMATS/,/^\.SH OPTIONS/p' "$srcdir/doc/nidx.1" >"$work/formats"
missing=""
for x in $suffixes; do grep -q "\\$x\b\|[^a-z]$x\b" "$work/formats" || missing="$missing $x"; done
check "nidx(1) FORMATS names every suffix the readers know ($(echo $suffixes); missing:$missing)" \
    test -z "$missing" -a "$(echo $suffixes | wc -w)" -ge 6

# Every function the header declares is in libnidx(3).
grep -o '[a-z_]*nidx_[a-z_]*(' "$srcdir/include/nidx.h" | tr -d '(' | sort -u >"$work/functions"
missing=""
for f in $(cat "$work/functions"); do
    grep -q "$f" "$srcdir/doc/libnidx.3" || missing="$missing $f"
done
check "libnidx(3) names every function of nidx.h ($(wc -l <"$work/functions") functions; missing:$missing)" test -z "$missing"

# The query language: every operator and field the parser knows is in
# nsearch(1)'s QUERY LANGUAGE section and in the manual's table, and every
# example of the manual's table is a query nsearch takes.
sed -n '/^\.SH QUERY LANGUAGE/,/^\.SH OPTIONS/p' "$srcdir/doc/nsearch.1" | sed 's/\\f[BIRP]//g; s/\\(dq/"/g' >"$work/qlang"
sed -n '/^| query | finds |/,/^$/p' "$srcdir/doc/manual.md" >"$work/qtable"
ops=$(grep -o '{"[A-Z]*", OP_[A-Z]*}' "$srcdir/query/parse.c" | sed 's/{"\([A-Z]*\)".*/\1/' | sort -u)
fields=$( (echo title; grep -o '{"[a-z]*", parse_[a-z]*}' "$srcdir/query/parse.c" | sed 's/{"\([a-z]*\)".*/\1/') | sort -u)
check "the parser has operators and fields to check ($(echo $ops) / $(echo $fields))" \
    test "$(echo $ops | wc -w)" -ge 4 -a "$(echo $fields | wc -w)" -ge 6
missing=""
for o in $ops; do
    grep -q "\b$o\b" "$work/qlang" || missing="$missing nsearch(1):$o"
    grep -q "\b$o\b" "$work/qtable" || missing="$missing manual:$o"
done
for f in $fields; do
    grep -q "$f:" "$work/qlang" || missing="$missing nsearch(1):$f:"
    grep -q "\`$f:" "$work/qtable" || missing="$missing manual:$f:"
done
check "nsearch(1) and the manual describe every operator and field (missing:$missing)" test -z "$missing"
"$NIDX" --index "$idx" add "$srcdir/corpus" >/dev/null 2>&1
sed -n 's/^| \(.*\) | .* |$/\1/p' "$work/qtable" | sed 1,2d | grep -o '`[^`]*`' | tr -d '`' >"$work/examples"
refused=""
while IFS= read -r q; do
    "$NSEARCH" --index "$idx" --count -- "$q" >/dev/null 2>&1
    [ $? -eq 2 ] && refused="$refused [$q]"
done <"$work/examples"
check "every example of the manual's query table is taken ($(wc -l <"$work/examples") examples; refused:$refused)" \
    test -z "$refused" -a "$(wc -l <"$work/examples")" -ge 20

# The README opens with the two commands: set-up and demo, then the tests.
blocks=$(awk '/^```sh$/ { n++; getline; print n ": " $0 } n == 2 { exit }' "$srcdir/README.md")
check "README: the first command installs, builds and runs the demo" \
    sh -c "echo '$blocks' | grep -q '^1: apt-get .*make -j2 && ./nidx add corpus/ && ./nsearch '"
check "README: the second builds and runs the tests" \
    sh -c "echo '$blocks' | grep -q '^2: apt-get .*make -s -j2 check\$'"
check "README: at most 200 lines ($(wc -l <"$srcdir/README.md"))" test "$(wc -l <"$srcdir/README.md")" -le 200

echo "1..$n"
