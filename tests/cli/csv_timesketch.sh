# CSV for Timesketch (SPEC §7): datetime,timestamp_desc,message first;
# RFC 4180 quoting (commas, quotes, newlines); formula cells (= + - @)
# neutralised with a leading quote - for scan and for query.
set -e
printf '%s\n' \
  '2026-01-01T10:00:00+00:00 web01 kernel: sshd[1]: segfault at 0 ip 0 sp 0 error 4 in "evil, lib".so[7f0000000000+1000]' \
  '2026-01-01T10:00:01+00:00 =HYPERLINK("http://x") kernel: sshd[2]: segfault at 0 ip 0 sp 0 error 4' \
  '2026-01-01T10:00:02+00:00 web01 @SUM(1): +cmd|calc' \
  '2026-01-01T10:00:03+00:00 web01 -x: -2+3' > c.log
"$LOGHUNT" -f csv c.log > scan.csv || true
head -1 scan.csv | grep -q '^datetime,timestamp_desc,message,'
python3 - scan.csv <<'P'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0][:3] == ["datetime", "timestamp_desc", "message"], rows[0]
assert rows[1][2] == 'sshd[1]: segfault at 0 ip 0 sp 0 error 4 in "evil, lib".so[7f0000000000+1000]', rows[1]
assert all(len(r) == len(rows[0]) for r in rows)
P
grep -q '"sshd\[1\]: segfault at 0 ip 0 sp 0 error 4 in ""evil, lib"".so\[7f0000000000+1000\]"' scan.csv
"$LOGHUNT" query -f csv 'message:*' c.log > q.csv
python3 - q.csv <<'P'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
msgs = [r[2] for r in rows[1:]]
procs = [r[4] for r in rows[1:]]
assert "+cmd|calc" not in msgs and "'+cmd|calc" in msgs, msgs
assert "'-2+3" in msgs and "'@SUM(1)" in procs and "'-x" in procs, (msgs, procs)
assert any(m.startswith("'=HYPERLINK(\"http://x\")") for m in msgs), msgs
P
# a newline inside a value is escaped (control characters never go raw)
printf '2026-01-01T10:00:04+00:00 web01 app: line one\n  continued\n' > m.log
"$LOGHUNT" query -f csv 'process.name:app' m.log > m.csv
python3 -c 'import csv; r=list(csv.reader(open("m.csv",newline=""))); assert r[1][2]=="line one\\x0a  continued", r'
