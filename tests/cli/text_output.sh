# The text timeline: decoded details, sources, each fired rule's guide once,
# and control characters from the logs escaped, never raw.
set -e
"$LOGHUNT" -f text --color never "$FIX/ev" > out || true
grep -q "^7 alerts" out
grep -q "error      0x14: user-mode instruction fetch, page not present" out
test "$(grep -c '^== Segfault from Sensitive Process Detected ==' out)" = 1
test "$(grep -c '^== Process Started with Executable Stack ==' out)" = 1
grep -q "MITRE ATT&CK TA0002 Execution: T1059 Command and Scripting Interpreter; T1059.004 Unix Shell" out
printf 'Jan  1 00:00:00 h kernel: sshd[1]: segfault at 0 ip 0 sp 0 error 4 \033]0;pwned\007\033[2J\n' > evil.log
"$LOGHUNT" --color always --year 2026 evil.log > out2 || true
if grep -q "$(printf '\033]0')" out2; then exit 1; fi
grep -q '\\x1b]0;pwned\\x07\\x1b\[2J' out2
"$LOGHUNT" --no-guide "$FIX/ev" > out3 || true
! grep -q "^== " out3
