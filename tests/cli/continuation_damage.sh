# Damage inside a continuation line (a line starting with white space that
# continues the RFC 3164 line before it, Filebeat's multiline "^\s"): the
# record is cut there and still reported, every event before it is
# printed, the damage is named once on stderr with the path and offset,
# and the exit status is 2 (not 0, as if the file had simply ended).
set -e
awk 'BEGIN {
	for (i = 1; i <= 3000; i++)
		printf "Jan  1 00:%02d:%02d web01 app[%d]: filler %d " \
		    "value %x\n", int(i / 60) % 60, i % 60, i, i * 7, i * 7919
	print "Jan  1 01:00:00 web01 app[1]: multiline record"
	for (i = 1; i <= 10000; i++)
		printf "    continued %d value %x\n", i, i * 7919
}' > cont.log
gzip -n -c cont.log > full.gz
# cut in the middle of the continuation lines (they are most of the file)
head -c $(( $(stat -c %s full.gz) * 6 / 10 )) full.gz > cut.gz
n=$(gzip -dc < cut.gz 2>/dev/null | wc -l) || true
test "$n" -gt 3001 && test "$n" -lt 13001

rc=0
"$LOGHUNT" query -f json 'process.name:app' cut.gz > out.jsonl 2> err || rc=$?
test $rc = 2 || { echo "exit $rc"; cat err; exit 1; }
grep -q '^loghunt: error: cut.gz: gzip data truncated at offset [0-9]*$' err
test "$(wc -l < err)" = 1
# the 3000 single-line events and the multiline record up to the damage
test "$(wc -l < out.jsonl)" = 3001
test "$(grep -c '"message":"filler ' out.jsonl)" = 3000
grep '"line":3001' out.jsonl | grep -q 'multiline record\\n    continued 1 '
# the same file undamaged: one record, no error
"$LOGHUNT" query -f json 'process.name:app' full.gz > full.jsonl 2> ferr
test ! -s ferr
test "$(wc -l < full.jsonl)" = 3001
