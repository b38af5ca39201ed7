# Every real sample file is read without a crash; each problem is named
# with the file and its line, and the events that could be read are kept.
set -e
for f in "$TOP"/testdata/samples/*; do
	case "$f" in */SOURCES) continue ;; esac
	set +e
	"$LOGHUNT" query --stats -f json '*' "$f" > out.jsonl 2> err
	rc=$?
	set -e
	[ $rc -le 2 ] || { echo "$f: exit $rc"; cat err; exit 1; }
	python3 -c "import json,sys; [json.loads(l) for l in open('out.jsonl')]"
	n=$(wc -l < out.jsonl)
	[ "$n" -gt 0 ] || { echo "$f: no events"; cat err; exit 1; }
	if grep -q "warning\|error" err; then
		grep "warning\|error" err | grep -q "$(basename "$f"):[0-9]" ||
		    { echo "$f: a problem without a line"; cat err; exit 1; }
	fi
done
# the stray syslog lines inside a real export are reported by line, and
# the entries around them are all kept
"$LOGHUNT" query -f json '*' "$TOP/testdata/samples/beats-journald-multiple-boots.export" > out.jsonl 2> err || true
grep -q "multiple-boots.export:29" err
test "$(wc -l < out.jsonl)" = 6
