# A collection-style bundle made with the system's own tools: plain and
# rotated syslog, a native journal file and a Filebeat file inside a
# .tar.gz, nested in a zip.  Every alert is found once, with its
# ARCHIVE!MEMBER sources; the year comes from each member's own mtime.
set -e
r="uac-web09-linux-20260105/[root]"
mkdir -p "b/$r/var/log/journal" "b/$r/var/log/filebeat"
cat > "b/$r/var/log/syslog" <<'LOG'
Jan  2 10:00:01 web09 kernel: [ 100.000001] sudo[4001]: segfault at 0 ip 00007f0000001000 sp 00007ffc00000000 error 4 in libc.so.6[7f0000000000+1000]
Jan  2 10:00:02 web09 sshd[4002]: Accepted publickey for deploy from 192.0.2.1 port 40000 ssh2
LOG
cat > syslog.1 <<'LOG'
Dec 31 23:59:59 web09 kernel: [  50.000001] pkexec[3001]: segfault at 10 ip 00007f0000001000 sp 00007ffc00000000 error 6 in libpolkit.so.0[7f0000000000+1000]
LOG
gzip -n -c syslog.1 > "b/$r/var/log/syslog.2.gz"
touch -d '2026-01-02 10:00:03 UTC' "b/$r/var/log/syslog"
touch -d '2026-01-01 00:00:01 UTC' "b/$r/var/log/syslog.2.gz"
# a native journal file, written by systemd's own journal-remote
{
	printf '__CURSOR=s=1;i=1\n__REALTIME_TIMESTAMP=1767261600000000\n'
	printf '__MONOTONIC_TIMESTAMP=200000000\n_BOOT_ID=5d1e0c0ffee04a4bb0a7e2b1c9d3f001\n'
	printf '_HOSTNAME=web09\n_TRANSPORT=kernel\nSYSLOG_IDENTIFIER=kernel\nPRIORITY=4\n'
	printf "MESSAGE=process '/tmp/.x/miner' started with executable stack\n\n"
} > j.export
/lib/systemd/systemd-journal-remote -o "$T/b/$r/var/log/journal/system.journal" - < j.export 2>/dev/null
test -s "b/$r/var/log/journal/system.journal"
# Filebeat's file output: the raw line in message, read 37 ms later
printf '%s\n' '{"@timestamp":"2026-01-03T08:00:00.037Z","message":"Jan  3 08:00:00 web09 kernel: [ 300.1] nginx[5001]: segfault at 8 ip 00007f0000001000 sp 00007ffc00000000 error 4 in libc.so.6[7f0000000000+1000]","event":{"module":"system","dataset":"system.syslog","timezone":"+00:00"},"fileset":{"name":"syslog"},"input":{"type":"log"},"host":{"name":"web09","hostname":"web09","os":{"type":"linux"}},"agent":{"type":"filebeat"}}' > "b/$r/var/log/filebeat/filebeat.ndjson"
(cd b && tar -czf ../web09.tar.gz "uac-web09-linux-20260105")
zip -q collection.zip web09.tar.gz
"$LOGHUNT" -f json collection.zip > out.jsonl || test $? = 0
python3 - out.jsonl <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
got = [(d["@timestamp"][:19], d["host"]["hostname"], d["rule"]["name"][:7], [s["path"] for s in d["loghunt"]["sources"]]) for d in docs]
m = "collection.zip!web09.tar.gz!uac-web09-linux-20260105/[root]/var/log/"
want = [
    ("2025-12-31T23:59:59", "web09", "Segfaul", [m + "syslog.2.gz"]),
    ("2026-01-01T10:00:00", "web09", "Process", [m + "journal/system.journal"]),
    ("2026-01-02T10:00:01", "web09", "Segfaul", [m + "syslog"]),
    ("2026-01-03T08:00:00", "web09", "Segfaul", [m + "filebeat/filebeat.ndjson"]),
]
assert got == want, got
PY
# the same bundle next to its extracted copy: still one alert per event,
# each listing both places
mkdir x && (cd x && tar -xzf ../web09.tar.gz)
"$LOGHUNT" -f json collection.zip x > both.jsonl || test $? = 0
test "$(wc -l < both.jsonl)" = 4
python3 -c "
import json,sys
for l in open('both.jsonl'):
    d=json.loads(l); assert len(d['loghunt']['sources'])==2, d['loghunt']['sources']
"
