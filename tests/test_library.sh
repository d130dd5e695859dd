# test_library.sh — libnidx as a program outside the tree uses it: make
# install into a scratch prefix, then the example of libnidx(3) compiled
# against the shared library and, with nidx-static.pc, against libnidx.a
# while libnidx.so is installed too; both run on a real index.
. "$srcdir/tests/cli_lib.sh"

if ! install_scratch; then
    not_ok "make install into a scratch prefix ($(tail -n 3 "$work/install.log"))"
    exit 1
fi
ok "make install into a scratch prefix"
check "installed: the header" test -f "$prefix/include/nidx.h"
check "installed: libnidx(3)" test -f "$prefix/share/man/man3/libnidx.3"
check "installed: nidx(1) and nsearch(1)" test -f "$prefix/share/man/man1/nidx.1" -a -f "$prefix/share/man/man1/nsearch.1"
check "installed: nidx.pc" test -f "$prefix/lib/pkgconfig/nidx.pc"

# The example exactly as the manual prints it (roff's \e is a backslash).
sed -n '/^\.EX$/,/^\.EE$/p' "$srcdir/doc/libnidx.3" | sed '1d;$d' |
    sed 's/\\e/\\/g' >"$work/example.c"
check "the manual's example is there to compile" has "$work/example.c" "nidx_search(s"

"$NIDX" --index "$idx" --quiet add "$srcdir/corpus" >/dev/null 2>&1
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cc -std=c11 -Wall -Werror -o "$work/shared" "$work/example.c" \
    $(pkg-config --define-variable=prefix="$prefix" --cflags --libs nidx) 2>"$work/cc.err"
check "the example compiles against the shared library ($(head -c 300 "$work/cc.err"))" test -x "$work/shared"
LD_LIBRARY_PATH="$prefix/lib" "$work/shared" "$idx" bayraktar >"$work/out" 2>&1
check "and runs: hits in English or Serbian, newest first" has "$work/out" '^1\. '
check "and prints the library's JSON" has "$work/out" '"query":"bayraktar","total":'

# Static, as after any make install: libnidx.so and libnidx.a both there.
# nidx-static.pc names the archive by path, so it is the one linked.
check "installed: nidx-static.pc" test -f "$prefix/lib/pkgconfig/nidx-static.pc"
check "installed: libnidx.so beside libnidx.a" test -e "$prefix/lib/libnidx.so" -a -f "$prefix/lib/libnidx.a"
cc -std=c11 -Wall -Werror -o "$work/static" "$work/example.c" \
    $(pkg-config --define-variable=prefix="$prefix" --cflags --libs nidx-static) 2>"$work/cc.err"
check "pkg-config --libs nidx-static links libnidx.a ($(head -c 300 "$work/cc.err"))" test -x "$work/static"
check "the static program needs no libnidx.so, though it is installed" sh -c "ldd '$work/static' >'$work/ldd' && ! grep -q libnidx '$work/ldd'"
check "the static program holds the engine itself" sh -c "nm '$work/static' | grep -q ' T nidx_search\$'"
rm -f "$prefix"/lib/libnidx.so*
"$work/static" "$idx" "bayraktar" >"$work/out2" 2>&1
check "the static program answers as the shared one" cmp -s "$work/out" "$work/out2"
"$work/static" "$idx" "drones CD:UK" >"$work/out3" 2>&1
check "the static program: a query error with its position" has "$work/out3" "at character 8"
