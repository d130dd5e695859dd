#!/bin/sh
# test_docs.sh — the manual pages against the programs and the header: every
# option the commands' --help lists is in their manual page, every option
# a manual page lists is one the command takes, every command of nidx is
# described, and every function of include/nidx.h is in libnidx(3). Also
# the README's opening: the two set-up commands, first.
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

# Every function the header declares is in libnidx(3).
grep -o '[a-z_]*nidx_[a-z_]*(' "$srcdir/include/nidx.h" | tr -d '(' | sort -u >"$work/functions"
missing=""
for f in $(cat "$work/functions"); do
    grep -q "$f" "$srcdir/doc/libnidx.3" || missing="$missing $f"
done
check "libnidx(3) names every function of nidx.h ($(wc -l <"$work/functions") functions; missing:$missing)" test -z "$missing"

# The README opens with the two commands: set-up and demo, then the tests.
blocks=$(awk '/^```sh$/ { n++; getline; print n ": " $0 } n == 2 { exit }' "$srcdir/README.md")
check "README: the first command installs, builds and runs the demo" \
    sh -c "echo '$blocks' | grep -q '^1: apt-get .*make -j2 && ./nidx add corpus/ && ./nsearch '"
check "README: the second builds and runs the tests" \
    sh -c "echo '$blocks' | grep -q '^2: apt-get .*make -s -j2 check\$'"
check "README: at most 200 lines ($(wc -l <"$srcdir/README.md"))" test "$(wc -l <"$srcdir/README.md")" -le 200

echo "1..$n"
