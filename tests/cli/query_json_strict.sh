# SPEC §7: query --format json prints nested, typed ECS documents that any
# strict JSON parser reads whole: objects for dotted names, one array for a
# multi-valued field (never a repeated key), long fields as numbers.
set -e
cat > auth.log <<'L'
Feb 21 21:56:14 web1 sshd[3430]: Failed password for invalid user test from 203.0.113.77 port 50022 ssh2
Feb 21 23:35:33 web1 sudo:   vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls
Feb 22 11:47:05 web1 useradd[6995]: new user: name=apache, UID=48, GID=48, home=/usr/share/httpd, shell=/sbin/nologin
L
python3 - <<'PY'
import json
doc = {"@timestamp": "2026-01-05T10:00:00Z", "host": {"hostname": "h1"},
       "process": {"name": "sshd", "pid": 100}, "message": "x",
       "event": {"category": ["authentication", "session"]},
       "a": "top", "a.b": "dotted beside a value"}
open("doc.ndjson", "w").write(json.dumps(doc) + "\n")
PY
"$LOGHUNT" query --year 2025 -f json '*' auth.log > a.out
"$LOGHUNT" query -f json '*' doc.ndjson > d.out
python3 - <<'PY'
import json

def strict(pairs):
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), "repeated key: %r" % keys
    return dict(pairs)

a = [json.loads(l, object_pairs_hook=strict) for l in open("a.out")]
assert len(a) == 3
ssh, sudo, useradd = a
assert ssh["process"]["pid"] == 3430 and ssh["source"]["port"] == 50022
assert ssh["source"]["ip"] == "203.0.113.77"
assert ssh["event"]["dataset"] == "system.auth"
assert ssh["event"]["category"] == ["authentication"]  # ECS: always an array
assert ssh["event"]["type"] == ["info"]
assert ssh["loghunt"]["sources"][0]["line"] == 1
assert sudo["related"]["user"] == ["vagrant", "root"]
assert sudo["system"]["auth"]["sudo"]["command"] == "/bin/ls"
assert useradd["event"]["type"] == ["user", "creation"]
assert useradd["user"]["id"] == "48"          # an untyped grok capture
assert useradd["group"]["id"] == "48"
d = json.loads(open("d.out").read(), object_pairs_hook=strict)
assert d["process"]["pid"] == 100
assert d["event"]["category"] == ["authentication", "session"]
assert d["a"] == "top" and d["a.b"] == "dotted beside a value"
PY
