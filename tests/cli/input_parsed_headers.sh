# Header corner cases Elastic handles: an auth-stream Filebeat document whose
# line has an empty host and padded message (the auth grok), a header the
# input already parsed (log.syslog.appname -> process.name), and the
# journald input's journald.* fields (journald.yml).
set -e
cat > fb.json <<'J'
{"@timestamp":"2017-02-10T00:00:00Z","message":"Feb  9 21:20:08  sshd[8317]: last message repeated 2 times","input":{"type":"log"},"fileset":{"name":"auth"},"event":{"module":"system","dataset":"system.auth","timezone":"+00:00"}}
{"@timestamp":"2017-02-10T00:00:01Z","message":"Feb  9 21:21:02 precise32 sudo:  vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls","input":{"type":"log"},"fileset":{"name":"auth"},"event":{"module":"system","dataset":"system.auth","timezone":"+00:00"}}
{"@timestamp":"2017-02-10T00:00:02Z","message":"Accepted password for a from 10.0.0.1 port 1 ssh2","input":{"type":"syslog"},"data_stream":{"dataset":"system.auth"},"log":{"syslog":{"appname":"sshd","procid":"12"}}}
{"@timestamp":"2017-02-10T00:00:03Z","message":"Started Session 1.","input":{"type":"journald"},"data_stream":{"dataset":"system.syslog"},"journald":{"pid":1,"process":{"name":"systemd"}},"systemd":{"unit":"session-1.scope"}}
J
"$LOGHUNT" query -f json '*' fb.json > out
[ "$(wc -l < out)" = 4 ]
python3 - <<'PY'
import json

def get(d, path):
    for k in path.split("."):
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d

docs = {d["loghunt"]["sources"][0]["line"]: d
        for d in (json.loads(l) for l in open("out"))}
l1 = docs[1]
assert get(l1, "process.name") == "sshd" and get(l1, "process.pid") == 8317
assert l1["message"] == "last message repeated 2 times"
assert get(l1, "host.hostname") is None
assert docs[2]["message"].startswith("vagrant : TTY=pts/0")
assert get(docs[3], "process.name") == "sshd"
l4 = docs[4]
assert get(l4, "process.name") == "systemd"
assert get(l4, "event.action") == "service-start"
assert "journald" not in l4 and get(l4, "systemd.unit") is None
PY
"$LOGHUNT" query -f json 'process.name:sshd' fb.json | wc -l | grep -qx 2
