# SPEC §12: an auth log written as RFC 5424 goes through the auth header
# grok's first pattern (integration log.yml): app name and pid come from
# the header even when the message holds a ':', <PRI> is the number
# log.syslog.priority, VERSION system.auth.syslog.version; a "<PRI>" RFC
# 3164 line is the grok's third pattern.  Syslog files of the syslog data
# stream carry event.kind and systemd's unit lifecycle (log.yml 2.23.0).
set -e
cat > secure <<'L'
<86>1 2025-03-01T10:00:00.123456+02:00 db1 sshd 4242 - - pam_unix(sshd:session): session opened for user alice by (uid=0)
<85>1 2025-03-01T10:00:01+02:00 db1 sudo - - -   alice : TTY=pts/3 ; PWD=/srv ; USER=root ; COMMAND=/usr/bin/id
<85>Mar  1 08:00:02 db1 sudo: bob : TTY=pts/4 ; PWD=/tmp ; USER=root ; COMMAND=/bin/true
L
printf '%s\n' 'Mar  1 08:00:03 db1 systemd[1]: Started cron.service - daemon.' > syslog
q() { "$LOGHUNT" query --year 2025 -f json "$@"; }
q 'process.pid:4242' secure > one
grep -q '"name":"sshd","pid":4242' one
grep -q '"priority":86' one
grep -q '"version":"1"' one
grep -q '"action":"logged-on"' one
q 'user.name:alice and system.auth.sudo.command:"/usr/bin/id"' secure > two
grep -q '"message":"alice : TTY=pts/3' two
test "$(q 'log.syslog.priority:85' secure | wc -l)" = 2
test "$(q 'system.auth.syslog.version:*' secure | wc -l)" = 2
q 'user.name:bob' secure | grep -q '"command":"/bin/true"'
q 'event.kind:event and event.action:service-start' syslog | grep -q '"type":["start"]'
