# SPEC §12: files of the auth data stream (auth.log*, secure*; by name, or
# by their first records when named otherwise) go through Elastic's auth
# pipeline; its fields are searchable, ip fields take CIDR blocks.
set -e
cat > auth.log <<'L'
Feb 21 21:54:44 web1 sshd[3402]: Accepted publickey for vagrant from 10.0.2.2 port 63673 ssh2: RSA 39:33:99:e9:a0:dc:f2:33
Feb 21 21:56:12 web1 sshd[3430]: Invalid user test from 203.0.113.77
Feb 21 21:56:14 web1 sshd[3430]: Failed password for invalid user test from 203.0.113.77 port 50022 ssh2
Feb 21 21:56:20 web1 sshd[3431]: Failed password for root from 198.51.100.4 port 50023 ssh2
Feb 21 23:35:33 web1 sudo:   vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/systemctl restart nginx.service
Feb 22 11:47:05 web1 groupadd[6991]: new group: name=apache, GID=48
Feb 22 11:47:05 web1 useradd[6995]: new user: name=apache, UID=48, GID=48, home=/usr/share/httpd, shell=/sbin/nologin
Feb 22 11:48:00 web1 sudo: pam_unix(sudo:session): session opened for user root by vagrant(uid=1000)
L
cp auth.log collected-host1.txt
cp auth.log syslog
q() { "$LOGHUNT" query --year 2025 -f json "$@"; }
# "Invalid user" and "Failed password" both fail (the ssh script)
test "$(q 'event.outcome:failure and source.ip:203.0.113.0/24' auth.log | wc -l)" = 2
test "$(q 'event.outcome:failure' auth.log | wc -l)" = 3
test "$(q 'source.ip:198.51.100.4' auth.log | wc -l)" = 1
test "$(q 'source.ip:10.0.0.0/8 and event.action:ssh_login' auth.log | wc -l)" = 1
test "$(q 'event.dataset:system.auth' collected-host1.txt | wc -l)" = 8
# /var/log/syslog is the syslog data stream, whatever it holds.
test "$(q 'event.dataset:system.auth' syslog | wc -l)" = 0
test "$(q 'event.dataset:system.syslog and process.name:sshd' syslog | wc -l)" = 4
q 'process.name:sudo and service.name:nginx' auth.log > sudo.out
grep -q '"event.action":"service-restart"' sudo.out || grep -q '"action":"service-restart"' sudo.out
q 'user.target.name:apache and event.action:user-created' auth.log | grep -q '"useradd"'
q 'group.name:apache and event.action:group-created' auth.log | grep -q '"groupadd"'
# An ip field refuses a value that is no address.
rc=0
"$LOGHUNT" query 'source.ip:bogus' auth.log 2> err || rc=$?
test "$rc" = 2 && grep -q 'IP address' err
