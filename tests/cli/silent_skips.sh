# SPEC §15: a file named on the command line that yields no event says
# why on stderr (exit 1: nothing matched), but an empty file has nothing
# to say; a damaged stream counts as damaged, not as unknown text (exit 2).
set -e
: > empty.log
printf 'hello world\nno time stamp here\n' > notes.txt
printf '1er ao\303\273t 2023 lnav: not a syslog month\n' > fr.log
rc=0
"$LOGHUNT" query '*' empty.log > out 2> err || rc=$?
test "$rc" = 1 && test ! -s out && test ! -s err
for f in notes.txt fr.log; do
	rc=0
	"$LOGHUNT" query '*' "$f" > out 2> err || rc=$?
	test "$rc" = 1
	test ! -s out
	grep -q "^loghunt: warning: $f: " err
done
"$LOGHUNT" query '*' notes.txt 2>&1 | grep -q 'no known log format'
"$LOGHUNT" query '*' notes.txt 2>&1 | grep -q 'no known log format'
# Inside a directory, an unknown file is only counted (--stats), not named.
mkdir d && cp notes.txt d/
rc=0
"$LOGHUNT" query '*' d > out 2> err || rc=$?
test "$rc" = 1 && test ! -s err
# A gzip stream damaged before its first line (lnav's textfile_broken_gz).
printf '\037\213\010\000\000\000\000\000\000\003\313\110\315\311\311\347\002' > broken.gz
rc=0
"$LOGHUNT" query --stats '*' broken.gz > out 2> err || rc=$?
test "$rc" = 2
grep -q 'broken.gz: .*offset' err
grep -q '0 unknown text; 1 damaged' err
