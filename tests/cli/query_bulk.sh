# SPEC §14: query --format bulk writes Elasticsearch/OpenSearch _bulk NDJSON:
# an action line naming the data stream of the event's dataset, then the
# nested, typed ECS document with @timestamp; only query takes it.
set -e
cat > auth.log <<'L'
Feb 21 21:56:14 web1 sshd[3430]: Failed password for invalid user test from 203.0.113.77 port 50022 ssh2
Feb 21 23:35:33 web1 sudo:   vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls
L
cat > syslog <<'L'
Feb 21 21:56:15 web1 kernel: [  100.000000] sshd[1]: segfault at 0 ip 0 sp 0 error 4 in libc.so.6[7f0+1000]
L
printf '[  5.000000] undated: no wall time\n' > dmesg
"$LOGHUNT" query --year 2025 -f bulk '*' auth.log syslog dmesg > out.ndjson
python3 - <<'PY'
import json

def strict(pairs):
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), "repeated key: %r" % keys
    return dict(pairs)

lines = [json.loads(l, object_pairs_hook=strict) for l in open("out.ndjson")]
assert len(lines) == 6, len(lines)          # three pairs; dmesg left out
for action, doc in zip(lines[0::2], lines[1::2]):
    assert list(action) == ["create"], action
    ds = doc["data_stream"]["dataset"]
    assert action["create"]["_index"] == "logs-%s-default" % ds
    assert doc["@timestamp"].endswith("Z")
    assert isinstance(doc["process"].get("pid", 0), int)
idx = sorted(a["create"]["_index"] for a in lines[0::2])
assert idx == ["logs-system.auth-default", "logs-system.auth-default",
               "logs-system.syslog-default"], idx
PY
rc=0
"$LOGHUNT" -f bulk syslog 2> err || rc=$?
test "$rc" = 2 && grep -q 'bulk is for query' err
