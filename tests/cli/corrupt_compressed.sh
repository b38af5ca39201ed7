# Damaged compressed streams (SPEC 10): for gzip, zstd, xz and bzip2 cut
# mid-stream, a gzip trailer with a bad CRC, and garbage after the end of
# a gzip or zstd stream: every alert whose line the reference tool
# (gzip -dc, ...) still decodes completely is reported, the damage is named
# once on stderr with the path and the compressed offset, another good
# file in the same run is still read, and the exit status is 2.
set -e
k="$FIX/ev/web01/var/log/kern.log"
# unique filler (so the compressed data is not one repeated block) with
# the alerting kernel lines at three places
gen() {
	awk -v a="$1" -v b="$2" 'BEGIN { for (i = a; i <= b; i++)
	    printf "Jan  1 00:00:%02d web01 app[%d]: filler %d value %x\n",
	    i % 60, i, i * 7, i * 7919 }'
}
{ gen 1 3000; cat "$k"; gen 3001 12000; cat "$k"; gen 12001 40000
  cat "$k"; } > big.log
touch -d '2026-01-05 06:00:00 UTC' big.log
"$LOGHUNT" -f json big.log > full.jsonl
test "$(wc -l < full.jsonl)" = 9

# lines LIST: the alert lines of a JSON-lines output, sorted
lines() { grep -o '"line":[0-9]*' "$1" | cut -d: -f2 | sort -n; }

# check NAME DECODER: NAME was damaged; the alerts of the lines that
# DECODER recovers completely must all be there, and nothing else
check() {
	n=$($2 < "$1" 2>/dev/null | wc -l) || true
	rc=0
	"$LOGHUNT" -f json "$1" "$FIX/ev/db01" > "$1.jsonl" 2> "$1.err" || rc=$?
	test $rc = 2 || { echo "$1: exit $rc"; exit 1; }
	grep "$1" "$1.err" | grep -q 'offset [0-9]' ||
	    { echo "$1: no offset"; cat "$1.err"; exit 1; }
	test "$(grep -c "$1" "$1.err")" = 1
	test "$(grep -c '"db01' "$1.jsonl")" = 2	# the run went on
	grep -v '"db01' "$1.jsonl" > "$1.own"
	lines full.jsonl | awk -v n="$n" '$1 <= n' > "$1.want"
	lines "$1.own" > "$1.got"
	cmp "$1.want" "$1.got" || { echo "$1: lost alerts (tool: $n lines)";
	    diff "$1.want" "$1.got"; exit 1; }
}

# cut at 60 % and at 85 %: the first cut loses the last kernel block, the
# second keeps two of three
for pct in 60 85; do
	gzip -n -c big.log > f.gz
	zstd -q -c big.log > f.zst
	xz -c big.log > f.xz
	bzip2 -c big.log > f.bz2
	for e in gz zst xz bz2; do
		s=$(stat -c %s f.$e)
		head -c $((s * pct / 100)) f.$e > cut$pct.$e
	done
	check cut$pct.gz "gzip -dc"
	check cut$pct.zst "zstd -dcq"
	check cut$pct.xz "xz -dc"
	check cut$pct.bz2 "bzip2 -dc"
done
# the 85 % cuts do keep alerts past the first block
test "$(wc -l < cut85.gz.own)" -ge 6

# a bad CRC in the gzip trailer: the content is all there, the damage named
printf '\377' | dd of=f.gz bs=1 seek=$(($(stat -c %s f.gz) - 8)) \
    conv=notrunc 2>/dev/null
cp f.gz crc.gz
check crc.gz "cat big.log"	# all content precedes the trailer
test "$(wc -l < crc.gz.own)" = 9
grep crc.gz crc.gz.err | grep -qi 'gzip'

# garbage after the end of a complete gzip or zstd stream
gzip -n -c big.log > tail.gz
printf 'this is not gzip at all\n' >> tail.gz
check tail.gz "gzip -dc"
test "$(wc -l < tail.gz.own)" = 9
grep -q 'tail.gz: garbage after the end of the gzip data at offset' tail.gz.err
zstd -q -c big.log > tail.zst
printf 'this is not zstd at all\n' >> tail.zst
check tail.zst "zstd -dcq"
test "$(wc -l < tail.zst.own)" = 9

# concatenated xz and bzip2 streams are read whole (xzcat, bzcat)
xz -c big.log > two.xz
xz -c big.log >> two.xz
bzip2 -c big.log > two.bz2
bzip2 -c big.log >> two.bz2
for f in two.xz two.bz2; do
	"$LOGHUNT" -f json $f > $f.jsonl
	test "$(wc -l < $f.jsonl)" = 18
done
