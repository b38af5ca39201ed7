# The triage context of the text timeline comes from a second reading of
# the inputs: standard input, pipes and FIFOs, which give their bytes
# once, are copied to TMPDIR during the first reading (core/replay.c) and
# read again from there, so their events are part of the context exactly
# as a file's are.  Nothing is left in TMPDIR; a copy that cannot be
# written is a warning, and that input is left out of the context only.
set -e
# The alerts list their sources in path order: the files are copied here
# and named relatively, so that kern.log's stand-ins (/dev/fd/N, ev/fifo,
# -) sort before ev/syslog wherever the source tree lives.
mkdir ev
cp "$TOP/testdata/evidence/web01/var/log/kern.log" \
    "$TOP/testdata/evidence/web01/var/log/syslog" ev/
k=ev/kern.log
s=ev/syslog
# the paths differ by operand; everything else must not
norm() { sed -e "s|$k|IN|g" -e 's|/dev/fd/[0-9]*|IN|g' -e 's|ev/fifo|IN|g' \
    -e 's|\([ "]\)-\([:"]\)|\1IN\2|g'; }
"$LOGHUNT" --year 2026 "$k" "$s" | norm > want.txt
grep -q "context    5 events of this host within 2m" want.txt
mkdir tmp
export TMPDIR="$PWD/tmp"
"$LOGHUNT" --year 2026 - "$s" < "$k" | norm > stdin.txt
cmp want.txt stdin.txt
cat "$k" | "$LOGHUNT" --year 2026 - "$s" | norm > pipe.txt
cmp want.txt pipe.txt
bash -c '"$0" --year 2026 <(cat "$1") "$2"' "$LOGHUNT" "$k" "$s" |
    norm > sub.txt
cmp want.txt sub.txt
bash -c '"$0" --year 2026 <(gzip -c "$1") "$2"' "$LOGHUNT" "$k" "$s" |
    norm > subgz.txt
cmp want.txt subgz.txt
mkfifo ev/fifo
cat "$k" > ev/fifo &
"$LOGHUNT" --year 2026 ev/fifo "$s" | norm > fifo.txt
wait
cmp want.txt fifo.txt
# the syslog file's events of the alerts' windows, from a pipe this time
# (its name sorts first among the alerts' sources: those lines left out)
nosrc() { grep -v -E '^ +source |^ {15}[^ ].*:[0-9]+$'; }
nosrc < want.txt > want.nosrc
cat "$s" | "$LOGHUNT" --year 2026 "$k" - | norm | nosrc > sys.txt
cmp want.nosrc sys.txt
# JSON with --context too
"$LOGHUNT" -f json --context 2m --year 2026 "$k" "$s" | norm > want.json
grep -q '"context":\[{' want.json
cat "$k" | "$LOGHUNT" -f json --context 2m --year 2026 - "$s" |
    norm > pipe.json
cmp want.json pipe.json
# a part's triage events for merge (two passes too): the same from a pipe
"$LOGHUNT" -f json --year 2026 "$k" "$s" > alerts.json || true
"$LOGHUNT" scan --year 2026 --context-for alerts.json "$k" "$s" |
    sed "s|$s|-|g" | sort > part.json
cat "$s" | "$LOGHUNT" scan --year 2026 --context-for alerts.json "$k" - |
    sort > partpipe.json
test "$(wc -l < part.json)" -gt 5
python3 - <<'PY'
import json
def docs(f):
    out = []
    for line in open(f):
        d = json.loads(line)
        if "sources" in d.get("loghunt", {}):
            d["loghunt"]["sources"].sort(key=lambda s: s["path"])
        out.append(json.dumps(d, sort_keys=True))
    return sorted(out)
assert docs("part.json") == docs("partpipe.json")
PY
test -z "$(ls -A tmp)"
# standard input named twice is read once (two workers reading it at
# once would each get part of its lines)
awk 'BEGIN { for (i = 0; i < 60000; i++) printf "Jan  1 00:%02d:%02d " \
    "web01 app[%d]: line %d of a long standard input\n", int(i / 60) % 60,
    i % 60, i, i; print "Jan  1 00:59:59 web01 kernel: [86389.001234] " \
    "node[4242]: segfault at 0 ip 0000000000000000 sp 00007ffc1b2c3d40 " \
    "error 14 in node[55d1c1000000+2000000]" }' > long.log
"$LOGHUNT" -f json --year 2026 - < long.log > once.json || true
cat long.log | "$LOGHUNT" -f json --year 2026 - - > twice.json || true
cmp once.json twice.json
test "$(grep -c '"kind":"alert"' once.json)" = 1
# no room for the copy: the alerts are printed, without that input's
# context, and a warning says so (the exit status stays that of the alerts)
rc=0
cat "$s" | TMPDIR=/nonexistent "$LOGHUNT" --year 2026 "$k" - > nocopy.txt \
    2> nocopy.err || rc=$?
test "$rc" = 0
grep -q "warning: -: no copy for the triage context in /nonexistent" \
    nocopy.err
test "$(grep -c '^  *source ' nocopy.txt)" = 3
! grep -q "context    5 events" nocopy.txt
