# SPEC §14: loghunt merge of runs over parts of the evidence prints what one
# run over all the parts prints: scan --format json, the text timeline with
# its context (scan --context-for) and crash loops, csv, --state, and query
# --format json.  The parts run under GNU parallel as the man page's
# EXAMPLES show: local job slots, and over ssh (an sshd on 127.0.0.1) when
# one can be started.  Host web01 is split across two parts: its kern.log
# in one, its syslog (the same kernel lines, and more) in another.
set -e
mkdir -p p1/web01 p2/web01 p3/db01
cat > p1/web01/kern.log <<'L'
Mar  2 01:00:00 web01 kernel: [ 10.000001] sshd[11]: segfault at 0 ip 00007f0000001000 sp 00007ffc00000000 error 4 in libc.so.6[7f0000000000+195000]
Mar  2 01:00:30 web01 kernel: [ 40.000001] sshd[12]: segfault at 41414141 ip 00007f0000001000 sp 00007ffc00000000 error 4 in libc.so.6[7f0000000000+195000]
Mar  2 01:02:00 web01 kernel: [130.000001] python3[14]: segfault at 8 ip 00007f0000001000 sp 00007ffc00000000 error 6 in libpython3.11.so[7f0000000000+100000]
Mar  2 01:05:00 web01 kernel: process '/tmp/x' started with executable stack
L
cat > p2/web01/syslog <<'L'
Mar  2 00:59:50 web01 sshd[900]: Accepted password for root from 198.51.100.7 port 50000 ssh2
Mar  2 01:00:00 web01 kernel: [ 10.000001] sshd[11]: segfault at 0 ip 00007f0000001000 sp 00007ffc00000000 error 4 in libc.so.6[7f0000000000+195000]
Mar  2 01:00:05 web01 sshd[901]: Connection closed by 198.51.100.7 port 50001
Mar  2 01:01:00 web01 kernel: [ 70.000001] sshd[13]: segfault at 41414141 ip 00007f0000001000 sp 00007ffc00000000 error 4 in libc.so.6[7f0000000000+195000]
Mar  2 01:03:00 web01 kernel: [190.000001] python3[15]: segfault at 10 ip 00007f0000001000 sp 00007ffc00000000 error 6 in libpython3.11.so[7f0000000000+100000]
Mar  2 01:04:55 web01 cron[77]: (root) CMD (run-parts /etc/cron.hourly)
L
cat > p3/db01/syslog <<'L'
Mar  2 01:00:00 db01 systemd[1]: Starting daily job
Mar  2 01:00:01 db01 kernel: [ 5.000001] named[20]: segfault at 0 ip 00007f0000001000 sp 00007ffc00000000 error 4 in libc.so.6[7f0000000000+195000]
Mar  2 01:00:02 db01 systemd[1]: Finished daily job
L
opts="--year 2026"
one() { "$LOGHUNT" $opts "$@" p1 p2 p3; }

# the local form of the recipe: one job per part
if ! command -v parallel >/dev/null 2>&1; then
	echo "merge_parallel: GNU parallel not installed: recipe skipped" >&2
	for p in p1 p2 p3; do
		"$LOGHUNT" scan $opts -f json "$p" > "$p.json" || test $? = 1
	done
else
	parallel --will-cite -j2 "'$LOGHUNT' scan $opts -f json {} > {}.json \
	    || test \$? = 1" ::: p1 p2 p3
fi
one -f json > one.json
"$LOGHUNT" merge $opts -f json p1.json p2.json p3.json > merged.json
cmp merged.json one.json
grep -q '"crash_loop":{"count":3' merged.json

# text: the context of the merged alerts, from every part
for p in p1 p2 p3; do
	"$LOGHUNT" scan $opts --context-for merged.json "$p" > "ctx-$p.json"
done
one > one.txt
"$LOGHUNT" merge $opts merged.json ctx-p1.json ctx-p2.json ctx-p3.json \
    > merged.txt
cmp merged.txt one.txt
grep -q 'web01  python3  2 segfaults' merged.txt
grep -q 'Accepted password for root' merged.txt

# csv, filters, the exit status, standard input
one -f csv --host 'web*' > one.csv
cat p2.json | "$LOGHUNT" merge $opts -f csv --host 'web*' p1.json - \
    p3.json > merged.csv
cmp merged.csv one.csv
rc=0
"$LOGHUNT" merge $opts -f json --since 2027-01-01 p?.json > none.json ||
    rc=$?
test "$rc" = 1 && test ! -s none.json

# --state: the second merge reports nothing new
"$LOGHUNT" merge $opts -f json --state st p?.json > s1.json
cmp s1.json one.json
rc=0
"$LOGHUNT" merge $opts -f json --state st p?.json > s2.json || rc=$?
test "$rc" = 1 && test ! -s s2.json

# query --format json
for p in p1 p2 p3; do
	"$LOGHUNT" query $opts -f json 'message:segfault or process.name:sshd' \
	    "$p" > "q-$p.json"
done
"$LOGHUNT" query $opts -f json 'message:segfault or process.name:sshd' \
    p1 p2 p3 > qone.json
"$LOGHUNT" merge -f json q-p1.json q-p2.json q-p3.json > qmerged.json
cmp qmerged.json qone.json

# not loghunt's output: an error, exit 2
echo '{"a":1}' > bad.json
rc=0
"$LOGHUNT" merge -f json bad.json > /dev/null 2> err || rc=$?
test "$rc" = 2 && grep -q 'bad.json:1' err

# the ssh form: an sshd on 127.0.0.1 with a throwaway key
sshd=/usr/sbin/sshd
if ! command -v parallel >/dev/null 2>&1 || [ ! -x "$sshd" ] ||
    ! command -v rsync >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
	echo "merge_parallel: no parallel, rsync, sshd or root: ssh form" \
	    "skipped" >&2
	exit 0
fi
for p in p1 p2 p3; do tar cf "$p.tar" -C . "$p"; done
one_tar() { "$LOGHUNT" $opts -f json p1.tar p2.tar p3.tar; }
ssh-keygen -q -t ed25519 -N '' -f "$T/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$T/userkey"
cp "$T/userkey.pub" "$T/authorized"
chmod 600 "$T/authorized"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p /run/sshd 2>/dev/null || true
"$sshd" -D -e -p "$port" -o ListenAddress=127.0.0.1 -h "$T/hostkey" \
    -o AuthorizedKeysFile="$T/authorized" -o PidFile="$T/sshd.pid" \
    -o StrictModes=no -o UsePAM=no -o PermitRootLogin=yes \
    2> "$T/sshd.log" &
spid=$!
trap 'kill $spid 2>/dev/null || true' EXIT
sshcmd="ssh -p $port -i $T/userkey -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR"
ok=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	if $sshcmd 127.0.0.1 true 2>/dev/null; then ok=1; break; fi
	sleep 0.5
done
if [ $ok = 0 ]; then
	echo "merge_parallel: cannot start sshd on 127.0.0.1: ssh form skipped" >&2
	exit 0
fi
mkdir -p "$T/remote"
parallel --will-cite -S "2/$sshcmd 127.0.0.1" --wd "$T/remote" \
    --transferfile {} --return {}.json --cleanup \
    "'$LOGHUNT' scan $opts -f json {} > {}.json || test \$? = 1" \
    ::: p1.tar p2.tar p3.tar
"$LOGHUNT" merge $opts -f json p1.tar.json p2.tar.json p3.tar.json \
    > sshmerged.json
one_tar > sshone.json
cmp sshmerged.json sshone.json
test ! -e "$T/remote/p1.tar"
