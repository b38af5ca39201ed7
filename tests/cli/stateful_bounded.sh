# Issue "evidence scale": the stateful rules (EQL sequences, new_terms,
# ES|QL) run in bounded memory.  Their feeding events go through the
# sorted store of query hits (spilled past the --max-memory budget) and
# the merger keeps only the events a sequence's maxspan or an ES|QL time
# bucket may still join.  Three days of sshd failures, one every 4 s from
# a new address, with a brute force (61 failures in 30 s) and a spray
# (11 users, 3 failures each, in one 5-minute bucket) on the third day:
# the alerts are the same with any budget and any -j, and few events are
# held at once.
set -e
awk 'BEGIN {
	t0 = 1768039200		# 2026-01-10T10:00:00Z
	for (i = 0; i < 64800; i++) {
		t = t0 + i * 4
		if (i == 60000)
			for (k = 0; k < 61; k++)
				line(t + k / 2, "root", "45.33.32.156")
		if (i == 61000)
			for (k = 0; k < 33; k++)
				line(t + k, "user" k % 11, "198.51.100.7")
		line(t, "u" (i % 97), "203." int(i / 65536) "." \
		    int(i / 256) % 256 "." i % 256)
	}
}
function line(t, u, ip,    s, us) {
	s = int(t) - 1768003200; us = int((t - int(t)) * 1e6)	# 01-10 00:00
	printf "2026-01-%02dT%02d:%02d:%02d.%06d+00:00 web1 sshd[%d]: Failed " \
	    "password for %s from %s port %d ssh2\n", 10 + int(s / 86400),
	    int(s / 3600) % 24, int(s / 60) % 60, s % 60, us,
	    1000 + n % 30000, u, ip, 40000 + n++ % 20000
}' > auth.log
test "$(wc -l < auth.log)" = 64894
test "$(head -1 auth.log | cut -c1-26)" = "2026-01-10T10:00:00.000000"
test "$(tail -1 auth.log | cut -c1-19)" = "2026-01-13T09:59:56"
"$LOGHUNT" -f json --rule all --stats auth.log > all.json 2> all.err
mkdir tmp
TMPDIR=$PWD/tmp "$LOGHUNT" -f json --rule all --stats --max-memory 4M -j 2 \
    auth.log > small.json 2> small.err
test -z "$(ls -A tmp)"
"$LOGHUNT" -f json --rule all --max-memory 4M -j 1 auth.log > one.json
cmp all.json small.json
cmp all.json one.json
# the brute force completes twice (events 1-60 and 2-61), the spray once
test "$(grep -c '"id":"fa210b61' all.json)" = 2
test "$(grep -c '"id":"9e81b1fd' all.json)" = 1
# every failure fed the rules; a few were held at once, however many came
grep -q "stateful rules: 64894 events fed, at most" small.err
held=$(sed -n 's/.*events fed, at most \([0-9]*\) held.*/\1/p' small.err)
test "$held" -gt 60 && test "$held" -lt 1000
# past the small budget the feeding events were spilled, and nothing is left
spilled=$(sed -n 's/.*feeding events spilled to temporary files: \([0-9]*\) bytes/\1/p' small.err)
test "$spilled" -gt 0
