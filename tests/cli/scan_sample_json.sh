# The sample evidence yields exactly its seven alerts, each once, with every
# source (kern.log and syslog), decoded details and matched terms.
set -e
"$LOGHUNT" scan --format json "$FIX/ev" > out.jsonl || test $? = 0
python3 - out.jsonl <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
got = [(d["@timestamp"], d["host"]["hostname"], d["rule"]["name"][:7], len(d["loghunt"]["sources"])) for d in docs]
want = [
    ("2025-12-31T23:59:58.000000Z", "web01", "Segfaul", 2),
    ("2026-01-01T00:01:15.000000Z", "web01", "Segfaul", 2),
    ("2026-01-01T00:04:30.000000Z", "web01", "Process", 2),
    ("2026-01-02T08:15:31.000001Z", "db01", "Segfaul", 1),
    ("2026-01-02T08:16:02.500000Z", "db01", "Process", 1),
    ("2026-01-03T11:00:05.250000Z", "edge01", "Segfaul", 1),
    ("2026-01-03T11:00:06.000000Z", "edge02", "Process", 1),
]
assert got == want, got
d = docs[0]
assert d["event"]["kind"] == "alert" and d["event"]["dataset"] == "system.syslog"
assert d["rule"]["id"] == "01e244f0-fef9-4102-903f-9788052b2c91"
assert d["kibana"]["alert"]["severity"] == "medium" and d["kibana"]["alert"]["risk_score"] == 47
assert d["process"]["name"] == "kernel"
assert d["message"].startswith("[86312.114422] sshd[20211]: segfault at 0")
srcs = [s["path"].split("/ev/")[1] + ":%d" % s["line"] for s in d["loghunt"]["sources"]]
assert srcs == ["web01/var/log/kern.log:1", "web01/var/log/syslog:4"], srcs
assert d["log"]["file"]["path"].endswith("web01/var/log/kern.log")
sv = d["loghunt"]["segfault"]
assert sv["command"] == "sshd" and sv["pid"] == 20211 and sv["error_code"] == "0x4", sv
assert sv["mapped_file"] == "libc.so.6" and sv["ip"] == "0x7f3a2b1c4d5e"
assert "segfault" in d["loghunt"]["matched"] and "sshd" in d["loghunt"]["matched"], d["loghunt"]["matched"]
node = docs[1]
assert node["loghunt"]["segfault"]["error_code"] == "0x14"
assert "instruction fetch" in node["loghunt"]["segfault"]["error"]
assert any(m.startswith("node") and "op-node" in m for m in node["loghunt"]["matched"]), node["loghunt"]["matched"]
assert docs[2]["loghunt"]["execstack"]["program"] == "/tmp/.x/kworker"
assert docs[4]["loghunt"]["execstack"]["program"] == "usr/local/ilogtail/ilogtail_0.16.26"
PY
