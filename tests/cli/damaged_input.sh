# Damaged data: every complete record before the damage is processed, the
# damage is named with path and offset, the run goes on, exit status 2.
set -e
k="$FIX/ev/web01/var/log/kern.log"
# a big enough file that the cut leaves complete records before it
for i in $(seq 1 400); do sed -n 3p "$k"; done > big.log
cat "$k" >> big.log
for i in $(seq 1 400); do sed -n 3p "$k"; done >> big.log
touch -d '2026-01-05 06:00:00 UTC' big.log
gzip -n -c big.log > full.gz
head -c $(( $(stat -c %s full.gz) * 6 / 10 )) full.gz > cut.gz
zstd -q -c big.log > full.zst
head -c $(( $(stat -c %s full.zst) * 6 / 10 )) full.zst > cut.zst
touch -d '2026-01-05 06:00:00 UTC' cut.gz cut.zst
set +e
"$LOGHUNT" -f json cut.gz "$FIX/ev/db01" > out.jsonl 2> err
rc=$?
set -e
test $rc = 2
grep -q "cut.gz" err
test "$(grep -c db01 out.jsonl)" = 2      # the rest of the run went on
# alerts before the cut are there (line 401.. are the kern.log lines)
grep -q '"cut.gz","line":401' out.jsonl
test "$(grep -c '"cut.gz"' err || true)" -le 1 || test "$(grep -c 'cut.gz' err)" = 1
"$LOGHUNT" -f json cut.zst > out2.jsonl 2> err2 || test $? = 2
grep -q "cut.zst" err2
# a truncated tar member
(cd "$FIX/ev" && tar -cf "$T/t.tar" web01 db01)
head -c 3000 t.tar > tcut.tar
"$LOGHUNT" -f json tcut.tar > out3.jsonl 2> err3 || test $? = 2
grep -q "tcut.tar" err3
test "$(grep -c tcut.tar err3)" = 1
# an empty file is no problem at all
: > empty.log
"$LOGHUNT" -f json empty.log > /dev/null 2> err4 || test $? = 1
test ! -s err4
