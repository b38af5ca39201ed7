# SPEC section 12: the Elastic Linux ruleset on a scenario corpus written
# from real message shapes (OpenSSH, shadow-utils, kernel printk, rc.local):
# each rule raises its alert and none of its near misses.  Every scenario
# is its own run (new_terms and ES|QL look across hosts).
set -e
# fails HOST IP USER N STEP START: N "Failed password" lines, STEP seconds
# apart (fractions allowed), from START (seconds after 2026-01-10T10:00:00Z)
fails() {
	awk -v h="$1" -v ip="$2" -v u="$3" -v n="$4" -v step="$5" \
	    -v t0="$6" 'BEGIN {
		for (i = 0; i < n; i++) {
			t = t0 + i * step; s = int(t); us = int((t - s) * 1e6)
			printf "2026-01-10T%02d:%02d:%02d.%06d+00:00 %s sshd[%d]: " \
			    "Failed password for %s from %s port %d ssh2\n",
			    10 + int(s / 3600), int(s / 60) % 60, s % 60, us, h,
			    4000 + i, u, ip, 40000 + i
		}
	}'
}
count() {	# count RULE_ID_PREFIX FILE
	grep -c "\"id\":\"$1" "$2" || true
}
run() {		# run DIR: the alerts of all rules, JSON
	"$LOGHUNT" -f json --rule all "$1" > "$1.json" 2> "$1.err" || true
}
ext=fa210b61 int=1c27fa22 succ=8cb84371 spray=9e81b1fd
mkdir e59 e61 eslow i61 s24 s26 p10 p11 pedge nt single
fails web1 45.33.32.156 root 59 0.5 0 > e59/auth.log
fails web1 45.33.32.156 root 61 0.5 0 > e61/auth.log
fails web1 45.33.32.156 root 61 10 0 > eslow/auth.log
fails web1 10.1.2.3 root 61 0.5 0 > i61/auth.log
for d in e59 e61 eslow i61; do run $d; done
# runs=60 within maxspan=30s: 59 do not complete, 61 complete twice
# (events 1-60 and 2-61); over 10 minutes, none; internal vs external.
test "$(count $ext e59.json)" = 0
test "$(count $ext e61.json)" = 2
# the same rule alone (no other rule names event.category)
"$LOGHUNT" -f json --rule $ext e61 > e61only.json || true
test "$(count $ext e61only.json)" = 2
test "$(count $int e61.json)" = 0
test "$(count $ext eslow.json)" = 0
test "$(count $int i61.json)" = 2
test "$(count $ext i61.json)" = 0
# the alert lists its 60 events, their sources and the join keys
grep -q '"group":{"host":{"id":"web1"},"source":{"ip":"45.33.32.156"},"user":{"name":"root"}}' e61.json
grep -q '"host_id_from":"host.hostname"' e61.json
test "$(head -1 e61.json | grep -o '"@timestamp"' | wc -l)" = 61
"$LOGHUNT" --rule all e61 > e61.txt || true
grep -q "host.id    the host name (no machine id known)" e61.txt
grep -q "events     60" e61.txt
"$LOGHUNT" -f csv --rule all e61 > e61.csv || true
grep -q "group: host.id=web1, source.ip=45.33.32.156, user.name=root; 60 events" e61.csv
# 25 failures then a success within 15 s: 24 do not, 26 do (once)
accept() {
	printf '2026-01-10T10:00:%02d+00:00 web1 sshd[9]: Accepted password for %s from %s port 5000 ssh2\n' "$1" "$2" "$3"
}
fails web1 45.33.32.156 root 24 0.5 0 > s24/auth.log
accept 13 root 45.33.32.156 >> s24/auth.log
fails web1 45.33.32.156 root 26 0.5 0 > s26/auth.log
accept 14 root 45.33.32.156 >> s26/auth.log
run s24
run s26
test "$(count $succ s24.json)" = 0
test "$(count $succ s26.json)" = 1
# password spraying: > 10 users and >= 30 failures from one address in a
# 5-minute bucket; 10 users do not; 11 users across the 10:05 edge do not
spray() {	# spray N_USERS START_SECOND STEP
	i=0
	while [ $i -lt "$1" ]; do
		fails web1 203.0.113.50 "user$i" 3 1 $(($2 + i * $3))
		i=$((i + 1))
	done
}
spray 11 0 10 > p11/auth.log
spray 10 0 10 > p10/auth.log
spray 11 240 10 > pedge/auth.log
for d in p10 p11 pedge; do run $d; done
test "$(count $spray p11.json)" = 1
test "$(count $spray p10.json)" = 0
test "$(count $spray pedge.json)" = 0
grep -q '"bucket":{"Esql":{.*"user_name_count_distinct":"11"' p11.json
# new terms: alice logs in daily with one key from one address; on day 9
# a new key, address and user (bob), and a system user's first login;
# carol on day 2 is new within the first 5 days (no history: no alert)
d=1
while [ $d -le 9 ]; do
	printf '2026-01-%02dT09:00:00+00:00 web1 sshd[7]: Accepted publickey for alice from 10.0.0.5 port 5000 ssh2: RSA SHA256:aaaa\n' $d
	d=$((d + 1))
done > nt/auth.log
cat >> nt/auth.log <<'L'
2026-01-02T12:00:00+00:00 web1 sshd[8]: Accepted publickey for carol from 10.0.0.77 port 5001 ssh2: RSA SHA256:cccc
2026-01-09T12:00:00+00:00 web1 sshd[8]: Accepted publickey for bob from 10.0.0.99 port 5001 ssh2: RSA SHA256:bbbb
2026-01-09T13:00:00+00:00 web1 sshd[9]: Accepted password for www-data from 10.0.0.5 port 5002 ssh2
L
run nt
test "$(count 267dace3 nt.json)" = 1
test "$(count 5c495612 nt.json)" = 1
test "$(count 5b8d7b94 nt.json)" = 2
test "$(count 428e9109 nt.json)" = 1
grep '"id":"267dace3' nt.json | grep -q '"new_terms":\["RSA SHA256:bbbb"\]'
grep '"id":"5c495612' nt.json | grep -q '"new_terms":\["10.0.0.99"\]'
# single-event rules and their near misses
cat > single/auth.log <<'L'
2026-01-10T10:00:00+00:00 web1 groupadd[20]: new group: name=backdoor, GID=1001
2026-01-10T10:00:01+00:00 web1 useradd[21]: new user: name=backdoor, UID=1001, GID=1001, home=/home/backdoor, shell=/bin/bash
2026-01-10T10:00:02+00:00 web1 useradd[22]: failed adding user 'backdoor', exit code: 9
2026-01-10T10:00:03+00:00 web1 userdel[23]: delete user 'backdoor'
2026-01-10T10:00:04+00:00 web1 groupdel[24]: group 'backdoor' removed
L
cat > single/syslog <<'L'
2026-01-10T10:01:00+00:00 web1 kernel: [  100.1] evil: module verification failed: signature and/or required key missing - tainting kernel
2026-01-10T10:01:01+00:00 web1 kernel: [  100.2] evil: loading out-of-tree module taints kernel.
2026-01-10T10:01:02+00:00 web1 kernel: [  100.3] bpftest[77] is installing a program with bpf_probe_write_user helper that may corrupt user memory!
2026-01-10T10:01:03+00:00 web1 rc.local[300]: /etc/rc.local: line 3: /opt/x/run.sh: No such file or directory
2026-01-10T10:01:04+00:00 web1 kernel: [  100.4] a.out[99]: segfault at 0 ip 0000000000401000 sp 00007ffd00000000 error 4 in a.out[400000+1000]
2026-01-10T10:01:05+00:00 web1 myapp[5]: loading out-of-tree module taints kernel.
2026-01-10T10:01:06+00:00 web1 cron[6]: /etc/rc.local: line 3: foo: command not found
L
run single
test "$(count a1c2589e single.json)" = 1
test "$(count edfd5ca9 single.json)" = 1
test "$(count 8f8004e1 single.json)" = 2
test "$(count 05cad2fb single.json)" = 1
test "$(count 51a09737 single.json)" = 1
test "$(count c37ffc64 single.json)" = 1
test "$(count 69c116bb single.json)" = 1
# the building block runs only when named
test "$(count 5c81fc9d single.json)" = 0
"$LOGHUNT" -f json --rule 5c81fc9d single > bb.json || true
test "$(count 5c81fc9d bb.json)" = 1
# host.id from the evidence root's etc/machine-id
mkdir -p uac/etc uac/var/log
echo web1 > uac/etc/hostname
echo 0123456789abcdef0123456789abcdef > uac/etc/machine-id
cp e61/auth.log uac/var/log/auth.log
run uac
grep -q '"host":{"hostname":"web1","id":"0123456789abcdef0123456789abcdef"}' uac.json
grep -q '"host_id_from":"machine-id"' uac.json
# the same auth lines in a second copy count once; -j never changes output
mkdir dup
cp e61/auth.log dup/auth.log
cp e61/auth.log dup/auth.log.1
"$LOGHUNT" -f json --rule all -j 1 dup > dup1.json || true
"$LOGHUNT" -f json --rule all -j 4 dup > dup4.json || true
cmp dup1.json dup4.json
test "$(count $ext dup1.json)" = 2
grep -q 'dup/auth.log.1' dup1.json
# Kibana installs its prebuilt rules disabled: without --rule a scan runs
# the enabled ones (the two seed rules), --rule all every rule.
test "$("$LOGHUNT" -f json e61 | wc -l)" = 0
test "$("$LOGHUNT" -f json --rule all e61 | wc -l)" -gt 0
"$LOGHUNT" rules | grep -c . > nrules
test "$(cat nrules)" -ge 18
