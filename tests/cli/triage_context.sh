# Triage context: the host's events around each alert, under it in text
# (default 2m), off with --context 0, in json/csv only when asked, the
# same for any -j, and never another host's events.
set -e
cat > h.log <<'L'
Mar  1 10:00:00 web01 systemd[1]: Starting Daily apt upgrade...
Mar  1 10:04:10 web01 sshd[200]: Failed password for root from 203.0.113.9 port 4022 ssh2
Mar  1 10:04:40 web01 sshd[201]: Accepted password for root from 203.0.113.9 port 4023 ssh2
Mar  1 10:04:41 web02 sshd[300]: Failed password for bob from 198.51.100.1 port 1 ssh2
Mar  1 10:05:00 web01 kernel: [ 100.000001] sshd[202]: segfault at 0 ip 00007f0000001000 sp 00007ffc00000000 error 4 in libc.so.6[7f0000000000+195000]
Mar  1 10:05:05 web01 systemd[1]: ssh.service: Main process exited, code=killed, status=11/SEGV
Mar  1 10:05:06 web01 systemd[1]: Started OpenBSD Secure Shell server.
Mar  1 10:30:00 web01 CRON[400]: (root) CMD (true)
L
"$LOGHUNT" --year 2026 --no-guide h.log > t
grep -q '^    context    4 events of this host within 2m$' t
grep -q '2026-03-01T10:04:10.000000Z (-50s)  sshd: Failed password for root' t
grep -q '2026-03-01T10:05:06.000000Z (+6s)  systemd: Started OpenBSD Secure Shell server.' t
! grep -q 'web02\|CRON\|Starting Daily' t
# the alert's own line is not its context
test "$(grep -c 'segfault at 0' t)" = 1
"$LOGHUNT" --year 2026 --no-guide --context 30s h.log > t30
grep -q '^    context    3 events of this host within 30s$' t30
"$LOGHUNT" --year 2026 --no-guide --context 0 h.log > t0
! grep -q context t0
"$LOGHUNT" --year 2026 -f json h.log > j
! grep -q '"context"' j
"$LOGHUNT" --year 2026 -f json --context 1m h.log > jc
python3 - jc <<'P'
import json, sys
d = json.loads(open(sys.argv[1]).readline())
c = d["loghunt"]["context"]
assert [e["process.name"] for e in c] == ["sshd", "sshd", "systemd", "systemd"], c
assert c[0]["@timestamp"] == "2026-03-01T10:04:10.000000Z"
assert c[0]["source"]["line"] == 2 and c[0]["source"]["path"].endswith("h.log")
P
"$LOGHUNT" --year 2026 -f csv --context 1m h.log > c
head -1 c | grep -q ',sources,context$'
"$LOGHUNT" --year 2026 -j 1 h.log > a1
"$LOGHUNT" --year 2026 -j 4 h.log > a4
cmp a1 a4
! "$LOGHUNT" --context 2x h.log 2>/dev/null
