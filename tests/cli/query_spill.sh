# Query hits are sorted in bounded memory (--max-memory): past the budget
# they go to sorted runs in $TMPDIR, merged at the end.  The output is the
# same as when everything fits in memory, for any -j and format; records
# of one event in several files are folded, boot-relative ones dated by
# their twins; nothing is left in $TMPDIR.
set -e
mkdir -p "ev/uac/[root]/etc" ev/uac/live tmp
echo web09 > "ev/uac/[root]/etc/hostname"
# four syslog files over the same hours, their lines interleaved in time
awk 'BEGIN {
	for (f = 0; f < 4; f++)
		for (i = 0; i < 6000; i++) {
			s = i * 2 + f % 2
			printf "Jan  1 %02d:%02d:%02d web0%d sshd[%d]: Failed " \
			    "password for user%d from 10.0.%d.%d port 22 ssh2\n",
			    int(s / 3600), int(s / 60) % 60, s % 60, f % 2, i,
			    i % 97, f, i % 250 > ("ev/" f ".log")
		}
}'
# the same events again in another file: folded with those of 0.log
sed -n '100,199p' ev/0.log > ev/dup.log
# dmesg without wall times, dated by the same kernel line in kern.log
cat > "ev/uac/[root]/kern.log" <<'L'
Jan  1 00:00:30 web09 kernel: [  100.000000] e1000: eth0 NIC Link is Up
L
printf '[  100.000000] e1000: eth0 NIC Link is Up\n[  200.500000] usb 1-1: new device\n' > ev/uac/live/dmesg.txt
printf '[  300.000000] usb 2-1: lost\n' > ev/lone.dmesg
q='*'
for f in json text csv; do
	TMPDIR=$T/tmp "$LOGHUNT" query --year 2026 -j 1 -f $f "$q" ev > big.$f
	TMPDIR=$T/tmp "$LOGHUNT" query --year 2026 -j 2 -f $f \
	    --max-memory 4M "$q" ev > small.$f
	cmp big.$f small.$f
	test -z "$(ls tmp)"
done
# a budget with room for zstd's contexts: runs compressed (from their
# first byte here: LOGHUNT_SPILL_RAW=0), read back the same; --stats says
# how many bytes went to temporary files
sp='loghunt: hits spilled to temporary files:'
for m in 4M 64M; do
	LOGHUNT_SPILL_RAW=0 TMPDIR=$T/tmp "$LOGHUNT" query --year 2026 -j 2 \
	    -f json --stats --max-memory $m "$q" ev > s$m.json 2> s$m.err
	cmp big.json s$m.json
	test -z "$(ls tmp)"
	grep -Eq "^$sp [1-9][0-9]* bytes\$" s$m.err
done
# compressed runs take less room than the stored ones
n4=$(sed -n "s/^$sp \([0-9]*\) bytes\$/\1/p" s4M.err)
n64=$(sed -n "s/^$sp \([0-9]*\) bytes\$/\1/p" s64M.err)
test $((n64 * 2)) -lt "$n4"
# by default the first 512 MiB are stored as they are; past the bytes
# LOGHUNT_SPILL_RAW names, the runs are compressed
TMPDIR=$T/tmp "$LOGHUNT" query --year 2026 -j 2 -f json --stats \
    --max-memory 64M "$q" ev > r.json 2> r.err
cmp big.json r.json
nraw=$(sed -n "s/^$sp \([0-9]*\) bytes\$/\1/p" r.err)
test $((n64 * 2)) -lt "$nraw"
LOGHUNT_SPILL_RAW=1000000 TMPDIR=$T/tmp "$LOGHUNT" query --year 2026 -j 2 \
    -f json --stats --max-memory 64M "$q" ev > r1.json 2> r1.err
cmp big.json r1.json
n1=$(sed -n "s/^$sp \([0-9]*\) bytes\$/\1/p" r1.err)
test "$n1" -gt 1000000 && test "$n1" -lt "$nraw" && test "$n1" -gt "$n64"
test -z "$(ls tmp)"
TMPDIR=$T/tmp "$LOGHUNT" query --year 2026 --stats "$q" ev > /dev/null 2> s.err
grep -q "^$sp 0 bytes\$" s.err
# 24,000 lines, 100 of them twice, kern.log, and the three dmesg lines (one
# folded with its kern.log twin): every hit once, in time order
test "$(wc -l < big.json)" = 24003
python3 - <<'PY'
import json
docs = [json.loads(l) for l in open("big.json")]
ts = [d["@timestamp"] for d in docs if d["@timestamp"]]
assert ts == sorted(ts), "not in time order"
two = [d for d in docs if len(d["loghunt"]["sources"]) == 2]
assert len(two) == 101, len(two)
paths = sorted(s["path"] for s in two[0]["loghunt"]["sources"])
link = [d for d in docs if "NIC Link" in (d.get("message") or "")]
assert len(link) == 1 and len(link[0]["loghunt"]["sources"]) == 2, link
usb = [d for d in docs if "usb 1-1" in (d.get("message") or "")]
assert usb[0]["@timestamp"] == "2026-01-01T00:02:10.500000Z", usb
assert docs[-1]["@timestamp"] is None, docs[-1]
PY
# the spill path needs no more memory than the budget allows for
if [ -x /usr/bin/time ] && [ -z "${ASAN_OPTIONS:-}" ]; then
	TMPDIR=$T/tmp /usr/bin/time -o rss -f %M "$LOGHUNT" query --year 2026 \
	    --max-memory 4M -f json "$q" ev > /dev/null
	test "$(cat rss)" -lt 60000
fi
# a --max-memory the run cannot work in is refused
if "$LOGHUNT" query --max-memory 1K '*' ev > /dev/null 2> err; then
	exit 1
fi
grep -q -- '--max-memory wants a size' err
"$LOGHUNT" query --max-memory 2G -f json 'user.name:user1' ev > g.json
test -s g.json
