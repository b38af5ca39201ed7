# Journal evidence: an export, the native journal file systemd's own
# systemd-journal-remote makes of it (read back with journalctl --file), the
# same file gzipped and inside a tar.gz (read through a memfd), and a
# journal file cut in half.  The kernel segfault entry must alert with
# process.name "kernel" (SPEC section 3).
set -e
remote=/lib/systemd/systemd-journal-remote
[ -x "$remote" ] || remote=/usr/lib/systemd/systemd-journal-remote
cat > x.export <<'EOF'
__CURSOR=s=6c6f6768756e7400000000000000beef;i=1;b=0ffe5f74a4bd49ca8597eb05fe1a512a;m=3e8;t=645482e6a4ec0;x=1
__REALTIME_TIMESTAMP=1767225603000000
__MONOTONIC_TIMESTAMP=1000
_BOOT_ID=0ffe5f74a4bd49ca8597eb05fe1a512a
_TRANSPORT=kernel
PRIORITY=6
SYSLOG_FACILITY=0
SYSLOG_IDENTIFIER=kernel
_HOSTNAME=app01
MESSAGE=sshd[123]: segfault at 0 ip 00007f0000001000 sp 00007ffc00000000 error 4 in libc.so.6[7f0000000000+1000]

__CURSOR=s=6c6f6768756e7400000000000000beef;i=2;b=0ffe5f74a4bd49ca8597eb05fe1a512a;m=7d0;t=645482e79e0c0;x=2
__REALTIME_TIMESTAMP=1767225604000000
__MONOTONIC_TIMESTAMP=2000
_BOOT_ID=0ffe5f74a4bd49ca8597eb05fe1a512a
_TRANSPORT=syslog
PRIORITY=6
SYSLOG_FACILITY=4
SYSLOG_IDENTIFIER=sshd
_PID=124
_COMM=sshd
_HOSTNAME=app01
MESSAGE=Accepted publickey for root from 192.0.2.1 port 50022 ssh2

EOF
"$remote" -o "$T/x.journal" - < x.export 2>/dev/null
journalctl --file x.journal -o cat | grep -q '^sshd\[123\]: segfault at 0'
test "$(journalctl --file x.journal -o cat | wc -l)" = 2

# one alert, host app01, process.name kernel, entry 1 of the journal file
check() {
	test "$(wc -l < "$1")" = 1
	grep -q '"rule":{"id":"01e244f0-fef9-4102-903f-9788052b2c91","name":"Segfault from Sensitive Process Detected"}' "$1"
	grep -q '"host":{"hostname":"app01"}' "$1"
	grep -q '"process":{"name":"kernel"}' "$1"
	grep -q '"@timestamp":"2026-01-01T00:00:03.000000Z"' "$1"
	grep -q "\"sources\":\[{\"path\":\"$2\",\"line\":1,[^]]*}\]" "$1"
}
"$LOGHUNT" -f json x.journal > journal.jsonl
check journal.jsonl 'x.journal'
"$LOGHUNT" -f json x.export > export.jsonl
check export.jsonl 'x.export'

# compressed and archived: the file is materialized from the stream
gzip -c x.journal > x.journal.gz
"$LOGHUNT" -f json x.journal.gz > gz.jsonl
check gz.jsonl 'x.journal.gz'
tar czf bundle.tar.gz x.journal
"$LOGHUNT" -f json bundle.tar.gz > tgz.jsonl
check tgz.jsonl 'bundle.tar.gz!x.journal'

# cut in half: no crash; what is left is read, the damage is named (exit 2)
size=$(wc -c < x.journal)
head -c $((size / 2)) x.journal > half.journal
rc=0
"$LOGHUNT" -f json half.journal > half.jsonl 2> half.err || rc=$?
test "$rc" = 2
grep -q 'half.journal' half.err
test "$(wc -l < half.jsonl)" -le 1

# the header alone, or less: the damage is named, exit 2
for n in 300 50; do
	head -c $n x.journal > tiny.journal
	rc=0
	"$LOGHUNT" -f json tiny.journal > /dev/null 2> tiny.err || rc=$?
	test "$rc" = 2
	grep -q 'tiny.journal: ' tiny.err
done
