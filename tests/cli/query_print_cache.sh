# A query's printer keeps the escaped paths of its last sources, the last
# matched terms and the date of the last stamp (cli/output.c): every hit
# must still print its own path, terms and time, whatever came before it.
# 40 files (more than the path slots) whose names need escaping or are
# long, interleaved in time; stamps across days, a leap day, the epoch,
# years 1 and 9999; terms that change from hit to hit.  The spill keeps a
# JSON hit's message once, inside its rendering: with a budget that spills
# and one thread, the output is the same.
set -e
mkdir ev
python3 - <<'PY'
import json, os, random
os.chdir("ev")
random.seed(7)
stamps = ["1970-01-01T00:00:00.000000Z", "1970-01-01T23:59:59.999999Z",
          "0001-01-01T00:00:00.000001Z", "9999-12-31T23:59:59.999999Z",
          "2024-02-29T23:59:59.123456Z", "2024-03-01T00:00:00.000001Z"]
for d in range(20):
    for s in (0, 1, 3599, 43200, 86399):
        stamps.append("2025-12-%02dT%02d:%02d:%02d.%06dZ" % (d + 1,
            s // 3600, s // 60 % 60, s % 60, random.randrange(10**6)))
names = ['f%02d "q" \\b\t%s.ndjson' % (i, "\u00e9" * (i % 3))
         for i in range(36)]
names += ["long-" + "x" * 170 + "-%d.ndjson" % i for i in range(4)]
words = ["alpha", "beta", "gamma"]
for i, n in enumerate(names):
    with open(n, "w") as f:
        for k, ts in enumerate(stamps):
            w = words[(i + k) % 3]
            f.write(json.dumps({"@timestamp": ts, "message": "%s %d %d" %
                    (w, i, k), "host": {"hostname": "h%d" % i}}) + "\n")
PY
"$LOGHUNT" query -f json 'message:alpha or message:beta or message:gamma' \
    ev > q.json
"$LOGHUNT" query 'message:alpha or message:beta or message:gamma' ev > q.txt
"$LOGHUNT" query --stats --max-memory 4M -j 1 -f json \
    'message:alpha or message:beta or message:gamma' ev > q4.json 2> q4.err
grep -q 'hits spilled to temporary files: [1-9]' q4.err
cmp q.json q4.json
python3 - <<'PY'
import datetime, json
docs = [json.loads(l) for l in open("q.json")]
assert len(docs) == 40 * 106, len(docs)
epoch = datetime.datetime(1970, 1, 1)
texts = open("q.txt").read().splitlines()
assert len(texts) == len(docs)
for d, t in zip(docs, texts):
    src = d["loghunt"]["sources"]
    assert len(src) == 1
    path = src[0]["path"]
    with open(path) as f:
        line = f.readlines()[src[0]["line"] - 1]
    assert json.loads(line)["message"] == d["message"], (path, d)
    assert d["loghunt"]["matched"] == [d["message"].split()[0]], d
    us = src[0]["time_us"]
    when = epoch + datetime.timedelta(microseconds=us)
    want = "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ" % (when.year, when.month,
        when.day, when.hour, when.minute, when.second, when.microsecond)
    assert d["@timestamp"] == want, (d["@timestamp"], want)
    assert d["@timestamp"] == json.loads(line)["@timestamp"], d
    assert t.startswith(want + "  "), (t, want)
PY
