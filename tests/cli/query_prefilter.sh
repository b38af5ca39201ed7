# A query skips unparsed the records without its words (and, in syslog
# files and JSON, without the process name it asks for): the hits must be
# exactly those of a run without the prefilter (LOGHUNT_PREFILTER=0), in
# syslog lines with continuations, journal export entries (text and binary
# fields) and JSON documents (a \u escape may spell a word).
set -e
cat > auth.log <<'EOF'
Jan  5 10:00:01 h1 sshd[10]: Failed password for root from 192.0.2.1 port 22 ssh2
Jan  5 10:00:02 h1 sshd[11]: Accepted password for bob from 192.0.2.2 port 22 ssh2
Jan  5 10:00:03 h1 sshd[12]: x.Failed password for nobody
Jan  5 10:00:04 h1 sshd[13]: FAILED  PASSWORD for alice from 192.0.2.3 port 22 ssh2
Jan  5 10:00:05 h1 CRON[14]: pam_unix(cron:session): session opened for user root
Jan  5 10:00:06 h1 sudo:    bob : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/true
Jan  5 10:00:07 h1 myapp[15]: first line
	Failed password on a continuation line
Jan  5 10:00:08 h1 kernel: [ 1.0] sshd not here
Jan  5 10:00:09 h1 Sudo[16]: case of the tag
EOF
{
	printf '__CURSOR=c1\n__REALTIME_TIMESTAMP=1767225603000000\n'
	printf 'SYSLOG_FACILITY=10\nSYSLOG_IDENTIFIER=sshd\n_HOSTNAME=h2\n'
	printf 'MESSAGE=Failed password for root from 192.0.2.9 port 22 ssh2\n\n'
	printf '__CURSOR=c2\n__REALTIME_TIMESTAMP=1767225604000000\n'
	printf 'SYSLOG_IDENTIFIER=cron\n_HOSTNAME=h2\nMESSAGE=nothing\n\n'
	printf '__CURSOR=c3\n__REALTIME_TIMESTAMP=1767225605000000\n'
	printf 'SYSLOG_IDENTIFIER=sshd\n_HOSTNAME=h2\nMESSAGE\n'
	printf '\024\000\000\000\000\000\000\000Failed password\001 bin\n\n'
	printf '__CURSOR=c4\n__REALTIME_TIMESTAMP=1767225606000000\n'
	printf 'SYSLOG_IDENTIFIER=sshd\n_HOSTNAME=h2\n'
	printf 'MESSAGE=no word\n__CURSOR=c5\n'
	printf '__REALTIME_TIMESTAMP=1767225607000000\n'
	printf 'SYSLOG_IDENTIFIER=sshd\n_HOSTNAME=h2\n'
	printf 'MESSAGE=Failed password without a blank line before\n\n'
} > x.export
cat > docs.ndjson <<'EOF'
{"@timestamp":"2026-01-05T10:00:01Z","host":{"hostname":"h3"},"process":{"name":"sshd"},"message":"Failed p\u0061ssword for root"}
{"@timestamp":"2026-01-05T10:00:02Z","host":{"hostname":"h3"},"process":{"name":"sshd"},"message":"Failed password for bob"}
{"@timestamp":"2026-01-05T10:00:03Z","host":{"hostname":"h3"},"process":{"name":"ss\u0068d"},"message":"other"}
{"@timestamp":"2026-01-05T10:00:04Z","host":{"hostname":"h3"},"process":{"name":"cron"},"message":"other"}
EOF
n=0
for q in 'message:"Failed password"' \
    'process.name:sshd and message:"Failed password"' 'process.name:sshd' 'process.name:CRON' 'process.name:sudo' \
    'process.name:Sudo' 'message:password' 'process.name:kernel' \
    'message:"password for"' 'message:xyzzy'; do
	for f in text json; do
		"$LOGHUNT" query -f $f "$q" auth.log x.export docs.ndjson \
		    > fast.out || test $? = 1
		LOGHUNT_PREFILTER=0 "$LOGHUNT" query -f $f "$q" auth.log \
		    x.export docs.ndjson > slow.out || test $? = 1
		cmp fast.out slow.out
		[ $f = text ] && n=$((n + $(wc -l < fast.out)))
	done
done
# the hits themselves: a query that found nothing everywhere would pass
"$LOGHUNT" query 'message:"Failed password"' auth.log x.export docs.ndjson \
    > p.out
test "$(wc -l < p.out)" = 8
grep -q 'continuation' p.out
grep -q "x.export:14\]" p.out
grep -q 'without a blank line' p.out
grep -q "Failed password for root  \[docs.ndjson:1\]" p.out
test "$("$LOGHUNT" query 'process.name:sshd' docs.ndjson | wc -l)" = 3
test "$n" -gt 20
