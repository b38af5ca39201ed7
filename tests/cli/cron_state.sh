# Cron: --state remembers reported alerts by identity, not position.  A
# second run after new lines (a new kernel segfault) prints exactly the new
# alert; a third prints nothing and exits 1.  The file is replaced
# atomically (no FILE.tmp left) and a rotated, compressed copy of the old
# lines reports nothing again.
set -e
mkdir logs
cat > logs/kern.log <<'L'
Apr  1 09:00:00 web01 kernel: [ 50.000001] sshd[1]: segfault at 0 ip 00007f0000001000 sp 00007ffc00000000 error 4 in libc.so.6[7f0000000000+195000]
Apr  1 09:10:00 web01 kernel: [650.000001] process '/tmp/.x/kworker' started with executable stack
L
set +e
"$LOGHUNT" --year 2026 -f json --state st logs > r1; rc1=$?
set -e
test "$rc1" = 0
test "$(wc -l < r1)" = 2
head -1 st | grep -qx '# loghunt state 1'
test "$(grep -vc '^#' st)" = 2
test ! -e st.tmp
echo 'Apr  1 09:20:00 web01 kernel: [1250.000001] sshd[2]: segfault at 41414141 ip 00007f0000001000 sp 00007ffc00000000 error 4 in libc.so.6[7f0000000000+195000]' >> logs/kern.log
echo 'Apr  1 09:20:01 web01 sshd[3]: Server listening on 0.0.0.0 port 22.' >> logs/kern.log
set +e
"$LOGHUNT" --year 2026 -f json --state st logs > r2; rc2=$?
set -e
test "$rc2" = 0
test "$(wc -l < r2)" = 1
grep -q '"message":"\[1250.000001\] sshd\[2\]: segfault at 41414141' r2
# rotation: the same lines, compressed under another name, are not new
gzip -c logs/kern.log > logs/kern.log.1.gz
set +e
"$LOGHUNT" --year 2026 -f json --state st logs > r3; rc3=$?
"$LOGHUNT" --year 2026 --state st logs > r4; rc4=$?
set -e
test "$rc3" = 1 && test ! -s r3
test "$rc4" = 1 && test ! -s r4
test "$(grep -vc '^#' st)" = 3
# text output names them new alerts; a damaged state file is an error
rm st
"$LOGHUNT" --year 2026 --context 0 --no-guide --state st logs | head -1 | grep -qx '3 new alerts'
echo garbage > bad
set +e
"$LOGHUNT" --year 2026 --state bad logs > /dev/null 2>&1; rc5=$?
set -e
test "$rc5" = 2
test "$(cat bad)" = garbage
