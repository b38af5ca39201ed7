# Every .Dl command under EXAMPLES in the man page runs, on the sample
# evidence laid out as the page says (evidence/, bundles/web04.tar.gz), and
# exits 0 or 1 (never 2: no usage error, nothing unreadable) with output.
set -e
cp -R "$FIX/ev" evidence
mkdir bundles
tar czf bundles/web04.tar.gz -C evidence web01
sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$TOP/man/loghunt.1" |
    sed -n 's/^\.Dl \$ //p' | sed 's/\\&//g; s/\\e/\\/g' > cmds
test "$(wc -l < cmds)" -ge 12
n=0
while IFS= read -r cmd; do
	n=$((n + 1))
	run=$(printf '%s\n' "$cmd" | sed 's/^loghunt /"$LOGHUNT" /')
	set +e
	sh -c "$run" > "out.$n" 2> "err.$n"
	rc=$?
	set -e
	case $rc in
	0|1) ;;
	*) echo "example $n exited $rc: $cmd"; cat "err.$n"; exit 1 ;;
	esac
	if [ ! -s "out.$n" ] && ! printf '%s' "$cmd" | grep -q '>'; then
		case $cmd in *--state*) ;; *) echo "no output: $cmd"; exit 1 ;; esac
	fi
done < cmds
# the ones whose output goes to a file wrote something
test -s timeline.csv
test -s alerts.jsonl
test -s new-alerts.jsonl
test -s loghunt.state
# spot checks: the responder's view and the query
grep -q '^    context    ' out.1
grep -q 'Failed password' out.9
