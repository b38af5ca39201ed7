# loghunt analyze reproduces every tokenization Lucene produced.
set -e
python3 - "$LOGHUNT" "$TOP/testdata/analyzer-cases.jsonl" <<'PY'
import json, subprocess, sys
cases = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
inp = "".join(c["input"].replace("\n", " ") + "\n" for c in cases)
out = subprocess.run([sys.argv[1], "analyze"], input=inp.encode(), stdout=subprocess.PIPE, check=True).stdout.decode()
lines = out.split("\n")
bad = 0
for c, l in zip(cases, lines):
    if l.split() != c["tokens"]:
        bad += 1
        print("mismatch:", c["input"][:60], l.split(), c["tokens"])
assert bad == 0 and len(lines) >= len(cases)
one = subprocess.run([sys.argv[1], "analyze", "op-geth[812]: segfault"], stdout=subprocess.PIPE, check=True).stdout.decode()
assert one == "op geth 812 segfault\n", one
PY
