# Header corner cases Elastic handles: an auth-stream Filebeat document whose
# line has an empty host and padded message (the auth grok), a header the
# input already parsed (log.syslog.appname -> process.name), and the
# journald input's journald.* fields (journald.yml).
set -e
cat > fb.json <<'J'
{"@timestamp":"2017-02-10T00:00:00Z","message":"Feb  9 21:20:08  sshd[8317]: last message repeated 2 times","input":{"type":"log"},"fileset":{"name":"auth"},"event":{"module":"system","dataset":"system.auth","timezone":"+00:00"}}
{"@timestamp":"2017-02-10T00:00:01Z","message":"Feb  9 21:21:02 precise32 sudo:  vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls","input":{"type":"log"},"fileset":{"name":"auth"},"event":{"module":"system","dataset":"system.auth","timezone":"+00:00"}}
{"@timestamp":"2017-02-10T00:00:02Z","message":"Accepted password for a from 10.0.0.1 port 1 ssh2","input":{"type":"syslog"},"data_stream":{"dataset":"system.auth"},"log":{"syslog":{"appname":"sshd","procid":"12"}}}
{"@timestamp":"2017-02-10T00:00:03Z","message":"Started Session 1.","input":{"type":"journald"},"data_stream":{"dataset":"system.syslog"},"journald":{"pid":1,"process":{"name":"systemd"}},"systemd":{"unit":"session-1.scope"}}
J
"$LOGHUNT" query -f json '*' fb.json > out
[ "$(wc -l < out)" = 4 ]
grep '"line":1' out > l1
grep -q '"process.name":"sshd"' l1
grep -q '"process.pid":"8317"' l1
grep -q '"message":"last message repeated 2 times"' l1
! grep -q 'host.hostname' l1
grep '"line":2' out | grep -q '"message":"vagrant : TTY=pts/0'
grep '"line":3' out | grep -q '"process.name":"sshd"'
grep '"line":4' out > l4
grep -q '"process.name":"systemd"' l4
grep -q '"event.action":"service-start"' l4
! grep -q 'journald' l4
! grep -q 'systemd.unit' l4
"$LOGHUNT" query -f json 'process.name:sshd' fb.json | wc -l | grep -qx 2
