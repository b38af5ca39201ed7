# A FIFO, a process substitution (plain or gzip) and standard input give
# the same alerts as the file itself: scheduling must not open or read an
# operand (that ate the first bytes, and blocked on a FIFO without writer).
set -e
f="$TOP/testdata/evidence/web01/var/log/kern.log"
norm() { sed 's/"path":"[^"]*"/"path":"P"/g'; }
"$LOGHUNT" --format json --year 2026 "$f" | norm > want.jsonl
[ "$(grep -c '"kind":"alert"' want.jsonl)" = 3 ]
bash -c '"$0" --format json --year 2026 <(cat "$1")' "$LOGHUNT" "$f" |
    norm > sub.jsonl
cmp want.jsonl sub.jsonl
bash -c '"$0" --format json --year 2026 <(gzip -c "$1")' "$LOGHUNT" "$f" |
    norm > subgz.jsonl
cmp want.jsonl subgz.jsonl
"$LOGHUNT" --format json --year 2026 - < "$f" | norm > stdin.jsonl
cmp want.jsonl stdin.jsonl
mkfifo fifo
cat "$f" > fifo &
"$LOGHUNT" --format json --year 2026 fifo | norm > fifo.jsonl
wait
cmp want.jsonl fifo.jsonl
# A FIFO whose writer comes 2 s later does not hold up a file named before
# it, with any -j: the run ends with the alerts of both.
g="$TOP/testdata/evidence/db01/var/log/messages"
"$LOGHUNT" --format json --year 2026 "$g" "$f" | norm > both.jsonl
[ "$(grep -c '"kind":"alert"' both.jsonl)" = 5 ]
for j in 1 2; do
	rm -f late
	mkfifo late
	(sleep 2; cat "$f" > late) &
	"$LOGHUNT" --format json --year 2026 -j $j "$g" late | norm > late.jsonl
	wait
	cmp both.jsonl late.jsonl
done
# A FIFO that never gets a writer: the rest is read, the FIFO is named
# after 10 s and skipped (exit 2), never a hang.
mkfifo never
t0=$(date +%s)
rc=0
timeout 60 "$LOGHUNT" --format json --year 2026 "$g" never > never.jsonl \
    2> never.err || rc=$?
t1=$(date +%s)
[ "$rc" = 2 ]
grep -q 'never: FIFO with no writer after 10 s; skipped' never.err
[ "$(grep -c '"kind":"alert"' never.jsonl)" = 2 ]
[ $((t1 - t0)) -lt 20 ]
# An empty process substitution is an empty input, at once.
t0=$(date +%s)
rc=0
bash -c '"$0" --format json <(true)' "$LOGHUNT" > /dev/null || rc=$?
t1=$(date +%s)
[ "$rc" = 1 ]
[ $((t1 - t0)) -lt 5 ]
