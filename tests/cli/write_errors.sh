# A write error on stdout is reported on stderr and exits 2; a reader that
# goes away (EPIPE, `loghunt ... | head`) ends the run quietly, with the
# exit status of a complete output (SIGPIPE is ignored).
"$LOGHUNT" -f json "$FIX/ev" > /dev/full 2> err; test $? = 2 || exit 1
grep -q "^loghunt: stdout: No space left on device$" err || exit 1
"$LOGHUNT" rules > /dev/full 2> err; test $? = 2 || exit 1
grep -q "^loghunt: stdout: No space left on device$" err || exit 1
awk 'BEGIN { for (i = 0; i < 100000; i++)
    printf "Jan  1 00:00:00 h sshd[%d]: Accepted password for bob\n", i }' \
    > big.log
# a query's hits are written by a thread of their own (cli/outpipe.h):
# its failure is reported the same way, in every format
for f in json text csv; do
	"$LOGHUNT" query -f $f 'process.name:sshd' big.log > /dev/full 2> err
	test $? = 2 || exit 1
	grep -q "^loghunt: stdout: No space left on device$" err || exit 1
done
{ "$LOGHUNT" query 'process.name:sshd' big.log 2> err; echo $? > st; } |
    head -c 10 > /dev/null
test "$(cat st)" = 0 || exit 1
test ! -s err || exit 1
{ "$LOGHUNT" -f json "$FIX/ev" 2> err; echo $? > st; } | head -c 10 > /dev/null
test "$(cat st)" = 0 || exit 1
test ! -s err || exit 1
