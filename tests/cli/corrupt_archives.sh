# Damaged archives and small damaged streams (SPEC 10): the complete lines
# of a truncated tar member and of a short cut gzip file are still read;
# a zip member whose compressed data is corrupt keeps what came before and
# the other members are read; an archive nested 20 deep is reported as too
# deep.  Damage is named once with the path and an offset; another good
# file in the same run is still reported; exit status 2.
set -e
k="$FIX/ev/web01/var/log/kern.log"
good="$FIX/ev/db01"

# run OUT ARGS...: loghunt -f json ARGS, which must exit 2
run() {
	o=$1
	shift
	rc=0
	"$LOGHUNT" -f json "$@" "$good" > "$o.jsonl" 2> "$o.err" || rc=$?
	test $rc = 2 || { echo "$o: exit $rc"; cat "$o.err"; exit 1; }
	test "$(grep -c '"db01' "$o.jsonl")" = 2
}

# a tar cut inside its first file member: kern.log's data starts at 2048;
# 352 bytes of it hold its first two lines (alerts at lines 1 and 2)
(cd "$FIX/ev" && tar -cf "$T/t.tar" web01 db01)
head -c 2400 t.tar > cut.tar
run cut cut.tar
grep -q '"cut.tar!web01/var/log/kern.log","line":1,' cut.jsonl
grep -q '"cut.tar!web01/var/log/kern.log","line":2,' cut.jsonl
test "$(grep -c '"cut.tar' cut.jsonl)" = 2
grep -q 'cut.tar!web01/var/log/kern.log: damaged data at offset 352' cut.err
test "$(grep -c cut.tar cut.err)" = 1
# cut in the padding after the member: the whole member is there
head -c 3000 t.tar > pad.tar
run pad pad.tar
test "$(grep -c '"pad.tar!web01/var/log/kern.log' pad.jsonl)" = 3
grep -q 'pad.tar!web01/var/log/kern.log: damaged data at offset 934' pad.err

# a gzip file cut after 300 bytes: shorter than what loghunt sniffs, its
# two complete lines still alert
gzip -n -c "$k" > k.gz
head -c 300 k.gz > short.gz
run short short.gz
test "$(grep -c '"short.gz' short.jsonl)" = 2
grep -q 'short.gz: gzip data truncated at offset 300' short.err

# a zip whose first member's deflate data is overwritten at 70 %
mkdir z
awk 'BEGIN { for (i = 1; i <= 30000; i++)
    printf "Jan  1 00:00:%02d web01 app[%d]: filler %d %x\n", i % 60, i, i * 7,
    i * 7919 }' > z/a.log
sed -n 1p "$k" >> z/a.log
awk 'BEGIN { for (i = 1; i <= 30000; i++)
    printf "Jan  1 00:01:%02d web01 app[%d]: filler %d %x\n", i % 60, i, i * 3,
    i * 104729 }' >> z/a.log
cp "$k" z/b.log
touch -d '2026-01-05 06:00:00 UTC' z/a.log z/b.log
(cd z && zip -q -X ../bad.zip a.log b.log)
csize=$(python3 -c 'import zipfile; print(zipfile.ZipFile("bad.zip").infolist()[0].compress_size)')
head -c 200 /dev/zero | tr '\0' '\377' |
    dd of=bad.zip bs=1 seek=$((40 + csize * 7 / 10)) conv=notrunc 2>/dev/null
run bad bad.zip
grep -q '"bad.zip!a.log","line":30001,' bad.jsonl	# before the damage
test "$(grep -c '"bad.zip!b.log' bad.jsonl)" = 3	# the next member
grep -q 'bad.zip!a.log: damaged data at offset [0-9]' bad.err
test "$(grep -c bad.zip bad.err)" = 1

# nested 20 deep (gzip in tar in gzip ...): the limit is named, no crash
sed -n 1p "$k" > deep.log
f=deep.log
for i in $(seq 1 20); do
	if [ $((i % 2)) = 1 ]; then
		gzip -n -c $f > l$i.gz
		f=l$i.gz
	else
		tar -cf l$i.tar $f
		f=l$i.tar
	fi
done
run deep $f
grep -q "l20.tar!.*: nested deeper than 8 levels, skipped" deep.err
test "$(grep -c l20.tar deep.err)" = 1
# 6 levels deep is read whole
"$LOGHUNT" -f json l6.tar > l6.jsonl
grep -q '"l6.tar!l5.gz!l3.gz!l1.gz","line":1,' l6.jsonl

# damage inside the first 64 KiB of a stream no format takes (it is
# skipped after its probe): still reported, with the path and offset
python3 -c '
import io, tarfile
t = tarfile.open("odd.tar", "w")
i = tarfile.TarInfo("odd.dat")
i.size = 5000
t.addfile(i, io.BytesIO(b"x" * 5000))
t.close()'
head -c 2000 odd.tar > oddcut.tar
head -c 3000 /dev/urandom | gzip -n > rnd.gz
head -c 100 rnd.gz > rndcut.gz
run odd oddcut.tar rndcut.gz
grep -q '^loghunt: error: oddcut.tar!odd.dat: damaged data at offset 1488' \
    odd.err
grep -q '^loghunt: error: rndcut.gz: gzip data truncated at offset 100' odd.err
