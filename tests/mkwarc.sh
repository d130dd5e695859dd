#!/bin/sh
# mkwarc.sh OUT [gz]: a small web archive written for the tests, in a
# scratch directory; with "gz", each record is its own gzip member, as
# crawlers write .warc.gz.
set -u
out=$1
gz=${2:-}
cd "$(dirname "$out")" || exit 1
: >"$out"
# record TYPE URI CONTENT-TYPE BLOCK-FILE
record() {
    len=$(wc -c <"$4")
    {
    printf 'WARC/1.0\r\nWARC-Type: %s\r\nWARC-Target-URI: %s\r\nWARC-Date: 2023-06-0%sT10:00:00Z\r\nWARC-Record-ID: <urn:uuid:%s>\r\nContent-Type: %s\r\nContent-Length: %s\r\n\r\n' \
        "$1" "$2" "$5" "$2" "$3" "$len"
    cat "$4"
    printf '\r\n\r\n'
    } >rec
    if [ -n "$gz" ]; then gzip -c rec >>"$out"; else cat rec >>"$out"; fi
}
printf 'software: mkwarc\r\n' >b0
record warcinfo "" "application/warc-fields" b0 1
printf 'GET /harbour HTTP/1.1\r\nHost: port.example\r\n\r\n' >b1
record request "https://port.example/harbour" "application/http; msgtype=request" b1 1
printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><head><title>Harbour cranes back at work</title></head><body><nav><a href="/">Home</a></nav><p>The harbour cranes of Koper are unloading container ships again after the strike ended.</p></body></html>' >b2
record response "https://port.example/harbour" "application/http; msgtype=response" b2 1
printf 'HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\211PNG\r\n\032\n\000\000\000binary' >b3
record response "https://port.example/logo.png" "application/http; msgtype=response" b3 2
printf 'HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<html><body>missing page notfoundword</body></html>' >b4
record response "https://port.example/missing" "application/http; msgtype=response" b4 2
printf 'Ferry timetable\nThe summer ferry timetable starts on the first of July.\n' >b5
record resource "https://port.example/ferry.txt" "text/plain" b5 3
printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1251\r\nTransfer-Encoding: chunked\r\n\r\n' >b6
printf '<html><head><title>\317\356\360\362</title></head><body><p>\317\356\360\362 \352\356\357\345\360 \356\362\352\360\373\353 \355\356\342\373\351 \357\350\360\361.</p></body></html>' >page6
printf '%x\r\n' "$(wc -c <page6)" >>b6; cat page6 >>b6; printf '\r\n0\r\n\r\n' >>b6
record response "https://port.example/ru/port" "application/http; msgtype=response" b6 4
printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n' >b7
printf '<html><body><article><p>Compressed page about lighthouse keepers of Piran.</p></article></body></html>' | gzip -c >>b7
record response "https://port.example/lighthouse" "application/http; msgtype=response" b7 5
