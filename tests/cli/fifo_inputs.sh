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
