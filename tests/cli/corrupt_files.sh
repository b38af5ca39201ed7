# Odd files (SPEC 10): a 0-byte file is no error at all; a 10 MB line is
# cut with a warning naming the file and line and the lines after it are
# read; NUL bytes and invalid UTF-8 inside messages neither stop the file
# nor corrupt the output; a symbolic link loop in a directory is skipped
# with a warning; an unreadable file and directory are errors (exit 2)
# while the readable files of the same run are still reported.  (A
# journal file cut in half is in journal.sh.)
set -e
k="$FIX/ev/web01/var/log/kern.log"

# a 0-byte file: nothing to say, no match
: > empty.log
rc=0
"$LOGHUNT" -f json empty.log > out0 2> err0 || rc=$?
test $rc = 1
test ! -s err0
test ! -s out0

# a 10 MiB line between kernel lines
{ sed -n 1p "$k"; printf 'Jan  1 00:00:10 web01 kernel: '
  head -c 10485760 /dev/zero | tr '\0' A; printf ' segfault\n'
  sed -n 2,6p "$k"; } > long.log
"$LOGHUNT" -f json long.log > long.jsonl 2> long.err
grep -q '^loghunt: warning: long.log:2: line longer than 1048576 bytes, cut$' \
    long.err
test "$(grep -o '"line":[0-9]*' long.jsonl | tr '\n' ' ')" = \
    '"line":1 "line":3 "line":6 '

# NUL bytes and invalid UTF-8 (a lone continuation byte, a cut sequence,
# an overlong NUL, a surrogate) inside alerting messages
{ sed -n 1p "$k" | sed 's/likely on/likely \x00on\xff\xc0\x80/'
  sed -n 2p "$k" | sed 's/error 14/error 14 \x80\xed\xa0\x80\xe2\x82/'
  sed -n 3,6p "$k"; } > bin.log
for f in text json csv; do
	"$LOGHUNT" -f $f bin.log > bin.$f 2> bin.$f.err
done
test "$(grep -c '"line"' bin.json)" = 3
python3 - bin.json bin.text bin.csv <<'PY'
import json, sys
js, text, csv = (open(p, "rb").read() for p in sys.argv[1:])
for line in js.splitlines():
    json.loads(line.decode("utf-8"))      # valid UTF-8 JSON, or this fails
for out in (text, csv):
    out.decode("utf-8")
    assert b"\0" not in out, "NUL in output"
assert b"\0" not in js
PY

# a symbolic link loop inside a directory, and one named directly
mkdir -p d/sub
cp "$k" d/kern.log
ln -s .. d/sub/up
ln -s d/loop2 d/loop1
ln -s loop1 d/loop2
"$LOGHUNT" -f json d > loop.jsonl 2> loop.err
test "$(wc -l < loop.jsonl)" = 3
grep -q 'd/sub/up: symbolic link loop, skipped' loop.err

# unreadable file and directories: root reads everything, so run loghunt
# as nobody when we are root; skip this part when that is impossible
uid=$(id -u)
as=""
if [ "$uid" = 0 ]; then
	if setpriv --reuid=65534 --regid=65534 --clear-groups true \
	    2>/dev/null; then
		as="setpriv --reuid=65534 --regid=65534 --clear-groups"
	else
		echo "skip: cannot drop root privileges" >&2
		exit 0
	fi
fi
mkdir -p p/closed p/noexec
cp "$k" p/good.log
cp "$k" p/secret.log
cp "$k" p/closed/x.log
cp "$k" p/noexec/y.log
chmod 000 p/secret.log p/closed
chmod 644 p/noexec
chmod 755 p "$T"
# a loghunt the unprivileged user can run
cp "$LOGHUNT" ./lh
chmod 755 ./lh
if $as cat p/secret.log >/dev/null 2>&1; then
	echo "skip: permissions are not enforced here" >&2
	exit 0
fi
rc=0
$as ./lh -f json p > perm.jsonl 2> perm.err || rc=$?
test $rc = 2
grep -q '^loghunt: error: p/secret.log: Permission denied$' perm.err
grep -q '^loghunt: error: p/closed: Permission denied$' perm.err
grep -q '^loghunt: error: p/noexec/y.log: Permission denied$' perm.err
test "$(grep -c '"p/good.log"' perm.jsonl)" = 3
chmod 755 p/closed p/noexec
