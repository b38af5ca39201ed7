# SPEC §6 and §15: distinct records are never folded (documents of one JSON
# file, even on one line, are distinct events) and equal times keep their
# input order (lnav's logfile_syslog.0: three lines in one second).
set -e
python3 - <<'PY'
import json
docs = []
for i, u in enumerate(["alice", "bob", "carol"]):
    docs.append({"@timestamp": "2026-01-05T10:00:00Z", "host": {"hostname": "h1"},
                 "process": {"name": "sshd", "pid": 100 + i},
                 "message": "Failed password for %s from 203.0.113.9 port 4242 ssh2" % u})
docs.append(dict(docs[0]))      # the same document again, at another place
open("oneline.json", "w").write(json.dumps(docs))
open("pretty.json", "w").write(json.dumps(docs, indent=1))
PY
cat > ties.log <<'L'
Nov  3 09:23:38 veridian automount[7998]: lookup(file): lookup for foobar failed
Nov  3 09:23:38 veridian automount[16442]: attempting to mount entry /auto/opt
Nov  3 09:23:38 veridian automount[7999]: lookup(file): lookup for opt failed
L
for f in oneline.json pretty.json; do
	"$LOGHUNT" query -f json 'host.hostname:h1' "$f" > "$f.out"
	test "$(wc -l < "$f.out")" = 4
done
# Read twice (the same file named twice) it is still four events.
"$LOGHUNT" query -f json 'host.hostname:h1' oneline.json oneline.json > twice.out
test "$(wc -l < twice.out)" = 4
"$LOGHUNT" query --year 2025 -f json 'process.name:automount' ties.log > t.out
grep -o '"message":"[^"]*"' t.out > order
cat > want <<'W'
"message":"lookup(file): lookup for foobar failed"
"message":"attempting to mount entry /auto/opt"
"message":"lookup(file): lookup for opt failed"
W
cmp order want
