# tar.gz, tar.zst, zip and a gzip inside a tar.gz inside a zip: members are
# read in place and named ARCHIVE!MEMBER.
set -e
"$LOGHUNT" -f json "$FIX/bundle.tar.gz" > tgz.jsonl || true
grep -q 'bundle.tar.gz!web01/var/log/kern.log","line":1' tgz.jsonl
grep -q 'bundle.tar.gz!db01/var/log/messages' tgz.jsonl
test "$(wc -l < tgz.jsonl)" = 5
"$LOGHUNT" -f json "$FIX/bundle.tar.zst" > tzst.jsonl || true
test "$(wc -l < tzst.jsonl)" = 3
"$LOGHUNT" -f json "$FIX/bundle.zip" > zip.jsonl || true
test "$(wc -l < zip.jsonl)" = 3
grep -q 'bundle.zip!web01/var/log/syslog' zip.jsonl
"$LOGHUNT" -f json "$FIX/outer.zip" > nest.jsonl || true
grep -q 'outer.zip!inner.tar.gz!syslog.2.gz","line":4' nest.jsonl
test "$(wc -l < nest.jsonl)" = 3
