# --since/--until (RFC 3339, a date, relative -7d), --host globs and --rule
# (id, name, prefix) leave events out before any rule is evaluated.
set -e
seg() { echo "$1 $2 kernel: $3[1]: segfault at 0 ip 0 sp 0 error 4 in libc.so.6[7f0000000000+195000]"; }
old=$(date -u -d '-10 days' +%Y-%m-%dT%H:%M:%S+00:00)
new=$(date -u -d '-2 days' +%Y-%m-%dT%H:%M:%S+00:00)
{
	seg 2026-01-01T10:00:00+00:00 web01 sshd
	seg 2026-01-02T10:00:00+00:00 web02 sshd
	seg 2026-01-03T10:00:00.500+01:00 db01 sshd
	echo "2026-01-02T11:00:00+00:00 web12 kernel: process '/tmp/x' started with executable stack"
	seg "$old" web01 polkitd
	seg "$new" web01 polkitd
} > f.log
hosts() { python3 -c 'import json,sys; print(" ".join(json.loads(l)["host"]["hostname"] for l in sys.stdin))'; }
test "$("$LOGHUNT" -f json --since 2026-01-02T00:00:00Z --until 2026-01-03T00:00:00Z f.log | hosts)" = "web02 web12"
# a date is its midnight in --tz; db01's line is 09:00:00.5 UTC
test "$("$LOGHUNT" -f json --since 2026-01-03 --until 2026-01-03T09:00:00.5Z f.log | hosts)" = "db01"
test "$("$LOGHUNT" -f json --since 2026-01-03 --tz +10:00 --until 2026-01-03T12:00:00Z f.log | hosts)" = "db01"
test "$("$LOGHUNT" -f json --since -7d f.log | hosts)" = "web01"
"$LOGHUNT" -f json --since -7d f.log | grep -q polkitd
test "$("$LOGHUNT" -f json --until -7d --since 2026-01-04 f.log | hosts)" = "web01"
! "$LOGHUNT" --since yesterday f.log 2>/dev/null
# host globs, repeatable
test "$("$LOGHUNT" -f json --host 'web0[12]' --until 2026-02-01 f.log | hosts)" = "web01 web02"
test "$("$LOGHUNT" -f json --host 'db*' --host web12 f.log | hosts)" = "web12 db01"
# applied before evaluation: the events are counted as left out, not matched
"$LOGHUNT" -f json --stats --host nosuchhost f.log > /dev/null 2> st || test $? = 1
grep -q 'matches 0, after folding duplicates 0' st
grep -q '6 events left out by --since/--until/--host' st
# --rule by id, by name, by prefix (case-insensitive)
test "$("$LOGHUNT" -f json --rule fc5105ce-2584-48b6-a0cf-9ace7eeffd3c f.log | hosts)" = "web12"
test "$("$LOGHUNT" -f json --rule 'Process Started with Executable Stack' f.log | hosts)" = "web12"
test "$("$LOGHUNT" -f json --rule fc5105 f.log | hosts)" = "web12"
test "$("$LOGHUNT" -f json --rule 'segfault from' --until 2026-02-01 f.log | hosts)" = "web01 web02 db01"
! "$LOGHUNT" --rule nosuchrule f.log 2>/dev/null
