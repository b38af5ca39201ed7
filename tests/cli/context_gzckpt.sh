# The context pass resumes a gzip file at the checkpoints the first pass
# recorded (core/gzckpt.h) instead of inflating it from the start: a
# two-member gzip log of 9 MB (made by gzip) whose host has alerts in
# another file, deep inside each member, must give the text timeline of a
# pass that parses every record (LOGHUNT_PREFILTER=0), with its context
# from the gzip file, and --stats must show gzip content not inflated
# (when built with ISA-L).  A copy damaged after its first megabytes is
# reported, with the path and the offset, and never crashes.  The same
# gzip file as a member of a tar archive and of a zip archive resumes at
# its checkpoints too (the member's compressed bytes before one are read
# and dropped, not inflated); so does scan --context-for.
set -e
mkdir ev
python3 - <<'PY'
import random, time
random.seed(7)
T0 = 1772359200  # 2026-03-01T10:00:00Z
def stamp(t):
    return time.strftime("%b %e %H:%M:%S", time.gmtime(t))
words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"]
def part(lo, hi):
    return "".join("%s gzh1 app[%d]: gzlog line %d %s %08x\n" % (stamp(T0 + i),
        i % 30000, i, " ".join(random.choice(words) for _ in range(5)),
        random.getrandbits(32)) for i in range(lo, hi))
open("part1", "w").write(part(0, 45000))
open("part2", "w").write(part(45000, 100000))
segv = ("%s gzh1 kernel: sshd[%d]: segfault at 0 ip 00007f0000001000 sp "
        "00007ffc00000000 error 4 in libc.so.6[7f0000000000+195000]\n")
open("ev/alerts.log", "w").write(segv % (stamp(T0 + 40000), 1) +
    segv % (stamp(T0 + 91000), 2))
PY
gzip -c part1 > ev/app.log.1.gz
gzip -c part2 >> ev/app.log.1.gz	# a second member
test "$(cat part1 part2 | wc -c)" -gt 8000000
"$LOGHUNT" --year 2026 --no-guide --stats ev > gated 2> st
LOGHUNT_PREFILTER=0 "$LOGHUNT" --year 2026 --no-guide ev > full
cmp gated full
test "$(grep -c 'segfault at 0' gated)" = 2
# context from the gzip file around both alerts, in both members
grep -q 'gzlog line 39999 ' gated
grep -q 'gzlog line 91001 ' gated
line=$(grep 'context pass:' st)
echo "$line"
mb=$(echo "$line" | sed 's/.* \([0-9.]*\) MB of gzip content not inflated.*/\1/')
if ldd "$LOGHUNT" 2>/dev/null | grep -q libisal; then
	# two jumps, each to a checkpoint at most 2 MiB before its window
	# (without checkpoints: 0)
	awk -v m="$mb" 'BEGIN { exit !(m >= 3) }'
fi
"$LOGHUNT" -j 1 --year 2026 --no-guide ev | cmp - gated
# a part's triage events for merge (scan --context-for) use them too
"$LOGHUNT" scan --year 2026 -f json ev > al.json
"$LOGHUNT" scan --year 2026 --context-for al.json ev > cf
LOGHUNT_PREFILTER=0 "$LOGHUNT" scan --year 2026 --context-for al.json ev |
    cmp - cf
grep -q 'gzlog line 91001 ' cf
# the same log as an archive member
mkdir evtar evzip
cp ev/alerts.log evtar/
cp ev/alerts.log evzip/
tar -C ev -cf evtar/logs.tar app.log.1.gz
(cd ev && python3 -c 'import zipfile
z = zipfile.ZipFile("../evzip/logs.zip", "w")
z.write("app.log.1.gz")
z.close()')
for d in evtar evzip; do
	"$LOGHUNT" --year 2026 --no-guide --stats $d > $d.out 2> $d.st
	LOGHUNT_PREFILTER=0 "$LOGHUNT" --year 2026 --no-guide $d > $d.full
	cmp $d.out $d.full
	grep -q 'gzlog line 91001 ' $d.out
	m=$(sed -n 's/.* \([0-9.]*\) MB of gzip content not inflated.*/\1/p' \
	    $d.st)
	if ldd "$LOGHUNT" 2>/dev/null | grep -q libisal; then
		awk -v m="$m" 'BEGIN { exit !(m >= 3) }'
	fi
done
# damage after the first checkpoints: reported, the rest still printed
size=$(wc -c < ev/app.log.1.gz)
python3 - "$size" <<'PY'
import sys
n = int(sys.argv[1])
b = bytearray(open("ev/app.log.1.gz", "rb").read())
for k in range(n * 3 // 4, n * 3 // 4 + 64):
    b[k] ^= 0x5a
open("bad.gz", "wb").write(bytes(b))
PY
mkdir evbad
cp ev/alerts.log evbad/
cp bad.gz evbad/app.log.1.gz
rc=0
"$LOGHUNT" --year 2026 --no-guide evbad > bad.out 2> bad.err || rc=$?
cat bad.err
test "$rc" = 2
grep -q 'evbad/app.log.1.gz: damaged gzip data at offset [0-9]*' bad.err
test "$(grep -c 'segfault at 0' bad.out)" = 2
grep -q 'gzlog line 39999 ' bad.out
