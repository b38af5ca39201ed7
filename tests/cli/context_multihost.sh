# The context pass reads of a large plain file only the chunks near an
# alert of one of their hosts (core/timemap.c keeps a few hosts per chunk)
# and seeks over the rest (core/stream.h lh_stream_skip): a central RFC
# 5424 log written by host groups (edge01 and edge03 for three hours, then
# edge02 and edge04 for the same three hours) has one alert of edge02; the
# chunks of the first group at that time are not read, and the context,
# with its line numbers, is exactly the one of a full reading -- from the
# file, through a pipe, from standard input and gzipped.
set -e
python3 - <<'PY'
import time
T0 = 1772359200  # 2026-03-01T10:00:00Z
A = T0 + 5417    # the alert: 11:30:17, in the second group
def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".000000Z"
segv = ("kernel - - [ 100.000001] sshd[202]: segfault at 0 ip "
        "00007f0000001000 sp 00007ffc00000000 error 4 in "
        "libc.so.6[7f0000000000+195000]")
out = []
for grp in (("edge01", "edge03"), ("edge02", "edge04")):
    for i in range(10800):
        h = grp[i % 2]
        out.append("<14>1 %s %s app %d - - multihost filler line %d of "
                   "host %s" % (iso(T0 + i), h, 1000 + i, i, h))
        if h == "edge04" and T0 + i == A:
            out.append("<11>1 %s edge02 %s" % (iso(A), segv))
open("central.log", "w").write("\n".join(out) + "\n")
# the context: edge02's 50 records nearest the alert, 25 on either side,
# each on its line (line 10801 is the second group's first; the alert's
# own line comes after 11:30:16)
want = []
for i in range(5417 - 49, 5417 + 50, 2):
    line = 10800 + i + (1 if i < 5417 else 2)
    want.append((iso(T0 + i), i - 5417, "multihost filler line %d of host "
                 "edge02" % i, line))
with open("want.txt", "w") as f:
    f.write("    context    120 events of this host within 2m, the 50 "
            "nearest\n")
    for t, d, m, _ in want:
        f.write("%15s%s (%+ds)  app: %s\n" % ("", t, d, m))
with open("want.lines", "w") as f:
    for _, _, m, n in want:
        f.write("%s %d\n" % (m, n))
PY
test "$(wc -c < central.log)" -gt 1048576
"$LOGHUNT" --year 2026 --no-guide --stats central.log > t.txt 2> st
grep -q '^2026-03-01T11:30:17.000000Z  edge02  medium  Segfault' t.txt
sed -n '/^    context /,$p' t.txt | sed '/^$/,$d' > got.txt
diff want.txt got.txt
# the JSON context has each record's line number
ctx() {
	python3 -c '
import json, sys
for l in sys.stdin:
    d = json.loads(l)
    for c in d.get("loghunt", {}).get("context", []):
        print(c["message"], c["source"]["line"])'
}
"$LOGHUNT" -f json --context 2m --year 2026 central.log > t.json
ctx < t.json > got.lines
diff want.lines got.lines
# of the 21,601 records, those of the chunks of edge01 and edge03 at the
# alert's time are not read, only the second group's chunks around its
# window (with chunks of 256 KiB, two of them: under 6,000 records; the
# first group's would double that)
line=$(grep 'context pass:' st)
echo "$line"
ev=$(echo "$line" | sed 's/.* \([0-9]*\) events parsed.*/\1/')
sk=$(echo "$line" | sed 's/.* \([0-9]*\) skipped by time.*/\1/')
test "$ev" = 121
test $((ev + sk)) -le 6000
# the same output from a full reading, one thread, and inputs that are
# read as streams (a pipe's and standard input's copy, a gzip decoder)
LOGHUNT_PREFILTER=0 "$LOGHUNT" --year 2026 --no-guide central.log > full.txt
cmp t.txt full.txt
"$LOGHUNT" -j 1 --year 2026 --no-guide central.log | cmp - t.txt
norm() { sed -e 's|/dev/fd/[0-9]*|IN|g' -e 's|central\.log\.gz|IN|g' \
    -e 's|central\.log|IN|g' -e 's|\([ "]\)-\([:"]\)|\1IN\2|g'; }
norm < t.txt > want.norm
bash -c '"$0" --year 2026 --no-guide <(cat central.log)' "$LOGHUNT" |
    norm | cmp - want.norm
"$LOGHUNT" --year 2026 --no-guide - < central.log | norm | cmp - want.norm
cat central.log | "$LOGHUNT" --year 2026 --no-guide - | norm |
    cmp - want.norm
gzip -c central.log > central.log.gz
"$LOGHUNT" --year 2026 --no-guide central.log.gz | norm | cmp - want.norm
"$LOGHUNT" -f json --context 2m --year 2026 - < central.log | ctx |
    diff want.lines -
