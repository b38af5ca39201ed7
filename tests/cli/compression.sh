# gzip (two members), zstd (two frames), xz, bzip2, lz4 and a .gz name on
# plain text: decided by content; every file yields the same alerts.
set -e
for f in "$FIX"/rot/*; do
	"$LOGHUNT" -f json "$f" > out.jsonl || true
	n=$(grep -c '"kind":"alert"' out.jsonl || true)
	[ "$n" = 3 ] || { echo "$f: $n alerts"; exit 1; }
	grep -q '"line":5' out.jsonl || { echo "$f: line 5 missing"; exit 1; }
done
cat "$FIX/ev/web01/var/log/kern.log" | "$LOGHUNT" -f json --year 2026 - > out.jsonl || true
grep -c '"kind":"alert"' out.jsonl | grep -qx 3
grep -q '"path":"-"' out.jsonl
