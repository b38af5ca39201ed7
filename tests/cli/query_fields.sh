# query --fields: text prints the time and the values, csv those columns
# after datetime,timestamp_desc, json only those keys plus @timestamp and
# loghunt.sources; the same for any -j.
set -e
cat > a.log <<'L'
2026-01-05T10:00:00+00:00 web01 sshd[812]: Failed password for root from 203.0.113.9 port 22 ssh2
2026-01-05T10:00:01+00:00 web01 sshd[813]: Accepted publickey for alice from 198.51.100.4 port 22 ssh2
2026-01-05T10:00:02+00:00 web02 sshd[814]: Failed password for =cmd from 203.0.113.9 port 22 ssh2
L
"$LOGHUNT" query --fields host.hostname,process.pid,message 'message:"Failed password"' a.log > t
cat > want <<'W'
2026-01-05T10:00:00.000000Z web01 812 Failed password for root from 203.0.113.9 port 22 ssh2
2026-01-05T10:00:02.000000Z web02 814 Failed password for =cmd from 203.0.113.9 port 22 ssh2
W
cmp t want
"$LOGHUNT" query --fields host.hostname,no.such.field 'process.name:sshd' a.log | head -1 > t2
test "$(cat t2)" = "2026-01-05T10:00:00.000000Z web01 -"
"$LOGHUNT" query -f csv --fields message,host.hostname 'message:"Failed password"' a.log > c
head -1 c | grep -qx 'datetime,timestamp_desc,message,host.hostname'
grep -qx '2026-01-05T10:00:02.000000Z,Event Recorded,Failed password for =cmd from 203.0.113.9 port 22 ssh2,web02' c
"$LOGHUNT" query -f json -j 3 --fields process.pid 'process.name:sshd' a.log > j
python3 - j <<'P'
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    assert set(d) == {"@timestamp", "process.pid", "loghunt"}, d
    assert d["loghunt"]["sources"][0]["path"] == "a.log"
P
! "$LOGHUNT" --fields message a.log 2>/dev/null
