# SIGINT and SIGTERM stop a long run within a second (SPEC section 13):
# exit 130 / 143 after one line on stderr, nothing printed, nothing left in
# $TMPDIR or /dev/shm, a --state file untouched.
set -e
export TMPDIR="$T/tmp"
mkdir "$TMPDIR"
line='Jan  5 10:00:00 web01 sshd[42]: Failed password for root from 10.0.0.9 port 22 ssh2'
yes "$line" | head -n 1500000 > big.log
ls /dev/shm > shm.before
now() { date +%s%N; }
# stop CMD... with signal $sig after 0.5 s; sets rc and ms (from the signal)
stop() {
	"$@" > out 2> err &
	pid=$!
	sleep 0.5
	t0=$(now)
	kill -s "$sig" $pid
	rc=0
	wait $pid || rc=$?
	ms=$((($(now) - t0) / 1000000))
}
sig=INT
stop "$LOGHUNT" query --year 2026 --format json '*' big.log
[ "$rc" = 130 ] && [ "$ms" -lt 1000 ]
[ "$(cat err)" = "loghunt: interrupted (SIGINT)" ]
[ ! -s out ]
sig=TERM
stop "$LOGHUNT" query --year 2026 '*' big.log
[ "$rc" = 143 ] && [ "$ms" -lt 1000 ]
[ "$(cat err)" = "loghunt: interrupted (SIGTERM)" ]
# an endless stream
sig=INT
stop bash -c 'exec "$0" query --format json "*" <(yes "$1")' "$LOGHUNT" \
    "$line"
[ "$rc" = 130 ] && [ "$ms" -lt 1000 ]
# a worker blocked on a FIFO without writer: the backstop
mkfifo fifo
stop "$LOGHUNT" --year 2026 fifo
[ "$rc" = 130 ] && [ "$ms" -lt 1000 ]
[ "$(cat err)" = "loghunt: interrupted (SIGINT)" ]
# --state is left as it was
"$LOGHUNT" --year 2026 --state st "$TOP/testdata/evidence/web01/var/log/kern.log" \
    > /dev/null
cp st st.before
stop bash -c 'exec "$0" --year 2026 --state st <(yes "$1")' "$LOGHUNT" \
    "$line"
[ "$rc" = 130 ] && [ "$ms" -lt 1000 ]
cmp st st.before
[ -z "$(ls -A "$TMPDIR")" ]
ls /dev/shm > shm.after
cmp shm.before shm.after
