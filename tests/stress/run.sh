#!/bin/sh
# run.sh BUILD: runs the ThreadSanitizer stress drivers built into
# BUILD/stress/ and a full multi-threaded scan (BUILD/loghunt -j 8) over
# the generated fixtures and testdata/, several times.  TSan stops at the
# first report (halt_on_error) with a non-zero status, which fails the run.
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
b=$(cd "$1" && pwd)
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
export TSAN_OPTIONS
for d in "$b"/stress/*; do
	case $d in *.d) continue ;; esac
	echo "tsan: $(basename "$d")"
	"$d"
done
fix=$(mktemp -d)
trap 'rm -rf "$fix"' EXIT
sh "$top/tests/mkfixtures.sh" "$fix/fx"
# the scan exits 0 (alerts) or 2 (the deliberately odd samples); a TSan
# report exits 66 (TSan's exitcode), and anything else is a failure too
for f in text json csv; do
	for i in 1 2; do
		rc=0
		TZ=UTC "$b/loghunt" -j 8 -f $f "$fix/fx" "$top/testdata" \
		    > "$fix/out.$f" 2> "$fix/err" || rc=$?
		if [ $rc != 0 ] && [ $rc != 2 ]; then
			cat "$fix/err"
			echo "tsan: scan -j 8 -f $f exited $rc"
			exit 1
		fi
		! grep -q 'ThreadSanitizer' "$fix/err"
	done
	echo "tsan: scan -j 8 -f $f: $(wc -l < "$fix/out.$f") lines (exit $rc)"
done
# the threads change nothing in the output
TZ=UTC "$b/loghunt" -j 1 -f json "$fix/fx" "$top/testdata" > "$fix/out.1" \
    2> /dev/null || true
cmp "$fix/out.1" "$fix/out.json"
rc=0
TZ=UTC "$b/loghunt" query -j 8 -f json '*' "$fix/fx" "$top/testdata" \
    > "$fix/out.q" 2> "$fix/err" || rc=$?
[ $rc = 0 ] || [ $rc = 2 ] || { cat "$fix/err"; exit 1; }
! grep -q 'ThreadSanitizer' "$fix/err"
test "$(wc -l < "$fix/out.q")" -gt 100
echo "tsan: query -j 8 '*': $(wc -l < "$fix/out.q") lines"
# the spill's writer thread: compressed runs (--max-memory 32M or more,
# from the first byte: LOGHUNT_SPILL_RAW=0),
# lines out of time order so that several runs are written and merged
awk 'BEGIN { for (i = 0; i < 60000; i++) { t = (i * 7919) % 60000;
    printf "Mar  1 %02d:%02d:%02d h%d app[%d]: line %d of the stress log\n",
    int(t / 3600) % 24, int(t / 60) % 60, t % 60, i % 7, i, i } }' \
    > "$fix/big.log"
rc=0
LOGHUNT_SPILL_RAW=0 TMPDIR="$fix" TZ=UTC "$b/loghunt" query -j 8 \
    --max-memory 32M --stats -f json '*' "$fix/big.log" > "$fix/out.s" \
    2> "$fix/err" || rc=$?
[ $rc = 0 ] || { cat "$fix/err"; exit 1; }
! grep -q 'ThreadSanitizer' "$fix/err"
grep -q 'hits spilled to temporary files: [1-9]' "$fix/err"
test "$(wc -l < "$fix/out.s")" = 60000
echo "tsan: query --max-memory 32M (spilled, compressed): 60000 hits"
# the stateful rules' feeding events: batches from the workers into the
# sorted store (spilled), then the engines; a pipe copied for the context
awk 'BEGIN { for (i = 0; i < 20000; i++) { t = (i * 7919) % 20000;
    printf "2026-03-01T%02d:%02d:%02d+00:00 h%d sshd[%d]: Failed password " \
    "for u%d from 203.0.%d.%d port %d ssh2\n", int(t / 3600) % 24,
    int(t / 60) % 60, t % 60, i % 3, i, i % 50, int(i / 256) % 256,
    i % 256, 40000 + i % 20000 } }' > "$fix/auth.log"
rc=0
cat "$fix/auth.log" | TMPDIR="$fix" TZ=UTC "$b/loghunt" -j 8 --rule all \
    --max-memory 4M --stats "$fix/fx" - > "$fix/out.r" 2> "$fix/err" || rc=$?
[ $rc = 0 ] || [ $rc = 1 ] || [ $rc = 2 ] || { cat "$fix/err"; exit 1; }
! grep -q 'ThreadSanitizer' "$fix/err"
grep -q 'stateful rules: [1-9][0-9]* events fed' "$fix/err"
echo "tsan: --rule all --max-memory 4M over a pipe: $(grep -o \
    'stateful rules: [0-9]* events fed' "$fix/err")"
# the new_terms rules on a thread of their own (core/detect_pair.h), fed
# in batches while the merger's thread runs the sequences (-j 8), against
# one run (-j 1): twelve days of logins, a new address every third, beside
# the failures above
awk 'BEGIN { for (i = 0; i < 6000; i++) { t = i * 172; d = int(t / 86400)
    printf "2026-03-%02dT%02d:%02d:%02d+00:00 h%d sshd[%d]: Accepted " \
    "publickey for u%d from 198.51.%d.%d port %d ssh2: RSA " \
    "SHA256:k%d\n", 1 + d, int(t / 3600) % 24, int(t / 60) % 60, t % 60,
    i % 3, i, i % 7, int(i / 3) % 200, int(i / 600), 40000 + i, i % 11 } }' \
    >> "$fix/auth.log"
for j in 8 1; do
	rc=0
	TMPDIR="$fix" TZ=UTC "$b/loghunt" -j $j -f json --rule all --stats \
	    "$fix/auth.log" > "$fix/out.t$j" 2> "$fix/err" || rc=$?
	[ $rc = 0 ] || [ $rc = 1 ] || { cat "$fix/err"; exit 1; }
	! grep -q 'ThreadSanitizer' "$fix/err"
done
cmp "$fix/out.t1" "$fix/out.t8"
n=$(grep -c '"new_terms"' "$fix/out.t8")
test "$n" -gt 512
echo "tsan: --rule all, new_terms and sequences side by side: $n new terms"
