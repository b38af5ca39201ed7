# --year overrides inference; --tz applies to stamps without a zone only;
# the December line of a file last written in January lands in the year before.
set -e
"$LOGHUNT" -f json --year 2030 "$FIX/ev/web01/var/log/kern.log" > y.jsonl || true
grep -q '"@timestamp":"2030-12-31T23:59:58.000000Z"' y.jsonl
grep -q '"@timestamp":"2030-01-01T00:01:15.000000Z"' y.jsonl
"$LOGHUNT" -f json --tz +02:00 "$FIX/ev" > tz.jsonl || true
grep -q '"@timestamp":"2025-12-31T21:59:58.000000Z"' tz.jsonl
grep -q '"@timestamp":"2026-01-02T08:15:31.000001Z"' tz.jsonl
"$LOGHUNT" -f json --tz Europe/Berlin "$FIX/ev/web01/var/log/kern.log" > tzn.jsonl || true
grep -q '"@timestamp":"2025-12-31T22:59:58.000000Z"' tzn.jsonl
"$LOGHUNT" --stats -f json "$FIX/ev/web01" > /dev/null 2> st || true
grep -q "year inferred: 2025" st
grep -q "year inferred: 2026" st
! "$LOGHUNT" --tz Mars/Olympus x 2>/dev/null
