#!/bin/sh
# run.sh LOGHUNT [CASE...]: runs every tests/cli/*.sh (or only the named
# cases) against the built binary.
# Each case runs in its own temporary directory with TZ=UTC LC_ALL=C and
# these variables: LOGHUNT (absolute path of the binary), TOP (the source
# tree), T (scratch directory), FIX (generated fixtures, tests/mkfixtures.sh).
# A case passes when it exits 0.  If CASE.stdout.exact / CASE.exit exist,
# the case's stdout and exit status must also equal them.
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
fix=$(mktemp -d)
trap 'rm -rf "$fix"' EXIT
sh "$top/tests/mkfixtures.sh" "$fix" || { echo "mkfixtures failed"; exit 1; }
pass=0 fail=0
shift
if [ $# -gt 0 ]; then
	cases=$(for c in "$@"; do echo "$top/tests/cli/$c.sh"; done)
else
	cases=$(ls "$top"/tests/cli/*.sh)
fi
for t in $cases; do
	name=$(basename "$t" .sh)
	[ "$name" = run ] && continue
	dir=$(mktemp -d)
	out="$dir/.stdout"
	(cd "$dir" && TZ=UTC LC_ALL=C NO_COLOR= LOGHUNT="$bin" TOP="$top" \
	    T="$dir" FIX="$fix" sh "$t" >"$out" 2>"$dir/.stderr")
	rc=$?
	ok=1
	if [ -f "${t%.sh}.exit" ]; then
		[ "$rc" = "$(cat "${t%.sh}.exit")" ] || ok=0
	elif [ "$rc" != 0 ]; then
		ok=0
	fi
	if [ -f "${t%.sh}.stdout.exact" ] && ! cmp -s "$out" "${t%.sh}.stdout.exact"; then
		ok=0
		diff "${t%.sh}.stdout.exact" "$out" | head -20
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name (exit $rc)"
		tail -n 15 "$out" "$dir/.stderr"
	fi
	rm -rf "$dir"
done
echo "cli: $pass passed, $fail failed"
[ $fail = 0 ]
