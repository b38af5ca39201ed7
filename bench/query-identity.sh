#!/bin/sh
# bench/query-identity.sh REF NEW EVIDENCE: runs a fixed set of queries with
# two loghunt binaries, in every output format (text, json, bulk, csv), and
# compares the outputs byte for byte.  Prints one line per query and format
# (same/DIFFERENT, the size and the hit count) and exits 1 on any difference.
# A check that a speed change left query results exactly as they were.
# QID_CACHE=DIR keeps REF's outputs in DIR and reuses them on the next run.
# Writes only under ${TMPDIR:-/tmp} (and QID_CACHE).
set -u
ref=$1 new=$2 ev=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qid.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cache=${QID_CACHE:-$tmp}
mkdir -p "$cache"
fail=0 n=0
while IFS= read -r q; do
	[ -z "$q" ] && continue
	n=$((n + 1))
	for f in text json bulk csv; do
		a="$cache/$n.$f"
		if [ ! -f "$a.rc" ]; then
			"$ref" query -f "$f" "$q" "$ev" > "$a" 2> /dev/null
			echo $? > "$a.rc"
		fi
		ra=$(cat "$a.rc")
		"$new" query -f "$f" "$q" "$ev" > "$tmp/b" 2> /dev/null
		rb=$?
		if cmp -s "$a" "$tmp/b" && [ "$ra" = "$rb" ]; then
			r=same
		else
			r=DIFFERENT
			fail=1
		fi
		printf '%-9s %-4s %10s bytes %7s lines exit %s  %s\n' "$r" "$f" \
		    "$(wc -c < "$tmp/b")" "$(wc -l < "$tmp/b")" "$rb" "$q"
	done
done <<'QUERIES'
process.name:sshd and message:"Failed password"
message:xyzzyq
message:"Failed password"
message:"failed PASSWORD for invalid"
message:"password for"
message:(segfault or "executable stack")
source.ip:10.0.0.0/8
source.ip:* and not source.ip:10.0.0.0/8
user.name:root
user.name:ro*
event.outcome:failure and event.category:authentication
event.category:authentication and not event.outcome:success
event.action:ssh_login
system.auth.ssh.method:password
process.name:sudo
process.name:su*
*
host.hostname:db01 and not process.name:sshd
user.name:*
source.port >= 60000
message:*Failed*
"Accepted publickey"
Accepted
host.hostname:web01 and process.name:CRON
error.message:*
not message:*
@timestamp >= "2025-12-22T03:00:00" and @timestamp < "2025-12-22T03:10:00"
QUERIES
exit $fail
