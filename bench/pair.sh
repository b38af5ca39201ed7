#!/bin/sh
# bench/pair.sh N 'COMMAND A' 'COMMAND B': times A and B in alternation, N
# pairs (A then B, B then A in turn, after one warm-up run of each), and
# prints the median wall seconds of each and the median, least and greatest
# of the N ratios A/B.  On a shared machine whose load drifts over minutes,
# a ratio taken within a pair (seconds apart) varies far less than the
# ratio of two medians taken minutes apart, as hyperfine's sequential runs
# in bench/run.sh are.  Output of the commands goes to /dev/null; their
# exit status is not checked.  Wall clock from date(1) in nanoseconds.
# Example: bench/pair.sh 11 "./loghunt EV" "./loghunt scan -f json EV"
set -e
n=$1
a=$2
b=$3
if [ -z "$n" ] || [ -z "$a" ] || [ -z "$b" ]; then
	echo "usage: bench/pair.sh N 'COMMAND A' 'COMMAND B'" >&2
	exit 2
fi
# wall seconds of one run of the shell command $1
wall() {
	t0=$(date +%s%N)
	sh -c "$1" > /dev/null 2>&1 || true
	t1=$(date +%s%N)
	echo "$t0 $t1" | awk '{ printf "%.4f\n", ($2 - $1) / 1e9 }'
}
wall "$a" > /dev/null
wall "$b" > /dev/null
i=0
while [ "$i" -lt "$n" ]; do
	if [ $((i % 2)) -eq 0 ]; then
		ta=$(wall "$a")
		tb=$(wall "$b")
	else
		tb=$(wall "$b")
		ta=$(wall "$a")
	fi
	echo "$ta $tb"
	i=$((i + 1))
done | awk -v a="$a" -v b="$b" '
function median(v, k,    j, m, t) {
	for (j = 2; j <= k; j++)	# insertion sort: k is small
		for (m = j; m > 1 && v[m - 1] > v[m]; m--) {
			t = v[m]; v[m] = v[m - 1]; v[m - 1] = t
		}
	return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
}
{ k++; ta[k] = $1; tb[k] = $2; r[k] = $1 / $2 }
END {
	printf "A: %s\nB: %s\n", a, b
	printf "median wall A %.3f s, B %.3f s (%d pairs)\n", median(ta, k),
	    median(tb, k), k
	m = median(r, k)	# sorts r: then r[1] is the least
	printf "A/B median %.3f, least %.3f, greatest %.3f\n", m, r[1], r[k]
}'
