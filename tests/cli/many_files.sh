# The walk hands files to the workers as it finds them: memory does not
# grow with the number of files (no list of the whole tree), and output
# and problems come in the same order for any -j.
set -e
mkdir -p tree
awk 'BEGIN {
	for (d = 0; d < 20; d++) {
		system("mkdir -p tree/d" d)
		for (f = 0; f < 1000; f++) {
			p = sprintf("tree/d%d/f%04d.log", d, f)
			printf "Jan  1 00:%02d:%02d web01 sshd[%d]: Failed " \
			    "password for root from 10.0.%d.%d port 22 ssh2\n",
			    int(f / 60) % 60, f % 60, d * 1000 + f + 1, d, f % 250 > p
			close(p)
		}
	}
}'
# problems met by the walk and by the workers, in walk order
ln -s ../d1 tree/d1/loop
printf '\001\002\003binary\000\n' > tree/d0/f0500.log
for j in 1 2; do
	"$LOGHUNT" query -j $j -f json 'process.name:sshd' tree > q$j.json \
	    2> q$j.err || true
	"$LOGHUNT" scan -j $j -f json tree > s$j.json 2> s$j.err || true
done
cmp q1.json q2.json
cmp q1.err q2.err
cmp s1.json s2.json
cmp s1.err s2.err
test "$(wc -l < q1.json)" = 19999
grep -q loop q1.err
if [ -x /usr/bin/time ] && [ -z "${ASAN_OPTIONS:-}" ]; then
	/usr/bin/time -o rss -f %M "$LOGHUNT" scan -f json tree \
	    > /dev/null 2>&1 || true
	echo "peak RSS $(tail -n 1 rss) KB"
	test "$(tail -n 1 rss)" -lt 30000
fi
