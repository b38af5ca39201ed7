# Output is identical for any -j, in every format.
set -e
for f in json text csv; do
	"$LOGHUNT" -f $f -j 1 --no-guide "$FIX/ev" "$FIX/rot" "$FIX/bundle.tar.gz" > a.$f || true
	for j in 2 3 8; do
		"$LOGHUNT" -f $f -j $j --no-guide "$FIX/ev" "$FIX/rot" "$FIX/bundle.tar.gz" > b.$f || true
		cmp a.$f b.$f
	done
done
test -s a.json
