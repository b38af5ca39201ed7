# Bounded memory whatever the compression ratio (SPEC 10): 3.2 GB of log
# lines in a 22 MB gzip file (110 members of 29.6 MB each, ratio ~150:1
# per member) are scanned whole, the alert in the very last line is found,
# and the peak RSS stays under 100 MB.  (Nesting depth and line length
# limits: corrupt_archives.sh and corrupt_files.sh.)
set -e
[ -x /usr/bin/time ] || { echo "skip: no /usr/bin/time" >&2; exit 0; }
yes 'Jan  1 00:00:00 web01 kernel: [1.0] eth0: link up, 1000 Mbps, full duplex' |
    head -n 400000 | gzip -1 -n > chunk.gz
i=0
while [ $i -lt 110 ]; do
	cat chunk.gz
	i=$((i + 1))
done > big.gz
sed -n 1p "$FIX/ev/web01/var/log/kern.log" | gzip -n >> big.gz
# under ASan (make asan sets ASAN_OPTIONS) shadow memory and the quarantine
# add a fixed few hundred MB: the bound is then 1 GB, still far below 3 GB
max=102400
[ -z "${ASAN_OPTIONS:-}" ] || max=1048576
/usr/bin/time -o rss -f %M "$LOGHUNT" -f json big.gz > out.jsonl
# the last line of the 44,000,001 was read
grep -q '"big.gz","line":44000001,' out.jsonl
test "$(wc -l < out.jsonl)" = 1
kb=$(cat rss)
echo "peak RSS $kb KB"
test "$kb" -lt $max
# the same through a pipe (no file to map or seek)
cat big.gz | /usr/bin/time -o rss2 -f %M "$LOGHUNT" -f json - > out2.jsonl
grep -q '"line":44000001,' out2.jsonl
test "$(cat rss2)" -lt $max
