# A long repeated syslog piped through gzip into `query '*' -`: every
# record comes out once, in time order, in bounded memory (the hits spill
# to $TMPDIR in sorted runs), and no temporary file is left.
set -e
mkdir tmp
awk 'BEGIN { for (i = 0; i < 100; i++)
	printf "Jan  1 00:%02d:%02d web01 cron[%d]: (root) CMD (run-parts %d)\n",
	    int(i / 60), i % 60, i, i }' > one.log
i=0
while [ $i -lt 1000 ]; do
	cat one.log
	i=$((i + 1))
done | gzip -1 -n > rep.gz
run() {
	gzip -dc rep.gz | gzip -1 -n | TMPDIR=$T/tmp "$LOGHUNT" query \
	    --year 2026 --max-memory 4M "$@" '*' -
}
if [ -x /usr/bin/time ] && [ -z "${ASAN_OPTIONS:-}" ]; then
	gzip -dc rep.gz | gzip -1 -n | TMPDIR=$T/tmp /usr/bin/time -o rss \
	    -f %M "$LOGHUNT" query --year 2026 --max-memory 4M '*' - > out.txt
	echo "peak RSS $(cat rss) KB"
	test "$(cat rss)" -lt 40000
else
	run > out.txt
fi
test "$(wc -l < out.txt)" = 100000
cut -c1-20 out.txt | sort -c
test -z "$(ls tmp)"
# the same records, in memory: the same output
gzip -dc rep.gz | "$LOGHUNT" query --year 2026 '*' - | cmp - out.txt
