# 0 with alerts, 1 without, 2 for usage errors and unreadable input (which
# is named on stderr while the rest is still reported).
"$LOGHUNT" -f json "$FIX/ev" > /dev/null; test $? = 0 || exit 1
printf 'Jan  1 00:00:00 h sshd[1]: Accepted password for bob\n' > quiet.log
"$LOGHUNT" -f json quiet.log > out; test $? = 1 || exit 1
test ! -s out || exit 1
"$LOGHUNT" --bogus x 2> err; test $? = 2 || exit 1
grep -q "loghunt --help" err || exit 1
"$LOGHUNT" -j 0 x 2> err; test $? = 2 || exit 1
"$LOGHUNT" -f json "$FIX/ev" no-such-file > out 2> err; test $? = 2 || exit 1
grep -q "no-such-file" err || exit 1
test "$(wc -l < out)" = 7 || exit 1
"$LOGHUNT" -f json 2> err; test $? = 2 || exit 1
"$LOGHUNT" --help | grep -q "usage: loghunt" || exit 1
"$LOGHUNT" --version | grep -q "^loghunt " || exit 1
