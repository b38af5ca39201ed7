# The walk hands files to the workers as it finds them: memory does not
# grow with the number of files (no list of the whole tree, which cost
# about 0.8 KB a file), and output and problems come in the same order for
# any -j.
set -e
mkdir -p tree small
awk 'BEGIN {
	for (d = 0; d < 10; d++) {
		system("mkdir -p tree/d" d)
		for (f = 0; f < 600; f++) {
			p = sprintf("tree/d%d/f%04d.log", d, f)
			printf "Jan  1 00:%02d:%02d web01 sshd[%d]: Failed " \
			    "password for root from 10.0.%d.%d port 22 ssh2\n",
			    int(f / 60) % 60, f % 60, d * 1000 + f + 1, d, f % 250 > p
			close(p)
		}
	}
}'
cp -R tree/d0 small/
# problems met by the walk and by the workers, in walk order
ln -s ../d1 tree/d1/loop
printf '\001\002\003binary\000\n' > tree/d0/f0500.log
for j in 1 2; do
	"$LOGHUNT" query -j $j -f json 'process.name:sshd' tree > q$j.json \
	    2> q$j.err || true
done
cmp q1.json q2.json
cmp q1.err q2.err
test "$(wc -l < q1.json)" = 5999
grep -q loop q1.err
# ten times the files, the same memory (a list would take 4 MB more)
if [ -x /usr/bin/time ] && [ -z "${ASAN_OPTIONS:-}" ]; then
	/usr/bin/time -o rss1 -f %M "$LOGHUNT" scan -f json small \
	    > /dev/null 2>&1 || true
	/usr/bin/time -o rss2 -f %M "$LOGHUNT" scan -f json tree \
	    > /dev/null 2>&1 || true
	a=$(tail -n 1 rss1) b=$(tail -n 1 rss2)
	echo "peak RSS $a KB for 600 files, $b KB for 6000"
	test $((b - a)) -lt 2000
	# the text timeline too: its time map keeps nothing of small files
	printf 'Jan  1 00:00:30 web01 kernel: sshd[7]: segfault at 0 ip %s\n' \
	    '00007f0000001000 sp 00007ffc00000000 error 4 in libc.so.6[7f0+1]' \
	    > small/alert.log
	cp small/alert.log tree/d2/alert.log
	/usr/bin/time -o rss3 -f %M "$LOGHUNT" small > t1 2>&1 || true
	/usr/bin/time -o rss4 -f %M "$LOGHUNT" tree > t2 2>&1 || true
	grep -q 'context' t2
	a=$(tail -n 1 rss3) b=$(tail -n 1 rss4)
	echo "text: peak RSS $a KB for 600 files, $b KB for 6000"
	test $((b - a)) -lt 2000
fi
