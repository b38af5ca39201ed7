# The auth-stream prefilter (core/scan_prefilter.c): with the stateful
# rules, lines of an auth.log without any word message.yml needs to feed
# them ("session opened", "Connection closed") are skipped unparsed
# (--stats counts them), and the alerts are exactly those of a run that
# parses every record (LOGHUNT_PREFILTER=0): sequences of failures, new
# terms after the history window, user and group creation.
set -e
awk 'BEGIN {
	split("Dec 01 Dec 02 Dec 03 Dec 04 Dec 05 Dec 06 Dec 07 Dec 08", d, " ")
	for (day = 1; day <= 8; day++) {
		dd = d[2 * day - 1] " " d[2 * day]
		for (i = 0; i < 6; i++) {
			printf "%s 08:%02d:00 h1 sshd[%d]: Accepted publickey for " \
			    "u%d from 10.1.%d.%d port 22 ssh2: RSA SHA256:k%d\n",
			    dd, i, 100 + i, i % 3, day, i, day * 10 + i
			printf "%s 08:%02d:01 h1 sshd[%d]: pam_unix(sshd:session): " \
			    "session opened for user u%d by (uid=0)\n",
			    dd, i, 100 + i, i % 3
			printf "%s 08:%02d:02 h1 sshd[%d]: Connection closed by " \
			    "10.1.%d.%d port 22\n", dd, i, 100 + i, day, i
			printf "%s 08:%02d:03 h1 CRON[%d]: pam_unix(cron:session): " \
			    "session closed for user root\n", dd, i, 200 + i
		}
	}
	for (i = 0; i < 70; i++)
		printf "Dec 08 09:00:%02d h1 sshd[300]: Failed password for " \
		    "root from 203.0.113.9 port %d ssh2\n", i % 20, 4000 + i
	print "Dec 08 10:00:00 h1 groupadd[400]: new group: name=evil, GID=1500"
	print "Dec 08 10:00:01 h1 useradd[401]: new user: name=evil, " \
	    "UID=1500, GID=1500, home=/home/evil, shell=/bin/bash"
}' > auth.log
scan() { "$LOGHUNT" scan --year 2025 --rule all -f json --no-guide "$@" auth.log; }
scan --stats > on.json 2> stats
LOGHUNT_PREFILTER=0 scan --stats > off.json 2> stats0
cmp on.json off.json
# the noise lines are skipped, and only with the prefilter
grep -q 'records skipped: 144 by the prefilter' stats
grep -q 'records skipped: 0 by the prefilter' stats0
# every kind of stateful rule raised alerts
grep -q 'Internal Linux SSH Brute Force' on.json
grep -q 'Unusual IP Address' on.json
grep -q 'Linux Group Creation' on.json
grep -q 'Linux User Account Creation' on.json

# Filebeat NDJSON: only documents of the auth fileset or dataset can carry
# event.category (the syslog stream's never do), so the JSON prefilter
# takes them by their dataset's value, whichever of the three fields
# holds it (event.dataset, data_stream.dataset, fileset.name), and skips
# the syslog stream's sshd messages, although "Connection closed by
# authenticating user" contains the word auth.
awk 'BEGIN {
	split("event\":{\"dataset\":\"system.auth\"} " \
	    "data_stream\":{\"dataset\":\"system.auth\"} " \
	    "fileset\":{\"name\":\"auth\"}", how, " ")
	for (i = 0; i < 70; i++)
		printf "{\"@timestamp\":\"2025-12-08T09:00:%02d.000Z\"," \
		    "\"message\":\"Dec  8 09:00:%02d h1 sshd[300]: Failed " \
		    "password for root from 203.0.113.9 port %d ssh2\"," \
		    "\"%s,\"input\":{\"type\":\"log\"}," \
		    "\"host\":{\"name\":\"h1\"}}\n", i % 20, i % 20,
		    4000 + i, how[i % 3 + 1]
	for (i = 0; i < 40; i++)
		printf "{\"@timestamp\":\"2025-12-08T09:01:%02d.000Z\"," \
		    "\"message\":\"Dec  8 09:01:%02d h1 sshd[301]: Connection " \
		    "closed by authenticating user git 198.51.100.7 port %d " \
		    "[preauth]\",\"fileset\":{\"name\":\"syslog\"}," \
		    "\"event\":{\"dataset\":\"system.syslog\"}," \
		    "\"input\":{\"type\":\"log\"}," \
		    "\"host\":{\"name\":\"h1\"}}\n", i, i, 5000 + i
}' > fb.ndjson
jscan() { "$LOGHUNT" scan --rule all -f json --no-guide "$@" fb.ndjson; }
jscan --stats > jon.json 2> jstats
LOGHUNT_PREFILTER=0 jscan --stats > joff.json 2> jstats0
cmp jon.json joff.json
grep -q 'Internal Linux SSH Brute Force' jon.json
grep -q 'records skipped: 40 by the prefilter' jstats
grep -q 'records skipped: 0 by the prefilter' jstats0
