# Every decoder and every copy is bounded (SPEC 10, 13): an input needing
# more memory than the limits (core/limits.h) is named with the reason and
# skipped (exit 2) while the files beside it are read, and the peak RSS of
# each run stays under 150 MB.  Journal export entries over the limits are
# skipped with a warning and the entries after them read.  No object is
# left in /dev/shm, whether the nested journal is read or refused.
set -e
line='Jan  1 00:00:00 web01 sshd[1]: Accepted password for root from 10.0.0.1 port 22 ssh2'
max=153600
[ -z "${ASAN_OPTIONS:-}" ] || max=1048576
# run OUT ERR ARGS...: runs loghunt, keeps its exit status in rc, checks
# its peak RSS and that it left nothing in /dev/shm
run() {
	out=$1 err=$2
	shift 2
	rc=0
	# sh execs loghunt: pid is loghunt's, which names its /dev/shm objects
	/usr/bin/time -o rss -f %M sh -c 'echo $$ > pid; exec "$0" "$@"' \
	    "$LOGHUNT" "$@" > "$out" 2> "$err" || rc=$?
	kb=$(tail -n 1 rss)
	echo "$* -> exit $rc, peak RSS $kb KB"
	test "$kb" -lt $max
	! ls /dev/shm 2>/dev/null | grep -q "^loghunt-$(cat pid)-"
}

# zstd: a frame asking for a 1 GiB window (zstd --long=30 of a pipe keeps
# its window) is refused with the window it asked for; the file beside it
# and every frame before it are read
echo "$line" > a.log
seq 1 2000 | sed "s/^/$line /" | zstd -q -c > long.zst
echo "$line" | zstd -q --long=30 -c >> long.zst
run q.json q.err query -f json 'host.hostname:web01' long.zst a.log
cat q.err
test "$rc" = 2
grep -q 'long.zst: zstd frame at offset [0-9]* needs a 1024 MiB window, more than the 128 MiB allowed; skipped' q.err
grep -q '"path":"a.log"' q.json
test "$(grep -c '"path":"long.zst","line":' q.json)" = 2000

# xz: a 1.5 GiB dictionary (allowed by xz for any input size) needs more
# than the 256 MiB liblzma may use
echo "$line" | xz --lzma2=dict=1536MiB -c > dict.xz
run q.json q.err query -f json 'host.hostname:web01' dict.xz a.log
cat q.err
test "$rc" = 2
grep -q 'dict.xz: xz stream at offset 0 needs 1537 MiB to decode, more than the 256 MiB allowed; skipped' q.err
grep -q '"path":"a.log"' q.json

# journal export: an entry of 100,001 fields, one of 40,000 1 KB lines
# (40 MB) and one of four 10 MiB binary values are dropped with a warning;
# the entries around them (one with a 10 MiB binary value) are read
python3 - <<'EOF'
import struct
def entry(i, extra=b''):
    return (b'__CURSOR=s=1;i=%d\n__REALTIME_TIMESTAMP=%d\n'
            b'_HOSTNAME=web01\nSYSLOG_IDENTIFIER=sshd\n'
            % (i, 1767225600000000 + i * 1000000) + extra +
            b'MESSAGE=Accepted publickey for root from 192.0.2.%d port 22 '
            b'ssh2\n\n' % i)
def binary(k, n):
    return b'BIN%d\n' % k + struct.pack('<Q', n) + b'\n' * n + b'\n'
with open('wide.export', 'wb') as f:
    f.write(entry(1))
    f.write(entry(2, b''.join(b'F%d=x\n' % k for k in range(100001))))
    f.write(entry(3, binary(0, 10 << 20)))
    f.write(entry(4, b''.join(b'G%d=%s\n' % (k, b'y' * 1000)
                              for k in range(40000))))
    f.write(entry(5, b''.join(binary(k, 10 << 20) for k in range(4))))
    f.write(entry(6))
EOF
run q.json q.err query -f json 'host.hostname:web01' wide.export
cat q.err
test "$rc" = 0
test "$(grep -c 'wide.export:[0-9]*: entry at offset [0-9]* has more than 100000 fields or 32 MiB, skipped' q.err)" = 3
grep -q '^loghunt: warning: wide.export:7: entry at offset' q.err
test "$(grep -o '"__CURSOR":"s=1;i=[0-9]*"' q.json | tr '\n' ' ')" = '"__CURSOR":"s=1;i=1" "__CURSOR":"s=1;i=3" "__CURSOR":"s=1;i=6" '
# the newlines inside binary values count: entry 6 starts where it is
grep -q '"path":"wide.export","line":'"$(grep -n -a '^__CURSOR=s=1;i=6$' wide.export | cut -d: -f1)" q.json

# a native journal inside a tar.gz: read through a memfd and a /dev/shm
# copy for libsystemd, which is gone after the run
remote=/lib/systemd/systemd-journal-remote
[ -x "$remote" ] || remote=/usr/lib/systemd/systemd-journal-remote
if [ -x "$remote" ]; then
	printf '%s\n' '__REALTIME_TIMESTAMP=1767225603000000' \
	    '_HOSTNAME=web01' 'SYSLOG_IDENTIFIER=sshd' '_TRANSPORT=syslog' \
	    "MESSAGE=${line#*: }" '' > j.export
	"$remote" -o "$T/j.journal" - < j.export 2>/dev/null
	tar czf j.tar.gz j.journal
	run q.json q.err query -f json 'host.hostname:web01' j.tar.gz
	test "$rc" = 0
	grep -q '"path":"j.tar.gz!j.journal","line":1' q.json
fi

# copies for random access stop at 1 GiB: a "journal" (its magic, then
# 1.1 GiB of zeros) and a 7z archive followed by 1.1 GiB of zeros, both
# compressed, are refused; the file beside them is read
{ printf 'LPKSHHRH'; head -c 1100M /dev/zero; } | zstd -q -1 -c > huge.journal.zst
mkdir w
echo "$line" > w/syslog
(cd w && bsdtar --format 7zip -cf ../w.7z syslog)
{ cat w.7z; head -c 1100M /dev/zero; } | zstd -q -1 -c > huge.7z.zst
run q.json q.err query -f json 'host.hostname:web01' huge.journal.zst huge.7z.zst a.log
cat q.err
test "$rc" = 2
grep -q 'huge.journal.zst: larger than 1024 MiB, the most copied into memory for random access; skipped' q.err
grep -q 'huge.7z.zst: larger than 1024 MiB, the most copied into memory for random access; skipped' q.err
grep -q '"path":"a.log"' q.json
# the same 7z without the padding is read from a pipe
zstd -q -c w.7z > w.7z.zst
run q.json q.err query -f json 'host.hostname:web01' w.7z.zst
test "$rc" = 0
grep -q '"path":"w.7z.zst!syslog","line":1' q.json
