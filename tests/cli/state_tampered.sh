# A tampered --state file is refused: exit 2, a message naming the file and
# the line, and the file left as it was (no number parsed by "whatever
# sscanf accepts": overflow, trailing junk, unknown flags, a short hash).
set -e
mkdir logs
cp "$TOP/testdata/evidence/web01/var/log/kern.log" logs/
"$LOGHUNT" --year 2026 -f json --state st logs > /dev/null
good=$(sed -n 2p st)
set -- "$good"
hash=${good%% *}
rest=${good#* }
ts=${rest%% *}
rest=${rest#* }
prec=${rest%% *}
rest=${rest#* }
flags=${rest%% *}
tail=${rest#* }
for bad in \
    "$hash 99999999999999999999999 $prec $flags $tail" \
    "$hash $ts ${prec}x $flags $tail" \
    "$hash $ts $prec 7 $tail" \
    "$hash $ts $prec ${flags}abc $tail" \
    "abc $ts $prec $flags $tail" \
    "$hash $ts 0 $flags $tail"; do
	{ head -1 st; echo "$bad"; } > t
	cp t t.orig
	set +e
	"$LOGHUNT" --year 2026 -f json --state t logs > out 2> err
	rc=$?
	set -e
	[ "$rc" = 2 ] || { echo "exit $rc for: $bad"; exit 1; }
	grep -q 't:2: not a state entry' err || { cat err; exit 1; }
	cmp t t.orig
	[ ! -s out ]
done
