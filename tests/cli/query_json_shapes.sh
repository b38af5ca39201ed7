# query --format json lays each document out from its own field names: a
# worker reuses the layout of a sequence of names it has seen, so events
# whose names differ (in count, in order, in one name, repeated or not)
# and more sequences than it keeps must each still come out as their own
# nested document, keys in order, values escaped and typed.
set -e
python3 - <<'PY'
import json, random
random.seed(7)
names = ["user.name", "user.id", "source.ip", "source.port", "zz.a.b",
         "zz.a.c", "zz.b", "event.action", "service.type", "tags.x",
         "user.group.name", "b.c.d.e"]
odd = ["plain", "q\"b\\s", "caf\u00e9", "l\u2028s", "c\x01t", "tab\there"]

def put(d, name, v):
    parts = name.split(".")
    for p in parts[:-1]:
        d = d.setdefault(p, {})
    d[parts[-1]] = v

docs = []
for i in range(300):
    # 40 name sequences in turn (more than a worker keeps), in any order
    r = random.Random(i % 40)
    k = r.randint(1, len(names))
    pick = r.sample(names, k)
    d = {"@timestamp": "2026-01-05T10:%02d:%02d.000000Z" % (i // 60, i % 60),
         "message": "m%d %s" % (i, random.choice(odd)),
         "process": {"pid": i}}
    for n in pick:
        v = random.choice(odd) + str(i)
        put(d, n, [v, "second"] if n == "tags.x" else v)
    docs.append(d)
with open("docs.ndjson", "w") as f:
    for d in docs:
        f.write(json.dumps(d) + "\n")
PY
"$LOGHUNT" query -f json '*' docs.ndjson > out.json
python3 - <<'PY'
import json

def pairs(p):
    keys = [k for k, _ in p]
    assert len(keys) == len(set(keys)), "repeated key: %r" % keys
    return p

def order(v):
    if isinstance(v, dict):
        return [(k, order(v[k])) for k in sorted(v)]
    return v

docs = [json.loads(l) for l in open("docs.ndjson")]
out = [json.loads(l, object_pairs_hook=pairs) for l in open("out.json")]
assert len(out) == len(docs), (len(out), len(docs))
for d, o in zip(docs, out):
    assert o[0][0] == "@timestamp" and o[-1][0] == "loghunt", o
    want = order({k: v for k, v in d.items() if k != "@timestamp"})
    assert o[1:-1] == want, (o[1:-1], want)
PY
