# JSON evidence, as the generator's app01/web02/web03 hold it: journalctl -o
# json (a kernel segfault of sshd, a non-UTF-8 MESSAGE as a byte array),
# Filebeat output with the raw line (gzipped; the year of "Dec 31" comes from
# the document's @timestamp, not from the file's 2028 mtime; host.hostname
# from the line, not the shipper's) and an Elasticsearch export
# (_source-wrapped).  Exactly the three alerts are printed.
set -e
python3 - <<'PY'
import json

def js(d):
    return json.dumps(d, separators=(",", ":"))

segv = ("sshd[20211]: segfault at 0 ip 00007f3a2b1c4d5e sp 00007ffc1a2b3c40 "
        "error 4 in libc.so.6[7f3a2b19c000+195000] likely on CPU 1 (core 1, socket 0)")
base = {"_BOOT_ID": "5d1e0c0ffee04a4bb0a7e2b1c9d3f001", "_HOSTNAME": "app01"}
app = []
for i, (us, kern, tag, msg) in enumerate([
        (1767088700000001, False, "sshd", "Accepted publickey for alice from 10.0.0.7 port 50522 ssh2"),
        (1767088800123456, True, "kernel", segv),
        (1767088810000000, True, "kernel", "[UFW BLOCK] IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.5 PROTO=TCP DPT=22"),
        (1767088820000000, False, "myapp", list(b"worker segfault handler invoked, restarting sshd bridge\xff")),
        (1767088830000000, False, "sudo", "alice : TTY=pts/0 ; COMMAND=/usr/bin/grep segfault /var/log/syslog")]):
    d = {"__CURSOR": "s=8f1c2a;i=%x" % (i + 1), "__REALTIME_TIMESTAMP": str(us)}
    d.update(base)
    if kern:
        d.update(_TRANSPORT="kernel", SYSLOG_IDENTIFIER="kernel", PRIORITY="6")
    else:
        d.update(_TRANSPORT="syslog", SYSLOG_IDENTIFIER=tag, PRIORITY="6", _PID="4242", _COMM=tag)
    d["MESSAGE"] = msg
    app.append(js(d))
open("app01.json", "w").write("\n".join(app) + "\n")

def raw(ts, line):
    return js({"@timestamp": ts,
               "@metadata": {"beat": "filebeat", "type": "_doc", "version": "8.11.3"},
               "log": {"offset": 0, "file": {"path": "/var/log/syslog"}},
               "message": line, "input": {"type": "log"}, "fileset": {"name": "syslog"},
               "event": {"module": "system", "dataset": "system.syslog", "timezone": "+00:00"},
               "host": {"name": "collector", "hostname": "collector", "os": {"type": "linux"}},
               "agent": {"type": "filebeat", "version": "8.11.3"}})

nginx = ("nginx[812]: segfault at 8 ip 00007f0000001000 sp 00007ffc00000000 "
         "error 6 in libssl.so.1.1[7f0000000000+1000]")
web02 = [raw("2025-12-31T23:50:00.100Z", "Dec 31 23:50:00 web02 sshd[77]: Failed password for root from 10.9.9.9 port 22 ssh2"),
         raw("2026-01-01T00:00:03.037Z", "Dec 31 23:59:58 web02 kernel: " + nginx),
         raw("2026-01-01T00:00:04.000Z", "Jan  1 00:00:04 web02 kernel: traps: sshd[5] general protection fault ip:7f sp:7f error:0 in libc.so.6")]
open("web02.ndjson", "w").write("\n".join(web02) + "\n")

def hit(ts, kern, msg, i):
    src = {"@timestamp": ts, "message": msg,
           "event": {"module": "system", "dataset": "system.syslog", "ingested": "2026-01-05T06:00:00.000Z"},
           "process": {"name": "kernel" if kern else "sshd"},
           "host": {"hostname": "web03", "name": "web03", "os": {"type": "linux"}}}
    return js({"_index": ".ds-logs-system.syslog-default-2025.12.22-000001", "_id": "%016x" % i,
               "_score": 1, "_source": src})

web03 = [hit("2026-01-03T04:05:00.000Z", False, "Connection closed by 10.1.1.1 port 4000 [preauth]", 1),
         hit("2026-01-03T04:05:06.789Z", True, "process '/tmp/.x/kworker' started with executable stack", 2),
         hit("2026-01-03T04:06:00.000Z", True, "python3[99]: segfault at 0 ip 0000 sp 0000 error 4 in libc.so.6[7f+1000]", 3)]
open("web03.ndjson", "w").write("\n".join(web03) + "\n")
PY
touch -d 2028-02-01T00:00:00Z web02.ndjson
gzip -n web02.ndjson
touch -d 2028-02-01T00:00:00Z web02.ndjson.gz
mkdir ev
mv app01.json web02.ndjson.gz web03.ndjson ev/
rc=0
"$LOGHUNT" -f json ev > out.jsonl 2> err || rc=$?
[ "$rc" = 0 ] || { echo "exit $rc"; cat err; exit 1; }
python3 - out.jsonl <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
got = [(d["rule"]["name"], d["host"]["hostname"], d["@timestamp"][:19], d["message"]) for d in docs]
want = [
    ("Segfault from Sensitive Process Detected", "app01", "2025-12-30T10:00:00",
     "sshd[20211]: segfault at 0 ip 00007f3a2b1c4d5e sp 00007ffc1a2b3c40 error 4 in "
     "libc.so.6[7f3a2b19c000+195000] likely on CPU 1 (core 1, socket 0)"),
    ("Segfault from Sensitive Process Detected", "web02", "2025-12-31T23:59:58",
     "nginx[812]: segfault at 8 ip 00007f0000001000 sp 00007ffc00000000 error 6 in "
     "libssl.so.1.1[7f0000000000+1000]"),
    ("Process Started with Executable Stack", "web03", "2026-01-03T04:05:06",
     "process '/tmp/.x/kworker' started with executable stack"),
]
assert got == want, got
assert docs[0]["process"]["name"] == "kernel"
assert docs[1]["loghunt"]["sources"][0]["path"].endswith("web02.ndjson.gz")
assert docs[1]["loghunt"]["sources"][0]["line"] == 2
PY
